/* report_compare.c: report_compare_page() of report.h, the page of a
 * comparison (compare.h) with its overlay plots (overlay.h). */
#include "report.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cells.h"
#include "files.h"
#include "html.h"
#include "page_tables.h"
#include "plotkinds.h"

/* ---- a compared scenario ---- */

/* The marked differences in words. */
static void marked_list(FILE *out, const json_t *scenario)
{
    const json_t *p, *name;
    size_t i, j;
    if (json_integer_value(json_object_get(scenario, "marked")) == 0) {
        fputs("<p>No difference beyond the runs' spread.</p>\n", out);
        return;
    }
    fputs("<p>Differences beyond the runs' spread (marked above):</p>\n<ul>\n", out);
    json_array_foreach(json_object_get(scenario, "points"), i, p)
    {
        json_array_foreach(json_object_get(p, "marked"), j, name)
        {
            const char *field = json_string_value(name);
            const json_t *rec = json_object_get(json_object_get(p, "fields"), field);
            double divisor = cells_divisor(field);
            fputs("<li>", out);
            cells_sweep(out, json_object_get(p, "sweep"));
            fputs(": <code>", out);
            html_text(out, field);
            fputs("</code> A ", out);
            cells_stats(out, json_object_get(rec, "a"), divisor);
            fputs(", B ", out);
            cells_stats(out, json_object_get(rec, "b"), divisor);
            if (json_is_number(json_object_get(rec, "allowed"))) {
                fputs(" (allowed: ", out);
                cells_number(out, json_number_value(json_object_get(rec, "allowed")), divisor);
                fputs(", ", out);
                html_text(out, json_string_value(json_object_get(rec, "class")));
                fputs(")", out);
            } else {
                fputs(" (measured in one set only)", out);
            }
            if (divisor != 1)
                fputs(" ms", out);
            fputs("</li>\n", out);
        }
    }
    fputs("</ul>\n", out);
}

static void points_only(FILE *out, const json_t *scenario, const char *key, const char *set)
{
    const json_t *list = json_object_get(scenario, key), *p;
    size_t i;
    if (!json_array_size(list))
        return;
    fprintf(out, "<p>Points in %s only (not compared): ", set);
    json_array_foreach(list, i, p)
    {
        fputs(i ? "; " : "", out);
        cells_sweep(out, json_object_get(p, "sweep"));
    }
    fputs("</p>\n", out);
}

/* A results file's path, linked relative to the page where it can be. */
static void json_link(FILE *out, const char *outdir, const char *file)
{
    char link[PATH_MAX];
    struct hl_error ignored;
    if (!file || files_relative_path(outdir, file, link, sizeof link, &ignored)) {
        html_text(out, file ? file : "?");
        return;
    }
    fputs("<a href=\"", out);
    html_href(out, link);
    fputs("\">", out);
    html_text(out, file);
    fputs("</a>", out);
}

/* The section's heading, description, what A and B are, and how the
 * scenarios as given differ. */
static void compare_heading(FILE *out, const json_t *s, const char *outdir)
{
    const char *name = json_string_value(json_object_get(s, "name"));
    const char *description = json_string_value(json_object_get(s, "description"));
    const json_t *labels = json_object_get(s, "labels"), *line;
    size_t i;

    fputs("<section id=\"", out);
    html_anchor(out, name);
    fputs("\">\n<h2>", out);
    html_text(out, name);
    fputs("</h2>\n", out);
    if (description && description[0]) {
        fputs("<p>", out);
        html_text(out, description);
        fputs("</p>\n", out);
    }
    fputs("<p>A: ", out);
    html_text(out, json_string_value(json_object_get(labels, "a")));
    fputs(" &middot; ", out);
    json_link(out, outdir, json_string_value(json_object_get(s, "a_file")));
    fputs("<br>B: ", out);
    html_text(out, json_string_value(json_object_get(labels, "b")));
    fputs(" &middot; ", out);
    json_link(out, outdir, json_string_value(json_object_get(s, "b_file")));
    fputs("</p>\n", out);
    if (json_array_size(json_object_get(s, "scenario_differs"))) {
        fputs("<p>The scenarios differ:</p>\n<ul>\n", out);
        json_array_foreach(json_object_get(s, "scenario_differs"), i, line)
        {
            fputs("<li><code>", out);
            html_text(out, json_string_value(line));
            fputs("</code></li>\n", out);
        }
        fputs("</ul>\n", out);
    }
}

/* The overlay plots (in outdir/<A's stem>/) in the registry's order of
 * kinds (plotkinds.h: the plots that answer the scenario's question before
 * the timelines, whatever order the results files list them in), and the
 * kinds not drawn. */
static void compare_plots(FILE *out, const json_t *s, const char *outdir)
{
    const char *name = json_string_value(json_object_get(s, "name"));
    const char *stem = json_string_value(json_object_get(s, "a_stem"));
    const json_t *plot, *note;
    size_t i;
    if (json_array_size(json_object_get(s, "plots")) ||
        json_array_size(json_object_get(s, "plot_notes")))
        fputs("<h3>Plots</h3>\n", out);
    for (int kind = -1; kind < PLOT_KIND_COUNT; kind++) {
        json_array_foreach(json_object_get(s, "plots"), i, plot)
        {
            char base[PATH_MAX], alt[1024];
            const char *caption = json_string_value(json_object_get(plot, "caption"));
            if (plot_kind_id(json_string_value(json_object_get(plot, "kind"))) != kind)
                continue;
            snprintf(base, sizeof base, "%s/%s", stem,
                     json_string_value(json_object_get(plot, "name")));
            snprintf(alt, sizeof alt, "%s: %s", name, caption);
            html_figure(out, outdir, base, caption, alt);
        }
    }
    json_array_foreach(json_object_get(s, "plot_notes"), i, note)
    {
        fputs("<p class=\"note\">Not drawn: ", out);
        html_text(out, json_string_value(note));
        fputs("</p>\n", out);
    }
}

