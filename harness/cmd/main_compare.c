/* harness-compare: two or more result sets side by side (compare.h), their
 * overlay plots (overlay.h) and a page to browse them (report.h).
 *
 * Writes OUT_DIR/compare.json, OUT_DIR/<scenario>/<kind>.{dat,png,svg} and
 * OUT_DIR/index.html, and prints one line per scenario compared. Marked
 * differences are findings, not failures.
 *
 * Exit status: 0 compared, 1 something could not be written (a plot
 * gnuplot failed to draw, the output directory), 2 bad usage or input (a
 * directory missing, empty or holding an invalid results file; nothing
 * written). */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "compare_view.h"
#include "draw.h"
#include "error.h"
#include "atomic.h"
#include "files.h"
#include "options.h"
#include "overlay.h"
#include "report.h"
#include "resultset.h"
#include "version.h"

#define DEFAULT_REFERENCE_ROOT "results/reference"
#define DEFAULT_RESULTS "results"
#define DEFAULT_OUTPUT "results/compare"

enum compare_option_id {
    OPTION_OUTPUT,
    OPTION_LABEL,
    OPTION_NO_PLOTS,
    OPTION_QUIET,
    OPTION_HELP,
    OPTION_VERSION
};

/* Every option, in the order --help lists them. */
static const struct option_spec compare_options[] = {
    {OPTION_OUTPUT, 'o', "output", "OUT_DIR",
     "where to write (default: " DEFAULT_OUTPUT "): compare.json,\n"
     "<scenario>/<kind>.dat, .png and .svg, index.html"},
    {OPTION_LABEL, 'l', "label", "NAME",
     "what to call a set on the plots and the page, once per set in\n"
     "order (default: its directory's name)"},
    {OPTION_NO_PLOTS, 0, "no-plots", NULL, "no overlay plots: compare.json and index.html only"},
    {OPTION_QUIET, 'q', "quiet", NULL, "only the summary lines"},
    {OPTION_HELP, 'h', "help", NULL, "show this help"},
    {OPTION_VERSION, 0, "version", NULL, "show the version"},
};

#define COMPARE_OPTION_COUNT (sizeof compare_options / sizeof compare_options[0])

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: harness-compare [A_DIR B_DIR [C_DIR ...]] [-l NAME]... [-o OUT_DIR]\n"
            "                       [--no-plots] [-q] [--help]\n"
            "Compare directories of results files, scenario by scenario (matched by name)\n"
            "and point by point (matched by their sweep values): their summaries side by\n"
            "side, with the differences beyond the runs' spread marked, and overlay plots\n"
            "(every set on one chart). With more than two sets (up to %d) each is compared\n"
            "with the first, the baseline.\n\n"
            "With no directories, A is the reference set for this kernel (%s/<uname -r>,\n"
            "else the only or the newest set there) and B is %s/.\n\n",
            COMPARE_MAX_SETS, DEFAULT_REFERENCE_ROOT, DEFAULT_RESULTS);
    options_print(out, compare_options, COMPARE_OPTION_COUNT, 21);
    fprintf(out,
            "\nExit status: 0 compared (whether or not anything is marked), 1 something could\n"
            "not be written, 2 bad usage or input (nothing written).\n");
}

/* What the command line asks for. */
struct compare_command {
    const char *dirs[COMPARE_MAX_SETS], *labels[COMPARE_MAX_SETS], *outdir;
    size_t count, label_count;
    int quiet, plots;
    char reference[PATH_MAX];
    char names[COMPARE_MAX_SETS][COMPARE_NAME_SIZE]; /* compare_set_names() */
};

/* Checks the labels against the sets: one per set, or none; each its
 * own. Returns -1 to go on, else 2 (said why). */
static int check_labels(const struct compare_command *cmd)
{
    size_t sets = cmd->count ? cmd->count : 2;
    if (cmd->label_count && cmd->label_count != sets) {
        fprintf(stderr, "harness-compare: %zu --label for %zu sets: give one per set, in order\n",
                cmd->label_count, sets);
        return 2;
    }
    for (size_t i = 0; i < cmd->label_count; i++) {
        if (!cmd->labels[i][0] || strlen(cmd->labels[i]) >= COMPARE_NAME_SIZE) {
            fprintf(stderr, "harness-compare: --label '%s': 1 to %d characters\n", cmd->labels[i],
                    COMPARE_NAME_SIZE - 1);
            return 2;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(cmd->labels[i], cmd->labels[j]) == 0) {
                fprintf(stderr, "harness-compare: --label '%s' given twice: each set its own\n",
                        cmd->labels[i]);
                return 2;
            }
    }
    return -1;
}

