/* connect_state.c: see connect_state.h. */
#include "connect_state.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

/* An AF_UNIX socket has no TCP_INFO and no handshake: connect() either
 * queued it at the listener (then it has a peer) or did not. Returns 1
 * for an AF_UNIX socket, *connected saying which; 0 for any other. */
static int unix_connected(int fd, int *connected)
{
    int domain = 0;
    socklen_t len = sizeof domain;
    struct sockaddr_storage peer;
    socklen_t peer_len = sizeof peer;
    if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) < 0 || domain != AF_UNIX)
        return 0;
    *connected = getpeername(fd, (struct sockaddr *)&peer, &peer_len) == 0;
    return 1;
}

enum connect_state connect_state_of(int fd, int *error)
{
    int so_error = 0;
    socklen_t len = sizeof so_error;
    struct tcp_info info;
    socklen_t info_len = sizeof info;
    *error = 0;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len) < 0)
        so_error = errno;
    if (so_error) {
        *error = so_error;
        return CONNECT_FAILED;
    }
    int connected;
    if (unix_connected(fd, &connected))
        return connected ? CONNECT_COMPLETED : CONNECT_WAITING;
    if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &info_len) < 0) {
        *error = errno;
        return CONNECT_FAILED;
    }
    switch (info.tcpi_state) {
    case TCP_SYN_SENT:
        return CONNECT_WAITING;
    case TCP_CLOSE:
        *error = ECONNABORTED;
        return CONNECT_FAILED;
    default: /* ESTABLISHED, or a state a completed handshake leads to */
        return CONNECT_COMPLETED;
    }
}
