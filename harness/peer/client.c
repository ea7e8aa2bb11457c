/* client.c: see client.h. */
#include "client.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "blocking.h"
#include "cli.h"
#include "clock.h"
#include "fdlimit.h"
#include "pollset.h"
#include "rtnl.h"
#include "sampler.h"

enum conn_state { CONN_CONNECTING, CONN_SENDING, CONN_RECEIVING, CONN_HOLDING, CONN_CLOSED };

struct client_conn {
    struct client *client;
    struct client_conn *prev, *next; /* the open connections, in start order */
    uint32_t id;
    int fd;
    struct pollset_entry watch; /* in the client's poll set (nonblocking mode) */
    uv_timer_t timer;           /* connect timeout, then hold time */
    int handles_open;
    enum conn_state state;
    int64_t start_us, outcome_us, closed_us;
    const char *outcome; /* NULL while connecting */
    const char *timeout_by;
    int error;
    uint16_t local_port;
    uint64_t bytes_sent, bytes_received;
    uint64_t blocked_sends;
    int64_t blocked_us;
    int blocked;
    int64_t block_start_us;
    uint64_t block_bytes_before;
    int64_t bytes_before_first_block; /* -1: never blocked */
    int reset, peer_closed;
    int sndbuf, rcvbuf;
    struct blocking_conn *blocking; /* client.mode "blocking": its thread */
    size_t blocks_taken;            /* of the thread's reported blocks */
};

struct client {
    uv_loop_t *loop;
    struct point_params params;
    struct eventlog *log;
    struct sockaddr_in target;
    int64_t start_ns;
    int started, stopping, finished;
    client_done_cb done_cb;
    void *done_data;

    struct client_conn *open_list, *open_tail;
    uint32_t launched, open;
    uint64_t connected, refused, timed_out, failed, resets;
    uint64_t bytes_sent_total, bytes_received_total;
    uint64_t blocked_sends;
    int64_t blocked_us;
    int effective_known;
    int sndbuf, rcvbuf, sndbuf_max;

    char *send_buffer;
    char *recv_buffer;
    size_t recv_buffer_size;

    struct pollset pollset; /* the sockets of the nonblocking mode */
    int pollset_error;      /* why there is none (negative errno), or 0 */
    uv_timer_t sample_timer;
    struct sampler sampler;
    uv_async_t wake; /* the blocking threads' reports */
    int wake_open;
};

static void conn_close(struct client_conn *conn);
static void client_sample(struct client *c);
static void client_fill(struct client *c);
static void client_maybe_finish(struct client *c);

static int64_t now_us(const struct client *c)
{
    return clock_since_us(c->start_ns);
}

static int is_loopback(const struct in_addr *addr)
{
    return (ntohl(addr->s_addr) >> 24) == 127;
}

/* Whether addr is held by the other end of a veth pair with one end in
 * this namespace; 0 when the kernel cannot say (without privilege). */
static int is_veth_peer(const struct in_addr *addr)
{
    struct rtnl rtnl;
    struct hl_error ignored;
    if (rtnl_open(&rtnl, &ignored))
        return 0;
    int found = rtnl_is_veth_peer_address(&rtnl, *addr, &ignored);
    rtnl_close(&rtnl);
    return found == 1;
}

int client_create(uv_loop_t *loop, const struct point_params *params, const char *address,
                  int allow_remote, struct eventlog *log, struct client **out, struct hl_error *err)
{
    char host[64];
    uint16_t port;
    struct client *c;
    int rc;

    if (cli_split_address(address, host, sizeof host, &port))
        return hl_error_set(err, address, "expected an IPv4 ADDR:PORT");
    c = calloc(1, sizeof *c);
    if (!c)
        return hl_error_setn(err, ENOMEM, "client", "out of memory");
    c->target.sin_family = AF_INET;
    c->target.sin_port = htons(port);
    if (inet_pton(AF_INET, host, &c->target.sin_addr) != 1) {
        free(c);
        return hl_error_set(err, address, "not an IPv4 address");
    }
    /* a tool that opens thousands of connections must not be aimed at
     * someone else by accident: loopback, or the other end of a veth pair
     * of this namespace (always a namespace of this machine: harness-run's
     * topology "veth"), and nothing else without --allow-remote */
    if (!allow_remote && !is_loopback(&c->target.sin_addr) && !is_veth_peer(&c->target.sin_addr)) {
        free(c);
        return hl_error_set(err, address,
                            "not a loopback address, nor the address of the other end of a "
                            "veth pair of this network namespace; the client connects "
                            "elsewhere only when given --allow-remote");
    }
    if ((rc = fdlimit_ensure(fdlimit_client_needs(params), err))) {
        free(c);
        return rc;
    }
    c->loop = loop;
    c->params = *params;
    c->log = log;
    c->recv_buffer_size = 65536;
    c->send_buffer = malloc(params->client.send_chunk);
    c->recv_buffer = malloc(c->recv_buffer_size);
    if (!c->send_buffer || !c->recv_buffer) {
        client_destroy(c);
        return hl_error_setn(err, ENOMEM, "client", "out of memory");
    }
    memset(c->send_buffer, 'x', params->client.send_chunk);
    *out = c;
    return 0;
}