/* Fills cmd; returns -1 to go on, else the exit status (help shown, or a
 * mistake reported). */
static int parse_command_line(int argc, char **argv, struct compare_command *cmd)
{
    struct options parser;
    struct hl_error err;
    const char *value;
    char message[2048];
    int id;

    memset(cmd, 0, sizeof *cmd);
    cmd->outdir = DEFAULT_OUTPUT;
    cmd->plots = 1;
    options_init(&parser, compare_options, COMPARE_OPTION_COUNT, argc, argv);
    while ((id = options_next(&parser, &value, &err)) != OPTIONS_END) {
        switch (id) {
        case OPTIONS_ERROR:
            fprintf(stderr, "harness-compare: %s\n",
                    hl_error_format(&err, message, sizeof message));
            return 2;
        case OPTION_HELP:
            usage(stdout);
            return 0;
        case OPTION_VERSION:
            printf("harness-compare %s\n", HARNESS_VERSION);
            return 0;
        case OPTION_OUTPUT:
            cmd->outdir = value;
            break;
        case OPTION_LABEL:
            if (cmd->label_count == COMPARE_MAX_SETS) {
                fprintf(stderr, "harness-compare: at most %d --label\n", COMPARE_MAX_SETS);
                return 2;
            }
            cmd->labels[cmd->label_count++] = value;
            break;
        case OPTION_NO_PLOTS:
            cmd->plots = 0;
            break;
        case OPTION_QUIET:
            cmd->quiet = 1;
            break;
        case OPTIONS_OPERAND:
            if (cmd->count == COMPARE_MAX_SETS) {
                fprintf(stderr, "harness-compare: at most %d directories (got another: %s)\n",
                        COMPARE_MAX_SETS, value);
                return 2;
            }
            cmd->dirs[cmd->count++] = value;
            break;
        }
    }
    if (cmd->count == 1) {
        fprintf(stderr, "harness-compare: give two directories or more, or none (the "
                        "reference set and results/)\n");
        return 2;
    }
    return check_labels(cmd);
}

/* With no directories given: the reference set for this kernel and
 * results/. Returns -1 to go on, else the exit status. */
static int choose_default_sets(struct compare_command *cmd)
{
    struct hl_error err;
    char message[2048];
    if (cmd->count)
        return -1;
    hl_error_clear(&err);
    if (resultset_pick_reference(DEFAULT_REFERENCE_ROOT, cmd->reference, sizeof cmd->reference,
                                 &err)) {
        fprintf(stderr, "harness-compare: %s\n", hl_error_format(&err, message, sizeof message));
        return 2;
    }
    cmd->dirs[0] = cmd->reference;
    cmd->dirs[1] = DEFAULT_RESULTS;
    cmd->count = 2;
    return -1;
}

/* " {sweep} field a -> b;" for each point of a pair with a marked field
 * (preceded by " C:" when prefix is given: more than two sets). */
static void print_marks(const json_t *pair, const char *prefix)
{
    const json_t *p, *name;
    size_t j, k;
    json_array_foreach(json_object_get(pair, "points"), j, p)
    {
        if (!json_array_size(json_object_get(p, "marked")))
            continue;
        char *sweep = json_dumps(json_object_get(p, "sweep"), JSON_COMPACT);
        printf("%s%s %s", prefix ? " " : "", prefix ? prefix : "", sweep ? sweep : "?");
        free(sweep);
        json_array_foreach(json_object_get(p, "marked"), k, name)
        {
            const json_t *f =
                json_object_get(json_object_get(p, "fields"), json_string_value(name));
            const json_t *ma = json_object_get(json_object_get(f, "a"), "median");
            const json_t *mb = json_object_get(json_object_get(f, "b"), "median");
            printf(" %s %g -> %g", json_string_value(name), ma ? json_number_value(ma) : NAN,
                   mb ? json_number_value(mb) : NAN);
        }
        printf(";");
    }
}

