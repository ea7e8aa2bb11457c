/* report.c: see report.h. */
#include "report.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "aggregate.h"
#include "compare.h"
#include "atomic.h"
#include "files.h"
#include "table.h"

/* ---- writing HTML ---- */

/* Text or an attribute value, with the five characters HTML gives
 * meaning to escaped; control characters become spaces. */
static void html(FILE *out, const char *text)
{
    for (; text && *text; text++) {
        switch (*text) {
        case '&':
            fputs("&amp;", out);
            break;
        case '<':
            fputs("&lt;", out);
            break;
        case '>':
            fputs("&gt;", out);
            break;
        case '"':
            fputs("&quot;", out);
            break;
        case '\'':
            fputs("&#39;", out);
            break;
        default:
            fputc((unsigned char)*text < ' ' && *text != '\n' ? ' ' : *text, out);
        }
    }
}

/* A relative link: each character outside the unreserved set and '/'
 * percent-encoded (a scenario named "a b#1" stays one file name). */
static void href(FILE *out, const char *path)
{
    for (; *path; path++) {
        unsigned char c = (unsigned char)*path;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            strchr("-._~/", c))
            fputc(c, out);
        else
            fprintf(out, "%%%02X", c);
    }
}

/* An id for a section: "s-" and the name with anything but letters,
 * digits, '-' and '_' replaced. */
static void anchor(FILE *out, const char *name)
{
    fputs("s-", out);
    for (; *name; name++) {
        unsigned char c = (unsigned char)*name;
        fputc((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_'
                  ? c
                  : '_',
              out);
    }
}

static const char style[] =
    "body{font-family:'DejaVu Sans',Verdana,sans-serif;font-size:14px;margin:1.5em;"
    "color:#222;line-height:1.4}\n"
    "h1{font-size:1.6em}h2{font-size:1.3em;margin-top:2em;border-bottom:1px solid #ccc}"
    "h3{font-size:1.05em}\n"
    "table{border-collapse:collapse;margin:0.5em 0}"
    "th,td{border:1px solid #ccc;padding:2px 6px;vertical-align:top}\n"
    "th{background:#f2f2f2;font-weight:normal}td.n{text-align:right;white-space:nowrap}\n"
    "td.flag{background:#fde0dc}td.marked{background:#f8b4ab;font-weight:bold}"
    "tr.differs td{background:#fff3c4}\n"
    "small{color:#666}.note{color:#555}\n"
    "figure{display:inline-block;width:46%;min-width:420px;margin:0.5em 1% 1em 0;"
    "vertical-align:top}\n"
    "figure img{width:100%;height:auto;border:1px solid #ddd}figcaption{font-size:0.9em}\n"
    "nav ul{columns:3}\n";

static void page_start(FILE *out, const char *title)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
          out);
    html(out, title);
    fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", style);
}

static void page_end(FILE *out)
{
    fputs("</body>\n</html>\n", out);
}

/* ---- numbers ---- */

/* How a summary field is shown: its column title and the unit it is
 * divided into (times in ms). */
struct column {
    const char *field, *title;
    double divisor;
    int always; /* shown even when 0 everywhere */
};

static const struct column columns[] = {
    {"attempted", "attempted", 1, 1},
    {"connected", "connected", 1, 1},
    {"refused", "refused", 1, 0},
    {"timed_out", "timed out", 1, 0},
    {"failed", "failed", 1, 0},
    {"reset", "reset", 1, 0},
    {"accepted", "accepted", 1, 0},
    {"bytes_sent", "bytes sent", 1, 0},
    {"bytes_read", "bytes read", 1, 0},
    {"bytes_before_first_block", "bytes before the first block", 1, 0},
    {"blocked_sends", "blocked sends", 1, 0},
    {"blocked_us", "blocked (ms)", 1000, 0},
    {"elapsed_us", "elapsed (ms)", 1000, 1},
    {"kernel.ListenOverflows", "ListenOverflows", 1, 0},
    {"kernel.ListenDrops", "ListenDrops", 1, 0},
    {"kernel.TCPSynRetrans", "TCPSynRetrans", 1, 0},
    {NULL, NULL, 0, 0},
};

static void number(FILE *out, double v, double divisor)
{
    if (divisor != 1)
        fprintf(out, "%.1f", v / divisor);
    else if (v == floor(v) && fabs(v) < 1e15)
        fprintf(out, "%.0f", v);
    else
        fprintf(out, "%.4g", v);
}

