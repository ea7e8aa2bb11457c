/* unixdiag.c: see unixdiag.h. */
#include "unixdiag.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>

static int ask(int fd)
{
    struct {
        struct nlmsghdr header;
        struct unix_diag_req request;
    } message;
    struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
    memset(&message, 0, sizeof message);
    message.header.nlmsg_len = sizeof message;
    message.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    message.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    message.request.sdiag_family = AF_UNIX;
    /* unix sockets in the listening state share TCP's number for it */
    message.request.udiag_states = 1u << TCP_LISTEN;
    message.request.udiag_show = UDIAG_SHOW_RQLEN;
    ssize_t sent =
        sendto(fd, &message, sizeof message, 0, (struct sockaddr *)&kernel, sizeof kernel);
    return sent == (ssize_t)sizeof message ? 0 : -(errno ? errno : EIO);
}

/* One listener of the dump into *out, when it is the one asked for and
 * none was taken yet. */
static void take_listener(const struct nlmsghdr *h, uint64_t inode, struct unixdiag_listener *out)
{
    const struct unix_diag_msg *m = NLMSG_DATA(h);
    if (out->found || m->udiag_type != SOCK_STREAM || (inode && m->udiag_ino != inode))
        return;
    int left = (int)h->nlmsg_len - (int)NLMSG_LENGTH(sizeof *m);
    for (const struct rtattr *a = (const struct rtattr *)(m + 1); RTA_OK(a, left);
         a = RTA_NEXT(a, left)) {
        if (a->rta_type != UNIX_DIAG_RQLEN || RTA_PAYLOAD(a) < sizeof(struct unix_diag_rqlen))
            continue;
        const struct unix_diag_rqlen *rqlen = RTA_DATA(a);
        out->found = 1;
        out->inode = m->udiag_ino;
        out->accept_queue = rqlen->udiag_rqueue;
        out->limit = rqlen->udiag_wqueue;
    }
}

/* The dump's messages until NLMSG_DONE. */
static int receive(int fd, uint64_t inode, struct unixdiag_listener *out)
{
    static __thread char buffer[16384] __attribute__((aligned(8)));
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
                take_listener(h, inode, out);
        }
    }
}

int unixdiag_read_listener(int fd, uint64_t inode, struct unixdiag_listener *out,
                           struct hl_error *err)
{
    memset(out, 0, sizeof *out);
    int rc = ask(fd);
    if (rc == 0)
        rc = receive(fd, inode, out);
    if (rc)
        return hl_error_setn(err, rc, "unix_diag", "cannot list the AF_UNIX listeners: %s",
                             strerror(-rc));
    return 0;
}
