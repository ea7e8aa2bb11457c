/* table_read.h: what the table files (table_<kind>.c) share, inside
 * present/ only: reading a results object's fields with the key path in
 * every error, its runs and points, the labels and set prefixes of their
 * series, and the numbers as the tables write them.
 *
 * Errors name the field as "runs[3].summary.connected: missing (expected
 * an integer)"; every function that can fail returns -EINVAL with err
 * filled, or 0. */
#ifndef HARNESS_TABLE_READ_H
#define HARNESS_TABLE_READ_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#include "error.h"

/* ---- fields, with the key path in every error ---- */

/* "an integer", "an object", ...: what a JSON value is, for a message. */
const char *table_type_name(const json_t *value);

/* Fills err for runs[run].path: missing (found NULL) or of the wrong
 * type, expected being what it should be ("an integer"). */
int table_field_error(struct hl_error *err, size_t run, const char *path, const json_t *found,
                      const char *expected);

/* runs[run].path (dotted, below runobj) as an integer. With present
 * non-NULL a null is allowed too: *present 0 and *value 0. */
int table_get_int(const json_t *runobj, size_t run, const char *path, json_int_t *value,
                  int *present, struct hl_error *err);

/* The same, null not allowed. */
int table_need_int(const json_t *runobj, size_t run, const char *path, json_int_t *value,
                   struct hl_error *err);

int table_need_array(const json_t *runobj, size_t run, const char *path, const json_t **array,
                     struct hl_error *err);

/* The sysctl name (dots in it: one key below effective.sysctls). */
int table_need_sysctl(const json_t *runobj, size_t run, const char *name, json_int_t *value,
                      struct hl_error *err);

/* ---- runs and points ---- */

/* The results' "runs" array. */
const json_t *table_runs(const json_t *results);

/* Run `run` of the results, or NULL with err set ("runs[7]: no such run"). */
const json_t *table_run(const json_t *results, size_t run, struct hl_error *err);

/* The run a point summary (aggregate.h) takes its settings from: its
 * first (*index its place in runs[]); every run of a point has the same
 * params. */
const json_t *table_point_first_run(const json_t *results, const json_t *point, size_t *index);

/* The value some run gives the sweep key ("client.sndbuf"), NULL when no
 * run sweeps it. */
const json_t *table_sweep_value(const json_t *results, const char *key);

/* ---- sets: two results files merged by harness-compare (overlay.h) ---- */

/* The set a run belongs to: its label, "A" or "B"; NULL in a results file. */
const char *table_run_set(const json_t *run);

/* What the titles of a run's series start with: "A: " for a run of set A,
 * "" in a results file. Returns buf. */
const char *table_set_prefix(const json_t *run, char *buf, size_t size);

/* ---- labels ---- */

/* Appends text to out for a place between double quotes in a table. */
void table_append_clean(char *out, size_t size, const char *text);

/* The label of a run's point (table_point_label in table.h); with_repeat:
 * ", repeat R" where the scenario repeats. */
void table_label(const json_t *results, const json_t *run, int with_repeat, char *out, size_t size);

/* What tells a run's series apart in a plot of a sweep over several keys:
 * "key=value" for each key the run's sweep varies that is not in skip
 * (NULL-terminated: the keys the plot draws on its axes or names
 * otherwise), joined by ", ", each key shortened to its last part when
 * there are several (as table_label does) and a sysctl always
 * ("tcp_syncookies=1"); a buffer size 0 is "default"
 * (no setsockopt). "" when no other key is swept. Two runs belong to one
 * series when this and their set are the same. */
void table_series_values(const json_t *run, const char *const *skip, char *out, size_t size);

/* The run's label with its repeat, quoted: a series title. */
void table_write_label(FILE *out, const json_t *results, const json_t *run);

/* ---- numbers ---- */

double table_seconds(json_int_t us);

/* " median min max" of a point's summary field (aggregate.h), NaN where
 * unknown; decimals < 0: as many digits as the value needs. */
void table_write_spread_with(FILE *out, const json_t *point, const char *field, int decimals);

/* The same with as many digits as the value needs. */
void table_write_spread(FILE *out, const json_t *point, const char *field);

/* Buffer sizes ascending, with 0 (the kernel default, no setsockopt) after
 * all sizes. */
int table_size_order(json_int_t a, json_int_t b);

#endif
