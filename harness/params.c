/* params.c: validate a point's keys, convert units, and write them back.
 *
 * Each check names the key's dotted path and, through validator_where(), the
 * line and column of the value (or of the sweep element that supplied it). */
#include "params.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const params_top_keys[] = {"sysctls",     "server",    "client",
                                       "duration_ms", "sample_ms", NULL};

static const char *const server_keys[] = {
    "listen", "backlog", "rcvbuf", "sndbuf", "accept", "read", "close_listener_ms", "reply", NULL};
static const char *const client_keys[] = {"connections", "concurrency", "connect_timeout_ms",
                                          "sndbuf",      "rcvbuf",      "send",
                                          "receive",     "hold_ms",     NULL};
static const char *const send_keys[] = {"bytes", "chunk", NULL};
static const char *const accept_keys[] = {"start_ms", "every_ms", NULL};
static const char *const read_keys[] = {"start_ms", "bytes_per_sec", "chunk", NULL};

const char *json_type_phrase(const json_t *value)
{
    switch (json_typeof(value)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "a list";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
        return "an integer";
    case JSON_REAL:
        return "a number with a fraction";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    case JSON_NULL:
        return "null";
    }
    return "a value";
}

/* The parent of a key path: the part before its last '.' or '[' outside quotes. */
static size_t path_parent_length(const char *path)
{
    size_t last = 0;
    int quoted = 0;
    for (size_t i = 0; path[i]; i++) {
        if (path[i] == '\\' && quoted && path[i + 1]) {
            i++;
        } else if (path[i] == '"') {
            quoted = !quoted;
        } else if (!quoted && (path[i] == '.' || path[i] == '[')) {
            last = i;
        }
    }
    return last;
}

void validator_where(const struct validator *v, const char *path, int at_key, char *out,
                     size_t size)
{
    char lookup[1024];
    snprintf(lookup, sizeof lookup, "%s", path);
    for (size_t i = 0; i < v->override_count; i++) {
        const struct params_override *o = &v->overrides[i];
        size_t n = strlen(o->path);
        if (strncmp(path, o->path, n) == 0 &&
            (path[n] == '\0' || path[n] == '.' || path[n] == '[')) {
            snprintf(lookup, sizeof lookup, "%s%s", o->display_path, path + n);
            break;
        }
    }
    const struct json_location *loc = NULL;
    char probe[1024];
    snprintf(probe, sizeof probe, "%s", lookup);
    while (v->locations) {
        loc = json_locations_find(v->locations, probe);
        if (loc || !probe[0])
            break;
        probe[path_parent_length(probe)] = '\0';
        at_key = 0; /* a missing key: point at its parent's value */
    }
    if (loc && v->file)
        snprintf(out, size, "%s:%d:%d%s%s", v->file, at_key ? loc->key_line : loc->line,
                 at_key ? loc->key_column : loc->column, lookup[0] ? ": " : "", lookup);
    else
        snprintf(out, size, "%s%s%s", v->file ? v->file : "", v->file && lookup[0] ? ": " : "",
                 lookup);
}

static int validator_fail(struct validator *v, const char *path, int at_key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int validator_fail(struct validator *v, const char *path, int at_key, const char *fmt, ...)
{
    char where[sizeof v->err->where];
    va_list ap;
    validator_where(v, path, at_key, where, sizeof where);
    snprintf(v->err->where, sizeof v->err->where, "%s", where);
    va_start(ap, fmt);
    vsnprintf(v->err->what, sizeof v->err->what, fmt, ap);
    va_end(ap);
    return -EINVAL;
}

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return 99;
    size_t row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = diagonal + cost;
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diagonal = up;
        }
    }
    return row[lb];
}

int validator_known_keys(struct validator *v, json_t *obj, const char *path,
                         const char *const known[])
{
    const char *key;
    json_t *value;
    json_object_foreach(obj, key, value)
    {
        int found = 0;
        for (size_t i = 0; known[i]; i++)
            found |= strcmp(key, known[i]) == 0;
        if (found)
            continue;
        const char *best = NULL;
        size_t best_distance = 99;
        for (size_t i = 0; known[i]; i++) {
            size_t d = edit_distance(key, known[i]);
            if (d < best_distance) {
                best_distance = d;
                best = known[i];
            }
        }
        char child[1024], list[512] = "";
        json_path_key(child, sizeof child, path, key);
        for (size_t i = 0; known[i]; i++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "",
                     known[i]);
        size_t limit = strlen(key) / 3 > 2 ? strlen(key) / 3 : 2;
        if (best && best_distance <= limit)
            return validator_fail(v, child, 1, "unknown key; did you mean \"%s\"? (known here: %s)",
                                  best, list);
        return validator_fail(v, child, 1, "unknown key (known here: %s)", list);
    }
    return 0;
}

