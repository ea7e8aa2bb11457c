/* test_locations.c: key paths, positions in characters, duplicate keys,
 * and texts the walk must survive (locations.h). */
#include <jansson.h>

#include "check.h"
#include "locations.h"

static const struct json_location *find(const struct json_locations *l, const char *path)
{
    const struct json_location *loc = json_locations_find(l, path);
    if (!loc)
        fprintf(stderr, "no location recorded for %s\n", path);
    return loc;
}

#define CHECK_AT(locations, path, line_, column_)                                                  \
    do {                                                                                           \
        const struct json_location *at_ = find(locations, path);                                   \
        CHECK(at_ != NULL);                                                                        \
        if (at_) {                                                                                 \
            CHECK_INT(at_->line, line_);                                                           \
            CHECK_INT(at_->column, column_);                                                       \
        }                                                                                          \
    } while (0)

#define CHECK_KEY_AT(locations, path, line_, column_)                                              \
    do {                                                                                           \
        const struct json_location *at_ = find(locations, path);                                   \
        CHECK(at_ != NULL);                                                                        \
        if (at_) {                                                                                 \
            CHECK_INT(at_->key_line, line_);                                                       \
            CHECK_INT(at_->key_column, column_);                                                   \
        }                                                                                          \
    } while (0)

static int build(struct json_locations *l, const char *text, struct hl_error *err)
{
    hl_error_clear(err);
    return json_locations_build(l, text, strlen(text), "t.json", err);
}

static void test_paths(void)
{
    const char *text = "{\n"
                       "  \"server\": { \"backlog\": 4, \"accept\": { \"every_ms\": 100 } },\n"
                       "  \"sweep\": {\n"
                       "    \"server.backlog\": [0, 1,\n"
                       "      2]\n"
                       "  },\n"
                       "  \"list\": [[1], {\"a\": true}]\n"
                       "}\n";
    struct json_locations l;
    struct hl_error err;
    CHECK_INT(build(&l, text, &err), 0);
    CHECK_AT(&l, "", 1, 1);
    CHECK_AT(&l, "server", 2, 13);
    CHECK_KEY_AT(&l, "server", 2, 3);
    CHECK_AT(&l, "server.backlog", 2, 26);
    CHECK_KEY_AT(&l, "server.backlog", 2, 15);
    CHECK_AT(&l, "server.accept.every_ms", 2, 53);
    CHECK_AT(&l, "sweep[\"server.backlog\"]", 4, 23);
    CHECK_AT(&l, "sweep[\"server.backlog\"][0]", 4, 24);
    CHECK_AT(&l, "sweep[\"server.backlog\"][2]", 5, 7);
    /* an array item's "key" place is its own */
    CHECK_KEY_AT(&l, "sweep[\"server.backlog\"][2]", 5, 7);
    CHECK_AT(&l, "list[0][0]", 7, 13);
    CHECK_AT(&l, "list[1].a", 7, 23);
    CHECK(json_locations_find(&l, "server.read") == NULL);
    CHECK(json_locations_find(&l, "sweep.server.backlog") == NULL);
    CHECK_INT(l.count, 15);
    json_locations_free(&l);
}

static void test_path_building(void)
{
    char out[256];
    json_path_key(out, sizeof out, "", "server");
    CHECK_STR(out, "server");
    json_path_key(out, sizeof out, "server", "backlog");
    CHECK_STR(out, "server.backlog");
    json_path_key(out, sizeof out, "sweep", "server.backlog");
    CHECK_STR(out, "sweep[\"server.backlog\"]");
    json_path_index(out, sizeof out, "sweep[\"server.backlog\"]", 2);
    CHECK_STR(out, "sweep[\"server.backlog\"][2]");
    json_path_key(out, sizeof out, "", "a\"b\\c\nd");
    CHECK_STR(out, "[\"a\\\"b\\\\c\\u000ad\"]");
    json_path_key(out, sizeof out, "", "_x9");
    CHECK_STR(out, "_x9");
    json_path_key(out, sizeof out, "", "9x");
    CHECK_STR(out, "[\"9x\"]");
    json_path_key(out, sizeof out, "", "");
    CHECK_STR(out, "[\"\"]");

    /* a small buffer cuts the path, terminated */
    char small[8];
    json_path_key(small, sizeof small, "server", "backlog");
    CHECK_STR(small, "server.");

    /* long keys are not cut at some inner limit: two keys that share a
     * long prefix must stay two paths (else a false "duplicate key") */
    char key[2101], big[2200];
    memset(key, 'k', 2100);
    key[2100] = '\0';
    json_path_key(big, sizeof big, "", key);
    CHECK_INT(strlen(big), 2100);
}

