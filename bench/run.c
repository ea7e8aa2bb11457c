/* run.c: `make bench`: the harness's own cost, each figure against a peer
 * measured in the same run.
 *
 *   bench-run BUILD_DIR [--repeat N] [--no-suite] [--only SECTION,...] [--verbose]
 *
 * A harness slower than the kernel it studies measures itself. Each row
 * is a figure of the harness, its peer's figure, their ratio and the
 * target for that ratio; the table goes to stdout and the exit status is
 * 1 when a target is missed (2 on a usage error, 77 without the privilege
 * to make network namespaces). Figures that vary run to run are measured
 * --repeat times (default 3; at least 15 for throughput and for the runs
 * with and without observation, which vary most, each pair led in turn by
 * the harness and by its peer), the harness and its peer back to back: the
 * table shows the median of each, and as the ratio the median of the pairs'
 * ratios (what drifts between pairs cancels).
 *
 * What each section measures, and how: bench.h. Everything runs in
 * network namespaces of its own; host sysctls are never touched. */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "bench.h"
#include "command.h"
#include "common.h"
#include "options.h"

#define SKIP 77
#define GO_ON -1 /* not an exit status: main goes on */
#define NOISY_PAIRS 15

/* Which sections run. */
struct choice {
    const char *only; /* --only: the sections named in it; NULL: all */
    int suite;        /* 0 after --no-suite */
};

static const struct {
    const char *name;
    void (*run)(struct bench *b);
} sections[] = {{"throughput", bench_throughput},
                {"rate", bench_rate},
                {"scale", bench_scale},
                {"sequential", bench_sequential},
                {"observation", bench_observation},
                {"idle", bench_idle},
                {"suite", bench_suite}};

enum { OPTION_REPEAT, OPTION_NO_SUITE, OPTION_ONLY, OPTION_VERBOSE, OPTION_HELP };

static const struct option_spec options[] = {
    {OPTION_REPEAT, 0, "repeat", "N",
     "runs of each figure (default 3; at least 15 for the\n"
     "transfers and the runs with and without observation)"},
    {OPTION_NO_SUITE, 0, "no-suite", NULL, "leave out the timing of `make experiments`"},
    {OPTION_ONLY, 0, "only", "SECTIONS",
     "only these, comma-separated: throughput, rate, scale,\n"
     "sequential, observation, idle, suite"},
    {OPTION_VERBOSE, 0, "verbose", NULL, "every pair of measurements on stderr"},
    {OPTION_HELP, 'h', "help", NULL, "show this help"},
};

#define OPTION_COUNT (sizeof options / sizeof options[0])

static void usage(FILE *out)
{
    fputs("usage: bench-run BUILD_DIR [--repeat N] [--no-suite] [--only SECTION,...] [--verbose]\n"
          "The harness's own cost, each figure against a peer measured in the same run\n"
          "(`make bench`); one table on stdout.\n"
          "\n",
          out);
    options_print(out, options, OPTION_COUNT, 20);
    fputs("\n"
          "Exit status: 0 every target met, 1 a target missed, 2 usage or iperf3 missing,\n"
          "77 without the privilege to make network namespaces.\n",
          out);
}

/* Fills b and choice from the command line; GO_ON, or the exit status
 * (the help: 0; a mistake: 2, said on stderr). */
static int parse_options(int argc, char **argv, struct bench *b, struct choice *choice)
{
    struct options parser;
    struct hl_error err;
    const char *value;
    int id;
    options_init(&parser, options, OPTION_COUNT, argc, argv);
    while ((id = options_next(&parser, &value, &err)) != OPTIONS_END) {
        if (id == OPTIONS_ERROR) {
            fprintf(stderr, "bench-run: %s: %s\n", err.where, err.what);
            return 2;
        } else if (id == OPTION_HELP) {
            usage(stdout);
            return 0;
        } else if (id == OPTIONS_OPERAND && b->build_dir) {
            fprintf(stderr, "bench-run: %s: one BUILD_DIR only (see --help)\n", value);
            return 2;
        } else if (id == OPTIONS_OPERAND) {
            b->build_dir = value;
        } else if (id == OPTION_REPEAT) {
            b->repeat = atoi(value);
        } else if (id == OPTION_NO_SUITE) {
            choice->suite = 0;
        } else if (id == OPTION_ONLY) {
            choice->only = value;
        } else if (id == OPTION_VERBOSE) {
            b->figures.verbose = 1;
        }
    }
    if (!b->build_dir) {
        usage(stderr);
        return 2;
    }
    if (b->repeat < 1 || b->repeat > MAX_REPEAT) {
        fprintf(stderr, "bench-run: --repeat takes 1 to %d\n", MAX_REPEAT);
        return 2;
    }
    return GO_ON;
}

