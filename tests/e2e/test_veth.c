/* test_veth.c: server and client in namespaces of their own, joined by a
 * veth pair (topology "veth"), and the halves of a run made by hand. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "e2e.h"
#include "rtnl.h"

/* The backlog facts across the pair: B+1 handshakes (B capped by the
 * server's own somaxconn), the rest timed out; drops counted in the
 * server's namespace, SYN retransmits in the client's. */
int test_veth_backlog(void)
{
    json_t *r = e2e_run_results("veth-backlog");
    size_t i;
    json_t *run;
    if (!r)
        return 1;
    CHECK_EQ(json_array_size(jget(r, "runs")), 3, "runs");
    json_array_foreach(jget(r, "runs"), i, run)
    {
        long long b = jint(run, "params.server.backlog");
        long long expect = (b < 8 ? b : 8) + 1; /* server.sysctls somaxconn 8 */
        long long rest = 14 - expect;
        fprintf(stderr, "veth, backlog %lld: connected %lld\n", b, jint(run, "summary.connected"));
        CHECK_EQ(jint(run, "summary.connected"), expect, "handshakes across the pair");
        CHECK_EQ(jint(run, "summary.timed_out"), rest, "timed out");
        CHECK_EQ(jint(run, "summary.refused"), 0, "refused");
        CHECK_EQ(jint(run, "summary.queue_at_end"), expect, "the server's accept queue");
        CHECK_EQ(jint(run, "effective.backlog"), b < 8 ? b : 8, "effective backlog");
        /* each side's sysctls in its own namespace */
        CHECK_EQ(jint(run, "effective.sysctls.net.core.somaxconn"), 8, "server's somaxconn");
        /* each side's neighbour known for good before the run: no SYN
         * waits for ARP */
        CHECK(strcmp(json_string_value(jget(run, "effective.link.neighbours.client")),
                     "permanent") == 0 &&
                  strcmp(json_string_value(jget(run, "effective.link.neighbours.server")),
                         "permanent") == 0,
              "neighbours permanent both ways");
        CHECK_EQ(jint(run, "effective.client_sysctls.net.core.somaxconn"), 4096,
                 "client's somaxconn");
        CHECK_EQ(jint(run, "effective.sysctls.net.ipv4.tcp_syn_retries"), 2,
                 "server's tcp_syn_retries");
        CHECK_EQ(jint(run, "effective.client_sysctls.net.ipv4.tcp_syn_retries"), 3,
                 "client's tcp_syn_retries");
        /* where each counter moves */
        CHECK(jint(run, "summary.kernel_server.ListenOverflows") >= rest,
              "ListenOverflows in the server's namespace: %lld",
              jint(run, "summary.kernel_server.ListenOverflows"));
        CHECK_EQ(jint(run, "summary.kernel_client.ListenOverflows"), 0,
                 "ListenOverflows in the client's namespace");
        CHECK(jint(run, "summary.kernel_client.TCPSynRetrans") >= rest,
              "SYN retransmits from the client's namespace: %lld",
              jint(run, "summary.kernel_client.TCPSynRetrans"));
        CHECK_EQ(jint(run, "summary.kernel.ListenOverflows"),
                 jint(run, "summary.kernel_server.ListenOverflows") +
                     jint(run, "summary.kernel_client.ListenOverflows"),
                 "summary.kernel is the two sides added up");
        CHECK_EQ(jint(run, "summary.kernel_client.ActiveOpens"), 14, "connects from the client");
        CHECK(json_is_string(jget(run, "effective.link.server_address")) &&
                  strcmp(json_string_value(jget(run, "effective.link.server_address")),
                         "198.18.0.1") == 0,
              "the server's address on the link");
        CHECK_EQ(jint(run, "effective.link.mtu"), 1500, "the link's MTU");
    }
    json_decref(r);
    return e2e_failures != 0;
}

/* A link of 1 Mbit/s: the SYNs queue in it, every one finds room, more
 * clients than the queue holds see connect() succeed; the server's queue
 * still holds exactly B+1 and drops the final ACKs beyond it. */
