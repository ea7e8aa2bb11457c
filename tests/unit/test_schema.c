/* test_schema.c: scenarios/schema.json says what the validator does, key by
 * key.
 *
 *   test_schema SCHEMA.json
 *
 * The schema is written by hand, for editors; the validator is the truth.
 * This test compares the two wherever the validator has a table or a
 * limit, and names what disagrees, so that adding a key to
 * harness/scenario/keys.c without adding it to the schema (or the reverse)
 * fails here with the key's name:
 *
 *   - the keys of every object (top level, server, client, client.send,
 *     link, the object forms of server.accept and server.read) against the
 *     validator's tables (params_known_keys, scenario_known_keys);
 *   - the paths a sweep may vary against scenario_sweep_paths, and each
 *     sweep list's items against the schema of the key in place;
 *   - the policy words, the topologies and the plot kinds;
 *   - every integer's minimum and maximum, by asking the validator: both
 *     accepted, one beyond each rejected with a message that names the key
 *     and says what was expected; every word of a key's enum accepted, and
 *     a word not in it rejected;
 *   - every default, by loading it and comparing with what the validator
 *     resolves when the key is left out;
 *   - a description on every key, which editors show.
 *
 * What JSON Schema cannot say (rules between keys, duplicate keys, ...) is
 * checked by tests/schema/check-agreement.py against the invalid catalogue. */
#include <errno.h>
#include <jansson.h>

#include "check.h"
#include "params.h"
#include "plotkinds.h"
#include "scenario.h"

static json_t *schema;

/* ---- the schema ---------------------------------------------------- */

/* Follows a node that is only a reference ("#/$defs/NAME"). */
static json_t *resolve(json_t *node)
{
    for (int hops = 0; node && hops < 8; hops++) {
        json_t *ref = json_object_get(node, "$ref");
        if (!json_is_string(ref) || json_object_size(node) != 1)
            return node;
        const char *target = json_string_value(ref);
        if (strncmp(target, "#/$defs/", 8) != 0) {
            fprintf(stderr, "schema.json: unexpected $ref %s (only #/$defs/NAME)\n", target);
            return NULL;
        }
        node = json_object_get(json_object_get(schema, "$defs"), target + 8);
        if (!node)
            fprintf(stderr, "schema.json: $ref %s names no definition\n", target);
    }
    return node;
}

/* The object form of a node: itself, or its anyOf branch of type object. */
static json_t *object_form(json_t *node)
{
    node = resolve(node);
    json_t *any = json_object_get(node, "anyOf"), *branch;
    size_t i;
    json_array_foreach(any, i, branch)
    {
        branch = resolve(branch);
        if (json_is_string(json_object_get(branch, "type")) &&
            strcmp(json_string_value(json_object_get(branch, "type")), "object") == 0)
            return branch;
    }
    return node;
}

/* The schema of the key at a dotted path ("server.accept.every_ms"), or
 * NULL; "" is the top level. */
static json_t *schema_at(const char *path)
{
    json_t *node = schema;
    char part[128];
    while (node && *path) {
        size_t n = strcspn(path, ".");
        snprintf(part, sizeof part, "%.*s", (int)n, path);
        node = resolve(json_object_get(json_object_get(object_form(node), "properties"), part));
        path += n + (path[n] == '.');
    }
    return node;
}

/* The keys of the object at path, as a NULL-terminated array (static). */
static const char **schema_keys(const char *path)
{
    static const char *keys[64];
    json_t *properties = json_object_get(object_form(schema_at(path)), "properties");
    const char *key;
    json_t *value;
    size_t n = 0;
    json_object_foreach(properties, key, value)
    {
        if (n + 1 < sizeof keys / sizeof keys[0])
            keys[n++] = key;
    }
    keys[n] = NULL;
    return keys;
}

static int in_list(const char *word, const char *const *list)
{
    for (size_t i = 0; list && list[i]; i++)
        if (strcmp(word, list[i]) == 0)
            return 1;
    return 0;
}