static void test_key_escapes(void)
{
    /* keys are decoded exactly as jansson decodes them */
    const char *text = "{\"a\\\"b\": 1, \"c\\\\d\": 2, \"\\u00e9t\\u00e9\": 3,"
                       " \"\\ud83d\\ude00\": 4, \"tab\\there\": 5, \"sl\\/ash\": 6}";
    struct json_locations l;
    struct hl_error err;
    json_error_t jerr;
    json_t *root = json_loads(text, 0, &jerr);
    CHECK(root != NULL);
    CHECK_INT(build(&l, text, &err), 0);
    CHECK_AT(&l, "[\"a\\\"b\"]", 1, 10);
    CHECK_AT(&l, "[\"c\\\\d\"]", 1, 21);
    CHECK_AT(&l, "[\"\xC3\xA9t\xC3\xA9\"]", 1, 41);
    CHECK_AT(&l, "[\"\xF0\x9F\x98\x80\"]", 1, 60);
    CHECK_AT(&l, "[\"tab\\u0009here\"]", 1, 76);
    CHECK_AT(&l, "[\"sl/ash\"]", 1, 90);
    /* every key jansson holds has the path locations recorded */
    const char *key;
    json_t *value;
    json_object_foreach(root, key, value)
    {
        char path[128];
        json_path_key(path, sizeof path, "", key);
        CHECK(json_locations_find(&l, path) != NULL);
    }
    json_locations_free(&l);
    json_decref(root);
}

static void test_columns_count_characters(void)
{
    /* é is 2 bytes, 😀 4: columns count them as one each, as jansson does */
    const char *text = "{\"\xC3\xA9\xF0\x9F\x98\x80\": 1, \"x\": 2}";
    struct json_locations l;
    struct hl_error err;
    CHECK_INT(build(&l, text, &err), 0);
    CHECK_AT(&l, "x", 1, 16);
    CHECK_KEY_AT(&l, "x", 1, 11);
    json_locations_free(&l);

    /* json_text_position agrees with jansson's own error column */
    const char *bad = "{\"\xC3\xA9\xF0\x9F\x98\x80\": 1,\n \"\xC3\xA9\": \"\xF0\x9F\x98\x80\",}";
    json_error_t jerr;
    CHECK(json_loads(bad, 0, &jerr) == NULL);
    int line, column;
    json_text_position(bad, strlen(bad) - 1, &line, &column);
    CHECK_INT(line, jerr.line);
    CHECK_INT(column, jerr.column);
    CHECK_INT(line, 2);
    CHECK_INT(column, 11);

    /* CRLF: the '\r' ends no line */
    const char *crlf = "{\r\n  \"a\": 1,\r\n  \"b\": 2\r\n}\r\n";
    CHECK_INT(build(&l, crlf, &err), 0);
    CHECK_AT(&l, "b", 3, 8);
    json_locations_free(&l);

    /* after a UTF-8 byte order mark, the first character is column 1 */
    const char *bom = "\xEF\xBB\xBF{\"a\": 1}";
    CHECK_INT(build(&l, bom, &err), 0);
    CHECK_AT(&l, "", 1, 1);
    CHECK_AT(&l, "a", 1, 7);
    json_locations_free(&l);
    json_text_position(bom, 4, &line, &column);
    CHECK_INT(column, 2);
}