int test_veth_slow_link(void)
{
    json_t *r = e2e_run_results("veth-slow-link");
    if (!r)
        return 1;
    if (e2e_results_skipped(r)) {
        json_decref(r);
        return E2E_SKIP;
    }
    CHECK_EQ(json_array_size(jget(r, "runs")), 2, "runs");
    CHECK_EQ(jint(r, "runs.0.summary.connected"), 17, "unlimited: B + 1 connect");
    CHECK_EQ(jint(r, "runs.0.summary.queue_at_end"), 17, "unlimited: the queue");
    long long connected = jint(r, "runs.1.summary.connected");
    fprintf(stderr, "1 Mbit/s: %lld connected, queue %lld, ListenOverflows %lld\n", connected,
            jint(r, "runs.1.summary.queue_at_end"),
            jint(r, "runs.1.summary.kernel_server.ListenOverflows"));
    CHECK(connected > 17, "1 Mbit/s: more than B + 1 see connect() succeed: %lld", connected);
    CHECK_EQ(jint(r, "runs.1.summary.queue_at_end"), 17, "1 Mbit/s: the server's queue");
    CHECK(jint(r, "runs.1.summary.kernel_server.ListenOverflows") >= connected - 17,
          "1 Mbit/s: the final ACKs beyond the queue dropped: %lld",
          jint(r, "runs.1.summary.kernel_server.ListenOverflows"));
    CHECK(json_is_string(jget(r, "runs.1.effective.link.qdiscs.client_to_server.0")),
          "the tbf recorded");
    /* the prediction follows the server's queue over a shaped link */
    CHECK(jget(r, "point_summaries.1.predictions.queue_at_end") != NULL, "queue predicted");
    CHECK_EQ(json_array_size(jget(r, "point_summaries.1.flags")), 0, "no flags");
    json_decref(r);
    return e2e_failures != 0;
}

/* netem: where the kernel lacks it, the point that needs it is skipped with
 * the reason, in the output and the results, and the run still succeeds. */
int test_veth_needs_netem(void)
{
    char out[512];
    json_error_t jerr;
    snprintf(out, sizeof out, "%s/needs-netem.json", e2e_temp_dir());
    char *argv[] = {(char *)e2e_binary("harness-run"), (char *)e2e_scenario("veth-needs-netem"),
                    "-o", out, NULL};
    char capture[8192];
    int rc = e2e_exec(argv, capture, sizeof capture);
    CHECK_EQ(rc, 0, "exit status");
    json_t *r = json_load_file(out, 0, &jerr);
    if (!r) {
        CHECK(r != NULL, "results: %s", capture);
        return 1;
    }
    CHECK_EQ(jint(r, "runs.0.summary.connected"), 3, "the unshaped point ran: B + 1");
    if (json_array_size(jget(r, "skipped")) == 1) {
        fprintf(stderr, "netem missing here: %s\n", json_string_value(jget(r, "skipped.0.reason")));
        CHECK_EQ(json_array_size(jget(r, "runs")), 1, "only the point without netem ran");
        CHECK_EQ(jint(r, "skipped.0.point"), 1, "the skipped point");
        CHECK(strstr(json_string_value(jget(r, "skipped.0.reason")), "netem") != NULL,
              "the reason names netem");
        CHECK(strcmp(json_string_value(jget(r, "skipped.0.needs.0")), "netem") == 0, "needs");
        CHECK(strstr(capture, "point 2/2 link.delay_ms=20: skipped: this kernel has no netem") !=
                  NULL,
              "said in the output: %s", capture);
        /* every point skipped: still exit 0, the results say so, and
         * harness-plot has nothing to draw and says so */
        char all[512];
        snprintf(all, sizeof all, "%s/all-skipped.json", e2e_temp_dir());
        e2e_write_file(all, "{\"topology\": \"veth\", \"link\": {\"delay_ms\": 5}, "
                            "\"duration_ms\": 300}");
        char out2[512];
        snprintf(out2, sizeof out2, "%s/all-skipped-results.json", e2e_temp_dir());
        CHECK_EQ(e2e_run(all, out2, NULL), 0, "every point skipped: exit 0");
        json_t *r2 = json_load_file(out2, 0, &jerr);
        CHECK(r2 && json_array_size(jget(r2, "runs")) == 0 &&
                  json_array_size(jget(r2, "skipped")) == 1,
              "no runs, one point skipped");
        json_decref(r2);
        char plots[512];
        snprintf(plots, sizeof plots, "%s/all-skipped-plots", e2e_temp_dir());
        char *plot[] = {(char *)e2e_binary("harness-plot"), out2, "-d", plots, NULL};
        CHECK_EQ(e2e_exec(plot, capture, sizeof capture), 0, "harness-plot on no runs");
        CHECK(strstr(capture, "skipped") != NULL, "harness-plot says why: %s", capture);
    } else {
        fprintf(stderr, "netem present: the delayed point ran\n");
        CHECK_EQ(json_array_size(jget(r, "runs")), 2, "both points ran");
        /* a round trip of 40 ms: every SYN arrives before the first final ACK */
        CHECK(jint(r, "runs.1.summary.connected") > 3, "over 20 ms each way more connect");
        CHECK_EQ(jint(r, "runs.1.summary.queue_at_end"), 3, "the server's queue");
    }
    json_decref(r);
    return e2e_failures != 0;
}