/* Both lists hold the same words; each difference is named. */
static void check_same_words(const char *what, const char *const *in_schema,
                             const char *const *in_validator, const char *validator_place)
{
    for (size_t i = 0; in_schema && in_schema[i]; i++) {
        check_count++;
        if (!in_list(in_schema[i], in_validator)) {
            check_failures++;
            fprintf(stderr,
                    "%s: scenarios/schema.json has \"%s\", which the validator does not know "
                    "(%s): remove it from the schema, or teach the validator\n",
                    what, in_schema[i], validator_place);
        }
    }
    for (size_t i = 0; in_validator && in_validator[i]; i++) {
        check_count++;
        if (!in_list(in_validator[i], in_schema)) {
            check_failures++;
            fprintf(stderr,
                    "%s: the validator knows \"%s\" (%s) but scenarios/schema.json does not: "
                    "add it to the schema, with its type, limits, default and description\n",
                    what, in_validator[i], validator_place);
        }
    }
}

/* An enum's strings, NULL-terminated (static). */
static const char **enum_words(json_t *node)
{
    static const char *words[32];
    json_t *value;
    size_t i, n = 0;
    json_array_foreach(json_object_get(node, "enum"), i, value)
    {
        if (json_is_string(value) && n + 1 < sizeof words / sizeof words[0])
            words[n++] = json_string_value(value);
    }
    words[n] = NULL;
    return words;
}

/* ---- the validator --------------------------------------------------- */

/* Sets value at a dotted path, making objects on the way; steals value. */
static void set_dotted(json_t *root, const char *path, json_t *value)
{
    char part[128];
    size_t n = strcspn(path, ".");
    snprintf(part, sizeof part, "%.*s", (int)n, path);
    if (!path[n]) {
        json_object_set_new(root, part, value);
        return;
    }
    json_t *child = json_object_get(root, part);
    if (!json_is_object(child)) {
        child = json_object();
        json_object_set_new(root, part, child);
    }
    set_dotted(child, path + n + 1, value);
}

static json_t *get_dotted(json_t *root, const char *path)
{
    char part[128];
    while (root && *path) {
        size_t n = strcspn(path, ".");
        snprintf(part, sizeof part, "%.*s", (int)n, path);
        root = json_object_get(root, part);
        path += n + (path[n] == '.');
    }
    return root;
}

/* What a key needs around it to be checked alone: a paced policy needs its
 * required key; concurrency at most connections. */
static json_t *context_for(const char *path)
{
    if (strncmp(path, "server.accept.", 14) == 0)
        return json_pack("{s:{s:{s:i}}}", "server", "accept", "every_ms", 100);
    if (strncmp(path, "server.read.", 12) == 0)
        return json_pack("{s:{s:{s:i}}}", "server", "read", "bytes_per_sec", 65536);
    if (strncmp(path, "client.arrival.", 15) == 0)
        return json_pack("{s:{s:{s:i}}}", "client", "arrival", "rate_per_sec", 100);
    if (strcmp(path, "client.concurrency") == 0)
        return json_pack("{s:{s:i}}", "client", "connections", PARAMS_MAX_CONNECTIONS);
    /* a link to shape, and sysctls per side, need two namespaces */
    if (strncmp(path, "link", 4) == 0)
        return json_pack("{s:s}", "topology", "veth");
    return json_object();
}

/* Loads a scenario holding value at path (in its context). Returns 0 and
 * fills *params (and *s, to be freed) or the error. */
static int load_with(const char *path, json_t *value, struct scenario *s, struct point_params *p,
                     struct hl_error *err)
{
    json_t *root = context_for(path);
    char file[512];
    if (value)
        set_dotted(root, path, json_incref(value));
    char *text = json_dumps(root, JSON_COMPACT);
    check_write_temp(text, strlen(text), file, sizeof file);
    hl_error_clear(err);
    int rc = scenario_load(s, file, err);
    if (rc == 0)
        rc = scenario_point(s, 0, p, NULL, err);
    unlink(file);
    free(text);
    json_decref(root);
    return rc;
}

