/* client_internal.h: what the files of the client share; client.h is its
 * public side.
 *
 *   client.c           the lifecycle (create, start, stop, destroy), the
 *                      open connections, a connection's end and its "conn"
 *                      event, the done logic and the "end" event
 *   client_connect.c   the target check; opening a connection: its socket,
 *                      the non-blocking connect, the outcome, the connect
 *                      timeout
 *   client_send.c      the send loop on the raw fd, blocked intervals and
 *                      the send retry; then receiving or holding
 *   client_sample.c    the client's periodic queue samples
 *   client_blocking.c  client.mode "blocking": the loop's side of the
 *                      threads of blocking.h
 *   client_udp.c       protocol "udp": numbered datagrams from one socket
 *
 * Everything runs on the loop's thread; a blocking connection's thread
 * only reports (blocking.h). */
#ifndef HARNESS_CLIENT_INTERNAL_H
#define HARNESS_CLIENT_INTERNAL_H

#include <netinet/in.h>
#include <stdint.h>
#include <uv.h>

#include "address.h"
#include "blocking.h"
#include "bufrange.h"
#include "client.h"
#include "eventlog.h"
#include "params.h"
#include "pollset.h"
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
    int pausing; /* between two chunks: client.send.pause_ms */
    int64_t block_start_us;
    uint64_t block_bytes_before, block_bytes_before_call;
    int64_t bytes_before_first_block; /* -1: never blocked */
    int reset, peer_closed;
    int sndbuf, rcvbuf;                /* at connect; sndbuf again at its close */
    int seen_at_stop;                  /* connected in the kernel, seen only at the stop */
    int64_t send_queue_at_end;         /* SIOCOUTQ when the run stopped; -1: not open */
    int64_t bytes_before_blocked_call; /* sent by the calls before the first that had to wait */
    int held;                          /* open at the stop: its fd stays open until release */
    struct blocking_conn *blocking;    /* client.mode "blocking": its thread */
    size_t blocks_taken;               /* of the thread's reported blocks */
};

struct client {
    uv_loop_t *loop;
    struct point_params params;
    struct eventlog *log;
    struct peer_address target;
    int64_t start_ns;
    int started, stopping, finished;
    client_done_cb done_cb;
    void *done_data;

    struct client_conn *open_list, *open_tail;
    uint32_t launched, open;
    uint32_t due; /* connections whose arrival has come (client_arrival.c) */
    struct arrival_clock arrival_clock;
    int64_t next_arrival_us;
    int64_t arrivals_from_us; /* the client's start: the arrival times count from it */
    uv_timer_t arrival_timer;
    int arrival_timer_open;
    uint64_t connected, refused, timed_out, failed, pending, resets;
    uint64_t would_block; /* family unix: connect() said EAGAIN, the queue full */
    uint64_t bytes_sent_total, bytes_received_total;
    uint64_t blocked_sends;
    int64_t blocked_us;
    struct buffer_range sndbuf_at_connect, rcvbuf_at_connect, sndbuf_at_close;
    int64_t send_queue_at_end; /* summed over the connections open at the stop */
    int *held_fds;             /* sockets open at the stop, closed by client_destroy */
    size_t held_count, held_capacity;

    char *send_buffer;
    char *recv_buffer;
    size_t recv_buffer_size;

    struct pollset pollset; /* the sockets of the nonblocking mode */
    int pollset_error;      /* why there is none (negative errno), or 0 */
    uv_timer_t sample_timer;
    struct sampler sampler;
    uv_async_t wake; /* the blocking threads' reports */
    int wake_open;
    struct client_udp *udp; /* protocol "udp" (client_udp.c), else NULL */
};

/* ---- client.c ---- */

/* Microseconds since the run's start. */
int64_t client_now_us(const struct client *c);

/* getsockopt(SOL_SOCKET, option) as an int; 0 when it fails. */
int client_socket_int(int fd, int option);

/* Notes the buffers the kernel granted a connection at connect. */
void client_note_buffers(struct client_conn *conn, int sndbuf, int rcvbuf);

/* Puts a new connection at the end of the open list. */
void client_conn_link(struct client *c, struct client_conn *conn);

/* Waits for events on the connection's socket; a socket that cannot be
 * watched ends its connection. Returns 0, or -1 when it closed it. */
int client_conn_watch(struct client_conn *conn, uint32_t events);

/* Writes the connection's "conn" event. open_at_end: the run ended with it
 * still open. */
void client_conn_emit(struct client_conn *conn, int open_at_end);

/* Ends a connection: records it, releases its handles, and lets the next
 * one start. */
void client_conn_finish(struct client_conn *conn, int open_at_end);

