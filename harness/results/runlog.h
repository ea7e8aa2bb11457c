/* runlog.h: a child's event log, read for the results.
 *
 * A point of N connections logs N "conn" lines on the client, and N
 * "accept" and N "server_conn" lines on the server. Held as json_t objects
 * they cost the runner 6.5 KB and tens of microseconds per connection (650 MB
 * and seconds at the 100,000-connection limit). Here each connection
 * becomes a record of fixed fields (about 200 bytes), read by a scanner for
 * the flat one-line objects the children write; every other event
 * (samples, blocked sends, the end) stays JSON, in log order. "accept"
 * lines are skipped: the connection's "server_conn" line says all the
 * results need.
 *
 * A line the scanner does not read (a nested value, an escaped or
 * non-ASCII string, a number that is not a plain integer) is parsed by
 * jansson instead, which also reports a broken line. Fields a record has no
 * place for (or of another type than it expects) are kept, as JSON, in its
 * extra object, and the results carry them as they came. */
#ifndef HARNESS_RUNLOG_H
#define HARNESS_RUNLOG_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* The fields of a connection in the results (results/README.md), sorted
 * by name: the client's "conn" event, joined with the server's view
 * (accepted_us, bytes_read, server_eof_us, server_saw_reset) and
 * connect_us. */
enum conn_field {
    CONN_ACCEPTED_US,
    CONN_BLOCKED_SENDS,
    CONN_BLOCKED_US,
    CONN_BYTES_BEFORE_FIRST_BLOCK,
    CONN_BYTES_READ,
    CONN_BYTES_RECEIVED,
    CONN_BYTES_SENT,
    CONN_CLOSED_US,
    CONN_CONN,
    CONN_CONNECT_US,
    CONN_ERROR,
    CONN_LOCAL_PORT,
    CONN_OPEN_AT_END,
    CONN_OUTCOME,
    CONN_OUTCOME_US,
    CONN_PEER_CLOSED,
    CONN_RESET,
    CONN_SERVER_EOF_US,
    CONN_SERVER_SAW_RESET,
    CONN_SNDBUF,
    CONN_START_US,
    CONN_TIMEOUT_BY,
    CONN_FIELDS
};

enum field_type { FIELD_INT, FIELD_STRING, FIELD_BOOL };

struct field_info {
    const char *name;
    size_t length; /* strlen(name) */
    enum field_type type;
};

/* conn_fields[f]: the name and type of field f */
extern const struct field_info conn_fields[CONN_FIELDS];

union field_value {
    int64_t integer;
    const char *string; /* owned by the run log (interned) */
    int boolean;
};

struct conn_record {
    union field_value value[CONN_FIELDS];
    uint32_t present; /* bit f: field f is there */
    json_t *extra;    /* other fields, or NULL */
};

static inline int conn_has(const struct conn_record *r, enum conn_field f)
{
    return (r->present >> f) & 1;
}

/* An integer field, 0 when absent (as json_integer_value of a missing
 * key). */
static inline int64_t conn_int(const struct conn_record *r, enum conn_field f)
{
    return conn_has(r, f) ? r->value[f].integer : 0;
}

/* What the results take from a server's "server_conn" event; a field that
 * is not an integer counts as absent. */
struct server_record {
    int64_t conn, peer_port, accepted_us, bytes_read, eof_us;
    unsigned has_accepted_us : 1, has_bytes_read : 1, has_eof_us : 1, reset : 1;
};

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
 * results_read_events gives). */
int run_log_from_events(const json_t *events, struct run_log *log);

void run_log_free(struct run_log *log);

/* A connection as one JSON object (its fields and its extra ones). */
json_t *conn_record_to_json(const struct conn_record *record);

#endif
