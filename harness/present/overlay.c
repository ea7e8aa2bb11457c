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
 * to merged, as point `point` of the set called `set`; returns the merged
 * index of its first run. */
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
static const json_t *point_runs(const json_t *results, json_int_t point)
{
    const json_t *p = aggregate_find(json_object_get(results, "point_summaries"), point);
    return json_object_get(p, "runs");
}

/* Whether a row matched the baseline's point. */
static int row_has(const struct compare_view_row *rows, size_t n, json_int_t point)
{
    for (size_t r = 0; r < n; r++)
        if (rows[r].point == point)
            return 1;
    return 0;
}

/* The kinds every set with the scenario draws, in the baseline's order. */
static json_t *common_plots(const struct overlay_input *in)
{
    json_t *plots = json_array();
    const json_t *kind, *other;
    size_t i, j;
    json_array_foreach(json_object_get(in->results[0], "plots"), i, kind)
    {
        size_t k, sets_with_it = 0, sets = 0;
        for (k = 1; k < in->view->count; k++) {
            if (!in->results[k])
                continue;
            sets++;
            json_array_foreach(json_object_get(in->results[k], "plots"), j, other)
            {
                if (json_equal((json_t *)kind, (json_t *)other)) {
                    sets_with_it++;
                    break;
                }
            }
        }
        if (sets_with_it == sets)
            json_array_append(plots, (json_t *)kind);
    }
    return plots;
}

/* Builds the merged object; first (may be NULL) receives, per row and
 * set, the merged index of the set's first run ((size_t)-1: none). */
static json_t *merge(const struct overlay_input *in, const struct compare_view_row *rows,
                     size_t n_rows, size_t *first)
{
    const struct compare_view *view = in->view;
    const json_t *base = in->results[0], *p;
    json_t *runs = json_array();
    json_int_t point = 0;
    size_t i, sets = view->count;

    for (size_t r = 0; r < n_rows; r++) {
        for (size_t k = 0; k < sets; k++) {
            const json_t *m = rows[r].matched[k];
            size_t at = (size_t)-1;
            if (m)
                at = append_point(runs, in->results[k], json_object_get(m, k ? "b_runs" : "a_runs"),
                                  view->names[k], point++);
            if (first)
                first[r * sets + k] = at;
        }
    }
    /* the points of one set only: the baseline's, then each other set's */
    json_array_foreach(json_object_get(base, "point_summaries"), i, p)
    {
        json_int_t own = json_integer_value(json_object_get(p, "point"));
        if (!row_has(rows, n_rows, own))
            append_point(runs, base, point_runs(base, own), view->names[0], point++);
    }
    for (size_t k = 1; k < sets; k++)
        json_array_foreach(json_object_get(in->scenario->pairs[k], "only_in_b"), i, p) append_point(
            runs, in->results[k],
            point_runs(in->results[k], json_integer_value(json_object_get(p, "point"))),
            view->names[k], point++);
    return json_pack("{s:O,s:s,s:o,s:o}", "name", json_object_get(base, "name"), "format",
                     "backlog-lab merged results (harness-compare)", "plots", common_plots(in),
                     "runs", runs);
}

json_t *overlay_merge(const struct overlay_input *in)
{
    size_t n;
    struct compare_view_row *rows = compare_view_rows(in->view, in->scenario, &n);
    json_t *merged = merge(in, rows, n, NULL);
    free(rows);
    return merged;
}

/* The plots to draw, each with its table built. */
struct overlay_jobs {
    struct draw_job *jobs;
    size_t count, size;
    json_t *captions; /* one per job: what the report says under it */
    json_t *notes;    /* why a plot could not be drawn */
};

/* What the titles say: the scenario, what each set is in full (labels)
 * and in brief (sides). */
struct overlay_titles {
    const char *name;
    const char *labels[COMPARE_MAX_SETS];
    char sides[1200];
};