static void conn_send(struct client_conn *conn);
static void on_conn_events(struct pollset_entry *entry, uint32_t events);

/* Waits for events on the connection's socket; a socket that cannot be
 * watched ends its connection. Returns 0, or -1 when it closed it. */
static int conn_watch(struct client_conn *conn, uint32_t events)
{
    int rc = pollset_watch(&conn->client->pollset, &conn->watch, conn->fd, events, on_conn_events);
    if (rc == 0)
        return 0;
    conn->error = -rc;
    conn_close(conn);
    return -1;
}

/* A sender that retries on a timer instead of waiting for poll: poll
 * reports a blocked socket writable only once its queue fell to about two
 * thirds of SO_SNDBUF, while send() takes data whenever the queue is below
 * it (and autotuning may have grown it since the EAGAIN). */
static void on_send_retry(uv_timer_t *timer)
{
    struct client_conn *conn = timer->data;
    if (conn->state == CONN_SENDING && conn->blocked)
        conn_send(conn);
}

/* Counts a blocked send that lasted at least client.block_threshold_us:
 * an EAGAIN interval (call NULL), or a blocking send() call that slept. */
static void block_record(struct client_conn *conn, int64_t start, int64_t end,
                         uint64_t bytes_before, const char *ended_by,
                         const struct blocking_block *call)
{
    struct client *c = conn->client;
    if (end - start < c->params.client.block_threshold_us)
        return;
    uint64_t sends = call ? call->waits : 1;
    conn->blocked_sends += sends;
    c->blocked_sends += sends;
    conn->blocked_us += end - start;
    c->blocked_us += end - start;
    if (conn->bytes_before_first_block < 0)
        conn->bytes_before_first_block = (int64_t)bytes_before;
    if (!eventlog_enabled(c->log))
        return;
    struct event_line line;
    event_line_start(&line, "block");
    event_line_int(&line, "conn", conn->id);
    event_line_int(&line, "start_us", start);
    event_line_int(&line, "end_us", end);
    event_line_int(&line, "bytes_before", (int64_t)bytes_before);
    event_line_string(&line, "ended_by", ended_by);
    if (call) {
        event_line_int(&line, "bytes", (int64_t)call->bytes);
        event_line_int(&line, "waits", (int64_t)call->waits);
    }
    eventlog_emit_line(c->log, &line);
}

static void block_begin(struct client_conn *conn)
{
    struct client *c = conn->client;
    conn->blocked = 1;
    conn->block_start_us = now_us(c);
    conn->block_bytes_before = conn->bytes_sent;
    if (c->params.client.send_retry_us > 0) {
        uint64_t every = (uint64_t)c->params.client.send_retry_us / 1000;
        uv_timer_start(&conn->timer, on_send_retry, every, every);
    }
    /* a sample at each edge of a blocked interval, so the bytes-over-time
     * line steps exactly where the sender blocks and resumes */
    if (c->params.sample_us > 0)
        client_sample(c);
}

static void block_end(struct client_conn *conn, const char *ended_by)
{
    struct client *c = conn->client;
    if (!conn->blocked)
        return;
    int64_t end = now_us(c);
    if (c->params.sample_us > 0)
        client_sample(c);
    if (c->params.client.send_retry_us > 0)
        uv_timer_stop(&conn->timer);
    conn->blocked = 0;
    block_record(conn, conn->block_start_us, end, conn->block_bytes_before, ended_by, NULL);
}