static int expect_object(struct validator *v, json_t *value, const char *path)
{
    if (json_is_object(value))
        return 0;
    return validator_fail(v, path, 0, "expected an object {...}, got %s", json_type_phrase(value));
}

static int get_int(struct validator *v, json_t *obj, const char *parent, const char *key,
                   long long min, long long max, long long fallback, long long *out)
{
    char path[1024];
    json_t *value = json_object_get(obj, key);
    json_path_key(path, sizeof path, parent, key);
    if (!value) {
        *out = fallback;
        return 0;
    }
    if (json_is_real(value)) {
        double d = json_real_value(value);
        if (d == (double)(long long)d)
            return validator_fail(v, path, 0,
                                  "expected an integer, got %g written with a "
                                  "fraction; write %lld",
                                  d, (long long)d);
        return validator_fail(v, path, 0, "expected an integer, got the number %g", d);
    }
    if (!json_is_integer(value)) {
        if (json_is_string(value))
            return validator_fail(v, path, 0,
                                  "expected an integer, got a string; write the "
                                  "number without quotes");
        return validator_fail(v, path, 0, "expected an integer, got %s", json_type_phrase(value));
    }
    long long n = json_integer_value(value);
    if (n < min || n > max)
        return validator_fail(v, path, 0, "must be between %lld and %lld, got %lld", min, max, n);
    *out = n;
    return 0;
}

static int get_bool(struct validator *v, json_t *obj, const char *parent, const char *key,
                    int fallback, int *out)
{
    char path[1024];
    json_t *value = json_object_get(obj, key);
    json_path_key(path, sizeof path, parent, key);
    if (!value) {
        *out = fallback;
        return 0;
    }
    if (!json_is_boolean(value))
        return validator_fail(v, path, 0, "expected true or false, got %s",
                              json_type_phrase(value));
    *out = json_is_true(value);
    return 0;
}

static int parse_accept(struct validator *v, json_t *value, const char *path,
                        struct accept_policy *out)
{
    long long start_ms, every_ms;
    if (!value)
        return 0;
    if (json_is_string(value)) {
        const char *s = json_string_value(value);
        if (strcmp(s, "never") == 0) {
            out->kind = ACCEPT_NEVER;
            return 0;
        }
        if (strcmp(s, "immediate") == 0) {
            out->kind = ACCEPT_IMMEDIATE;
            return 0;
        }
    } else if (json_is_object(value)) {
        int rc;
        if ((rc = validator_known_keys(v, value, path, accept_keys)) ||
            (rc = get_int(v, value, path, "start_ms", 0, PARAMS_MAX_DURATION_MS, 0, &start_ms)))
            return rc;
        if (!json_object_get(value, "every_ms"))
            return validator_fail(v, path, 0,
                                  "missing key \"every_ms\" (milliseconds between "
                                  "accepts), e.g. {\"start_ms\": 500, \"every_ms\": 100}");
        if ((rc = get_int(v, value, path, "every_ms", 1, PARAMS_MAX_DURATION_MS, 0, &every_ms)))
            return rc;
        out->kind = ACCEPT_PACED;
        out->start_us = start_ms * 1000;
        out->every_us = every_ms * 1000;
        return 0;
    }
    return validator_fail(v, path, 0,
                          "expected \"never\", \"immediate\" or "
                          "{\"start_ms\": ..., \"every_ms\": ...}, got %s%s%s%s",
                          json_type_phrase(value), json_is_string(value) ? " \"" : "",
                          json_is_string(value) ? json_string_value(value) : "",
                          json_is_string(value) ? "\"" : "");
}

