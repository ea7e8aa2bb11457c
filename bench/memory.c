/* memory.c: how memory grows with connections.
 *
 *   bench-memory BIN_DIR [SERVER_CLIENT_BOUND [RUNNER_BOUND [N ...]]]
 *
 * In a network namespace of its own (loopback only), for each N (default
 * 1000 and 10000):
 *   - harness-server by hand (accept and read at once) and harness-client
 *     by hand opening N connections and holding them all open until its
 *     duration ends, so both hold N sockets at their peak;
 *   - harness-run on the same point, which holds a record of every
 *     connection of the point while it builds the run (runlog.h).
 * Each one's peak resident set (wait4's ru_maxrss; for harness-run, the
 * largest process of its run, which is the runner itself) is printed. The
 * growth per connection between the smallest and the largest N must stay
 * within the bounds (bytes per connection; defaults 2048 for the server
 * and the client, ceilings about five times their measured growth, and
 * 4096 for the runner, about twice its: this point's 10,000 simultaneous
 * connects overflow the accept queue, and the flags on the ones that
 * waited for a SYN retransmit are part of its results; see docs/reliability.md).
 * Exit 0 within the bounds, 1 above one or on a failure, 77 (skip) without
 * the privilege to make a namespace or file descriptors enough. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "options.h"

#define SKIP 77
#define HOLD_MS 2000
#define MAX_SIZES 8

static const char *bin_dir;

/* Starts BIN_DIR/program with argv; its stderr to *err_fd when given. */
static pid_t start(const char *program, char **argv, int *err_fd)
{
    char path[4096];
    int fds[2] = {-1, -1};
    snprintf(path, sizeof path, "%s/%s", bin_dir, program);
    argv[0] = path;
    if (err_fd && pipe(fds) < 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0);
        dup2(null, 1);
        dup2(err_fd ? fds[1] : null, 2);
        execv(path, argv);
        _exit(127);
    }
    if (err_fd) {
        close(fds[1]);
        *err_fd = fds[0];
    }
    return pid;
}

/* Waits for pid; its peak resident set in KiB, or -1 if it failed. */
static long finish(pid_t pid, const char *what)
{
    int status;
    struct rusage usage;
    if (wait4(pid, &status, 0, &usage) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "bench-memory: the %s failed (status %d)\n", what, status);
        return -1;
    }
    return usage.ru_maxrss;
}

/* harness-run on one point of N connections held to the end. */
static long measure_runner(long connections)
{
    char scenario[] = "/tmp/bench-memory-XXXXXX.json", output[64];
    int fd = mkstemps(scenario, 5);
    if (fd < 0)
        return -1;
    dprintf(fd,
            "{\"server\": {\"backlog\": 4096}, \"client\": {\"connections\": %ld, "
            "\"hold_ms\": -1}, \"duration_ms\": %d, \"sample_ms\": 0}\n",
            connections, HOLD_MS);
    close(fd);
    snprintf(output, sizeof output, "%.*s.results.json", (int)strlen(scenario) - 5, scenario);
    char *argv[] = {NULL, scenario, "-o", output, "-q", NULL};
    long kib = finish(start("harness-run", argv, NULL), "runner");
    unlink(scenario);
    unlink(output);
    return kib;
}

/* Runs one size; fills the two peaks in KiB. */
static int measure(long connections, long *server_kib, long *client_kib)
{
    char count[32], address[64], line[512], hold[32];
    int err_fd;
    int port = 0;
    snprintf(count, sizeof count, "%ld", connections);
    char *server_argv[] = {NULL,       "--listen",    "127.0.0.1:0", "--backlog", "4096",
                           "--accept", "immediate",   "--read",      "immediate", "--duration-ms",
                           "600000",   "--sample-ms", "0",           NULL};
    pid_t server = start("harness-server", server_argv, &err_fd);
    /* the server says its port once it listens: wait for that line */
    FILE *err = fdopen(err_fd, "r");
    while (err && fgets(line, sizeof line, err))
        if (sscanf(line, "harness-server: listening on port %d", &port) == 1)
            break;
    if (port <= 0) {
        fprintf(stderr, "bench-memory: the server did not listen\n");
        kill(server, SIGKILL);
        waitpid(server, NULL, 0);
        return -1;
    }
    snprintf(address, sizeof address, "127.0.0.1:%d", port);
    snprintf(hold, sizeof hold, "%d", HOLD_MS);
    char *client_argv[] = {NULL, "--connect",     address, "--connections", count, "--hold-ms",
                           "-1", "--duration-ms", hold,    "--sample-ms",   "0",   NULL};
    pid_t client = start("harness-client", client_argv, NULL);
    *client_kib = finish(client, "client");
    kill(server, SIGTERM); /* by hand, SIGTERM ends the server's run */
    *server_kib = finish(server, "server");
    fclose(err);
    return *client_kib < 0 || *server_kib < 0 ? -1 : 0;
}

