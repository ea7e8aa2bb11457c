/* test_policy.c: accept times and the read pacer's token bucket (policy.h). */
#include "check.h"
#include "policy.h"

static struct read_policy paced(int64_t start_us, uint64_t rate, uint64_t chunk)
{
    return (struct read_policy){READ_PACED, start_us, rate, chunk};
}

/* The bucket's depth as policy.h describes it: two timer periods' worth of
 * bytes, at least two chunks. */
static double depth_of(const struct read_policy *policy)
{
    double per_tick = (double)policy->bytes_per_sec * (double)read_pacer_period_ms(policy) / 1000.0;
    return 2 * (per_tick > (double)policy->chunk ? per_tick : (double)policy->chunk);
}

static void test_accept_times(void)
{
    struct accept_policy a = {ACCEPT_PACED, 500000, 100000};
    CHECK_INT(accept_policy_time_us(&a, 0), 500000);
    CHECK_INT(accept_policy_time_us(&a, 1), 600000);
    CHECK_INT(accept_policy_time_us(&a, 9), 1400000);
    struct accept_policy now = {ACCEPT_PACED, 0, 1000};
    CHECK_INT(accept_policy_time_us(&now, 0), 0);
    CHECK_INT(accept_policy_time_us(&now, 100000), 100000000);
}

static void test_period(void)
{
    struct read_policy p = paced(0, 65536, 4096);
    CHECK_INT(read_pacer_period_ms(&p), 62); /* 62.5 ms, in whole ms */
    p = paced(0, 1024, 65536);
    CHECK_INT(read_pacer_period_ms(&p), 64000);
    p = paced(0, 100000000, 1024); /* 10 us per chunk: at least 1 ms */
    CHECK_INT(read_pacer_period_ms(&p), 1);
    struct read_policy never = {READ_NEVER, 0, 0, 65536};
    CHECK_INT(read_pacer_period_ms(&never), 1);
}

static void test_unpaced(void)
{
    struct read_pacer pacer;
    struct read_policy never = {READ_NEVER, 0, 0, 65536};
    read_pacer_init(&pacer, &never, 0);
    CHECK_INT(read_pacer_allowance(&pacer, 0), 0);
    CHECK_INT(read_pacer_allowance(&pacer, 1000000000), 0);
    struct read_policy immediate = {READ_IMMEDIATE, 0, 0, 65536};
    read_pacer_init(&pacer, &immediate, 0);
    CHECK_INT(read_pacer_allowance(&pacer, 0), 65536);
    read_pacer_consume(&pacer, 65536);
    CHECK_INT(read_pacer_allowance(&pacer, 0), 65536);
}

static void test_bucket(void)
{
    struct read_pacer pacer;
    struct read_policy policy = paced(0, 65536, 4096);
    read_pacer_init(&pacer, &policy, 0);
    /* starts with one chunk (policy.h) */
    CHECK_INT(read_pacer_allowance(&pacer, 0), 4096);
    read_pacer_consume(&pacer, 4096);
    CHECK_INT(read_pacer_allowance(&pacer, 0), 0);
    /* refills at the rate, and gives whole chunks only: 10 ms at 64 KiB/s
     * is 655 bytes, not a chunk; 62.5 ms is exactly one */
    CHECK_INT(read_pacer_allowance(&pacer, 10000), 0);
    CHECK_INT(read_pacer_allowance(&pacer, 62500), 4096);
    /* an idle reader does not bank more than the depth (two chunks here) */
    CHECK_INT(read_pacer_allowance(&pacer, 60000000), 8192);
    /* a short read leaves the rest in the bucket */
    read_pacer_consume(&pacer, 100);
    CHECK_INT(read_pacer_allowance(&pacer, 60000000), 4096);

    /* before start_us nothing may be read, whenever the pacer was made */
    policy = paced(200000, 65536, 4096);
    read_pacer_init(&pacer, &policy, 0);
    CHECK_INT(read_pacer_allowance(&pacer, 0), 0);
    CHECK_INT(read_pacer_allowance(&pacer, 199999), 0);
    CHECK_INT(read_pacer_allowance(&pacer, 200000), 4096);
    read_pacer_consume(&pacer, read_pacer_allowance(&pacer, 200000));
    CHECK_INT(read_pacer_allowance(&pacer, 210000), 0);
    CHECK_INT(read_pacer_allowance(&pacer, 262500), 4096);

    /* a rate above one chunk per 1 ms tick: two ticks' worth, in chunks */
    policy = paced(0, 100000000, 1024);
    read_pacer_init(&pacer, &policy, 0);
    read_pacer_consume(&pacer, read_pacer_allowance(&pacer, 0));
    CHECK_INT(read_pacer_allowance(&pacer, 10000000), 199680);
}