/* The client accepts the address of its veth peer without --allow-remote,
 * and nothing else on that link: a pair made here, its other end in a
 * namespace made here. */
int test_veth_peer_target(void)
{
    struct rtnl rtnl;
    struct hl_error err;
    struct in_addr a, b;
    char capture[4096];
    CHECK(unshare(CLONE_NEWNET) == 0, "a namespace for the client's end");
    int client_ns = open("/proc/thread-self/ns/net", O_RDONLY);
    CHECK(unshare(CLONE_NEWNET) == 0, "a namespace for the other end");
    int server_ns = open("/proc/thread-self/ns/net", O_RDONLY);
    inet_pton(AF_INET, "198.18.0.2", &a);
    inet_pton(AF_INET, "198.18.0.1", &b);
    CHECK(setns(client_ns, CLONE_NEWNET) == 0, "back to the client's");
    CHECK(rtnl_open(&rtnl, &err) == 0 &&
              rtnl_veth_add(&rtnl, "t-client", "t-server", server_ns, &err) == 0 &&
              rtnl_addr_add(&rtnl, "t-client", a, 24, &err) == 0 &&
              rtnl_link_up(&rtnl, "t-client", &err) == 0,
          "the pair: %s", err.what);
    rtnl_close(&rtnl);
    CHECK(setns(server_ns, CLONE_NEWNET) == 0, "into the other end's");
    CHECK(rtnl_open(&rtnl, &err) == 0 && rtnl_addr_add(&rtnl, "t-server", b, 24, &err) == 0 &&
              rtnl_link_up(&rtnl, "t-server", &err) == 0,
          "the other end: %s", err.what);
    rtnl_close(&rtnl);
    CHECK(setns(client_ns, CLONE_NEWNET) == 0, "back to the client's");

    /* the peer's address: allowed; nothing listens there, so refused */
    char *peer[] = {(char *)e2e_binary("harness-client"), "--connect", "198.18.0.1:9", NULL};
    CHECK_EQ(e2e_exec(peer, capture, sizeof capture), 0, "the peer's address");
    CHECK(strstr(capture, "\"outcome\":\"refused\"") != NULL, "connected to the peer: %s", capture);
    /* another address on the same link, and the client's own end: no */
    const char *others[] = {"198.18.0.3:9", "198.18.0.254:9"};
    for (size_t i = 0; i < 2; i++) {
        char *argv[] = {(char *)e2e_binary("harness-client"), "--connect", (char *)others[i], NULL};
        CHECK_EQ(e2e_exec(argv, capture, sizeof capture), 1, others[i]);
        CHECK(strstr(capture, "--allow-remote") != NULL, "refused, naming --allow-remote: %s",
              capture);
    }
    close(client_ns);
    close(server_ns);
    return e2e_failures != 0;
}

/* One clock base for both sides of a merged run of one machine: the
 * server's accept queue first holds a connection (its samples, every 10
 * ms) no earlier than the client saw its first handshake complete, and
 * soon after; on its own clock the client's time would be short by the
 * 300 ms between the two starts. */
