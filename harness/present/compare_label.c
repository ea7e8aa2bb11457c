/* compare_label.c: compare_label() of compare.h, what a side of a
 * comparison is called in the pages and on the plots. */
#include "compare.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void append(char *out, size_t size, const char *text)
{
    size_t n = strlen(out);
    snprintf(out + n, n < size ? size - n : 0, "%s", text);
}

static void value_text(const json_t *v, char *out, size_t size)
{
    if (json_is_string(v))
        snprintf(out, size, "%s", json_string_value(v));
    else if (json_is_integer(v))
        snprintf(out, size, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    else if (!v)
        snprintf(out, size, "unset");
    else {
        char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        snprintf(out, size, "%s", text ? text : "?");
        free(text);
    }
}

/* The sysctls a side's runs started from: the environment's (a fresh
 * namespace's), with the scenario's written over them (new reference). */
static json_t *sysctls_of(const json_t *environment, const json_t *scenario)
{
    json_t *all = json_copy(json_object_get(environment, "sysctls"));
    if (!all)
        all = json_object();
    if (json_is_object(json_object_get(scenario, "sysctls")))
        json_object_update(all, json_object_get(scenario, "sysctls"));
    return all;
}

/* Appends ", name=value" for each sysctl of mine whose value differs from
 * theirs, then ", name=unset" for each of theirs that mine lacks, each
 * named by its last part; returns whether there was one. */
static int append_sysctls_that_differ(const json_t *mine, const json_t *theirs, char *out,
                                      size_t size)
{
    const char *key;
    const json_t *value;
    int differs = 0;
    json_object_foreach((json_t *)mine, key, value)
    {
        if (json_equal((json_t *)value, json_object_get(theirs, key)))
            continue;
        char text[256];
        const char *dot = strrchr(key, '.');
        value_text(value, text, sizeof text);
        append(out, size, out[0] ? ", " : "");
        append(out, size, dot ? dot + 1 : key);
        append(out, size, "=");
        append(out, size, text);
        differs = 1;
    }
    json_object_foreach((json_t *)theirs, key, value)
    {
        if (json_object_get(mine, key))
            continue;
        const char *dot = strrchr(key, '.');
        append(out, size, out[0] ? ", " : "");
        append(out, size, dot ? dot + 1 : key);
        append(out, size, "=unset");
        differs = 1;
    }
    return differs;
}

/* Whether two environments name the same host and kernel. */
static int same_machine(const json_t *environment, const json_t *other)
{
    const char *host = json_string_value(json_object_get(environment, "hostname"));
    const char *kernel = json_string_value(json_object_get(environment, "kernel"));
    const char *other_host = json_string_value(json_object_get(other, "hostname"));
    const char *other_kernel = json_string_value(json_object_get(other, "kernel"));
    return strcmp(host ? host : "", other_host ? other_host : "") == 0 &&
           strcmp(kernel ? kernel : "", other_kernel ? other_kernel : "") == 0;
}

void compare_label(const json_t *environment, const json_t *scenario,
                   const json_t *other_environment, const json_t *other_scenario, int brief,
                   char *out, size_t size)
{
    const char *host = json_string_value(json_object_get(environment, "hostname"));
    const char *kernel = json_string_value(json_object_get(environment, "kernel"));
    const char *start = json_string_value(json_object_get(environment, "started_at"));
    json_t *mine = sysctls_of(environment, scenario);
    json_t *theirs = sysctls_of(other_environment, other_scenario);
    int same = same_machine(environment, other_environment);

    out[0] = '\0';
    if (!brief || !same)
        snprintf(out, size, "%s, %s", host ? host : "unknown host",
                 kernel ? kernel : "unknown kernel");
    if (!append_sysctls_that_differ(mine, theirs, out, size) && start && same) {
        /* "2026-11-26T02:39:11Z" -> "2026-11-26 02:39" */
        char when[64];
        snprintf(when, sizeof when, "%.16s", start);
        if (strlen(when) > 10)
            when[10] = ' ';
        append(out, size, out[0] ? ", " : "");
        append(out, size, when);
    }
    json_decref(mine);
    json_decref(theirs);
}