static void compare_section(FILE *out, const json_t *s, const char *outdir)
{
    compare_heading(out, s, outdir);
    fputs("<h3>Summaries side by side</h3>\n", out);
    if (json_array_size(json_object_get(s, "points")))
        page_tables_compare(out, s);
    else
        fputs("<p>No point of A has the sweep values of a point of B.</p>\n", out);
    points_only(out, s, "only_in_a", "A");
    points_only(out, s, "only_in_b", "B");
    page_tables_skipped(out, json_object_get(s, "skipped_in_a"), "A");
    page_tables_skipped(out, json_object_get(s, "skipped_in_b"), "B");
    marked_list(out, s);
    compare_plots(out, s, outdir);
    fputs("</section>\n", out);
}

/* ---- the page ---- */

static void name_list(FILE *out, const json_t *names, const char *set)
{
    const json_t *n;
    size_t i;
    if (!json_array_size(names))
        return;
    fprintf(out, "<p>Scenarios in %s only (not compared): ", set);
    json_array_foreach((json_t *)names, i, n)
    {
        fputs(i ? ", " : "", out);
        html_text(out, json_string_value(n));
    }
    fputs("</p>\n", out);
}

/* What A and B are: directory, label, number of scenarios. */
static void sets_table(FILE *out, const json_t *a, const json_t *b)
{
    fputs("<h1>Comparison of two result sets</h1>\n<table>\n"
          "<tr><th></th><th>directory</th><th>label</th><th>scenarios</th></tr>\n",
          out);
    for (int side = 0; side < 2; side++) {
        const json_t *set = side ? b : a;
        fprintf(out, "<tr><th>%s</th><td><code>", side ? "B" : "A");
        html_text(out, json_string_value(json_object_get(set, "dir")));
        fputs("</code></td><td>", out);
        html_text(out, json_string_value(json_object_get(set, "label")));
        fprintf(out, "</td><td class=\"n\">%" JSON_INTEGER_FORMAT "</td></tr>\n",
                json_integer_value(json_object_get(set, "scenarios")));
    }
    fputs("</table>\n", out);
}

/* How many differences are marked, and the rule that marks them. */
static void marking_rule(FILE *out, const json_t *comparison)
{
    json_int_t marked = json_integer_value(json_object_get(comparison, "marked"));
    fprintf(out,
            "<p><strong>%" JSON_INTEGER_FORMAT " difference%s beyond the runs' spread</strong> in "
            "%" JSON_INTEGER_FORMAT " of %zu scenarios compared. A value of B is marked when "
            "|B &minus; A| (medians over the repeats) exceeds the larger of the two sets' "
            "min&ndash;max spreads plus the field's tolerance: 0 for connection outcomes, "
            "which the kernel's rules decide; a timer's tolerance for times; a chunk or 1 %% "
            "for bytes still moving at a run's end (docs/comparing.md, <em>The marking rule</em>). "
            "Points are matched by their sweep values. Machine-readable: "
            "<a href=\"compare.json\">compare.json</a>.</p>\n",
            marked, marked == 1 ? "" : "s",
            json_integer_value(json_object_get(comparison, "scenarios_marked")),
            json_array_size(json_object_get(comparison, "scenarios")));
}

/* A link to each compared scenario's section, with its marked count. */
static void compare_nav(FILE *out, const json_t *scenarios)
{
    const json_t *s;
    size_t i;
    if (!json_array_size(scenarios))
        return;
    fputs("<nav><ul>\n", out);
    json_array_foreach(scenarios, i, s)
    {
        json_int_t marked = json_integer_value(json_object_get(s, "marked"));
        fputs("<li><a href=\"#", out);
        html_anchor(out, json_string_value(json_object_get(s, "name")));
        fputs("\">", out);
        html_text(out, json_string_value(json_object_get(s, "name")));
        fputs("</a>", out);
        if (marked)
            fprintf(out, " <strong>(%" JSON_INTEGER_FORMAT " marked)</strong>", marked);
        fputs("</li>\n", out);
    }
    fputs("</ul></nav>\n", out);
}

int report_compare_page(const json_t *comparison, const char *outdir, struct hl_error *err)
{
    const json_t *a = json_object_get(comparison, "a"), *b = json_object_get(comparison, "b");
    const json_t *scenarios = json_object_get(comparison, "scenarios"), *s;
    char path[PATH_MAX + 32], title[1200];
    struct html_page page;
    size_t i;

    snprintf(title, sizeof title, "backlog-lab: %s vs %s",
             json_string_value(json_object_get(a, "dir")),
             json_string_value(json_object_get(b, "dir")));
    int rc = html_page_begin(&page, title, err);
    if (rc)
        return rc;
    sets_table(page.out, a, b);
    marking_rule(page.out, comparison);
    name_list(page.out, json_object_get(comparison, "only_in_a"), "A");
    name_list(page.out, json_object_get(comparison, "only_in_b"), "B");
    fputs("<details><summary>Environments side by side</summary>\n", page.out);
    page_tables_environment(page.out, json_object_get(a, "environment"),
                            json_object_get(b, "environment"));
    fputs("</details>\n", page.out);
    compare_nav(page.out, scenarios);
    json_array_foreach(scenarios, i, s) compare_section(page.out, s, outdir);
    snprintf(path, sizeof path, "%s/index.html", outdir);
    return html_page_write(&page, path, err);
}
