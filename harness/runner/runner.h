/* runner.h: run every point of a scenario and collect its results.
 *
 * For each point and repeat: a fresh network namespace (loopback up, the
 * point's sysctls written there and nowhere else), the kernel counters
 * before, harness-server started and awaited ("ready"), one start time on
 * CLOCK_MONOTONIC handed to both, harness-client started, the point ended
 * when the work is done or at duration_ms, both children stopped and
 * reaped, the counters after, and a run object built from the two event
 * logs (results.h).
 *
 * The runner prints nothing: what it has to tell while it runs goes to the
 * progress callbacks its caller supplies (struct runner_progress), and what
 * went wrong comes back in a struct hl_error. */
#ifndef HARNESS_RUNNER_H
#define HARNESS_RUNNER_H

#include <jansson.h>
#include <stdint.h>

#include "error.h"
#include "scenario.h"
#include "shards.h"

/* Where the runner is: point `point` (from 0) of scenario->point_count,
 * repeat `repeat` (from 0) of scenario->repeat; label holds the point's
 * swept values as scenario_point_label() writes them ("server.backlog=4",
 * "" for a scenario without a sweep). */
struct runner_place {
    const struct scenario *scenario;
    size_t point;
    size_t repeat;
    const char *label;
};

/* What the runner tells while it runs, in this order, for its caller to
 * show. Every member may be NULL (not told); data is handed back to each.
 * The pointers passed are valid only during the call. */
struct runner_progress {
    /* A run ended and was built; summary is its "summary" (results.h). */
    void (*run_done)(void *data, const struct runner_place *at, const json_t *summary);
    /* A point that is not run, since its link needs a qdisc this kernel
     * lacks; reason says which (at->repeat is 0). */
    void (*point_skipped)(void *data, const struct runner_place *at, const char *reason);
    /* Every point was skipped: the results file, written next, holds no
     * runs. */
    void (*nothing_measured)(void *data, const struct scenario *scenario);
    /* The results file is written: the connections of its runs, and the
     * time spent turning event logs into results and writing them (what
     * the harness adds to the measurements themselves). */
    void (*results_written)(void *data, uint64_t connections, int64_t results_ns);
    void *data;
};

struct runner_options {
    const char *bin_dir; /* where harness-server and harness-client are */
    const char *output;  /* the results file, written atomically at the end */
    int use_netns;       /* 0: --no-netns, run on the host's stack */
    int no_programs;     /* --no-programs: refuse a scenario that runs a program of its own */
    int jobs;  /* runs measured side by side (1: one after another; --no-netns: always 1) */
    int slots; /* points at once on this machine, across harness-run processes (slots.h) */
    const struct runner_progress *progress; /* NULL: nothing told */
    struct shard shard; /* count 0: every point; else only the shard's (shards.h) */
};

/* Runs all points and writes the results to options->output (results.h:
 * each run to a spool as it ends, the file at the end). Returns 0, -EINVAL
 * when a point failed (err names the point and why), -EINTR when
 * interrupted (SIGINT/SIGTERM; children killed and reaped), or the
 * negative errno of a results file that could not be written (the
 * previous one, if any, is unchanged). */
int runner_run(const struct runner_options *options, const struct scenario *scenario,
               struct hl_error *err);

#endif
