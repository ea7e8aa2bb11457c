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
 * the harness and by its peer), the harness and its peer back to back: the table shows the median
 * of each, and as the ratio the median of the pairs' ratios (what drifts between pairs cancels).
 *
 * What is measured, and how:
 *   throughput  one connection sending 2 GiB over loopback with default
 *               buffers, the reader reading at once, sender and reader on
 *               one CPU (all of them, harness and peers: see
 *               bench_throughput): the harness's bytes_read over the time
 *               from the connection's outcome (connect done, first send)
 *               to the server's EOF (last read), from its own results; the
 *               peers: bench-stream-reference --nonblocking (the same
 *               non-blocking send() and recv(64 KiB) on epoll, without
 *               the records; from first send to EOF) and iperf3 -n 2G
 *               -l SIZE (its receiver's bits_per_second; -l sets the
 *               reads too) at every size; a blocking send() loop is
 *               shown beside at 128 KiB, without
 *               a target (a blocking send() larger than the room left
 *               sleeps and copies on in the kernel, which no event loop
 *               that must see the send block can do);
 *   rate        20,000 connections, 64 in flight, accepted at once and
 *               closed by the client after connect: the harness's
 *               attempted / (last closed_us - first start_us) from its
 *               results; the peer: bench-connect-reference, the same from
 *               its first connect() to its last close();
 *   scale       10,000 connections, 1,000 in flight, 1 KiB each: attempted
 *               / elapsed_us (end to end), nothing lost, and the largest
 *               peak RSS of harness-run, harness-server and harness-client
 *               (wait4 reports the largest of a process and the children
 *               it reaped; see peak());
 *   100,000     sequential connection attempts (one at a time) in one point:
 *               all connected, the runner's time to build and write the
 *               results (it says so on stderr), its peak RSS, and the time
 *               harness-plot takes on the file;
 *   observation what sampling every 10 ms and the event log cost:
 *               measured, sampling_us + logging_us of the throughput and
 *               rate runs as a share of their cpu_us (the target for the
 *               transfer, CPU-bound on one CPU); and compared,
 *               harness-server (under --control, as harness-run drives
 *               it) and harness-client by hand with events to files and
 *               samples every 10 ms against --no-events --sample-ms 0: the
 *               client's wall time (the same start-up cost in both) for
 *               the 2 GiB transfer (one CPU; its runs vary too much to
 *               resolve 2%: shown only) and the 20,000 connections (the
 *               target; server and client on a CPU each);
 *   idle        points that only wait (a server that never accepts; a
 *               reader that never reads): the CPU time of runner, server and
 *               client over 2.5 s in the middle (/proc/PID/stat), the
 *               busiest of the three;
 *   suite       the default `make experiments`, plots included, in a
 *               scratch directory (results/ is left alone).
 * Everything runs in network namespaces of its own; host sysctls are
 * never touched. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

#define SKIP 77
#define MAX_ROWS 40
#define MAX_REPEAT 25
#define GIB (1ull << 30)

static const char *build_dir, *source_dir;
static char temp_dir[256];
static int repeat = 3;
static char self_path[4096];
static char iperf3_path[4096];

/* ---- the table ---- */

enum goal { AT_LEAST, BELOW, INFO /* shown, no target */ };

struct row {
    char figure[96], peer[64];
    double value, peer_value;
    const char *unit;
    enum goal goal;
    double target; /* for the ratio */
    double ratio;  /* value / peer_value, or the median of paired ratios */
    int failed;    /* the measurement itself failed */
};

static struct row rows[MAX_ROWS];
static int row_count;

static void add_row(const char *figure, double value, const char *unit, const char *peer,
                    double peer_value, enum goal goal, double target)
{
    if (row_count == MAX_ROWS)
        return;
    struct row *r = &rows[row_count++];
    snprintf(r->figure, sizeof r->figure, "%s", figure);
    snprintf(r->peer, sizeof r->peer, "%s", peer);
    r->value = value;
    r->peer_value = peer_value;
    r->unit = unit;
    r->goal = goal;
    r->target = target;
    r->failed = !(value >= 0) || !(peer_value > 0);
    r->ratio = r->failed ? 0 : value / peer_value;
    /* print as we go: a long run shows its progress */
    fprintf(stderr, "bench-run: %s: %.4g %s (%s: %.4g)\n", figure, value, unit, peer, peer_value);
}

static int row_met(const struct row *r)
{
    if (r->goal == INFO)
        return 1;
    if (r->failed)
        return 0;
    return r->goal == AT_LEAST ? r->ratio >= r->target : r->ratio < r->target;
}

/* a figure with the digits that mean something */
static void format_value(char *out, size_t size, double v, const char *unit)
{
    const char *space = unit[0] ? " " : "";
    if (v >= 100 || v == 0)
        snprintf(out, size, "%.0f%s%s", v, space, unit);
    else if (v >= 10)
        snprintf(out, size, "%.1f%s%s", v, space, unit);
    else
        snprintf(out, size, "%.2f%s%s", v, space, unit);
}

