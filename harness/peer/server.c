/* server.c: see server.h. */
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/sockios.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli.h"
#include "clock.h"
#include "fdlimit.h"
#include "policy.h"
#include "pollset.h"
#include "sampler.h"

/* reads per readiness callback before giving the loop back to others */
#define READS_PER_CALLBACK 16

struct server_conn {
    struct server *server;
    struct server_conn *prev, *next; /* the open connections, in accept order */
    uint32_t id;
    int fd;
    uint16_t peer_port;
    struct pollset_entry watch; /* read "immediate": in the server's poll set */
    uv_timer_t timer;
    int handles_open;
    struct read_pacer pacer;
    int64_t accepted_us, first_read_us, eof_us, closed_us;
    uint64_t bytes_read;
    uint64_t bytes_replied;
    int reset;
    int error;
    int closing;
};

struct server {
    uv_loop_t *loop;
    struct point_params params;
    struct eventlog *log;
    int64_t start_ns;
    int started, stopping, client_done, finished;
    uint64_t client_connected;
    server_done_cb done_cb;
    void *done_data;

    int listen_fd;
    int listening;
    int accept_lines; /* server_log_accepts */
    uint16_t port;
    uv_poll_t listen_poll;
    int listen_poll_open;
    uv_timer_t accept_timer, close_timer, sample_timer;
    struct pollset pollset; /* the accepted connections */
    int pollset_error;      /* why there is none (negative errno), or 0 */
    uint64_t accept_ticks;

    char *buffer;
    size_t buffer_size;
    uint32_t next_id;
    uint32_t open_conns;
    uint64_t accepted, eofs, resets, bytes_read_total;
    uint64_t accept_errors;
    int accept_starved; /* the last accept4 found no fd or memory to give */
    int rcvbuf_max;     /* largest SO_RCVBUF of an accepted socket, at its close */

    struct server_conn *open_head, *open_tail;
    struct sampler sampler;
};

static int64_t now_us(const struct server *s)
{
    return s->started ? clock_since_us(s->start_ns) : 0;
}

/* The accept queue of the listener: TCP_INFO reports its length as
 * tcpi_unacked and its limit (min(backlog, somaxconn)) as tcpi_sacked. */
static int listener_queue(const struct server *s, int64_t *length, int64_t *limit)
{
    struct tcp_info info;
    socklen_t len = sizeof info;
    if (!s->listening || getsockopt(s->listen_fd, IPPROTO_TCP, TCP_INFO, &info, &len) < 0)
        return -1;
    *length = info.tcpi_unacked;
    *limit = info.tcpi_sacked;
    return 0;
}

static int socket_buffer(int fd, int option)
{
    int value = 0;
    socklen_t len = sizeof value;
    if (getsockopt(fd, SOL_SOCKET, option, &value, &len) < 0)
        return -1;
    return value;
}

static int set_buffer(int fd, int option, uint64_t bytes)
{
    int value = (int)bytes;
    if (bytes == 0)
        return 0;
    return setsockopt(fd, SOL_SOCKET, option, &value, sizeof value);
}

int server_create(uv_loop_t *loop, const struct point_params *params, const char *address,
                  struct eventlog *log, struct server **out, struct hl_error *err)
{
    struct sockaddr_in addr;
    char host[64];
    uint16_t port;
    int one = 1;
    int rc;
    /* every accepted connection stays open until the client closes it;
     * run by hand, more clients than the params say may come */
    if ((rc = fdlimit_ensure(fdlimit_server_needs(params), err)))
        return rc;
    fdlimit_raise();
    struct server *s = calloc(1, sizeof *s);
    if (!s)
        return hl_error_setn(err, ENOMEM, "server", "out of memory");
    s->loop = loop;
    s->params = *params;
    s->log = log;
    s->listen_fd = -1;
    s->accept_lines = 1;
    s->buffer_size = params->server.read.chunk ? params->server.read.chunk : 65536;
    s->buffer = malloc(s->buffer_size);
    if (!s->buffer)
        goto fail_nomem;

    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    if (cli_split_address(address, host, sizeof host, &port) ||
        inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
        hl_error_set(err, address, "not an IPv4 ADDR:PORT");
        goto fail;
    }
    addr.sin_port = htons(port);

