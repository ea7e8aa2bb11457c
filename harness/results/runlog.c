/* runlog.c: see runlog.h. */
#include "runlog.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eventlines.h"
#include "linescan.h"

/* conn_intern_fn: the log keeps one copy of each string value. */
static const char *intern(void *pool, const char *text, size_t length)
{
    struct run_log *log = pool;
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

static int take_conn(struct run_log *log, const struct line_token *tokens, int count)
{
    struct conn_record *r = new_conn(log);
    return r ? conn_record_from_tokens(r, tokens, count, intern, log) : -ENOMEM;
}

static int take_server_conn(struct run_log *log, const struct line_token *tokens, int count)
{
    struct server_record *r = new_server_conn(log);
    if (!r)
        return -ENOMEM;
    server_record_from_tokens(r, tokens, count);
    return 0;
}

/* A parsed object's members as tokens (as line_scan would give them), its
 * nested values (and any beyond the tokens' room) in *nested. */
static int tokens_of_object(json_t *object, struct line_token *tokens, json_t **nested)
{
    const char *key;
    json_t *value;
    int count = 0;
    *nested = NULL;
    json_object_foreach(object, key, value)
    {
        struct line_token t = {.key = key, .key_length = strlen(key)};
        if (json_is_integer(value)) {
            t.type = LINE_TOKEN_INT;
            t.integer = json_integer_value(value);
        } else if (json_is_string(value)) {
            t.type = LINE_TOKEN_STRING;
            t.text = json_string_value(value);
            t.length = json_string_length(value);
        } else if (json_is_true(value) || json_is_false(value)) {
            t.type = json_is_true(value) ? LINE_TOKEN_TRUE : LINE_TOKEN_FALSE;
        } else if (json_is_null(value)) {
            t.type = LINE_TOKEN_NULL;
        } else {
            if (!*nested)
                *nested = json_object();
            json_object_set(*nested, key, value);
            continue;
        }
        if (count == LINE_SCAN_MAX_TOKENS) {
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
static const struct line_token *kind_of(const struct line_token *tokens, int count)
{
    for (int i = 0; i < count; i++)
        if (line_token_key_is(&tokens[i], "event"))
            return tokens[i].type == LINE_TOKEN_STRING ? &tokens[i] : NULL;
    return NULL;
}

#define kind_is(t, kind) ((t) && line_token_text_is(t, kind))

/* Takes one parsed event (a reference is taken over). */
static int take_event(struct run_log *log, json_t *event)
{
    struct line_token tokens[LINE_SCAN_MAX_TOKENS];
    json_t *nested = NULL;
    int rc = 0;
    const char *kind = json_string_value(json_object_get(event, "event"));
    if (!json_is_object(event) || !kind ||
        (strcmp(kind, "conn") && strcmp(kind, "server_conn") && strcmp(kind, "accept"))) {
        return json_array_append_new(log->events, event) ? -ENOMEM : 0;
    }
    int count = tokens_of_object(event, tokens, &nested);
    if (strcmp(kind, "conn") == 0) {
        rc = take_conn(log, tokens, count);
        if (rc == 0 && nested)
            conn_record_add_extra(&log->conns[log->conn_count - 1], nested);
    } else if (strcmp(kind, "server_conn") == 0) {
        rc = take_server_conn(log, tokens, count);
    }
    json_decref(nested);
    json_decref(event);
    return rc;
}

/* event_line_fn: one line of a log into log (data). */
static int take_line(void *data, const char *line, size_t length, json_error_t *jerr)
{
    struct run_log *log = data;
    static const char accept_prefix[] = "{\"event\":\"accept\",";
    struct line_token tokens[LINE_SCAN_MAX_TOKENS];
    /* the server's own accept lines, a third of a log, need no scan */
    if (length > sizeof accept_prefix && memcmp(line, accept_prefix, sizeof accept_prefix - 1) == 0)
        return 0;
    int count = line_scan(line, length, tokens);
    if (count >= 0) {
        const struct line_token *kind = kind_of(tokens, count);
        if (kind_is(kind, "accept"))
            return 0;
        if (kind_is(kind, "conn"))
            return take_conn(log, tokens, count);
        if (kind_is(kind, "server_conn"))
            return take_server_conn(log, tokens, count);
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
    if (run_log_init(log))
        return hl_error_setn(err, ENOMEM, path, "out of memory");
    int rc = event_lines_read(path, take_line, log, err);
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
