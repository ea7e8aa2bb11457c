/* validator_values.c: see validator.h. Reading a key's value as an
 * integer, a boolean or an object, and the hints for values written the
 * way people write them elsewhere ("4096" in quotes, "4 KiB", 1 for true). */
#include "validator.h"
#include "suggest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int validator_expect_object(struct validator *v, json_t *value, const char *path,
                            const char *example)
{
    char got[96];
    if (json_is_object(value))
        return 0;
    validator_describe(v, path, value, got, sizeof got);
    if (json_is_array(value) && json_array_size(value) == 1 &&
        json_is_object(json_array_get(value, 0)))
        return validator_error(v, path, 0,
                               "expected an object such as %s, got a list holding one; "
                               "remove the [ ] around it",
                               example);
    return validator_error(v, path, 0, "expected an object such as %s, got %s", example, got);
}

/* A string that holds a plain integer ("4096", "-1"): written in quotes by mistake. */
static int string_is_integer(const char *s)
{
    if (*s == '-')
        s++;
    if (!*s)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

/* A size or a time written with its unit ("4 KiB", "1.5 s", "64 KiB/s"), in
 * the unit of the key (bytes, or milliseconds for a *_ms key): 0 and *value,
 * or -1 when text is no such thing. */
static int string_with_unit(const char *text, const char *key, long long *value, const char **unit)
{
    static const struct {
        const char *word;
        double factor;
        int time; /* a unit of time, for *_ms keys; else of size */
    } units[] = {
        {"ms", 1, 1},         {"s", 1000, 1},        {"sec", 1000, 1},       {"secs", 1000, 1},
        {"second", 1000, 1},  {"seconds", 1000, 1},  {"min", 60000, 1},      {"b", 1, 0},
        {"byte", 1, 0},       {"bytes", 1, 0},       {"k", 1024, 0},         {"kb", 1024, 0},
        {"kib", 1024, 0},     {"m", 1048576, 0},     {"mb", 1048576, 0},     {"mib", 1048576, 0},
        {"g", 1073741824, 0}, {"gb", 1073741824, 0}, {"gib", 1073741824, 0},
    };
    size_t length = strlen(key);
    int time = length > 3 && strcmp(key + length - 3, "_ms") == 0;
    int size = strstr(key, "buf") || strcmp(key, "bytes") == 0 || strcmp(key, "chunk") == 0 ||
               strcmp(key, "bytes_per_sec") == 0;
    char *end, word[16];
    if (!time && !size)
        return -1;
    double number = strtod(text, &end);
    if (end == text || !(number >= 0 && number <= 1e15)) /* NaN too */
        return -1;
    while (*end == ' ')
        end++;
    size_t n = 0;
    while (end[n] && end[n] != ' ' && end[n] != '/' && n + 1 < sizeof word) {
        word[n] = (char)(end[n] >= 'A' && end[n] <= 'Z' ? end[n] - 'A' + 'a' : end[n]);
        n++;
    }
    word[n] = '\0';
    end += n;
    /* a rate: "64 KiB/s" */
    if (strcmp(key, "bytes_per_sec") == 0 &&
        (strcasecmp(end, "/s") == 0 || strcasecmp(end, "/sec") == 0))
        end += strlen(end);
    if (*end || n == 0)
        return -1;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcmp(word, units[i].word) != 0 || units[i].time != time)
            continue;
        double result = number * units[i].factor;
        if (result > 9e18 || result != (double)(long long)result)
            return -1;
        *value = (long long)result;
        *unit = time ? "milliseconds" : "bytes";
        return 0;
    }
    return -1;
}

/* value at path is no integer: what it is, and how to write it when it is
 * close (4.0, "4096", "4 KiB", null). */
