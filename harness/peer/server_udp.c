/* server_udp.c: protocol "udp" (server_internal.h). One socket, bound and
 * never listened on: the client's datagrams land in its receive buffer,
 * or, when the buffer is full, are dropped by the kernel
 * (__udp_enqueue_schedule_skb counts them in Udp RcvbufErrors and
 * InErrors). Each datagram starts with its sequence number (8 bytes, big
 * endian), so the server counts what it read, twice or out of order, and
 * the results count what was lost: sent, less every sequence number seen. */
#include "address.h"
#include "server_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/sock_diag.h>
#include <linux/sockios.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

/* datagrams per readiness callback before giving the loop back */
#define DATAGRAMS_PER_CALLBACK 64

struct server_udp {
    struct pollset_entry watch; /* read "immediate" */
    uv_timer_t timer;           /* read paced */
    int timer_open;
    struct read_pacer pacer;
    uint8_t *seen; /* a bit per sequence number the client sends */
    uint64_t expected;
    uint64_t received, bytes, distinct, duplicates, reordered, strays, truncated;
    uint64_t next; /* one past the highest sequence number read */
    int64_t first_us;
    int draining; /* at the finish: reading out what the queue held */
};

int server_udp_open(struct server *s, const char *address, struct hl_error *err)
{
    struct peer_address addr;
    int rc, rcvbuf = (int)s->params.server.rcvbuf;
    if ((rc = peer_address_parse(address, FAMILY_INET, &addr, err)))
        return rc;
    struct server_udp *u = calloc(1, sizeof *u);
    s->udp = u;
    if (u)
        u->expected = params_udp_datagrams(&s->params);
    if (u && u->expected)
        u->seen = calloc((size_t)((u->expected + 7) / 8), 1);
    if (!u || (u->expected && !u->seen))
        return hl_error_setn(err, ENOMEM, "server", "out of memory");
    u->first_us = -1;
    s->listen_fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (s->listen_fd < 0)
        return hl_error_setn(err, errno, "socket", "%s", strerror(errno));
    if (rcvbuf && setsockopt(s->listen_fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf) < 0)
        return hl_error_setn(err, errno, "setsockopt", "setting the server's SO_RCVBUF: %s",
                             strerror(errno));
    if (bind(s->listen_fd, (struct sockaddr *)&addr.storage, addr.length) < 0)
        return hl_error_setn(err, errno, address, "bind: %s", strerror(errno));
    struct sockaddr_in bound;
    socklen_t len = sizeof bound;
    getsockname(s->listen_fd, (struct sockaddr *)&bound, &len);
    s->port = ntohs(bound.sin_port);
    return 0;
}

/* One datagram read (n bytes, as MSG_TRUNC reports its real length). */
static void note_datagram(struct server *s, ssize_t n)
{
    struct server_udp *u = s->udp;
    uint64_t seq = 0;
    u->received++;
    u->bytes += (uint64_t)n;
    if ((size_t)n > s->buffer_size)
        u->truncated++;
    if (!u->draining) {
        if (u->first_us < 0)
            u->first_us = server_now_us(s);
        read_sizes_add(&s->read_sizes, (uint64_t)n);
    }
    if (n < PARAMS_UDP_SEQUENCE_BYTES) {
        u->strays++;
        return;
    }
    for (int i = 0; i < PARAMS_UDP_SEQUENCE_BYTES; i++)
        seq = seq << 8 | (uint8_t)s->buffer[i];
    if (seq >= u->expected) { /* not one of the client's */
        u->strays++;
        return;
    }
    if (u->seen[seq / 8] & (1u << (seq % 8))) {
        u->duplicates++;
        return;
    }
    u->seen[seq / 8] |= (uint8_t)(1u << (seq % 8));
    u->distinct++;
    if (seq + 1 < u->next)
        u->reordered++;
    else
        u->next = seq + 1;
}

/* Reads datagrams until limit bytes, calls, or an empty queue. Returns
 * the bytes read; *empty says whether the queue ran dry. */
static uint64_t read_datagrams(struct server *s, uint64_t limit, int calls, int *empty)
{
    uint64_t total = 0;
    *empty = 0;
    while (total < limit && calls-- > 0) {
        ssize_t n = recv(s->listen_fd, s->buffer, s->buffer_size, MSG_TRUNC);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            *empty = errno == EAGAIN || errno == EWOULDBLOCK;
            break;
        }
        note_datagram(s, n);
        total += (uint64_t)n;
    }
    return total;
}

