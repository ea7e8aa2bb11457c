/* runlog.c: see runlog.h. */
#include "runlog.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
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
    [CONN_RESET] = FIELD("reset", FIELD_BOOL),
    [CONN_SERVER_EOF_US] = FIELD("server_eof_us", FIELD_INT),
    [CONN_SERVER_SAW_RESET] = FIELD("server_saw_reset", FIELD_BOOL),
    [CONN_SNDBUF] = FIELD("sndbuf", FIELD_INT),
    [CONN_START_US] = FIELD("start_us", FIELD_INT),
    [CONN_TIMEOUT_BY] = FIELD("timeout_by", FIELD_STRING),
};

/* ---- the scanner: one flat object per line ---- */

enum token_type { TOKEN_INT, TOKEN_STRING, TOKEN_TRUE, TOKEN_FALSE, TOKEN_NULL };

struct token {
    const char *key;
    size_t key_length;
    enum token_type type;
    int64_t integer;
    const char *text; /* a string's bytes, unquoted (no escapes) */
    size_t length;
};

#define MAX_TOKENS 64

static const char *skip_space(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

/* A string of printable ASCII without escapes; NULL for anything else
 * (jansson then reads the line, and checks UTF-8 and escapes itself). */
static const char *scan_string(const char *p, const char *end, const char **text, size_t *length)
{
    if (p >= end || *p != '"')
        return NULL;
    const char *start = ++p;
    while (p < end && *p != '"') {
        unsigned char ch = (unsigned char)*p;
        if (ch < 0x20 || ch >= 0x80 || ch == '\\')
            return NULL;
        p++;
    }
    if (p >= end)
        return NULL;
    *text = start;
    *length = (size_t)(p - start);
    return p + 1;
}

/* An integer as JSON writes one (no leading zero, no fraction or
 * exponent), within int64_t. */
static const char *scan_integer(const char *p, const char *end, int64_t *out)
{
    int negative = 0;
    uint64_t magnitude = 0, limit = (uint64_t)INT64_MAX;
    if (p < end && *p == '-') {
        negative = 1;
        limit++;
        p++;
    }
    const char *digits = p;
    while (p < end && *p >= '0' && *p <= '9') {
        uint64_t digit = (uint64_t)(*p - '0');
        if (magnitude > (limit - digit) / 10)
            return NULL;
        magnitude = magnitude * 10 + digit;
        p++;
    }
    if (p == digits || (*digits == '0' && p - digits > 1))
        return NULL;
    if (p < end && (*p == '.' || *p == 'e' || *p == 'E'))
        return NULL;
    *out = negative ? (int64_t)(0 - magnitude) : (int64_t)magnitude;
    return p;
}

static const char *scan_word(const char *p, const char *end, const char *word)
{
    size_t n = strlen(word);
    return (size_t)(end - p) >= n && memcmp(p, word, n) == 0 ? p + n : NULL;
}

/* Reads {"key": value, ...} with plain values into tokens. Returns how
 * many, or -1 when the line is anything else. */
static int scan_line(const char *p, size_t length, struct token *tokens)
{
    const char *end = p + length;
    int count = 0;
    p = skip_space(p, end);
    if (p >= end || *p++ != '{')
        return -1;
    p = skip_space(p, end);
    if (p < end && *p == '}')
        return skip_space(p + 1, end) == end ? 0 : -1;
    for (;;) {
        if (count == MAX_TOKENS)
            return -1;
        struct token *t = &tokens[count++];
        if (!(p = scan_string(p, end, &t->key, &t->key_length)))
            return -1;
        p = skip_space(p, end);
        if (p >= end || *p++ != ':')
            return -1;
        p = skip_space(p, end);
        if (p >= end)
            return -1;
        if (*p == '"') {
            t->type = TOKEN_STRING;
            p = scan_string(p, end, &t->text, &t->length);
        } else if (*p == 't') {
            t->type = TOKEN_TRUE;
            p = scan_word(p, end, "true");
        } else if (*p == 'f') {
            t->type = TOKEN_FALSE;
            p = scan_word(p, end, "false");
        } else if (*p == 'n') {
            t->type = TOKEN_NULL;
            p = scan_word(p, end, "null");
        } else {
            t->type = TOKEN_INT;
            p = scan_integer(p, end, &t->integer);
        }
        if (!p)
            return -1;
        p = skip_space(p, end);
        if (p < end && *p == ',') {
            p = skip_space(p + 1, end);
            continue;
        }
        if (p < end && *p == '}')
            return skip_space(p + 1, end) == end ? count : -1;
        return -1;
    }
}

/* a token's key is the string literal word */
#define token_is(t, word)                                                                          \
    ((t)->key_length == sizeof word - 1 && memcmp((t)->key, word, sizeof word - 1) == 0)

/* ---- records ---- */

static const char *intern(struct run_log *log, const char *text, size_t length)
{
    for (size_t i = 0; i < log->string_count; i++)
        if (strlen(log->strings[i]) == length && memcmp(log->strings[i], text, length) == 0)
            return log->strings[i];
    if (log->string_count == log->string_capacity) {
        size_t capacity = log->string_capacity ? 2 * log->string_capacity : 16;
        char **grown = realloc(log->strings, capacity * sizeof *grown);
        if (!grown)
            return NULL;
        log->strings = grown;
        log->string_capacity = capacity;
    }
    char *copy = strndup(text, length);
    if (copy)
        log->strings[log->string_count++] = copy;
    return copy;
}

static int conn_field_of(const char *key, size_t length)
{
    for (int f = 0; f < CONN_FIELDS; f++)
        if (conn_fields[f].length == length && memcmp(conn_fields[f].name, key, length) == 0)
            return f;
    return -1;
}

static struct conn_record *new_conn(struct run_log *log)
{
    if (log->conn_count == log->conn_capacity) {
        size_t capacity = log->conn_capacity ? 2 * log->conn_capacity : 64;
        struct conn_record *grown = realloc(log->conns, capacity * sizeof *grown);
        if (!grown)
            return NULL;
        log->conns = grown;
        log->conn_capacity = capacity;
    }
    struct conn_record *r = &log->conns[log->conn_count++];
    memset(r, 0, sizeof *r);
    return r;
}

static struct server_record *new_server_conn(struct run_log *log)
{
    if (log->server_conn_count == log->server_conn_capacity) {
        size_t capacity = log->server_conn_capacity ? 2 * log->server_conn_capacity : 64;
        struct server_record *grown = realloc(log->server_conns, capacity * sizeof *grown);
        if (!grown)
            return NULL;
        log->server_conns = grown;
        log->server_conn_capacity = capacity;
    }
    struct server_record *r = &log->server_conns[log->server_conn_count++];
    memset(r, 0, sizeof *r);
    return r;
}

/* A client "conn" line from its tokens; a token of another type than its
 * field's becomes an extra field, as JSON. */
static int conn_from_tokens(struct run_log *log, const struct token *tokens, int count)
{
    struct conn_record *r = new_conn(log);
    if (!r)
        return -ENOMEM;
    for (int i = 0; i < count; i++) {
        const struct token *t = &tokens[i];
        if (token_is(t, "event"))
            continue;
        int f = conn_field_of(t->key, t->key_length);
        enum field_type type = f < 0 ? FIELD_INT : conn_fields[f].type;
        if (f >= 0 && type == FIELD_INT && t->type == TOKEN_INT) {
            r->value[f].integer = t->integer;
        } else if (f >= 0 && type == FIELD_STRING && t->type == TOKEN_STRING) {
            if (!(r->value[f].string = intern(log, t->text, t->length)))
                return -ENOMEM;
        } else if (f >= 0 && type == FIELD_BOOL &&
                   (t->type == TOKEN_TRUE || t->type == TOKEN_FALSE)) {
            r->value[f].boolean = t->type == TOKEN_TRUE;
        } else {
            json_t *v = t->type == TOKEN_INT      ? json_integer(t->integer)
                        : t->type == TOKEN_STRING ? json_stringn(t->text, t->length)
                        : t->type == TOKEN_TRUE   ? json_true()
                        : t->type == TOKEN_FALSE  ? json_false()
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

static int server_from_tokens(struct run_log *log, const struct token *tokens, int count)
{
    struct server_record *r = new_server_conn(log);
    if (!r)
        return -ENOMEM;
    for (int i = 0; i < count; i++) {
        const struct token *t = &tokens[i];
        int64_t value = t->type == TOKEN_INT ? t->integer : 0;
        unsigned integer = t->type == TOKEN_INT;
        if (token_is(t, "conn")) {
            r->conn = value;
        } else if (token_is(t, "peer_port")) {
            r->peer_port = value;
        } else if (token_is(t, "accepted_us")) {
            r->accepted_us = value;
            r->has_accepted_us = integer;
        } else if (token_is(t, "bytes_read")) {
            r->bytes_read = value;
            r->has_bytes_read = integer;
        } else if (token_is(t, "eof_us")) {
            r->eof_us = value;
            r->has_eof_us = integer;
        } else if (token_is(t, "reset")) {
            r->reset = 1; /* there at all: the server writes it only when true */
        }
    }
    return 0;
}

/* The same from a parsed object: its members as tokens, nested values as
 * extra fields of a connection. */
static int tokens_of_object(json_t *object, struct token *tokens, json_t **nested)
{
    const char *key;
    json_t *value;
    int count = 0;
    *nested = NULL;
    json_object_foreach(object, key, value)
    {
        struct token t = {.key = key, .key_length = strlen(key)};
        if (json_is_integer(value)) {
            t.type = TOKEN_INT;
            t.integer = json_integer_value(value);
        } else if (json_is_string(value)) {
            t.type = TOKEN_STRING;
            t.text = json_string_value(value);
            t.length = json_string_length(value);
        } else if (json_is_true(value) || json_is_false(value)) {
            t.type = json_is_true(value) ? TOKEN_TRUE : TOKEN_FALSE;
        } else if (json_is_null(value)) {
            t.type = TOKEN_NULL;
        } else {
            if (!*nested)
                *nested = json_object();
            json_object_set(*nested, key, value);
            continue;
        }
        if (count == MAX_TOKENS) {
            if (!*nested)
                *nested = json_object();
            json_object_set(*nested, key, value);
            continue;
        }
        tokens[count++] = t;
    }
    return count;
}

/* The "event" token, or NULL. */
static const struct token *kind_of(const struct token *tokens, int count)
{
    for (int i = 0; i < count; i++)
        if (token_is(&tokens[i], "event"))
            return tokens[i].type == TOKEN_STRING ? &tokens[i] : NULL;
    return NULL;
}

#define kind_is(t, kind)                                                                           \
    ((t) && (t)->length == sizeof kind - 1 && memcmp((t)->text, kind, sizeof kind - 1) == 0)

/* Takes one parsed event (a reference is taken over). */
static int take_event(struct run_log *log, json_t *event)
{
    struct token tokens[MAX_TOKENS];
    json_t *nested = NULL;
    int rc = 0;
    const char *kind = json_string_value(json_object_get(event, "event"));
    if (!json_is_object(event) || !kind ||
        (strcmp(kind, "conn") && strcmp(kind, "server_conn") && strcmp(kind, "accept"))) {
        return json_array_append_new(log->events, event) ? -ENOMEM : 0;
    }
    int count = tokens_of_object(event, tokens, &nested);
    if (strcmp(kind, "conn") == 0) {
        rc = conn_from_tokens(log, tokens, count);
        if (rc == 0 && nested) {
            struct conn_record *r = &log->conns[log->conn_count - 1];
            const char *key;
            json_t *value;
            if (!r->extra)
                r->extra = json_object();
            json_object_foreach(nested, key, value)
            {
                int f = conn_field_of(key, strlen(key));
                if (f >= 0)
                    r->present &= ~(1u << f);
                json_object_set(r->extra, key, value);
            }
        }
    } else if (strcmp(kind, "server_conn") == 0) {
        rc = server_from_tokens(log, tokens, count);
    }
    json_decref(nested);
    json_decref(event);
    return rc;
}

static int take_line(struct run_log *log, const char *line, size_t length, json_error_t *jerr)
{
    static const char accept_prefix[] = "{\"event\":\"accept\",";
    struct token tokens[MAX_TOKENS];
    /* the server's own accept lines, a third of a log, need no scan */
    if (length > sizeof accept_prefix && memcmp(line, accept_prefix, sizeof accept_prefix - 1) == 0)
        return 0;
    int count = scan_line(line, length, tokens);
    if (count >= 0) {
        const struct token *kind = kind_of(tokens, count);
        if (kind_is(kind, "accept"))
            return 0;
        if (kind_is(kind, "conn"))
            return conn_from_tokens(log, tokens, count);
        if (kind_is(kind, "server_conn"))
            return server_from_tokens(log, tokens, count);
    }
    json_t *event = json_loadb(line, length, 0, jerr);
    if (!event)
        return -EINVAL;
    return take_event(log, event);
}

static int run_log_init(struct run_log *log)
{
    memset(log, 0, sizeof *log);
    log->events = json_array();
    return log->events ? 0 : -ENOMEM;
}

int run_log_read(const char *path, struct run_log *log, struct hl_error *err)
{
    char *line = NULL;
    size_t capacity = 0, number = 0;
    ssize_t length;
    if (run_log_init(log))
        return hl_error_setn(err, ENOMEM, path, "out of memory");
    FILE *f = fopen(path, "re");
    if (!f)
        return hl_error_setn(err, errno, path, "cannot read the event log: %s", strerror(errno));
    int rc = 0;
    while (rc == 0 && (length = getline(&line, &capacity, f)) > 0) {
        json_error_t jerr;
        number++;
        rc = take_line(log, line, (size_t)length, &jerr);
        if (rc == -EINVAL) {
            char where[512];
            snprintf(where, sizeof where, "%s:%zu", path, number);
            hl_error_set(err, where, "a broken event line: %s", jerr.text);
        } else if (rc) {
            hl_error_setn(err, -rc, path, "reading the event log: %s", strerror(-rc));
        }
    }
    free(line);
    fclose(f);
    if (rc)
        run_log_free(log);
    return rc;
}

int run_log_from_events(const json_t *events, struct run_log *log)
{
    size_t i;
    json_t *event;
    int rc = run_log_init(log);
    json_array_foreach(events, i, event)
    {
        if (rc == 0)
            rc = take_event(log, json_incref(event));
    }
    if (rc)
        run_log_free(log);
    return rc;
}

void run_log_free(struct run_log *log)
{
    for (size_t i = 0; i < log->conn_count; i++)
        json_decref(log->conns[i].extra);
    free(log->conns);
    free(log->server_conns);
    json_decref(log->events);
    for (size_t i = 0; i < log->string_count; i++)
        free(log->strings[i]);
    free(log->strings);
    memset(log, 0, sizeof *log);
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
