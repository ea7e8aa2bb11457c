/* observation.c: the with-and-without rows: harness-server and
 * harness-client run by hand, observed (events to files, samples every
 * 10 ms) and not (--no-events --sample-ms 0), in pairs (see
 * bench_observation in bench.h). */
#include <jansson.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "command.h"
#include "common.h"

struct by_hand {
    const struct bench *bench;
    const char *client_args[8];
    int observe;  /* events to files, samples every 10 ms; or --no-events --sample-ms 0 */
    int two_cpus; /* server on CPU 1, client on CPU 0; or both on CPU 0 */
};

/* The server under --control (as harness-run drives it: no accept lines),
 * its stdin and stdout pipes. */
struct server_child {
    pid_t pid;
    int to_server;     /* "start NS", "stop" */
    FILE *from_server; /* "ready {...}" */
};

static const char *sample_ms(const struct by_hand *h)
{
    return h->observe ? "10" : "0";
}

static void server_exec(const struct by_hand *h, const char *log)
{
    char program[512];
    command_program_path(h->bench->build_dir, "harness-server", program, sizeof program);
    char *argv[] = {program,
                    "--control",
                    "--listen",
                    "127.0.0.1:0",
                    "--backlog",
                    "4096",
                    "--duration-ms",
                    "600000",
                    "--sample-ms",
                    (char *)sample_ms(h),
                    h->observe ? "--events" : "--no-events",
                    h->observe ? (char *)log : NULL,
                    NULL};
    execv(program, argv);
}

/* Starts the server, pinned; 0 or -1. */
static int server_start(const struct by_hand *h, const char *log, struct server_child *s)
{
    int to_server[2], from_server[2];
    if (pipe(to_server) < 0 || pipe(from_server) < 0)
        return -1;
    s->pid = fork();
    if (s->pid == 0) {
        dup2(to_server[0], 0);
        dup2(from_server[1], 1);
        close(to_server[1]);
        close(from_server[0]);
        command_pin_to(h->two_cpus ? 1 : 0);
        server_exec(h, log);
        _exit(127);
    }
    close(to_server[0]);
    close(from_server[1]);
    s->to_server = to_server[1];
    s->from_server = fdopen(from_server[0], "r");
    return 0;
}

/* The port from "ready {"port": P, ...}", which the server says once it
 * listens; 0 if it did not. */
static int server_port(struct server_child *s)
{
    char line[1024];
    int port = 0;
    if (s->from_server && fgets(line, sizeof line, s->from_server) &&
        strncmp(line, "ready ", 6) == 0) {
        json_error_t error;
        json_t *ready = json_loads(line + 6, 0, &error);
        port = (int)json_integer_value(json_object_get(ready, "port"));
        json_decref(ready);
    }
    return port;
}

static void server_stop(struct server_child *s)
{
    if (write(s->to_server, "stop\n", 5) < 0)
        kill(s->pid, SIGKILL);
    close(s->to_server);
    waitpid(s->pid, NULL, 0);
    if (s->from_server)
        fclose(s->from_server);
}

/* The client's wall time, pinned to CPU 0, to the server at port from
 * start_ns (the run's time base, which the server was given too). */
static double client_seconds(const struct by_hand *h, int port, const char *start_ns,
                             const char *log)
{
    char program[512], address[64];
    char *argv[24];
    int n = 0;
    command_program_path(h->bench->build_dir, "harness-client", program, sizeof program);
    snprintf(address, sizeof address, "127.0.0.1:%d", port);
    argv[n++] = program;
    argv[n++] = "--connect";
    argv[n++] = address;
    argv[n++] = "--start-ns";
    argv[n++] = (char *)start_ns;
    argv[n++] = "--duration-ms";
    argv[n++] = "600000";
    argv[n++] = "--sample-ms";
    argv[n++] = (char *)sample_ms(h);
    argv[n++] = h->observe ? "--events" : "--no-events";
    if (h->observe)
        argv[n++] = (char *)log;
    for (int i = 0; h->client_args[i]; i++)
        argv[n++] = (char *)h->client_args[i];
    argv[n] = NULL;
    cpu_set_t all;
    sched_getaffinity(0, sizeof all, &all);
    command_pin_to(0); /* inherited by the client */
    double seconds = command_seconds(argv);
    sched_setaffinity(0, sizeof all, &all);
    return seconds;
}

/* harness-server and harness-client by hand, in the namespace
 * command_in_netns made, pinned: the client's wall time, or -1 */
static double by_hand_in_netns(void *arg)
{
    const struct by_hand *h = arg;
    const char *temp_dir = h->bench->temp_dir;
    char server_log[512], client_log[512], start[64], start_ns[32];
    struct server_child server;
    snprintf(server_log, sizeof server_log, "%s/server-%d.jsonl", temp_dir, (int)getpid());
    snprintf(client_log, sizeof client_log, "%s/client-%d.jsonl", temp_dir, (int)getpid());
    if (server_start(h, server_log, &server) < 0)
        return -1;
    double seconds = -1;
    int port = server_port(&server);
    if (port > 0) {
        snprintf(start_ns, sizeof start_ns, "%lld", (long long)bench_now_ns());
        snprintf(start, sizeof start, "start %s\n", start_ns);
        if (write(server.to_server, start, strlen(start)) >= 0)
            seconds = client_seconds(h, port, start_ns, client_log);
    }
    server_stop(&server);
    unlink(server_log);
    unlink(client_log);
    return seconds;
}

/* n pairs of one case, each led in turn by the observed run and by the
 * other: work / the client's wall time of each. */
static void measure_pairs(struct by_hand *h, double work, int n, double *with, double *without)
{
    for (int k = 0; k < n; k++)
        for (int first = 0; first < 2; first++) {
            h->observe = (first + k) % 2 == 0;
            double v = work / command_in_netns(by_hand_in_netns, h);
            if (h->observe)
                with[k] = v;
            else
                without[k] = v;
        }
}

void bench_observation(struct bench *b)
{
    int n = bench_noisy_pairs(b);
    char chunk[32], bytes[32], conns[16], concurrency[16];
    snprintf(chunk, sizeof chunk, "%d", 131072);
    snprintf(bytes, sizeof bytes, "%llu", 2 * GIB);
    snprintf(conns, sizeof conns, "%d", RATE_CONNECTIONS);
    snprintf(concurrency, sizeof concurrency, "%d", RATE_CONCURRENCY);
    /* the transfer is CPU-bound: on one CPU, where its runs still vary by
     * several percent (its target is the CPU share, measured in the
     * throughput runs); the connections, which wait on each other as much
     * as on the CPU, vary least with server and client on a CPU each */
    struct by_hand transfer = {b, {"--send-bytes", bytes, "--send-chunk", chunk, NULL}, 0, 0};
    struct by_hand opening = {
        b, {"--connections", conns, "--concurrency", concurrency, NULL}, 0, 1};
    double with[MAX_REPEAT], without[MAX_REPEAT];
    measure_pairs(&transfer, (double)(2 * GIB) * 8 / 1e9, n, with, without);
    figures_add_paired(&b->figures, "with and without: throughput, 128 KiB", with, "Gbit/s",
                       "--no-events --sample-ms 0 (info)", without, n, INFO, 0);
    measure_pairs(&opening, RATE_CONNECTIONS, n, with, without);
    figures_add_paired(&b->figures, "with and without: connections/s", with, "conn/s",
                       "--no-events --sample-ms 0", without, n, AT_LEAST, 0.98);
}
