/* client_connect.c: the client's target and its connections' connect():
 * the target check, a connection's socket, the non-blocking connect, its
 * outcome and the connect timeout (client_internal.h). */
#include "client_internal.h"
#include "connect_state.h"

#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rtnl.h"

/* ---- the target ---- */

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

int client_target(const char *address, enum family family, int allow_remote,
                  struct peer_address *target, struct hl_error *err)
{
    int rc = peer_address_parse(address, family, target, err);
    if (rc || family == FAMILY_UNIX) /* an AF_UNIX socket never leaves the machine */
        return rc;
    const struct in_addr *in = &((const struct sockaddr_in *)&target->storage)->sin_addr;
    /* a tool that opens thousands of connections must not be aimed at
     * someone else by accident: loopback, or the other end of a veth pair
     * of this namespace (always a namespace of this machine: harness-run's
     * topology "veth"), and nothing else without --allow-remote */
    if (!allow_remote && !is_loopback(in) && !is_veth_peer(in))
        return hl_error_set(err, address,
                            "not a loopback address, nor the address of the other end of a "
                            "veth pair of this network namespace; the client connects "
                            "elsewhere only when given --allow-remote");
    return 0;
}

/* ---- outcomes ---- */

void client_conn_outcome_at(struct client_conn *conn, const char *outcome, int error,
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
    else if (strcmp(outcome, "pending") == 0)
        c->pending++;
    else if (strcmp(outcome, "would_block") == 0)
        c->would_block++;
    else
        c->failed++;
}

void client_conn_outcome(struct client_conn *conn, const char *outcome, int error,
                         const char *timeout_by)
{
    client_conn_outcome_at(conn, outcome, error, timeout_by, client_now_us(conn->client));
}

/* A connection that failed before it had a socket: recorded, never opened. */
static void conn_failed_early(struct client *c, uint32_t id, int64_t start_us, int error)
{
    struct client_conn conn = {.client = c,
                               .id = id,
                               .fd = -1,
                               .start_us = start_us,
                               .closed_us = -1,
                               .bytes_before_first_block = -1,
                               .bytes_before_blocked_call = -1,
                               .send_queue_at_end = -1};
    client_conn_outcome(&conn, "failed", error, NULL);
    client_conn_emit(&conn, 0);
}

/* The outcome "connected", with what the kernel granted the socket. */
static void note_connected(struct client_conn *conn)
{
    struct sockaddr_in local;
    socklen_t len = sizeof local;
    client_conn_outcome(conn, "connected", 0, NULL);
    if (getsockname(conn->fd, (struct sockaddr *)&local, &len) == 0 && local.sin_family == AF_INET)
        conn->local_port = ntohs(local.sin_port);
    client_note_buffers(conn, client_socket_int(conn->fd, SO_SNDBUF),
                        client_socket_int(conn->fd, SO_RCVBUF));
}

/* The kernel's verdict on a connect it gave up: refused, timed out (its
 * own SYN retransmits exhausted) or failed. */
static void note_failed(struct client_conn *conn, int error)
{
    if (error == ECONNREFUSED)
        client_conn_outcome(conn, "refused", error, NULL);
    else if (error == ETIMEDOUT)
        client_conn_outcome(conn, "timed_out", error, "kernel");
    else
        client_conn_outcome(conn, "failed", error, NULL);
}

static void conn_connected(struct client_conn *conn)
{
    struct client *c = conn->client;
    uv_timer_stop(&conn->timer);
    note_connected(conn);
    if (c->params.client.send_bytes > 0) {
        conn->state = CONN_SENDING;
        client_conn_send(conn);
    } else {
        client_conn_after_send(conn);
    }
}

void client_conn_check_connect(struct client_conn *conn, uint32_t events)
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
    note_failed(conn, error);
    client_conn_close(conn);
}

/* client.connect_timeout_ms: the kernel is asked first, since the
 * handshake may have completed, or the kernel given up, in this very loop
 * turn; only a connect still waiting is the harness's timeout, which
 * carries no errno (ETIMEDOUT is the kernel's). */
static void on_connect_timeout(uv_timer_t *timer)
{
    struct client_conn *conn = timer->data;
    int error;
    if (conn->state != CONN_CONNECTING)
        return;
    switch (connect_state_of(conn->fd, &error)) {
    case CONNECT_COMPLETED:
        conn_connected(conn);
        return;
    case CONNECT_FAILED:
        note_failed(conn, error);
        break;
    case CONNECT_WAITING:
        client_conn_outcome(conn, "timed_out", 0, "harness");
        break;
    }
    client_conn_close(conn);
}

void client_conn_settle_at_stop(struct client_conn *conn)
{
    int error;
    if (conn->outcome)
        return;
    switch (connect_state_of(conn->fd, &error)) {
    case CONNECT_COMPLETED:
        /* complete in the kernel, not yet seen by the loop: the server
         * counted it (PassiveOpens), so it is counted here too */
        note_connected(conn);
        conn->seen_at_stop = 1;
        break;
    case CONNECT_FAILED:
        note_failed(conn, error);
        break;
    case CONNECT_WAITING:
        client_conn_outcome(conn, "pending", 0, NULL);
        break;
    }
}

