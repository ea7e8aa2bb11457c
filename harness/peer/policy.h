/* policy.h: when the server accepts and how fast it reads.
 *
 * The accept policy decides when accept4() is called on the listener the
 * server owns (never through uv_listen, which accepts on its own). The read
 * pacer is a token bucket per connection: bytes_per_sec fill it, two timer
 * periods (at least two chunks) deep, and the reader takes whole chunks out
 * of it, so every recv() asks for `chunk` bytes and the long-run rate holds
 * even when a timer fires late. */
#ifndef HARNESS_POLICY_H
#define HARNESS_POLICY_H

#include <stdint.h>

#include "params.h"

/* Paced accepts: the time of accept number n (0-based), in us since start. */
int64_t accept_policy_time_us(const struct accept_policy *policy, uint64_t n);

struct read_pacer {
    struct read_policy policy;
    int64_t last_us; /* when the bucket was last filled */
    double tokens;   /* bytes that may be read now */
};

/* Starts a pacer at now_us (or its start_us, if later) holding one chunk. */
void read_pacer_init(struct read_pacer *pacer, const struct read_policy *policy, int64_t now_us);

/* Bytes that may be read at now_us: 0 before start_us, else the whole chunks
 * the bucket holds (immediate policies: one chunk, every time). */
uint64_t read_pacer_allowance(struct read_pacer *pacer, int64_t now_us);

/* Takes bytes out of the bucket after a recv() returned them. */
void read_pacer_consume(struct read_pacer *pacer, uint64_t bytes);

/* Timer period for a paced reader: the time one chunk takes at the rate,
 * at least 1 ms (libuv timers count milliseconds). */
uint64_t read_pacer_period_ms(const struct read_policy *policy);

#endif
