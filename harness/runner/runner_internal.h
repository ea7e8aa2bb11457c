/* runner_internal.h: the runner's parts, shared by its files and by no
 * one else.
 *
 *   runner.c    the scenario: checks before the first point, the points
 *               one after another, the results file
 *   point.c     one run of a point: its namespaces and sysctls, the
 *               counters before and after, the run built from the logs
 *   children.c  the two children of a run and their protocol: ready,
 *               start, started, client-done, stop, stopped, exit, and a
 *               failure named
 *   skip.c      points skipped because this kernel lacks a qdisc their
 *               link needs
 *
 * A struct runner lives for one runner_run(); a struct point_run for one
 * run of one point. */
#ifndef HARNESS_RUNNER_INTERNAL_H
#define HARNESS_RUNNER_INTERNAL_H

#include <jansson.h>
#include <limits.h>
#include <stdint.h>
#include <uv.h>

#include "error.h"
#include "netns.h"
#include "params.h"
#include "process.h"
#include "results.h"
#include "runner.h"
#include "scenario.h"

struct point_run;

struct runner {
    uv_loop_t *loop;
    struct runner_options options;
    char server_bin[PATH_MAX], client_bin[PATH_MAX];
    char temp_dir[PATH_MAX]; /* the event logs and the spool; "" until made */
    struct netns ns;
    int private_netns;
    json_t *host_sysctls; /* the sysctls in force where no scenario wrote any */
    uv_signal_t sigint, sigterm;
    int interrupted; /* the signal that came, or 0 */
    struct point_run *current;
    unsigned qdiscs_missing; /* link_needs() bits this kernel lacks */
    char qdisc_refusal[256]; /* what the kernel said when asked for one */
    /* what the runs leave for the results file */
    struct results_spool spool;
    json_t *point_summaries, *skipped;
    size_t runs_measured;
    int64_t results_ns;         /* spent turning logs into results, after the points */
    uint64_t connections_built; /* connections in them */
};

struct point_run {
    struct runner *runner;
    const struct point_params *params;
    char *params_text;
    const char *server_host; /* where the server listens and the client connects */
    char server_events[PATH_MAX], client_events[PATH_MAX];
    struct child server, client;
    uv_timer_t ready_timer, duration_timer, grace_timer;
    int timers_open;
    json_t *server_ready;
    int64_t start_ns;
    /* when the server said "started" and when the client was started,
     * since start_ns: the client never before the server polls */
    int64_t server_started_us, client_started_us;
    int64_t client_connected; /* from the client's "end" or "stopped" line */
    int stopping;
    int client_stopped, server_stopped; /* said "stopped": recorded, sockets still open */
    /* Called once both children have stopped (the run's end at
     * duration_ms): the kernel's counters are read now, before the children
     * close their sockets; point.c sets it. */
    void (*on_frozen)(struct point_run *p);
    void *frozen_data;
    int failed;
    char failure[1536];
};

/* point.c: one run (repeat) of point index, in fresh namespaces; on
 * success *run holds it (results_run_free). Returns -EINTR when
 * interrupted, the failure of a child as an error without a where, or
 * what could not be set up. */
int point_measure(struct runner *runner, const struct scenario *scenario, size_t index,
                  size_t repeat, struct results_run *run, struct hl_error *err);

/* children.c: starts the server, then the client once the server is
 * ready, and runs the loop until both are gone (p->failed and p->failure
 * say whether and why the run failed). Called in the namespace where the
 * client runs. */
void children_run(struct point_run *p);

/* children.c: the run failed (the first reason given is kept): both
 * children are killed. */
void children_fail(struct point_run *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* skip.c: asks the kernel, once, for the qdiscs the scenario's links need
 * (runner->qdiscs_missing, runner->qdisc_refusal). */
int skip_probe_qdiscs(struct runner *runner, const struct scenario *scenario, struct hl_error *err);

/* skip.c: 1 if point index needs a qdisc this kernel lacks: recorded in
 * runner->skipped with the reason, and told (progress). */
int skip_point(struct runner *runner, const struct scenario *scenario, size_t index);

#endif
