/* compare_many.c: compare_many() and compare_set_names() of compare.h:
 * more than two sets, each compared with the first (the baseline) by the
 * rule of two, and what each set is called. */
#include "compare.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- names ---- */

/* The last `parts` parts of a directory's path ("a/b/results/" -> 1:
 * "results", 2: "b/results"); its real path's when the path has fewer
 * ("." or ".."). */
static void path_tail(const char *dir, int parts, char *out, size_t size)
{
    char path[PATH_MAX];
    size_t n;
    snprintf(path, sizeof path, "%s", dir);
    n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        path[--n] = '\0';
    if (strcmp(path, ".") == 0 || strcmp(path, "..") == 0 ||
        (n > 2 && strcmp(path + n - 3, "/..") == 0) || (n > 1 && strcmp(path + n - 2, "/.") == 0)) {
        char real[PATH_MAX];
        if (realpath(dir, real))
            snprintf(path, sizeof path, "%s", real);
        n = strlen(path);
    }
    const char *start = path + n;
    for (int seen = 0; start > path; start--)
        if (start[-1] == '/' && ++seen == parts)
            break;
    snprintf(out, size, "%s", start[0] ? start : path);
}

static int name_taken(char names[][COMPARE_NAME_SIZE], size_t count, size_t k)
{
    for (size_t j = 0; j < count; j++)
        if (j != k && strcmp(names[j], names[k]) == 0)
            return 1;
    return 0;
}

void compare_set_names(const char *const *dirs, const char *const *labels, size_t count,
                       char names[][COMPARE_NAME_SIZE])
{
    for (size_t k = 0; k < count; k++) {
        if (labels && labels[k])
            snprintf(names[k], COMPARE_NAME_SIZE, "%s", labels[k]);
        else
            path_tail(dirs[k], 1, names[k], COMPARE_NAME_SIZE);
    }
    /* two directories of one name (alice/results, bob/results): their
     * parents tell them apart; the same directory twice: its letter */
    int taken[COMPARE_MAX_SETS] = {0};
    for (size_t k = 0; k < count && k < COMPARE_MAX_SETS; k++)
        taken[k] = !(labels && labels[k]) && name_taken(names, count, k);
    for (size_t k = 0; k < count && k < COMPARE_MAX_SETS; k++)
        if (taken[k])
            path_tail(dirs[k], 2, names[k], COMPARE_NAME_SIZE);
    for (size_t k = 0; k < count && k < COMPARE_MAX_SETS; k++)
        taken[k] = name_taken(names, count, k);
    for (size_t k = 0; k < count && k < COMPARE_MAX_SETS; k++) {
        if (!taken[k])
            continue;
        size_t n = strlen(names[k]);
        if (n > COMPARE_NAME_SIZE - 5)
            n = COMPARE_NAME_SIZE - 5;
        snprintf(names[k] + n, COMPARE_NAME_SIZE - n, " (%c)", (char)('A' + k));
    }
}

/* ---- the sets ---- */

static json_t *letter(size_t k)
{
    char text[2] = {(char)('A' + k), '\0'};
    return json_string(text);
}

/* A set's entry: what it is, and beyond the baseline the scenarios it and
 * the baseline do not share. */
static json_t *set_entry(const struct resultset *const *sets, const char *const *names, size_t k)
{
    const struct resultset *set = sets[k], *other = sets[k ? 0 : 1];
    const json_t *env = resultset_environment(set);
    char label[512];
    compare_label(env, NULL, resultset_environment(other), NULL, 0, label, sizeof label);
    json_t *entry = json_pack("{s:o,s:s,s:s,s:s,s:O,s:I}", "set", letter(k), "name", names[k],
                              "dir", set->dir, "label", label, "environment",
                              env ? env : json_null(), "scenarios", (json_int_t)set->count);
    if (k == 0)
        return entry;
    json_t *missing = json_array(), *extra = json_array();
    for (size_t i = 0; i < sets[0]->count; i++)
        if (!resultset_find(set, sets[0]->entries[i].name))
            json_array_append_new(missing, json_string(sets[0]->entries[i].name));
    for (size_t i = 0; i < set->count; i++)
        if (!resultset_find(sets[0], set->entries[i].name))
            json_array_append_new(extra, json_string(set->entries[i].name));
    json_object_set_new(entry, "only_in_baseline", missing);
    json_object_set_new(entry, "not_in_baseline", extra);
    return entry;
}

