/* aggregate.h: per point, what its repeats measured beside what the
 * kernel's rules predict.
 *
 * A scenario runs each point `repeat` times and results.runs keeps every
 * run. aggregate_points() adds one object per point (results.point_summaries
 * in the results file, and what every sweep plot draws):
 *
 *   {"point", "sweep", "runs": [indexes into runs], "repeats",
 *    "summary": {"connected": {"n", "median", "min", "max"}, ...},
 *    "predictions": {...}, "flags": [...]}
 *
 * "summary" holds every number of the runs' summaries, the union of their
 * keys ("kernel.TCPSynRetrans" for nested ones, 0 in a run whose object
 * lacks it: a run lists the counters that changed; null values are left
 * out of n) and a few derived ones
 * (achieved_bytes_per_sec: bytes_read / elapsed; blocked_fraction:
 * blocked_us / elapsed_us per connection that connected; accept_queue_max,
 * recv_queue_max and send_queue_max: the largest sampled queues).
 * The median of an even count is the mean of the two middle values.
 *
 * "predictions" (predict.h), where the rule applies to the point:
 *   connected     exact: min(B, somaxconn) + 1, when the server listens and
 *                 never accepts;
 *   bytes_sent    at_most: connections x (SO_SNDBUF + 1.5 x SO_RCVBUF),
 *                 when the server never reads;
 *   connect_us    timer: the SYN retransmit times and the ETIMEDOUT time
 *                 from the run's tcp_syn_retries and tcp_syn_linear_timeouts,
 *                 when some connection waited for a retransmit.
 *
 * A flag says a measurement departs from its prediction by more than the
 * run's own spread allows:
 *   exact    any repeat differs (the kernel guarantees the count, so a
 *            spread is itself a departure);
 *   at_most  the median exceeds the bound by more than the spread (max -
 *            min over the repeats; 0 with one repeat);
 *   timer    a connection that waited (200 ms or more) connected, was
 *            refused or timed out (by the kernel) at a time that matches no
 *            predicted time within the timers' tolerance (predict.h): one
 *            flag per such connection, naming its run and index.
 * Flags are {"field", "predicted", "measured", "spread", "tolerance", ...}. */
#ifndef HARNESS_AGGREGATE_H
#define HARNESS_AGGREGATE_H

#include <jansson.h>
#include <stdint.h>

/* A connection that took this long to connect waited for a SYN retransmit
 * (the first comes after about 1 s). */
#define AGGREGATE_WAITED_US 200000

/* One object per point, in point order (new reference). runs: the
 * results' runs array; fields a run lacks are skipped, not errors. Of a
 * run it reads point, sweep, params, effective, summary and samples, and
 * of each connection in connections outcome, timeout_by, start_us and
 * outcome_us, and only of those aggregate_conn_checked() names: a caller
 * holding connections in another form may put null for the others. */
json_t *aggregate_points(const json_t *runs);

/* Whether the connect_us prediction checks a connection of this outcome,
 * timeout_by (or NULL) and latency (outcome_us - start_us): one that
 * waited for a SYN retransmit and connected or was refused, or that the
 * kernel timed out. */
int aggregate_conn_checked(const char *outcome, const char *timeout_by, int64_t latency_us);

/* The connect_us prediction of a run, {"retransmits_us", "timeout_us",
 * "kind", "rule"} as in "predictions", whether or not a connection waited
 * (the latency plot draws it for every run); NULL when the run's (client
 * side's) sysctls lack tcp_syn_retries. New reference. */
json_t *aggregate_connect_prediction(const json_t *run);

/* Follows a key path through objects and arrays ("summary.connected",
 * "blocks[2].end_us"): each '.'-separated part is one key, optionally
 * followed by [index]. NULL where a part is missing. */
const json_t *aggregate_path(const json_t *obj, const char *path);

/* The object of point `point` in an aggregate_points() array, or NULL. */
json_t *aggregate_find(const json_t *points, long long point);

/* summary.<field>.<stat> of a point object as a number; 0 and *known = 0
 * when absent. stat: "median", "min", "max". */
double aggregate_stat(const json_t *point, const char *field, const char *stat, int *known);

/* Whether a point has a flag on field. */
int aggregate_flagged(const json_t *point, const char *field);

#endif
