/* cells.h: how values from results show in the pages' tables (report.h):
 * a summary field's column title and the unit it is shown in (times in
 * ms), a number, a point summary's field as its median over the repeats
 * with (min-max) where they differ, a point's sweep values, any JSON
 * value. Text from results is escaped (html.h). */
#ifndef HARNESS_CELLS_H
#define HARNESS_CELLS_H

#include <jansson.h>
#include <stdio.h>

/* A column of the results page's summary table. */
struct cells_column {
    const char *field, *title;
    double divisor; /* what a value is divided by to be shown (1000: us as ms) */
    int always;     /* shown even when 0 at every point */
};

/* The summary table's columns, in order; the last has field NULL. */
extern const struct cells_column cells_columns[];

/* A number divided by divisor: one decimal when divided, a whole number
 * without decimals, anything else in 4 significant digits. */
void cells_number(FILE *out, double value, double divisor);

/* "median" or "median <small>(min–max)</small>" of a point summary's field
 * ({n, median, min, max}); "–" when it has no median. */
void cells_stats(FILE *out, const json_t *stats, double divisor);

/* A point's sweep values, "server.backlog=4, ...", or "(no sweep)". */
void cells_sweep(FILE *out, const json_t *sweep);

/* A JSON value: a string as itself, anything else as compact JSON; "–"
 * for NULL. */
void cells_value(FILE *out, const json_t *value);

/* What a compared field (compare.h) is divided by: 1000 for a time in us,
 * else 1. */
double cells_divisor(const char *field);

/* A compared field's column title: the summary table's title when it has
 * a column, else its name (a kernel counter's without "kernel."), with
 * " (ms)" for a time. */
void cells_field_title(FILE *out, const char *field);

#endif
