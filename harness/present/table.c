/* table.c: see table.h. */
#include "table.h"

#include "aggregate.h"
#include "predict.h"

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const known_kinds[] = {"outcomes", "handshakes",   "latency",
                                          "transfer", "buffers",      "rate",
                                          "queues",   "accept_queue", "buffer_grid"};

/* ---- reading fields, with the key path in every error ---- */

static const char *type_name(const json_t *value)
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

static int field_error(struct hl_error *err, size_t run, const char *path, const json_t *found,
                       const char *expected)
{
    char where[256];
    snprintf(where, sizeof where, "runs[%zu].%s", run, path);
    if (!found)
        return hl_error_set(err, where, "missing (expected %s)", expected);
    return hl_error_set(err, where, "expected %s, got %s", expected, type_name(found));
}

/* runs[run].path as an integer; present is cleared for null when allowed. */
static int get_int(const json_t *runobj, size_t run, const char *path, json_int_t *value,
                   int *present, struct hl_error *err)
{
    const json_t *v = aggregate_path(runobj, path);
    if (present && json_is_null(v)) {
        *present = 0;
        *value = 0;
        return 0;
    }
    if (!json_is_integer(v))
        return field_error(err, run, path, v, present ? "an integer or null" : "an integer");
    if (present)
        *present = 1;
    *value = json_integer_value(v);
    return 0;
}

static int need_int(const json_t *runobj, size_t run, const char *path, json_int_t *value,
                    struct hl_error *err)
{
    return get_int(runobj, run, path, value, NULL, err);
}

static int need_array(const json_t *runobj, size_t run, const char *path, const json_t **array,
                      struct hl_error *err)
{
    const json_t *v = aggregate_path(runobj, path);
    if (!json_is_array(v))
        return field_error(err, run, path, v, "an array");
    *array = v;
    return 0;
}

/* Sysctl names contain dots, so they are one key below effective.sysctls. */
static int need_sysctl(const json_t *runobj, size_t run, const char *name, json_int_t *value,
                       struct hl_error *err)
{
    char path[160];
    const json_t *v = json_object_get(aggregate_path(runobj, "effective.sysctls"), name);
    snprintf(path, sizeof path, "effective.sysctls[\"%s\"]", name);
    if (!json_is_integer(v))
        return field_error(err, run, path, v, "an integer");
    *value = json_integer_value(v);
    return 0;
}

static const json_t *runs_of(const json_t *results)
{
    return json_object_get(results, "runs");
}

/* Run `run` of the results, or NULL with err set ("runs[7]: no such run"). */
static const json_t *run_of(const json_t *results, size_t run, struct hl_error *err)
{
    const json_t *runobj = json_array_get(runs_of(results), run);
    if (!runobj) {
        char where[64];
        snprintf(where, sizeof where, "runs[%zu]", run);
        hl_error_set(err, where, "no such run");
    }
    return runobj;
}

static double seconds(json_int_t us)
{
    return (double)us / 1e6;
}

/* ---- what every kind needs ---- */

int table_kind_known(const char *name)
{
    for (size_t i = 0; i < sizeof known_kinds / sizeof known_kinds[0]; i++)
        if (strcmp(name, known_kinds[i]) == 0)
            return 1;
    return 0;
}

int table_kind_per_point(const char *kind)
{
    return strcmp(kind, "transfer") == 0 || strcmp(kind, "accept_queue") == 0 ||
           strcmp(kind, "queues") == 0;
}

/* Splits base into its kind and point: "transfer-p4" -> "transfer", 4;
 * "latency" -> "latency", -1. 0 when it names no known kind. */
static int plot_name_split(const char *base, char *kind, size_t size, long long *point)
{
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
    if (!table_kind_known(kind))
        return 0;
    return *point < 0 || table_kind_per_point(kind);
}

int table_plot_name_known(const char *base)
{
    char kind[32];
    long long point;
    return plot_name_split(base, kind, sizeof kind, &point);
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
    if (!listed || json_array_size(runs_of(results)) == 0)
        return 0;
    if (!table_kind_per_point(kind))
        return 1;
    if (point < 0)
        return table_transfer_runs(results, NULL, 0) == 1;
    json_array_foreach(runs_of(results), i, run)
    {
        if (json_integer_value(json_object_get(run, "point")) == point)
            return 1;
    }
    return 0;
}

int table_check(const json_t *results, struct hl_error *err)
{
    const json_t *plots, *runs, *run;
    size_t i;

    if (!json_is_object(results))
        return hl_error_set(err, NULL, "expected a results object, got %s", type_name(results));
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
        if (!table_kind_known(kind))
            return hl_error_set(err, where,
                                "unknown plot kind \"%s\" (known: outcomes, handshakes, "
                                "latency, transfer, buffers, rate, queues, accept_queue, "
                                "buffer_grid)",
                                kind);
    }
    runs = runs_of(results);
    if (!json_is_array(runs) || json_array_size(runs) == 0)
        return hl_error_set(err, "runs", "missing or empty: there is nothing to plot");
    json_array_foreach(runs, i, run)
    {
        json_int_t point;
        if (!json_is_object(run)) {
            char where[64];
            snprintf(where, sizeof where, "runs[%zu]", i);
            return hl_error_set(err, where, "expected an object, got %s", type_name(run));
        }
        if (need_int(run, i, "point", &point, err))
            return -EINVAL;
        if (!json_is_object(json_object_get(run, "sweep")))
            return field_error(err, i, "sweep", json_object_get(run, "sweep"), "an object");
        if (!json_is_object(json_object_get(run, "summary")))
            return field_error(err, i, "summary", json_object_get(run, "summary"), "an object");
    }
    return 0;
}

/* A label goes between double quotes in a table, and gnuplot has no
 * escape for them there: quotes become single quotes. */
static void append_clean(char *out, size_t size, const char *text)
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
    append_clean(out, size, buf);
}

/* The set a run belongs to when harness-compare merged two results files
 * into one (overlay.h): its label, "A" or "B"; NULL in a results file. */
static const char *run_set(const json_t *run)
{
    return json_string_value(json_object_get(run, "set"));
}

/* What the titles of a run's series start with: "A: " for a run of set A,
 * "" in a results file. */
static const char *set_prefix(const json_t *run, char *buf, size_t size)
{
    const char *set = run_set(run);
    buf[0] = '\0';
    if (set) {
        append_clean(buf, size, set);
        append_clean(buf, size, ": ");
    }
    return buf;
}

