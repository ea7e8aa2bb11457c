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

/* One reading: the port, what it fills, and the families its listeners
 * were found in (bits 1 << AF_INET, 1 << AF_INET6; 0: none yet). */
struct reading {
    uint16_t port;
    struct sockdiag_port *out;
    struct sockdiag_conns *conns; /* NULL: counted, not listed */
    uint32_t listener_families;
};

int sockdiag_open(struct hl_error *err)
{
    int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    if (fd < 0)
        return hl_error_setn(err, errno, "sock_diag", "cannot open a NETLINK_SOCK_DIAG socket: %s",
                             strerror(errno));
    return fd;
}

int sockdiag_ask(int fd, const void *message, size_t size)
{
    struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
    ssize_t sent = sendto(fd, message, size, 0, (struct sockaddr *)&kernel, sizeof kernel);
    return sent == (ssize_t)size ? 0 : -(errno ? errno : EIO);
}

int sockdiag_receive(int fd, sockdiag_each_fn *each, void *data)
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
                each(h, data);
        }
    }
}

static int ask(int fd, uint8_t family, uint16_t port, uint32_t states, uint8_t extensions)
{
    struct {
        struct nlmsghdr header;
        struct inet_diag_req_v2 request;
    } message;
    memset(&message, 0, sizeof message);
    message.header.nlmsg_len = sizeof message;
    message.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    message.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    message.request.sdiag_family = family;
    message.request.sdiag_protocol = IPPROTO_TCP;
    /* request sockets are listed as SYN_RECV */
    message.request.idiag_states = states;
    /* the kernel skips a socket of another local port before it builds
     * its message (inet_diag_dump_icsk) */
    message.request.id.idiag_sport = htons(port);
    message.request.idiag_ext = extensions;
    return sockdiag_ask(fd, &message, sizeof message);
}

static void read_tcp_info(const struct rtattr *a, struct sockdiag_conn *c)
{
    struct tcp_info info;
    memset(&info, 0, sizeof info);
    size_t size = RTA_PAYLOAD(a) < sizeof info ? RTA_PAYLOAD(a) : sizeof info;
    memcpy(&info, RTA_DATA(a), size);
    c->have_info = 1;
    c->rtt_us = info.tcpi_rtt;
    c->rttvar_us = info.tcpi_rttvar;
    c->snd_cwnd = info.tcpi_snd_cwnd;
    c->snd_mss = info.tcpi_snd_mss;
    c->unacked = info.tcpi_unacked;
    c->retrans = info.tcpi_retrans;
    c->total_retrans = info.tcpi_total_retrans;
    c->lost = info.tcpi_lost;
    c->rcv_space = info.tcpi_rcv_space;
}

/* The SK_MEMINFO and TCP_INFO attributes of a message into c. */
static void read_attributes(const struct nlmsghdr *h, struct sockdiag_conn *c)
{
    const struct inet_diag_msg *m = NLMSG_DATA(h);
    int left = (int)h->nlmsg_len - (int)NLMSG_LENGTH(sizeof *m);
    for (const struct rtattr *a = (const struct rtattr *)(m + 1); RTA_OK(a, left);
         a = RTA_NEXT(a, left)) {
        if (a->rta_type == INET_DIAG_INFO) {
            read_tcp_info(a, c);
        } else if (a->rta_type == INET_DIAG_SKMEMINFO &&
                   RTA_PAYLOAD(a) >= sizeof(uint32_t) * SK_MEMINFO_VARS) {
            const uint32_t *memory = RTA_DATA(a);
            c->have_meminfo = 1;
            c->rmem_alloc = memory[SK_MEMINFO_RMEM_ALLOC];
            c->rcvbuf = memory[SK_MEMINFO_RCVBUF];
            c->wmem_queued = memory[SK_MEMINFO_WMEM_QUEUED];
            c->sndbuf = memory[SK_MEMINFO_SNDBUF];
        }
    }
}

static void sort_listener(const struct nlmsghdr *h, struct reading *r)
{
    const struct inet_diag_msg *m = NLMSG_DATA(h);
    struct sockdiag_conn memory = {0};
    r->out->listening = 1;
    r->out->accept_queue += m->idiag_rqueue;
    r->out->limit = m->idiag_wqueue;
    r->out->listener_uid = m->idiag_uid;
    r->listener_families |= 1u << m->idiag_family;
    read_attributes(h, &memory);
    if (memory.have_meminfo) {
        r->out->listener_rcvbuf = memory.rcvbuf;
        r->out->listener_sndbuf = memory.sndbuf;
    }
}

