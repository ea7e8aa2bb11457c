/* throughput.c: the throughput rows, the harness against the epoll loop
 * and iperf3 at each send() size (see bench_throughput in bench.h). */
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "command.h"
#include "common.h"
#include "point.h"

#define SIZE_128K 131072

/* Gbit/s, and in *observed (when given) point_observed_percent() */
static double harness_throughput(struct bench *b, size_t chunk, int sample_ms, double *observed)
{
    char scenario[512];
    struct point p;
    snprintf(scenario, sizeof scenario,
             "{\"name\": \"bench-throughput\", \"client\": {\"connections\": 1, \"send\": "
             "{\"bytes\": %llu, \"chunk\": %zu}}, \"duration_ms\": 60000, \"sample_ms\": %d}",
             2 * GIB, chunk, sample_ms);
    if (point_run(b, scenario, &p))
        return -1;
    json_t *c = json_array_get(point_connections(&p), 0);
    double us =
        (double)(point_connection_int(c, "server_eof_us") - point_connection_int(c, "outcome_us"));
    long long bytes_read = point_connection_int(c, "bytes_read");
    double gbit =
        bytes_read == (long long)(2 * GIB) && us > 0 ? (double)bytes_read * 8 / us / 1e3 : -1;
    if (observed)
        *observed = point_observed_percent(&p);
    point_free(&p);
    return gbit;
}

