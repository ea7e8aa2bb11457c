/* page_tables.h: the tables the pages show (report.h), from a results
 * file's point summaries or a comparison (compare.h), written as HTML
 * (cells.h shows each value):
 *
 *   environment  one environment, or A's and B's side by side with the
 *                rows that differ shaded;
 *   summary      a results file's summary per point: median over the
 *                repeats with min-max, a field's cell shaded where the
 *                point departs from the kernel's prediction, the
 *                predictions; columns 0 at every point left out;
 *   compare      a compared scenario's points, A's and B's summaries side
 *                by side, the differences beyond the spread marked;
 *   skipped      the points a set did not run, and why (a list). */
#ifndef HARNESS_PAGE_TABLES_H
#define HARNESS_PAGE_TABLES_H

#include <jansson.h>
#include <stdio.h>

/* An environment table: of a alone (b NULL) or of a and b side by side
 * (columns A and B). */
void page_tables_environment(FILE *out, const json_t *a, const json_t *b);

/* The summary per point of a results file's point_summaries array ("No
 * point ran." when empty). */
void page_tables_summary(FILE *out, const json_t *points);

/* The side-by-side table of a compare_scenario() object: the compared
 * fields non-zero somewhere in either set, or marked. */
void page_tables_compare(FILE *out, const json_t *scenario);

/* The points not run (a results file's "skipped", or a comparison's
 * "skipped_in_a"/"_b": [{"sweep", "reason"}]), "in <set>" when set is
 * given; nothing when there are none. */
void page_tables_skipped(FILE *out, const json_t *skipped, const char *set);

#endif
