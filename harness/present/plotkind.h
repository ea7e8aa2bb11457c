/* plotkind.h: the drawing side of every kind of plot, one entry per line
 * of PLOT_KINDS (scenario/plotkinds.h), in its order.
 *
 * A kind is drawn from one data table (table.h) by one gnuplot script,
 * plot/<name>.gp, into <name>.dat, .png and .svg; a timeline kind
 * (PLOT_PER_POINT) once per point, as <name>-p<N>. What differs from kind
 * to kind lives in the kind's own file, table_<name>.c, as the one object
 * `const struct plot_table plot_table_<name>`: how its table is written,
 * and what its plot's title and overlay need beyond the common case.
 * harness-plot, harness-compare's overlays (overlay.h) and the pages ask
 * this registry; none of them names a kind.
 *
 * To add a kind: its line in PLOT_KINDS, its table_<name>.c defining
 * plot_table_<name> (and its line in CMakeLists.txt), its plot/<name>.gp. */
#ifndef HARNESS_PLOTKIND_H
#define HARNESS_PLOTKIND_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#include "error.h"
#include "plotkinds.h"

/* What a kind's own file supplies. */
struct plot_table {
    /* Writes the kind's table for results (checked by table_check) to out;
     * run is the run a timeline kind draws (runs[run]), ignored by the
     * others. On a missing or mistyped field: -EINVAL with err->where the
     * key path ("runs[3].summary.connected"); what was written is then to
     * be discarded. */
    int (*write)(FILE *out, const json_t *results, size_t run, struct hl_error *err);
    /* The most runs the table draws (the script's colours run out), the
     * first ones; 0: every run. */
    size_t max_runs;
    /* Appends to a harness-plot title (the scenario's name, for a timeline
     * its point's label) what the plot cannot say by itself; run is the
     * run drawn (the first for a kind drawn per sweep). NULL: nothing. An
     * overlay's title names the sets instead. */
    void (*title_note)(char *title, size_t size, const json_t *results, const json_t *run);
    /* An overlay cannot merge the sets into one plot of this kind (a
     * heat map holds one set): it draws one per set, side by side. */
    int one_plot_per_set;
};

struct plot_kind {
    const char *name;   /* "latency": the word in "plots", the files' name */
    const char *script; /* "latency.gp", in the plot directory (draw.h) */
    enum plot_drawn drawn;
    const struct plot_table *table;
};

/* The kind called name, or NULL when there is none. */
const struct plot_kind *plot_kind_find(const char *name);

/* Writes kind's table: kind->table->write. */
int plot_kind_write_table(const struct plot_kind *kind, FILE *out, const json_t *results,
                          size_t run, struct hl_error *err);

/* Appends to title " (the first N of M runs)" when results hold more runs
 * than the kind's table draws; nothing otherwise. */
void plot_kind_runs_note(const struct plot_kind *kind, const json_t *results, char *title,
                         size_t size);

#endif