static int integer_expected(struct validator *v, const char *path, const char *key, json_t *value,
                            long long fallback)
{
    char text[64], got[96];
    validator_value_text(v, path, value, text, sizeof text);
    validator_describe(v, path, value, got, sizeof got);
    if (json_is_real(value)) {
        double d = json_real_value(value);
        /* the cast is defined only in range: 2^63 is exact as a double */
        if (d > -9223372036854775808.0 && d < 9223372036854775808.0 && d == (double)(long long)d)
            return validator_error(v, path, 0, "expected an integer, got %s; write %lld", text,
                                   (long long)d);
        return validator_error(v, path, 0, "expected an integer (a whole number), got %s", text);
    }
    if (json_is_string(value)) {
        long long n;
        const char *unit;
        if (string_is_integer(json_string_value(value)))
            return validator_error(v, path, 0,
                                   "expected an integer, got a string; write the number "
                                   "without quotes");
        if (string_with_unit(json_string_value(value), key, &n, &unit) == 0)
            return validator_error(v, path, 0,
                                   "expected an integer, got %s; write %lld (%s, without "
                                   "quotes or a unit)",
                                   got, n, unit);
    }
    if (json_is_null(value))
        return validator_error(v, path, 0,
                               "expected an integer, got null; leave the key out to use the "
                               "default (%lld)",
                               fallback);
    return validator_error(v, path, 0, "expected an integer, got %s", got);
}

int validator_get_int(struct validator *v, json_t *obj, const char *parent, const char *key,
                      long long min, long long max, long long fallback, const char *hint,
                      long long *out)
{
    char path[1024], text[64], range[256];
    json_t *value = json_object_get(obj, key);
    json_path_key(path, sizeof path, parent, key);
    if (!value) {
        *out = fallback;
        return 0;
    }
    if (!json_is_integer(value))
        return integer_expected(v, path, key, value, fallback);
    long long n = json_integer_value(value);
    if (n < min || n > max) {
        validator_value_text(v, path, value, text, sizeof text);
        snprintf(range, sizeof range, "expected an integer from %lld to %lld%s%s%s", min, max,
                 hint ? " (" : "", hint ? hint : "", hint ? ")" : "");
        return validator_error(v, path, 0, "%s, got %s", range, text);
    }
    *out = n;
    return 0;
}

int validator_get_bool(struct validator *v, json_t *obj, const char *parent, const char *key,
                       int fallback, int *out)
{
    char path[1024], text[96];
    json_t *value = json_object_get(obj, key);
    json_path_key(path, sizeof path, parent, key);
    if (!value) {
        *out = fallback;
        return 0;
    }
    if (json_is_boolean(value)) {
        *out = json_is_true(value);
        return 0;
    }
    validator_describe(v, path, value, text, sizeof text);
    if (json_is_null(value))
        return validator_error(v, path, 0,
                               "expected true or false, got null; leave the key out to use "
                               "the default (%s)",
                               fallback ? "true" : "false");
    if (json_is_integer(value) &&
        (json_integer_value(value) == 0 || json_integer_value(value) == 1))
        return validator_error(v, path, 0, "expected true or false, got %s; write %s", text,
                               json_integer_value(value) ? "true" : "false");
    if (json_is_string(value) && (strcasecmp(json_string_value(value), "true") == 0 ||
                                  strcasecmp(json_string_value(value), "false") == 0))
        return validator_error(
            v, path, 0, "expected true or false, got %s; write %s without quotes", text,
            strcasecmp(json_string_value(value), "true") == 0 ? "true" : "false");
    return validator_error(v, path, 0, "expected true or false, got %s", text);
}

/* "\"a\" or \"b\"", "\"a\", \"b\" or \"c\"" */
static void words_phrase(const char *const *words, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; words[i] && used < size; i++) {
        const char *joint = i == 0 ? "" : words[i + 1] ? ", " : " or ";
        int n = snprintf(out + used, size - used, "%s\"%s\"", joint, words[i]);
        used += n > 0 ? (size_t)n : 0;
    }
}

int validator_word(struct validator *v, const char *path, const json_t *value,
                   const char *const *words, int *out)
{
    char text[96], expected[160];
    if (!value)
        return 0;
    for (int i = 0; words[i]; i++)
        if (json_is_string(value) && strcmp(json_string_value(value), words[i]) == 0) {
            *out = i;
            return 0;
        }
    const char *best = json_is_string(value) ? suggest_word(json_string_value(value), words) : NULL;
    validator_describe(v, path, value, text, sizeof text);
    words_phrase(words, expected, sizeof expected);
    if (best)
        return validator_error(v, path, 0, "expected %s, got %s; did you mean \"%s\"?", expected,
                               text, best);
    return validator_error(v, path, 0, "expected %s, got %s", expected, text);
}
