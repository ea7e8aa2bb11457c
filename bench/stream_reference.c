/* stream_reference.c: the plainest sender and reader, as a peer for the
 * harness's throughput at a given send() size.
 *
 *   bench-stream-reference [--bytes B] [--chunk C] [--read-chunk R] [--nonblocking]
 *
 * Two processes over loopback, as harness-client and harness-server: a
 * reader that accepts one connection and calls recv(R) (default C, 64
 * KiB at least, what harness-server's "immediate" reader asks for) until
 * EOF, both into page-aligned buffers as the harness's (iobuf.h), and a
 * sender that connects and calls send(C) (default 128 KiB) until B bytes
 * (default 2 GiB) are sent, then closes, with kernel default buffers.
 *
 * By default both block, as the course note's sendall does: a send()
 * larger than the room in the send buffer sleeps in the kernel and goes
 * on copying when room appears. --nonblocking makes them what the harness
 * is, minus its records: non-blocking sockets each watched by epoll, the
 * sender calling send(C, MSG_DONTWAIT) until it takes less than asked and
 * then waiting for EPOLLOUT, the reader calling recv(R) until EAGAIN and
 * then waiting for EPOLLIN. In a network namespace of its own when one
 * can be made.
 *
 * Prints one line of key=value pairs: bytes, seconds (from the sender's
 * first send() to the reader's EOF, both on CLOCK_MONOTONIC) and gbit_per_sec.
 * Exit 0 when every byte arrived. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "iobuf.h"
#include "options.h"

struct transfer {
    uint64_t bytes;
    size_t chunk, read_chunk;
    int nonblocking;
};

enum { OPTION_BYTES, OPTION_CHUNK, OPTION_READ_CHUNK, OPTION_NONBLOCKING, OPTION_HELP };

static const struct option_spec options[] = {
    {OPTION_BYTES, 0, "bytes", "B", "bytes to send (default 2 GiB)"},
    {OPTION_CHUNK, 0, "chunk", "C", "bytes per send() (default 128 KiB, at most 64 MiB)"},
    {OPTION_READ_CHUNK, 0, "read-chunk", "R",
     "bytes per recv() (default: C, 64 KiB at least; at most 64 MiB)"},
    {OPTION_NONBLOCKING, 0, "nonblocking", NULL, "non-blocking sockets on epoll"},
    {OPTION_HELP, 'h', "help", NULL, "show this help"},
};

#define OPTION_COUNT (sizeof options / sizeof options[0])

static void usage(FILE *out, int with_options)
{
    fprintf(out, "usage: bench-stream-reference [--bytes B] [--chunk C (at most 64 MiB)] "
                 "[--read-chunk R (at most 64 MiB)] [--nonblocking]\n");
    if (with_options)
        options_print(out, options, OPTION_COUNT, 20);
}

/* Fills t from the command line; -1 to go on, or the exit status (the
 * help: 0; a mistake: 2, said on stderr). */
static int parse_options(int argc, char **argv, struct transfer *t)
{
    struct options parser;
    struct hl_error err;
    const char *value;
    long long number;
    int id;
    options_init(&parser, options, OPTION_COUNT, argc, argv);
    while ((id = options_next(&parser, &value, &err)) != OPTIONS_END) {
        if (id == OPTIONS_ERROR) {
            fprintf(stderr, "bench-stream-reference: %s: %s\n", err.where, err.what);
            return 2;
        } else if (id == OPTION_HELP) {
            usage(stdout, 1);
            return 0;
        } else if (id == OPTIONS_OPERAND) {
            usage(stderr, 0);
            return 2;
        } else if (id == OPTION_NONBLOCKING) {
            t->nonblocking = 1;
        } else if (options_integer(&parser, value, 1, id == OPTION_BYTES ? 1LL << 40 : 64LL << 20,
                                   &number, &err) < 0) {
            fprintf(stderr, "bench-stream-reference: %s: %s\n", err.where, err.what);
            return 2;
        } else if (id == OPTION_BYTES) {
            t->bytes = (uint64_t)number;
        } else {
            *(id == OPTION_CHUNK ? &t->chunk : &t->read_chunk) = (size_t)number;
        }
    }
    if (t->read_chunk == 0) /* as harness-server's immediate reader */
        t->read_chunk = t->chunk > (64 << 10) ? t->chunk : 64 << 10;
    return -1;
}

/* Waits until fd is ready for events (non-blocking mode). */
static void wait_for(int fd, uint32_t events)
{
    static int epoll_fd = -1;
    struct epoll_event ev = {.events = events}, got;
    if (epoll_fd < 0) {
        epoll_fd = epoll_create1(EPOLL_CLOEXEC);
        epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &ev);
    } else {
        epoll_ctl(epoll_fd, EPOLL_CTL_MOD, fd, &ev);
    }
    while (epoll_wait(epoll_fd, &got, 1, -1) < 0 && errno == EINTR)
        ;
}

