/* client.c: see client.h; the lifecycle, the open connections and their
 * end (the other files of the client: client_internal.h). */
#include "client.h"
#include "client_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "fdlimit.h"
#include "iobuf.h"

int64_t client_now_us(const struct client *c)
{
    return clock_since_us(c->start_ns);
}

int client_socket_int(int fd, int option)
{
    int value = 0;
    socklen_t len = sizeof value;
    getsockopt(fd, SOL_SOCKET, option, &value, &len);
    return value;
}

void client_note_buffers(struct client_conn *conn, int sndbuf, int rcvbuf)
{
    conn->sndbuf = sndbuf;
    conn->rcvbuf = rcvbuf;
    buffer_range_add(&conn->client->sndbuf_at_connect, sndbuf);
    buffer_range_add(&conn->client->rcvbuf_at_connect, rcvbuf);
}

int client_create(uv_loop_t *loop, const struct point_params *params, const char *address,
                  int allow_remote, struct eventlog *log, struct client **out, struct hl_error *err)
{
    struct peer_address target;
    int rc;
    if ((rc = client_target(address, params->family, allow_remote, &target, err)))
        return rc;
    if ((rc = fdlimit_ensure(fdlimit_client_needs(params), err)))
        return rc;
    struct client *c = calloc(1, sizeof *c);
    if (!c)
        return hl_error_setn(err, ENOMEM, "client", "out of memory");
    c->loop = loop;
    c->params = *params;
    c->log = log;
    c->target = target;
    c->recv_buffer_size = 65536;
    c->send_buffer = iobuf_alloc(params->client.send_chunk);
    c->recv_buffer = iobuf_alloc(c->recv_buffer_size);
    if (!c->send_buffer || !c->recv_buffer) {
        client_destroy(c);
        return hl_error_setn(err, ENOMEM, "client", "out of memory");
    }
    memset(c->send_buffer, 'x', params->client.send_chunk);
    *out = c;
    return 0;
}

/* ---- the open connections ---- */

void client_conn_link(struct client *c, struct client_conn *conn)
{
    conn->prev = c->open_tail;
    if (c->open_tail)
        c->open_tail->next = conn;
    else
        c->open_list = conn;
    c->open_tail = conn;
    c->open++;
}

static void conn_unlink(struct client *c, struct client_conn *conn)
{
    if (conn->prev)
        conn->prev->next = conn->next;
    else
        c->open_list = conn->next;
    if (conn->next)
        conn->next->prev = conn->prev;
    else
        c->open_tail = conn->prev;
    c->open--;
}

/* An error (EPOLLERR, EPOLLHUP) shows up as the errno of the socket call
 * the state makes next. */
static void on_conn_events(struct pollset_entry *entry, uint32_t events)
{
    struct client_conn *conn = entry->data;
    switch (conn->state) {
    case CONN_CONNECTING:
        client_conn_check_connect(conn, events);
        break;
    case CONN_SENDING:
        if (conn->pausing)
            client_conn_pause_end(conn);
        else
            client_conn_send(conn);
        break;
    case CONN_RECEIVING:
    case CONN_HOLDING:
        client_conn_receive(conn);
        break;
    case CONN_CLOSED:
        break;
    }
}

int client_conn_watch(struct client_conn *conn, uint32_t events)
{
    int rc = pollset_watch(&conn->client->pollset, &conn->watch, conn->fd, events, on_conn_events);
    if (rc == 0)
        return 0;
    conn->error = -rc;
    client_conn_close(conn);
    return -1;
}

/* ---- a connection's end ---- */

void client_conn_emit(struct client_conn *conn, int open_at_end)
{
    struct event_line line;
    if (!eventlog_enabled(conn->client->log))
        return;
    event_line_start(&line, "conn");
    event_line_int(&line, "conn", conn->id);
    event_line_string(&line, "outcome", conn->outcome);
    event_line_int(&line, "start_us", conn->start_us);
    event_line_int(&line, "outcome_us", conn->outcome_us);
    event_line_int(&line, "bytes_sent", (int64_t)conn->bytes_sent);
    event_line_int(&line, "bytes_received", (int64_t)conn->bytes_received);
    event_line_int(&line, "blocked_sends", (int64_t)conn->blocked_sends);
    event_line_int(&line, "blocked_us", conn->blocked_us);
    if (conn->error)
        event_line_string(&line, "error", strerrorname_np(conn->error));
    if (conn->timeout_by)
        event_line_string(&line, "timeout_by", conn->timeout_by);
    if (conn->local_port)
        event_line_int(&line, "local_port", conn->local_port);
    if (conn->closed_us >= 0)
        event_line_int(&line, "closed_us", conn->closed_us);
    if (conn->bytes_before_first_block >= 0)
        event_line_int(&line, "bytes_before_first_block", conn->bytes_before_first_block);
    if (conn->reset)
        event_line_true(&line, "reset");
    if (conn->peer_closed)
        event_line_true(&line, "peer_closed");
    if (conn->sndbuf)
        event_line_int(&line, "sndbuf", conn->sndbuf);
    if (conn->bytes_before_blocked_call >= 0)
        event_line_int(&line, "bytes_before_first_blocked_call", conn->bytes_before_blocked_call);
    if (conn->seen_at_stop)
        event_line_true(&line, "seen_at_stop");
    if (conn->send_queue_at_end >= 0)
        event_line_int(&line, "send_queue_at_end", conn->send_queue_at_end);
    if (open_at_end)
        event_line_true(&line, "open_at_end");
    eventlog_emit_line(conn->client->log, &line);
}

