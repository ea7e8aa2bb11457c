/* accept_loop.c: a server as a student writes one for the course, in C:
 * socket, bind, listen(backlog), then an accept loop that reads each
 * connection to its end and closes it. It pauses before each accept() to
 * play a busy server.
 *
 *   accept_loop PORT [BACKLOG [PAUSE_MS]]   (defaults: backlog 1, no pause)
 *
 * scenarios/c-accept-loop.json runs it through cc-run, which compiles it
 * first. Put your own server's .c beside it and name it there instead. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s PORT [BACKLOG [PAUSE_MS]]\n", argv[0]);
        return 2;
    }
    int port = atoi(argv[1]);
    int backlog = argc > 2 ? atoi(argv[2]) : 1;
    long pause_ms = argc > 3 ? atol(argv[3]) : 0;

    int listener = socket(AF_INET, SOCK_STREAM, 0);
    int on = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    address.sin_addr.s_addr = htonl(INADDR_ANY);
    if (bind(listener, (struct sockaddr *)&address, sizeof address) < 0 ||
        listen(listener, backlog) < 0) {
        perror("bind/listen");
        return 1;
    }
    printf("listening on port %d with backlog %d, %ld ms before each accept\n", port, backlog,
           pause_ms);
    fflush(stdout);

    for (;;) {
        struct timespec pause = {pause_ms / 1000, (pause_ms % 1000) * 1000000};
        nanosleep(&pause, NULL);
        struct sockaddr_in peer;
        socklen_t size = sizeof peer;
        int conn = accept(listener, (struct sockaddr *)&peer, &size);
        if (conn < 0) {
            perror("accept");
            continue;
        }
        char buffer[4096];
        ssize_t n, total = 0;
        while ((n = recv(conn, buffer, sizeof buffer, 0)) > 0)
            total += n;
        printf("%s:%d sent %zd bytes\n", inet_ntoa(peer.sin_addr), ntohs(peer.sin_port), total);
        fflush(stdout);
        close(conn);
    }
}