/* client_conn_finish, then starts the next connections and finishes the
 * client if that was the last. */
void client_conn_close(struct client_conn *conn);

/* Starts connections until client.concurrency are open or all were. */
void client_fill(struct client *c);

/* Finishes once every connection was started and has ended. */
void client_maybe_finish(struct client *c);

/* ---- client_connect.c ---- */

/* The target of address ("ADDR:PORT", or "@NAME" for family unix),
 * refused unless safe (client.h). */
int client_target(const char *address, enum family family, int allow_remote,
                  struct peer_address *target, struct hl_error *err);

/* Opens the next connections that the concurrency allows (64 at most):
 * their sockets first, then their non-blocking connect() calls back to
 * back, then what each said; a blocking one gets its thread. A connection
 * that fails before it has a socket is recorded at once. */
/* ---- client_arrival.c ---- */

/* Makes the first connections due (all of them with client.arrival
 * "all") and starts the arrivals' timer. */
void client_arrivals_start(struct client *c);
void client_arrivals_tick(uv_timer_t *timer);
void client_arrivals_close(struct client *c);

void client_conns_open(struct client *c);

/* Sets the connection's outcome (connected, refused, timed_out, failed)
 * at at_us and counts it. */
void client_conn_outcome_at(struct client_conn *conn, const char *outcome, int error,
                            const char *timeout_by, int64_t at_us);

/* The same, now. */
void client_conn_outcome(struct client_conn *conn, const char *outcome, int error,
                         const char *timeout_by);

/* A connecting socket's events: connected, refused, timed out or failed. */
void client_conn_check_connect(struct client_conn *conn, uint32_t events);

/* The run stopped while the connection was connecting: its outcome as the
 * kernel has it now (connect_state.h): connected (seen only now), refused,
 * timed out or failed, or "pending" while its SYN still waits. */
void client_conn_settle_at_stop(struct client_conn *conn);

/* ---- client_send.c ---- */

/* Sends until everything is sent, the socket takes no more (a blocked
 * interval starts) or the connection ends. */
/* A pause between chunks over (its timer, or poll's error or hang-up):
 * the next chunk. */
void client_conn_pause_end(struct client_conn *conn);
void client_conn_send(struct client_conn *conn);

/* Reads what the server sends, until EAGAIN, its close or an error. */
void client_conn_receive(struct client_conn *conn);

/* Everything sent: receive, hold or close, as client.receive and
 * client.hold_ms say. */
void client_conn_after_send(struct client_conn *conn);

/* Ends a blocked interval, if one is open; ended_by: "sent", "closed",
 * "run_end". */
void client_block_end(struct client_conn *conn, const char *ended_by);

/* Counts a blocked send that lasted at least client.block_threshold_us:
 * an EAGAIN interval (call NULL), or a blocking send() call that slept
 * (bytes_before then unused: client_send.c says why). */
void client_block_record(struct client_conn *conn, int64_t start, int64_t end,
                         uint64_t bytes_before, uint64_t bytes_before_call, const char *ended_by,
                         const struct blocking_block *call);

/* Counts the connection as reset (once). */
void client_conn_mark_reset(struct client_conn *conn, int error);

/* ---- client_sample.c ---- */

/* Starts the sample timer (and takes the first sample) when sample_ms > 0. */
void client_sampling_start(struct client *c);

/* Takes the last sample and closes the timer. */
void client_sampling_close(struct client *c);

/* Takes a sample now (at each edge of a blocked interval, at the end). */
void client_sample(struct client *c);

/* ---- client_blocking.c ---- */

/* Prepares the loop for the threads' reports (uv_async_t). */
void client_blocking_init(struct client *c);

/* Starts the connection's thread; a thread that cannot start fails it. */
void client_blocking_start(struct client *c, struct client_conn *conn);

/* Applies what the connection's thread reported since the last look.
 * Returns 1 when the thread has finished (and is joined). */
int client_blocking_take(struct client_conn *conn);

/* The bytes the thread has sent so far, into the connection's count. */
void client_blocking_sync_bytes(struct client_conn *conn);

/* ---- client_udp.c ---- */

/* protocol "udp": a socket connected to the target (so send() needs no
 * address and a port nobody holds comes back as ECONNREFUSED), then its
 * datagrams sent back to back. Returns 0 or a negative errno. */
int client_udp_start(struct client *c);

/* Whether every datagram was sent (or failed for good). */
int client_udp_done(const struct client *c);

/* At the end: the figures into end as "udp"; the socket stays open until
 * client_destroy. */
void client_udp_finish(struct client *c, json_t *end);

void client_udp_free(struct client *c);

#endif
