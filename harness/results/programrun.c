/* programrun.c: see programrun.h. */
#include "programrun.h"

#include <stdio.h>
#include <string.h>

#include "runchecks.h"

struct unmeasured {
    const char *object, *key; /* "summary", "accepted" */
    const char *why;
};

#define SERVER_CALLS "the server is a program: its accept() calls are not seen"
#define CLIENT_CALLS "the client is a program: its connect() and send() calls are not seen"

static const struct unmeasured server_unmeasured[] = {
    {"summary", "accepted",
     SERVER_CALLS " (the server samples' open counts the accepted connections it held open, "
                  "through sock_diag)"},
    {"summary", "unmatched_accepts", SERVER_CALLS},
    {"summary", "bytes_read",
     "the server is a program: its recv() calls are not seen (receive_queue_at_end holds what "
     "it left unread, through sock_diag)"},
    {"summary", "reads", "the server is a program: its recv() calls are not seen"},
    {"summary", "read_sizes", "the server is a program: its recv() calls are not seen"},
    {"effective", "rcvbuf_max",
     "the server is a program: its accepted sockets' SO_RCVBUF at their close is not asked "
     "(effective.rcvbuf is its listener's, through sock_diag)"},
    {NULL, NULL, NULL},
};

static const struct unmeasured client_unmeasured[] = {
    {"summary", "attempted", CLIENT_CALLS " (kernel.ActiveOpens counts its connect() calls)"},
    {"summary", "connected", CLIENT_CALLS " (kernel.PassiveOpens counts the handshakes)"},
    {"summary", "refused", CLIENT_CALLS},
    {"summary", "timed_out", CLIENT_CALLS},
    {"summary", "timed_out_by", CLIENT_CALLS},
    {"summary", "pending", CLIENT_CALLS},
    {"summary", "failed", CLIENT_CALLS},
    {"summary", "reset", CLIENT_CALLS},
    {"summary", "bytes_sent", CLIENT_CALLS " (bytes_read counts what the server read)"},
    {"summary", "bytes_received", CLIENT_CALLS},
    {"summary", "blocked_sends", CLIENT_CALLS},
    {"summary", "blocked_us", CLIENT_CALLS},
    {"summary", "bytes_before_first_block", CLIENT_CALLS},
    {"summary", "bytes_before_first_blocked_call", CLIENT_CALLS},
    {"summary", "send_queue_at_end", CLIENT_CALLS},
    {"summary", "connect_us", CLIENT_CALLS},
    {"summary", "waited", CLIENT_CALLS},
    {"summary", "waited_fraction", CLIENT_CALLS},
    {"summary", "unmatched_accepts",
     "the client is a program: there are no client records to match the accepts with"},
    {"effective", "sndbuf", CLIENT_CALLS},
    {"effective", "client_rcvbuf", CLIENT_CALLS},
    {"effective", "sndbuf_max", CLIENT_CALLS},
    {NULL, NULL, NULL},
};

void results_run_program(json_t *run, const char *side, json_t *record)
{
    int client = strcmp(side, "client") == 0;
    const struct unmeasured *list = client ? client_unmeasured : server_unmeasured;
    json_t *why = json_object();
    for (size_t i = 0; list[i].object; i++) {
        json_t *object = json_object_get(run, list[i].object);
        char path[96];
        if (!object)
            continue;
        json_object_set_new(object, list[i].key, json_null());
        snprintf(path, sizeof path, "%s.%s", list[i].object, list[i].key);
        json_object_set_new(why, path, json_string(list[i].why));
    }
    json_object_set_new(run, "unmeasured", why);
    json_object_set_new(run, "checks",
                        run_checks(json_object_get(run, "params"), json_object_get(run, "summary"),
                                   json_object_get(run, "server_events")));
    json_object_set_new(run, client ? "client_program" : "server_program", record);
}
