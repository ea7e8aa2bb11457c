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
 *   children_program.c  the same protocol kept by the runner for a
 *               program in the server's place (program.h): ready when
 *               sock_diag sees it listen, its queues sampled, stopped
 *   sockwatch.c the server's port through sock_diag for every point: the
 *               SYN queue over time, each socket at the end
 *   skip.c      points skipped because this kernel lacks a qdisc their
 *               link needs
 *   jobs.c      the runs side by side (--jobs): worker processes, each
 *               run left in a file, put in order at the end
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
#include "program.h"
#include "results.h"
#include "runner.h"
#include "scenario.h"
#include "slots.h"
#include "sockdiag.h"

struct point_run;

struct runner {
    uv_loop_t *loop;
    struct runner_options options;
    char server_bin[PATH_MAX], client_bin[PATH_MAX];
    char temp_dir[PATH_MAX]; /* the event logs and the spool; "" until made */
    char log_dir[PATH_MAX];  /* the current run's event logs: temp_dir, or a worker's own */
    struct netns ns;
    int private_netns;
    json_t *host_sysctls; /* the sysctls in force where no scenario wrote any */
    uv_signal_t sigint, sigterm;
    int signals_caught;
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
    /* server.command or client.command: the program in the place of
     * harness-server or harness-client (children_program.c), else NULL */
    const char *scenario_file;
    struct program *program;
    int server_program, client_program; /* which side it is */
    int diag_fd;                        /* sock_diag where the server listens (sockwatch.c); -1 */
    uv_timer_t program_timer;           /* polls its port until it listens, then samples */
    uv_timer_t program_grace;           /* from SIGTERM to SIGKILL */
    int program_timers_open;
    json_t *program_events; /* its event log, as the runner writes it */
    int program_frozen, program_terminating;
    uint64_t program_spawned_ms;   /* uv_now() when it was started */
    int64_t program_full_after_ns; /* the next sample lists every socket from then */
    int64_t program_sampling_ns;   /* spent reading its sockets: summary.sampling_us */
    /* the runner's own watch of the server's port (sockwatch.c) */
    uint16_t watch_port;    /* 0 until the server listens */
    uv_timer_t watch_timer; /* harness-server's: reads the SYN_RECV sockets */
    int watch_timer_open;
    int64_t watch_after_ns;   /* the next reading not before */
    int64_t watch_gap_ns;     /* the wait the last reading set (sockwatch.c) */
    int64_t watch_ns;         /* spent reading: samples.sock_diag_us */
    int64_t watch_readings;   /* samples.sock_diag_readings */
    json_t *syn_recv_samples; /* samples.syn_recv */
    json_t *server_sockets;   /* samples.server_sockets, or NULL */
    int watch_ended, watch_end_ok;
    struct sockdiag_port watch_end_port; /* the port at the end, when watch_end_ok */
};

/* A run to measure: a repeat of a point. The runs of a scenario are its
 * points not skipped, each repeat in turn, in order; next is the first not
 * yet taken, in memory shared by the workers of --jobs. */
struct run_item {
    size_t point, repeat;
};

