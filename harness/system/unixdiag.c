/* unixdiag.c: see unixdiag.h. */
#include "unixdiag.h"
#include "sockdiag.h"

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
    memset(&message, 0, sizeof message);
    message.header.nlmsg_len = sizeof message;
    message.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    message.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    message.request.sdiag_family = AF_UNIX;
    /* unix sockets in the listening state share TCP's number for it */
    message.request.udiag_states = 1u << TCP_LISTEN;
    message.request.udiag_show = UDIAG_SHOW_RQLEN;
    return sockdiag_ask(fd, &message, sizeof message);
}

/* What a reading looks for, and where it puts it. */
struct wanted {
    uint64_t inode; /* 0: the first listener */
    struct unixdiag_listener *out;
};

/* One listener of the dump into *out, when it is the one asked for and
 * none was taken yet. */
static void take_listener(const struct nlmsghdr *h, void *data)
{
    const struct wanted *wanted = data;
    struct unixdiag_listener *out = wanted->out;
    uint64_t inode = wanted->inode;
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

int unixdiag_read_listener(int fd, uint64_t inode, struct unixdiag_listener *out,
                           struct hl_error *err)
{
    struct wanted wanted = {inode, out};
    memset(out, 0, sizeof *out);
    int rc = ask(fd);
    if (rc == 0)
        rc = sockdiag_receive(fd, take_listener, &wanted);
    if (rc)
        return hl_error_setn(err, rc, "unix_diag", "cannot list the AF_UNIX listeners: %s",
                             strerror(-rc));
    return 0;
}
