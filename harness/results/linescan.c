/* linescan.c: see linescan.h. */
#include "linescan.h"

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

int line_scan(const char *p, size_t length, struct line_token *tokens)
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
        if (count == LINE_SCAN_MAX_TOKENS)
            return -1;
        struct line_token *t = &tokens[count++];
        if (!(p = scan_string(p, end, &t->key, &t->key_length)))
            return -1;
        p = skip_space(p, end);
        if (p >= end || *p++ != ':')
            return -1;
        p = skip_space(p, end);
        if (p >= end)
            return -1;
        if (*p == '"') {
            t->type = LINE_TOKEN_STRING;
            p = scan_string(p, end, &t->text, &t->length);
        } else if (*p == 't') {
            t->type = LINE_TOKEN_TRUE;
            p = scan_word(p, end, "true");
        } else if (*p == 'f') {
            t->type = LINE_TOKEN_FALSE;
            p = scan_word(p, end, "false");
        } else if (*p == 'n') {
            t->type = LINE_TOKEN_NULL;
            p = scan_word(p, end, "null");
        } else {
            t->type = LINE_TOKEN_INT;
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
