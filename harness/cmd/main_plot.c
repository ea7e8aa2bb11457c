/* harness-plot: results JSON -> data tables -> gnuplot -> PNG and SVG.
 *
 * Every table is built in memory before anything is written, so an invalid
 * results file leaves the output directory as it was. Each kind of plot is
 * one gnuplot script in the plot directory (plot/<kind>.gp) that reads one
 * table (<kind>.dat); gnuplot draws the PNG and the SVG under temporary
 * names that are renamed once it exited cleanly (draw.h), so a reader never
 * sees half a picture. Once drawn, plots of an earlier results file that
 * these results do not draw are removed (remove_stale_plots).
 *
 * Exit status: 0 all plots written, 1 a plot could not be written (gnuplot
 * failed, or the output directory), 2 bad usage or an unreadable or invalid
 * results file (FILE: what is wrong; nothing written). */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "draw.h"
#include "error.h"
#include "files.h"
#include "table.h"

/* One transfer plot per point: more than this would bury the others. */
#define MAX_TRANSFER_PLOTS 16

static void usage(FILE *out)
{
    fprintf(out,
            "usage: harness-plot RESULTS.json [-d OUTDIR] [-p POINT] [-q] [--help]\n"
            "Turn a results file into data tables and plots: for every kind in its\n"
            "\"plots\" list, OUTDIR/<kind>.dat, OUTDIR/<kind>.png and OUTDIR/<kind>.svg\n"
            "(drawn by gnuplot with the script <kind>.gp in the plot directory).\n\n"
            "  -d, --dir OUTDIR  where to write (default: RESULTS without .json, e.g.\n"
            "                    results/x.json -> results/x/; created if missing)\n"
            "  -p, --point N     draw the timelines (transfer, queues, accept_queue) of\n"
            "                    point N only (default: every point, at most %d)\n"
            "  -q, --quiet       no line per plot written\n"
            "  -h, --help        show this help\n\n"
            "Kinds: outcomes, handshakes, latency, buffers, buffer_grid, rate, and the\n"
            "timelines transfer, queues, accept_queue (one per point: <kind>-p<N>).\n"
            "Plot files of known kinds in OUTDIR that these results do not draw (left\n"
            "by an earlier results file) are removed; with -p, those of other points\n"
            "that still exist stay.\n"
            "Environment: HARNESS_PLOT_DIR overrides the plot scripts' directory\n"
            "(built-in: %s).\n\n"
            "Exit status: 0 done, 1 a plot could not be written (gnuplot's message is\n"
            "shown), 2 bad usage or an unreadable or invalid results file.\n",
            MAX_TRANSFER_PLOTS, HARNESS_PLOT_DIR);
}

/* results/x.json -> results/x; a name without .json gets ".plots". */
static void default_outdir(const char *results_file, char *out, size_t size)
{
    size_t n = strlen(results_file);
    if (n > 5 && strcmp(results_file + n - 5, ".json") == 0)
        snprintf(out, size, "%.*s", (int)(n - 5), results_file);
    else
        snprintf(out, size, "%s.plots", results_file);
}

/* Builds job->table with the kind's table function. */
static int build_table(struct draw_job *job, const json_t *results, size_t run,
                       struct hl_error *err)
{
    FILE *f = open_memstream(&job->table, &job->table_size);
    int rc;
    if (!f)
        return hl_error_setn(err, errno, NULL, "open_memstream: %s", strerror(errno));
    rc = table_write(f, job->kind, results, run, err);
    if (fclose(f) && !rc)
        rc = hl_error_setn(err, errno, NULL, "cannot build the %s table", job->kind);
    return rc;
}

/* The title line a script puts under its own: the scenario's name, and
 * what the plot cannot say by itself. */
