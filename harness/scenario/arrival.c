/* arrival.c: see arrival.h. */
#include "arrival.h"

#include <math.h>

/* splitmix64: small, fast and the same everywhere, so that a seed gives
 * the same arrivals on any machine. */
static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Uniform in (0, 1]: 53 random bits, never 0 (its log is finite). */
static double uniform(uint64_t *state)
{
    return ((double)(next_random(state) >> 11) + 1.0) / 9007199254740992.0;
}

void arrival_clock_start(struct arrival_clock *clock, const struct arrival *arrival)
{
    clock->arrival = *arrival;
    clock->state = arrival->seed;
    clock->issued = 0;
    clock->at_us = 0;
}

int64_t arrival_clock_next(struct arrival_clock *clock)
{
    const struct arrival *a = &clock->arrival;
    uint64_t k = clock->issued++;
    if (a->kind == ARRIVAL_ALL || a->rate_per_sec == 0)
        return 0;
    if (a->kind == ARRIVAL_CONSTANT)
        return (int64_t)(k * 1000000 / a->rate_per_sec);
    clock->at_us += -log(uniform(&clock->state)) * 1e6 / a->rate_per_sec;
    return (int64_t)clock->at_us;
}
