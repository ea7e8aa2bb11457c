/* derived.h: what a results file derives from its runs.
 *
 * Beside its runs a results file holds "point_summaries" (aggregate.h:
 * per point the median, min and max of every summary number over its
 * repeats, the kernel's predictions and the flags where a measurement
 * departs from them) and "sampling_limits" (the caps on what the peers
 * sample, params.h). The runner adds each point's summary as the point
 * ends; a merge of two halves adds both at once. */
#ifndef HARNESS_DERIVED_H
#define HARNESS_DERIVED_H

#include <jansson.h>
#include <stddef.h>

/* The point summary of one point's runs, whose first is
 * runs[first_index] of the results (new reference). */
json_t *results_point_summary(const json_t *point_runs, size_t first_index);

/* Adds by to the run indexes a point summary holds (its "runs", and the
 * "run" of its flags): the summary of runs that moved in the results'
 * "runs" (shards joined). */
void results_point_summary_shift(json_t *point, json_int_t by);

/* The sampling caps for "sampling_limits" (new reference). */
json_t *results_sampling_limits(void);

/* Adds "point_summaries" and "sampling_limits" to a results object, from
 * all its runs. */
void results_add_derived(json_t *results);

#endif