static double stream_reference(const struct bench *b, size_t chunk, int nonblocking)
{
    char program[512], chunk_text[32];
    struct command_result r;
    command_program_path(b->build_dir, "bench-stream-reference", program, sizeof program);
    snprintf(chunk_text, sizeof chunk_text, "%zu", chunk);
    char *argv[] = {program, "--chunk", chunk_text, nonblocking ? "--nonblocking" : NULL, NULL};
    double v = command_run(argv, &r) == 0 ? command_key_value(r.out.text, "gbit_per_sec") : -1;
    command_result_free(&r);
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

struct iperf3_transfer {
    const char *path; /* iperf3 */
    size_t chunk;     /* -l */
};

/* The receiver's bits_per_second in iperf3's -J output, in Gbit/s. */
static double iperf3_received_gbit(const char *json_text)
{
    json_error_t error;
    json_t *j = json_loads(json_text, 0, &error);
    json_t *received = json_object_get(json_object_get(j, "end"), "sum_received");
    double gbit = json_number_value(json_object_get(received, "bits_per_second")) / 1e9;
    json_decref(j);
    return gbit;
}

/* iperf3 server and client, in the namespace command_in_netns made */
static double iperf3_in_netns(void *arg)
{
    const struct iperf3_transfer *t = arg;
    char length[32];
    snprintf(length, sizeof length, "%zu", t->chunk);
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
    char *argv[] = {(char *)t->path, "-c", "127.0.0.1", "-p", "5201", "-n", "2G", "-l",
                    length,          "-J", NULL};
    struct command_result r;
    double gbit = -1;
    if (command_run(argv, &r) == 0)
        gbit = iperf3_received_gbit(r.out.text);
    else
        kill(server, SIGKILL);
    command_result_free(&r);
    waitpid(server, NULL, 0);
    return gbit > 0 ? gbit : -1;
}

static double iperf3(const struct bench *b, size_t chunk)
{
    struct iperf3_transfer t = {b->iperf3_path, chunk};
    return command_in_netns(iperf3_in_netns, &t);
}

/* What the 128 KiB transfers measure besides: the blocking loop and the
 * CPU share of observation. */
struct at_128k {
    double harness[MAX_REPEAT], blocking[MAX_REPEAT], observed[MAX_REPEAT];
};

/* The two rows of one size: against the epoll loop and against iperf3. */
static void add_size_rows(struct bench *b, size_t chunk, const double *harness, const double *epoll,
                          const double *by_iperf3, int n)
{
    char name[32], figure[96], peer[64], length[16];
    if (chunk >= (1 << 20))
        snprintf(name, sizeof name, "%zu MiB", chunk >> 20);
    else
        snprintf(name, sizeof name, "%zu KiB", chunk >> 10);
    snprintf(figure, sizeof figure, "throughput, %s sends", name);
    snprintf(peer, sizeof peer, "epoll C loop, %s sends", name);
    figures_add_paired(&b->figures, figure, harness, "Gbit/s", peer, epoll, n, AT_LEAST, 0.97);
    if (chunk >= (1 << 20))
        snprintf(length, sizeof length, "%zuM", chunk >> 20);
    else
        snprintf(length, sizeof length, "%zuK", chunk >> 10);
    snprintf(peer, sizeof peer, "iperf3 -n 2G -l %s", length);
    figures_add_paired(&b->figures, figure, harness, "Gbit/s", peer, by_iperf3, n, AT_LEAST, 1.0);
}

/* n pairs at one send() size, and its rows */
static void measure_size(struct bench *b, size_t chunk, int n, struct at_128k *extra)
{
    double h[MAX_REPEAT], ref[MAX_REPEAT], ip[MAX_REPEAT];
    for (int k = 0; k < n; k++) {
        /* in turn first and second in its pair: whatever the first
         * transfer leaves behind (a warm cache, a busy CPU) favours
         * neither */
        if (k % 2)
            ref[k] = stream_reference(b, chunk, 1);
        h[k] = harness_throughput(b, chunk, 10, chunk == SIZE_128K ? &extra->observed[k] : NULL);
        if (k % 2 == 0)
            ref[k] = stream_reference(b, chunk, 1);
        /* iperf3 with the same length: its sender writes and its
         * reader reads that many bytes at a time */
        ip[k] = iperf3(b, chunk);
        if (chunk == SIZE_128K) {
            extra->harness[k] = h[k];
            extra->blocking[k] = stream_reference(b, SIZE_128K, 0);
        }
    }
    add_size_rows(b, chunk, h, ref, ip, n);
}

/* 128 KiB sends with the scheduler free to put each process where it
 * likes, as a user runs them: UNPINNED_PAIRS pairs, which of the two goes
 * first alternating. Noisier than the pinned rows (the same transfer
 * varies from 14 to 48 Gbit/s), hence the median of the pairs' ratios. */
#define UNPINNED_PAIRS 5
static void measure_unpinned(struct bench *b)
{
    double h[UNPINNED_PAIRS], ip[UNPINNED_PAIRS];
    for (int k = 0; k < UNPINNED_PAIRS; k++) {
        if (k % 2)
            ip[k] = iperf3(b, SIZE_128K);
        h[k] = harness_throughput(b, SIZE_128K, 10, NULL);
        if (k % 2 == 0)
            ip[k] = iperf3(b, SIZE_128K);
    }
    figures_add_paired(&b->figures, "throughput, 128 KiB sends, unpinned", h, "Gbit/s",
                       "iperf3 -n 2G -l 128K, unpinned", ip, UNPINNED_PAIRS, AT_LEAST, 1.0);
}

void bench_throughput(struct bench *b)
{
    static const size_t chunks[] = {4096, 16384, 65536, 131072, 262144, 1048576};
    struct at_128k extra;
    int n = bench_noisy_pairs(b);
    /* sender and reader on one CPU, the harness's and the peers' alike: the
     * figure is then the CPU cost per byte, and the run-to-run noise of
     * where the scheduler puts two busy processes on two vCPUs (the same
     * free-running transfer varies from 14 to 48 Gbit/s here) is gone */
    cpu_set_t all;
    sched_getaffinity(0, sizeof all, &all);
    command_pin_to(0);
    for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++)
        measure_size(b, chunks[i], n, &extra);
    figures_add_paired(&b->figures, "throughput, 128 KiB sends", extra.harness, "Gbit/s",
                       "blocking C loop (info)", extra.blocking, n, INFO, 0);
    /* the same runs, CPU-bound: what sampling every 10 ms and the event
     * log took of the CPU is what they took of the throughput */
    figures_add(&b->figures, "observed: CPU share, 128 KiB transfer",
                figures_median(extra.observed, n), "%", "limit", 2, BELOW, 1.0);
    sched_setaffinity(0, sizeof all, &all);
    measure_unpinned(b);
}
