/* report_results.c: report_results_page() of report.h, the page of a
 * directory of results (results/index.html). */
#include "report.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cells.h"
#include "files.h"
#include "html.h"
#include "page_tables.h"
#include "table.h"

/* ---- plots ---- */

/* The registry's order of kinds (table_plot_rank: the plots that answer
 * the scenario's question before the timelines), then version order (p2
 * before p10). */
static int plot_order(const struct dirent **a, const struct dirent **b)
{
    char base_a[256], base_b[256];
    snprintf(base_a, sizeof base_a, "%.*s", (int)strlen((*a)->d_name) - 4, (*a)->d_name);
    snprintf(base_b, sizeof base_b, "%.*s", (int)strlen((*b)->d_name) - 4, (*b)->d_name);
    int rank_a = table_plot_rank(base_a), rank_b = table_plot_rank(base_b);
    if (rank_a != rank_b)
        return rank_a < rank_b ? -1 : 1;
    return strverscmp((*a)->d_name, (*b)->d_name);
}

static int is_png(const struct dirent *entry)
{
    size_t n = strlen(entry->d_name);
    return entry->d_name[0] != '.' && n > 4 && strcmp(entry->d_name + n - 4, ".png") == 0;
}

/* The PNGs in path that the results' plots list implies
 * (table_plot_implied: a plot of a kind no longer listed, or of a point
 * that no longer exists, is left over from earlier results), in the
 * registry's order of kinds and each kind's points in version order (p2
 * before p10); their count, or 0 or less when none. */
static int implied_pngs(const char *path, const json_t *results, struct dirent ***names)
{
    int n = scandir(path, names, is_png, plot_order), kept = 0;
    for (int i = 0; i < n; i++) {
        char base[256];
        const char *file = (*names)[i]->d_name;
        snprintf(base, sizeof base, "%.*s", (int)strlen(file) - 4, file);
        if (table_plot_implied(results, base))
            (*names)[kept++] = (*names)[i];
        else
            free((*names)[i]);
    }
    return n > 0 ? kept : n;
}

/* A figure for each PNG in dir/sub/ that the results imply. */
static void plots_in(FILE *out, const char *dir, const char *sub, const char *scenario,
                     const json_t *results)
{
    struct dirent **names = NULL;
    char path[PATH_MAX * 2];
    snprintf(path, sizeof path, "%s/%s", dir, sub);
    int n = implied_pngs(path, results, &names);
    if (n <= 0)
        fputs("<p class=\"note\">No plots yet: <code>build/harness-plot</code> draws them "
              "(<code>make experiments</code> does).</p>\n",
              out);
    for (int i = 0; i < n; i++) {
        char base[PATH_MAX * 2], alt[1024], caption[300];
        int len = (int)strlen(names[i]->d_name) - 4;
        snprintf(base, sizeof base, "%s/%.*s", sub, len, names[i]->d_name);
        snprintf(caption, sizeof caption, "%.*s", len, names[i]->d_name);
        snprintf(alt, sizeof alt, "%s: the %s plot", scenario, caption);
        html_figure(out, dir, base, caption, alt);
        free(names[i]);
    }
    free(names);
}

/* ---- a scenario ---- */

/* The departures from the kernel's predictions of every point, if any. */
static void flags_list(FILE *out, const json_t *points)
{
    const json_t *p, *flag;
    size_t i, j, count = 0;
    json_array_foreach(points, i, p)
    {
        count += json_array_size(json_object_get(p, "flags"));
    }
    if (!count)
        return;
    fputs("<p>Departures from the kernel's predictions (<code>point_summaries[].flags</code>):"
          "</p>\n<ul>\n",
          out);
    json_array_foreach(points, i, p)
    {
        json_array_foreach(json_object_get(p, "flags"), j, flag)
        {
            char *text = json_dumps(flag, JSON_COMPACT | JSON_SORT_KEYS);
            fputs("<li>", out);
            cells_sweep(out, json_object_get(p, "sweep"));
            fputs(": <code>", out);
            html_text(out, text);
            fputs("</code></li>\n", out);
            free(text);
        }
    }
    fputs("</ul>\n", out);
}