    s->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (s->listen_fd < 0) {
        hl_error_setn(err, errno, "socket", "%s", strerror(errno));
        goto fail;
    }
    setsockopt(s->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    /* buffers set on the listener are inherited by accepted sockets; the
     * receive buffer must be set before listen() to shape the window scale */
    if (set_buffer(s->listen_fd, SO_RCVBUF, params->server.rcvbuf) < 0 ||
        set_buffer(s->listen_fd, SO_SNDBUF, params->server.sndbuf) < 0) {
        hl_error_setn(err, errno, "setsockopt", "setting the server's buffers: %s",
                      strerror(errno));
        goto fail;
    }
    if (bind(s->listen_fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
        int e = errno;
        hl_error_setn(err, e, address, "bind: %s%s", strerror(e),
                      e == EADDRINUSE ? "; another socket holds this port: choose another "
                                        "port, or 0 for any free one"
                                      : "");
        goto fail;
    }
    socklen_t len = sizeof addr;
    getsockname(s->listen_fd, (struct sockaddr *)&addr, &len);
    s->port = ntohs(addr.sin_port);
    if (params->server.listen) {
        /* passed as given: the kernel casts it to unsigned and caps it at
         * net.core.somaxconn, so -1 means "somaxconn" */
        if (listen(s->listen_fd, params->server.backlog) < 0) {
            hl_error_setn(err, errno, "listen", "%s", strerror(errno));
            goto fail;
        }
        s->listening = 1;
    }
    *out = s;
    return 0;

fail_nomem:
    hl_error_setn(err, ENOMEM, "server", "out of memory");
fail:
    if (s->listen_fd >= 0)
        close(s->listen_fd);
    free(s->buffer);
    free(s);
    return -EINVAL;
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
    if (listener_queue(s, &queue, &limit) == 0)
        json_object_set_new(info, "backlog", json_integer(limit));
    else
        json_object_set_new(info, "backlog", json_null());
    return info;
}

static void server_maybe_finish(struct server *s);

static void conn_handle_closed(uv_handle_t *handle)
{
    struct server_conn *c = handle->data;
    if (--c->handles_open == 0) {
        close(c->fd);
        free(c);
    }
}

static int socket_buffer(int fd, int option);

static void conn_emit(struct server *s, struct server_conn *c, int open_at_end)
{
    /* SO_RCVBUF grows beyond the listener's when it was left to the kernel
     * (tcp_clamp_window), even while nobody reads */
    int rcvbuf = socket_buffer(c->fd, SO_RCVBUF);
    if (rcvbuf > s->rcvbuf_max)
        s->rcvbuf_max = rcvbuf;
    if (!eventlog_enabled(s->log))
        return;
    struct event_line line;
    event_line_start(&line, "server_conn");
    event_line_int(&line, "conn", c->id);
    event_line_int(&line, "peer_port", c->peer_port);
    event_line_int(&line, "accepted_us", c->accepted_us);
    event_line_int(&line, "bytes_read", (int64_t)c->bytes_read);
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
    eventlog_emit_line(s->log, &line);
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

static void conn_close(struct server_conn *c)
{
    struct server *s = c->server;
    if (c->closing)
        return;
    c->closing = 1;
    c->closed_us = now_us(s);
    conn_emit(s, c, 0);
    conn_unlink(s, c);
    s->open_conns--;
    /* its socket leaves the poll set when conn_handle_closed closes it */
    pollset_forget(&c->watch);
    uv_close((uv_handle_t *)&c->timer, conn_handle_closed);
    server_maybe_finish(s);
}

/* The course note's server: after the first read, sendall(reply) and close. */
static void conn_reply(struct server_conn *c)
{
    const char *reply = c->server->params.server.reply;
    size_t length = strlen(reply);
    ssize_t n = send(c->fd, reply, length, MSG_NOSIGNAL);
    if (n > 0)
        c->bytes_replied = (uint64_t)n;
    conn_close(c);
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
        if (n > 0) {
            if (c->first_read_us < 0)
                c->first_read_us = now_us(s);
            c->bytes_read += (uint64_t)n;
            s->bytes_read_total += (uint64_t)n;
            total += (uint64_t)n;
            if (s->params.server.reply[0]) {
                conn_reply(c);
                break;
            }
            continue;
        }
        if (n == 0) {
            c->eof_us = now_us(s);
            s->eofs++;
            conn_close(c);
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            break;
        } else if (errno != EINTR) {
            c->error = errno;
            if (errno == ECONNRESET) {
                c->reset = 1;
                s->resets++;
            }
            conn_close(c);
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
    uint64_t allowance = read_pacer_allowance(&c->pacer, now_us(c->server));
    if (allowance == 0)
        return;
    uint64_t n = conn_read(c, allowance, 1 << 20);
    read_pacer_consume(&c->pacer, n);
}

/* queue: the accept queue's length before this accept (-1 unknown) */
static void server_accept_one(struct server *s, int64_t queue, int *again)
{
    struct sockaddr_in peer;
    socklen_t len = sizeof peer;
    int fd = accept4(s->listen_fd, (struct sockaddr *)&peer, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    *again = 0;
    if (fd < 0) {
        /* out of fds or memory: the connection stays queued, and the
         * listener stays readable until something is freed */
        s->accept_starved =
            errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM;
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            s->accept_errors++;
            eventlog_emit(s->log,
                          json_pack("{s:s,s:I,s:s}", "event", "accept_error", "t_us",
                                    (json_int_t)now_us(s), "error", strerrorname_np(errno)));
        }
        return;
    }
    struct server_conn *c = calloc(1, sizeof *c);
    if (!c) {
        close(fd);
        return;
    }
    *again = 1;
    c->server = s;
    c->fd = fd;
    c->id = s->next_id++;
    c->peer_port = ntohs(peer.sin_port);
    c->accepted_us = now_us(s);
    c->first_read_us = c->eof_us = c->closed_us = -1;
    s->accepted++;
    s->open_conns++;
    c->prev = s->open_tail;
    if (s->open_tail)
        s->open_tail->next = c;
    else
        s->open_head = c;
    s->open_tail = c;
    struct event_line line;
    if (s->accept_lines && eventlog_enabled(s->log)) {
        event_line_start(&line, "accept");
        event_line_int(&line, "t_us", c->accepted_us);
        event_line_int(&line, "conn", c->id);
        event_line_int(&line, "peer_port", c->peer_port);
        event_line_int(&line, "queue_before", queue);
        eventlog_emit_line(s->log, &line);
    }
    uv_timer_init(s->loop, &c->timer);
    c->watch.data = c->timer.data = c;
    c->handles_open = 1;
    read_pacer_init(&c->pacer, &s->params.server.read, c->accepted_us);
    const struct read_policy *read = &s->params.server.read;
    if (read->kind == READ_IMMEDIATE) {
        int rc = s->pollset_error
                     ? s->pollset_error
                     : pollset_watch(&s->pollset, &c->watch, fd, EPOLLIN, on_conn_readable);
        if (rc) { /* a connection that cannot be watched cannot be read */
            c->error = -rc;
            conn_close(c);
        }
    } else if (read->kind == READ_PACED) {
        uint64_t period = read_pacer_period_ms(read);
        int64_t delay_us = read->start_us - c->accepted_us;
        uint64_t first = delay_us > 0 ? (uint64_t)(delay_us + 999) / 1000 : 0;
        uv_timer_start(&c->timer, on_conn_pace, first, period);
    }
}

/* How long an immediate acceptor waits after accept4 found no fd
 * (EMFILE, ENFILE) or memory before it tries again. */
#define ACCEPT_BACKOFF_MS 10

static void on_listener_readable(uv_poll_t *handle, int status, int events);

static void on_accept_resume(uv_timer_t *timer)
{
    struct server *s = timer->data;
    s->accept_starved = 0;
    if (s->listening && s->listen_poll_open)
        uv_poll_start(&s->listen_poll, UV_READABLE, on_listener_readable);
}

static void on_listener_readable(uv_poll_t *handle, int status, int events)
{
    struct server *s = handle->data;
    int again = 1;
    int64_t queue = -1, limit = -1;
    (void)status;
    (void)events;
    /* for the accept lines, the queue is read once per burst and counted
     * down: a TCP_INFO per accept would lock the listener against the SYNs
     * arriving meanwhile */
    if (s->accept_lines && eventlog_enabled(s->log))
        listener_queue(s, &queue, &limit);
    for (int i = 0; again && i < 64 && s->listening; i++)
        server_accept_one(s, queue < 0 ? -1 : (queue > i ? queue - i : 0), &again);
    if (s->accept_starved && s->listening) {
        /* a level-triggered poll of a listener whose accept fails for want
         * of fds would spin (and log an error per turn): wait instead */
        uv_poll_stop(&s->listen_poll);
        uv_timer_start(&s->accept_timer, on_accept_resume, ACCEPT_BACKOFF_MS, 0);
    }
    server_maybe_finish(s);
}

static void on_accept_tick(uv_timer_t *timer)
{
    struct server *s = timer->data;
    int again;
    int64_t queue = -1, limit = -1;
    s->accept_ticks++;
    if (s->listening) {
        listener_queue(s, &queue, &limit);
        server_accept_one(s, queue, &again);
    }
    server_maybe_finish(s);
}

/* A sample: the accept queue, bytes read in all, and per accepted
 * connection (the oldest SAMPLER_CONNS open ones) its bytes read and its
 * unread bytes, SIOCINQ. Connections still in the accept queue have no fd
 * here and hold their unread bytes unseen. */
static void server_sample(struct server *s)
{
    struct sample_conn conns[SAMPLER_CONNS];
    size_t count = 0;
    int64_t queue = -1, limit = -1, recv_queue = 0;
    int64_t started_ns = clock_now_ns(), logged_ns = s->log->cost_ns;
    listener_queue(s, &queue, &limit);
    for (struct server_conn *c = s->open_head; c && count < SAMPLER_CONNS; c = c->next) {
        int unread = 0;
        if (ioctl(c->fd, SIOCINQ, &unread) < 0)
            unread = 0;
        conns[count++] = (struct sample_conn){c->id, c->bytes_read, (uint64_t)unread};
        recv_queue += unread;
    }
    int64_t totals[] = {queue, limit, (int64_t)s->bytes_read_total, (int64_t)s->open_conns};
    if (sampler_keep(&s->sampler, totals, 4, conns, count, s->open_conns)) {
        struct event_line line;
        event_line_start(&line, "server_sample");
        event_line_int(&line, "t_us", now_us(s));
        event_line_int(&line, "bytes_read", (int64_t)s->bytes_read_total);
        event_line_int(&line, "open", s->open_conns);
        event_line_int(&line, "recv_queue", recv_queue);
        if (queue >= 0) {
            event_line_int(&line, "queue", queue);
            event_line_int(&line, "limit", limit);
        }
        sampler_conns_line(&s->sampler, &line, conns, count);
        eventlog_emit_line(s->log, &line);
    }
    /* writing the sample counts as logging (the log's cost_ns) */
    s->sampler.cost_ns += clock_now_ns() - started_ns - (s->log->cost_ns - logged_ns);
}

static void on_sample_tick(uv_timer_t *timer)
{
    struct server *s = timer->data;
    server_sample(s);
    server_maybe_finish(s);
}

static void listener_close(struct server *s)
{
    if (s->listen_fd < 0)
        return;
    /* the poll handle goes first: libuv removes its fd from epoll when the
     * handle closes, and a closed fd number may already belong to another
     * socket */
    if (s->listen_poll_open)
        uv_close((uv_handle_t *)&s->listen_poll, NULL);
    s->listen_poll_open = 0;
    /* closing a listener resets every connection still in its accept queue
     * (inet_csk_listen_stop), which is what the clients will see */
    close(s->listen_fd);
    s->listen_fd = -1;
    s->listening = 0;
}

static void on_close_listener(uv_timer_t *timer)
{
    struct server *s = timer->data;
    int64_t queue = -1, limit = -1;
    listener_queue(s, &queue, &limit);
    listener_close(s);
    eventlog_emit(s->log, json_pack("{s:s,s:I,s:I}", "event", "listener_closed", "t_us",
                                    (json_int_t)now_us(s), "queue", (json_int_t)queue));
    server_maybe_finish(s);
}

static uint64_t ms_until(const struct server *s, int64_t at_us)
{
    int64_t delay = at_us - now_us(s);
    return delay > 0 ? (uint64_t)(delay + 999) / 1000 : 0;
}

void server_start(struct server *s, int64_t start_ns, server_done_cb done, void *data)
{
    const struct server_params *p = &s->params.server;
    s->start_ns = start_ns;
    s->started = 1;
    s->done_cb = done;
    s->done_data = data;
    uv_timer_init(s->loop, &s->accept_timer);
    uv_timer_init(s->loop, &s->close_timer);
    uv_timer_init(s->loop, &s->sample_timer);
    s->accept_timer.data = s->close_timer.data = s->sample_timer.data = s;
    s->pollset_error = pollset_init(s->loop, &s->pollset);
    uv_poll_init_socket(s->loop, &s->listen_poll, s->listen_fd);
    s->listen_poll.data = s;
    s->listen_poll_open = 1;
    if (s->listening && p->accept.kind == ACCEPT_IMMEDIATE)
        uv_poll_start(&s->listen_poll, UV_READABLE, on_listener_readable);
    else if (s->listening && p->accept.kind == ACCEPT_PACED)
        uv_timer_start(&s->accept_timer, on_accept_tick, ms_until(s, p->accept.start_us),
                       (uint64_t)p->accept.every_us / 1000);
    if (p->close_listener_us >= 0)
        uv_timer_start(&s->close_timer, on_close_listener, ms_until(s, p->close_listener_us), 0);
    if (s->params.sample_us > 0) {
        uint64_t every = (uint64_t)s->params.sample_us / 1000;
        server_sample(s);
        uv_timer_start(&s->sample_timer, on_sample_tick, every ? every : 1, every ? every : 1);
    }
}

static void server_finish(struct server *s, int stopped)
{
    if (s->finished)
        return;
    s->finished = 1;
    if (s->params.sample_us > 0)
        server_sample(s);
    int64_t queue = -1, limit = -1;
    listener_queue(s, &queue, &limit);
    /* connections still open at the end are reported as such */
    while (s->open_head) {
        struct server_conn *c = s->open_head;
        c->closing = 1;
        conn_emit(s, c, 1);
        conn_unlink(s, c);
        pollset_forget(&c->watch);
        uv_close((uv_handle_t *)&c->timer, conn_handle_closed);
    }
    pollset_close(&s->pollset);
    if (s->listen_poll_open)
        uv_close((uv_handle_t *)&s->listen_poll, NULL);
    s->listen_poll_open = 0;
    if (s->started) {
        uv_close((uv_handle_t *)&s->accept_timer, NULL);
        uv_close((uv_handle_t *)&s->close_timer, NULL);
        uv_close((uv_handle_t *)&s->sample_timer, NULL);
    }
    if (s->listen_fd >= 0) {
        close(s->listen_fd);
        s->listen_fd = -1;
        s->listening = 0;
    }
    json_t *end = json_pack(
        "{s:s,s:I,s:b,s:I,s:I,s:I,s:I,s:I,s:I}", "event", "end", "t_us", (json_int_t)now_us(s),
        "stopped", stopped, "accepted", (json_int_t)s->accepted, "eofs", (json_int_t)s->eofs,
        "resets", (json_int_t)s->resets, "bytes_read", (json_int_t)s->bytes_read_total,
        "queue_at_end", (json_int_t)queue, "accept_errors", (json_int_t)s->accept_errors);
    if (s->rcvbuf_max > 0)
        json_object_set_new(end, "rcvbuf_max", json_integer(s->rcvbuf_max));
    sampler_report(&s->sampler, end);
    json_object_set_new(end, "logging_us", json_integer((json_int_t)(s->log->cost_ns / 1000)));
    eventlog_emit(s->log, end);
    if (s->done_cb)
        s->done_cb(s, s->done_data);
}

static void server_maybe_finish(struct server *s)
{
    int64_t queue = 0, limit = 0;
    if (!s->client_done || s->finished || s->stopping)
        return;
    if (s->listening && (listener_queue(s, &queue, &limit) < 0 || queue > 0))
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
    if (s->listen_fd >= 0)
        close(s->listen_fd);
    free(s->buffer);
    free(s);
}
