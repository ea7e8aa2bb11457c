/* params.c: validate a point's keys, convert units, and write them back.
 *
 * Each check names the key's dotted path and, through validator_where(), the
 * line and column of the value (or of the sweep element that supplied it). */
#include "params.h"
#include "suggest.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const params_top_keys[] = {"sysctls",   "server",   "client", "duration_ms",
                                       "sample_ms", "topology", "link",   NULL};

static const char *const server_keys[] = {
    "listen", "backlog",           "rcvbuf", "sndbuf",  "accept",
    "read",   "close_listener_ms", "reply",  "sysctls", NULL};
static const char *const client_keys[] = {
    "connections", "concurrency", "connect_timeout_ms", "sndbuf",  "rcvbuf", "send", "receive",
    "hold_ms",     "mode",        "block_threshold_us", "sysctls", NULL};
static const char *const link_keys[] = {"delay_ms", "rate_mbit", "loss", NULL};
static const char *const topology_words[] = {"loopback", "veth", NULL};
static const char *const send_keys[] = {"bytes", "chunk", "retry_ms", NULL};
static const char *const accept_keys[] = {"start_ms", "every_ms", NULL};
static const char *const read_keys[] = {"start_ms", "bytes_per_sec", "chunk", NULL};
static const char *const policy_words[] = {"never", "immediate", NULL};
static const char *const mode_words[] = {"nonblocking", "blocking", NULL};

/* Where each key lives, to tell a user who put one at the wrong level. */
struct key_group {
    const char *parent;
    const char *const *keys;
};
static const struct key_group key_groups[] = {
    {"", params_top_keys},      {"server", server_keys},        {"client", client_keys},
    {"client.send", send_keys}, {"server.accept", accept_keys}, {"server.read", read_keys},
    {"link", link_keys},
};

const char *const *params_known_keys(const char *parent)
{
    for (size_t g = 0; g < sizeof key_groups / sizeof key_groups[0]; g++)
        if (strcmp(key_groups[g].parent, parent) == 0)
            return key_groups[g].keys;
    return NULL;
}

const char *const *params_policy_words(void)
{
    return policy_words;
}

const char *const *params_topology_words(void)
{
    return topology_words;
}

int params_link_shaped(const struct point_params *p)
{
    return p->link.delay_us > 0 || p->link.rate_mbit > 0 || p->link.loss_percent > 0;
}

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

/* The path as the file spells it (a swept path becomes the sweep element
 * that supplied it) and the nearest recorded place: *exact tells whether
 * that place is the path's own or a parent's. */
static const struct json_location *validator_locate(const struct validator *v, const char *path,
                                                    char *display, size_t size, int *exact)
{
    snprintf(display, size, "%s", path);
    for (size_t i = 0; i < v->override_count; i++) {
        const struct params_override *o = &v->overrides[i];
        size_t n = strlen(o->path);
        if (strncmp(path, o->path, n) == 0 &&
            (path[n] == '\0' || path[n] == '.' || path[n] == '[')) {
            snprintf(display, size, "%s%s", o->display_path, path + n);
            break;
        }
    }
    const struct json_location *loc = NULL;
    char probe[1024];
    snprintf(probe, sizeof probe, "%s", display);
    *exact = 1;
    while (v->locations) {
        loc = json_locations_find(v->locations, probe);
        if (loc || !probe[0])
            break;
        probe[path_parent_length(probe)] = '\0';
        *exact = 0;
    }
    if (!loc)
        *exact = 0;
    return loc;
}

void validator_where(const struct validator *v, const char *path, int at_key, char *out,
                     size_t size)
{
    char display[1024];
    int exact;
    const struct json_location *loc = validator_locate(v, path, display, sizeof display, &exact);
    if (!exact)
        at_key = 0; /* a missing key: point at its parent's value */
    if (loc && v->file)
        snprintf(out, size, "%s:%d:%d%s%s", v->file, at_key ? loc->key_line : loc->line,
                 at_key ? loc->key_column : loc->column, display[0] ? ": " : "", display);
    else
        snprintf(out, size, "%s%s%s", v->file ? v->file : "", v->file && display[0] ? ": " : "",
                 display);
}

int validator_error(struct validator *v, const char *path, int at_key, const char *fmt, ...)
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

const char *validator_value_text(const struct validator *v, const char *path, const json_t *value,
                                 char *out, size_t size)
{
    char display[1024];
    int exact;
    const struct json_location *loc = validator_locate(v, path, display, sizeof display, &exact);
    if (exact && loc && v->locations->text)
        return json_locations_source(v->locations, loc, out, size);
    /* not in the file (a value the harness made): show it as JSON */
    char *text = json_dumps(value, JSON_ENCODE_ANY | JSON_COMPACT);
    snprintf(out, size, "%s", text ? text : "?");
    if (text && strlen(text) >= size && size > 4)
        memcpy(out + size - 4, "...", 4);
    free(text);
    return out;
}

const char *validator_describe(const struct validator *v, const char *path, const json_t *value,
                               char *out, size_t size)
{
    char text[80];
    if (json_is_object(value) || json_is_array(value)) {
        snprintf(out, size, "%s", json_type_phrase(value));
        return out;
    }
    validator_value_text(v, path, value, text, sizeof text);
    snprintf(out, size, "%s%s", json_is_string(value) ? "the string " : "", text);
    return out;
}

