/* connect_state.c: see connect_state.h. */
#include "connect_state.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

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
