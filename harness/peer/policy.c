/* policy.c: see policy.h. */
#include "policy.h"

int64_t accept_policy_time_us(const struct accept_policy *policy, uint64_t n)
{
    return policy->start_us + (int64_t)n * policy->every_us;
}

/* Two timer periods' worth, at least two chunks: a libuv timer that fires
 * late (a busy loop, a 1 ms tick for a fast rate) must not lose what the
 * rate allowed meanwhile, yet an idle reader may not bank more. */
static double pacer_depth(const struct read_pacer *pacer)
{
    double per_tick =
        (double)pacer->policy.bytes_per_sec * (double)read_pacer_period_ms(&pacer->policy) / 1000.0;
    double chunk = (double)pacer->policy.chunk;
    return 2 * (per_tick > chunk ? per_tick : chunk);
}

void read_pacer_init(struct read_pacer *pacer, const struct read_policy *policy, int64_t now_us)
{
    pacer->policy = *policy;
    pacer->last_us = now_us > policy->start_us ? now_us : policy->start_us;
    /* one chunk: the first read at start_ms takes a whole chunk, as a
     * reader that calls recv(chunk) every chunk/rate seconds would */
    pacer->tokens = (double)policy->chunk;
}

uint64_t read_pacer_allowance(struct read_pacer *pacer, int64_t now_us)
{
    if (pacer->policy.kind == READ_NEVER || now_us < pacer->policy.start_us)
        return 0;
    if (pacer->policy.kind == READ_IMMEDIATE)
        return pacer->policy.chunk;
    if (now_us > pacer->last_us) {
        pacer->tokens +=
            (double)(now_us - pacer->last_us) * (double)pacer->policy.bytes_per_sec / 1e6;
        pacer->last_us = now_us;
    }
    double depth = pacer_depth(pacer);
    if (pacer->tokens > depth)
        pacer->tokens = depth;
    /* whole chunks only, so every recv() asks for `chunk` bytes */
    uint64_t chunks = (uint64_t)(pacer->tokens / (double)pacer->policy.chunk);
    return chunks * pacer->policy.chunk;
}

void read_pacer_consume(struct read_pacer *pacer, uint64_t bytes)
{
    if (pacer->policy.kind == READ_PACED)
        pacer->tokens -= (double)bytes;
}

uint64_t read_pacer_period_ms(const struct read_policy *policy)
{
    if (policy->kind != READ_PACED || policy->bytes_per_sec == 0)
        return 1;
    uint64_t ms = policy->chunk * 1000 / policy->bytes_per_sec;
    return ms ? ms : 1;
}
