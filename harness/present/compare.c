/* compare.c: see compare.h. */
#include "compare.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "predict.h"

struct field_rule {
    const char *field, *class_name;
};

/* The marking rule's table (compare.h): every field compared, its class. */
static const struct field_rule rules[] = {
    {"attempted", "exact"},
    {"connected", "exact"},
    {"refused", "exact"},
    {"timed_out", "exact"},
    {"timed_out_by.kernel", "exact"},
    {"timed_out_by.harness", "exact"},
    {"timed_out_by.run_end", "exact"},
    {"failed", "exact"},
    {"reset", "exact"},
    {"accepted", "exact"},
    {"kernel.ListenOverflows", "syn"},
    {"kernel.ListenDrops", "syn"},
    {"kernel.TCPSynRetrans", "syn"},
    {"bytes_sent", "bytes"},
    {"bytes_read", "bytes"},
    {"bytes_received", "bytes"},
    {"bytes_before_first_block", "bytes"},
    {"blocked_sends", "events"},
    {"blocked_us", "timer"},
    {"elapsed_us", "timer"},
    {"achieved_bytes_per_sec", "rate"},
    {"blocked_fraction", "fraction"},
};
#define RULE_COUNT (sizeof rules / sizeof rules[0])

const char *compare_field(size_t index)
{
    return index < RULE_COUNT ? rules[index].field : NULL;
}

const char *compare_field_class(const char *field)
{
    for (size_t i = 0; i < RULE_COUNT; i++)
        if (strcmp(rules[i].field, field) == 0)
            return rules[i].class_name;
    return NULL;
}

/* ---- reading runs ---- */

static json_int_t int_at(const json_t *obj, const char *path)
{
    return json_integer_value(aggregate_path(obj, path));
}

/* How far the mechanism fixes a run's byte counts, from most to least:
 * it finished its work by itself (to the byte), or its sender had stopped
 * taking data at least COMPARE_SETTLED_US before the end with both buffers
 * set (a plateau: to the byte on an idle machine, but where the send() that
 * reached the limit stopped inside its chunk depends on the pages backing
 * the send queue), or neither (the last chunk may land on either side of
 * the end; autotuned buffers move by a fraction of a percent). */
enum settled { SETTLED_NOT, SETTLED_PLATEAU, SETTLED_FINISHED };

static enum settled run_bytes_settled(const json_t *run)
{
    const json_t *samples = aggregate_path(run, "samples.client"), *sample;
    json_int_t elapsed = int_at(run, "summary.elapsed_us"), last_change = 0, bytes = -1;
    size_t i;
    if (!json_is_true(aggregate_path(run, "summary.stopped_at_duration")))
        return SETTLED_FINISHED;
    if (int_at(run, "params.client.sndbuf") == 0 || int_at(run, "params.server.rcvbuf") == 0)
        return SETTLED_NOT;
    if (!json_is_array(samples) || json_array_size(samples) == 0)
        return SETTLED_NOT; /* not sampled: nothing says it had settled */
    json_array_foreach(samples, i, sample)
    {
        json_int_t b = json_integer_value(json_object_get(sample, "bytes_sent"));
        if (b != bytes) {
            bytes = b;
            last_change = json_integer_value(json_object_get(sample, "t_us"));
        }
    }
    return elapsed - last_change >= COMPARE_SETTLED_US ? SETTLED_PLATEAU : SETTLED_NOT;
}

/* The larger chunk a run moves data in: its send() or its paced recv(). */
static json_int_t run_chunk(const json_t *run)
{
    json_int_t send = int_at(run, "params.client.send.chunk");
    json_int_t read = int_at(run, "params.server.read.chunk");
    return send > read ? send : read;
}

/* Connections of a run that waited for a SYN retransmit: their outcome
 * came AGGREGATE_WAITED_US or more after connect(), or never. */
static json_int_t run_waited(const json_t *run)
{
    const json_t *c;
    size_t i;
    json_int_t waited = 0;
    json_array_foreach(json_object_get(run, "connections"), i, c)
    {
        const json_t *start = json_object_get(c, "start_us"),
                     *end = json_object_get(c, "outcome_us");
        if (!json_is_integer(start))
            continue;
        if (!json_is_integer(end) ||
            json_integer_value(end) - json_integer_value(start) >= AGGREGATE_WAITED_US)
            waited++;
    }
    return waited;
}

