/* policy.c: see policy.h. */
#include "policy.h"

int64_t accept_policy_time_us(const struct accept_policy *policy, uint64_t n)
{
    return policy->start_us + (int64_t)n * policy->every_us;
}

void read_pacer_init(struct read_pacer *pacer, const struct read_policy *policy, int64_t now_us)
{
    pacer->policy = *policy;
    pacer->last_us = now_us > policy->start_us ? now_us : policy->start_us;
    pacer->tokens = 0;
}

static double pacer_depth(const struct read_pacer *pacer)
{
    /* one chunk, or one timer period's worth when that is more (a fast
     * rate with a small chunk reads several chunks per 1 ms tick) */
    double per_tick =
        (double)pacer->policy.bytes_per_sec * (double)read_pacer_period_ms(&pacer->policy) / 1000.0;
    double chunk = (double)pacer->policy.chunk;
    return per_tick > chunk ? per_tick : chunk;
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
    return pacer->tokens < 1 ? 0 : (uint64_t)pacer->tokens;
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
