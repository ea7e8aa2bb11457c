/* results.c: see results.h. */
#include "results.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "aggregate.h"
#include "atomic.h"
#include "digits.h"
#include "params.h"
#include "version.h"

int results_read_events(const char *path, json_t **events, struct hl_error *err)
{
    FILE *f = fopen(path, "re");
    char *line = NULL;
    size_t capacity = 0;
    ssize_t length;
    size_t number = 0;
    if (!f)
        return hl_error_setn(err, errno, path, "cannot read the event log: %s", strerror(errno));
    *events = json_array();
    while ((length = getline(&line, &capacity, f)) > 0) {
        json_error_t jerr;
        number++;
        json_t *event = json_loadb(line, (size_t)length, 0, &jerr);
        if (!event) {
            char where[512];
            snprintf(where, sizeof where, "%s:%zu", path, number);
            free(line);
            fclose(f);
            json_decref(*events);
            *events = NULL;
            return hl_error_set(err, where, "a broken event line: %s", jerr.text);
        }
        json_array_append_new(*events, event);
    }
    free(line);
    fclose(f);
    return 0;
}

static const char *event_kind(json_t *event)
{
    const char *kind = json_string_value(json_object_get(event, "event"));
    return kind ? kind : "";
}

static json_int_t get_int(json_t *obj, const char *key)
{
    return json_integer_value(json_object_get(obj, key));
}

static json_t *find_end(json_t *events)
{
    size_t n = json_array_size(events);
    json_t *last = n ? json_array_get(events, n - 1) : NULL;
    return last && strcmp(event_kind(last), "end") == 0 ? last : NULL;
}

struct port_entry {
    int port;
    int64_t accepted_us;
    const struct server_record *record;
};

static int port_entry_compare(const void *a, const void *b)
{
    const struct port_entry *x = a, *y = b;
    if (x->port != y->port)
        return x->port < y->port ? -1 : 1;
    return (x->accepted_us > y->accepted_us) - (x->accepted_us < y->accepted_us);
}

/* Joins the server's view of each connection (accept time, bytes read) to
 * the client's through the client's local port, which the server saw as
 * the peer port. A port can come round again in a long run, so client
 * connections (in start order) take a port's server records in accept
 * order. to_client[server conn] gets the client's conn index (or -1). */
static void join_server_side(struct conn_record *conns, size_t conn_count,
                             const struct run_log *server, size_t *unmatched, int64_t *to_client,
                             size_t to_client_size)
{
    size_t count = server->server_conn_count, i, used = 0;
    struct port_entry *entries = calloc(count ? count : 1, sizeof *entries);
    size_t *cursor = malloc(65536 * sizeof *cursor);
    *unmatched = count;
    if (!entries || !cursor) {
        free(entries);
        free(cursor);
        return;
    }
    for (i = 0; i < count; i++) {
        const struct server_record *sc = &server->server_conns[i];
        entries[i].port = (int)sc->peer_port;
        entries[i].accepted_us = sc->has_accepted_us ? sc->accepted_us : 0;
        entries[i].record = sc;
    }
    qsort(entries, count, sizeof *entries, port_entry_compare);
    for (i = 0; i < 65536; i++)
        cursor[i] = SIZE_MAX;
    for (i = count; i-- > 0;)
        if (entries[i].port >= 0 && entries[i].port < 65536)
            cursor[entries[i].port] = i;
    for (i = 0; i < conn_count; i++) {
        struct conn_record *r = &conns[i];
        int64_t port = conn_int(r, CONN_LOCAL_PORT);
        if (port <= 0 || port > 65535 || cursor[port] == SIZE_MAX)
            continue;
        size_t k = cursor[port];
        if (k >= count || entries[k].port != port)
            continue;
        cursor[port] = k + 1;
        const struct server_record *sc = entries[k].record;
        if (sc->conn >= 0 && (size_t)sc->conn < to_client_size)
            to_client[sc->conn] = conn_int(r, CONN_CONN);
        r->present &= ~(1u << CONN_ACCEPTED_US | 1u << CONN_BYTES_READ);
        if (sc->has_accepted_us) {
            r->value[CONN_ACCEPTED_US].integer = sc->accepted_us;
            r->present |= 1u << CONN_ACCEPTED_US;
        }
        if (sc->has_bytes_read) {
            r->value[CONN_BYTES_READ].integer = sc->bytes_read;
            r->present |= 1u << CONN_BYTES_READ;
        }
        if (sc->has_eof_us) {
            r->value[CONN_SERVER_EOF_US].integer = sc->eof_us;
            r->present |= 1u << CONN_SERVER_EOF_US;
        }
        if (sc->reset) {
            r->value[CONN_SERVER_SAW_RESET].boolean = 1;
            r->present |= 1u << CONN_SERVER_SAW_RESET;
        }
        used++;
    }
    *unmatched = count - used;
    free(entries);
    free(cursor);
}

