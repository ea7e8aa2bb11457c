/* results.h: the one results model of a scenario, built in memory and
 * written once, atomically.
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

#include "error.h"

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

/* Builds one run object (new reference). Does not steal the inputs. */
json_t *results_build_run(const struct run_inputs *in);

/* The results' "environment": this machine (kernel, hostname, cpus ...),
 * the harness and library versions, the time, whether each run had a
 * namespace of its own, and sysctls (taken over). */
json_t *results_environment(int private_netns, json_t *sysctls);

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
