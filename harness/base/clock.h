/* clock.h: the run's one time base.
 *
 * CLOCK_MONOTONIC is shared by every process on a host, so the runner picks
 * one start time and hands it to the server and the client; each stamps its
 * events in microseconds since that start. */
#ifndef HARNESS_CLOCK_H
#define HARNESS_CLOCK_H

#include <stdint.h>

/* CLOCK_MONOTONIC now, in nanoseconds. */
int64_t clock_now_ns(void);

/* Microseconds from start_ns to now (negative before the start). */
int64_t clock_since_us(int64_t start_ns);

#endif
