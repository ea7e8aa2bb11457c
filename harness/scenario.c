/* scenario.c: see scenario.h. */
#include "scenario.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *const scenario_plot_kinds[] = {"handshakes", "latency", "outcomes", "transfer",
                                           "buffers",    "rate",    NULL};

static const char *const scenario_keys[] = {"name",   "description", "sysctls",   "server",
                                            "client", "duration_ms", "sample_ms", "repeat",
                                            "sweep",  "plots",       NULL};

/* Paths that a sweep may vary; "sysctls.<name>" is accepted besides these. */
static const char *const sweepable[] = {"server.listen",
                                        "server.backlog",
                                        "server.rcvbuf",
                                        "server.sndbuf",
                                        "server.accept",
                                        "server.accept.start_ms",
                                        "server.accept.every_ms",
                                        "server.read",
                                        "server.read.start_ms",
                                        "server.read.bytes_per_sec",
                                        "server.read.chunk",
                                        "server.close_listener_ms",
                                        "server.reply",
                                        "client.connections",
                                        "client.concurrency",
                                        "client.connect_timeout_ms",
                                        "client.sndbuf",
                                        "client.rcvbuf",
                                        "client.send",
                                        "client.send.bytes",
                                        "client.send.chunk",
                                        "client.receive",
                                        "client.hold_ms",
                                        "duration_ms",
                                        "sample_ms",
                                        NULL};

static int read_file(const char *file, char **text, size_t *length, struct hl_error *err)
{
    struct stat st;
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return hl_error_setn(err, errno, file, "cannot open the scenario: %s", strerror(errno));
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return hl_error_setn(err, EINVAL, file, "not a regular file; give a scenario .json file");
    }
    if (st.st_size > SCENARIO_MAX_FILE_BYTES) {
        close(fd);
        return hl_error_setn(err, EFBIG, file,
                             "the file is %lld bytes; a scenario may have at "
                             "most %d",
                             (long long)st.st_size, SCENARIO_MAX_FILE_BYTES);
    }
    char *buf = malloc((size_t)st.st_size + 1);
    size_t got = 0;
    if (!buf) {
        close(fd);
        return hl_error_setn(err, ENOMEM, file, "out of memory");
    }
    while (got < (size_t)st.st_size) {
        ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
        if (n <= 0) {
            int e = n < 0 ? errno : EIO;
            free(buf);
            close(fd);
            return hl_error_setn(err, e, file, "cannot read the scenario: %s", strerror(e));
        }
        got += (size_t)n;
    }
    close(fd);
    buf[got] = '\0';
    *text = buf;
    *length = got;
    return 0;
}

static int is_sweepable(const char *path)
{
    if (strncmp(path, "sysctls.", 8) == 0)
        return path[8] != '\0';
    for (size_t i = 0; sweepable[i]; i++)
        if (strcmp(path, sweepable[i]) == 0)
            return 1;
    return 0;
}

/* Sets the value at a dotted path in root, creating objects on the way.
 * "sysctls.net.core.somaxconn" takes the rest after "sysctls." as one key. */
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
    json_t *obj = root;
    for (size_t i = 0; i + 1 < count; i++) {
        json_t *next = json_object_get(obj, parts[i]);
        if (!next) {
            next = json_object();
            json_object_set_new(obj, parts[i], next);
        } else if (!json_is_object(next)) {
            snprintf(conflict, size, "%s", parts[i]);
            for (size_t j = 1; j <= i; j++)
                snprintf(conflict + strlen(conflict), size - strlen(conflict), ".%s", parts[j]);
            return -EINVAL;
        }
        obj = next;
    }
    json_object_set(obj, parts[count - 1], value);
    return 0;
}

/* Builds the JSON of one combination and validates it. indexes[k] picks
 * sweep key k's value; only keys with check[k] set are overridden when
 * check is given (used to validate one sweep value at a time). */