static void check_one_clock(json_t *m)
{
    long long connected_us = -1, queued_us = -1;
    size_t i;
    json_t *item;
    json_array_foreach(jget(m, "runs.0.connections"), i, item)
    {
        const char *outcome = json_string_value(jget(item, "outcome"));
        if (outcome && strcmp(outcome, "connected") == 0 &&
            (connected_us < 0 || jint(item, "outcome_us") < connected_us))
            connected_us = jint(item, "outcome_us");
    }
    json_array_foreach(jget(m, "runs.0.samples.server"), i, item)
    {
        if (queued_us < 0 && json_integer_value(jget(item, "queue")) > 0)
            queued_us = jint(item, "t_us");
    }
    CHECK(connected_us >= 0 && queued_us >= 0, "a connection and a sample of it");
    CHECK(queued_us >= connected_us - 5000 && queued_us <= connected_us + 200000,
          "the queue held it at %lld us, the client connected at %lld us (server's clock)",
          queued_us, connected_us);
}

/* harness-server and harness-client run by hand, each writing its half;
 * harness-run --merge joins them into what harness-run would have
 * written for the same scenario. */
int test_merge_halves(void)
{
    char server_half[512], client_half[512], merged[512], made[512], log[512];
    const char *dir = e2e_temp_dir();
    snprintf(server_half, sizeof server_half, "%s/server-half.json", dir);
    snprintf(client_half, sizeof client_half, "%s/client-half.json", dir);
    snprintf(merged, sizeof merged, "%s/merged.json", dir);
    snprintf(made, sizeof made, "%s/runner-made.json", dir);
    snprintf(log, sizeof log, "%s/server.log", dir);
    json_t *runner = e2e_run_results("by-hand");
    if (!runner)
        return 1;

    /* a namespace of this test, so the port is ours */
    CHECK(unshare(CLONE_NEWNET) == 0, "a namespace of our own");
    struct rtnl rtnl;
    struct hl_error err;
    CHECK(rtnl_open(&rtnl, &err) == 0 && rtnl_link_up(&rtnl, "lo", &err) == 0, "lo up: %s",
          err.what);
    rtnl_close(&rtnl);
    const char *scenario = e2e_scenario("by-hand");
    char scenario_path[512];
    snprintf(scenario_path, sizeof scenario_path, "%s", scenario);
    /* the server outlives the client: it stops at its own duration */
    char *server[] = {(char *)e2e_binary("harness-server"),
                      "--scenario",
                      scenario_path,
                      "--listen",
                      "127.0.0.1:5000",
                      "--duration-ms",
                      "2500",
                      "--results",
                      server_half,
                      NULL};
    pid_t pid = e2e_start(server, log, 0);
    CHECK(e2e_wait_for_text(log, "listening on port 5000", 10), "the server listens");
    /* not a wait for something: the gap between the two starts is what
     * the merge must take out of the client's times (below) */
    usleep(300000);
    char *client[] = {(char *)e2e_binary("harness-client"),
                      "--scenario",
                      scenario_path,
                      "--connect",
                      "127.0.0.1:5000",
                      "--results",
                      client_half,
                      NULL};
    char capture[4096];
    CHECK_EQ(e2e_exec(client, capture, sizeof capture), 0, "the client by hand");
    CHECK_EQ(e2e_wait(pid), 0, "the server by hand");
    char *merge[] = {
        (char *)e2e_binary("harness-run"), "--merge", server_half, client_half, "-o", merged, NULL};
    CHECK_EQ(e2e_exec(merge, capture, sizeof capture), 0, "harness-run --merge");
    json_error_t jerr;
    json_t *m = json_load_file(merged, 0, &jerr);
    if (!m) {
        CHECK(m != NULL, "merged results: %s", capture);
        json_decref(runner);
        return 1;
    }
    e2e_same_shape("results", runner, m, "results.environment.by_hand");
    /* the same counts as harness-run's */
    const char *counts[] = {"attempted", "connected", "timed_out",
                            "refused",   "accepted",  "queue_at_end"};
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        char key[128];
        snprintf(key, sizeof key, "runs.0.summary.%s", counts[i]);
        CHECK_EQ(jint(m, key), jint(runner, key), key);
    }
    CHECK_EQ(jint(m, "runs.0.summary.connected"), 3, "B + 1 by hand");
    CHECK(jint(m, "runs.0.summary.kernel.ListenOverflows") >= 3, "drops counted");
    CHECK(json_is_true(jget(m, "environment.by_hand.clock.same_netns")), "one namespace");
    CHECK(jget(m, "runs.0.summary.kernel_server") == NULL, "one namespace: one set of counters");
    long long offset = jint(m, "environment.by_hand.clock.client_start_minus_server_us");
    CHECK(offset >= 300000, "the client started %lld us after the server", offset);
    CHECK(json_is_true(jget(m, "environment.by_hand.clock.client_times_from_server_start")),
          "one machine: the client's times moved onto the server's start");
    check_one_clock(m);
    CHECK(strcmp(json_string_value(jget(m, "name")), "by-hand") == 0, "the scenario's name");
    /* the merged file is a results file: harness-plot takes it */
    char plots[512];
    snprintf(plots, sizeof plots, "%s/merged-plots", dir);
    char *plot[] = {(char *)e2e_binary("harness-plot"), merged, "-d", plots, NULL};
    CHECK_EQ(e2e_exec(plot, capture, sizeof capture), 0, "harness-plot on the merged file");
    /* halves given the wrong way round: refused, nothing written */
    char *swapped[] = {
        (char *)e2e_binary("harness-run"), "--merge", client_half, server_half, "-o", made, NULL};
    CHECK_EQ(e2e_exec(swapped, capture, sizeof capture), 1, "halves swapped");
    CHECK(strstr(capture, "the client's half, where the server's was expected") != NULL,
          "message: %s", capture);
    CHECK(access(made, F_OK) != 0, "nothing written");
    json_decref(m);
    json_decref(runner);
    return e2e_failures != 0;
}