static void print_table(FILE *out)
{
    fprintf(out, "%-48s %12s  %-34s %12s  %6s  %-8s %s\n", "figure", "value", "peer", "value",
            "ratio", "target", "");
    for (int i = 0; i < row_count; i++) {
        const struct row *r = &rows[i];
        char value[32], peer_value[32], target[16];
        format_value(value, sizeof value, r->value, r->unit);
        format_value(peer_value, sizeof peer_value, r->peer_value, r->unit);
        snprintf(target, sizeof target, "%s %.2f", r->goal == AT_LEAST ? ">=" : "<", r->target);
        if (r->goal == INFO)
            snprintf(target, sizeof target, "-");
        if (r->failed)
            fprintf(out, "%-48s %12s  %-34s %12s  %6s  %-8s %s\n", r->figure,
                    r->value >= 0 ? value : "failed", r->peer, peer_value, "-", target, "MISSED");
        else
            fprintf(out, "%-48s %12s  %-34s %12s  %6.2f  %-8s %s\n", r->figure, value, r->peer,
                    peer_value, r->ratio, target,
                    r->goal == INFO ? ""
                    : row_met(r)    ? "ok"
                                    : "MISSED");
    }
}

/* ---- processes ---- */

struct output {
    char *text;
    size_t length, capacity;
};

static void output_add(struct output *o, const char *data, size_t n)
{
    if (o->length + n + 1 > o->capacity) {
        size_t capacity = (o->length + n + 1) * 2;
        char *grown = realloc(o->text, capacity);
        if (!grown)
            return;
        o->text = grown;
        o->capacity = capacity;
    }
    memcpy(o->text + o->length, data, n);
    o->length += n;
    o->text[o->length] = '\0';
}

struct result {
    int ok;          /* exited 0 */
    double seconds;  /* from fork to exit */
    long maxrss_kib; /* the largest of it and the children it reaped */
    struct output out, err;
};

static void result_free(struct result *r)
{
    free(r->out.text);
    free(r->err.text);
    memset(r, 0, sizeof *r);
}

/* Runs argv (argv[0] a path) to its end, its output captured. */
static int run(char *const argv[], struct result *r)
{
    int out[2], err[2];
    memset(r, 0, sizeof *r);
    if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0)
        return -1;
    int64_t start = bench_now_ns();
    pid_t pid = fork();
    if (pid == 0) {
        dup2(out[1], 1);
        dup2(err[1], 2);
        execv(argv[0], argv);
        fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(out[1]);
    close(err[1]);
    struct pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
    int open_fds = 2;
    char buffer[65536];
    while (open_fds > 0) {
        if (poll(fds, 2, -1) < 0 && errno != EINTR)
            break;
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd < 0 || !fds[i].revents)
                continue;
            ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
            if (n > 0) {
                output_add(i == 0 ? &r->out : &r->err, buffer, (size_t)n);
            } else if (n == 0 || errno != EINTR) {
                close(fds[i].fd);
                fds[i].fd = -1;
                open_fds--;
            }
        }
    }
    int status;
    struct rusage usage;
    if (wait4(pid, &status, 0, &usage) < 0)
        return -1;
    r->seconds = (double)(bench_now_ns() - start) / 1e9;
    r->maxrss_kib = usage.ru_maxrss;
    r->ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (!r->ok)
        fprintf(stderr, "bench-run: %s failed: %s%s\n", argv[0], r->err.text ? r->err.text : "",
                r->out.text && !r->err.text ? r->out.text : "");
    return r->ok ? 0 : -1;
}

/* A number after "key=" in text, or -1. */
static double key_value(const char *text, const char *key)
{
    char pattern[64];
    snprintf(pattern, sizeof pattern, "%s=", key);
    const char *at = text ? strstr(text, pattern) : NULL;
    return at ? atof(at + strlen(pattern)) : -1;
}

static void path_of(char *out, size_t size, const char *program)
{
    if (strncmp(program, "bench-", 6) == 0 && strcmp(program, "bench-run") != 0)
        snprintf(out, size, "%s/bench/%s", build_dir, program);
    else
        snprintf(out, size, "%s/%s", build_dir, program);
}

/* fn(arg) in a child process in a fresh network namespace; its result,
 * or -1. */
static double in_netns(double (*fn)(void *), void *arg)
{
    int report[2];
    double value = -1;
    if (pipe(report) < 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        close(report[0]);
        double v = unshare(CLONE_NEWNET) == 0 && bench_loopback_up() == 0 ? fn(arg) : -1;
        _exit(write(report[1], &v, sizeof v) == sizeof v ? 0 : 1);
    }
    close(report[1]);
    if (read(report[0], &value, sizeof value) != sizeof value)
        value = -1;
    close(report[0]);
    waitpid(pid, NULL, 0);
    return value;
}

