/* test_compare.c: the marking rule of compare.h on results made up to the
 * results format: which differences are beyond the runs' spread, how
 * points and scenarios are matched, and the labels; three sets, each
 * against the baseline (compare_many()), read through compare_view.h,
 * and the sets' names. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "check.h"
#include "compare.h"
#include "compare_view.h"

/* A run of point `point` (sweep server.backlog = backlog) with the given
 * summary; the buffers set or not (sndbuf 0: autotuned); somaxconn in its
 * scenario. */
static json_t *run(int point, int backlog, json_t *summary, int sndbuf)
{
    return json_pack("{s:i,s:i,s:{s:i},s:{s:{s:i,s:i,s:s,s:s},s:{s:i,s:i,s:{s:i}}},"
                     "s:{s:i},s:o,s:[]}",
                     "point", point, "repeat", 0, "sweep", "server.backlog", backlog, "params",
                     "server", "backlog", backlog, "rcvbuf", 4096, "accept", "never", "read",
                     "never", "client", "sndbuf", sndbuf, "connections", 12, "send", "chunk", 16384,
                     "effective", "backlog", backlog, "summary", summary, "connections");
}

/* A summary: the counts that matter here, the rest zero. */
static json_t *summary(int connected, long long elapsed_us, long long bytes_sent, int stopped)
{
    return json_pack("{s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:I,s:I,s:I,s:b,s:n,s:{s:i,s:i,s:i},"
                     "s:{s:i,s:i,s:i}}",
                     "attempted", 12, "connected", connected, "refused", 0, "timed_out",
                     12 - connected, "failed", 0, "reset", 0, "accepted", 0, "elapsed_us",
                     (json_int_t)elapsed_us, "bytes_sent", (json_int_t)bytes_sent, "bytes_read",
                     (json_int_t)0, "stopped_at_duration", stopped, "bytes_before_first_block",
                     "timed_out_by", "kernel", 0, "harness", 12 - connected, "run_end", 0, "kernel",
                     "ListenOverflows", 12 - connected, "ListenDrops", 12 - connected,
                     "TCPSynRetrans", 0);
}

/* A results object from its runs (point_summaries computed), with a
 * scenario that sets somaxconn and an environment. */
static json_t *results(json_t *runs, int somaxconn, const char *started_at)
{
    json_t *r =
        json_pack("{s:s,s:s,s:s,s:[s],s:{s:s,s:{s:i}},s:{s:s,s:s,s:s,s:{s:i}},s:o}", "format",
                  "backlog-lab results 1", "name", "clamp", "description", "made up", "plots",
                  "outcomes", "scenario", "name", "clamp", "sysctls", "net.core.somaxconn",
                  somaxconn, "environment", "hostname", "vm", "kernel", "6.1.0-test", "started_at",
                  started_at, "sysctls", "net.ipv4.tcp_syn_retries", 6, "runs", runs);
    json_object_set_new(r, "point_summaries", aggregate_points(json_object_get(r, "runs")));
    return r;
}

static const json_t *point_of(const json_t *comparison, size_t i)
{
    return json_array_get(json_object_get(comparison, "points"), i);
}

static int marked(const json_t *point, const char *field)
{
    return json_is_true(
        json_object_get(json_object_get(json_object_get(point, "fields"), field), "marked"));
}

static json_t *two_points(int connected_16, long long elapsed_16, int somaxconn,
                          const char *started_at)
{
    json_t *runs = json_array();
    json_array_append_new(runs, run(0, 4, summary(5, 1000000, 0, 1), 4096));
    json_array_append_new(runs, run(1, 16, summary(connected_16, elapsed_16, 0, 1), 4096));
    return results(runs, somaxconn, started_at);
}