static int parse_read(struct validator *v, json_t *value, const char *path, struct read_policy *out)
{
    long long start_ms, rate, chunk;
    if (!value)
        return 0;
    if (json_is_string(value)) {
        const char *s = json_string_value(value);
        if (strcmp(s, "never") == 0) {
            out->kind = READ_NEVER;
            return 0;
        }
        if (strcmp(s, "immediate") == 0) {
            out->kind = READ_IMMEDIATE;
            return 0;
        }
    } else if (json_is_object(value)) {
        int rc;
        if ((rc = validator_known_keys(v, value, path, read_keys)) ||
            (rc = get_int(v, value, path, "start_ms", 0, PARAMS_MAX_DURATION_MS, 0, &start_ms)))
            return rc;
        if (!json_object_get(value, "bytes_per_sec"))
            return validator_fail(v, path, 0,
                                  "missing key \"bytes_per_sec\" (the reader's "
                                  "speed), e.g. {\"start_ms\": 0, \"bytes_per_sec\": 65536, "
                                  "\"chunk\": 4096}");
        if ((rc = get_int(v, value, path, "bytes_per_sec", 1, PARAMS_MAX_SEND_BYTES, 0, &rate)) ||
            (rc = get_int(v, value, path, "chunk", 1, PARAMS_MAX_CHUNK, 4096, &chunk)))
            return rc;
        out->kind = READ_PACED;
        out->start_us = start_ms * 1000;
        out->bytes_per_sec = (uint64_t)rate;
        out->chunk = (uint64_t)chunk;
        return 0;
    }
    return validator_fail(
        v, path, 0,
        "expected \"never\", \"immediate\" or "
        "{\"start_ms\": ..., \"bytes_per_sec\": ..., \"chunk\": ...}, got %s%s%s%s",
        json_type_phrase(value), json_is_string(value) ? " \"" : "",
        json_is_string(value) ? json_string_value(value) : "", json_is_string(value) ? "\"" : "");
}

static int sysctl_name_ok(const char *name)
{
    if (strncmp(name, "net.", 4) != 0 || strlen(name) >= sizeof(((struct sysctl_setting *)0)->name))
        return 0;
    for (const char *p = name; *p; p++) {
        int ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' ||
                 *p == '-';
        if (!ok || (p[0] == '.' && (p[1] == '.' || p[1] == '\0')))
            return 0;
    }
    return 1;
}

static int parse_sysctls(struct validator *v, json_t *value, struct point_params *out)
{
    const char *name;
    json_t *setting;
    int rc;
    if (!value)
        return 0;
    if ((rc = expect_object(v, value, "sysctls")))
        return rc;
    if (json_object_size(value) > PARAMS_MAX_SYSCTLS)
        return validator_fail(v, "sysctls", 0, "at most %d sysctls, got %zu", PARAMS_MAX_SYSCTLS,
                              json_object_size(value));
    json_object_foreach(value, name, setting)
    {
        char path[1024];
        struct sysctl_setting *s = &out->sysctls[out->sysctl_count];
        json_path_key(path, sizeof path, "sysctls", name);
        if (!sysctl_name_ok(name))
            return validator_fail(v, path, 1,
                                  "not a network sysctl name: the harness writes only "
                                  "net.* sysctls, inside the run's own network namespace "
                                  "(e.g. \"net.core.somaxconn\")");
        snprintf(s->name, sizeof s->name, "%s", name);
        if (json_is_integer(setting)) {
            snprintf(s->value, sizeof s->value, "%" JSON_INTEGER_FORMAT,
                     json_integer_value(setting));
        } else if (json_is_string(setting)) {
            const char *text = json_string_value(setting);
            if (strlen(text) == 0 || strlen(text) >= sizeof s->value)
                return validator_fail(v, path, 0, "expected a value of 1 to %zu characters",
                                      sizeof s->value - 1);
            for (const char *p = text; *p; p++)
                if ((unsigned char)*p < 0x20 && *p != '\t')
                    return validator_fail(v, path, 0,
                                          "control characters are not allowed in a "
                                          "sysctl value");
            snprintf(s->value, sizeof s->value, "%s", text);
        } else {
            return validator_fail(v, path, 0,
                                  "expected an integer or a string such as "
                                  "\"4096 131072 6291456\", got %s",
                                  json_type_phrase(setting));
        }
        out->sysctl_count++;
    }
    return 0;
}

