/* harness-compare: two result sets side by side (compare.h), their overlay
 * plots (overlay.h) and a page to browse them (report.h).
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
#include "draw.h"
#include "error.h"
#include "atomic.h"
#include "files.h"
#include "overlay.h"
#include "report.h"
#include "resultset.h"

#define DEFAULT_REFERENCE_ROOT "results/reference"
#define DEFAULT_RESULTS "results"
#define DEFAULT_OUTPUT "results/compare"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: harness-compare [A_DIR B_DIR] [-o OUT_DIR] [--no-plots] [-q] [--help]\n"
            "Compare two directories of results files, scenario by scenario (matched by\n"
            "name) and point by point (matched by their sweep values): their summaries side\n"
            "by side, with the differences beyond the runs' spread marked, and overlay\n"
            "plots (A and B on one chart).\n\n"
            "With no directories, A is the reference set for this kernel (%s/<uname -r>,\n"
            "else the only or the newest set there) and B is %s/.\n\n"
            "  -o, --output OUT_DIR  where to write (default: %s): compare.json,\n"
            "                        <scenario>/<kind>.dat, .png and .svg, index.html\n"
            "      --no-plots        no overlay plots: compare.json and index.html only\n"
            "  -q, --quiet           only the summary lines\n"
            "  -h, --help            show this help\n\n"
            "Exit status: 0 compared (whether or not anything is marked), 1 something could\n"
            "not be written, 2 bad usage or input (nothing written).\n",
            DEFAULT_REFERENCE_ROOT, DEFAULT_RESULTS, DEFAULT_OUTPUT);
}

/* One line per scenario: how many points matched and what is marked. */
static void print_summary(const json_t *comparison)
{
    const json_t *s, *p, *name;
    size_t i, j, k;
    json_array_foreach(json_object_get(comparison, "scenarios"), i, s)
    {
        json_int_t marked = json_integer_value(json_object_get(s, "marked"));
        printf("%s: %zu point%s compared", json_string_value(json_object_get(s, "name")),
               json_array_size(json_object_get(s, "points")),
               json_array_size(json_object_get(s, "points")) == 1 ? "" : "s");
        if (json_array_size(json_object_get(s, "only_in_a")) ||
            json_array_size(json_object_get(s, "only_in_b")))
            printf(" (%zu in A only, %zu in B only)",
                   json_array_size(json_object_get(s, "only_in_a")),
                   json_array_size(json_object_get(s, "only_in_b")));
        if (!marked) {
            printf(", no difference beyond the runs' spread\n");
            continue;
        }
        printf(", %" JSON_INTEGER_FORMAT " difference%s marked:", marked, marked == 1 ? "" : "s");
        json_array_foreach(json_object_get(s, "points"), j, p)
        {
            if (!json_array_size(json_object_get(p, "marked")))
                continue;
            char *sweep = json_dumps(json_object_get(p, "sweep"), JSON_COMPACT);
            printf(" %s", sweep ? sweep : "?");
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
        printf("\n");
    }
    json_array_foreach(json_object_get(comparison, "only_in_a"), i, name)
        printf("%s: in A only, not compared\n", json_string_value(name));
    json_array_foreach(json_object_get(comparison, "only_in_b"), i, name)
        printf("%s: in B only, not compared\n", json_string_value(name));
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

int main(int argc, char **argv)
{
    const char *dirs[2] = {NULL, NULL}, *outdir = DEFAULT_OUTPUT;
    char reference[PATH_MAX], message[2048];
    int quiet = 0, plots = 1, ndirs = 0, status = 0;
    size_t failed = 0;
    struct resultset a, b;
    struct hl_error err;
    json_t *comparison, *s;
    size_t i;

    hl_error_clear(&err);
    for (int k = 1; k < argc; k++) {
        const char *arg = argv[k];
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(arg, "-o") == 0 || strcmp(arg, "--output") == 0) {
            if (++k == argc) {
                fprintf(stderr, "harness-compare: %s needs a directory\n", arg);
                return 2;
            }
            outdir = argv[k];
        } else if (strcmp(arg, "--no-plots") == 0) {
            plots = 0;
        } else if (strcmp(arg, "-q") == 0 || strcmp(arg, "--quiet") == 0) {
            quiet = 1;
        } else if (arg[0] == '-' && arg[1]) {
            fprintf(stderr, "harness-compare: unknown option %s (see --help)\n", arg);
            return 2;
        } else if (ndirs < 2) {
            dirs[ndirs++] = arg;
        } else {
            fprintf(stderr, "harness-compare: two directories, A and B (got a third: %s)\n", arg);
            return 2;
        }
    }
    if (ndirs == 1) {
        fprintf(stderr, "harness-compare: give both A_DIR and B_DIR, or neither (the "
                        "reference set and results/)\n");
        return 2;
    }
    if (ndirs == 0) {
        if (resultset_pick_reference(DEFAULT_REFERENCE_ROOT, reference, sizeof reference, &err)) {
            fprintf(stderr, "harness-compare: %s\n",
                    hl_error_format(&err, message, sizeof message));
            return 2;
        }
        dirs[0] = reference;
        dirs[1] = DEFAULT_RESULTS;
    }
    if (load(&a, dirs[0], "A"))
        return 2;
    if (load(&b, dirs[1], "B")) {
        resultset_free(&a);
        return 2;
    }
    if (!quiet)
        fprintf(stderr, "harness-compare: A = %s, B = %s\n", dirs[0], dirs[1]);

    comparison = compare_sets(&a, &b);
    if (files_make_dirs(outdir, &err)) {
        fprintf(stderr, "harness-compare: %s\n", hl_error_format(&err, message, sizeof message));
        status = 1;
        goto out;
    }
    if (plots) {
        const char *plot_dir = draw_plot_dir();
        draw_catch_interrupts();
        json_array_foreach(json_object_get(comparison, "scenarios"), i, s)
        {
            const char *name = json_string_value(json_object_get(s, "name"));
            char dir[PATH_MAX];
            snprintf(dir, sizeof dir, "%s/%s", outdir,
                     json_string_value(json_object_get(s, "a_stem")));
            if (overlay_draw(resultset_find(&a, name)->results, resultset_find(&b, name)->results,
                             s, dir, plot_dir, quiet, &failed, &err)) {
                fprintf(stderr, "harness-compare: %s\n",
                        hl_error_format(&err, message, sizeof message));
                status = draw_interrupted() ? 130 : 1;
                goto out;
            }
        }
    }
    /* the page links compare.json: write that first */
    char path[PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/compare.json", outdir);
    char *text = json_dumps(comparison, JSON_SORT_KEYS | JSON_INDENT(2));
    int rc = text ? atomic_write_text(path, text, strlen(text), &err)
                  : hl_error_set(&err, path, "out of memory");
    free(text);
    if (rc || report_compare_page(comparison, outdir, &err)) {
        fprintf(stderr, "harness-compare: %s\n", hl_error_format(&err, message, sizeof message));
        status = 1;
        goto out;
    }
    print_summary(comparison);
    if (!quiet)
        fprintf(stderr, "harness-compare: wrote %s/index.html and %s/compare.json\n", outdir,
                outdir);
    if (failed) {
        fprintf(stderr, "harness-compare: %zu plot%s could not be drawn\n", failed,
                failed == 1 ? "" : "s");
        status = 1;
    }
out:
    json_decref(comparison);
    resultset_free(&a);
    resultset_free(&b);
    return status;
}
