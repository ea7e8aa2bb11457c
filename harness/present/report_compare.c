/* report_compare.c: report_compare_page() of report.h, the page of a
 * comparison (compare.h, read through compare_view.h) with its overlay
 * plots (overlay.h). */
#include "report.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cells.h"
#include "files.h"
#include "html.h"
#include "page_tables.h"
#include "plotkinds.h"

/* "C (carol)": a set as the page's words name it. */
static void set_name(FILE *out, const struct compare_view *view, size_t k)
{
    fprintf(out, "%s (", view->letters[k]);
    html_text(out, view->names[k]);
    fputs(")", out);
}

/* ---- a compared scenario ---- */

/* One marked field of a row in words: "C (carol) 5 against A (alice) 3". */
static void marked_item(FILE *out, const struct compare_view *view,
                        const struct compare_view_row *row, size_t k, const char *field)
{
    const json_t *rec = json_object_get(json_object_get(row->matched[k], "fields"), field);
    double divisor = cells_divisor(field);
    fputs("<li>", out);
    cells_sweep(out, row->sweep);
    fputs(": <code>", out);
    html_text(out, field);
    fputs("</code> ", out);
    set_name(out, view, 0);
    fputs(" ", out);
    cells_stats(out, json_object_get(rec, "a"), divisor);
    fputs(", ", out);
    set_name(out, view, k);
    fputs(" ", out);
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

/* The marked differences in words, each set against the baseline. */
static void marked_list(FILE *out, const struct compare_view *view, const json_t *scenario,
                        const struct compare_view_row *rows, size_t n)
{
    const json_t *name;
    size_t i;
    if (json_integer_value(json_object_get(scenario, "marked")) == 0) {
        fputs("<p>No difference beyond the runs' spread.</p>\n", out);
        return;
    }
    fputs("<p>Differences beyond the runs' spread (marked above):</p>\n<ul>\n", out);
    for (size_t r = 0; r < n; r++)
        for (size_t k = 1; k < view->count; k++)
            json_array_foreach(json_object_get(rows[r].matched[k], "marked"), i, name)
                marked_item(out, view, &rows[r], k, json_string_value(name));
    fputs("</ul>\n", out);
}

/* The points of a pair in one of its sets only: key "only_in_a" (the
 * baseline's, missing in set k) or "only_in_b" (set k's). */
static void points_only(FILE *out, const struct compare_view *view,
                        const struct compare_view_scenario *vs, size_t k, const char *key)
{
    const json_t *list = json_object_get(vs->pairs[k], key), *p;
    size_t i;
    if (!json_array_size(list))
        return;
    if (strcmp(key, "only_in_a") == 0 && view->count == 2) {
        fputs("<p>Points in A only (not compared): ", out);
    } else if (strcmp(key, "only_in_b") == 0 && view->count == 2) {
        fputs("<p>Points in B only (not compared): ", out);
    } else {
        fputs(strcmp(key, "only_in_a") == 0 ? "<p>Points of the baseline not in " : "<p>Points of ",
              out);
        set_name(out, view, k);
        fputs(strcmp(key, "only_in_a") == 0 ? ": " : " not in the baseline (not compared): ", out);
    }
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

/* How set k's scenario as given differs from the baseline's. */
static void scenario_differs(FILE *out, const struct compare_view *view,
                             const struct compare_view_scenario *vs, size_t k)
{
    const json_t *line;
    size_t i;
    if (!json_array_size(json_object_get(vs->pairs[k], "scenario_differs")))
        return;
    fputs("<p>The scenarios differ", out);
    if (view->count > 2) {
        fputs(" (", out);
        set_name(out, view, 0);
        fputs(" vs ", out);
        set_name(out, view, k);
        fputs(")", out);
    }
    fputs(":</p>\n<ul>\n", out);
    json_array_foreach(json_object_get(vs->pairs[k], "scenario_differs"), i, line)
    {
        fputs("<li><code>", out);
        html_text(out, json_string_value(line));
        fputs("</code></li>\n", out);
    }
    fputs("</ul>\n", out);
}

/* The section's heading, description, what each set is, and how the
 * scenarios as given differ. */
static void compare_heading(FILE *out, const struct compare_view *view,
                            const struct compare_view_scenario *vs, const char *outdir)
{
    const json_t *s = vs->object;
    const char *name = json_string_value(json_object_get(s, "name"));
    const char *description = json_string_value(json_object_get(s, "description"));

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
    fputs("<p>", out);
    for (size_t k = 0; k < view->count; k++) {
        const json_t *labels = json_object_get(vs->pairs[k ? k : 1], "labels");
        fputs(k ? "<br>" : "", out);
        set_name(out, view, k);
        fputs(": ", out);
        if (k && !vs->pairs[k]) {
            fputs("does not have this scenario", out);
            continue;
        }
        html_text(out, json_string_value(json_object_get(labels, k ? "b" : "a")));
        fputs(" &middot; ", out);
        json_link(out, outdir, compare_view_file(vs, view->count, k));
    }
    fputs("</p>\n", out);
    for (size_t k = 1; k < view->count; k++)
        scenario_differs(out, view, vs, k);
}

/* The overlay plots (in outdir/<the baseline's stem>/) in the registry's
 * order of kinds (plotkinds.h: the plots that answer the scenario's
 * question before the timelines, whatever order the results files list
 * them in), and the kinds not drawn. */
static void compare_plots(FILE *out, const struct compare_view *view,
                          const struct compare_view_scenario *vs, const char *outdir)
{
    const json_t *s = vs->object, *plot, *note;
    const char *name = json_string_value(json_object_get(s, "name"));
    const char *stem = compare_view_stem(vs, view->count, 0);
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

/* The points some set did not run (their link needs a qdisc its kernel
 * lacks), set by set. */
static void skipped_lists(FILE *out, const struct compare_view *view,
                          const struct compare_view_scenario *vs)
{
    for (size_t k = 0; k < view->count; k++) {
        const json_t *pair = vs->pairs[k ? k : 1];
        size_t j;
        for (j = 1; k == 0 && !pair && j < view->count; j++)
            pair = vs->pairs[j];
        if (pair)
            page_tables_skipped(out, json_object_get(pair, k ? "skipped_in_b" : "skipped_in_a"),
                                view->letters[k]);
    }
}

static void compare_section(FILE *out, const struct compare_view *view, const json_t *s,
                            const char *outdir)
{
    struct compare_view_scenario vs;
    struct compare_view_row *rows;
    size_t n;
    compare_view_scenario(view, s, &vs);
    rows = compare_view_rows(view, &vs, &n);
    compare_heading(out, view, &vs, outdir);
    fputs("<h3>Summaries side by side</h3>\n", out);
    if (n)
        page_tables_compare(out, view, rows, n);
    else if (view->count == 2)
        fputs("<p>No point of A has the sweep values of a point of B.</p>\n", out);
    else
        fputs("<p>No point of the baseline has the sweep values of a point of another "
              "set.</p>\n",
              out);
    for (size_t k = 1; k < view->count; k++)
        if (vs.pairs[k])
            points_only(out, view, &vs, k, "only_in_a");
    for (size_t k = 1; k < view->count; k++)
        if (vs.pairs[k])
            points_only(out, view, &vs, k, "only_in_b");
    skipped_lists(out, view, &vs);
    marked_list(out, view, s, rows, n);
    compare_plots(out, view, &vs, outdir);
    fputs("</section>\n", out);
    free(rows);
}

/* ---- the page ---- */

static void name_list(FILE *out, const json_t *names, const char *what)
{
    const json_t *n;
    size_t i;
    if (!json_array_size(names))
        return;
    fprintf(out, "<p>Scenarios %s: ", what);
    json_array_foreach((json_t *)names, i, n)
    {
        fputs(i ? ", " : "", out);
        html_text(out, json_string_value(n));
    }
    fputs("</p>\n", out);
}

/* The scenarios not in every set. */
static void scenarios_not_shared(FILE *out, const struct compare_view *view,
                                 const json_t *comparison)
{
    char what[COMPARE_NAME_SIZE + 64];
    if (view->count == 2) {
        name_list(out, json_object_get(comparison, "only_in_a"), "in A only (not compared)");
        name_list(out, json_object_get(comparison, "only_in_b"), "in B only (not compared)");
        return;
    }
    for (size_t k = 1; k < view->count; k++) {
        snprintf(what, sizeof what, "of the baseline not in %s", view->letters[k]);
        name_list(out, json_object_get(view->sets[k], "only_in_baseline"), what);
        snprintf(what, sizeof what, "of %s not in the baseline (not compared)", view->letters[k]);
        name_list(out, json_object_get(view->sets[k], "not_in_baseline"), what);
    }
}

/* What each set is: its letter, name, directory, label, number of
 * scenarios. */
static void sets_table(FILE *out, const struct compare_view *view)
{
    if (view->count == 2)
        fputs("<h1>Comparison of two result sets</h1>\n", out);
    else
        fprintf(out, "<h1>Comparison of %zu result sets</h1>\n", view->count);
    fputs("<div class=\"wide\"><table>\n<tr><th></th><th>name</th><th>directory</th>"
          "<th>label</th><th>scenarios</th></tr>\n",
          out);
    for (size_t k = 0; k < view->count; k++) {
        const json_t *set = view->sets[k];
        fprintf(out, "<tr><th>%s</th><td>", view->letters[k]);
        html_text(out, view->names[k]);
        fputs(k == 0 && view->count > 2 ? " (baseline)" : "", out);
        fputs("</td><td><code>", out);
        html_text(out, json_string_value(json_object_get(set, "dir")));
        fputs("</code></td><td>", out);
        html_text(out, json_string_value(json_object_get(set, "label")));
        fprintf(out, "</td><td class=\"n\">%" JSON_INTEGER_FORMAT "</td></tr>\n",
                json_integer_value(json_object_get(set, "scenarios")));
    }
    fputs("</table></div>\n", out);
}

/* How many differences are marked, and the rule that marks them. */
static void marking_rule(FILE *out, const struct compare_view *view, const json_t *comparison)
{
    json_int_t marked = json_integer_value(json_object_get(comparison, "marked"));
    fprintf(out,
            "<p><strong>%" JSON_INTEGER_FORMAT " difference%s beyond the runs' spread</strong> in "
            "%" JSON_INTEGER_FORMAT " of %zu scenarios compared. ",
            marked, marked == 1 ? "" : "s",
            json_integer_value(json_object_get(comparison, "scenarios_marked")),
            json_array_size(json_object_get(comparison, "scenarios")));
    if (view->count > 2)
        fputs("Each set is compared with the first, the baseline: a value of a set is marked "
              "when |set &minus; baseline|",
              out);
    else
        fputs("A value of B is marked when |B &minus; A|", out);
    fputs(" (medians over the repeats) exceeds the larger of the two sets' "
          "min&ndash;max spreads plus the field's tolerance: 0 for connection outcomes, "
          "which the kernel's rules decide; a timer's tolerance for times; a chunk or 1 % "
          "for bytes still moving at a run's end (docs/comparing.md, <em>The marking rule</em>). "
          "Points are matched by their sweep values. Machine-readable: "
          "<a href=\"compare.json\">compare.json</a>.</p>\n",
          out);
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

int report_compare_page(const json_t *comparison, const struct compare_view *view,
                        const char *outdir, struct hl_error *err)
{
    const json_t *scenarios = json_object_get(comparison, "scenarios"), *s;
    const json_t *envs[COMPARE_MAX_SETS];
    char path[PATH_MAX + 32], title[1200] = "backlog-lab: ";
    struct html_page page;
    size_t i;

    for (size_t k = 0; k < view->count; k++) {
        size_t used = strlen(title);
        snprintf(title + used, sizeof title - used, "%s%s", k ? " vs " : "",
                 json_string_value(json_object_get(view->sets[k], "dir")));
        envs[k] = json_object_get(view->sets[k], "environment");
    }
    int rc = html_page_begin(&page, title, err);
    if (rc)
        return rc;
    sets_table(page.out, view);
    marking_rule(page.out, view, comparison);
    scenarios_not_shared(page.out, view, comparison);
    fputs("<details><summary>Environments side by side</summary>\n", page.out);
    page_tables_environment(page.out, envs, view->names, view->count);
    fputs("</details>\n", page.out);
    compare_nav(page.out, scenarios);
    json_array_foreach(scenarios, i, s) compare_section(page.out, view, s, outdir);
    snprintf(path, sizeof path, "%s/index.html", outdir);
    return html_page_write(&page, path, err);
}