static void job_title(struct draw_job *job, const json_t *results, const json_t *run, size_t points)
{
    const char *name = json_string_value(json_object_get(results, "name"));
    size_t runs = json_array_size(json_object_get(results, "runs"));
    const char *x_key = table_buffers_x_key(results);
    char label[512];

    snprintf(job->title, sizeof job->title, "%s", name);
    if (table_kind_per_point(job->kind)) {
        json_int_t conn;
        size_t connected;
        table_point_label(results, run, label, sizeof label);
        if (points > 1 || strcmp(label, "(no sweep)") != 0)
            snprintf(job->title, sizeof job->title, "%s, %s", name, label);
        if (strcmp(job->kind, "queues") == 0 && table_queues_connection(run, &conn, &connected) &&
            connected > 1) {
            size_t used = strlen(job->title);
            snprintf(job->title + used, sizeof job->title - used,
                     " (connection %" JSON_INTEGER_FORMAT " of %zu)", conn, connected);
        }
    } else if (strcmp(job->kind, "latency") == 0 && runs > TABLE_LATENCY_MAX_RUNS) {
        snprintf(job->title, sizeof job->title, "%s (the first %d of %zu runs)", name,
                 TABLE_LATENCY_MAX_RUNS, runs);
    } else if (strcmp(job->kind, "buffers") == 0 && x_key) {
        /* Every run sweeps the same keys: the first one tells. */
        int two = strcmp(x_key, "client.sndbuf") == 0 &&
                  json_object_get(json_object_get(run, "sweep"), "server.rcvbuf");
        snprintf(job->title, sizeof job->title, "%s: x = %s%s", name, x_key,
                 two ? ", one line per server.rcvbuf" : "");
    }
}

/* Adds the jobs for one kind of plot: one, or for a timeline kind one plot
 * per point (the point's first run; only point `only` when it is not -1),
 * and builds their tables. */
static int add_jobs(struct draw_job *jobs, size_t *count, const char *kind, const json_t *results,
                    long long only, struct hl_error *err)
{
    const json_t *runs = json_object_get(results, "runs");
    size_t transfer_runs[MAX_TRANSFER_PLOTS] = {0}, n = 1, points = 1;
    int per_point = table_kind_per_point(kind);

    if (per_point && only >= 0) {
        size_t all = table_transfer_runs(results, NULL, 0);
        size_t *every = calloc(all + 1, sizeof *every);
        char known[256] = "";
        if (!every)
            return hl_error_set(err, NULL, "out of memory");
        table_transfer_runs(results, every, all);
        n = 0;
        for (size_t i = 0; i < all; i++) {
            json_int_t point =
                json_integer_value(json_object_get(json_array_get(runs, every[i]), "point"));
            size_t used = strlen(known);
            if (point == only && n == 0)
                transfer_runs[n++] = every[i];
            if (used + 32 < sizeof known)
                snprintf(known + used, sizeof known - used, "%s%" JSON_INTEGER_FORMAT,
                         used ? ", " : "", point);
        }
        free(every);
        if (n == 0)
            return hl_error_set(err, NULL, "no point %lld in the results (its points: %s)", only,
                                known);
        points = 1;
    } else if (per_point) {
        points = table_transfer_runs(results, transfer_runs, MAX_TRANSFER_PLOTS);
        n = points < MAX_TRANSFER_PLOTS ? points : MAX_TRANSFER_PLOTS;
    }
    for (size_t i = 0; i < n; i++) {
        struct draw_job *job = &jobs[(*count)++];
        size_t run = per_point ? transfer_runs[i] : 0;
        const json_t *runobj = json_array_get(runs, run);

        job->kind = kind;
        if (per_point && (points > 1 || only >= 0))
            snprintf(job->name, sizeof job->name, "%s-p%" JSON_INTEGER_FORMAT, kind,
                     json_integer_value(json_object_get(runobj, "point")));
        else
            snprintf(job->name, sizeof job->name, "%s", kind);
        job_title(job, results, runobj, points);
        if (build_table(job, results, run, err))
            return -EINVAL;
    }
    return 0;
}

