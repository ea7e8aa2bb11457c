/* harness-run: validate a scenario, run its points, write its results.
 * --check validates and --plan shows the points and their time; neither
 * runs anything nor writes a file.
 * Exit status: 0 done, 1 a run failed (nothing written), 2 invalid
 * scenario or options (nothing written), 130 interrupted by SIGINT or
 * SIGTERM (the children stopped, nothing written). */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "half.h"
#include "suggest.h"
#include "plan.h"
#include "results.h"
#include "runner.h"
#include "scenario.h"
#include "version.h"

enum run_option_id {
    OPTION_OUTPUT,
    OPTION_NO_NETNS,
    OPTION_QUIET,
    OPTION_CHECK,
    OPTION_PLAN,
    OPTION_VERBOSE,
    OPTION_JSON,
    OPTION_MERGE,
    OPTION_HELP,
    OPTION_VERSION,
};

/* Every option, in the order --help lists them: the parser reads this
 * table too, so the help cannot miss one. */
static const struct run_option {
    enum run_option_id id;
    const char *short_name, *name, *arg, *help;
} run_options[] = {
    {OPTION_OUTPUT, "-o", "--output", "FILE", "results file (default: results/<scenario>.json)"},
    {OPTION_NO_NETNS, NULL, "--no-netns", NULL,
     "run on the host's network stack (no sysctls allowed)"},
    {OPTION_QUIET, "-q", "--quiet", NULL, "no progress lines"},
    {OPTION_CHECK, NULL, "--check", NULL,
     "validate each scenario given and run nothing; prints\n"
     "\"FILE: ok (N points x R repeats = M runs)\" or what is wrong"},
    {OPTION_PLAN, NULL, "--plan", NULL,
     "run nothing; print each point (sweep x repeat) with its swept\n"
     "values, its runs and how long they take, and the total"},
    {OPTION_VERBOSE, "-v", "--verbose", NULL, "with --plan: every resolved value of every point"},
    {OPTION_JSON, NULL, "--json", NULL, "with --plan: the plan as JSON (one scenario)"},
    {OPTION_MERGE, NULL, "--merge", NULL,
     "join SERVER_HALF and CLIENT_HALF (harness-server and harness-client\n"
     "--results, run by hand) into one results file (-o, needed)"},
    {OPTION_HELP, "-h", "--help", NULL, "show this help"},
    {OPTION_VERSION, NULL, "--version", NULL, "show the version"},
};

#define RUN_OPTION_COUNT (sizeof run_options / sizeof run_options[0])