/* The connections in the order they were started: by conn when the
 * indexes are 0..n-1 each once, otherwise as logged. Placed in place, by
 * following the permutation (qsort would allocate a second array of
 * records, doubling the runner's peak). */
static void order_connections(struct run_log *client)
{
    size_t n = client->conn_count;
    struct conn_record *conns = client->conns;
    char *seen = calloc(n ? n : 1, 1);
    int dense = seen != NULL;
    for (size_t i = 0; dense && i < n; i++) {
        int64_t id = conn_int(&conns[i], CONN_CONN);
        if (!conn_has(&conns[i], CONN_CONN) || id < 0 || (size_t)id >= n || seen[id])
            dense = 0;
        else
            seen[id] = 1;
    }
    free(seen);
    for (size_t i = 0; dense && i < n; i++) {
        while ((size_t)conn_int(&conns[i], CONN_CONN) != i) {
            size_t to = (size_t)conn_int(&conns[i], CONN_CONN);
            struct conn_record swap = conns[to];
            conns[to] = conns[i];
            conns[i] = swap;
        }
    }
}

static int is(const char *a, const char *b)
{
    return a && strcmp(a, b) == 0;
}

int results_run_from_logs(const struct run_inputs *in, struct run_log *server,
                          struct run_log *client, struct results_run *out)
{
    json_t *blocks = json_array(), *server_samples = json_array(), *client_samples = json_array();
    json_t *server_events = json_array();
    size_t i;
    json_t *event;

    memset(out, 0, sizeof *out);
    out->client = *client;
    memset(client, 0, sizeof *client);
    out->conns = out->client.conns;
    out->conn_count = out->client.conn_count;

    /* the logs' events are the run's own now: taken as they are, less
     * their "event" key */
    json_array_foreach(out->client.events, i, event)
    {
        const char *kind = event_kind(event);
        if (strcmp(kind, "block") == 0 || strcmp(kind, "client_sample") == 0) {
            json_array_append(strcmp(kind, "block") == 0 ? blocks : client_samples, event);
            json_object_del(event, "event");
        }
    }
    json_array_foreach(server->events, i, event)
    {
        const char *kind = event_kind(event);
        if (strcmp(kind, "server_sample") == 0) {
            json_array_append(server_samples, event);
            json_object_del(event, "event");
        } else if (strcmp(kind, "listener_closed") == 0 || strcmp(kind, "accept_error") == 0) {
            json_array_append(server_events, event);
        }
    }

    order_connections(&out->client);
    out->conns = out->client.conns;

    /* the server numbers its connections in accept order; samples name
     * each connection by the client's index, as everything else does */
    size_t id_count = server->server_conn_count + 1;
    int64_t *to_client = malloc(id_count * sizeof *to_client);
    size_t unmatched = 0;
    for (i = 0; to_client && i < id_count; i++)
        to_client[i] = -1;
    join_server_side(out->conns, out->conn_count, server, &unmatched, to_client,
                     to_client ? id_count : 0);
    json_array_foreach(server_samples, i, event)
    {
        size_t k;
        json_t *entry;
        json_array_foreach(json_object_get(event, "conns"), k, entry)
        {
            json_int_t id = json_integer_value(json_array_get(entry, 0));
            json_int_t to = id >= 0 && (size_t)id < id_count && to_client ? to_client[id] : -1;
            json_array_set_new(entry, 0, json_integer(to));
        }
    }
    free(to_client);