static void conn_handle_closed(uv_handle_t *handle)
{
    struct client_conn *conn = handle->data;
    if (--conn->handles_open == 0) {
        if (!conn->held)
            close(conn->fd);
        if (conn->blocking) {
            blocking_release(conn->blocking);
            free(conn->blocking);
        }
        free(conn);
    }
}

void client_conn_finish(struct client_conn *conn, int open_at_end)
{
    struct client *c = conn->client;
    if (conn->state == CONN_CLOSED)
        return;
    /* a connection ended before it had an outcome: its socket could not
     * be watched (the run's stop settles its own first) */
    if (!conn->outcome)
        client_conn_outcome(conn, "failed", conn->error ? conn->error : EIO, NULL);
    client_block_end(conn, open_at_end ? "run_end" : "closed");
    conn->state = CONN_CLOSED;
    if (!conn->blocking)
        conn->closed_us = open_at_end ? -1 : client_now_us(c);
    if (conn->outcome && strcmp(conn->outcome, "connected") == 0) {
        /* the kernel may have autotuned the send buffer since connect */
        conn->sndbuf = client_socket_int(conn->fd, SO_SNDBUF);
        buffer_range_add(&c->sndbuf_at_close, conn->sndbuf);
    }
    client_conn_emit(conn, open_at_end);
    conn_unlink(c, conn);
    /* its socket leaves the poll set when conn_handle_closed closes it */
    pollset_forget(&conn->watch);
    uv_close((uv_handle_t *)&conn->timer, conn_handle_closed);
}

void client_conn_close(struct client_conn *conn)
{
    struct client *c = conn->client;
    client_conn_finish(conn, 0);
    client_fill(c);
    client_maybe_finish(c);
}

void client_fill(struct client *c)
{
    while (!c->stopping && c->launched < c->due && c->open < c->params.client.concurrency)
        client_conns_open(c);
}

/* ---- the end ---- */

/* The buffers the kernel granted, over every connection: flat for the
 * results' effective values, and as [min, max] ranges. */
static void end_buffers(const struct client *c, json_t *end)
{
    if (!c->sndbuf_at_connect.seen)
        return;
    json_object_set_new(end, "sndbuf", json_integer(c->sndbuf_at_connect.min));
    json_object_set_new(end, "rcvbuf", json_integer(c->rcvbuf_at_connect.min));
    json_object_set_new(end, "sndbuf_max",
                        json_integer(c->sndbuf_at_close.seen ? c->sndbuf_at_close.max : 0));
    json_object_set_new(end, "buffers",
                        json_pack("{s:o,s:o,s:o}", "sndbuf_at_connect",
                                  buffer_range_json(&c->sndbuf_at_connect), "rcvbuf_at_connect",
                                  buffer_range_json(&c->rcvbuf_at_connect), "sndbuf_at_close",
                                  buffer_range_json(&c->sndbuf_at_close)));
}

static json_t *end_event(const struct client *c)
{
    json_t *end = json_pack(
        "{s:s,s:I,s:b,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "event", "end", "t_us",
        (json_int_t)client_now_us(c), "stopped", c->stopping, "attempted", (json_int_t)c->launched,
        "connected", (json_int_t)c->connected, "refused", (json_int_t)c->refused, "timed_out",
        (json_int_t)c->timed_out, "failed", (json_int_t)c->failed, "pending",
        (json_int_t)c->pending, "reset", (json_int_t)c->resets, "bytes_sent",
        (json_int_t)c->bytes_sent_total, "bytes_received", (json_int_t)c->bytes_received_total,
        "blocked_sends", (json_int_t)c->blocked_sends, "blocked_us", (json_int_t)c->blocked_us);
    json_object_set_new(end, "would_block", json_integer((json_int_t)c->would_block));
    if (c->stopping)
        json_object_set_new(end, "send_queue_at_end", json_integer(c->send_queue_at_end));
    sampler_report(&c->sampler, end);
    json_object_set_new(end, "logging_us", json_integer((json_int_t)(c->log->cost_ns / 1000)));
    end_buffers(c, end);
    client_udp_finish((struct client *)c, end);
    return end;
}