/* "in server or in client (server.sndbuf, client.sndbuf)" when key is known
 * in objects other than path's; "" when it is not. */
static void key_homes(const struct validator *v, const char *path, const char *key, char *out,
                      size_t size)
{
    char places[256] = "", paths[512] = "", seen_paths[8][64];
    int found = 0;
    size_t group_count = sizeof key_groups / sizeof key_groups[0];
    for (size_t g = 0; g <= group_count; g++) {
        const char *parent = g < group_count ? key_groups[g].parent : "";
        const char *const *keys = g < group_count ? key_groups[g].keys : v->top_keys;
        if (!keys || strcmp(parent, path) == 0)
            continue;
        for (size_t i = 0; keys[i]; i++) {
            if (strcasecmp(keys[i], key) != 0)
                continue;
            char full[256];
            json_path_key(full, sizeof full, parent, keys[i]);
            int seen = 0;
            for (int f = 0; f < found && f < 8; f++)
                seen |= strcmp(seen_paths[f], full) == 0;
            if (seen || found >= 8)
                continue; /* a top-level key is in params' list and the scenario's */
            snprintf(seen_paths[found], sizeof seen_paths[found], "%s", full);
            size_t used = strlen(places);
            snprintf(places + used, sizeof places - used, "%s%s%s", found ? " or " : "",
                     parent[0] ? "in " : "at the top level", parent);
            used = strlen(paths);
            snprintf(paths + used, sizeof paths - used, "%s%s", found ? ", " : "", full);
            found++;
        }
    }
    out[0] = '\0';
    if (found)
        snprintf(out, size, "%s (%s)", places, paths);
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
        char child[1024], list[512] = "", homes[512];
        json_path_key(child, sizeof child, path, key);
        for (size_t i = 0; known[i]; i++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "",
                     known[i]);
        key_homes(v, path, key, homes, sizeof homes);
        if (homes[0])
            return validator_error(v, child, 1, "unknown key here; it belongs %s", homes);
        const char *best = suggest_word(key, known);
        if (best)
            return validator_error(
                v, child, 1, "unknown key; did you mean \"%s\"? (known here: %s)", best, list);
        return validator_error(v, child, 1, "unknown key (known here: %s)", list);
    }
    return 0;
}

static int expect_object(struct validator *v, json_t *value, const char *path, const char *example)
{
    char got[96];
    if (json_is_object(value))
        return 0;
    validator_describe(v, path, value, got, sizeof got);
    if (json_is_array(value) && json_array_size(value) == 1 &&
        json_is_object(json_array_get(value, 0)))
        return validator_error(v, path, 0,
                               "expected an object such as %s, got a list holding one; "
                               "remove the [ ] around it",
                               example);
    return validator_error(v, path, 0, "expected an object such as %s, got %s", example, got);
}

/* A string that holds a plain integer ("4096", "-1"): written in quotes by mistake. */
static int string_is_integer(const char *s)
{
    if (*s == '-')
        s++;
    if (!*s)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

/* A size or a time written with its unit ("4 KiB", "1.5 s", "64 KiB/s"), in
 * the unit of the key (bytes, or milliseconds for a *_ms key): 0 and *value,
 * or -1 when text is no such thing. */
static int string_with_unit(const char *text, const char *key, long long *value, const char **unit)
{
    static const struct {
        const char *word;
        double factor;
        int time; /* a unit of time, for *_ms keys; else of size */
    } units[] = {
        {"ms", 1, 1},         {"s", 1000, 1},        {"sec", 1000, 1},       {"secs", 1000, 1},
        {"second", 1000, 1},  {"seconds", 1000, 1},  {"min", 60000, 1},      {"b", 1, 0},
        {"byte", 1, 0},       {"bytes", 1, 0},       {"k", 1024, 0},         {"kb", 1024, 0},
        {"kib", 1024, 0},     {"m", 1048576, 0},     {"mb", 1048576, 0},     {"mib", 1048576, 0},
        {"g", 1073741824, 0}, {"gb", 1073741824, 0}, {"gib", 1073741824, 0},
    };
    size_t length = strlen(key);
    int time = length > 3 && strcmp(key + length - 3, "_ms") == 0;
    int size = strstr(key, "buf") || strcmp(key, "bytes") == 0 || strcmp(key, "chunk") == 0 ||
               strcmp(key, "bytes_per_sec") == 0;
    char *end, word[16];
    if (!time && !size)
        return -1;
    double number = strtod(text, &end);
    if (end == text || !(number >= 0 && number <= 1e15)) /* NaN too */
        return -1;
    while (*end == ' ')
        end++;
    size_t n = 0;
    while (end[n] && end[n] != ' ' && end[n] != '/' && n + 1 < sizeof word) {
        word[n] = (char)(end[n] >= 'A' && end[n] <= 'Z' ? end[n] - 'A' + 'a' : end[n]);
        n++;
    }
    word[n] = '\0';
    end += n;
    /* a rate: "64 KiB/s" */
    if (strcmp(key, "bytes_per_sec") == 0 &&
        (strcasecmp(end, "/s") == 0 || strcasecmp(end, "/sec") == 0))
        end += strlen(end);
    if (*end || n == 0)
        return -1;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcmp(word, units[i].word) != 0 || units[i].time != time)
            continue;
        double result = number * units[i].factor;
        if (result > 9e18 || result != (double)(long long)result)
            return -1;
        *value = (long long)result;
        *unit = time ? "milliseconds" : "bytes";
        return 0;
    }
    return -1;
}