    json_int_t attempted = 0, connected = 0, refused = 0, timed_out = 0, failed = 0, reset = 0;
    json_int_t bytes_sent = 0, bytes_received = 0, blocked_sends = 0, blocked_us = 0;
    json_int_t timed_out_kernel = 0, timed_out_harness = 0, timed_out_run_end = 0;
    for (i = 0; i < out->conn_count; i++) {
        struct conn_record *r = &out->conns[i];
        const char *outcome = conn_has(r, CONN_OUTCOME) ? r->value[CONN_OUTCOME].string : NULL;
        attempted++;
        if (!outcome)
            continue;
        if (is(outcome, "connected")) {
            connected++;
            r->value[CONN_CONNECT_US].integer =
                conn_int(r, CONN_OUTCOME_US) - conn_int(r, CONN_START_US);
            r->present |= 1u << CONN_CONNECT_US;
        } else if (is(outcome, "refused")) {
            refused++;
        } else if (is(outcome, "timed_out")) {
            const char *by = conn_has(r, CONN_TIMEOUT_BY) ? r->value[CONN_TIMEOUT_BY].string : NULL;
            timed_out++;
            timed_out_kernel += is(by, "kernel");
            timed_out_harness += is(by, "harness");
            timed_out_run_end += is(by, "run_end");
        } else {
            failed++;
        }
        reset += conn_has(r, CONN_RESET) && r->value[CONN_RESET].boolean;
        bytes_sent += conn_int(r, CONN_BYTES_SENT);
        bytes_received += conn_int(r, CONN_BYTES_RECEIVED);
        blocked_sends += conn_int(r, CONN_BLOCKED_SENDS);
        blocked_us += conn_int(r, CONN_BLOCKED_US);
    }

    /* bytes the first connection to block had sent when it first blocked */
    json_t *first_block = NULL;
    json_array_foreach(blocks, i, event)
    {
        if (!first_block || get_int(event, "start_us") < get_int(first_block, "start_us"))
            first_block = event;
    }

    json_t *server_end = find_end(server->events);
    json_t *client_end = find_end(out->client.events);
    json_int_t elapsed = get_int(client_end, "t_us");
    if (get_int(server_end, "t_us") > elapsed)
        elapsed = get_int(server_end, "t_us");

    json_t *summary = json_pack(
        "{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:{s:I,s:I,s:I},s:I}", "attempted",
        attempted, "connected", connected, "accepted", (json_int_t)server->server_conn_count,
        "refused", refused, "timed_out", timed_out, "failed", failed, "reset", reset, "bytes_sent",
        bytes_sent, "bytes_read", get_int(server_end, "bytes_read"), "bytes_received",
        bytes_received, "blocked_sends", blocked_sends, "blocked_us", blocked_us, "elapsed_us",
        elapsed, "timed_out_by", "kernel", timed_out_kernel, "harness", timed_out_harness,
        "run_end", timed_out_run_end, "unmatched_accepts", (json_int_t)unmatched);
    /* the server reports -1 when it had no listener to ask */
    json_int_t queue_at_end = get_int(server_end, "queue_at_end");
    json_object_set_new(summary, "queue_at_end",
                        queue_at_end >= 0 ? json_integer(queue_at_end) : json_null());
    json_object_set_new(summary, "bytes_before_first_block",
                        first_block ? json_integer(get_int(first_block, "bytes_before"))
                                    : json_null());
    json_object_set_new(summary, "stopped_at_duration",
                        json_boolean(json_is_true(json_object_get(client_end, "stopped")) ||
                                     json_is_true(json_object_get(server_end, "stopped"))));
    json_object_set_new(summary, "samples_dropped",
                        json_integer(get_int(server_end, "samples_dropped") +
                                     get_int(client_end, "samples_dropped")));
    json_object_set_new(summary, "conn_samples_dropped",
                        json_integer(get_int(server_end, "conn_samples_dropped") +
                                     get_int(client_end, "conn_samples_dropped")));
    json_int_t unsampled = get_int(server_end, "conns_unsampled_max");
    if (get_int(client_end, "conns_unsampled_max") > unsampled)
        unsampled = get_int(client_end, "conns_unsampled_max");
    json_object_set_new(summary, "conns_unsampled_max", json_integer(unsampled));
    json_object_set_new(
        summary, "sampling_us",
        json_integer(get_int(server_end, "sampling_us") + get_int(client_end, "sampling_us")));
    json_object_set_new(
        summary, "logging_us",
        json_integer(get_int(server_end, "logging_us") + get_int(client_end, "logging_us")));
    json_object_set_new(
        summary, "cpu_us",
        json_integer(get_int(server_end, "cpu_us") + get_int(client_end, "cpu_us")));
    json_object_set(summary, "kernel", in->kernel);
    if (in->kernel_server && in->kernel_client) {
        json_object_set(summary, "kernel_server", in->kernel_server);
        json_object_set(summary, "kernel_client", in->kernel_client);
    }

