/* common.h: the two things every bench/ program needs and none of them
 * measures: a monotonic clock and a loopback that is up in the network
 * namespace it made for itself. Kept apart from the harness's modules so
 * that the minimal references stay minimal: they link only this (and the
 * harness's option parser, harness_base, to read their command line). */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <stdint.h>

/* CLOCK_MONOTONIC in nanoseconds. */
int64_t bench_now_ns(void);

/* Brings "lo" up in the current network namespace. Returns 0 or -1 (errno
 * set). */
int bench_loopback_up(void);

#endif