static void conn_outcome_at(struct client_conn *conn, const char *outcome, int error,
                            const char *timeout_by, int64_t at_us)
{
    struct client *c = conn->client;
    conn->outcome = outcome;
    conn->error = error;
    conn->timeout_by = timeout_by;
    conn->outcome_us = at_us;
    if (strcmp(outcome, "connected") == 0)
        c->connected++;
    else if (strcmp(outcome, "refused") == 0)
        c->refused++;
    else if (strcmp(outcome, "timed_out") == 0)
        c->timed_out++;
    else
        c->failed++;
}

static void conn_outcome(struct client_conn *conn, const char *outcome, int error,
                         const char *timeout_by)
{
    conn_outcome_at(conn, outcome, error, timeout_by, now_us(conn->client));
}

static void conn_mark_reset(struct client_conn *conn, int error)
{
    if (!conn->reset) {
        conn->reset = 1;
        conn->error = error;
        conn->client->resets++;
    }
}

static void conn_emit(struct client_conn *conn, int open_at_end)
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
    if (open_at_end)
        event_line_true(&line, "open_at_end");
    eventlog_emit_line(conn->client->log, &line);
}

static void conn_handle_closed(uv_handle_t *handle)
{
    struct client_conn *conn = handle->data;
    if (--conn->handles_open == 0) {
        close(conn->fd);
        if (conn->blocking) {
            blocking_release(conn->blocking);
            free(conn->blocking);
        }
        free(conn);
    }
}

static int socket_int(int fd, int option)
{
    int value = 0;
    socklen_t len = sizeof value;
    getsockopt(fd, SOL_SOCKET, option, &value, &len);
    return value;
}

/* Ends a connection: records it, releases its handles, and lets the next
 * one start. open_at_end: the run ended with it still open. */
static void conn_finish(struct client_conn *conn, int open_at_end)
{
    struct client *c = conn->client;
    if (conn->state == CONN_CLOSED)
        return;
    if (conn->state == CONN_CONNECTING && !conn->outcome)
        conn_outcome(conn, "timed_out", 0, "run_end");
    block_end(conn, open_at_end ? "run_end" : "closed");
    conn->state = CONN_CLOSED;
    if (!conn->blocking)
        conn->closed_us = open_at_end ? -1 : now_us(c);
    if (conn->outcome && strcmp(conn->outcome, "connected") == 0) {
        /* the kernel may have autotuned the send buffer since connect */
        conn->sndbuf = socket_int(conn->fd, SO_SNDBUF);
        if (conn->sndbuf > c->sndbuf_max)
            c->sndbuf_max = conn->sndbuf;
    }
    conn_emit(conn, open_at_end);
    if (conn->prev)
        conn->prev->next = conn->next;
    else
        c->open_list = conn->next;
    if (conn->next)
        conn->next->prev = conn->prev;
    else
        c->open_tail = conn->prev;
    c->open--;
    /* its socket leaves the poll set when conn_handle_closed closes it */
    pollset_forget(&conn->watch);
    uv_close((uv_handle_t *)&conn->timer, conn_handle_closed);
}

static void conn_close(struct client_conn *conn)
{
    struct client *c = conn->client;
    conn_finish(conn, 0);
    client_fill(c);
    client_maybe_finish(c);
}

static void on_hold_done(uv_timer_t *timer)
{
    conn_close(timer->data);
}

static void conn_after_send(struct client_conn *conn)
{
    const struct client_params *p = &conn->client->params.client;
    if (p->receive) {
        conn->state = CONN_RECEIVING;
        conn_watch(conn, EPOLLIN | EPOLLRDHUP);
        return;
    }
    if (p->hold_us == 0) {
        conn_close(conn);
        return;
    }
    /* holding: keep watching, to see a reset or the server's close */
    conn->state = CONN_HOLDING;
    if (conn_watch(conn, EPOLLIN | EPOLLRDHUP) == 0 && p->hold_us > 0)
        uv_timer_start(&conn->timer, on_hold_done, (uint64_t)p->hold_us / 1000, 0);
}

