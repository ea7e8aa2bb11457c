/* address.h: a peer's socket address, as its command line writes it and
 * as bind() and connect() take it.
 *
 * Family inet writes "A.B.C.D:PORT" (port 0: any free one). Family unix
 * writes "@NAME": an abstract AF_UNIX name, which lives in the network
 * namespace's own space of names; "@" alone asks the kernel for a free one
 * when the server binds (autobind, five hex digits), as port 0 does. An
 * abstract name rather than a path: nothing to remove at the end or to
 * leave behind when a run is killed, and the points that run side by side
 * in their own namespaces cannot see each other's names. */
#ifndef HARNESS_ADDRESS_H
#define HARNESS_ADDRESS_H

#include <stddef.h>
#include <sys/socket.h>

#include "error.h"
#include "params.h"

struct peer_address {
    struct sockaddr_storage storage;
    socklen_t length; /* what bind() and connect() are given */
};

/* Parses text as family writes it into *out; 0, or -EINVAL with err
 * filled (where: the text). */
int peer_address_parse(const char *text, enum family family, struct peer_address *out,
                       struct hl_error *err);

/* The address fd is bound to (getsockname), written as peer_address_parse
 * reads it; 0, or -errno. */
int peer_address_of_socket(int fd, char *out, size_t size);

/* Whether text is written as an AF_UNIX address ("@..."). */
int peer_address_is_unix(const char *text);

#endif