/* Removes from outdir the plot outputs (<name>.png, .svg, .dat) of known
 * kinds that this call did not draw, so plots of an earlier results file
 * (a kind no longer listed, a point that no longer exists) do not linger.
 * Files named like no plot output of a known kind are never touched. A
 * job that failed keeps only its new table: its old pictures are stale.
 * With -p N (only >= 0) the other points' timelines stay where the
 * results still imply them (table_plot_implied). */
static void remove_stale_plots(const char *outdir, const json_t *results,
                               const struct draw_job *jobs, const int *drawn, size_t count,
                               long long only, int quiet)
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
        for (size_t i = 0; i < count && !keep; i++)
            keep = strcmp(jobs[i].name, base) == 0 && (drawn[i] || strcmp(ext, ".dat") == 0);
        if (!keep && only >= 0 && table_plot_implied(results, base))
            keep = 1;
        if (keep)
            continue;
        snprintf(path, sizeof path, "%s/%s", outdir, name);
        if (unlink(path) == 0 && !quiet)
            fprintf(stderr, "harness-plot: removed %s (not a plot of these results)\n", path);
    }
    closedir(dir);
}

static void free_jobs(struct draw_job *jobs, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(jobs[i].table);
    free(jobs);
}

int main(int argc, char **argv)
{
    const char *results_file = NULL, *outdir = NULL, *plot_dir;
    char default_dir[PATH_MAX], message[2048], output[16384];
    struct draw_job *jobs = NULL;
    size_t job_count = 0, failed = 0;
    int *drawn = NULL;
    int quiet = 0;
    long long only_point = -1;
    struct hl_error err;
    json_error_t jerr;
    json_t *results = NULL, *plots;
    FILE *f;

    hl_error_clear(&err);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "-d") == 0 || strcmp(a, "--dir") == 0) {
            if (++i == argc) {
                fprintf(stderr, "harness-plot: %s needs a directory\n", a);
                return 2;
            }
            outdir = argv[i];
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            quiet = 1;
        } else if (strcmp(a, "-p") == 0 || strcmp(a, "--point") == 0) {
            char *end;
            if (++i == argc) {
                fprintf(stderr, "harness-plot: %s needs a point index\n", a);
                return 2;
            }
            only_point = strtoll(argv[i], &end, 10);
            if (*end || end == argv[i] || only_point < 0) {
                fprintf(stderr,
                        "harness-plot: %s: expected a point index (0, 1, ...), got \"%s\"\n", a,
                        argv[i]);
                return 2;
            }
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "harness-plot: unknown option %s (see --help)\n", a);
            return 2;
        } else if (!results_file) {
            results_file = a;
        } else {
            fprintf(stderr, "harness-plot: one results file at a time (got %s and %s)\n",
                    results_file, a);
            return 2;
        }
    }
    if (!results_file) {
        usage(stderr);
        return 2;
    }

    f = fopen(results_file, "re");
    if (!f) {
        fprintf(stderr, "%s: cannot read: %s\n", results_file, strerror(errno));
        return 2;
    }
    results = json_loadf(f, JSON_REJECT_DUPLICATES, &jerr);
    fclose(f);
    if (!results) {
        fprintf(stderr, "%s: not valid JSON at line %d, column %d: %s\n", results_file, jerr.line,
                jerr.column, jerr.text);
        return 2;
    }
    /* every point skipped (its link needs a qdisc the kernel lacks):
     * nothing was measured, which is no error; the results say why. The
     * folder is made all the same, where make marks the plots done. */
    if (json_array_size(json_object_get(results, "runs")) == 0 &&
        json_array_size(json_object_get(results, "skipped")) > 0) {
        if (!outdir) {
            default_outdir(results_file, default_dir, sizeof default_dir);
            outdir = default_dir;
        }
        if (files_make_dirs(outdir, &err)) {
            fprintf(stderr, "harness-plot: %s\n", hl_error_format(&err, message, sizeof message));
            json_decref(results);
            return 1;
        }
        fprintf(stderr, "%s: every point was skipped (%s); nothing to plot\n", results_file,
                json_string_value(json_object_get(
                    json_array_get(json_object_get(results, "skipped"), 0), "reason")));
        remove_stale_plots(outdir, results, NULL, NULL, 0, -1, quiet);
        json_decref(results);
        return 0;
    }
    if (table_check(results, &err)) {
        fprintf(stderr, "%s: %s\n", results_file, hl_error_format(&err, message, sizeof message));
        json_decref(results);
        return 2;
    }

    /* Every table first: an invalid file must not leave half its plots. */
    plots = json_object_get(results, "plots");
    jobs = calloc(json_array_size(plots) * MAX_TRANSFER_PLOTS + 1, sizeof *jobs);
    if (!jobs) {
        fprintf(stderr, "harness-plot: out of memory\n");
        json_decref(results);
        return 1;
    }
    for (size_t i = 0; i < json_array_size(plots); i++) {
        const char *kind = json_string_value(json_array_get(plots, i));
        if (add_jobs(jobs, &job_count, kind, results, only_point, &err)) {
            fprintf(stderr, "%s: %s plot: %s\n", results_file, kind,
                    hl_error_format(&err, message, sizeof message));
            goto invalid;
        }
    }
    if (!quiet) {
        size_t points = table_transfer_runs(results, NULL, 0);
        if (job_count == 0)
            fprintf(stderr, "harness-plot: %s asks for no plots\n", results_file);
        for (size_t i = 0; i < json_array_size(plots); i++)
            if (table_kind_per_point(json_string_value(json_array_get(plots, i))) &&
                points > MAX_TRANSFER_PLOTS && only_point < 0)
                fprintf(stderr,
                        "harness-plot: %s: %zu points, plotting the first %d (-p N for "
                        "another)\n",
                        json_string_value(json_array_get(plots, i)), points, MAX_TRANSFER_PLOTS);
    }

    if (!outdir) {
        default_outdir(results_file, default_dir, sizeof default_dir);
        outdir = default_dir;
    }
    plot_dir = draw_plot_dir();
    if (job_count && files_make_dirs(outdir, &err)) {
        fprintf(stderr, "harness-plot: %s\n", hl_error_format(&err, message, sizeof message));
        free_jobs(jobs, job_count);
        json_decref(results);
        return 1;
    }

    drawn = calloc(job_count + 1, sizeof *drawn);
    if (!drawn) {
        fprintf(stderr, "harness-plot: out of memory\n");
        free_jobs(jobs, job_count);
        json_decref(results);
        return 1;
    }
    draw_catch_interrupts();
    for (size_t i = 0; i < job_count && !draw_interrupted(); i++) {
        if (draw_plot(&jobs[i], plot_dir, outdir, output, sizeof output, &err)) {
            if (draw_interrupted())
                break;
            fprintf(stderr, "harness-plot: %s\n", hl_error_format(&err, message, sizeof message));
            if (output[0])
                fprintf(stderr, "%s%s", output, output[strlen(output) - 1] == '\n' ? "" : "\n");
            failed++;
            continue;
        }
        if (!quiet) {
            /* gnuplot's warnings on a plot it did make still matter. */
            if (output[0])
                fprintf(stderr, "%s%s", output, output[strlen(output) - 1] == '\n' ? "" : "\n");
            fprintf(stderr, "harness-plot: wrote %s/%s.png and .svg\n", outdir, jobs[i].name);
        }
        drawn[i] = 1;
    }
    if (!draw_interrupted())
        remove_stale_plots(outdir, results, jobs, drawn, job_count, only_point, quiet);
    free(drawn);
    free_jobs(jobs, job_count);
    json_decref(results);
    if (draw_interrupted()) {
        fprintf(stderr, "harness-plot: interrupted; the plot under way was not written\n");
        return 130;
    }
    return failed ? 1 : 0;

invalid:
    free_jobs(jobs, job_count);
    json_decref(results);
    return 2;
}
