/* table_read.c: see table_read.h. */
#include "table_read.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"

/* ---- reading fields, with the key path in every error ---- */

const char *table_type_name(const json_t *value)
{
    switch (json_typeof(value)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
        return "an integer";
    case JSON_REAL:
        return "a real number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    case JSON_NULL:
        return "null";
    }
    return "something else";
}

int table_field_error(struct hl_error *err, size_t run, const char *path, const json_t *found,
                      const char *expected)
{
    char where[256];
    snprintf(where, sizeof where, "runs[%zu].%s", run, path);
    if (!found)
        return hl_error_set(err, where, "missing (expected %s)", expected);
    return hl_error_set(err, where, "expected %s, got %s", expected, table_type_name(found));
}

/* runs[run].path as an integer; present is cleared for null when allowed. */
int table_get_int(const json_t *runobj, size_t run, const char *path, json_int_t *value,
                  int *present, struct hl_error *err)
{
    const json_t *v = aggregate_path(runobj, path);
    if (present && json_is_null(v)) {
        *present = 0;
        *value = 0;
        return 0;
    }
    if (!json_is_integer(v))
        return table_field_error(err, run, path, v, present ? "an integer or null" : "an integer");
    if (present)
        *present = 1;
    *value = json_integer_value(v);
    return 0;
}

int table_need_int(const json_t *runobj, size_t run, const char *path, json_int_t *value,
                   struct hl_error *err)
{
    return table_get_int(runobj, run, path, value, NULL, err);
}

int table_need_array(const json_t *runobj, size_t run, const char *path, const json_t **array,
                     struct hl_error *err)
{
    const json_t *v = aggregate_path(runobj, path);
    if (!json_is_array(v))
        return table_field_error(err, run, path, v, "an array");
    *array = v;
    return 0;
}

/* Sysctl names contain dots, so they are one key below effective.sysctls. */
int table_need_sysctl(const json_t *runobj, size_t run, const char *name, json_int_t *value,
                      struct hl_error *err)
{
    char path[160];
    const json_t *v = json_object_get(aggregate_path(runobj, "effective.sysctls"), name);
    snprintf(path, sizeof path, "effective.sysctls[\"%s\"]", name);
    if (!json_is_integer(v))
        return table_field_error(err, run, path, v, "an integer");
    *value = json_integer_value(v);
    return 0;
}

/* ---- runs and points ---- */

const json_t *table_runs(const json_t *results)
{
    return json_object_get(results, "runs");
}

const json_t *table_run(const json_t *results, size_t run, struct hl_error *err)
{
    const json_t *runobj = json_array_get(table_runs(results), run);
    if (!runobj) {
        char where[64];
        snprintf(where, sizeof where, "runs[%zu]", run);
        hl_error_set(err, where, "no such run");
    }
    return runobj;
}

const json_t *table_point_first_run(const json_t *results, const json_t *point, size_t *index)
{
    *index = (size_t)json_integer_value(json_array_get(json_object_get(point, "runs"), 0));
    return json_array_get(table_runs(results), *index);
}

const json_t *table_sweep_value(const json_t *results, const char *key)
{
    const json_t *run;
    size_t i;
    json_array_foreach(table_runs(results), i, run)
    {
        const json_t *v = json_object_get(json_object_get(run, "sweep"), key);
        if (v)
            return v;
    }
    return NULL;
}

/* ---- sets ---- */

/* The set a run belongs to when harness-compare merged two results files
 * into one (overlay.h): its label, "A" or "B"; NULL in a results file. */
const char *table_run_set(const json_t *run)
{
    return json_string_value(json_object_get(run, "set"));
}

/* What the titles of a run's series start with: "A: " for a run of set A,
 * "" in a results file. */
const char *table_set_prefix(const json_t *run, char *buf, size_t size)
{
    const char *set = table_run_set(run);
    buf[0] = '\0';
    if (set) {
        table_append_clean(buf, size, set);
        table_append_clean(buf, size, ": ");
    }
    return buf;
}

/* ---- labels ---- */

/* A label goes between double quotes in a table, and gnuplot has no
 * escape for them there: quotes become single quotes. */
void table_append_clean(char *out, size_t size, const char *text)
{
    size_t n = strlen(out);
    for (; *text && n + 1 < size; text++)
        out[n++] = *text == '"' ? '\'' : (unsigned char)*text < ' ' ? ' ' : *text;
    out[n] = '\0';
}

static void append_value(char *out, size_t size, const json_t *value)
{
    char buf[256];
    if (json_is_integer(value)) {
        snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT, json_integer_value(value));
    } else if (json_is_real(value)) {
        snprintf(buf, sizeof buf, "%g", json_real_value(value));
    } else if (json_is_string(value)) {
        snprintf(buf, sizeof buf, "%s", json_string_value(value));
    } else {
        char *text = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);
        snprintf(buf, sizeof buf, "%s", text ? text : "?");
        free(text);
    }
    table_append_clean(out, size, buf);
}