/* "median" or "median (min–max)" of a point summary's field; "–" when
 * absent. */
static void stats_cell(FILE *out, const json_t *stats, double divisor)
{
    const json_t *median = json_object_get(stats, "median");
    if (!json_is_number(median)) {
        fputs("&ndash;", out);
        return;
    }
    double lo = json_number_value(json_object_get(stats, "min"));
    double hi = json_number_value(json_object_get(stats, "max"));
    number(out, json_number_value(median), divisor);
    if (lo != hi) {
        fputs(" <small>(", out);
        number(out, lo, divisor);
        fputs("&ndash;", out);
        number(out, hi, divisor);
        fputs(")</small>", out);
    }
}

/* Whether a field is non-zero somewhere in a point summaries array. */
static int column_used(const json_t *points, const char *field)
{
    const json_t *p;
    size_t i;
    json_array_foreach(points, i, p)
    {
        const json_t *stats = json_object_get(json_object_get(p, "summary"), field);
        if (json_number_value(json_object_get(stats, "max")) != 0 ||
            json_number_value(json_object_get(stats, "min")) != 0)
            return 1;
    }
    return 0;
}

/* The sweep values of a point: "server.backlog=4, ..." or "(no sweep)". */
static void sweep_text(FILE *out, const json_t *sweep)
{
    const char *key;
    const json_t *value;
    int first = 1;
    json_object_foreach((json_t *)sweep, key, value)
    {
        char *text = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
        fputs(first ? "" : ", ", out);
        html(out, key);
        fputc('=', out);
        html(out, text);
        free(text);
        first = 0;
    }
    if (first)
        fputs("(no sweep)", out);
}

/* ---- an environment ---- */

static void value_cell(FILE *out, const json_t *v)
{
    if (json_is_string(v)) {
        html(out, json_string_value(v));
    } else if (!v) {
        fputs("&ndash;", out);
    } else {
        char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        html(out, text);
        free(text);
    }
}

static const char *const environment_keys[] = {
    "hostname",        "kernel", "kernel_version", "machine",    "cpus", "private_netns",
    "harness_version", "libuv",  "jansson",        "started_at", NULL};

/* A table of one environment, or of two side by side (b non-NULL), rows
 * that differ shaded. */
static void environment_table(FILE *out, const json_t *a, const json_t *b)
{
    const json_t *sa = json_object_get(a, "sysctls"), *sb = json_object_get(b, "sysctls");
    const char *key;
    const json_t *value;
    fputs("<table>\n", out);
    if (b)
        fputs("<tr><th></th><th>A</th><th>B</th></tr>\n", out);
    for (int i = 0; environment_keys[i]; i++) {
        const json_t *va = json_object_get(a, environment_keys[i]);
        const json_t *vb = json_object_get(b, environment_keys[i]);
        int differs = b && !(va && vb && json_equal((json_t *)va, (json_t *)vb));
        fprintf(out, "<tr%s><th>%s</th><td>", differs ? " class=\"differs\"" : "",
                environment_keys[i]);
        value_cell(out, va);
        if (b) {
            fputs("</td><td>", out);
            value_cell(out, vb);
        }
        fputs("</td></tr>\n", out);
    }
    json_object_foreach((json_t *)sa, key, value)
    {
        const json_t *vb = json_object_get(sb, key);
        int differs = b && !(vb && json_equal((json_t *)value, (json_t *)vb));
        fprintf(out, "<tr%s><th>", differs ? " class=\"differs\"" : "");
        html(out, key);
        fputs("</th><td>", out);
        value_cell(out, value);
        if (b) {
            fputs("</td><td>", out);
            value_cell(out, vb);
        }
        fputs("</td></tr>\n", out);
    }
    json_object_foreach((json_t *)sb, key, value)
    {
        if (json_object_get(sa, key))
            continue;
        fputs("<tr class=\"differs\"><th>", out);
        html(out, key);
        fputs("</th><td>&ndash;</td><td>", out);
        value_cell(out, value);
        fputs("</td></tr>\n", out);
    }
    fputs("</table>\n", out);
}

/* ---- plots ---- */

static int version_order(const struct dirent **a, const struct dirent **b)
{
    return strverscmp((*a)->d_name, (*b)->d_name);
}

