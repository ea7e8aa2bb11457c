/* slots.h: how many points run at once on this machine, whoever runs them.
 *
 * Points are independent (each in namespaces of its own) and most of their
 * time is the kernel's timers, so several run side by side: harness-run
 * --jobs in one scenario, make -j over scenarios. What they share is the
 * CPU, so the machine has a number of slots (slots_default(): what fits
 * it), taken by every harness-run process: a point runs only while it
 * holds one. A point the plan marks to run alone (alone.h: it loads the
 * CPU, or its figures hang on a timer's accuracy) holds the machine's lock
 * exclusively, so nothing else runs beside it; every other point holds it
 * shared, behind a gate that an exclusive waiter closes.
 *
 * The locks are flock()s on files in a directory of this user's
 * ($XDG_RUNTIME_DIR/backlog-lab, else /tmp/backlog-lab-<uid>): the kernel
 * releases them when their holder exits, however it exits, so a killed run
 * never leaves a slot taken. Where the directory cannot be made, points
 * run without them (as before there were any). */
#ifndef HARNESS_SLOTS_H
#define HARNESS_SLOTS_H

#include "alone.h"

/* What a point holds while it runs; fds -1 when not held. */
struct slot {
    int machine_fd, slot_fd;
    int nice_before; /* SLOT_NOT_BOOSTED, or the nice value to go back to */
};

#define SLOT_NOT_BOOSTED 100
#define SLOT_NONE ((struct slot){.machine_fd = -1, .slot_fd = -1, .nice_before = SLOT_NOT_BOOSTED})

/* Points at once that fit this machine: four per CPU (a point mostly
 * waits on the kernel's timers; one that loads the CPU runs alone). */
int slots_default(void);

/* What a wait asks now and then: stop (non-zero) ends it. */
struct slot_wait {
    int (*stop)(void *data);
    void *data;
};

/* How much a timing-sensitive point's processes are favoured while it
 * runs: nice -10 (the children inherit it). What else runs on the machine
 * that no slot holds back (a build, a browser) then waits for them when
 * they wake, rather than they for it. Where the harness may not raise its
 * priority (not root), it runs as it is. */
#define SLOT_TIMING_NICE (-10)

/* Waits for one of count slots (the machine's lock shared), or for the
 * whole machine (alone: exclusive, and a timing-sensitive point favoured,
 * SLOT_TIMING_NICE), and takes it. Returns 0, or -EINTR when wait->stop
 * said to stop (nothing held). A slot that cannot be had (no lock
 * directory) is not waited for. */
int slots_take(struct slot *slot, int count, enum alone_kind alone, const struct slot_wait *wait);

void slots_give_back(struct slot *slot);

#endif