/* The section's heading, description, and where its results came from. */
static void results_heading(FILE *out, const struct resultset_entry *e)
{
    const json_t *r = e->results;
    const char *description = json_string_value(json_object_get(r, "description"));
    const char *scenario_file = json_string_value(json_object_get(r, "scenario_file"));
    char json_name[300];

    fputs("<section id=\"", out);
    html_anchor(out, e->name);
    fputs("\">\n<h2>", out);
    html_text(out, e->name);
    fputs("</h2>\n", out);
    if (description && description[0]) {
        fputs("<p>", out);
        html_text(out, description);
        fputs("</p>\n", out);
    }
    snprintf(json_name, sizeof json_name, "%s.json", e->stem);
    fputs("<p>Raw results: <a href=\"", out);
    html_href(out, json_name);
    fputs("\">", out);
    html_text(out, json_name);
    fprintf(out, "</a> (%" JSON_INTEGER_FORMAT " points &times; %" JSON_INTEGER_FORMAT " repeats)",
            json_integer_value(json_object_get(r, "points")),
            json_integer_value(json_object_get(r, "repeat")));
    if (scenario_file) {
        fputs(", from <code>", out);
        html_text(out, scenario_file);
        fputs("</code>", out);
    }
    fputs(".</p>\n", out);
}

static void results_section(FILE *out, const struct resultset *set, const struct resultset_entry *e)
{
    const json_t *r = e->results;
    const json_t *points = json_object_get(r, "point_summaries");

    results_heading(out, e);
    fputs("<details><summary>Environment</summary>\n", out);
    const json_t *environment = json_object_get(r, "environment");
    page_tables_environment(out, &environment, NULL, 1);
    fputs("</details>\n<h3>Summary per point</h3>\n", out);
    page_tables_summary(out, points);
    fputs("<p class=\"note\">Medians over the repeats, with (min&ndash;max) where they differ; "
          "columns that are 0 at every point are left out; shaded: departs from the "
          "prediction.</p>\n",
          out);
    flags_list(out, points);
    page_tables_skipped(out, json_object_get(r, "skipped"), NULL);
    fputs("<h3>Plots</h3>\n", out);
    plots_in(out, set->dir, e->stem, e->name, r);
    fputs("</section>\n", out);
}

/* ---- the page ---- */

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_subdir(const struct dirent *entry)
{
    return entry->d_name[0] != '.';
}

/* The reference sets under dir/reference/, as links to their folders. */
static void reference_sets(FILE *out, const char *dir)
{
    struct dirent **names = NULL;
    char root[PATH_MAX + 16];
    int n, shown = 0;
    snprintf(root, sizeof root, "%s/reference", dir);
    n = scandir(root, &names, is_subdir, alphasort);
    for (int i = 0; i < n; i++) {
        char path[PATH_MAX * 2], link[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", root, names[i]->d_name);
        if (is_dir(path)) {
            fputs(shown ? ", " : "<p>Reference results from a known kernel: ", out);
            snprintf(link, sizeof link, "reference/%s/", names[i]->d_name);
            fputs("<a href=\"", out);
            html_href(out, link);
            fputs("\">", out);
            html_text(out, link);
            fputs("</a>", out);
            shown = 1;
        }
        free(names[i]);
    }
    free(names);
    if (shown)
        fputs(" (<code>make compare</code> compares the results above with the one for this "
              "kernel).</p>\n",
              out);
}

/* What the page shows, and the links to the comparison and reference sets. */
static void results_intro(FILE *out, const struct resultset *set)
{
    char path[PATH_MAX + 32];
    fputs("<h1>backlog-lab results</h1>\n", out);
    fprintf(out, "<p>%zu scenario%s measured in <code>", set->count, set->count == 1 ? "" : "s");
    html_text(out, set->dir);
    fputs("</code>. Each plot links to its SVG; <code>make experiments</code> and "
          "<code>make compare</code> rewrite this page.</p>\n",
          out);
    snprintf(path, sizeof path, "%s/compare/index.html", set->dir);
    if (files_exists(path))
        fputs("<p>The latest comparison: <a href=\"compare/index.html\">compare/index.html</a>"
              "</p>\n",
              out);
    reference_sets(out, set->dir);
}

/* A link to each scenario's section. */
static void results_nav(FILE *out, const struct resultset *set)
{
    if (!set->count) {
        fputs("<p>No results yet: <code>make experiments</code> runs every scenario.</p>\n", out);
        return;
    }
    fputs("<nav><ul>\n", out);
    for (size_t i = 0; i < set->count; i++) {
        fputs("<li><a href=\"#", out);
        html_anchor(out, set->entries[i].name);
        fputs("\">", out);
        html_text(out, set->entries[i].name);
        fputs("</a></li>\n", out);
    }
    fputs("</ul></nav>\n", out);
}

int report_results_page(const struct resultset *set, struct hl_error *err)
{
    struct html_page page;
    char path[PATH_MAX + 32];
    int rc = html_page_begin(&page, "backlog-lab results", err);
    if (rc)
        return rc;
    results_intro(page.out, set);
    results_nav(page.out, set);
    for (size_t i = 0; i < set->count; i++)
        results_section(page.out, set, &set->entries[i]);
    snprintf(path, sizeof path, "%s/index.html", set->dir);
    return html_page_write(&page, path, err);
}
