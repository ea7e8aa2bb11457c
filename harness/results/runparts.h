/* runparts.h: the steps of results_run_from_logs (runbuild.h), within
 * the results layer.
 *
 * runconns.c puts the client's connections in start order and joins the
 * server's view to them; runsummary.c sums them up with the two sides'
 * "end" events into the summary and the effective values. */
#ifndef HARNESS_RUNPARTS_H
#define HARNESS_RUNPARTS_H

#include <jansson.h>
#include <stddef.h>

#include "runbuild.h"

/* What a run keeps of its logs' other events, sorted out of them. */
struct run_events {
    json_t *blocks;         /* the client's "block" events, without "event" */
    json_t *client_samples; /* "client_sample" events, without "event" */
    json_t *server_samples; /* "server_sample" events, without "event" */
    json_t *server_events;  /* "listener_closed" and "accept_error", as logged */
    json_t *server_end;     /* each side's "end" event, or NULL */
    json_t *client_end;
};

/* The connections in the order they were started: by conn when the
 * indexes are 0..n-1 each once, otherwise as logged. */
void run_conns_order(struct run_log *client);

/* Joins the server's view (server_conns) to conns, and renames the
 * connections in the server's samples by the client's index. Returns how
 * many of the server's connections matched none of the client's. */
size_t run_conns_join_server(struct conn_record *conns, size_t conn_count,
                             const struct run_log *server, json_t *server_samples);

/* Notes connect_us (outcome_us - start_us) on each connection that
 * connected. */
void run_conns_note_connect_us(struct conn_record *conns, size_t conn_count);

/* The run's "summary": the connections counted by outcome and summed,
 * the server's accepts and unmatched ones, the two ends' figures, and the
 * counter deltas of in (new reference). */
json_t *run_summary(const struct run_inputs *in, const struct conn_record *conns, size_t conn_count,
                    size_t accepted, size_t unmatched, const struct run_events *events);

/* runudp.c: a UDP run's "udp" summary from the two sides' "end" events
 * and the counter deltas (kernel); NULL for a TCP run. New reference. */
json_t *run_summary_udp(const json_t *server_end, const json_t *client_end, const json_t *kernel);

/* The run's "effective": what the kernel granted each side (new
 * reference). */
json_t *run_summary_effective(const struct run_inputs *in, const struct run_events *events);

#endif
