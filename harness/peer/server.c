/* server.c: see server.h; the lifecycle, the accepted connections and
 * their end (the other files of the server: server_internal.h). */
#include "server.h"
#include "server_internal.h"

#include <arpa/inet.h>
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

int64_t server_now_us(const struct server *s)
{
    return s->started ? clock_since_us(s->start_ns) : 0;
}

static int socket_buffer(int fd, int option)
{
    int value = 0;
    socklen_t len = sizeof value;
    if (getsockopt(fd, SOL_SOCKET, option, &value, &len) < 0)
        return -1;
    return value;
}

/* ---- create ---- */

static int server_alloc(const struct point_params *params, struct server **out,
                        struct hl_error *err)
{
    struct server *s = calloc(1, sizeof *s);
    if (!s)
        return hl_error_setn(err, ENOMEM, "server", "out of memory");
    s->params = *params;
    s->listen_fd = -1;
    s->diag_fd = -1;
    s->accept_lines = 1;
    s->buffer_size = params->server.read.chunk ? params->server.read.chunk : PARAMS_READ_CHUNK_MIN;
    s->buffer = iobuf_alloc(s->buffer_size);
    if (!s->buffer) {
        free(s);
        return hl_error_setn(err, ENOMEM, "server", "out of memory");
    }
    *out = s;
    return 0;
}

int server_create(uv_loop_t *loop, const struct point_params *params, const char *address,
                  struct eventlog *log, struct server **out, struct hl_error *err)
{
    struct server *s = NULL;
    int rc;
    /* every accepted connection stays open until the client closes it;
     * run by hand, more clients than the params say may come */
    if ((rc = fdlimit_ensure(fdlimit_server_needs(params), err)))
        return rc;
    fdlimit_raise();
    if ((rc = server_alloc(params, &s, err)))
        return rc;
    s->loop = loop;
    s->log = log;
    rc = params->protocol == PROTOCOL_UDP ? server_udp_open(s, address, err)
                                          : server_listener_open(s, address, err);
    if (rc) {
        server_destroy(s);
        return rc;
    }
    *out = s;
    return 0;
}

void server_log_accepts(struct server *s, int on)
{
    s->accept_lines = on;
}

json_t *server_ready_info(const struct server *s)
{
    int64_t queue = 0, limit = 0;
    json_t *info = json_pack("{s:i,s:b,s:i,s:i}", "port", s->port, "listening", s->listening,
                             "rcvbuf", socket_buffer(s->listen_fd, SO_RCVBUF), "sndbuf",
                             socket_buffer(s->listen_fd, SO_SNDBUF));
    if (s->params.family == FAMILY_UNIX)
        json_object_set_new(info, "address", json_string(s->address));
    if (server_listener_queue(s, &queue, &limit) == 0)
        json_object_set_new(info, "backlog", json_integer(limit));
    else
        json_object_set_new(info, "backlog", json_null());
    return info;
}

/* ---- the accepted connections ---- */

struct server_conn *server_conn_add(struct server *s, int fd, const struct sockaddr_storage *peer)
{
    struct server_conn *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->server = s;
    c->fd = fd;
    c->id = s->next_id++;
    /* an AF_UNIX peer has no port (0: none) */
    if (peer->ss_family == AF_INET)
        c->peer_port = ntohs(((const struct sockaddr_in *)peer)->sin_port);
    c->accepted_us = server_now_us(s);
    c->first_read_us = c->eof_us = c->closed_us = -1;
    buffer_range_add(&s->rcvbuf_at_accept, socket_buffer(fd, SO_RCVBUF));
    s->accepted++;
    s->open_conns++;
    c->prev = s->open_tail;
    if (s->open_tail)
        s->open_tail->next = c;
    else
        s->open_head = c;
    s->open_tail = c;
    uv_timer_init(s->loop, &c->timer);
    c->watch.data = c->timer.data = c;
    c->handles_open = 1;
    return c;
}

