/* test_backlog.c: what listen(backlog) really does, through harness-run. */
#include <stdio.h>
#include <string.h>

#include "e2e.h"
#include "predict.h"

/* The kernel casts the backlog to unsigned and caps it at somaxconn; the
 * accept queue holds one more than that before it drops SYNs. */

/* A count measured three ways: the summary, the connection records it is
 * made of, and the kernel (PassiveOpens: children created by completed
 * handshakes, in the run's own namespace); and the run's own checks. */
static void check_connected_three_ways(json_t *run)
{
    long long records = 0;
    size_t k;
    json_t *c;
    json_array_foreach(jget(run, "connections"), k, c)
    {
        const char *outcome = json_string_value(jget(c, "outcome"));
        records += outcome && strcmp(outcome, "connected") == 0;
    }
    CHECK_EQ(records, jint(run, "summary.connected"), "connected records = summary.connected");
    CHECK_EQ(jint(run, "summary.kernel.PassiveOpens"), jint(run, "summary.connected"),
             "kernel.PassiveOpens = summary.connected");
    CHECK(strcmp(json_string_value(jget(run, "summary.kernel_scope")), "private_netns") == 0,
          "the counters are the run's own");
    json_array_foreach(jget(run, "checks"), k, c)
    {
        const char *name = json_string_value(jget(c, "name"));
        if (strcmp(name, "bytes") != 0) /* nothing was sent or accepted */
            CHECK(strcmp(json_string_value(jget(c, "result")), "passed") == 0, "check %s: %s", name,
                  json_string_value(jget(c, "result")));
    }
}
static long long predicted_handshakes(long long backlog, long long somaxconn)
{
    unsigned long long b = (unsigned int)backlog;
    return (long long)(b < (unsigned long long)somaxconn ? b : (unsigned long long)somaxconn) + 1;
}

/* What harness-run read of the port through sock_diag, beside
 * harness-server's own samples: at the end the handshakes completed sit
 * in the accept queue, no child has an inode (nothing was accepted), and
 * no request socket is left in SYN_RECV (on loopback a final ACK follows
 * its SYN-ACK within microseconds, and a SYN that finds the queue full is
 * dropped before any request socket is made); the SYN queue's line has a
 * first sample and ends at 0. */
static void check_sock_diag_never_accepted(json_t *run, long long handshakes)
{
    json_t *end = jget(run, "samples.server_sockets"), *socket;
    size_t k, rows = json_array_size(jget(run, "samples.syn_recv"));
    CHECK(end != NULL, "no samples.server_sockets");
    CHECK_EQ(jint(end, "queued"), handshakes, "sock_diag: children without an inode");
    CHECK_EQ(jint(end, "accepted"), 0, "sock_diag: children with an inode");
    CHECK_EQ(jint(end, "syn_recv"), 0, "sock_diag: request sockets at the end");
    CHECK_EQ(jint(end, "listed") + jint(end, "left_out"), handshakes, "sockets listed");
    json_array_foreach(jget(end, "connections"), k, socket)
    {
        const char *state = json_string_value(json_object_get(socket, "state"));
        CHECK(state && strcmp(state, "ESTABLISHED") == 0, "state %s", state ? state : "(none)");
        CHECK(json_is_false(json_object_get(socket, "accepted")), "a socket accepted");
        CHECK(jint(socket, "conn") >= 0, "a socket matches no client connection");
        CHECK(jint(socket, "skmem.rcvbuf") > 0, "skmem.rcvbuf %lld", jint(socket, "skmem.rcvbuf"));
    }
    CHECK(rows >= 1, "no samples.syn_recv");
    CHECK_EQ(jint(json_array_get(jget(run, "samples.syn_recv"), rows - 1), "syn_recv"), 0,
             "the SYN queue's last sample");
}