/* What the runs of a matched point (in both sets) allow for each class. */
struct point_context {
    enum settled settled;  /* the least settled run's bytes */
    json_int_t chunk;      /* the largest chunk */
    json_int_t senders;    /* the most connections that connected */
    json_int_t waited;     /* the most connections that waited */
    double elapsed_min_us; /* the smaller median elapsed_us, and the larger */
    double elapsed_max_us;
};

static void add_runs(struct point_context *ctx, const json_t *results, const json_t *point)
{
    const json_t *index;
    size_t i;
    json_array_foreach(json_object_get(point, "runs"), i, index)
    {
        const json_t *run =
            json_array_get(json_object_get(results, "runs"), (size_t)json_integer_value(index));
        json_int_t chunk = run_chunk(run), waited = run_waited(run);
        json_int_t senders = int_at(run, "summary.connected");
        enum settled settled = run_bytes_settled(run);
        if (settled < ctx->settled)
            ctx->settled = settled;
        if (chunk > ctx->chunk)
            ctx->chunk = chunk;
        if (waited > ctx->waited)
            ctx->waited = waited;
        if (senders > ctx->senders)
            ctx->senders = senders;
    }
}

static double timer_tolerance_us(double at_us)
{
    struct tolerance t = predict_syn_tolerance((int64_t)at_us);
    return (double)(t.early_us + t.late_us);
}

/* The tolerance of a field's class for a point (compare.h). */
static double class_tolerance(const char *field, const char *class_name,
                              const struct point_context *ctx, double larger)
{
    double e_min = ctx->elapsed_min_us > 0 ? ctx->elapsed_min_us : 1;
    if (strcmp(class_name, "exact") == 0)
        return 0;
    if (strcmp(class_name, "bytes") == 0 || strcmp(class_name, "events") == 0) {
        int bytes = strcmp(class_name, "bytes") == 0;
        double unit = bytes ? (double)ctx->chunk : 1;
        if (ctx->settled == SETTLED_FINISHED)
            return 0;
        if (ctx->settled == SETTLED_PLATEAU && !bytes)
            return 0;                        /* the same number of blocks */
        if (ctx->settled == SETTLED_PLATEAU) /* a chunk per sender in the totals */
            return strcmp(field, "bytes_before_first_block") == 0
                       ? unit
                       : unit * (double)(ctx->senders > 1 ? ctx->senders : 1);
        return fmax(unit, ceil(fabs(larger) / 100));
    }
    if (strcmp(class_name, "timer") == 0)
        return timer_tolerance_us(fabs(larger));
    if (strcmp(class_name, "rate") == 0)
        return fabs(larger) * timer_tolerance_us(ctx->elapsed_max_us) / e_min;
    if (strcmp(class_name, "fraction") == 0)
        return timer_tolerance_us(ctx->elapsed_max_us) / e_min;
    if (strcmp(class_name, "syn") == 0)
        return (double)ctx->waited;
    return 0;
}

/* A number in the compare file: whole numbers as integers. */
static json_t *number(double v)
{
    if (v == (double)(json_int_t)v && v > -9e15 && v < 9e15)
        return json_integer((json_int_t)v);
    return json_real(v);
}

static const json_t *stats_of(const json_t *point, const char *field)
{
    const json_t *stats = json_object_get(json_object_get(point, "summary"), field);
    return json_is_number(json_object_get(stats, "median")) ? stats : NULL;
}

static double stat(const json_t *stats, const char *name)
{
    return json_number_value(json_object_get(stats, name));
}

/* One field of a matched point: its record, and whether it is marked. */
static json_t *field_record(const char *field, const json_t *pa, const json_t *pb,
                            const struct point_context *ctx, int *marked)
{
    const json_t *sa = stats_of(pa, field), *sb = stats_of(pb, field);
    const char *class_name = compare_field_class(field);
    json_t *out;
    *marked = 0;
    if (!sa && !sb)
        return NULL;
    out = json_pack("{s:s,s:O,s:O}", "class", class_name, "a", sa ? sa : json_null(), "b",
                    sb ? sb : json_null());
    if (!sa || !sb) {
        /* measured in one set only (nothing blocked in the other, say) */
        *marked = 1;
        json_object_set_new(out, "difference", json_null());
        json_object_set_new(out, "marked", json_true());
        return out;
    }
    double ma = stat(sa, "median"), mb = stat(sb, "median");
    double spread = fmax(stat(sa, "max") - stat(sa, "min"), stat(sb, "max") - stat(sb, "min"));
    double tolerance = class_tolerance(field, class_name, ctx, fmax(fabs(ma), fabs(mb)));
    double difference = mb - ma;
    *marked = fabs(difference) > spread + tolerance;
    json_object_set_new(out, "difference", number(difference));
    json_object_set_new(out, "spread", number(spread));
    json_object_set_new(out, "tolerance", number(tolerance));
    json_object_set_new(out, "allowed", number(spread + tolerance));
    json_object_set_new(out, "marked", json_boolean(*marked));
    return out;
}

