/* plan.c: see plan.h. */
#include "plan.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "link.h"

void plan_point_duration(const struct point_params *p, struct plan_duration *out)
{
    const struct server_params *s = &p->server;
    const struct client_params *c = &p->client;
    char a[32];
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
    if (!s->listen)
        return;
    /* Closing the listener resets the connections still queued in it and
     * lets the server finish without accepting them; accepted ones stay. */
    int64_t close_us = s->close_listener_us < 0 ? INT64_MAX : s->close_listener_us;
    int64_t first_accept_us = s->accept.kind == ACCEPT_IMMEDIATE ? 0
                              : s->accept.kind == ACCEPT_PACED   ? s->accept.start_us
                                                                 : INT64_MAX;
    int accepts = first_accept_us < p->duration_us && first_accept_us < close_us;
    if (s->accept.kind == ACCEPT_NEVER && close_us == INT64_MAX)
        snprintf(out->because, sizeof out->because, "the server never accepts");
    else if (s->read.kind == READ_NEVER && accepts)
        snprintf(out->because, sizeof out->because, "the server never reads");
    else if (c->hold_us < 0 && s->reply[0] == '\0' && (close_us == INT64_MAX || accepts))
        snprintf(out->because, sizeof out->because, "the client holds its connections to the end");
    if (out->because[0]) {
        out->min_us = out->max_us;
        return;
    }
    /* A paced reader starts with one chunk in its bucket, which then fills
     * at bytes_per_sec (policy.c): a connection's bytes take at least
     * start_ms + (bytes - chunk) / bytes_per_sec to read. */
    if (s->accept.kind != ACCEPT_NEVER && s->read.kind == READ_PACED && s->reply[0] == '\0' &&
        c->send_bytes > s->read.chunk) {
        int64_t us = s->read.start_us + (int64_t)((double)(c->send_bytes - s->read.chunk) * 1e6 /
                                                  (double)s->read.bytes_per_sec);
        if (us > out->min_us) {
            out->min_us = us;
            snprintf(out->because, sizeof out->because,
                     "the reader needs %s for each connection's %" PRIu64 " bytes",
                     plan_format_ms(us / 1000, a, sizeof a), c->send_bytes);
        }
    }
    if (c->hold_us > 0 && c->hold_us > out->min_us && s->reply[0] == '\0') {
        out->min_us = c->hold_us;
        snprintf(out->because, sizeof out->because, "the client holds each connection %s",
                 plan_format_ms(c->hold_us / 1000, a, sizeof a));
    }
    /* a connection that completed its handshake at t = 0 stays queued
     * until the listener closes */
    if (s->accept.kind == ACCEPT_NEVER && close_us > out->min_us && close_us < out->max_us) {
        out->min_us = close_us;
        snprintf(out->because, sizeof out->because, "the listener closes at %s",
                 plan_format_ms(close_us / 1000, a, sizeof a));
    }
    /* A shaped link: the bytes cannot cross faster than its rate (Mbit/s
     * are bits per microsecond), and no handshake completes sooner than a
     * round trip, twice the one-way delay. */
    if (p->link.rate_mbit > 0 && c->send_bytes > 0 && accepts && s->read.kind != READ_NEVER &&
        s->reply[0] == '\0') {
        double bits = (double)c->send_bytes * (double)c->connections * 8;
        int64_t us = (int64_t)(bits / (double)p->link.rate_mbit);
        if (us > out->min_us) {
            out->min_us = us;
            snprintf(out->because, sizeof out->because,
                     "the link's %" PRIu64 " Mbit/s needs %s for the bytes sent", p->link.rate_mbit,
                     plan_format_ms(us / 1000, a, sizeof a));
        }
    }
    if (p->link.delay_us > 0 && 2 * p->link.delay_us > out->min_us) {
        out->min_us = 2 * p->link.delay_us;
        snprintf(out->because, sizeof out->because, "a handshake takes a round trip of %s",
                 plan_format_ms(2 * p->link.delay_us / 1000, a, sizeof a));
    }
    if (s->accept.kind == ACCEPT_PACED && s->accept.start_us > out->min_us) {
        out->min_us = s->accept.start_us;
        snprintf(out->because, sizeof out->because, "the first accept comes at %s",
                 plan_format_ms(s->accept.start_us / 1000, a, sizeof a));
    }
    if (out->min_us >= out->max_us) {
        out->min_us = out->max_us;
    }
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
        plan_point_duration(&p, &d);
        max_ms += d.max_us / 1000 * s->repeat;
        min_ms += d.min_us / 1000 * s->repeat;
        /* the qdiscs its link needs: a kernel without one skips the point */
        json_t *needs = json_array();
        if (link_needs(&p) & LINK_NEEDS_NETEM)
            json_array_append_new(needs, json_string("netem"));
        if (link_needs(&p) & LINK_NEEDS_TBF)
            json_array_append_new(needs, json_string("tbf"));
        json_array_append_new(
            points, json_pack("{s:I, s:o, s:o, s:i, s:I, s:I, s:s, s:o}", "point", (json_int_t)i,
                              "sweep", values, "params", params_to_json(&p), "runs", s->repeat,
                              "min_ms", (json_int_t)(d.min_us / 1000), "max_ms",
                              (json_int_t)(d.max_us / 1000), "because", d.because, "needs", needs));
    }
    *plan =
        json_pack("{s:s, s:s, s:s, s:s, s:I, s:i, s:I, s:o, s:O, s:I, s:I, s:o}", "format",
                  PLAN_FORMAT, "scenario_file", s->file, "name", s->name, "description",
                  s->description, "points", (json_int_t)s->point_count, "repeat", s->repeat, "runs",
                  (json_int_t)(s->point_count * s->repeat), "sweep", sweep, "plots", s->plots,
                  "min_ms", (json_int_t)min_ms, "max_ms", (json_int_t)max_ms, "plan", points);
    if (!*plan)
        return hl_error_setn(err, ENOMEM, s->file, "out of memory");
    return 0;
}

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

