/* serverprogram.c: see serverprogram.h. */
#include "serverprogram.h"

#include "runchecks.h"

/* Each key a program's run cannot measure, and why. */
static const struct {
    const char *path; /* "summary.accepted": object, then key */
    const char *object, *key;
    const char *why;
} unmeasured[] = {
    {"summary.accepted", "summary", "accepted",
     "the server is a program: its accept() calls are not seen (the server samples' open counts "
     "the accepted connections it held open, through sock_diag)"},
    {"summary.unmatched_accepts", "summary", "unmatched_accepts",
     "the server is a program: its accept() calls are not seen"},
    {"summary.bytes_read", "summary", "bytes_read",
     "the server is a program: its recv() calls are not seen (receive_queue_at_end holds what "
     "it left unread, through sock_diag)"},
    {"effective.rcvbuf_max", "effective", "rcvbuf_max",
     "the server is a program: its accepted sockets' SO_RCVBUF at their close is not asked "
     "(effective.rcvbuf is its listener's, through sock_diag)"},
};

void results_run_server_program(json_t *run, json_t *record)
{
    json_t *why = json_object();
    for (size_t i = 0; i < sizeof unmeasured / sizeof unmeasured[0]; i++) {
        json_t *object = json_object_get(run, unmeasured[i].object);
        if (!object)
            continue;
        json_object_set_new(object, unmeasured[i].key, json_null());
        json_object_set_new(why, unmeasured[i].path, json_string(unmeasured[i].why));
    }
    json_object_set_new(run, "unmeasured", why);
    json_object_set_new(run, "checks",
                        run_checks(json_object_get(run, "params"), json_object_get(run, "summary"),
                                   json_object_get(run, "server_events")));
    json_object_set_new(run, "server_program", record);
}
