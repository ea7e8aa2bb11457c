/* harness-plot: results JSON -> data tables -> gnuplot -> PNG and SVG.
 *
 * Every table is built in memory before anything is written, so an invalid
 * results file leaves the output directory as it was (plots.h). Each kind
 * of plot is one gnuplot script in the plot directory (plot/<kind>.gp)
 * that reads one table (<kind>.dat); gnuplot draws the PNG and the SVG
 * under temporary names that are renamed once it exited cleanly (draw.h),
 * so a reader never sees half a picture. Once drawn, plots of an earlier
 * results file that these results do not draw are removed
 * (plots_remove_stale).
 *
 * Exit status: 0 all plots written, 1 a plot could not be written (gnuplot
 * failed, or the output directory), 2 bad usage or an unreadable or invalid
 * results file (FILE: what is wrong; nothing written). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "draw.h"
#include "error.h"
#include "files.h"
#include "options.h"
#include "plotkind.h"
#include "plots.h"
#include "table.h"
#include "version.h"

#define STRINGIFY(x) #x
#define NUMBER_TEXT(x) STRINGIFY(x)

enum plot_option_id { OPTION_DIR, OPTION_POINT, OPTION_QUIET, OPTION_HELP, OPTION_VERSION };

/* Every option, in the order --help lists them. */
static const struct option_spec plot_options[] = {
    {OPTION_DIR, 'd', "dir", "OUTDIR",
     "where to write (default: RESULTS without .json, e.g.\n"
     "results/x.json -> results/x/; created if missing)"},
    {OPTION_POINT, 'p', "point", "N",
     "draw the timelines (transfer, queues, accept_queue) of\n"
     "point N only (default: every point, at most " NUMBER_TEXT(PLOTS_MAX_TIMELINES) ")"},
    {OPTION_QUIET, 'q', "quiet", NULL, "no line per plot written"},
    {OPTION_HELP, 'h', "help", NULL, "show this help"},
    {OPTION_VERSION, 0, "version", NULL, "show the version"},
};

#define PLOT_OPTION_COUNT (sizeof plot_options / sizeof plot_options[0])

/* The kinds, from the registry (plotkinds.h): those drawn once for the
 * sweep, then the timelines. */
static void print_kinds(FILE *out)
{
    const char *heads[] = {"\nKinds, one plot for the sweep:",
                           "Timelines, one per point (<kind>-p<N>):"};
    for (int drawn = PLOT_PER_SWEEP; drawn <= PLOT_PER_POINT; drawn++) {
        fputs(heads[drawn == PLOT_PER_POINT], out);
        for (int id = 0; id < PLOT_KIND_COUNT; id++)
            if (plot_kind_rules((enum plot_kind_id)id)->drawn == (enum plot_drawn)drawn)
                fprintf(out, " %s", plot_kind_rules((enum plot_kind_id)id)->name);
        fputc('\n', out);
    }
}

static void usage(FILE *out)
{
    fprintf(out, "Usage: harness-plot RESULTS.json [-d OUTDIR] [-p POINT] [-q] [--help]\n"
                 "Turn a results file into data tables and plots: for every kind in its\n"
                 "\"plots\" list, OUTDIR/<kind>.dat, OUTDIR/<kind>.png and OUTDIR/<kind>.svg\n"
                 "(drawn by gnuplot with the script <kind>.gp in the plot directory).\n\n");
    options_print(out, plot_options, PLOT_OPTION_COUNT, 17);
    print_kinds(out);
    fputs("Plot files of known kinds in OUTDIR that these results do not draw (left\n"
          "by an earlier results file) are removed; with -p, those of other points\n"
          "that still exist stay.\n\n"
          "Environment: HARNESS_PLOT_DIR names the plot scripts' directory; without\n"
          "it, an installed harness-plot reads ../share/backlog-lab/plot beside its\n"
          "own bin directory, one run from its build tree the source tree's plot/.\n\n"
          "Exit status: 0 done, 1 a plot could not be written (gnuplot's message is\n"
          "shown), 2 bad usage or an unreadable or invalid results file.\n",
          out);
}

/* What the command line asks for. */
struct plot_command {
    const char *results_file, *outdir;
    long long only_point; /* -p N; -1: every point */
    int quiet;
    char default_dir[PATH_MAX];
};

