/* runbuild.c: see runbuild.h. */
#include "runbuild.h"

#include <errno.h>
#include <string.h>

#include "aggregate.h"
#include "runchecks.h"
#include "runparts.h"

static const char *event_kind(const json_t *event)
{
    const char *kind = json_string_value(json_object_get(event, "event"));
    return kind ? kind : "";
}

/* The log's last event when it is the "end" one. */
static json_t *find_end(const json_t *events)
{
    size_t n = json_array_size(events);
    json_t *last = n ? json_array_get(events, n - 1) : NULL;
    return last && strcmp(event_kind(last), "end") == 0 ? last : NULL;
}

/* The logs' events are the run's own now: taken as they are, less their
 * "event" key, but the server's listener events. */
static void sort_events(struct run_events *e, json_t *client_events, json_t *server_events)
{
    size_t i;
    json_t *event;
    e->blocks = json_array();
    e->client_samples = json_array();
    e->server_samples = json_array();
    e->server_events = json_array();
    json_array_foreach(client_events, i, event)
    {
        const char *kind = event_kind(event);
        if (strcmp(kind, "block") == 0 || strcmp(kind, "client_sample") == 0) {
            json_array_append(strcmp(kind, "block") == 0 ? e->blocks : e->client_samples, event);
            json_object_del(event, "event");
        }
    }
    json_array_foreach(server_events, i, event)
    {
        const char *kind = event_kind(event);
        if (strcmp(kind, "server_sample") == 0) {
            json_array_append(e->server_samples, event);
            json_object_del(event, "event");
        } else if (strcmp(kind, "listener_closed") == 0 || strcmp(kind, "accept_error") == 0) {
            json_array_append(e->server_events, event);
        }
    }
    e->server_end = find_end(server_events);
    e->client_end = find_end(client_events);
}

int results_run_from_logs(const struct run_inputs *in, struct run_log *server,
                          struct run_log *client, struct results_run *out)
{
    struct run_events events;
    memset(out, 0, sizeof *out);
    out->client = *client;
    memset(client, 0, sizeof *client);

    sort_events(&events, out->client.events, server->events);
    run_conns_order(&out->client);
    out->conns = out->client.conns;
    out->conn_count = out->client.conn_count;
    size_t unmatched =
        run_conns_join_server(out->conns, out->conn_count, server, events.server_samples);
    run_conns_note_connect_us(out->conns, out->conn_count);

    json_t *summary =
        run_summary(in, out->conns, out->conn_count, server->server_conn_count, unmatched, &events);
    json_t *effective = run_summary_effective(in, &events);
    json_t *checks = run_checks(in->params, summary, events.server_events);
    out->run =
        json_pack("{s:I,s:I,s:O,s:O,s:o,s:o,s:o,s:o,s:{s:o,s:o},s:o}", "point",
                  (json_int_t)in->point, "repeat", (json_int_t)in->repeat, "sweep", in->sweep,
                  "params", in->params, "effective", effective, "summary", summary, "checks",
                  checks, "blocks", events.blocks, "samples", "server", events.server_samples,
                  "client", events.client_samples, "server_events", events.server_events);
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

/* What the connect_us prediction reads of a connection, or null when it
 * does not check it. */
static json_t *checked_conn(const struct conn_record *r)
{
    const char *outcome = conn_has(r, CONN_OUTCOME) ? r->value[CONN_OUTCOME].string : NULL;
    const char *by = conn_has(r, CONN_TIMEOUT_BY) ? r->value[CONN_TIMEOUT_BY].string : NULL;
    int seen_at_stop = conn_has(r, CONN_SEEN_AT_STOP) && r->value[CONN_SEEN_AT_STOP].boolean;
    if (!outcome || seen_at_stop || !conn_has(r, CONN_START_US) || !conn_has(r, CONN_OUTCOME_US) ||
        !aggregate_conn_checked(outcome, by,
                                conn_int(r, CONN_OUTCOME_US) - conn_int(r, CONN_START_US)))
        return json_null();
    json_t *c = json_pack("{s:s,s:I,s:I}", "outcome", outcome, "start_us",
                          (json_int_t)conn_int(r, CONN_START_US), "outcome_us",
                          (json_int_t)conn_int(r, CONN_OUTCOME_US));
    if (by)
        json_object_set_new(c, "timeout_by", json_string(by));
    return c;
}

json_t *results_run_for_aggregate(const struct results_run *run)
{
    json_t *out = json_copy(run->run), *connections = json_array();
    for (size_t i = 0; i < run->conn_count; i++)
        json_array_append_new(connections, checked_conn(&run->conns[i]));
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

void results_samples_unread(json_t *samples, const char *server, const char *why)
{
    if (!json_is_object(samples))
        return;
    json_object_set_new(samples, "syn_recv", json_array());
    json_object_set_new(samples, "server_sockets", json_null());
    json_object_set_new(samples, "sock_diag_us", json_null());
    json_object_set_new(samples, "sock_diag_readings", json_null());
    json_object_set_new(
        samples, "sources",
        json_pack("{s:s,s:s,s:s}", "server", server, "syn_recv", why, "server_sockets", why));
}