static int is_png(const struct dirent *entry)
{
    size_t n = strlen(entry->d_name);
    return entry->d_name[0] != '.' && n > 4 && strcmp(entry->d_name + n - 4, ".png") == 0;
}

/* A figure: the PNG (linked to the SVG when there is one), a caption and
 * links to the SVG and the data table. base: the plot's path without
 * extension, relative to the page; dir: the page's directory. */
static void figure(FILE *out, const char *dir, const char *base, const char *caption,
                   const char *alt)
{
    char path[PATH_MAX * 2];
    int svg, dat;
    snprintf(path, sizeof path, "%s/%s.svg", dir, base);
    svg = files_exists(path);
    snprintf(path, sizeof path, "%s/%s.dat", dir, base);
    dat = files_exists(path);
    fputs("<figure>", out);
    if (svg) {
        fputs("<a href=\"", out);
        href(out, base);
        fputs(".svg\">", out);
    }
    fputs("<img src=\"", out);
    href(out, base);
    fputs(".png\" alt=\"", out);
    html(out, alt);
    fputs("\" width=\"900\" height=\"560\" loading=\"lazy\">", out);
    if (svg)
        fputs("</a>", out);
    fputs("<figcaption>", out);
    html(out, caption);
    if (svg) {
        fputs(" &middot; <a href=\"", out);
        href(out, base);
        fputs(".svg\">SVG</a>", out);
    }
    if (dat) {
        fputs(" &middot; <a href=\"", out);
        href(out, base);
        fputs(".dat\">data</a>", out);
    }
    fputs("</figcaption></figure>\n", out);
}

/* Every PNG in dir/sub/ that the results' plots list implies
 * (table_plot_implied: a plot of a kind no longer listed, or of a point
 * that no longer exists, is left over from earlier results), in version
 * order (p2 before p10). */
static void plots_in(FILE *out, const char *dir, const char *sub, const char *scenario,
                     const json_t *results)
{
    struct dirent **names = NULL;
    char path[PATH_MAX * 2];
    int n, kept = 0;
    snprintf(path, sizeof path, "%s/%s", dir, sub);
    n = scandir(path, &names, is_png, version_order);
    for (int i = 0; i < n; i++) {
        char base[256];
        snprintf(base, sizeof base, "%.*s", (int)strlen(names[i]->d_name) - 4, names[i]->d_name);
        if (table_plot_implied(results, base))
            names[kept++] = names[i];
        else
            free(names[i]);
    }
    if (n > 0)
        n = kept;
    if (n <= 0) {
        fputs("<p class=\"note\">No plots yet: <code>build/harness-plot</code> draws them "
              "(<code>make experiments</code> does).</p>\n",
              out);
        free(names);
        return;
    }
    for (int i = 0; i < n; i++) {
        char base[PATH_MAX * 2], alt[1024], caption[300];
        int len = (int)strlen(names[i]->d_name) - 4;
        snprintf(base, sizeof base, "%s/%.*s", sub, len, names[i]->d_name);
        snprintf(caption, sizeof caption, "%.*s", len, names[i]->d_name);
        snprintf(alt, sizeof alt, "%s: the %s plot", scenario, caption);
        figure(out, dir, base, caption, alt);
        free(names[i]);
    }
    free(names);
}

/* ---- the results page ---- */

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
            sweep_text(out, json_object_get(p, "sweep"));
            fputs(": <code>", out);
            html(out, text);
            fputs("</code></li>\n", out);
            free(text);
        }
    }
    fputs("</ul>\n", out);
}

static void predictions_cell(FILE *out, const json_t *point)
{
    const json_t *predictions = json_object_get(point, "predictions"), *p;
    const char *key;
    int first = 1;
    json_object_foreach((json_t *)predictions, key, p)
    {
        const json_t *value = json_object_get(p, "value");
        fputs(first ? "" : "; ", out);
        html(out, key);
        if (json_is_number(value)) {
            const char *kind = json_string_value(json_object_get(p, "kind"));
            fputs(kind && strcmp(kind, "at_most") == 0 ? " &le; " : " = ", out);
            number(out, json_number_value(value), 1);
        } else if (strcmp(key, "connect_us") == 0) {
            fputs(": SYN retransmit times", out);
        }
        first = 0;
    }
    if (first)
        fputs("&ndash;", out);
}

/* The points a results file did not run, and why (a "skipped" array of
 * results, or compare.json's skipped_in_a/b): a paragraph, or nothing. */
