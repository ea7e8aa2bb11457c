/* table.c: see table.h. */
#include "table.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "plotkind.h"
#include "table_read.h"

/* Splits base into its kind and point: "transfer-p4" -> "transfer", 4;
 * "latency" -> "latency", -1. 0 when it names no known kind. */
static int plot_name_split(const char *base, char *kind, size_t size, long long *point)
{
    const struct plot_kind *found;
    const char *dash = strstr(base, "-p");
    size_t n = strlen(base);
    *point = -1;
    if (dash && dash[2] >= '0' && dash[2] <= '9' &&
        strspn(dash + 2, "0123456789") == strlen(dash + 2) && strlen(dash + 2) < 10) {
        n = (size_t)(dash - base);
        *point = strtoll(dash + 2, NULL, 10);
    }
    if (n >= size)
        return 0;
    memcpy(kind, base, n);
    kind[n] = '\0';
    found = plot_kind_find(kind);
    if (!found)
        return 0;
    return *point < 0 || found->drawn == PLOT_PER_POINT;
}

int table_plot_name_known(const char *base)
{
    char kind[32];
    long long point;
    return plot_name_split(base, kind, sizeof kind, &point);
}

int table_plot_rank(const char *base)
{
    char kind[32];
    long long point;
    if (!plot_name_split(base, kind, sizeof kind, &point))
        return -1;
    return plot_kind_id(kind);
}

int table_plot_implied(const json_t *results, const char *base)
{
    char kind[32];
    long long point;
    const json_t *plot, *run;
    size_t i;
    int listed = 0;
    if (!plot_name_split(base, kind, sizeof kind, &point))
        return 0;
    json_array_foreach(json_object_get(results, "plots"), i, plot)
    {
        listed |= json_is_string(plot) && strcmp(json_string_value(plot), kind) == 0;
    }
    if (!listed || json_array_size(table_runs(results)) == 0)
        return 0;
    if (plot_kind_find(kind)->drawn != PLOT_PER_POINT)
        return 1;
    if (point < 0)
        return table_timeline_runs(results, NULL, 0) == 1;
    json_array_foreach(table_runs(results), i, run)
    {
        if (json_integer_value(json_object_get(run, "point")) == point)
            return 1;
    }
    return 0;
}

int table_check(const json_t *results, struct hl_error *err)
{
    const json_t *plots, *runs, *run;
    char known[256];
    size_t i;

    if (!json_is_object(results))
        return hl_error_set(err, NULL, "expected a results object, got %s",
                            table_type_name(results));
    if (!json_is_string(json_object_get(results, "name")))
        return hl_error_set(err, "name", "missing or not a string: is this a results file?");
    plots = json_object_get(results, "plots");
    if (!json_is_array(plots))
        return hl_error_set(err, "plots", "missing or not an array of plot kinds");
    for (i = 0; i < json_array_size(plots); i++) {
        const char *kind = json_string_value(json_array_get(plots, i));
        char where[64];
        snprintf(where, sizeof where, "plots[%zu]", i);
        if (!kind)
            return hl_error_set(err, where, "expected a plot kind (a string)");
        if (!plot_kind_find(kind))
            return hl_error_set(err, where, "unknown plot kind \"%s\" (known: %s)", kind,
                                plot_kind_list(known, sizeof known));
    }
    runs = table_runs(results);
    if (!json_is_array(runs) || json_array_size(runs) == 0)
        return hl_error_set(err, "runs", "missing or empty: there is nothing to plot");
    json_array_foreach(runs, i, run)
    {
        json_int_t point;
        if (!json_is_object(run)) {
            char where[64];
            snprintf(where, sizeof where, "runs[%zu]", i);
            return hl_error_set(err, where, "expected an object, got %s", table_type_name(run));
        }
        if (table_need_int(run, i, "point", &point, err))
            return -EINVAL;
        if (!json_is_object(json_object_get(run, "sweep")))
            return table_field_error(err, i, "sweep", json_object_get(run, "sweep"), "an object");
        if (!json_is_object(json_object_get(run, "summary")))
            return table_field_error(err, i, "summary", json_object_get(run, "summary"),
                                     "an object");
    }
    return 0;
}

void table_point_label(const json_t *results, const json_t *run, char *out, size_t size)
{
    table_label(results, run, 1, out, size);
}

size_t table_timeline_runs(const json_t *results, size_t *runs, size_t max)
{
    const json_t *run;
    size_t i, points = 0;
    json_int_t last = -1;

    /* Runs are stored point by point, repeats together: the first run of
     * each new point value is the one drawn. */
    json_array_foreach(table_runs(results), i, run)
    {
        json_int_t point = json_integer_value(json_object_get(run, "point"));
        if (points > 0 && point == last)
            continue;
        if (points < max)
            runs[points] = i;
        points++;
        last = point;
    }
    return points;
}
