/* harness-run: validate a scenario, run its points (or, with --shard K/N,
 * every N-th of them), write its results.
 * --check validates and --plan shows the points and their time; neither
 * runs anything nor writes a file. --merge joins two halves made by hand,
 * --merge-shards the shards of one scenario (shards.h).
 * Exit status: 0 done, 1 a run failed (nothing written), 2 invalid
 * scenario or options (nothing written), 130 interrupted by SIGINT or
 * SIGTERM (the children stopped, nothing written). */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "half.h"
#include "options.h"
#include "plan.h"
#include "program.h"
#include "results.h"
#include "run_progress.h"
#include "runner.h"
#include "scenario.h"
#include "shards.h"
#include "slots.h"
#include "version.h"

enum run_option_id {
    OPTION_OUTPUT,
    OPTION_NO_NETNS,
    OPTION_JOBS,
    OPTION_QUIET,
    OPTION_CHECK,
    OPTION_PLAN,
    OPTION_VERBOSE,
    OPTION_JSON,
    OPTION_MERGE,
    OPTION_SHARD,
    OPTION_MERGE_SHARDS,
    OPTION_HELP,
    OPTION_VERSION,
    OPTION_NO_PROGRAMS,
};

/* Every option, in the order --help lists them: the parser reads this
 * table too, so the help cannot miss one. */
static const struct option_spec run_options[] = {
    {OPTION_OUTPUT, 'o', "output", "FILE", "results file (default: results/<scenario>.json)"},
    {OPTION_NO_NETNS, 0, "no-netns", NULL,
     "run on the host's network stack, whose counters count\n"
     "the whole host (summary.kernel_scope \"host\" says so);\n"
     "no sysctls, no veth. Without it, a run that cannot make\n"
     "a private network namespace is refused"},
    {OPTION_JOBS, 'j', "jobs", "N",
     "measure up to N runs side by side, each in namespaces of its\n"
     "own (default: 4 per CPU); a point that loads the CPU or is\n"
     "timing-sensitive runs alone (--plan says which and why);\n"
     "1: one after another. Every harness-run on this machine\n"
     "shares the same N slots; --no-netns runs one at a time"},
    {OPTION_NO_PROGRAMS, 0, "no-programs", NULL,
     "refuse a scenario that runs a program of its own\n"
     "(server.command or client.command), rather than run it"},
    {OPTION_QUIET, 'q', "quiet", NULL, "no progress lines"},
    {OPTION_CHECK, 0, "check", NULL,
     "validate each scenario given and run nothing; prints\n"
     "\"FILE: ok (N points x R repeats = M runs)\" or what is wrong,\n"
     "and a warning for a value set that the sweep replaces"},
    {OPTION_PLAN, 0, "plan", NULL,
     "run nothing; print each point (sweep x repeat) with its swept\n"
     "values, its runs and how long they take, and the total"},
    {OPTION_VERBOSE, 'v', "verbose", NULL, "with --plan: every resolved value of every point"},
    {OPTION_JSON, 0, "json", NULL, "with --plan: the plan as JSON (one scenario)"},
    {OPTION_MERGE, 0, "merge", NULL,
     "join SERVER_HALF and CLIENT_HALF (harness-server and harness-client\n"
     "--results, run by hand) into one results file (-o, needed); more\n"
     "pairs after them: the point's further repeats, in order"},
    {OPTION_SHARD, 0, "shard", "K/N",
     "measure only shard K of N (K from 1): the points i (from 0)\n"
     "with i % N = K-1; the results file says which (\"shard\")"},
    {OPTION_MERGE_SHARDS, 0, "merge-shards", NULL,
     "join the N shard files of one scenario (each made with\n"
     "--shard K/N) into the results file one run would have\n"
     "written (-o, needed); refuses shards of different scenarios\n"
     "or versions of it, overlaps and missing shards (exit 2)"},
    {OPTION_HELP, 'h', "help", NULL, "show this help"},
    {OPTION_VERSION, 0, "version", NULL, "show the version"},
};