static void skipped_list(FILE *out, const json_t *skipped, const char *set)
{
    const json_t *p;
    size_t i;
    if (!json_array_size(skipped))
        return;
    fprintf(out, "<p>Points not run%s%s:</p>\n<ul>\n", set ? " in " : "", set ? set : "");
    json_array_foreach((json_t *)skipped, i, p)
    {
        fputs("<li>", out);
        sweep_text(out, json_object_get(p, "sweep"));
        fputs(": ", out);
        html(out, json_string_value(json_object_get(p, "reason")));
        fputs("</li>\n", out);
    }
    fputs("</ul>\n", out);
}

static void summary_table(FILE *out, const json_t *points)
{
    const json_t *p;
    size_t i;
    if (!json_array_size(points)) {
        fputs("<p>No point ran.</p>\n", out);
        return;
    }
    fputs("<table>\n<tr><th>point</th><th>repeats</th>", out);
    for (int c = 0; columns[c].field; c++)
        if (columns[c].always || column_used(points, columns[c].field))
            fprintf(out, "<th>%s</th>", columns[c].title);
    fputs("<th>predicted</th></tr>\n", out);
    json_array_foreach(points, i, p)
    {
        fputs("<tr><td>", out);
        sweep_text(out, json_object_get(p, "sweep"));
        fprintf(out, "</td><td class=\"n\">%" JSON_INTEGER_FORMAT "</td>",
                json_integer_value(json_object_get(p, "repeats")));
        for (int c = 0; columns[c].field; c++) {
            if (!columns[c].always && !column_used(points, columns[c].field))
                continue;
            fprintf(out, "<td class=\"n%s\">",
                    aggregate_flagged(p, columns[c].field) ? " flag" : "");
            stats_cell(out, json_object_get(json_object_get(p, "summary"), columns[c].field),
                       columns[c].divisor);
            fputs("</td>", out);
        }
        fputs("<td>", out);
        predictions_cell(out, p);
        fputs("</td></tr>\n", out);
    }
    fputs("</table>\n", out);
}

static void results_section(FILE *out, const struct resultset *set, const struct resultset_entry *e)
{
    const json_t *r = e->results;
    const char *description = json_string_value(json_object_get(r, "description"));
    const char *scenario_file = json_string_value(json_object_get(r, "scenario_file"));
    const json_t *points = json_object_get(r, "point_summaries");
    char json_name[300];

    fputs("<section id=\"", out);
    anchor(out, e->name);
    fputs("\">\n<h2>", out);
    html(out, e->name);
    fputs("</h2>\n", out);
    if (description && description[0]) {
        fputs("<p>", out);
        html(out, description);
        fputs("</p>\n", out);
    }
    snprintf(json_name, sizeof json_name, "%s.json", e->stem);
    fputs("<p>Raw results: <a href=\"", out);
    href(out, json_name);
    fputs("\">", out);
    html(out, json_name);
    fprintf(out, "</a> (%" JSON_INTEGER_FORMAT " points &times; %" JSON_INTEGER_FORMAT " repeats)",
            json_integer_value(json_object_get(r, "points")),
            json_integer_value(json_object_get(r, "repeat")));
    if (scenario_file) {
        fputs(", from <code>", out);
        html(out, scenario_file);
        fputs("</code>", out);
    }
    fputs(".</p>\n<details><summary>Environment</summary>\n", out);
    environment_table(out, json_object_get(r, "environment"), NULL);
    fputs("</details>\n<h3>Summary per point</h3>\n", out);
    summary_table(out, points);
    fputs("<p class=\"note\">Medians over the repeats, with (min&ndash;max) where they differ; "
          "columns that are 0 at every point are left out; shaded: departs from the "
          "prediction.</p>\n",
          out);
    flags_list(out, points);
    skipped_list(out, json_object_get(r, "skipped"), NULL);
    fputs("<h3>Plots</h3>\n", out);
    plots_in(out, set->dir, e->stem, e->name, r);
    fputs("</section>\n", out);
}

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
            href(out, link);
            fputs("\">", out);
            html(out, link);
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

static int write_page(const char *path, char *text, size_t size, struct hl_error *err)
{
    int rc = atomic_write_text(path, text, size, err);
    free(text);
    return rc;
}

