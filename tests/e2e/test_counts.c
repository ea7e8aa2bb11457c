/* test_counts.c: every count reconciled with the kernel. Each test pins
 * one way a number could say something the kernel did not do, and fails
 * when it comes back: a run on the host's stack without being asked, a
 * connection still connecting called timed out, a harness timeout dressed
 * as the kernel's, the client started before the server polls, a
 * prediction that ignores tcp_syncookies, a point whose counters could not
 * be read. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "e2e.h"

/* attempted = the five outcomes, in the summary and in the records */
static void check_outcomes_add_up(json_t *run)
{
    static const char *const outcomes[] = {"connected", "refused", "timed_out", "pending",
                                           "failed"};
    long long sum = 0;
    for (size_t k = 0; k < 5; k++) {
        char path[64];
        long long records = 0;
        size_t i;
        json_t *c;
        snprintf(path, sizeof path, "summary.%s", outcomes[k]);
        sum += jint(run, path);
        json_array_foreach(jget(run, "connections"), i, c)
        {
            const char *outcome = json_string_value(jget(c, "outcome"));
            records += outcome && strcmp(outcome, outcomes[k]) == 0;
        }
        CHECK_EQ(records, jint(run, path), outcomes[k]);
    }
    CHECK_EQ(sum, jint(run, "summary.attempted"), "attempted = the five outcomes");
}

/* The run stops at 500 ms, before the first SYN retransmit (1 s): the
 * connections that listen(0) left waiting are pending, in both client
 * modes, and nothing timed out. (How many complete is B+1 = 1 when the
 * connects come one after another, as the non-blocking client makes them;
 * the blocking client's threads connect at once from two CPUs, and then a
 * second handshake can get in before the first child is queued.) */
int test_pending_at_stop(void)
{
    json_t *r = e2e_run_results("pending-at-stop");
    size_t i, k;
    json_t *run, *c;
    if (!r)
        return 1;
    CHECK_EQ(json_array_size(jget(r, "runs")), 2, "runs (one per mode)");
    json_array_foreach(jget(r, "runs"), i, run)
    {
        const char *mode = json_string_value(jget(run, "params.client.mode"));
        fprintf(stderr, "%s: connected %lld, pending %lld, timed out %lld\n", mode,
                jint(run, "summary.connected"), jint(run, "summary.pending"),
                jint(run, "summary.timed_out"));
        long long connected = jint(run, "summary.connected");
        if (strcmp(mode, "nonblocking") == 0)
            CHECK_EQ(connected, 1, "connected (listen(0): 1)");
        CHECK(connected >= 1 && connected <= 2, "connected %lld", connected);
        CHECK_EQ(jint(run, "summary.pending"), 4 - connected, "pending at the stop");
        CHECK_EQ(jint(run, "summary.timed_out"), 0, "timed out");
        CHECK(jget(run, "summary.timed_out_by.run_end") == NULL, "no timed_out_by.run_end");
        check_outcomes_add_up(run);
        json_array_foreach(jget(run, "connections"), k, c)
        {
            const char *outcome = json_string_value(jget(c, "outcome"));
            if (outcome && strcmp(outcome, "pending") == 0)
                CHECK(jget(c, "error") == NULL && jget(c, "connect_us") == NULL,
                      "%s: a pending connection has no errno and no connect time", mode);
        }
    }
    json_decref(r);
    return e2e_failures != 0;
}

/* connect_timeout_ms 300, the first SYN retransmit at 1 s: the connects
 * that listen(0) left waiting time out by the harness, and carry no
 * ETIMEDOUT, which is the kernel's. (How many complete: see
 * test_pending_at_stop.) */
int test_harness_timeout(void)
{
    json_t *r = e2e_run_results("harness-timeout");
    size_t i, k;
    json_t *run, *c;
    if (!r)
        return 1;
    CHECK_EQ(json_array_size(jget(r, "runs")), 2, "runs (one per mode)");
    json_array_foreach(jget(r, "runs"), i, run)
    {
        const char *mode = json_string_value(jget(run, "params.client.mode"));
        long long connected = jint(run, "summary.connected");
        if (strcmp(mode, "nonblocking") == 0)
            CHECK_EQ(connected, 1, "connected (listen(0): 1)");
        CHECK(connected >= 1 && connected <= 2, "connected %lld", connected);
        CHECK_EQ(jint(run, "summary.timed_out"), 3 - connected, "timed out");
        CHECK_EQ(jint(run, "summary.timed_out_by.harness"), 3 - connected,
                 "timed out by the harness");
        CHECK_EQ(jint(run, "summary.timed_out_by.kernel"), 0, "timed out by the kernel");
        check_outcomes_add_up(run);
        json_array_foreach(jget(run, "connections"), k, c)
        {
            const char *by = json_string_value(jget(c, "timeout_by"));
            if (by && strcmp(by, "harness") == 0)
                CHECK(jget(c, "error") == NULL, "%s: the harness's timeout has no errno (%s)",
                      mode, json_string_value(jget(c, "error")));
        }
    }
    json_decref(r);
    return e2e_failures != 0;
}

