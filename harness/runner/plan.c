/* plan.c: see plan.h. */
#include "plan.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alone.h"
#include "link.h"
#include "program.h"

/* When the listener closes; INT64_MAX: never. Closing it resets the
 * connections still queued in it and lets the server finish without
 * accepting them; accepted ones stay. */
static int64_t listener_close_us(const struct server_params *s)
{
    return s->close_listener_us < 0 ? INT64_MAX : s->close_listener_us;
}

/* Whether the server accepts at all: its first accept comes before the
 * run's end and before the listener closes. */
static int server_accepts(const struct point_params *p)
{
    const struct server_params *s = &p->server;
    int64_t first_accept_us = s->accept.kind == ACCEPT_IMMEDIATE ? 0
                              : s->accept.kind == ACCEPT_PACED   ? s->accept.start_us
                                                                 : INT64_MAX;
    return first_accept_us < p->duration_us && first_accept_us < listener_close_us(s);
}

/* Work that is never done, so that every run lasts exactly duration_ms:
 * why, or NULL. */
static const char *never_done(const struct point_params *p)
{
    const struct server_params *s = &p->server;
    int64_t close_us = listener_close_us(s);
    int accepts = server_accepts(p);
    if (s->accept.kind == ACCEPT_NEVER && close_us == INT64_MAX)
        return "the server never accepts";
    if (s->read.kind == READ_NEVER && accepts)
        return "the server never reads";
    if (p->client.hold_us < 0 && s->reply[0] == '\0' && (close_us == INT64_MAX || accepts))
        return "the client holds its connections to the end";
    return NULL;
}

