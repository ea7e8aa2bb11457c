/* linescan.h: the scanner of a flat one-line JSON object.
 *
 * A point of N connections logs 3N lines. jansson parses each into a
 * json_t tree at tens of microseconds a line; the children write flat
 * objects ({"key": value, ...} with integers, plain strings, true, false
 * and null), which this scanner reads in place into tokens, a fraction of
 * that. It reads nothing else: a nested value, a string with an escape or
 * a non-ASCII byte, a number that is not a plain integer within int64_t,
 * or more than LINE_SCAN_MAX_TOKENS members make it give up, and the
 * caller parses the line with jansson instead (which also checks UTF-8
 * and reports a broken line). */
#ifndef HARNESS_LINESCAN_H
#define HARNESS_LINESCAN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define LINE_SCAN_MAX_TOKENS 64

enum line_token_type {
    LINE_TOKEN_INT,
    LINE_TOKEN_STRING,
    LINE_TOKEN_TRUE,
    LINE_TOKEN_FALSE,
    LINE_TOKEN_NULL
};

/* One member of the object; key and text point into the line. */
struct line_token {
    const char *key;
    size_t key_length;
    enum line_token_type type;
    int64_t integer;
    const char *text; /* a string's bytes, unquoted (no escapes) */
    size_t length;
};

/* Reads the object on line (length bytes, surrounding white space
 * allowed) into tokens[LINE_SCAN_MAX_TOKENS], in the line's order.
 * Returns how many, or -1 when the line is anything else. */
int line_scan(const char *line, size_t length, struct line_token *tokens);

/* a token's key is the string literal word */
#define line_token_key_is(t, word)                                                                 \
    ((t)->key_length == sizeof word - 1 && memcmp((t)->key, word, sizeof word - 1) == 0)

/* a string token's text is the string literal word */
#define line_token_text_is(t, word)                                                                \
    ((t)->length == sizeof word - 1 && memcmp((t)->text, word, sizeof word - 1) == 0)

#endif