static void check_accepts(const char *path, json_t *value, const char *why)
{
    struct scenario s;
    struct point_params p;
    struct hl_error err;
    char *text = json_dumps(value, JSON_ENCODE_ANY);
    int rc = load_with(path, value, &s, &p, &err);
    check_count++;
    if (rc) {
        check_failures++;
        fprintf(stderr, "%s = %s (%s in scenarios/schema.json): the validator rejects it: %s: %s\n",
                path, text, why, err.where, err.what);
    }
    scenario_free(&s);
    free(text);
}

static void check_rejects(const char *path, json_t *value, const char *why)
{
    struct scenario s;
    struct point_params p;
    struct hl_error err;
    char *text = json_dumps(value, JSON_ENCODE_ANY);
    int rc = load_with(path, value, &s, &p, &err);
    check_count++;
    if (rc == 0) {
        check_failures++;
        fprintf(stderr, "%s = %s (%s in scenarios/schema.json): the validator accepts it\n", path,
                text, why);
    } else {
        /* item 5 of the coursework issue: every message names the key and
         * says what was expected */
        CHECK_CONTAINS(err.where, path);
        CHECK(strncmp(err.what, "expected", 8) == 0);
    }
    scenario_free(&s);
    free(text);
}

/* ---- the checks ------------------------------------------------------ */

static void test_object_keys(void)
{
    static const char *const objects[] = {"server",        "client",      "client.send",
                                          "server.accept", "server.read", "link"};
    /* the top level: the scenario's keys, and "$schema" for editors */
    const char **top = schema_keys("");
    const char *top_without_schema[64];
    size_t n = 0;
    for (size_t i = 0; top[i]; i++)
        if (strcmp(top[i], "$schema") != 0)
            top_without_schema[n++] = top[i];
    top_without_schema[n] = NULL;
    CHECK(in_list("$schema", top));
    check_same_words("top level", top_without_schema, scenario_known_keys(),
                     "harness/scenario/keys.c, keys_scenario");
    for (size_t i = 0; i < sizeof objects / sizeof objects[0]; i++) {
        char place[128];
        snprintf(place, sizeof place, "harness/scenario/keys.c, the keys of %s", objects[i]);
        CHECK(params_known_keys(objects[i]) != NULL);
        check_same_words(objects[i], schema_keys(objects[i]), params_known_keys(objects[i]), place);
    }
}

static void test_words(void)
{
    json_t *plots = json_object_get(json_object_get(schema_at("plots"), "items"), "enum");
    CHECK(json_is_array(plots));
    check_same_words("plots", enum_words(json_object_get(schema_at("plots"), "items")),
                     plot_kind_names(), "harness/scenario/plotkinds.h, PLOT_KINDS");
    static const char *const policies[] = {"server.accept", "server.read"};
    for (size_t i = 0; i < 2; i++) {
        json_t *any = json_object_get(schema_at(policies[i]), "anyOf"), *branch, *words = NULL;
        size_t k;
        json_array_foreach(any, k, branch)
        {
            if (json_object_get(branch, "enum"))
                words = branch;
        }
        CHECK(words != NULL);
        check_same_words(policies[i], enum_words(words), params_policy_words(),
                         "harness/scenario/keys.c, keys_policy_words");
    }
    check_same_words("topology", enum_words(schema_at("topology")), params_topology_words(),
                     "harness/scenario/keys.c, keys_topology_words");
}