/* tcp_syncookies 0: the prediction follows the kernel's rule for B 0 and
 * the measurement agrees with it (no flag), whatever this kernel is. */
int test_syncookies_zero(void)
{
    json_t *r = e2e_run_results("syncookies-zero");
    size_t i;
    json_t *point;
    if (!r)
        return 1;
    json_array_foreach(jget(r, "point_summaries"), i, point)
    {
        json_t *prediction = jget(point, "predictions.connected");
        long long measured = jint(point, "summary.connected.median");
        CHECK(prediction != NULL, "point %zu: a prediction of connected", i);
        if (!prediction)
            continue;
        const char *rule = json_string_value(jget(prediction, "rule"));
        fprintf(stderr, "point %zu: connected %lld; predicted %s\n", i, measured, rule);
        if (json_is_array(jget(prediction, "values")))
            CHECK(measured == jint(prediction, "values.0") ||
                      measured == jint(prediction, "values.1"),
                  "connected %lld is one of the rule's", measured);
        else
            CHECK_EQ(measured, jint(prediction, "value"), "connected, as the rule says");
        CHECK_EQ(json_array_size(jget(point, "flags")), 0, "flags");
    }
    json_decref(r);
    return e2e_failures != 0;
}

/* The client is started only once the server said it polls its listener. */
int test_start_order(void)
{
    json_t *r = e2e_run_results("backlog-handshakes");
    size_t i;
    json_t *run;
    if (!r)
        return 1;
    json_array_foreach(jget(r, "runs"), i, run)
    {
        long long server = jint(run, "effective.start_order.server_started_us");
        long long client = jint(run, "effective.start_order.client_started_us");
        CHECK(jget(run, "effective.start_order.server_started_us") != NULL, "recorded");
        CHECK(client >= server, "run %zu: client started at %lld us, the server at %lld us", i,
              client, server);
    }
    json_decref(r);
    return e2e_failures != 0;
}

/* harness-run as nobody, who may not make a network namespace, with its
 * stderr in capture; returns its exit status. */
static int run_unprivileged(const char *output, char *capture, size_t size)
{
    int pipefd[2];
    if (pipe(pipefd) < 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(pipefd[1], 2);
        if (setgroups(0, NULL) < 0 || setgid(65534) < 0 || setuid(65534) < 0)
            _exit(126);
        char *argv[] = {(char *)e2e_binary("harness-run"), (char *)e2e_scenario("plain"), "-o",
                        (char *)output, "-q", NULL};
        execv(argv[0], argv);
        _exit(127);
    }
    close(pipefd[1]);
    size_t used = 0;
    ssize_t n;
    while ((n = read(pipefd[0], capture + used, size - 1 - used)) > 0 && used + 1 < size)
        used += (size_t)n;
    capture[used] = '\0';
    close(pipefd[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Without the privilege to make a private namespace, and without
 * --no-netns, a run is refused: it does not fall back to the host's stack,
 * whose counters count everything else too. With --no-netns it runs and
 * says so (test_no_netns). */
int test_netns_required(void)
{
    char dir[] = "/tmp/e2e-nobody.XXXXXX", output[600], capture[4096];
    /* a directory nobody may write (the test's own is root's alone) */
    if (!mkdtemp(dir) || chmod(dir, 0777) < 0)
        return 1;
    snprintf(output, sizeof output, "%s/plain.json", dir);
    int rc = run_unprivileged(output, capture, sizeof capture);
    int written = access(output, F_OK) == 0;
    unlink(output);
    rmdir(dir);
    if (rc == 126 || rc == 127) {
        fprintf(stderr, "cannot run harness-run as nobody (%d): %s\n", rc, capture);
        return E2E_SKIP;
    }
    CHECK_EQ(rc, 1, "exit status");
    CHECK(strstr(capture, "--no-netns") != NULL, "the message names --no-netns: %s", capture);
    CHECK(!written, "nothing written");
    return e2e_failures != 0;
}

/* A point whose counters cannot be read fails, naming why, rather than
 * report deltas of nothing; nothing is written. */
int test_counters_unreadable(void)
{
    char empty[512], output[600];
    snprintf(empty, sizeof empty, "%s/no-counters", e2e_temp_dir());
    snprintf(output, sizeof output, "%s/plain.json", e2e_temp_dir());
    if (mkdir(empty, 0700) < 0)
        return 1;
    setenv("HARNESS_PROC_NET", empty, 1);
    int rc = e2e_run(e2e_scenario("plain"), output, NULL);
    unsetenv("HARNESS_PROC_NET");
    CHECK_EQ(rc, 1, "exit status");
    CHECK(strstr(e2e_last_stderr(), "cannot read the kernel's counters") != NULL, "message: %s",
          e2e_last_stderr());
    CHECK(access(output, F_OK) != 0, "nothing written");
    return e2e_failures != 0;
}
