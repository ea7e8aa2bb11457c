/* overlay.h: the plots of one scenario's results files from several sets
 * (two, A and B, or a whole class: compare_view.h), each set's series on
 * one chart, drawn with the same tables (table.h) and gnuplot scripts
 * (plot/<kind>.gp) as a results file's own plots.
 *
 * The files are merged into one results object whose runs carry a "set",
 * the set's name (the tables keep the sets' series apart and title them
 * "<name>: ..."), points interleaved: the baseline's point, then the
 * point of each other set matched with it (compare.h), then the points of
 * one set only. Then, per kind of plot every set asks for (plotkind.h),
 * in the baseline's order:
 *
 *   a kind drawn per sweep   one plot from the merged object (where its
 *                            table draws only the first runs, as latency's
 *                            does, those are the matched points first);
 *   a timeline kind          per matched point (at most
 *                            OVERLAY_MAX_TIMELINES), one table holding each
 *                            set's run in set order, the first solid, the
 *                            next dashed, dotted ...: <kind>-p<N>, N the
 *                            baseline's point (<kind> when there is one);
 *   one_plot_per_set         (buffer_grid: a heat map holds one set)
 *                            <kind>-A, <kind>-B ... side by side.
 *
 * The plot titles name the sets and what tells them apart
 * (compare_label()); the captions, written into compare.json, name them
 * by letter. */
#ifndef HARNESS_OVERLAY_H
#define HARNESS_OVERLAY_H

#include <jansson.h>
#include <stddef.h>

#include "compare_view.h"
#include "draw.h"
#include "error.h"

#define OVERLAY_MAX_TIMELINES 16

/* The results files of one compared scenario: results[k] set k's (NULL
 * where the set lacks the scenario). */
struct overlay_input {
    const struct compare_view *view;
    const struct compare_view_scenario *scenario;
    const json_t *results[COMPARE_MAX_SETS];
};

/* The merged results object (new reference). */
json_t *overlay_merge(const struct overlay_input *in);

/* Draws the overlays of one compared scenario into outdir (created), and
 * adds to object (the scenario's object in the comparison) "plots":
 * [{"kind", "name", "caption"}] (the files are outdir/<name>.png, .svg,
 * .dat) and "plot_notes": [why a kind could not be drawn, from its table].
 * Each plot drawn or that gnuplot failed to draw goes to report
 * (draw_plots; may be NULL); the others are drawn all the same. Prints
 * nothing. Returns 0, or a negative errno when outdir cannot be made or on
 * an interrupt. */
int overlay_draw(const struct overlay_input *in, json_t *object, const char *outdir,
                 const char *plot_dir, draw_report_fn report, void *report_data,
                 struct hl_error *err);

#endif
