/* slots.c: see slots.h. */
#include "slots.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* How long a point that found every slot taken waits before it looks
 * again: short beside a run (hundreds of ms at least), long beside a
 * syscall. */
#define SLOT_POLL_NS 20000000L

int slots_default(void)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    return cpus > 0 ? (int)(4 * cpus) : 8;
}

/* The lock directory, made if need be (mode 0700); 0 or -1. */
static int lock_dir(char *out, size_t size)
{
    const char *runtime = getenv("XDG_RUNTIME_DIR");
    if (runtime && runtime[0])
        snprintf(out, size, "%s/backlog-lab", runtime);
    else
        snprintf(out, size, "/tmp/backlog-lab-%ld", (long)getuid());
    if (mkdir(out, 0700) < 0 && errno != EEXIST)
        return -1;
    struct stat st;
    /* a directory of someone else's could hold locks no one releases */
    if (lstat(out, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != getuid())
        return -1;
    return 0;
}

static int open_lock(const char *dir, const char *name)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s.lock", dir, name);
    return open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
}

/* Waits (polling, so that stop is asked) until fd is locked as op asks.
 * 0, or -EINTR when stop said so. */
static int lock_polling(int fd, int op, const struct slot_wait *wait)
{
    struct timespec pause = {0, SLOT_POLL_NS};
    while (flock(fd, op | LOCK_NB) < 0) {
        if (wait && wait->stop && wait->stop(wait->data))
            return -EINTR;
        nanosleep(&pause, NULL);
    }
    return 0;
}

/* One free slot of count, taken; waits while all are held. */
static int take_one(const char *dir, int count, const struct slot_wait *wait, int *out)
{
    struct timespec pause = {0, SLOT_POLL_NS};
    for (;;) {
        for (int i = 0; i < count; i++) {
            char name[32];
            snprintf(name, sizeof name, "slot-%d", i);
            int fd = open_lock(dir, name);
            if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0) {
                *out = fd;
                return 0;
            }
            if (fd >= 0)
                close(fd);
        }
        if (wait && wait->stop && wait->stop(wait->data))
            return -EINTR;
        nanosleep(&pause, NULL);
    }
}

/* Waits while a point waits to run alone (it holds "alone" shared, which
 * an exclusive try then finds taken), so that points that run alone follow
 * one another with nothing started in between for the next to wait for. */
static int wait_for_alone_ones(int waiting, const struct slot_wait *wait)
{
    int rc = lock_polling(waiting, LOCK_EX, wait);
    if (rc == 0)
        flock(waiting, LOCK_UN);
    return rc;
}

/* The machine's lock taken exclusive, to run alone: the point says it
 * waits (holds "alone" shared) and holds the gate, so that no new point
 * starts beside it meanwhile (flock() gives a waiting exclusive lock no
 * precedence over shared ones that keep coming), until the points that
 * run have ended. */
static int take_alone(int waiting, int gate, int machine, const struct slot_wait *wait)
{
    int rc = lock_polling(waiting, LOCK_SH, wait);
    if (rc == 0)
        rc = lock_polling(gate, LOCK_EX, wait);
    if (rc == 0)
        rc = lock_polling(machine, LOCK_EX, wait);
    return rc;
}

/* The machine's lock taken shared, once no point waits to run alone. The
 * gate is held only for a try, never while waiting: a point that comes to
 * wait to run alone meanwhile goes first, and the points that run alone
 * follow one another with nothing started in between for the next one to
 * wait for (a shared point that held the gate while it waited would start
 * as soon as one ended, and the next would wait until it was done). */
static int take_shared(int waiting, int gate, int machine, const struct slot_wait *wait)
{
    struct timespec pause = {0, SLOT_POLL_NS};
    for (;;) {
        int rc = wait_for_alone_ones(waiting, wait);
        if (rc == 0)
            rc = lock_polling(gate, LOCK_EX, wait);
        if (rc)
            return rc;
        int got = flock(machine, LOCK_SH | LOCK_NB) == 0;
        flock(gate, LOCK_UN);
        if (got)
            return 0;
        if (wait && wait->stop && wait->stop(wait->data))
            return -EINTR;
        nanosleep(&pause, NULL);
    }
}

/* The machine's lock, shared or (alone) exclusive: a point that waits to
 * run alone goes before any other that waits. */
static int take_machine(const char *dir, int alone, const struct slot_wait *wait, int *out)
{
    int waiting = open_lock(dir, "alone"), gate = open_lock(dir, "gate");
    int machine = open_lock(dir, "machine");
    int rc = waiting < 0 || gate < 0 || machine < 0 ? -1 : 0;
    if (rc == 0)
        rc = alone ? take_alone(waiting, gate, machine, wait)
                   : take_shared(waiting, gate, machine, wait);
    if (waiting >= 0)
        close(waiting); /* no longer waiting */
    if (gate >= 0)
        close(gate); /* the gate open again */
    if (rc && machine >= 0) {
        close(machine);
        machine = -1;
    }
    *out = machine;
    return rc == -EINTR ? rc : 0;
}

/* This process (and the children it starts) favoured: SLOT_TIMING_NICE,
 * if that is higher than it runs at and it may. */
static void boost(struct slot *slot)
{
    errno = 0;
    int before = getpriority(PRIO_PROCESS, 0);
    if (errno == 0 && before > SLOT_TIMING_NICE &&
        setpriority(PRIO_PROCESS, 0, SLOT_TIMING_NICE) == 0)
        slot->nice_before = before;
}

int slots_take(struct slot *slot, int count, enum alone_kind alone, const struct slot_wait *wait)
{
    char dir[PATH_MAX];
    *slot = SLOT_NONE;
    if (lock_dir(dir, sizeof dir) < 0)
        return 0;
    int rc = take_machine(dir, alone != ALONE_NO, wait, &slot->machine_fd);
    if (rc == 0 && alone == ALONE_NO)
        rc = take_one(dir, count > 0 ? count : 1, wait, &slot->slot_fd);
    if (rc == 0 && alone == ALONE_TIMING)
        boost(slot);
    if (rc)
        slots_give_back(slot);
    return rc;
}

void slots_give_back(struct slot *slot)
{
    if (slot->nice_before != SLOT_NOT_BOOSTED)
        setpriority(PRIO_PROCESS, 0, slot->nice_before);
    if (slot->slot_fd >= 0)
        close(slot->slot_fd);
    if (slot->machine_fd >= 0)
        close(slot->machine_fd);
    *slot = SLOT_NONE;
}
