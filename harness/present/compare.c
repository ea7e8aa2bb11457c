/* compare.c: see compare.h. Sets are matched by scenario name and
 * scenarios point by point here; compare_rule.c decides what is marked,
 * compare_label.c names the sides. */
#include "compare.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare_rule.h"

/* ---- points ---- */

static int sweep_matches(const json_t *pa, const json_t *pb)
{
    return json_equal(json_object_get(pa, "sweep"), json_object_get(pb, "sweep"));
}

static json_t *point_ref(const json_t *p)
{
    return json_pack("{s:O,s:O}", "point", json_object_get(p, "point"), "sweep",
                     json_object_get(p, "sweep"));
}

/* A matched point: its fields (compare_rule.h) and which are marked. */
static json_t *compare_point(const json_t *a, const json_t *pa, const json_t *b, const json_t *pb,
                             size_t *marked_count)
{
    json_t *marked;
    json_t *fields = compare_rule_fields(a, pa, b, pb, &marked);
    *marked_count = json_array_size(marked);
    return json_pack(
        "{s:O,s:O,s:O,s:O,s:O,s:I,s:I,s:o,s:o}", "sweep", json_object_get(pa, "sweep"), "a_point",
        json_object_get(pa, "point"), "b_point", json_object_get(pb, "point"), "a_runs",
        json_object_get(pa, "runs"), "b_runs", json_object_get(pb, "runs"), "a_repeats",
        json_integer_value(json_object_get(pa, "repeats")), "b_repeats",
        json_integer_value(json_object_get(pb, "repeats")), "fields", fields, "marked", marked);
}

/* The points of a scenario's two results files: compared, or in one only. */
struct point_matches {
    json_t *points, *only_a, *only_b; /* new references */
    size_t marked, points_marked;
};

/* Each point of a is matched with the first point of b not yet matched
 * that has its sweep values. */
static void match_points(const json_t *a, const json_t *b, struct point_matches *m)
{
    const json_t *points_b = json_object_get(b, "point_summaries"), *pa, *pb;
    size_t i, j, nb = json_array_size(points_b);
    char *used = calloc(nb + 1, 1);

    *m = (struct point_matches){json_array(), json_array(), json_array(), 0, 0};
    json_array_foreach(json_object_get(a, "point_summaries"), i, pa)
    {
        for (j = 0; j < nb; j++)
            if (!used[j] && sweep_matches(pa, json_array_get(points_b, j)))
                break;
        if (j == nb) {
            json_array_append_new(m->only_a, point_ref(pa));
            continue;
        }
        used[j] = 1;
        size_t count;
        json_array_append_new(m->points,
                              compare_point(a, pa, b, json_array_get(points_b, j), &count));
        m->marked += count;
        m->points_marked += count > 0;
    }
    json_array_foreach(points_b, j, pb)
    {
        if (!used[j])
            json_array_append_new(m->only_b, point_ref(pb));
    }
    free(used);
}

/* The points a results file did not run, and why: {sweep, reason}. */
static json_t *skipped_points(const json_t *results)
{
    json_t *out = json_array();
    const json_t *p;
    size_t i;
    json_array_foreach(json_object_get(results, "skipped"), i, p)
    {
        const json_t *sweep = json_object_get(p, "sweep");
        const char *reason = json_string_value(json_object_get(p, "reason"));
        json_array_append_new(out, json_pack("{s:O,s:s}", "sweep", sweep ? sweep : json_null(),
                                             "reason", reason ? reason : "skipped"));
    }
    return out;
}

/* ---- what differs in the scenarios as given ---- */

static void append_value_text(char *out, size_t size, const json_t *value)
{
    char *text = value ? json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS) : NULL;
    size_t n = strlen(out);
    snprintf(out + n, size - n, "%.60s%s", text ? text : "(absent)",
             text && strlen(text) > 60 ? "..." : "");
    free(text);
}

/* Adds "path: A vs B" for every leaf that differs (objects are walked, the
 * rest compared whole); at most 20 entries. */
static void scenario_diff(const json_t *a, const json_t *b, const char *path, json_t *out)
{
    if (json_array_size(out) >= 20)
        return;
    if (json_is_object(a) && json_is_object(b)) {
        const char *key;
        const json_t *value;
        json_object_foreach((json_t *)a, key, value)
        {
            char sub[512];
            if (!path[0] && (strcmp(key, "description") == 0 || strcmp(key, "$schema") == 0))
                continue; /* words, not settings */
            snprintf(sub, sizeof sub, "%s%s%s", path, path[0] ? "." : "", key);
            scenario_diff(value, json_object_get(b, key), sub, out);
        }
        json_object_foreach((json_t *)b, key, value)
        {
            char sub[512];
            if (json_object_get(a, key) || (!path[0] && strcmp(key, "$schema") == 0))
                continue;
            snprintf(sub, sizeof sub, "%s%s%s", path, path[0] ? "." : "", key);
            scenario_diff(NULL, value, sub, out);
        }
        return;
    }
    if (a && b && json_equal((json_t *)a, (json_t *)b))
        return;
    char line[1024];
    snprintf(line, sizeof line, "%s: ", path);
    append_value_text(line, sizeof line, a);
    snprintf(line + strlen(line), sizeof line - strlen(line), " vs ");
    append_value_text(line, sizeof line, b);
    json_array_append_new(out, json_string(line));
}