int validator_get_int(struct validator *v, json_t *obj, const char *parent, const char *key,
                      long long min, long long max, long long fallback, const char *hint,
                      long long *out)
{
    char path[1024], text[64], got[96], range[256];
    json_t *value = json_object_get(obj, key);
    json_path_key(path, sizeof path, parent, key);
    if (!value) {
        *out = fallback;
        return 0;
    }
    validator_value_text(v, path, value, text, sizeof text);
    validator_describe(v, path, value, got, sizeof got);
    if (json_is_real(value)) {
        double d = json_real_value(value);
        /* the cast is defined only in range: 2^63 is exact as a double */
        if (d > -9223372036854775808.0 && d < 9223372036854775808.0 && d == (double)(long long)d)
            return validator_error(v, path, 0, "expected an integer, got %s; write %lld", text,
                                   (long long)d);
        return validator_error(v, path, 0, "expected an integer (a whole number), got %s", text);
    }
    if (json_is_string(value)) {
        long long n;
        const char *unit;
        if (string_is_integer(json_string_value(value)))
            return validator_error(v, path, 0,
                                   "expected an integer, got a string; write the number "
                                   "without quotes");
        if (string_with_unit(json_string_value(value), key, &n, &unit) == 0)
            return validator_error(v, path, 0,
                                   "expected an integer, got %s; write %lld (%s, without "
                                   "quotes or a unit)",
                                   got, n, unit);
    }
    if (json_is_null(value))
        return validator_error(v, path, 0,
                               "expected an integer, got null; leave the key out to use the "
                               "default (%lld)",
                               fallback);
    if (!json_is_integer(value))
        return validator_error(v, path, 0, "expected an integer, got %s", got);
    long long n = json_integer_value(value);
    if (n < min || n > max) {
        snprintf(range, sizeof range, "expected an integer from %lld to %lld%s%s%s", min, max,
                 hint ? " (" : "", hint ? hint : "", hint ? ")" : "");
        return validator_error(v, path, 0, "%s, got %s", range, text);
    }
    *out = n;
    return 0;
}

static int get_bool(struct validator *v, json_t *obj, const char *parent, const char *key,
                    int fallback, int *out)
{
    char path[1024], text[96];
    json_t *value = json_object_get(obj, key);
    json_path_key(path, sizeof path, parent, key);
    if (!value) {
        *out = fallback;
        return 0;
    }
    if (json_is_boolean(value)) {
        *out = json_is_true(value);
        return 0;
    }
    validator_describe(v, path, value, text, sizeof text);
    if (json_is_null(value))
        return validator_error(v, path, 0,
                               "expected true or false, got null; leave the key out to use "
                               "the default (%s)",
                               fallback ? "true" : "false");
    if (json_is_integer(value) &&
        (json_integer_value(value) == 0 || json_integer_value(value) == 1))
        return validator_error(v, path, 0, "expected true or false, got %s; write %s", text,
                               json_integer_value(value) ? "true" : "false");
    if (json_is_string(value) && (strcasecmp(json_string_value(value), "true") == 0 ||
                                  strcasecmp(json_string_value(value), "false") == 0))
        return validator_error(
            v, path, 0, "expected true or false, got %s; write %s without quotes", text,
            strcasecmp(json_string_value(value), "true") == 0 ? "true" : "false");
    return validator_error(v, path, 0, "expected true or false, got %s", text);
}

/* The part of a policy message after "got ...": a hint for a word that is
 * almost right or a number that was meant as a rate. */
