/* pointpredict.c: a point's "predictions", where the kernel's rules
 * apply to it, and its "flags", where a measurement departs from one
 * (aggregate.h, pointparts.h). */
#include "pointparts.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "predict.h"

/* A sysctl of the run's sysctls object at path (an integer, or a string
 * of one), or fallback. */
static long long sysctl_at(const json_t *run, const char *path, const char *name,
                           long long fallback)
{
    const json_t *v = json_object_get(aggregate_path(run, path), name);
    if (json_is_integer(v))
        return json_integer_value(v);
    if (json_is_string(v))
        return strtoll(json_string_value(v), NULL, 10);
    return fallback;
}

static long long sysctl_of(const json_t *run, const char *name, long long fallback)
{
    return sysctl_at(run, "effective.sysctls", name, fallback);
}

/* A sysctl of the client's side: its own namespace's (topology veth), or
 * the one namespace both shared. */
static long long client_sysctl_of(const json_t *run, const char *name, long long fallback)
{
    return sysctl_at(run, "effective.client_sysctls", name, sysctl_of(run, name, fallback));
}

/* Whether the run's link was shaped (a delay, a rate or a loss). */
static int link_shaped(const json_t *run)
{
    double delay = 0, rate = 0, loss = 0;
    point_number_at(run, "params.link.delay_ms", &delay);
    point_number_at(run, "params.link.rate_mbit", &rate);
    point_number_at(run, "params.link.loss", &loss);
    return delay > 0 || rate > 0 || loss > 0;
}

static double stat_of(const json_t *summary, const char *field, const char *stat)
{
    return json_number_value(json_object_get(json_object_get(summary, field), stat));
}

static void flag_count(json_t *flags, const char *field, const json_t *summary, double predicted,
                       const char *kind)
{
    double median = stat_of(summary, field, "median"), min = stat_of(summary, field, "min");
    double max = stat_of(summary, field, "max"), spread = max - min;
    int departs = strcmp(kind, "exact") == 0 ? (min != predicted || max != predicted)
                                             : median - predicted > spread;
    if (!json_object_get(summary, field) || !departs)
        return;
    char name[128];
    snprintf(name, sizeof name, "summary.%s", field);
    json_array_append_new(
        flags, json_pack("{s:s,s:s,s:f,s:o,s:f,s:f}", "field", name, "kind", kind, "predicted",
                         predicted, "measured",
                         json_deep_copy(json_object_get(json_object_get(summary, field), "median")),
                         "spread", spread, "tolerance", 0.0));
}

/* A count the rule allows two values of: flagged when a repeat measured
 * neither, or the repeats disagree. */
static void flag_one_of(json_t *flags, const char *field, const json_t *summary,
                        const long long *values, int count)
{
    double min = stat_of(summary, field, "min"), max = stat_of(summary, field, "max");
    int allowed = 0;
    for (int i = 0; i < count; i++)
        allowed |= min == max && min == (double)values[i];
    if (!json_object_get(summary, field) || allowed)
        return;
    char name[128];
    snprintf(name, sizeof name, "summary.%s", field);
    json_array_append_new(
        flags,
        json_pack("{s:s,s:s,s:[I,I],s:o,s:f,s:f}", "field", name, "kind", "one_of", "predicted",
                  (json_int_t)values[0], (json_int_t)values[count - 1], "measured",
                  json_deep_copy(json_object_get(json_object_get(summary, field), "median")),
                  "spread", max - min, "tolerance", 0.0));
}

static int family_unix(const json_t *run)
{
    const json_t *family = aggregate_path(run, "params.family");
    return json_is_string(family) && strcmp(json_string_value(family), "unix") == 0;
}

static void predict_exact(json_t *predictions, json_t *flags, const json_t *summary,
                          const char *field, long long value, const char *rule)
{
    json_object_set_new(
        predictions, field,
        json_pack("{s:I,s:s,s:s}", "value", (json_int_t)value, "kind", "exact", "rule", rule));
    flag_count(flags, field, summary, (double)value, "exact");
}

/* Family unix, the server never accepting: a connect() gets in while the
 * listener's queue holds at most B (unix_recvq_full, ">"), with B capped
 * at somaxconn as for TCP (__sys_listen); a non-blocking one that finds
 * it full fails at once with EAGAIN. No SYN, no syncookies, no link. */