int test_backlog_handshakes(void)
{
    json_t *r = e2e_run_results("backlog-handshakes");
    size_t i;
    json_t *run;
    if (!r)
        return 1;
    CHECK_EQ(json_array_size(jget(r, "runs")), 4, "runs");
    json_array_foreach(jget(r, "runs"), i, run)
    {
        long long b = jint(run, "params.server.backlog");
        long long somaxconn = jint(run, "effective.sysctls.net.core.somaxconn");
        long long expect = predicted_handshakes(b, somaxconn);
        CHECK(json_is_null(jget(run, "effective.alone")), "B=%lld: ran beside others", b);
        long long attempted = jint(run, "summary.attempted");
        fprintf(stderr, "backlog %lld: connected %lld of %lld\n", b, jint(run, "summary.connected"),
                attempted);
        CHECK_EQ(attempted, 26, "attempted");
        CHECK_EQ(jint(run, "effective.backlog"), b, "effective backlog (TCP_INFO tcpi_sacked)");
        CHECK_EQ(jint(run, "summary.connected"), expect, "handshakes completed");
        CHECK_EQ(jint(run, "summary.accepted"), 0, "accepted");
        CHECK_EQ(jint(run, "summary.refused"), 0, "refused (a full queue drops, never refuses)");
        CHECK_EQ(jint(run, "summary.timed_out"), attempted - expect, "timed out");
        check_connected_three_ways(run);
        /* every dropped SYN is counted, and each was retransmitted at least
         * once (initial RTO 1 s < connect timeout 1.3 s) */
        CHECK(jint(run, "summary.kernel.ListenOverflows") >= attempted - expect,
              "ListenOverflows %lld", jint(run, "summary.kernel.ListenOverflows"));
        CHECK(jint(run, "summary.kernel.TCPSynRetrans") >= attempted - expect, "TCPSynRetrans %lld",
              jint(run, "summary.kernel.TCPSynRetrans"));
        /* the queue, sampled on the listener, filled to B+1 and its limit was B */
        long long max_queue = -1;
        size_t k;
        json_t *sample;
        json_array_foreach(jget(run, "samples.server"), k, sample)
        {
            long long q = jint(sample, "queue");
            if (q > max_queue)
                max_queue = q;
            CHECK_EQ(jint(sample, "limit"), b, "sampled queue limit");
        }
        CHECK_EQ(max_queue, expect, "largest sampled accept queue");
        check_sock_diag_never_accepted(run, expect);
        /* those that connected did so before any retransmit could help */
        json_array_foreach(jget(run, "connections"), k, sample)
        {
            json_t *c = jget(sample, "connect_us");
            if (c)
                CHECK(json_integer_value(c) < 900000, "connect_us %lld",
                      (long long)json_integer_value(c));
        }
    }
    json_decref(r);
    return e2e_failures != 0;
}

int test_somaxconn_clamp(void)
{
    json_t *r = e2e_run_results("somaxconn-clamp");
    size_t i;
    json_t *run;
    if (!r)
        return 1;
    CHECK_EQ(json_array_size(jget(r, "runs")), 4, "runs");
    json_array_foreach(jget(r, "runs"), i, run)
    {
        long long b = jint(run, "params.server.backlog");
        long long somaxconn = jint(run, "params.sysctls.net.core.somaxconn");
        CHECK_EQ(jint(run, "effective.sysctls.net.core.somaxconn"), somaxconn,
                 "somaxconn in the run's namespace");
        long long cap = b < 0 || b > somaxconn ? somaxconn : b;
        CHECK_EQ(jint(run, "effective.backlog"), cap, "effective backlog");
        CHECK_EQ(jint(run, "summary.connected"), predicted_handshakes(b, somaxconn), "handshakes");
        check_connected_three_ways(run);
    }
    /* the design's figures, literally */
    CHECK_EQ(jint(r, "runs.0.summary.connected"), 3, "somaxconn 2, listen(16)");
    CHECK_EQ(jint(r, "runs.3.summary.connected"), 9, "somaxconn 8, listen(-1)");
    json_decref(r);
    return e2e_failures != 0;
}

int test_syn_timeout_kernel(void)
{
    json_t *r = e2e_run_results("syn-timeout-kernel");
    size_t i;
    json_t *c;
    if (!r)
        return 1;
    CHECK_EQ(jint(r, "runs.0.summary.connected"), 1, "connected (backlog 0)");
    CHECK_EQ(jint(r, "runs.0.summary.timed_out"), 2, "timed out");
    CHECK_EQ(jint(r, "runs.0.summary.timed_out_by.kernel"), 2, "timed out by the kernel");
    json_array_foreach(jget(r, "runs.0.connections"), i, c)
    {
        const char *outcome = json_string_value(jget(c, "outcome"));
        if (strcmp(outcome, "timed_out") != 0)
            continue;
        CHECK(strcmp(json_string_value(jget(c, "error")), "ETIMEDOUT") == 0, "error %s",
              json_string_value(jget(c, "error")));
        /* at least the 1 s retransmit happened before the kernel gave up,
         * and it gave up well before the run's end */
        long long waited = jint(c, "outcome_us") - jint(c, "start_us");
        CHECK(waited >= 1000000 && waited < 5500000, "waited %lld us", waited);
    }
    /* the model (predict.h), from this namespace's own sysctls: the time
     * connect() fails and how many SYNs went again before it did */
    struct syn_schedule schedule;
    CHECK_EQ(predict_syn_schedule(
                 (int)jint(r, "runs.0.effective.sysctls.net.ipv4.tcp_syn_retries"),
                 (int)jint(r, "runs.0.effective.sysctls.net.ipv4.tcp_syn_linear_timeouts"),
                 &schedule),
             0, "schedule");
    fprintf(stderr, "predicted: %zu retransmits, ETIMEDOUT at %lld us\n", schedule.retransmits,
            (long long)schedule.timeout_us);
    json_array_foreach(jget(r, "runs.0.connections"), i, c)
    {
        int64_t predicted;
        if (strcmp(json_string_value(jget(c, "outcome")), "timed_out") != 0)
            continue;
        long long waited = jint(c, "outcome_us") - jint(c, "start_us");
        fprintf(stderr, "conn %zu: ETIMEDOUT after %lld us\n", i, waited);
        CHECK(predict_syn_match(&schedule, waited, 1, &predicted), "ETIMEDOUT at %lld us, not %lld",
              waited, (long long)predicted);
    }
    /* each SYN retransmit is counted once, and nothing else retransmits */
    CHECK_EQ(jint(r, "runs.0.summary.kernel.TCPSynRetrans"),
             (long long)schedule.retransmits * jint(r, "runs.0.summary.timed_out"),
             "TCPSynRetrans: the predicted retransmits of each connection that timed out");
    CHECK_EQ(json_array_size(jget(r, "point_summaries.0.flags")), 0,
             "no departure from the predictions");
    json_decref(r);
    return e2e_failures != 0;
}