static void conn_send(struct client_conn *conn)
{
    struct client *c = conn->client;
    const struct client_params *p = &c->params.client;
    while (conn->bytes_sent < p->send_bytes) {
        size_t want = p->send_chunk;
        if (p->send_bytes - conn->bytes_sent < want)
            want = (size_t)(p->send_bytes - conn->bytes_sent);
        ssize_t n = send(conn->fd, c->send_buffer, want, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            block_end(conn, "sent"); /* the socket took data again */
            conn->bytes_sent += (uint64_t)n;
            c->bytes_sent_total += (uint64_t)n;
            if ((size_t)n < want) {
                /* a short write: the send buffer is full */
                block_begin(conn);
                conn_watch(conn, EPOLLOUT | EPOLLRDHUP);
                return;
            }
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (!conn->blocked)
                block_begin(conn);
            conn_watch(conn, EPOLLOUT | EPOLLRDHUP);
            return;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (errno == ECONNRESET || errno == EPIPE)
            conn_mark_reset(conn, errno);
        else
            conn->error = errno;
        conn_close(conn);
        return;
    }
    conn_after_send(conn);
}

static void conn_receive(struct client_conn *conn)
{
    struct client *c = conn->client;
    for (int i = 0; i < 16; i++) {
        ssize_t n = recv(conn->fd, c->recv_buffer, c->recv_buffer_size, 0);
        if (n > 0) {
            conn->bytes_received += (uint64_t)n;
            c->bytes_received_total += (uint64_t)n;
            continue;
        }
        if (n == 0) {
            conn->peer_closed = 1;
            conn_close(conn);
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            conn_watch(conn, EPOLLIN | EPOLLRDHUP);
        } else if (errno != EINTR) {
            if (errno == ECONNRESET)
                conn_mark_reset(conn, errno);
            else
                conn->error = errno;
            conn_close(conn);
        }
        return;
    }
}

static void conn_connected(struct client_conn *conn)
{
    struct client *c = conn->client;
    struct sockaddr_in local;
    socklen_t len = sizeof local;
    uv_timer_stop(&conn->timer);
    conn_outcome(conn, "connected", 0, NULL);
    if (getsockname(conn->fd, (struct sockaddr *)&local, &len) == 0)
        conn->local_port = ntohs(local.sin_port);
    /* the buffers granted at connect, once: every socket of a point is
     * set up alike (the one a connection ends with is read at its close) */
    if (!c->effective_known) {
        c->effective_known = 1;
        c->sndbuf = socket_int(conn->fd, SO_SNDBUF);
        c->rcvbuf = socket_int(conn->fd, SO_RCVBUF);
    }
    if (c->params.client.send_bytes > 0) {
        conn->state = CONN_SENDING;
        conn_send(conn);
    } else {
        conn_after_send(conn);
    }
}

static void conn_check_connect(struct client_conn *conn, uint32_t events)
{
    int error = 0;
    socklen_t len = sizeof error;
    if (getsockopt(conn->fd, SOL_SOCKET, SO_ERROR, &error, &len) < 0)
        error = errno;
    if (error == 0) {
        /* a socket in SYN_SENT is never writable (tcp_poll), so writable
         * without an error means connected; anything else is asked */
        struct sockaddr_in peer;
        socklen_t plen = sizeof peer;
        if ((events & EPOLLOUT) || getpeername(conn->fd, (struct sockaddr *)&peer, &plen) == 0)
            conn_connected(conn);
        return; /* not yet: a spurious wakeup */
    }
    if (error == ECONNREFUSED)
        conn_outcome(conn, "refused", error, NULL);
    else if (error == ETIMEDOUT)
        conn_outcome(conn, "timed_out", error, "kernel");
    else
        conn_outcome(conn, "failed", error, NULL);
    conn_close(conn);
}

/* An error (EPOLLERR, EPOLLHUP) shows up as the errno of the socket call
 * the state makes next. */
static void on_conn_events(struct pollset_entry *entry, uint32_t events)
{
    struct client_conn *conn = entry->data;
    switch (conn->state) {
    case CONN_CONNECTING:
        conn_check_connect(conn, events);
        break;
    case CONN_SENDING:
        conn_send(conn);
        break;
    case CONN_RECEIVING:
    case CONN_HOLDING:
        conn_receive(conn);
        break;
    case CONN_CLOSED:
        break;
    }
}

static void on_connect_timeout(uv_timer_t *timer)
{
    struct client_conn *conn = timer->data;
    if (conn->state != CONN_CONNECTING)
        return;
    conn_outcome(conn, "timed_out", ETIMEDOUT, "harness");
    conn_close(conn);
}

static int set_buffer(int fd, int option, uint64_t bytes)
{
    int value = (int)bytes;
    return bytes ? setsockopt(fd, SOL_SOCKET, option, &value, sizeof value) : 0;
}

/* A connection that failed before it had a socket: recorded, never opened. */
static void conn_failed_early(struct client *c, uint32_t id, int64_t start_us, int error)
{
    struct client_conn conn = {.client = c,
                               .id = id,
                               .fd = -1,
                               .start_us = start_us,
                               .closed_us = -1,
                               .bytes_before_first_block = -1};
    conn_outcome(&conn, "failed", error, NULL);
    conn_emit(&conn, 0);
}

/* ---- client.mode "blocking": a thread per connection (blocking.h) ---- */

static void blocking_sync_bytes(struct client_conn *conn)
{
    uint64_t sent = atomic_load(&conn->blocking->bytes_sent);
    conn->client->bytes_sent_total += sent - conn->bytes_sent;
    conn->bytes_sent = sent;
}

/* Applies what a connection's thread reported since the last look: its
 * outcome, its blocked send() calls, its bytes. Returns 1 when the thread
 * has finished (and is joined). */
static int blocking_take(struct client_conn *conn)
{
    struct client *c = conn->client;
    struct blocking_conn *b = conn->blocking;
    struct blocking_report *r = &b->report;
    pthread_mutex_lock(&b->lock);
    if (!conn->outcome && r->outcome) {
        if (r->start_us > 0)
            conn->start_us = r->start_us;
        conn_outcome_at(conn, r->outcome, r->error, r->timeout_by, r->outcome_us);
        if (strcmp(r->outcome, "connected") == 0) {
            conn->state = CONN_SENDING;
            conn->local_port = r->local_port;
            conn->sndbuf = r->sndbuf;
            conn->rcvbuf = r->rcvbuf;
            if (!c->effective_known) {
                c->effective_known = 1;
                c->sndbuf = conn->sndbuf;
                c->rcvbuf = conn->rcvbuf;
            }
        }
    }
    for (; conn->blocks_taken < r->block_count; conn->blocks_taken++) {
        const struct blocking_block *call = &r->blocks[conn->blocks_taken];
        block_record(conn, call->start_us, call->end_us, call->bytes_before, call->ended_by, call);
    }
    int done = r->done;
    pthread_mutex_unlock(&b->lock);
    blocking_sync_bytes(conn);
    if (!done)
        return 0;
    blocking_join(b);
    conn->bytes_received = r->bytes_received;
    c->bytes_received_total += r->bytes_received;
    conn->peer_closed = r->peer_closed;
    conn->closed_us = r->stopped ? -1 : r->closed_us;
    if (r->reset)
        conn_mark_reset(conn, r->error ? r->error : ECONNRESET);
    else if (r->error && !conn->error)
        conn->error = r->error;
    return 1;
}

static void on_blocking_report(uv_async_t *handle)
{
    struct client *c = handle->data;
    struct client_conn *conn, *next;
    for (conn = c->open_list; conn; conn = next) {
        next = conn->next;
        if (conn->blocking && blocking_take(conn))
            conn_finish(conn, 0);
    }
    client_fill(c);
    client_maybe_finish(c);
}

static void conn_start_blocking(struct client *c, struct client_conn *conn)
{
    struct blocking_conn *b = conn->blocking;
    b->fd = conn->fd;
    b->params = &c->params.client;
    b->target = c->target;
    b->start_ns = c->start_ns;
    b->send_buffer = c->send_buffer;
    b->wake = &c->wake;
    int rc = blocking_start(b);
    if (rc < 0) {
        conn_outcome(conn, "failed", -rc, NULL);
        conn_close(conn);
    }
}

static void conn_start(struct client *c)
{
    const struct client_params *p = &c->params.client;
    uint32_t id = c->launched++;
    int64_t start = now_us(c);
    int blocking = p->mode == MODE_BLOCKING;
    if (!blocking && c->pollset_error) {
        conn_failed_early(c, id, start, -c->pollset_error);
        return;
    }
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | (blocking ? 0 : SOCK_NONBLOCK), 0);
    if (fd < 0) {
        conn_failed_early(c, id, start, errno);
        return;
    }
    if (set_buffer(fd, SO_SNDBUF, p->sndbuf) < 0 || set_buffer(fd, SO_RCVBUF, p->rcvbuf) < 0) {
        int e = errno;
        close(fd);
        conn_failed_early(c, id, start, e);
        return;
    }
    struct client_conn *conn = calloc(1, sizeof *conn);
    if (conn && blocking && !(conn->blocking = calloc(1, sizeof *conn->blocking))) {
        free(conn);
        conn = NULL;
    }
    if (!conn) {
        close(fd);
        conn_failed_early(c, id, start, ENOMEM);
        return;
    }
    conn->client = c;
    conn->id = id;
    conn->fd = fd;
    conn->start_us = start;
    conn->closed_us = -1;
    conn->bytes_before_first_block = -1;
    conn->state = CONN_CONNECTING;
    uv_timer_init(c->loop, &conn->timer);
    conn->timer.data = conn;
    conn->handles_open = 1;
    conn->prev = c->open_tail;
    if (c->open_tail)
        c->open_tail->next = conn;
    else
        c->open_list = conn;
    c->open_tail = conn;
    c->open++;
    if (blocking) {
        conn_start_blocking(c, conn);
        return;
    }
    conn->watch.data = conn;

    int rc = connect(fd, (struct sockaddr *)&c->target, sizeof c->target);
    if (rc == 0) {
        conn_connected(conn);
        return;
    }
    if (errno != EINPROGRESS) {
        int e = errno;
        conn_outcome(conn, e == ECONNREFUSED ? "refused" : "failed", e, NULL);
        conn_close(conn);
        return;
    }
    if (conn_watch(conn, EPOLLOUT | EPOLLRDHUP) == 0 && p->connect_timeout_us > 0)
        uv_timer_start(&conn->timer, on_connect_timeout, (uint64_t)p->connect_timeout_us / 1000, 0);
}

