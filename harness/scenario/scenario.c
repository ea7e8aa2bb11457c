/* scenario.c: see scenario.h. Loading a scenario: its text (json_text.h),
 * where each value is (locations.h), what kind of file it is, its name,
 * description and repeat, its base point and its sweep (sweep.h), and its
 * plots (plotkinds.h). */
#include "scenario.h"
#include "json_text.h"
#include "keys.h"
#include "plotkinds.h"
#include "suggest.h"
#include "sweep.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the file is when it is not a scenario: another JSON value, or a
 * file that harness-run wrote, given back to it by mistake. */
static int check_is_scenario(struct validator *v, json_t *root)
{
    char got[96];
    if (!json_is_object(root))
        return validator_error(v, "", 0,
                               "expected a scenario object {\"name\": ..., \"server\": {...}, "
                               "...}, got %s%s",
                               validator_describe(v, "", root, got, sizeof got),
                               json_is_object(json_array_get(root, 0))
                                   ? "; one scenario per file: put each object in a file of "
                                     "its own"
                                   : "");
    json_t *format = json_object_get(root, "format");
    if (json_is_string(format) && strncmp(json_string_value(format), "backlog-lab ", 12) == 0) {
        const char *from = json_string_value(json_object_get(root, "scenario_file"));
        return validator_error(v, "", 0,
                               "this is a %s file that harness-run wrote, not a scenario; "
                               "give the scenario%s%s",
                               strstr(json_string_value(format), "plan") ? "plan" : "results",
                               from ? " it came from, " : " file", from ? from : "");
    }
    return 0;
}

/* "$schema" tells an editor where the schema is ("./schema.json"); it is
 * no key of the experiment, so it is left out of the known keys (and of
 * their list in messages) and only checked to be a string. */
static int check_schema_key(struct validator *v, json_t *root)
{
    char got[96];
    json_t *schema = json_object_get(root, "$schema");
    if (schema && !json_is_string(schema))
        return validator_error(v, "[\"$schema\"]", 0,
                               "expected a string: the path of the JSON Schema that editors "
                               "check the file with, e.g. \"./schema.json\", got %s",
                               validator_describe(v, "[\"$schema\"]", schema, got, sizeof got));
    if (schema && strncmp(json_string_value(schema), "https://json-schema.org/", 24) == 0)
        return validator_error(v, "", 0,
                               "this is a JSON Schema (it describes scenario files), not a "
                               "scenario; give a scenario file such as "
                               "scenarios/backlog-never-accept.json");
    return 0;
}

static int check_known_keys(struct validator *v, json_t *root)
{
    json_t *keys = json_copy(root);
    if (!keys)
        return hl_error_setn(v->err, ENOMEM, v->file, "out of memory");
    json_object_del(keys, "$schema");
    int rc = validator_known_keys(v, keys, "", keys_scenario);
    json_decref(keys);
    return rc;
}

static int get_text(struct validator *v, json_t *root, const char *key, char *out, size_t size)
{
    json_t *value = json_object_get(root, key);
    char text[96];
    if (!value)
        return 0;
    if (!json_is_string(value)) {
        validator_describe(v, key, value, text, sizeof text);
        if (json_is_number(value) || json_is_boolean(value))
            return validator_error(v, key, 0,
                                   "expected a string, got %s; put it in quotes: "
                                   "\"%s\"",
                                   text, text);
        size_t i, strings = 0;
        json_t *item;
        json_array_foreach(value, i, item) strings += json_is_string(item);
        if (strings > 0 && strings == json_array_size(value))
            return validator_error(v, key, 0,
                                   "expected a string, got a list of strings; write them as "
                                   "one string");
        return validator_error(v, key, 0, "expected a string, got %s", text);
    }
    if (json_string_length(value) >= size)
        return validator_error(v, key, 0, "expected at most %zu bytes, got %zu; shorten it",
                               size - 1, json_string_length(value));
    snprintf(out, size, "%s", json_string_value(value));
    return 0;
}

/* "name" (without it: the file's name less ".json", as harness-run names
 * the results file, results/<name>.json) and "description". */
static int parse_name(struct scenario *s, struct validator *v)
{
    const char *base_name = strrchr(s->file, '/') ? strrchr(s->file, '/') + 1 : s->file;
    size_t stem = strlen(base_name);
    int rc;
    if (stem > 5 && strcmp(base_name + stem - 5, ".json") == 0)
        stem -= 5;
    snprintf(s->name, sizeof s->name, "%.*s", (int)stem, base_name);
    if ((rc = get_text(v, s->root, "name", s->name, sizeof s->name)) ||
        (rc = get_text(v, s->root, "description", s->description, sizeof s->description)))
        return rc;
    for (const char *p = s->name; json_object_get(s->root, "name") && *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7F)
            return validator_error(v, "name", 0,
                                   "expected a name without control characters (it heads "
                                   "progress lines and plot titles)");
    return 0;
}

static int parse_repeat(struct scenario *s, struct validator *v)
{
    long long n;
    int rc = validator_get_int(v, s->root, "", "repeat", 1, SCENARIO_MAX_REPEAT, 1,
                               "runs of each point", &n);
    if (rc)
        return rc;
    s->repeat = (int)n;
    return 0;
}

/* The rules of plotkinds.h look at the base point and the swept keys. */
static struct plot_basis plot_basis_of(const struct scenario *s, const struct point_params *base,
                                       const char **swept)
{
    for (size_t k = 0; k < s->sweep_count; k++)
        swept[k] = s->sweep[k].path;
    return (struct plot_basis){base, swept, s->sweep_count};
}