static int parse_server(struct validator *v, json_t *server, struct server_params *out)
{
    long long n;
    int rc;
    if (!server)
        return 0;
    if ((rc = expect_object(v, server, "server")) ||
        (rc = validator_known_keys(v, server, "server", server_keys)) ||
        (rc = get_bool(v, server, "server", "listen", out->listen, &out->listen)))
        return rc;
    if ((rc = get_int(v, server, "server", "backlog", INT32_MIN, INT32_MAX, out->backlog, &n)))
        return rc;
    out->backlog = (int)n;
    if ((rc = get_int(v, server, "server", "rcvbuf", 0, PARAMS_MAX_BUFFER, 0, &n)))
        return rc;
    out->rcvbuf = (uint64_t)n;
    if ((rc = get_int(v, server, "server", "sndbuf", 0, PARAMS_MAX_BUFFER, 0, &n)))
        return rc;
    out->sndbuf = (uint64_t)n;
    if ((rc = parse_accept(v, json_object_get(server, "accept"), "server.accept", &out->accept)) ||
        (rc = parse_read(v, json_object_get(server, "read"), "server.read", &out->read)))
        return rc;
    if ((rc =
             get_int(v, server, "server", "close_listener_ms", -1, PARAMS_MAX_DURATION_MS, -1, &n)))
        return rc;
    out->close_listener_us = n < 0 ? -1 : n * 1000;
    json_t *reply = json_object_get(server, "reply");
    if (reply) {
        if (!json_is_string(reply))
            return validator_fail(v, "server.reply", 0,
                                  "expected a string such as \"Hello!\", "
                                  "got %s",
                                  json_type_phrase(reply));
        if (json_string_length(reply) > PARAMS_MAX_REPLY)
            return validator_fail(v, "server.reply", 0, "at most %d bytes, got %zu",
                                  PARAMS_MAX_REPLY, json_string_length(reply));
        if (strlen(json_string_value(reply)) != json_string_length(reply))
            return validator_fail(v, "server.reply", 0, "must not contain NUL characters");
        snprintf(out->reply, sizeof out->reply, "%s", json_string_value(reply));
    }
    return 0;
}

static int parse_client(struct validator *v, json_t *client, struct client_params *out)
{
    long long n;
    int rc;
    if (!client)
        return 0;
    if ((rc = expect_object(v, client, "client")) ||
        (rc = validator_known_keys(v, client, "client", client_keys)))
        return rc;
    if ((rc = get_int(v, client, "client", "connections", 1, PARAMS_MAX_CONNECTIONS,
                      out->connections, &n)))
        return rc;
    out->connections = (uint32_t)n;
    if ((rc = get_int(v, client, "client", "concurrency", 1, PARAMS_MAX_CONNECTIONS,
                      out->connections, &n)))
        return rc;
    out->concurrency = (uint32_t)n;
    if (out->concurrency > out->connections)
        return validator_fail(v, "client.concurrency", 0,
                              "is %u but client.connections is only "
                              "%u; use at most %u",
                              out->concurrency, out->connections, out->connections);
    if ((rc = get_int(v, client, "client", "connect_timeout_ms", 0, PARAMS_MAX_DURATION_MS, 0, &n)))
        return rc;
    out->connect_timeout_us = n * 1000;
    if ((rc = get_int(v, client, "client", "sndbuf", 0, PARAMS_MAX_BUFFER, 0, &n)))
        return rc;
    out->sndbuf = (uint64_t)n;
    if ((rc = get_int(v, client, "client", "rcvbuf", 0, PARAMS_MAX_BUFFER, 0, &n)))
        return rc;
    out->rcvbuf = (uint64_t)n;
    json_t *send = json_object_get(client, "send");
    if (send) {
        if ((rc = expect_object(v, send, "client.send")) ||
            (rc = validator_known_keys(v, send, "client.send", send_keys)))
            return rc;
        if ((rc = get_int(v, send, "client.send", "bytes", 0, PARAMS_MAX_SEND_BYTES,
                          (long long)out->send_bytes, &n)))
            return rc;
        out->send_bytes = (uint64_t)n;
        if ((rc = get_int(v, send, "client.send", "chunk", 1, PARAMS_MAX_CHUNK,
                          (long long)out->send_chunk, &n)))
            return rc;
        out->send_chunk = (uint64_t)n;
    }
    if ((rc = get_bool(v, client, "client", "receive", out->receive, &out->receive)))
        return rc;
    if ((rc = get_int(v, client, "client", "hold_ms", -1, PARAMS_MAX_DURATION_MS, 0, &n)))
        return rc;
    out->hold_us = n < 0 ? -1 : n * 1000;
    return 0;
}

void params_defaults(struct point_params *params)
{
    memset(params, 0, sizeof *params);
    params->server.listen = 1;
    params->server.backlog = 128; /* what Python's listen() picks when given none */
    params->server.accept.kind = ACCEPT_IMMEDIATE;
    params->server.read.kind = READ_IMMEDIATE;
    params->server.read.chunk = 65536;
    params->server.close_listener_us = -1;
    params->client.connections = 1;
    params->client.concurrency = 1;
    params->client.send_chunk = 16384;
    params->duration_us = 10 * 1000000LL;
    params->sample_us = 10 * 1000;
}

