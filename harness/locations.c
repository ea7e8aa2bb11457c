/* locations.c: see locations.h. The text is known to be valid JSON, so the
 * walk only needs to find where things start and to decode keys exactly as
 * jansson does (escapes, \u surrogate pairs). */
#include "locations.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct walk {
    const char *text;
    size_t length, offset;
    int line, column;
    struct json_locations *locations;
    const char *file;
    struct hl_error *err;
    char *path; /* growable buffer holding the current key path */
    size_t path_length, path_capacity;
};

static size_t hash_string(const char *s)
{
    size_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static int locations_grow_slots(struct json_locations *locations)
{
    size_t count = locations->slot_count ? locations->slot_count * 2 : 64;
    size_t *slots = calloc(count, sizeof *slots);
    if (!slots)
        return -ENOMEM;
    for (size_t i = 0; i < locations->count; i++) {
        size_t s = hash_string(locations->items[i].path) & (count - 1);
        while (slots[s])
            s = (s + 1) & (count - 1);
        slots[s] = i + 1;
    }
    free(locations->slots);
    locations->slots = slots;
    locations->slot_count = count;
    return 0;
}

const struct json_location *json_locations_find(const struct json_locations *locations,
                                                const char *path)
{
    if (!locations || !locations->slot_count)
        return NULL;
    size_t s = hash_string(path) & (locations->slot_count - 1);
    while (locations->slots[s]) {
        const struct json_location *item = &locations->items[locations->slots[s] - 1];
        if (strcmp(item->path, path) == 0)
            return item;
        s = (s + 1) & (locations->slot_count - 1);
    }
    return NULL;
}

static int locations_add(struct walk *w, int key_line, int key_column)
{
    struct json_locations *locations = w->locations;
    const struct json_location *first = json_locations_find(locations, w->path);
    if (first) {
        char where[sizeof w->err->where];
        snprintf(where, sizeof where, "%s:%d:%d: %s", w->file, key_line, key_column,
                 w->path[0] ? w->path : "(top level)");
        return hl_error_set(w->err, where,
                            "duplicate key (first given at line %d, column %d); "
                            "remove one of the two",
                            first->key_line, first->key_column);
    }
    if (locations->count == locations->capacity) {
        size_t capacity = locations->capacity ? locations->capacity * 2 : 64;
        struct json_location *items = realloc(locations->items, capacity * sizeof *items);
        if (!items)
            return -ENOMEM;
        locations->items = items;
        locations->capacity = capacity;
    }
    if ((locations->count + 1) * 2 > locations->slot_count && locations_grow_slots(locations))
        return -ENOMEM;
    struct json_location *item = &locations->items[locations->count];
    item->path = strdup(w->path);
    if (!item->path)
        return -ENOMEM;
    item->line = w->line;
    item->column = w->column;
    item->key_line = key_line;
    item->key_column = key_column;
    locations->count++;
    size_t s = hash_string(item->path) & (locations->slot_count - 1);
    while (locations->slots[s])
        s = (s + 1) & (locations->slot_count - 1);
    locations->slots[s] = locations->count;
    return 0;
}

/* Columns count characters, not bytes, as jansson's do. */
static void walk_advance(struct walk *w)
{
    unsigned char c = (unsigned char)w->text[w->offset++];
    if (c == '\n') {
        w->line++;
        w->column = 1;
    } else if ((c & 0xC0) != 0x80) {
        w->column++;
    }
}

static void walk_skip_space(struct walk *w)
{
    while (w->offset < w->length && strchr(" \t\r\n", w->text[w->offset]) && w->text[w->offset])
        walk_advance(w);
}

static int hex_value(const char *p)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= c - '0';
        else if (c >= 'a' && c <= 'f')
            v |= c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            v |= c - 'A' + 10;
    }
    return v;
}

