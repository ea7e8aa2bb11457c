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

/* A row: each environment's value, shaded when they differ. */
static void environment_row(FILE *out, const char *key, const json_t *const *values, size_t n)
{
    int differs = 0;
    for (size_t k = 1; k < n; k++)
        differs |=
            !(values[0] && values[k] && json_equal((json_t *)values[0], (json_t *)values[k]));
    fprintf(out, "<tr%s><th>", differs ? " class=\"differs\"" : "");
    html_text(out, key);
    fputs("</th>", out);
    for (size_t k = 0; k < n; k++) {
        fputs("<td>", out);
        cells_value(out, values[k]);
        fputs("</td>", out);
    }
    fputs("</tr>\n", out);
}

/* Whether an earlier environment than k's has the sysctl. */
static int sysctl_seen(const json_t *const *envs, size_t k, const char *key)
{
    for (size_t j = 0; j < k; j++)
        if (json_object_get(json_object_get(envs[j], "sysctls"), key))
            return 1;
    return 0;
}

void page_tables_environment(FILE *out, const json_t *const *envs, const char *const *names,
                             size_t n)
{
    const json_t *values[PAGE_TABLES_MAX_SETS];
    const char *key;
    const json_t *value;
    if (n > PAGE_TABLES_MAX_SETS)
        n = PAGE_TABLES_MAX_SETS;
    fputs("<div class=\"wide\"><table>\n", out);
    if (n > 1) {
        fputs("<tr><th></th>", out);
        for (size_t k = 0; k < n; k++) {
            fputs("<th>", out);
            html_text(out, names[k]);
            fputs("</th>", out);
        }
        fputs("</tr>\n", out);
    }
    for (int i = 0; environment_keys[i]; i++) {
        for (size_t k = 0; k < n; k++)
            values[k] = json_object_get(envs[k], environment_keys[i]);
        environment_row(out, environment_keys[i], values, n);
    }
    /* every sysctl any of them has, in the order they first appear */
    for (size_t j = 0; j < n; j++) {
        json_object_foreach(json_object_get(envs[j], "sysctls"), key, value)
        {
            if (sysctl_seen(envs, j, key))
                continue;
            for (size_t k = 0; k < n; k++)
                values[k] = json_object_get(json_object_get(envs[k], "sysctls"), key);
            environment_row(out, key, values, n);
        }
    }
    fputs("</table></div>\n", out);
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
    fputs("<div class=\"wide\"><table>\n<tr><th>point</th><th>repeats</th>", out);
    for (const struct cells_column *c = cells_columns; c->field; c++)
        if (column_shown(points, c))
            fprintf(out, "<th>%s</th>", c->title);
    fputs("<th>predicted</th></tr>\n", out);
    json_array_foreach(points, i, p) summary_row(out, points, p);
    fputs("</table></div>\n", out);
}

/* ---- a compared scenario, one column per set ---- */

/* Whether a compared field is shown: non-zero somewhere in any set, or
 * marked. */
static int field_shown(const struct compare_view *view, const struct compare_view_row *rows,
                       size_t n, const char *field)
{
    for (size_t r = 0; r < n; r++) {
        for (size_t k = 0; k < view->count; k++) {
            const json_t *stats;
            const json_t *record = compare_view_field(&rows[r], view->count, k, field, &stats);
            if (json_number_value(json_object_get(stats, "max")) != 0 ||
                json_number_value(json_object_get(stats, "min")) != 0)
                return 1;
            if (k && json_is_true(json_object_get(record, "marked")))
                return 1;
        }
    }
    return 0;
}

/* The two header rows: each field shown over one column per set. */
static void compare_header(FILE *out, const struct compare_view *view, const char *const *fields,
                           size_t shown)
{
    fputs("<div class=\"wide\"><table>\n<tr><th rowspan=\"2\">point</th>", out);
    for (size_t f = 0; f < shown; f++) {
        fprintf(out, "<th colspan=\"%zu\">", view->count);
        cells_field_title(out, fields[f]);
        fputs("</th>", out);
    }
    fputs("</tr>\n<tr>", out);
    for (size_t f = 0; f < shown; f++) {
        for (size_t k = 0; k < view->count; k++) {
            fputs("<th>", out);
            html_text(out, view->names[k]);
            fputs("</th>", out);
        }
    }
    fputs("</tr>\n", out);
}

/* A field's cell for set k of a row; a marked one says in its title by
 * how much it differs from the baseline's. */
static void compare_cell(FILE *out, const struct compare_view *view,
                         const struct compare_view_row *row, size_t k, const char *field)
{
    const json_t *stats;
    const json_t *record = compare_view_field(row, view->count, k, field, &stats);
    int marked = k && json_is_true(json_object_get(record, "marked"));
    double divisor = cells_divisor(field);
    fprintf(out, "<td class=\"n%s\"", marked ? " marked" : "");
    if (marked && json_is_number(json_object_get(record, "difference"))) {
        fprintf(out, " title=\"%s &minus; %s = ", view->letters[k], view->letters[0]);
        cells_number(out, json_number_value(json_object_get(record, "difference")), divisor);
        fputs(", more than the ", out);
        cells_number(out, json_number_value(json_object_get(record, "allowed")), divisor);
        fputs(" allowed (", out);
        html_text(out, json_string_value(json_object_get(record, "class")));
        fputs(")\"", out);
    }
    fputc('>', out);
    cells_stats(out, stats, divisor);
    fputs("</td>", out);
}

void page_tables_compare(FILE *out, const struct compare_view *view,
                         const struct compare_view_row *rows, size_t n)
{
    const char *fields[64], *field;
    size_t shown = 0;
    for (size_t f = 0; (field = compare_field(f)) && shown < 64; f++)
        if (field_shown(view, rows, n, field))
            fields[shown++] = field;
    compare_header(out, view, fields, shown);
    for (size_t r = 0; r < n; r++) {
        fputs("<tr><td>", out);
        cells_sweep(out, rows[r].sweep);
        fputs("</td>", out);
        for (size_t f = 0; f < shown; f++)
            for (size_t k = 0; k < view->count; k++)
                compare_cell(out, view, &rows[r], k, fields[f]);
        fputs("</tr>\n", out);
    }
    fputs("</table></div>\n", out);
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