int params_validate(struct validator *v, json_t *root, struct point_params *out)
{
    long long n;
    int rc;
    params_defaults(out);
    if ((rc = parse_sysctls(v, json_object_get(root, "sysctls"), out)) ||
        (rc = parse_server(v, json_object_get(root, "server"), &out->server)) ||
        (rc = parse_client(v, json_object_get(root, "client"), &out->client)))
        return rc;
    if (out->server.read.kind == READ_IMMEDIATE)
        out->server.read.chunk = out->server.read.chunk ? out->server.read.chunk : 65536;
    if ((rc = get_int(v, root, "", "duration_ms", 1, PARAMS_MAX_DURATION_MS, 10000, &n)))
        return rc;
    out->duration_us = n * 1000;
    if ((rc = get_int(v, root, "", "sample_ms", 0, 60000, 10, &n)))
        return rc;
    out->sample_us = n * 1000;
    return 0;
}

int params_from_json_text(const char *text, const char *source, struct point_params *out,
                          struct hl_error *err)
{
    json_error_t jerr;
    struct json_locations locations;
    struct validator v = {.file = source, .locations = &locations, .err = err};
    json_t *root = json_loads(text, 0, &jerr);
    int rc;
    if (!root)
        return hl_error_set(err, source, "line %d, column %d: %s", jerr.line, jerr.column,
                            jerr.text);
    if (!json_is_object(root)) {
        json_decref(root);
        return hl_error_set(err, source, "expected an object {...}");
    }
    if ((rc = json_locations_build(&locations, text, strlen(text), source, err))) {
        json_decref(root);
        return rc;
    }
    rc = validator_known_keys(&v, root, "", params_top_keys);
    if (!rc)
        rc = params_validate(&v, root, out);
    json_locations_free(&locations);
    json_decref(root);
    return rc;
}

static json_t *accept_to_json(const struct accept_policy *a)
{
    switch (a->kind) {
    case ACCEPT_NEVER:
        return json_string("never");
    case ACCEPT_IMMEDIATE:
        return json_string("immediate");
    case ACCEPT_PACED:
        break;
    }
    return json_pack("{s:I,s:I}", "start_ms", (json_int_t)(a->start_us / 1000), "every_ms",
                     (json_int_t)(a->every_us / 1000));
}

static json_t *read_to_json(const struct read_policy *r)
{
    switch (r->kind) {
    case READ_NEVER:
        return json_string("never");
    case READ_IMMEDIATE:
        return json_string("immediate");
    case READ_PACED:
        break;
    }
    return json_pack("{s:I,s:I,s:I}", "start_ms", (json_int_t)(r->start_us / 1000), "bytes_per_sec",
                     (json_int_t)r->bytes_per_sec, "chunk", (json_int_t)r->chunk);
}

static json_int_t ms_or_minus_one(int64_t us)
{
    return us < 0 ? -1 : (json_int_t)(us / 1000);
}

json_t *params_to_json(const struct point_params *p)
{
    json_t *sysctls = json_object();
    for (size_t i = 0; i < p->sysctl_count; i++) {
        char *end;
        long long n = strtoll(p->sysctls[i].value, &end, 10);
        json_object_set_new(sysctls, p->sysctls[i].name,
                            *end == '\0' && end != p->sysctls[i].value
                                ? json_integer(n)
                                : json_string(p->sysctls[i].value));
    }
    const struct server_params *s = &p->server;
    const struct client_params *c = &p->client;
    return json_pack(
        "{s:o, s:{s:b,s:i,s:I,s:I,s:o,s:o,s:I,s:s}, "
        "s:{s:i,s:i,s:I,s:I,s:I,s:{s:I,s:I},s:b,s:I}, s:I, s:I}",
        "sysctls", sysctls, "server", "listen", s->listen, "backlog", s->backlog, "rcvbuf",
        (json_int_t)s->rcvbuf, "sndbuf", (json_int_t)s->sndbuf, "accept",
        accept_to_json(&s->accept), "read", read_to_json(&s->read), "close_listener_ms",
        ms_or_minus_one(s->close_listener_us), "reply", s->reply, "client", "connections",
        (int)c->connections, "concurrency", (int)c->concurrency, "connect_timeout_ms",
        (json_int_t)(c->connect_timeout_us / 1000), "sndbuf", (json_int_t)c->sndbuf, "rcvbuf",
        (json_int_t)c->rcvbuf, "send", "bytes", (json_int_t)c->send_bytes, "chunk",
        (json_int_t)c->send_chunk, "receive", c->receive, "hold_ms", ms_or_minus_one(c->hold_us),
        "duration_ms", (json_int_t)(p->duration_us / 1000), "sample_ms",
        (json_int_t)(p->sample_us / 1000));
}
