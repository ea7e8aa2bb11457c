/* overlay.h: the plots of two results files of one scenario, A and B as
 * series on one chart, drawn with the same tables (table.h) and gnuplot
 * scripts (plot/<kind>.gp) as a results file's own plots.
 *
 * The two files are merged into one results object whose runs carry a
 * "set" ("A" or "B"; the tables keep the sets' series apart and title
 * them "A: ...", "B: ..."), points interleaved: A's point, then the B point
 * matched with it (compare.h), then the points of one set only. Then, per
 * kind of plot both files ask for (plotkind.h):
 *
 *   a kind drawn per sweep   one plot from the merged object (where its
 *                            table draws only the first runs, as latency's
 *                            does, those are pairs first);
 *   a timeline kind          per matched point (at most
 *                            OVERLAY_MAX_TIMELINES), one table holding A's
 *                            run and then B's: <kind>-p<N>, N A's point
 *                            (<kind> when there is one point);
 *   one_plot_per_set         (buffer_grid: a heat map holds one set)
 *                            <kind>-A and <kind>-B side by side.
 *
 * The plot title names what A and B are (compare_label()). */
#ifndef HARNESS_OVERLAY_H
#define HARNESS_OVERLAY_H

#include <jansson.h>
#include <stddef.h>

#include "draw.h"
#include "error.h"

#define OVERLAY_MAX_TIMELINES 16

/* The merged results object (new reference), for the matched and
 * unmatched points of a compare_scenario() object. */
json_t *overlay_merge(const json_t *a, const json_t *b, const json_t *scenario);

/* Draws the overlays of one compared scenario into outdir (created), and
 * adds to the scenario object "plots": [{"kind", "name", "caption"}] (the
 * files are outdir/<name>.png, .svg, .dat) and "plot_notes": [why a kind
 * could not be drawn, from its table]. Each plot drawn or that gnuplot
 * failed to draw goes to report (draw_plots; may be NULL); the others are
 * drawn all the same. Prints nothing. Returns 0, or a negative errno when
 * outdir cannot be made or on an interrupt. */
int overlay_draw(const json_t *a, const json_t *b, json_t *scenario, const char *outdir,
                 const char *plot_dir, draw_report_fn report, void *report_data,
                 struct hl_error *err);

#endif