/* A matched point: every field of the rule table present in either. */
static json_t *compare_point(const json_t *a, const json_t *pa, const json_t *b, const json_t *pb,
                             size_t *marked_count)
{
    struct point_context ctx = {SETTLED_FINISHED, 0, 0, 0, 0, 0};
    int known_a, known_b;
    double ea = aggregate_stat(pa, "elapsed_us", "median", &known_a);
    double eb = aggregate_stat(pb, "elapsed_us", "median", &known_b);
    json_t *fields = json_object(), *marked = json_array();

    add_runs(&ctx, a, pa);
    add_runs(&ctx, b, pb);
    ctx.elapsed_min_us = fmin(known_a ? ea : eb, known_b ? eb : ea);
    ctx.elapsed_max_us = fmax(known_a ? ea : eb, known_b ? eb : ea);
    for (size_t i = 0; i < RULE_COUNT; i++) {
        int is_marked;
        json_t *f = field_record(rules[i].field, pa, pb, &ctx, &is_marked);
        if (!f)
            continue;
        json_object_set_new(fields, rules[i].field, f);
        if (is_marked)
            json_array_append_new(marked, json_string(rules[i].field));
    }
    *marked_count = json_array_size(marked);
    return json_pack(
        "{s:O,s:O,s:O,s:O,s:O,s:I,s:I,s:o,s:o}", "sweep", json_object_get(pa, "sweep"), "a_point",
        json_object_get(pa, "point"), "b_point", json_object_get(pb, "point"), "a_runs",
        json_object_get(pa, "runs"), "b_runs", json_object_get(pb, "runs"), "a_repeats",
        json_integer_value(json_object_get(pa, "repeats")), "b_repeats",
        json_integer_value(json_object_get(pb, "repeats")), "fields", fields, "marked", marked);
}

/* ---- what differs in the scenarios as given ---- */

static void append_value_text(char *out, size_t size, const json_t *value)
{
    char *text = value ? json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS) : NULL;
    size_t n = strlen(out);
    snprintf(out + n, size - n, "%.60s%s", text ? text : "(absent)",
             text && strlen(text) > 60 ? "..." : "");
    free(text);
}

/* Adds "path: A vs B" for every leaf that differs (objects are walked, the
 * rest compared whole); at most 20 entries. */
static void scenario_diff(const json_t *a, const json_t *b, const char *path, json_t *out)
{
    if (json_array_size(out) >= 20)
        return;
    if (json_is_object(a) && json_is_object(b)) {
        const char *key;
        const json_t *value;
        json_object_foreach((json_t *)a, key, value)
        {
            char sub[512];
            if (!path[0] && (strcmp(key, "description") == 0 || strcmp(key, "$schema") == 0))
                continue; /* words, not settings */
            snprintf(sub, sizeof sub, "%s%s%s", path, path[0] ? "." : "", key);
            scenario_diff(value, json_object_get(b, key), sub, out);
        }
        json_object_foreach((json_t *)b, key, value)
        {
            char sub[512];
            if (json_object_get(a, key) || (!path[0] && strcmp(key, "$schema") == 0))
                continue;
            snprintf(sub, sizeof sub, "%s%s%s", path, path[0] ? "." : "", key);
            scenario_diff(NULL, value, sub, out);
        }
        return;
    }
    if (a && b && json_equal((json_t *)a, (json_t *)b))
        return;
    char line[1024];
    snprintf(line, sizeof line, "%s: ", path);
    append_value_text(line, sizeof line, a);
    snprintf(line + strlen(line), sizeof line - strlen(line), " vs ");
    append_value_text(line, sizeof line, b);
    json_array_append_new(out, json_string(line));
}

/* ---- labels ---- */

static void append(char *out, size_t size, const char *text)
{
    size_t n = strlen(out);
    snprintf(out + n, n < size ? size - n : 0, "%s", text);
}