    json_t *ready = in->server_ready;
    json_t *effective = json_object();
    json_object_set(effective, "backlog", json_object_get(ready, "backlog"));
    json_object_set(effective, "rcvbuf", json_object_get(ready, "rcvbuf"));
    json_object_set(effective, "server_sndbuf", json_object_get(ready, "sndbuf"));
    json_t *sndbuf = json_object_get(client_end, "sndbuf");
    json_object_set_new(effective, "sndbuf", sndbuf ? json_incref(sndbuf) : json_null());
    json_t *client_rcvbuf = json_object_get(client_end, "rcvbuf");
    json_object_set_new(effective, "client_rcvbuf",
                        client_rcvbuf ? json_incref(client_rcvbuf) : json_null());
    json_t *sndbuf_max = json_object_get(client_end, "sndbuf_max");
    json_object_set_new(effective, "sndbuf_max",
                        sndbuf_max ? json_incref(sndbuf_max) : json_null());
    json_t *rcvbuf_max = json_object_get(server_end, "rcvbuf_max");
    json_object_set_new(effective, "rcvbuf_max",
                        rcvbuf_max ? json_incref(rcvbuf_max) : json_null());
    json_object_set(effective, "sysctls", in->sysctls);
    if (in->client_sysctls)
        json_object_set(effective, "client_sysctls", in->client_sysctls);
    if (in->link)
        json_object_set(effective, "link", in->link);

    out->run =
        json_pack("{s:I,s:I,s:O,s:O,s:o,s:o,s:o,s:{s:o,s:o},s:o}", "point", (json_int_t)in->point,
                  "repeat", (json_int_t)in->repeat, "sweep", in->sweep, "params", in->params,
                  "effective", effective, "summary", summary, "blocks", blocks, "samples", "server",
                  server_samples, "client", client_samples, "server_events", server_events);
    run_log_free(server);
    if (!out->run) {
        results_run_free(out);
        return -ENOMEM;
    }
    return 0;
}

json_t *results_run_to_json(const struct results_run *run)
{
    json_t *out = json_copy(run->run), *connections = json_array();
    for (size_t i = 0; i < run->conn_count; i++)
        json_array_append_new(connections, conn_record_to_json(&run->conns[i]));
    json_object_set_new(out, "connections", connections);
    return out;
}

json_t *results_run_for_aggregate(const struct results_run *run)
{
    json_t *out = json_copy(run->run), *connections = json_array();
    for (size_t i = 0; i < run->conn_count; i++) {
        const struct conn_record *r = &run->conns[i];
        const char *outcome = conn_has(r, CONN_OUTCOME) ? r->value[CONN_OUTCOME].string : NULL;
        const char *by = conn_has(r, CONN_TIMEOUT_BY) ? r->value[CONN_TIMEOUT_BY].string : NULL;
        if (!outcome || !conn_has(r, CONN_START_US) || !conn_has(r, CONN_OUTCOME_US) ||
            !aggregate_conn_checked(outcome, by,
                                    conn_int(r, CONN_OUTCOME_US) - conn_int(r, CONN_START_US))) {
            json_array_append_new(connections, json_null());
            continue;
        }
        json_t *c = json_pack("{s:s,s:I,s:I}", "outcome", outcome, "start_us",
                              (json_int_t)conn_int(r, CONN_START_US), "outcome_us",
                              (json_int_t)conn_int(r, CONN_OUTCOME_US));
        if (by)
            json_object_set_new(c, "timeout_by", json_string(by));
        json_array_append_new(connections, c);
    }
    json_object_set_new(out, "connections", connections);
    return out;
}