/* ---- a scenario ---- */

/* compare_scenario()'s "labels": both sides' labels, full and brief, and
 * what the brief ones leave out (new reference). */
static json_t *scenario_labels(const json_t *a, const json_t *b)
{
    const json_t *env_a = json_object_get(a, "environment"),
                 *env_b = json_object_get(b, "environment");
    const json_t *scen_a = json_object_get(a, "scenario"), *scen_b = json_object_get(b, "scenario");
    char label_a[512], label_b[512], brief_a[512], brief_b[512], common[512] = "";

    compare_label(env_a, scen_a, env_b, scen_b, 0, label_a, sizeof label_a);
    compare_label(env_b, scen_b, env_a, scen_a, 0, label_b, sizeof label_b);
    compare_label(env_a, scen_a, env_b, scen_b, 1, brief_a, sizeof brief_a);
    compare_label(env_b, scen_b, env_a, scen_a, 1, brief_b, sizeof brief_b);
    /* what the brief labels leave out: the machine both ran on */
    if (strcmp(brief_a, label_a) != 0) {
        const char *host = json_string_value(json_object_get(env_a, "hostname"));
        const char *kernel = json_string_value(json_object_get(env_a, "kernel"));
        snprintf(common, sizeof common, "%s, %s", host ? host : "unknown host",
                 kernel ? kernel : "unknown kernel");
    }
    return json_pack("{s:s,s:s,s:s,s:s,s:s}", "a", label_a, "b", label_b, "a_brief", brief_a,
                     "b_brief", brief_b, "common", common);
}

json_t *compare_scenario(const json_t *a, const json_t *b)
{
    const char *description = json_string_value(json_object_get(a, "description"));
    json_t *differs = json_array();
    struct point_matches m;

    match_points(a, b, &m);
    scenario_diff(json_object_get(a, "scenario"), json_object_get(b, "scenario"), "", differs);
    return json_pack("{s:O,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:I,s:I}", "name",
                     json_object_get(a, "name"), "description", description ? description : "",
                     "labels", scenario_labels(a, b), "scenario_differs", differs, "points",
                     m.points, "only_in_a", m.only_a, "only_in_b", m.only_b, "skipped_in_a",
                     skipped_points(a), "skipped_in_b", skipped_points(b), "marked",
                     (json_int_t)m.marked, "points_marked", (json_int_t)m.points_marked);
}

/* ---- two sets ---- */

static json_t *side(const struct resultset *set, const struct resultset *other)
{
    char label[512];
    const json_t *env = resultset_environment(set);
    compare_label(env, NULL, resultset_environment(other), NULL, 0, label, sizeof label);
    return json_pack("{s:s,s:s,s:O,s:I}", "dir", set->dir, "label", label, "environment",
                     env ? env : json_null(), "scenarios", (json_int_t)set->count);
}

json_t *compare_sets(const struct resultset *a, const struct resultset *b)
{
    json_t *scenarios = json_array(), *only_a = json_array(), *only_b = json_array();
    json_int_t marked = 0, scenarios_marked = 0;

    for (size_t i = 0; i < a->count; i++) {
        const struct resultset_entry *ea = &a->entries[i];
        const struct resultset_entry *eb = resultset_find(b, ea->name);
        if (!eb) {
            json_array_append_new(only_a, json_string(ea->name));
            continue;
        }
        json_t *s = compare_scenario(ea->results, eb->results);
        json_object_set_new(s, "a_file", json_string(ea->file));
        json_object_set_new(s, "b_file", json_string(eb->file));
        json_object_set_new(s, "a_stem", json_string(ea->stem));
        json_object_set_new(s, "b_stem", json_string(eb->stem));
        json_int_t m = json_integer_value(json_object_get(s, "marked"));
        marked += m;
        scenarios_marked += m > 0;
        json_array_append_new(scenarios, s);
    }
    for (size_t i = 0; i < b->count; i++)
        if (!resultset_find(a, b->entries[i].name))
            json_array_append_new(only_b, json_string(b->entries[i].name));
    return json_pack("{s:s,s:o,s:o,s:o,s:o,s:o,s:I,s:I}", "format", COMPARE_FORMAT, "a", side(a, b),
                     "b", side(b, a), "scenarios", scenarios, "only_in_a", only_a, "only_in_b",
                     only_b, "marked", marked, "scenarios_marked", scenarios_marked);
}