/* The reader: bytes read and the time of EOF, written to report. */
static int read_all(int listen_fd, size_t read_chunk, int nonblocking, int report)
{
    char *buffer = iobuf_alloc(read_chunk);
    int fd = accept4(listen_fd, NULL, NULL, nonblocking ? SOCK_NONBLOCK : 0);
    uint64_t total = 0;
    ssize_t n;
    if (!buffer || fd < 0)
        return 1;
    while ((n = recv(fd, buffer, read_chunk, 0)) > 0 || (n < 0 && errno == EINTR) ||
           (n < 0 && nonblocking && errno == EAGAIN)) {
        if (n > 0)
            total += (uint64_t)n;
        else if (errno == EAGAIN)
            wait_for(fd, EPOLLIN);
    }
    int64_t eof_ns = bench_now_ns();
    int64_t out[2] = {(int64_t)total, eof_ns};
    if (write(report, out, sizeof out) != sizeof out)
        return 1;
    close(fd);
    free(buffer);
    return n == 0 ? 0 : 1;
}

/* A listener on 127.0.0.1 and a port of its own, its address in *addr;
 * the socket, or -1. */
static int listen_loopback(struct sockaddr_in *addr)
{
    socklen_t len = sizeof *addr;
    int listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    memset(addr, 0, sizeof *addr);
    addr->sin_family = AF_INET;
    addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (listen_fd < 0 || bind(listen_fd, (struct sockaddr *)addr, sizeof *addr) < 0 ||
        listen(listen_fd, 1) < 0 || getsockname(listen_fd, (struct sockaddr *)addr, &len) < 0)
        return -1;
    return listen_fd;
}

/* The sender: sends t->bytes on fd; the time of its first send(), or -1
 * (said on stderr). */
static int64_t send_all(int fd, const struct transfer *t, const char *payload)
{
    if (t->nonblocking)
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    int64_t start_ns = bench_now_ns();
    uint64_t sent = 0;
    while (sent < t->bytes) {
        size_t want = t->bytes - sent < t->chunk ? (size_t)(t->bytes - sent) : t->chunk;
        ssize_t n = send(fd, payload, want, MSG_NOSIGNAL | (t->nonblocking ? MSG_DONTWAIT : 0));
        if (n < 0 && errno == EINTR)
            continue;
        if (t->nonblocking && (n < 0 ? errno == EAGAIN : (size_t)n < want)) {
            sent += n > 0 ? (uint64_t)n : 0;
            wait_for(fd, EPOLLOUT);
            continue;
        }
        if (n <= 0) {
            fprintf(stderr, "bench-stream-reference: send: %s\n", strerror(errno));
            return -1;
        }
        sent += (uint64_t)n;
    }
    return start_ns;
}

/* Connects to addr and sends; the time of the first send(), or -1 (said
 * on stderr). */
static int64_t connect_and_send(const struct sockaddr_in *addr, const struct transfer *t)
{
    char *payload = iobuf_alloc(t->chunk);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (!payload || fd < 0 || connect(fd, (const struct sockaddr *)addr, sizeof *addr) < 0) {
        fprintf(stderr, "bench-stream-reference: connect: %s\n", strerror(errno));
        return -1;
    }
    memset(payload, 'x', t->chunk);
    int64_t start_ns = send_all(fd, t, payload);
    close(fd);
    free(payload);
    return start_ns;
}

int main(int argc, char **argv)
{
    struct transfer t = {.bytes = 2ull << 30, .chunk = 128 << 10, .read_chunk = 0};
    struct sockaddr_in addr;
    int report[2];
    int status = parse_options(argc, argv, &t);
    if (status >= 0)
        return status;
    if (unshare(CLONE_NEWNET) == 0 && bench_loopback_up() < 0) {
        fprintf(stderr, "bench-stream-reference: cannot bring the loopback up\n");
        return 1;
    }
    int listen_fd = listen_loopback(&addr);
    if (listen_fd < 0 || pipe(report) < 0) {
        fprintf(stderr, "bench-stream-reference: %s\n", strerror(errno));
        return 1;
    }
    pid_t reader = fork();
    if (reader == 0) {
        close(report[0]);
        _exit(read_all(listen_fd, t.read_chunk, t.nonblocking, report[1]));
    }
    close(report[1]);
    close(listen_fd);
    int64_t start_ns = connect_and_send(&addr, &t);
    if (start_ns < 0)
        return 1;
    int64_t got[2] = {0, 0};
    status = 1;
    if (read(report[0], got, sizeof got) != sizeof got || waitpid(reader, &status, 0) < 0 ||
        !WIFEXITED(status) || WEXITSTATUS(status) != 0 || (uint64_t)got[0] != t.bytes) {
        fprintf(stderr, "bench-stream-reference: the reader got %lld of %llu bytes\n",
                (long long)got[0], (unsigned long long)t.bytes);
        return 1;
    }
    double seconds = (double)(got[1] - start_ns) / 1e9;
    printf("bytes=%llu seconds=%.6f gbit_per_sec=%.3f\n", (unsigned long long)t.bytes, seconds,
           (double)t.bytes * 8 / seconds / 1e9);
    return 0;
}