static void test_self_and_known_difference(void)
{
    json_t *a = two_points(12, 1000000, 4096, "2026-01-01T10:00:00Z");
    json_t *again = two_points(12, 1003000, 4096, "2026-01-01T10:05:00Z");
    json_t *b = two_points(9, 1001000, 8, "2026-01-01T10:10:00Z");

    /* a set with itself, and with a second run of the same: nothing */
    json_t *self = compare_scenario(a, a);
    CHECK_INT(json_integer_value(json_object_get(self, "marked")), 0);
    CHECK_INT(json_array_size(json_object_get(self, "points")), 2);
    json_decref(self);
    json_t *rerun = compare_scenario(a, again);
    CHECK_INT(json_integer_value(json_object_get(rerun, "marked")), 0);
    json_decref(rerun);

    /* somaxconn 4096 vs 8: backlog 16 connects 12 vs 9; backlog 4 the same */
    json_t *c = compare_scenario(a, b);
    CHECK_INT(json_integer_value(json_object_get(c, "points_marked")), 1);
    CHECK(!json_array_size(json_object_get(point_of(c, 0), "marked")));
    CHECK(marked(point_of(c, 1), "connected"));
    CHECK(marked(point_of(c, 1), "timed_out"));
    CHECK(!marked(point_of(c, 1), "elapsed_us")); /* 1 ms apart: within a timer's tolerance */
    CHECK_STR(
        json_string_value(json_object_get(
            json_object_get(json_object_get(point_of(c, 1), "fields"), "connected"), "class")),
        "exact");
    /* ListenOverflows 0 vs 3 with nobody waiting for a retransmit (none
     * has connections recorded here): marked too */
    CHECK(marked(point_of(c, 1), "kernel.ListenOverflows"));
    /* the labels say what differs: the scenario's somaxconn */
    const json_t *labels = json_object_get(c, "labels");
    CHECK_STR(json_string_value(json_object_get(labels, "a")), "vm, 6.1.0-test, somaxconn=4096");
    CHECK_STR(json_string_value(json_object_get(labels, "b")), "vm, 6.1.0-test, somaxconn=8");
    CHECK_STR(json_string_value(json_object_get(labels, "a_brief")), "somaxconn=4096");
    CHECK_STR(json_string_value(json_object_get(labels, "common")), "vm, 6.1.0-test");
    CHECK_INT(json_array_size(json_object_get(c, "scenario_differs")), 1);
    CHECK_STR(json_string_value(json_array_get(json_object_get(c, "scenario_differs"), 0)),
              "sysctls.net.core.somaxconn: 4096 vs 8");
    json_decref(c);

    /* same machine, same settings: the time tells them apart */
    c = compare_scenario(a, again);
    CHECK_STR(json_string_value(json_object_get(json_object_get(c, "labels"), "a")),
              "vm, 6.1.0-test, 2026-01-01 10:00");
    CHECK_STR(json_string_value(json_object_get(json_object_get(c, "labels"), "b_brief")),
              "2026-01-01 10:05");
    json_decref(c);
    json_decref(a);
    json_decref(again);
    json_decref(b);
}

static void test_timer_tolerance(void)
{
    /* 1.0 s vs 1.1 s: within 1.1 s / 8 + 40 ms; vs 1.5 s: beyond */
    json_t *a = two_points(12, 1000000, 4096, "t");
    json_t *near = two_points(12, 1100000, 4096, "t");
    json_t *far = two_points(12, 1500000, 4096, "t");
    json_t *c = compare_scenario(a, near);
    CHECK(!marked(point_of(c, 1), "elapsed_us"));
    json_decref(c);
    c = compare_scenario(a, far);
    CHECK(marked(point_of(c, 1), "elapsed_us"));
    CHECK_INT(json_integer_value(json_object_get(c, "marked")), 1);
    json_decref(c);
    json_decref(a);
    json_decref(near);
    json_decref(far);
}