#define RUN_OPTION_COUNT (sizeof run_options / sizeof run_options[0])

static void usage(FILE *out)
{
    fprintf(out, "Usage: harness-run SCENARIO.json [-o RESULTS.json] [-j N] [--no-netns] "
                 "[--no-programs] [-q]\n"
                 "  or:  harness-run --check SCENARIO.json...\n"
                 "  or:  harness-run --plan [--verbose | --json] SCENARIO.json...\n"
                 "  or:  harness-run --merge SERVER_HALF.json CLIENT_HALF.json [SERVER CLIENT]... "
                 "-o RESULTS.json\n"
                 "  or:  harness-run SCENARIO.json --shard K/N -o SHARD.json\n"
                 "  or:  harness-run --merge-shards SHARD.json... -o RESULTS.json\n"
                 "Run every point of a scenario (sweep x repeat), each in a private network\n"
                 "namespace, and write one results file atomically.\n\n");
    options_print(out, run_options, RUN_OPTION_COUNT, 20);
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

/* What a valid scenario says that will not happen as written (a value its
 * sweep replaces in every point): one line each, before anything runs. */
static void print_notes(const struct scenario *scenario)
{
    char message[2048];
    for (size_t i = 0; i < scenario->note_count; i++)
        fprintf(stderr, "%s\n", hl_error_format(&scenario->notes[i], message, sizeof message));
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
            print_notes(&scenario);
            char program[2048];
            printf("%s: ok (%zu point%s x %d repeat%s = %zu run%s)\n", files[i], points,
                   points == 1 ? "" : "s", scenario.repeat, scenario.repeat == 1 ? "" : "s", runs,
                   runs == 1 ? "" : "s");
            program_describe(&scenario, program, sizeof program);
            if (program[0])
                printf("%s: %s\n", files[i], program);
        }
        fflush(stdout);
        scenario_free(&scenario);
    }
    return status;
}

/* Prints one scenario's plan (as JSON or as text) and adds its time to
 * the totals; returns its runs. */
