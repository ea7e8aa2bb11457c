/* aggregate.c: see aggregate.h. */
#include "aggregate.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "predict.h"

struct run_ref {
    long long point;
    size_t index;
};

static int run_ref_compare(const void *a, const void *b)
{
    const struct run_ref *x = a, *y = b;
    if (x->point != y->point)
        return x->point < y->point ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

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

/* Follows a key path ("summary.connected", "blocks[2].end_us"): each
 * '.'-separated part is one key, optionally followed by [index]. */
const json_t *aggregate_path(const json_t *obj, const char *path)
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

static int number_at(const json_t *run, const char *path, double *out)
{
    const json_t *v = aggregate_path(run, path);
    if (!json_is_number(v))
        return 0;
    *out = json_number_value(v);
    return 1;
}

static long long sysctl_of(const json_t *run, const char *name, long long fallback)
{
    const json_t *v = json_object_get(aggregate_path(run, "effective.sysctls"), name);
    if (json_is_integer(v))
        return json_integer_value(v);
    if (json_is_string(v))
        return strtoll(json_string_value(v), NULL, 10);
    return fallback;
}

/* A sysctl of the client's side: its own namespace's (topology veth), or
 * the one namespace both shared. */
static long long client_sysctl_of(const json_t *run, const char *name, long long fallback)
{
    const json_t *v = json_object_get(aggregate_path(run, "effective.client_sysctls"), name);
    if (json_is_integer(v))
        return json_integer_value(v);
    if (json_is_string(v))
        return strtoll(json_string_value(v), NULL, 10);
    return sysctl_of(run, name, fallback);
}

/* Whether the run's link was shaped (a delay, a rate or a loss). */
static int link_shaped(const json_t *run)
{
    double delay = 0, rate = 0, loss = 0;
    number_at(run, "params.link.delay_ms", &delay);
    number_at(run, "params.link.rate_mbit", &rate);
    number_at(run, "params.link.loss", &loss);
    return delay > 0 || rate > 0 || loss > 0;
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
        if (!number_at(run, "summary.elapsed_us", &elapsed) || elapsed <= 0 ||
            !number_at(run, "summary.bytes_read", &x))
            return 0;
        *out = x * 1e6 / elapsed;
        return 1;
    }
    if (strcmp(name, "blocked_fraction") == 0) {
        /* blocked_us adds up over the connections: per connection */
        double connected = 1;
        if (!number_at(run, "summary.elapsed_us", &elapsed) || elapsed <= 0 ||
            !number_at(run, "summary.blocked_us", &x))
            return 0;
        if (number_at(run, "summary.connected", &connected) && connected < 1)
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
    if (number_at(run, path, out))
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

/* summary: every number of the point's runs' summaries (the union of their
 * keys, one level of nesting as "outer.inner"), over all its runs, and the
 * derived ones. */
static json_t *point_summary(const json_t *runs, const struct run_ref *refs, size_t count)
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

static double stat_of(const json_t *summary, const char *field, const char *stat)
{
    return json_number_value(json_object_get(json_object_get(summary, field), stat));
}

static void flag_count(json_t *flags, const char *field, const json_t *summary, double predicted,
                       const char *kind)
{
    double median = stat_of(summary, field, "median"), min = stat_of(summary, field, "min");
    double max = stat_of(summary, field, "max"), spread = max - min;
    int departs = strcmp(kind, "exact") == 0 ? (min != predicted || max != predicted)
                                             : median - predicted > spread;
    if (!json_object_get(summary, field) || !departs)
        return;
    char name[128];
    snprintf(name, sizeof name, "summary.%s", field);
    json_array_append_new(
        flags, json_pack("{s:s,s:s,s:f,s:o,s:f,s:f}", "field", name, "kind", kind, "predicted",
                         predicted, "measured",
                         json_deep_copy(json_object_get(json_object_get(summary, field), "median")),
                         "spread", spread, "tolerance", 0.0));
}

/* connected: exact, while the server listens and never accepts. */
static void predict_connected(const json_t *run, const json_t *summary, json_t *predictions,
                              json_t *flags)
{
    const json_t *accept = aggregate_path(run, "params.server.accept");
    double backlog, attempted;
    if (!json_is_string(accept) || strcmp(json_string_value(accept), "never") != 0 ||
        !json_is_true(aggregate_path(run, "params.server.listen")) ||
        !number_at(run, "params.server.backlog", &backlog) ||
        !number_at(run, "summary.attempted", &attempted))
        return;
    long long somaxconn = sysctl_of(run, "net.core.somaxconn", -1);
    if (somaxconn < 0)
        return;
    long long predicted = predict_handshakes((long long)backlog, somaxconn,
                                             (long long)stat_of(summary, "attempted", "max"));
    /* Over a slow or long link a burst of SYNs all arrive before the
     * first final ACK: each finds room and is answered, so more clients
     * than the queue holds see connect() succeed; the final ACKs that
     * find the queue full are dropped. The rule then holds for the
     * server's queue, not for the clients' count. */
    if (link_shaped(run)) {
        json_object_set_new(
            predictions, "queue_at_end",
            json_pack("{s:I,s:s,s:s}", "value", (json_int_t)predicted, "kind", "exact", "rule",
                      "min(B, somaxconn) + 1 in the server's accept queue, B read as unsigned "
                      "(over a shaped link more clients may see their handshake complete)"));
        flag_count(flags, "queue_at_end", summary, (double)predicted, "exact");
        return;
    }
    json_object_set_new(predictions, "connected",
                        json_pack("{s:I,s:s,s:s}", "value", (json_int_t)predicted, "kind", "exact",
                                  "rule", "min(B, somaxconn) + 1, B read as unsigned"));
    flag_count(flags, "connected", summary, (double)predicted, "exact");
}

/* bytes_sent: at most what the buffers of the connections hold, while the
 * server never reads. */
static void predict_bytes(const json_t *run, const json_t *summary, json_t *predictions,
                          json_t *flags)
{
    const json_t *read = aggregate_path(run, "params.server.read");
    double sndbuf, sndbuf_max = 0, rcvbuf, rcvbuf_max = 0;
    if (!json_is_string(read) || strcmp(json_string_value(read), "never") != 0 ||
        !number_at(run, "effective.sndbuf", &sndbuf) ||
        !number_at(run, "effective.rcvbuf", &rcvbuf))
        return;
    /* autotuning may grow either buffer after connect: the largest seen */
    number_at(run, "effective.sndbuf_max", &sndbuf_max);
    number_at(run, "effective.rcvbuf_max", &rcvbuf_max);
    long long per_conn =
        predict_buffer_capacity((long long)(sndbuf_max > sndbuf ? sndbuf_max : sndbuf),
                                (long long)(rcvbuf_max > rcvbuf ? rcvbuf_max : rcvbuf));
    double connected = stat_of(summary, "connected", "max");
    json_object_set_new(
        predictions, "bytes_sent",
        json_pack("{s:f,s:I,s:s,s:s}", "value", connected * (double)per_conn, "per_connection",
                  (json_int_t)per_conn, "kind", "at_most", "rule",
                  "connections x (SO_SNDBUF + 1.5 x SO_RCVBUF): the receiver's window, and "
                  "the sender's queue, which may overshoot SO_SNDBUF by one segment of up to "
                  "half that window"));
    flag_count(flags, "bytes_sent", summary, connected * (double)per_conn, "at_most");
}

int aggregate_conn_checked(const char *outcome, const char *timeout_by, int64_t latency_us)
{
    int timed_out = strcmp(outcome, "timed_out") == 0;
    if (timed_out)
        /* the harness's or the run's timeout: no kernel rule */
        return timeout_by && strcmp(timeout_by, "kernel") == 0;
    if (strcmp(outcome, "connected") != 0 && strcmp(outcome, "refused") != 0)
        return 0;
    return latency_us >= AGGREGATE_WAITED_US;
}

/* The SYN retransmit schedule of a run's client side, which retransmits
 * its SYNs: 0, or -1 without tcp_syn_retries. */
static int run_syn_schedule(const json_t *run, struct syn_schedule *schedule)
{
    long long retries = client_sysctl_of(run, "net.ipv4.tcp_syn_retries", -1);
    long long linear = client_sysctl_of(run, "net.ipv4.tcp_syn_linear_timeouts", 0);
    if (retries < 0 || predict_syn_schedule((int)retries, (int)linear, schedule) < 0)
        return -1;
    return 0;
}

static json_t *connect_prediction(const struct syn_schedule *schedule)
{
    json_t *times = json_array();
    for (size_t i = 0; i < schedule->retransmits; i++)
        json_array_append_new(times, json_integer(schedule->retransmit_us[i]));
    return json_pack("{s:o,s:I,s:s,s:s}", "retransmits_us", times, "timeout_us",
                     (json_int_t)schedule->timeout_us, "kind", "timer", "rule",
                     "SYN retransmits: RTO 1 s, tcp_syn_linear_timeouts at 1 s, "
                     "then doubling; ETIMEDOUT per tcp_syn_retries");
}

json_t *aggregate_connect_prediction(const json_t *run)
{
    struct syn_schedule schedule;
    if (run_syn_schedule(run, &schedule))
        return NULL;
    return connect_prediction(&schedule);
}

/* connect_us: the SYN retransmit schedule, checked connection by
 * connection, when some connection waited for a retransmit. */
static void predict_connect(const json_t *runs, const struct run_ref *refs, size_t count,
                            json_t *predictions, json_t *flags)
{
    const json_t *run0 = json_array_get(runs, refs[0].index);
    struct syn_schedule schedule;
    int waited = 0;
    if (run_syn_schedule(run0, &schedule))
        return;
    for (size_t r = 0; r < count; r++) {
        const json_t *run = json_array_get(runs, refs[r].index), *c;
        size_t i;
        json_array_foreach(json_object_get(run, "connections"), i, c)
        {
            const char *outcome = json_string_value(json_object_get(c, "outcome"));
            const char *by = json_string_value(json_object_get(c, "timeout_by"));
            const json_t *start = json_object_get(c, "start_us");
            const json_t *end = json_object_get(c, "outcome_us");
            if (!outcome || !json_is_integer(start) || !json_is_integer(end))
                continue;
            int64_t latency = json_integer_value(end) - json_integer_value(start);
            if (!aggregate_conn_checked(outcome, by, latency))
                continue;
            int timed_out = strcmp(outcome, "timed_out") == 0;
            waited = 1;
            int64_t predicted;
            if (predict_syn_match(&schedule, latency, timed_out, &predicted))
                continue;
            struct tolerance t = predict_syn_tolerance(predicted);
            json_array_append_new(flags, json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:{s:I,s:I},s:s}",
                                                   "field", "connect_us", "kind", "timer", "run",
                                                   (json_int_t)refs[r].index, "conn", (json_int_t)i,
                                                   "predicted", (json_int_t)predicted, "measured",
                                                   (json_int_t)latency, "tolerance", "early_us",
                                                   (json_int_t)t.early_us, "late_us",
                                                   (json_int_t)t.late_us, "outcome", outcome));
        }
    }
    if (waited)
        json_object_set_new(predictions, "connect_us", connect_prediction(&schedule));
}