static double median(double *values, int n)
{
    for (int i = 1; i < n; i++)
        for (int k = i; k > 0 && values[k] < values[k - 1]; k--) {
            double swap = values[k];
            values[k] = values[k - 1];
            values[k - 1] = swap;
        }
    if (n == 0)
        return -1;
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/* The median of values[k] / peers[k]: each pair measured back to back,
 * so what drifts between pairs cancels. -1 if a pair failed. */
static double paired_ratio(const double *values, const double *peers, int n)
{
    double ratios[MAX_REPEAT];
    for (int k = 0; k < n; k++) {
        if (!(values[k] > 0) || !(peers[k] > 0))
            return -1;
        ratios[k] = values[k] / peers[k];
    }
    return median(ratios, n);
}

static int verbose; /* --verbose: every pair on stderr */

/* Pairs of the figures that vary most (the transfers, and the runs with
 * and without observation): single pairs of 2 GiB transfers on one CPU
 * range from 0.5 to 1.7 here, and a median of 9 moved by 0.1 from one
 * `make bench` to the next; 15 pairs, each in turn led by the harness and
 * by its peer. */
#define NOISY_PAIRS 15

static int noisy_pairs(void)
{
    return repeat < NOISY_PAIRS ? NOISY_PAIRS : repeat;
}

/* add_row() with the ratio the median of paired ratios */
static void add_paired_row(const char *figure, const double *values, const char *unit,
                           const char *peer, const double *peers, int n, enum goal goal,
                           double target)
{
    double v[MAX_REPEAT], p[MAX_REPEAT], ratio = paired_ratio(values, peers, n);
    if (verbose) {
        fprintf(stderr, "bench-run: %s / %s, pairs:", figure, peer);
        for (int k = 0; k < n; k++)
            fprintf(stderr, " %.4g/%.4g=%.2f", values[k], peers[k],
                    peers[k] > 0 ? values[k] / peers[k] : -1);
        fprintf(stderr, "\n");
    }
    memcpy(v, values, (size_t)n * sizeof *v);
    memcpy(p, peers, (size_t)n * sizeof *p);
    add_row(figure, median(v, n), unit, peer, median(p, n), goal, target);
    if (row_count > 0) {
        rows[row_count - 1].ratio = ratio;
        rows[row_count - 1].failed |= ratio < 0;
    }
}

/* ---- harness-run points ---- */

struct point {
    json_t *results;
    long maxrss_kib;
    double built_seconds; /* "results ... built and written in S s" */
    char output[512];
};

static void point_free(struct point *p)
{
    json_decref(p->results);
    unlink(p->output);
    p->results = NULL;
}

/* harness-run on a scenario given as JSON text. */
static int harness_point(const char *scenario, struct point *p)
{
    char path[512], program[512];
    struct result r;
    static int serial;
    memset(p, 0, sizeof *p);
    snprintf(path, sizeof path, "%s/scenario-%d.json", temp_dir, serial);
    snprintf(p->output, sizeof p->output, "%s/results-%d.json", temp_dir, serial++);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(scenario, f);
    fclose(f);
    path_of(program, sizeof program, "harness-run");
    char *argv[] = {self_path, "--peak", program, path, "-o", p->output, NULL};
    int rc = run(argv, &r);
    unlink(path);
    const char *built = r.err.text ? strstr(r.err.text, "built and written in ") : NULL;
    p->built_seconds = built ? atof(built + strlen("built and written in ")) : -1;
    p->maxrss_kib = (long)key_value(r.err.text, "peak_rss_kib");
    result_free(&r);
    json_error_t error;
    if (rc == 0 && !(p->results = json_load_file(p->output, 0, &error)))
        fprintf(stderr, "bench-run: %s: %s\n", p->output, error.text);
    return p->results ? 0 : -1;
}

static json_t *run0(const struct point *p)
{
    return json_array_get(json_object_get(p->results, "runs"), 0);
}

static long long summary_int(const struct point *p, const char *key)
{
    return json_integer_value(json_object_get(json_object_get(run0(p), "summary"), key));
}

static long long conn_int(json_t *conn, const char *key)
{
    return json_integer_value(json_object_get(conn, key));
}

/* What sampling and the event log took, in percent of the CPU time of
 * server and client: where the CPU is the bottleneck, what the figure
 * would gain without them. */
static double observed_percent(const struct point *p)
{
    double us = (double)summary_int(p, "cpu_us");
    return us > 0
               ? 100 * (double)(summary_int(p, "sampling_us") + summary_int(p, "logging_us")) / us
               : -1;
}

static void pin_to(int cpu);

/* ---- throughput ---- */

/* Gbit/s, and in *observed (when given) observed_percent() */
static double harness_throughput(size_t chunk, int sample_ms, double *observed)
{
    char scenario[512];
    struct point p;
    snprintf(scenario, sizeof scenario,
             "{\"name\": \"bench-throughput\", \"client\": {\"connections\": 1, \"send\": "
             "{\"bytes\": %llu, \"chunk\": %zu}}, \"duration_ms\": 60000, \"sample_ms\": %d}",
             2 * GIB, chunk, sample_ms);
    if (harness_point(scenario, &p))
        return -1;
    json_t *c = json_array_get(json_object_get(run0(&p), "connections"), 0);
    double us = (double)(conn_int(c, "server_eof_us") - conn_int(c, "outcome_us"));
    double gbit = conn_int(c, "bytes_read") == (long long)(2 * GIB) && us > 0
                      ? (double)conn_int(c, "bytes_read") * 8 / us / 1e3
                      : -1;
    if (observed)
        *observed = observed_percent(&p);
    point_free(&p);
    return gbit;
}

static double stream_reference(size_t chunk, int nonblocking)
{
    char program[512], chunk_text[32];
    struct result r;
    path_of(program, sizeof program, "bench-stream-reference");
    snprintf(chunk_text, sizeof chunk_text, "%zu", chunk);
    char *argv[] = {program, "--chunk", chunk_text, nonblocking ? "--nonblocking" : NULL, NULL};
    double v = run(argv, &r) == 0 ? key_value(r.out.text, "gbit_per_sec") : -1;
    result_free(&r);
    return v;
}

/* Waits (up to 5 s) until 127.0.0.1:port listens in this namespace
 * (/proc/net/tcp: state 0A is LISTEN). iperf3 says so only on a stdout
 * that a pipe keeps buffered. */
static int wait_listening(int port)
{
    char want[32], line[512];
    snprintf(want, sizeof want, "0100007F:%04X", port);
    for (int64_t deadline = bench_now_ns() + 5000000000ll; bench_now_ns() < deadline;
         usleep(5000)) {
        FILE *f = fopen("/proc/net/tcp", "r");
        int found = 0;
        while (f && !found && fgets(line, sizeof line, f)) {
            char local[64], remote[64], state[8];
            found = sscanf(line, "%*d: %63s %63s %7s", local, remote, state) == 3 &&
                    strcmp(local, want) == 0 && strcmp(state, "0A") == 0;
        }
        if (f)
            fclose(f);
        if (found)
            return 0;
    }
    return -1;
}

/* iperf3 server and client, in the namespace in_netns made */
static double iperf3_in_netns(void *arg)
{
    size_t chunk = *(size_t *)arg;
    char length[32];
    snprintf(length, sizeof length, "%zu", chunk);
    pid_t server = fork();
    if (server == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        execlp("iperf3", "iperf3", "-s", "-1", "-B", "127.0.0.1", "-p", "5201", NULL);
        _exit(127);
    }
    if (wait_listening(5201) < 0) {
        kill(server, SIGKILL);
        waitpid(server, NULL, 0);
        return -1;
    }
    char *argv[] = {iperf3_path, "-c", "127.0.0.1", "-p", "5201", "-n",
                    "2G",        "-l", length,      "-J", NULL};
    struct result r;
    double gbit = -1;
    if (run(argv, &r) == 0) {
        json_error_t error;
        json_t *j = json_loads(r.out.text, 0, &error);
        json_t *received = json_object_get(json_object_get(j, "end"), "sum_received");
        gbit = json_number_value(json_object_get(received, "bits_per_second")) / 1e9;
        json_decref(j);
    } else {
        kill(server, SIGKILL);
    }
    result_free(&r);
    waitpid(server, NULL, 0);
    return gbit > 0 ? gbit : -1;
}

static double iperf3(size_t chunk)
{
    return in_netns(iperf3_in_netns, &chunk);
}

static const char *size_name(size_t bytes, char *out, size_t size)
{
    if (bytes >= (1 << 20))
        snprintf(out, size, "%zu MiB", bytes >> 20);
    else
        snprintf(out, size, "%zu KiB", bytes >> 10);
    return out;
}

static void bench_throughput(void)
{
    static const size_t chunks[] = {4096, 16384, 65536, 131072, 262144, 1048576};
    double h128[MAX_REPEAT], blocking[MAX_REPEAT], observed[MAX_REPEAT];
    int n = noisy_pairs();
    /* sender and reader on one CPU, the harness's and the peers' alike: the
     * figure is then the CPU cost per byte, and the run-to-run noise of
     * where the scheduler puts two busy processes on two vCPUs (the same
     * free-running transfer varies from 14 to 48 Gbit/s here) is gone */
    cpu_set_t all;
    sched_getaffinity(0, sizeof all, &all);
    pin_to(0);
    for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
        double h[MAX_REPEAT], ref[MAX_REPEAT], ip[MAX_REPEAT];
        char name[32], figure[96], peer[64], length[16];
        for (int k = 0; k < n; k++) {
            /* in turn first and second in its pair: whatever the first
             * transfer leaves behind (a warm cache, a busy CPU) favours
             * neither */
            if (k % 2)
                ref[k] = stream_reference(chunks[i], 1);
            h[k] = harness_throughput(chunks[i], 10, chunks[i] == 131072 ? &observed[k] : NULL);
            if (k % 2 == 0)
                ref[k] = stream_reference(chunks[i], 1);
            /* iperf3 with the same length: its sender writes and its
             * reader reads that many bytes at a time */
            ip[k] = iperf3(chunks[i]);
            if (chunks[i] == 131072) {
                h128[k] = h[k];
                blocking[k] = stream_reference(131072, 0);
            }
        }
        size_name(chunks[i], name, sizeof name);
        snprintf(figure, sizeof figure, "throughput, %s sends", name);
        snprintf(peer, sizeof peer, "epoll C loop, %s sends", name);
        add_paired_row(figure, h, "Gbit/s", peer, ref, n, AT_LEAST, 0.9);
        if (chunks[i] >= (1 << 20))
            snprintf(length, sizeof length, "%zuM", chunks[i] >> 20);
        else
            snprintf(length, sizeof length, "%zuK", chunks[i] >> 10);
        snprintf(peer, sizeof peer, "iperf3 -n 2G -l %s", length);
        add_paired_row(figure, h, "Gbit/s", peer, ip, n, AT_LEAST, 0.9);
    }
    add_paired_row("throughput, 128 KiB sends", h128, "Gbit/s", "blocking C loop (info)", blocking,
                   n, INFO, 0);
    /* the same runs, CPU-bound: what sampling every 10 ms and the event
     * log took of the CPU is what they took of the throughput */
    add_row("observed: CPU share, 128 KiB transfer", median(observed, n), "%", "limit", 2, BELOW,
            1.0);
    sched_setaffinity(0, sizeof all, &all);
}

