/* server.h: the listening side of a point.
 *
 * It owns the listening socket (socket, bind, listen(backlog) itself) and
 * watches it with uv_poll_t, calling accept4() only when the accept policy
 * says so: uv_listen() would accept on its own and hold a connection in user
 * space, so a "never accept" queue would never show its real size. Accepted
 * connections are read with recv() on the raw fd, at the read policy's pace.
 *
 * Lifecycle: server_create (socket bound and listening) -> server_start
 * (policies armed from the run's start) -> server_client_done (drain)
 * or server_stop (the run's end) -> on_done callback -> server_destroy.
 *
 * Made of server.c and the server_*.c files it lists in server_internal.h. */
#ifndef HARNESS_SERVER_H
#define HARNESS_SERVER_H

#include <jansson.h>
#include <stdint.h>
#include <uv.h>

#include "error.h"
#include "eventlog.h"
#include "params.h"

struct server;

typedef void (*server_done_cb)(struct server *server, void *data);

int server_create(uv_loop_t *loop, const struct point_params *params, const char *address,
                  struct eventlog *log, struct server **out, struct hl_error *err);

/* Whether to write an "accept" line at each accept (the default), with the
 * accept queue's length before it (queue_before). Under harness-run, whose
 * results take each connection from its "server_conn" line at the close,
 * the server writes none: they would cost a line and a TCP_INFO on the
 * listener per burst of accepts that nobody reads. */
void server_log_accepts(struct server *server, int on);

/* What the kernel granted, for the ready line: port, effective backlog
 * (TCP_INFO tcpi_sacked on the listener), SO_RCVBUF and SO_SNDBUF. */
json_t *server_ready_info(const struct server *server);

void server_start(struct server *server, int64_t start_ns, server_done_cb done, void *data);

/* The client finished and saw `connected` handshakes complete: finish once
 * that many were accepted (a connection whose final ACK found the queue full
 * is established on the client but not yet on the server; it arrives with
 * the client's next segment), the queue is empty and every accepted
 * connection reached EOF or closed. */
void server_client_done(struct server *server, uint64_t connected);

void server_stop(struct server *server);

/* Closes what is left; call after the loop has finished. */
void server_destroy(struct server *server);

#endif