static void test_spread_of_repeats(void)
{
    /* A's repeats connect 5, 6, 5 (spread 1), B's 6: a difference of 1 is
     * within the spread; 7 is not */
    json_t *runs_a = json_array(), *runs_b = json_array(), *runs_c = json_array();
    for (int i = 0; i < 3; i++)
        json_array_append_new(runs_a, run(0, 4, summary(i == 1 ? 6 : 5, 1000000, 0, 1), 4096));
    json_array_append_new(runs_b, run(0, 4, summary(6, 1000000, 0, 1), 4096));
    json_array_append_new(runs_c, run(0, 4, summary(7, 1000000, 0, 1), 4096));
    json_t *a = results(runs_a, 4096, "t"), *b = results(runs_b, 4096, "t");
    json_t *c7 = results(runs_c, 4096, "t");
    json_t *c = compare_scenario(a, b);
    CHECK(!marked(point_of(c, 0), "connected"));
    json_decref(c);
    c = compare_scenario(a, c7);
    CHECK(marked(point_of(c, 0), "connected"));
    json_decref(c);
    json_decref(a);
    json_decref(b);
    json_decref(c7);
}

static void test_bytes(void)
{
    /* a run that finished by itself: its bytes are exact */
    json_t *ra = json_array(), *rb = json_array();
    json_array_append_new(ra, run(0, 4, summary(12, 500000, 32768, 0), 4096));
    json_array_append_new(rb, run(0, 4, summary(12, 500000, 32769, 0), 4096));
    json_t *a = results(ra, 4096, "t"), *b = results(rb, 4096, "t");
    json_t *c = compare_scenario(a, b);
    CHECK(marked(point_of(c, 0), "bytes_sent"));
    json_decref(c);
    json_decref(a);
    json_decref(b);

    /* autotuned buffers, stopped at the run's end: 3940352 vs 3919872
     * (measured twice on one kernel) is within 1 %; 3.5 MB is not */
    ra = json_array();
    rb = json_array();
    json_t *rc = json_array();
    json_array_append_new(ra, run(0, 4, summary(1, 600000, 3940352, 1), 0));
    json_array_append_new(rb, run(0, 4, summary(1, 600000, 3919872, 1), 0));
    json_array_append_new(rc, run(0, 4, summary(1, 600000, 3500000, 1), 0));
    a = results(ra, 4096, "t");
    b = results(rb, 4096, "t");
    json_t *far = results(rc, 4096, "t");
    c = compare_scenario(a, b);
    CHECK(!marked(point_of(c, 0), "bytes_sent"));
    json_decref(c);
    c = compare_scenario(a, far);
    CHECK(marked(point_of(c, 0), "bytes_sent"));
    json_decref(c);

    /* a plateau (one sender, buffers set, its bytes unchanged for the last
     * 300 ms of the run): within one chunk (98304 against 100352, seen in
     * CI), not beyond it */
    json_t *plateau[3];
    long long plateau_sent[3] = {98304, 100352, 98304 + 16384 + 1};
    for (int i = 0; i < 3; i++) {
        json_t *rs = json_array();
        json_t *r = run(0, 4, summary(1, 400000, plateau_sent[i], 1), 4096);
        json_object_set_new(r, "samples",
                            json_pack("{s:[{s:i,s:I},{s:i,s:I}]}", "client", "t_us", 50000,
                                      "bytes_sent", (json_int_t)plateau_sent[i], "t_us", 390000,
                                      "bytes_sent", (json_int_t)plateau_sent[i]));
        json_array_append_new(rs, r);
        plateau[i] = results(rs, 4096, "t");
    }
    c = compare_scenario(plateau[0], plateau[1]);
    CHECK(!marked(point_of(c, 0), "bytes_sent"));
    CHECK_INT(
        json_integer_value(json_object_get(
            json_object_get(json_object_get(point_of(c, 0), "fields"), "bytes_sent"), "tolerance")),
        16384);
    json_decref(c);
    c = compare_scenario(plateau[0], plateau[2]);
    CHECK(marked(point_of(c, 0), "bytes_sent"));
    json_decref(c);
    for (int i = 0; i < 3; i++)
        json_decref(plateau[i]);

    /* blocked in one set only: bytes_before_first_block is measured in B
     * alone, and marked */
    json_object_set_new(json_object_get(json_array_get(json_object_get(b, "runs"), 0), "summary"),
                        "bytes_before_first_block", json_integer(6144));
    json_object_set_new(b, "point_summaries", aggregate_points(json_object_get(b, "runs")));
    c = compare_scenario(a, b);
    CHECK(marked(point_of(c, 0), "bytes_before_first_block"));
    CHECK(json_is_null(json_object_get(
        json_object_get(json_object_get(point_of(c, 0), "fields"), "bytes_before_first_block"),
        "a")));
    json_decref(c);
    json_decref(a);
    json_decref(b);
    json_decref(far);
}

