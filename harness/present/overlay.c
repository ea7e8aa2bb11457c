/* overlay.c: see overlay.h. */
#include "overlay.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "draw.h"
#include "files.h"
#include "table.h"

/* Appends the runs of one point of results (its point_summaries' "runs")
 * to merged, as point `point` of set `set`; returns the merged index of
 * its first run. */
static size_t append_point(json_t *merged_runs, const json_t *results, const json_t *indexes,
                           const char *set, json_int_t point)
{
    const json_t *runs = json_object_get(results, "runs"), *index;
    size_t i, first = json_array_size(merged_runs);
    json_array_foreach(indexes, i, index)
    {
        json_t *run = json_copy(json_array_get(runs, (size_t)json_integer_value(index)));
        if (!run)
            continue;
        json_object_set_new(run, "set", json_string(set));
        json_object_set_new(run, "point", json_integer(point));
        json_array_append_new(merged_runs, run);
    }
    return first;
}

/* The runs of point `point` of results, from its point summaries. */
static const json_t *point_runs(const json_t *results, const json_t *point)
{
    const json_t *p =
        aggregate_find(json_object_get(results, "point_summaries"), json_integer_value(point));
    return json_object_get(p, "runs");
}

/* Builds the merged object; first_a/first_b (may be NULL) receive, per
 * matched point, the merged index of A's and B's first run. */
static json_t *merge(const json_t *a, const json_t *b, const json_t *scenario, size_t *first_a,
                     size_t *first_b)
{
    json_t *runs = json_array(), *plots = json_array();
    const json_t *p, *kind;
    json_int_t point = 0;
    size_t i;

    json_array_foreach(json_object_get(scenario, "points"), i, p)
    {
        size_t fa = append_point(runs, a, json_object_get(p, "a_runs"), "A", point++);
        size_t fb = append_point(runs, b, json_object_get(p, "b_runs"), "B", point++);
        if (first_a)
            first_a[i] = fa;
        if (first_b)
            first_b[i] = fb;
    }
    json_array_foreach(json_object_get(scenario, "only_in_a"), i, p)
        append_point(runs, a, point_runs(a, json_object_get(p, "point")), "A", point++);
    json_array_foreach(json_object_get(scenario, "only_in_b"), i, p)
        append_point(runs, b, point_runs(b, json_object_get(p, "point")), "B", point++);
    /* the kinds both files draw, in A's order */
    json_array_foreach(json_object_get(a, "plots"), i, kind)
    {
        const json_t *other;
        size_t j;
        json_array_foreach(json_object_get(b, "plots"), j, other)
        {
            if (json_equal((json_t *)kind, (json_t *)other)) {
                json_array_append(plots, (json_t *)kind);
                break;
            }
        }
    }
    return json_pack("{s:O,s:s,s:o,s:o}", "name", json_object_get(a, "name"), "format",
                     "backlog-lab merged results (harness-compare)", "plots", plots, "runs", runs);
}

json_t *overlay_merge(const json_t *a, const json_t *b, const json_t *scenario)
{
    return merge(a, b, scenario, NULL, NULL);
}

/* The plots to draw, each with its table built. */
struct overlay_jobs {
    struct draw_job *jobs;
    size_t count, size;
    json_t *captions; /* one per job: what the report says under it */
    json_t *notes;    /* why a plot could not be drawn */
};

static struct draw_job *new_job(struct overlay_jobs *list, const char *kind)
{
    if (list->count == list->size) {
        size_t size = list->size ? 2 * list->size : 16;
        struct draw_job *grown = realloc(list->jobs, size * sizeof *grown);
        if (!grown)
            return NULL;
        list->jobs = grown;
        list->size = size;
    }
    struct draw_job *job = &list->jobs[list->count];
    memset(job, 0, sizeof *job);
    job->kind = kind;
    return job;
}

/* Builds the table of job from one or two parts (run_b (size_t)-1: one);
 * keeps the job when it could be built, else notes why. */
static void build(struct overlay_jobs *list, struct draw_job *job, const json_t *results,
                  size_t run_a, size_t run_b, const char *caption)
{
    struct hl_error err;
    FILE *f = open_memstream(&job->table, &job->table_size);
    int rc;
    if (!f)
        return;
    hl_error_clear(&err);
    rc = table_write(f, job->kind, results, run_a, &err);
    if (!rc && run_b != (size_t)-1) {
        /* two blank lines: B's series follow A's in the same table */
        fputs("\n\n", f);
        rc = table_write(f, job->kind, results, run_b, &err);
    }
    if (fclose(f) && !rc)
        rc = hl_error_set(&err, NULL, "cannot build the table");
    if (rc) {
        char message[2048], note[2200];
        snprintf(note, sizeof note, "%s: %s", job->name,
                 hl_error_format(&err, message, sizeof message));
        json_array_append_new(list->notes, json_string(note));
        free(job->table);
        return;
    }
    json_array_append_new(list->captions, json_string(caption));
    list->count++;
}

static void plot_record(json_t *plots, const struct draw_job *job, const char *caption)
{
    json_array_append_new(plots, json_pack("{s:s,s:s,s:s}", "kind", job->kind, "name", job->name,
                                           "caption", caption));
}

