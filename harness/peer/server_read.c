/* server_read.c: reading an accepted connection with recv() on the raw fd
 * (uv_read_start would read as fast as data arrives), at once or at the
 * read policy's pace; the course note's reply (server_internal.h). */
#include "server_internal.h"

#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>

/* reads per readiness callback before giving the loop back to others */
#define READS_PER_CALLBACK 16

/* The course note's server: after the first read, sendall(reply) and close. */
static void conn_reply(struct server_conn *c)
{
    const char *reply = c->server->params.server.reply;
    size_t length = strlen(reply);
    ssize_t n = send(c->fd, reply, length, MSG_NOSIGNAL);
    if (n > 0)
        c->bytes_replied = (uint64_t)n;
    server_conn_close(c);
}

/* recv() returned 0 (EOF) or failed: the connection ends there, unless
 * the call would only have blocked (stop reading for now) or was
 * interrupted (read on). Returns 1 to stop reading. */
static int conn_read_stopped(struct server_conn *c, ssize_t n)
{
    struct server *s = c->server;
    if (n == 0) {
        c->eof_us = server_now_us(s);
        s->eofs++;
        server_conn_close(c);
        return 1;
    }
    if (errno == EINTR)
        return 0;
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
        c->error = errno;
        if (errno == ECONNRESET) {
            c->reset = 1;
            s->resets++;
        }
        server_conn_close(c);
    }
    return 1;
}

/* Reads up to limit bytes in recv() calls of at most one chunk. Returns the
 * bytes read; closes the connection at EOF or on an error. */
static uint64_t conn_read(struct server_conn *c, uint64_t limit, int calls)
{
    struct server *s = c->server;
    uint64_t total = 0;
    while (total < limit && calls-- > 0 && !c->closing) {
        size_t want = s->buffer_size;
        if (limit - total < want)
            want = (size_t)(limit - total);
        ssize_t n = recv(c->fd, s->buffer, want, 0);
        if (n <= 0) {
            if (conn_read_stopped(c, n))
                break;
            continue;
        }
        if (c->first_read_us < 0)
            c->first_read_us = server_now_us(s);
        c->bytes_read += (uint64_t)n;
        s->bytes_read_total += (uint64_t)n;
        c->reads++;
        if ((uint64_t)n > c->read_max)
            c->read_max = (uint64_t)n;
        read_sizes_add(&s->read_sizes, (uint64_t)n);
        total += (uint64_t)n;
        if (s->params.server.reply[0]) {
            conn_reply(c);
            break;
        }
    }
    return total;
}

static void on_conn_readable(struct pollset_entry *entry, uint32_t events)
{
    struct server_conn *c = entry->data;
    (void)events; /* an error (EPOLLERR) also shows up as recv()'s errno */
    conn_read(c, UINT64_MAX, READS_PER_CALLBACK);
}

static void on_conn_pace(uv_timer_t *timer)
{
    struct server_conn *c = timer->data;
    uint64_t allowance = read_pacer_allowance(&c->pacer, server_now_us(c->server));
    if (allowance == 0)
        return;
    uint64_t n = conn_read(c, allowance, 1 << 20);
    read_pacer_consume(&c->pacer, n);
}

void server_read_start(struct server_conn *c)
{
    struct server *s = c->server;
    const struct read_policy *read = &s->params.server.read;
    read_pacer_init(&c->pacer, read, c->accepted_us);
    if (read->kind == READ_IMMEDIATE) {
        int rc = s->pollset_error
                     ? s->pollset_error
                     : pollset_watch(&s->pollset, &c->watch, c->fd, EPOLLIN, on_conn_readable);
        if (rc) { /* a connection that cannot be watched cannot be read */
            c->error = -rc;
            server_conn_close(c);
        }
    } else if (read->kind == READ_PACED) {
        uint64_t period = read_pacer_period_ms(read);
        int64_t delay_us = read->start_us - c->accepted_us;
        uint64_t first = delay_us > 0 ? (uint64_t)(delay_us + 999) / 1000 : 0;
        uv_timer_start(&c->timer, on_conn_pace, first, period);
    }
}
