/* test_shards.c: a sweep spread over shards (harness-run --shard K/N)
 * and joined (--merge-shards).
 *
 * shards_join: the two shards of tests/e2e/scenarios/shards.json (three
 * points, two repeats) and a whole run of it, all three at the same time;
 * the shards joined make a file of the whole run's layout, with the same
 * points and repeats in the same order, the point summaries pointing at
 * the same runs, and the handshake counts the kernel guarantees
 * (min(B, somaxconn) + 1) in both; harness-compare marks nothing. Shards
 * that do not make one sweep are refused with exit 2, naming what
 * differs, and nothing is written. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "e2e.h"

/* harness-run --merge-shards files... -o out: its exit status; what it
 * printed in capture. */
static int merge(char *const files[], int count, const char *out, char *capture, size_t size)
{
    char *argv[16] = {(char *)e2e_binary("harness-run"), "--merge-shards"};
    int n = 2;
    for (int i = 0; i < count && n < 13; i++)
        argv[n++] = files[i];
    argv[n++] = "-o";
    argv[n++] = (char *)out;
    argv[n] = NULL;
    return e2e_exec(argv, capture, size);
}

/* A copy of the shard at from, at to, with key (a top-level key, or
 * "shard.count") set to value. */
static void edited_copy(const char *from, const char *to, const char *key, json_t *value)
{
    json_t *r = json_load_file(from, 0, NULL);
    if (strcmp(key, "shard.count") == 0)
        json_object_set_new(json_object_get(r, "shard"), "count", value);
    else if (strcmp(key, "scenario.duration_ms") == 0)
        json_object_set_new(json_object_get(r, "scenario"), "duration_ms", value);
    else
        json_object_set_new(r, key, value);
    CHECK(r && json_dump_file(r, to, JSON_INDENT(2)) == 0, "writing %s", to);
    json_decref(r);
}