/* A run that finished by itself having blocked `blocked` times, its reader
 * paced at rate bytes/s (0: never reads) with a 32 KiB send buffer. */
static json_t *blocked_results(long long rate, int blocked)
{
    json_t *runs = json_array(), *r = run(0, 4, summary(12, 500000, 131072, 0), 16384);
    json_t *params = json_object_get(r, "params");
    if (rate)
        json_object_set_new(json_object_get(params, "server"), "read",
                            json_pack("{s:I,s:i,s:i}", "bytes_per_sec", (json_int_t)rate, "chunk",
                                      4096, "start_ms", 0));
    json_object_set_new(json_object_get(json_object_get(params, "client"), "send"), "bytes",
                        json_integer(131072));
    json_object_set_new(json_object_get(r, "effective"), "sndbuf", json_integer(32768));
    json_object_set_new(json_object_get(r, "summary"), "blocked_sends", json_integer(blocked));
    json_array_append_new(runs, r);
    return results(runs, 4096, "t");
}

static int blocked_marked(long long rate, int blocked_a, int blocked_b)
{
    json_t *a = blocked_results(rate, blocked_a), *b = blocked_results(rate, blocked_b);
    json_t *c = compare_scenario(a, b);
    int m = marked(point_of(c, 0), "blocked_sends");
    json_decref(c);
    json_decref(a);
    json_decref(b);
    return m;
}

/* blocked_sends of runs that finished by themselves: exact, but where a
 * paced reader frees the 32 KiB send buffer in 8 ms (4 MiB/s), within a
 * timer's lateness: each wait is a race with the sender's return, and
 * blocking-vs-nonblocking gives 4 or 5 alone; one, not two. At 64 KiB/s
 * (500 ms to free it) and without a reader, exact. */
static void test_blocked_sends(void)
{
    CHECK(!blocked_marked(4194304, 5, 5));
    CHECK(!blocked_marked(4194304, 5, 4));
    CHECK(blocked_marked(4194304, 5, 3));
    CHECK(blocked_marked(65536, 5, 4));
    CHECK(blocked_marked(0, 5, 4));
}

static void test_syn_counters(void)
{
    /* 9 connections waited for a retransmit: ListenOverflows 11 vs 9 is
     * within one per waiting connection */
    json_t *ra = json_array(), *rb = json_array();
    json_array_append_new(ra, run(0, 4, summary(3, 2000000, 0, 1), 4096));
    json_array_append_new(rb, run(0, 4, summary(3, 2000000, 0, 1), 4096));
    json_t *conns = json_array();
    for (int i = 0; i < 12; i++)
        json_array_append_new(
            conns, json_pack("{s:i,s:i}", "start_us", 0, "outcome_us", i < 3 ? 200 : 1010000));
    json_object_set(json_array_get(ra, 0), "connections", conns);
    json_object_set_new(json_array_get(rb, 0), "connections", conns);
    json_object_set_new(
        json_object_get(json_object_get(json_array_get(ra, 0), "summary"), "kernel"),
        "ListenOverflows", json_integer(11));
    json_object_set_new(
        json_object_get(json_object_get(json_array_get(rb, 0), "summary"), "kernel"),
        "ListenOverflows", json_integer(9));
    json_t *a = results(ra, 4096, "t"), *b = results(rb, 4096, "t");
    json_t *c = compare_scenario(a, b);
    const json_t *f =
        json_object_get(json_object_get(point_of(c, 0), "fields"), "kernel.ListenOverflows");
    CHECK(!json_is_true(json_object_get(f, "marked")));
    CHECK_INT(json_integer_value(json_object_get(f, "tolerance")), 9);
    json_decref(c);
    json_decref(a);
    json_decref(b);
}

