/* runlog.h: a child's event log, read for the results.
 *
 * A point of N connections logs N "conn" lines on the client, and N
 * "accept" and N "server_conn" lines on the server. Held as json_t objects
 * they cost the runner 6.5 KB and tens of microseconds per connection (650 MB
 * and seconds at the 100,000-connection limit). Here each connection
 * becomes a record of fixed fields (connrecord.h, about 200 bytes), read by
 * a scanner for the flat one-line objects the children write (linescan.h);
 * every other event (samples, blocked sends, the end) stays JSON, in log
 * order. "accept" lines are skipped: the connection's "server_conn" line
 * says all the results need.
 *
 * The lines come from the one event-log reader (eventlines.h). A line the
 * scanner does not read (a nested value, an escaped or non-ASCII string, a
 * number that is not a plain integer) is parsed by jansson instead, which
 * also reports a broken line. Fields a record has no place for (or of
 * another type than it expects) are kept, as JSON, in its extra object,
 * and the results carry them as they came. */
#ifndef HARNESS_RUNLOG_H
#define HARNESS_RUNLOG_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "connrecord.h"
#include "error.h"

struct run_log {
    struct conn_record *conns; /* the client's "conn" events, in log order */
    size_t conn_count, conn_capacity;
    struct server_record *server_conns; /* the server's "server_conn" events */
    size_t server_conn_count, server_conn_capacity;
    json_t *events; /* every other event but "accept", in log order */
    char **strings; /* interned string values */
    size_t string_count, string_capacity;
};

/* Reads the event log at path. Returns 0, or a negative errno with err
 * naming the file (and line, for a broken one); *log is then empty. */
int run_log_read(const char *path, struct run_log *log, struct hl_error *err);

/* The same from events already parsed (an array of objects, as
 * event_lines_read_array gives). */
int run_log_from_events(const json_t *events, struct run_log *log);

void run_log_free(struct run_log *log);

#endif