/* ---- connection rate ---- */

#define RATE_CONNECTIONS 20000
#define RATE_CONCURRENCY 64

/* connections/s, and in *observed (when given) observed_percent() */
static double harness_rate(double *observed)
{
    char scenario[512];
    struct point p;
    snprintf(scenario, sizeof scenario,
             "{\"name\": \"bench-rate\", \"server\": {\"backlog\": 4096}, \"client\": "
             "{\"connections\": %d, \"concurrency\": %d}, \"duration_ms\": 60000}",
             RATE_CONNECTIONS, RATE_CONCURRENCY);
    if (harness_point(scenario, &p))
        return -1;
    json_t *conns = json_object_get(run0(&p), "connections"), *c;
    long long first = -1, last = -1;
    size_t i;
    json_array_foreach(conns, i, c)
    {
        if (first < 0 || conn_int(c, "start_us") < first)
            first = conn_int(c, "start_us");
        if (conn_int(c, "closed_us") > last)
            last = conn_int(c, "closed_us");
    }
    double rate = summary_int(&p, "connected") == RATE_CONNECTIONS && last > first
                      ? (double)summary_int(&p, "attempted") / ((double)(last - first) / 1e6)
                      : -1;
    if (observed)
        *observed = observed_percent(&p);
    point_free(&p);
    return rate;
}

