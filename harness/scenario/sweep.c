/* sweep.c: see sweep.h. The "sweep" object: which paths it may vary, its
 * lists of values, and the base values it replaces in every point. */
#include "keys.h"
#include "suggest.h"
#include "sweep.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Whether a sweep may vary path: one of keys_sweepable, or "sysctls.<name>". */
static int is_sweepable(const char *path)
{
    if (strncmp(path, "sysctls.", 8) == 0)
        return path[8] != '\0';
    for (size_t i = 0; keys_sweepable[i]; i++)
        if (strcmp(path, keys_sweepable[i]) == 0)
            return 1;
    return 0;
}

/* Scenario keys that describe the file, not a run: they cannot vary. */
static int is_scenario_only_key(const char *path)
{
    for (size_t i = 0; keys_point[i]; i++)
        if (strcmp(path, keys_point[i]) == 0)
            return 0;
    for (size_t i = 0; keys_scenario[i]; i++)
        if (strcmp(path, keys_scenario[i]) == 0)
            return 1;
    return 0;
}

static int sweep_path_error(struct validator *v, const char *path, const char *key_path)
{
    char why[512];
    const char *examples = "use a dotted path such as \"server.backlog\", \"client.sndbuf\" or "
                           "\"sysctls.net.core.somaxconn\"";
    if (strlen(path) >= sizeof(((struct scenario_sweep_key *)0)->path))
        return validator_error(v, key_path, 1, "expected a key path of at most %zu characters",
                               sizeof(((struct scenario_sweep_key *)0)->path) - 1);
    if (strncmp(path, "sysctls.", 8) == 0 && path[8] &&
        params_sysctl_name_check(path + 8, why, sizeof why))
        return validator_error(v, key_path, 1, "expected %s", why);
    if (is_sweepable(path))
        return 0;
    if (strcmp(path, "sysctls") == 0)
        return validator_error(v, key_path, 1,
                               "not a key that can be swept; sweep one sysctl at a time, "
                               "e.g. \"sysctls.net.core.somaxconn\": [64, 4096]");
    if (strcmp(path, "server") == 0 || strcmp(path, "client") == 0)
        return validator_error(v, key_path, 1,
                               "not a key that can be swept; sweep a key inside it, e.g. "
                               "\"%s\"",
                               path[0] == 's' ? "server.backlog" : "client.connections");
    if (is_scenario_only_key(path))
        return validator_error(v, key_path, 1,
                               "\"%s\" describes the scenario, not a run, and cannot be "
                               "swept; %s",
                               path, examples);
    const char *best = suggest_word(path, keys_sweepable);
    /* the section left out: "backlog" for "server.backlog" */
    for (size_t i = 0; !best && keys_sweepable[i]; i++) {
        const char *dot = strrchr(keys_sweepable[i], '.');
        if (dot && strcmp(dot + 1, path) == 0)
            best = keys_sweepable[i];
    }
    if (best)
        return validator_error(v, key_path, 1, "not a key that can be swept; did you mean \"%s\"?",
                               best);
    return validator_error(v, key_path, 1, "not a key that can be swept; %s", examples);
}

/* Two swept paths, one inside the other ("server.accept" and
 * "server.accept.every_ms"): which would win is not clear. */
static int check_not_nested(const struct scenario *s, struct validator *v, const char *path,
                            const char *key_path)
{
    for (size_t k = 0; k < s->sweep_count; k++) {
        const char *a = s->sweep[k].path, *b = path;
        size_t la = strlen(a), lb = strlen(b);
        const char *shorter = la < lb ? a : b, *longer = la < lb ? b : a;
        size_t n = la < lb ? la : lb;
        if (strncmp(shorter, longer, n) == 0 && longer[n] == '.')
            return validator_error(v, key_path, 1,
                                   "\"%s\" lies inside \"%s\", which is swept too; "
                                   "sweep the object or its key, not both",
                                   longer, shorter);
    }
    return 0;
}

/* A swept path's values: a non-empty list, not too long. */
static int check_values(struct validator *v, json_t *values, const char *key_path)
{
    char got[96], text[64];
    if (json_is_array(values) && json_array_size(values) == 0)
        return validator_error(v, key_path, 0,
                               "expected a non-empty list of values, e.g. [1, 2, 4], got "
                               "an empty list; give at least one value, or remove the key");
    if (!json_is_array(values)) {
        validator_describe(v, key_path, values, got, sizeof got);
        if (json_is_object(values))
            return validator_error(v, key_path, 0,
                                   "expected a non-empty list of values, e.g. [1, 2, 4], "
                                   "got %s",
                                   got);
        return validator_error(v, key_path, 0,
                               "expected a non-empty list of values, e.g. [1, 2, 4], got "
                               "%s; write [%s] for that one value",
                               got, validator_value_text(v, key_path, values, text, sizeof text));
    }
    if (json_array_size(values) > SCENARIO_MAX_SWEEP_VALUES)
        return validator_error(v, key_path, 0,
                               "expected at most %d values, got %zu; split it into "
                               "several scenarios",
                               SCENARIO_MAX_SWEEP_VALUES, json_array_size(values));
    return 0;
}

