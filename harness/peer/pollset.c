/* pollset.c: see pollset.h. */
#include "pollset.h"

#include <errno.h>
#include <sys/epoll.h>
#include <unistd.h>

/* events taken per wakeup; more wait for the next turn of the loop, which
 * finds the set still readable */
#define POLLSET_BATCH 256

static void on_set_readable(uv_poll_t *handle, int status, int events)
{
    struct pollset *set = handle->data;
    struct epoll_event ready[POLLSET_BATCH];
    (void)status;
    (void)events;
    int n = epoll_wait(set->epoll_fd, ready, POLLSET_BATCH, 0);
    for (int i = 0; i < n; i++) {
        struct pollset_entry *entry = ready[i].data.ptr;
        if (entry->cb)
            entry->cb(entry, ready[i].events);
    }
}

int pollset_init(uv_loop_t *loop, struct pollset *set)
{
    set->open = 0;
    set->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    if (set->epoll_fd < 0)
        return -errno;
    int rc = uv_poll_init(loop, &set->poll, set->epoll_fd);
    if (rc == 0)
        rc = uv_poll_start(&set->poll, UV_READABLE, on_set_readable);
    if (rc) {
        close(set->epoll_fd);
        set->epoll_fd = -1;
        return rc;
    }
    set->poll.data = set;
    set->open = 1;
    return 0;
}

int pollset_watch(struct pollset *set, struct pollset_entry *entry, int fd, uint32_t events,
                  pollset_cb cb)
{
    entry->cb = cb;
    if (entry->added && entry->fd == fd && entry->events == events)
        return 0;
    struct epoll_event ev = {.events = events, .data.ptr = entry};
    int op = entry->added && entry->fd == fd ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    if (epoll_ctl(set->epoll_fd, op, fd, &ev) < 0)
        return -errno;
    entry->fd = fd;
    entry->events = events;
    entry->added = 1;
    return 0;
}

void pollset_forget(struct pollset_entry *entry)
{
    entry->cb = NULL;
}

static void on_poll_closed(uv_handle_t *handle)
{
    struct pollset *set = handle->data;
    close(set->epoll_fd);
    set->epoll_fd = -1;
}

void pollset_close(struct pollset *set)
{
    if (!set->open)
        return;
    set->open = 0;
    uv_close((uv_handle_t *)&set->poll, on_poll_closed);
}