int report_results_page(const struct resultset *set, struct hl_error *err)
{
    char *text = NULL, path[PATH_MAX + 32];
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    if (!out)
        return hl_error_setn(err, errno, NULL, "open_memstream: %s", strerror(errno));

    page_start(out, "backlog-lab results");
    fputs("<h1>backlog-lab results</h1>\n", out);
    fprintf(out, "<p>%zu scenario%s measured in <code>", set->count, set->count == 1 ? "" : "s");
    html(out, set->dir);
    fputs("</code>. Each plot links to its SVG; <code>make experiments</code> and "
          "<code>make compare</code> rewrite this page.</p>\n",
          out);
    snprintf(path, sizeof path, "%s/compare/index.html", set->dir);
    if (files_exists(path))
        fputs("<p>The latest comparison: <a href=\"compare/index.html\">compare/index.html</a>"
              "</p>\n",
              out);
    reference_sets(out, set->dir);
    if (set->count) {
        fputs("<nav><ul>\n", out);
        for (size_t i = 0; i < set->count; i++) {
            fputs("<li><a href=\"#", out);
            anchor(out, set->entries[i].name);
            fputs("\">", out);
            html(out, set->entries[i].name);
            fputs("</a></li>\n", out);
        }
        fputs("</ul></nav>\n", out);
    } else {
        fputs("<p>No results yet: <code>make experiments</code> runs every scenario.</p>\n", out);
    }
    for (size_t i = 0; i < set->count; i++)
        results_section(out, set, &set->entries[i]);
    page_end(out);
    if (fclose(out))
        return hl_error_setn(err, errno, NULL, "cannot build the page");
    snprintf(path, sizeof path, "%s/index.html", set->dir);
    return write_page(path, text, size, err);
}

/* ---- the comparison page ---- */

/* The compared fields to show for a scenario: those non-zero somewhere in
 * either set, in the rule table's order. */
static int field_shown(const json_t *points, const char *field)
{
    const json_t *p;
    size_t i;
    json_array_foreach(points, i, p)
    {
        const json_t *f = json_object_get(json_object_get(p, "fields"), field);
        const char *sides[2] = {"a", "b"};
        for (int s = 0; s < 2; s++) {
            const json_t *stats = json_object_get(f, sides[s]);
            if (json_number_value(json_object_get(stats, "max")) != 0 ||
                json_number_value(json_object_get(stats, "min")) != 0)
                return 1;
        }
        if (json_is_true(json_object_get(f, "marked")))
            return 1;
    }
    return 0;
}

static double divisor_of(const char *field)
{
    size_t n = strlen(field);
    return n > 3 && strcmp(field + n - 3, "_us") == 0 ? 1000 : 1;
}

static void field_title(FILE *out, const char *field)
{
    const char *dot = strrchr(field, '.');
    for (int c = 0; columns[c].field; c++) {
        if (strcmp(columns[c].field, field) == 0) {
            fputs(columns[c].title, out);
            return;
        }
    }
    html(out, strncmp(field, "kernel.", 7) == 0 && dot ? dot + 1 : field);
    if (divisor_of(field) != 1)
        fputs(" (ms)", out);
}

