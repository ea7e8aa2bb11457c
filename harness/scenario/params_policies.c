/* params_policies.c: see params_parse.h. When the server accepts and when
 * it reads: "never", "immediate", or paced by an object. */
#include "keys.h"
#include "params_parse.h"
#include "suggest.h"

#include <stdio.h>
#include <string.h>

/* The part of a policy message after "got ...": a hint for a word that is
 * almost right or a number that was meant as a rate. */
static int policy_error(struct validator *v, const char *path, json_t *value, const char *expected,
                        const char *number_hint)
{
    char text[96];
    const char *best =
        json_is_string(value) ? suggest_word(json_string_value(value), keys_policy_words) : NULL;
    validator_describe(v, path, value, text, sizeof text);
    if (best)
        return validator_error(v, path, 0, "expected %s, got %s; did you mean \"%s\"?", expected,
                               text, best);
    if (json_is_integer(value) && json_integer_value(value) > 0)
        return validator_error(v, path, 0, "expected %s, got %s; %s", expected, text, number_hint);
    if (json_is_boolean(value))
        return validator_error(v, path, 0, "expected %s, got %s; write \"%s\"", expected, text,
                               json_is_true(value) ? "immediate" : "never");
    if (json_is_null(value))
        return validator_error(v, path, 0,
                               "expected %s, got null; leave the key out to use the default "
                               "(\"immediate\")",
                               expected);
    return validator_error(v, path, 0, "expected %s, got %s", expected, text);
}

int params_parse_accept(struct validator *v, json_t *value, const char *path,
                        struct accept_policy *out)
{
    long long start_ms, every_ms;
    if (!value)
        return 0;
    if (json_is_string(value)) {
        const char *s = json_string_value(value);
        if (strcmp(s, "never") == 0) {
            out->kind = ACCEPT_NEVER;
            return 0;
        }
        if (strcmp(s, "immediate") == 0) {
            out->kind = ACCEPT_IMMEDIATE;
            return 0;
        }
    } else if (json_is_object(value)) {
        int rc;
        if ((rc = validator_known_keys(v, value, path, keys_server_accept)) ||
            (rc = validator_get_int(v, value, path, "start_ms", 0, PARAMS_MAX_DURATION_MS, 0,
                                    "milliseconds before the first accept", &start_ms)))
            return rc;
        if (!json_object_get(value, "every_ms"))
            return validator_error(v, path, 0,
                                   "missing key \"every_ms\" (milliseconds between "
                                   "accepts), e.g. {\"start_ms\": 500, \"every_ms\": 100}");
        if ((rc = validator_get_int(v, value, path, "every_ms", 1, PARAMS_MAX_DURATION_MS, 0,
                                    "milliseconds between accepts", &every_ms)))
            return rc;
        out->kind = ACCEPT_PACED;
        out->start_us = start_ms * 1000;
        out->every_us = every_ms * 1000;
        return 0;
    }
    char hint[128];
    snprintf(hint, sizeof hint,
             "to accept one every %" JSON_INTEGER_FORMAT
             " ms write {\"every_ms\": %" JSON_INTEGER_FORMAT "}",
             json_integer_value(value), json_integer_value(value));
    return policy_error(v, path, value,
                        "\"never\", \"immediate\" or {\"start_ms\": ..., \"every_ms\": ...}", hint);
}

/* {"chunk": N} without a rate: read at once, N bytes per recv(). */
static int parse_read_at_once(struct validator *v, json_t *value, const char *path,
                              struct read_policy *out)
{
    long long chunk;
    int rc;
    if (json_object_get(value, "start_ms"))
        return validator_error(v, path, 0,
                               "missing key \"bytes_per_sec\" (the reader's speed), e.g. "
                               "{\"start_ms\": 0, \"bytes_per_sec\": 65536, \"chunk\": 4096}; "
                               "without it the reader reads at once, from the start, and takes "
                               "only \"chunk\"");
    if ((rc = validator_get_int(v, value, path, "chunk", 1, PARAMS_MAX_CHUNK, 0,
                                "bytes per recv(), at most 16 MiB", &chunk)))
        return rc;
    out->kind = READ_IMMEDIATE;
    out->chunk = (uint64_t)chunk; /* 0: the default, params_validate() */
    return 0;
}

int params_parse_read(struct validator *v, json_t *value, const char *path, struct read_policy *out)
{
    long long start_ms, rate, chunk;
    if (!value)
        return 0;
    if (json_is_string(value)) {
        const char *s = json_string_value(value);
        if (strcmp(s, "never") == 0) {
            out->kind = READ_NEVER;
            return 0;
        }
        if (strcmp(s, "immediate") == 0) {
            out->kind = READ_IMMEDIATE;
            return 0;
        }
    } else if (json_is_object(value)) {
        int rc;
        if ((rc = validator_known_keys(v, value, path, keys_server_read)) ||
            (rc = validator_get_int(v, value, path, "start_ms", 0, PARAMS_MAX_DURATION_MS, 0,
                                    "milliseconds before the first read", &start_ms)))
            return rc;
        if (!json_object_get(value, "bytes_per_sec"))
            return parse_read_at_once(v, value, path, out);
        if ((rc = validator_get_int(v, value, path, "bytes_per_sec", 1, PARAMS_MAX_SEND_BYTES, 0,
                                    NULL, &rate)) ||
            (rc = validator_get_int(v, value, path, "chunk", 1, PARAMS_MAX_CHUNK, 4096,
                                    "bytes per recv(), at most 16 MiB", &chunk)))
            return rc;
        out->kind = READ_PACED;
        out->start_us = start_ms * 1000;
        out->bytes_per_sec = (uint64_t)rate;
        out->chunk = (uint64_t)chunk;
        return 0;
    }
    char hint[128];
    snprintf(hint, sizeof hint,
             "to read %" JSON_INTEGER_FORMAT
             " bytes a second write {\"bytes_per_sec\": %" JSON_INTEGER_FORMAT "}",
             json_integer_value(value), json_integer_value(value));
    return policy_error(
        v, path, value,
        "\"never\", \"immediate\", {\"chunk\": ...} or {\"start_ms\": ..., \"bytes_per_sec\": ..., "
        "\"chunk\": ...}",
        hint);
}