static int scenario_combination(const struct scenario *s, const size_t *indexes,
                                struct point_params *params, struct hl_error *err)
{
    struct params_override overrides[SCENARIO_MAX_SWEEP_KEYS];
    json_t *copy = json_deep_copy(s->root);
    int rc = 0;
    json_object_del(copy, "sweep");
    for (size_t k = 0; k < s->sweep_count; k++) {
        char base[256], conflict[256];
        json_path_key(base, sizeof base, "sweep", s->sweep[k].path);
        snprintf(overrides[k].path, sizeof overrides[k].path, "%s", s->sweep[k].path);
        json_path_index(overrides[k].display_path, sizeof overrides[k].display_path, base,
                        indexes[k]);
        if (strncmp(s->sweep[k].path, "sysctls.", 8) == 0)
            json_path_key(overrides[k].path, sizeof overrides[k].path, "sysctls",
                          s->sweep[k].path + 8);
        if (set_path(copy, s->sweep[k].path, json_array_get(s->sweep[k].values, indexes[k]),
                     conflict, sizeof conflict)) {
            struct validator v = {.file = s->file, .locations = &s->locations, .err = err};
            validator_where(&v, base, 1, err->where, sizeof err->where);
            snprintf(err->what, sizeof err->what,
                     "cannot set %s: %s in the scenario is not an "
                     "object (write it as an object, or sweep \"%s\" itself)",
                     s->sweep[k].path, conflict, conflict);
            json_decref(copy);
            return -EINVAL;
        }
    }
    struct validator v = {.file = s->file,
                          .locations = &s->locations,
                          .overrides = overrides,
                          .override_count = s->sweep_count,
                          .err = err};
    rc = params_validate(&v, copy, params);
    json_decref(copy);
    return rc;
}

static int parse_sweep(struct scenario *s, struct validator *v, json_t *sweep)
{
    const char *path;
    json_t *values;
    size_t total = 1;
    if (!sweep)
        return 0;
    if (!json_is_object(sweep)) {
        char where[512];
        validator_where(v, "sweep", 0, where, sizeof where);
        return hl_error_set(v->err, where,
                            "expected an object mapping key paths to lists, e.g. "
                            "{\"server.backlog\": [0, 1, 2, 4]}, got %s",
                            json_type_phrase(sweep));
    }
    if (json_object_size(sweep) > SCENARIO_MAX_SWEEP_KEYS) {
        char where[512];
        validator_where(v, "sweep", 0, where, sizeof where);
        return hl_error_set(v->err, where, "at most %d keys may be swept, got %zu",
                            SCENARIO_MAX_SWEEP_KEYS, json_object_size(sweep));
    }
    json_object_foreach(sweep, path, values)
    {
        char key_path[512], where[512];
        json_path_key(key_path, sizeof key_path, "sweep", path);
        if (!is_sweepable(path) || strlen(path) >= sizeof s->sweep[0].path) {
            validator_where(v, key_path, 1, where, sizeof where);
            return hl_error_set(v->err, where,
                                "not a key that can be swept; use a dotted path "
                                "such as \"server.backlog\", \"client.sndbuf\" or "
                                "\"sysctls.net.core.somaxconn\"");
        }
        if (!json_is_array(values) || json_array_size(values) == 0) {
            validator_where(v, key_path, 0, where, sizeof where);
            return hl_error_set(v->err, where,
                                "expected a non-empty list of values, e.g. "
                                "[1, 2, 4], got %s",
                                json_is_array(values) ? "an empty list" : json_type_phrase(values));
        }
        if (json_array_size(values) > SCENARIO_MAX_SWEEP_VALUES) {
            validator_where(v, key_path, 0, where, sizeof where);
            return hl_error_set(v->err, where, "at most %d values, got %zu",
                                SCENARIO_MAX_SWEEP_VALUES, json_array_size(values));
        }
        struct scenario_sweep_key *k = &s->sweep[s->sweep_count++];
        snprintf(k->path, sizeof k->path, "%s", path);
        k->values = values;
        total *= json_array_size(values);
        if (total * (size_t)s->repeat > SCENARIO_MAX_RUNS) {
            validator_where(v, "sweep", 0, where, sizeof where);
            return hl_error_set(v->err, where,
                                "the sweep makes more than %d runs (points x "
                                "repeat); split it into several scenarios",
                                SCENARIO_MAX_RUNS);
        }
    }
    s->point_count = total;
    return 0;
}