/* A network namespace of this test, its loopback up: port 5000 is ours. */
static int own_namespace(void)
{
    struct rtnl rtnl;
    struct hl_error err = {{0}, {0}};
    if (unshare(CLONE_NEWNET) != 0) {
        CHECK(0, "a namespace of our own");
        return -1;
    }
    int rc = rtnl_open(&rtnl, &err);
    if (rc == 0) {
        rc = rtnl_link_up(&rtnl, "lo", &err);
        rtnl_close(&rtnl);
    }
    CHECK(rc == 0, "lo up: %s", err.what);
    return rc;
}

/* harness-server and harness-client by hand on point `point` of the
 * scenario at path, their halves written to server_half and client_half. */
static void run_point_by_hand(const char *path, const char *point, const char *server_half,
                              const char *client_half, const char *log)
{
    char capture[4096];
    char *server[] = {(char *)e2e_binary("harness-server"),
                      "--scenario",
                      (char *)path,
                      "--point",
                      (char *)point,
                      "--listen",
                      "127.0.0.1:5000",
                      "--duration-ms",
                      "2500",
                      "--results",
                      (char *)server_half,
                      NULL};
    pid_t pid = e2e_start(server, log, 0);
    CHECK(e2e_wait_for_text(log, "listening on port 5000", 10), "the server listens");
    /* not a wait for something: the gap between the two starts is what
     * the merge must take out of the client's times (below) */
    usleep(300000);
    char *client[] = {(char *)e2e_binary("harness-client"),
                      "--scenario",
                      (char *)path,
                      "--point",
                      (char *)point,
                      "--connect",
                      "127.0.0.1:5000",
                      "--results",
                      (char *)client_half,
                      NULL};
    CHECK_EQ(e2e_exec(client, capture, sizeof capture), 0, "the client by hand");
    if (e2e_failures)
        fprintf(stderr, "%s\n", capture);
    CHECK_EQ(e2e_wait(pid), 0, "the server by hand");
}