int overlay_draw(const json_t *a, const json_t *b, json_t *scenario, const char *outdir,
                 const char *plot_dir, int quiet, size_t *failed, struct hl_error *err)
{
    const json_t *pairs = json_object_get(scenario, "points"), *kind;
    const char *name = json_string_value(json_object_get(scenario, "name"));
    const json_t *labels = json_object_get(scenario, "labels");
    const char *label_a = json_string_value(json_object_get(labels, "a"));
    const char *label_b = json_string_value(json_object_get(labels, "b"));
    const char *brief_a = json_string_value(json_object_get(labels, "a_brief"));
    const char *brief_b = json_string_value(json_object_get(labels, "b_brief"));
    const char *common = json_string_value(json_object_get(labels, "common"));
    size_t n_pairs = json_array_size(pairs), i;
    size_t *first_a = calloc(n_pairs + 1, sizeof *first_a);
    size_t *first_b = calloc(n_pairs + 1, sizeof *first_b);
    struct overlay_jobs list = {NULL, 0, 0, json_array(), json_array()};
    json_t *merged = NULL, *plots = json_array();
    char sides[1200];
    int rc = 0;

    if (!first_a || !first_b) {
        rc = hl_error_setn(err, ENOMEM, NULL, "out of memory");
        goto out;
    }
    merged = merge(a, b, scenario, first_a, first_b);
    if (json_array_size(json_object_get(merged, "runs")) == 0) {
        /* every point skipped in both sets: nothing measured to draw */
        json_array_append_new(list.notes, json_string("no point ran in either set"));
        goto out;
    }
    /* "A = somaxconn=4096; B = somaxconn=8 (vm, 6.1.0)": what tells them
     * apart first, where they ran last */
    snprintf(sides, sizeof sides, "A = %s; B = %s%s%s%s", brief_a ? brief_a : "?",
             brief_b ? brief_b : "?", common && common[0] ? " (" : "", common ? common : "",
             common && common[0] ? ")" : "");
    json_array_foreach(json_object_get(merged, "plots"), i, kind)
    {
        const char *k = json_string_value(kind);
        struct draw_job *job;
        char caption[512];
        if (strcmp(k, "buffer_grid") == 0) {
            /* a heat map holds one set: one per set, side by side */
            for (int side = 0; side < 2; side++) {
                if (!(job = new_job(&list, k)))
                    break;
                snprintf(job->name, sizeof job->name, "%s-%c", k, side ? 'B' : 'A');
                snprintf(job->title, sizeof job->title, "%s\n%s = %s", name, side ? "B" : "A",
                         side ? label_b : label_a);
                snprintf(caption, sizeof caption, "%s of %s alone (a heat map holds one set)", k,
                         side ? "B" : "A");
                build(&list, job, side ? b : a, 0, (size_t)-1, caption);
            }
        } else if (table_kind_per_point(k)) {
            size_t n = n_pairs < OVERLAY_MAX_TIMELINES ? n_pairs : OVERLAY_MAX_TIMELINES;
            for (size_t p = 0; p < n; p++) {
                const json_t *pair = json_array_get(pairs, p);
                const json_t *run_a = json_array_get(
                    json_object_get(a, "runs"),
                    (size_t)json_integer_value(json_array_get(json_object_get(pair, "a_runs"), 0)));
                char label[512];
                if (!(job = new_job(&list, k)))
                    break;
                table_point_label(a, run_a, label, sizeof label);
                if (n_pairs > 1)
                    snprintf(job->name, sizeof job->name, "%s-p%" JSON_INTEGER_FORMAT, k,
                             json_integer_value(json_object_get(pair, "a_point")));
                else
                    snprintf(job->name, sizeof job->name, "%s", k);
                if (strcmp(label, "(no sweep)") == 0)
                    snprintf(job->title, sizeof job->title, "%s\n%s", name, sides);
                else
                    snprintf(job->title, sizeof job->title, "%s, %s\n%s", name, label, sides);
                snprintf(caption, sizeof caption, "%s, %s: A solid, B dashed", k, label);
                build(&list, job, merged, first_a[p], first_b[p], caption);
            }
        } else {
            size_t runs = json_array_size(json_object_get(merged, "runs"));
            if (!(job = new_job(&list, k)))
                break;
            snprintf(job->name, sizeof job->name, "%s", k);
            if (strcmp(k, "latency") == 0 && runs > TABLE_LATENCY_MAX_RUNS)
                snprintf(job->title, sizeof job->title, "%s (the first %d of %zu runs)\n%s", name,
                         TABLE_LATENCY_MAX_RUNS, runs, sides);
            else
                snprintf(job->title, sizeof job->title, "%s\n%s", name, sides);
            snprintf(caption, sizeof caption, "%s: A and B", k);
            build(&list, job, merged, 0, (size_t)-1, caption);
        }
    }
    if (list.count && (rc = files_make_dirs(outdir, err)))
        goto out;
    for (i = 0; i < list.count && !draw_interrupted(); i++) {
        char output[16384], message[2048];
        struct hl_error draw_err;
        const struct draw_job *job = &list.jobs[i];
        hl_error_clear(&draw_err);
        if (draw_plot(job, plot_dir, outdir, output, sizeof output, &draw_err)) {
            if (draw_interrupted())
                break;
            fprintf(stderr, "harness-compare: %s\n",
                    hl_error_format(&draw_err, message, sizeof message));
            if (output[0])
                fprintf(stderr, "%s%s", output, output[strlen(output) - 1] == '\n' ? "" : "\n");
            (*failed)++;
            continue;
        }
        if (!quiet)
            fprintf(stderr, "harness-compare: wrote %s/%s.png and .svg\n", outdir, job->name);
        plot_record(plots, job, json_string_value(json_array_get(list.captions, i)));
    }
    if (draw_interrupted())
        rc = hl_error_set(err, NULL, "interrupted by signal %d", draw_interrupted());
out:
    for (i = 0; i < list.count; i++)
        free(list.jobs[i].table);
    free(list.jobs);
    free(first_a);
    free(first_b);
    json_decref(list.captions);
    json_decref(merged);
    json_object_set_new(scenario, "plots", plots);
    json_object_set_new(scenario, "plot_notes", list.notes);
    return rc;
}