static void on_readable(struct pollset_entry *entry, uint32_t events)
{
    struct server *s = entry->data;
    int empty;
    (void)events;
    read_datagrams(s, UINT64_MAX, DATAGRAMS_PER_CALLBACK, &empty);
    server_maybe_finish(s);
}

static void on_pace(uv_timer_t *timer)
{
    struct server *s = timer->data;
    int empty;
    uint64_t allowance = read_pacer_allowance(&s->udp->pacer, server_now_us(s));
    if (allowance > 0)
        read_pacer_consume(&s->udp->pacer, read_datagrams(s, allowance, 1 << 20, &empty));
    server_maybe_finish(s);
}

void server_udp_start(struct server *s)
{
    struct server_udp *u = s->udp;
    const struct read_policy *read = &s->params.server.read;
    read_pacer_init(&u->pacer, read, 0);
    u->watch.data = s;
    if (read->kind == READ_IMMEDIATE) {
        int rc = s->pollset_error
                     ? s->pollset_error
                     : pollset_watch(&s->pollset, &u->watch, s->listen_fd, EPOLLIN, on_readable);
        if (rc) /* a socket that cannot be watched is never read */
            eventlog_emit(s->log,
                          json_pack("{s:s,s:I,s:s}", "event", "read_error", "t_us",
                                    (json_int_t)server_now_us(s), "error", strerrorname_np(-rc)));
    } else if (read->kind == READ_PACED) {
        uv_timer_init(s->loop, &u->timer);
        u->timer.data = s;
        u->timer_open = 1;
        uint64_t first = read->start_us > 0 ? (uint64_t)(read->start_us + 999) / 1000 : 0;
        uv_timer_start(&u->timer, on_pace, first, read_pacer_period_ms(read));
    }
}

int server_udp_drained(const struct server *s)
{
    int queued = 0;
    if (s->params.server.read.kind == READ_NEVER)
        return 0;
    /* SIOCINQ on a UDP socket: the length of the next datagram, 0 for
     * none (the client's are never empty: each carries its number) */
    return ioctl(s->listen_fd, SIOCINQ, &queued) == 0 && queued == 0;
}

/* The bytes the receive queue is charged (sk_rmem_alloc, SO_MEMINFO):
 * each datagram at its truesize, which is what SO_RCVBUF limits. */
static int64_t rmem_alloc(int fd)
{
    uint32_t meminfo[SK_MEMINFO_VARS];
    socklen_t len = sizeof meminfo;
    if (getsockopt(fd, SOL_SOCKET, SO_MEMINFO, meminfo, &len) < 0 ||
        len <= SK_MEMINFO_RMEM_ALLOC * sizeof meminfo[0])
        return -1;
    return meminfo[SK_MEMINFO_RMEM_ALLOC];
}

void server_udp_finish(struct server *s, json_t *end)
{
    struct server_udp *u = s->udp;
    int empty;
    int64_t rmem = rmem_alloc(s->listen_fd);
    uint64_t read_before = u->received, bytes_before = u->bytes;
    /* what waits in the queue is read out now and counted apart: the
     * datagrams the buffer held, each still in the record of sequence
     * numbers (these reads count in Udp InDatagrams too) */
    u->draining = 1;
    read_datagrams(s, UINT64_MAX, INT32_MAX, &empty);
    uint64_t queued = u->received - read_before, queued_bytes = u->bytes - bytes_before;
    u->received = read_before;
    u->bytes = bytes_before;
    pollset_forget(&u->watch);
    if (u->timer_open)
        uv_close((uv_handle_t *)&u->timer, NULL);
    u->timer_open = 0;
    json_t *udp = json_pack(
        "{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "expected", (json_int_t)u->expected,
        "received", (json_int_t)u->received, "bytes_received", (json_int_t)u->bytes, "distinct",
        (json_int_t)u->distinct, "duplicates", (json_int_t)u->duplicates, "reordered",
        (json_int_t)u->reordered, "strays", (json_int_t)u->strays, "truncated",
        (json_int_t)u->truncated, "queued_at_end", (json_int_t)queued, "queued_bytes_at_end",
        (json_int_t)queued_bytes, "rmem_alloc_at_end", (json_int_t)rmem);
    if (u->first_us >= 0)
        json_object_set_new(udp, "first_read_us", json_integer(u->first_us));
    json_object_set_new(end, "udp", udp);
    json_object_set_new(end, "bytes_read", json_integer((json_int_t)u->bytes));
}

void server_udp_free(struct server *s)
{
    if (s->udp)
        free(s->udp->seen);
    free(s->udp);
    s->udp = NULL;
}