void plan_print(FILE *out, const json_t *plan, int verbose)
{
    const json_t *sweep = json_object_get(plan, "sweep");
    const json_t *points = json_object_get(plan, "plan");
    size_t columns = json_array_size(sweep) + 3;
    size_t *width = calloc(columns, sizeof *width);
    const char *description = json_string_value(json_object_get(plan, "description"));
    long long point_count = json_integer_value(json_object_get(plan, "points"));
    long long repeat = json_integer_value(json_object_get(plan, "repeat"));
    long long runs = json_integer_value(json_object_get(plan, "runs"));
    char text[256], a[32], b[32];
    size_t i, k;
    json_t *point, *path;
    if (!width)
        return;

    fprintf(out, "%s: %s\n", json_string_value(json_object_get(plan, "scenario_file")),
            json_string_value(json_object_get(plan, "name")));
    if (description && description[0])
        print_wrapped(out, description);
    fprintf(out, "%lld point%s x %lld repeat%s = %lld run%s", point_count,
            point_count == 1 ? "" : "s", repeat, repeat == 1 ? "" : "s", runs,
            runs == 1 ? "" : "s");
    json_array_foreach(sweep, k, path)
        fprintf(out, "%s%s", k ? ", " : "; sweeping ", json_string_value(path));
    fprintf(out, "\n\n");

    /* the table: point, each swept key, runs, each run's time */
    width[0] = strlen("point");
    json_array_foreach(sweep, k, path) width[k + 1] = strlen(json_string_value(path));
    width[columns - 2] = strlen("runs");
    json_array_foreach(points, i, point)
    {
        snprintf(text, sizeof text, "%zu", i);
        if (strlen(text) > width[0])
            width[0] = strlen(text);
        json_array_foreach(sweep, k, path)
        {
            value_text(json_object_get(json_object_get(point, "sweep"), json_string_value(path)),
                       text, sizeof text);
            if (strlen(text) > width[k + 1])
                width[k + 1] = strlen(text);
        }
    }
    fprintf(out, "  %*s", (int)width[0], "point");
    json_array_foreach(sweep, k, path)
        fprintf(out, "  %-*s", (int)width[k + 1], json_string_value(path));
    fprintf(out, "  %*s  each run\n", (int)width[columns - 2], "runs");
    json_array_foreach(points, i, point)
    {
        int64_t min = json_integer_value(json_object_get(point, "min_ms"));
        int64_t max = json_integer_value(json_object_get(point, "max_ms"));
        const char *because = json_string_value(json_object_get(point, "because"));
        fprintf(out, "  %*zu", (int)width[0], i);
        json_array_foreach(sweep, k, path)
        {
            value_text(json_object_get(json_object_get(point, "sweep"), json_string_value(path)),
                       text, sizeof text);
            fprintf(out, "  %-*s", (int)width[k + 1], text);
        }
        fprintf(out, "  %*lld  ", (int)width[columns - 2],
                json_integer_value(json_object_get(point, "runs")));
        if (min == max)
            fprintf(out, "%s (%s)", plan_format_ms(max, a, sizeof a), because);
        else if (min > 0)
            fprintf(out, "%s to %s (%s)", plan_format_ms(min, a, sizeof a),
                    plan_format_ms(max, b, sizeof b), because);
        else
            fprintf(out, "at most %s", plan_format_ms(max, a, sizeof a));
        const json_t *needs = json_object_get(point, "needs");
        if (json_array_size(needs) > 0)
            fprintf(out, "; needs the %s%s%s qdisc%s", json_string_value(json_array_get(needs, 0)),
                    json_array_size(needs) > 1 ? " and " : "",
                    json_array_size(needs) > 1 ? json_string_value(json_array_get(needs, 1)) : "",
                    json_array_size(needs) > 1 ? "s" : "");
        fputc('\n', out);
    }

    int64_t min_ms = json_integer_value(json_object_get(plan, "min_ms"));
    int64_t max_ms = json_integer_value(json_object_get(plan, "max_ms"));
    if (min_ms == max_ms)
        fprintf(out, "\ntime: %s\n", plan_format_ms(max_ms, a, sizeof a));
    else if (min_ms > 0)
        fprintf(out, "\ntime: %s to %s\n", plan_format_ms(min_ms, a, sizeof a),
                plan_format_ms(max_ms, b, sizeof b));
    else
        fprintf(out, "\ntime: at most %s\n", plan_format_ms(max_ms, a, sizeof a));
    print_wrapped(out, "A run ends when its work is done, at duration_ms at the latest; "
                       "setting up each run adds a few ms.");

    if (verbose) {
        json_array_foreach(points, i, point)
        {
            char label[512];
            scenario_point_label(json_object_get(point, "sweep"), label, sizeof label);
            fprintf(out, "\npoint %zu%s%s%s:\n", i, label[0] ? " (" : "", label,
                    label[0] ? ")" : "");
            print_flat(out, "", json_object_get(point, "params"));
        }
    }
    free(width);
}
