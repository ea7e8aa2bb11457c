/* points.c: see sweep.h and scenario.h. A point of a scenario: its
 * indexes into the sweep lists, its JSON, its validation, its label. */
#include "keys.h"
#include "params_parse.h"
#include "sweep.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Sets the value at a dotted path in root, creating objects on the way.
 * "sysctls.net.core.somaxconn" takes the rest after "sysctls." as one key.
 * The value is copied: the scenario as given must stay as given. */
static int set_path(json_t *root, const char *path, json_t *value, char *conflict, size_t size)
{
    char parts[8][128];
    size_t count = 0;
    if (strncmp(path, "sysctls.", 8) == 0) {
        snprintf(parts[0], sizeof parts[0], "sysctls");
        snprintf(parts[1], sizeof parts[1], "%s", path + 8);
        count = 2;
    } else {
        const char *p = path;
        while (*p && count < 8) {
            const char *dot = strchr(p, '.');
            size_t n = dot ? (size_t)(dot - p) : strlen(p);
            snprintf(parts[count++], sizeof parts[0], "%.*s", (int)n, p);
            p += n + (dot ? 1 : 0);
        }
    }
    if (count == 0)
        return -EINVAL;
    json_t *obj = root;
    for (size_t i = 0; i + 1 < count; i++) {
        json_t *next = json_object_get(obj, parts[i]);
        if (!next) {
            next = json_object();
            json_object_set_new(obj, parts[i], next);
        } else if (!json_is_object(next)) {
            snprintf(conflict, size, "%s", parts[0]);
            for (size_t j = 1; j <= i; j++)
                snprintf(conflict + strlen(conflict), size - strlen(conflict), ".%s", parts[j]);
            return -EINVAL;
        }
        obj = next;
    }
    json_object_set_new(obj, parts[count - 1], json_deep_copy(value));
    return 0;
}

void scenario_point_indexes(const struct scenario *s, size_t index, size_t *indexes)
{
    size_t rest = index;
    for (size_t k = s->sweep_count; k-- > 0;) {
        size_t n = json_array_size(s->sweep[k].values);
        indexes[k] = n ? rest % n : 0;
        rest /= n ? n : 1;
    }
}

/* The value at a dotted path of plain keys ("server.accept"), or null. */
static json_t *dotted_get(json_t *root, const char *path)
{
    char part[128];
    json_t *value = root;
    while (*path && value) {
        size_t n = strcspn(path, ".");
        snprintf(part, sizeof part, "%.*s", (int)n, path);
        value = json_object_get(value, part);
        path += n + (path[n] == '.');
    }
    return value ? value : json_null();
}

/* "server.backlog=4 client.sndbuf=4096" for the given sweep indexes. */
static void combination_label(const struct scenario *s, const size_t *indexes, char *out,
                              size_t size)
{
    json_t *values = json_object();
    for (size_t k = 0; k < s->sweep_count; k++)
        json_object_set(values, s->sweep[k].path, json_array_get(s->sweep[k].values, indexes[k]));
    scenario_point_label(values, out, size);
    json_decref(values);
}

/* Appends " (in the point server.backlog=4 client.sndbuf=0)" to err. */
static void add_point_label(const struct scenario *s, const size_t *indexes, struct hl_error *err)
{
    char label[512], what[sizeof err->what];
    combination_label(s, indexes, label, sizeof label);
    snprintf(what, sizeof what, "%s (in the point %s)", err->what, label);
    snprintf(err->what, sizeof err->what, "%s", what);
}

/* A copy of the scenario's point keys. Only these are copied (not its
 * description or sweep), so checking thousands of points stays cheap
 * whatever else the file holds. */
static json_t *point_keys_copy(json_t *root)
{
    json_t *copy = json_object();
    for (size_t i = 0; keys_point[i]; i++) {
        json_t *value = json_object_get(root, keys_point[i]);
        if (value)
            json_object_set_new(copy, keys_point[i], json_deep_copy(value));
    }
    return copy;
}

/* Sets sweep key k to its value number index in copy, and records in
 * override which sweep element the value came from. */
