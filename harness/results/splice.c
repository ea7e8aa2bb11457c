/* splice.c: see splice.h. */
#include "splice.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "digits.h"

#define MEMBER_INDENT SPLICE_CONN_INDENT "  " /* a connection's fields */

void splice_put_indented(FILE *out, const char *text, size_t length, const char *prefix)
{
    const char *end = text + length;
    while (text < end) {
        const char *newline = memchr(text, '\n', (size_t)(end - text));
        size_t n = newline ? (size_t)(newline - text) + 1 : (size_t)(end - text);
        fwrite(text, 1, n, out);
        text += n;
        if (newline && text < end)
            fputs(prefix, out);
    }
}

/* printable ASCII without quote or backslash: written as is */
static int plain(const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if (*p < 0x20 || *p >= 0x7f || *p == '"' || *p == '\\')
            return 0;
    return 1;
}

/* Appends the decimal digits of value to *p. */
static char *put_integer(char *p, int64_t value)
{
    char digits[24];
    size_t n = decimal_digits_reversed(value, digits);
    while (n)
        *p++ = digits[--n];
    return p;
}

#define PUT(p, literal) (memcpy(p, literal, sizeof literal - 1), (p) += sizeof literal - 1)

/* Whether the record can be formatted here: no extra fields, and its
 * strings written as they are and short enough for the buffer. */
static int formattable(const struct conn_record *r)
{
    size_t strings = 0;
    if (r->extra)
        return 0;
    for (int f = 0; f < CONN_FIELDS; f++)
        if (conn_has(r, f) && conn_fields[f].type == FIELD_STRING) {
            if (!plain(r->value[f].string))
                return 0;
            strings += strlen(r->value[f].string);
        }
    return strings <= 512;
}

/* Any other record: as jansson dumps it, moved to its depth. */
static void put_conn_dumped(FILE *out, const struct conn_record *r)
{
    json_t *object = conn_record_to_json(r);
    char *dump = json_dumps(object, JSON_SORT_KEYS | JSON_INDENT(2));
    fputs(SPLICE_CONN_INDENT, out);
    if (dump)
        splice_put_indented(out, dump, strlen(dump), SPLICE_CONN_INDENT);
    free(dump);
    json_decref(object);
}

/* Appends field f's member ("name": value, on its line) to *p. */
static char *put_field(char *p, int f, const union field_value *v)
{
    PUT(p, "\n" MEMBER_INDENT "\"");
    memcpy(p, conn_fields[f].name, conn_fields[f].length);
    p += conn_fields[f].length;
    PUT(p, "\": ");
    switch (conn_fields[f].type) {
    case FIELD_INT:
        p = put_integer(p, v->integer);
        break;
    case FIELD_STRING:
        *p++ = '"';
        size_t n = strlen(v->string);
        memcpy(p, v->string, n);
        p += n;
        *p++ = '"';
        break;
    case FIELD_BOOL:
        if (v->boolean)
            PUT(p, "true");
        else
            PUT(p, "false");
        break;
    }
    return p;
}

/* Formatted into a buffer and written at once: the fields of 100,000
 * connections through fputs and snprintf took half the time of the whole
 * results. */
void splice_put_conn(FILE *out, const struct conn_record *r)
{
    /* each field: its name, the layout, and at most 20 digits or a
     * string, which formattable() checked to fit */
    char text[CONN_FIELDS * 64 + 1024];
    char *p = text;
    if (!formattable(r)) {
        put_conn_dumped(out, r);
        return;
    }
    PUT(p, SPLICE_CONN_INDENT "{");
    int first = 1;
    for (int f = 0; f < CONN_FIELDS; f++) {
        if (!conn_has(r, f))
            continue;
        if (!first)
            *p++ = ',';
        first = 0;
        p = put_field(p, f, &r->value[f]);
    }
    if (first)
        *p++ = '}';
    else
        PUT(p, "\n" SPLICE_CONN_INDENT "}");
    fwrite(text, 1, (size_t)(p - text), out);
}

char *splice_dump_split(const json_t *object, const char *key, size_t *at)
{
    char marker[64];
    json_t *copy = json_copy((json_t *)object);
    json_object_set_new(copy, key, json_array());
    char *text = json_dumps(copy, JSON_SORT_KEYS | JSON_INDENT(2));
    json_decref(copy);
    snprintf(marker, sizeof marker, "\n  \"%s\": []", key);
    const char *found = text ? strstr(text, marker) : NULL;
    if (!found) {
        free(text);
        return NULL;
    }
    *at = (size_t)(found - text) + strlen(marker) - 2;
    return text;
}
