/* test_aggregate.c: per-point statistics over repeats, the predictions
 * and the flags (aggregate.h), on runs made up to the results format. */
#include <jansson.h>

#include "aggregate.h"
#include "check.h"
#include "results.h"

/* A run of a never-accepting, never-reading point. */
static json_t *run(int point, int backlog, int connected, int bytes_sent, json_t *connections)
{
    return json_pack("{s:i,s:{s:i},s:{s:{s:b,s:i,s:s,s:s}},s:{s:i,s:i,s:i,s:{s:i,s:i,s:i}},"
                     "s:{s:i,s:i,s:i,s:i,s:i,s:i,s:n,s:{s:i}},s:o}",
                     "point", point, "sweep", "server.backlog", backlog, "params", "server",
                     "listen", 1, "backlog", backlog, "accept", "never", "read", "never",
                     "effective", "sndbuf", 8192, "rcvbuf", 8192, "sndbuf_max", 8192, "sysctls",
                     "net.core.somaxconn", 4096, "net.ipv4.tcp_syn_retries", 3,
                     "net.ipv4.tcp_syn_linear_timeouts", 4, "summary", "attempted", 12, "connected",
                     connected, "bytes_sent", bytes_sent, "bytes_read", 0, "elapsed_us", 2000000,
                     "blocked_us", 1000000, "bytes_before_first_block", "kernel", "TCPSynRetrans",
                     7, "connections", connections ? connections : json_array());
}

static json_t *conn(const char *outcome, const char *by, long long latency_us)
{
    json_t *c = json_pack("{s:s,s:i,s:I}", "outcome", outcome, "start_us", 1000, "outcome_us",
                          (json_int_t)(1000 + latency_us));
    if (by)
        json_object_set_new(c, "timeout_by", json_string(by));
    return c;
}

static int flag_count(const json_t *point)
{
    return (int)json_array_size(json_object_get(point, "flags"));
}