static void scenario_default_plots(struct scenario *s, const struct point_params *base)
{
    s->plots = json_array();
    json_array_append_new(s->plots, json_string("outcomes"));
    for (size_t k = 0; k < s->sweep_count; k++)
        if (strcmp(s->sweep[k].path, "server.backlog") == 0 ||
            strcmp(s->sweep[k].path, "sysctls.net.core.somaxconn") == 0) {
            json_array_append_new(s->plots, json_string("handshakes"));
            break;
        }
    if (base->client.connections > 1)
        json_array_append_new(s->plots, json_string("latency"));
    if (base->client.send_bytes > 0)
        json_array_append_new(s->plots, json_string("transfer"));
    for (size_t k = 0; k < s->sweep_count; k++)
        if (strstr(s->sweep[k].path, "buf")) {
            json_array_append_new(s->plots, json_string("buffers"));
            break;
        }
    for (size_t k = 0; k < s->sweep_count; k++)
        if (strncmp(s->sweep[k].path, "server.read", 11) == 0) {
            json_array_append_new(s->plots, json_string("rate"));
            break;
        }
}

static int parse_plots(struct scenario *s, struct validator *v, json_t *plots)
{
    char where[512];
    size_t i;
    json_t *kind;
    if (!json_is_array(plots)) {
        validator_where(v, "plots", 0, where, sizeof where);
        return hl_error_set(v->err, where,
                            "expected a list of plot kinds, e.g. [\"outcomes\", "
                            "\"latency\"], got %s",
                            json_type_phrase(plots));
    }
    json_array_foreach(plots, i, kind)
    {
        char path[64];
        int known = 0;
        json_path_index(path, sizeof path, "plots", i);
        for (size_t k = 0; json_is_string(kind) && scenario_plot_kinds[k]; k++)
            known |= strcmp(json_string_value(kind), scenario_plot_kinds[k]) == 0;
        if (!known) {
            validator_where(v, path, 0, where, sizeof where);
            return hl_error_set(v->err, where,
                                "unknown plot kind; known kinds: handshakes, "
                                "latency, outcomes, transfer, buffers, rate");
        }
    }
    s->plots = json_incref(plots);
    return 0;
}

static int get_text(struct validator *v, json_t *root, const char *key, char *out, size_t size)
{
    json_t *value = json_object_get(root, key);
    char where[512];
    if (!value)
        return 0;
    if (!json_is_string(value) || json_string_length(value) >= size) {
        validator_where(v, key, 0, where, sizeof where);
        return hl_error_set(v->err, where, "expected a string of at most %zu bytes, got %s",
                            size - 1,
                            json_is_string(value) ? "a longer one" : json_type_phrase(value));
    }
    snprintf(out, size, "%s", json_string_value(value));
    return 0;
}