/* An outcome count in one set only: would_block 0 in every run against a
 * file from before it was counted is no difference; 2 against none is. */
static void test_outcome_in_one_set(void)
{
    for (int would_block = 0; would_block <= 2; would_block += 2) {
        json_t *ra = json_array(), *rb = json_array();
        json_array_append_new(ra, run(0, 4, summary(5, 1000000, 0, 1), 4096));
        json_t *sb = summary(5, 1000000, 0, 1);
        json_object_set_new(sb, "would_block", json_integer(would_block));
        json_array_append_new(rb, run(0, 4, sb, 4096));
        json_t *a = results(ra, 4096, "t"), *b = results(rb, 4096, "t");
        json_t *c = compare_scenario(a, b);
        CHECK_INT(marked(point_of(c, 0), "would_block"), would_block != 0);
        json_decref(c);
        json_decref(a);
        json_decref(b);
    }
}

static void test_matching(void)
{
    /* points by sweep values: backlog 4 in both, 8 in A only, 16 in B only */
    json_t *ra = json_array(), *rb = json_array();
    json_array_append_new(ra, run(0, 4, summary(5, 1000000, 0, 1), 4096));
    json_array_append_new(ra, run(1, 8, summary(9, 1000000, 0, 1), 4096));
    json_array_append_new(rb, run(0, 16, summary(12, 1000000, 0, 1), 4096));
    json_array_append_new(rb, run(1, 4, summary(5, 1000000, 0, 1), 4096));
    json_t *a = results(ra, 4096, "t"), *b = results(rb, 4096, "t");
    json_t *c = compare_scenario(a, b);
    CHECK_INT(json_array_size(json_object_get(c, "points")), 1);
    CHECK_INT(json_integer_value(json_object_get(point_of(c, 0), "a_point")), 0);
    CHECK_INT(json_integer_value(json_object_get(point_of(c, 0), "b_point")), 1);
    CHECK_INT(json_array_size(json_object_get(c, "only_in_a")), 1);
    CHECK_INT(json_array_size(json_object_get(c, "only_in_b")), 1);
    CHECK_INT(json_integer_value(json_object_get(c, "marked")), 0);
    json_decref(c);

    /* scenarios by name: one in A only, one in B only, not fatal */
    json_t *other = json_deep_copy(b);
    json_object_set_new(other, "name", json_string("other"));
    struct resultset sa = {.count = 1}, sb = {.count = 2};
    struct resultset_entry ea[1] = {{.name = "clamp", .stem = "clamp", .results = a}};
    struct resultset_entry eb[2] = {{.name = "clamp", .stem = "clamp", .results = b},
                                    {.name = "other", .stem = "other", .results = other}};
    strcpy(sa.dir, "A");
    strcpy(sb.dir, "B");
    sa.entries = ea;
    sb.entries = eb;
    json_t *sets = compare_sets(&sa, &sb);
    CHECK_STR(json_string_value(json_object_get(sets, "format")), COMPARE_FORMAT);
    CHECK_INT(json_array_size(json_object_get(sets, "scenarios")), 1);
    CHECK_INT(json_array_size(json_object_get(sets, "only_in_a")), 0);
    CHECK_STR(json_string_value(json_array_get(json_object_get(sets, "only_in_b"), 0)), "other");
    json_decref(sets);
    sets = compare_sets(&sb, &sa);
    CHECK_STR(json_string_value(json_array_get(json_object_get(sets, "only_in_a"), 0)), "other");
    json_decref(sets);
    json_decref(other);
    json_decref(a);
    json_decref(b);
}