static void compare_table(FILE *out, const json_t *scenario)
{
    const json_t *points = json_object_get(scenario, "points"), *p;
    size_t i, shown = 0;
    const char *field;

    fputs("<table>\n<tr><th rowspan=\"2\">point</th>", out);
    for (size_t f = 0; (field = compare_field(f)); f++) {
        if (!field_shown(points, field))
            continue;
        fputs("<th colspan=\"2\">", out);
        field_title(out, field);
        fputs("</th>", out);
        shown++;
    }
    fputs("</tr>\n<tr>", out);
    for (size_t k = 0; k < shown; k++)
        fputs("<th>A</th><th>B</th>", out);
    fputs("</tr>\n", out);
    json_array_foreach(points, i, p)
    {
        fputs("<tr><td>", out);
        sweep_text(out, json_object_get(p, "sweep"));
        fputs("</td>", out);
        for (size_t f = 0; (field = compare_field(f)); f++) {
            const json_t *rec = json_object_get(json_object_get(p, "fields"), field);
            int marked = json_is_true(json_object_get(rec, "marked"));
            double divisor = divisor_of(field);
            if (!field_shown(points, field))
                continue;
            fputs("<td class=\"n\">", out);
            stats_cell(out, json_object_get(rec, "a"), divisor);
            fprintf(out, "</td><td class=\"n%s\"", marked ? " marked" : "");
            if (marked && json_is_number(json_object_get(rec, "difference"))) {
                fputs(" title=\"B &minus; A = ", out);
                number(out, json_number_value(json_object_get(rec, "difference")), divisor);
                fputs(", more than the ", out);
                number(out, json_number_value(json_object_get(rec, "allowed")), divisor);
                fputs(" allowed (", out);
                html(out, json_string_value(json_object_get(rec, "class")));
                fputs(")\"", out);
            }
            fputc('>', out);
            stats_cell(out, json_object_get(rec, "b"), divisor);
            fputs("</td>", out);
        }
        fputs("</tr>\n", out);
    }
    fputs("</table>\n", out);
}

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
            double divisor = divisor_of(field);
            fputs("<li>", out);
            sweep_text(out, json_object_get(p, "sweep"));
            fputs(": <code>", out);
            html(out, field);
            fputs("</code> A ", out);
            stats_cell(out, json_object_get(rec, "a"), divisor);
            fputs(", B ", out);
            stats_cell(out, json_object_get(rec, "b"), divisor);
            if (json_is_number(json_object_get(rec, "allowed"))) {
                fputs(" (allowed: ", out);
                number(out, json_number_value(json_object_get(rec, "allowed")), divisor);
                fputs(", ", out);
                html(out, json_string_value(json_object_get(rec, "class")));
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
        sweep_text(out, json_object_get(p, "sweep"));
    }
    fputs("</p>\n", out);
}

static void json_link(FILE *out, const char *outdir, const char *file)
{
    char link[PATH_MAX];
    struct hl_error ignored;
    if (!file || files_relative_path(outdir, file, link, sizeof link, &ignored)) {
        html(out, file ? file : "?");
        return;
    }
    fputs("<a href=\"", out);
    href(out, link);
    fputs("\">", out);
    html(out, file);
    fputs("</a>", out);
}

static void compare_section(FILE *out, const json_t *s, const char *outdir)
{
    const char *name = json_string_value(json_object_get(s, "name"));
    const char *description = json_string_value(json_object_get(s, "description"));
    const char *stem = json_string_value(json_object_get(s, "a_stem"));
    const json_t *labels = json_object_get(s, "labels"), *line, *plot;
    size_t i;

    fputs("<section id=\"", out);
    anchor(out, name);
    fputs("\">\n<h2>", out);
    html(out, name);
    fputs("</h2>\n", out);
    if (description && description[0]) {
        fputs("<p>", out);
        html(out, description);
        fputs("</p>\n", out);
    }
    fputs("<p>A: ", out);
    html(out, json_string_value(json_object_get(labels, "a")));
    fputs(" &middot; ", out);
    json_link(out, outdir, json_string_value(json_object_get(s, "a_file")));
    fputs("<br>B: ", out);
    html(out, json_string_value(json_object_get(labels, "b")));
    fputs(" &middot; ", out);
    json_link(out, outdir, json_string_value(json_object_get(s, "b_file")));
    fputs("</p>\n", out);
    if (json_array_size(json_object_get(s, "scenario_differs"))) {
        fputs("<p>The scenarios differ:</p>\n<ul>\n", out);
        json_array_foreach(json_object_get(s, "scenario_differs"), i, line)
        {
            fputs("<li><code>", out);
            html(out, json_string_value(line));
            fputs("</code></li>\n", out);
        }
        fputs("</ul>\n", out);
    }
    fputs("<h3>Summaries side by side</h3>\n", out);
    if (json_array_size(json_object_get(s, "points")))
        compare_table(out, s);
    else
        fputs("<p>No point of A has the sweep values of a point of B.</p>\n", out);
    points_only(out, s, "only_in_a", "A");
    points_only(out, s, "only_in_b", "B");
    skipped_list(out, json_object_get(s, "skipped_in_a"), "A");
    skipped_list(out, json_object_get(s, "skipped_in_b"), "B");
    marked_list(out, s);
    if (json_array_size(json_object_get(s, "plots")) ||
        json_array_size(json_object_get(s, "plot_notes")))
        fputs("<h3>Plots</h3>\n", out);
    json_array_foreach(json_object_get(s, "plots"), i, plot)
    {
        char base[PATH_MAX], alt[1024];
        const char *plot_name = json_string_value(json_object_get(plot, "name"));
        snprintf(base, sizeof base, "%s/%s", stem, plot_name);
        snprintf(alt, sizeof alt, "%s: %s", name,
                 json_string_value(json_object_get(plot, "caption")));
        figure(out, outdir, base, json_string_value(json_object_get(plot, "caption")), alt);
    }
    json_array_foreach(json_object_get(s, "plot_notes"), i, line)
    {
        fputs("<p class=\"note\">Not drawn: ", out);
        html(out, json_string_value(line));
        fputs("</p>\n", out);
    }
    fputs("</section>\n", out);
}

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
        html(out, json_string_value(n));
    }
    fputs("</p>\n", out);
}