/* ---- opening a connection ---- */

static int set_buffer(int fd, int option, uint64_t bytes)
{
    int value = (int)bytes;
    return bytes ? setsockopt(fd, SOL_SOCKET, option, &value, sizeof value) : 0;
}

/* A socket with the point's buffers set. Returns the fd, or -errno. */
static int open_socket(const struct point_params *p, int blocking)
{
    int family = p->family == FAMILY_UNIX ? AF_UNIX : AF_INET;
    int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC | (blocking ? 0 : SOCK_NONBLOCK), 0);
    if (fd < 0)
        return -errno;
    int one = 1;
    if (set_buffer(fd, SO_SNDBUF, p->client.sndbuf) < 0 ||
        set_buffer(fd, SO_RCVBUF, p->client.rcvbuf) < 0 ||
        (p->client.nodelay && setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) < 0)) {
        int e = errno;
        close(fd);
        return -e;
    }
    return fd;
}

/* A connection in the CONNECTING state, on the open list; NULL without
 * memory. */
static struct client_conn *conn_new(struct client *c, uint32_t id, int fd, int64_t start_us,
                                    int blocking)
{
    struct client_conn *conn = calloc(1, sizeof *conn);
    if (conn && blocking && !(conn->blocking = calloc(1, sizeof *conn->blocking))) {
        free(conn);
        conn = NULL;
    }
    if (!conn)
        return NULL;
    conn->client = c;
    conn->id = id;
    conn->fd = fd;
    conn->start_us = start_us;
    conn->closed_us = -1;
    conn->bytes_before_first_block = -1;
    conn->bytes_before_blocked_call = -1;
    conn->send_queue_at_end = -1;
    conn->state = CONN_CONNECTING;
    uv_timer_init(c->loop, &conn->timer);
    conn->timer.data = conn;
    conn->handles_open = 1;
    conn->watch.data = conn;
    client_conn_link(c, conn);
    return conn;
}

/* What connect() on a non-blocking socket said (rc, and errno when -1):
 * done at once (rare on loopback), refused at once (nothing listens), or
 * in progress: then watched, with the harness's own timeout when
 * client.connect_timeout_ms asks for one. */
static void conn_connect_said(struct client_conn *conn, int rc, int error)
{
    const struct client_params *p = &conn->client->params.client;
    if (rc == 0) {
        conn_connected(conn);
        return;
    }
    if (error != EINPROGRESS) {
        /* AF_UNIX has no handshake to wait for: a listener whose queue
         * holds more than its backlog makes a non-blocking connect() fail
         * at once with EAGAIN (unix_stream_connect), an outcome of its own */
        client_conn_outcome(conn,
                            error == ECONNREFUSED ? "refused"
                            : error == EAGAIN     ? "would_block"
                                                  : "failed",
                            error, NULL);
        client_conn_close(conn);
        return;
    }
    if (client_conn_watch(conn, EPOLLOUT | EPOLLRDHUP) == 0 && p->connect_timeout_us > 0)
        uv_timer_start(&conn->timer, on_connect_timeout, (uint64_t)p->connect_timeout_us / 1000, 0);
}

/* A connection opened, ready to connect; NULL when it failed at once
 * (recorded) or runs in a thread of its own (blocking mode). */
static struct client_conn *conn_open(struct client *c)
{
    uint32_t id = c->launched++;
    int64_t start = client_now_us(c);
    int blocking = c->params.client.mode == MODE_BLOCKING;
    if (!blocking && c->pollset_error) {
        conn_failed_early(c, id, start, -c->pollset_error);
        return NULL;
    }
    int fd = open_socket(&c->params, blocking);
    if (fd < 0) {
        conn_failed_early(c, id, start, -fd);
        return NULL;
    }
    struct client_conn *conn = conn_new(c, id, fd, start, blocking);
    if (!conn) {
        close(fd);
        conn_failed_early(c, id, start, ENOMEM);
        return NULL;
    }
    if (blocking) {
        client_blocking_start(c, conn);
        return NULL;
    }
    return conn;
}

/* Connections at once that are opened first and then connect() back to
 * back: the SYNs of a burst leave as close together as one process can
 * send them, so that a shaped link's token bucket sees the burst the
 * scenario asks for, not one spread by the harness's bookkeeping. */
#define CONNECT_BURST 64

void client_conns_open(struct client *c)
{
    struct client_conn *burst[CONNECT_BURST];
    int rc[CONNECT_BURST], error[CONNECT_BURST];
    size_t n = 0;
    while (n < CONNECT_BURST && !c->stopping && c->launched < c->due &&
           c->open < c->params.client.concurrency) {
        struct client_conn *conn = conn_open(c);
        if (conn)
            burst[n++] = conn;
    }
    for (size_t i = 0; i < n; i++) {
        rc[i] = connect(burst[i]->fd, (struct sockaddr *)&c->target.storage, c->target.length);
        error[i] = rc[i] < 0 ? errno : 0;
    }
    for (size_t i = 0; i < n; i++)
        conn_connect_said(burst[i], rc[i], error[i]);
}
