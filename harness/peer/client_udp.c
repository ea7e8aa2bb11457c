/* client_udp.c: protocol "udp" (client_internal.h). One non-blocking
 * socket sends client.send.bytes in datagrams of client.send.chunk bytes,
 * each starting with its sequence number (8 bytes, big endian). Nothing
 * waits for the reader: a datagram that finds the receiver's buffer full
 * is dropped there, and send() has already returned. send() fails with
 * EAGAIN only while the sender's own queue (sk_wmem_alloc, the datagrams
 * not yet handed on) is charged beyond SO_SNDBUF: each such datagram is
 * counted and sent again once poll says the socket is writable (there is
 * no retry timer). With client.send.pause_ms the client waits that long
 * after each datagram, on the turn timer: a paced sender. */
#include "client_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

/* datagrams per loop turn, so that the stop is heard while sending */
#define DATAGRAMS_PER_TURN 1024

struct client_udp {
    int fd;
    struct pollset_entry watch;
    uv_timer_t turn; /* the next turn of sending */
    int turn_open;
    uint64_t datagrams, next, sent, bytes, eagain, errors;
    int first_error; /* errno of the first failed send() other than EAGAIN */
    int64_t first_eagain_us, last_send_us;
};

static void send_turn(struct client *c);

static void on_writable(struct pollset_entry *entry, uint32_t events)
{
    struct client *c = entry->data;
    (void)events;
    pollset_watch(&c->pollset, &c->udp->watch, c->udp->fd, 0, on_writable);
    send_turn(c);
}

static void on_turn(uv_timer_t *timer)
{
    send_turn(timer->data);
}

/* One datagram, numbered seq, its length what is left of send.bytes up
 * to one chunk. Returns 0 sent, EAGAIN, or another errno. */
static int send_datagram(struct client *c, uint64_t seq)
{
    uint64_t chunk = c->params.client.send_chunk, left = c->params.client.send_bytes - seq * chunk;
    size_t length = (size_t)(left < chunk ? left : chunk);
    for (int i = 0; i < PARAMS_UDP_SEQUENCE_BYTES; i++)
        c->send_buffer[i] = (char)(seq >> (8 * (PARAMS_UDP_SEQUENCE_BYTES - 1 - i)));
    ssize_t n = send(c->udp->fd, c->send_buffer, length, 0);
    if (n < 0)
        return errno;
    c->udp->bytes += (uint64_t)n;
    c->bytes_sent_total += (uint64_t)n;
    return 0;
}

static void send_turn(struct client *c)
{
    struct client_udp *u = c->udp;
    uint64_t pause_ms = (uint64_t)c->params.client.send_pause_us / 1000;
    for (int i = 0; i < DATAGRAMS_PER_TURN && u->next < u->datagrams && !c->stopping; i++) {
        int error = send_datagram(c, u->next);
        if (error == EINTR)
            continue;
        if (error == EAGAIN || error == EWOULDBLOCK) {
            u->eagain++;
            if (u->first_eagain_us < 0)
                u->first_eagain_us = client_now_us(c);
            if (pollset_watch(&c->pollset, &u->watch, u->fd, EPOLLOUT, on_writable) == 0)
                return;
            error = EIO; /* cannot wait for room: counted as failed */
        }
        if (error) {
            /* ECONNREFUSED: an ICMP port unreachable for an earlier
             * datagram, reported on this send(), which did not go */
            u->errors++;
            if (!u->first_error)
                u->first_error = error;
        } else {
            u->sent++;
        }
        u->next++;
        if (pause_ms > 0)
            break; /* one datagram, then the pause */
    }
    u->last_send_us = client_now_us(c);
    if (u->next < u->datagrams && !c->stopping)
        uv_timer_start(&u->turn, on_turn, pause_ms, 0);
    else
        client_maybe_finish(c);
}

static int set_sndbuf(int fd, uint64_t bytes)
{
    int value = (int)bytes;
    return bytes ? setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &value, sizeof value) : 0;
}

int client_udp_start(struct client *c)
{
    struct client_udp *u = calloc(1, sizeof *u);
    if (!u)
        return -ENOMEM;
    c->udp = u;
    u->datagrams = params_udp_datagrams(&c->params);
    u->first_eagain_us = u->last_send_us = -1;
    u->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (u->fd < 0 || set_sndbuf(u->fd, c->params.client.sndbuf) < 0 ||
        connect(u->fd, (struct sockaddr *)&c->target.storage, c->target.length) < 0) {
        u->first_error = errno;
        u->errors = u->datagrams;
        u->next = u->datagrams;
        return -u->first_error;
    }
    buffer_range_add(&c->sndbuf_at_connect, client_socket_int(u->fd, SO_SNDBUF));
    buffer_range_add(&c->rcvbuf_at_connect, client_socket_int(u->fd, SO_RCVBUF));
    u->watch.data = c;
    uv_timer_init(c->loop, &u->turn);
    u->turn.data = c;
    u->turn_open = 1;
    send_turn(c);
    return 0;
}

int client_udp_done(const struct client *c)
{
    return c->udp && c->udp->next == c->udp->datagrams;
}

void client_udp_finish(struct client *c, json_t *end)
{
    struct client_udp *u = c->udp;
    if (!u)
        return;
    pollset_forget(&u->watch);
    if (u->turn_open)
        uv_close((uv_handle_t *)&u->turn, NULL);
    u->turn_open = 0;
    json_t *udp = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I}", "datagrams", (json_int_t)u->datagrams,
                            "sent", (json_int_t)u->sent, "bytes_sent", (json_int_t)u->bytes,
                            "eagain", (json_int_t)u->eagain, "send_errors", (json_int_t)u->errors,
                            "unsent", (json_int_t)(u->datagrams - u->sent));
    if (u->first_error)
        json_object_set_new(udp, "first_error", json_string(strerrorname_np(u->first_error)));
    if (u->first_eagain_us >= 0)
        json_object_set_new(udp, "first_eagain_us", json_integer(u->first_eagain_us));
    if (u->last_send_us >= 0)
        json_object_set_new(udp, "last_send_us", json_integer(u->last_send_us));
    json_object_set_new(end, "udp", udp);
}

void client_udp_free(struct client *c)
{
    if (c->udp && c->udp->fd >= 0)
        close(c->udp->fd);
    free(c->udp);
    c->udp = NULL;
}
