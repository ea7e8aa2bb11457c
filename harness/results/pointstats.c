/* pointstats.c: a point's "summary": every number of its runs' summaries
 * over its repeats, as n, median, min and max (aggregate.h, pointparts.h). */
#include "pointparts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"

static int double_compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* {"n", "median", "min", "max"} of values (sorted in place); NULL if n 0. */
static json_t *stats_json(double *values, size_t n)
{
    if (n == 0)
        return NULL;
    qsort(values, n, sizeof *values, double_compare);
    double median = n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    json_t *out = json_object();
    json_object_set_new(out, "n", json_integer((json_int_t)n));
    /* whole numbers stay integers, so counts read as counts */
    const double stat[3] = {median, values[0], values[n - 1]};
    const char *names[3] = {"median", "min", "max"};
    for (int i = 0; i < 3; i++) {
        double v = stat[i];
        if (v == (double)(json_int_t)v && v > -9e15 && v < 9e15)
            json_object_set_new(out, names[i], json_integer((json_int_t)v));
        else
            json_object_set_new(out, names[i], json_real(v));
    }
    return out;
}

/* The largest value of key over a run's samples of one side. */
static int samples_max(const json_t *run, const char *side, const char *key, double *out)
{
    const json_t *samples = json_object_get(json_object_get(run, "samples"), side), *sample;
    size_t i;
    int found = 0;
    json_array_foreach(samples, i, sample)
    {
        const json_t *v = json_object_get(sample, key);
        if (json_is_integer(v) && (!found || (double)json_integer_value(v) > *out)) {
            *out = (double)json_integer_value(v);
            found = 1;
        }
    }
    return found;
}

/* A derived number of a run (not in its summary). */
static int derived_value(const json_t *run, const char *name, double *out)
{
    double elapsed, x;
    if (strcmp(name, "achieved_bytes_per_sec") == 0) {
        if (!point_number_at(run, "summary.elapsed_us", &elapsed) || elapsed <= 0 ||
            !point_number_at(run, "summary.bytes_read", &x))
            return 0;
        *out = x * 1e6 / elapsed;
        return 1;
    }
    if (strcmp(name, "blocked_fraction") == 0) {
        /* blocked_us adds up over the connections: per connection */
        double connected = 1;
        if (!point_number_at(run, "summary.elapsed_us", &elapsed) || elapsed <= 0 ||
            !point_number_at(run, "summary.blocked_us", &x))
            return 0;
        if (point_number_at(run, "summary.connected", &connected) && connected < 1)
            connected = 1;
        *out = x / elapsed / connected;
        return 1;
    }
    if (strcmp(name, "accept_queue_max") == 0)
        return samples_max(run, "server", "queue", out);
    if (strcmp(name, "recv_queue_max") == 0)
        return samples_max(run, "server", "recv_queue", out);
    if (strcmp(name, "send_queue_max") == 0)
        return samples_max(run, "client", "send_queue", out);
    return 0;
}

static const char *const derived_names[] = {"achieved_bytes_per_sec", "blocked_fraction",
                                            "accept_queue_max",       "recv_queue_max",
                                            "send_queue_max",         NULL};

/* A number of a run's summary by name ("connected", "kernel.ListenDrops").
 * A nested one absent from an object the run has counts 0: the counter
 * objects (kernel, kernel_server, kernel_client, timed_out_by) hold only
 * the counters that changed. */
static int summary_value(const json_t *run, const char *name, double *out)
{
    char path[256];
    const char *dot = strchr(name, '.');
    snprintf(path, sizeof path, "summary.%s", name);
    if (point_number_at(run, path, out))
        return 1;
    if (!dot)
        return 0;
    snprintf(path, sizeof path, "summary.%.*s", (int)(dot - name), name);
    const json_t *outer = aggregate_path(run, path);
    if (!json_is_object(outer) || json_object_get(outer, dot + 1))
        return 0; /* not measured, or null */
    *out = 0;
    return 1;
}

/* Every number of the point's runs' summaries (the union of their keys,
 * one level of nesting as "outer.inner"), over all its runs, and the
 * derived ones. */
json_t *point_stats(const json_t *runs, const struct run_ref *refs, size_t count)
{
    json_t *out = json_object(), *names = json_object();
    double *values = malloc((count ? count : 1) * sizeof *values);
    const char *key, *inner, *name;
    const json_t *value, *nested, *unused;
    if (!values || !names) {
        free(values);
        json_decref(names);
        return out;
    }
    /* the names first: a counter may have changed in a later repeat only */
    for (size_t i = 0; i < count; i++) {
        const json_t *summary = json_object_get(json_array_get(runs, refs[i].index), "summary");
        json_object_foreach((json_t *)summary, key, value)
        {
            if (!json_is_object(value)) {
                json_object_set_new(names, key, json_true());
                continue;
            }
            json_object_foreach((json_t *)value, inner, nested)
            {
                char full[256];
                snprintf(full, sizeof full, "%s.%s", key, inner);
                json_object_set_new(names, full, json_true());
            }
        }
    }
    json_object_foreach(names, name, unused)
    {
        size_t n = 0;
        for (size_t i = 0; i < count; i++)
            n += summary_value(json_array_get(runs, refs[i].index), name, &values[n]);
        json_t *stats = stats_json(values, n);
        if (stats)
            json_object_set_new(out, name, stats);
    }
    json_decref(names);
    for (size_t d = 0; derived_names[d]; d++) {
        size_t n = 0;
        for (size_t i = 0; i < count; i++)
            n += derived_value(json_array_get(runs, refs[i].index), derived_names[d], &values[n]);
        json_t *stats = stats_json(values, n);
        if (stats)
            json_object_set_new(out, derived_names[d], stats);
    }
    free(values);
    return out;
}