static void conn_unlink(struct server *s, struct server_conn *c)
{
    if (c->prev)
        c->prev->next = c->next;
    else
        s->open_head = c->next;
    if (c->next)
        c->next->prev = c->prev;
    else
        s->open_tail = c->prev;
    c->prev = c->next = NULL;
}

static void conn_handle_closed(uv_handle_t *handle)
{
    struct server_conn *c = handle->data;
    if (--c->handles_open == 0) {
        if (!c->held)
            close(c->fd);
        free(c);
    }
}

/* receive_queue: its unread bytes (SIOCINQ) when the run stopped, or -1. */
static void conn_emit(struct server *s, struct server_conn *c, int open_at_end,
                      int64_t receive_queue)
{
    /* SO_RCVBUF grows beyond the listener's when it was left to the kernel
     * (tcp_clamp_window), even while nobody reads */
    buffer_range_add(&s->rcvbuf_at_close, socket_buffer(c->fd, SO_RCVBUF));
    if (!eventlog_enabled(s->log))
        return;
    struct event_line line;
    event_line_start(&line, "server_conn");
    event_line_int(&line, "conn", c->id);
    event_line_int(&line, "peer_port", c->peer_port);
    event_line_int(&line, "accepted_us", c->accepted_us);
    event_line_int(&line, "bytes_read", (int64_t)c->bytes_read);
    if (c->reads) {
        event_line_int(&line, "reads", (int64_t)c->reads);
        event_line_int(&line, "read_max", (int64_t)c->read_max);
    }
    if (c->first_read_us >= 0)
        event_line_int(&line, "first_read_us", c->first_read_us);
    if (c->eof_us >= 0)
        event_line_int(&line, "eof_us", c->eof_us);
    if (c->closed_us >= 0)
        event_line_int(&line, "closed_us", c->closed_us);
    if (c->bytes_replied)
        event_line_int(&line, "bytes_replied", (int64_t)c->bytes_replied);
    if (c->reset)
        event_line_true(&line, "reset");
    if (c->error)
        event_line_string(&line, "error", strerrorname_np(c->error));
    if (open_at_end)
        event_line_true(&line, "open_at_end");
    if (receive_queue >= 0)
        event_line_int(&line, "receive_queue_at_end", receive_queue);
    eventlog_emit_line(s->log, &line);
}

/* Records and releases; its socket leaves the poll set when
 * conn_handle_closed closes it. */
static void conn_release(struct server *s, struct server_conn *c, int open_at_end,
                         int64_t receive_queue)
{
    conn_emit(s, c, open_at_end, receive_queue);
    conn_unlink(s, c);
    pollset_forget(&c->watch);
    uv_close((uv_handle_t *)&c->timer, conn_handle_closed);
}

void server_conn_close(struct server_conn *c)
{
    struct server *s = c->server;
    if (c->closing)
        return;
    c->closing = 1;
    c->closed_us = server_now_us(s);
    s->open_conns--;
    conn_release(s, c, 0, -1);
    server_maybe_finish(s);
}

/* ---- start and finish ---- */

void server_start(struct server *s, int64_t start_ns, server_done_cb done, void *data)
{
    s->start_ns = start_ns;
    s->started = 1;
    s->done_cb = done;
    s->done_data = data;
    s->pollset_error = pollset_init(s->loop, &s->pollset);
    if (s->udp) { /* no listener, no connections to sample */
        server_udp_start(s);
        return;
    }
    server_listener_start(s);
    server_sampling_start(s);
}

static void end_buffers(const struct server *s, json_t *end)
{
    if (s->rcvbuf_at_close.seen)
        json_object_set_new(end, "rcvbuf_max", json_integer(s->rcvbuf_at_close.max));
    json_object_set_new(end, "buffers",
                        json_pack("{s:o,s:o}", "rcvbuf_at_accept",
                                  buffer_range_json(&s->rcvbuf_at_accept), "rcvbuf_at_close",
                                  buffer_range_json(&s->rcvbuf_at_close)));
}

