/* page_tables.c: see page_tables.h. */
#include "page_tables.h"

#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "cells.h"
#include "compare.h"
#include "html.h"

/* ---- an environment ---- */

static const char *const environment_keys[] = {
    "hostname",        "kernel", "kernel_version", "machine",    "cpus", "private_netns",
    "harness_version", "libuv",  "jansson",        "started_at", NULL};

/* A row: a's value, and b's when two_sides, shaded when they differ. */
static void environment_row(FILE *out, const char *key, const json_t *va, const json_t *vb,
                            int two_sides)
{
    int differs = two_sides && !(va && vb && json_equal((json_t *)va, (json_t *)vb));
    fprintf(out, "<tr%s><th>", differs ? " class=\"differs\"" : "");
    html_text(out, key);
    fputs("</th><td>", out);
    cells_value(out, va);
    if (two_sides) {
        fputs("</td><td>", out);
        cells_value(out, vb);
    }
    fputs("</td></tr>\n", out);
}

void page_tables_environment(FILE *out, const json_t *a, const json_t *b)
{
    const json_t *sa = json_object_get(a, "sysctls"), *sb = json_object_get(b, "sysctls");
    const char *key;
    const json_t *value;
    fputs("<table>\n", out);
    if (b)
        fputs("<tr><th></th><th>A</th><th>B</th></tr>\n", out);
    for (int i = 0; environment_keys[i]; i++)
        environment_row(out, environment_keys[i], json_object_get(a, environment_keys[i]),
                        json_object_get(b, environment_keys[i]), b != NULL);
    json_object_foreach((json_t *)sa, key, value)
    {
        environment_row(out, key, value, json_object_get(sb, key), b != NULL);
    }
    json_object_foreach((json_t *)sb, key, value)
    {
        if (!json_object_get(sa, key))
            environment_row(out, key, NULL, value, 1);
    }
    fputs("</table>\n", out);
}

/* ---- a results file's summary per point ---- */

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

static int column_shown(const json_t *points, const struct cells_column *column)
{
    return column->always || column_used(points, column->field);
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
        html_text(out, key);
        if (json_is_number(value)) {
            const char *kind = json_string_value(json_object_get(p, "kind"));
            fputs(kind && strcmp(kind, "at_most") == 0 ? " &le; " : " = ", out);
            cells_number(out, json_number_value(value), 1);
        } else if (strcmp(key, "connect_us") == 0) {
            fputs(": SYN retransmit times", out);
        }
        first = 0;
    }
    if (first)
        fputs("&ndash;", out);
}

static void summary_row(FILE *out, const json_t *points, const json_t *point)
{
    fputs("<tr><td>", out);
    cells_sweep(out, json_object_get(point, "sweep"));
    fprintf(out, "</td><td class=\"n\">%" JSON_INTEGER_FORMAT "</td>",
            json_integer_value(json_object_get(point, "repeats")));
    for (const struct cells_column *c = cells_columns; c->field; c++) {
        if (!column_shown(points, c))
            continue;
        fprintf(out, "<td class=\"n%s\">", aggregate_flagged(point, c->field) ? " flag" : "");
        cells_stats(out, json_object_get(json_object_get(point, "summary"), c->field), c->divisor);
        fputs("</td>", out);
    }
    fputs("<td>", out);
    predictions_cell(out, point);
    fputs("</td></tr>\n", out);
}

void page_tables_summary(FILE *out, const json_t *points)
{
    const json_t *p;
    size_t i;
    if (!json_array_size(points)) {
        fputs("<p>No point ran.</p>\n", out);
        return;
    }
    fputs("<table>\n<tr><th>point</th><th>repeats</th>", out);
    for (const struct cells_column *c = cells_columns; c->field; c++)
        if (column_shown(points, c))
            fprintf(out, "<th>%s</th>", c->title);
    fputs("<th>predicted</th></tr>\n", out);
    json_array_foreach(points, i, p) summary_row(out, points, p);
    fputs("</table>\n", out);
}

/* ---- a compared scenario, side by side ---- */

/* Whether a compared field is shown: non-zero somewhere in either set, or
 * marked. */
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

/* The two header rows: each field shown over its A and B columns. */
static void compare_header(FILE *out, const json_t *points)
{
    const char *field;
    size_t shown = 0;
    fputs("<table>\n<tr><th rowspan=\"2\">point</th>", out);
    for (size_t f = 0; (field = compare_field(f)); f++) {
        if (!field_shown(points, field))
            continue;
        fputs("<th colspan=\"2\">", out);
        cells_field_title(out, field);
        fputs("</th>", out);
        shown++;
    }
    fputs("</tr>\n<tr>", out);
    for (size_t k = 0; k < shown; k++)
        fputs("<th>A</th><th>B</th>", out);
    fputs("</tr>\n", out);
}

/* A field's A and B cells; B's, when marked, says by how much in its
 * title. */
static void compare_cells(FILE *out, const char *field, const json_t *record)
{
    int marked = json_is_true(json_object_get(record, "marked"));
    double divisor = cells_divisor(field);
    fputs("<td class=\"n\">", out);
    cells_stats(out, json_object_get(record, "a"), divisor);
    fprintf(out, "</td><td class=\"n%s\"", marked ? " marked" : "");
    if (marked && json_is_number(json_object_get(record, "difference"))) {
        fputs(" title=\"B &minus; A = ", out);
        cells_number(out, json_number_value(json_object_get(record, "difference")), divisor);
        fputs(", more than the ", out);
        cells_number(out, json_number_value(json_object_get(record, "allowed")), divisor);
        fputs(" allowed (", out);
        html_text(out, json_string_value(json_object_get(record, "class")));
        fputs(")\"", out);
    }
    fputc('>', out);
    cells_stats(out, json_object_get(record, "b"), divisor);
    fputs("</td>", out);
}

void page_tables_compare(FILE *out, const json_t *scenario)
{
    const json_t *points = json_object_get(scenario, "points"), *p;
    const char *field;
    size_t i;
    compare_header(out, points);
    json_array_foreach(points, i, p)
    {
        fputs("<tr><td>", out);
        cells_sweep(out, json_object_get(p, "sweep"));
        fputs("</td>", out);
        for (size_t f = 0; (field = compare_field(f)); f++)
            if (field_shown(points, field))
                compare_cells(out, field, json_object_get(json_object_get(p, "fields"), field));
        fputs("</tr>\n", out);
    }
    fputs("</table>\n", out);
}

/* ---- points not run ---- */

void page_tables_skipped(FILE *out, const json_t *skipped, const char *set)
{
    const json_t *p;
    size_t i;
    if (!json_array_size(skipped))
        return;
    fprintf(out, "<p>Points not run%s%s:</p>\n<ul>\n", set ? " in " : "", set ? set : "");
    json_array_foreach((json_t *)skipped, i, p)
    {
        fputs("<li>", out);
        cells_sweep(out, json_object_get(p, "sweep"));
        fputs(": ", out);
        html_text(out, json_string_value(json_object_get(p, "reason")));
        fputs("</li>\n", out);
    }
    fputs("</ul>\n", out);
}
