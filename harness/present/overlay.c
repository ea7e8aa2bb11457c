/* overlay.c: see overlay.h. */
#include "overlay.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "draw.h"
#include "files.h"
#include "plotkind.h"
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

/* What the titles say: the scenario, what A and B are in full (label_a,
 * label_b) and in brief (sides). */
struct overlay_titles {
    const char *name, *label_a, *label_b;
    char sides[1200];
};

/* The merged object and where each matched point's runs start in it. */
struct overlay_merged {
    json_t *results;
    const json_t *pairs; /* the scenario's matched points */
    size_t *first_a, *first_b;
};

static struct draw_job *new_job(struct overlay_jobs *list, const struct plot_kind *kind)
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
    rc = plot_kind_write_table(job->kind, f, results, run_a, &err);
    if (!rc && run_b != (size_t)-1) {
        /* two blank lines: B's series follow A's in the same table */
        fputs("\n\n", f);
        rc = plot_kind_write_table(job->kind, f, results, run_b, &err);
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

/* "A = somaxconn=4096; B = somaxconn=8 (vm, 6.1.0)": what tells them
 * apart first, where they ran last */
static void titles_of(const json_t *scenario, struct overlay_titles *titles)
{
    const json_t *labels = json_object_get(scenario, "labels");
    const char *brief_a = json_string_value(json_object_get(labels, "a_brief"));
    const char *brief_b = json_string_value(json_object_get(labels, "b_brief"));
    const char *common = json_string_value(json_object_get(labels, "common"));
    titles->name = json_string_value(json_object_get(scenario, "name"));
    titles->label_a = json_string_value(json_object_get(labels, "a"));
    titles->label_b = json_string_value(json_object_get(labels, "b"));
    snprintf(titles->sides, sizeof titles->sides, "A = %s; B = %s%s%s%s", brief_a ? brief_a : "?",
             brief_b ? brief_b : "?", common && common[0] ? " (" : "", common ? common : "",
             common && common[0] ? ")" : "");
}

/* A kind that cannot merge the sets: one plot of each, side by side. */
static void add_one_per_set(struct overlay_jobs *list, const struct plot_kind *kind,
                            const json_t *a, const json_t *b, const struct overlay_titles *titles)
{
    for (int side = 0; side < 2; side++) {
        struct draw_job *job = new_job(list, kind);
        char caption[512];
        if (!job)
            return;
        snprintf(job->name, sizeof job->name, "%s-%c", kind->name, side ? 'B' : 'A');
        snprintf(job->title, sizeof job->title, "%s\n%s = %s", titles->name, side ? "B" : "A",
                 side ? titles->label_b : titles->label_a);
        snprintf(caption, sizeof caption, "%s of %s alone (a heat map holds one set)", kind->name,
                 side ? "B" : "A");
        build(list, job, side ? b : a, 0, (size_t)-1, caption);
    }
}

/* A timeline kind: per matched point (at most OVERLAY_MAX_TIMELINES) one
 * table of A's run and then B's. */
static void add_timelines(struct overlay_jobs *list, const struct plot_kind *kind, const json_t *a,
                          const struct overlay_merged *merged, const struct overlay_titles *titles)
{
    size_t pairs = json_array_size(merged->pairs);
    size_t n = pairs < OVERLAY_MAX_TIMELINES ? pairs : OVERLAY_MAX_TIMELINES;
    for (size_t p = 0; p < n; p++) {
        const json_t *pair = json_array_get(merged->pairs, p);
        const json_t *run_a = json_array_get(
            json_object_get(a, "runs"),
            (size_t)json_integer_value(json_array_get(json_object_get(pair, "a_runs"), 0)));
        struct draw_job *job = new_job(list, kind);
        char label[512], caption[512];
        if (!job)
            return;
        table_point_label(a, run_a, label, sizeof label);
        if (pairs > 1)
            snprintf(job->name, sizeof job->name, "%s-p%" JSON_INTEGER_FORMAT, kind->name,
                     json_integer_value(json_object_get(pair, "a_point")));
        else
            snprintf(job->name, sizeof job->name, "%s", kind->name);
        if (strcmp(label, "(no sweep)") == 0)
            snprintf(job->title, sizeof job->title, "%s\n%s", titles->name, titles->sides);
        else
            snprintf(job->title, sizeof job->title, "%s, %s\n%s", titles->name, label,
                     titles->sides);
        snprintf(caption, sizeof caption, "%s, %s: A solid, B dashed", kind->name, label);
        build(list, job, merged->results, merged->first_a[p], merged->first_b[p], caption);
    }
}

/* A kind drawn per sweep: one plot of both sets' runs. */
static void add_merged(struct overlay_jobs *list, const struct plot_kind *kind,
                       const struct overlay_merged *merged, const struct overlay_titles *titles)
{
    struct draw_job *job = new_job(list, kind);
    char caption[512];
    if (!job)
        return;
    snprintf(job->name, sizeof job->name, "%s", kind->name);
    snprintf(job->title, sizeof job->title, "%s", titles->name);
    plot_kind_runs_note(kind, merged->results, job->title, sizeof job->title);
    size_t used = strlen(job->title);
    snprintf(job->title + used, sizeof job->title - used, "\n%s", titles->sides);
    snprintf(caption, sizeof caption, "%s: A and B", kind->name);
    build(list, job, merged->results, 0, (size_t)-1, caption);
}

/* The jobs of every kind both files ask for, each with its table. */
static void add_jobs(struct overlay_jobs *list, const json_t *a, const json_t *b,
                     const struct overlay_merged *merged, const struct overlay_titles *titles)
{
    const json_t *name;
    size_t i;
    json_array_foreach(json_object_get(merged->results, "plots"), i, name)
    {
        const struct plot_kind *kind = plot_kind_find(json_string_value(name));
        if (!kind) {
            char note[160];
            snprintf(note, sizeof note, "%s: unknown plot kind \"%s\"", json_string_value(name),
                     json_string_value(name));
            json_array_append_new(list->notes, json_string(note));
        } else if (kind->table->one_plot_per_set) {
            add_one_per_set(list, kind, a, b, titles);
        } else if (kind->drawn == PLOT_PER_POINT) {
            add_timelines(list, kind, a, merged, titles);
        } else {
            add_merged(list, kind, merged, titles);
        }
    }
}

static void plot_record(json_t *plots, const struct draw_job *job, const char *caption)
{
    json_array_append_new(plots, json_pack("{s:s,s:s,s:s}", "kind", job->kind->name, "name",
                                           job->name, "caption", caption));
}

/* Draws the jobs and records in plots those drawn. */
static int draw_jobs(const struct overlay_jobs *list, const char *outdir, const char *plot_dir,
                     draw_report_fn report, void *data, json_t *plots, struct hl_error *err)
{
    int *drawn = calloc(list->count + 1, sizeof *drawn);
    int rc;
    if (!drawn)
        return hl_error_setn(err, ENOMEM, NULL, "out of memory");
    if (list->count && (rc = files_make_dirs(outdir, err))) {
        free(drawn);
        return rc;
    }
    draw_plots(list->jobs, list->count, plot_dir, outdir, drawn, report, data);
    for (size_t i = 0; i < list->count; i++)
        if (drawn[i])
            plot_record(plots, &list->jobs[i],
                        json_string_value(json_array_get(list->captions, i)));
    free(drawn);
    if (draw_interrupted())
        return hl_error_set(err, NULL, "interrupted by signal %d", draw_interrupted());
    return 0;
}

int overlay_draw(const json_t *a, const json_t *b, json_t *scenario, const char *outdir,
                 const char *plot_dir, draw_report_fn report, void *report_data,
                 struct hl_error *err)
{
    const json_t *pairs = json_object_get(scenario, "points");
    size_t n_pairs = json_array_size(pairs);
    struct overlay_merged merged = {NULL, pairs, calloc(n_pairs + 1, sizeof(size_t)),
                                    calloc(n_pairs + 1, sizeof(size_t))};
    struct overlay_jobs list = {NULL, 0, 0, json_array(), json_array()};
    struct overlay_titles titles;
    json_t *plots = json_array();
    int rc = 0;

    if (!merged.first_a || !merged.first_b) {
        rc = hl_error_setn(err, ENOMEM, NULL, "out of memory");
        goto out;
    }
    merged.results = merge(a, b, scenario, merged.first_a, merged.first_b);
    if (json_array_size(json_object_get(merged.results, "runs")) == 0) {
        /* every point skipped in both sets: nothing measured to draw */
        json_array_append_new(list.notes, json_string("no point ran in either set"));
        goto out;
    }
    titles_of(scenario, &titles);
    add_jobs(&list, a, b, &merged, &titles);
    rc = draw_jobs(&list, outdir, plot_dir, report, report_data, plots, err);
out:
    for (size_t i = 0; i < list.count; i++)
        free(list.jobs[i].table);
    free(list.jobs);
    free(merged.first_a);
    free(merged.first_b);
    json_decref(list.captions);
    json_decref(merged.results);
    json_object_set_new(scenario, "plots", plots);
    json_object_set_new(scenario, "plot_notes", list.notes);
    return rc;
}
