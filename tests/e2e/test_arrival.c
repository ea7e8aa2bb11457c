/* test_arrival.c: clients that arrive over time (client.arrival),
 * through harness-run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Clients that arrive over time: a constant rate starts connection k at
 * k / rate, never before; a Poisson process with one seed draws the same
 * arrivals in both repeats; arrivals slower than the accepts never wait,
 * faster ones overflow the queue and the dropped wait for a retransmit. */
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
        for (size_t i = 0; i < N && !poisson; i++)
            CHECK(first[i] >= (long long)i * 1000000 / rate - 1000,
                  "constant %lld/s: connection %zu started at %lld us", rate, i, first[i]);
        /* the same seed: the same arrivals, give or take the timers; each
         * counted from its run's first, since the client's own start
         * (exec, the loader, a sanitizer's set-up) moves the whole
         * schedule: 20 and 93 ms under ASan beside the suite */
        for (size_t i = 1; i < N && poisson; i++)
            CHECK(llabs((first[i] - first[0]) - (second[i] - second[0])) < 50000,
                  "poisson: arrival %zu at %lld and %lld us after the first", i,
                  first[i] - first[0], second[i] - second[0]);
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
