/* figures.h: the table `make bench` prints, and the statistics behind it.
 *
 * One row per figure: the harness's value, its peer's value, their ratio
 * and the target for that ratio (at least, below, or none: shown only).
 * A figure measured several times is the median of its runs, and its ratio
 * the median of the ratios of its pairs, each pair measured back to back
 * (what drifts between pairs cancels). Rows are added as they are
 * measured, and each is also shown on stderr at once, so that a long run
 * shows its progress; figures_print() writes the table at the end. */
#ifndef BENCH_FIGURES_H
#define BENCH_FIGURES_H

#include <stdio.h>

#define FIGURES_MAX_ROWS 40
#define MAX_REPEAT 25 /* runs of one figure, at most */

enum goal { AT_LEAST, BELOW, INFO /* shown, no target */ };

struct figure_row {
    char figure[96], peer[64];
    double value, peer_value;
    const char *unit;
    enum goal goal;
    double target; /* for the ratio */
    double ratio;  /* value / peer_value, or the median of paired ratios */
    int failed;    /* the measurement itself failed */
};

struct figures {
    struct figure_row rows[FIGURES_MAX_ROWS];
    int count;
    int verbose; /* every pair on stderr too */
};

/* Adds a row (a value below 0 or a peer's value not above 0: the
 * measurement failed) and shows it on stderr. Beyond FIGURES_MAX_ROWS rows
 * are dropped. */
void figures_add(struct figures *table, const char *figure, double value, const char *unit,
                 const char *peer, double peer_value, enum goal goal, double target);

/* figures_add() of the medians of n pairs values[k] / peers[k], the ratio
 * the median of the pairs' ratios (failed if a pair failed). */
void figures_add_paired(struct figures *table, const char *figure, const double *values,
                        const char *unit, const char *peer, const double *peers, int n,
                        enum goal goal, double target);

/* The median of n values (sorts them), or -1 when n is 0. */
double figures_median(double *values, int n);

/* Whether a row met its target (a row without one always does). */
int figures_row_met(const struct figure_row *row);

/* The number of rows with a target; *missed: of those, the ones missed. */
int figures_targets(const struct figures *table, int *missed);

/* The table, one line per row, with a heading. */
void figures_print(const struct figures *table, FILE *out);

#endif