void results_run_free(struct results_run *run)
{
    json_decref(run->run);
    run_log_free(&run->client);
    memset(run, 0, sizeof *run);
}

json_t *results_run_from_events(const struct run_inputs *in)
{
    struct run_log server, client;
    struct results_run run;
    json_t *server_copy = json_deep_copy(in->server_events);
    json_t *client_copy = json_deep_copy(in->client_events);
    json_t *out = NULL;
    if (run_log_from_events(server_copy, &server) == 0) {
        if (run_log_from_events(client_copy, &client) == 0) {
            if (results_run_from_logs(in, &server, &client, &run) == 0) {
                out = results_run_to_json(&run);
                results_run_free(&run);
            }
            run_log_free(&client);
        }
        run_log_free(&server);
    }
    json_decref(server_copy);
    json_decref(client_copy);
    return out;
}

json_t *results_sampling_limits(void)
{
    return json_pack("{s:i,s:i,s:i}", "samples_per_process", PARAMS_MAX_SAMPLES, "conns_per_sample",
                     SAMPLER_CONNS, "conn_entries_per_process", SAMPLER_MAX_CONN_ENTRIES);
}

json_t *results_environment(int private_netns, json_t *sysctls)
{
    struct utsname u;
    char host[256] = "", started[64];
    time_t now = time(NULL);
    uname(&u);
    gethostname(host, sizeof host - 1);
    strftime(started, sizeof started, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    return json_pack("{s:s,s:s,s:s,s:s,s:b,s:o,s:s,s:s,s:s,s:s,s:I}", "kernel", u.release,
                     "kernel_version", u.version, "machine", u.machine, "hostname", host,
                     "private_netns", private_netns, "sysctls", sysctls, "harness_version",
                     HARNESS_VERSION, "libuv", uv_version_string(), "jansson", JANSSON_VERSION,
                     "started_at", started, "cpus", (json_int_t)sysconf(_SC_NPROCESSORS_ONLN));
}

void results_add_derived(json_t *results)
{
    json_object_set_new(results, "point_summaries",
                        aggregate_points(json_object_get(results, "runs")));
    json_object_set_new(results, "sampling_limits", results_sampling_limits());
}

json_t *results_point_summary(const json_t *point_runs, size_t first_index)
{
    json_t *points = aggregate_points(point_runs);
    json_t *point = json_incref(json_array_get(points, 0));
    json_decref(points);
    if (!point)
        return NULL;
    /* indexes into the results' runs, not into this point's */
    size_t i;
    json_t *v, *flag;
    json_array_foreach(json_object_get(point, "runs"), i, v)
        json_array_set_new(json_object_get(point, "runs"), i,
                           json_integer(json_integer_value(v) + (json_int_t)first_index));
    json_array_foreach(json_object_get(point, "flags"), i, flag)
    {
        json_t *run = json_object_get(flag, "run");
        if (json_is_integer(run))
            json_object_set_new(flag, "run",
                                json_integer(json_integer_value(run) + (json_int_t)first_index));
    }
    return point;
}

/* ---- writing: the same bytes as json_dumpf(JSON_SORT_KEYS |
 * JSON_INDENT(2)), with the connections and the runs written as they come
 * instead of built as one tree ---- */

#define RUN_INDENT "    "          /* a run in the results' "runs" */
#define CONN_INDENT "        "     /* a connection in a run's "connections" */
#define MEMBER_INDENT "          " /* a connection's fields */

/* text, with prefix at its start and after every newline (JSON strings
 * hold no raw newline, so only the layout's lines are indented) */
static void put_indented(FILE *out, const char *text, size_t length, const char *prefix)
{
    const char *end = text + length;
    while (text < end) {
        const char *newline = memchr(text, '\n', (size_t)(end - text));
        size_t n = newline ? (size_t)(newline - text) + 1 : (size_t)(end - text);
        fwrite(text, 1, n, out);
        text += n;
        if (newline && text < end)
            fputs(prefix, out);
    }
}

/* printable ASCII without quote or backslash: written as is */
static int plain(const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if (*p < 0x20 || *p >= 0x7f || *p == '"' || *p == '\\')
            return 0;
    return 1;
}

/* Appends the decimal digits of value to *p. */
static char *put_integer(char *p, int64_t value)
{
    char digits[24];
    size_t n = decimal_digits_reversed(value, digits);
    while (n)
        *p++ = digits[--n];
    return p;
}

#define PUT(p, literal) (memcpy(p, literal, sizeof literal - 1), (p) += sizeof literal - 1)

/* A connection at its place in the file; formatted into a buffer and
 * written at once (the fields of 100,000 connections through fputs and
 * snprintf took half the time of the whole results) */
static void put_conn(FILE *out, const struct conn_record *r)
{
    /* each field: its name, the layout, and at most 20 digits or a
     * string, which is checked to fit */
    char text[CONN_FIELDS * 64 + 1024];
    char *p = text;
    int fast = !r->extra;
    size_t strings = 0;
    for (int f = 0; fast && f < CONN_FIELDS; f++)
        if (conn_has(r, f) && conn_fields[f].type == FIELD_STRING) {
            fast = plain(r->value[f].string);
            strings += strlen(r->value[f].string);
        }
    if (!fast || strings > 512) {
        json_t *object = conn_record_to_json(r);
        char *dump = json_dumps(object, JSON_SORT_KEYS | JSON_INDENT(2));
        fputs(CONN_INDENT, out);
        if (dump)
            put_indented(out, dump, strlen(dump), CONN_INDENT);
        free(dump);
        json_decref(object);
        return;
    }
    PUT(p, CONN_INDENT "{");
    int first = 1;
    for (int f = 0; f < CONN_FIELDS; f++) {
        if (!conn_has(r, f))
            continue;
        const union field_value *v = &r->value[f];
        if (!first)
            *p++ = ',';
        first = 0;
        PUT(p, "\n" MEMBER_INDENT "\"");
        memcpy(p, conn_fields[f].name, conn_fields[f].length);
        p += conn_fields[f].length;
        PUT(p, "\": ");
        switch (conn_fields[f].type) {
        case FIELD_INT:
            p = put_integer(p, v->integer);
            break;
        case FIELD_STRING:
            *p++ = '"';
            size_t n = strlen(v->string);
            memcpy(p, v->string, n);
            p += n;
            *p++ = '"';
            break;
        case FIELD_BOOL:
            if (v->boolean)
                PUT(p, "true");
            else
                PUT(p, "false");
            break;
        }
    }
    if (first)
        *p++ = '}';
    else
        PUT(p, "\n" CONN_INDENT "}");
    fwrite(text, 1, (size_t)(p - text), out);
}

/* Splits a JSON_INDENT(2) dump at its top-level key `key`, an empty
 * array there: *at is set to the '[' of "[]". */
static int find_empty_member(const char *text, const char *key, size_t *at)
{
    char marker[64];
    snprintf(marker, sizeof marker, "\n  \"%s\": []", key);
    const char *found = strstr(text, marker);
    if (!found)
        return -1;
    *at = (size_t)(found - text) + strlen(marker) - 2;
    return 0;
}

int results_spool_open(struct results_spool *spool, const char *dir, struct hl_error *err)
{
    spool->runs = 0;
    spool->file = NULL;
    int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0) { /* a file system without O_TMPFILE: a name, unlinked at once */
        char path[4096];
        snprintf(path, sizeof path, "%s/runs.XXXXXX", dir);
        fd = mkostemp(path, O_CLOEXEC);
        if (fd >= 0)
            unlink(path);
    }
    if (fd >= 0 && !(spool->file = fdopen(fd, "w+")))
        close(fd);
    if (!spool->file)
        return hl_error_setn(err, errno, dir, "cannot make a file for the runs: %s",
                             strerror(errno));
    return 0;
}

