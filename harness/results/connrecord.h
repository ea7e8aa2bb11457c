/* connrecord.h: a connection as the runner holds it: a record of fixed
 * fields, about 200 bytes where a json_t object costs 6.5 KB.
 *
 * A client's "conn" event becomes a conn_record: each field the results
 * know (conn_fields, sorted by name as JSON_SORT_KEYS writes them) in a
 * slot of its type, and every other field, or one of another type than its
 * slot's, kept as JSON in extra, so the results carry it as it came. A
 * server's "server_conn" event becomes a server_record of what the results
 * join to the client's connection. Both are filled from a line's tokens
 * (linescan.h). */
#ifndef HARNESS_CONNRECORD_H
#define HARNESS_CONNRECORD_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "linescan.h"

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
    CONN_READ_MAX,
    CONN_READS,
    CONN_RESET,
    CONN_SEEN_AT_STOP,
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
    int64_t conn, peer_port, accepted_us, bytes_read, eof_us, reads, read_max;
    unsigned has_accepted_us : 1, has_bytes_read : 1, has_eof_us : 1, reset : 1, has_reads : 1;
};

/* Interns a string of length bytes: the returned copy lives as long as
 * the pool (the run log); NULL when out of memory. */
typedef const char *(*conn_intern_fn)(void *pool, const char *text, size_t length);

/* The field named key (length bytes), or -1. */
int conn_field_of(const char *key, size_t length);

/* Fills r (zeroed) from a "conn" event's tokens, its strings interned
 * through intern; a token of another type than its field's becomes an
 * extra field, as JSON, and a later duplicate wins, as in jansson.
 * Returns 0 or -ENOMEM. */
int conn_record_from_tokens(struct conn_record *r, const struct line_token *tokens, int count,
                            conn_intern_fn intern, void *pool);

/* Adds fields (an object: the values the tokens could not hold) to r's
 * extra ones; each replaces a field of its name. */
void conn_record_add_extra(struct conn_record *r, json_t *fields);

/* Fills r (zeroed) from a "server_conn" event's tokens. */
void server_record_from_tokens(struct server_record *r, const struct line_token *tokens, int count);

/* A connection as one JSON object (its fields and its extra ones). */
json_t *conn_record_to_json(const struct conn_record *record);

#endif