static void client_fill(struct client *c)
{
    while (!c->stopping && c->launched < c->params.client.connections &&
           c->open < c->params.client.concurrency)
        conn_start(c);
}

/* A sample: bytes sent in all, connections open, and per connected
 * connection (the oldest SAMPLER_CONNS open ones) its bytes sent and its
 * send queue, SIOCOUTQ: what send() handed over that the peer has not
 * acknowledged yet, which on loopback is what waits for the peer's window. */
static void client_sample(struct client *c)
{
    struct sample_conn conns[SAMPLER_CONNS];
    size_t count = 0;
    uint64_t connected_open = 0;
    int64_t send_queue = 0;
    int64_t started_ns = clock_now_ns(), logged_ns = c->log->cost_ns;
    /* blocking threads count their bytes themselves (at most
     * PARAMS_MAX_BLOCKING_CONCURRENCY of them) */
    if (c->params.client.mode == MODE_BLOCKING)
        for (struct client_conn *conn = c->open_list; conn; conn = conn->next)
            blocking_sync_bytes(conn);
    /* the walk stops once SAMPLER_CONNS are read: with thousands open, a
     * tick must not cost thousands of steps */
    for (struct client_conn *conn = c->open_list; conn && count < SAMPLER_CONNS;
         conn = conn->next) {
        if (conn->state == CONN_CONNECTING || conn->state == CONN_CLOSED)
            continue;
        connected_open++;
        /* nothing sent, nothing queued: no ioctl (a point of connections
         * that send nothing would spend most of its sampling here) */
        int unsent = 0;
        if (conn->bytes_sent > 0 && ioctl(conn->fd, SIOCOUTQ, &unsent) < 0)
            unsent = 0;
        conns[count++] = (struct sample_conn){conn->id, conn->bytes_sent, (uint64_t)unsent};
        send_queue += unsent;
    }
    /* beyond the walk, every open connection might have been sampled */
    if (count == SAMPLER_CONNS)
        connected_open = c->open;
    int64_t totals[] = {(int64_t)c->bytes_sent_total, (int64_t)c->open};
    if (sampler_keep(&c->sampler, totals, 2, conns, count, connected_open)) {
        struct event_line line;
        event_line_start(&line, "client_sample");
        event_line_int(&line, "t_us", now_us(c));
        event_line_int(&line, "bytes_sent", (int64_t)c->bytes_sent_total);
        event_line_int(&line, "open", c->open);
        event_line_int(&line, "send_queue", send_queue);
        sampler_conns_line(&c->sampler, &line, conns, count);
        eventlog_emit_line(c->log, &line);
    }
    /* writing the sample counts as logging (the log's cost_ns) */
    c->sampler.cost_ns += clock_now_ns() - started_ns - (c->log->cost_ns - logged_ns);
}