static int check_sweep_object(struct validator *v, json_t *sweep)
{
    char got[96];
    if (!json_is_object(sweep))
        return validator_error(v, "sweep", 0,
                               "expected an object mapping key paths to lists, e.g. "
                               "{\"server.backlog\": [0, 1, 2, 4]}, got %s",
                               validator_describe(v, "sweep", sweep, got, sizeof got));
    if (json_object_size(sweep) > SCENARIO_MAX_SWEEP_KEYS)
        return validator_error(v, "sweep", 0,
                               "expected at most %d keys to sweep, got %zu; split it into "
                               "several scenarios",
                               SCENARIO_MAX_SWEEP_KEYS, json_object_size(sweep));
    return 0;
}

/* The value the scenario itself gives a swept path, or NULL; its key path
 * for messages in location (sysctls["net.core.somaxconn"]). */
static json_t *base_value(json_t *root, const char *path, char *location, size_t size)
{
    char part[128];
    json_t *value = root;
    location[0] = '\0';
    if (strncmp(path, "sysctls.", 8) == 0) {
        json_path_key(location, size, "sysctls", path + 8);
        return json_object_get(json_object_get(root, "sysctls"), path + 8);
    }
    snprintf(location, size, "%s", path);
    while (*path && json_is_object(value)) {
        size_t n = strcspn(path, ".");
        snprintf(part, sizeof part, "%.*s", (int)n, path);
        value = json_object_get(value, part);
        path += n + (path[n] == '.');
    }
    return *path ? NULL : value;
}

/* "-1, 4, 16" (cut with "..." when long). */
static void values_text(json_t *values, char *out, size_t size)
{
    size_t i;
    json_t *item;
    out[0] = '\0';
    json_array_foreach(values, i, item)
    {
        char *text = json_dumps(item, JSON_COMPACT | JSON_ENCODE_ANY);
        size_t used = strlen(out);
        if (used + (text ? strlen(text) : 1) + 6 >= size) {
            snprintf(out + used, size - used, ", ...");
            free(text);
            return;
        }
        snprintf(out + used, size - used, "%s%s", i ? ", " : "", text ? text : "?");
        free(text);
    }
}

/* A key the scenario sets and also sweeps, to a value none of the sweep's
 * values equals: every point replaces it, so it never runs. A value that
 * is among the swept ones is left alone: shipped scenarios set one as the
 * base on purpose (an object such as server.read needs all its keys). */
static void note_overridden_base(struct scenario *s, struct validator *v,
                                 const struct scenario_sweep_key *k)
{
    char location[256], given[96], swept[256], path[sizeof k->path];
    json_t *value = base_value(s->root, k->path, location, sizeof location), *item;
    size_t i;
    if (!value || s->note_count >= SCENARIO_MAX_SWEEP_KEYS)
        return;
    json_array_foreach(k->values, i, item) if (json_equal(item, value)) return;
    validator_value_text(v, location, value, given, sizeof given);
    values_text(k->values, swept, sizeof swept);
    snprintf(path, sizeof path, "%s", k->path); /* k lies inside s, as the note does */
    struct hl_error *note = &s->notes[s->note_count++];
    /* where is "FILE:LINE:COL" alone: the message names the key itself */
    validator_where(v, location, 0, note->where, sizeof note->where);
    size_t n = strlen(note->where), m = strlen(location);
    if (n > m + 2 && strcmp(note->where + n - m, location) == 0)
        note->where[n - m - 2] = '\0';
    snprintf(note->what, sizeof note->what,
             "warning: %s = %s is overridden by the sweep, which gives it %s, so %s never "
             "runs; remove the sweep to run it (or add the value to the sweep)",
             path, given, swept, given);
}

int scenario_sweep_parse(struct scenario *s, struct validator *v, json_t *sweep)
{
    const char *path;
    json_t *values;
    double runs = s->repeat;
    int rc;
    s->point_count = 1;
    if (!sweep)
        return 0;
    if ((rc = check_sweep_object(v, sweep)))
        return rc;
    json_object_foreach(sweep, path, values)
    {
        char key_path[512];
        json_path_key(key_path, sizeof key_path, "sweep", path);
        if ((rc = sweep_path_error(v, path, key_path)) ||
            (rc = check_not_nested(s, v, path, key_path)) ||
            (rc = check_values(v, values, key_path)))
            return rc;
        struct scenario_sweep_key *k = &s->sweep[s->sweep_count++];
        snprintf(k->path, sizeof k->path, "%s", path);
        k->values = values;
        runs *= (double)json_array_size(values);
        note_overridden_base(s, v, k);
    }
    if (runs > SCENARIO_MAX_RUNS)
        return validator_error(v, "sweep", 0,
                               "expected at most %d runs (points x repeat), got %.0f; split "
                               "it into several scenarios or sweep fewer values",
                               SCENARIO_MAX_RUNS, runs);
    s->point_count = (size_t)(runs / s->repeat);
    return 0;
}