/* The merged object and where each matched point's runs start in it. */
struct overlay_merged {
    json_t *results;
    struct compare_view_row *rows;
    size_t row_count;
    size_t *first; /* [row * sets + set] */
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

/* Builds the table of job from the tables of runs[0..n) in turn (a
 * timeline: each set's run); keeps the job when it could be built, else
 * notes why. */
static void build(struct overlay_jobs *list, struct draw_job *job, const json_t *results,
                  const size_t *runs, size_t n, const char *caption)
{
    struct hl_error err;
    FILE *f = open_memstream(&job->table, &job->table_size);
    int rc = 0;
    if (!f)
        return;
    hl_error_clear(&err);
    for (size_t i = 0; i < n && !rc; i++) {
        /* two blank lines: the next set's series follow in the same table */
        if (i)
            fputs("\n\n", f);
        rc = plot_kind_write_table(job->kind, f, results, runs[i], &err);
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

static void append(char *out, size_t size, const char *text)
{
    size_t n = strlen(out);
    snprintf(out + n, n < size ? size - n : 0, "%s", text);
}

/* What tells the sets apart first, where they ran last: "alice =
 * somaxconn=4096; bob = somaxconn=8 (vm, 6.1.0)"; with more than two
 * "alice (baseline) = ...; bob = ...; carol = ..."; too long for a title
 * line, their names alone (the page says the rest), or how many. */
static void titles_of(const struct overlay_input *in, struct overlay_titles *titles)
{
    const struct compare_view *view = in->view;
    const json_t *first = NULL;
    char brief[COMPARE_MAX_SETS][512];
    titles->name = json_string_value(json_object_get(in->scenario->object, "name"));
    for (size_t k = view->count; k-- > 1;)
        if (in->scenario->pairs[k])
            first = json_object_get(in->scenario->pairs[k], "labels");
    for (size_t k = 0; k < view->count; k++) {
        const json_t *labels = k ? json_object_get(in->scenario->pairs[k], "labels") : first;
        const char *full = json_string_value(json_object_get(labels, k ? "b" : "a"));
        const char *short_ = json_string_value(json_object_get(labels, k ? "b_brief" : "a_brief"));
        titles->labels[k] = full ? full : "?";
        snprintf(brief[k], sizeof brief[k], "%s", short_ ? short_ : "?");
    }
    const char *common = json_string_value(json_object_get(first, "common"));
    titles->sides[0] = '\0';
    for (size_t k = 0; k < view->count; k++) {
        if (!in->results[k])
            continue;
        append(titles->sides, sizeof titles->sides, titles->sides[0] ? "; " : "");
        append(titles->sides, sizeof titles->sides, view->names[k]);
        append(titles->sides, sizeof titles->sides, k == 0 && view->count > 2 ? " (baseline)" : "");
        if (brief[k][0]) {
            append(titles->sides, sizeof titles->sides, " = ");
            append(titles->sides, sizeof titles->sides, brief[k]);
        }
    }
    if (common && common[0]) {
        append(titles->sides, sizeof titles->sides, " (");
        append(titles->sides, sizeof titles->sides, common);
        append(titles->sides, sizeof titles->sides, ")");
    }
    /* a title line centred over a plot with its key beside it holds
     * about 75 characters at 900 pixels */
    if (strlen(titles->sides) > 72) {
        titles->sides[0] = '\0';
        for (size_t k = 0; k < view->count; k++) {
            if (!in->results[k])
                continue;
            append(titles->sides, sizeof titles->sides, titles->sides[0] ? ", " : "");
            append(titles->sides, sizeof titles->sides, view->names[k]);
            append(titles->sides, sizeof titles->sides,
                   k == 0 && view->count > 2 ? " (baseline)" : "");
        }
    }
    if (strlen(titles->sides) > 72)
        snprintf(titles->sides, sizeof titles->sides, "%zu sets: the page names them", view->count);
}

/* A kind that cannot merge the sets: one plot of each, side by side. */
static void add_one_per_set(struct overlay_jobs *list, const struct plot_kind *kind,
                            const struct overlay_input *in, const struct overlay_titles *titles)
{
    for (size_t k = 0; k < in->view->count; k++) {
        struct draw_job *job;
        char caption[512];
        size_t run = 0;
        if (!in->results[k] || !(job = new_job(list, kind)))
            continue;
        snprintf(job->name, sizeof job->name, "%s-%s", kind->name, in->view->letters[k]);
        snprintf(job->title, sizeof job->title, "%s\n%s = %s", titles->name, in->view->names[k],
                 titles->labels[k]);
        snprintf(caption, sizeof caption, "%s of %s alone (a heat map holds one set)", kind->name,
                 in->view->letters[k]);
        build(list, job, in->results[k], &run, 1, caption);
    }
}

/* The dash type of the set at position i of a timeline's table (plot/:
 * gnuplot's dt i + 1). */
static const char *dash_name(size_t i)
{
    static const char *const names[] = {"solid", "dashed", "dotted", "dash-dotted",
                                        "dash-dot-dotted"};
    return i < 5 ? names[i] : "dashed";
}

/* A timeline kind: per matched point (at most OVERLAY_MAX_TIMELINES) one
 * table of each set's run in turn. */
static void add_timelines(struct overlay_jobs *list, const struct plot_kind *kind,
                          const struct overlay_input *in, const struct overlay_merged *merged,
                          const struct overlay_titles *titles)
{
    size_t rows = merged->row_count, sets = in->view->count;
    size_t n = rows < OVERLAY_MAX_TIMELINES ? rows : OVERLAY_MAX_TIMELINES;
    for (size_t r = 0; r < n; r++) {
        const struct compare_view_row *row = &merged->rows[r];
        const json_t *run_a = json_array_get(json_object_get(in->results[0], "runs"),
                                             (size_t)json_integer_value(json_array_get(
                                                 json_object_get(row->matched[0], "a_runs"), 0)));
        struct draw_job *job = new_job(list, kind);
        char label[512], caption[512];
        size_t runs[COMPARE_MAX_SETS], parts = 0;
        if (!job)
            return;
        table_point_label(in->results[0], run_a, label, sizeof label);
        if (rows > 1)
            snprintf(job->name, sizeof job->name, "%s-p%" JSON_INTEGER_FORMAT, kind->name,
                     row->point);
        else
            snprintf(job->name, sizeof job->name, "%s", kind->name);
        if (strcmp(label, "(no sweep)") == 0)
            snprintf(job->title, sizeof job->title, "%s\n%s", titles->name, titles->sides);
        else
            snprintf(job->title, sizeof job->title, "%s, %s\n%s", titles->name, label,
                     titles->sides);
        /* "A solid, B dashed": the sets present at this point, in turn */
        snprintf(caption, sizeof caption, "%s, %s: ", kind->name, label);
        for (size_t k = 0; k < sets; k++) {
            if (merged->first[r * sets + k] == (size_t)-1)
                continue;
            append(caption, sizeof caption, parts ? ", " : "");
            append(caption, sizeof caption, in->view->letters[k]);
            append(caption, sizeof caption, " ");
            append(caption, sizeof caption, dash_name(parts));
            runs[parts++] = merged->first[r * sets + k];
        }
        build(list, job, merged->results, runs, parts, caption);
    }
}

/* A kind drawn per sweep: one plot of every set's runs. */
static void add_merged(struct overlay_jobs *list, const struct plot_kind *kind,
                       const struct overlay_input *in, const struct overlay_merged *merged,
                       const struct overlay_titles *titles)
{
    struct draw_job *job = new_job(list, kind);
    char caption[512];
    size_t run = 0, present = 0, shown = 0;
    if (!job)
        return;
    snprintf(job->name, sizeof job->name, "%s", kind->name);
    snprintf(job->title, sizeof job->title, "%s", titles->name);
    plot_kind_runs_note(kind, merged->results, job->title, sizeof job->title);
    size_t used = strlen(job->title);
    snprintf(job->title + used, sizeof job->title - used, "\n%s", titles->sides);
    /* "A and B", "A, B and C" */
    for (size_t k = 0; k < in->view->count; k++)
        present += in->results[k] != NULL;
    snprintf(caption, sizeof caption, "%s: ", kind->name);
    for (size_t k = 0; k < in->view->count; k++) {
        if (!in->results[k])
            continue;
        shown++;
        append(caption, sizeof caption, shown == 1 ? "" : shown == present ? " and " : ", ");
        append(caption, sizeof caption, in->view->letters[k]);
    }
    build(list, job, merged->results, &run, 1, caption);
}

/* The jobs of every kind every set asks for, each with its table. */
static void add_jobs(struct overlay_jobs *list, const struct overlay_input *in,
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
            add_one_per_set(list, kind, in, titles);
        } else if (kind->drawn == PLOT_PER_POINT) {
            add_timelines(list, kind, in, merged, titles);
        } else {
            add_merged(list, kind, in, merged, titles);
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

int overlay_draw(const struct overlay_input *in, json_t *object, const char *outdir,
                 const char *plot_dir, draw_report_fn report, void *report_data,
                 struct hl_error *err)
{
    struct overlay_merged merged = {NULL, NULL, 0, NULL};
    struct overlay_jobs list = {NULL, 0, 0, json_array(), json_array()};
    struct overlay_titles titles;
    json_t *plots = json_array();
    int rc = 0;

    merged.rows = compare_view_rows(in->view, in->scenario, &merged.row_count);
    merged.first = calloc(merged.row_count * in->view->count + 1, sizeof(size_t));
    if (!merged.first) {
        rc = hl_error_setn(err, ENOMEM, NULL, "out of memory");
        goto out;
    }
    merged.results = merge(in, merged.rows, merged.row_count, merged.first);
    if (json_array_size(json_object_get(merged.results, "runs")) == 0) {
        /* every point skipped in every set: nothing measured to draw */
        json_array_append_new(list.notes,
                              json_string(in->view->count == 2 ? "no point ran in either set"
                                                               : "no point ran in any set"));
        goto out;
    }
    titles_of(in, &titles);
    add_jobs(&list, in, &merged, &titles);
    rc = draw_jobs(&list, outdir, plot_dir, report, report_data, plots, err);
out:
    for (size_t i = 0; i < list.count; i++)
        free(list.jobs[i].table);
    free(list.jobs);
    free(merged.rows);
    free(merged.first);
    json_decref(list.captions);
    json_decref(merged.results);
    json_object_set_new(object, "plots", plots);
    json_object_set_new(object, "plot_notes", list.notes);
    return rc;
}