static int policy_error(struct validator *v, const char *path, json_t *value, const char *expected,
                        const char *number_hint)
{
    char text[96];
    const char *best =
        json_is_string(value) ? suggest_word(json_string_value(value), policy_words) : NULL;
    validator_describe(v, path, value, text, sizeof text);
    if (best)
        return validator_error(v, path, 0, "expected %s, got %s; did you mean \"%s\"?", expected,
                               text, best);
    if (json_is_integer(value) && json_integer_value(value) > 0)
        return validator_error(v, path, 0, "expected %s, got %s; %s", expected, text, number_hint);
    if (json_is_boolean(value))
        return validator_error(v, path, 0, "expected %s, got %s; write \"%s\"", expected, text,
                               json_is_true(value) ? "immediate" : "never");
    if (json_is_null(value))
        return validator_error(v, path, 0,
                               "expected %s, got null; leave the key out to use the default "
                               "(\"immediate\")",
                               expected);
    return validator_error(v, path, 0, "expected %s, got %s", expected, text);
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
            (rc = validator_get_int(v, value, path, "start_ms", 0, PARAMS_MAX_DURATION_MS, 0,
                                    "milliseconds before the first accept", &start_ms)))
            return rc;
        if (!json_object_get(value, "every_ms"))
            return validator_error(v, path, 0,
                                   "missing key \"every_ms\" (milliseconds between "
                                   "accepts), e.g. {\"start_ms\": 500, \"every_ms\": 100}");
        if ((rc = validator_get_int(v, value, path, "every_ms", 1, PARAMS_MAX_DURATION_MS, 0,
                                    "milliseconds between accepts", &every_ms)))
            return rc;
        out->kind = ACCEPT_PACED;
        out->start_us = start_ms * 1000;
        out->every_us = every_ms * 1000;
        return 0;
    }
    char hint[128];
    snprintf(hint, sizeof hint,
             "to accept one every %" JSON_INTEGER_FORMAT
             " ms write {\"every_ms\": %" JSON_INTEGER_FORMAT "}",
             json_integer_value(value), json_integer_value(value));
    return policy_error(v, path, value,
                        "\"never\", \"immediate\" or {\"start_ms\": ..., \"every_ms\": ...}", hint);
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
            (rc = validator_get_int(v, value, path, "start_ms", 0, PARAMS_MAX_DURATION_MS, 0,
                                    "milliseconds before the first read", &start_ms)))
            return rc;
        if (!json_object_get(value, "bytes_per_sec"))
            return validator_error(v, path, 0,
                                   "missing key \"bytes_per_sec\" (the reader's "
                                   "speed), e.g. {\"start_ms\": 0, \"bytes_per_sec\": 65536, "
                                   "\"chunk\": 4096}");
        if ((rc = validator_get_int(v, value, path, "bytes_per_sec", 1, PARAMS_MAX_SEND_BYTES, 0,
                                    NULL, &rate)) ||
            (rc = validator_get_int(v, value, path, "chunk", 1, PARAMS_MAX_CHUNK, 4096,
                                    "bytes per recv(), at most 16 MiB", &chunk)))
            return rc;
        out->kind = READ_PACED;
        out->start_us = start_ms * 1000;
        out->bytes_per_sec = (uint64_t)rate;
        out->chunk = (uint64_t)chunk;
        return 0;
    }
    char hint[128];
    snprintf(hint, sizeof hint,
             "to read %" JSON_INTEGER_FORMAT
             " bytes a second write {\"bytes_per_sec\": %" JSON_INTEGER_FORMAT "}",
             json_integer_value(value), json_integer_value(value));
    return policy_error(
        v, path, value,
        "\"never\", \"immediate\" or {\"start_ms\": ..., \"bytes_per_sec\": ..., \"chunk\": ...}",
        hint);
}

