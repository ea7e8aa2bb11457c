/* table.c: see table.h. */
#include "table.h"

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const known_kinds[] = {"outcomes", "handshakes", "latency",
                                          "transfer", "buffers",    "rate"};

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

/* Follows a key path ("summary.connected", "blocks[2].end_us"): each
 * '.'-separated part is one key, optionally followed by [index]. */
static const json_t *get_path(const json_t *obj, const char *path)
{
    char key[128];
    while (obj && *path) {
        size_t n = strcspn(path, ".[");
        if (n >= sizeof key)
            return NULL;
        memcpy(key, path, n);
        key[n] = '\0';
        obj = json_object_get(obj, key);
        path += n;
        while (obj && *path == '[') {
            char *end;
            unsigned long index = strtoul(path + 1, &end, 10);
            if (*end != ']')
                return NULL;
            obj = json_array_get(obj, index);
            path = end + 1;
        }
        if (*path == '.')
            path++;
    }
    return obj;
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
    const json_t *v = get_path(runobj, path);
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
    const json_t *v = get_path(runobj, path);
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
    const json_t *v = json_object_get(get_path(runobj, "effective.sysctls"), name);
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
                                "latency, transfer, buffers, rate)",
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

void table_point_label(const json_t *results, const json_t *run, char *out, size_t size)
{
    const json_t *sweep = json_object_get(run, "sweep"), *value;
    const char *key;

    /* With several keys, full names make labels too long for a plot key:
     * "backlog=-1, somaxconn=2" instead of
     * "server.backlog=-1, sysctls.net.core.somaxconn=2". */
    out[0] = '\0';
    json_object_foreach((json_t *)sweep, key, value)
    {
        if (out[0])
            append_clean(out, size, ", ");
        append_clean(out, size, json_object_size(sweep) > 1 ? short_key(sweep, key) : key);
        append_clean(out, size, "=");
        append_value(out, size, value);
    }
    if (!out[0])
        append_clean(out, size, "(no sweep)");
    if (scenario_repeats(results)) {
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

int table_outcomes(FILE *out, const json_t *results, struct hl_error *err)
{
    static const char *const fields[] = {"connected", "refused", "timed_out",
                                         "failed",    "reset",   "accepted"};
    const json_t *run;
    size_t i;

    fprintf(out, "# point connected refused timed_out failed reset accepted"
                 "   (number of connections; one row per run)\n");
    json_array_foreach(runs_of(results), i, run)
    {
        json_int_t counts[6];
        for (size_t f = 0; f < 6; f++) {
            char path[64];
            snprintf(path, sizeof path, "summary.%s", fields[f]);
            if (need_int(run, i, path, &counts[f], err))
                return -EINVAL;
        }
        write_label(out, results, run);
        for (size_t f = 0; f < 6; f++)
            fprintf(out, " %" JSON_INTEGER_FORMAT, counts[f]);
        fputc('\n', out);
    }
    return 0;
}

/* ---- handshakes ---- */

struct handshake_row {
    json_int_t backlog, connected, attempted, effective_backlog, somaxconn;
    int effective_known;
    size_t run;
};

static int handshake_compare(const void *a, const void *b)
{
    const struct handshake_row *x = a, *y = b;
    if (x->backlog != y->backlog)
        return x->backlog < y->backlog ? -1 : 1;
    return x->run < y->run ? -1 : x->run > y->run;
}

/* What listen(fd, backlog) leaves as the accept queue limit: the kernel
 * compares the backlog as unsigned (net/socket.c __sys_listen), so a
 * negative one, like one above somaxconn, becomes somaxconn. */
static json_int_t kernel_limit(json_int_t backlog, json_int_t somaxconn)
{
    if (backlog < 0 || backlog > somaxconn)
        return somaxconn;
    return backlog;
}

/* How many handshakes complete when nobody accepts: the queue is full only
 * once it holds more than the limit (sk_acceptq_is_full uses '>'), so
 * limit + 1 connections fit; never more than there are clients. */
static json_int_t predicted_handshakes(json_int_t backlog, json_int_t somaxconn, json_int_t clients)
{
    json_int_t fit = kernel_limit(backlog, somaxconn) + 1;
    return fit < clients ? fit : clients;
}

static void write_prediction_row(FILE *out, json_int_t backlog, json_int_t somaxconn,
                                 json_int_t clients, int measured)
{
    fprintf(out, "%" JSON_INTEGER_FORMAT " %" JSON_INTEGER_FORMAT " %d\n", backlog,
            predicted_handshakes(backlog, somaxconn, clients), measured);
}

static void write_prediction(FILE *out, const struct handshake_row *rows, size_t n)
{
    json_int_t somaxconn = rows[0].somaxconn, clients = 0, lo = -1, hi = -1;
    json_int_t corners[2];
    size_t i, c, corner_count = 0;

    for (i = 0; i < n; i++)
        if (rows[i].attempted > clients)
            clients = rows[i].attempted;
    fprintf(out, "\n\n\"predicted, somaxconn=%" JSON_INTEGER_FORMAT "\"\n", somaxconn);
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
    const json_t *runs = runs_of(results), *run;
    size_t n = json_array_size(runs), i, done = 0;
    struct handshake_row *rows = calloc(n, sizeof *rows);
    struct handshake_row *group = calloc(n, sizeof *group);
    char *taken = calloc(n, 1);
    int rc = -ENOMEM;

    if (!rows || !group || !taken) {
        hl_error_set(err, NULL, "out of memory");
        goto fail;
    }
    rc = -EINVAL;
    json_array_foreach(runs, i, run)
    {
        struct handshake_row *r = &rows[i];
        r->run = i;
        if (need_int(run, i, "params.server.backlog", &r->backlog, err) ||
            need_int(run, i, "summary.connected", &r->connected, err) ||
            need_int(run, i, "summary.attempted", &r->attempted, err) ||
            get_int(run, i, "effective.backlog", &r->effective_backlog, &r->effective_known, err) ||
            need_sysctl(run, i, "net.core.somaxconn", &r->somaxconn, err))
            goto fail;
    }
    fprintf(out, "# backlog connected attempted effective_backlog somaxconn"
                 "   (backlog: passed to listen(); the rest: connections; one row per run)\n"
                 "# per somaxconn value two series: the measured rows, then the prediction"
                 " as `backlog predicted measured` (predicted: handshakes completed;"
                 " measured: 1 where a run used this backlog)\n");
    /* One pair of series per somaxconn value, in the order they appear. */
    for (i = 0; i < n; i++) {
        size_t count = 0;
        if (taken[i])
            continue;
        for (size_t j = i; j < n; j++) {
            if (!taken[j] && rows[j].somaxconn == rows[i].somaxconn) {
                group[count++] = rows[j];
                taken[j] = 1;
            }
        }
        qsort(group, count, sizeof *group, handshake_compare);
        fprintf(out, "%s\"measured, somaxconn=%" JSON_INTEGER_FORMAT "\"\n", done ? "\n\n" : "",
                group[0].somaxconn);
        for (size_t j = 0; j < count; j++) {
            fprintf(out, "%" JSON_INTEGER_FORMAT " %" JSON_INTEGER_FORMAT " %" JSON_INTEGER_FORMAT,
                    group[j].backlog, group[j].connected, group[j].attempted);
            if (group[j].effective_known)
                fprintf(out, " %" JSON_INTEGER_FORMAT, group[j].effective_backlog);
            else
                fprintf(out, " NaN");
            fprintf(out, " %" JSON_INTEGER_FORMAT "\n", group[j].somaxconn);
        }
        write_prediction(out, group, count);
        done++;
    }
    rc = 0;
fail:
    free(rows);
    free(group);
    free(taken);
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

int table_latency(FILE *out, const json_t *results, struct hl_error *err)
{
    const json_t *runs = runs_of(results), *run;
    size_t i;

    fprintf(out, "# conn latency_s outcome_code outcome   (conn: index in the order connect() was"
                 " called; latency: seconds from connect() to its outcome; outcome_code: 0 "
                 "connected, 1 refused, 2 timed_out, 3 failed, 4 other)\n");
    if (json_array_size(runs) > TABLE_LATENCY_MAX_RUNS)
        fprintf(out, "# the first %d of %zu runs\n", TABLE_LATENCY_MAX_RUNS, json_array_size(runs));
    json_array_foreach(runs, i, run)
    {
        const json_t *connections = NULL, *c;
        size_t j, rows = 0;
        if (i == TABLE_LATENCY_MAX_RUNS)
            break;
        if (need_array(run, i, "connections", &connections, err))
            return -EINVAL;
        if (i)
            fprintf(out, "\n\n");
        write_label(out, results, run);
        fputc('\n', out);
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
                return field_error(err, i, path, json_object_get(c, "outcome"), "a string");
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
            fprintf(out, "%" JSON_INTEGER_FORMAT " %.6f %d \"%s\"\n", conn, seconds(latency_us),
                    outcome_code(outcome), outcome);
            rows++;
        }
        if (!rows)
            fprintf(out, "NaN NaN NaN \"none\"\n");
    }
    return 0;
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
    fprintf(out, "\"%s\"\n", s->title);
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
    const json_t *runobj = json_array_get(runs_of(results), run), *blocks = NULL, *block;
    json_int_t elapsed_us, max_bytes = 0;
    size_t i;

    if (!runobj) {
        char where[64];
        snprintf(where, sizeof where, "runs[%zu]", run);
        return hl_error_set(err, where, "no such run");
    }
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

    if (json_array_size(blocks) == 1)
        fprintf(out, "\"sender blocked (once)\"\n");
    else if (json_array_size(blocks) > 1)
        fprintf(out, "\"sender blocked (%zu times)\"\n", json_array_size(blocks));
    else
        fprintf(out, "\"the sender never blocked\"\nNaN NaN NaN NaN NaN NaN NaN NaN\n");
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
    json_int_t set, before, sent, sndbuf, rcvbuf, series;
    int before_known;
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
    const json_t *runs = runs_of(results), *run;
    size_t n = json_array_size(runs), i;
    const char *x_key = table_buffers_x_key(results);
    int by_rcvbuf =
        x_key && strcmp(x_key, "client.sndbuf") == 0 && sweep_key_present(results, "server.rcvbuf");
    struct buffer_row *rows;
    char x_path[32];

    if (!x_key)
        return hl_error_set(err, "runs[0].sweep",
                            "the buffers plot needs a sweep over client.sndbuf or server.rcvbuf");
    snprintf(x_path, sizeof x_path, "params.%s", x_key);
    rows = calloc(n, sizeof *rows);
    if (!rows)
        return hl_error_set(err, NULL, "out of memory");
    json_array_foreach(runs, i, run)
    {
        struct buffer_row *r = &rows[i];
        r->run = i;
        if (need_int(run, i, x_path, &r->set, err) ||
            get_int(run, i, "summary.bytes_before_first_block", &r->before, &r->before_known,
                    err) ||
            need_int(run, i, "summary.bytes_sent", &r->sent, err) ||
            need_int(run, i, "effective.sndbuf", &r->sndbuf, err) ||
            need_int(run, i, "effective.rcvbuf", &r->rcvbuf, err) ||
            (by_rcvbuf && need_int(run, i, "params.server.rcvbuf", &r->series, err))) {
            free(rows);
            return -EINVAL;
        }
    }
    qsort(rows, n, sizeof *rows, buffer_compare);
    fprintf(out,
            "# buffer_set bytes_before_first_block bytes_sent effective_sndbuf "
            "effective_rcvbuf   (bytes; buffer_set: %s as set, 0 = kernel default;"
            " effective: what getsockopt returned)\n",
            x_key);
    for (i = 0; i < n; i++) {
        const struct buffer_row *r = &rows[i];
        if (i == 0 || r->series != rows[i - 1].series) {
            if (i)
                fprintf(out, "\n\n");
            if (!by_rcvbuf)
                fprintf(out, "\"%s swept\"\n", x_key);
            else if (r->series == 0)
                fprintf(out, "\"server.rcvbuf=default\"\n");
            else
                fprintf(out, "\"server.rcvbuf=%" JSON_INTEGER_FORMAT "\"\n", r->series);
        }
        fprintf(out, "%" JSON_INTEGER_FORMAT, r->set);
        if (r->before_known)
            fprintf(out, " %" JSON_INTEGER_FORMAT, r->before);
        else
            fprintf(out, " NaN");
        fprintf(out,
                " %" JSON_INTEGER_FORMAT " %" JSON_INTEGER_FORMAT " %" JSON_INTEGER_FORMAT "\n",
                r->sent, r->sndbuf, r->rcvbuf);
    }
    free(rows);
    return 0;
}

/* ---- rate ---- */

struct rate_row {
    json_int_t rate, bytes_read, elapsed_us, blocked_us;
    size_t run;
};

static int rate_compare(const void *a, const void *b)
{
    const struct rate_row *x = a, *y = b;
    if (x->rate != y->rate)
        return x->rate < y->rate ? -1 : 1;
    return x->run < y->run ? -1 : x->run > y->run;
}

int table_rate(FILE *out, const json_t *results, struct hl_error *err)
{
    const json_t *runs = runs_of(results), *run;
    size_t n = json_array_size(runs), i;
    struct rate_row *rows = calloc(n, sizeof *rows);

    if (!rows)
        return hl_error_set(err, NULL, "out of memory");
    json_array_foreach(runs, i, run)
    {
        struct rate_row *r = &rows[i];
        r->run = i;
        const json_t *read = get_path(run, "params.server.read");
        /* "never" and "immediate" readers have no rate to plot against. */
        if (!read) {
            free(rows);
            return field_error(err, i, "params.server.read", NULL,
                               "a paced reader {\"bytes_per_sec\": ...}");
        }
        if (!json_is_integer(json_object_get(read, "bytes_per_sec"))) {
            char where[64], *text = json_dumps(read, JSON_COMPACT | JSON_ENCODE_ANY);
            snprintf(where, sizeof where, "runs[%zu].params.server.read", i);
            hl_error_set(err, where,
                         "the rate plot needs a paced reader ({\"bytes_per_sec\": ...}), got %s",
                         text ? text : "nothing");
            free(text);
            free(rows);
            return -EINVAL;
        }
        r->rate = json_integer_value(json_object_get(read, "bytes_per_sec"));
        if (need_int(run, i, "summary.bytes_read", &r->bytes_read, err) ||
            need_int(run, i, "summary.elapsed_us", &r->elapsed_us, err) ||
            need_int(run, i, "summary.blocked_us", &r->blocked_us, err)) {
            free(rows);
            return -EINVAL;
        }
    }
    qsort(rows, n, sizeof *rows, rate_compare);
    fprintf(out, "# read_rate achieved_rate blocked_fraction bytes_read elapsed_s   (rates in"
                 " bytes/s: the reader's setting, bytes_read / elapsed; blocked_fraction:"
                 " blocked_us / elapsed_us)\n");
    for (i = 0; i < n; i++) {
        const struct rate_row *r = &rows[i];
        if (r->elapsed_us > 0)
            fprintf(out, "%" JSON_INTEGER_FORMAT " %.1f %.4f", r->rate,
                    (double)r->bytes_read / seconds(r->elapsed_us),
                    (double)r->blocked_us / (double)r->elapsed_us);
        else
            fprintf(out, "%" JSON_INTEGER_FORMAT " NaN NaN", r->rate);
        fprintf(out, " %" JSON_INTEGER_FORMAT " %.6f\n", r->bytes_read, seconds(r->elapsed_us));
    }
    free(rows);
    return 0;
}
