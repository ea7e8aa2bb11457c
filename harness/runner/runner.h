/* runner.h: run every point of a scenario and collect its results.
 *
 * For each point and repeat: a fresh network namespace (loopback up, the
 * point's sysctls written there and nowhere else), the kernel counters
 * before, harness-server started and awaited ("ready"), one start time on
 * CLOCK_MONOTONIC handed to both, harness-client started, the point ended
 * when the work is done or at duration_ms, both children stopped and
 * reaped, the counters after, and a run object built from the two event
 * logs (results.h). */
#ifndef HARNESS_RUNNER_H
#define HARNESS_RUNNER_H

#include <jansson.h>

#include "error.h"
#include "scenario.h"

struct runner_options {
    const char *bin_dir; /* where harness-server and harness-client are */
    const char *output;  /* the results file, written atomically at the end */
    int use_netns;       /* 0: --no-netns, run on the host's stack */
    int quiet;           /* no progress lines */
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
