/* arrival.h: when the client's connections arrive (client.arrival): all
 * at once, at a constant rate, or as a Poisson process at a rate, seeded
 * so that a run can be repeated arrival for arrival. The schedule is
 * computed here, below the peer that follows it and the results that
 * predict from it. */
#ifndef HARNESS_ARRIVAL_H
#define HARNESS_ARRIVAL_H

#include <stdint.h>

enum arrival_kind { ARRIVAL_ALL, ARRIVAL_CONSTANT, ARRIVAL_POISSON };

struct arrival {
    enum arrival_kind kind;
    uint32_t rate_per_sec; /* constant, poisson: arrivals per second */
    uint64_t seed;         /* poisson: the generator's seed */
};

/* The schedule as it unrolls: arrival k (from 0) at arrival_clock_next(). */
struct arrival_clock {
    struct arrival arrival;
    uint64_t state; /* the generator's (splitmix64) */
    uint64_t issued;
    double at_us;
};

void arrival_clock_start(struct arrival_clock *clock, const struct arrival *arrival);

/* The time of the next arrival, in us since the run's start (0 for every
 * arrival of ARRIVAL_ALL); each call moves on by one. A constant rate
 * puts arrival k at k / rate; a Poisson process draws each gap from the
 * exponential distribution of mean 1 / rate, the first one included. */
int64_t arrival_clock_next(struct arrival_clock *clock);

#endif