/* ---- a scenario ---- */

static json_t *file_entry(size_t k, const struct resultset_entry *e)
{
    return json_pack("{s:o,s:s,s:s}", "set", letter(k), "file", e->file, "stem", e->stem);
}

/* The baseline's points where some set is marked: their count. */
static json_int_t points_marked(const json_t *against)
{
    json_t *points = json_object();
    const json_t *pair, *point;
    size_t i, j;
    json_array_foreach(against, i, pair)
    {
        json_array_foreach(json_object_get(pair, "points"), j, point)
        {
            char key[32];
            if (!json_array_size(json_object_get(point, "marked")))
                continue;
            snprintf(key, sizeof key, "%" JSON_INTEGER_FORMAT,
                     json_integer_value(json_object_get(point, "a_point")));
            json_object_set_new(points, key, json_true());
        }
    }
    json_int_t count = (json_int_t)json_object_size(points);
    json_decref(points);
    return count;
}

/* The baseline's scenario e against every other set that has it; NULL
 * when none has. */
static json_t *scenario_many(const struct resultset *const *sets, size_t count,
                             const struct resultset_entry *e)
{
    json_t *files = json_array(), *against = json_array();
    json_int_t marked = 0;
    json_array_append_new(files, file_entry(0, e));
    for (size_t k = 1; k < count; k++) {
        const struct resultset_entry *ek = resultset_find(sets[k], e->name);
        if (!ek) {
            json_array_append_new(files, json_null());
            continue;
        }
        json_array_append_new(files, file_entry(k, ek));
        json_t *pair = compare_scenario(e->results, ek->results);
        json_object_set_new(pair, "set", letter(k));
        json_object_set_new(pair, "a_file", json_string(e->file));
        json_object_set_new(pair, "b_file", json_string(ek->file));
        json_object_set_new(pair, "a_stem", json_string(e->stem));
        json_object_set_new(pair, "b_stem", json_string(ek->stem));
        marked += json_integer_value(json_object_get(pair, "marked"));
        json_array_append_new(against, pair);
    }
    if (!json_array_size(against)) {
        json_decref(files);
        json_decref(against);
        return NULL;
    }
    const char *description = json_string_value(json_object_get(e->results, "description"));
    json_int_t points = points_marked(against);
    return json_pack("{s:s,s:s,s:o,s:o,s:I,s:I}", "name", e->name, "description",
                     description ? description : "", "files", files, "against_baseline", against,
                     "marked", marked, "points_marked", points);
}

json_t *compare_many(const struct resultset *const *sets, const char *const *names, size_t count)
{
    json_t *entries = json_array(), *scenarios = json_array();
    json_int_t marked = 0, scenarios_marked = 0;

    for (size_t k = 0; k < count; k++)
        json_array_append_new(entries, set_entry(sets, names, k));
    for (size_t i = 0; i < sets[0]->count; i++) {
        json_t *s = scenario_many(sets, count, &sets[0]->entries[i]);
        if (!s)
            continue;
        json_int_t m = json_integer_value(json_object_get(s, "marked"));
        marked += m;
        scenarios_marked += m > 0;
        json_array_append_new(scenarios, s);
    }
    return json_pack("{s:s,s:s,s:o,s:o,s:I,s:I}", "format", COMPARE_FORMAT_MANY, "baseline", "A",
                     "sets", entries, "scenarios", scenarios, "marked", marked, "scenarios_marked",
                     scenarios_marked);
}
