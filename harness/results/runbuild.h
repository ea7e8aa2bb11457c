/* runbuild.h: a run built from the two peers' logs.
 *
 * As a run ends the runner reads the server's and the client's event logs
 * (runlog.h) and builds the run: the client's connections in the order
 * they were started, each joined with the server's view of it (runconns.c);
 * the events the results keep (blocked sends, both sides' samples, the
 * server's listener events); the summary and the effective values
 * (runsummary.c); and the runner's own readings (params, counter deltas,
 * sysctls) from struct run_inputs. A half's merge builds its run the same
 * way, from events already parsed (results_run_from_events). */
#ifndef HARNESS_RUNBUILD_H
#define HARNESS_RUNBUILD_H

#include <jansson.h>
#include <stddef.h>

#include "runlog.h"

/* What a run's two event logs and the runner's readings come to. */
struct run_inputs {
    size_t point, repeat;
    json_t *sweep;         /* {"server.backlog": 4} */
    json_t *params;        /* resolved params */
    json_t *server_ready;  /* the server's ready line */
    json_t *server_events; /* arrays of events */
    json_t *client_events;
    json_t *kernel; /* counter deltas */
    /* what the counters of kernel count: "private_netns" (the run's own
     * namespaces, nothing else in them), "host" (--no-netns: everything on
     * this host), "by_hand" (merged halves: each side's own namespace, which
     * may be its host's) */
    const char *kernel_scope;
    const char *kernel_release; /* uname -r where the server ran, or NULL */
    json_t *sysctls;            /* in force during the run (the server's side) */
    /* server and client in namespaces of their own (topology veth, or by
     * hand on two hosts): each side's counter deltas, whose sum is kernel,
     * and the client's sysctls; NULL when both shared one namespace */
    json_t *kernel_server, *kernel_client;
    json_t *client_sysctls;
    json_t *link; /* topology veth: what link_create made, or NULL */
    /* harness-run: when the server said it polls its listener and when
     * the client was started, since the run's start ({"server_started_us",
     * "client_started_us"}), or NULL (halves by hand) */
    json_t *start_order;
    /* harness-run: why the point ran alone ({"kind": "timing" or
     * "loads_cpu", "why", "nice": the runner's nice value during it, which
     * its children inherited}), JSON null when it did not; NULL (null in
     * the run) for halves by hand */
    json_t *alone;
};

/* Builds one run object from the event arrays in->server_events and
 * in->client_events (a half's "events", already parsed), the whole run
 * as JSON (new reference). Does not steal the inputs. */
json_t *results_run_from_events(const struct run_inputs *in);

/* A run as the runner holds it: everything but its connections as JSON,
 * its connections as records (connrecord.h), joined with the server's view
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

/* A run's samples where nobody read the server's port through sock_diag
 * (runner/sockwatch.c reads it beside harness-server): the same keys,
 * syn_recv empty, server_sockets, sock_diag_us and sock_diag_readings
 * null, and samples.sources saying where the server's samples came from
 * (server) and why the port was not read (why). */
void results_samples_unread(json_t *samples, const char *server, const char *why);

#endif