static int set_swept_value(const struct scenario *s, size_t k, size_t index, json_t *copy,
                           struct params_override *override, struct hl_error *err)
{
    char base[256], conflict[256];
    json_path_key(base, sizeof base, "sweep", s->sweep[k].path);
    snprintf(override->path, sizeof override->path, "%s", s->sweep[k].path);
    json_path_index(override->display_path, sizeof override->display_path, base, index);
    if (strncmp(s->sweep[k].path, "sysctls.", 8) == 0)
        json_path_key(override->path, sizeof override->path, "sysctls", s->sweep[k].path + 8);
    if (set_path(copy, s->sweep[k].path, json_array_get(s->sweep[k].values, index), conflict,
                 sizeof conflict) == 0)
        return 0;
    struct validator v = {.file = s->file, .locations = &s->locations, .err = err};
    char text[64];
    return validator_error(
        &v, base, 1,
        "cannot set %s: %s is %s in the scenario, not an object; write "
        "%s as an object, or sweep \"%s\" itself",
        s->sweep[k].path, conflict,
        validator_value_text(&v, conflict, dotted_get(s->root, conflict), text, sizeof text),
        conflict, conflict);
}

int scenario_combination(const struct scenario *s, const size_t *indexes,
                         struct point_params *params, int *cross_key, struct hl_error *err)
{
    struct params_override overrides[SCENARIO_MAX_SWEEP_KEYS];
    size_t count = indexes ? s->sweep_count : 0;
    json_t *copy = point_keys_copy(s->root);
    int rc;
    for (size_t k = 0; k < count; k++) {
        if ((rc = set_swept_value(s, k, indexes[k], copy, &overrides[k], err))) {
            json_decref(copy);
            return rc;
        }
    }
    struct validator v = {.file = s->file,
                          .locations = &s->locations,
                          .overrides = overrides,
                          .override_count = count,
                          .err = err,
                          .top_keys = keys_scenario};
    rc = params_validate(&v, copy, params);
    if (cross_key)
        *cross_key = v.cross_key_error;
    json_decref(copy);
    return rc;
}

/* Validates the point of indexes; a cross-key error is named by the point. */
static int check_point(const struct scenario *s, const size_t *indexes, struct hl_error *err)
{
    struct point_params point;
    int cross_key = 0;
    int rc = scenario_combination(s, indexes, &point, &cross_key, err);
    if (rc && cross_key)
        add_point_label(s, indexes, err);
    return rc;
}

/* Every sweep value first, with the other keys at their first value (a
 * real point, so an error found here is an error of the scenario), in the
 * order of the file; then every point, for cross-key checks (concurrency
 * <= connections) that only some pairs of values break. */
int scenario_check_points(const struct scenario *s, struct hl_error *err)
{
    size_t indexes[SCENARIO_MAX_SWEEP_KEYS];
    int rc;
    for (size_t k = 0; k < s->sweep_count; k++) {
        for (size_t i = 0; i < json_array_size(s->sweep[k].values); i++) {
            memset(indexes, 0, sizeof indexes);
            indexes[k] = i;
            if ((rc = check_point(s, indexes, err)))
                return rc;
        }
    }
    for (size_t p = 0; p < s->point_count; p++) {
        scenario_point_indexes(s, p, indexes);
        if ((rc = check_point(s, indexes, err)))
            return rc;
    }
    return 0;
}

int scenario_point(const struct scenario *s, size_t index, struct point_params *params,
                   json_t **sweep_values, struct hl_error *err)
{
    size_t indexes[SCENARIO_MAX_SWEEP_KEYS];
    scenario_point_indexes(s, index, indexes);
    int rc = scenario_combination(s, indexes, params, NULL, err);
    if (rc)
        return rc;
    if (sweep_values) {
        *sweep_values = json_object();
        for (size_t k = 0; k < s->sweep_count; k++)
            json_object_set(*sweep_values, s->sweep[k].path,
                            json_array_get(s->sweep[k].values, indexes[k]));
    }
    return 0;
}

void scenario_point_label(const json_t *sweep_values, char *out, size_t size)
{
    const char *key;
    json_t *value;
    out[0] = '\0';
    json_object_foreach((json_t *)sweep_values, key, value)
    {
        char *text = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
        size_t used = strlen(out);
        snprintf(out + used, size - used, "%s%s=%s", used ? " " : "", key, text ? text : "?");
        free(text);
    }
}
