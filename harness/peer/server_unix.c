/* server_unix.c: what family "unix" adds to the server's listener
 * (server_internal.h): its accept queue, read through unix_diag.
 *
 * An AF_UNIX listener answers neither TCP_INFO nor SIOCINQ (EINVAL on a
 * listener, unix_ioctl), so the server asks the kernel the way `ss -xl`
 * does: a NETLINK_SOCK_DIAG dump of the namespace's AF_UNIX listeners,
 * the one whose inode is its own (unixdiag.h). */
#include "server_internal.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sockdiag.h"
#include "unixdiag.h"

int server_unix_watch(struct server *s, struct hl_error *err)
{
    struct stat st;
    if (fstat(s->listen_fd, &st) < 0)
        return hl_error_setn(err, errno, "fstat", "the listener's inode: %s", strerror(errno));
    s->listen_inode = (uint64_t)st.st_ino;
    int fd = sockdiag_open(err);
    if (fd < 0)
        return fd;
    s->diag_fd = fd;
    return 0;
}

int server_unix_queue(const struct server *s, int64_t *length, int64_t *limit)
{
    struct unixdiag_listener listener;
    struct hl_error ignored;
    if (s->diag_fd < 0 ||
        unixdiag_read_listener(s->diag_fd, s->listen_inode, &listener, &ignored) || !listener.found)
        return -1;
    *length = listener.accept_queue;
    *limit = listener.limit;
    return 0;
}