json_t *aggregate_points(const json_t *runs)
{
    size_t n = json_array_size(runs), i, start;
    json_t *points = json_array();
    struct run_ref *refs = malloc((n ? n : 1) * sizeof *refs);
    if (!refs)
        return points;
    for (i = 0; i < n; i++) {
        const json_t *point = json_object_get(json_array_get(runs, i), "point");
        refs[i].point = json_is_integer(point) ? json_integer_value(point) : -1;
        refs[i].index = i;
    }
    qsort(refs, n, sizeof *refs, run_ref_compare);
    for (start = 0; start < n; start = i) {
        for (i = start; i < n && refs[i].point == refs[start].point; i++)
            ;
        size_t count = i - start;
        const json_t *run0 = json_array_get(runs, refs[start].index);
        json_t *indexes = json_array(), *predictions = json_object(), *flags = json_array();
        for (size_t k = start; k < i; k++)
            json_array_append_new(indexes, json_integer((json_int_t)refs[k].index));
        json_t *summary = point_summary(runs, refs + start, count);
        predict_connected(run0, summary, predictions, flags);
        predict_bytes(run0, summary, predictions, flags);
        predict_connect(runs, refs + start, count, predictions, flags);
        const json_t *sweep = json_object_get(run0, "sweep");
        json_array_append_new(points,
                              json_pack("{s:I,s:o,s:o,s:I,s:o,s:o,s:o}", "point",
                                        (json_int_t)refs[start].point, "sweep",
                                        sweep ? json_deep_copy(sweep) : json_object(), "runs",
                                        indexes, "repeats", (json_int_t)count, "summary", summary,
                                        "predictions", predictions, "flags", flags));
    }
    free(refs);
    return points;
}

json_t *aggregate_find(const json_t *points, long long point)
{
    const json_t *p;
    size_t i;
    json_array_foreach(points, i, p)
    {
        if (json_integer_value(json_object_get(p, "point")) == point)
            return (json_t *)p;
    }
    return NULL;
}

double aggregate_stat(const json_t *point, const char *field, const char *stat, int *known)
{
    const json_t *v =
        json_object_get(json_object_get(json_object_get(point, "summary"), field), stat);
    *known = json_is_number(v);
    return *known ? json_number_value(v) : 0;
}

int aggregate_flagged(const json_t *point, const char *field)
{
    const json_t *flag;
    size_t i;
    json_array_foreach(json_object_get(point, "flags"), i, flag)
    {
        const char *f = json_string_value(json_object_get(flag, "field"));
        if (f && (strcmp(f, field) == 0 ||
                  (strncmp(f, "summary.", 8) == 0 && strcmp(f + 8, field) == 0)))
            return 1;
    }
    return 0;
}
