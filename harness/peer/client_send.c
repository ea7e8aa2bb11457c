/* client_send.c: a connected socket's sending: send() on the raw fd (uv_write
 * would queue without limit and never block), the blocked intervals, the
 * send retry; then receiving or holding (client_internal.h). */
#include "client_internal.h"

#include <errno.h>
#include <sys/epoll.h>
#include <sys/socket.h>

/* recv() calls per readiness callback before giving the loop back */
#define RECEIVES_PER_CALLBACK 16

/* ---- blocked intervals ---- */

/* Two figures of a wait, with one meaning each in both modes:
 *   bytes_before       (non-blocking only) what the kernel had taken when
 *                      the sender first had to wait: the bytes of a short
 *                      write included. A blocking send() sleeps inside the
 *                      call, where the bytes it took before sleeping cannot
 *                      be seen, so the blocking mode has no such figure.
 *   bytes_before_call  what the send() calls before the one that had to
 *                      wait had sent: that call wrote short or failed with
 *                      EAGAIN (non-blocking), or slept (blocking). */
void client_block_record(struct client_conn *conn, int64_t start, int64_t end,
                         uint64_t bytes_before, uint64_t bytes_before_call, const char *ended_by,
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
    if (!call && conn->bytes_before_first_block < 0)
        conn->bytes_before_first_block = (int64_t)bytes_before;
    if (conn->bytes_before_blocked_call < 0)
        conn->bytes_before_blocked_call = (int64_t)bytes_before_call;
    if (!eventlog_enabled(c->log))
        return;
    struct event_line line;
    event_line_start(&line, "block");
    event_line_int(&line, "conn", conn->id);
    event_line_int(&line, "start_us", start);
    event_line_int(&line, "end_us", end);
    if (!call)
        event_line_int(&line, "bytes_before", (int64_t)bytes_before);
    event_line_int(&line, "bytes_before_call", (int64_t)bytes_before_call);
    event_line_string(&line, "ended_by", ended_by);
    if (call) {
        event_line_int(&line, "bytes", (int64_t)call->bytes);
        event_line_int(&line, "waits", (int64_t)call->waits);
    }
    eventlog_emit_line(c->log, &line);
}

/* A sender that retries on a timer instead of waiting for poll: poll
 * reports a blocked socket writable only once its queue fell to about two
 * thirds of SO_SNDBUF, while send() takes data whenever the queue is below
 * it (and autotuning may have grown it since the EAGAIN). */
static void on_send_retry(uv_timer_t *timer)
{
    struct client_conn *conn = timer->data;
    if (conn->state == CONN_SENDING && conn->blocked)
        client_conn_send(conn);
}

/* bytes_before_call: what the calls before the one that could not take
 * its whole chunk had sent. */
static void block_begin(struct client_conn *conn, uint64_t bytes_before_call)
{
    struct client *c = conn->client;
    conn->blocked = 1;
    conn->block_start_us = client_now_us(c);
    conn->block_bytes_before = conn->bytes_sent;
    conn->block_bytes_before_call = bytes_before_call;
    if (c->params.client.send_retry_us > 0) {
        uint64_t every = (uint64_t)c->params.client.send_retry_us / 1000;
        uv_timer_start(&conn->timer, on_send_retry, every, every);
    }
    /* a sample at each edge of a blocked interval, so the bytes-over-time
     * line steps exactly where the sender blocks and resumes */
    if (c->params.sample_us > 0)
        client_sample(c);
}

void client_block_end(struct client_conn *conn, const char *ended_by)
{
    struct client *c = conn->client;
    if (!conn->blocked)
        return;
    int64_t end = client_now_us(c);
    if (c->params.sample_us > 0)
        client_sample(c);
    if (c->params.client.send_retry_us > 0)
        uv_timer_stop(&conn->timer);
    conn->blocked = 0;
    client_block_record(conn, conn->block_start_us, end, conn->block_bytes_before,
                        conn->block_bytes_before_call, ended_by, NULL);
}

void client_conn_mark_reset(struct client_conn *conn, int error)
{
    if (!conn->reset) {
        conn->reset = 1;
        conn->error = error;
        conn->client->resets++;
    }
}

/* ---- sending ---- */

/* The socket took no more: a blocked interval starts (or goes on), and
 * poll says when it takes data again. */
