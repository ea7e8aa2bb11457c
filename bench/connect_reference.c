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
#include "options.h"

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

/* The client's loop: c->concurrency connect()s in flight until
 * c->connections are done. */
static void run_client(struct client *c)
{
    struct epoll_event events[EVENTS];
    while (c->launched < c->connections && c->open < c->concurrency)
        start_one(c);
    while (c->open > 0) {
        int n = epoll_wait(c->ep, events, EVENTS, -1);
        for (int i = 0; i < n; i++)
            finish_one(c, events[i].data.fd);
        while (c->launched < c->connections && c->open < c->concurrency)
            start_one(c);
    }
}

/* A listener on 127.0.0.1 and a port of its own, its address in *target;
 * the socket, or -1. */
static int listen_loopback(struct sockaddr_in *target)
{
    int listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    target->sin_family = AF_INET;
    target->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof *target;
    if (listen_fd < 0 || bind(listen_fd, (struct sockaddr *)target, sizeof *target) < 0 ||
        listen(listen_fd, BACKLOG) < 0 ||
        getsockname(listen_fd, (struct sockaddr *)target, &len) < 0)
        return -1;
    return listen_fd;
}

enum { OPTION_CONNECTIONS, OPTION_CONCURRENCY, OPTION_SEND_BYTES, OPTION_HELP };

static const struct option_spec options[] = {
    {OPTION_CONNECTIONS, 0, "connections", "N", "connections to open and close (default 100000)"},
    {OPTION_CONCURRENCY, 0, "concurrency", "K", "connect()s in flight (default 64)"},
    {OPTION_SEND_BYTES, 0, "send-bytes", "B", "bytes sent on each (default 0, at most 1 MiB)"},
    {OPTION_HELP, 'h', "help", NULL, "show this help"},
};

#define OPTION_COUNT (sizeof options / sizeof options[0])

static void usage(FILE *out, int with_options)
{
    fprintf(out, "usage: bench-connect-reference [--connections N] [--concurrency K] "
                 "[--send-bytes B (at most 1 MiB)]\n");
    if (with_options)
        options_print(out, options, OPTION_COUNT, 20);
}

/* Fills c from the command line; -1 to go on, or the exit status (the
 * help: 0; a mistake: 2, said on stderr). */
static int parse_options(int argc, char **argv, struct client *c)
{
    struct options parser;
    struct hl_error err;
    const char *value;
    int id;
    options_init(&parser, options, OPTION_COUNT, argc, argv);
    while ((id = options_next(&parser, &value, &err)) != OPTIONS_END) {
        if (id == OPTIONS_ERROR) {
            fprintf(stderr, "bench-connect-reference: %s: %s\n", err.where, err.what);
            return 2;
        } else if (id == OPTION_HELP) {
            usage(stdout, 1);
            return 0;
        } else if (id == OPTIONS_OPERAND) {
            usage(stderr, 0);
            return 2;
        } else if (id == OPTION_CONNECTIONS) {
            c->connections = atol(value);
        } else if (id == OPTION_CONCURRENCY) {
            c->concurrency = atol(value);
        } else if (id == OPTION_SEND_BYTES) {
            c->payload_bytes = (size_t)atol(value);
        }
    }
    if (c->connections < 1 || c->concurrency < 1 || c->payload_bytes > (1 << 20)) {
        usage(stderr, 0);
        return 2;
    }
    return -1;
}

int main(int argc, char **argv)
{
    struct client c = {.connections = 100000, .concurrency = 64};
    int status = parse_options(argc, argv, &c);
    if (status >= 0)
        return status;
    if (unshare(CLONE_NEWNET) == 0 && bench_loopback_up() < 0) {
        fprintf(stderr, "bench-connect-reference: cannot bring the loopback up\n");
        return 1;
    }
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
    int listen_fd = listen_loopback(&c.target);
    if (listen_fd < 0) {
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
    int64_t start = bench_now_ns();
    run_client(&c);
    double seconds = (double)(bench_now_ns() - start) / 1e9;
    kill(server, SIGKILL);
    waitpid(server, NULL, 0);
    printf("connections=%ld connected=%ld failed=%ld seconds=%.6f per_sec=%.0f\n", c.connections,
           c.connected, c.failed, seconds, (double)c.connections / seconds);
    free(c.payload);
    return c.connected == c.connections ? 0 : 1;
}
