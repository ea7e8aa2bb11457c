/* sweep.h: a scenario's "sweep" and the points it expands into.
 *
 * sweep.c reads the "sweep" object: which key paths vary (keys_sweepable,
 * or "sysctls.<name>") and their lists of values, and counts the points:
 * the cartesian product of the lists, first key outermost. A path the
 * scenario also sets, to a value none of the sweep's values equals, gets a
 * note in s->notes: that value never runs.
 *
 * points.c makes a point: it copies the scenario's point keys, sets each
 * swept path to the value the point picks, and validates the result with
 * params_validate(), telling the validator which paths a sweep replaced so
 * that an error names the element of "sweep" that supplied the value. */
#ifndef HARNESS_SWEEP_H
#define HARNESS_SWEEP_H

#include <jansson.h>
#include <stddef.h>

#include "error.h"
#include "params.h"
#include "scenario.h"
#include "validator.h"

/* Reads sweep (NULL: none) into s->sweep and s->sweep_count, sets
 * s->point_count and adds to s->notes; s->repeat must be set. Returns 0 or
 * -EINVAL. */
int scenario_sweep_parse(struct scenario *s, struct validator *v, json_t *sweep);

/* The sweep index of each key for point number index: the last key changes
 * fastest, so the first key is the outermost loop. */
void scenario_point_indexes(const struct scenario *s, size_t index, size_t *indexes);

/* Builds and validates the point whose sweep key k takes value
 * indexes[k]; indexes NULL: the scenario's base, without its sweep. When
 * cross_key is given, *cross_key tells whether a failure came from a check
 * between two keys (one that only some combinations break). */
int scenario_combination(const struct scenario *s, const size_t *indexes,
                         struct point_params *params, int *cross_key, struct hl_error *err);

/* Validates every sweep value (the other keys at their first value), in
 * the order of the file, then every point; an error between two keys is
 * named by the point that made it. */
int scenario_check_points(const struct scenario *s, struct hl_error *err);

#endif