/* The sizes measured, the bounds, and each size's peaks in KiB. */
struct growth {
    long sizes[MAX_SIZES];
    int count;
    double bound, runner_bound; /* bytes per connection */
    long server_kib[MAX_SIZES], client_kib[MAX_SIZES], runner_kib[MAX_SIZES];
};

enum { OPTION_HELP };

static const struct option_spec options[] = {
    {OPTION_HELP, 'h', "help", NULL, "show this help"},
};

static void usage(FILE *out)
{
    fputs("usage: bench-memory BIN_DIR [BOUND [RUNNER_BOUND [N ...]]]\n"
          "Peak memory of harness-server, harness-client and harness-run at N connections\n"
          "(default 1000 and 10000), and the growth per connection between the smallest\n"
          "and the largest N against BOUND (server and client, default 2048 bytes) and\n"
          "RUNNER_BOUND (harness-run, default 4096). Needs root (a network namespace).\n"
          "Exit status: 0 within the bounds, 1 above one or on a failure, 2 usage,\n"
          "77 without a network namespace.\n",
          out);
}

/* The operands, in order: BIN_DIR, BOUND, RUNNER_BOUND, N... */
static void take_operand(int index, const char *value, struct growth *g)
{
    if (index == 0)
        bin_dir = value;
    else if (index == 1)
        g->bound = atof(value);
    else if (index == 2)
        g->runner_bound = atof(value);
    else if (index == 3)
        g->count = 0;
    if (index >= 3 && g->count < MAX_SIZES)
        g->sizes[g->count++] = atol(value);
}

/* Fills bin_dir and g from the command line; -1 to go on, or the exit
 * status (the help: 0; a mistake: 2, said on stderr). */
static int parse_options(int argc, char **argv, struct growth *g)
{
    struct options parser;
    struct hl_error err;
    const char *value;
    int id, operands = 0;
    options_init(&parser, options, sizeof options / sizeof options[0], argc, argv);
    while ((id = options_next(&parser, &value, &err)) != OPTIONS_END) {
        if (id == OPTIONS_ERROR) {
            usage(stderr);
            return 2;
        } else if (id == OPTION_HELP) {
            usage(stdout);
            return 0;
        }
        take_operand(operands++, value, g);
    }
    if (!bin_dir) {
        usage(stderr);
        return 2;
    }
    return -1;
}

/* 0, or -1 when a size needs more file descriptors than the hard limit
 * lets this process have (said on stderr). */
static int check_descriptors(const struct growth *g)
{
    struct rlimit limit;
    getrlimit(RLIMIT_NOFILE, &limit);
    for (int i = 0; i < g->count; i++)
        if (limit.rlim_max != RLIM_INFINITY && (rlim_t)g->sizes[i] + 64 > limit.rlim_max) {
            fprintf(stderr,
                    "SKIP: %ld connections need more file descriptors than the hard "
                    "limit, %llu\n",
                    g->sizes[i], (unsigned long long)limit.rlim_max);
            return -1;
        }
    return 0;
}

/* Every size, a line each; 0, or -1 on a failure. */
static int measure_all(struct growth *g)
{
    printf("%12s %12s %12s %12s\n", "connections", "server KiB", "client KiB", "runner KiB");
    for (int i = 0; i < g->count; i++) {
        if (measure(g->sizes[i], &g->server_kib[i], &g->client_kib[i]))
            return -1;
        if ((g->runner_kib[i] = measure_runner(g->sizes[i])) < 0)
            return -1;
        printf("%12ld %12ld %12ld %12ld\n", g->sizes[i], g->server_kib[i], g->client_kib[i],
               g->runner_kib[i]);
        fflush(stdout);
    }
    return 0;
}

/* The growth per connection from the smallest size to the largest; 1
 * when above a bound. */
static int check_growth(const struct growth *g)
{
    if (g->count < 2)
        return 0;
    int last = g->count - 1;
    double n = (double)(g->sizes[last] - g->sizes[0]);
    double server = (double)(g->server_kib[last] - g->server_kib[0]) * 1024 / n;
    double client = (double)(g->client_kib[last] - g->client_kib[0]) * 1024 / n;
    double runner = (double)(g->runner_kib[last] - g->runner_kib[0]) * 1024 / n;
    printf("per connection: server %.0f bytes, client %.0f bytes (bound %.0f), "
           "runner %.0f bytes (bound %.0f)\n",
           server, client, g->bound, runner, g->runner_bound);
    return server > g->bound || client > g->bound || runner > g->runner_bound;
}

int main(int argc, char **argv)
{
    struct growth g = {.sizes = {1000, 10000}, .count = 2, .bound = 2048, .runner_bound = 4096};
    int status = parse_options(argc, argv, &g);
    if (status >= 0)
        return status;
    if (unshare(CLONE_NEWNET) < 0 || bench_loopback_up() < 0) {
        fprintf(stderr, "SKIP: cannot make a network namespace here: %s\n", strerror(errno));
        return SKIP;
    }
    if (check_descriptors(&g) < 0)
        return SKIP;
    if (measure_all(&g) < 0)
        return 1;
    return check_growth(&g);
}
