/* sampler.h: what the server's and the client's periodic samples share.
 *
 * Every sample_ms each side reads its counters and, per connection, a
 * queue the kernel keeps: the server each accepted connection's unread
 * bytes (ioctl SIOCINQ), the client each connected socket's send queue
 * (ioctl SIOCOUTQ: bytes not yet acknowledged by the peer, sent or not).
 * A sample is kept only when something in it changed, so a plateau costs
 * one sample, not one per tick.
 *
 * The cost is bounded, so that sampling cannot change what it measures:
 *   - per sample, the queues of at most SAMPLER_CONNS connections are read
 *     (the oldest open ones): one ioctl each, and the walk stops there, so
 *     a sample costs tens of microseconds whether 3 or 5,000 connections
 *     are open (measured: about 50 us per sample and side with 5,000 open,
 *     3 us with a handful); summary.conns_unsampled_max says how many more
 *     were open at worst;
 *   - per process at most PARAMS_MAX_SAMPLES samples are kept
 *     (summary.samples_dropped counts the rest), and at most
 *     SAMPLER_MAX_CONN_ENTRIES per-connection entries in them (beyond that
 *     a sample keeps its totals and drops its list:
 *     summary.conn_samples_dropped);
 *   - the time spent sampling is measured (summary.sampling_us). */
#ifndef HARNESS_SAMPLER_H
#define HARNESS_SAMPLER_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "eventlog.h"
#include "params.h"

#define SAMPLER_MAX_TOTALS 8

/* One connection in a sample: its index, a byte counter and a queue. */
struct sample_conn {
    uint32_t conn;
    uint64_t bytes;
    uint64_t queue;
};

struct sampler {
    uint64_t samples, samples_dropped;
    uint64_t conn_entries, conn_entries_dropped;
    uint64_t unsampled_max;
    int64_t cost_ns;
    /* the last sample taken, to keep only changes */
    int have_last;
    size_t last_totals_count, last_conn_count;
    int64_t last_totals[SAMPLER_MAX_TOTALS];
    struct sample_conn last_conns[SAMPLER_CONNS];
};

/* Decides whether this sample is kept: not when totals and conns equal the
 * last sample's, nor beyond PARAMS_MAX_SAMPLES (counted as dropped).
 * open_conns: how many connections could have been sampled (for
 * conns_unsampled_max). */
int sampler_keep(struct sampler *sampler, const int64_t *totals, size_t totals_count,
                 const struct sample_conn *conns, size_t conn_count, uint64_t open_conns);

/* Adds the per-connection list of a kept sample to its line,
 * "conns":[[conn, bytes, queue], ...], unless SAMPLER_MAX_CONN_ENTRIES
 * entries were written already (counted as dropped: the sample then keeps
 * only its totals). */
void sampler_conns_line(struct sampler *sampler, struct event_line *line,
                        const struct sample_conn *conns, size_t count);

/* The sampler's counters for the "end" event: samples, samples_dropped,
 * conn_samples_dropped, conns_unsampled_max, sampling_us; and cpu_us, the
 * process's CPU time so far (user and system), against which sampling_us
 * and logging_us are a share. */
void sampler_report(const struct sampler *sampler, json_t *end_event);

#endif
