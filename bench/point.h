/* point.h: one point of the harness, run by harness-run under
 * `bench-run --peak` on a scenario given as JSON text, and the figures
 * read from its results file (the first run: a point of bench-run's has
 * one). */
#ifndef BENCH_POINT_H
#define BENCH_POINT_H

#include <jansson.h>

#include "bench.h"

struct point {
    json_t *results;
    long maxrss_kib;      /* the largest peak RSS of runner, server and client */
    double built_seconds; /* "results ... built and written in S s" */
    char output[512];     /* the results file, removed by point_free() */
};

/* Runs the scenario; 0 with *p filled, or -1 (said on stderr). Free *p
 * with point_free() when it returned 0. */
int point_run(struct bench *b, const char *scenario, struct point *p);

void point_free(struct point *p);

/* The run's summary[key]. */
long long point_summary_int(const struct point *p, const char *key);

/* The run's connections, an array. */
json_t *point_connections(const struct point *p);

/* connection[key], a connection of point_connections(). */
long long point_connection_int(json_t *connection, const char *key);

/* What sampling and the event log took, in percent of the CPU time of
 * server and client: where the CPU is the bottleneck, what the figure
 * would gain without them. -1 without CPU time. */
double point_observed_percent(const struct point *p);

/* Writes text to path, a scratch file of this run (a scenario). 0 or -1. */
int point_write_scratch(const char *path, const char *text);

#endif