int main(void)
{
    json_t *runs = json_array();
    /* point 0: backlog 4 three times, exactly as predicted */
    for (int i = 0; i < 3; i++)
        json_array_append_new(runs, run(0, 4, 5, 20000 + 1000 * i, NULL));
    /* point 1: backlog 4, one repeat off by one; bytes over the bound */
    json_array_append_new(runs, run(1, 4, 5, 200000, NULL));
    json_array_append_new(runs, run(1, 4, 6, 200000, NULL));
    /* point 2: connections that waited for SYN retransmits */
    json_t *conns = json_array();
    json_array_append_new(conns, conn("connected", NULL, 300));     /* at once */
    json_array_append_new(conns, conn("connected", NULL, 1020000)); /* 1 s */
    json_array_append_new(conns, conn("connected", NULL, 7130000)); /* 7 s */
    json_array_append_new(conns, conn("refused", NULL, 2030000));   /* 2 s */
    json_array_append_new(conns, conn("timed_out", "kernel", 19400000));
    json_array_append_new(conns, conn("timed_out", "harness", 1500000)); /* no rule */
    json_array_append_new(conns, conn("connected", NULL, 1500000));      /* no retransmit then */
    json_array_append_new(runs, run(2, 0, 1, 0, conns));

    json_t *points = aggregate_points(runs);
    CHECK_INT(json_array_size(points), 3);
    json_t *p0 = aggregate_find(points, 0), *p1 = aggregate_find(points, 1);
    json_t *p2 = aggregate_find(points, 2);
    CHECK(p0 && p1 && p2);
    int known;
    CHECK_INT(json_integer_value(json_object_get(p0, "repeats")), 3);
    CHECK_INT(aggregate_stat(p0, "connected", "median", &known), 5);
    CHECK_INT(aggregate_stat(p0, "bytes_sent", "median", &known), 21000);
    CHECK_INT(aggregate_stat(p0, "bytes_sent", "min", &known), 20000);
    CHECK_INT(aggregate_stat(p0, "bytes_sent", "max", &known), 22000);
    CHECK_INT(aggregate_stat(p0, "kernel.TCPSynRetrans", "max", &known), 7);
    CHECK(known);
    /* null in every run: no statistics at all */
    aggregate_stat(p0, "bytes_before_first_block", "median", &known);
    CHECK(!known);
    /* per connection: 1 s blocked of 2 s, over 5 connections */
    CHECK(aggregate_stat(p0, "blocked_fraction", "median", &known) == 0.1);
    CHECK_INT(json_integer_value(json_object_get(
                  json_object_get(json_object_get(p0, "predictions"), "connected"), "value")),
              5);
    CHECK_INT(flag_count(p0), 0);
    CHECK(!aggregate_flagged(p0, "connected"));

    /* an even count: the mean of the middle two */
    CHECK(aggregate_stat(p1, "connected", "median", &known) == 5.5);
    /* exact: one repeat off is a departure, spread or not */
    CHECK(aggregate_flagged(p1, "connected"));
    /* at most 6 x (8192 + 1.5 x 8192): 200000 is over the bound */
    CHECK(aggregate_flagged(p1, "bytes_sent"));
    CHECK_INT(flag_count(p1), 2);

    /* timer: 1.02 s, 2.03 s (refused), 7.13 s, ETIMEDOUT 19.4 s match;
     * 1.5 s does not; the harness's timeout has no rule */
    CHECK(json_object_get(json_object_get(p2, "predictions"), "connect_us") != NULL);
    CHECK_INT(flag_count(p2), 1);
    json_t *flag = json_array_get(json_object_get(p2, "flags"), 0);
    CHECK_STR(json_string_value(json_object_get(flag, "field")), "connect_us");
    CHECK_INT(json_integer_value(json_object_get(flag, "conn")), 6);
    CHECK_INT(json_integer_value(json_object_get(flag, "predicted")), 1000000);
    CHECK_INT(json_integer_value(json_object_get(flag, "measured")), 1500000);
    /* 1 connection: the bytes bound is 20480, and 0 is within it */
    CHECK(!aggregate_flagged(p2, "bytes_sent"));

    json_decref(points);
    json_decref(runs);

    /* the union of the repeats' keys: a counter that changed only in the
     * second repeat is there, 0 in the first (its kernel object lists only
     * the counters that changed); the runner's path agrees */
    runs = json_array();
    json_array_append_new(runs, run(3, 4, 5, 0, NULL));
    json_array_append_new(runs, run(3, 4, 5, 0, NULL));
    json_object_set_new(
        json_object_get(json_object_get(json_array_get(runs, 1), "summary"), "kernel"),
        "TCPTimeouts", json_integer(4));
    json_object_set_new(json_object_get(json_array_get(runs, 1), "summary"), "queue_at_end",
                        json_integer(2));
    points = aggregate_points(runs);
    json_t *by_runner = results_point_summary(runs, 10);
    json_t *summaries[2] = {json_array_get(points, 0), by_runner};
    for (int i = 0; i < 2; i++) {
        json_t *p = summaries[i];
        CHECK_INT(json_integer_value(json_object_get(
                      json_object_get(json_object_get(p, "summary"), "kernel.TCPTimeouts"), "n")),
                  2);
        CHECK_INT(aggregate_stat(p, "kernel.TCPTimeouts", "min", &known), 0);
        CHECK_INT(aggregate_stat(p, "kernel.TCPTimeouts", "max", &known), 4);
        CHECK_INT(aggregate_stat(p, "kernel.TCPTimeouts", "median", &known), 2);
        /* a top-level number missing from a run is not measured there */
        CHECK_INT(json_integer_value(json_object_get(
                      json_object_get(json_object_get(p, "summary"), "queue_at_end"), "n")),
                  1);
        CHECK_INT(aggregate_stat(p, "queue_at_end", "median", &known), 2);
    }
    CHECK(json_equal(json_object_get(summaries[0], "summary"),
                     json_object_get(summaries[1], "summary")));
    json_decref(by_runner);
    json_decref(points);
    json_decref(runs);

    /* a run's check that failed is a flag of its point (runchecks.h); one
     * that passed or does not apply is not */
    runs = json_array();
    json_array_append_new(runs, run(4, 4, 5, 0, NULL));
    json_array_append_new(runs, run(4, 4, 5, 0, NULL));
    json_object_set_new(json_array_get(runs, 0), "checks",
                        json_pack("[{s:s,s:s,s:i,s:i,s:s}]", "name", "bytes", "result", "passed",
                                  "expected", 10, "measured", 10, "what", "bytes"));
    json_object_set_new(json_array_get(runs, 1), "checks",
                        json_pack("[{s:s,s:s,s:n,s:n,s:s},{s:s,s:s,s:i,s:i,s:s}]", "name",
                                  "client_handshakes", "result", "not_applicable", "expected",
                                  "measured", "what", "handshakes", "name", "bytes", "result",
                                  "failed", "expected", 100, "measured", 60, "what", "bytes"));
    points = aggregate_points(runs);
    json_t *p4 = aggregate_find(points, 4);
    CHECK(aggregate_flagged(p4, "checks.bytes"));
    CHECK(!aggregate_flagged(p4, "checks.client_handshakes"));
    CHECK_INT(flag_count(p4), 1);
    flag = json_array_get(json_object_get(p4, "flags"), 0);
    CHECK_INT(json_integer_value(json_object_get(flag, "run")), 1);
    CHECK_INT(json_integer_value(json_object_get(flag, "measured")), 60);
    json_decref(points);
    json_decref(runs);
    return check_exit();
}