static void test_duplicates(void)
{
    struct json_locations l;
    struct hl_error err;
    char message[2048];

    CHECK_INT(build(&l, "{\"a\": 1,\n \"b\": 2,\n \"a\": 3}", &err), -22);
    CHECK_STR(hl_error_format(&err, message, sizeof message),
              "t.json:3:2: a: duplicate key (first given at line 1, column 2); remove one of "
              "the two");
    CHECK_INT(l.count, 0); /* freed on failure */

    CHECK_INT(build(&l, "{\"s\": {\"x\": {}, \"y\": 1, \"x\": 2}}", &err), -22);
    CHECK_CONTAINS(err.where, "t.json:1:25: s.x");

    /* the same key written two ways is still the same key */
    CHECK_INT(build(&l, "{\"ab\": 1, \"a\\u0062\": 2}", &err), -22);
    CHECK_CONTAINS(err.where, "t.json:1:11: ab");

    /* the same key in two objects, or a key equal to a quoted path, is not */
    CHECK_INT(build(&l, "{\"server\": {\"sndbuf\": 1}, \"client\": {\"sndbuf\": 2}}", &err), 0);
    json_locations_free(&l);
    CHECK_INT(build(&l, "{\"a\": {\"b\": 1}, \"a.b\": 2}", &err), 0);
    CHECK(json_locations_find(&l, "a.b") != NULL);
    CHECK(json_locations_find(&l, "[\"a.b\"]") != NULL);
    json_locations_free(&l);

    /* two long keys that differ only at the end are two keys */
    char text[4500], key[2001];
    memset(key, 'k', 2000);
    key[2000] = '\0';
    snprintf(text, sizeof text, "{\"%s1\": 1, \"%s2\": 2}", key, key);
    CHECK_INT(build(&l, text, &err), 0);
    json_locations_free(&l);
}

static void test_source_text(void)
{
    const char *text =
        "{\"a\": 4.0, \"b\": 1e3, \"c\": [1,\n 2], \"d\": \"\xC3\xA9\xC3\xA9\xC3\xA9\"}";
    struct json_locations l;
    struct hl_error err;
    char out[64];
    CHECK_INT(build(&l, text, &err), 0);
    CHECK_STR(json_locations_source(&l, find(&l, "a"), out, sizeof out), "4.0");
    CHECK_STR(json_locations_source(&l, find(&l, "b"), out, sizeof out), "1e3");
    CHECK_STR(json_locations_source(&l, find(&l, "c"), out, sizeof out), "[1,  2]");
    CHECK_STR(json_locations_source(&l, find(&l, "d"), out, sizeof out),
              "\"\xC3\xA9\xC3\xA9\xC3\xA9\"");
    /* cut with "..." and never inside a UTF-8 character */
    char small[8];
    CHECK_STR(json_locations_source(&l, find(&l, "d"), small, sizeof small), "\"\xC3\xA9...");
    json_locations_free(&l);
}

static void test_not_json(void)
{
    /* the walk is for texts jansson accepted, but must fail cleanly on
     * anything else: no read past the end, no endless loop */
    const char *bad[] = {"",           "{",          "{\"a\": [1, 2",   "[1}",   "{\"a\" 1}",
                         "{\"a\":}",   "\"open",     "{\"a\": \"\\u12", "[,,,]", "]",
                         "{\"a\":1}x", "[[[[[[[[[[", "{1: 2}",          "{\"\\", "  "};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct json_locations l;
        struct hl_error err;
        int rc = build(&l, bad[i], &err);
        if (rc == 0) {
            fprintf(stderr, "accepted as JSON: %s\n", bad[i]);
            json_locations_free(&l);
        }
        CHECK(rc != 0);
        CHECK_INT(l.count, 0);
    }
    /* a NUL inside the given length */
    struct json_locations l;
    struct hl_error err;
    CHECK(json_locations_build(&l, "{\"a\": 1\0}", 9, "t.json", &err) != 0);
}

int main(void)
{
    test_paths();
    test_path_building();
    test_key_escapes();
    test_columns_count_characters();
    test_duplicates();
    test_source_text();
    test_not_json();
    return check_exit();
}
