/* test_connect_state.c: what the kernel says of a connecting socket
 * (connect_state.h), asked of real sockets on loopback: a connect that
 * completed in the kernel though nobody looked, one refused, and one whose
 * SYN waits for a retransmit because listen(0)'s queue is full. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "connect_state.h"

/* A listener on 127.0.0.1 (a free port) with the backlog given; its
 * address in *addr. */
static int listener(int backlog, struct sockaddr_in *addr)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    socklen_t len = sizeof *addr;
    addr->sin_family = AF_INET;
    addr->sin_port = 0;
    addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || bind(fd, (struct sockaddr *)addr, sizeof *addr) < 0 || listen(fd, backlog) < 0 ||
        getsockname(fd, (struct sockaddr *)addr, &len) < 0)
        return -1;
    return fd;
}

static int connecting(const struct sockaddr_in *to)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd >= 0 && connect(fd, (const struct sockaddr *)to, sizeof *to) < 0 && errno != EINPROGRESS)
        return -1;
    return fd;
}

/* Waits until fd is writable or has an error (the handshake's end). */
static void settle(int fd)
{
    struct pollfd p = {fd, POLLOUT, 0};
    poll(&p, 1, 1000);
}

int main(void)
{
    struct sockaddr_in addr;
    int error;
    int server = listener(0, &addr);
    CHECK(server >= 0);

    /* the first fills listen(0)'s queue: completed, though not yet seen */
    int first = connecting(&addr);
    CHECK(first >= 0);
    settle(first);
    CHECK_INT(connect_state_of(first, &error), CONNECT_COMPLETED);
    CHECK_INT(error, 0);

    /* the second's SYN is dropped (the queue is full): still SYN_SENT */
    int second = connecting(&addr);
    CHECK(second >= 0);
    CHECK_INT(connect_state_of(second, &error), CONNECT_WAITING);

    /* nothing listens on the port once the listener is closed: refused */
    close(server);
    int refused = connecting(&addr);
    CHECK(refused >= 0);
    settle(refused);
    CHECK_INT(connect_state_of(refused, &error), CONNECT_FAILED);
    CHECK_INT(error, ECONNREFUSED);

    close(first);
    close(second);
    close(refused);
    return check_exit();
}
