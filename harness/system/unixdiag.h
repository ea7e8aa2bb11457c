/* unixdiag.h: the AF_UNIX listeners of one network namespace as the
 * kernel lists them to NETLINK_SOCK_DIAG (unix_diag, what `ss -xl` asks),
 * seen without the help of the program that owns them.
 *
 * An AF_UNIX stream listener keeps the connections not yet accepted in its
 * receive queue, and refuses a new one while that queue holds more than
 * its backlog (unix_recvq_full, ">"): B + 1 fit. UNIX_DIAG_RQLEN gives the
 * queue's length (udiag_rqueue) and that limit (udiag_wqueue,
 * sk_max_ack_backlog: min(backlog, somaxconn)). A netlink socket sees the
 * namespace it was made in (sockdiag_open, sockdiag.h); abstract names are
 * scoped to it too. */
#ifndef HARNESS_UNIXDIAG_H
#define HARNESS_UNIXDIAG_H

#include <stdint.h>

#include "error.h"

struct unixdiag_listener {
    int found;             /* a listener with the inode asked for was listed */
    uint64_t inode;        /* its socket's inode (fstat's st_ino on its fd) */
    uint32_t accept_queue; /* connections waiting for accept() */
    uint32_t limit;        /* the backlog as the kernel keeps it (capped) */
};

/* Reads, through fd (a NETLINK_SOCK_DIAG socket), the AF_UNIX listener
 * whose socket has inode (0: the first listener listed) into *out. 0 (with
 * out->found 0 when there is none), or a negative errno with err filled. */
int unixdiag_read_listener(int fd, uint64_t inode, struct unixdiag_listener *out,
                           struct hl_error *err);

#endif
