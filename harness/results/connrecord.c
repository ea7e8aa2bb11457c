/* connrecord.c: see connrecord.h. */
#include "connrecord.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define FIELD(name, type)                                                                          \
    {                                                                                              \
        name, sizeof name - 1, type                                                                \
    }

const struct field_info conn_fields[CONN_FIELDS] = {
    [CONN_ACCEPTED_US] = FIELD("accepted_us", FIELD_INT),
    [CONN_BLOCKED_SENDS] = FIELD("blocked_sends", FIELD_INT),
    [CONN_BLOCKED_US] = FIELD("blocked_us", FIELD_INT),
    [CONN_BYTES_BEFORE_FIRST_BLOCK] = FIELD("bytes_before_first_block", FIELD_INT),
    [CONN_BYTES_READ] = FIELD("bytes_read", FIELD_INT),
    [CONN_BYTES_RECEIVED] = FIELD("bytes_received", FIELD_INT),
    [CONN_BYTES_SENT] = FIELD("bytes_sent", FIELD_INT),
    [CONN_CLOSED_US] = FIELD("closed_us", FIELD_INT),
    [CONN_CONN] = FIELD("conn", FIELD_INT),
    [CONN_CONNECT_US] = FIELD("connect_us", FIELD_INT),
    [CONN_ERROR] = FIELD("error", FIELD_STRING),
    [CONN_LOCAL_PORT] = FIELD("local_port", FIELD_INT),
    [CONN_OPEN_AT_END] = FIELD("open_at_end", FIELD_BOOL),
    [CONN_OUTCOME] = FIELD("outcome", FIELD_STRING),
    [CONN_OUTCOME_US] = FIELD("outcome_us", FIELD_INT),
    [CONN_PEER_CLOSED] = FIELD("peer_closed", FIELD_BOOL),
    [CONN_READ_MAX] = FIELD("read_max", FIELD_INT),
    [CONN_READS] = FIELD("reads", FIELD_INT),
    [CONN_RESET] = FIELD("reset", FIELD_BOOL),
    [CONN_SEEN_AT_STOP] = FIELD("seen_at_stop", FIELD_BOOL),
    [CONN_SERVER_EOF_US] = FIELD("server_eof_us", FIELD_INT),
    [CONN_SERVER_SAW_RESET] = FIELD("server_saw_reset", FIELD_BOOL),
    [CONN_SNDBUF] = FIELD("sndbuf", FIELD_INT),
    [CONN_START_US] = FIELD("start_us", FIELD_INT),
    [CONN_TIMEOUT_BY] = FIELD("timeout_by", FIELD_STRING),
};

int conn_field_of(const char *key, size_t length)
{
    for (int f = 0; f < CONN_FIELDS; f++)
        if (conn_fields[f].length == length && memcmp(conn_fields[f].name, key, length) == 0)
            return f;
    return -1;
}

int conn_record_from_tokens(struct conn_record *r, const struct line_token *tokens, int count,
                            conn_intern_fn intern, void *pool)
{
    for (int i = 0; i < count; i++) {
        const struct line_token *t = &tokens[i];
        if (line_token_key_is(t, "event"))
            continue;
        int f = conn_field_of(t->key, t->key_length);
        enum field_type type = f < 0 ? FIELD_INT : conn_fields[f].type;
        if (f >= 0 && type == FIELD_INT && t->type == LINE_TOKEN_INT) {
            r->value[f].integer = t->integer;
        } else if (f >= 0 && type == FIELD_STRING && t->type == LINE_TOKEN_STRING) {
            if (!(r->value[f].string = intern(pool, t->text, t->length)))
                return -ENOMEM;
        } else if (f >= 0 && type == FIELD_BOOL &&
                   (t->type == LINE_TOKEN_TRUE || t->type == LINE_TOKEN_FALSE)) {
            r->value[f].boolean = t->type == LINE_TOKEN_TRUE;
        } else {
            json_t *v = t->type == LINE_TOKEN_INT      ? json_integer(t->integer)
                        : t->type == LINE_TOKEN_STRING ? json_stringn(t->text, t->length)
                        : t->type == LINE_TOKEN_TRUE   ? json_true()
                        : t->type == LINE_TOKEN_FALSE  ? json_false()
                                                       : json_null();
            char key[256];
            snprintf(key, sizeof key, "%.*s", (int)t->key_length, t->key);
            if (!r->extra)
                r->extra = json_object();
            json_object_set_new(r->extra, key, v);
            if (f >= 0)
                r->present &= ~(1u << f);
            continue;
        }
        r->present |= 1u << f;
        if (f >= 0 && r->extra) /* a later duplicate wins, as in jansson */
            json_object_del(r->extra, conn_fields[f].name);
    }
    return 0;
}

void conn_record_add_extra(struct conn_record *r, json_t *fields)
{
    const char *key;
    json_t *value;
    if (!r->extra)
        r->extra = json_object();
    json_object_foreach(fields, key, value)
    {
        int f = conn_field_of(key, strlen(key));
        if (f >= 0)
            r->present &= ~(1u << f);
        json_object_set(r->extra, key, value);
    }
}

void server_record_from_tokens(struct server_record *r, const struct line_token *tokens, int count)
{
    for (int i = 0; i < count; i++) {
        const struct line_token *t = &tokens[i];
        int64_t value = t->type == LINE_TOKEN_INT ? t->integer : 0;
        unsigned integer = t->type == LINE_TOKEN_INT;
        if (line_token_key_is(t, "conn")) {
            r->conn = value;
        } else if (line_token_key_is(t, "peer_port")) {
            r->peer_port = value;
        } else if (line_token_key_is(t, "accepted_us")) {
            r->accepted_us = value;
            r->has_accepted_us = integer;
        } else if (line_token_key_is(t, "bytes_read")) {
            r->bytes_read = value;
            r->has_bytes_read = integer;
        } else if (line_token_key_is(t, "eof_us")) {
            r->eof_us = value;
            r->has_eof_us = integer;
        } else if (line_token_key_is(t, "reads")) {
            r->reads = value;
            r->has_reads = integer;
        } else if (line_token_key_is(t, "read_max")) {
            r->read_max = value;
        } else if (line_token_key_is(t, "reset")) {
            r->reset = 1; /* there at all: the server writes it only when true */
        }
    }
}

json_t *conn_record_to_json(const struct conn_record *r)
{
    json_t *out = r->extra ? json_copy(r->extra) : json_object();
    for (int f = 0; f < CONN_FIELDS; f++) {
        if (!conn_has(r, f))
            continue;
        const union field_value *v = &r->value[f];
        json_t *value = conn_fields[f].type == FIELD_INT      ? json_integer(v->integer)
                        : conn_fields[f].type == FIELD_STRING ? json_string(v->string)
                                                              : json_boolean(v->boolean);
        json_object_set_new(out, conn_fields[f].name, value);
    }
    return out;
}
