/* json_text.h: the text of a scenario file, read and parsed, with messages
 * that say where and what for every way a file can fail to be JSON.
 *
 * A scenario is at most SCENARIO_MAX_FILE_BYTES of UTF-8 text. Reading
 * refuses what is not a regular file (a directory, a FIFO that would hang
 * the open, a device) and names the likely fix. Parsing checks the bytes
 * first (a NUL byte, UTF-16, bytes that are not UTF-8: jansson would stop
 * early or give a vague message), skips a UTF-8 byte order mark, and turns
 * jansson's syntax errors into "FILE:LINE:COL: invalid JSON: ..." with a
 * hint for the mistakes people make most (a trailing comma, single quotes,
 * a comment, Python's True/None). Lines and columns are as locations.h
 * counts them. */
#ifndef HARNESS_JSON_TEXT_H
#define HARNESS_JSON_TEXT_H

#include <jansson.h>
#include <stddef.h>

#include "error.h"

/* Reads file into *text (NUL-terminated, length bytes, to free). Returns 0
 * or a negative errno with err saying why (-EFBIG over the limit, -EISDIR,
 * -EINVAL for a file that is not regular). */
int json_text_read_file(const char *file, char **text, size_t *length, struct hl_error *err);

/* Parses text (length bytes, NUL-terminated) into *root (new reference;
 * any JSON value, so the caller can say what it expected instead). Returns
 * 0 or -EINVAL with err naming file:line:col. */
int json_text_parse(const char *file, const char *text, size_t length, json_t **root,
                    struct hl_error *err);

/* Fills err for jansson's syntax error jerr in text (length bytes, after any
 * byte order mark): "FILE:LINE:COL", jansson's message on one line, and a
 * hint where the mistake is a common one. Returns -EINVAL. (json_syntax.c,
 * for json_text_parse.) */
int json_text_syntax_error(const char *file, const char *text, size_t length,
                           const json_error_t *jerr, struct hl_error *err);

#endif