/* One scenario's line: how many points matched and what is marked. */
static void print_scenario(const struct compare_view *view, const json_t *s)
{
    struct compare_view_scenario vs;
    json_int_t marked = json_integer_value(json_object_get(s, "marked"));
    size_t rows;
    compare_view_scenario(view, s, &vs);
    free(compare_view_rows(view, &vs, &rows));
    printf("%s: %zu point%s compared", json_string_value(json_object_get(s, "name")), rows,
           rows == 1 ? "" : "s");
    if (view->count == 2 && (json_array_size(json_object_get(s, "only_in_a")) ||
                             json_array_size(json_object_get(s, "only_in_b"))))
        printf(" (%zu in A only, %zu in B only)", json_array_size(json_object_get(s, "only_in_a")),
               json_array_size(json_object_get(s, "only_in_b")));
    if (!marked) {
        printf(", no difference beyond the runs' spread\n");
        return;
    }
    printf(", %" JSON_INTEGER_FORMAT " difference%s marked:", marked, marked == 1 ? "" : "s");
    for (size_t k = 1; k < view->count; k++) {
        char prefix[COMPARE_NAME_SIZE + 8];
        snprintf(prefix, sizeof prefix, "%s (%s):", view->letters[k], view->names[k]);
        if (vs.pairs[k])
            print_marks(vs.pairs[k], view->count > 2 ? prefix : NULL);
    }
    printf("\n");
}

/* One line per scenario, then those not compared. */
static void print_summary(const struct compare_view *view, const json_t *comparison)
{
    const json_t *s, *name;
    size_t i;
    json_array_foreach(json_object_get(comparison, "scenarios"), i, s) print_scenario(view, s);
    if (view->count == 2) {
        json_array_foreach(json_object_get(comparison, "only_in_a"), i, name)
            printf("%s: in A only, not compared\n", json_string_value(name));
        json_array_foreach(json_object_get(comparison, "only_in_b"), i, name)
            printf("%s: in B only, not compared\n", json_string_value(name));
        return;
    }
    for (size_t k = 1; k < view->count; k++) {
        json_array_foreach(json_object_get(view->sets[k], "only_in_baseline"), i, name) printf(
            "%s: not in %s (%s)\n", json_string_value(name), view->letters[k], view->names[k]);
        json_array_foreach(json_object_get(view->sets[k], "not_in_baseline"), i, name)
            printf("%s: in %s (%s), not in the baseline: not compared\n", json_string_value(name),
                   view->letters[k], view->names[k]);
    }
}

static int load(struct resultset *set, const char *dir, const char *which)
{
    struct hl_error err;
    char message[2048];
    hl_error_clear(&err);
    if (resultset_load(set, dir, &err)) {
        fprintf(stderr, "harness-compare: %s: %s\n", which,
                hl_error_format(&err, message, sizeof message));
        return -1;
    }
    if (set->count == 0) {
        fprintf(stderr, "harness-compare: %s: %s holds no results files%s\n", which, dir,
                strcmp(dir, DEFAULT_RESULTS) == 0 ? " (make experiments writes them)" : "");
        resultset_free(set);
        return -1;
    }
    return 0;
}

/* What the overlays' drawing reports, counted and said. */
struct overlay_progress {
    int quiet;
    size_t failed;
};

/* draw_plots' report: a failure always, a plot drawn unless -q. */
static void report_overlay(const struct draw_outcome *outcome, void *data)
{
    struct overlay_progress *progress = data;
    char message[2048];
    const char *output = outcome->output;
    if (outcome->failed) {
        fprintf(stderr, "harness-compare: %s\n",
                hl_error_format(outcome->err, message, sizeof message));
        if (output[0])
            fprintf(stderr, "%s%s", output, output[strlen(output) - 1] == '\n' ? "" : "\n");
        progress->failed++;
    } else if (!progress->quiet) {
        fprintf(stderr, "harness-compare: wrote %s/%s.png and .svg\n", outcome->outdir,
                outcome->job->name);
    }
}

/* The overlays of every scenario compared, each in OUT_DIR/<the baseline's
 * stem>/. Returns -1 to go on, else the exit status (outdir, an
 * interrupt). */
static int draw_overlays(const struct compare_command *cmd, const struct compare_view *view,
                         json_t *comparison, struct resultset *sets,
                         struct overlay_progress *progress)
{
    const char *plot_dir = draw_plot_dir();
    struct hl_error err;
    char message[2048];
    json_t *s;
    size_t i;

    hl_error_clear(&err);
    draw_catch_interrupts();
    json_array_foreach(json_object_get(comparison, "scenarios"), i, s)
    {
        const char *name = json_string_value(json_object_get(s, "name"));
        struct compare_view_scenario vs;
        struct overlay_input in = {view, &vs, {NULL}};
        char dir[PATH_MAX];
        compare_view_scenario(view, s, &vs);
        for (size_t k = 0; k < cmd->count; k++) {
            const struct resultset_entry *e = resultset_find(&sets[k], name);
            in.results[k] = e && (k == 0 || vs.pairs[k]) ? e->results : NULL;
        }
        snprintf(dir, sizeof dir, "%s/%s", cmd->outdir, compare_view_stem(&vs, cmd->count, 0));
        if (overlay_draw(&in, s, dir, plot_dir, report_overlay, progress, &err)) {
            fprintf(stderr, "harness-compare: %s\n",
                    hl_error_format(&err, message, sizeof message));
            return draw_interrupted() ? 130 : 1;
        }
    }
    return -1;
}

