/* plan.h: what a scenario will run, before anything runs (harness-run
 * --plan).
 *
 * A plan lists every point of the sweep (first key outermost, as the runner
 * goes) with its swept values and every resolved value, the runs it makes
 * (repeat), and how long they take. The time is derived from how a run
 * ends, not guessed: a run stops when its work is done or at duration_ms,
 * whichever comes first, so duration_ms bounds every run. Some work cannot
 * be done before a known time: a server that never accepts or never reads,
 * or a client that holds its connections to the end, never finishes (the
 * run lasts exactly duration_ms); a paced reader needs (bytes - chunk) /
 * bytes_per_sec for each connection's bytes; a held connection stays
 * hold_ms; over a shaped link (topology veth) the bytes need at least
 * their size over link.rate_mbit and a handshake a round trip of twice
 * link.delay_ms. Anything else may end at once, so its time is "at most
 * duration_ms". A point also lists the qdiscs its link needs ("netem",
 * "tbf"): a kernel without one skips it; and whether it runs alone, with
 * nothing else on the machine (alone.h), and why. Setting up a run (a
 * network namespace, two processes) adds a few milliseconds that the plan
 * does not count.
 *
 * The plan is one JSON model (plan_build, in plan.c); the text form is
 * printed from it (plan_print, in plan_print.c), so the two never
 * disagree. */
#ifndef HARNESS_PLAN_H
#define HARNESS_PLAN_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "params.h"
#include "scenario.h"

#define PLAN_FORMAT "backlog-lab plan 1"

/* How long one run of a point lasts: from min_us to max_us. */
struct plan_duration {
    int64_t min_us;    /* the work cannot be done sooner (0: it may end at once) */
    int64_t max_us;    /* duration_ms: no run lasts longer */
    char because[160]; /* why min_us: "the server never accepts", or "" */
};

/* The duration of a run of the point p. */
void plan_point_duration(const struct point_params *p, struct plan_duration *out);

/* The plan of a loaded scenario (new reference in *plan):
 * {"format", "scenario_file", "name", "description", "points", "repeat",
 *  "runs", "sweep": [paths], "plots", "min_ms", "max_ms",
 *  "plan": [{"point", "sweep": {path: value}, "params", "runs",
 *            "min_ms", "max_ms", "because", "needs", "alone": why or null}]}.
 * Each run of a point lasts from its min_ms to its max_ms; the top-level
 * min_ms and max_ms add up every run (set-up aside). */
int plan_build(const struct scenario *scenario, json_t **plan, struct hl_error *err);

/* Prints a plan as a table: one row per point with its swept values, runs
 * and time, then the total. verbose: every resolved value of each point
 * too, one "key.path = value" line each. */
void plan_print(FILE *out, const json_t *plan, int verbose);

/* "1.7 s", "600 ms", "3 min 20 s" for a duration in milliseconds. */
const char *plan_format_ms(int64_t ms, char *out, size_t size);

/* A time from min_ms to max_ms as the plan says it: "2.0 s" (both the
 * same), "1.0 s to 2.0 s", or "at most 2.0 s" (min_ms 0). Returns out. */
const char *plan_format_range(int64_t min_ms, int64_t max_ms, char *out, size_t size);

#endif
