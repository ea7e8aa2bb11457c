/* table.h: results JSON -> the plain data tables that the gnuplot scripts
 * in plot/ read, one table per kind of plot (plotkind.h: each kind's own
 * table_<kind>.c says what its columns are).
 *
 * gnuplot should not parse JSON, and a student should be able to open a
 * table and check a plot against it, so each table is whitespace-separated
 * text: its first line a `#` comment naming the columns with their units,
 * strings (point labels, series titles) double-quoted. Tables with several
 * series separate them with two blank lines (gnuplot's `index`); a series
 * starts with a quoted line that the script uses as its title
 * (`title columnheader(1)`).
 *
 * The tables read a results object as results.h writes it and check every
 * field they use: on a missing or mistyped field they return -EINVAL with
 * err->where the key path ("runs[3].summary.connected") and write nothing
 * useful; the caller should discard what was written. This header holds
 * what the programs ask about results and plot names whatever the kind. */
#ifndef HARNESS_TABLE_H
#define HARNESS_TABLE_H

#include <jansson.h>
#include <stddef.h>

#include "error.h"

/* Checks what every kind needs: "name", "plots" (known kinds only) and a
 * non-empty "runs" array of objects with "point", "sweep" and "summary". */
int table_check(const json_t *results, struct hl_error *err);

/* Whether base (a file name without its .png, .svg or .dat) is named like
 * the output of a known kind: "<kind>", or "<kind>-p<N>" for a timeline of
 * point N. Only such files are ever removed as stale (harness-plot). */
int table_plot_name_known(const char *base);

/* Where the plot base ("transfer-p4", "latency") stands in the registry's
 * order of kinds (plotkinds.h: the plots that answer a scenario's question
 * first, the timelines after them), -1 when it names no known kind: the
 * order the pages show plots in, whatever order a results file lists
 * them in. */
int table_plot_rank(const char *base);

/* Whether the results' plots list implies the plot base: a kind of the
 * list; a timeline kind as "<kind>-p<N>" for a point N of its runs, or
 * as "<kind>" alone when the results have one point. Results without runs
 * imply none. What the report shows, and what harness-plot -p N keeps. */
int table_plot_implied(const json_t *results, const char *base);

/* The label of a run's point, as written in the tables: its sweep values
 * ("server.backlog=4"; with several keys each shortened to its last part
 * unless that is ambiguous: "backlog=4, somaxconn=2"), "(no sweep)" when the
 * scenario sweeps nothing, with ", repeat R" when the scenario repeats. */
void table_point_label(const json_t *results, const json_t *run, char *out, size_t size);

/* Which runs the timelines (the kinds drawn per point) draw: the first run
 * (repeat) of each point, in point order. Fills at most max indexes into
 * runs[] (which may be NULL when max is 0) and returns how many points
 * there are in all. */
size_t table_timeline_runs(const json_t *results, size_t *runs, size_t max);

#endif
