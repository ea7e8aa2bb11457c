/* cli_params.c: a point's params from the command line (cli_internal.h). */
#include "cli_internal.h"

#include <errno.h>
#include <stdlib.h>

#include "scenario.h"

/* --scenario FILE --point N: that point's params as JSON text (free it),
 * and where they came from. */
static int scenario_params(const char *file, long long point, char **text, json_t **origin,
                           struct hl_error *err)
{
    struct scenario s;
    struct point_params params;
    json_t *sweep = NULL;
    char message[2048];
    int rc = scenario_load(&s, file, err);
    if (rc == 0 && (size_t)point >= s.point_count)
        rc = hl_error_set(err, "--point",
                          "%s has %zu point%s (0 to %zu), so there is no point %lld", file,
                          s.point_count, s.point_count == 1 ? "" : "s", s.point_count - 1, point);
    else if (rc == 0)
        rc = scenario_point(&s, (size_t)point, &params, &sweep, err);
    else {
        /* the scenario's own message, FILE:LINE:COL first */
        hl_error_format(err, message, sizeof message);
        hl_error_set(err, "--scenario", "%s", message);
    }
    if (rc == 0) {
        json_t *p = params_to_json(&params);
        *text = json_dumps(p, JSON_COMPACT);
        json_decref(p);
        *origin = json_pack("{s:s,s:O,s:I,s:o}", "scenario_file", file, "scenario", s.root, "point",
                            (json_int_t)point, "sweep", sweep);
        if (!*text || !*origin)
            rc = hl_error_setn(err, ENOMEM, file, "out of memory");
    }
    scenario_free(&s);
    return rc;
}

/* The params given whole (--params, or --scenario's point) with the keys
 * set by options over them, section by section. Returns a new reference,
 * or NULL with err filled. */
static json_t *keys_over(const char *base_text, json_t *keys, struct hl_error *err)
{
    json_error_t jerr;
    json_t *base = json_loads(base_text, 0, &jerr);
    if (!json_is_object(base)) {
        hl_error_set(err, "--params", "expected a JSON object (column %d: %s)", jerr.column,
                     base ? "not an object" : jerr.text);
        json_decref(base);
        return NULL;
    }
    json_t *section;
    const char *key;
    json_object_foreach(keys, key, section)
    {
        json_t *target = json_object_get(base, key);
        if (json_is_object(section) && json_is_object(target))
            json_object_update(target, section);
        else
            json_object_set(base, key, section);
    }
    return base;
}

int cli_make_params(const char *params_text, const char *scenario_file, long long point,
                    json_t *keys, struct point_params *params, json_t **origin,
                    struct hl_error *err)
{
    char *scenario_text = NULL;
    const char *base_text = params_text;
    json_t *root = NULL;
    int rc = 0;
    if (scenario_file) {
        rc = scenario_params(scenario_file, point < 0 ? 0 : point, &scenario_text, origin, err);
        base_text = scenario_text;
    }
    if (rc == 0 && base_text && !(root = keys_over(base_text, keys, err)))
        rc = -EINVAL;
    if (rc == 0 && !base_text)
        root = json_incref(keys);
    if (rc == 0) {
        char *text = json_dumps(root, JSON_COMPACT);
        rc = params_from_json_text(text, "options", params, err);
        free(text);
    }
    json_decref(root);
    free(scenario_text);
    return rc;
}