static double connect_reference(void)
{
    char program[512], n[16], k[16];
    struct result r;
    path_of(program, sizeof program, "bench-connect-reference");
    snprintf(n, sizeof n, "%d", RATE_CONNECTIONS);
    snprintf(k, sizeof k, "%d", RATE_CONCURRENCY);
    char *argv[] = {program, "--connections", n, "--concurrency", k, NULL};
    double v = run(argv, &r) == 0 ? key_value(r.out.text, "per_sec") : -1;
    result_free(&r);
    return v;
}

static void bench_rate(void)
{
    double h[MAX_REPEAT], ref[MAX_REPEAT], observed[MAX_REPEAT];
    for (int k = 0; k < repeat; k++) {
        h[k] = harness_rate(&observed[k]);
        ref[k] = connect_reference();
    }
    add_paired_row("connections/s, 64 in flight", h, "conn/s", "epoll C reference", ref, repeat,
                   AT_LEAST, 0.8);
    /* the same runs; not CPU-bound on two CPUs, so the share of CPU is
     * more than the share of the rate (see the with-and-without row) */
    add_row("observed: CPU share, 20k connections", median(observed, repeat), "%", "limit (info)",
            2, INFO, 0);
}

/* ---- scale ---- */

static void bench_scale(void)
{
    struct point p;
    const char *scenario =
        "{\"name\": \"bench-scale\", \"server\": {\"backlog\": 4096}, \"client\": "
        "{\"connections\": 10000, \"concurrency\": 1000, \"send\": {\"bytes\": 1024}}, "
        "\"duration_ms\": 60000}";
    double rate = -1, lost = -1, rss = -1;
    if (harness_point(scenario, &p) == 0) {
        long long attempted = summary_int(&p, "attempted");
        rate = (double)attempted / ((double)summary_int(&p, "elapsed_us") / 1e6);
        /* every connection attempted, connected, accepted, its kilobyte
         * read, and none refused, timed out, failed or reset */
        lost = (double)(10000 - summary_int(&p, "connected")) +
               (double)(10000 - summary_int(&p, "accepted")) +
               (double)(10240000 - summary_int(&p, "bytes_read")) / 1024 +
               (double)(summary_int(&p, "failed") + summary_int(&p, "reset")) +
               (attempted == 10000 ? 0 : 1);
        rss = (double)p.maxrss_kib / 1024;
        point_free(&p);
    }
    add_row("10k connections x 1 KiB, end to end", rate, "conn/s", "target", 5000, AT_LEAST, 1.0);
    add_row("10k connections: lost (connections + KiB)", lost, "", "none", 1, BELOW, 1.0);
    add_row("10k connections: largest peak RSS", rss, "MiB", "limit", 64, BELOW, 1.0);
}

static double seconds_of(char *const argv[])
{
    struct result r;
    double s = run(argv, &r) == 0 ? r.seconds : -1;
    result_free(&r);
    return s;
}

static void bench_sequential(void)
{
    struct point p;
    const char *scenario =
        "{\"name\": \"bench-sequential\", \"server\": {\"backlog\": 4096}, \"client\": "
        "{\"connections\": 100000, \"concurrency\": 1}, \"duration_ms\": 300000}";
    double lost = -1, built = -1, rss = -1, plot = -1;
    if (harness_point(scenario, &p) == 0) {
        lost = (double)(100000 - summary_int(&p, "connected")) +
               (double)(100000 - summary_int(&p, "accepted"));
        built = p.built_seconds;
        rss = (double)p.maxrss_kib / 1024;
        char program[512], plots[512];
        path_of(program, sizeof program, "harness-plot");
        snprintf(plots, sizeof plots, "%s/plots", temp_dir);
        char *argv[] = {program, p.output, "-d", plots, NULL};
        plot = seconds_of(argv);
        point_free(&p);
    }
    add_row("100k connections one at a time: lost", lost, "", "none", 1, BELOW, 1.0);
    add_row("100k connections: results built, written", built, "s", "limit", 1, BELOW, 1.0);
    add_row("100k connections: largest peak RSS", rss, "MiB", "limit", 64, BELOW, 1.0);
    add_row("100k connections: harness-plot", plot, "s", "limit (not minutes)", 60, BELOW, 1.0);
}

/* ---- the cost of observation: the same runs by hand, with and without ---- */

