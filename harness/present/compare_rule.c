/* compare_rule.c: see compare_rule.h, and the rule itself in compare.h. */
#include "compare_rule.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "aggregate.h"
#include "compare.h"
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
    {"pending", "exact"},
    {"failed", "exact"},
    {"reset", "exact"},
    {"accepted", "exact"},
    {"would_block", "exact"},
    {"kernel.ListenOverflows", "syn"},
    {"kernel.ListenDrops", "syn"},
    {"kernel.TCPSynRetrans", "syn"},
    {"bytes_sent", "bytes"},
    {"bytes_read", "bytes"},
    {"bytes_received", "bytes"},
    {"bytes_before_first_block", "bytes"},
    {"bytes_before_first_blocked_call", "bytes"},
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

/* ---- what a matched point allows ---- */

/* What the runs of a matched point (in both sets) allow for each class. */
struct point_context {
    enum settled settled;  /* the least settled run's bytes */
    json_int_t chunk;      /* the largest chunk */
    json_int_t senders;    /* the most connections that connected */
    json_int_t waited;     /* the most connections that waited */
    int program;           /* a run's server or client was a program of its own */
    int short_waits;       /* a run's sends waited on a race (predict_short_waits) */
    double elapsed_min_us; /* the smaller median elapsed_us, and the larger */
    double elapsed_max_us;
};

/* Whether a run's paced reader freed its send buffer within a timer's
 * lateness (predict_short_waits), by the buffer getsockopt reported. */
static int run_short_waits(const json_t *run)
{
    uint64_t drain_us;
    return predict_short_waits((uint64_t)int_at(run, "effective.sndbuf"),
                               (uint64_t)int_at(run, "params.server.read.bytes_per_sec"),
                               (uint64_t)int_at(run, "params.client.send.bytes"),
                               (uint64_t)int_at(run, "params.link.rate_mbit"), &drain_us);
}

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
        if (run_short_waits(run))
            ctx->short_waits = 1;
        if (json_is_object(json_object_get(run, "server_program")) ||
            json_is_object(json_object_get(run, "client_program")))
            ctx->program = 1;
    }
}

static void point_context_build(struct point_context *ctx, const json_t *a, const json_t *pa,
                                const json_t *b, const json_t *pb)
{
    int known_a, known_b;
    double ea = aggregate_stat(pa, "elapsed_us", "median", &known_a);
    double eb = aggregate_stat(pb, "elapsed_us", "median", &known_b);
    *ctx = (struct point_context){SETTLED_FINISHED, 0, 0, 0, 0, 0, 0, 0};
    add_runs(ctx, a, pa);
    add_runs(ctx, b, pb);
    ctx->elapsed_min_us = fmin(known_a ? ea : eb, known_b ? eb : ea);
    ctx->elapsed_max_us = fmax(known_a ? ea : eb, known_b ? eb : ea);
}

static double timer_tolerance_us(double at_us)
{
    struct tolerance t = predict_syn_tolerance((int64_t)at_us);
    return (double)(t.early_us + t.late_us);
}

/* The tolerance of the bytes and events classes (compare.h). */
static double count_tolerance(const char *field, int bytes, const struct point_context *ctx,
                              double larger)
{
    double unit = bytes ? (double)ctx->chunk : 1;
    if (ctx->settled == SETTLED_FINISHED)
        return !bytes && ctx->short_waits ? 1 : 0; /* a send that raced its reader */
    if (ctx->settled == SETTLED_PLATEAU && !bytes)
        return 0;                        /* the same number of blocks */
    if (ctx->settled == SETTLED_PLATEAU) /* a chunk per sender in the totals */
        return strncmp(field, "bytes_before_first_", 19) == 0
                   ? unit
                   : unit * (double)(ctx->senders > 1 ? ctx->senders : 1);
    return fmax(unit, ceil(fabs(larger) / 100));
}

/* The tolerance of a field's class for a point (compare.h). */
static double class_tolerance(const char *field, const char *class_name,
                              const struct point_context *ctx, double larger)
{
    double e_min = ctx->elapsed_min_us > 0 ? ctx->elapsed_min_us : 1;
    if (strcmp(class_name, "exact") == 0)
        return 0;
    if (strcmp(class_name, "bytes") == 0 || strcmp(class_name, "events") == 0)
        return count_tolerance(field, strcmp(class_name, "bytes") == 0, ctx, larger);
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

/* ---- a field's record ---- */

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
    if ((!sa || !sb) && strcmp(class_name, "exact") == 0 && stat(sa ? sa : sb, "max") == 0) {
        /* an outcome none of the runs had, in a file from before it had a
         * count (would_block): no such outcome either way */
        json_object_set_new(out, "difference", json_integer(0));
        json_object_set_new(out, "marked", json_false());
        return out;
    }
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

/* The classes of times and of what is measured over time. */
static int by_the_clock(const char *class_name)
{
    return strcmp(class_name, "timer") == 0 || strcmp(class_name, "rate") == 0 ||
           strcmp(class_name, "fraction") == 0;
}

json_t *compare_rule_fields(const json_t *a, const json_t *pa, const json_t *b, const json_t *pb,
                            json_t **marked)
{
    struct point_context ctx;
    json_t *fields = json_object();
    *marked = json_array();
    point_context_build(&ctx, a, pa, b, pb);
    for (size_t i = 0; i < RULE_COUNT; i++) {
        int is_marked;
        if (ctx.program && by_the_clock(rules[i].class_name))
            continue; /* a program's own pace sets them: python's start-up, its handler */
        json_t *f = field_record(rules[i].field, pa, pb, &ctx, &is_marked);
        if (!f)
            continue;
        json_object_set_new(fields, rules[i].field, f);
        if (is_marked)
            json_array_append_new(*marked, json_string(rules[i].field));
    }
    return fields;
}