static void test_skipped(void)
{
    /* A ran both points; B skipped the second (its link needs netem): one
     * point compared, B's reason listed */
    json_t *a = two_points(12, 1000000, 4096, "t");
    json_t *runs = json_array();
    json_array_append_new(runs, run(0, 4, summary(5, 1000000, 0, 1), 4096));
    json_t *b = results(runs, 4096, "t");
    json_object_set_new(b, "skipped",
                        json_pack("[{s:i,s:{s:i},s:s}]", "point", 1, "sweep", "server.backlog", 16,
                                  "reason", "this kernel has no netem qdisc"));
    json_t *c = compare_scenario(a, b);
    CHECK_INT(json_array_size(json_object_get(c, "points")), 1);
    CHECK_INT(json_array_size(json_object_get(c, "only_in_a")), 1);
    CHECK_INT(json_array_size(json_object_get(c, "skipped_in_a")), 0);
    CHECK_STR(json_string_value(
                  json_object_get(json_array_get(json_object_get(c, "skipped_in_b"), 0), "reason")),
              "this kernel has no netem qdisc");
    CHECK_INT(json_integer_value(json_object_get(c, "marked")), 0);
    json_decref(c);
    json_decref(a);
    json_decref(b);
}

/* A set of one scenario, "clamp". */
static void one_scenario_set(struct resultset *set, struct resultset_entry *entry, const char *dir,
                             json_t *results)
{
    memset(set, 0, sizeof *set);
    memset(entry, 0, sizeof *entry);
    strcpy(entry->name, "clamp");
    strcpy(entry->stem, "clamp");
    snprintf(entry->file, sizeof entry->file, "%s/clamp.json", dir);
    entry->results = results;
    strcpy(set->dir, dir);
    set->entries = entry;
    set->count = 1;
}

static const json_t *against(const json_t *comparison, size_t i)
{
    return json_array_get(
        json_object_get(json_array_get(json_object_get(comparison, "scenarios"), 0),
                        "against_baseline"),
        i);
}

static void test_three_sets(void)
{
    /* the baseline A connects 12 at backlog 16; B 9 (somaxconn 8); C 12,
     * a second run 3 ms apart: B is marked against A, C is not, whatever
     * B measured */
    json_t *a = two_points(12, 1000000, 4096, "2026-01-01T10:00:00Z");
    json_t *b = two_points(9, 1001000, 8, "2026-01-01T10:10:00Z");
    json_t *c = two_points(12, 1003000, 4096, "2026-01-01T10:05:00Z");
    struct resultset sets[3];
    struct resultset_entry entries[3];
    const struct resultset *list[3] = {&sets[0], &sets[1], &sets[2]};
    const char *names[3] = {"alice", "bob", "carol"};
    one_scenario_set(&sets[0], &entries[0], "class/alice", a);
    one_scenario_set(&sets[1], &entries[1], "class/bob", b);
    one_scenario_set(&sets[2], &entries[2], "class/carol", c);

    json_t *many = compare_many(list, names, 3);
    CHECK_STR(json_string_value(json_object_get(many, "format")), COMPARE_FORMAT_MANY);
    CHECK_INT(json_array_size(json_object_get(many, "sets")), 3);
    CHECK_STR(json_string_value(
                  json_object_get(json_array_get(json_object_get(many, "sets"), 2), "name")),
              "carol");
    CHECK_INT(json_array_size(json_object_get(json_array_get(json_object_get(many, "scenarios"), 0),
                                              "against_baseline")),
              2);
    /* B against A is the comparison of two sets, field for field */
    json_t *pair = compare_scenario(a, b);
    json_t *b_against = json_deep_copy(against(many, 0));
    CHECK_STR(json_string_value(json_object_get(b_against, "set")), "B");
    CHECK(json_equal(json_object_get(b_against, "points"), json_object_get(pair, "points")));
    json_decref(b_against);
    json_decref(pair);
    CHECK(marked(point_of(against(many, 0), 1), "connected"));
    CHECK_STR(json_string_value(json_object_get(against(many, 1), "set")), "C");
    CHECK_INT(json_integer_value(json_object_get(against(many, 1), "marked")), 0);
    /* marked in all: B's; the baseline's points where some set is marked: 1 */
    const json_t *scenario = json_array_get(json_object_get(many, "scenarios"), 0);
    CHECK_INT(json_integer_value(json_object_get(scenario, "points_marked")), 1);
    CHECK_INT(json_integer_value(json_object_get(many, "marked")),
              json_integer_value(json_object_get(against(many, 0), "marked")));

    /* the view: one row per point of the baseline, a column per set */
    struct compare_view view;
    struct compare_view_scenario vs;
    size_t n;
    CHECK_INT(compare_view_init(&view, many, NULL), 0);
    CHECK_INT(view.count, 3);
    CHECK_STR(view.names[1], "bob");
    compare_view_scenario(&view, scenario, &vs);
    struct compare_view_row *rows = compare_view_rows(&view, &vs, &n);
    CHECK_INT(n, 2);
    const json_t *stats;
    const json_t *rec = compare_view_field(&rows[1], view.count, 0, "connected", &stats);
    CHECK(rec != NULL);
    CHECK_INT(json_integer_value(json_object_get(stats, "median")), 12);
    rec = compare_view_field(&rows[1], view.count, 1, "connected", &stats);
    CHECK_INT(json_integer_value(json_object_get(stats, "median")), 9);
    CHECK(json_is_true(json_object_get(rec, "marked")));
    rec = compare_view_field(&rows[1], view.count, 2, "connected", &stats);
    CHECK(!json_is_true(json_object_get(rec, "marked")));
    free(rows);
    json_decref(many);

    /* a set without the scenario: compared without it */
    sets[2].count = 0;
    many = compare_many(list, names, 3);
    CHECK_INT(json_array_size(json_object_get(json_array_get(json_object_get(many, "scenarios"), 0),
                                              "against_baseline")),
              1);
    CHECK_STR(
        json_string_value(json_array_get(
            json_object_get(json_array_get(json_object_get(many, "sets"), 2), "only_in_baseline"),
            0)),
        "clamp");
    json_decref(many);

    /* two sets through the view: the compare_sets() object itself */
    json_t *two = compare_sets(&sets[0], &sets[1]);
    CHECK_INT(compare_view_init(&view, two, NULL), 0);
    CHECK_INT(view.count, 2);
    CHECK_STR(view.names[1], "B");
    json_decref(two);
    json_decref(a);
    json_decref(b);
    json_decref(c);
}