struct by_hand {
    const char *client_args[8];
    int observe;  /* events to files, samples every 10 ms; or --no-events --sample-ms 0 */
    int two_cpus; /* server on CPU 1, client on CPU 0; or both on CPU 0 */
};

/* The CPU of this process and what it starts from now on: one CPU for
 * sender and reader, the harness and its peer alike, so that where the
 * scheduler puts two busy processes on two vCPUs does not add to the
 * noise. Nothing to pin on one CPU. */
static void pin_to(int cpu)
{
    cpu_set_t set;
    if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
        return;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    sched_setaffinity(0, sizeof set, &set);
}

/* harness-server (under --control, as harness-run drives it: no accept
 * lines) and harness-client by hand, in the namespace in_netns made,
 * pinned: the client's wall time, or -1 */
static double by_hand_in_netns(void *arg)
{
    const struct by_hand *b = arg;
    char server_bin[512], client_bin[512], server_log[512], client_log[512], address[64];
    int to_server[2], from_server[2];
    path_of(server_bin, sizeof server_bin, "harness-server");
    path_of(client_bin, sizeof client_bin, "harness-client");
    snprintf(server_log, sizeof server_log, "%s/server-%d.jsonl", temp_dir, (int)getpid());
    snprintf(client_log, sizeof client_log, "%s/client-%d.jsonl", temp_dir, (int)getpid());
    const char *sample = b->observe ? "10" : "0";
    if (pipe(to_server) < 0 || pipe(from_server) < 0)
        return -1;
    pid_t server = fork();
    if (server == 0) {
        dup2(to_server[0], 0);
        dup2(from_server[1], 1);
        close(to_server[1]);
        close(from_server[0]);
        pin_to(b->two_cpus ? 1 : 0);
        char *argv[] = {server_bin,
                        "--control",
                        "--listen",
                        "127.0.0.1:0",
                        "--backlog",
                        "4096",
                        "--duration-ms",
                        "600000",
                        "--sample-ms",
                        (char *)sample,
                        b->observe ? "--events" : "--no-events",
                        b->observe ? server_log : NULL,
                        NULL};
        execv(server_bin, argv);
        _exit(127);
    }
    close(to_server[0]);
    close(from_server[1]);
    /* "ready {"port": P, ...}" once it listens */
    char line[1024];
    int port = 0;
    FILE *from = fdopen(from_server[0], "r");
    if (from && fgets(line, sizeof line, from) && strncmp(line, "ready ", 6) == 0) {
        json_error_t error;
        json_t *ready = json_loads(line + 6, 0, &error);
        port = (int)json_integer_value(json_object_get(ready, "port"));
        json_decref(ready);
    }
    double seconds = -1;
    if (port > 0) {
        char start[64], start_ns[32];
        snprintf(start_ns, sizeof start_ns, "%lld", (long long)bench_now_ns());
        snprintf(start, sizeof start, "start %s\n", start_ns);
        if (write(to_server[1], start, strlen(start)) < 0)
            port = 0;
        char *argv[24];
        int n = 0;
        snprintf(address, sizeof address, "127.0.0.1:%d", port);
        argv[n++] = client_bin;
        argv[n++] = "--connect";
        argv[n++] = address;
        argv[n++] = "--start-ns";
        argv[n++] = start_ns;
        argv[n++] = "--duration-ms";
        argv[n++] = "600000";
        argv[n++] = "--sample-ms";
        argv[n++] = (char *)sample;
        argv[n++] = b->observe ? "--events" : "--no-events";
        if (b->observe)
            argv[n++] = client_log;
        for (int i = 0; b->client_args[i]; i++)
            argv[n++] = (char *)b->client_args[i];
        argv[n] = NULL;
        cpu_set_t all;
        sched_getaffinity(0, sizeof all, &all);
        pin_to(0); /* inherited by the client */
        seconds = seconds_of(argv);
        sched_setaffinity(0, sizeof all, &all);
    }
    if (write(to_server[1], "stop\n", 5) < 0)
        kill(server, SIGKILL);
    close(to_server[1]);
    waitpid(server, NULL, 0);
    if (from)
        fclose(from);
    unlink(server_log);
    unlink(client_log);
    return seconds;
}

static void bench_observation(void)
{
    int n = noisy_pairs();
    char chunk[32], bytes[32], conns[16], concurrency[16];
    snprintf(chunk, sizeof chunk, "%d", 131072);
    snprintf(bytes, sizeof bytes, "%llu", 2 * GIB);
    snprintf(conns, sizeof conns, "%d", RATE_CONNECTIONS);
    snprintf(concurrency, sizeof concurrency, "%d", RATE_CONCURRENCY);
    /* the transfer is CPU-bound: on one CPU, where its runs still vary by
     * several percent (its target is the CPU share, measured in the
     * throughput runs); the connections, which wait on each other as much
     * as on the CPU, vary least with server and client on a CPU each */
    struct by_hand transfer = {{"--send-bytes", bytes, "--send-chunk", chunk, NULL}, 0, 0};
    struct by_hand opening = {{"--connections", conns, "--concurrency", concurrency, NULL}, 0, 1};
    struct by_hand *cases[] = {&transfer, &opening};
    const char *figures[] = {"with and without: throughput, 128 KiB",
                             "with and without: connections/s"};
    const char *peers[] = {"--no-events --sample-ms 0 (info)", "--no-events --sample-ms 0"};
    const char *units[] = {"Gbit/s", "conn/s"};
    double work[] = {(double)(2 * GIB) * 8 / 1e9, RATE_CONNECTIONS};
    for (int c = 0; c < 2; c++) {
        double with[MAX_REPEAT], without[MAX_REPEAT];
        for (int k = 0; k < n; k++) {
            /* led in turn by each of the pair */
            for (int first = 0; first < 2; first++) {
                cases[c]->observe = (first + k) % 2 == 0;
                double v = work[c] / in_netns(by_hand_in_netns, cases[c]);
                if (cases[c]->observe)
                    with[k] = v;
                else
                    without[k] = v;
            }
        }
        add_paired_row(figures[c], with, units[c], peers[c], without, n, c == 0 ? INFO : AT_LEAST,
                       c == 0 ? 0 : 0.98);
    }
}