int test_slow_acceptor(void)
{
    json_t *r = e2e_run_results("slow-acceptor");
    size_t i;
    json_t *c;
    int early = 0, late = 0;
    if (!r)
        return 1;
    CHECK_EQ(jint(r, "runs.0.summary.connected"), 12, "connected in the end");
    CHECK_EQ(jint(r, "runs.0.summary.accepted"), 12, "accepted in the end");
    /* its first accept falls where a SYN retransmit may fire: it ran alone,
     * its processes favoured (the tests run as root, which may raise it) */
    json_t *alone = jget(r, "runs.0.effective.alone");
    CHECK(json_is_string(json_object_get(alone, "kind")) &&
              strcmp(json_string_value(json_object_get(alone, "kind")), "timing") == 0,
          "effective.alone.kind is \"timing\"");
    CHECK_EQ(jint(r, "runs.0.effective.alone.nice"), -10, "the run's nice value");
    json_array_foreach(jget(r, "runs.0.connections"), i, c)
    {
        long long t = jint(c, "start_us") + jint(c, "connect_us");
        if (t < 500000)
            early++;
        else if (t >= 900000)
            late++;
    }
    /* B+1 at once; the rest wait for the client's SYN retransmit (RTO 1 s)
     * even though the server starts accepting at 0.5 s */
    CHECK_EQ(early, 3, "connected before the first accept");
    CHECK_EQ(late, 9, "connected only after the first SYN retransmit");
    CHECK(jint(r, "runs.0.summary.kernel.TCPSynRetrans") >= 9, "TCPSynRetrans %lld",
          jint(r, "runs.0.summary.kernel.TCPSynRetrans"));
    CHECK(!json_is_true(jget(r, "runs.0.summary.stopped_at_duration")),
          "the run ends when all are accepted and read, not at duration_ms");
    /* the 9 got in at the predicted first retransmit (predict.h) */
    CHECK(jget(r, "point_summaries.0.predictions.connect_us") != NULL, "SYN schedule predicted");
    CHECK_EQ(json_array_size(jget(r, "point_summaries.0.flags")), 0,
             "every connection at a predicted time");
    json_decref(r);
    return e2e_failures != 0;
}

int test_listener_closed(void)
{
    json_t *r = e2e_run_results("listener-closed");
    size_t i;
    json_t *c;
    if (!r)
        return 1;
    long long connected = jint(r, "runs.0.summary.connected");
    CHECK_EQ(connected, 3, "connected (backlog 2)");
    CHECK_EQ(jint(r, "runs.0.summary.reset"), connected, "every queued connection reset");
    CHECK_EQ(jint(r, "runs.0.summary.refused"), 8 - connected, "the rest refused");
    json_array_foreach(jget(r, "runs.0.connections"), i, c)
    {
        const char *error = json_string_value(jget(c, "error"));
        if (json_is_true(jget(c, "reset")))
            CHECK(error && strcmp(error, "ECONNRESET") == 0, "reset error %s", error);
        if (strcmp(json_string_value(jget(c, "outcome")), "refused") == 0) {
            CHECK(error && strcmp(error, "ECONNREFUSED") == 0, "refused error %s", error);
            /* refused only after the listener closed (300 ms) */
            CHECK(jint(c, "outcome_us") > 300000, "refused at %lld us", jint(c, "outcome_us"));
        }
    }
    json_decref(r);
    return e2e_failures != 0;
}

int test_no_listener(void)
{
    json_t *r = e2e_run_results("no-listener");
    if (!r)
        return 1;
    CHECK_EQ(jint(r, "runs.0.summary.attempted"), 6, "attempted");
    CHECK_EQ(jint(r, "runs.0.summary.refused"), 6, "refused");
    CHECK_EQ(jint(r, "runs.0.summary.connected"), 0, "connected");
    CHECK(json_is_null(jget(r, "runs.0.effective.backlog")), "no listener, no backlog");
    /* refused at once: no SYN was ever retransmitted */
    CHECK_EQ(jint(r, "runs.0.summary.kernel.TCPSynRetrans"), 0, "TCPSynRetrans");
    CHECK(jint(r, "runs.0.summary.elapsed_us") < 1000000, "elapsed %lld us",
          jint(r, "runs.0.summary.elapsed_us"));
    json_decref(r);
    return e2e_failures != 0;
}