int params_sysctl_name_check(const char *name, char *why, size_t size)
{
    const char *example = "e.g. \"net.core.somaxconn\"";
    size_t length = strlen(name);
    if (length >= sizeof(((struct sysctl_setting *)0)->name)) {
        snprintf(why, size, "a sysctl name of at most %zu characters, got %zu",
                 sizeof(((struct sysctl_setting *)0)->name) - 1, length);
        return -EINVAL;
    }
    if (strncmp(name, "net.", 4) != 0) {
        if (strncmp(name, "net/", 4) == 0 || strncmp(name, "/proc/sys/net/", 14) == 0)
            snprintf(why, size,
                     "a sysctl name with dots, not a /proc/sys path: write "
                     "\"net.core.somaxconn\" for net/core/somaxconn");
        else
            snprintf(why, size,
                     "a network sysctl (net.*): the harness writes sysctls only "
                     "inside the run's own network namespace, and only the "
                     "net.* ones belong to it (%s)",
                     example);
        return -EINVAL;
    }
    for (const char *p = name; *p; p++) {
        if (p[0] == '.' && (p[1] == '.' || p[1] == '\0')) {
            snprintf(why, size,
                     "a sysctl name of words joined by single dots, got an empty "
                     "part (\"..\" or a dot at the end) (%s)",
                     example);
            return -EINVAL;
        }
        int ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' ||
                 *p == '-';
        if (!ok) {
            if ((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7F)
                snprintf(why, size, "a sysctl name of a-z, 0-9, '_', '-' and '.', got '%c' (%s)",
                         *p, example);
            else
                snprintf(why, size,
                         "a sysctl name of a-z, 0-9, '_', '-' and '.', got byte "
                         "0x%02X (%s)",
                         (unsigned char)*p, example);
            return -EINVAL;
        }
    }
    return 0;
}

/* The sysctls object at where ("sysctls", "server.sysctls" or
 * "client.sysctls") into settings (at most PARAMS_MAX_SYSCTLS). A value is
 * as written to /proc/sys: digits, or the words of a multi-value sysctl
 * ("4096 131072 6291456"). */
static int parse_sysctls(struct validator *v, json_t *value, const char *where,
                         struct sysctl_setting *settings, size_t *count)
{
    const char *name;
    json_t *setting;
    int rc;
    if (!value)
        return 0;
    json_t *first = json_array_get(value, 0);
    if (json_is_string(first) && strchr(json_string_value(first), '=')) {
        /* the sysctl command's "name=value", as a list */
        const char *text = json_string_value(first), *equals = strchr(text, '=');
        json_t *fixed = json_object(), *number = NULL;
        char fixed_name[96], *end, *suggestion;
        snprintf(fixed_name, sizeof fixed_name, "%.*s", (int)(equals - text), text);
        long long n = strtoll(equals + 1, &end, 10);
        if (end != equals + 1 && *end == '\0')
            number = json_integer(n);
        json_object_set_new(fixed, fixed_name, number ? number : json_string(equals + 1));
        suggestion = json_dumps(fixed, 0);
        rc = validator_error(v, where, 0,
                             "expected an object of names and values, got a list of "
                             "\"name=value\" strings; write %s",
                             suggestion ? suggestion : "{\"net.core.somaxconn\": 4096}");
        free(suggestion);
        json_decref(fixed);
        return rc;
    }
    if ((rc = expect_object(v, value, where, "{\"net.core.somaxconn\": 4096}")))
        return rc;
    if (json_object_size(value) > PARAMS_MAX_SYSCTLS)
        return validator_error(v, where, 0, "expected at most %d sysctls, got %zu",
                               PARAMS_MAX_SYSCTLS, json_object_size(value));
    json_object_foreach(value, name, setting)
    {
        char path[1024], why[512], text[96];
        struct sysctl_setting *s = &settings[*count];
        json_path_key(path, sizeof path, where, name);
        if (params_sysctl_name_check(name, why, sizeof why))
            return validator_error(v, path, 1, "expected %s", why);
        snprintf(s->name, sizeof s->name, "%s", name);
        if (json_is_integer(setting)) {
            snprintf(s->value, sizeof s->value, "%" JSON_INTEGER_FORMAT,
                     json_integer_value(setting));
        } else if (json_is_string(setting)) {
            const char *string = json_string_value(setting);
            if (strlen(string) == 0 || strlen(string) >= sizeof s->value)
                return validator_error(
                    v, path, 0, "expected a value of 1 to %zu characters, got %s",
                    sizeof s->value - 1, strlen(string) ? "a longer one" : "an empty string");
            for (const char *p = string; *p; p++)
                if ((unsigned char)*p < 0x20 && *p != '\t')
                    return validator_error(v, path, 0,
                                           "expected a value without control characters "
                                           "(such as a line break), as written to /proc/sys");
            snprintf(s->value, sizeof s->value, "%s", string);
        } else {
            validator_describe(v, path, setting, text, sizeof text);
            if (json_is_boolean(setting))
                return validator_error(v, path, 0,
                                       "expected an integer or a string such as "
                                       "\"4096 131072 6291456\", got %s; write %d",
                                       text, json_is_true(setting) ? 1 : 0);
            return validator_error(v, path, 0,
                                   "expected an integer or a string such as "
                                   "\"4096 131072 6291456\", got %s",
                                   text);
        }
        (*count)++;
    }
    return 0;
}

static int parse_server(struct validator *v, json_t *server, struct server_params *out)
{
    long long n;
    int rc;
    if (!server)
        return 0;
    if ((rc = expect_object(v, server, "server", "{\"backlog\": 4, \"accept\": \"never\"}")) ||
        (rc = validator_known_keys(v, server, "server", server_keys)) ||
        (rc = get_bool(v, server, "server", "listen", out->listen, &out->listen)))
        return rc;
    if ((rc = validator_get_int(v, server, "server", "backlog", INT32_MIN, INT32_MAX, out->backlog,
                                "listen() takes an int; a backlog above net.core.somaxconn "
                                "is capped to it",
                                &n)))
        return rc;
    out->backlog = (int)n;
    if ((rc = validator_get_int(v, server, "server", "rcvbuf", 0, PARAMS_MAX_BUFFER, 0,
                                "bytes; 0 keeps the kernel default", &n)))
        return rc;
    out->rcvbuf = (uint64_t)n;
    if ((rc = validator_get_int(v, server, "server", "sndbuf", 0, PARAMS_MAX_BUFFER, 0,
                                "bytes; 0 keeps the kernel default", &n)))
        return rc;
    out->sndbuf = (uint64_t)n;
    if ((rc = parse_accept(v, json_object_get(server, "accept"), "server.accept", &out->accept)) ||
        (rc = parse_read(v, json_object_get(server, "read"), "server.read", &out->read)))
        return rc;
    if ((rc = validator_get_int(v, server, "server", "close_listener_ms", -1,
                                PARAMS_MAX_DURATION_MS, -1, "-1: never", &n)))
        return rc;
    out->close_listener_us = n < 0 ? -1 : n * 1000;
    json_t *reply = json_object_get(server, "reply");
    if (reply) {
        char text[96];
        if (!json_is_string(reply))
            return validator_error(v, "server.reply", 0,
                                   "expected a string such as \"Hello!\", got %s",
                                   validator_describe(v, "server.reply", reply, text, sizeof text));
        if (json_string_length(reply) > PARAMS_MAX_REPLY)
            return validator_error(v, "server.reply", 0,
                                   "expected at most %d bytes, got %zu; shorten it",
                                   PARAMS_MAX_REPLY, json_string_length(reply));
        if (strlen(json_string_value(reply)) != json_string_length(reply))
            return validator_error(v, "server.reply", 0,
                                   "expected text without NUL characters (\\u0000)");
        snprintf(out->reply, sizeof out->reply, "%s", json_string_value(reply));
    }
    return parse_sysctls(v, json_object_get(server, "sysctls"), "server.sysctls", out->sysctls,
                         &out->sysctl_count);
}

static int parse_mode(struct validator *v, json_t *value, enum send_mode *out)
{
    const char *path = "client.mode";
    char text[96];
    if (!value)
        return 0;
    if (json_is_string(value)) {
        if (strcmp(json_string_value(value), "nonblocking") == 0) {
            *out = MODE_NONBLOCKING;
            return 0;
        }
        if (strcmp(json_string_value(value), "blocking") == 0) {
            *out = MODE_BLOCKING;
            return 0;
        }
    }
    const char *best =
        json_is_string(value) ? suggest_word(json_string_value(value), mode_words) : NULL;
    validator_describe(v, path, value, text, sizeof text);
    if (best)
        return validator_error(v, path, 0,
                               "expected \"nonblocking\" or \"blocking\", got %s; did you "
                               "mean \"%s\"?",
                               text, best);
    return validator_error(v, path, 0, "expected \"nonblocking\" or \"blocking\", got %s", text);
}

static int parse_client(struct validator *v, json_t *client, struct client_params *out)
{
    long long n;
    int rc;
    if (!client)
        return 0;
    if ((rc = expect_object(v, client, "client", "{\"connections\": 12}")) ||
        (rc = validator_known_keys(v, client, "client", client_keys)))
        return rc;
    if ((rc = validator_get_int(v, client, "client", "connections", 1, PARAMS_MAX_CONNECTIONS,
                                out->connections, NULL, &n)))
        return rc;
    out->connections = (uint32_t)n;
    if ((rc = validator_get_int(v, client, "client", "concurrency", 1, PARAMS_MAX_CONNECTIONS,
                                out->connections, NULL, &n)))
        return rc;
    out->concurrency = (uint32_t)n;
    if (out->concurrency > out->connections) {
        v->cross_key_error = 1;
        return validator_error(v, "client.concurrency", 0,
                               "expected at most client.connections (%u), got %u; lower it "
                               "or raise client.connections",
                               out->connections, out->concurrency);
    }
    if ((rc =
             validator_get_int(v, client, "client", "connect_timeout_ms", 0, PARAMS_MAX_DURATION_MS,
                               0, "0: the kernel's own, set by net.ipv4.tcp_syn_retries", &n)))
        return rc;
    out->connect_timeout_us = n * 1000;
    if ((rc = validator_get_int(v, client, "client", "sndbuf", 0, PARAMS_MAX_BUFFER, 0,
                                "bytes; 0 keeps the kernel default", &n)))
        return rc;
    out->sndbuf = (uint64_t)n;
    if ((rc = validator_get_int(v, client, "client", "rcvbuf", 0, PARAMS_MAX_BUFFER, 0,
                                "bytes; 0 keeps the kernel default", &n)))
        return rc;
    out->rcvbuf = (uint64_t)n;
    json_t *send = json_object_get(client, "send");
    if (json_is_integer(send) && json_integer_value(send) >= 0)
        return validator_error(v, "client.send", 0,
                               "expected an object such as {\"bytes\": 65536, \"chunk\": "
                               "16384}, got %" JSON_INTEGER_FORMAT
                               "; to send that many bytes on each connection write "
                               "{\"bytes\": %" JSON_INTEGER_FORMAT "}",
                               json_integer_value(send), json_integer_value(send));
    if (send) {
        if ((rc = expect_object(v, send, "client.send", "{\"bytes\": 65536, \"chunk\": 16384}")) ||
            (rc = validator_known_keys(v, send, "client.send", send_keys)))
            return rc;
        if ((rc = validator_get_int(v, send, "client.send", "bytes", 0, PARAMS_MAX_SEND_BYTES,
                                    (long long)out->send_bytes,
                                    "bytes per connection, at most 1 TiB", &n)))
            return rc;
        out->send_bytes = (uint64_t)n;
        if ((rc = validator_get_int(v, send, "client.send", "chunk", 1, PARAMS_MAX_CHUNK,
                                    (long long)out->send_chunk, "bytes per send(), at most 16 MiB",
                                    &n)))
            return rc;
        out->send_chunk = (uint64_t)n;
        if ((rc = validator_get_int(v, send, "client.send", "retry_ms", 0, PARAMS_MAX_DURATION_MS,
                                    out->send_retry_us / 1000,
                                    "ms between send() retries while blocked; 0 waits for poll",
                                    &n)))
            return rc;
        out->send_retry_us = n * 1000;
    }
    if ((rc = get_bool(v, client, "client", "receive", out->receive, &out->receive)))
        return rc;
    if ((rc = validator_get_int(v, client, "client", "hold_ms", -1, PARAMS_MAX_DURATION_MS, 0,
                                "-1: until the run ends", &n)))
        return rc;
    out->hold_us = n < 0 ? -1 : n * 1000;
    if ((rc = parse_mode(v, json_object_get(client, "mode"), &out->mode)))
        return rc;
    if ((rc = validator_get_int(v, client, "client", "block_threshold_us", 0,
                                PARAMS_MAX_BLOCK_THRESHOLD_US, 0,
                                "microseconds; shorter blocked sends are not counted", &n)))
        return rc;
    out->block_threshold_us = n;
    if (out->mode == MODE_BLOCKING && out->concurrency > PARAMS_MAX_BLOCKING_CONCURRENCY) {
        v->cross_key_error = 1;
        return validator_error(v, "client.concurrency", 0,
                               "expected at most %d with client.mode \"blocking\" (a thread per "
                               "open connection), got %u; lower client.concurrency",
                               PARAMS_MAX_BLOCKING_CONCURRENCY, out->concurrency);
    }
    if (out->mode == MODE_BLOCKING && out->send_retry_us > 0) {
        v->cross_key_error = 1;
        return validator_error(v, "client.send.retry_ms", 0,
                               "expected 0 with client.mode \"blocking\": a blocking send() "
                               "waits in the kernel and is never retried, got %lld",
                               (long long)(out->send_retry_us / 1000));
    }
    return parse_sysctls(v, json_object_get(client, "sysctls"), "client.sysctls", out->sysctls,
                         &out->sysctl_count);
}

static int parse_topology(struct validator *v, json_t *value, enum topology *out)
{
    char text[96];
    if (!value)
        return 0;
    if (json_is_string(value)) {
        if (strcmp(json_string_value(value), "loopback") == 0) {
            *out = TOPOLOGY_LOOPBACK;
            return 0;
        }
        if (strcmp(json_string_value(value), "veth") == 0) {
            *out = TOPOLOGY_VETH;
            return 0;
        }
    }
    const char *best =
        json_is_string(value) ? suggest_word(json_string_value(value), topology_words) : NULL;
    validator_describe(v, "topology", value, text, sizeof text);
    if (best)
        return validator_error(v, "topology", 0,
                               "expected \"loopback\" or \"veth\", got %s; did you mean \"%s\"?",
                               text, best);
    return validator_error(v, "topology", 0, "expected \"loopback\" or \"veth\", got %s", text);
}

/* link.loss: a percentage, fractions allowed (0.5 is one packet in 200). */
static int get_percent(struct validator *v, json_t *obj, const char *parent, const char *key,
                       double *out)
{
    char path[256], got[96];
    json_t *value = json_object_get(obj, key);
    json_path_key(path, sizeof path, parent, key);
    if (!value)
        return 0;
    validator_describe(v, path, value, got, sizeof got);
    if (json_is_string(value)) {
        char *end;
        double d = strtod(json_string_value(value), &end);
        if (end != json_string_value(value) &&
            (strcmp(end, "%") == 0 || strcmp(end, " %") == 0 || *end == '\0'))
            return validator_error(v, path, 0,
                                   "expected a number from 0 to 100 (percent), got %s; write "
                                   "%g (without quotes or %%)",
                                   got, d);
    }
    if (json_is_null(value))
        return validator_error(v, path, 0,
                               "expected a number from 0 to 100 (percent), got null; leave the "
                               "key out for no loss");
    if (!json_is_number(value))
        return validator_error(v, path, 0, "expected a number from 0 to 100 (percent), got %s",
                               got);
    double d = json_number_value(value);
    if (!(d >= 0 && d <= 100))
        return validator_error(v, path, 0, "expected a number from 0 to 100 (percent), got %s",
                               got);
    *out = d;
    return 0;
}

static int parse_link(struct validator *v, json_t *link, struct link_params *out)
{
    long long n;
    int rc;
    if (!link)
        return 0;
    if ((rc = expect_object(v, link, "link", "{\"delay_ms\": 10, \"rate_mbit\": 100}")) ||
        (rc = validator_known_keys(v, link, "link", link_keys)))
        return rc;
    if ((rc = validator_get_int(v, link, "link", "delay_ms", 0, PARAMS_MAX_LINK_DELAY_MS, 0,
                                "milliseconds added one way, by netem; 0: none", &n)))
        return rc;
    out->delay_us = n * 1000;
    if ((rc = validator_get_int(v, link, "link", "rate_mbit", 0, PARAMS_MAX_LINK_RATE_MBIT, 0,
                                "megabits per second, by tbf; 0: no limit", &n)))
        return rc;
    out->rate_mbit = (uint64_t)n;
    return get_percent(v, link, "link", "loss", &out->loss_percent);
}

/* Rules between the topology and the keys that need a veth pair. */
static int check_topology(struct validator *v, const struct point_params *p)
{
    if (p->topology == TOPOLOGY_VETH)
        return 0;
    const char *path = p->server.sysctl_count   ? "server.sysctls"
                       : p->client.sysctl_count ? "client.sysctls"
                                                : NULL;
    if (path) {
        v->cross_key_error = 1;
        return validator_error(v, path, 0,
                               "expected topology \"veth\": with \"loopback\" the server and "
                               "the client share one network namespace, so their sysctls "
                               "cannot differ; set \"topology\": \"veth\", or write them "
                               "in \"sysctls\"");
    }
    path = p->link.delay_us           ? "link.delay_ms"
           : p->link.rate_mbit        ? "link.rate_mbit"
           : p->link.loss_percent > 0 ? "link.loss"
                                      : NULL;
    if (path) {
        v->cross_key_error = 1;
        return validator_error(v, path, 0,
                               "expected topology \"veth\": loopback has no link to shape; "
                               "set \"topology\": \"veth\", or leave \"link\" out");
    }
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
    if ((rc = parse_sysctls(v, json_object_get(root, "sysctls"), "sysctls", out->sysctls,
                            &out->sysctl_count)) ||
        (rc = parse_server(v, json_object_get(root, "server"), &out->server)) ||
        (rc = parse_client(v, json_object_get(root, "client"), &out->client)) ||
        (rc = parse_topology(v, json_object_get(root, "topology"), &out->topology)) ||
        (rc = parse_link(v, json_object_get(root, "link"), &out->link)))
        return rc;
    if (out->server.read.kind == READ_IMMEDIATE)
        out->server.read.chunk = out->server.read.chunk ? out->server.read.chunk : 65536;
    if ((rc = validator_get_int(v, root, "", "duration_ms", 1, PARAMS_MAX_DURATION_MS, 10000,
                                "milliseconds, at most 10 minutes", &n)))
        return rc;
    out->duration_us = n * 1000;
    if ((rc = validator_get_int(v, root, "", "sample_ms", 0, 60000, 10,
                                "milliseconds between queue samples; 0: none", &n)))
        return rc;
    out->sample_us = n * 1000;
    return check_topology(v, out);
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

static json_t *sysctls_to_json(const struct sysctl_setting *settings, size_t count)
{
    json_t *sysctls = json_object();
    for (size_t i = 0; i < count; i++) {
        /* a number goes back as a number only when it reads back the same
         * ("0010" and " 5" stay strings), so the round trip is exact */
        char *end, canonical[32];
        errno = 0;
        long long n = strtoll(settings[i].value, &end, 10);
        snprintf(canonical, sizeof canonical, "%lld", n);
        int plain = errno == 0 && *end == '\0' && strcmp(canonical, settings[i].value) == 0;
        json_object_set_new(sysctls, settings[i].name,
                            plain ? json_integer(n) : json_string(settings[i].value));
    }
    return sysctls;
}

/* A whole percentage as an integer (the default 0 reads back as 0). */
static json_t *percent_to_json(double d)
{
    if (d == (double)(long long)d)
        return json_integer((json_int_t)d);
    return json_real(d);
}

json_t *params_to_json(const struct point_params *p)
{
    json_t *sysctls = sysctls_to_json(p->sysctls, p->sysctl_count);
    const struct server_params *s = &p->server;
    const struct client_params *c = &p->client;
    json_t *out = json_pack(
        "{s:o, s:{s:b,s:i,s:I,s:I,s:o,s:o,s:I,s:s}, "
        "s:{s:i,s:i,s:I,s:I,s:I,s:{s:I,s:I,s:I},s:b,s:I,s:s,s:I}, s:I, s:I}",
        "sysctls", sysctls, "server", "listen", s->listen, "backlog", s->backlog, "rcvbuf",
        (json_int_t)s->rcvbuf, "sndbuf", (json_int_t)s->sndbuf, "accept",
        accept_to_json(&s->accept), "read", read_to_json(&s->read), "close_listener_ms",
        ms_or_minus_one(s->close_listener_us), "reply", s->reply, "client", "connections",
        (int)c->connections, "concurrency", (int)c->concurrency, "connect_timeout_ms",
        (json_int_t)(c->connect_timeout_us / 1000), "sndbuf", (json_int_t)c->sndbuf, "rcvbuf",
        (json_int_t)c->rcvbuf, "send", "bytes", (json_int_t)c->send_bytes, "chunk",
        (json_int_t)c->send_chunk, "retry_ms", (json_int_t)(c->send_retry_us / 1000), "receive",
        c->receive, "hold_ms", ms_or_minus_one(c->hold_us), "mode",
        c->mode == MODE_BLOCKING ? "blocking" : "nonblocking", "block_threshold_us",
        (json_int_t)c->block_threshold_us, "duration_ms", (json_int_t)(p->duration_us / 1000),
        "sample_ms", (json_int_t)(p->sample_us / 1000));
    json_object_set_new(json_object_get(out, "server"), "sysctls",
                        sysctls_to_json(s->sysctls, s->sysctl_count));
    json_object_set_new(json_object_get(out, "client"), "sysctls",
                        sysctls_to_json(c->sysctls, c->sysctl_count));
    json_object_set_new(out, "topology",
                        json_string(p->topology == TOPOLOGY_VETH ? "veth" : "loopback"));
    json_object_set_new(
        out, "link",
        json_pack("{s:I,s:I,s:o}", "delay_ms", (json_int_t)(p->link.delay_us / 1000), "rate_mbit",
                  (json_int_t)p->link.rate_mbit, "loss", percent_to_json(p->link.loss_percent)));
    return out;
}
