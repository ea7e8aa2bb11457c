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
 *     their unread bytes (idiag_rqueue).
 *
 * sockdiag_read_conns() also lists the connections one by one, each with
 * its queues, a few fields of its TCP_INFO (INET_DIAG_INFO) and its
 * SK_MEMINFO, up to a cap the caller gives; the rest are counted.
 *
 * What a reading costs: request sockets and connections live in the
 * established hash table, which every namespace shares (262,144 buckets
 * on the 2-CPU machine of docs/performance.md), and the kernel walks all
 * of it for every dump that asks for them, whatever the port: the port
 * (idiag_sport) and the states (idiag_states) only spare it building a
 * message per socket (a bytecode filter, INET_DIAG_REQ_BYTECODE, is
 * judged at the same place, once the walk has reached the socket, so it
 * would spare nothing more). The listener alone is in the small
 * listening table.
 * So a reading takes the listener first, over both families (a server
 * bound to "::" takes IPv4 connections as IPv6 sockets), then walks the
 * table once, in the listener's family only. Measured there, one reading
 * with 1,000 connections open on the port (best of 50): the listener alone
 * 0.03 ms; the listener and the SYN_RECV sockets 1.35 ms (2.7 ms walking
 * the table for both families); every socket 2.3 ms (4.1 ms); every
 * socket with 64 listed, each with its TCP_INFO and SK_MEMINFO, 2.5 ms.
 * With 10 connections: 1.25 ms and 1.6 ms: the walk is most of it. */
#ifndef HARNESS_SOCKDIAG_H
#define HARNESS_SOCKDIAG_H

#include <stddef.h>
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

struct nlmsghdr;
/* Sends a dump request (a netlink header and its request, size bytes) to
 * the kernel through fd: 0, or a negative errno. */
int sockdiag_ask(int fd, const void *message, size_t size);

/* Reads the kernel's answer to a dump through fd until NLMSG_DONE, calling
 * each on every socket it lists (SOCK_DIAG_BY_FAMILY): 0, or a negative
 * errno (the dump's own error, or recv()'s). inet_diag here, unix_diag in
 * unixdiag.c. */
typedef void sockdiag_each_fn(const struct nlmsghdr *message, void *data);
int sockdiag_receive(int fd, sockdiag_each_fn *each, void *data);

/* What a reading asks for: everything on the port; the listener alone,
 * which spares the kernel its walk of every connection of the machine
 * (the established table is shared by all namespaces); or the listener and
 * the request sockets (SYN_RECV), which skips the children. */
enum sockdiag_scope { SOCKDIAG_ALL, SOCKDIAG_LISTENER, SOCKDIAG_HALF_OPEN };

/* Reads port's sockets through fd into *out, as much as scope asks. 0, or
 * a negative errno with err filled. */
int sockdiag_read_port(int fd, uint16_t port, enum sockdiag_scope scope, struct sockdiag_port *out,
                       struct hl_error *err);

/* One socket of the port other than the listener, as sock_diag lists it. */
struct sockdiag_conn {
    uint8_t state;      /* TCP_ESTABLISHED, TCP_SYN_RECV, TCP_CLOSE_WAIT ... */
    int accepted;       /* it has an inode: accept() gave it a file */
    uint16_t peer_port; /* the client's port */
    /* idiag_rqueue: received, not yet read (a CLOSE_WAIT socket's FIN left
     * out); idiag_wqueue: sent or queued, not yet acknowledged */
    uint32_t recv_queue, send_queue;
    int have_info; /* INET_DIAG_INFO: struct tcp_info (not for SYN_RECV) */
    uint32_t rtt_us, rttvar_us, snd_cwnd, snd_mss, unacked, retrans, total_retrans, lost;
    uint32_t rcv_space; /* the receive window autotuning's current estimate */
    int have_meminfo;   /* INET_DIAG_SKMEMINFO */
    uint32_t rmem_alloc, rcvbuf, wmem_queued, sndbuf;
};

/* Where sockdiag_read_conns() lists them: conn[0..count), at most
 * capacity; left_out counts those beyond it. */
struct sockdiag_conns {
    struct sockdiag_conn *conn;
    size_t capacity, count, left_out;
};

/* sockdiag_read_port(SOCKDIAG_ALL) that also lists each socket but the
 * listener into *conns, in the kernel's order. */
int sockdiag_read_conns(int fd, uint16_t port, struct sockdiag_port *out,
                        struct sockdiag_conns *conns, struct hl_error *err);

#endif