int report_compare_page(const json_t *comparison, const char *outdir, struct hl_error *err)
{
    const json_t *a = json_object_get(comparison, "a"), *b = json_object_get(comparison, "b");
    const json_t *scenarios = json_object_get(comparison, "scenarios"), *s;
    char *text = NULL, path[PATH_MAX + 32], title[1200];
    size_t size = 0, i;
    FILE *out = open_memstream(&text, &size);
    if (!out)
        return hl_error_setn(err, errno, NULL, "open_memstream: %s", strerror(errno));

    snprintf(title, sizeof title, "backlog-lab: %s vs %s",
             json_string_value(json_object_get(a, "dir")),
             json_string_value(json_object_get(b, "dir")));
    page_start(out, title);
    fputs("<h1>Comparison of two result sets</h1>\n<table>\n"
          "<tr><th></th><th>directory</th><th>label</th><th>scenarios</th></tr>\n",
          out);
    for (int side = 0; side < 2; side++) {
        const json_t *set = side ? b : a;
        fprintf(out, "<tr><th>%s</th><td><code>", side ? "B" : "A");
        html(out, json_string_value(json_object_get(set, "dir")));
        fputs("</code></td><td>", out);
        html(out, json_string_value(json_object_get(set, "label")));
        fprintf(out, "</td><td class=\"n\">%" JSON_INTEGER_FORMAT "</td></tr>\n",
                json_integer_value(json_object_get(set, "scenarios")));
    }
    fputs("</table>\n", out);
    fprintf(out,
            "<p><strong>%" JSON_INTEGER_FORMAT " difference%s beyond the runs' spread</strong> in "
            "%" JSON_INTEGER_FORMAT " of %zu scenarios compared. A value of B is marked when "
            "|B &minus; A| (medians over the repeats) exceeds the larger of the two sets' "
            "min&ndash;max spreads plus the field's tolerance: 0 for connection outcomes, "
            "which the kernel's rules decide; a timer's tolerance for times; a chunk or 1 %% "
            "for bytes still moving at a run's end (README: <em>Comparing results</em>). "
            "Points are matched by their sweep values. Machine-readable: "
            "<a href=\"compare.json\">compare.json</a>.</p>\n",
            json_integer_value(json_object_get(comparison, "marked")),
            json_integer_value(json_object_get(comparison, "marked")) == 1 ? "" : "s",
            json_integer_value(json_object_get(comparison, "scenarios_marked")),
            json_array_size(scenarios));
    name_list(out, json_object_get(comparison, "only_in_a"), "A");
    name_list(out, json_object_get(comparison, "only_in_b"), "B");
    fputs("<details><summary>Environments side by side</summary>\n", out);
    environment_table(out, json_object_get(a, "environment"), json_object_get(b, "environment"));
    fputs("</details>\n", out);
    if (json_array_size(scenarios)) {
        fputs("<nav><ul>\n", out);
        json_array_foreach(scenarios, i, s)
        {
            json_int_t marked = json_integer_value(json_object_get(s, "marked"));
            fputs("<li><a href=\"#", out);
            anchor(out, json_string_value(json_object_get(s, "name")));
            fputs("\">", out);
            html(out, json_string_value(json_object_get(s, "name")));
            fputs("</a>", out);
            if (marked)
                fprintf(out, " <strong>(%" JSON_INTEGER_FORMAT " marked)</strong>", marked);
            fputs("</li>\n", out);
        }
        fputs("</ul></nav>\n", out);
    }
    json_array_foreach(scenarios, i, s) compare_section(out, s, outdir);
    page_end(out);
    if (fclose(out))
        return hl_error_setn(err, errno, NULL, "cannot build the page");
    snprintf(path, sizeof path, "%s/index.html", outdir);
    return write_page(path, text, size, err);
}
