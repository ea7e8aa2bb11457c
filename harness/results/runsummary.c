/* runsummary.c: what a run comes to: its summary and its effective
 * values (runparts.h). */
#include "latency.h"
#include "runparts.h"

#include <string.h>

static json_int_t get_int(const json_t *obj, const char *key)
{
    return json_integer_value(json_object_get(obj, key));
}

static int is(const char *a, const char *b)
{
    return a && strcmp(a, b) == 0;
}

struct outcome_counts {
    json_int_t attempted, connected, refused, timed_out, failed, pending, reset, would_block;
    json_int_t bytes_sent, bytes_received, blocked_sends, blocked_us;
    json_int_t timed_out_kernel, timed_out_harness;
};

/* The connections by outcome, and their sums; one without an outcome
 * counts as attempted alone. */
static void count_outcomes(const struct conn_record *conns, size_t conn_count,
                           struct outcome_counts *c)
{
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < conn_count; i++) {
        const struct conn_record *r = &conns[i];
        const char *outcome = conn_has(r, CONN_OUTCOME) ? r->value[CONN_OUTCOME].string : NULL;
        c->attempted++;
        if (!outcome)
            continue;
        if (is(outcome, "connected")) {
            c->connected++;
        } else if (is(outcome, "refused")) {
            c->refused++;
        } else if (is(outcome, "timed_out")) {
            const char *by = conn_has(r, CONN_TIMEOUT_BY) ? r->value[CONN_TIMEOUT_BY].string : NULL;
            c->timed_out++;
            c->timed_out_kernel += is(by, "kernel");
            c->timed_out_harness += is(by, "harness");
        } else if (is(outcome, "pending")) {
            c->pending++;
        } else if (is(outcome, "would_block")) {
            c->would_block++;
        } else {
            c->failed++;
        }
        c->reset += conn_has(r, CONN_RESET) && r->value[CONN_RESET].boolean;
        c->bytes_sent += conn_int(r, CONN_BYTES_SENT);
        c->bytes_received += conn_int(r, CONN_BYTES_RECEIVED);
        c->blocked_sends += conn_int(r, CONN_BLOCKED_SENDS);
        c->blocked_us += conn_int(r, CONN_BLOCKED_US);
    }
}

/* key of the first block of the run (by its start), or null: what the
 * first connection to block had sent when it first had to wait
 * (client_send.c defines the two figures) */
static json_t *first_block_figure(const json_t *blocks, const char *key)
{
    const json_t *first_block = NULL, *block;
    size_t i;
    json_array_foreach(blocks, i, block)
    {
        if (!first_block || get_int(block, "start_us") < get_int(first_block, "start_us"))
            first_block = block;
    }
    const json_t *value = json_object_get(first_block, key);
    return json_is_integer(value) ? json_incref((json_t *)value) : json_null();
}

/* a figure of a side's "end" event that only a stopped run has, or null */
static json_t *at_stop(const json_t *end, const char *key)
{
    const json_t *value = json_object_get(end, key);
    return json_is_integer(value) ? json_incref((json_t *)value) : json_null();
}

static json_int_t larger(json_int_t a, json_int_t b)
{
    return b > a ? b : a;
}

/* The figures each side's "end" event reports, added up (or the larger
 * of the two, for the elapsed time and the unsampled connections). */
static void add_end_figures(json_t *summary, const json_t *server_end, const json_t *client_end)
{
    /* the server reports -1 when it had no listener to ask */
    json_int_t queue_at_end = get_int(server_end, "queue_at_end");
    json_object_set_new(summary, "queue_at_end",
                        queue_at_end >= 0 ? json_integer(queue_at_end) : json_null());
    json_object_set_new(summary, "stopped_at_duration",
                        json_boolean(json_is_true(json_object_get(client_end, "stopped")) ||
                                     json_is_true(json_object_get(server_end, "stopped"))));
    static const char *const summed[] = {"samples_dropped", "conn_samples_dropped", "sampling_us",
                                         "logging_us", "cpu_us"};
    for (size_t i = 0; i < sizeof summed / sizeof summed[0]; i++)
        json_object_set_new(
            summary, summed[i],
            json_integer(get_int(server_end, summed[i]) + get_int(client_end, summed[i])));
    json_object_set_new(summary, "conns_unsampled_max",
                        json_integer(larger(get_int(server_end, "conns_unsampled_max"),
                                            get_int(client_end, "conns_unsampled_max"))));
}

/* What the server's recv() calls returned: their count and histogram
 * (harness-server's "end" event), null where no server of ours read. */
static void add_read_sizes(json_t *summary, const json_t *server_end)
{
    json_t *sizes = json_object_get(server_end, "read_sizes");
    json_object_set_new(summary, "reads",
                        json_is_object(sizes) ? json_integer(get_int(sizes, "reads"))
                                              : json_null());
    json_object_set_new(summary, "read_sizes",
                        json_is_object(sizes) ? json_copy(sizes) : json_null());
}

