/* command.h: running the programs `make bench` measures.
 *
 * A program is run to its end with its output captured and its wall time
 * and peak resident set taken (command_run); a measurement that must not
 * see another run's sockets or ports runs in a child in a network
 * namespace of its own (command_in_netns); one that must not be spread
 * over CPUs by the scheduler is pinned (command_pin_to). */
#ifndef BENCH_COMMAND_H
#define BENCH_COMMAND_H

#include <stddef.h>

struct command_output {
    char *text; /* NUL-terminated; NULL when there was none */
    size_t length, capacity;
};

struct command_result {
    int ok;          /* exited 0 */
    double seconds;  /* from fork to exit */
    long maxrss_kib; /* the largest of it and the children it reaped */
    struct command_output out, err;
};

/* Runs argv (argv[0] a path) to its end, its stdout and stderr captured in
 * *result. Returns 0 when it exited 0; else -1, having said so on stderr
 * with what the program printed. Free *result with command_result_free()
 * in both cases. */
int command_run(char *const argv[], struct command_result *result);

void command_result_free(struct command_result *result);

/* command_run()'s wall time in seconds, or -1 when it failed. */
double command_seconds(char *const argv[]);

/* The number after "key=" in text, or -1 (text may be NULL). */
double command_key_value(const char *text, const char *key);

/* Where the build put program: BUILD_DIR/bench/bench-* for the bench's own
 * programs but bench-run, BUILD_DIR/program for the harness's. */
void command_program_path(const char *build_dir, const char *program, char *out, size_t size);

/* program's path on $PATH in out; 0, or -1 when it is not there. */
int command_find_on_path(const char *program, char *out, size_t size);

/* fn(arg) in a child process in a fresh network namespace, its loopback
 * up; fn's result, or -1. */
double command_in_netns(double (*fn)(void *), void *arg);

/* The CPU of this process and what it starts from now on: one CPU for
 * sender and reader, the harness and its peer alike, so that where the
 * scheduler puts two busy processes on two vCPUs does not add to the
 * noise. Nothing to pin on one CPU. */
void command_pin_to(int cpu);

/* bench-run --peak PROGRAM ARG...: runs PROGRAM and prints its peak RSS
 * (the largest of it and the children it reaped) as peak_rss_kib=N on
 * stderr; returns its exit status (1 if it did not exit). A child inherits
 * the high-water mark of the process it was forked from, even across
 * exec: forked from a bench-run that has read results files it would
 * report those; forked from this fresh one, about a megabyte. */
int command_peak(char **argv);

#endif