/* compare.json, then the page that links it. Returns -1 to go on, else
 * the exit status. */
static int write_comparison(const struct compare_command *cmd, const struct compare_view *view,
                            const json_t *comparison)
{
    struct hl_error err;
    char path[PATH_MAX + 16], message[2048];
    hl_error_clear(&err);
    snprintf(path, sizeof path, "%s/compare.json", cmd->outdir);
    char *text = json_dumps(comparison, JSON_SORT_KEYS | JSON_INDENT(2));
    int rc = text ? atomic_write_text(path, text, strlen(text), &err)
                  : hl_error_set(&err, path, "out of memory");
    free(text);
    if (rc || report_compare_page(comparison, view, cmd->outdir, &err)) {
        fprintf(stderr, "harness-compare: %s\n", hl_error_format(&err, message, sizeof message));
        return 1;
    }
    return -1;
}

/* Two sets: compare_sets() (compare.json as it always was); more:
 * compare_many(), each against the first (new reference). */
static json_t *compare_all(const struct compare_command *cmd, const struct resultset *sets)
{
    const struct resultset *list[COMPARE_MAX_SETS];
    const char *names[COMPARE_MAX_SETS];
    if (cmd->count == 2)
        return compare_sets(&sets[0], &sets[1]);
    for (size_t k = 0; k < cmd->count; k++) {
        list[k] = &sets[k];
        names[k] = cmd->names[k];
    }
    return compare_many(list, names, cmd->count);
}

/* Compares the sets, draws, writes and says what is marked; the exit
 * status. */
static int compare(const struct compare_command *cmd, struct resultset *sets)
{
    struct overlay_progress progress = {cmd->quiet, 0};
    json_t *comparison = compare_all(cmd, sets);
    const char *names[COMPARE_MAX_SETS];
    struct compare_view view;
    struct hl_error err;
    char message[2048];
    int status = -1;

    for (size_t k = 0; k < cmd->count; k++)
        names[k] = cmd->names[k];
    compare_view_init(&view, comparison, names);
    hl_error_clear(&err);
    if (files_make_dirs(cmd->outdir, &err)) {
        fprintf(stderr, "harness-compare: %s\n", hl_error_format(&err, message, sizeof message));
        status = 1;
    }
    if (status < 0 && cmd->plots)
        status = draw_overlays(cmd, &view, comparison, sets, &progress);
    if (status < 0)
        status = write_comparison(cmd, &view, comparison);
    if (status < 0) {
        print_summary(&view, comparison);
        if (!cmd->quiet)
            fprintf(stderr, "harness-compare: wrote %s/index.html and %s/compare.json\n",
                    cmd->outdir, cmd->outdir);
        status = 0;
    }
    if (status == 0 && progress.failed) {
        fprintf(stderr, "harness-compare: %zu plot%s could not be drawn\n", progress.failed,
                progress.failed == 1 ? "" : "s");
        status = 1;
    }
    json_decref(comparison);
    return status;
}

int main(int argc, char **argv)
{
    struct compare_command cmd;
    struct resultset sets[COMPARE_MAX_SETS];
    size_t loaded = 0;
    int status = parse_command_line(argc, argv, &cmd);

    if (status < 0)
        status = choose_default_sets(&cmd);
    if (status >= 0)
        return status;
    compare_set_names(cmd.dirs, cmd.label_count ? cmd.labels : NULL, cmd.count, cmd.names);
    for (; loaded < cmd.count; loaded++) {
        char which[4] = {(char)('A' + loaded), '\0'};
        if (load(&sets[loaded], cmd.dirs[loaded], which))
            break;
    }
    if (loaded == cmd.count) {
        if (!cmd.quiet)
            for (size_t k = 0; k < cmd.count; k++)
                fprintf(stderr, "harness-compare: %c = %s (%s)%s\n", (char)('A' + k), cmd.dirs[k],
                        cmd.names[k], k == 0 && cmd.count > 2 ? ", the baseline" : "");
        status = compare(&cmd, sets);
    } else {
        status = 2;
    }
    while (loaded > 0)
        resultset_free(&sets[--loaded]);
    return status;
}
