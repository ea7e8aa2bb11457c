/* blocking.h: the course note's client on a real blocking socket.
 *
 * With client.mode "blocking" each connection is a thread that does what
 * the course note's Python client does, with blocking calls: connect(),
 * send() chunk by chunk until everything is sent (sendall), recv() until
 * the server closes when asked to, then waits out its hold time. A
 * blocking call in the event loop would stop its timers, the sampler and
 * the runner's commands, so the calls run in the thread and the thread
 * only reports: it publishes its outcome and its blocked send() calls under
 * a mutex and wakes the loop with uv_async_send(); the loop (client.c) does
 * all the bookkeeping, as for a non-blocking connection.
 *
 * A send() call is recorded as blocked when the thread slept inside it and
 * the call lasted at least client.block_threshold_us. "Slept" is read from
 * the thread's voluntary context switches (getrusage(RUSAGE_THREAD)
 * ru_nvcsw), which rise in send() when the kernel waits for room in the
 * send buffer (sk_stream_wait_memory); being preempted, or copying a large
 * chunk, makes a call slow without making it blocked. Each such switch is
 * one wait, woken (sk_stream_write_space) at the same point at which poll()
 * would report a non-blocking socket writable again: a call's `waits` is
 * what a non-blocking sender sees as that many EAGAINs or short writes.
 *
 * Stopping: blocking_stop() sets a flag and sends the thread a signal
 * whose handler does nothing (SIGUSR1, without SA_RESTART), which ends a
 * connect(), send(), recv() or poll() it sleeps in; blocking_join()
 * repeats the signal until the thread is gone, so a thread that was just
 * entering a call is stopped too. The socket is left as it is: a connect
 * goes on in the kernel ("pending" when still waiting), and nothing is
 * sent to the server, which a shutdown() would do (a FIN). */
#ifndef HARNESS_BLOCKING_H
#define HARNESS_BLOCKING_H

#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <uv.h>

#include "address.h"
#include "params.h"

struct blocking_block {
    int64_t start_us, end_us; /* the send() call */
    uint64_t bytes_before;    /* the connection had sent before the call */
    uint64_t bytes;           /* the call sent */
    uint64_t waits;           /* times the thread slept in it */
    const char *ended_by;     /* "sent", "closed" (an error) or "run_end" */
};

/* What the thread reports; read and written under lock. */
struct blocking_report {
    const char *outcome; /* NULL while connecting, then as in client.h */
    const char *timeout_by;
    int error;
    int64_t start_us, outcome_us; /* connect() called; its outcome known */
    uint16_t local_port;
    int sndbuf, rcvbuf;
    int seen_at_stop; /* connected in the kernel while connect() was being stopped */
    struct blocking_block *blocks;
    size_t block_count, block_capacity;
    int done; /* the thread has finished; join it */
    int64_t closed_us;
    uint64_t bytes_received;
    int reset, peer_closed, stopped;
};

struct blocking_conn {
    /* set before blocking_start() */
    int fd; /* a blocking socket, buffers set; closed by the caller */
    const struct client_params *params;
    struct peer_address target;
    int64_t start_ns; /* the run's start */
    const char *send_buffer;
    uv_async_t *wake;

    atomic_int stopping;
    _Atomic uint64_t bytes_sent; /* read by the sampler at any time */
    pthread_t thread;
    int started;
    pthread_mutex_t lock;
    struct blocking_report report;
};

/* Starts the thread. Returns 0 or a negative errno; either way call
 * blocking_release() once done with b. */
int blocking_start(struct blocking_conn *b);

/* Asks the thread to stop now (the run ended), its socket untouched. */
void blocking_stop(struct blocking_conn *b);

/* Waits for the thread (repeating the signal if it is stopping). */
void blocking_join(struct blocking_conn *b);

/* Frees what the report holds. */
void blocking_release(struct blocking_conn *b);

#endif