/* A socket other than the listener: counted, and listed when asked. */
static void sort_connection(const struct nlmsghdr *h, struct reading *r)
{
    const struct inet_diag_msg *m = NLMSG_DATA(h);
    struct sockdiag_port *out = r->out;
    /* idiag_rqueue is rcv_nxt - copied_seq, and a FIN takes one sequence
     * number until read: in CLOSE_WAIT with anything left, the last one
     * is the FIN (SIOCINQ leaves it out too) */
    uint32_t unread = m->idiag_rqueue;
    if (m->idiag_state == TCP_CLOSE_WAIT && unread > 0)
        unread--;
    if (m->idiag_state == TCP_SYN_RECV) {
        out->syn_recv++;
    } else if (m->idiag_state == TCP_ESTABLISHED || m->idiag_state == TCP_CLOSE_WAIT) {
        if (m->idiag_inode == 0) {
            out->queued++;
        } else {
            out->accepted++;
            out->accepted_unread += unread;
        }
    }
    if (!r->conns)
        return;
    if (r->conns->count >= r->conns->capacity) {
        r->conns->left_out++;
        return;
    }
    struct sockdiag_conn *c = &r->conns->conn[r->conns->count++];
    memset(c, 0, sizeof *c);
    c->state = m->idiag_state;
    c->accepted = m->idiag_inode != 0;
    c->peer_port = ntohs(m->id.idiag_dport);
    c->recv_queue = unread;
    c->send_queue = m->idiag_wqueue;
    read_attributes(h, c);
}

/* One socket of the dump, when its local port is the port (the kernel
 * filters by it already; a kernel that did not is still right). */
static void sort_socket(const struct nlmsghdr *h, void *data)
{
    struct reading *r = data;
    const struct inet_diag_msg *m = NLMSG_DATA(h);
    if (ntohs(m->id.idiag_sport) != r->port || m->idiag_state == TCP_TIME_WAIT)
        return;
    if (m->idiag_state == TCP_LISTEN)
        sort_listener(h, r);
    else
        sort_connection(h, r);
}

/* One dump of family, states and extensions into r. */
static int dump(int fd, uint8_t family, uint32_t states, uint8_t extensions, struct reading *r)
{
    int rc = ask(fd, family, r->port, states, extensions);
    if (rc == 0)
        rc = sockdiag_receive(fd, sort_socket, r);
    /* a kernel built without IPv6 has nothing to list for it */
    return rc == -ENOENT && family == AF_INET6 ? 0 : rc;
}

/* The listener over both families, then, when states ask for more, the
 * other sockets in the listener's family alone (both without one, and
 * both for two listeners, 0.0.0.0 and an IPv6-only ::): one walk of the
 * shared established table rather than two. */
static int read_port(int fd, uint32_t states, uint8_t extensions, struct reading *r)
{
    static const uint8_t families[] = {AF_INET, AF_INET6};
    uint8_t listener_extensions = 1 << (INET_DIAG_SKMEMINFO - 1);
    int rc = 0;
    memset(r->out, 0, sizeof *r->out);
    for (size_t i = 0; i < sizeof families && rc == 0; i++)
        rc = dump(fd, families[i], 1u << TCP_LISTEN, listener_extensions, r);
    states &= ~(1u << TCP_LISTEN);
    for (size_t i = 0; i < sizeof families && rc == 0 && states; i++)
        if (!r->listener_families || r->listener_families & 1u << families[i])
            rc = dump(fd, families[i], states, extensions, r);
    return rc;
}

static int failed(struct hl_error *err, int rc, uint16_t port)
{
    return hl_error_setn(err, rc, "sock_diag", "cannot list the sockets of port %u: %s",
                         (unsigned)port, strerror(-rc));
}

int sockdiag_read_port(int fd, uint16_t port, enum sockdiag_scope scope, struct sockdiag_port *out,
                       struct hl_error *err)
{
    uint32_t states = scope == SOCKDIAG_LISTENER    ? 1u << TCP_LISTEN
                      : scope == SOCKDIAG_HALF_OPEN ? 1u << TCP_LISTEN | 1u << TCP_SYN_RECV
                                                    : ~0u;
    struct reading r = {.port = port, .out = out};
    int rc = read_port(fd, states, 0, &r);
    return rc ? failed(err, rc, port) : 0;
}

int sockdiag_read_conns(int fd, uint16_t port, struct sockdiag_port *out,
                        struct sockdiag_conns *conns, struct hl_error *err)
{
    struct reading r = {.port = port, .out = out, .conns = conns};
    uint8_t extensions = 1 << (INET_DIAG_INFO - 1) | 1 << (INET_DIAG_SKMEMINFO - 1);
    conns->count = conns->left_out = 0;
    int rc = read_port(fd, ~0u, extensions, &r);
    return rc ? failed(err, rc, port) : 0;
}