static void test_sweep_paths(void)
{
    json_t *sweep = resolve(json_object_get(json_object_get(schema, "properties"), "sweep"));
    json_t *properties = json_object_get(sweep, "properties");
    const char *in_schema[64], *path;
    json_t *entry;
    size_t n = 0;
    json_object_foreach(properties, path, entry)
    {
        if (n + 1 < sizeof in_schema / sizeof in_schema[0])
            in_schema[n++] = path;
        /* a list of what the key takes in place: the same definition */
        CHECK_STR(json_string_value(json_object_get(entry, "$ref")), "#/$defs/sweep-list");
        json_t *items = resolve(json_object_get(entry, "items"));
        check_count++;
        if (!items || items != schema_at(path)) {
            check_failures++;
            fprintf(stderr,
                    "sweep[\"%s\"]: its items must be the definition of %s in place "
                    "(\"items\": {\"$ref\": \"#/$defs/%s\"})\n",
                    path, path, path);
        }
    }
    in_schema[n] = NULL;
    check_same_words("sweep paths", in_schema, scenario_sweep_paths(),
                     "harness/scenario/keys.c, keys_sweepable");
    /* "sysctls.<name>": one pattern, whose items are a sysctl's value */
    json_t *patterns = json_object_get(sweep, "patternProperties");
    CHECK_INT(json_object_size(patterns), 1);
    json_object_foreach(patterns, path, entry)
    {
        CHECK(strncmp(path, "^sysctls\\.net", 13) == 0);
        json_t *sysctls =
            resolve(json_object_get(json_object_get(schema, "properties"), "sysctls"));
        CHECK(resolve(json_object_get(entry, "items")) ==
              resolve(json_object_get(sysctls, "additionalProperties")));
    }
    CHECK_INT(json_integer_value(json_object_get(sweep, "maxProperties")), SCENARIO_MAX_SWEEP_KEYS);
    json_t *list = resolve(json_object_get(json_object_get(schema, "$defs"), "sweep-list"));
    CHECK_INT(json_integer_value(json_object_get(list, "minItems")), 1);
    CHECK_INT(json_integer_value(json_object_get(list, "maxItems")), SCENARIO_MAX_SWEEP_VALUES);
}

/* Every key a sweep can name is a key of a point: its limits and default. */
static void test_limits_and_defaults(void)
{
    const char *const *paths = scenario_sweep_paths();
    struct scenario s;
    struct point_params p;
    struct hl_error err;
    for (size_t i = 0; paths[i]; i++) {
        const char *path = paths[i];
        json_t *node = schema_at(path);
        check_count++;
        if (!node) {
            check_failures++;
            fprintf(stderr, "%s: no schema for it in scenarios/schema.json\n", path);
            continue;
        }
        const char *description = json_string_value(json_object_get(node, "description"));
        check_count++;
        if (!description || !description[0]) {
            check_failures++;
            fprintf(stderr, "%s: no description in scenarios/schema.json (editors show it)\n",
                    path);
        }
        const char *type = json_string_value(json_object_get(node, "type"));
        if (type && strcmp(type, "integer") == 0) {
            json_t *min = json_object_get(node, "minimum"), *max = json_object_get(node, "maximum");
            check_count++;
            if (!json_is_integer(min) || !json_is_integer(max)) {
                check_failures++;
                fprintf(stderr, "%s: an integer needs its minimum and maximum in the schema\n",
                        path);
                continue;
            }
            json_t *below = json_integer(json_integer_value(min) - 1);
            json_t *above = json_integer(json_integer_value(max) + 1);
            check_accepts(path, min, "its minimum");
            check_accepts(path, max, "its maximum");
            check_rejects(path, below, "one below its minimum");
            check_rejects(path, above, "one above its maximum");
            json_decref(below);
            json_decref(above);
        }
        json_t *words = json_object_get(node, "enum"), *word;
        size_t k;
        json_array_foreach(words, k, word) check_accepts(path, word, "in its enum");
        if (words) {
            json_t *other = json_string("not-one-of-the-words");
            check_rejects(path, other, "not in its enum");
            json_decref(other);
        }
        json_t *fallback = json_object_get(node, "default");
        if (fallback) {
            check_accepts(path, fallback, "its default");
            /* the default is what the validator resolves without the key */
            if (load_with(path, NULL, &s, &p, &err) == 0) {
                json_t *resolved = params_to_json(&p);
                json_t *value = get_dotted(resolved, path);
                check_count++;
                if (!value || !json_equal(value, fallback)) {
                    char *a = json_dumps(fallback, JSON_ENCODE_ANY);
                    char *b = value ? json_dumps(value, JSON_ENCODE_ANY) : NULL;
                    check_failures++;
                    fprintf(stderr,
                            "%s: scenarios/schema.json says the default is %s, the validator "
                            "resolves %s\n",
                            path, a, b ? b : "nothing");
                    free(a);
                    free(b);
                }
                json_decref(resolved);
            } else {
                CHECK(!"the empty context loads");
            }
            scenario_free(&s);
        }
    }
    /* the scenario's own keys */
    json_t *repeat = schema_at("repeat");
    CHECK_INT(json_integer_value(json_object_get(repeat, "minimum")), 1);
    CHECK_INT(json_integer_value(json_object_get(repeat, "maximum")), SCENARIO_MAX_REPEAT);
    CHECK_INT(json_integer_value(json_object_get(repeat, "default")), 1);
    CHECK_INT(json_integer_value(json_object_get(schema_at("sysctls"), "maxProperties")),
              PARAMS_MAX_SYSCTLS);
    CHECK_INT(json_integer_value(json_object_get(schema_at("server.reply"), "maxLength")),
              PARAMS_MAX_REPLY);
    CHECK_INT(json_integer_value(json_object_get(schema_at("name"), "maxLength")),
              sizeof s.name - 1);
    CHECK_INT(json_integer_value(json_object_get(schema_at("description"), "maxLength")),
              sizeof s.description - 1);
    for (const char *const *key = scenario_known_keys(); *key; key++) {
        json_t *node = schema_at(*key);
        CHECK(node != NULL && json_string_value(json_object_get(node, "description")) != NULL);
    }
}