static json_t *end_event(const struct server *s, int stopped, int64_t queue)
{
    json_t *end =
        json_pack("{s:s,s:I,s:b,s:I,s:I,s:I,s:I,s:I,s:I}", "event", "end", "t_us",
                  (json_int_t)server_now_us(s), "stopped", stopped, "accepted",
                  (json_int_t)s->accepted, "eofs", (json_int_t)s->eofs, "resets",
                  (json_int_t)s->resets, "bytes_read", (json_int_t)s->bytes_read_total,
                  "queue_at_end", (json_int_t)queue, "accept_errors", (json_int_t)s->accept_errors);
    end_buffers(s, end);
    json_object_set_new(end, "read_sizes", read_sizes_json(&s->read_sizes));
    if (stopped)
        json_object_set_new(end, "receive_queue_at_end", json_integer(s->receive_queue_at_end));
    sampler_report(&s->sampler, end);
    json_object_set_new(end, "logging_us", json_integer((json_int_t)(s->log->cost_ns / 1000)));
    return end;
}

/* A connection open when the run stopped is recorded with its unread
 * bytes (SIOCINQ); its socket stays open until server_destroy, so that
 * closing it (a reset, for bytes never read) counts nothing before the
 * runner has read the counters. */
static void conn_hold(struct server *s, struct server_conn *c)
{
    int queue = 0;
    int64_t unread = ioctl(c->fd, SIOCINQ, &queue) == 0 ? queue : -1;
    if (unread > 0)
        s->receive_queue_at_end += unread;
    c->closing = 1;
    if (s->held_count == s->held_capacity) {
        size_t capacity = s->held_capacity ? 2 * s->held_capacity : 64;
        int *grown = realloc(s->held_fds, capacity * sizeof *grown);
        if (grown) {
            s->held_fds = grown;
            s->held_capacity = capacity;
        }
    }
    if (s->held_count < s->held_capacity) {
        s->held_fds[s->held_count++] = c->fd;
        c->held = 1;
    }
    conn_release(s, c, 1, unread);
}

static void server_finish(struct server *s, int stopped)
{
    if (s->finished)
        return;
    s->finished = 1;
    if (!s->udp)
        server_sampling_close(s);
    int64_t queue = -1, limit = -1;
    server_listener_queue(s, &queue, &limit);
    /* connections still open at the end are reported as such */
    while (s->open_head)
        conn_hold(s, s->open_head);
    json_t *end = end_event(s, stopped, queue);
    if (s->udp)
        server_udp_finish(s, end);
    else
        server_listener_stop(s);
    pollset_close(&s->pollset);
    eventlog_emit(s->log, end);
    if (s->done_cb)
        s->done_cb(s, s->done_data);
}

void server_maybe_finish(struct server *s)
{
    int64_t queue = 0, limit = 0;
    if (!s->client_done || s->finished || s->stopping)
        return;
    if (s->udp) {
        if (server_udp_drained(s))
            server_finish(s, 0);
        return;
    }
    if (s->listening && (server_listener_queue(s, &queue, &limit) < 0 || queue > 0))
        return;
    if (s->open_conns > 0 || (s->listening && s->accepted < s->client_connected))
        return;
    server_finish(s, 0);
}

void server_client_done(struct server *s, uint64_t connected)
{
    s->client_done = 1;
    s->client_connected = connected;
    server_maybe_finish(s);
}

void server_stop(struct server *s)
{
    s->stopping = 1;
    server_finish(s, 1);
}

void server_destroy(struct server *s)
{
    for (size_t i = 0; i < s->held_count; i++)
        close(s->held_fds[i]);
    free(s->held_fds);
    if (s->listen_fd >= 0)
        close(s->listen_fd);
    if (s->diag_fd >= 0)
        close(s->diag_fd);
    server_udp_free(s);
    free(s->buffer);
    free(s);
}
