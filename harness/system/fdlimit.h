/* fdlimit.h: make room for the sockets a point needs.
 *
 * A client with concurrency N holds N sockets; a server may hold every
 * connection it accepted (see fdlimit_server_needs). The soft RLIMIT_NOFILE is raised to what is
 * needed (up to the hard limit); when even the hard limit is too low the
 * run stops before it starts, with the numbers, instead of failing
 * connections with EMFILE halfway through. harness-run does this once for
 * its largest point before the first one (the children inherit the limit);
 * the server and the client check again for when they are run by hand. */
#ifndef HARNESS_FDLIMIT_H
#define HARNESS_FDLIMIT_H

#include <stdint.h>

#include "error.h"
#include "params.h"

int fdlimit_ensure(uint64_t needed, struct hl_error *err);

/* Raises the soft limit to the hard one (best effort): for a server run by
 * hand, which cannot know how many clients will come. */
void fdlimit_raise(void);

/* What a server may hold, plus slack for the listener, pipes, logs and
 * libuv's own descriptors. A server that reads at once closes each
 * connection when it reads the client's FIN, an iteration or two of its
 * loop after the client closed it: it holds what the client holds and at
 * most as many again. Any other server (one that reads slowly or never,
 * or whose client holds every connection to the end) may hold every
 * connection of the point. The server itself raises its soft limit to the
 * hard one whatever this says; the runner uses it to refuse a point that
 * cannot run before the first one starts. */
static inline uint64_t fdlimit_server_needs(const struct point_params *params)
{
    uint64_t held = (uint64_t)params->client.connections;
    if (params->server.read.kind == READ_IMMEDIATE && params->client.hold_us >= 0 &&
        2 * (uint64_t)params->client.concurrency < held)
        held = 2 * (uint64_t)params->client.concurrency;
    return held + 64;
}

/* What a client holds at most: its concurrency, plus the same slack. */
static inline uint64_t fdlimit_client_needs(const struct point_params *params)
{
    return (uint64_t)params->client.concurrency + 64;
}

#endif
