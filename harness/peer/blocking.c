/* blocking.c: see blocking.h. */
#include "blocking.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>

#include "clock.h"
#include "connect_state.h"

#define THREAD_STACK_BYTES (256 * 1024)
#define RECEIVE_BUFFER_BYTES 16384

static int64_t now_us(const struct blocking_conn *b)
{
    return clock_since_us(b->start_ns);
}

static int stopping(struct blocking_conn *b)
{
    return atomic_load(&b->stopping);
}

/* Times this thread went to sleep so far (getrusage, RUSAGE_THREAD). */
static uint64_t voluntary_switches(void)
{
    struct rusage usage;
    if (getrusage(RUSAGE_THREAD, &usage) < 0)
        return 0;
    return (uint64_t)usage.ru_nvcsw;
}

static void set_outcome(struct blocking_conn *b, const char *outcome, int error,
                        const char *timeout_by)
{
    pthread_mutex_lock(&b->lock);
    b->report.outcome = outcome;
    b->report.error = error;
    b->report.timeout_by = timeout_by;
    b->report.outcome_us = now_us(b);
    pthread_mutex_unlock(&b->lock);
    uv_async_send(b->wake);
}

static void add_block(struct blocking_conn *b, const struct blocking_block *block)
{
    struct blocking_report *r = &b->report;
    pthread_mutex_lock(&b->lock);
    if (r->block_count == r->block_capacity) {
        size_t capacity = r->block_capacity ? 2 * r->block_capacity : 16;
        struct blocking_block *grown = realloc(r->blocks, capacity * sizeof *grown);
        if (grown) {
            r->blocks = grown;
            r->block_capacity = capacity;
        }
    }
    if (r->block_count < r->block_capacity)
        r->blocks[r->block_count++] = *block;
    pthread_mutex_unlock(&b->lock);
    uv_async_send(b->wake);
}

static int socket_int(int fd, int option)
{
    int value = 0;
    socklen_t len = sizeof value;
    getsockopt(fd, SOL_SOCKET, option, &value, &len);
    return value;
}

/* The kernel's word on a connect that connect() did not finish: at the
 * harness's timeout (SO_SNDTIMEO) or at the stop (blocking_stop's signal
 * interrupts it; the connect goes on in the kernel). 0: it completed. */
static int connect_unfinished(struct blocking_conn *b, int error)
{
    int kernel_error;
    switch (connect_state_of(b->fd, &kernel_error)) {
    case CONNECT_COMPLETED:
        return 0;
    case CONNECT_FAILED:
        if (kernel_error == ECONNREFUSED)
            set_outcome(b, "refused", kernel_error, NULL);
        else if (kernel_error == ETIMEDOUT)
            set_outcome(b, "timed_out", kernel_error, "kernel");
        else
            set_outcome(b, "failed", kernel_error, NULL);
        return -1;
    case CONNECT_WAITING:
        break;
    }
    if (stopping(b))
        set_outcome(b, "pending", 0, NULL);
    else if (error == EINPROGRESS || error == EAGAIN)
        set_outcome(b, "timed_out", 0, "harness"); /* ETIMEDOUT is the kernel's */
    else
        set_outcome(b, "failed", error, NULL);
    return -1;
}

/* connect() with client.connect_timeout_ms as SO_SNDTIMEO, which bounds a
 * blocking connect (it then fails with EINPROGRESS). 0: connected. */