static void conn_wait_writable(struct client_conn *conn, uint64_t bytes_before_call)
{
    if (!conn->blocked)
        block_begin(conn, bytes_before_call);
    client_conn_watch(conn, EPOLLOUT | EPOLLRDHUP);
}

/* send() failed for good: a reset, or another error; the connection ends. */
static void conn_send_failed(struct client_conn *conn, int error)
{
    if (error == ECONNRESET || error == EPIPE)
        client_conn_mark_reset(conn, error);
    else
        conn->error = error;
    client_conn_close(conn);
}

static void on_pause_done(uv_timer_t *timer)
{
    struct client_conn *conn = timer->data;
    client_conn_pause_end(conn);
}

void client_conn_pause_end(struct client_conn *conn)
{
    if (!conn->pausing)
        return;
    conn->pausing = 0;
    uv_timer_stop(&conn->timer);
    if (conn->state == CONN_SENDING)
        client_conn_send(conn);
}

/* client.send.pause_ms after a whole chunk. Nothing is asked of poll
 * meanwhile, which still reports an error or a hang-up: that ends the
 * pause, and the next send() says what happened. */
static void conn_pause(struct client_conn *conn)
{
    uint64_t ms = (uint64_t)conn->client->params.client.send_pause_us / 1000;
    conn->pausing = 1;
    if (client_conn_watch(conn, 0) == 0)
        uv_timer_start(&conn->timer, on_pause_done, ms, 0);
}

void client_conn_send(struct client_conn *conn)
{
    struct client *c = conn->client;
    const struct client_params *p = &c->params.client;
    while (conn->bytes_sent < p->send_bytes) {
        size_t want = p->send_chunk;
        if (p->send_bytes - conn->bytes_sent < want)
            want = (size_t)(p->send_bytes - conn->bytes_sent);
        ssize_t n = send(conn->fd, c->send_buffer, want, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            client_block_end(conn, "sent"); /* the socket took data again */
            conn->bytes_sent += (uint64_t)n;
            c->bytes_sent_total += (uint64_t)n;
            if ((size_t)n < want) {
                /* a short write: the send buffer is full */
                conn_wait_writable(conn, conn->bytes_sent - (uint64_t)n);
                return;
            }
            if (p->send_pause_us > 0 && conn->bytes_sent < p->send_bytes) {
                conn_pause(conn);
                return;
            }
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            conn_wait_writable(conn, conn->bytes_sent);
            return;
        }
        if (n < 0 && errno == EINTR)
            continue;
        conn_send_failed(conn, errno);
        return;
    }
    client_conn_after_send(conn);
}

/* ---- after sending ---- */

static void on_hold_done(uv_timer_t *timer)
{
    client_conn_close(timer->data);
}

void client_conn_after_send(struct client_conn *conn)
{
    const struct client_params *p = &conn->client->params.client;
    if (p->receive) {
        conn->state = CONN_RECEIVING;
        client_conn_watch(conn, EPOLLIN | EPOLLRDHUP);
        return;
    }
    if (p->hold_us == 0) {
        client_conn_close(conn);
        return;
    }
    /* holding: keep watching, to see a reset or the server's close */
    conn->state = CONN_HOLDING;
    if (client_conn_watch(conn, EPOLLIN | EPOLLRDHUP) == 0 && p->hold_us > 0)
        uv_timer_start(&conn->timer, on_hold_done, (uint64_t)p->hold_us / 1000, 0);
}

void client_conn_receive(struct client_conn *conn)
{
    struct client *c = conn->client;
    for (int i = 0; i < RECEIVES_PER_CALLBACK; i++) {
        ssize_t n = recv(conn->fd, c->recv_buffer, c->recv_buffer_size, 0);
        if (n > 0) {
            conn->bytes_received += (uint64_t)n;
            c->bytes_received_total += (uint64_t)n;
            continue;
        }
        if (n == 0) {
            conn->peer_closed = 1;
            client_conn_close(conn);
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            client_conn_watch(conn, EPOLLIN | EPOLLRDHUP);
        } else if (errno != EINTR) {
            if (errno == ECONNRESET)
                client_conn_mark_reset(conn, errno);
            else
                conn->error = errno;
            client_conn_close(conn);
        }
        return;
    }
}