static int scenario_repeats(const json_t *results)
{
    const json_t *run;
    size_t i;
    json_array_foreach(table_runs(results), i, run)
    {
        if (json_integer_value(json_object_get(run, "repeat")) > 0)
            return 1;
    }
    return 0;
}

/* The last part of a dotted sweep key ("somaxconn" for
 * "sysctls.net.core.somaxconn"), if no other key of the sweep ends the same. */
static const char *short_key(const json_t *sweep, const char *key)
{
    const char *dot = strrchr(key, '.'), *last = dot ? dot + 1 : key, *other;
    const json_t *value;
    json_object_foreach((json_t *)sweep, other, value)
    {
        const char *odot = strrchr(other, '.');
        if (other != key && strcmp(odot ? odot + 1 : other, last) == 0)
            return key;
    }
    return last;
}

void table_label(const json_t *results, const json_t *run, int with_repeat, char *out, size_t size)
{
    const json_t *sweep = json_object_get(run, "sweep"), *value;
    const char *key;

    /* With several keys, full names make labels too long for a plot key:
     * "backlog=-1, somaxconn=2" instead of
     * "server.backlog=-1, sysctls.net.core.somaxconn=2". */
    char prefix[64];
    snprintf(out, size, "%s", table_set_prefix(run, prefix, sizeof prefix));
    size_t start = strlen(out);
    json_object_foreach((json_t *)sweep, key, value)
    {
        if (out[start])
            table_append_clean(out, size, ", ");
        table_append_clean(out, size, json_object_size(sweep) > 1 ? short_key(sweep, key) : key);
        table_append_clean(out, size, "=");
        append_value(out, size, value);
    }
    if (!out[start])
        table_append_clean(out, size, "(no sweep)");
    if (with_repeat && scenario_repeats(results)) {
        char buf[64];
        snprintf(buf, sizeof buf, ", repeat %" JSON_INTEGER_FORMAT,
                 json_integer_value(json_object_get(run, "repeat")));
        table_append_clean(out, size, buf);
    }
}

static int skipped_key(const char *key, const char *const *skip)
{
    for (; skip && *skip; skip++)
        if (strcmp(*skip, key) == 0)
            return 1;
    return 0;
}

void table_series_values(const json_t *run, const char *const *skip, char *out, size_t size)
{
    const json_t *sweep = json_object_get(run, "sweep"), *value;
    const char *key;
    size_t others = 0;
    out[0] = '\0';
    json_object_foreach((json_t *)sweep, key, value) others += !skipped_key(key, skip);
    json_object_foreach((json_t *)sweep, key, value)
    {
        size_t n = strlen(key);
        if (skipped_key(key, skip))
            continue;
        if (out[0])
            table_append_clean(out, size, ", ");
        /* a sysctl by its last part: "tcp_syncookies=1" */
        table_append_clean(out, size,
                           others > 1 || strncmp(key, "sysctls.", 8) == 0 ? short_key(sweep, key)
                                                                          : key);
        table_append_clean(out, size, "=");
        /* a buffer of size 0 is the kernel's default: no setsockopt */
        if (n > 6 && strcmp(key + n - 3, "buf") == 0 && json_is_integer(value) &&
            json_integer_value(value) == 0)
            table_append_clean(out, size, "default");
        else
            append_value(out, size, value);
    }
}

void table_write_label(FILE *out, const json_t *results, const json_t *run)
{
    char label[512];
    table_label(results, run, 1, label, sizeof label);
    fprintf(out, "\"%s\"", label);
}

/* ---- numbers ---- */

double table_seconds(json_int_t us)
{
    return (double)us / 1e6;
}

void table_write_spread_with(FILE *out, const json_t *point, const char *field, int decimals)
{
    static const char *const stats[] = {"median", "min", "max"};
    for (int i = 0; i < 3; i++) {
        int known;
        double v = aggregate_stat(point, field, stats[i], &known);
        fputc(' ', out);
        if (known && decimals >= 0)
            fprintf(out, "%.*f", decimals, v);
        else if (known)
            fprintf(out, "%.10g", v);
        else
            fputs("NaN", out);
    }
}

void table_write_spread(FILE *out, const json_t *point, const char *field)
{
    table_write_spread_with(out, point, field, -1);
}

int table_size_order(json_int_t a, json_int_t b)
{
    if (a == b)
        return 0;
    if (a == 0 || b == 0)
        return a == 0 ? 1 : -1;
    return a < b ? -1 : 1;
}