/* Sets in label order, and no set (a results file) as one set. */
static int set_order(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

static int scenario_repeats(const json_t *results)
{
    const json_t *run;
    size_t i;
    json_array_foreach(runs_of(results), i, run)
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

/* The label of a run's point; with_repeat: ", repeat R" where the
 * scenario repeats. */
static void point_label(const json_t *results, const json_t *run, int with_repeat, char *out,
                        size_t size);

void table_point_label(const json_t *results, const json_t *run, char *out, size_t size)
{
    point_label(results, run, 1, out, size);
}

static void point_label(const json_t *results, const json_t *run, int with_repeat, char *out,
                        size_t size)
{
    const json_t *sweep = json_object_get(run, "sweep"), *value;
    const char *key;

    /* With several keys, full names make labels too long for a plot key:
     * "backlog=-1, somaxconn=2" instead of
     * "server.backlog=-1, sysctls.net.core.somaxconn=2". */
    char prefix[64];
    snprintf(out, size, "%s", set_prefix(run, prefix, sizeof prefix));
    size_t start = strlen(out);
    json_object_foreach((json_t *)sweep, key, value)
    {
        if (out[start])
            append_clean(out, size, ", ");
        append_clean(out, size, json_object_size(sweep) > 1 ? short_key(sweep, key) : key);
        append_clean(out, size, "=");
        append_value(out, size, value);
    }
    if (!out[start])
        append_clean(out, size, "(no sweep)");
    if (with_repeat && scenario_repeats(results)) {
        char buf[64];
        snprintf(buf, sizeof buf, ", repeat %" JSON_INTEGER_FORMAT,
                 json_integer_value(json_object_get(run, "repeat")));
        append_clean(out, size, buf);
    }
}

static void write_label(FILE *out, const json_t *results, const json_t *run)
{
    char label[512];
    table_point_label(results, run, label, sizeof label);
    fprintf(out, "\"%s\"", label);
}

size_t table_transfer_runs(const json_t *results, size_t *runs, size_t max)
{
    const json_t *run;
    size_t i, points = 0;
    json_int_t last = -1;

    /* Runs are stored point by point, repeats together: the first run of
     * each new point value is the one drawn. */
    json_array_foreach(runs_of(results), i, run)
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

/* ---- outcomes ---- */

static const json_t *point_first_run(const json_t *results, const json_t *point, size_t *index);
static void write_spread(FILE *out, const json_t *point, const char *field);

/* The field a flag names, without "summary.": "connected", "connect_us". */
static const char *flag_field(const json_t *flag)
{
    const char *field = json_string_value(json_object_get(flag, "field"));
    if (field && strncmp(field, "summary.", 8) == 0)
        field += 8;
    return field;
}

/* The fields a point's flags name ("connected", "queue_at_end",
 * "connect_us"), each once, joined by ", "; "" when none. */
static void flag_names(const json_t *point, char *out, size_t size)
{
    const json_t *flags = json_object_get(point, "flags");
    size_t i, j;
    out[0] = '\0';
    for (i = 0; i < json_array_size(flags); i++) {
        const char *field = flag_field(json_array_get(flags, i));
        int seen = 0;
        for (j = 0; j < i && field && !seen; j++) {
            const char *earlier = flag_field(json_array_get(flags, j));
            seen = earlier && strcmp(earlier, field) == 0;
        }
        if (!field || seen)
            continue;
        if (out[0])
            append_clean(out, size, ", ");
        append_clean(out, size, field);
    }
}

int table_outcomes(FILE *out, const json_t *results, struct hl_error *err)
{
    static const char *const fields[] = {"connected", "refused", "timed_out",
                                         "failed",    "reset",   "accepted"};
    const json_t *run, *point;
    json_t *points;
    size_t i;

    /* every run must have its counts, whatever its point's statistics */
    json_array_foreach(runs_of(results), i, run)
    {
        json_int_t count;
        for (size_t f = 0; f < 6; f++) {
            char path[64];
            snprintf(path, sizeof path, "summary.%s", fields[f]);
            if (need_int(run, i, path, &count, err))
                return -EINVAL;
        }
    }
    points = aggregate_points(runs_of(results));
    fprintf(out, "# point connected connected_min connected_max refused ... accepted accepted_min"
                 " accepted_max flagged \"flags\"   (number of connections; one row per point: the"
                 " median over its repeats with their min and max, for connected, refused,"
                 " timed_out, failed, reset, accepted in turn; flagged: how many of its"
                 " measurements depart from the kernel's prediction, flags: which,"
                 " \"-\" for none (point_summaries[].flags))\n");
    json_array_foreach(points, i, point)
    {
        size_t first;
        char label[512], flags[256];
        run = point_first_run(results, point, &first);
        point_label(results, run, 0, label, sizeof label);
        fprintf(out, "\"%s\"", label);
        for (size_t f = 0; f < 6; f++)
            write_spread(out, point, fields[f]);
        flag_names(point, flags, sizeof flags);
        /* "-" rather than an empty string, which gnuplot reads as no column */
        fprintf(out, " %zu \"%s\"\n", json_array_size(json_object_get(point, "flags")),
                flags[0] ? flags : "-");
    }
    json_decref(points);
    return 0;
}

/* ---- repeats ---- */

/* The run a point summary (aggregate.h) takes its settings from: its
 * first; every run of a point has the same params. */
static const json_t *point_first_run(const json_t *results, const json_t *point, size_t *index)
{
    *index = (size_t)json_integer_value(json_array_get(json_object_get(point, "runs"), 0));
    return json_array_get(runs_of(results), *index);
}

/* " median min max" of a summary field, NaN where unknown; decimals < 0:
 * as many digits as the value needs. */
static void write_spread_with(FILE *out, const json_t *point, const char *field, int decimals)
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

static void write_spread(FILE *out, const json_t *point, const char *field)
{
    write_spread_with(out, point, field, -1);
}

/* ---- handshakes ---- */

struct handshake_row {
    json_int_t backlog, attempted, effective_backlog, somaxconn;
    int effective_known;
    const json_t *point, *first_run;
    size_t run;
};

static int handshake_compare(const void *a, const void *b)
{
    const struct handshake_row *x = a, *y = b;
    if (x->backlog != y->backlog)
        return x->backlog < y->backlog ? -1 : 1;
    return x->run < y->run ? -1 : x->run > y->run;
}

static void write_prediction_row(FILE *out, json_int_t backlog, json_int_t somaxconn,
                                 json_int_t clients, int measured)
{
    fprintf(out, "%" JSON_INTEGER_FORMAT " %lld %d\n", backlog,
            predict_handshakes(backlog, somaxconn, clients), measured);
}

static void write_prediction(FILE *out, const struct handshake_row *rows, size_t n)
{
    json_int_t somaxconn = rows[0].somaxconn, clients = 0, lo = -1, hi = -1;
    json_int_t corners[2];
    size_t i, c, corner_count = 0;

    for (i = 0; i < n; i++)
        if (rows[i].attempted > clients)
            clients = rows[i].attempted;
    char prefix[64];
    fprintf(out, "\n\n\"%spredicted, somaxconn=%" JSON_INTEGER_FORMAT "\"\n",
            set_prefix(rows[0].first_run, prefix, sizeof prefix), somaxconn);
    for (i = 0; i < n; i++) {
        if (rows[i].backlog < 0)
            continue;
        if (lo < 0)
            lo = rows[i].backlog;
        hi = rows[i].backlog;
    }
    /* Between the measured backlogs the prediction is linear except where
     * B meets somaxconn or the number of clients: add those corners. */
    if (somaxconn > lo && somaxconn < hi && somaxconn + 1 < clients)
        corners[corner_count++] = somaxconn;
    if (clients - 1 > lo && clients - 1 < hi && clients - 1 < somaxconn)
        corners[corner_count++] = clients - 1;
    if (corner_count == 2 && corners[0] > corners[1]) {
        json_int_t t = corners[0];
        corners[0] = corners[1];
        corners[1] = t;
    }
    /* rows are sorted by backlog. Negative backlogs are single points: the
     * kernel treats them as huge, so a blank line keeps them unjoined. */
    c = 0;
    for (i = 0; i < n; i++) {
        json_int_t b = rows[i].backlog;
        if (i > 0 && rows[i - 1].backlog == b)
            continue;
        if (b < 0) {
            write_prediction_row(out, b, somaxconn, clients, 1);
            fputc('\n', out);
            continue;
        }
        for (; c < corner_count && corners[c] <= b; c++)
            if (corners[c] < b)
                write_prediction_row(out, corners[c], somaxconn, clients, 0);
        write_prediction_row(out, b, somaxconn, clients, 1);
    }
}

int table_handshakes(FILE *out, const json_t *results, struct hl_error *err)
{
    json_t *points = aggregate_points(runs_of(results));
    const json_t *point;
    size_t n = json_array_size(points), i, done = 0;
    struct handshake_row *rows = calloc(n ? n : 1, sizeof *rows);
    struct handshake_row *group = calloc(n ? n : 1, sizeof *group);
    char *taken = calloc(n ? n : 1, 1);
    int rc = -ENOMEM;

    if (!rows || !group || !taken) {
        hl_error_set(err, NULL, "out of memory");
        goto fail;
    }
    rc = -EINVAL;
    json_array_foreach(points, i, point)
    {
        struct handshake_row *r = &rows[i];
        json_int_t connected;
        const json_t *run = point_first_run(results, point, &r->run);
        r->point = point;
        r->first_run = run;
        if (need_int(run, r->run, "params.server.backlog", &r->backlog, err) ||
            need_int(run, r->run, "summary.connected", &connected, err) ||
            need_int(run, r->run, "summary.attempted", &r->attempted, err) ||
            get_int(run, r->run, "effective.backlog", &r->effective_backlog, &r->effective_known,
                    err) ||
            need_sysctl(run, r->run, "net.core.somaxconn", &r->somaxconn, err))
            goto fail;
    }
    fprintf(out, "# backlog connected connected_min connected_max attempted effective_backlog"
                 " somaxconn flagged   (backlog: passed to listen(); connected: the median over"
                 " the point's repeats, with their min and max; the rest: connections; flagged:"
                 " 1 where a repeat departs from the prediction; one row per point)\n"
                 "# per somaxconn value two series: the measured rows, then the prediction"
                 " as `backlog predicted measured` (predicted: handshakes completed;"
                 " measured: 1 where a point used this backlog)\n");
    /* One pair of series per somaxconn value (and set), in the order they
     * appear. */
    for (i = 0; i < n; i++) {
        size_t count = 0;
        char prefix[64];
        if (taken[i])
            continue;
        for (size_t j = i; j < n; j++) {
            if (!taken[j] && rows[j].somaxconn == rows[i].somaxconn &&
                !set_order(run_set(rows[j].first_run), run_set(rows[i].first_run))) {
                group[count++] = rows[j];
                taken[j] = 1;
            }
        }
        qsort(group, count, sizeof *group, handshake_compare);
        fprintf(out, "%s\"%smeasured, somaxconn=%" JSON_INTEGER_FORMAT "\"\n", done ? "\n\n" : "",
                set_prefix(group[0].first_run, prefix, sizeof prefix), group[0].somaxconn);
        for (size_t j = 0; j < count; j++) {
            int known;
            fprintf(out, "%" JSON_INTEGER_FORMAT, group[j].backlog);
            write_spread(out, group[j].point, "connected");
            fprintf(out, " %.0f", aggregate_stat(group[j].point, "attempted", "max", &known));
            if (group[j].effective_known)
                fprintf(out, " %" JSON_INTEGER_FORMAT, group[j].effective_backlog);
            else
                fprintf(out, " NaN");
            fprintf(out, " %" JSON_INTEGER_FORMAT " %d\n", group[j].somaxconn,
                    aggregate_flagged(group[j].point, "connected"));
        }
        write_prediction(out, group, count);
        done++;
    }
    rc = 0;
fail:
    free(rows);
    free(group);
    free(taken);
    json_decref(points);
    return rc;
}

/* ---- latency ---- */

/* The order the legend of latency.gp lists them in. */
static int outcome_code(const char *outcome)
{
    static const char *const outcomes[] = {"connected", "refused", "timed_out", "failed"};
    for (int i = 0; i < 4; i++)
        if (strcmp(outcome, outcomes[i]) == 0)
            return i;
    return 4;
}

/* Whether the flags of the run's point name this connection (aggregate.h). */
static int latency_flagged(const json_t *points, const json_t *run, size_t run_index,
                           json_int_t conn)
{
    const json_t *point = aggregate_find(points, json_integer_value(json_object_get(run, "point")));
    const json_t *flag;
    size_t i;
    json_array_foreach(json_object_get(point, "flags"), i, flag)
    {
        if (json_integer_value(json_object_get(flag, "run")) == (json_int_t)run_index &&
            json_integer_value(json_object_get(flag, "conn")) == conn &&
            json_is_string(json_object_get(flag, "field")))
            return 1;
    }
    return 0;
}

/* A predicted series: a horizontal segment across the connections at each
 * time up to limit_us and the first one beyond it, so far-off predictions
 * do not squash the measurements; a NaN row when there is none. */
static void write_time_lines(FILE *out, const char *title, const json_t *times, json_int_t limit_us,
                             json_int_t conn_max)
{
    const json_t *t;
    size_t i, written = 0;
    fprintf(out, "\n\n\"%s\"\n", title);
    json_array_foreach(times, i, t)
    {
        json_int_t us = json_integer_value(t);
        fprintf(out, "-0.5 %.6f\n%.1f %.6f\n\n", seconds(us), (double)conn_max + 0.5, seconds(us));
        written++;
        if (us > limit_us)
            break;
    }
    if (!written)
        fprintf(out, "NaN NaN\n");
}

int table_latency(FILE *out, const json_t *results, struct hl_error *err)
{
    const json_t *runs = runs_of(results), *run;
    json_t *points = aggregate_points(runs);
    size_t i, drawn = 0;
    json_int_t latency_max = 0, conn_max = 0;
    int rc = -EINVAL, titled[2] = {0, 0};

    fprintf(out, "# conn latency_s outcome_code outcome flagged   (conn: index in the order"
                 " connect() was called; latency: seconds from connect() to its outcome;"
                 " outcome_code: 0 connected, 1 refused, 2 timed_out, 3 failed, 4 other;"
                 " flagged: 1 where the time matches no predicted SYN retransmit)\n"
                 "# one series per run; then per run its point's predicted SYN retransmit times,"
                 " then its predicted ETIMEDOUT time, as segments `conn latency_s` across the"
                 " plot\n");
    if (json_array_size(runs) > TABLE_LATENCY_MAX_RUNS)
        fprintf(out, "# the first %d of %zu runs\n", TABLE_LATENCY_MAX_RUNS, json_array_size(runs));
    json_array_foreach(runs, i, run)
    {
        const json_t *connections = NULL, *c;
        size_t j, rows = 0;
        if (i == TABLE_LATENCY_MAX_RUNS)
            break;
        if (need_array(run, i, "connections", &connections, err))
            goto out;
        if (i)
            fprintf(out, "\n\n");
        write_label(out, results, run);
        fputc('\n', out);
        drawn++;
        json_array_foreach(connections, j, c)
        {
            const char *outcome = json_string_value(json_object_get(c, "outcome"));
            const json_t *connect_us = json_object_get(c, "connect_us");
            const json_t *start_us = json_object_get(c, "start_us");
            const json_t *outcome_us = json_object_get(c, "outcome_us");
            json_int_t latency_us;
            char path[64];

            if (!outcome) {
                snprintf(path, sizeof path, "connections[%zu].outcome", j);
                field_error(err, i, path, json_object_get(c, "outcome"), "a string");
                goto out;
            }
            /* connect_us is the client's own measure of the connected
             * ones; the others are timed from start to outcome. */
            if (strcmp(outcome, "connected") == 0 && json_is_integer(connect_us))
                latency_us = json_integer_value(connect_us);
            else if (json_is_integer(start_us) && json_is_integer(outcome_us))
                latency_us = json_integer_value(outcome_us) - json_integer_value(start_us);
            else
                continue; /* still connecting when the run ended */
            /* conn numbers connections in the order connect() was called. */
            json_int_t conn = json_is_integer(json_object_get(c, "conn"))
                                  ? json_integer_value(json_object_get(c, "conn"))
                                  : (json_int_t)j;
            fprintf(out, "%" JSON_INTEGER_FORMAT " %.6f %d \"%s\" %d\n", conn, seconds(latency_us),
                    outcome_code(outcome), outcome, latency_flagged(points, run, i, conn));
            if (latency_us > latency_max)
                latency_max = latency_us;
            if (conn > conn_max)
                conn_max = conn;
            rows++;
        }
        if (!rows)
            fprintf(out, "NaN NaN NaN \"none\" 0\n");
    }
    /* per run drawn, its point's predictions (aggregate.h), or where no
     * connection waited for a retransmit, the schedule of the run's own
     * sysctls all the same; the legend names each kind once */
    for (int kind = 0; kind < 2; kind++) {
        for (i = 0; i < drawn; i++) {
            const json_t *runobj = json_array_get(runs, i);
            const json_t *point =
                aggregate_find(points, json_integer_value(json_object_get(runobj, "point")));
            json_t *connect =
                json_incref(json_object_get(json_object_get(point, "predictions"), "connect_us"));
            const json_t *timeout_ms = aggregate_path(runobj, "params.client.connect_timeout_ms");
            json_int_t cutoff_us =
                json_is_integer(timeout_ms) ? json_integer_value(timeout_ms) * 1000 : 0;
            json_t *times = json_array();
            const char *title = "";
            if (!connect)
                connect = aggregate_connect_prediction(runobj);
            if (connect && kind == 0)
                json_array_extend(times, json_object_get(connect, "retransmits_us"));
            /* the ETIMEDOUT time only where the runs came near it */
            if (connect && kind == 1 &&
                json_integer_value(json_object_get(connect, "timeout_us")) <= latency_max * 3 / 2)
                json_array_append(times, json_object_get(connect, "timeout_us"));
            /* none after the harness's connect timeout: no connection
             * waits that long */
            while (cutoff_us > 0 && json_array_size(times) &&
                   json_integer_value(json_array_get(times, json_array_size(times) - 1)) >
                       cutoff_us)
                json_array_remove(times, json_array_size(times) - 1);
            if (json_array_size(times) && !titled[kind]) {
                titled[kind] = 1;
                title = kind == 0 ? "predicted SYN retransmits" : "predicted ETIMEDOUT";
            }
            write_time_lines(out, title, times, latency_max, conn_max);
            json_decref(times);
            json_decref(connect);
        }
    }
    rc = 0;
out:
    json_decref(points);
    return rc;
}

/* ---- transfer ---- */

struct step_series {
    const char *title, *key; /* "client: bytes sent", "bytes_sent" */
    const char *path;        /* "samples.client" */
};

/* Samples are only recorded when a value changed, so the series starts at
 * zero at t=0 and its last value is held until the run ended. */
static int write_steps(FILE *out, const json_t *runobj, size_t run, const struct step_series *s,
                       json_int_t elapsed_us, json_int_t *max_bytes, struct hl_error *err)
{
    const json_t *samples = NULL, *sample;
    json_int_t t_us = 0, bytes = 0;
    size_t i;

    if (need_array(runobj, run, s->path, &samples, err))
        return -EINVAL;
    char prefix[64];
    fprintf(out, "\"%s%s\"\n", set_prefix(runobj, prefix, sizeof prefix), s->title);
    json_array_foreach(samples, i, sample)
    {
        const json_t *t = json_object_get(sample, "t_us"), *b = json_object_get(sample, s->key);
        char path[96];
        if (!json_is_integer(t) || !json_is_integer(b)) {
            snprintf(path, sizeof path, "%s[%zu].%s", s->path, i,
                     json_is_integer(t) ? s->key : "t_us");
            return field_error(err, run, path, json_is_integer(t) ? b : t, "an integer");
        }
        if (i == 0 && json_integer_value(t) > 0)
            fprintf(out, "0 0\n");
        t_us = json_integer_value(t);
        bytes = json_integer_value(b);
        if (bytes > *max_bytes)
            *max_bytes = bytes;
        fprintf(out, "%.6f %" JSON_INTEGER_FORMAT "\n", seconds(t_us), bytes);
    }
    if (json_array_size(samples) == 0)
        fprintf(out, "0 0\n");
    if (elapsed_us > t_us)
        fprintf(out, "%.6f %" JSON_INTEGER_FORMAT "\n", seconds(elapsed_us), bytes);
    fprintf(out, "\n\n");
    return 0;
}

int table_transfer(FILE *out, const json_t *results, size_t run, struct hl_error *err)
{
    static const struct step_series client = {"client: bytes sent", "bytes_sent", "samples.client"};
    static const struct step_series server = {"server: bytes read", "bytes_read", "samples.server"};
    const json_t *runobj = run_of(results, run, err), *blocks = NULL, *block;
    json_int_t elapsed_us, max_bytes = 0;
    size_t i;

    if (!runobj)
        return -EINVAL;
    if (need_int(runobj, run, "summary.elapsed_us", &elapsed_us, err) ||
        need_array(runobj, run, "blocks", &blocks, err))
        return -EINVAL;
    fprintf(out, "# t_s bytes   (series 0 and 1: seconds since the run's start, bytes in all so"
                 " far, each value held until the next row)\n"
                 "# series 2, one row per blocked send, for `with boxxyerror`: mid_s mid_bytes"
                 " start_s end_s bottom_bytes top_bytes conn bytes_before\n");
    if (write_steps(out, runobj, run, &client, elapsed_us, &max_bytes, err) ||
        write_steps(out, runobj, run, &server, elapsed_us, &max_bytes, err))
        return -EINVAL;
    if (max_bytes == 0)
        max_bytes = 1;

    char prefix[64];
    set_prefix(runobj, prefix, sizeof prefix);
    if (json_array_size(blocks) == 1)
        fprintf(out, "\"%ssender blocked (once)\"\n", prefix);
    else if (json_array_size(blocks) > 1)
        fprintf(out, "\"%ssender blocked (%zu times)\"\n", prefix, json_array_size(blocks));
    else
        fprintf(out, "\"%sthe sender never blocked\"\nNaN NaN NaN NaN NaN NaN NaN NaN\n", prefix);
    json_array_foreach(blocks, i, block)
    {
        json_int_t start_us, end_us = elapsed_us, conn, before;
        int ended = 0;
        char path[64];
        snprintf(path, sizeof path, "blocks[%zu].start_us", i);
        if (need_int(runobj, run, path, &start_us, err))
            return -EINVAL;
        /* A send still blocked when the run stopped has no end. */
        snprintf(path, sizeof path, "blocks[%zu].end_us", i);
        if (get_int(runobj, run, path, &end_us, &ended, err))
            return -EINVAL;
        if (!ended)
            end_us = elapsed_us;
        conn = json_integer_value(json_object_get(block, "conn"));
        before = json_integer_value(json_object_get(block, "bytes_before"));
        fprintf(out,
                "%.6f %.1f %.6f %.6f 0 %" JSON_INTEGER_FORMAT " %" JSON_INTEGER_FORMAT
                " %" JSON_INTEGER_FORMAT "\n",
                seconds(start_us + end_us) / 2, (double)max_bytes / 2, seconds(start_us),
                seconds(end_us), max_bytes, conn, before);
    }
    return 0;
}

/* ---- buffers ---- */

static const json_t *sweep_key_present(const json_t *results, const char *key)
{
    const json_t *run;
    size_t i;
    json_array_foreach(runs_of(results), i, run)
    {
        const json_t *v = json_object_get(json_object_get(run, "sweep"), key);
        if (v)
            return v;
    }
    return NULL;
}

struct buffer_row {
    json_int_t set, sndbuf, rcvbuf, series;
    const json_t *point, *first_run;
    size_t run;
};

/* Ascending, with 0 (the kernel default, no setsockopt) after all sizes. */
static int size_order(json_int_t a, json_int_t b)
{
    if (a == b)
        return 0;
    if (a == 0 || b == 0)
        return a == 0 ? 1 : -1;
    return a < b ? -1 : 1;
}

static int buffer_compare(const void *a, const void *b)
{
    const struct buffer_row *x = a, *y = b;
    int c = size_order(x->series, y->series);
    if (!c)
        c = set_order(run_set(x->first_run), run_set(y->first_run));
    if (!c)
        c = size_order(x->set, y->set);
    if (!c)
        c = x->run < y->run ? -1 : x->run > y->run;
    return c;
}

const char *table_buffers_x_key(const json_t *results)
{
    if (sweep_key_present(results, "client.sndbuf"))
        return "client.sndbuf";
    if (sweep_key_present(results, "server.rcvbuf"))
        return "server.rcvbuf";
    return NULL;
}

int table_buffers(FILE *out, const json_t *results, struct hl_error *err)
{
    json_t *points = aggregate_points(runs_of(results));
    const json_t *point;
    size_t n = json_array_size(points), i;
    const char *x_key = table_buffers_x_key(results);
    int by_rcvbuf =
        x_key && strcmp(x_key, "client.sndbuf") == 0 && sweep_key_present(results, "server.rcvbuf");
    struct buffer_row *rows;
    char x_path[32];

    if (!x_key) {
        json_decref(points);
        return hl_error_set(err, "runs[0].sweep",
                            "the buffers plot needs a sweep over client.sndbuf or server.rcvbuf");
    }
    snprintf(x_path, sizeof x_path, "params.%s", x_key);
    rows = calloc(n ? n : 1, sizeof *rows);
    if (!rows) {
        json_decref(points);
        return hl_error_set(err, NULL, "out of memory");
    }
    json_array_foreach(points, i, point)
    {
        struct buffer_row *r = &rows[i];
        json_int_t ignored;
        int known;
        const json_t *run = point_first_run(results, point, &r->run);
        r->point = point;
        r->first_run = run;
        if (need_int(run, r->run, x_path, &r->set, err) ||
            get_int(run, r->run, "summary.bytes_before_first_block", &ignored, &known, err) ||
            need_int(run, r->run, "summary.bytes_sent", &ignored, err) ||
            need_int(run, r->run, "effective.sndbuf", &r->sndbuf, err) ||
            need_int(run, r->run, "effective.rcvbuf", &r->rcvbuf, err) ||
            (by_rcvbuf && need_int(run, r->run, "params.server.rcvbuf", &r->series, err))) {
            free(rows);
            json_decref(points);
            return -EINVAL;
        }
    }
    qsort(rows, n, sizeof *rows, buffer_compare);
    fprintf(out,
            "# buffer_set before before_min before_max sent sent_min sent_max effective_sndbuf"
            " effective_rcvbuf capacity flagged   (bytes; buffer_set: %s as set, 0 = kernel"
            " default; before: bytes sent before the first blocked send, sent: in all, each the"
            " median over the point's repeats with their min and max; effective: what"
            " getsockopt returned; capacity: what the buffers hold, the prediction's bound on"
            " sent while nobody reads (NaN when someone reads); flagged: 1 where sent exceeds"
            " it)\n",
            x_key);
    for (i = 0; i < n; i++) {
        const struct buffer_row *r = &rows[i];
        const json_t *capacity = json_object_get(
            json_object_get(json_object_get(r->point, "predictions"), "bytes_sent"), "value");
        char prefix[64];
        if (i == 0 || r->series != rows[i - 1].series ||
            set_order(run_set(r->first_run), run_set(rows[i - 1].first_run))) {
            if (i)
                fprintf(out, "\n\n");
            set_prefix(r->first_run, prefix, sizeof prefix);
            if (!by_rcvbuf)
                fprintf(out, "\"%s%s swept\"\n", prefix, x_key);
            else if (r->series == 0)
                fprintf(out, "\"%sserver.rcvbuf=default\"\n", prefix);
            else
                fprintf(out, "\"%sserver.rcvbuf=%" JSON_INTEGER_FORMAT "\"\n", prefix, r->series);
        }
        fprintf(out, "%" JSON_INTEGER_FORMAT, r->set);
        write_spread(out, r->point, "bytes_before_first_block");
        write_spread(out, r->point, "bytes_sent");
        fprintf(out, " %" JSON_INTEGER_FORMAT " %" JSON_INTEGER_FORMAT, r->sndbuf, r->rcvbuf);
        if (json_is_number(capacity))
            fprintf(out, " %.0f", json_number_value(capacity));
        else
            fprintf(out, " NaN");
        fprintf(out, " %d\n", aggregate_flagged(r->point, "bytes_sent"));
    }
    free(rows);
    json_decref(points);
    return 0;
}

/* ---- rate ---- */

struct rate_row {
    json_int_t rate;
    const char *mode;
    const json_t *point, *first_run;
    size_t run;
};

static int rate_compare(const void *a, const void *b)
{
    const struct rate_row *x = a, *y = b;
    int c = strcmp(x->mode, y->mode);
    if (c)
        return -c; /* "nonblocking" first */
    c = set_order(run_set(x->first_run), run_set(y->first_run));
    if (c)
        return c;
    if (x->rate != y->rate)
        return x->rate < y->rate ? -1 : 1;
    return x->run < y->run ? -1 : x->run > y->run;
}

int table_rate(FILE *out, const json_t *results, struct hl_error *err)
{
    json_t *points = aggregate_points(runs_of(results));
    const json_t *point;
    size_t n = json_array_size(points), i;
    struct rate_row *rows = calloc(n ? n : 1, sizeof *rows);
    int by_mode = sweep_key_present(results, "client.mode") != NULL, rc = -EINVAL;

    if (!rows) {
        json_decref(points);
        return hl_error_set(err, NULL, "out of memory");
    }
    json_array_foreach(points, i, point)
    {
        struct rate_row *r = &rows[i];
        json_int_t ignored;
        const json_t *run = point_first_run(results, point, &r->run);
        const json_t *read = aggregate_path(run, "params.server.read");
        const char *mode = json_string_value(aggregate_path(run, "params.client.mode"));
        r->point = point;
        r->first_run = run;
        r->mode = by_mode && mode ? mode : "";
        /* "never" and "immediate" readers have no rate to plot against. */
        if (!read) {
            field_error(err, r->run, "params.server.read", NULL,
                        "a paced reader {\"bytes_per_sec\": ...}");
            goto out;
        }
        if (!json_is_integer(json_object_get(read, "bytes_per_sec"))) {
            char where[64], *text = json_dumps(read, JSON_COMPACT | JSON_ENCODE_ANY);
            snprintf(where, sizeof where, "runs[%zu].params.server.read", r->run);
            hl_error_set(err, where,
                         "the rate plot needs a paced reader ({\"bytes_per_sec\": ...}), got %s",
                         text ? text : "nothing");
            free(text);
            goto out;
        }
        r->rate = json_integer_value(json_object_get(read, "bytes_per_sec"));
        if (need_int(run, r->run, "summary.bytes_read", &ignored, err) ||
            need_int(run, r->run, "summary.elapsed_us", &ignored, err) ||
            need_int(run, r->run, "summary.blocked_us", &ignored, err))
            goto out;
    }
    qsort(rows, n, sizeof *rows, rate_compare);
    fprintf(out, "# read_rate achieved achieved_min achieved_max blocked_fraction blocked_min"
                 " blocked_max bytes_read elapsed_s   (rates in bytes/s: the reader's setting,"
                 " and bytes_read / elapsed; blocked_fraction: blocked_us / elapsed_us per"
                 " connection; each the median over the point's repeats with their min and"
                 " max; bytes_read and elapsed_s: medians)\n"
                 "# one series per client.mode when it is swept\n");
    for (i = 0; i < n; i++) {
        const struct rate_row *r = &rows[i];
        int known;
        char prefix[64];
        if (i == 0 || strcmp(r->mode, rows[i - 1].mode) != 0 ||
            set_order(run_set(r->first_run), run_set(rows[i - 1].first_run)))
            fprintf(out, "%s\"%s%s%s\"\n", i ? "\n\n" : "",
                    set_prefix(r->first_run, prefix, sizeof prefix),
                    r->mode[0] ? "client.mode=" : "", r->mode[0] ? r->mode : "measured");
        fprintf(out, "%" JSON_INTEGER_FORMAT, r->rate);
        write_spread_with(out, r->point, "achieved_bytes_per_sec", 1);
        write_spread_with(out, r->point, "blocked_fraction", 4);
        fprintf(out, " %.0f", aggregate_stat(r->point, "bytes_read", "median", &known));
        fprintf(out, " %.6f\n", aggregate_stat(r->point, "elapsed_us", "median", &known) / 1e6);
    }
    rc = 0;
out:
    free(rows);
    json_decref(points);
    return rc;
}

/* ---- accept_queue ---- */

static int compare_int(const void *a, const void *b)
{
    json_int_t x = *(const json_int_t *)a, y = *(const json_int_t *)b;
    return (x > y) - (x < y);
}

/* A count over time from event times: "t_s count", starting at 0 and held
 * to elapsed_us. */
static void write_count_steps(FILE *out, const char *prefix, const char *title, json_int_t *times,
                              size_t n, json_int_t elapsed_us)
{
    qsort(times, n, sizeof *times, compare_int);
    fprintf(out, "\n\n\"%s%s\"\n0 0\n", prefix, title);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%.6f %zu\n", seconds(times[i]), i + 1);
    fprintf(out, "%.6f %zu\n", seconds(elapsed_us), n);
}

int table_accept_queue(FILE *out, const json_t *results, size_t run, struct hl_error *err)
{
    const json_t *runobj = run_of(results, run, err), *samples = NULL, *sample;
    const json_t *connections = NULL, *c;
    json_int_t elapsed_us, top = 1, first_start = -1, last_queue = 0, last_limit = 0;
    size_t i, handshakes = 0, accepts = 0, queue_rows = 0;
    int rc = -EINVAL;
    char prefix[64];

    if (!runobj)
        return -EINVAL;
    if (need_int(runobj, run, "summary.elapsed_us", &elapsed_us, err) ||
        need_array(runobj, run, "samples.server", &samples, err) ||
        need_array(runobj, run, "connections", &connections, err))
        return -EINVAL;
    size_t n = json_array_size(connections);
    json_int_t *connected = calloc(n + 1, sizeof *connected);
    json_int_t *accepted = calloc(n + 1, sizeof *accepted);
    json_t *points = aggregate_points(runs_of(results));
    if (!connected || !accepted) {
        hl_error_set(err, NULL, "out of memory");
        goto out;
    }
    fprintf(out,
            "# t_s queue limit capacity   (series 0: the accept queue sampled on the"
            " listener, TCP_INFO: its length, its limit min(backlog, somaxconn), and"
            " capacity = limit + 1, the most it holds; each held until the next row)\n"
            "# series 1 and 2: t_s count: handshakes completed (the client's connect()"
            " returned), connections accepted by the server, in all so far\n"
            "# series 3: the predicted SYN retransmit times after the first connect()"
            " (vertical segments t_s count), when some connection waited for one\n"
            "\"%swaiting in the accept queue\"\n",
            set_prefix(runobj, prefix, sizeof prefix));
    json_array_foreach(samples, i, sample)
    {
        const json_t *queue = json_object_get(sample, "queue");
        const json_t *limit = json_object_get(sample, "limit");
        json_int_t t = json_integer_value(json_object_get(sample, "t_us"));
        if (!json_is_integer(queue) || !json_is_integer(limit))
            continue; /* no listener to ask */
        fprintf(out,
                "%.6f %" JSON_INTEGER_FORMAT " %" JSON_INTEGER_FORMAT " %" JSON_INTEGER_FORMAT "\n",
                seconds(t), json_integer_value(queue), json_integer_value(limit),
                json_integer_value(limit) + 1);
        if (json_integer_value(limit) + 1 > top)
            top = json_integer_value(limit) + 1;
        last_queue = json_integer_value(queue);
        last_limit = json_integer_value(limit);
        queue_rows++;
    }
    if (queue_rows)
        fprintf(out,
                "%.6f %" JSON_INTEGER_FORMAT " %" JSON_INTEGER_FORMAT " %" JSON_INTEGER_FORMAT "\n",
                seconds(elapsed_us), last_queue, last_limit, last_limit + 1);
    else
        fprintf(out, "NaN NaN NaN NaN\n");
    json_array_foreach(connections, i, c)
    {
        const json_t *start = json_object_get(c, "start_us");
        const json_t *connect = json_object_get(c, "connect_us");
        const json_t *accept = json_object_get(c, "accepted_us");
        if (json_is_integer(start) && (first_start < 0 || json_integer_value(start) < first_start))
            first_start = json_integer_value(start);
        if (json_is_integer(start) && json_is_integer(connect))
            connected[handshakes++] = json_integer_value(start) + json_integer_value(connect);
        if (json_is_integer(accept))
            accepted[accepts++] = json_integer_value(accept);
    }
    if ((json_int_t)handshakes > top)
        top = (json_int_t)handshakes;
    write_count_steps(out, prefix, "handshakes completed (client)", connected, handshakes,
                      elapsed_us);
    write_count_steps(out, prefix, "accepted by the server", accepted, accepts, elapsed_us);

    const json_t *point =
        aggregate_find(points, json_integer_value(json_object_get(runobj, "point")));
    const json_t *connect = json_object_get(json_object_get(point, "predictions"), "connect_us");
    const json_t *t;
    size_t written = 0;
    fprintf(out, "\n\n\"%s%s\"\n", connect ? prefix : "",
            connect ? "predicted SYN retransmits" : "");
    json_array_foreach(json_object_get(connect, "retransmits_us"), i, t)
    {
        json_int_t at = first_start + json_integer_value(t);
        if (first_start < 0 || at > elapsed_us)
            break;
        fprintf(out, "%.6f 0\n%.6f %" JSON_INTEGER_FORMAT "\n\n", seconds(at), seconds(at),
                top + 1);
        written++;
    }
    if (!written)
        fprintf(out, "NaN NaN\n");
    rc = 0;
out:
    free(connected);
    free(accepted);
    json_decref(points);
    return rc;
}

/* ---- queues ---- */

int table_queues_connection(const json_t *runobj, json_int_t *conn, size_t *connected)
{
    const json_t *c;
    size_t i;
    int found = 0;
    *connected = 0;
    json_array_foreach(json_object_get(runobj, "connections"), i, c)
    {
        const char *outcome = json_string_value(json_object_get(c, "outcome"));
        if (!outcome || strcmp(outcome, "connected") != 0)
            continue;
        (*connected)++;
        if (!found) {
            *conn = json_is_integer(json_object_get(c, "conn"))
                        ? json_integer_value(json_object_get(c, "conn"))
                        : (json_int_t)i;
            found = 1;
        }
    }
    return found;
}

/* One connection's column over time from a side's samples ("t_s value"),
 * column 1 its byte count, 2 its queue: from 0 until it is first listed,
 * then as listed; once no longer listed (closed) its queue is 0 and its
 * count `final` (its total, which a sample may not have seen: it closed
 * right after its last send); the last value held to elapsed_us. */
static void write_conn_steps(FILE *out, int first, const char *prefix, const char *title,
                             const json_t *samples, json_int_t conn, int column, json_int_t final,
                             json_int_t elapsed_us, json_int_t *max)
{
    const json_t *sample;
    size_t i;
    json_int_t value = 0;
    int listed = 0;
    fprintf(out, "%s\"%s%s\"\n0 0\n", first ? "" : "\n\n", prefix, title);
    json_array_foreach(samples, i, sample)
    {
        const json_t *entry, *conns = json_object_get(sample, "conns");
        size_t k;
        int here = 0;
        json_int_t t = json_integer_value(json_object_get(sample, "t_us"));
        if (!json_is_array(conns))
            continue; /* over the cap: this sample kept only its totals */
        json_array_foreach(conns, k, entry)
        {
            if (json_integer_value(json_array_get(entry, 0)) != conn)
                continue;
            here = 1;
            value = json_integer_value(json_array_get(entry, (size_t)column));
        }
        if (!here && !listed)
            continue;
        if (!here)
            value = column == 2 ? 0 : final;
        if (!here && listed > 0) {
            fprintf(out, "%.6f %" JSON_INTEGER_FORMAT "\n", seconds(t), value);
            listed = -1; /* closed */
            continue;
        }
        if (here && listed >= 0) {
            fprintf(out, "%.6f %" JSON_INTEGER_FORMAT "\n", seconds(t), value);
            listed = 1;
        }
        if (value > *max)
            *max = value;
    }
    if (listed >= 0 && column == 1 && final > value)
        fprintf(out, "%.6f %" JSON_INTEGER_FORMAT "\n", seconds(elapsed_us), value = final);
    else
        fprintf(out, "%.6f %" JSON_INTEGER_FORMAT "\n", seconds(elapsed_us), value);
    if (value > *max)
        *max = value;
}

int table_queues(FILE *out, const json_t *results, size_t run, struct hl_error *err)
{
    const json_t *runobj = run_of(results, run, err), *blocks = NULL, *block;
    const json_t *client = NULL, *server = NULL;
    json_int_t elapsed_us, conn = 0, sndbuf, rcvbuf, max_bytes = 1, max_queue = 1;
    size_t i, connected, count = 0;
    char prefix[64];

    if (!runobj)
        return -EINVAL;
    if (need_int(runobj, run, "summary.elapsed_us", &elapsed_us, err) ||
        need_array(runobj, run, "blocks", &blocks, err) ||
        need_array(runobj, run, "samples.client", &client, err) ||
        need_array(runobj, run, "samples.server", &server, err))
        return -EINVAL;
    if (!table_queues_connection(runobj, &conn, &connected))
        return hl_error_set(err, NULL,
                            "runs[%zu]: the queues plot needs a connection that connected", run);
    set_prefix(runobj, prefix, sizeof prefix);
    /* the buffers the kernel granted; the largest seen when it grew them */
    const json_t *c = json_array_get(json_object_get(runobj, "connections"), (size_t)conn);
    const json_t *rcvbuf_max = aggregate_path(runobj, "effective.rcvbuf_max");
    sndbuf = json_is_integer(json_object_get(c, "sndbuf"))
                 ? json_integer_value(json_object_get(c, "sndbuf"))
                 : json_integer_value(aggregate_path(runobj, "effective.sndbuf"));
    rcvbuf = json_integer_value(aggregate_path(runobj, "effective.rcvbuf"));
    if (json_is_integer(rcvbuf_max) && json_integer_value(rcvbuf_max) > rcvbuf)
        rcvbuf = json_integer_value(rcvbuf_max);
    fprintf(out,
            "# one connection, conn %" JSON_INTEGER_FORMAT " (of %zu that connected): t_s bytes,"
            " each value held until the next row\n"
            "# series 0 and 1: bytes it sent (client) and read (server) in all so far; 2 and 3:"
            " its send queue (client, SIOCOUTQ: sent, not acknowledged) and receive queue"
            " (server, SIOCINQ: arrived, not read)\n"
            "# series 4: `t_s sndbuf rcvbuf`, the buffers getsockopt reported (SO_SNDBUF at"
            " close, SO_RCVBUF the largest seen)\n"
            "# series 5, one row per blocked send of this connection: start_s end_s\n",
            conn, connected);
    write_conn_steps(out, 1, prefix, "client: bytes sent", client, conn, 1,
                     json_integer_value(json_object_get(c, "bytes_sent")), elapsed_us, &max_bytes);
    write_conn_steps(out, 0, prefix, "server: bytes read", server, conn, 1,
                     json_integer_value(json_object_get(c, "bytes_read")), elapsed_us, &max_bytes);
    write_conn_steps(out, 0, prefix, "client: send queue (SIOCOUTQ)", client, conn, 2, 0,
                     elapsed_us, &max_queue);
    write_conn_steps(out, 0, prefix, "server: receive queue (SIOCINQ)", server, conn, 2, 0,
                     elapsed_us, &max_queue);
    fprintf(out, "\n\n\"%sbuffers\"\n0 %" JSON_INTEGER_FORMAT " %" JSON_INTEGER_FORMAT "\n", prefix,
            sndbuf, rcvbuf);
    fprintf(out, "%.6f %" JSON_INTEGER_FORMAT " %" JSON_INTEGER_FORMAT "\n", seconds(elapsed_us),
            sndbuf, rcvbuf);
    json_array_foreach(blocks, i, block)
    {
        if (json_integer_value(json_object_get(block, "conn")) == conn)
            count++;
    }
    if (count == 0)
        fprintf(out, "\n\n\"%sthe sender never blocked\"\nNaN NaN\n", prefix);
    else
        fprintf(out, "\n\n\"%ssend() blocked (%zu time%s)\"\n", prefix, count,
                count > 1 ? "s" : "");
    json_array_foreach(blocks, i, block)
    {
        const json_t *end = json_object_get(block, "end_us");
        if (json_integer_value(json_object_get(block, "conn")) != conn)
            continue;
        fprintf(out, "%.6f %.6f\n", seconds(json_integer_value(json_object_get(block, "start_us"))),
                seconds(json_is_integer(end) ? json_integer_value(end) : elapsed_us));
    }
    return 0;
}

/* ---- buffer_grid ---- */

/* The distinct values of a sweep key, in size order (0, the kernel's
 * default, last). */
static size_t grid_axis(const json_t *results, const char *path, json_int_t *values, size_t max)
{
    const json_t *run;
    size_t i, n = 0;
    json_array_foreach(runs_of(results), i, run)
    {
        const json_t *v = aggregate_path(run, path);
        json_int_t x = json_integer_value(v);
        size_t k;
        if (!json_is_integer(v))
            continue;
        for (k = 0; k < n && values[k] != x; k++)
            ;
        if (k == n && n < max)
            values[n++] = x;
    }
    for (size_t a = 1; a < n; a++)
        for (size_t b = a; b > 0 && size_order(values[b - 1], values[b]) > 0; b--) {
            json_int_t t = values[b];
            values[b] = values[b - 1];
            values[b - 1] = t;
        }
    return n;
}

static size_t grid_index(const json_int_t *values, size_t n, json_int_t x)
{
    for (size_t i = 0; i < n; i++)
        if (values[i] == x)
            return i;
    return 0;
}

static void write_size_label(FILE *out, json_int_t bytes)
{
    if (bytes == 0)
        fprintf(out, "\"default\"");
    else if (bytes % 1024 == 0)
        fprintf(out, "\"%" JSON_INTEGER_FORMAT " KiB\"", bytes / 1024);
    else
        fprintf(out, "\"%" JSON_INTEGER_FORMAT " B\"", bytes);
}

#define GRID_MAX 64

/* A sender still taking data this close to the run's end has not reached
 * its plateau: more than two delayed-ACK timeouts (40 ms at least each),
 * which is what a sender whose tiny send buffer waits on between
 * segments. */
#define GRID_SETTLED_US 100000

/* Whether the run's bytes sent stopped changing at least GRID_SETTLED_US
 * before its end. */
static int grid_settled(const json_t *run)
{
    const json_t *samples = aggregate_path(run, "samples.client"), *sample;
    json_int_t elapsed = json_integer_value(aggregate_path(run, "summary.elapsed_us"));
    json_int_t last_change = 0, bytes = -1;
    size_t i;
    json_array_foreach(samples, i, sample)
    {
        json_int_t b = json_integer_value(json_object_get(sample, "bytes_sent"));
        if (b != bytes) {
            bytes = b;
            last_change = json_integer_value(json_object_get(sample, "t_us"));
        }
    }
    return json_array_size(samples) == 0 || elapsed - last_change >= GRID_SETTLED_US;
}

int table_buffer_grid(FILE *out, const json_t *results, struct hl_error *err)
{
    json_int_t xs[GRID_MAX], ys[GRID_MAX];
    size_t nx = grid_axis(results, "params.client.sndbuf", xs, GRID_MAX);
    size_t ny = grid_axis(results, "params.server.rcvbuf", ys, GRID_MAX);
    json_t *points;
    const json_t *point;
    size_t i;

    if (!sweep_key_present(results, "client.sndbuf") ||
        !sweep_key_present(results, "server.rcvbuf"))
        return hl_error_set(err, "runs[0].sweep",
                            "the buffer_grid plot needs a sweep over both client.sndbuf and "
                            "server.rcvbuf");
    points = aggregate_points(runs_of(results));
    fprintf(out, "# x y sndbuf_set rcvbuf_set before sent flagged settled   (one row per point:"
                 " x, y the cell, columns of client.sndbuf and rows of server.rcvbuf as set,"
                 " 0 = kernel default; before: bytes sent before the first blocked send, sent:"
                 " in all, medians over the repeats; flagged: 1 where sent exceeds the"
                 " prediction; settled: 0 where the sender was still taking data in the last"
                 " 100 ms of a run, so that sent is no plateau yet)\n"
                 "\"cells\"\n");
    json_array_foreach(points, i, point)
    {
        size_t run_index;
        int known;
        const json_t *run = point_first_run(results, point, &run_index);
        json_int_t x = json_integer_value(aggregate_path(run, "params.client.sndbuf"));
        json_int_t y = json_integer_value(aggregate_path(run, "params.server.rcvbuf"));
        fprintf(out, "%zu %zu %" JSON_INTEGER_FORMAT " %" JSON_INTEGER_FORMAT,
                grid_index(xs, nx, x), grid_index(ys, ny, y), x, y);
        double before = aggregate_stat(point, "bytes_before_first_block", "median", &known);
        if (known)
            fprintf(out, " %.0f", before);
        else
            fprintf(out, " NaN");
        double sent = aggregate_stat(point, "bytes_sent", "median", &known);
        if (known)
            fprintf(out, " %.0f", sent);
        else
            fprintf(out, " NaN");
        int settled = 1;
        const json_t *index;
        size_t k;
        json_array_foreach(json_object_get(point, "runs"), k, index)
        {
            settled &= grid_settled(json_array_get(runs_of(results), json_integer_value(index)));
        }
        fprintf(out, " %d %d\n", aggregate_flagged(point, "bytes_sent"), settled);
    }
    fprintf(out, "\n\n\"x tics: client.sndbuf\"\n");
    for (i = 0; i < nx; i++) {
        fprintf(out, "%zu ", i);
        write_size_label(out, xs[i]);
        fputc('\n', out);
    }
    fprintf(out, "\n\n\"y tics: server.rcvbuf\"\n");
    for (i = 0; i < ny; i++) {
        fprintf(out, "%zu ", i);
        write_size_label(out, ys[i]);
        fputc('\n', out);
    }
    json_decref(points);
    return 0;
}

/* ---- any kind ---- */

int table_write(FILE *out, const char *kind, const json_t *results, size_t run,
                struct hl_error *err)
{
    if (strcmp(kind, "outcomes") == 0)
        return table_outcomes(out, results, err);
    if (strcmp(kind, "handshakes") == 0)
        return table_handshakes(out, results, err);
    if (strcmp(kind, "latency") == 0)
        return table_latency(out, results, err);
    if (strcmp(kind, "transfer") == 0)
        return table_transfer(out, results, run, err);
    if (strcmp(kind, "buffers") == 0)
        return table_buffers(out, results, err);
    if (strcmp(kind, "rate") == 0)
        return table_rate(out, results, err);
    if (strcmp(kind, "accept_queue") == 0)
        return table_accept_queue(out, results, run, err);
    if (strcmp(kind, "queues") == 0)
        return table_queues(out, results, run, err);
    if (strcmp(kind, "buffer_grid") == 0)
        return table_buffer_grid(out, results, err);
    return hl_error_set(err, NULL, "unknown plot kind \"%s\"", kind);
}