static long long plan_add(json_t *plan, int as_json, int verbose, int *printed, long long *min_ms,
                          long long *max_ms)
{
    if (as_json) {
        json_dumpf(plan, stdout, JSON_SORT_KEYS | JSON_INDENT(2));
        putchar('\n');
        return 0;
    }
    if ((*printed)++)
        putchar('\n');
    plan_print(stdout, plan, verbose);
    *min_ms += json_integer_value(json_object_get(plan, "min_ms"));
    *max_ms += json_integer_value(json_object_get(plan, "max_ms"));
    return json_integer_value(json_object_get(plan, "runs"));
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
        } else {
            print_notes(&scenario);
            runs += plan_add(plan, as_json, verbose, &printed, &min_ms, &max_ms);
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

/* --merge: pairs of halves, the repeats of one point, into one results
 * file; 0, 1 (not written) or 2 (wrong arguments). */
static int merge_files(char **files, int count, const char *output, int quiet)
{
    struct hl_error err;
    char message[4096];
    json_t *results = NULL;
    if (count < 2 || count % 2 != 0 || !output) {
        fprintf(stderr, "harness-run: --merge takes the server's half, then the client's "
                        "(and more such pairs: the point's further repeats), and -o "
                        "RESULTS.json\n");
        return 2;
    }
    if (results_check_writable(output, &err) ||
        half_merge(files, (size_t)count / 2, &results, &err) ||
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

/* --merge-shards: the shards of one scenario into one results file; 0, 1
 * (not written) or 2 (wrong arguments, or shards that do not make one
 * sweep). */
static int merge_shard_files(char **files, int count, const char *output, int quiet)
{
    struct hl_error err;
    char message[4096];
    json_t *results = NULL;
    if (count < 1 || !output) {
        fprintf(stderr, "harness-run: --merge-shards takes the shard files of one scenario "
                        "and -o RESULTS.json\n");
        return 2;
    }
    if (results_check_writable(output, &err) ||
        shards_merge(files, (size_t)count, &results, &err)) {
        fprintf(stderr, "harness-run: %s\n", hl_error_format(&err, message, sizeof message));
        return 2;
    }
    if (results_write_atomic(output, results, &err)) {
        fprintf(stderr, "harness-run: %s\n", hl_error_format(&err, message, sizeof message));
        json_decref(results);
        return 1;
    }
    json_decref(results);
    if (!quiet)
        fprintf(stderr, "harness-run: wrote %s from %d shard%s\n", output, count,
                count == 1 ? "" : "s");
    return 0;
}

/* What harness-run was asked to do. */
struct command {
    const char *output;
    long long jobs; /* 0: the default */
    int no_netns, no_programs, quiet, check, plan, verbose, as_json, merge, merge_shards;
    struct shard shard; /* count 0: no --shard */
    char **files;       /* the operands */
    int file_count;
};

/* CONTINUE, or the exit status when the arguments already decide it
 * (--help, --version, a mistake). */
enum { CONTINUE = -1 };

static int parse_arguments(int argc, char **argv, struct command *c)
{
    struct options parser;
    struct hl_error err;
    char message[4096];
    const char *value;
    int id;
    memset(c, 0, sizeof *c);
    /* the operands, gathered at the front of argv: slot 1 + n is never
     * behind the argument being read */
    c->files = argv + 1;
    options_init(&parser, run_options, RUN_OPTION_COUNT, argc, argv);
    while ((id = options_next(&parser, &value, &err)) != OPTIONS_END) {
        switch (id) {
        case OPTIONS_OPERAND:
            c->files[c->file_count++] = (char *)value;
            break;
        case OPTIONS_ERROR:
            fprintf(stderr, "harness-run: %s\n", hl_error_format(&err, message, sizeof message));
            return 2;
        case OPTION_HELP:
            usage(stdout);
            return 0;
        case OPTION_VERSION:
            printf("harness-run %s\n", HARNESS_VERSION);
            return 0;
        case OPTION_OUTPUT:
            c->output = value;
            break;
        case OPTION_NO_PROGRAMS:
            c->no_programs = 1;
            break;
        case OPTION_NO_NETNS:
            c->no_netns = 1;
            break;
        case OPTION_JOBS:
            if (options_integer(&parser, value, 1, 1024, &c->jobs, &err) < 0) {
                fprintf(stderr, "harness-run: %s\n",
                        hl_error_format(&err, message, sizeof message));
                return 2;
            }
            break;
        case OPTION_QUIET:
            c->quiet = 1;
            break;
        case OPTION_CHECK:
            c->check = 1;
            break;
        case OPTION_PLAN:
            c->plan = 1;
            break;
        case OPTION_VERBOSE:
            c->verbose = 1;
            break;
        case OPTION_JSON:
            c->as_json = 1;
            break;
        case OPTION_MERGE:
            c->merge = 1;
            break;
        case OPTION_MERGE_SHARDS:
            c->merge_shards = 1;
            break;
        case OPTION_SHARD:
            if (shard_parse(value, &c->shard, &err)) {
                fprintf(stderr, "harness-run: %s\n",
                        hl_error_format(&err, message, sizeof message));
                return 2;
            }
            break;
        }
    }
    return CONTINUE;
}

/* "harness-run: what is wrong" for a usage mistake; returns 2. */
static int mistake(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int mistake(const char *fmt, ...)
{
    va_list ap;
    fputs("harness-run: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return 2;
}

/* Options that do not go together, and more scenarios than the mode
 * takes: 2 with a message; CONTINUE otherwise. */
static int check_usage(const struct command *c)
{
    if (c->check && c->plan)
        return mistake("--check or --plan, not both (--plan checks too)");
    if (c->shard.count && (c->check || c->plan))
        return mistake("--shard goes with a run, not with %s", c->check ? "--check" : "--plan");
    if (c->shard.count && !c->output)
        return mistake("--shard needs -o SHARD.json: a shard is not the scenario's results, and "
                       "results/ holds one file per scenario (--merge-shards makes it)");
    if ((c->verbose || c->as_json) && !c->plan)
        return mistake("%s goes with --plan", c->verbose ? "--verbose" : "--json");
    if ((c->check || c->plan) && c->output)
        return mistake("%s runs nothing and writes no results: leave out -o",
                       c->check ? "--check" : "--plan");
    if (c->file_count == 0) {
        usage(stderr);
        return 2;
    }
    if (c->plan && c->as_json && c->verbose)
        return mistake("--json holds every value already: leave out --verbose");
    if (c->plan && c->as_json && c->file_count > 1)
        return mistake("--plan --json takes one scenario (got %d)", c->file_count);
    if (!c->check && !c->plan && c->file_count > 1)
        return mistake("one scenario at a time (got %s and %s); --check and --plan take several",
                       c->files[0], c->files[1]);
    return CONTINUE;
}

/* The one scenario run: 0, 1 (a run failed, or the results file cannot be
 * written), 2 (invalid scenario) or 130 (interrupted). */
static int run_scenario(const struct command *c)
{
    struct runner_progress progress = {0};
    struct runner_options options = {
        .use_netns = !c->no_netns, .no_programs = c->no_programs, .progress = &progress};
    options.jobs = options.slots = c->jobs ? (int)c->jobs : slots_default();
    char default_path[PATH_MAX], exe[PATH_MAX], message[4096];
    struct scenario scenario;
    struct hl_error err;
    if (!c->quiet)
        run_progress_lines(&progress);
    if (scenario_load(&scenario, c->files[0], &err)) {
        fprintf(stderr, "%s\n", hl_error_format(&err, message, sizeof message));
        scenario_free(&scenario);
        return 2;
    }
    print_notes(&scenario);
    if (c->shard.count > (long long)scenario.point_count) {
        fprintf(stderr,
                "harness-run: --shard %lld/%lld: %s has %zu point%s, so at most %zu shards\n",
                c->shard.index, c->shard.count, c->files[0], scenario.point_count,
                scenario.point_count == 1 ? "" : "s", scenario.point_count);
        scenario_free(&scenario);
        return 2;
    }
    options.shard = c->shard;
    options.output = c->output;
    if (!options.output) {
        default_output(c->files[0], default_path, sizeof default_path);
        options.output = default_path;
    }
    if (results_check_writable(options.output, &err)) {
        fprintf(stderr, "harness-run: %s\n", hl_error_format(&err, message, sizeof message));
        scenario_free(&scenario);
        return 1;
    }
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = '\0';
    options.bin_dir = dirname(exe);
    int rc = runner_run(&options, &scenario, &err);
    scenario_free(&scenario);
    if (rc) {
        fprintf(stderr, "harness-run: %s\n", hl_error_format(&err, message, sizeof message));
        return rc == -EINTR ? 130 : 1;
    }
    if (!c->quiet)
        fprintf(stderr, "harness-run: wrote %s\n", options.output);
    return 0;
}

int main(int argc, char **argv)
{
    struct command c;
    int status = parse_arguments(argc, argv, &c);
    if (status != CONTINUE)
        return status;
    if (c.merge && (c.merge_shards || c.shard.count))
        return mistake("--merge joins two halves: it goes with neither --merge-shards nor --shard");
    if (c.merge)
        return merge_files(c.files, c.file_count, c.output, c.quiet);
    if (c.merge_shards && c.shard.count)
        return mistake("--merge-shards joins shards made before: leave out --shard");
    if (c.merge_shards)
        return merge_shard_files(c.files, c.file_count, c.output, c.quiet);
    if ((status = check_usage(&c)) != CONTINUE)
        return status;
    if (c.check)
        return check_files(c.files, c.file_count);
    if (c.plan)
        return plan_files(c.files, c.file_count, c.verbose, c.as_json);
    return run_scenario(&c);
}