/* The matched points of scenario name in a compare.json. */
static json_t *compared_scenario(json_t *comparison, const char *name)
{
    json_t *s;
    size_t i;
    json_array_foreach(jget(comparison, "scenarios"), i, s)
    {
        if (strcmp(json_string_value(jget(s, "name")), name) == 0)
            return s;
    }
    return NULL;
}

/* Point 1 of a swept scenario run by hand (--scenario F --point 1) and
 * merged is a run of point 1, with its sweep values, in a file that says
 * "points" and "repeat" as harness-run's of the scenario does; so
 * harness-compare matches it to harness-run's point 1, and lists point 0
 * as run by harness-run only. */
int test_merge_swept_point(void)
{
    char dir_runner[512], dir_hand[512], server_half[512], client_half[512], merged[600], made[600],
        log[512], out[512], compare_json[600], printed[8192];
    const char *dir = e2e_temp_dir();
    const char *path = e2e_scenario("by-hand-swept");
    snprintf(dir_runner, sizeof dir_runner, "%s/runner", dir);
    snprintf(dir_hand, sizeof dir_hand, "%s/by-hand", dir);
    snprintf(server_half, sizeof server_half, "%s/server-half.json", dir);
    snprintf(client_half, sizeof client_half, "%s/client-half.json", dir);
    snprintf(log, sizeof log, "%s/server.log", dir);
    snprintf(out, sizeof out, "%s/compare", dir);
    snprintf(made, sizeof made, "%s/by-hand-swept.json", dir_runner);
    snprintf(merged, sizeof merged, "%s/by-hand-swept.json", dir_hand);
    mkdir(dir_runner, 0755);
    mkdir(dir_hand, 0755);

    /* harness-run's results of the scenario, every point */
    int rc = e2e_run(path, made, NULL);
    CHECK(rc == 0, "harness-run %s: exit %d: %s", path, rc, e2e_last_stderr());
    json_error_t jerr;
    json_t *runner = json_load_file(made, 0, &jerr);
    if (!runner) {
        CHECK(0, "%s: %s", made, jerr.text);
        return 1;
    }
    CHECK_EQ(json_array_size(jget(runner, "runs")), 2, "harness-run's runs");

    if (own_namespace()) {
        json_decref(runner);
        return 1;
    }
    run_point_by_hand(path, "1", server_half, client_half, log);
    char *merge[] = {
        (char *)e2e_binary("harness-run"), "--merge", server_half, client_half, "-o", merged, NULL};
    CHECK_EQ(e2e_exec(merge, printed, sizeof printed), 0, "harness-run --merge");
    json_t *m = json_load_file(merged, 0, &jerr);
    if (!m) {
        CHECK(0, "merged results: %s", printed);
        json_decref(runner);
        return 1;
    }
    e2e_same_shape("results", runner, m, "results.environment.by_hand");
    CHECK_EQ(json_array_size(jget(m, "runs")), 1, "one run merged");
    CHECK_EQ(jint(m, "runs.0.point"), 1, "the run's point");
    CHECK(json_equal(jget(m, "runs.0.sweep"), jget(runner, "runs.1.sweep")),
          "the run's sweep is that of harness-run's point 1");
    CHECK_EQ(jint(m, "runs.0.sweep.server.backlog"), 1, "the run's sweep value");
    CHECK_EQ(jint(m, "point_summaries.0.point"), 1, "the point summary's point");
    CHECK(json_equal(jget(m, "point_summaries.0.sweep"), jget(runner, "point_summaries.1.sweep")),
          "the point summary's sweep is that of harness-run's point 1");
    CHECK_EQ(jint(m, "points"), jint(runner, "points"), "\"points\" as harness-run's");
    CHECK_EQ(jint(m, "repeat"), jint(runner, "repeat"), "\"repeat\" as harness-run's");
    CHECK_EQ(jint(m, "runs.0.summary.connected"), 2, "B + 1 by hand, B = 1");
    CHECK_EQ(jint(m, "runs.0.summary.connected"), jint(runner, "runs.1.summary.connected"),
             "the same handshakes as harness-run's point 1");

    /* harness-compare: harness-run's point 1 and the merged run matched */
    char *argv[] = {(char *)e2e_binary("harness-compare"),
                    dir_runner,
                    dir_hand,
                    "-o",
                    out,
                    "--no-plots",
                    "-q",
                    NULL};
    CHECK_EQ(e2e_exec(argv, printed, sizeof printed), 0, "harness-compare");
    fprintf(stderr, "%s", printed);
    snprintf(compare_json, sizeof compare_json, "%s/compare.json", out);
    json_t *c = json_load_file(compare_json, 0, &jerr);
    json_t *s = c ? compared_scenario(c, "by-hand-swept") : NULL;
    CHECK(s != NULL, "by-hand-swept compared: %s", printed);
    if (s) {
        CHECK_EQ(json_array_size(jget(s, "points")), 1, "points compared");
        CHECK_EQ(jint(s, "points.0.sweep.server.backlog"), 1, "the point compared");
        CHECK_EQ(json_array_size(jget(s, "only_in_b")), 0, "points of the merged file only");
        CHECK_EQ(json_array_size(jget(s, "only_in_a")), 1, "points of harness-run's only");
        CHECK_EQ(jint(s, "only_in_a.0.sweep.server.backlog"), 0, "harness-run's point 0 only");
    }
    CHECK(strstr(printed, "by-hand-swept: 1 point compared (1 in A only, 0 in B only)") != NULL,
          "the summary line: %s", printed);
    json_decref(c);
    json_decref(m);
    json_decref(runner);
    return e2e_failures != 0;
}

