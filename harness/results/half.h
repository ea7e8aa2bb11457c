/* half.h: one side of a run made by hand, and two sides joined.
 *
 * On two machines nobody runs harness-run: harness-server runs on one,
 * harness-client on the other. Given --results FILE, each writes its half
 * of a run:
 *
 *   {"format": "backlog-lab half 1", "role": "server" | "client",
 *    "params", "scenario_file", "scenario", "point", "sweep" (when made
 *    from a scenario with --scenario), "address" (--listen / --connect),
 *    "ready" (server: port, effective backlog and buffers), "events" (its
 *    event log), "kernel" (counter deltas of its own network namespace over
 *    its run), "sysctls" (in force there), "environment" (as in results,
 *    plus boot_id and netns), "clock": {"start_ns" (CLOCK_MONOTONIC, what
 *    its t_us count from), "start_realtime_us" (CLOCK_REALTIME at the same
 *    moment)}}
 *
 * and harness-run --merge joins a server half and a client half into a
 * results file of one run (or several such pairs, the repeats of one
 * point, into that point's runs), built by results_run_from_events as harness-run
 * builds its own. Each side stamps its events from its own start. Halves
 * of one machine (the same boot_id) share CLOCK_MONOTONIC, so the merge
 * moves the client's moments onto the server's start and the two sides'
 * times compare as in a runner-made file; across machines each side's
 * times stay its own, and only durations within one side compare (see
 * half_merge). */
#ifndef HARNESS_HALF_H
#define HARNESS_HALF_H

#include <jansson.h>
#include <stdint.h>

#include "counters.h"
#include "error.h"
#include "params.h"

#define HALF_FORMAT "backlog-lab half 1"

struct half {
    const char *role; /* "server" or "client" */
    const char *path; /* where the half goes */
    struct point_params params;
    json_t *origin; /* scenario_file, scenario, point, sweep; or NULL */
    const char *address;
    int64_t start_ns, start_realtime_us;
    struct counters before;
};

/* Notes the start (start_ns on CLOCK_MONOTONIC, and the realtime clock at
 * that moment) and the counters of this namespace. origin (taken over)
 * says which scenario point the params came from, or is NULL. Fails when
 * path's directory cannot be written, before anything runs. */
int half_begin(struct half *half, const char *role, const char *path,
               const struct point_params *params, json_t *origin, const char *address,
               int64_t start_ns, struct hl_error *err);

/* A temporary file for the event log when --results is given without
 * --events (the events go into the half). */
int half_temp_events(char *path, size_t size, struct hl_error *err);

/* Reads the side's event log (events_path) and writes the half, with ready
 * (the server's ready info, or NULL; not taken over), atomically. */
int half_finish(struct half *half, const char *events_path, json_t *ready, struct hl_error *err);

/* Joins pairs of halves into a results object (new reference in
 * *results): paths holds pairs server half, client half; each pair is a
 * run, the pairs in order its repeats 0, 1, ... of one point. The halves
 * of a pair must be of one point: the same scenario (by content), point
 * and sweep values, or both made without --scenario; any other pair is
 * refused (-EINVAL, err says what differs). Every pair must be of the
 * first pair's point, with its params, no half given twice, and made
 * from a scenario no more pairs than its "repeat". The runs carry that
 * point's index and sweep values and their repeat, and the file "points"
 * and "repeat" as a runner-made file of the scenario says them (without
 * one: 1 point, as many repeats as pairs), so harness-compare matches the
 * runs to the runner's same point.
 *
 * When both halves of a pair come from one network namespace of one
 * machine (same boot_id and netns), its run's summary.kernel is the
 * server's counters, which span the client's run; otherwise the two
 * namespaces' deltas are added up and kept apart in summary.kernel_server
 * and summary.kernel_client, as for topology veth. environment.by_hand
 * holds the first pair's environments and clocks, and with more than one
 * pair by_hand.repeats each pair's. */
int half_merge(char *const *paths, size_t pairs, json_t **results, struct hl_error *err);

#endif
