/* plots.c: see plots.h. */
#include "plots.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plotkind.h"
#include "table.h"

/* Builds job->table with the kind's table. */
static int build_table(struct draw_job *job, const json_t *results, size_t run,
                       struct hl_error *err)
{
    FILE *f = open_memstream(&job->table, &job->table_size);
    int rc;
    if (!f)
        return hl_error_setn(err, errno, NULL, "open_memstream: %s", strerror(errno));
    rc = plot_kind_write_table(job->kind, f, results, run, err);
    if (fclose(f) && !rc)
        rc = hl_error_setn(err, errno, NULL, "cannot build the %s table", job->kind->name);
    return rc;
}

/* The title line a script puts under its own: the scenario's name, and
 * what the plot cannot say by itself. */
static void job_title(struct draw_job *job, const json_t *results, const json_t *run, size_t points)
{
    const char *name = json_string_value(json_object_get(results, "name"));
    const struct plot_kind *kind = job->kind;
    char label[512];

    snprintf(job->title, sizeof job->title, "%s", name);
    if (kind->drawn == PLOT_PER_POINT) {
        table_point_label(results, run, label, sizeof label);
        if (points > 1 || strcmp(label, "(no sweep)") != 0)
            snprintf(job->title, sizeof job->title, "%s, %s", name, label);
    }
    plot_kind_runs_note(kind, results, job->title, sizeof job->title);
    if (kind->table->title_note)
        kind->table->title_note(job->title, sizeof job->title, results, run);
}

/* The run of point `only` that its timelines draw, in *run; fails naming
 * the points there are. */
static int point_run(const json_t *results, long long only, size_t *run, struct hl_error *err)
{
    const json_t *runs = json_object_get(results, "runs");
    size_t all = table_timeline_runs(results, NULL, 0), found = 0;
    size_t *every = calloc(all + 1, sizeof *every);
    char known[256] = "";
    if (!every)
        return hl_error_set(err, NULL, "out of memory");
    table_timeline_runs(results, every, all);
    for (size_t i = 0; i < all; i++) {
        json_int_t point =
            json_integer_value(json_object_get(json_array_get(runs, every[i]), "point"));
        size_t used = strlen(known);
        if (point == only && found == 0) {
            *run = every[i];
            found = 1;
        }
        if (used + 32 < sizeof known)
            snprintf(known + used, sizeof known - used, "%s%" JSON_INTEGER_FORMAT, used ? ", " : "",
                     point);
    }
    free(every);
    if (!found)
        return hl_error_set(err, NULL, "no point %lld in the results (its points: %s)", only,
                            known);
    return 0;
}

/* Adds the jobs for one kind of plot: one, or for a timeline kind one plot
 * per point (the point's first run; only point `only` when it is not -1),
 * and builds their tables. */
static int add_jobs(struct plots *list, const struct plot_kind *kind, const json_t *results,
                    long long only, struct hl_error *err)
{
    const json_t *runs = json_object_get(results, "runs");
    size_t timeline_runs[PLOTS_MAX_TIMELINES] = {0}, n = 1, points = 1;
    int per_point = kind->drawn == PLOT_PER_POINT;

    if (per_point && only >= 0) {
        if (point_run(results, only, &timeline_runs[0], err))
            return -EINVAL;
    } else if (per_point) {
        points = table_timeline_runs(results, timeline_runs, PLOTS_MAX_TIMELINES);
        n = points < PLOTS_MAX_TIMELINES ? points : PLOTS_MAX_TIMELINES;
    }
    for (size_t i = 0; i < n; i++) {
        struct draw_job *job = &list->jobs[list->count++];
        size_t run = per_point ? timeline_runs[i] : 0;
        const json_t *runobj = json_array_get(runs, run);

        job->kind = kind;
        if (per_point && (points > 1 || only >= 0))
            snprintf(job->name, sizeof job->name, "%s-p%" JSON_INTEGER_FORMAT, kind->name,
                     json_integer_value(json_object_get(runobj, "point")));
        else
            snprintf(job->name, sizeof job->name, "%s", kind->name);
        job_title(job, results, runobj, points);
        if (build_table(job, results, run, err))
            return -EINVAL;
    }
    return 0;
}

/* err as "<kind> plot: <what was wrong>", the key path moved into the
 * message. */
static int name_the_plot(struct hl_error *err, const char *kind)
{
    char where[64], message[sizeof err->where + sizeof err->what + 4];
    snprintf(where, sizeof where, "%s plot", kind);
    hl_error_format(err, message, sizeof message);
    return hl_error_set(err, where, "%s", message);
}

int plots_build(struct plots *plots, const json_t *results, long long only_point,
                struct hl_error *err)
{
    const json_t *list = json_object_get(results, "plots");
    plots->count = 0;
    plots->jobs = calloc(json_array_size(list) * PLOTS_MAX_TIMELINES + 1, sizeof *plots->jobs);
    if (!plots->jobs)
        return hl_error_setn(err, ENOMEM, NULL, "out of memory");
    for (size_t i = 0; i < json_array_size(list); i++) {
        const char *name = json_string_value(json_array_get(list, i));
        if (add_jobs(plots, plot_kind_find(name), results, only_point, err))
            return name_the_plot(err, name);
    }
    return 0;
}

void plots_free(struct plots *plots)
{
    for (size_t i = 0; i < plots->count; i++)
        free(plots->jobs[i].table);
    free(plots->jobs);
    plots->jobs = NULL;
    plots->count = 0;
}

void plots_remove_stale(const char *outdir, const json_t *results, const struct plots *list,
                        const int *drawn, long long only, plots_removed_fn removed, void *data)
{
    DIR *dir = opendir(outdir);
    struct dirent *entry;
    if (!dir)
        return;
    while ((entry = readdir(dir))) {
        const char *name = entry->d_name, *ext = strrchr(name, '.');
        char base[256], path[PATH_MAX];
        int keep = 0;
        if (name[0] == '.' || !ext ||
            (strcmp(ext, ".png") && strcmp(ext, ".svg") && strcmp(ext, ".dat")) ||
            (size_t)(ext - name) >= sizeof base)
            continue;
        snprintf(base, sizeof base, "%.*s", (int)(ext - name), name);
        if (!table_plot_name_known(base))
            continue;
        for (size_t i = 0; i < list->count && !keep; i++)
            keep = strcmp(list->jobs[i].name, base) == 0 && (drawn[i] || strcmp(ext, ".dat") == 0);
        if (!keep && only >= 0 && table_plot_implied(results, base))
            keep = 1;
        if (keep)
            continue;
        snprintf(path, sizeof path, "%s/%s", outdir, name);
        if (unlink(path) == 0 && removed)
            removed(path, data);
    }
    closedir(dir);
}