static void check_unix_connected(const json_t *run, const json_t *summary, long long backlog,
                                 long long somaxconn, json_t *predictions, json_t *flags)
{
    long long attempted = (long long)stat_of(summary, "attempted", "max");
    long long predicted = predict_handshakes(backlog, somaxconn, attempted);
    predict_exact(predictions, flags, summary, "connected", predicted,
                  "min(B, somaxconn) + 1, B read as unsigned: AF_UNIX queues a connection "
                  "while the listener holds at most B (unix_recvq_full)");
    if (json_is_integer(json_object_get(json_object_get(summary, "queue_at_end"), "median")) ||
        json_is_number(json_object_get(json_object_get(summary, "queue_at_end"), "median")))
        predict_exact(predictions, flags, summary, "queue_at_end", predicted,
                      "min(B, somaxconn) + 1 in the listener's queue (unix_diag)");
    const json_t *mode = aggregate_path(run, "params.client.mode");
    if (json_is_string(mode) && strcmp(json_string_value(mode), "nonblocking") == 0)
        predict_exact(predictions, flags, summary, "would_block", attempted - predicted,
                      "attempted - connected: a non-blocking connect() to a full AF_UNIX "
                      "listener fails at once with EAGAIN");
}

/* connected: exact, while the server listens and never accepts. */
static void check_connected(const json_t *run, const json_t *summary, json_t *predictions,
                            json_t *flags)
{
    const json_t *accept = aggregate_path(run, "params.server.accept");
    double backlog, attempted;
    if (!json_is_string(accept) || strcmp(json_string_value(accept), "never") != 0 ||
        !json_is_true(aggregate_path(run, "params.server.listen")) ||
        !point_number_at(run, "params.server.backlog", &backlog) ||
        !point_number_at(run, "summary.attempted", &attempted))
        return;
    long long somaxconn = sysctl_of(run, "net.core.somaxconn", -1);
    if (somaxconn < 0)
        return;
    if (family_unix(run)) {
        check_unix_connected(run, summary, (long long)backlog, somaxconn, predictions, flags);
        return;
    }
    struct handshake_rule rule;
    predict_handshakes_rule(
        (long long)backlog, somaxconn, (long long)stat_of(summary, "attempted", "max"),
        sysctl_of(run, "net.ipv4.tcp_syncookies", 1),
        json_string_value(aggregate_path(run, "effective.kernel_release")), &rule);
    long long predicted = rule.values[0];
    /* Over a slow or long link a burst of SYNs all arrive before the
     * first final ACK: each finds room and is answered, so more clients
     * than the queue holds see connect() succeed; the final ACKs that
     * find the queue full are dropped. The rule then holds for the
     * server's queue, not for the clients' count. */
    if (link_shaped(run)) {
        json_object_set_new(
            predictions, "queue_at_end",
            json_pack("{s:I,s:s,s:s}", "value", (json_int_t)predicted, "kind", "exact", "rule",
                      "min(B, somaxconn) + 1 in the server's accept queue, B read as unsigned "
                      "(over a shaped link more clients may see their handshake complete)"));
        flag_count(flags, "queue_at_end", summary, (double)predicted, "exact");
        return;
    }
    if (rule.count == 2) {
        json_object_set_new(predictions, "connected",
                            json_pack("{s:[I,I],s:s,s:s}", "values", (json_int_t)rule.values[0],
                                      (json_int_t)rule.values[1], "kind", "one_of", "rule",
                                      rule.rule));
        flag_one_of(flags, "connected", summary, rule.values, rule.count);
        return;
    }
    json_object_set_new(predictions, "connected",
                        json_pack("{s:I,s:s,s:s}", "value", (json_int_t)predicted, "kind", "exact",
                                  "rule", rule.rule));
    flag_count(flags, "connected", summary, (double)predicted, "exact");
}

/* bytes_sent: at most what the buffers of the connections hold, while the
 * server never reads. */