static int connect_blocking(struct blocking_conn *b)
{
    const struct client_params *p = b->params;
    struct timeval timeout = {0, 0};
    if (p->connect_timeout_us > 0) {
        timeout.tv_sec = p->connect_timeout_us / 1000000;
        timeout.tv_usec = p->connect_timeout_us % 1000000;
        setsockopt(b->fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    }
    if (stopping(b)) { /* stopped before its connect() was called */
        set_outcome(b, "pending", 0, NULL);
        return -1;
    }
    pthread_mutex_lock(&b->lock);
    b->report.start_us = now_us(b);
    pthread_mutex_unlock(&b->lock);
    int late = 0; /* completed in the kernel while connect() was interrupted */
    if (connect(b->fd, (const struct sockaddr *)&b->target.storage, b->target.length) < 0) {
        int e = errno;
        if (e == ECONNREFUSED)
            set_outcome(b, "refused", e, NULL);
        else if (e == ETIMEDOUT)
            set_outcome(b, "timed_out", e, "kernel");
        if (e == ECONNREFUSED || e == ETIMEDOUT || connect_unfinished(b, e) != 0)
            return -1;
        late = stopping(b);
    }
    timeout.tv_sec = timeout.tv_usec = 0; /* send() must block as long as it takes */
    setsockopt(b->fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    struct sockaddr_in local;
    socklen_t len = sizeof local;
    pthread_mutex_lock(&b->lock);
    if (getsockname(b->fd, (struct sockaddr *)&local, &len) == 0 && local.sin_family == AF_INET)
        b->report.local_port = ntohs(local.sin_port);
    b->report.sndbuf = socket_int(b->fd, SO_SNDBUF);
    b->report.rcvbuf = socket_int(b->fd, SO_RCVBUF);
    b->report.seen_at_stop = late;
    pthread_mutex_unlock(&b->lock);
    set_outcome(b, "connected", 0, NULL);
    return stopping(b) ? -1 : 0; /* connected, but the run is over: nothing to send */
}

/* client.send.pause_ms; the stop's signal cuts it short (EINTR). */
static void pause_between_chunks(struct blocking_conn *b)
{
    int64_t pause_us = b->params->send_pause_us;
    struct timespec pause = {pause_us / 1000000, (pause_us % 1000000) * 1000};
    if (!stopping(b))
        nanosleep(&pause, NULL);
}

/* sendall(): one send() per chunk, each timed and checked for sleeping.
 * Returns 0, or the errno that ended the connection. */
static int send_all(struct blocking_conn *b, int *reset)
{
    const struct client_params *p = b->params;
    uint64_t sent = 0;
    while (sent < p->send_bytes && !stopping(b)) {
        size_t want = p->send_chunk;
        if (p->send_bytes - sent < want)
            want = (size_t)(p->send_bytes - sent);
        uint64_t switches = voluntary_switches();
        int64_t start = now_us(b);
        ssize_t n = send(b->fd, b->send_buffer, want, MSG_NOSIGNAL);
        int e = errno;
        int64_t end = now_us(b);
        uint64_t waits = voluntary_switches() - switches;
        if (n > 0) {
            sent += (uint64_t)n;
            atomic_store(&b->bytes_sent, sent);
        }
        if (waits > 0 && end - start >= p->block_threshold_us) {
            struct blocking_block block = {start,
                                           end,
                                           sent - (n > 0 ? (uint64_t)n : 0),
                                           n > 0 ? (uint64_t)n : 0,
                                           waits,
                                           (size_t)n == want ? "sent"
                                           : stopping(b)     ? "run_end"
                                                             : "closed"};
            add_block(b, &block);
        }
        if (n == (ssize_t)want && p->send_pause_us > 0 && sent < p->send_bytes)
            pause_between_chunks(b);
        if (n >= 0)
            continue; /* a short count only comes with a signal or the stop */
        if (e == EINTR)
            continue;
        if (stopping(b))
            return 0;
        if (e == ECONNRESET || e == EPIPE)
            *reset = 1;
        return e;
    }
    return 0;
}

/* Reads what the server sends: until it closes (receive), or while holding
 * the connection open, to notice a reset or the server's close. */
static int receive_and_hold(struct blocking_conn *b, int *reset, int *peer_closed,
                            uint64_t *received)
{
    const struct client_params *p = b->params;
    char buffer[RECEIVE_BUFFER_BYTES];
    int64_t until = p->hold_us > 0 ? now_us(b) + p->hold_us : -1;
    if (!p->receive && p->hold_us == 0)
        return 0;
    while (!stopping(b)) {
        if (!p->receive) {
            int timeout_ms = -1;
            if (until >= 0) {
                int64_t left = until - now_us(b);
                if (left <= 0)
                    return 0;
                timeout_ms = (int)((left + 999) / 1000);
            }
            struct pollfd pfd = {b->fd, POLLIN | POLLRDHUP, 0};
            int ready = poll(&pfd, 1, timeout_ms);
            if (ready <= 0 || stopping(b))
                continue;
        }
        ssize_t n = recv(b->fd, buffer, sizeof buffer, p->receive ? 0 : MSG_DONTWAIT);
        if (stopping(b))
            return 0;
        if (n > 0) {
            *received += (uint64_t)n;
        } else if (n == 0) {
            *peer_closed = 1;
            return 0;
        } else if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) {
            if (errno == ECONNRESET)
                *reset = 1;
            return errno;
        }
    }
    return 0;
}

static void *thread_main(void *arg)
{
    struct blocking_conn *b = arg;
    int reset = 0, peer_closed = 0, error = 0;
    uint64_t received = 0;
    if (connect_blocking(b) == 0) {
        error = send_all(b, &reset);
        if (!error)
            error = receive_and_hold(b, &reset, &peer_closed, &received);
    }
    pthread_mutex_lock(&b->lock);
    struct blocking_report *r = &b->report;
    r->done = 1;
    r->stopped = stopping(b);
    r->closed_us = now_us(b);
    r->bytes_received = received;
    r->reset = reset;
    r->peer_closed = peer_closed;
    if (error && r->outcome && strcmp(r->outcome, "connected") == 0)
        r->error = error;
    pthread_mutex_unlock(&b->lock);
    uv_async_send(b->wake);
    return NULL;
}

/* The signal that stops a thread's blocking call: its handler does
 * nothing, and it is installed without SA_RESTART, so connect(), send(),
 * recv() and poll() return (EINTR, or a short count) and the thread sees
 * that it is stopping. A shutdown() would end the calls too, but it sends
 * a FIN: the server would see its client close, which it did not. */
#define STOP_SIGNAL SIGUSR1

static void on_stop_signal(int signum)
{
    (void)signum;
}

static void install_stop_signal(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    sigaction(STOP_SIGNAL, &action, NULL);
}

int blocking_start(struct blocking_conn *b)
{
    pthread_attr_t attr;
    int rc;
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, install_stop_signal);
    atomic_init(&b->stopping, 0);
    atomic_init(&b->bytes_sent, 0);
    memset(&b->report, 0, sizeof b->report);
    if ((rc = pthread_mutex_init(&b->lock, NULL)))
        return -rc;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, THREAD_STACK_BYTES);
    rc = pthread_create(&b->thread, &attr, thread_main, b);
    pthread_attr_destroy(&attr);
    if (rc)
        return -rc; /* the lock goes with blocking_release() */
    b->started = 1;
    return 0;
}

void blocking_stop(struct blocking_conn *b)
{
    atomic_store(&b->stopping, 1);
    if (b->started)
        pthread_kill(b->thread, STOP_SIGNAL);
}

void blocking_join(struct blocking_conn *b)
{
    if (!b->started)
        return;
    for (;;) {
        struct timespec deadline;
        clock_gettime(CLOCK_REALTIME, &deadline);
        deadline.tv_nsec += 20 * 1000000;
        if (deadline.tv_nsec >= 1000000000) {
            deadline.tv_sec++;
            deadline.tv_nsec -= 1000000000;
        }
        if (pthread_timedjoin_np(b->thread, NULL, &deadline) == 0)
            break;
        /* a thread that was entering a call when the signal came is in it
         * now: again */
        if (stopping(b))
            pthread_kill(b->thread, STOP_SIGNAL);
    }
    b->started = 0;
}

void blocking_release(struct blocking_conn *b)
{
    free(b->report.blocks);
    b->report.blocks = NULL;
    pthread_mutex_destroy(&b->lock);
}