static void client_finish(struct client *c)
{
    if (c->finished)
        return;
    c->finished = 1;
    if (!c->udp) {
        client_sampling_close(c);
        client_arrivals_close(c);
    }
    pollset_close(&c->pollset);
    if (c->wake_open) /* every thread has been joined */
        uv_close((uv_handle_t *)&c->wake, NULL);
    c->wake_open = 0;
    eventlog_emit(c->log, end_event(c));
    if (c->done_cb)
        c->done_cb(c, c->done_data);
}

void client_maybe_finish(struct client *c)
{
    if (c->udp) {
        if (c->started && !c->stopping && client_udp_done(c))
            client_finish(c);
        return;
    }
    if (c->started && !c->stopping && c->launched == c->params.client.connections && c->open == 0)
        client_finish(c);
}

void client_start(struct client *c, int64_t start_ns, client_done_cb done, void *data)
{
    c->start_ns = start_ns;
    c->started = 1;
    c->done_cb = done;
    c->done_data = data;
    if (c->params.client.mode == MODE_BLOCKING)
        client_blocking_init(c);
    else
        c->pollset_error = pollset_init(c->loop, &c->pollset);
    if (c->params.protocol == PROTOCOL_UDP) { /* one socket, no arrivals */
        /* a socket that cannot be made or connected is recorded in the
         * figures; without memory for them there is nothing to send with,
         * and the end says so by having none */
        if (client_udp_start(c) == -ENOMEM)
            client_finish(c);
        else
            client_maybe_finish(c);
        return;
    }
    client_sampling_start(c);
    client_arrivals_start(c);
    client_fill(c);
    client_maybe_finish(c);
}

/* A connection open at the stop is recorded as it stands, with its send
 * queue (SIOCOUTQ: bytes not yet acknowledged, sent or not); its socket
 * stays open until client_destroy, so that nothing its close makes the
 * kernel do (a FIN, a reset for bytes never read) happens before the
 * runner has read the counters. */
static void conn_hold(struct client_conn *conn)
{
    struct client *c = conn->client;
    int queue = 0;
    if (conn->outcome && strcmp(conn->outcome, "connected") == 0 &&
        ioctl(conn->fd, SIOCOUTQ, &queue) == 0) {
        conn->send_queue_at_end = queue;
        c->send_queue_at_end += queue;
    }
    if (c->held_count == c->held_capacity) {
        size_t capacity = c->held_capacity ? 2 * c->held_capacity : 64;
        int *grown = realloc(c->held_fds, capacity * sizeof *grown);
        if (!grown) { /* no room to keep it open: it closes with the rest */
            client_conn_finish(conn, 1);
            return;
        }
        c->held_fds = grown;
        c->held_capacity = capacity;
    }
    c->held_fds[c->held_count++] = conn->fd;
    conn->held = 1;
    client_conn_finish(conn, 1);
}

/* Blocking connections' threads stop their calls (blocking_stop: a signal,
 * not a shutdown, which would send a FIN) and are joined. */
static void stop_threads(struct client *c)
{
    for (struct client_conn *conn = c->open_list; conn; conn = conn->next)
        if (conn->blocking)
            blocking_stop(conn->blocking);
    for (struct client_conn *conn = c->open_list; conn; conn = conn->next)
        if (conn->blocking)
            blocking_join(conn->blocking);
}

static void freeze(struct client_conn *conn)
{
    if (conn->blocking) {
        client_blocking_take(conn);
        if (!conn->blocking->report.stopped) { /* it had finished by itself */
            client_conn_finish(conn, 0);
            return;
        }
    } else if (conn->state == CONN_CONNECTING) {
        client_conn_settle_at_stop(conn);
    }
    conn_hold(conn);
}

void client_stop(struct client *c)
{
    if (c->finished || c->stopping)
        return;
    c->stopping = 1;
    if (!c->started) {
        c->finished = 1;
        if (c->done_cb)
            c->done_cb(c, c->done_data);
        return;
    }
    /* the queues as they stood when the run ended, before anything moves */
    if (c->params.sample_us > 0 && !c->udp)
        client_sample(c);
    stop_threads(c);
    while (c->open_list)
        freeze(c->open_list);
    client_finish(c);
}

uint64_t client_connected(const struct client *c)
{
    return c->connected;
}

void client_destroy(struct client *c)
{
    for (size_t i = 0; i < c->held_count; i++)
        close(c->held_fds[i]);
    free(c->held_fds);
    client_udp_free(c);
    free(c->send_buffer);
    free(c->recv_buffer);
    free(c);
}
