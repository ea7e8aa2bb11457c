/* pollset.h: many sockets watched through one uv_poll_t.
 *
 * libuv's uv_poll_t costs a socket five epoll_ctl calls and an ioctl over
 * its life: uv_poll_init adds and removes the fd to check it and sets
 * O_NONBLOCK again, and every uv_poll_start and uv_poll_stop removes the
 * fd from epoll before adding it back. A point that opens and closes
 * thousands of connections a second spent 11% (client) and 15% (server)
 * of its time there. A poll set is an epoll set of its own, watched by the
 * loop through one uv_poll_t: a socket costs one epoll_ctl to add and one
 * per change of what it waits for, and none to leave (close() removes it).
 *
 * Level-triggered, like uv_poll_t: a callback gets the epoll events
 * (EPOLLIN, EPOLLOUT, EPOLLRDHUP, and EPOLLERR/EPOLLHUP, which epoll
 * always reports). The sockets stay the caller's, driven with the BSD
 * calls; only the waiting moves.
 *
 * An entry must stay valid until its fd is closed: its callback may still
 * run (and is then skipped, once pollset_forget was called) for events
 * fetched before. Owners that free an entry in a uv_close callback meet
 * this, since the loop closes handles after it has polled.
 *
 * Lifecycle: pollset_init -> pollset_watch / pollset_forget ... ->
 * pollset_close. */
#ifndef HARNESS_POLLSET_H
#define HARNESS_POLLSET_H

#include <stdint.h>
#include <uv.h>

struct pollset_entry;
typedef void (*pollset_cb)(struct pollset_entry *entry, uint32_t events);

struct pollset_entry {
    int fd;
    uint32_t events; /* what it waits for now; 0 and !added: not in the set */
    int added;
    pollset_cb cb; /* NULL: forgotten, events are skipped */
    void *data;
};

struct pollset {
    int epoll_fd;
    uv_poll_t poll;
    int open;
};

/* An empty set watched by loop. Returns 0 or a negative errno. */
int pollset_init(uv_loop_t *loop, struct pollset *set);

/* Watches entry's fd for events (EPOLLIN, EPOLLOUT, EPOLLRDHUP ...),
 * calling cb; again with other events, changes what it waits for (no
 * system call when they are the same). Returns 0 or a negative errno. */
int pollset_watch(struct pollset *set, struct pollset_entry *entry, int fd, uint32_t events,
                  pollset_cb cb);

/* No more callbacks for entry; no system call: close(fd) takes the fd out
 * of the set. */
void pollset_forget(struct pollset_entry *entry);

/* Stops watching (the loop can then end) and closes the epoll fd. */
void pollset_close(struct pollset *set);

#endif
