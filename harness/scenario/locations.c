/* locations.c: see locations.h. The text is known to be valid JSON, so the
 * walk only needs to find where things start and to decode keys exactly as
 * jansson does (escapes, \u surrogate pairs). It still checks every step
 * against the text's end, so a text that is not JSON after all gives an
 * error, never a read past the buffer. */
#include "locations_internal.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Inside the walk, -EBADMSG means "not JSON after all" (-EINVAL is a
 * duplicate key, with its message already set). */

/* jansson stops at 2048 levels (JSON_PARSER_MAX_DEPTH); this only bounds
 * the recursion for texts that did not come through jansson. */
#define WALK_MAX_DEPTH 4096

struct walk {
    const char *text;
    size_t length, offset;
    int line, column;
    int depth;
    struct json_locations *locations;
    const char *file;
    struct hl_error *err;
    char *path; /* growable buffer holding the current key path */
    size_t path_length, path_capacity;
};

static int starts_with_bom(const char *text, size_t length)
{
    return length >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0;
}

/* Records the value starting at the cursor under the current path; *index
 * receives its place in items (items may move while the value is walked). */
static int locations_add(struct walk *w, int key_line, int key_column, size_t *index)
{
    const struct json_location *first = json_locations_find(w->locations, w->path);
    if (first) {
        char where[sizeof w->err->where];
        snprintf(where, sizeof where, "%s:%d:%d: %s", w->file, key_line, key_column,
                 w->path[0] ? w->path : "(top level)");
        return hl_error_set(w->err, where,
                            "duplicate key (first given at line %d, column %d); "
                            "remove one of the two",
                            first->key_line, first->key_column);
    }
    struct json_location item = {.line = w->line,
                                 .column = w->column,
                                 .key_line = key_line,
                                 .key_column = key_column,
                                 .offset = w->offset};
    return json_locations_append(w->locations, w->path, &item, index);
}

static char walk_peek(const struct walk *w)
{
    return w->offset < w->length ? w->text[w->offset] : '\0';
}

/* Columns count characters, not bytes, as jansson's do: UTF-8 continuation
 * bytes (10xxxxxx) do not start a new column. */
static void walk_advance(struct walk *w)
{
    if (w->offset >= w->length)
        return;
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
    char c;
    while ((c = walk_peek(w)) == ' ' || c == '\t' || c == '\r' || c == '\n')
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

/* Decodes the string between text[start] and text[end] (the closing quote)
 * as jansson does. The result is never longer than the source: every escape
 * is at least as long as what it stands for. */
static int decode_string(const char *text, size_t start, size_t end, char **out)
{
    char *s = malloc(end - start + 1), *p = s;
    if (!s)
        return -ENOMEM;
    for (size_t i = start; i < end; i++) {
        if (text[i] != '\\') {
            *p++ = text[i];
            continue;
        }
        char e = text[++i];
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
            if (i + 4 >= end) {
                free(s);
                return -EBADMSG;
            }
            int32_t cp = hex_value(&text[i + 1]);
            i += 4;
            /* a high surrogate and the low one after it make one character */
            if (cp >= 0xD800 && cp < 0xDC00 && i + 6 < end && text[i + 1] == '\\' &&
                text[i + 2] == 'u') {
                int32_t low = hex_value(&text[i + 3]);
                if (low >= 0xDC00 && low < 0xE000) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    i += 6;
                }
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
    return 0;
}

/* Reads a string at the cursor; when out is given, stores it decoded. */
static int walk_string(struct walk *w, char **out)
{
    if (walk_peek(w) != '"')
        return -EBADMSG;
    size_t start = w->offset + 1, end = start;
    while (end < w->length && w->text[end] != '"')
        end += w->text[end] == '\\' ? 2 : 1;
    if (end >= w->length)
        return -EBADMSG;
    if (out) {
        int rc = decode_string(w->text, start, end, out);
        if (rc)
            return rc;
    }
    while (w->offset <= end)
        walk_advance(w);
    return 0;
}

static int path_push(struct walk *w, const char *key, size_t index)
{
    /* worst case: every byte of the key escaped as \u00XX, plus [""] */
    size_t need = w->path_length + (key ? strlen(key) * 6 + 8 : 32);
    if (need > w->path_capacity) {
        size_t capacity = need > w->path_capacity * 2 ? need : w->path_capacity * 2;
        char *next = realloc(w->path, capacity);
        if (!next)
            return -ENOMEM;
        w->path = next;
        w->path_capacity = capacity;
    }
    if (key)
        json_path_append_key(w->path, w->path_capacity, w->path_length, key);
    else
        snprintf(w->path + w->path_length, w->path_capacity - w->path_length, "[%zu]", index);
    w->path_length = strlen(w->path);
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
        if (w->offset >= w->length)
            return -EBADMSG;
        if (walk_peek(w) == close) {
            walk_advance(w);
            return 0;
        }
        if (walk_peek(w) == ',') {
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
            if (walk_peek(w) != ':')
                return -EBADMSG;
            walk_advance(w);
            walk_skip_space(w);
        } else {
            if ((rc = path_push(w, NULL, index++)))
                return rc;
        }
        if ((rc = walk_value(w, key_line, key_column)))
            return rc;
        w->path_length = saved;
        w->path[saved] = '\0';
    }
}

static int walk_value(struct walk *w, int key_line, int key_column)
{
    size_t index, start = w->offset;
    int rc;
    if (w->offset >= w->length || ++w->depth > WALK_MAX_DEPTH)
        return -EBADMSG;
    if ((rc = locations_add(w, key_line, key_column, &index)))
        return rc;
    switch (walk_peek(w)) {
    case '{':
        rc = walk_container(w, '}');
        break;
    case '[':
        rc = walk_container(w, ']');
        break;
    case '"':
        rc = walk_string(w, NULL);
        break;
    default: {
        char c;
        while ((c = walk_peek(w)) && !strchr(",}] \t\r\n", c))
            walk_advance(w);
        if (w->offset == start)
            rc = -EBADMSG; /* no value here: not JSON */
        break;
    }
    }
    w->depth--;
    w->locations->items[index].length = w->offset - start;
    return rc;
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
    locations->text = text;
    w.path = calloc(1, 64);
    if (!w.path)
        return hl_error_setn(err, ENOMEM, file, "out of memory while indexing the scenario");
    w.path_capacity = 64;
    /* a UTF-8 byte order mark is not part of the value */
    if (starts_with_bom(text, length))
        w.offset = 3;
    walk_skip_space(&w);
    int rc = walk_value(&w, w.line, w.column);
    if (rc == 0) {
        walk_skip_space(&w);
        if (w.offset != w.length)
            rc = -EBADMSG;
    }
    free(w.path);
    if (rc == -ENOMEM) {
        hl_error_set(err, file, "out of memory while indexing the scenario");
    } else if (rc == -EBADMSG) {
        char where[sizeof err->where];
        snprintf(where, sizeof where, "%s:%d:%d", file, w.line, w.column);
        rc = hl_error_set(err, where, "invalid JSON: cannot index the text here");
    }
    if (rc) {
        json_locations_free(locations);
        locations->text = NULL;
    }
    return rc;
}

void json_text_position(const char *text, size_t offset, int *line, int *column)
{
    size_t i = starts_with_bom(text, offset) ? 3 : 0;
    *line = 1;
    *column = 1;
    for (; i < offset; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '\n') {
            (*line)++;
            *column = 1;
        } else if ((c & 0xC0) != 0x80) {
            (*column)++;
        }
    }
}