static void check_bytes_sent(const json_t *run, const json_t *summary, json_t *predictions,
                             json_t *flags)
{
    const json_t *read = aggregate_path(run, "params.server.read");
    const json_t *protocol = aggregate_path(run, "params.protocol");
    double sndbuf, sndbuf_max = 0, rcvbuf, rcvbuf_max = 0;
    /* the rule is TCP's (a window and a send queue): AF_UNIX has its own,
     * and a UDP sender hands every datagram on, the receiver dropping what
     * does not fit (check_udp_held) */
    if (json_is_string(protocol) && strcmp(json_string_value(protocol), "udp") == 0)
        return;
    if (!json_is_string(read) || strcmp(json_string_value(read), "never") != 0 ||
        family_unix(run) || !point_number_at(run, "effective.sndbuf", &sndbuf) ||
        !point_number_at(run, "effective.rcvbuf", &rcvbuf))
        return;
    /* autotuning may grow either buffer after connect: the largest seen.
     * The receiver is the accepted socket, whose buffer may differ from the
     * listener's (a default one grows, tcp_clamp_window): its own, where
     * one was accepted; the listener's for connections never accepted,
     * whose sockets inherit it */
    point_number_at(run, "effective.sndbuf_max", &sndbuf_max);
    const json_t *children = aggregate_path(run, "effective.buffers.rcvbuf_at_close");
    if (json_is_array(children))
        rcvbuf = json_number_value(json_array_get(children, 1));
    else
        point_number_at(run, "effective.rcvbuf_max", &rcvbuf_max);
    long long per_conn =
        predict_buffer_capacity((long long)(sndbuf_max > sndbuf ? sndbuf_max : sndbuf),
                                (long long)(rcvbuf_max > rcvbuf ? rcvbuf_max : rcvbuf));
    double connected = stat_of(summary, "connected", "max");
    json_object_set_new(
        predictions, "bytes_sent",
        json_pack("{s:f,s:I,s:s,s:s}", "value", connected * (double)per_conn, "per_connection",
                  (json_int_t)per_conn, "kind", "at_most", "rule",
                  "connections x (SO_SNDBUF + 1.5 x SO_RCVBUF, of the accepted socket where "
                  "one was accepted): the receiver's window, and the sender's queue, which "
                  "may overshoot SO_SNDBUF by one segment of up to half that window"));
    flag_count(flags, "bytes_sent", summary, connected * (double)per_conn, "at_most");
}

/* protocol "udp", a server that never reads: the datagrams its queue
 * held at the end, from SO_RCVBUF and the truesize each was charged. */
static void check_udp_held(const json_t *run, const json_t *summary, json_t *predictions,
                           json_t *flags)
{
    const json_t *protocol = aggregate_path(run, "params.protocol");
    const json_t *read = aggregate_path(run, "params.server.read");
    double rcvbuf, truesize;
    if (!json_is_string(protocol) || strcmp(json_string_value(protocol), "udp") != 0 ||
        !json_is_string(read) || strcmp(json_string_value(read), "never") != 0 ||
        !point_number_at(run, "effective.rcvbuf", &rcvbuf) ||
        !point_number_at(run, "summary.udp.truesize", &truesize))
        return;
    struct handshake_rule rule;
    predict_udp_held((long long)rcvbuf, (long long)truesize,
                     json_string_value(aggregate_path(run, "effective.kernel_release")), &rule);
    if (rule.count == 2) {
        json_object_set_new(predictions, "udp.queued_at_end",
                            json_pack("{s:[I,I],s:s,s:s,s:I}", "values", (json_int_t)rule.values[0],
                                      (json_int_t)rule.values[1], "kind", "one_of", "rule",
                                      rule.rule, "truesize", (json_int_t)truesize));
        flag_one_of(flags, "udp.queued_at_end", summary, rule.values, rule.count);
        return;
    }
    json_object_set_new(predictions, "udp.queued_at_end",
                        json_pack("{s:I,s:s,s:s,s:I}", "value", (json_int_t)rule.values[0], "kind",
                                  "exact", "rule", rule.rule, "truesize", (json_int_t)truesize));
    flag_count(flags, "udp.queued_at_end", summary, (double)rule.values[0], "exact");
}

int aggregate_conn_checked(const char *outcome, const char *timeout_by, int64_t latency_us)
{
    int timed_out = strcmp(outcome, "timed_out") == 0;
    if (timed_out)
        /* the harness's or the run's timeout: no kernel rule */
        return timeout_by && strcmp(timeout_by, "kernel") == 0;
    if (strcmp(outcome, "connected") != 0 && strcmp(outcome, "refused") != 0)
        return 0;
    return latency_us >= AGGREGATE_WAITED_US;
}

/* The SYN retransmit schedule of a run's client side, which retransmits
 * its SYNs: 0, or -1 without tcp_syn_retries. */
static int run_syn_schedule(const json_t *run, struct syn_schedule *schedule)
{
    long long retries = client_sysctl_of(run, "net.ipv4.tcp_syn_retries", -1);
    long long linear = client_sysctl_of(run, "net.ipv4.tcp_syn_linear_timeouts", 0);
    if (retries < 0 || predict_syn_schedule((int)retries, (int)linear, schedule) < 0)
        return -1;
    return 0;
}

