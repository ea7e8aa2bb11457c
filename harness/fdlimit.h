/* fdlimit.h: make room for the sockets a point needs.
 *
 * A client with concurrency N holds N sockets; a server may hold every
 * connection it accepted. The soft RLIMIT_NOFILE is raised to what is
 * needed (up to the hard limit); when even the hard limit is too low the
 * run stops before it starts, with the numbers, instead of failing
 * connections with EMFILE halfway through. */
#ifndef HARNESS_FDLIMIT_H
#define HARNESS_FDLIMIT_H

#include <stdint.h>

#include "error.h"

int fdlimit_ensure(uint64_t needed, struct hl_error *err);

#endif
