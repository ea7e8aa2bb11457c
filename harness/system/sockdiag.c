/* sockdiag.c: see sockdiag.h. */
#include "sockdiag.h"

#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int sockdiag_open(struct hl_error *err)
{
    int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    if (fd < 0)
        return hl_error_setn(err, errno, "sock_diag", "cannot open a NETLINK_SOCK_DIAG socket: %s",
                             strerror(errno));
    return fd;
}

static int ask(int fd, uint8_t family, uint16_t port, uint32_t states)
{
    struct {
        struct nlmsghdr header;
        struct inet_diag_req_v2 request;
    } message;
    struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
    memset(&message, 0, sizeof message);
    message.header.nlmsg_len = sizeof message;
    message.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    message.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    message.request.sdiag_family = family;
    message.request.sdiag_protocol = IPPROTO_TCP;
    /* request sockets are listed as SYN_RECV */
    message.request.idiag_states = states;
    message.request.id.idiag_sport = htons(port);
    message.request.idiag_ext = 1 << (INET_DIAG_SKMEMINFO - 1);
    ssize_t sent =
        sendto(fd, &message, sizeof message, 0, (struct sockaddr *)&kernel, sizeof kernel);
    return sent == (ssize_t)sizeof message ? 0 : -(errno ? errno : EIO);
}

/* The listener's SK_MEMINFO attribute, if the message has one. */
static void read_meminfo(const struct nlmsghdr *h, struct sockdiag_port *out)
{
    const struct inet_diag_msg *m = NLMSG_DATA(h);
    int left = (int)h->nlmsg_len - (int)NLMSG_LENGTH(sizeof *m);
    for (const struct rtattr *a = (const struct rtattr *)(m + 1); RTA_OK(a, left);
         a = RTA_NEXT(a, left)) {
        if (a->rta_type != INET_DIAG_SKMEMINFO ||
            RTA_PAYLOAD(a) < sizeof(uint32_t) * SK_MEMINFO_VARS)
            continue;
        const uint32_t *memory = RTA_DATA(a);
        out->listener_rcvbuf = memory[SK_MEMINFO_RCVBUF];
        out->listener_sndbuf = memory[SK_MEMINFO_SNDBUF];
    }
}

/* One socket of the dump into *out, when its local port is port (the
 * kernel filters by it already; a kernel that did not is still right). */
static void sort_socket(const struct nlmsghdr *h, uint16_t port, struct sockdiag_port *out)
{
    const struct inet_diag_msg *m = NLMSG_DATA(h);
    if (ntohs(m->id.idiag_sport) != port)
        return;
    switch (m->idiag_state) {
    case TCP_LISTEN:
        out->listening = 1;
        out->accept_queue += m->idiag_rqueue;
        out->limit = m->idiag_wqueue;
        out->listener_uid = m->idiag_uid;
        read_meminfo(h, out);
        break;
    case TCP_SYN_RECV:
        out->syn_recv++;
        break;
    case TCP_ESTABLISHED:
    case TCP_CLOSE_WAIT:
        if (m->idiag_inode == 0) {
            out->queued++;
        } else {
            out->accepted++;
            /* idiag_rqueue is rcv_nxt - copied_seq, and a FIN takes one
             * sequence number until read: in CLOSE_WAIT with anything
             * left, the last one is the FIN (SIOCINQ leaves it out too) */
            uint32_t unread = m->idiag_rqueue;
            if (m->idiag_state == TCP_CLOSE_WAIT && unread > 0)
                unread--;
            out->accepted_unread += unread;
        }
        break;
    default:
        break;
    }
}

/* The dump's messages until NLMSG_DONE. */
static int receive(int fd, uint16_t port, struct sockdiag_port *out)
{
    static __thread char buffer[32768] __attribute__((aligned(8)));
    for (;;) {
        ssize_t n = recv(fd, buffer, sizeof buffer, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n < 0 ? -errno : -EIO;
        size_t left = (size_t)n;
        for (struct nlmsghdr *h = (struct nlmsghdr *)buffer; NLMSG_OK(h, left);
             h = NLMSG_NEXT(h, left)) {
            if (h->nlmsg_type == NLMSG_DONE)
                return 0;
            if (h->nlmsg_type == NLMSG_ERROR) {
                const struct nlmsgerr *e = NLMSG_DATA(h);
                return e->error ? e->error : -EIO;
            }
            if (h->nlmsg_type == SOCK_DIAG_BY_FAMILY)
                sort_socket(h, port, out);
        }
    }
}

int sockdiag_read_port(int fd, uint16_t port, enum sockdiag_scope scope, struct sockdiag_port *out,
                       struct hl_error *err)
{
    uint32_t states = scope == SOCKDIAG_LISTENER    ? 1u << TCP_LISTEN
                      : scope == SOCKDIAG_HALF_OPEN ? 1u << TCP_LISTEN | 1u << TCP_SYN_RECV
                                                    : ~0u;
    static const uint8_t families[] = {AF_INET, AF_INET6};
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < sizeof families; i++) {
        int rc = ask(fd, families[i], port, states);
        if (rc == 0)
            rc = receive(fd, port, out);
        /* a kernel built without IPv6 has nothing to list for it */
        if (rc == -ENOENT && families[i] == AF_INET6)
            continue;
        if (rc)
            return hl_error_setn(err, rc, "sock_diag", "cannot list the sockets of port %u: %s",
                                 (unsigned)port, strerror(-rc));
    }
    return 0;
}
