/* plan_print.c: the plan as text (plan_print in plan.h), printed from its
 * JSON model so the two never disagree. */
#include <stdlib.h>
#include <string.h>

#include "plan.h"

/* Prints text wrapped at 78 columns, each line indented by two spaces. */
static void print_wrapped(FILE *out, const char *text)
{
    const size_t width = 76;
    while (*text) {
        size_t n = strlen(text);
        if (n > width) {
            n = width;
            while (n > 0 && text[n] != ' ')
                n--;
            if (n == 0)
                n = strcspn(text, " ");
        }
        fprintf(out, "  %.*s\n", (int)n, text);
        text += n;
        while (*text == ' ')
            text++;
    }
}

/* A value as one line of compact JSON, in out. */
static const char *value_text(const json_t *value, char *out, size_t size)
{
    char *text = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
    snprintf(out, size, "%s", text ? text : "?");
    free(text);
    return out;
}

/* Every value of a params object, one "path = value" line each. */
static void print_flat(FILE *out, const char *prefix, const json_t *object)
{
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)object, key, value)
    {
        char path[512], text[256];
        snprintf(path, sizeof path, "%s%s%s", prefix, prefix[0] ? "." : "", key);
        if (json_is_object(value) && json_object_size(value) > 0)
            print_flat(out, path, value);
        else
            fprintf(out, "    %s = %s\n", path, value_text(value, text, sizeof text));
    }
}

static long long integer(const json_t *object, const char *key)
{
    return json_integer_value(json_object_get(object, key));
}

static const char *plural(long long n)
{
    return n == 1 ? "" : "s";
}

/* "FILE: NAME", the description, "N points x R repeats = M runs;
 * sweeping PATH, ...". */
static void print_heading(FILE *out, const json_t *plan)
{
    const json_t *sweep = json_object_get(plan, "sweep");
    const char *description = json_string_value(json_object_get(plan, "description"));
    long long points = integer(plan, "points"), repeat = integer(plan, "repeat");
    long long runs = integer(plan, "runs");
    size_t k;
    json_t *path;
    fprintf(out, "%s: %s\n", json_string_value(json_object_get(plan, "scenario_file")),
            json_string_value(json_object_get(plan, "name")));
    if (description && description[0])
        print_wrapped(out, description);
    if (json_object_get(plan, "program"))
        fprintf(out, "%s\n", json_string_value(json_object_get(plan, "program")));
    fprintf(out, "%lld point%s x %lld repeat%s = %lld run%s", points, plural(points), repeat,
            plural(repeat), runs, plural(runs));
    json_array_foreach(sweep, k, path)
        fprintf(out, "%s%s", k ? ", " : "; sweeping ", json_string_value(path));
    fprintf(out, "\n\n");
}

/* The point's value of the swept key at index k, as text. */
static const char *swept_text(const json_t *point, const json_t *sweep, size_t k, char *out,
                              size_t size)
{
    const char *path = json_string_value(json_array_get(sweep, k));
    return value_text(json_object_get(json_object_get(point, "sweep"), path), out, size);
}

/* The table's columns: point, each swept key, runs; each as wide as its
 * heading or its widest value. */
static void column_widths(const json_t *sweep, const json_t *points, size_t *width)
{
    size_t columns = json_array_size(sweep) + 3, i, k;
    json_t *point, *path;
    char text[256];
    width[0] = strlen("point");
    json_array_foreach(sweep, k, path) width[k + 1] = strlen(json_string_value(path));
    width[columns - 2] = strlen("runs");
    json_array_foreach(points, i, point)
    {
        snprintf(text, sizeof text, "%zu", i);
        if (strlen(text) > width[0])
            width[0] = strlen(text);
        for (k = 0; k < json_array_size(sweep); k++)
            if (strlen(swept_text(point, sweep, k, text, sizeof text)) > width[k + 1])
                width[k + 1] = strlen(text);
    }
}

static void print_table_heading(FILE *out, const json_t *sweep, const size_t *width)
{
    size_t k, columns = json_array_size(sweep) + 3;
    json_t *path;
    fprintf(out, "  %*s", (int)width[0], "point");
    json_array_foreach(sweep, k, path)
        fprintf(out, "  %-*s", (int)width[k + 1], json_string_value(path));
    fprintf(out, "  %*s  each run\n", (int)width[columns - 2], "runs");
}

/* "2 s (the server never accepts)", "at most 2 s", then the qdiscs
 * needed. */
static void print_run_time(FILE *out, const json_t *point)
{
    long long min = integer(point, "min_ms"), max = integer(point, "max_ms");
    const json_t *needs = json_object_get(point, "needs");
    char range[80];
    plan_format_range(min, max, range, sizeof range);
    if (min == max || min > 0)
        fprintf(out, "%s (%s)", range, json_string_value(json_object_get(point, "because")));
    else
        fprintf(out, "%s", range);
    if (json_array_size(needs) > 0)
        fprintf(out, "; needs the %s%s%s qdisc%s", json_string_value(json_array_get(needs, 0)),
                json_array_size(needs) > 1 ? " and " : "",
                json_array_size(needs) > 1 ? json_string_value(json_array_get(needs, 1)) : "",
                json_array_size(needs) > 1 ? "s" : "");
    const char *alone = json_string_value(json_object_get(point, "alone"));
    if (alone)
        fprintf(out, "; runs alone: %s", alone);
}

static void print_row(FILE *out, const json_t *sweep, const json_t *point, size_t index,
                      const size_t *width)
{
    size_t columns = json_array_size(sweep) + 3;
    char text[256];
    fprintf(out, "  %*zu", (int)width[0], index);
    for (size_t k = 0; k < json_array_size(sweep); k++)
        fprintf(out, "  %-*s", (int)width[k + 1], swept_text(point, sweep, k, text, sizeof text));
    fprintf(out, "  %*lld  ", (int)width[columns - 2], integer(point, "runs"));
    print_run_time(out, point);
    fputc('\n', out);
}

static void print_total(FILE *out, const json_t *plan)
{
    char range[80];
    fprintf(
        out, "\ntime: %s\n",
        plan_format_range(integer(plan, "min_ms"), integer(plan, "max_ms"), range, sizeof range));
    print_wrapped(out, "A run ends when its work is done, at duration_ms at the latest; "
                       "setting up each run adds a few ms.");
}

/* --verbose: every resolved value of each point. */
static void print_resolved(FILE *out, const json_t *points)
{
    size_t i;
    json_t *point;
    json_array_foreach(points, i, point)
    {
        char label[512];
        scenario_point_label(json_object_get(point, "sweep"), label, sizeof label);
        fprintf(out, "\npoint %zu%s%s%s:\n", i, label[0] ? " (" : "", label, label[0] ? ")" : "");
        print_flat(out, "", json_object_get(point, "params"));
    }
}

void plan_print(FILE *out, const json_t *plan, int verbose)
{
    const json_t *sweep = json_object_get(plan, "sweep");
    const json_t *points = json_object_get(plan, "plan");
    size_t *width = calloc(json_array_size(sweep) + 3, sizeof *width);
    size_t i;
    json_t *point;
    if (!width)
        return;
    print_heading(out, plan);
    column_widths(sweep, points, width);
    print_table_heading(out, sweep, width);
    json_array_foreach(points, i, point) print_row(out, sweep, point, i, width);
    print_total(out, plan);
    if (verbose)
        print_resolved(out, points);
    free(width);
}
