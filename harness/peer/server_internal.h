/* server_internal.h: what the files of the server share; server.h is its
 * public side.
 *
 *   server.c          the lifecycle (create, start, stop, destroy), the
 *                     accepted connections and their "server_conn" event,
 *                     the done logic and the "end" event
 *   server_listen.c   the listening socket and the accept policy: accept4()
 *                     when the policy says so, closing the listener
 *   server_read.c     reading an accepted connection: recv() on the raw
 *                     fd, at once or paced; the course note's reply
 *   server_sample.c   the server's periodic queue samples
 *   server_udp.c      protocol "udp": the bound socket, its datagrams read
 *                     by the read policy and counted by sequence number
 *
 * Everything runs on the loop's thread. */
#ifndef HARNESS_SERVER_INTERNAL_H
#define HARNESS_SERVER_INTERNAL_H

#include <netinet/in.h>
#include <stdint.h>
#include <uv.h>

#include "bufrange.h"
#include "eventlog.h"
#include "params.h"
#include "policy.h"
#include "pollset.h"
#include "readsizes.h"
#include "sampler.h"
#include "server.h"

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
    uint64_t reads, read_max; /* recv() calls that returned data, the largest */
    uint64_t bytes_replied;
    int reset;
    int error;
    int closing;
    int held; /* open at the stop: its fd stays open until server_destroy */
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
    char address[112]; /* as bound, "A.B.C.D:PORT" or "@NAME" (address.h) */
    int diag_fd;       /* family unix: unix_diag reads the listener's queue */
    uint64_t listen_inode;
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
    struct read_sizes read_sizes; /* what every recv() returned */
    uint64_t accept_errors;
    int accept_starved; /* the last accept4 found no fd or memory to give */
    struct buffer_range rcvbuf_at_accept, rcvbuf_at_close; /* the accepted sockets' */
    int64_t receive_queue_at_end; /* SIOCINQ summed over the connections open at the stop */
    int *held_fds;                /* their sockets, closed by server_destroy */
    size_t held_count, held_capacity;

    struct server_conn *open_head, *open_tail;
    struct sampler sampler;
    struct server_udp *udp; /* protocol "udp" (server_udp.c), else NULL */
};

/* ---- server.c ---- */

/* Microseconds since the run's start; 0 before server_start. */
int64_t server_now_us(const struct server *s);

/* A connection accept4() just returned (fd, from peer), counted and on
 * the open list, its timer ready; NULL without memory. */
struct server_conn *server_conn_add(struct server *s, int fd, const struct sockaddr_storage *peer);

/* Records the connection ("server_conn"), releases it, and finishes the
 * server if that was what it waited for. */
void server_conn_close(struct server_conn *c);

/* Finishes once the client is done and every connection it saw complete
 * was accepted, read to its end and closed (server_client_done). */
void server_maybe_finish(struct server *s);

/* ---- server_unix.c ---- */

/* Family unix: opens the unix_diag socket that reads the listener's
 * queue, and notes the listener's inode. 0, or a negative errno. */
int server_unix_watch(struct server *s, struct hl_error *err);

/* The AF_UNIX listener's accept queue and its limit, through unix_diag;
 * 0, or -1 when the kernel did not say. */
int server_unix_queue(const struct server *s, int64_t *length, int64_t *limit);

/* ---- server_listen.c ---- */

/* A socket bound to address with the point's buffers, listening unless
 * server.listen is false. Returns 0 or a negative errno with err filled. */
int server_listener_open(struct server *s, const char *address, struct hl_error *err);

/* The accept queue of the listener: its length and limit. Returns 0, or
 * -1 when there is no listener or the kernel does not say. */
int server_listener_queue(const struct server *s, int64_t *length, int64_t *limit);

/* Arms the accept policy and the listener's close time. */
void server_listener_start(struct server *s);

/* Stops accepting: the listener's poll handle and timers close; the
 * listening socket stays open until server_destroy, so that connections
 * still in its accept queue are not reset before the runner has read the
 * counters. */
void server_listener_stop(struct server *s);

/* ---- server_read.c ---- */

/* Starts reading a new connection as server.read says: never, at once
 * (in the poll set), or paced by a timer. */
void server_read_start(struct server_conn *c);

/* ---- server_sample.c ---- */

/* Starts the sample timer (and takes the first sample) when sample_ms > 0. */
void server_sampling_start(struct server *s);

/* Takes the last sample (sample_ms > 0) and closes the timer. */
void server_sampling_close(struct server *s);

/* ---- server_udp.c ---- */

/* A UDP socket bound to address with the point's SO_RCVBUF, in listen_fd,
 * and the record of its datagrams. Returns 0 or a negative errno. */
int server_udp_open(struct server *s, const char *address, struct hl_error *err);

/* Starts reading as server.read says: never, at once, or paced. */
void server_udp_start(struct server *s);

/* Whether nothing waits in the receive queue of a server that reads: once
 * the client is done, every datagram sent was read or dropped. A server
 * that never reads waits for the stop. */
int server_udp_drained(const struct server *s);

/* At the finish: the receive queue as it stands (SO_MEMINFO), then read
 * out and counted as queued at the end; the handles close; the figures
 * go into end as "udp". */
void server_udp_finish(struct server *s, json_t *end);

void server_udp_free(struct server *s);

#endif