int scenario_load(struct scenario *s, const char *file, struct hl_error *err)
{
    json_error_t jerr;
    size_t length = 0;
    int rc;

    memset(s, 0, sizeof *s);
    s->file = strdup(file);
    if ((rc = read_file(file, &s->text, &length, err)))
        return rc;
    if (strlen(s->text) != length) {
        /* jansson stops at the NUL; say where it is instead */
        size_t line = 1, column = 1;
        for (size_t i = 0; s->text[i]; i++) {
            if (s->text[i] == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        char where[512];
        snprintf(where, sizeof where, "%s:%zu:%zu", file, line, column);
        return hl_error_set(err, where, "a NUL byte: this is not a text file");
    }
    s->root = json_loadb(s->text, length, 0, &jerr);
    if (!s->root) {
        char where[512];
        snprintf(where, sizeof where, "%s:%d:%d", file, jerr.line, jerr.column);
        return hl_error_set(err, where, "invalid JSON: %s", jerr.text);
    }
    if ((rc = json_locations_build(&s->locations, s->text, length, file, err)))
        return rc;
    struct validator v = {.file = file, .locations = &s->locations, .err = err};
    if (!json_is_object(s->root)) {
        char where[512];
        validator_where(&v, "", 0, where, sizeof where);
        return hl_error_set(err, where, "a scenario is a JSON object {...}, got %s",
                            json_type_phrase(s->root));
    }
    if ((rc = validator_known_keys(&v, s->root, "", scenario_keys)))
        return rc;

    const char *base_name = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
    snprintf(s->name, sizeof s->name, "%.*s", (int)strcspn(base_name, "."), base_name);
    if ((rc = get_text(&v, s->root, "name", s->name, sizeof s->name)) ||
        (rc = get_text(&v, s->root, "description", s->description, sizeof s->description)))
        return rc;

    json_t *repeat = json_object_get(s->root, "repeat");
    s->repeat = 1;
    if (repeat) {
        char where[512];
        validator_where(&v, "repeat", 0, where, sizeof where);
        if (!json_is_integer(repeat))
            return hl_error_set(err, where, "expected an integer, got %s",
                                json_type_phrase(repeat));
        if (json_integer_value(repeat) < 1 || json_integer_value(repeat) > SCENARIO_MAX_REPEAT)
            return hl_error_set(err, where, "must be between 1 and %d, got %" JSON_INTEGER_FORMAT,
                                SCENARIO_MAX_REPEAT, json_integer_value(repeat));
        s->repeat = (int)json_integer_value(repeat);
    }

    /* the base first, so an error in a value that a sweep does not replace
     * points at that value */
    struct point_params base;
    json_t *base_json = json_deep_copy(s->root);
    json_object_del(base_json, "sweep");
    rc = params_validate(&v, base_json, &base);
    json_decref(base_json);
    if (rc)
        return rc;

    s->point_count = 1;
    if ((rc = parse_sweep(s, &v, json_object_get(s->root, "sweep"))))
        return rc;

    /* every sweep value on its own over the base, then every combination
     * (cross-key checks such as concurrency <= connections) */
    size_t indexes[SCENARIO_MAX_SWEEP_KEYS] = {0};
    struct point_params point;
    for (size_t k = 0; k < s->sweep_count; k++) {
        for (size_t i = 0; i < json_array_size(s->sweep[k].values); i++) {
            struct scenario one = *s;
            one.sweep[0] = s->sweep[k];
            one.sweep_count = 1;
            size_t index = i;
            if ((rc = scenario_combination(&one, &index, &point, err)))
                return rc;
        }
    }
    for (size_t p = 0; p < s->point_count; p++) {
        json_t *values = NULL;
        if ((rc = scenario_point(s, p, &point, &values, err)))
            return rc;
        json_decref(values);
    }
    (void)indexes;

    json_t *plots = json_object_get(s->root, "plots");
    if (plots)
        return parse_plots(s, &v, plots);
    scenario_default_plots(s, &base);
    return 0;
}

int scenario_point(const struct scenario *s, size_t index, struct point_params *params,
                   json_t **sweep_values, struct hl_error *err)
{
    size_t indexes[SCENARIO_MAX_SWEEP_KEYS];
    size_t rest = index;
    for (size_t k = s->sweep_count; k-- > 0;) {
        size_t n = json_array_size(s->sweep[k].values);
        indexes[k] = rest % n;
        rest /= n;
    }
    int rc = scenario_combination(s, indexes, params, err);
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

void scenario_free(struct scenario *s)
{
    json_decref(s->root);
    json_decref(s->plots);
    json_locations_free(&s->locations);
    free(s->text);
    free(s->file);
    memset(s, 0, sizeof *s);
}