/* One entry of "plots": a kind the list knows, whose needs the sweep meets. */
static int check_plot(struct validator *v, const struct plot_basis *basis, const char *path,
                      json_t *kind)
{
    char text[96], known[256];
    const char *why = NULL;
    plot_kind_list(known, sizeof known);
    if (!json_is_string(kind))
        return validator_error(v, path, 0, "expected a plot kind (%s), got %s", known,
                               validator_describe(v, path, kind, text, sizeof text));
    validator_value_text(v, path, kind, text, sizeof text);
    int id = plot_kind_id(json_string_value(kind));
    if (id >= 0) {
        const struct plot_kind_rules *rules = plot_kind_rules((enum plot_kind_id)id);
        if (!rules->needs(basis, &why))
            return validator_error(v, path, 0, "%s", why);
        return 0;
    }
    const char *best = suggest_word(json_string_value(kind), plot_kind_names());
    if (best)
        return validator_error(v, path, 0,
                               "unknown plot kind %s; did you mean \"%s\"? (known kinds: %s)", text,
                               best, known);
    return validator_error(v, path, 0, "unknown plot kind %s; known kinds: %s", text, known);
}

static int parse_plots(struct scenario *s, struct validator *v, json_t *plots,
                       const struct plot_basis *basis)
{
    int rc;
    char text[96];
    size_t i;
    json_t *kind;
    if (json_is_string(plots)) {
        validator_value_text(v, "plots", plots, text, sizeof text);
        return validator_error(v, "plots", 0,
                               "expected a list of plot kinds, e.g. [\"outcomes\", "
                               "\"latency\"], got the string %s; write [%s]",
                               text, text);
    }
    if (!json_is_array(plots))
        return validator_error(v, "plots", 0,
                               "expected a list of plot kinds, e.g. [\"outcomes\", "
                               "\"latency\"], got %s",
                               validator_describe(v, "plots", plots, text, sizeof text));
    json_array_foreach(plots, i, kind)
    {
        char path[64];
        json_path_index(path, sizeof path, "plots", i);
        if ((rc = check_plot(v, basis, path, kind)))
            return rc;
    }
    s->plots = json_incref(plots);
    return 0;
}

/* "plots", or the kinds chosen from the base point and the sweep. */
static int choose_plots(struct scenario *s, struct validator *v, const struct point_params *base)
{
    const char *swept[SCENARIO_MAX_SWEEP_KEYS];
    struct plot_basis basis = plot_basis_of(s, base, swept);
    json_t *plots = json_object_get(s->root, "plots");
    if (plots)
        return parse_plots(s, v, plots, &basis);
    s->plots = plot_kinds_chosen(&basis);
    return 0;
}

/* Parses and validates s->text (length bytes, NUL-terminated), named
 * s->file in messages. */
static int scenario_parse(struct scenario *s, size_t length, struct hl_error *err)
{
    struct validator v = {
        .file = s->file, .locations = &s->locations, .err = err, .top_keys = keys_scenario};
    struct point_params base;
    int rc;
    if ((rc = json_text_parse(s->file, s->text, length, &s->root, err)))
        return rc;
    if ((rc = json_locations_build(&s->locations, s->text, length, s->file, err)))
        return rc;
    if ((rc = check_is_scenario(&v, s->root)))
        return rc;
    if ((rc = check_schema_key(&v, s->root)))
        return rc;
    if ((rc = check_known_keys(&v, s->root)))
        return rc;
    if ((rc = parse_name(s, &v)))
        return rc;
    if ((rc = parse_repeat(s, &v)))
        return rc;
    /* the base before the sweep, so an error in a value that a sweep does
     * not replace points at that value */
    if ((rc = scenario_combination(s, NULL, &base, NULL, err)))
        return rc;
    if ((rc = scenario_sweep_parse(s, &v, json_object_get(s->root, "sweep"))))
        return rc;
    if ((rc = scenario_check_points(s, err)))
        return rc;
    return choose_plots(s, &v, &base);
}

int scenario_load(struct scenario *s, const char *file, struct hl_error *err)
{
    size_t length = 0;
    int rc;
    memset(s, 0, sizeof *s);
    s->file = strdup(file);
    if (!s->file)
        return hl_error_setn(err, ENOMEM, file, "out of memory");
    if ((rc = json_text_read_file(file, &s->text, &length, err)))
        return rc;
    return scenario_parse(s, length, err);
}

int scenario_load_text(struct scenario *s, const char *name, const char *text, size_t length,
                       struct hl_error *err)
{
    memset(s, 0, sizeof *s);
    s->file = strdup(name);
    if (!s->file)
        return hl_error_setn(err, ENOMEM, name, "out of memory");
    if (length > SCENARIO_MAX_FILE_BYTES)
        return hl_error_setn(err, EFBIG, name,
                             "the text is %zu bytes; a scenario may have at most %d (1 MiB)",
                             length, SCENARIO_MAX_FILE_BYTES);
    s->text = malloc(length + 1);
    if (!s->text)
        return hl_error_setn(err, ENOMEM, name, "out of memory");
    memcpy(s->text, text, length);
    s->text[length] = '\0';
    return scenario_parse(s, length, err);
}

void scenario_free(struct scenario *s)
{
    json_decref(s->root);
    json_decref(s->plots);
    json_locations_free(&s->locations);
    free(s->text);
    free(s->file);
    memset(s, 0, sizeof *s);
}
