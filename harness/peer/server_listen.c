/* server_listen.c: the server's listening socket and its accept policy
 * (server_internal.h).
 *
 * The server owns the listener (socket, bind, listen(backlog) itself),
 * watches it with uv_poll_t and calls accept4() only when the accept
 * policy says so: uv_listen() would accept on its own and hold a
 * connection in user space. */
#include "server_internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli.h"

/* How long an immediate acceptor waits after accept4 found no fd
 * (EMFILE, ENFILE) or memory before it tries again. */
#define ACCEPT_BACKOFF_MS 10

/* Accepts per readiness callback of an immediate acceptor. */
#define ACCEPTS_PER_CALLBACK 64

/* The accept queue of the listener: TCP_INFO reports its length as
 * tcpi_unacked and its limit (min(backlog, somaxconn)) as tcpi_sacked. */
int server_listener_queue(const struct server *s, int64_t *length, int64_t *limit)
{
    struct tcp_info info;
    socklen_t len = sizeof info;
    if (!s->listening || getsockopt(s->listen_fd, IPPROTO_TCP, TCP_INFO, &info, &len) < 0)
        return -1;
    *length = info.tcpi_unacked;
    *limit = info.tcpi_sacked;
    return 0;
}

/* ---- opening ---- */

static int set_buffer(int fd, int option, uint64_t bytes)
{
    int value = (int)bytes;
    if (bytes == 0)
        return 0;
    return setsockopt(fd, SOL_SOCKET, option, &value, sizeof value);
}

int server_address_parse(const char *address, struct sockaddr_in *addr, struct hl_error *err)
{
    char host[64];
    uint16_t port;
    memset(addr, 0, sizeof *addr);
    addr->sin_family = AF_INET;
    if (cli_split_address(address, host, sizeof host, &port) ||
        inet_pton(AF_INET, host, &addr->sin_addr) != 1)
        return hl_error_set(err, address, "not an IPv4 ADDR:PORT");
    addr->sin_port = htons(port);
    return 0;
}

