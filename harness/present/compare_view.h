/* compare_view.h: a comparison (compare.h) as the page, the overlay plots
 * and harness-compare's summary read it, whatever its format: two sets
 * (compare_sets(): "a" and "b", each scenario object the comparison of A
 * with B) or more (compare_many(): "sets", each scenario's
 * "against_baseline"). Set 0 is the baseline; set k > 0 is compared with
 * it by its pair, a compare_scenario() object whose "a" is the baseline's
 * and "b" set k's.
 *
 *   struct compare_view view;
 *   compare_view_init(&view, comparison, names);
 *   json_array_foreach(json_object_get(comparison, "scenarios"), i, s) {
 *       struct compare_view_scenario vs;
 *       compare_view_scenario(&view, s, &vs);
 *       rows = compare_view_rows(&view, &vs, &n);  ...
 *   }
 *
 * The view points into the comparison (and names): it owns nothing but
 * the rows it returns. */
#ifndef HARNESS_COMPARE_VIEW_H
#define HARNESS_COMPARE_VIEW_H

#include <jansson.h>
#include <stddef.h>

#include "compare.h"

struct compare_view {
    size_t count;                         /* sets, 2 or more */
    const json_t *sets[COMPARE_MAX_SETS]; /* {"dir", "label", "environment", "scenarios"} */
    const char *names[COMPARE_MAX_SETS];  /* what the pages and plots call them */
    char letters[COMPARE_MAX_SETS][2];    /* "A", "B", ...: compare.json's keys */
};

/* Reads a comparison of either format; names (may be NULL): each set's
 * name (compare_set_names()), else the sets' own "name", else their
 * letters. Returns 0, or -1 when comparison is neither format. */
int compare_view_init(struct compare_view *view, const json_t *comparison,
                      const char *const *names);

/* One compared scenario. */
struct compare_view_scenario {
    const json_t *object;                  /* "name", "description", "marked", "plots" ... */
    const json_t *pairs[COMPARE_MAX_SETS]; /* [k]: the baseline against set k, NULL where
                                             set k lacks the scenario; [0] NULL */
};

void compare_view_scenario(const struct compare_view *view, const json_t *object,
                           struct compare_view_scenario *out);

/* Set k's results file of the scenario, and its stem (NULL where it has
 * none): the baseline's stem names the overlays' folder. */
const char *compare_view_file(const struct compare_view_scenario *s, size_t count, size_t k);
const char *compare_view_stem(const struct compare_view_scenario *s, size_t count, size_t k);

/* A point of the baseline matched in at least one other set. */
struct compare_view_row {
    json_int_t point;                        /* the baseline's point */
    const json_t *sweep;                     /* its sweep values */
    const json_t *matched[COMPARE_MAX_SETS]; /* [k]: pair k's matched point ({"fields",
                                               "marked", "b_point", "b_runs" ...}), NULL
                                               where set k lacks the point; [0]: the first
                                               of them (its fields' "a": the baseline's) */
};

/* The rows of a scenario, in the baseline's point order (malloc'ed; *count
 * of them; NULL with *count 0 when none or out of memory). */
struct compare_view_row *compare_view_rows(const struct compare_view *view,
                                           const struct compare_view_scenario *s, size_t *count);

/* A field's record in set k's cell of a row: the baseline's stats ("a" of
 * any pair) for k 0, else pair k's record (with "b" its stats, "marked");
 * NULL where there is none. *stats the stats to show (may be NULL). */
const json_t *compare_view_field(const struct compare_view_row *row, size_t count, size_t k,
                                 const char *field, const json_t **stats);

#endif