static void value_text(const json_t *v, char *out, size_t size)
{
    if (json_is_string(v))
        snprintf(out, size, "%s", json_string_value(v));
    else if (json_is_integer(v))
        snprintf(out, size, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    else if (!v)
        snprintf(out, size, "unset");
    else {
        char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        snprintf(out, size, "%s", text ? text : "?");
        free(text);
    }
}

/* The sysctls a side's runs started from: the environment's (a fresh
 * namespace's), with the scenario's written over them (new reference). */
static json_t *sysctls_of(const json_t *environment, const json_t *scenario)
{
    json_t *all = json_copy(json_object_get(environment, "sysctls"));
    if (!all)
        all = json_object();
    if (json_is_object(json_object_get(scenario, "sysctls")))
        json_object_update(all, json_object_get(scenario, "sysctls"));
    return all;
}

void compare_label(const json_t *environment, const json_t *scenario,
                   const json_t *other_environment, const json_t *other_scenario, int brief,
                   char *out, size_t size)
{
    const char *host = json_string_value(json_object_get(environment, "hostname"));
    const char *kernel = json_string_value(json_object_get(environment, "kernel"));
    const char *start = json_string_value(json_object_get(environment, "started_at"));
    json_t *mine = sysctls_of(environment, scenario);
    json_t *theirs = sysctls_of(other_environment, other_scenario);
    const char *key;
    const json_t *value;
    int differs = 0;

    const char *other_host = json_string_value(json_object_get(other_environment, "hostname"));
    const char *other_kernel = json_string_value(json_object_get(other_environment, "kernel"));
    int same_machine = strcmp(host ? host : "", other_host ? other_host : "") == 0 &&
                       strcmp(kernel ? kernel : "", other_kernel ? other_kernel : "") == 0;

    out[0] = '\0';
    if (!brief || !same_machine)
        snprintf(out, size, "%s, %s", host ? host : "unknown host",
                 kernel ? kernel : "unknown kernel");
    /* the sysctls whose values differ, named by their last part */
    json_object_foreach(mine, key, value)
    {
        if (json_equal((json_t *)value, json_object_get(theirs, key)))
            continue;
        char text[256];
        const char *dot = strrchr(key, '.');
        value_text(value, text, sizeof text);
        append(out, size, out[0] ? ", " : "");
        append(out, size, dot ? dot + 1 : key);
        append(out, size, "=");
        append(out, size, text);
        differs = 1;
    }
    json_object_foreach(theirs, key, value)
    {
        if (json_object_get(mine, key))
            continue;
        const char *dot = strrchr(key, '.');
        append(out, size, out[0] ? ", " : "");
        append(out, size, dot ? dot + 1 : key);
        append(out, size, "=unset");
        differs = 1;
    }
    if (!differs && start && same_machine) {
        /* "2026-11-26T02:39:11Z" -> "2026-11-26 02:39" */
        char when[64];
        snprintf(when, sizeof when, "%.16s", start);
        if (strlen(when) > 10)
            when[10] = ' ';
        append(out, size, out[0] ? ", " : "");
        append(out, size, when);
    }
    json_decref(mine);
    json_decref(theirs);
}

/* ---- a scenario, and two sets ---- */

static int sweep_matches(const json_t *pa, const json_t *pb)
{
    return json_equal(json_object_get(pa, "sweep"), json_object_get(pb, "sweep"));
}

static json_t *point_ref(const json_t *p)
{
    return json_pack("{s:O,s:O}", "point", json_object_get(p, "point"), "sweep",
                     json_object_get(p, "sweep"));
}

/* The points a results file did not run, and why: {sweep, reason}. */
static json_t *skipped_points(const json_t *results)
{
    json_t *out = json_array();
    const json_t *p;
    size_t i;
    json_array_foreach(json_object_get(results, "skipped"), i, p)
    {
        const json_t *sweep = json_object_get(p, "sweep");
        const char *reason = json_string_value(json_object_get(p, "reason"));
        json_array_append_new(out, json_pack("{s:O,s:s}", "sweep", sweep ? sweep : json_null(),
                                             "reason", reason ? reason : "skipped"));
    }
    return out;
}

json_t *compare_scenario(const json_t *a, const json_t *b)
{
    const json_t *points_a = json_object_get(a, "point_summaries");
    const json_t *points_b = json_object_get(b, "point_summaries");
    const json_t *env_a = json_object_get(a, "environment"),
                 *env_b = json_object_get(b, "environment");
    const json_t *scen_a = json_object_get(a, "scenario"), *scen_b = json_object_get(b, "scenario");
    json_t *points = json_array(), *only_a = json_array(), *only_b = json_array();
    json_t *differs = json_array();
    size_t i, j, marked = 0, points_marked = 0, nb = json_array_size(points_b);
    char *used = calloc(nb + 1, 1);
    char label_a[512], label_b[512], brief_a[512], brief_b[512], common[512] = "";
    const json_t *pa, *pb;

    json_array_foreach(points_a, i, pa)
    {
        for (j = 0; j < nb; j++)
            if (!used[j] && sweep_matches(pa, json_array_get(points_b, j)))
                break;
        if (j == nb) {
            json_array_append_new(only_a, point_ref(pa));
            continue;
        }
        used[j] = 1;
        size_t count;
        json_array_append_new(points, compare_point(a, pa, b, json_array_get(points_b, j), &count));
        marked += count;
        points_marked += count > 0;
    }
    json_array_foreach(points_b, j, pb)
    {
        if (!used[j])
            json_array_append_new(only_b, point_ref(pb));
    }
    free(used);
    scenario_diff(scen_a, scen_b, "", differs);
    compare_label(env_a, scen_a, env_b, scen_b, 0, label_a, sizeof label_a);
    compare_label(env_b, scen_b, env_a, scen_a, 0, label_b, sizeof label_b);
    compare_label(env_a, scen_a, env_b, scen_b, 1, brief_a, sizeof brief_a);
    compare_label(env_b, scen_b, env_a, scen_a, 1, brief_b, sizeof brief_b);
    /* what the brief labels leave out: the machine both ran on */
    if (strcmp(brief_a, label_a) != 0) {
        const char *host = json_string_value(json_object_get(env_a, "hostname"));
        const char *kernel = json_string_value(json_object_get(env_a, "kernel"));
        snprintf(common, sizeof common, "%s, %s", host ? host : "unknown host",
                 kernel ? kernel : "unknown kernel");
    }
    const char *description = json_string_value(json_object_get(a, "description"));
    return json_pack("{s:O,s:s,s:{s:s,s:s,s:s,s:s,s:s},s:o,s:o,s:o,s:o,s:o,s:o,s:I,s:I}", "name",
                     json_object_get(a, "name"), "description", description ? description : "",
                     "labels", "a", label_a, "b", label_b, "a_brief", brief_a, "b_brief", brief_b,
                     "common", common, "scenario_differs", differs, "points", points, "only_in_a",
                     only_a, "only_in_b", only_b, "skipped_in_a", skipped_points(a), "skipped_in_b",
                     skipped_points(b), "marked", (json_int_t)marked, "points_marked",
                     (json_int_t)points_marked);
}

static json_t *side(const struct resultset *set, const struct resultset *other)
{
    char label[512];
    const json_t *env = resultset_environment(set);
    compare_label(env, NULL, resultset_environment(other), NULL, 0, label, sizeof label);
    return json_pack("{s:s,s:s,s:O,s:I}", "dir", set->dir, "label", label, "environment",
                     env ? env : json_null(), "scenarios", (json_int_t)set->count);
}

json_t *compare_sets(const struct resultset *a, const struct resultset *b)
{
    json_t *scenarios = json_array(), *only_a = json_array(), *only_b = json_array();
    json_int_t marked = 0, scenarios_marked = 0;

    for (size_t i = 0; i < a->count; i++) {
        const struct resultset_entry *ea = &a->entries[i];
        const struct resultset_entry *eb = resultset_find(b, ea->name);
        if (!eb) {
            json_array_append_new(only_a, json_string(ea->name));
            continue;
        }
        json_t *s = compare_scenario(ea->results, eb->results);
        json_object_set_new(s, "a_file", json_string(ea->file));
        json_object_set_new(s, "b_file", json_string(eb->file));
        json_object_set_new(s, "a_stem", json_string(ea->stem));
        json_object_set_new(s, "b_stem", json_string(eb->stem));
        json_int_t m = json_integer_value(json_object_get(s, "marked"));
        marked += m;
        scenarios_marked += m > 0;
        json_array_append_new(scenarios, s);
    }
    for (size_t i = 0; i < b->count; i++)
        if (!resultset_find(a, b->entries[i].name))
            json_array_append_new(only_b, json_string(b->entries[i].name));
    return json_pack("{s:s,s:o,s:o,s:o,s:o,s:o,s:I,s:I}", "format", COMPARE_FORMAT, "a", side(a, b),
                     "b", side(b, a), "scenarios", scenarios, "only_in_a", only_a, "only_in_b",
                     only_b, "marked", marked, "scenarios_marked", scenarios_marked);
}
