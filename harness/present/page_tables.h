/* page_tables.h: the tables the pages show (report.h), from a results
 * file's point summaries or a comparison (compare.h), written as HTML
 * (cells.h shows each value):
 *
 *   environment  one environment, or several side by side (a column
 *                per set) with the rows that differ shaded;
 *   summary      a results file's summary per point: median over the
 *                repeats with min-max, a field's cell shaded where the
 *                point departs from the kernel's prediction, the
 *                predictions; columns 0 at every point left out;
 *   compare      a compared scenario's points (compare_view.h), one
 *                column per set under each field, the values beyond the
 *                spread from the baseline's marked;
 *   skipped      the points a set did not run, and why (a list).
 * A table that can grow wide sits in a <div class="wide">, which scrolls
 * sideways rather than widen the page. */
#ifndef HARNESS_PAGE_TABLES_H
#define HARNESS_PAGE_TABLES_H

#include <jansson.h>
#include <stdio.h>

#include "compare_view.h"

#define PAGE_TABLES_MAX_SETS COMPARE_MAX_SETS

/* An environment table: of one (n 1) or of n side by side, each column
 * headed by its name. */
void page_tables_environment(FILE *out, const json_t *const *envs, const char *const *names,
                             size_t n);

/* The summary per point of a results file's point_summaries array ("No
 * point ran." when empty). */
void page_tables_summary(FILE *out, const json_t *points);

/* The side-by-side table of a compared scenario's rows
 * (compare_view_rows()): the compared fields non-zero somewhere in any
 * set, or marked, each with one column per set. */
void page_tables_compare(FILE *out, const struct compare_view *view,
                         const struct compare_view_row *rows, size_t n);

/* The points not run (a results file's "skipped", or a comparison's
 * "skipped_in_a"/"_b": [{"sweep", "reason"}]), "in <set>" when set is
 * given; nothing when there are none. */
void page_tables_skipped(FILE *out, const json_t *skipped, const char *set);

#endif