/* "$schema" is for editors: any string, ignored, but for a JSON Schema
 * meta-schema's address, which marks a schema given as a scenario. */
static void test_schema_key(void)
{
    struct scenario s;
    struct hl_error err;
    char file[512];
    const char *good = "{\"$schema\": \"./schema.json\", \"server\": {\"backlog\": 4}}";
    check_write_temp(good, strlen(good), file, sizeof file);
    CHECK_INT(scenario_load(&s, file, &err), 0);
    CHECK_INT(s.point_count, 1);
    scenario_free(&s);
    unlink(file);

    const char *bad = "{\"$schema\": 2020}";
    check_write_temp(bad, strlen(bad), file, sizeof file);
    CHECK_INT(scenario_load(&s, file, &err), -EINVAL);
    CHECK_CONTAINS(err.where, "[\"$schema\"]");
    CHECK_CONTAINS(err.what, "expected a string");
    scenario_free(&s);
    unlink(file);

    /* an unknown key's message lists the experiment's keys, not "$schema" */
    const char *typo = "{\"$schema\": \"./schema.json\", \"colour\": 1}";
    check_write_temp(typo, strlen(typo), file, sizeof file);
    CHECK_INT(scenario_load(&s, file, &err), -EINVAL);
    CHECK_CONTAINS(err.what, "unknown key");
    CHECK(strstr(err.what, "$schema") == NULL);
    scenario_free(&s);
    unlink(file);

    /* the schema itself given as a scenario */
    CHECK_CONTAINS(json_string_value(json_object_get(schema, "$schema")), "json-schema.org");
    const char *meta = "{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\"}";
    check_write_temp(meta, strlen(meta), file, sizeof file);
    CHECK_INT(scenario_load(&s, file, &err), -EINVAL);
    CHECK_CONTAINS(err.what, "this is a JSON Schema");
    scenario_free(&s);
    unlink(file);
    /* ... which the schema's "$schema" refuses too */
    json_t *refused = json_object_get(json_object_get(schema_at("$schema"), "not"), "pattern");
    CHECK_STR(json_string_value(refused), "^https://json-schema\\.org/");
}