json_t *run_summary(const struct run_inputs *in, const struct conn_record *conns, size_t conn_count,
                    size_t accepted, size_t unmatched, const struct run_events *events)
{
    struct outcome_counts c;
    count_outcomes(conns, conn_count, &c);
    json_int_t elapsed =
        larger(get_int(events->client_end, "t_us"), get_int(events->server_end, "t_us"));
    json_t *summary =
        json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:{s:I,s:I},s:I}",
                  "attempted", c.attempted, "connected", c.connected, "accepted",
                  (json_int_t)accepted, "refused", c.refused, "timed_out", c.timed_out, "failed",
                  c.failed, "pending", c.pending, "reset", c.reset, "bytes_sent", c.bytes_sent,
                  "bytes_read", get_int(events->server_end, "bytes_read"), "bytes_received",
                  c.bytes_received, "blocked_sends", c.blocked_sends, "blocked_us", c.blocked_us,
                  "elapsed_us", elapsed, "timed_out_by", "kernel", c.timed_out_kernel, "harness",
                  c.timed_out_harness, "unmatched_accepts", (json_int_t)unmatched);
    json_object_set_new(summary, "would_block", json_integer(c.would_block));
    json_object_set_new(summary, "bytes_before_first_block",
                        first_block_figure(events->blocks, "bytes_before"));
    json_object_set_new(summary, "bytes_before_first_blocked_call",
                        first_block_figure(events->blocks, "bytes_before_call"));
    json_object_set_new(summary, "send_queue_at_end",
                        at_stop(events->client_end, "send_queue_at_end"));
    json_object_set_new(summary, "receive_queue_at_end",
                        at_stop(events->server_end, "receive_queue_at_end"));
    add_end_figures(summary, events->server_end, events->client_end);
    add_read_sizes(summary, events->server_end);
    json_object_set_new(summary, "connect_us", latency_connect_us(conns, conn_count));
    size_t waited = latency_waited(conns, conn_count);
    json_object_set_new(summary, "waited", json_integer((json_int_t)waited));
    json_object_set_new(summary, "waited_fraction",
                        conn_count ? json_real((double)waited / (double)conn_count) : json_null());
    json_object_set(summary, "kernel", in->kernel);
    json_object_set_new(summary, "kernel_scope",
                        json_string(in->kernel_scope ? in->kernel_scope : "private_netns"));
    json_t *udp = run_summary_udp(events->server_end, events->client_end, in->kernel);
    if (udp) { /* the datagrams' bytes, which no connection counted */
        json_object_set(summary, "bytes_sent",
                        json_object_get(json_object_get(events->client_end, "udp"), "bytes_sent"));
        json_object_set_new(summary, "udp", udp);
    }
    if (in->kernel_server && in->kernel_client) {
        json_object_set(summary, "kernel_server", in->kernel_server);
        json_object_set(summary, "kernel_client", in->kernel_client);
    }
    return summary;
}

/* key of from, or null when from lacks it */
static json_t *member_or_null(const json_t *from, const char *key)
{
    json_t *value = json_object_get(from, key);
    return value ? json_incref(value) : json_null();
}

/* Each side's buffers over its connections, as [min, max] ranges
 * (bufrange.h): the client's SO_SNDBUF and SO_RCVBUF at connect and
 * SO_SNDBUF at close, the accepted sockets' SO_RCVBUF at accept and at
 * close. */
static json_t *effective_buffers(const struct run_events *events)
{
    json_t *buffers = json_object();
    static const char *const client[] = {"sndbuf_at_connect", "rcvbuf_at_connect",
                                         "sndbuf_at_close"};
    static const char *const server[] = {"rcvbuf_at_accept", "rcvbuf_at_close"};
    const json_t *from = json_object_get(events->client_end, "buffers");
    for (size_t i = 0; i < sizeof client / sizeof client[0]; i++)
        json_object_set_new(buffers, client[i], member_or_null(from, client[i]));
    from = json_object_get(events->server_end, "buffers");
    for (size_t i = 0; i < sizeof server / sizeof server[0]; i++)
        json_object_set_new(buffers, server[i], member_or_null(from, server[i]));
    return buffers;
}

json_t *run_summary_effective(const struct run_inputs *in, const struct run_events *events)
{
    json_t *ready = in->server_ready;
    json_t *effective = json_object();
    json_object_set(effective, "backlog", json_object_get(ready, "backlog"));
    json_object_set(effective, "rcvbuf", json_object_get(ready, "rcvbuf"));
    json_object_set(effective, "server_sndbuf", json_object_get(ready, "sndbuf"));
    json_object_set_new(effective, "sndbuf", member_or_null(events->client_end, "sndbuf"));
    json_object_set_new(effective, "client_rcvbuf", member_or_null(events->client_end, "rcvbuf"));
    json_object_set_new(effective, "sndbuf_max", member_or_null(events->client_end, "sndbuf_max"));
    json_object_set_new(effective, "rcvbuf_max", member_or_null(events->server_end, "rcvbuf_max"));
    json_object_set_new(effective, "buffers", effective_buffers(events));
    if (in->kernel_release)
        json_object_set_new(effective, "kernel_release", json_string(in->kernel_release));
    json_object_set(effective, "sysctls", in->sysctls);
    if (in->client_sysctls)
        json_object_set(effective, "client_sysctls", in->client_sysctls);
    if (in->link)
        json_object_set(effective, "link", in->link);
    /* harness-run's, null for halves made by hand */
    json_object_set_new(effective, "start_order",
                        in->start_order ? json_incref(in->start_order) : json_null());
    json_object_set_new(effective, "alone", in->alone ? json_incref(in->alone) : json_null());
    return effective;
}
