/* report.h: the pages a person opens in a browser: results/index.html for a
 * directory of results (make experiments) and index.html of a comparison
 * (make compare).
 *
 * One static HTML5 file each, with its CSS inside and no JavaScript: it
 * works opened from disk, copied elsewhere with its folder, or served by
 * any web server. Every link is relative to the page (the raw JSON, the
 * plots, their SVG and data tables) and names a file that exists when the
 * page is written; text from results files (names, descriptions, sysctl
 * values) is escaped. Pages are written atomically (atomic.h).
 *
 * report_results.c and report_compare.c write one page each, from the
 * parts both share: html.h (escaping, links, head, figures, writing),
 * cells.h (a value in a table cell) and page_tables.h (the tables). */
#ifndef HARNESS_REPORT_H
#define HARNESS_REPORT_H

#include <jansson.h>

#include "compare_view.h"
#include "error.h"
#include "resultset.h"

/* Writes <set->dir>/index.html: per scenario its name, description,
 * environment, the per-point summary table (median over the repeats, with
 * min-max where they differ; the kernel's predictions and flags), the
 * plots in <dir>/<stem>/ that its plots list implies (table_plot_implied;
 * PNG, linked to its SVG and data table) and a link
 * to its results file; links to <dir>/compare/index.html and the reference
 * sets in <dir>/reference/ when they exist. */
int report_results_page(const struct resultset *set, struct hl_error *err);

/* Writes <outdir>/index.html for a comparison (compare.h, with the plots
 * overlay.h added; view: compare_view.h, which names the sets): what each
 * set is, their environments side by side, the scenarios not in every
 * set, and per scenario compared the summary table with one column per
 * set and the marked differences, the overlay plots and links to every
 * results file. */
int report_compare_page(const json_t *comparison, const struct compare_view *view,
                        const char *outdir, struct hl_error *err);

#endif
