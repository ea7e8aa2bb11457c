/* validator.h: checking the values of a JSON object against what each key
 * expects, with messages that say where and what.
 *
 * Each check names the key's path ("server.backlog") and, through
 * validator_where(), the line and column of its value in the file, or of
 * the sweep element that supplied it ("sweep[\"server.backlog\"][2]"). A
 * failed check fills v->err and returns -EINVAL; the first failure ends a
 * validation. The messages say what was expected, what was found as the
 * file writes it, and, where a mistake is common, how to write it instead
 * (a number in quotes, a unit, a key at the wrong level).
 *
 * validator.c: where, error, the value's text, unknown keys;
 * validator_values.c: reading integers, booleans and objects. */
#ifndef HARNESS_VALIDATOR_H
#define HARNESS_VALIDATOR_H

#include <jansson.h>
#include <stddef.h>

#include "error.h"
#include "locations.h"

/* A path whose value a sweep replaced, and the sweep element that
 * supplied it, so an error in a swept value names the list element in
 * "sweep", not the base value. */
struct params_override {
    char path[128];         /* "server.backlog" */
    char display_path[256]; /* "sweep[\"server.backlog\"][2]" */
};

/* Where validation errors point: the file, its value locations, and the
 * sweep values that replaced some paths. */
struct validator {
    const char *file;
    const struct json_locations *locations; /* may be NULL */
    const struct params_override *overrides;
    size_t override_count;
    struct hl_error *err;
    /* keys allowed at the top level besides keys_point (a scenario's
     * "name", "sweep" ...), so a misplaced key can be told where it goes */
    const char *const *top_keys;
    /* set by a failed check that involves two keys (concurrency against
     * connections), so a sweep can name the point that broke it */
    int cross_key_error;
};

/* Formats where a path's value is: "file:line:col: path". at_key: point at
 * the key rather than the value. A path with no recorded place points at
 * its nearest recorded parent. */
void validator_where(const struct validator *v, const char *path, int at_key, char *out,
                     size_t size);

/* Fills v->err with validator_where(path) and the formatted message;
 * returns -EINVAL. */
int validator_error(struct validator *v, const char *path, int at_key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The value at path as the file writes it ("4.0", "\"4\""), or, when the
 * file has no place for it, as JSON; one line, cut to size. */
const char *validator_value_text(const struct validator *v, const char *path, const json_t *value,
                                 char *out, size_t size);

/* What was found, for "got ...": "a list", "an object", "the string \"x\"",
 * or a number, true, false or null as written. */
const char *validator_describe(const struct validator *v, const char *path, const json_t *value,
                               char *out, size_t size);

/* Rejects keys of obj not in known (NULL-terminated), suggesting the
 * nearest known key, or where the key belongs when it is known elsewhere
 * (keys_groups, and v->top_keys at the top level). */
int validator_known_keys(struct validator *v, json_t *obj, const char *path,
                         const char *const known[]);

/* Reads obj[key] as an integer in [min, max] (fallback when missing). hint,
 * when given, is shown with the range ("0 keeps the kernel default"). */
int validator_get_int(struct validator *v, json_t *obj, const char *parent, const char *key,
                      long long min, long long max, long long fallback, const char *hint,
                      long long *out);

/* value as one of words (NULL-terminated: "loopback", "veth"): its index
 * in *out, left as it is when value is NULL (the key left out); otherwise
 * an error at path: expected "a" or "b" (or "a", "b" or "c"), got what
 * was found, with the nearest word when one is near. */
int validator_word(struct validator *v, const char *path, const json_t *value,
                   const char *const *words, int *out);

/* Reads obj[key] as true or false (fallback when missing). */
int validator_get_bool(struct validator *v, json_t *obj, const char *parent, const char *key,
                       int fallback, int *out);

/* 0 when value is an object; otherwise an error quoting example (how the
 * object is written: "{\"connections\": 12}"). */
int validator_expect_object(struct validator *v, json_t *value, const char *path,
                            const char *example);

/* "an integer", "a string", ... for messages. */
const char *json_type_phrase(const json_t *value);

#endif
