/* test_unix.c: family "unix", AF_UNIX stream sockets, through harness-run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e.h"

/* listen(B) on an AF_UNIX stream socket: a connect gets in while the
 * listener's queue holds at most min(B, somaxconn) (unix_recvq_full, ">";
 * __sys_listen caps B for every family), so exactly that plus one connect;
 * a non-blocking connect() to the full queue fails at once with EAGAIN. */
int test_unix_backlog(void)
{
    json_t *r = e2e_run_results("unix-backlog");
    size_t i, k;
    json_t *run, *c;
    if (!r)
        return 1;
    CHECK_EQ(json_array_size(jget(r, "runs")), 8, "runs");
    json_array_foreach(jget(r, "runs"), i, run)
    {
        long long b = jint(run, "params.server.backlog");
        long long somaxconn = jint(run, "effective.sysctls.net.core.somaxconn");
        long long limit = b < somaxconn ? b : somaxconn, expect = limit + 1;
        fprintf(stderr, "B %lld, somaxconn %lld: connected %lld, would_block %lld, queue %lld\n", b,
                somaxconn, jint(run, "summary.connected"), jint(run, "summary.would_block"),
                jint(run, "summary.queue_at_end"));
        CHECK_EQ(jint(run, "summary.attempted"), 20, "attempted");
        CHECK_EQ(jint(run, "summary.connected"), expect, "connected");
        CHECK_EQ(jint(run, "summary.would_block"), 20 - expect, "would_block");
        CHECK_EQ(jint(run, "summary.refused") + jint(run, "summary.timed_out") +
                     jint(run, "summary.failed") + jint(run, "summary.pending"),
                 0, "no other outcome");
        /* the listener's queue and its limit as unix_diag reads them */
        CHECK_EQ(jint(run, "summary.queue_at_end"), expect, "queue at the end");
        CHECK_EQ(jint(run, "effective.backlog"), limit, "the limit (udiag_wqueue)");
        /* no TCP: no handshake for PassiveOpens to count */
        CHECK_EQ(json_integer_value(jget(run, "summary.kernel.PassiveOpens")), 0, "PassiveOpens");
        json_array_foreach(jget(run, "connections"), k, c)
        {
            const char *outcome = json_string_value(jget(c, "outcome"));
            if (outcome && strcmp(outcome, "would_block") == 0)
                CHECK(strcmp(json_string_value(jget(c, "error")), "EAGAIN") == 0,
                      "would_block carries EAGAIN");
        }
    }
    json_array_foreach(jget(r, "point_summaries"), i, c)
        CHECK_EQ(json_array_size(jget(c, "flags")), 0, "flags: nothing departs");
    json_decref(r);
    return e2e_failures != 0;
}

static int compare_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return x < y ? -1 : x > y;
}

/* The times the connected connections connected (outcome_us), sorted;
 * returns how many. */
static size_t connect_times(json_t *run, long long *out, size_t size)
{
    size_t n = 0, k;
    json_t *c;
    json_array_foreach(jget(run, "connections"), k, c)
    {
        const char *outcome = json_string_value(jget(c, "outcome"));
        if (n < size && outcome && strcmp(outcome, "connected") == 0)
            out[n++] = jint(c, "outcome_us");
    }
    qsort(out, n, sizeof *out, compare_ll);
    return n;
}

/* A blocking connect() to a full AF_UNIX listener sleeps until an accept
 * makes room (unix_wait_for_peer, woken by unix_accept): the clients
 * beyond B + 1 connect one by one, each after one more accept. */
int test_unix_blocking_waits(void)
{
    json_t *r = e2e_run_results("unix-blocking");
    long long connected[8];
    if (!r)
        return 1;
    json_t *run = jget(r, "runs.0");
    long long b = jint(run, "params.server.backlog");
    long long first_us = jint(run, "params.server.accept.start_ms") * 1000;
    long long every_us = jint(run, "params.server.accept.every_ms") * 1000;
    size_t n = connect_times(run, connected, 8);
    CHECK_EQ(jint(run, "summary.attempted"), 5, "attempted");
    CHECK_EQ(n, 5, "every blocking connect connected in the end");
    CHECK_EQ(jint(run, "summary.would_block"), 0, "a blocking connect never says EAGAIN");
    CHECK_EQ(jint(run, "summary.accepted"), 5, "accepted");
    /* B + 1 before the first accept is due; the (B + 1 + j)-th not before
     * the j-th accept is due (start_ms + j every_ms). The server's timer
     * counts whole milliseconds from a loop time read up to one earlier:
     * 2 ms of slack, against waits of hundreds */
    CHECK(connected[b] < first_us - 2000, "B + 1 connect at once (%lld us)", connected[b]);
    for (size_t i = (size_t)b + 1; i < n; i++) {
        long long due = first_us + (long long)(i - (size_t)b - 1) * every_us;
        fprintf(stderr, "connect %zu at %lld us, accept %zu due at %lld us\n", i, connected[i],
                i - (size_t)b - 1, due);
        CHECK(connected[i] >= due - 2000, "connect %zu (%lld us) waited for accept %zu (%lld us)",
              i, connected[i], i - (size_t)b - 1, due);
    }
    json_decref(r);
    return e2e_failures != 0;
}
