/* test_merge_repeats.c: the repeats of one point run by hand, merged.
 *
 * merge_repeats: point 1 of tests/e2e/scenarios/by-hand-repeats.json
 * (repeat 2) run by hand three times in a namespace of the test, each a
 * server half and a client half. harness-run --merge of the first two
 * pairs writes the point's runs as harness-run does: repeat 0 and 1 in
 * the order given, both of point 1, one point summary over both (its
 * "runs" [0, 1], "repeats" 2), each with the B + 1 handshakes the kernel
 * completes, each pair's clocks in environment.by_hand.repeats; and
 * harness-compare matches them to harness-run's point 1. Refused, exit 1
 * and nothing written: three pairs (the scenario repeats twice), a pair
 * given twice, a pair of another point; an odd number of halves is a
 * wrong command line (exit 2). */
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "e2e.h"
#include "rtnl.h"

/* One run of point 1 by hand: the server listens until its duration,
 * longer than the client's run. */
static void run_by_hand(const char *scenario, const char *dir, int run)
{
    char server_half[512], client_half[512], log[512], capture[4096];
    snprintf(server_half, sizeof server_half, "%s/server-%d.json", dir, run);
    snprintf(client_half, sizeof client_half, "%s/client-%d.json", dir, run);
    snprintf(log, sizeof log, "%s/server-%d.log", dir, run);
    char *server[] = {(char *)e2e_binary("harness-server"),
                      "--scenario",
                      (char *)scenario,
                      "--point",
                      "1",
                      "--listen",
                      "127.0.0.1:5000",
                      "--duration-ms",
                      "1800",
                      "--results",
                      server_half,
                      NULL};
    pid_t pid = e2e_start(server, log, 0);
    CHECK(e2e_wait_for_text(log, "listening on port 5000", 10), "the server listens (run %d)", run);
    char *client[] = {(char *)e2e_binary("harness-client"),
                      "--scenario",
                      (char *)scenario,
                      "--point",
                      "1",
                      "--connect",
                      "127.0.0.1:5000",
                      "--results",
                      client_half,
                      NULL};
    CHECK(e2e_exec(client, capture, sizeof capture) == 0, "the client by hand (run %d): %s", run,
          capture);
    CHECK(e2e_wait(pid) == 0, "the server by hand (run %d)", run);
}

/* harness-run --merge of the halves of runs (server-R, client-R, in that
 * order) into out: its exit status, what it printed in capture. */
static int merge(const char *dir, const char *const runs[], int count, const char *out,
                 char *capture, size_t size)
{
    char paths[8][512];
    char *argv[16] = {(char *)e2e_binary("harness-run"), "--merge"};
    int n = 2;
    for (int i = 0; i < count && i < 8; i++) {
        snprintf(paths[i], sizeof paths[i], "%s/%s.json", dir, runs[i]);
        argv[n++] = paths[i];
    }
    argv[n++] = "-o";
    argv[n++] = (char *)out;
    argv[n] = NULL;
    return e2e_exec(argv, capture, size);
}

/* A copy of the halves of run 2 as if of point 0: server-9, client-9. */
static void copy_as_point_0(const char *dir)
{
    const char *side[] = {"server", "client"};
    for (int s = 0; s < 2; s++) {
        char from[512], to[512];
        json_error_t jerr;
        snprintf(from, sizeof from, "%s/%s-2.json", dir, side[s]);
        snprintf(to, sizeof to, "%s/%s-9.json", dir, side[s]);
        json_t *half = json_load_file(from, 0, &jerr);
        CHECK(half != NULL, "%s: %s", from, jerr.text);
        json_object_set_new(half, "point", json_integer(0));
        json_object_set_new(half, "sweep", json_pack("{s:i}", "server.backlog", 0));
        CHECK(json_dump_file(half, to, JSON_INDENT(1)) == 0, "writing %s", to);
        json_decref(half);
    }
}