/* No run ends before us: out->min_us raised to it, and why. */
static void at_least(struct plan_duration *out, int64_t us, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void at_least(struct plan_duration *out, int64_t us, const char *fmt, ...)
{
    va_list ap;
    if (us <= out->min_us)
        return;
    out->min_us = us;
    va_start(ap, fmt);
    vsnprintf(out->because, sizeof out->because, fmt, ap);
    va_end(ap);
}

/* A paced reader starts with one chunk in its bucket, which then fills at
 * bytes_per_sec (policy.c): a connection's bytes take at least start_ms +
 * (bytes - chunk) / bytes_per_sec to read. */
static void at_least_reading(const struct point_params *p, struct plan_duration *out)
{
    const struct server_params *s = &p->server;
    uint64_t bytes = p->client.send_bytes;
    char a[32];
    if (s->accept.kind == ACCEPT_NEVER || s->read.kind != READ_PACED || s->reply[0] != '\0' ||
        bytes <= s->read.chunk)
        return;
    int64_t us = s->read.start_us +
                 (int64_t)((double)(bytes - s->read.chunk) * 1e6 / (double)s->read.bytes_per_sec);
    at_least(out, us, "the reader needs %s for each connection's %" PRIu64 " bytes",
             plan_format_ms(us / 1000, a, sizeof a), bytes);
}

static void at_least_holding(const struct point_params *p, struct plan_duration *out)
{
    int64_t hold_us = p->client.hold_us;
    char a[32];
    if (hold_us > 0 && p->server.reply[0] == '\0')
        at_least(out, hold_us, "the client holds each connection %s",
                 plan_format_ms(hold_us / 1000, a, sizeof a));
}

/* a connection that completed its handshake at t = 0 stays queued until
 * the listener closes */
static void at_least_listener_close(const struct point_params *p, struct plan_duration *out)
{
    int64_t close_us = listener_close_us(&p->server);
    char a[32];
    if (p->server.accept.kind == ACCEPT_NEVER && close_us < out->max_us)
        at_least(out, close_us, "the listener closes at %s",
                 plan_format_ms(close_us / 1000, a, sizeof a));
}

/* A shaped link: the bytes cannot cross faster than its rate (Mbit/s are
 * bits per microsecond), and no handshake completes sooner than a round
 * trip, twice the one-way delay. */
static void at_least_link(const struct point_params *p, struct plan_duration *out)
{
    const struct server_params *s = &p->server;
    const struct client_params *c = &p->client;
    char a[32];
    if (p->link.rate_mbit > 0 && c->send_bytes > 0 && server_accepts(p) &&
        s->read.kind != READ_NEVER && s->reply[0] == '\0') {
        double bits = (double)c->send_bytes * (double)c->connections * 8;
        int64_t us = (int64_t)(bits / (double)p->link.rate_mbit);
        at_least(out, us, "the link's %" PRIu64 " Mbit/s needs %s for the bytes sent",
                 p->link.rate_mbit, plan_format_ms(us / 1000, a, sizeof a));
    }
    if (p->link.delay_us > 0)
        at_least(out, 2 * p->link.delay_us, "a handshake takes a round trip of %s",
                 plan_format_ms(2 * p->link.delay_us / 1000, a, sizeof a));
}

static void at_least_first_accept(const struct point_params *p, struct plan_duration *out)
{
    const struct server_params *s = &p->server;
    char a[32];
    if (s->accept.kind == ACCEPT_PACED)
        at_least(out, s->accept.start_us, "the first accept comes at %s",
                 plan_format_ms(s->accept.start_us / 1000, a, sizeof a));
}

void plan_point_duration(const struct point_params *p, struct plan_duration *out)
{
    out->max_us = p->duration_us;
    out->min_us = 0;
    out->because[0] = '\0';
    /* Without a listener every connect is refused at once and the run
     * ends by itself. With one, at least one handshake completes at t = 0
     * (the accept queue holds min(backlog, somaxconn) + 1), and then the
     * server finishes only when it has accepted as many connections as
     * the client saw connected and read each to its end of file
     * (server.c, server_maybe_finish); the client only when every
     * connection is closed (client.c). */
    if (!p->server.listen)
        return;
    const char *never = never_done(p);
    if (never) {
        snprintf(out->because, sizeof out->because, "%s", never);
        out->min_us = out->max_us;
        return;
    }
    at_least_reading(p, out);
    at_least_holding(p, out);
    at_least_listener_close(p, out);
    at_least_link(p, out);
    at_least_first_accept(p, out);
    if (out->min_us >= out->max_us)
        out->min_us = out->max_us;
}

const char *plan_format_ms(int64_t ms, char *out, size_t size)
{
    if (ms < 1000)
        snprintf(out, size, "%" PRId64 " ms", ms);
    else if (ms < 120000)
        snprintf(out, size, "%" PRId64 ".%" PRId64 " s", ms / 1000, ms % 1000 / 100);
    else if (ms % 60000 / 1000 == 0)
        snprintf(out, size, "%" PRId64 " min", ms / 60000);
    else
        snprintf(out, size, "%" PRId64 " min %" PRId64 " s", ms / 60000, ms % 60000 / 1000);
    return out;
}

const char *plan_format_range(int64_t min_ms, int64_t max_ms, char *out, size_t size)
{
    char a[32], b[32];
    if (min_ms == max_ms)
        snprintf(out, size, "%s", plan_format_ms(max_ms, b, sizeof b));
    else if (min_ms > 0)
        snprintf(out, size, "%s to %s", plan_format_ms(min_ms, a, sizeof a),
                 plan_format_ms(max_ms, b, sizeof b));
    else
        snprintf(out, size, "at most %s", plan_format_ms(max_ms, b, sizeof b));
    return out;
}

/* The qdiscs a point's link needs, by name: a kernel without one skips
 * the point. */
static json_t *needs_names(const struct point_params *p)
{
    json_t *needs = json_array();
    if (link_needs(p) & LINK_NEEDS_NETEM)
        json_array_append_new(needs, json_string("netem"));
    if (link_needs(p) & LINK_NEEDS_TBF)
        json_array_append_new(needs, json_string("tbf"));
    return needs;
}

int plan_build(const struct scenario *s, json_t **plan, struct hl_error *err)
{
    json_t *points = json_array(), *sweep = json_array();
    int64_t max_ms = 0, min_ms = 0;
    for (size_t k = 0; k < s->sweep_count; k++)
        json_array_append_new(sweep, json_string(s->sweep[k].path));
    for (size_t i = 0; i < s->point_count; i++) {
        struct point_params p;
        struct plan_duration d;
        json_t *values = NULL;
        int rc = scenario_point(s, i, &p, &values, err);
        if (rc) {
            json_decref(points);
            json_decref(sweep);
            return rc;
        }
        char why[160];
        plan_point_duration(&p, &d);
        max_ms += d.max_us / 1000 * s->repeat;
        min_ms += d.min_us / 1000 * s->repeat;
        /* "alone": why the point runs with nothing beside it, or null */
        json_t *alone = point_runs_alone(&p, why, sizeof why) ? json_string(why) : json_null();
        json_array_append_new(points, json_pack("{s:I, s:o, s:o, s:i, s:I, s:I, s:s, s:o, s:o}",
                                                "point", (json_int_t)i, "sweep", values, "params",
                                                params_to_json(&p), "runs", s->repeat, "min_ms",
                                                (json_int_t)(d.min_us / 1000), "max_ms",
                                                (json_int_t)(d.max_us / 1000), "because", d.because,
                                                "needs", needs_names(&p), "alone", alone));
    }
    *plan =
        json_pack("{s:s, s:s, s:s, s:s, s:I, s:i, s:I, s:o, s:O, s:I, s:I, s:o}", "format",
                  PLAN_FORMAT, "scenario_file", s->file, "name", s->name, "description",
                  s->description, "points", (json_int_t)s->point_count, "repeat", s->repeat, "runs",
                  (json_int_t)(s->point_count * s->repeat), "sweep", sweep, "plots", s->plots,
                  "min_ms", (json_int_t)min_ms, "max_ms", (json_int_t)max_ms, "plan", points);
    if (!*plan)
        return hl_error_setn(err, ENOMEM, s->file, "out of memory");
    char program[2048];
    program_describe(s, program, sizeof program);
    if (program[0])
        json_object_set_new(*plan, "program", json_string(program));
    return 0;
}