/* results/x.json -> results/x; a name without .json gets ".plots". */
static void default_outdir(const char *results_file, char *out, size_t size)
{
    size_t n = strlen(results_file);
    if (n > 5 && strcmp(results_file + n - 5, ".json") == 0)
        snprintf(out, size, "%.*s", (int)(n - 5), results_file);
    else
        snprintf(out, size, "%s.plots", results_file);
}

/* Fills cmd; returns -1 to go on, else the exit status (help shown, or a
 * mistake reported). */
static int parse_command_line(int argc, char **argv, struct plot_command *cmd)
{
    struct options parser;
    struct hl_error err;
    const char *value;
    char message[2048];
    int id;

    memset(cmd, 0, sizeof *cmd);
    cmd->only_point = -1;
    options_init(&parser, plot_options, PLOT_OPTION_COUNT, argc, argv);
    while ((id = options_next(&parser, &value, &err)) != OPTIONS_END) {
        switch (id) {
        case OPTIONS_ERROR:
            fprintf(stderr, "harness-plot: %s\n", hl_error_format(&err, message, sizeof message));
            return 2;
        case OPTION_HELP:
            usage(stdout);
            return 0;
        case OPTION_VERSION:
            printf("harness-plot %s\n", HARNESS_VERSION);
            return 0;
        case OPTION_DIR:
            cmd->outdir = value;
            break;
        case OPTION_QUIET:
            cmd->quiet = 1;
            break;
        case OPTION_POINT:
            if (options_integer(&parser, value, 0, LLONG_MAX, &cmd->only_point, &err) < 0) {
                fprintf(stderr, "harness-plot: %s\n",
                        hl_error_format(&err, message, sizeof message));
                return 2;
            }
            break;
        case OPTIONS_OPERAND:
            if (cmd->results_file) {
                fprintf(stderr, "harness-plot: one results file at a time (got %s and %s)\n",
                        cmd->results_file, value);
                return 2;
            }
            cmd->results_file = value;
            break;
        }
    }
    if (!cmd->results_file) {
        usage(stderr);
        return 2;
    }
    if (!cmd->outdir) {
        default_outdir(cmd->results_file, cmd->default_dir, sizeof cmd->default_dir);
        cmd->outdir = cmd->default_dir;
    }
    return -1;
}

/* The results file, or NULL once said why. */
static json_t *load_results(const char *path)
{
    json_error_t jerr;
    FILE *f = fopen(path, "re");
    json_t *results;
    if (!f) {
        fprintf(stderr, "%s: cannot read: %s\n", path, strerror(errno));
        return NULL;
    }
    results = json_loadf(f, JSON_REJECT_DUPLICATES, &jerr);
    fclose(f);
    if (!results)
        fprintf(stderr, "%s: not valid JSON at line %d, column %d: %s\n", path, jerr.line,
                jerr.column, jerr.text);
    return results;
}

/* What the plots leave out: none asked for, timelines past the first
 * PLOTS_MAX_TIMELINES points. */
static void note_left_out(const struct plot_command *cmd, const json_t *results, size_t jobs)
{
    const json_t *plots = json_object_get(results, "plots");
    size_t points = table_timeline_runs(results, NULL, 0);
    if (cmd->quiet)
        return;
    if (jobs == 0)
        fprintf(stderr, "harness-plot: %s asks for no plots\n", cmd->results_file);
    for (size_t i = 0; i < json_array_size(plots); i++) {
        const char *name = json_string_value(json_array_get(plots, i));
        if (plot_kind_find(name)->drawn == PLOT_PER_POINT && points > PLOTS_MAX_TIMELINES &&
            cmd->only_point < 0)
            fprintf(stderr,
                    "harness-plot: %s: %zu points, plotting the first %d (-p N for "
                    "another)\n",
                    name, points, PLOTS_MAX_TIMELINES);
    }
}

/* gnuplot's own lines, as it printed them. */
static void print_gnuplot_output(const char *output)
{
    if (output[0])
        fprintf(stderr, "%s%s", output, output[strlen(output) - 1] == '\n' ? "" : "\n");
}