static void check_refusals(const char *dir)
{
    char out[512], capture[4096];
    snprintf(out, sizeof out, "%s/refused.json", dir);
    struct {
        const char *runs[8];
        int count, status;
        const char *says;
    } cases[] = {
        {{"server-0", "client-0", "server-1", "client-1", "server-2", "client-2"},
         6,
         1,
         "3 pairs of halves, where scenario \"by-hand-repeats\" measures each point 2 times"},
        {{"server-0", "client-0", "server-0", "client-0"}, 4, 1, "the same server's half as"},
        {{"server-0", "client-0", "server-9", "client-9"}, 4, 1, "not of the point of"},
        {{"server-0", "client-0", "server-1"}, 3, 2, "and more such pairs"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = merge(dir, cases[i].runs, cases[i].count, out, capture, sizeof capture);
        CHECK(rc == cases[i].status, "case %zu: exit %d (%s)", i, rc, capture);
        CHECK(strstr(capture, cases[i].says) != NULL, "case %zu says \"%s\": %s", i, cases[i].says,
              capture);
        CHECK(access(out, F_OK) != 0, "case %zu: nothing written", i);
    }
}

static void check_runs(json_t *m, json_t *runner)
{
    CHECK_EQ(json_array_size(jget(m, "runs")), 2, "two runs merged");
    for (int r = 0; r < 2; r++) {
        char key[64];
        snprintf(key, sizeof key, "runs.%d.repeat", r);
        CHECK(jint(m, key) == r, "run %d's repeat: %lld", r, jint(m, key));
        snprintf(key, sizeof key, "runs.%d.point", r);
        CHECK(jint(m, key) == 1, "run %d's point: %lld", r, jint(m, key));
        snprintf(key, sizeof key, "runs.%d.summary.connected", r);
        CHECK(jint(m, key) == 2, "run %d: B + 1 handshakes, B = 1: %lld", r, jint(m, key));
        snprintf(key, sizeof key, "environment.by_hand.repeats.%d.clock.same_host", r);
        CHECK(json_is_true(jget(m, key)), "run %d's clocks kept", r);
    }
    CHECK_EQ(json_array_size(jget(m, "point_summaries")), 1, "one point summary");
    CHECK_EQ(jint(m, "point_summaries.0.repeats"), 2, "over both repeats");
    CHECK_EQ(jint(m, "point_summaries.0.runs.0"), 0, "its first run");
    CHECK_EQ(jint(m, "point_summaries.0.runs.1"), 1, "its second run");
    CHECK_EQ(jint(m, "repeat"), jint(runner, "repeat"), "\"repeat\" as harness-run's");
    CHECK_EQ(jint(m, "points"), jint(runner, "points"), "\"points\" as harness-run's");
    CHECK(json_equal(jget(m, "point_summaries.0.sweep"), jget(runner, "point_summaries.1.sweep")),
          "the point summary's sweep is that of harness-run's point 1");
}

/* harness-compare of harness-run's file and the merged one: point 1 matched. */
static void check_compare(const char *dir)
{
    char out[512], path[600], printed[8192];
    snprintf(out, sizeof out, "%s/compare", dir);
    char a[512], b[512];
    snprintf(a, sizeof a, "%s/runner", dir);
    snprintf(b, sizeof b, "%s/by-hand", dir);
    char *argv[] = {
        (char *)e2e_binary("harness-compare"), a, b, "-o", out, "--no-plots", "-q", NULL};
    CHECK_EQ(e2e_exec(argv, printed, sizeof printed), 0, "harness-compare");
    CHECK(strstr(printed, "by-hand-repeats: 1 point compared (1 in A only, 0 in B only)") != NULL,
          "harness-run's point 1 and the merged one matched: %s", printed);
    snprintf(path, sizeof path, "%s/compare.json", out);
    CHECK(access(path, F_OK) == 0, "%s written", path);
}

int test_merge_repeats(void)
{
    const char *dir = e2e_temp_dir(), *scenario = e2e_scenario("by-hand-repeats");
    char runner_dir[512], hand_dir[512], made[600], merged[600], capture[4096];
    snprintf(runner_dir, sizeof runner_dir, "%s/runner", dir);
    snprintf(hand_dir, sizeof hand_dir, "%s/by-hand", dir);
    snprintf(made, sizeof made, "%s/by-hand-repeats.json", runner_dir);
    snprintf(merged, sizeof merged, "%s/by-hand-repeats.json", hand_dir);
    mkdir(runner_dir, 0755);
    mkdir(hand_dir, 0755);
    int rc = e2e_run(scenario, made, NULL);
    CHECK(rc == 0, "harness-run %s: exit %d: %s", scenario, rc, e2e_last_stderr());
    json_error_t jerr;
    json_t *runner = json_load_file(made, 0, &jerr);
    CHECK(runner != NULL, "%s: %s", made, jerr.text);
    if (!runner)
        return 1;

    /* a namespace of the test's own, so port 5000 is ours */
    struct rtnl rtnl;
    struct hl_error err = {{0}, {0}};
    CHECK(unshare(CLONE_NEWNET) == 0, "a namespace of our own");
    CHECK(rtnl_open(&rtnl, &err) == 0 && rtnl_link_up(&rtnl, "lo", &err) == 0, "lo up: %s",
          err.what);
    rtnl_close(&rtnl);
    for (int run = 0; run < 3; run++)
        run_by_hand(scenario, dir, run);

    const char *pairs[] = {"server-0", "client-0", "server-1", "client-1"};
    CHECK(merge(dir, pairs, 4, merged, capture, sizeof capture) == 0, "harness-run --merge: %s",
          capture);
    json_t *m = json_load_file(merged, 0, &jerr);
    CHECK(m != NULL, "merged results: %s", capture);
    if (m) {
        check_runs(m, runner);
        check_compare(dir);
    }
    copy_as_point_0(dir);
    check_refusals(dir);
    json_decref(m);
    json_decref(runner);
    return e2e_failures != 0;
}