/* Each set of files is refused (exit 2) with its message, nothing written. */
static void check_refusals(const char *dir, char *one, char *two, char *whole)
{
    char renamed[512], other_version[512], other_count[512], out[512], capture[4096];
    snprintf(renamed, sizeof renamed, "%s/renamed.json", dir);
    snprintf(other_version, sizeof other_version, "%s/other-version.json", dir);
    snprintf(other_count, sizeof other_count, "%s/other-count.json", dir);
    snprintf(out, sizeof out, "%s/refused.json", dir);
    edited_copy(two, renamed, "name", json_string("another-scenario"));
    edited_copy(two, other_version, "scenario.duration_ms", json_integer(1400));
    edited_copy(two, other_count, "shard.count", json_integer(3));
    struct {
        char *files[3];
        int count;
        const char *says;
    } cases[] = {
        {{one}, 1, "point 1 is in none of the 1 shard given (it is shard 2/2's)"},
        {{one, one, two}, 3, "shard 1/2 again"},
        {{one, renamed}, 2, "a shard of scenario \"another-scenario\", where"},
        {{one, other_version}, 2, "another version of scenario \"shards\""},
        {{one, other_version}, 2, "differ at duration_ms"},
        {{one, other_count}, 2, "the shards of one sweep share their N"},
        {{one, two, whole}, 3, "not a shard of a sweep"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = merge(cases[i].files, cases[i].count, out, capture, sizeof capture);
        CHECK_EQ(rc, 2, cases[i].says);
        CHECK(strstr(capture, cases[i].says) != NULL, "expected \"%s\", got: %s", cases[i].says,
              capture);
        CHECK(access(out, F_OK) != 0, "nothing written (%s)", cases[i].says);
    }
}

/* The same runs, in the same order, with the counts the kernel
 * guarantees; the summaries pointing at the same runs. */
static void check_same_runs(json_t *whole, json_t *merged)
{
    json_t *runs = jget(whole, "runs"), *joined = jget(merged, "runs");
    CHECK_EQ(json_array_size(joined), json_array_size(runs), "runs");
    CHECK_EQ(json_array_size(runs), 6, "three points, two repeats");
    for (size_t i = 0; i < json_array_size(runs) && i < json_array_size(joined); i++) {
        json_t *a = json_array_get(runs, i), *b = json_array_get(joined, i);
        CHECK_EQ(jint(b, "point"), jint(a, "point"), "a run's point");
        CHECK_EQ(jint(b, "repeat"), jint(a, "repeat"), "a run's repeat");
        long long backlog = jint(b, "params.server.backlog");
        CHECK_EQ(jint(b, "summary.connected"), backlog + 1, "min(B, somaxconn) + 1, joined");
        CHECK_EQ(jint(a, "summary.connected"), backlog + 1, "min(B, somaxconn) + 1, whole");
        CHECK_EQ(jint(b, "summary.attempted"), 8, "attempted");
    }
    json_t *points = jget(whole, "point_summaries"),
           *joined_points = jget(merged, "point_summaries");
    CHECK_EQ(json_array_size(joined_points), json_array_size(points), "point summaries");
    for (size_t i = 0; i < json_array_size(points); i++) {
        json_t *a = json_array_get(points, i), *b = json_array_get(joined_points, i);
        CHECK_EQ(jint(b, "point"), jint(a, "point"), "a summary's point");
        CHECK(json_equal(jget(a, "runs"), jget(b, "runs")), "point %zu: the same run indexes", i);
    }
    CHECK(jget(merged, "shard") == NULL, "the joined file is no shard");
    CHECK_EQ(json_array_size(jget(merged, "environment.shards")), 2, "each shard's environment");
}

/* harness-compare of the two files (each in a folder of its own): 0
 * marked. */
static void check_compare(const char *dir, const char *whole, const char *merged)
{
    char a[512], b[512], out[512], capture[4096], path[600];
    snprintf(a, sizeof a, "%s/a", dir);
    snprintf(b, sizeof b, "%s/b", dir);
    snprintf(out, sizeof out, "%s/compare", dir);
    mkdir(a, 0755);
    mkdir(b, 0755);
    snprintf(path, sizeof path, "%s/shards.json", a);
    CHECK(rename(whole, path) == 0, "moving %s", whole);
    snprintf(path, sizeof path, "%s/shards.json", b);
    CHECK(rename(merged, path) == 0, "moving %s", merged);
    char *argv[] = {(char *)e2e_binary("harness-compare"), a, b, "-o", out, "-q", NULL};
    CHECK_EQ(e2e_exec(argv, capture, sizeof capture), 0, "harness-compare");
    snprintf(path, sizeof path, "%s/compare.json", out);
    json_t *c = json_load_file(path, 0, NULL);
    CHECK(c != NULL, "compare.json: %s", capture);
    CHECK_EQ(jint(c, "marked"), 0, "marked comparing the joined shards with one run");
    json_decref(c);
}

int test_shards_join(void)
{
    const char *dir = e2e_temp_dir(), *scenario = e2e_scenario("shards");
    char whole[512], one[512], two[512], merged[512], logs[3][512], capture[4096];
    snprintf(whole, sizeof whole, "%s/whole.json", dir);
    snprintf(one, sizeof one, "%s/shard-1.json", dir);
    snprintf(two, sizeof two, "%s/shard-2.json", dir);
    snprintf(merged, sizeof merged, "%s/merged.json", dir);
    e2e_note_load(scenario);
    char *run = (char *)e2e_binary("harness-run");
    char *argv[3][8] = {{run, (char *)scenario, "-o", whole, "-q", NULL},
                        {run, (char *)scenario, "--shard", "1/2", "-o", one, "-q", NULL},
                        {run, (char *)scenario, "--shard", "2/2", "-o", two, "-q", NULL}};
    pid_t pids[3];
    for (int i = 0; i < 3; i++) {
        snprintf(logs[i], sizeof logs[i], "%s/run-%d.log", dir, i);
        pids[i] = e2e_start(argv[i], logs[i], 0);
    }
    for (int i = 0; i < 3; i++)
        CHECK_EQ(e2e_wait(pids[i]), 0, argv[i][3]);
    json_t *w = json_load_file(whole, 0, NULL), *s1 = json_load_file(one, 0, NULL);
    json_t *expected_points = json_pack("[i,i]", 0, 2);
    CHECK(s1 && json_equal(jget(s1, "shard.points"), expected_points),
          "shard 1/2 holds points 0 and 2");
    json_decref(expected_points);
    CHECK_EQ(json_array_size(jget(s1, "runs")), 4, "shard 1/2: two points, two repeats");
    CHECK_EQ(merge((char *[]){two, one}, 2, merged, capture, sizeof capture), 0, capture);
    json_t *m = json_load_file(merged, 0, NULL);
    CHECK(w && m, "the whole run's results and the joined shards");
    if (w && m) {
        e2e_same_shape("results", w, m, "results.environment.shards");
        check_same_runs(w, m);
        check_refusals(dir, one, two, whole);
        check_compare(dir, whole, merged);
    }
    char *too_many[] = {run, (char *)scenario, "--shard", "4/4", "-o", merged, NULL};
    CHECK_EQ(e2e_exec(too_many, capture, sizeof capture), 2, "4 shards of 3 points");
    CHECK(strstr(capture, "has 3 points, so at most 3 shards") != NULL, "got: %s", capture);
    json_decref(w);
    json_decref(s1);
    json_decref(m);
    return e2e_failures != 0;
}
