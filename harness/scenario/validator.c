/* validator.c: see validator.h. Where a path's value is, the messages'
 * "got ...", and unknown keys. */
#include "validator.h"
#include "keys.h"
#include "suggest.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
    size_t group_count = keys_group_count;
    for (size_t g = 0; g <= group_count; g++) {
        const char *parent = g < group_count ? keys_groups[g].parent : "";
        const char *const *keys = g < group_count ? keys_groups[g].keys : v->top_keys;
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