/* A server's half of point 1 and a client's half of point 0 of one
 * scenario are sides of two different runs: --merge refuses them, saying
 * so, and writes nothing. Neither side needs the other to write its half:
 * the server listens alone until its duration, the client is refused. */
int test_merge_different_points_refused(void)
{
    char server_half[512], client_half[512], merged[512], log[512], capture[4096];
    const char *dir = e2e_temp_dir();
    const char *path = e2e_scenario("by-hand-swept");
    snprintf(server_half, sizeof server_half, "%s/server-half.json", dir);
    snprintf(client_half, sizeof client_half, "%s/client-half.json", dir);
    snprintf(merged, sizeof merged, "%s/merged.json", dir);
    snprintf(log, sizeof log, "%s/server.log", dir);
    if (own_namespace())
        return 1;
    char *server[] = {(char *)e2e_binary("harness-server"),
                      "--scenario",
                      (char *)path,
                      "--point",
                      "1",
                      "--listen",
                      "127.0.0.1:5000",
                      "--duration-ms",
                      "200",
                      "--results",
                      server_half,
                      NULL};
    CHECK_EQ(e2e_exec(server, capture, sizeof capture), 0, "the server of point 1");
    char *client[] = {(char *)e2e_binary("harness-client"),
                      "--scenario",
                      (char *)path,
                      "--point",
                      "0",
                      "--connect",
                      "127.0.0.1:5000",
                      "--results",
                      client_half,
                      NULL};
    CHECK_EQ(e2e_exec(client, capture, sizeof capture), 0, "the client of point 0");
    char *merge[] = {
        (char *)e2e_binary("harness-run"), "--merge", server_half, client_half, "-o", merged, NULL};
    CHECK_EQ(e2e_exec(merge, capture, sizeof capture), 1, "halves of two points");
    fprintf(stderr, "%s", capture);
    CHECK(strstr(capture, "the server's half is of point 1") != NULL &&
              strstr(capture, "the client's of point 0") != NULL,
          "message: %s", capture);
    CHECK(access(merged, F_OK) != 0, "nothing written");

    /* a half made without --scenario and one made with it: refused too */
    char *plain[] = {(char *)e2e_binary("harness-client"),
                     "--connect",
                     "127.0.0.1:5000",
                     "--connections",
                     "1",
                     "--results",
                     client_half,
                     NULL};
    CHECK_EQ(e2e_exec(plain, capture, sizeof capture), 0, "a client without --scenario");
    CHECK_EQ(e2e_exec(merge, capture, sizeof capture), 1, "one half from a scenario");
    CHECK(strstr(capture, "with --scenario and the client's without") != NULL, "message: %s",
          capture);
    CHECK(access(merged, F_OK) != 0, "nothing written");
    return e2e_failures != 0;
}
