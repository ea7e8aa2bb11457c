/* json_path.c: see locations.h and locations_internal.h. Key paths, one
 * printable line each, as messages name values. */
#include "locations_internal.h"

#include <stdio.h>
#include <string.h>

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

/* Appends text to out[used..size), always leaving it terminated. */
static size_t append(char *out, size_t size, size_t used, const char *text, size_t n)
{
    if (used + 1 >= size)
        return used;
    if (n > size - 1 - used)
        n = size - 1 - used;
    memcpy(out + used, text, n);
    out[used + n] = '\0';
    return used + n;
}

void json_path_append_key(char *out, size_t size, size_t used, const char *key)
{
    if (is_identifier(key)) {
        if (used)
            used = append(out, size, used, ".", 1);
        append(out, size, used, key, strlen(key));
        return;
    }
    used = append(out, size, used, "[\"", 2);
    for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
        char escaped[8];
        if (*p == '"' || *p == '\\') {
            escaped[0] = '\\';
            escaped[1] = (char)*p;
            used = append(out, size, used, escaped, 2);
        } else if (*p < 0x20 || *p == 0x7F) {
            snprintf(escaped, sizeof escaped, "\\u%04x", *p);
            used = append(out, size, used, escaped, 6);
        } else {
            used = append(out, size, used, (const char *)p, 1);
        }
    }
    append(out, size, used, "\"]", 2);
}

void json_path_key(char *out, size_t size, const char *parent, const char *key)
{
    if (!size)
        return;
    out[0] = '\0';
    size_t used = append(out, size, 0, parent, strlen(parent));
    json_path_append_key(out, size, used, key);
}

void json_path_index(char *out, size_t size, const char *parent, size_t index)
{
    snprintf(out, size, "%s[%zu]", parent, index);
}
