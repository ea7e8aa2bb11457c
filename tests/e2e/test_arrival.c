/* test_arrival.c: clients that arrive over time (client.arrival),
 * through harness-run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arrival.h"
#include "e2e.h"

/* The start of each connection (start_us), in order. */
static void starts(json_t *run, long long *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char path[64];
        snprintf(path, sizeof path, "connections.%zu.start_us", i);
        out[i] = jint(run, path);
    }
}

/* Clients that arrive over time: connection k starts at its arrival time
 * after the client's start, never before: k / rate, or the Poisson
 * process's k-th arrival drawn from the seed, the same in both repeats; arrivals slower than the
 * accepts never wait, faster ones overflow the queue and the dropped wait for a retransmit. */
int test_arrivals(void)
{
    enum { N = 40 };
    json_t *r = e2e_run_results("arrivals");
    long long first[N], second[N];
    if (!r)
        return 1;
    CHECK_EQ(json_array_size(jget(r, "runs")), 8, "runs (2 processes x 2 rates x 2 repeats)");
    for (size_t k = 0; k < 8; k += 2) {
        json_t *run = json_array_get(jget(r, "runs"), k);
        long long rate = jint(run, "params.client.arrival.rate_per_sec");
        const char *process = json_string_value(jget(run, "params.client.arrival.process"));
        int poisson = process && strcmp(process, "poisson") == 0;
        CHECK_EQ(jint(run, "params.client.arrival.seed"), 7, "the seed recorded");
        CHECK_EQ(jint(run, "summary.attempted"), N, "attempted");
        starts(run, first, N);
        starts(json_array_get(jget(r, "runs"), k + 1), second, N);
        /* the schedule the seed draws, counted from the client's start,
         * which comes after the runner spawned it (client_started_us): no
         * arrival of either repeat starts before its drawn time. A Poisson
         * process drawn from another seed would start some earlier. (How
         * late each starts is the machine's: a sanitizer beside the suite
         * delays a timer by tens of milliseconds.) */
        struct arrival want = {poisson ? ARRIVAL_POISSON : ARRIVAL_CONSTANT, (uint32_t)rate, 7};
        struct arrival_clock clock;
        arrival_clock_start(&clock, &want);
        long long from[2] = {jint(run, "effective.start_order.client_started_us"),
                             jint(json_array_get(jget(r, "runs"), k + 1),
                                  "effective.start_order.client_started_us")};
        for (size_t i = 0; i < N; i++) {
            long long due = arrival_clock_next(&clock);
            CHECK(first[i] >= from[0] + due - 1000 && second[i] >= from[1] + due - 1000,
                  "%s %lld/s: arrival %zu at %lld and %lld us, drawn for %lld us after the "
                  "client's start (%lld, %lld)",
                  process, rate, i, first[i], second[i], due, from[0], from[1]);
        }
        if (rate == 50)
            CHECK_EQ(jint(run, "summary.waited"), 0, "50/s against 100 accepts/s: none waited");
        if (rate == 200 && !poisson)
            CHECK(jint(run, "summary.waited") > 0, "200/s against 100/s: some waited");
        /* a dropped SYN is retransmitted at 1 s at the earliest (a tick early) */
        if (jint(run, "summary.waited") > 0)
            CHECK(jint(run, "summary.connect_us.max") >= 990000, "the slowest connect took %lld us",
                  jint(run, "summary.connect_us.max"));
    }
    json_decref(r);
    return e2e_failures != 0;
}