static json_t *connect_prediction(const struct syn_schedule *schedule)
{
    json_t *times = json_array();
    for (size_t i = 0; i < schedule->retransmits; i++)
        json_array_append_new(times, json_integer(schedule->retransmit_us[i]));
    return json_pack("{s:o,s:I,s:s,s:s}", "retransmits_us", times, "timeout_us",
                     (json_int_t)schedule->timeout_us, "kind", "timer", "rule",
                     "SYN retransmits: RTO 1 s, tcp_syn_linear_timeouts at 1 s, "
                     "then doubling; ETIMEDOUT per tcp_syn_retries");
}

json_t *aggregate_connect_prediction(const json_t *run)
{
    struct syn_schedule schedule;
    if (run_syn_schedule(run, &schedule))
        return NULL;
    return connect_prediction(&schedule);
}

/* connect_us: the SYN retransmit schedule, checked connection by
 * connection, when some connection waited for a retransmit. */
static void check_connect_us(const json_t *runs, const struct run_ref *refs, size_t count,
                             json_t *predictions, json_t *flags)
{
    const json_t *run0 = json_array_get(runs, refs[0].index);
    struct syn_schedule schedule;
    int waited = 0;
    if (run_syn_schedule(run0, &schedule))
        return;
    for (size_t r = 0; r < count; r++) {
        const json_t *run = json_array_get(runs, refs[r].index), *c;
        size_t i;
        json_array_foreach(json_object_get(run, "connections"), i, c)
        {
            const char *outcome = json_string_value(json_object_get(c, "outcome"));
            const char *by = json_string_value(json_object_get(c, "timeout_by"));
            const json_t *start = json_object_get(c, "start_us");
            const json_t *end = json_object_get(c, "outcome_us");
            /* one seen complete only at the stop has no time of its own */
            if (!outcome || !json_is_integer(start) || !json_is_integer(end) ||
                json_is_true(json_object_get(c, "seen_at_stop")))
                continue;
            int64_t latency = json_integer_value(end) - json_integer_value(start);
            if (!aggregate_conn_checked(outcome, by, latency))
                continue;
            int timed_out = strcmp(outcome, "timed_out") == 0;
            waited = 1;
            int64_t predicted;
            if (predict_syn_match(&schedule, latency, timed_out, &predicted))
                continue;
            struct tolerance t = predict_syn_tolerance(predicted);
            json_array_append_new(flags, json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:{s:I,s:I},s:s}",
                                                   "field", "connect_us", "kind", "timer", "run",
                                                   (json_int_t)refs[r].index, "conn", (json_int_t)i,
                                                   "predicted", (json_int_t)predicted, "measured",
                                                   (json_int_t)latency, "tolerance", "early_us",
                                                   (json_int_t)t.early_us, "late_us",
                                                   (json_int_t)t.late_us, "outcome", outcome));
        }
    }
    if (waited)
        json_object_set_new(predictions, "connect_us", connect_prediction(&schedule));
}

/* A run's check that failed (runchecks.h) is a flag of its point. */
static void flag_failed_checks(const json_t *runs, const struct run_ref *refs, size_t count,
                               json_t *flags)
{
    for (size_t r = 0; r < count; r++) {
        const json_t *check;
        size_t i;
        json_array_foreach(json_object_get(json_array_get(runs, refs[r].index), "checks"), i, check)
        {
            const char *result = json_string_value(json_object_get(check, "result"));
            if (!result || strcmp(result, "failed") != 0)
                continue;
            char field[96];
            snprintf(field, sizeof field, "checks.%s",
                     json_string_value(json_object_get(check, "name")));
            json_array_append_new(flags,
                                  json_pack("{s:s,s:s,s:I,s:O,s:O,s:O}", "field", field, "kind",
                                            "check", "run", (json_int_t)refs[r].index, "predicted",
                                            json_object_get(check, "expected"), "measured",
                                            json_object_get(check, "measured"), "what",
                                            json_object_get(check, "what")));
        }
    }
}

void point_predict(const json_t *runs, const struct run_ref *refs, size_t count,
                   const json_t *summary, json_t *predictions, json_t *flags)
{
    const json_t *run0 = json_array_get(runs, refs[0].index);
    check_connected(run0, summary, predictions, flags);
    check_bytes_sent(run0, summary, predictions, flags);
    check_udp_held(run0, summary, predictions, flags);
    check_connect_us(runs, refs, count, predictions, flags);
    flag_failed_checks(runs, refs, count, flags);
}
