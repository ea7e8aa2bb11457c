/* scenario.c: see scenario.h. */
#include "scenario.h"
#include "keys.h"
#include "params_parse.h"
#include "plotkinds.h"
#include "suggest.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int read_file(const char *file, char **text, size_t *length, struct hl_error *err)
{
    struct stat st;
    /* O_NONBLOCK: a FIFO given by mistake must not hang the open; it is
     * refused below as not a regular file */
    int fd = open(file, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        int e = errno;
        return hl_error_setn(err, e, file, "cannot open the scenario: %s%s", strerror(e),
                             e == ENOENT   ? "; check the path (the shipped scenarios are "
                                             "scenarios/*.json, e.g. "
                                             "scenarios/backlog-never-accept.json)"
                             : e == EACCES ? "; check the file's permissions (ls -l)"
                                           : "");
    }
    if (fstat(fd, &st) < 0) {
        int e = errno;
        close(fd);
        return hl_error_setn(err, e, file, "cannot read the scenario: %s", strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        if (S_ISDIR(st.st_mode))
            return hl_error_setn(err, EISDIR, file,
                                 "a directory, not a scenario file; give one .json file "
                                 "(e.g. scenarios/backlog-never-accept.json)");
        if (S_ISFIFO(st.st_mode))
            return hl_error_setn(err, EINVAL, file,
                                 "a FIFO (named pipe), not a regular file; save the scenario "
                                 "to a .json file and give that");
        return hl_error_setn(err, EINVAL, file,
                             "%s, not a regular file; give a scenario .json file",
                             S_ISCHR(st.st_mode)    ? "a character device"
                             : S_ISBLK(st.st_mode)  ? "a block device"
                             : S_ISSOCK(st.st_mode) ? "a socket"
                                                    : "a special file");
    }
    if (st.st_size > SCENARIO_MAX_FILE_BYTES) {
        close(fd);
        return hl_error_setn(err, EFBIG, file,
                             "the file is %lld bytes; a scenario may have at most %d (1 MiB)",
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
            if (n == 0)
                return hl_error_setn(err, e, file,
                                     "cannot read the scenario: it changed while being read");
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

/* Length of the UTF-8 sequence at p (at most n bytes), or 0 when the bytes
 * are not UTF-8: the same rules jansson applies (no overlong forms, no
 * surrogates, nothing above U+10FFFF), found here so the message can name
 * the byte and its place. */
static size_t utf8_sequence_length(const unsigned char *p, size_t n)
{
    size_t count;
    uint32_t cp;
    if (p[0] < 0x80)
        return 1;
    if (p[0] >= 0xC2 && p[0] <= 0xDF) {
        count = 2;
        cp = p[0] & 0x1F;
    } else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
        count = 3;
        cp = p[0] & 0x0F;
    } else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
        count = 4;
        cp = p[0] & 0x07;
    } else {
        return 0;
    }
    if (count > n)
        return 0;
    for (size_t i = 1; i < count; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if ((count == 3 && cp < 0x800) || (count == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        return 0;
    return count;
}

/* What jansson would reject with a vague message or a wrong place: a NUL
 * byte (it would stop reading there) and bytes that are not UTF-8. */
static int check_text(const char *file, const char *text, size_t length, struct hl_error *err)
{
    char where[512];
    int line, column;
    if (length >= 2 &&
        ((text[0] == '\xFF' && text[1] == '\xFE') || (text[0] == '\xFE' && text[1] == '\xFF'))) {
        snprintf(where, sizeof where, "%s:1:1", file);
        return hl_error_set(err, where,
                            "invalid JSON: the file is UTF-16 text (it starts with a UTF-16 "
                            "byte order mark); save it as UTF-8");
    }
    for (size_t i = 0; i < length;) {
        const unsigned char *p = (const unsigned char *)text + i;
        size_t n = utf8_sequence_length(p, length - i);
        if (p[0] == 0 || n == 0) {
            json_text_position(text, i, &line, &column);
            snprintf(where, sizeof where, "%s:%d:%d", file, line, column);
            if (p[0] == 0)
                return hl_error_set(err, where,
                                    "invalid JSON: a NUL byte; a scenario is UTF-8 text, "
                                    "not a binary (or UTF-16) file");
            return hl_error_set(err, where,
                                "invalid JSON: byte 0x%02X is not UTF-8; save the file as "
                                "UTF-8 text",
                                p[0]);
        }
        i += n;
    }
    return 0;
}

static int only_whitespace(const char *text, size_t length)
{
    for (size_t i = 0; i < length; i++)
        if (!strchr(" \t\r\n", text[i]))
            return 0;
    return 1;
}

/* The last non-space byte before offset, or 0. */
static char byte_before(const char *text, size_t offset)
{
    while (offset > 0 && strchr(" \t\r\n", text[offset - 1]))
        offset--;
    return offset > 0 ? text[offset - 1] : '\0';
}

/* Whether the text ends inside a string (an unclosed quote). */
static int ends_in_string(const char *text, size_t length)
{
    int in_string = 0;
    for (size_t i = 0; i < length; i++) {
        if (in_string && text[i] == '\\')
            i++;
        else if (text[i] == '"')
            in_string = !in_string;
    }
    return in_string;
}

/* jansson's message, made one clean line, with a hint for the mistakes
 * people make most: a trailing comma, single quotes, a key without quotes,
 * a comment, Python's True/False/None. */
static int syntax_error(const char *file, const char *text, size_t length, const json_error_t *jerr,
                        struct hl_error *err)
{
    char where[512], what[256], token[64] = "";
    const char *hint = "";
    /* jansson counts columns from 0 before a line's first character has
     * been read (an empty file, an error at a line start); columns here
     * are 1-based as in every FILE:LINE:COL message */
    snprintf(where, sizeof where, "%s:%d:%d", file, jerr->line > 0 ? jerr->line : 1,
             jerr->column > 0 ? jerr->column : 1);
    if (only_whitespace(text, length))
        return hl_error_set(err, where,
                            "invalid JSON: the file is %s; a scenario is a JSON object such "
                            "as {\"server\": {\"backlog\": 4}}",
                            length ? "only whitespace" : "empty");
    size_t n = 0;
    for (const char *p = jerr->text; *p && n + 1 < sizeof what; p++)
        what[n++] = (unsigned char)*p < 0x20 ? '?' : *p;
    what[n] = '\0';
    const char *near = strstr(what, " near '");
    if (near) {
        snprintf(token, sizeof token, "%s", near + 7);
        char *quote = strrchr(token, '\'');
        if (quote && quote != token)
            *quote = '\0';
    }
    size_t position =
        jerr->position > 0 && (size_t)jerr->position <= length ? (size_t)jerr->position : 0;
    char last = position ? text[position - 1] : '\0';
    if (strstr(what, "JSON_ALLOW_NUL")) {
        /* jansson names its own flag; the reader needs the rule */
        snprintf(what, sizeof what, "\\u0000 (a NUL character) is not allowed in a scenario");
        hint = "; remove it";
    } else if ((last == '}' || last == ']') && byte_before(text, position - 1) == ',') {
        hint = "; remove the comma before it (JSON allows none after the last item)";
    } else if (token[0] == '\'') {
        hint = "; JSON strings and keys take double quotes: \"...\"";
    } else if (token[0] == '/' || token[0] == '#') {
        hint = "; JSON has no comments (put notes in \"description\")";
    } else if (strcmp(token, "True") == 0 || strcmp(token, "False") == 0 ||
               strcmp(token, "None") == 0) {
        hint = "; JSON writes true, false and null in lower case";
    } else if (strcmp(token, "NaN") == 0 || strcmp(token, "Infinity") == 0) {
        hint = "; JSON has no NaN or Infinity: write a number";
    } else if (strncmp(what, "string or '}' expected", 22) == 0 &&
               ((token[0] >= 'a' && token[0] <= 'z') || (token[0] >= 'A' && token[0] <= 'Z') ||
                token[0] == '_')) {
        hint = "; put the key in double quotes";
    } else if ((strncmp(what, "'}' expected", 12) == 0 || strncmp(what, "']' expected", 12) == 0) &&
               !strstr(what, "near end of file")) {
        hint = "; is a comma missing before it?";
    } else if (strstr(what, "near end of file") || strncmp(what, "premature end", 13) == 0) {
        hint = ends_in_string(text, length)
                   ? "; the file ends inside a string: add its closing \""
                   : "; the file ends too early: is a closing } or ] missing?";
    } else if (strncmp(what, "unexpected newline", 18) == 0) {
        hint = "; a string must end on the line it starts on (write \\n for a line break)";
    } else if (strstr(what, "maximum parsing depth")) {
        hint = "; a scenario nests only a few levels deep";
    } else if (strstr(what, "too big integer")) {
        hint = "; the largest is 9223372036854775807";
    } else if (strstr(what, "too big negative integer")) {
        hint = "; the smallest is -9223372036854775808";
    } else if (strstr(what, "real number overflow")) {
        hint = "; a scenario's numbers are integers, and far smaller";
    } else if (strncmp(what, "end of file expected", 20) == 0) {
        hint = "; the scenario object ended before it: one object per file";
    }
    return hl_error_set(err, where, "invalid JSON: %s%s", what, hint);
}

/* Whether a sweep may vary path: one of sweepable[], or "sysctls.<name>". */
static int is_sweepable(const char *path)
{
    if (strncmp(path, "sysctls.", 8) == 0)
        return path[8] != '\0';
    for (size_t i = 0; keys_sweepable[i]; i++)
        if (strcmp(path, keys_sweepable[i]) == 0)
            return 1;
    return 0;
}

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

/* The sweep index of each key for point number index: the last key
 * changes fastest, so the first key is the outermost loop. */
static void scenario_point_indexes(const struct scenario *s, size_t index, size_t *indexes)
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

/* Builds the JSON of one combination and validates it. indexes[k] picks
 * sweep key k's value. Only a point's keys are copied from the scenario
 * (not its description or sweep), so checking thousands of points stays
 * cheap whatever else the file holds. */
static int scenario_combination(const struct scenario *s, const size_t *indexes,
                                struct point_params *params, int *cross_key, struct hl_error *err)
{
    struct params_override overrides[SCENARIO_MAX_SWEEP_KEYS];
    json_t *copy = json_object();
    int rc = 0;
    for (size_t i = 0; keys_point[i]; i++) {
        json_t *value = json_object_get(s->root, keys_point[i]);
        if (value)
            json_object_set_new(copy, keys_point[i], json_deep_copy(value));
    }
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
            char text[64];
            validator_error(&v, base, 1,
                            "cannot set %s: %s is %s in the scenario, not an object; write "
                            "%s as an object, or sweep \"%s\" itself",
                            s->sweep[k].path, conflict,
                            validator_value_text(&v, conflict, dotted_get(s->root, conflict), text,
                                                 sizeof text),
                            conflict, conflict);
            json_decref(copy);
            return -EINVAL;
        }
    }
    struct validator v = {.file = s->file,
                          .locations = &s->locations,
                          .overrides = overrides,
                          .override_count = s->sweep_count,
                          .err = err,
                          .top_keys = keys_scenario};
    rc = params_validate(&v, copy, params);
    if (cross_key)
        *cross_key = v.cross_key_error;
    json_decref(copy);
    return rc;
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

static int parse_sweep(struct scenario *s, struct validator *v, json_t *sweep)
{
    const char *path;
    json_t *values;
    double runs = s->repeat;
    char got[96];
    int rc;
    if (!sweep)
        return 0;
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
    json_object_foreach(sweep, path, values)
    {
        char key_path[512];
        json_path_key(key_path, sizeof key_path, "sweep", path);
        if ((rc = sweep_path_error(v, path, key_path)))
            return rc;
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
        if (json_is_array(values) && json_array_size(values) == 0)
            return validator_error(v, key_path, 0,
                                   "expected a non-empty list of values, e.g. [1, 2, 4], got "
                                   "an empty list; give at least one value, or remove the key");
        if (!json_is_array(values)) {
            char text[64];
            validator_describe(v, key_path, values, got, sizeof got);
            if (json_is_object(values))
                return validator_error(v, key_path, 0,
                                       "expected a non-empty list of values, e.g. [1, 2, 4], "
                                       "got %s",
                                       got);
            return validator_error(v, key_path, 0,
                                   "expected a non-empty list of values, e.g. [1, 2, 4], got "
                                   "%s; write [%s] for that one value",
                                   got,
                                   validator_value_text(v, key_path, values, text, sizeof text));
        }
        if (json_array_size(values) > SCENARIO_MAX_SWEEP_VALUES)
            return validator_error(v, key_path, 0,
                                   "expected at most %d values, got %zu; split it into "
                                   "several scenarios",
                                   SCENARIO_MAX_SWEEP_VALUES, json_array_size(values));
        struct scenario_sweep_key *k = &s->sweep[s->sweep_count++];
        snprintf(k->path, sizeof k->path, "%s", path);
        k->values = values;
        runs *= (double)json_array_size(values);
    }
    if (runs > SCENARIO_MAX_RUNS)
        return validator_error(v, "sweep", 0,
                               "expected at most %d runs (points x repeat), got %.0f; split "
                               "it into several scenarios or sweep fewer values",
                               SCENARIO_MAX_RUNS, runs);
    s->point_count = (size_t)(runs / s->repeat);
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

/* Parses and validates s->text (length bytes, NUL-terminated), named
 * s->file in messages. */
static int scenario_parse(struct scenario *s, size_t length, struct hl_error *err)
{
    const char *file = s->file;
    json_error_t jerr;
    size_t bom = 0;
    long long n;
    int rc;

    /* A UTF-8 byte order mark (Windows editors write one) is accepted and
     * skipped, as RFC 8259 section 8.1 allows; jansson would reject it, so
     * it never sees it. Lines and columns then count from the character
     * after it, as an editor shows them. */
    if (length >= 3 && memcmp(s->text, "\xEF\xBB\xBF", 3) == 0)
        bom = 3;
    if ((rc = check_text(file, s->text, length, err)))
        return rc;
    /* JSON_DECODE_ANY: a file holding a list or a string gets the message
     * "expected a scenario object", not jansson's "'[' or '{' expected" */
    s->root = json_loadb(s->text + bom, length - bom, JSON_DECODE_ANY, &jerr);
    if (!s->root)
        return syntax_error(file, s->text + bom, length - bom, &jerr, err);
    if ((rc = json_locations_build(&s->locations, s->text, length, file, err)))
        return rc;
    struct validator v = {
        .file = file, .locations = &s->locations, .err = err, .top_keys = keys_scenario};
    if (!json_is_object(s->root)) {
        char got[96];
        return validator_error(&v, "", 0,
                               "expected a scenario object {\"name\": ..., \"server\": {...}, "
                               "...}, got %s%s",
                               validator_describe(&v, "", s->root, got, sizeof got),
                               json_is_object(json_array_get(s->root, 0))
                                   ? "; one scenario per file: put each object in a file of "
                                     "its own"
                                   : "");
    }
    /* what harness-run writes, given back to it by mistake */
    json_t *format = json_object_get(s->root, "format");
    if (json_is_string(format) && strncmp(json_string_value(format), "backlog-lab ", 12) == 0) {
        const char *from = json_string_value(json_object_get(s->root, "scenario_file"));
        return validator_error(&v, "", 0,
                               "this is a %s file that harness-run wrote, not a scenario; "
                               "give the scenario%s%s",
                               strstr(json_string_value(format), "plan") ? "plan" : "results",
                               from ? " it came from, " : " file", from ? from : "");
    }
    /* "$schema" tells an editor where the schema is ("./schema.json");
     * it is no key of the experiment, so it is left out of the known keys
     * (and of their list in messages) and only checked to be a string */
    json_t *schema = json_object_get(s->root, "$schema");
    if (schema && !json_is_string(schema)) {
        char got[96];
        return validator_error(&v, "[\"$schema\"]", 0,
                               "expected a string: the path of the JSON Schema that editors "
                               "check the file with, e.g. \"./schema.json\", got %s",
                               validator_describe(&v, "[\"$schema\"]", schema, got, sizeof got));
    }
    if (schema && strncmp(json_string_value(schema), "https://json-schema.org/", 24) == 0)
        return validator_error(&v, "", 0,
                               "this is a JSON Schema (it describes scenario files), not a "
                               "scenario; give a scenario file such as "
                               "scenarios/backlog-never-accept.json");
    json_t *keys = json_copy(s->root);
    if (!keys)
        return hl_error_setn(err, ENOMEM, file, "out of memory");
    json_object_del(keys, "$schema");
    rc = validator_known_keys(&v, keys, "", keys_scenario);
    json_decref(keys);
    if (rc)
        return rc;

    /* without "name": the file's name less ".json", as harness-run names
     * the results file (results/<name>.json) */
    const char *base_name = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
    size_t stem = strlen(base_name);
    if (stem > 5 && strcmp(base_name + stem - 5, ".json") == 0)
        stem -= 5;
    snprintf(s->name, sizeof s->name, "%.*s", (int)stem, base_name);
    if ((rc = get_text(&v, s->root, "name", s->name, sizeof s->name)) ||
        (rc = get_text(&v, s->root, "description", s->description, sizeof s->description)))
        return rc;
    for (const char *p = s->name; json_object_get(s->root, "name") && *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7F)
            return validator_error(&v, "name", 0,
                                   "expected a name without control characters (it heads "
                                   "progress lines and plot titles)");

    if ((rc = validator_get_int(&v, s->root, "", "repeat", 1, SCENARIO_MAX_REPEAT, 1,
                                "runs of each point", &n)))
        return rc;
    s->repeat = (int)n;

    /* the base first, so an error in a value that a sweep does not replace
     * points at that value */
    struct point_params base;
    s->sweep_count = 0;
    if ((rc = scenario_combination(s, NULL, &base, NULL, err)))
        return rc;

    s->point_count = 1;
    if ((rc = parse_sweep(s, &v, json_object_get(s->root, "sweep"))))
        return rc;

    /* Every sweep value first, with the other keys at their first value
     * (a real point, so an error found here is an error of the scenario),
     * in the order of the file; then every point, for cross-key checks
     * (concurrency <= connections) that only some pairs of values break.
     * A cross-key error is named by the point that made it. */
    struct point_params point;
    size_t indexes[SCENARIO_MAX_SWEEP_KEYS];
    int cross_key = 0;
    for (size_t k = 0; k < s->sweep_count; k++) {
        for (size_t i = 0; i < json_array_size(s->sweep[k].values); i++) {
            memset(indexes, 0, sizeof indexes);
            indexes[k] = i;
            if ((rc = scenario_combination(s, indexes, &point, &cross_key, err))) {
                if (cross_key)
                    add_point_label(s, indexes, err);
                return rc;
            }
        }
    }
    for (size_t p = 0; p < s->point_count; p++) {
        scenario_point_indexes(s, p, indexes);
        if ((rc = scenario_combination(s, indexes, &point, &cross_key, err))) {
            if (cross_key)
                add_point_label(s, indexes, err);
            return rc;
        }
    }

    const char *swept[SCENARIO_MAX_SWEEP_KEYS];
    struct plot_basis basis = plot_basis_of(s, &base, swept);
    json_t *plots = json_object_get(s->root, "plots");
    if (plots)
        return parse_plots(s, &v, plots, &basis);
    s->plots = plot_kinds_chosen(&basis);
    return 0;
}

int scenario_load(struct scenario *s, const char *file, struct hl_error *err)
{
    size_t length = 0;
    int rc;
    memset(s, 0, sizeof *s);
    s->file = strdup(file);
    if (!s->file)
        return hl_error_setn(err, ENOMEM, file, "out of memory");
    if ((rc = read_file(file, &s->text, &length, err)))
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

void scenario_free(struct scenario *s)
{
    json_decref(s->root);
    json_decref(s->plots);
    json_locations_free(&s->locations);
    free(s->text);
    free(s->file);
    memset(s, 0, sizeof *s);
}
