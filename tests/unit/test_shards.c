/* test_shards.c: which points a shard holds (shard_parse, shard_holds,
 * shard_describe) and the join of shards (shards_merge) on results files
 * made here: runs, point summaries and their run indexes (the flags' too)
 * as one run of the scenario has them. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "results.h"
#include "shards.h"

static char dir[PATH_MAX];

static void check_parse(void)
{
    struct shard s;
    struct hl_error err;
    CHECK_INT(shard_parse("2/8", &s, &err), 0);
    CHECK_INT(s.index, 2);
    CHECK_INT(s.count, 8);
    CHECK_INT(shard_parse("1/1", &s, &err), 0);
    const char *bad[] = {"0/3", "4/3", "3", "a/b", "1/", "/2", "1/2x", "-1/2", "1/0"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(shard_parse(bad[i], &s, &err) < 0);
}

/* every point in exactly one shard of N, and shard K's list its own */
static void check_partition(void)
{
    for (long long n = 1; n <= 7; n++) {
        for (size_t point = 0; point < 20; point++) {
            int holders = 0;
            for (long long k = 1; k <= n; k++)
                holders += shard_holds(&(struct shard){k, n}, point);
            CHECK_INT(holders, 1);
        }
    }
    CHECK(shard_holds(&(struct shard){0, 0}, 12));
    json_t *d = shard_describe(&(struct shard){2, 3}, 8);
    json_t *want = json_pack("{s:i,s:i,s:[i,i,i]}", "index", 2, "count", 3, "points", 1, 4, 7);
    CHECK(json_equal(d, want));
    json_decref(d);
    json_decref(want);
}

/* A results file of the points in `points` (-1 ends; NULL: a whole run
 * of 3 points x 2 repeats), each point's second run flagged. */
static json_t *results_of(const int *points, long long index, long long count)
{
    static const int all[] = {0, 1, 2, -1};
    json_t *runs = json_array(), *summaries = json_array(), *list = json_array();
    for (const int *p = points ? points : all; *p >= 0; p++) {
        size_t first = json_array_size(runs);
        for (int r = 0; r < 2; r++)
            json_array_append_new(runs, json_pack("{s:i,s:i,s:{s:i}}", "point", *p, "repeat", r,
                                                  "summary", "connected", *p + 1));
        json_array_append_new(summaries,
                              json_pack("{s:i,s:[I,I],s:[{s:s,s:I}]}", "point", *p, "runs",
                                        (json_int_t)first, (json_int_t)first + 1, "flags", "field",
                                        "connected", "run", (json_int_t)first + 1));
        json_array_append_new(list, json_integer(*p));
    }
    json_t *r = json_pack(
        "{s:s,s:s,s:{s:i},s:i,s:i,s:{s:s,s:s,s:b,s:{},s:s},s:o,s:o,s:[]}", "format", RESULTS_FORMAT,
        "name", "x", "scenario", "duration_ms", 100, "points", 3, "repeat", 2, "environment",
        "kernel", "6.x", "harness_version", "1", "private_netns", 1, "sysctls", "started_at",
        "2026-01-01T00:00:00Z", "runs", runs, "point_summaries", summaries, "skipped");
    if (points)
        json_object_set_new(r, "shard",
                            json_pack("{s:I,s:I,s:o}", "index", (json_int_t)index, "count",
                                      (json_int_t)count, "points", list));
    else
        json_decref(list);
    return r;
}

static char *write_file(const char *name, json_t *r)
{
    static char paths[8][PATH_MAX];
    static int next;
    char *path = paths[next++ % 8];
    snprintf(path, PATH_MAX, "%s/%s", dir, name);
    CHECK_INT(json_dump_file(r, path, JSON_INDENT(2)), 0);
    json_decref(r);
    return path;
}

static void check_join(void)
{
    char *one = write_file("one.json", results_of((int[]){0, 2, -1}, 1, 2));
    char *two = write_file("two.json", results_of((int[]){1, -1}, 2, 2));
    json_t *whole = results_of(NULL, 0, 0), *joined = NULL;
    struct hl_error err;
    CHECK_INT(shards_merge((char *[]){two, one}, 2, &joined, &err), 0);
    if (!joined) {
        fprintf(stderr, "%s: %s\n", err.where, err.what);
        json_decref(whole);
        return;
    }
    CHECK_INT(json_array_size(json_object_get(json_object_get(joined, "environment"), "shards")),
              2);
    json_object_del(whole, "environment");
    json_object_del(joined, "environment");
    CHECK(json_equal(whole, joined));
    if (!json_equal(whole, joined))
        json_dumpf(joined, stderr, JSON_INDENT(1));
    json_decref(whole);
    json_decref(joined);

    /* a shard missing, a shard twice, another version of the scenario */
    CHECK_INT(shards_merge((char *[]){one}, 1, &joined, &err), -EINVAL);
    CHECK(strstr(err.what, "point 1 is in none of the 1 shard given") != NULL);
    CHECK_INT(shards_merge((char *[]){one, two, one}, 3, &joined, &err), -EINVAL);
    CHECK(strstr(err.what, "shard 1/2 again") != NULL);
    json_t *other = results_of((int[]){1, -1}, 2, 2);
    json_object_set_new(json_object_get(other, "scenario"), "duration_ms", json_integer(200));
    char *changed = write_file("changed.json", other);
    CHECK_INT(shards_merge((char *[]){one, changed}, 2, &joined, &err), -EINVAL);
    CHECK(strstr(err.what, "differ at duration_ms") != NULL);
    CHECK(joined == NULL);
}

int main(void)
{
    snprintf(dir, sizeof dir, "%s/test-shards-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir))
        return 1;
    check_parse();
    check_partition();
    check_join();
    const char *names[] = {"one.json", "two.json", "changed.json"};
    for (size_t i = 0; i < 3; i++) {
        char path[PATH_MAX + 32];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
    return check_exit();
}