/* The listener's socket with the point's buffers, not yet bound. */
static int open_socket(struct server *s, struct hl_error *err)
{
    int one = 1;
    s->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (s->listen_fd < 0)
        return hl_error_setn(err, errno, "socket", "%s", strerror(errno));
    setsockopt(s->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    /* buffers set on the listener are inherited by accepted sockets; the
     * receive buffer must be set before listen() to shape the window scale */
    if (set_buffer(s->listen_fd, SO_RCVBUF, s->params.server.rcvbuf) < 0 ||
        set_buffer(s->listen_fd, SO_SNDBUF, s->params.server.sndbuf) < 0)
        return hl_error_setn(err, errno, "setsockopt", "setting the server's buffers: %s",
                             strerror(errno));
    return 0;
}

/* Binds, and notes the port the kernel gave (port 0: any free one). */
static int bind_address(struct server *s, struct sockaddr_in *addr, const char *address,
                        struct hl_error *err)
{
    if (bind(s->listen_fd, (struct sockaddr *)addr, sizeof *addr) < 0) {
        int e = errno;
        return hl_error_setn(err, e, address, "bind: %s%s", strerror(e),
                             e == EADDRINUSE ? "; another socket holds this port: choose "
                                               "another port, or 0 for any free one"
                                             : "");
    }
    socklen_t len = sizeof *addr;
    getsockname(s->listen_fd, (struct sockaddr *)addr, &len);
    s->port = ntohs(addr->sin_port);
    return 0;
}

int server_listener_open(struct server *s, const char *address, struct hl_error *err)
{
    struct sockaddr_in addr;
    int rc;
    if ((rc = server_address_parse(address, &addr, err)) || (rc = open_socket(s, err)) ||
        (rc = bind_address(s, &addr, address, err)))
        return rc;
    if (!s->params.server.listen)
        return 0;
    /* passed as given: the kernel casts it to unsigned and caps it at
     * net.core.somaxconn, so -1 means "somaxconn" */
    if (listen(s->listen_fd, s->params.server.backlog) < 0)
        return hl_error_setn(err, errno, "listen", "%s", strerror(errno));
    s->listening = 1;
    return 0;
}

/* ---- accepting ---- */

static void log_accept(struct server *s, const struct server_conn *c, int64_t queue)
{
    struct event_line line;
    if (!s->accept_lines || !eventlog_enabled(s->log))
        return;
    event_line_start(&line, "accept");
    event_line_int(&line, "t_us", c->accepted_us);
    event_line_int(&line, "conn", c->id);
    event_line_int(&line, "peer_port", c->peer_port);
    event_line_int(&line, "queue_before", queue);
    eventlog_emit_line(s->log, &line);
}

/* accept4() failed: out of fds or memory, the connection stays queued and
 * the listener stays readable until something is freed. */
static void accept_failed(struct server *s, int error)
{
    s->accept_starved = error == EMFILE || error == ENFILE || error == ENOBUFS || error == ENOMEM;
    if (error == EAGAIN || error == EWOULDBLOCK || error == EINTR)
        return;
    s->accept_errors++;
    eventlog_emit(s->log, json_pack("{s:s,s:I,s:s}", "event", "accept_error", "t_us",
                                    (json_int_t)server_now_us(s), "error", strerrorname_np(error)));
}

/* queue: the accept queue's length before this accept (-1 unknown).
 * Returns 1 when a connection was accepted, 0 when none was. */
static int accept_one(struct server *s, int64_t queue)
{
    struct sockaddr_in peer;
    socklen_t len = sizeof peer;
    int fd = accept4(s->listen_fd, (struct sockaddr *)&peer, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
        accept_failed(s, errno);
        return 0;
    }
    struct server_conn *c = server_conn_add(s, fd, &peer);
    if (!c) {
        close(fd);
        return 0;
    }
    log_accept(s, c, queue);
    server_read_start(c);
    return 1;
}

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
    /* for the accept lines, the queue's length is read before each accept
     * (TCP_INFO on the listener): handshakes complete while a burst is
     * being accepted, so a count kept here would drift from the kernel's */
    int log_queue = s->accept_lines && eventlog_enabled(s->log);
    for (int i = 0; again && i < ACCEPTS_PER_CALLBACK && s->listening; i++) {
        queue = -1;
        if (log_queue)
            server_listener_queue(s, &queue, &limit);
        again = accept_one(s, queue);
    }
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
    int64_t queue = -1, limit = -1;
    s->accept_ticks++;
    if (s->listening) {
        server_listener_queue(s, &queue, &limit);
        accept_one(s, queue);
    }
    server_maybe_finish(s);
}

/* ---- closing ---- */

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
    server_listener_queue(s, &queue, &limit);
    listener_close(s);
    eventlog_emit(s->log, json_pack("{s:s,s:I,s:I}", "event", "listener_closed", "t_us",
                                    (json_int_t)server_now_us(s), "queue", (json_int_t)queue));
    server_maybe_finish(s);
}

/* ---- start and stop ---- */

static uint64_t ms_until(const struct server *s, int64_t at_us)
{
    int64_t delay = at_us - server_now_us(s);
    return delay > 0 ? (uint64_t)(delay + 999) / 1000 : 0;
}

void server_listener_start(struct server *s)
{
    const struct server_params *p = &s->params.server;
    uv_timer_init(s->loop, &s->accept_timer);
    uv_timer_init(s->loop, &s->close_timer);
    s->accept_timer.data = s->close_timer.data = s;
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
}

void server_listener_stop(struct server *s)
{
    /* the poll handle goes; the listening socket stays (server_destroy) */
    if (s->listen_poll_open)
        uv_close((uv_handle_t *)&s->listen_poll, NULL);
    s->listen_poll_open = 0;
    if (s->started) {
        uv_close((uv_handle_t *)&s->accept_timer, NULL);
        uv_close((uv_handle_t *)&s->close_timer, NULL);
    }
}
