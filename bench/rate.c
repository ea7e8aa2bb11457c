/* rate.c: the connection-rate rows, the harness against the epoll
 * reference (see bench_rate in bench.h). */
#include <stdio.h>

#include "bench.h"
#include "command.h"
#include "point.h"

/* connections/s over the run's first start_us to its last closed_us, or
 * -1 unless every connection connected. */
static double connections_per_second(const struct point *p)
{
    json_t *c;
    long long first = -1, last = -1;
    size_t i;
    json_array_foreach(point_connections(p), i, c)
    {
        if (first < 0 || point_connection_int(c, "start_us") < first)
            first = point_connection_int(c, "start_us");
        if (point_connection_int(c, "closed_us") > last)
            last = point_connection_int(c, "closed_us");
    }
    if (point_summary_int(p, "connected") != RATE_CONNECTIONS || last <= first)
        return -1;
    return (double)point_summary_int(p, "attempted") / ((double)(last - first) / 1e6);
}

/* connections/s, and in *observed point_observed_percent() */
static double harness_rate(struct bench *b, double *observed)
{
    char scenario[512];
    struct point p;
    snprintf(scenario, sizeof scenario,
             "{\"name\": \"bench-rate\", \"server\": {\"backlog\": 4096}, \"client\": "
             "{\"connections\": %d, \"concurrency\": %d}, \"duration_ms\": 60000}",
             RATE_CONNECTIONS, RATE_CONCURRENCY);
    if (point_run(b, scenario, &p))
        return -1;
    double rate = connections_per_second(&p);
    *observed = point_observed_percent(&p);
    point_free(&p);
    return rate;
}

static double connect_reference(const struct bench *b)
{
    char program[512], n[16], k[16];
    struct command_result r;
    command_program_path(b->build_dir, "bench-connect-reference", program, sizeof program);
    snprintf(n, sizeof n, "%d", RATE_CONNECTIONS);
    snprintf(k, sizeof k, "%d", RATE_CONCURRENCY);
    char *argv[] = {program, "--connections", n, "--concurrency", k, NULL};
    double v = command_run(argv, &r) == 0 ? command_key_value(r.out.text, "per_sec") : -1;
    command_result_free(&r);
    return v;
}

void bench_rate(struct bench *b)
{
    double h[MAX_REPEAT], ref[MAX_REPEAT], observed[MAX_REPEAT];
    for (int k = 0; k < b->repeat; k++) {
        h[k] = harness_rate(b, &observed[k]);
        ref[k] = connect_reference(b);
    }
    figures_add_paired(&b->figures, "connections/s, 64 in flight", h, "conn/s", "epoll C reference",
                       ref, b->repeat, AT_LEAST, 0.8);
    /* the same runs; not CPU-bound on two CPUs, so the share of CPU is
     * more than the share of the rate (see the with-and-without row) */
    figures_add(&b->figures, "observed: CPU share, 20k connections",
                figures_median(observed, b->repeat), "%", "limit (info)", 2, INFO, 0);
}
