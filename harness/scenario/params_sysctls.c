/* params_sysctls.c: see params_parse.h and params.h. The sysctls a point
 * writes in its namespace: their names, and their values as written to
 * /proc/sys. */
#include "params_parse.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int params_sysctl_name_check(const char *name, char *why, size_t size)
{
    const char *example = "e.g. \"net.core.somaxconn\"";
    size_t length = strlen(name);
    if (length >= sizeof(((struct sysctl_setting *)0)->name)) {
        snprintf(why, size, "a sysctl name of at most %zu characters, got %zu",
                 sizeof(((struct sysctl_setting *)0)->name) - 1, length);
        return -EINVAL;
    }
    if (strncmp(name, "net.", 4) != 0) {
        if (strncmp(name, "net/", 4) == 0 || strncmp(name, "/proc/sys/net/", 14) == 0)
            snprintf(why, size,
                     "a sysctl name with dots, not a /proc/sys path: write "
                     "\"net.core.somaxconn\" for net/core/somaxconn");
        else
            snprintf(why, size,
                     "a network sysctl (net.*): the harness writes sysctls only "
                     "inside the run's own network namespace, and only the "
                     "net.* ones belong to it (%s)",
                     example);
        return -EINVAL;
    }
    for (const char *p = name; *p; p++) {
        if (p[0] == '.' && (p[1] == '.' || p[1] == '\0')) {
            snprintf(why, size,
                     "a sysctl name of words joined by single dots, got an empty "
                     "part (\"..\" or a dot at the end) (%s)",
                     example);
            return -EINVAL;
        }
        int ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' ||
                 *p == '-';
        if (!ok) {
            if ((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7F)
                snprintf(why, size, "a sysctl name of a-z, 0-9, '_', '-' and '.', got '%c' (%s)",
                         *p, example);
            else
                snprintf(why, size,
                         "a sysctl name of a-z, 0-9, '_', '-' and '.', got byte "
                         "0x%02X (%s)",
                         (unsigned char)*p, example);
            return -EINVAL;
        }
    }
    return 0;
}

/* The sysctl command's "name=value" strings, as a list: the object to
 * write instead. */
static int list_of_assignments_error(struct validator *v, json_t *first, const char *where)
{
    const char *text = json_string_value(first), *equals = strchr(text, '=');
    json_t *fixed = json_object(), *number = NULL;
    char fixed_name[96], *end, *suggestion;
    snprintf(fixed_name, sizeof fixed_name, "%.*s", (int)(equals - text), text);
    long long n = strtoll(equals + 1, &end, 10);
    if (end != equals + 1 && *end == '\0')
        number = json_integer(n);
    json_object_set_new(fixed, fixed_name, number ? number : json_string(equals + 1));
    suggestion = json_dumps(fixed, 0);
    int rc = validator_error(v, where, 0,
                             "expected an object of names and values, got a list of "
                             "\"name=value\" strings; write %s",
                             suggestion ? suggestion : "{\"net.core.somaxconn\": 4096}");
    free(suggestion);
    json_decref(fixed);
    return rc;
}

/* One sysctl's value (at path) into out, as written to /proc/sys: digits,
 * or the words of a multi-value sysctl ("4096 131072 6291456"). */
static int parse_value(struct validator *v, json_t *setting, const char *path,
                       struct sysctl_setting *out)
{
    char text[96];
    if (json_is_integer(setting)) {
        snprintf(out->value, sizeof out->value, "%" JSON_INTEGER_FORMAT,
                 json_integer_value(setting));
        return 0;
    }
    if (json_is_string(setting)) {
        const char *string = json_string_value(setting);
        if (strlen(string) == 0 || strlen(string) >= sizeof out->value)
            return validator_error(v, path, 0, "expected a value of 1 to %zu characters, got %s",
                                   sizeof out->value - 1,
                                   strlen(string) ? "a longer one" : "an empty string");
        for (const char *p = string; *p; p++)
            if ((unsigned char)*p < 0x20 && *p != '\t')
                return validator_error(v, path, 0,
                                       "expected a value without control characters "
                                       "(such as a line break), as written to /proc/sys");
        snprintf(out->value, sizeof out->value, "%s", string);
        return 0;
    }
    validator_describe(v, path, setting, text, sizeof text);
    if (json_is_boolean(setting))
        return validator_error(v, path, 0,
                               "expected an integer or a string such as "
                               "\"4096 131072 6291456\", got %s; write %d",
                               text, json_is_true(setting) ? 1 : 0);
    return validator_error(v, path, 0,
                           "expected an integer or a string such as "
                           "\"4096 131072 6291456\", got %s",
                           text);
}

int params_parse_sysctls(struct validator *v, json_t *value, const char *where,
                         struct sysctl_setting *settings, size_t *count)
{
    const char *name;
    json_t *setting;
    int rc;
    if (!value)
        return 0;
    json_t *first = json_array_get(value, 0);
    if (json_is_string(first) && strchr(json_string_value(first), '='))
        return list_of_assignments_error(v, first, where);
    if ((rc = validator_expect_object(v, value, where, "{\"net.core.somaxconn\": 4096}")))
        return rc;
    if (json_object_size(value) > PARAMS_MAX_SYSCTLS)
        return validator_error(v, where, 0, "expected at most %d sysctls, got %zu",
                               PARAMS_MAX_SYSCTLS, json_object_size(value));
    json_object_foreach(value, name, setting)
    {
        char path[1024], why[512];
        struct sysctl_setting *s = &settings[*count];
        json_path_key(path, sizeof path, where, name);
        if (params_sysctl_name_check(name, why, sizeof why))
            return validator_error(v, path, 1, "expected %s", why);
        snprintf(s->name, sizeof s->name, "%s", name);
        if ((rc = parse_value(v, setting, path, s)))
            return rc;
        (*count)++;
    }
    return 0;
}