static void usage(FILE *out)
{
    fprintf(out, "usage: harness-run SCENARIO.json [-o RESULTS.json] [--no-netns] [-q]\n"
                 "       harness-run --check SCENARIO.json...\n"
                 "       harness-run --plan [--verbose | --json] SCENARIO.json...\n"
                 "       harness-run --merge SERVER_HALF.json CLIENT_HALF.json -o RESULTS.json\n"
                 "Run every point of a scenario (sweep x repeat), each in a private network\n"
                 "namespace, and write one results file atomically.\n\n");
    for (size_t i = 0; i < RUN_OPTION_COUNT; i++) {
        const struct run_option *o = &run_options[i];
        char left[64];
        snprintf(left, sizeof left, "%s%s%s%s%s", o->short_name ? o->short_name : "",
                 o->short_name ? ", " : "    ", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
        /* a help text of several lines goes on under its first */
        const char *help = o->help;
        fprintf(out, "  %-20s ", left);
        while (*help) {
            size_t n = strcspn(help, "\n");
            fprintf(out, "%.*s\n", (int)n, help);
            help += n;
            if (*help == '\n' && *++help)
                fprintf(out, "  %-20s ", "");
        }
    }
    fprintf(out, "\nExit status: 0 done (or every scenario valid), 1 a run failed (nothing\n"
                 "written), 2 invalid scenario or options (FILE:LINE:COL: what is wrong;\n"
                 "nothing written), 130 interrupted by SIGINT (Ctrl-C) or SIGTERM (the\n"
                 "children stopped, nothing written).\n");
}

static void default_output(const char *scenario_file, char *out, size_t size)
{
    const char *base =
        strrchr(scenario_file, '/') ? strrchr(scenario_file, '/') + 1 : scenario_file;
    size_t stem = strlen(base);
    if (stem > 5 && strcmp(base + stem - 5, ".json") == 0)
        stem -= 5;
    snprintf(out, size, "results/%.*s.json", (int)stem, base);
}

static const struct run_option *find_option(const char *arg)
{
    size_t n = strcspn(arg, "=");
    for (size_t i = 0; i < RUN_OPTION_COUNT; i++) {
        const struct run_option *o = &run_options[i];
        if ((o->short_name && strcmp(arg, o->short_name) == 0) ||
            (strncmp(arg, o->name, n) == 0 && o->name[n] == '\0' && (arg[n] == '\0' || o->arg)))
            return o;
    }
    return NULL;
}

/* --check: each file valid or not; 0 when all are, 2 otherwise. */
static int check_files(char **files, int count)
{
    int status = 0;
    for (int i = 0; i < count; i++) {
        struct scenario scenario;
        struct hl_error err;
        char message[4096];
        if (scenario_load(&scenario, files[i], &err)) {
            fprintf(stderr, "%s\n", hl_error_format(&err, message, sizeof message));
            status = 2;
        } else {
            size_t points = scenario.point_count, runs = points * (size_t)scenario.repeat;
            printf("%s: ok (%zu point%s x %d repeat%s = %zu run%s)\n", files[i], points,
                   points == 1 ? "" : "s", scenario.repeat, scenario.repeat == 1 ? "" : "s", runs,
                   runs == 1 ? "" : "s");
        }
        fflush(stdout);
        scenario_free(&scenario);
    }
    return status;
}

/* --plan: each valid file's plan, and their total when there are several;
 * 0 when all are valid, 2 otherwise. */
static int plan_files(char **files, int count, int verbose, int as_json)
{
    int status = 0, printed = 0;
    long long runs = 0, min_ms = 0, max_ms = 0;
    for (int i = 0; i < count; i++) {
        struct scenario scenario;
        struct hl_error err;
        char message[4096];
        json_t *plan = NULL;
        if (scenario_load(&scenario, files[i], &err) || plan_build(&scenario, &plan, &err)) {
            fprintf(stderr, "%s\n", hl_error_format(&err, message, sizeof message));
            status = 2;
        } else if (as_json) {
            json_dumpf(plan, stdout, JSON_SORT_KEYS | JSON_INDENT(2));
            putchar('\n');
        } else {
            if (printed++)
                putchar('\n');
            plan_print(stdout, plan, verbose);
            runs += json_integer_value(json_object_get(plan, "runs"));
            min_ms += json_integer_value(json_object_get(plan, "min_ms"));
            max_ms += json_integer_value(json_object_get(plan, "max_ms"));
        }
        fflush(stdout);
        json_decref(plan);
        scenario_free(&scenario);
    }
    if (printed > 1) {
        char range[80];
        printf("\nall %d scenarios: %lld runs, %s\n", printed, runs,
               plan_format_range(min_ms, max_ms, range, sizeof range));
    }
    return status;
}

/* --merge: two halves into one results file; 0, 1 (not written) or 2
 * (wrong arguments). */
static int merge_files(char **files, int count, const char *output, int quiet)
{
    struct hl_error err;
    char message[4096];
    json_t *results = NULL;
    if (count != 2 || !output) {
        fprintf(stderr, "harness-run: --merge takes the server's half, then the client's, "
                        "and -o RESULTS.json\n");
        return 2;
    }
    if (results_check_writable(output, &err) || half_merge(files[0], files[1], &results, &err) ||
        results_write_atomic(output, results, &err)) {
        fprintf(stderr, "harness-run: %s\n", hl_error_format(&err, message, sizeof message));
        json_decref(results);
        return 1;
    }
    json_decref(results);
    if (!quiet)
        fprintf(stderr, "harness-run: wrote %s\n", output);
    return 0;
}

/* The progress lines: "NAME: point 2/9 LABEL", then what happened. */
static void print_place(const struct runner_place *at)
{
    const struct scenario *s = at->scenario;
    fprintf(stderr, "%s: point %zu/%zu%s%s", s->name, at->point + 1, s->point_count,
            at->label[0] ? " " : "", at->label);
}

static void print_host_stack(void *data, const struct hl_error *why)
{
    (void)data;
    fprintf(stderr,
            "harness-run: %s: %s; running on the host's network stack "
            "(counters and queues are shared with everything else on this host)\n",
            why->where, why->what);
}

static void print_run_done(void *data, const struct runner_place *at, const json_t *summary)
{
    (void)data;
    print_place(at);
    if (at->scenario->repeat > 1)
        fprintf(stderr, " (repeat %zu/%d)", at->repeat + 1, at->scenario->repeat);
#define N(key) (long long)json_integer_value(json_object_get(summary, key))
    fprintf(stderr,
            ": attempted %lld connected %lld accepted %lld refused %lld timed_out %lld "
            "reset %lld blocked_sends %lld sent %lld read %lld in %.2f s\n",
            N("attempted"), N("connected"), N("accepted"), N("refused"), N("timed_out"), N("reset"),
            N("blocked_sends"), N("bytes_sent"), N("bytes_read"), (double)N("elapsed_us") / 1e6);
#undef N
}

static void print_point_skipped(void *data, const struct runner_place *at, const char *reason)
{
    (void)data;
    print_place(at);
    fprintf(stderr, ": skipped: %s\n", reason);
}

static void print_nothing_measured(void *data, const struct scenario *scenario)
{
    (void)data;
    fprintf(stderr, "%s: every point skipped (the results say why); nothing was measured\n",
            scenario->name);
}

/* what the harness itself adds after the measurements (bench/) */
static void print_results_written(void *data, uint64_t connections, int64_t results_ns)
{
    (void)data;
    fprintf(stderr, "harness-run: results of %llu connections built and written in %.3f s\n",
            (unsigned long long)connections, (double)results_ns / 1e9);
}

int main(int argc, char **argv)
{
    const char *output = NULL;
    struct runner_progress progress = {.host_stack = print_host_stack};
    struct runner_options options = {.use_netns = 1, .progress = &progress};
    char default_path[PATH_MAX], exe[PATH_MAX], message[4096];
    struct hl_error err;
    struct scenario scenario;
    /* the scenario files, gathered at the front of argv: slot 1 + n is
     * never behind the argument being read */
    char **files = argv + 1;
    int file_count = 0, quiet = 0, check = 0, plan = 0, verbose = 0, as_json = 0, merge = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *value = NULL;
        if (a[0] != '-' || !a[1]) {
            files[file_count++] = argv[i];
            continue;
        }
        const struct run_option *o = find_option(a);
        if (!o) {
            const char *names[RUN_OPTION_COUNT + 1], *best;
            char word[64];
            for (size_t k = 0; k < RUN_OPTION_COUNT; k++)
                names[k] = run_options[k].name + 2;
            names[RUN_OPTION_COUNT] = NULL;
            const char *typed = a[1] == '-' ? a + 2 : a + 1;
            snprintf(word, sizeof word, "%.*s", (int)strcspn(typed, "="), typed);
            best = suggest_word(word, names);
            if (best)
                fprintf(stderr, "harness-run: unknown option %s; did you mean --%s? (see --help)\n",
                        a, best);
            else
                fprintf(stderr, "harness-run: unknown option %s (see --help)\n", a);
            return 2;
        }
        if (o->arg) {
            value = strchr(a, '=') && a[1] == '-' ? strchr(a, '=') + 1
                                                  : (i + 1 < argc ? argv[++i] : NULL);
            if (!value) {
                fprintf(stderr, "harness-run: %s needs a %s\n", o->name,
                        o->id == OPTION_OUTPUT ? "file name" : o->arg);
                return 2;
            }
        }
        switch (o->id) {
        case OPTION_HELP:
            usage(stdout);
            return 0;
        case OPTION_VERSION:
            printf("harness-run %s\n", HARNESS_VERSION);
            return 0;
        case OPTION_OUTPUT:
            output = value;
            break;
        case OPTION_NO_NETNS:
            options.use_netns = 0;
            break;
        case OPTION_QUIET:
            quiet = 1;
            break;
        case OPTION_CHECK:
            check = 1;
            break;
        case OPTION_PLAN:
            plan = 1;
            break;
        case OPTION_VERBOSE:
            verbose = 1;
            break;
        case OPTION_JSON:
            as_json = 1;
            break;
        case OPTION_MERGE:
            merge = 1;
            break;
        }
    }
    if (merge)
        return merge_files(files, file_count, output, quiet);
    if (check && plan) {
        fprintf(stderr, "harness-run: --check or --plan, not both (--plan checks too)\n");
        return 2;
    }
    if ((verbose || as_json) && !plan) {
        fprintf(stderr, "harness-run: %s goes with --plan\n", verbose ? "--verbose" : "--json");
        return 2;
    }
    if ((check || plan) && output) {
        fprintf(stderr, "harness-run: %s runs nothing and writes no results: leave out -o\n",
                check ? "--check" : "--plan");
        return 2;
    }
    if (file_count == 0) {
        usage(stderr);
        return 2;
    }
    if (check)
        return check_files(files, file_count);
    if (plan && as_json && verbose) {
        fprintf(stderr, "harness-run: --json holds every value already: leave out --verbose\n");
        return 2;
    }
    if (plan && as_json && file_count > 1) {
        fprintf(stderr, "harness-run: --plan --json takes one scenario (got %d)\n", file_count);
        return 2;
    }
    if (plan)
        return plan_files(files, file_count, verbose, as_json);
    if (file_count > 1) {
        fprintf(stderr,
                "harness-run: one scenario at a time (got %s and %s); --check and --plan "
                "take several\n",
                files[0], files[1]);
        return 2;
    }
    const char *scenario_file = files[0];
    if (scenario_load(&scenario, scenario_file, &err)) {
        fprintf(stderr, "%s\n", hl_error_format(&err, message, sizeof message));
        scenario_free(&scenario);
        return 2;
    }
    if (!output) {
        default_output(scenario_file, default_path, sizeof default_path);
        output = default_path;
    }
    if (results_check_writable(output, &err)) {
        fprintf(stderr, "harness-run: %s\n", hl_error_format(&err, message, sizeof message));
        scenario_free(&scenario);
        return 1;
    }
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = '\0';
    options.bin_dir = dirname(exe);

    options.output = output;
    if (!quiet) {
        progress.run_done = print_run_done;
        progress.point_skipped = print_point_skipped;
        progress.nothing_measured = print_nothing_measured;
        progress.results_written = print_results_written;
    }
    int rc = runner_run(&options, &scenario, &err);
    scenario_free(&scenario);
    if (rc) {
        fprintf(stderr, "harness-run: %s\n", hl_error_format(&err, message, sizeof message));
        return rc == -EINTR ? 130 : 1;
    }
    if (!quiet)
        fprintf(stderr, "harness-run: wrote %s\n", output);
    return 0;
}