struct run_items {
    struct run_item *item;
    size_t count;
    size_t *order; /* the order workers take them in: alone first */
    size_t *next;
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

/* children.c: the client started with the run's start time. */
void children_start_client(struct point_run *p);

/* children.c: both children stopped: the counters, then "exit". */
void children_maybe_frozen(struct point_run *p);

/* children.c: both children gone: everything released. */
void children_maybe_done(struct point_run *p);

/* children_program.c: the program started where the server would be (the
 * current namespace), watched until it listens. */
int program_side_spawn(struct point_run *p, struct hl_error *err);

/* children_program.c: a client program started where harness-client
 * would be (the current namespace), told the server's host and port. */
int program_side_spawn_client(struct point_run *p, const char *host, uint16_t port,
                              struct hl_error *err);

/* children_program.c: the client's commands, kept for a client program:
 * "stop" (SIGTERM, then SIGKILL; the server is told to stop). */
void program_side_client_command(struct point_run *p, const char *command);

/* children_program.c: the server's commands, kept for the program:
 * "stop" (its queues read as they stand, then frozen), "client-done"
 * (read, then stopped), "exit" (stopped: SIGTERM, then SIGKILL). */
void program_side_command(struct point_run *p, const char *command);

/* children_program.c: killed now, with anything left in its namespace. */
void program_side_kill(struct point_run *p);

/* children_program.c: its timers closed and its descendants swept, once
 * it is gone. */
void program_side_release(struct point_run *p);

/* children.c: a command for the server: written to harness-server, kept
 * by the runner for a program; "stop" and "client-done" take the
 * sockets' end first (sockwatch_end). */
void children_server_send(struct point_run *p, const char *command);

/* sockwatch.c: its sock_diag socket, in the server's namespace (current);
 * 0 or a negative errno with err filled. */
int sockwatch_open(struct point_run *p, struct hl_error *err);

/* sockwatch.c: the server listens on port: the watch begins (harness-
 * server's: the SYN_RECV sockets every sample_ms, spaced by their cost). */
void sockwatch_start(struct point_run *p, uint16_t port);

/* sockwatch.c: the SYN_RECV count at t_us, kept when it changed; 1 when it
 * did (whether kept or past the samples' limit), else 0. */
int sockwatch_note(struct point_run *p, int64_t t_us, uint32_t syn_recv);

/* sockwatch.c: the end (once): every socket of the port read, the
 * snapshot kept, p->watch_end_port filled; 0, or -1 when nothing could be
 * read (the run failed, or the server never listened). */
int sockwatch_end(struct point_run *p);

/* sockwatch.c: the watch's samples into the built run's "samples". */
void sockwatch_record(struct point_run *p, struct results_run *run);

/* sockwatch.c: its timer closed and its socket, once the children are
 * gone. */
void sockwatch_release(struct point_run *p);

/* skip.c: asks the kernel, once, for the qdiscs the scenario's links need
 * (runner->qdiscs_missing, runner->qdisc_refusal). */
int skip_probe_qdiscs(struct runner *runner, const struct scenario *scenario, struct hl_error *err);

/* skip.c: 1 if point index needs a qdisc this kernel lacks: recorded in
 * runner->skipped with the reason, and told (progress). */
int skip_point(struct runner *runner, const struct scenario *scenario, size_t index);

/* runner.c: SIGINT and SIGTERM stop the current run and the scenario. */
void runner_catch_signals(struct runner *r);

/* runner.c: 1 once SIGINT or SIGTERM came (handled now if pending). */
int runner_interrupted(struct runner *r);

/* runner.c: a run built, told to the progress callbacks. */
void runner_tell_run_done(const struct runner *r, const struct scenario *s, size_t index,
                          size_t repeat, const json_t *run);

/* runner.c: err becomes "SCENARIO: point 2/9 LABEL, repeat 1: why";
 * returns -EINVAL. */
int runner_name_failed_run(const struct scenario *s, size_t index, size_t repeat,
                           struct hl_error *err);

/* runner.c: the slot of the machine a run needs (slots.h), held in *slot:
 * kept when one is held already and the point does not run alone, else
 * waited for (the whole machine for a point that runs alone; item NULL:
 * a run that does not). 0, or -EINTR when a signal came. */
int runner_hold_slot(struct runner *r, const struct scenario *s, const struct run_item *item,
                     struct slot *slot);

/* jobs.c: every run of items measured by options.jobs workers side by
 * side, left in the temporary directory and told as they end (in order).
 * Returns 0, -EINTR when interrupted, or the first failed run named. */
int jobs_measure(struct runner *r, const struct scenario *s, const struct run_items *items,
                 struct hl_error *err);

/* jobs.c: the runs jobs_measure() left, into the spool in order, and the
 * point summaries made from them. */
int jobs_collect(struct runner *r, const struct scenario *s, const struct run_items *items,
                 struct hl_error *err);

#endif