/* This process in a network namespace of its own, iperf3 found, a scratch
 * directory made; GO_ON, or the exit status (said on stderr). */
static int prepare(struct bench *b)
{
    ssize_t self_length = readlink("/proc/self/exe", b->self_path, sizeof b->self_path - 1);
    b->self_path[self_length > 0 ? self_length : 0] = '\0';
    /* the sources are where this was configured from */
    b->source_dir = getenv("BENCH_SOURCE_DIR") ? getenv("BENCH_SOURCE_DIR") : BENCH_SOURCE_DIR;
    if (unshare(CLONE_NEWNET) < 0) {
        fprintf(stderr, "SKIP: cannot make a network namespace here (run as root): %s\n",
                strerror(errno));
        return SKIP;
    }
    bench_loopback_up();
    if (command_find_on_path("iperf3", b->iperf3_path, sizeof b->iperf3_path) < 0) {
        fprintf(stderr, "bench-run: iperf3 is missing (tools/install-deps --bench)\n");
        return 2;
    }
    snprintf(b->temp_dir, sizeof b->temp_dir, "%s/bench-run.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(b->temp_dir)) {
        perror("bench-run: mkdtemp");
        return 1;
    }
    return GO_ON;
}

int bench_noisy_pairs(const struct bench *b)
{
    return b->repeat < NOISY_PAIRS ? NOISY_PAIRS : b->repeat;
}

static void run_sections(struct bench *b, const struct choice *choice)
{
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
        const char *name = sections[i].name;
        int chosen = choice->only ? strstr(choice->only, name) != NULL
                                  : strcmp(name, "suite") != 0 || choice->suite;
        if (chosen)
            sections[i].run(b);
    }
}

static int remove_dir(const char *dir)
{
    char command[600];
    snprintf(command, sizeof command, "rm -rf '%s'", dir);
    return system(command);
}

static void print_machine(FILE *out)
{
    char model[256] = "unknown CPU", line[512];
    FILE *f = fopen("/proc/cpuinfo", "r");
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "model name", 10) == 0) {
            const char *colon = strchr(line, ':');
            snprintf(model, sizeof model, "%s", colon ? colon + 2 : line);
            model[strcspn(model, "\n")] = '\0';
            break;
        }
    if (f)
        fclose(f);
    struct utsname u;
    uname(&u);
    double load[3] = {0, 0, 0};
    getloadavg(load, 3);
    fprintf(out, "machine: %s, %ld CPUs, Linux %s; load average %.2f %.2f %.2f\n", model,
            sysconf(_SC_NPROCESSORS_ONLN), u.release, load[0], load[1], load[2]);
}

/* The table on stdout; the exit status: 1 when a target was missed. */
static int print_report(const struct bench *b, int64_t start_ns)
{
    int missed, targets = figures_targets(&b->figures, &missed);
    printf("\n");
    print_machine(stdout);
    printf("repeats: %d (throughput, with and without: %d), medians (ratio: median of pairs); "
           "%.0f s in all\n\n",
           b->repeat, bench_noisy_pairs(b), (double)(bench_now_ns() - start_ns) / 1e9);
    figures_print(&b->figures, stdout);
    printf("\n%d of %d targets met\n", targets - missed, targets);
    return missed ? 1 : 0;
}

int main(int argc, char **argv)
{
    static struct bench b = {.repeat = 3};
    struct choice choice = {NULL, 1};
    if (argc > 2 && strcmp(argv[1], "--peak") == 0)
        return command_peak(argv + 2);
    int status = parse_options(argc, argv, &b, &choice);
    if (status == GO_ON)
        status = prepare(&b);
    if (status != GO_ON)
        return status;
    int64_t start_ns = bench_now_ns();
    print_machine(stderr);
    run_sections(&b, &choice);
    remove_dir(b.temp_dir);
    return print_report(&b, start_ns);
}