/* ---- idle ---- */

/* utime + stime of pid, in clock ticks, or -1 */
static long long cpu_ticks(pid_t pid)
{
    char path[64], text[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    /* the fields after the command's closing parenthesis: state is 3,
     * utime 14, stime 15 */
    const char *p = strrchr(text, ')');
    unsigned long long utime, stime;
    if (!p ||
        sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime) != 2)
        return -1;
    return (long long)(utime + stime);
}

/* The runner's children, from /proc/PID/task/PID/children. */
static int children_of(pid_t pid, pid_t *out, int max)
{
    char path[64];
    int n = 0, child;
    snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)pid, (int)pid);
    FILE *f = fopen(path, "r");
    while (f && n < max && fscanf(f, "%d", &child) == 1)
        out[n++] = child;
    if (f)
        fclose(f);
    return n;
}

/* The busiest of runner, server and client over 2.5 s of a point that
 * only waits, in percent of one core. */
static double idle_point(const char *scenario_text)
{
    char path[512], output[512], program[512];
    snprintf(path, sizeof path, "%s/idle.json", temp_dir);
    snprintf(output, sizeof output, "%s/idle-results.json", temp_dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(scenario_text, f);
    fclose(f);
    path_of(program, sizeof program, "harness-run");
    pid_t runner = fork();
    if (runner == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        execl(program, program, path, "-o", output, "-q", NULL);
        _exit(127);
    }
    pid_t pids[3] = {runner, 0, 0};
    int64_t deadline = bench_now_ns() + 5000000000ll;
    while (children_of(runner, pids + 1, 2) < 2 && bench_now_ns() < deadline)
        usleep(10000);
    double busiest = -1;
    if (pids[1] && pids[2]) {
        long long before[3], after[3];
        usleep(1000000); /* past the start: the connections are made */
        for (int i = 0; i < 3; i++)
            before[i] = cpu_ticks(pids[i]);
        int64_t start = bench_now_ns();
        usleep(2500000);
        for (int i = 0; i < 3; i++)
            after[i] = cpu_ticks(pids[i]);
        double seconds = (double)(bench_now_ns() - start) / 1e9;
        for (int i = 0; i < 3; i++) {
            if (before[i] < 0 || after[i] < 0) {
                busiest = -1;
                break;
            }
            double percent =
                (double)(after[i] - before[i]) / (double)sysconf(_SC_CLK_TCK) / seconds * 100;
            if (percent > busiest)
                busiest = percent;
        }
    }
    int status;
    waitpid(runner, &status, 0);
    unlink(path);
    unlink(output);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? busiest : -1;
}

static void bench_idle(void)
{
    /* twice the 2.5 s window and the second before it */
    add_row("idle: server never accepts, busiest process",
            idle_point("{\"name\": \"bench-idle-accept\", \"server\": {\"backlog\": 4, "
                       "\"accept\": \"never\"}, \"client\": {\"connections\": 20, "
                       "\"hold_ms\": -1}, \"duration_ms\": 4500}"),
            "% core", "limit", 5, BELOW, 1.0);
    add_row("idle: reader never reads, busiest process",
            idle_point("{\"name\": \"bench-idle-read\", \"server\": {\"read\": \"never\"}, "
                       "\"client\": {\"connections\": 4, \"send\": {\"bytes\": 1073741824}}, "
                       "\"duration_ms\": 4500}"),
            "% core", "limit", 5, BELOW, 1.0);
}

/* ---- the suite ---- */

static void bench_suite(void)
{
    char dir[512], link[600], target[600], makefile[600], build_abs[4096];
    snprintf(dir, sizeof dir, "%s/suite", temp_dir);
    mkdir(dir, 0700);
    const char *parts[] = {"scenarios", "plot"};
    for (int i = 0; i < 2; i++) {
        snprintf(link, sizeof link, "%s/%s", dir, parts[i]);
        snprintf(target, sizeof target, "%s/%s", source_dir, parts[i]);
        if (symlink(target, link) < 0)
            return;
    }
    if (!realpath(build_dir, build_abs))
        return;
    snprintf(makefile, sizeof makefile, "%s/Makefile.experiments", source_dir);
    char build_arg[4200];
    snprintf(build_arg, sizeof build_arg, "BUILD=%s", build_abs);
    pid_t pid = fork();
    int64_t start = bench_now_ns();
    if (pid == 0) {
        if (chdir(dir) < 0)
            _exit(127);
        /* make's own lines (the time per scenario) go to stderr */
        dup2(2, 1);
        execlp("make", "make", "--no-print-directory", "-f", makefile, build_arg, NULL);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    double seconds = (double)(bench_now_ns() - start) / 1e9;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        seconds = -1;
    add_row("make experiments (default suite)", seconds, "s", "limit", 180, BELOW, 1.0);
}

/* ---- main ---- */

static void machine(FILE *out)
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

/* program's path on $PATH */
static int find_program(const char *program, char *out, size_t size)
{
    const char *path = getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin";
    while (*path) {
        size_t n = strcspn(path, ":");
        snprintf(out, size, "%.*s/%s", (int)n, path, program);
        if (n && access(out, X_OK) == 0)
            return 0;
        path += n + (path[n] == ':');
    }
    return -1;
}

static int remove_dir(const char *dir)
{
    char command[600];
    snprintf(command, sizeof command, "rm -rf '%s'", dir);
    return system(command);
}

/* bench-run --peak PROGRAM ARG...: runs PROGRAM and prints its peak RSS
 * (the largest of it and the children it reaped) as peak_rss_kib=N on
 * stderr. A child inherits the high-water mark of the process it was
 * forked from, even across exec: forked from a bench-run that has read
 * results files it would report those; forked from this fresh one, about
 * a megabyte. */
static int peak(char **argv)
{
    int status;
    struct rusage usage;
    pid_t pid = fork();
    if (pid == 0) {
        execv(argv[0], argv);
        _exit(127);
    }
    if (pid < 0 || wait4(pid, &status, 0, &usage) < 0)
        return 1;
    fprintf(stderr, "peak_rss_kib=%ld\n", usage.ru_maxrss);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

int main(int argc, char **argv)
{
    int suite = 1;
    if (argc > 2 && strcmp(argv[1], "--peak") == 0)
        return peak(argv + 2);
    ssize_t self_length = readlink("/proc/self/exe", self_path, sizeof self_path - 1);
    self_path[self_length > 0 ? self_length : 0] = '\0';
    const char *only = NULL;
    static const char usage[] =
        "usage: bench-run BUILD_DIR [--repeat N] [--no-suite] [--only SECTION,...] [--verbose]\n"
        "The harness's own cost, each figure against a peer measured in the same run\n"
        "(`make bench`); one table on stdout.\n"
        "\n"
        "  --repeat N        runs of each figure (default 3; at least 15 for the\n"
        "                    transfers and the runs with and without observation)\n"
        "  --no-suite        leave out the timing of `make experiments`\n"
        "  --only SECTIONS   only these, comma-separated: throughput, rate, scale,\n"
        "                    sequential, observation, idle, suite\n"
        "  --verbose         every pair of measurements on stderr\n"
        "  --help            show this help\n"
        "\n"
        "Exit status: 0 every target met, 1 a target missed, 2 usage or iperf3 missing,\n"
        "77 without the privilege to make network namespaces.\n";
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs(usage, stdout);
        return 0;
    }
    if (argc < 2 || argv[1][0] == '-') {
        fputs(usage, stderr);
        return 2;
    }
    build_dir = argv[1];
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc)
            repeat = atoi(argv[++i]);
        else if (strcmp(argv[i], "--no-suite") == 0)
            suite = 0;
        else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
            only = argv[++i];
        else if (strcmp(argv[i], "--verbose") == 0)
            verbose = 1;
        else {
            fprintf(stderr, "bench-run: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    if (repeat < 1 || repeat > MAX_REPEAT) {
        fprintf(stderr, "bench-run: --repeat takes 1 to %d\n", MAX_REPEAT);
        return 2;
    }
    /* the sources are where this was configured from */
    source_dir = getenv("BENCH_SOURCE_DIR") ? getenv("BENCH_SOURCE_DIR") : BENCH_SOURCE_DIR;
    if (unshare(CLONE_NEWNET) < 0) {
        fprintf(stderr, "SKIP: cannot make a network namespace here (run as root): %s\n",
                strerror(errno));
        return SKIP;
    }
    bench_loopback_up();
    if (find_program("iperf3", iperf3_path, sizeof iperf3_path) < 0) {
        fprintf(stderr, "bench-run: iperf3 is missing (tools/install-deps --bench)\n");
        return 2;
    }
    snprintf(temp_dir, sizeof temp_dir, "%s/bench-run.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(temp_dir)) {
        perror("bench-run: mkdtemp");
        return 1;
    }
    int64_t start = bench_now_ns();
    machine(stderr);
    static const struct {
        const char *name;
        void (*run)(void);
    } sections[] = {{"throughput", bench_throughput},
                    {"rate", bench_rate},
                    {"scale", bench_scale},
                    {"sequential", bench_sequential},
                    {"observation", bench_observation},
                    {"idle", bench_idle},
                    {"suite", bench_suite}};
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
        const char *name = sections[i].name;
        int chosen = only ? strstr(only, name) != NULL : strcmp(name, "suite") != 0 || suite;
        if (chosen)
            sections[i].run();
    }
    remove_dir(temp_dir);

    int missed = 0, targets = 0;
    for (int i = 0; i < row_count; i++) {
        targets += rows[i].goal != INFO;
        missed += !row_met(&rows[i]);
    }
    printf("\n");
    machine(stdout);
    printf("repeats: %d (throughput, with and without: %d), medians (ratio: median of pairs); "
           "%.0f s in all\n\n",
           repeat, noisy_pairs(), (double)(bench_now_ns() - start) / 1e9);
    print_table(stdout);
    printf("\n%d of %d targets met\n", targets - missed, targets);
    return missed ? 1 : 0;
}