/* Reads for 10 s from start_us as the server does: a timer every
 * read_pacer_period_ms (late by up to late_us, when given) takes all the
 * pacer allows or, with short_reads, now and then only half (the kernel had
 * less queued: the reader is ahead of the sender). Returns the bytes read;
 * *largest gets the largest single allowance. */
static uint64_t read_for_ten_seconds(const struct read_policy *policy, int64_t late_us,
                                     int short_reads, uint64_t *largest)
{
    struct read_pacer pacer;
    uint64_t total = 0;
    int64_t period_us = (int64_t)read_pacer_period_ms(policy) * 1000;
    int64_t end_us = policy->start_us + 10000000;
    unsigned seed = 12345;
    *largest = 0;
    read_pacer_init(&pacer, policy, 0);
    for (int64_t tick = policy->start_us; tick <= end_us; tick += period_us) {
        seed = seed * 1103515245u + 12345u;
        int64_t t = tick + (late_us ? (int64_t)((seed >> 8) % (unsigned)late_us) : 0);
        uint64_t allowance = read_pacer_allowance(&pacer, t);
        if (allowance > *largest)
            *largest = allowance;
        uint64_t got = short_reads && (seed >> 16) % 4 == 0 ? allowance / 2 : allowance;
        read_pacer_consume(&pacer, got);
        total += got;
    }
    return total;
}

/* A reader on time reads at the rate; a late or starved one never reads
 * faster than the rate; no single allowance ever exceeds the bucket's
 * depth. */
static void test_rate_over_time(void)
{
    const struct read_policy policies[] = {paced(0, 65536, 4096),        paced(0, 16384, 1024),
                                           paced(500000, 1048576, 1024), paced(0, 1000, 65536),
                                           paced(0, 50000000, 4096),     paced(0, 4194304, 4096)};
    for (size_t k = 0; k < sizeof policies / sizeof policies[0]; k++) {
        const struct read_policy *policy = &policies[k];
        double depth = depth_of(policy);
        uint64_t largest;
        /* 10 s at the rate, give or take one bucket, one period, and 0.1 %
         * for fractions of a byte cut off at the bucket's brim */
        double expected = (double)policy->bytes_per_sec * 10.0;
        double period_bytes =
            (double)policy->bytes_per_sec * (double)read_pacer_period_ms(policy) / 1000.0;
        double slack = depth + period_bytes + expected / 1000.0;
        uint64_t total = read_for_ten_seconds(policy, 0, 0, &largest);
        if ((double)total > expected + slack || (double)total < expected - slack)
            fprintf(stderr, "policy %zu: read %llu bytes in 10 s, expected %.0f +- %.0f\n", k,
                    (unsigned long long)total, expected, slack);
        CHECK((double)total <= expected + slack);
        CHECK((double)total >= expected - slack);
        CHECK((double)largest <= depth);

        for (int late_us = 0; late_us <= 3000; late_us += 1000) {
            total = read_for_ten_seconds(policy, late_us, 1, &largest);
            CHECK((double)total <= expected + slack);
            CHECK((double)largest <= depth);
        }
    }
}

int main(void)
{
    test_accept_times();
    test_period();
    test_unpaced();
    test_bucket();
    test_rate_over_time();
    return check_exit();
}
