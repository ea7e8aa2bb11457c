/* client.h: the connecting and sending side of a point.
 *
 * Opens client.connections connections, at most client.concurrency at once,
 * each with a non-blocking connect() watched by uv_poll_t, and classifies
 * each outcome: connected, refused (ECONNREFUSED), timed_out (the kernel's
 * ETIMEDOUT after tcp_syn_retries, client.connect_timeout_ms, or the run's
 * end), failed (any other errno, named). A connected socket then sends
 * client.send.bytes in send() calls of client.send.chunk bytes on the raw fd
 * (uv_write would queue without limit and never block); every send that
 * hits EAGAIN or writes short starts a blocked interval, which ends when the
 * socket takes data again. A connection reset later is counted as reset.
 *
 * Lifecycle: client_create -> client_start -> (all closed, or client_stop)
 * -> done callback -> client_destroy.
 *
 * Made of client.c and the client_*.c files it lists in client_internal.h. */
#ifndef HARNESS_CLIENT_H
#define HARNESS_CLIENT_H

#include <stdint.h>
#include <uv.h>

#include "error.h"
#include "eventlog.h"
#include "params.h"

struct client;

typedef void (*client_done_cb)(struct client *client, void *data);

/* Refuses a target unless it is a loopback address, or the address of the
 * other end of a veth pair of this network namespace (rtnl.h), or
 * allow_remote. */
int client_create(uv_loop_t *loop, const struct point_params *params, const char *address,
                  int allow_remote, struct eventlog *log, struct client **out,
                  struct hl_error *err);

void client_start(struct client *client, int64_t start_ns, client_done_cb done, void *data);

void client_stop(struct client *client);

/* Connections that completed their handshake so far. */
uint64_t client_connected(const struct client *client);

void client_destroy(struct client *client);

#endif
