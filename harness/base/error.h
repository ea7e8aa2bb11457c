/* error.h: the one error type every module fills and only main() prints.
 *
 * A function that can fail returns 0 or a negative errno and, on failure,
 * fills a struct hl_error with where the problem is (a file with line:col, a
 * key path, a point of a run) and what is wrong. Messages are written for the
 * person who will read them: what was expected, what was found, and a fix
 * where there is an obvious one. */
#ifndef HARNESS_ERROR_H
#define HARNESS_ERROR_H

#include <stdarg.h>

struct hl_error {
    char where[512]; /* "scenarios/x.json:7:16: server.backlog" or "" */
    char what[1024]; /* "expected an integer, got a string" */
};

/* Clears an error. */
void hl_error_clear(struct hl_error *err);

/* Sets both parts; where may be NULL. Returns -EINVAL for convenience,
 * so validators can write `return hl_error_set(...)`. */
int hl_error_set(struct hl_error *err, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Like hl_error_set but returns the given negative errno. */
int hl_error_setn(struct hl_error *err, int code, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Puts "prefix: " in front of err->what (for context added while unwinding). */
void hl_error_prefix(struct hl_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Formats "where: what" (or just "what") into buf. */
const char *hl_error_format(const struct hl_error *err, char *buf, unsigned long size);

#endif