/* draw_plots' report: a failure always, a plot drawn unless -q. */
static void report_plot(const struct draw_outcome *outcome, void *data)
{
    const struct plot_command *cmd = data;
    char message[2048];
    if (outcome->failed) {
        fprintf(stderr, "harness-plot: %s\n",
                hl_error_format(outcome->err, message, sizeof message));
        print_gnuplot_output(outcome->output);
    } else if (!cmd->quiet) {
        /* gnuplot's warnings on a plot it did make still matter. */
        print_gnuplot_output(outcome->output);
        fprintf(stderr, "harness-plot: wrote %s/%s.png and .svg\n", outcome->outdir,
                outcome->job->name);
    }
}

/* plots_remove_stale's report, unless -q. */
static void report_removed(const char *path, void *data)
{
    (void)data;
    fprintf(stderr, "harness-plot: removed %s (not a plot of these results)\n", path);
}

/* Every point skipped (its link needs a qdisc the kernel lacks): nothing
 * was measured, which is no error; the results say why. The folder is
 * made all the same, where make marks the plots done. */
static int plot_nothing_measured(const struct plot_command *cmd, const json_t *results)
{
    struct hl_error err;
    char message[2048];
    struct plots none = {NULL, 0};
    hl_error_clear(&err);
    if (files_make_dirs(cmd->outdir, &err)) {
        fprintf(stderr, "harness-plot: %s\n", hl_error_format(&err, message, sizeof message));
        return 1;
    }
    fprintf(stderr, "%s: every point was skipped (%s); nothing to plot\n", cmd->results_file,
            json_string_value(
                json_object_get(json_array_get(json_object_get(results, "skipped"), 0), "reason")));
    plots_remove_stale(cmd->outdir, results, &none, NULL, -1, cmd->quiet ? NULL : report_removed,
                       NULL);
    return 0;
}

/* Draws the jobs into outdir and removes the stale plots; the exit status. */
static int draw_jobs(struct plot_command *cmd, const json_t *results, const struct plots *list)
{
    struct hl_error err;
    char message[2048];
    int *drawn;
    size_t failed;

    hl_error_clear(&err);
    if (list->count && files_make_dirs(cmd->outdir, &err)) {
        fprintf(stderr, "harness-plot: %s\n", hl_error_format(&err, message, sizeof message));
        return 1;
    }
    drawn = calloc(list->count + 1, sizeof *drawn);
    if (!drawn) {
        fprintf(stderr, "harness-plot: out of memory\n");
        return 1;
    }
    draw_catch_interrupts();
    failed =
        draw_plots(list->jobs, list->count, draw_plot_dir(), cmd->outdir, drawn, report_plot, cmd);
    if (!draw_interrupted())
        plots_remove_stale(cmd->outdir, results, list, drawn, cmd->only_point,
                           cmd->quiet ? NULL : report_removed, NULL);
    free(drawn);
    if (draw_interrupted()) {
        fprintf(stderr, "harness-plot: interrupted; the plot under way was not written\n");
        return 130;
    }
    return failed ? 1 : 0;
}

/* Checks the results, builds every table, then draws; the exit status. */
static int plot(struct plot_command *cmd, const json_t *results)
{
    struct plots plots = {NULL, 0};
    struct hl_error err;
    char message[2048];
    int rc, status;

    hl_error_clear(&err);
    rc = table_check(results, &err);
    if (!rc)
        rc = plots_build(&plots, results, cmd->only_point, &err);
    if (rc == -ENOMEM) {
        fprintf(stderr, "harness-plot: out of memory\n");
        status = 1;
    } else if (rc) {
        fprintf(stderr, "%s: %s\n", cmd->results_file,
                hl_error_format(&err, message, sizeof message));
        status = 2;
    } else {
        note_left_out(cmd, results, plots.count);
        status = draw_jobs(cmd, results, &plots);
    }
    plots_free(&plots);
    return status;
}

int main(int argc, char **argv)
{
    struct plot_command cmd;
    json_t *results;
    int status = parse_command_line(argc, argv, &cmd);

    if (status >= 0)
        return status;
    results = load_results(cmd.results_file);
    if (!results)
        return 2;
    if (json_array_size(json_object_get(results, "runs")) == 0 &&
        json_array_size(json_object_get(results, "skipped")) > 0)
        status = plot_nothing_measured(&cmd, results);
    else
        status = plot(&cmd, results);
    json_decref(results);
    return status;
}