int results_spool_add(struct results_spool *spool, const struct results_run *run,
                      struct hl_error *err)
{
    json_t *copy = json_copy(run->run);
    size_t at = 0;
    json_object_set_new(copy, "connections", json_array());
    char *text = json_dumps(copy, JSON_SORT_KEYS | JSON_INDENT(2));
    json_decref(copy);
    if (!text || find_empty_member(text, "connections", &at)) {
        free(text);
        return hl_error_setn(err, ENOMEM, "results", "out of memory");
    }
    FILE *out = spool->file;
    if (spool->runs++)
        fputs(",\n", out);
    fputs(RUN_INDENT, out);
    put_indented(out, text, at, RUN_INDENT);
    if (run->conn_count == 0) {
        fputs("[]", out);
    } else {
        fputs("[\n", out);
        for (size_t i = 0; i < run->conn_count; i++) {
            if (i)
                fputs(",\n", out);
            put_conn(out, &run->conns[i]);
        }
        fputs("\n" RUN_INDENT "  ]", out);
    }
    put_indented(out, text + at + 2, strlen(text + at + 2), RUN_INDENT);
    free(text);
    if (fflush(out) != 0 || ferror(out))
        return hl_error_setn(err, errno ? errno : EIO, "results",
                             "cannot keep the runs in a temporary file: %s",
                             strerror(errno ? errno : EIO));
    return 0;
}

