/* draw.h: one plot from its data table: the table written beside the
 * pictures, then gnuplot run on plot/<kind>.gp to draw a PNG and an SVG of
 * it (the same script twice, `format` 'png' then 'svg').
 *
 * Both pictures are drawn under temporary names and renamed into place only
 * once gnuplot exited cleanly, so a reader never sees half a picture, and
 * on Ctrl-C (draw_catch_interrupts) the plot under way is abandoned: its
 * gnuplot killed, its temporary files removed. (gnuplot writes both
 * pictures itself, by name, in one run; atomic.h's writer, which takes
 * content in hand, does not fit.) harness-plot draws a results file's
 * plots with it, harness-compare the overlays of two; neither draw nor
 * they print while drawing: each plot's outcome goes to the main's
 * callback (draw_plots). */
#ifndef HARNESS_DRAW_H
#define HARNESS_DRAW_H

#include <stddef.h>

#include "error.h"
#include "plotkind.h"

/* One plot to draw: its table, built before anything is written. */
struct draw_job {
    const struct plot_kind *kind; /* the script: <plot dir>/<kind->script> */
    char name[96];                /* the files: <name>.dat, <name>.png, <name>.svg */
    char title[768];              /* plottitle for the script */
    char *table;                  /* malloc'ed (open_memstream) */
    size_t table_size;
};

/* The directory of the gnuplot scripts: $HARNESS_PLOT_DIR; else, for an
 * installed program, ../share/backlog-lab/plot beside it (as installed:
 * <prefix>/bin and <prefix>/share/backlog-lab/plot), when it holds
 * common.gp; else the source tree's plot/ (a program run from its build
 * tree). Also points GNUPLOT_LIB at it, where the scripts' `load
 * 'common.gp'` looks. */
const char *draw_plot_dir(void);

/* SIGINT, SIGTERM and SIGHUP from now on abandon the plot under way
 * (draw_plot then fails) and are remembered: draw_interrupted(). */
void draw_catch_interrupts(void);

/* The signal that interrupted, or 0. */
int draw_interrupted(void);

/* Writes outdir/<name>.dat and draws outdir/<name>.png and <name>.svg.
 * Whatever gnuplot printed (warnings too, on success) is left in output.
 * Fails, leaving no picture or temporary file, when the script is
 * missing, gnuplot fails or an interrupt came. */
int draw_plot(const struct draw_job *job, const char *plot_dir, const char *outdir, char *output,
              size_t output_size, struct hl_error *err);

/* What became of one plot of draw_plots. */
struct draw_outcome {
    const struct draw_job *job;
    const char *outdir;
    int failed;                 /* 0: drawn */
    const struct hl_error *err; /* why it failed */
    const char *output;         /* what gnuplot printed, warnings too; "" for nothing */
};

/* Told of each plot once it is drawn or has failed, for the main to say so. */
typedef void (*draw_report_fn)(const struct draw_outcome *outcome, void *data);

/* Draws jobs[0 .. count) into outdir in order (draw_plot), until an
 * interrupt (draw_interrupted: the plot under way is then neither drawn
 * nor reported). Sets drawn[i] (drawn may be NULL) for each plot drawn and
 * reports every plot drawn or failed to report (may be NULL). Returns the
 * number that failed. */
size_t draw_plots(const struct draw_job *jobs, size_t count, const char *plot_dir,
                  const char *outdir, int *drawn, draw_report_fn report, void *data);

#endif