/* The template's keys of the object at path, checked against the schema's
 * there: every key present but the ones that follow from others, each at
 * the schema's default; objects without a default of their own (server,
 * client, client.send, link) are walked in turn. */
static void check_template_object(json_t *template_object, const char *path)
{
    /* name follows the file name, client.concurrency client.connections,
     * plots the sweep: no one value is their default; a command replaces
     * the harness's peer, and run_as_root goes only with it */
    static const char *const left_out[] = {
        "name",           "client.concurrency", "plots", "server.command", "server.run_as_root",
        "client.command", "client.run_as_root", NULL};
    json_t *properties =
        json_object_get(object_form(path[0] ? schema_at(path) : schema), "properties");
    const char *key;
    json_t *node;
    json_object_foreach(properties, key, node)
    {
        char child[256];
        snprintf(child, sizeof child, "%s%s%s", path, path[0] ? "." : "", key);
        json_t *value = json_object_get(template_object, key);
        check_count++;
        if (in_list(child, left_out)) {
            if (value) {
                check_failures++;
                fprintf(stderr, "TEMPLATE.json: %s is there, but it has no one default\n", child);
            }
            continue;
        }
        if (!value) {
            check_failures++;
            fprintf(stderr,
                    "TEMPLATE.json: %s is missing; add it at its default (scenarios/README.md "
                    "says the template holds every key)\n",
                    child);
            continue;
        }
        json_t *fallback = json_object_get(resolve(node), "default");
        if (strcmp(child, "description") == 0) /* what to do with the template */
            continue;
        if (fallback) {
            check_count++;
            if (!json_equal(value, fallback)) {
                check_failures++;
                fprintf(stderr, "TEMPLATE.json: %s is not at its default\n", child);
            }
        } else if (json_is_object(value) && strcmp(child, "sweep") != 0) {
            check_template_object(value, child);
        }
    }
    json_object_foreach(template_object, key, node)
    {
        check_count++;
        if (!json_object_get(properties, key)) {
            check_failures++;
            fprintf(stderr, "TEMPLATE.json: %s%s%s is no key of the schema\n", path,
                    path[0] ? "." : "", key);
        }
    }
}

/* scenarios/TEMPLATE.json, beside the schema: valid, every key at its
 * default, so that `make new-scenario` starts from the defaults. */
static void test_template(const char *schema_file)
{
    char file[1024];
    const char *slash = strrchr(schema_file, '/');
    snprintf(file, sizeof file, "%.*sTEMPLATE.json", slash ? (int)(slash - schema_file + 1) : 0,
             schema_file);
    json_error_t error;
    json_t *template_root = json_load_file(file, JSON_REJECT_DUPLICATES, &error);
    if (!template_root) {
        CHECK(!"TEMPLATE.json loads");
        fprintf(stderr, "%s:%d:%d: %s\n", file, error.line, error.column, error.text);
        return;
    }
    struct scenario s;
    struct hl_error err;
    CHECK_INT(scenario_load(&s, file, &err), 0);
    scenario_free(&s);
    CHECK_STR(json_string_value(json_object_get(template_root, "$schema")), "./schema.json");
    check_template_object(template_root, "");
    json_decref(template_root);
}

int main(int argc, char **argv)
{
    json_error_t error;
    if (argc != 2) {
        fprintf(stderr, "usage: %s SCHEMA.json\n", argv[0]);
        return 2;
    }
    schema = json_load_file(argv[1], JSON_REJECT_DUPLICATES, &error);
    if (!schema) {
        fprintf(stderr, "%s:%d:%d: %s\n", argv[1], error.line, error.column, error.text);
        return 1;
    }
    CHECK_STR(json_string_value(json_object_get(schema, "$schema")),
              "https://json-schema.org/draft/2020-12/schema");
    test_object_keys();
    test_words();
    test_sweep_paths();
    test_limits_and_defaults();
    test_schema_key();
    test_template(argv[1]);
    json_decref(schema);
    return check_exit();
}
