/* sockdiag.h: the sockets of one TCP port as the kernel lists them to
 * NETLINK_SOCK_DIAG (inet_diag, what `ss` asks), seen without the help of
 * the program that owns them.
 *
 * A netlink socket sees the network namespace it was made in: open it
 * where the server listens. One reading dumps every TCP socket of both
 * families (a server bound to "::" takes IPv4 connections too) whose local
 * port is the port, and sorts them:
 *
 *   - the listener: its accept queue (idiag_rqueue) and the queue's limit
 *     (idiag_wqueue: min(backlog, somaxconn)), as `ss -ltn` shows them,
 *     and its buffer sizes (SK_MEMINFO, which accepted sockets inherit);
 *   - request sockets in SYN_RECV, the half-open queue (a SYN answered, the
 *     final ACK not yet in);
 *   - established children (ESTABLISHED or CLOSE_WAIT) without an inode:
 *     still in the accept queue, since a child gets a file only when
 *     accept() returns it; with an inode: accepted and still open, and
 *     their unread bytes (idiag_rqueue). */
#ifndef HARNESS_SOCKDIAG_H
#define HARNESS_SOCKDIAG_H

#include <stdint.h>

#include "error.h"

struct sockdiag_port {
    int listening;         /* a listener on the port was found */
    uint32_t accept_queue; /* the listener's: connections waiting for accept() */
    uint32_t limit;        /* the listener's: the most the accept queue holds */
    uint32_t listener_uid; /* who owns the listener */
    /* the listener's sk_rcvbuf and sk_sndbuf (SK_MEMINFO): what
     * getsockopt(SO_RCVBUF, SO_SNDBUF) would return, doubled as set */
    uint32_t listener_rcvbuf, listener_sndbuf;
    uint32_t syn_recv;        /* request sockets: handshakes half done */
    uint32_t queued;          /* established children without an inode */
    uint32_t accepted;        /* established children with one: accepted, open */
    uint64_t accepted_unread; /* bytes received and not yet read by the program */
};

/* A NETLINK_SOCK_DIAG socket in the current network namespace; its fd,
 * or a negative errno with err filled. */
int sockdiag_open(struct hl_error *err);

/* What a reading asks for: everything on the port; the listener alone,
 * which spares the kernel its walk of every connection of the machine
 * (the established table is shared by all namespaces); or the listener and
 * the request sockets (SYN_RECV), which skips the children. */
enum sockdiag_scope { SOCKDIAG_ALL, SOCKDIAG_LISTENER, SOCKDIAG_HALF_OPEN };

/* Reads port's sockets through fd into *out, as much as scope asks. 0, or
 * a negative errno with err filled. */
int sockdiag_read_port(int fd, uint16_t port, enum sockdiag_scope scope, struct sockdiag_port *out,
                       struct hl_error *err);

#endif
