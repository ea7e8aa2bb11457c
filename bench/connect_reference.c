/* connect_reference.c: the fewest system calls that open and close TCP
 * connections at a given concurrency, as a peer for harness-client's
 * connection rate.
 *
 *   bench-connect-reference [--connections N] [--concurrency K] [--send-bytes B]
 *
 * Two processes, as with harness-server and harness-client: a server that
 * listens (backlog 4096), accepts every connection at once (accept4 until
 * EAGAIN), reads it until EOF and closes it; and a client that keeps K
 * non-blocking connect()s in flight on one epoll set, and for each one
 * checks SO_ERROR once the socket is writable, sends B bytes (default 0),
 * closes it and starts the next. Both run in a network namespace of their
 * own when one can be made (as root), so no TIME_WAIT socket or port of
 * another run is in the way.
 *
 * Prints one line of key=value pairs: connections, connected, failed,
 * seconds (from the first connect() to the last close(), on
 * CLOCK_MONOTONIC) and per_sec (connections / seconds). Exit 0 when every
 * connection connected, 1 otherwise. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

#define BACKLOG 4096
#define EVENTS 256

/* Accepts and drains until killed. The listener is marked by fd -1 in
 * the event's data. */
static void serve(int listen_fd)
{
    static char buffer[65536];
    struct epoll_event events[EVENTS];
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = -1};
    epoll_ctl(ep, EPOLL_CTL_ADD, listen_fd, &ev);
    for (;;) {
        int n = epoll_wait(ep, events, EVENTS, -1);
        for (int i = 0; i < n; i++) {
            int fd = events[i].data.fd;
            if (fd < 0) {
                int conn;
                while ((conn = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
                    struct epoll_event cev = {.events = EPOLLIN, .data.fd = conn};
                    epoll_ctl(ep, EPOLL_CTL_ADD, conn, &cev);
                }
                continue;
            }
            ssize_t got;
            while ((got = recv(fd, buffer, sizeof buffer, 0)) > 0)
                ;
            if (got == 0 || (errno != EAGAIN && errno != EINTR))
                close(fd); /* also leaves the epoll set */
        }
    }
}

struct client {
    int ep;
    struct sockaddr_in target;
    long connections, concurrency, launched, open, connected, failed;
    char *payload;
    size_t payload_bytes;
};

static void start_one(struct client *c)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    c->launched++;
    if (fd < 0) {
        c->failed++;
        return;
    }
    if (connect(fd, (struct sockaddr *)&c->target, sizeof c->target) < 0 && errno != EINPROGRESS) {
        c->failed++;
        close(fd);
        return;
    }
    struct epoll_event ev = {.events = EPOLLOUT, .data.fd = fd};
    epoll_ctl(c->ep, EPOLL_CTL_ADD, fd, &ev);
    c->open++;
}

static void finish_one(struct client *c, int fd)
{
    int error = 0;
    socklen_t len = sizeof error;
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len);
    if (error == 0 && c->payload_bytes > 0 &&
        send(fd, c->payload, c->payload_bytes, MSG_NOSIGNAL) != (ssize_t)c->payload_bytes)
        error = EIO;
    if (error == 0)
        c->connected++;
    else
        c->failed++;
    close(fd);
    c->open--;
}

int main(int argc, char **argv)
{
    struct client c = {.connections = 100000, .concurrency = 64};
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--connections") == 0)
            c.connections = atol(argv[i + 1]);
        else if (strcmp(argv[i], "--concurrency") == 0)
            c.concurrency = atol(argv[i + 1]);
        else if (strcmp(argv[i], "--send-bytes") == 0)
            c.payload_bytes = (size_t)atol(argv[i + 1]);
        else
            break;
    }
    if (argc % 2 == 0 || c.connections < 1 || c.concurrency < 1 || c.payload_bytes > (1 << 20)) {
        fprintf(stderr, "usage: bench-connect-reference [--connections N] [--concurrency K] "
                        "[--send-bytes B (at most 1 MiB)]\n");
        return 2;
    }
    if (unshare(CLONE_NEWNET) == 0 && bench_loopback_up() < 0) {
        fprintf(stderr, "bench-connect-reference: cannot bring the loopback up\n");
        return 1;
    }
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }

    int listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    c.target.sin_family = AF_INET;
    c.target.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof c.target;
    if (listen_fd < 0 || bind(listen_fd, (struct sockaddr *)&c.target, sizeof c.target) < 0 ||
        listen(listen_fd, BACKLOG) < 0 ||
        getsockname(listen_fd, (struct sockaddr *)&c.target, &len) < 0) {
        fprintf(stderr, "bench-connect-reference: listen: %s\n", strerror(errno));
        return 1;
    }
    /* the server is listening before the client starts: no wait needed */
    pid_t server = fork();
    if (server == 0) {
        serve(listen_fd);
        _exit(0);
    }
    close(listen_fd);
    c.payload = calloc(1, c.payload_bytes ? c.payload_bytes : 1);
    c.ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event events[EVENTS];
    int64_t start = bench_now_ns();
    while (c.launched < c.connections && c.open < c.concurrency)
        start_one(&c);
    while (c.open > 0) {
        int n = epoll_wait(c.ep, events, EVENTS, -1);
        for (int i = 0; i < n; i++)
            finish_one(&c, events[i].data.fd);
        while (c.launched < c.connections && c.open < c.concurrency)
            start_one(&c);
    }
    double seconds = (double)(bench_now_ns() - start) / 1e9;
    kill(server, SIGKILL);
    waitpid(server, NULL, 0);
    printf("connections=%ld connected=%ld failed=%ld seconds=%.6f per_sec=%.0f\n", c.connections,
           c.connected, c.failed, seconds, (double)c.connections / seconds);
    free(c.payload);
    return c.connected == c.connections ? 0 : 1;
}
