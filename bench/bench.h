/* bench.h: one `make bench` run and its sections.
 *
 * main (run.c) fills a struct bench (where the programs are, a scratch
 * directory, how often to repeat), calls the sections chosen in the order
 * below, and prints the table. Each section measures one kind of target
 * and adds its rows to b->figures (figures.h), the harness's figure beside
 * its peer's, measured in the same run. Everything runs in network
 * namespaces of its own; host sysctls are never touched. */
#ifndef BENCH_BENCH_H
#define BENCH_BENCH_H

#include "figures.h"

#define GIB (1ull << 30)

/* The connection-rate point: 20,000 connections, 64 in flight (the rate
 * and observation sections). */
#define RATE_CONNECTIONS 20000
#define RATE_CONCURRENCY 64

struct bench {
    const char *build_dir;  /* the harness's programs and, in bench/, ours */
    const char *source_dir; /* scenarios/, plot/, Makefile.experiments */
    char temp_dir[256];     /* scratch files; removed at the end */
    char self_path[4096];   /* this program, to run a point under --peak */
    char iperf3_path[4096];
    int repeat;       /* --repeat: runs of each figure */
    int point_serial; /* names the next harness-run point's files */
    struct figures figures;
};

/* Pairs of the figures that vary most (the transfers, and the runs with
 * and without observation): single pairs of 2 GiB transfers on one CPU
 * range from 0.5 to 1.7 here, and a median of 9 moved by 0.1 from one
 * `make bench` to the next; 15 pairs, each in turn led by the harness and
 * by its peer. --repeat when it asks for more. */
int bench_noisy_pairs(const struct bench *b);

/* throughput (throughput.c): one connection sending 2 GiB over loopback
 * with default buffers, the reader reading at once, sender and reader on
 * one CPU (all of them, harness and peers): the harness's bytes_read over
 * the time from the connection's outcome (connect done, first send) to the
 * server's EOF (last read), from its own results; the peers:
 * bench-stream-reference --nonblocking (the same non-blocking send() and
 * recv(64 KiB) on epoll, without the records; from first send to EOF) and
 * iperf3 -n 2G -l SIZE (its receiver's bits_per_second; -l sets the reads
 * too) at every size; a blocking send() loop is shown beside at 128 KiB,
 * without a target (a blocking send() larger than the room left sleeps and
 * copies on in the kernel, which no event loop that must see the send
 * block can do). */
void bench_throughput(struct bench *b);

/* rate (rate.c): 20,000 connections, 64 in flight, accepted at once and
 * closed by the client after connect: the harness's attempted / (last
 * closed_us - first start_us) from its results; the peer:
 * bench-connect-reference, the same from its first connect() to its last
 * close(). */
void bench_rate(struct bench *b);

/* scale (scale.c): 10,000 connections, 1,000 in flight, 1 KiB each:
 * attempted / elapsed_us (end to end), nothing lost, and the largest peak
 * RSS of harness-run, harness-server and harness-client (wait4 reports the
 * largest of a process and the children it reaped; see command_peak()). */
void bench_scale(struct bench *b);

/* sequential (scale.c): 100,000 connection attempts one at a time in one
 * point: all connected, the runner's time to build and write the results
 * (it says so on stderr), its peak RSS, and the time harness-plot takes on
 * the file. */
void bench_sequential(struct bench *b);

/* observation (observation.c): what sampling every 10 ms and the event log
 * cost, compared: harness-server (under --control, as harness-run drives
 * it) and harness-client by hand with events to files and samples every
 * 10 ms against --no-events --sample-ms 0: the client's wall time (the same
 * start-up cost in both) for the 2 GiB transfer (one CPU; its runs vary too
 * much to resolve 2%: shown only) and the 20,000 connections (the target;
 * server and client on a CPU each). Measured, as sampling_us + logging_us
 * of the throughput and rate runs as a share of their cpu_us, in those
 * sections (the target for the transfer, CPU-bound on one CPU). */
void bench_observation(struct bench *b);

/* idle (idle.c): points that only wait (a server that never accepts; a
 * reader that never reads): the CPU time of runner, server and client over
 * 2.5 s in the middle (/proc/PID/stat), the busiest of the three. */
void bench_idle(struct bench *b);

/* suite (suite.c): the default `make experiments`, plots included, in a
 * scratch directory (results/ is left alone). */
void bench_suite(struct bench *b);

#endif
