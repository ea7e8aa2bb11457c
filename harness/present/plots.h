/* plots.h: the plots of one results file, as harness-plot draws them.
 *
 * For every kind in the results' "plots" list one plot, named <kind>; for
 * a timeline kind (plotkind.h) one per point, named <kind>-p<N>, drawn
 * from the point's first run, at most PLOTS_MAX_TIMELINES of them (or the
 * one point asked for). Each gets its title (the scenario, the point, and
 * what the kind adds) and its table, all built before anything is
 * written, so that an invalid results file leaves the output directory as
 * it was; draw.h then draws them. Once drawn, the files of an earlier
 * results file that these plots do not replace are stale
 * (plots_remove_stale). */
#ifndef HARNESS_PLOTS_H
#define HARNESS_PLOTS_H

#include <jansson.h>
#include <stddef.h>

#include "draw.h"
#include "error.h"

/* One timeline plot per point: more than this would bury the others. */
#define PLOTS_MAX_TIMELINES 16

struct plots {
    struct draw_job *jobs;
    size_t count;
};

/* Builds the plots of results (checked by table_check): every timeline's
 * point, or only point only_point when it is not -1. On failure, -EINVAL
 * with err saying which plot ("latency plot") and why ("runs[3].
 * connections: missing (expected an array)", "no point 9 in the results
 * (its points: 0, 4)"); plots_free all the same. */
int plots_build(struct plots *plots, const json_t *results, long long only_point,
                struct hl_error *err);

void plots_free(struct plots *plots);

/* Told of each stale file removed (its path). */
typedef void (*plots_removed_fn)(const char *path, void *data);

/* Removes from outdir the plot outputs (<name>.png, .svg, .dat) of known
 * kinds (table_plot_name_known) that plots did not draw (drawn[i] 0; drawn
 * may be NULL when plots holds none), so plots of an earlier results file
 * (a kind no longer listed, a point that no longer exists) do not linger.
 * Files named like no plot output of a known kind are never touched. A
 * plot that failed keeps only its new table: its old pictures are stale.
 * With only_point not -1 the other points' timelines stay where the
 * results still imply them (table_plot_implied). */
void plots_remove_stale(const char *outdir, const json_t *results, const struct plots *plots,
                        const int *drawn, long long only_point, plots_removed_fn removed,
                        void *data);

#endif