static void test_set_names(void)
{
    char names[4][COMPARE_NAME_SIZE];
    const char *dirs[4] = {"results/reference/6.18.44/", "results", "alice/results", "bob/results"};
    compare_set_names(dirs, NULL, 2, names);
    CHECK_STR(names[0], "6.18.44");
    CHECK_STR(names[1], "results");
    /* two folders of one name: their parents tell them apart */
    compare_set_names(dirs + 1, NULL, 3, names);
    CHECK_STR(names[0], "results");
    CHECK_STR(names[1], "alice/results");
    CHECK_STR(names[2], "bob/results");
    /* the same folder twice: its letter */
    const char *same[2] = {"x/results", "x/results/"};
    compare_set_names(same, NULL, 2, names);
    CHECK_STR(names[0], "x/results (A)");
    CHECK_STR(names[1], "x/results (B)");
    /* labels win */
    const char *labels[2] = {"2025", "2026"};
    compare_set_names(same, labels, 2, names);
    CHECK_STR(names[0], "2025");
    CHECK_STR(names[1], "2026");
}

static void test_rule_table(void)
{
    CHECK_STR(compare_field_class("connected"), "exact");
    CHECK_STR(compare_field_class("would_block"), "exact"); /* AF_UNIX's EAGAIN */
    CHECK_STR(compare_field_class("elapsed_us"), "timer");
    CHECK_STR(compare_field_class("bytes_sent"), "bytes");
    CHECK_STR(compare_field_class("kernel.TCPSynRetrans"), "syn");
    CHECK(compare_field_class("sampling_us") == NULL); /* the harness's own cost */
    CHECK(compare_field_class("kernel.InSegs") == NULL);
    size_t n = 0;
    while (compare_field(n))
        n++;
    CHECK_INT(n, 24);
}

int main(void)
{
    test_self_and_known_difference();
    test_timer_tolerance();
    test_spread_of_repeats();
    test_bytes();
    test_blocked_sends();
    test_syn_counters();
    test_outcome_in_one_set();
    test_matching();
    test_skipped();
    test_three_sets();
    test_set_names();
    test_rule_table();
    return check_exit();
}
