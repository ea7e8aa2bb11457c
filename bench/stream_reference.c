/* stream_reference.c: the plainest sender and reader, as a peer for the
 * harness's throughput at a given send() size.
 *
 *   bench-stream-reference [--bytes B] [--chunk C] [--read-chunk R] [--nonblocking]
 *
 * Two processes over loopback, as harness-client and harness-server: a
 * reader that accepts one connection and calls recv(R) (default 64 KiB,
 * what harness-server's "immediate" reader asks for) until EOF, and a
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
#include <netinet/in.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

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
    char *buffer = malloc(read_chunk);
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

int main(int argc, char **argv)
{
    uint64_t bytes = 2ull << 30;
    size_t chunk = 128 << 10, read_chunk = 64 << 10;
    int nonblocking = 0;
    for (; argc > 1 && strcmp(argv[argc - 1], "--nonblocking") == 0; argc--)
        nonblocking = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--bytes") == 0)
            bytes = strtoull(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--chunk") == 0)
            chunk = (size_t)atol(argv[i + 1]);
        else if (strcmp(argv[i], "--read-chunk") == 0)
            read_chunk = (size_t)atol(argv[i + 1]);
        else
            break;
    }
    if (argc % 2 == 0 || bytes == 0 || chunk == 0 || read_chunk == 0 || chunk > (64 << 20) ||
        read_chunk > (64 << 20)) {
        fprintf(stderr, "usage: bench-stream-reference [--bytes B] [--chunk C (at most 64 MiB)] "
                        "[--read-chunk R (at most 64 MiB)] [--nonblocking]\n");
        return 2;
    }
    if (unshare(CLONE_NEWNET) == 0 && bench_loopback_up() < 0) {
        fprintf(stderr, "bench-stream-reference: cannot bring the loopback up\n");
        return 1;
    }
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof addr;
    int listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int report[2];
    if (listen_fd < 0 || bind(listen_fd, (struct sockaddr *)&addr, sizeof addr) < 0 ||
        listen(listen_fd, 1) < 0 || getsockname(listen_fd, (struct sockaddr *)&addr, &len) < 0 ||
        pipe(report) < 0) {
        fprintf(stderr, "bench-stream-reference: %s\n", strerror(errno));
        return 1;
    }
    pid_t reader = fork();
    if (reader == 0) {
        close(report[0]);
        _exit(read_all(listen_fd, read_chunk, nonblocking, report[1]));
    }
    close(report[1]);
    close(listen_fd);

    char *payload = malloc(chunk);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (!payload || fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
        fprintf(stderr, "bench-stream-reference: connect: %s\n", strerror(errno));
        return 1;
    }
    memset(payload, 'x', chunk);
    if (nonblocking)
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    int64_t start_ns = bench_now_ns();
    uint64_t sent = 0;
    while (sent < bytes) {
        size_t want = bytes - sent < chunk ? (size_t)(bytes - sent) : chunk;
        ssize_t n = send(fd, payload, want, MSG_NOSIGNAL | (nonblocking ? MSG_DONTWAIT : 0));
        if (n < 0 && errno == EINTR)
            continue;
        if (nonblocking && (n < 0 ? errno == EAGAIN : (size_t)n < want)) {
            sent += n > 0 ? (uint64_t)n : 0;
            wait_for(fd, EPOLLOUT);
            continue;
        }
        if (n <= 0) {
            fprintf(stderr, "bench-stream-reference: send: %s\n", strerror(errno));
            return 1;
        }
        sent += (uint64_t)n;
    }
    close(fd);
    int64_t got[2] = {0, 0};
    int status = 1;
    if (read(report[0], got, sizeof got) != sizeof got || waitpid(reader, &status, 0) < 0 ||
        !WIFEXITED(status) || WEXITSTATUS(status) != 0 || (uint64_t)got[0] != bytes) {
        fprintf(stderr, "bench-stream-reference: the reader got %lld of %llu bytes\n",
                (long long)got[0], (unsigned long long)bytes);
        return 1;
    }
    double seconds = (double)(got[1] - start_ns) / 1e9;
    printf("bytes=%llu seconds=%.6f gbit_per_sec=%.3f\n", (unsigned long long)bytes, seconds,
           (double)bytes * 8 / seconds / 1e9);
    free(payload);
    return 0;
}