static size_t utf8_encode(char *out, int32_t cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Reads a string at the cursor; when out is given, stores it decoded. */
static int walk_string(struct walk *w, char **out)
{
    size_t start = w->offset + 1, end = start;
    while (end < w->length && w->text[end] != '"')
        end += w->text[end] == '\\' ? 2 : 1;
    if (out) {
        char *s = malloc(end - start + 1), *p = s;
        if (!s)
            return -ENOMEM;
        for (size_t i = start; i < end; i++) {
            if (w->text[i] != '\\') {
                *p++ = w->text[i];
                continue;
            }
            char e = w->text[++i];
            switch (e) {
            case 'b':
                *p++ = '\b';
                break;
            case 'f':
                *p++ = '\f';
                break;
            case 'n':
                *p++ = '\n';
                break;
            case 'r':
                *p++ = '\r';
                break;
            case 't':
                *p++ = '\t';
                break;
            case 'u': {
                int32_t cp = hex_value(&w->text[i + 1]);
                i += 4;
                if (cp >= 0xD800 && cp < 0xDC00 && w->text[i + 1] == '\\' &&
                    w->text[i + 2] == 'u') {
                    int32_t low = hex_value(&w->text[i + 3]);
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    i += 6;
                }
                p += utf8_encode(p, cp);
                break;
            }
            default:
                *p++ = e;
                break;
            }
        }
        *p = '\0';
        *out = s;
    }
    while (w->offset <= end)
        walk_advance(w);
    return 0;
}

static int path_push(struct walk *w, const char *key, size_t index)
{
    size_t need = w->path_length + (key ? strlen(key) * 6 + 8 : 32);
    char *next = malloc(need);
    if (!next)
        return -ENOMEM;
    if (key)
        json_path_key(next, need, w->path, key);
    else
        json_path_index(next, need, w->path, index);
    free(w->path);
    w->path = next;
    w->path_length = strlen(next);
    w->path_capacity = need;
    return 0;
}

static int walk_value(struct walk *w, int key_line, int key_column);

static int walk_container(struct walk *w, char close)
{
    size_t saved = w->path_length;
    size_t index = 0;
    int rc;

    walk_advance(w); /* '{' or '[' */
    for (;;) {
        walk_skip_space(w);
        if (w->text[w->offset] == close) {
            walk_advance(w);
            return 0;
        }
        if (w->text[w->offset] == ',') {
            walk_advance(w);
            walk_skip_space(w);
        }
        int key_line = w->line, key_column = w->column;
        if (close == '}') {
            char *key = NULL;
            if ((rc = walk_string(w, &key)))
                return rc;
            rc = path_push(w, key, 0);
            free(key);
            if (rc)
                return rc;
            walk_skip_space(w);
            walk_advance(w); /* ':' */
            walk_skip_space(w);
        } else {
            if ((rc = path_push(w, NULL, index++)))
                return rc;
            key_line = w->line;
            key_column = w->column;
        }
        if ((rc = walk_value(w, key_line, key_column)))
            return rc;
        w->path_length = saved;
        w->path[saved] = '\0';
    }
}

static int walk_value(struct walk *w, int key_line, int key_column)
{
    int rc = locations_add(w, key_line, key_column);
    if (rc)
        return rc;
    switch (w->text[w->offset]) {
    case '{':
        return walk_container(w, '}');
    case '[':
        return walk_container(w, ']');
    case '"':
        return walk_string(w, NULL);
    default:
        while (w->offset < w->length && !strchr(",}] \t\r\n", w->text[w->offset]))
            walk_advance(w);
        return 0;
    }
}

int json_locations_build(struct json_locations *locations, const char *text, size_t length,
                         const char *file, struct hl_error *err)
{
    struct walk w = {.text = text,
                     .length = length,
                     .line = 1,
                     .column = 1,
                     .locations = locations,
                     .file = file,
                     .err = err};
    memset(locations, 0, sizeof *locations);
    w.path = calloc(1, 64);
    if (!w.path)
        return -ENOMEM;
    w.path_capacity = 64;
    /* a UTF-8 byte order mark is not part of the value */
    if (length >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        w.offset = 3;
    walk_skip_space(&w);
    int rc = walk_value(&w, w.line, w.column);
    free(w.path);
    if (rc == -ENOMEM)
        hl_error_set(err, file, "out of memory while indexing the scenario");
    if (rc)
        json_locations_free(locations);
    return rc;
}

void json_locations_free(struct json_locations *locations)
{
    for (size_t i = 0; i < locations->count; i++)
        free(locations->items[i].path);
    free(locations->items);
    free(locations->slots);
    memset(locations, 0, sizeof *locations);
}

static int is_identifier(const char *key)
{
    if (!*key || !((*key >= 'a' && *key <= 'z') || (*key >= 'A' && *key <= 'Z') || *key == '_'))
        return 0;
    for (const char *p = key; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '_'))
            return 0;
    return 1;
}

void json_path_key(char *out, size_t size, const char *parent, const char *key)
{
    char quoted[1024];
    size_t q = 0;
    if (is_identifier(key)) {
        snprintf(out, size, "%s%s%s", parent, parent[0] ? "." : "", key);
        return;
    }
    for (const char *p = key; *p && q + 8 < sizeof quoted; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '"' || c == '\\') {
            quoted[q++] = '\\';
            quoted[q++] = (char)c;
        } else if (c < 0x20) {
            q += (size_t)snprintf(quoted + q, sizeof quoted - q, "\\u%04x", c);
        } else {
            quoted[q++] = (char)c;
        }
    }
    quoted[q] = '\0';
    snprintf(out, size, "%s[\"%s\"]", parent, quoted);
}

void json_path_index(char *out, size_t size, const char *parent, size_t index)
{
    snprintf(out, size, "%s[%zu]", parent, index);
}
