/* results.h: the one results model of a scenario, written once,
 * atomically.
 *
 * The runner builds each run from its two event logs (runlog.h) as the
 * run ends, writes it to a spool, and keeps only what the point summaries
 * need; the file is the spool spliced into the rest, written at the end.
 * Its bytes are those json_dumpf(JSON_SORT_KEYS | JSON_INDENT(2)) would
 * write for the whole tree, but the runner holds about 0.2 KB per
 * connection instead of 6.5 KB, and writes 100,000 connections in a
 * fraction of a second.
 *
 * A results file is {"format", "scenario_file", "scenario" (as given),
 * "environment", "plots", "runs": [...]}; each run has "params",
 * "effective", "summary" (with "kernel" counter deltas), and the per-event
 * arrays "connections", "blocks", "samples", "server_events". The fields are
 * documented in results/README.md. */
#ifndef HARNESS_RESULTS_H
#define HARNESS_RESULTS_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "runlog.h"

#define RESULTS_FORMAT "backlog-lab results 1"

/* Reads a JSON-lines event log into an array. */
int results_read_events(const char *path, json_t **events, struct hl_error *err);

/* What a run's two event logs and the runner's readings come to. */
struct run_inputs {
    size_t point, repeat;
    json_t *sweep;         /* {"server.backlog": 4} */
    json_t *params;        /* resolved params */
    json_t *server_ready;  /* the server's ready line */
    json_t *server_events; /* arrays of events */
    json_t *client_events;
    json_t *kernel;  /* counter deltas */
    json_t *sysctls; /* in force during the run (the server's side) */
    /* server and client in namespaces of their own (topology veth, or by
     * hand on two hosts): each side's counter deltas, whose sum is kernel,
     * and the client's sysctls; NULL when both shared one namespace */
    json_t *kernel_server, *kernel_client;
    json_t *client_sysctls;
    json_t *link; /* topology veth: what link_create made, or NULL */
};

/* Builds one run object from the event arrays in->server_events and
 * in->client_events (a half's "events", already parsed), the whole run
 * as JSON (new reference). Does not steal the inputs. */
json_t *results_run_from_events(const struct run_inputs *in);

/* The results' "environment": this machine (kernel, hostname, cpus ...),
 * the harness and library versions, the time, whether each run had a
 * namespace of its own, and sysctls (taken over). */
json_t *results_environment(int private_netns, json_t *sysctls);

/* A run as the runner holds it: everything but its connections as JSON,
 * its connections as records (runlog.h), joined with the server's view
 * and in the order they were started. */
struct results_run {
    json_t *run; /* the run object without "connections" */
    struct conn_record *conns;
    size_t conn_count;
    struct run_log client; /* owns the records and their strings */
};

/* Builds a run from the two logs of a point; in->server_events and
 * in->client_events are not used. The logs are taken over (and emptied).
 * Returns 0 or -ENOMEM. */
int results_run_from_logs(const struct run_inputs *in, struct run_log *server,
                          struct run_log *client, struct results_run *out);

/* The whole run object, connections included (new reference). */
json_t *results_run_to_json(const struct results_run *run);

/* What aggregate_points() reads of the run (aggregate.h): the run object
 * with, in "connections", the connections the connect_us prediction
 * checks and null for the others (new reference). */
json_t *results_run_for_aggregate(const struct results_run *run);

void results_run_free(struct results_run *run);

/* The point summary (aggregate.h) of one point's runs, whose first is
 * runs[first_index] of the results (new reference). */
json_t *results_point_summary(const json_t *point_runs, size_t first_index);

/* The sampling caps for "sampling_limits" (sampler.h) (new reference). */
json_t *results_sampling_limits(void);

/* Runs written as they come, so the runner never holds them all: an
 * unnamed file that vanishes with the runner, however it ends. */
struct results_spool {
    FILE *file;
    size_t runs;
};

/* Opens an empty spool in dir. */
int results_spool_open(struct results_spool *spool, const char *dir, struct hl_error *err);

/* Writes the run as it will stand in the results file. */
int results_spool_add(struct results_spool *spool, const struct results_run *run,
                      struct hl_error *err);

void results_spool_close(struct results_spool *spool);

/* results_write_atomic() of root with its "runs" taken from the spool
 * (root's own "runs", if any, is ignored): the same bytes as
 * json_dumpf(JSON_SORT_KEYS | JSON_INDENT(2)) of the whole, written in a
 * fraction of the time and memory. */
int results_write_spooled(const char *path, json_t *root, struct results_spool *spool,
                          struct hl_error *err);

/* Adds to a results object what is derived from all its runs:
 * "point_summaries" (aggregate.h: per point the median, min and max of
 * every summary number over its repeats, the kernel's predictions and the
 * flags where a measurement departs from them) and "sampling_limits" (the
 * caps of sampler.h). */
void results_add_derived(json_t *results);

/* Writes root to path through a temporary file in the same directory,
 * fsync, rename: a reader sees the old file or the new one, never half. */
int results_write_atomic(const char *path, json_t *root, struct hl_error *err);

/* Checks, before any run starts, that path's directory is writable. */
int results_check_writable(const char *path, struct hl_error *err);

#endif