void results_spool_close(struct results_spool *spool)
{
    if (spool->file)
        fclose(spool->file);
    spool->file = NULL;
}

int results_check_writable(const char *path, struct hl_error *err)
{
    char *copy = strdup(path);
    if (!copy)
        return hl_error_setn(err, ENOMEM, path, "out of memory");
    const char *dir = dirname(copy);
    int rc = access(dir, W_OK | X_OK);
    int e = errno;
    if (rc < 0) {
        hl_error_setn(err, e, path, "cannot write results into %s: %s", dir, strerror(e));
        free(copy);
        return -e;
    }
    free(copy);
    return 0;
}

static int write_tree(FILE *out, void *data)
{
    if (json_dumpf(data, out, JSON_SORT_KEYS | JSON_INDENT(2)) < 0)
        return -1;
    return fputc('\n', out) == EOF ? -1 : 0;
}

int results_write_atomic(const char *path, json_t *root, struct hl_error *err)
{
    return atomic_write(path, write_tree, root, err);
}

struct spooled {
    const char *text; /* the root, with "runs": [] */
    size_t runs_at;   /* where its "[]" is */
    struct results_spool *spool;
};

static int write_spooled(FILE *out, void *data)
{
    struct spooled *w = data;
    char buffer[1 << 16];
    size_t n;
    fwrite(w->text, 1, w->runs_at, out);
    if (w->spool->runs == 0) {
        fputs("[]", out);
    } else {
        fputs("[\n", out);
        if (fflush(w->spool->file) != 0 || fflush(out) != 0)
            return -1;
        /* the kernel copies (copy_file_range), else through a buffer */
        int from = fileno(w->spool->file), to = fileno(out);
        off_t offset = 0, size = lseek(from, 0, SEEK_END);
        while (offset < size) {
            ssize_t copied = copy_file_range(from, &offset, to, NULL, (size_t)(size - offset), 0);
            if (copied <= 0)
                break;
        }
        while (offset < size && (n = (size_t)pread(from, buffer, sizeof buffer, offset)) > 0 &&
               n <= sizeof buffer) {
            if (fwrite(buffer, 1, n, out) != n)
                return -1;
            offset += (off_t)n;
        }
        if (offset < size)
            return -1;
        fputs("\n  ]", out);
    }
    fputs(w->text + w->runs_at + 2, out);
    fputc('\n', out);
    return ferror(out) ? -1 : 0;
}

int results_write_spooled(const char *path, json_t *root, struct results_spool *spool,
                          struct hl_error *err)
{
    json_t *copy = json_copy(root);
    struct spooled w = {.spool = spool};
    json_object_set_new(copy, "runs", json_array());
    char *text = json_dumps(copy, JSON_SORT_KEYS | JSON_INDENT(2));
    json_decref(copy);
    if (!text || find_empty_member(text, "runs", &w.runs_at)) {
        free(text);
        return hl_error_setn(err, ENOMEM, path, "out of memory");
    }
    w.text = text;
    int rc = atomic_write(path, write_spooled, &w, err);
    free(text);
    return rc;
}