static void on_sample_tick(uv_timer_t *timer)
{
    client_sample(timer->data);
}

static void client_finish(struct client *c)
{
    if (c->finished)
        return;
    c->finished = 1;
    if (c->params.sample_us > 0)
        client_sample(c);
    uv_close((uv_handle_t *)&c->sample_timer, NULL);
    pollset_close(&c->pollset);
    if (c->wake_open) /* every thread has been joined */
        uv_close((uv_handle_t *)&c->wake, NULL);
    c->wake_open = 0;
    json_t *end = json_pack("{s:s,s:I,s:b,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "event", "end",
                            "t_us", (json_int_t)now_us(c), "stopped", c->stopping, "attempted",
                            (json_int_t)c->launched, "connected", (json_int_t)c->connected,
                            "refused", (json_int_t)c->refused, "timed_out",
                            (json_int_t)c->timed_out, "failed", (json_int_t)c->failed, "reset",
                            (json_int_t)c->resets, "bytes_sent", (json_int_t)c->bytes_sent_total,
                            "bytes_received", (json_int_t)c->bytes_received_total, "blocked_sends",
                            (json_int_t)c->blocked_sends, "blocked_us", (json_int_t)c->blocked_us);
    sampler_report(&c->sampler, end);
    json_object_set_new(end, "logging_us", json_integer((json_int_t)(c->log->cost_ns / 1000)));
    if (c->effective_known) {
        json_object_set_new(end, "sndbuf", json_integer(c->sndbuf));
        json_object_set_new(end, "rcvbuf", json_integer(c->rcvbuf));
        json_object_set_new(end, "sndbuf_max", json_integer(c->sndbuf_max));
    }
    eventlog_emit(c->log, end);
    if (c->done_cb)
        c->done_cb(c, c->done_data);
}

static void client_maybe_finish(struct client *c)
{
    if (c->started && !c->stopping && c->launched == c->params.client.connections && c->open == 0)
        client_finish(c);
}

void client_start(struct client *c, int64_t start_ns, client_done_cb done, void *data)
{
    c->start_ns = start_ns;
    c->started = 1;
    c->done_cb = done;
    c->done_data = data;
    uv_timer_init(c->loop, &c->sample_timer);
    c->sample_timer.data = c;
    if (c->params.client.mode == MODE_BLOCKING) {
        uv_async_init(c->loop, &c->wake, on_blocking_report);
        c->wake.data = c;
        c->wake_open = 1;
    } else {
        c->pollset_error = pollset_init(c->loop, &c->pollset);
    }
    if (c->params.sample_us > 0) {
        uint64_t every = (uint64_t)c->params.sample_us / 1000;
        client_sample(c);
        uv_timer_start(&c->sample_timer, on_sample_tick, every ? every : 1, every ? every : 1);
    }
    client_fill(c);
    client_maybe_finish(c);
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
    /* the queues as they stood when the run ended, before closing them */
    if (c->params.sample_us > 0)
        client_sample(c);
    for (struct client_conn *conn = c->open_list; conn; conn = conn->next)
        if (conn->blocking)
            blocking_stop(conn->blocking);
    while (c->open_list) {
        struct client_conn *conn = c->open_list;
        if (!conn->blocking) {
            conn_finish(conn, 1);
            continue;
        }
        blocking_join(conn->blocking);
        blocking_take(conn);
        conn_finish(conn, conn->blocking->report.stopped);
    }
    client_finish(c);
}

uint64_t client_connected(const struct client *c)
{
    return c->connected;
}

void client_destroy(struct client *c)
{
    free(c->send_buffer);
    free(c->recv_buffer);
    free(c);
}
