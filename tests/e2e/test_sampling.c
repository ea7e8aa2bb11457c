/* test_sampling.c: the queue samples, and what sampling costs. */
#include <stdio.h>
#include <string.h>

#include "e2e.h"
#include "predict.h"
#include "sampler.h"

/* Per-sample and per-process bounds (harness/sampler.h). */
#define SAMPLE_CONNS SAMPLER_CONNS
#define MAX_SAMPLES PARAMS_MAX_SAMPLES

/* Samples are in time order, each list names known connections and holds
 * at most SAMPLE_CONNS of them, and nothing was dropped. */
static void check_samples(json_t *run, const char *side, long long connections)
{
    char path[64];
    snprintf(path, sizeof path, "samples.%s", side);
    json_t *samples = jget(run, path), *sample;
    size_t i;
    long long last_t = -1;
    CHECK(json_array_size(samples) > 0, "%s samples present", side);
    CHECK(json_array_size(samples) <= MAX_SAMPLES, "%s samples bounded", side);
    json_array_foreach(samples, i, sample)
    {
        long long t = jint(sample, "t_us");
        CHECK(t >= last_t, "%s sample %zu at %lld before %lld", side, i, t, last_t);
        last_t = t;
        json_t *conns = jget(sample, "conns"), *entry;
        size_t k;
        CHECK(json_is_array(conns), "%s sample %zu has its connections", side, i);
        CHECK(json_array_size(conns) <= SAMPLE_CONNS, "%s sample %zu: %zu connections", side, i,
              json_array_size(conns));
        long long sum = 0;
        json_array_foreach(conns, k, entry)
        {
            long long conn = json_integer_value(json_array_get(entry, 0));
            CHECK(conn >= 0 && conn < connections, "%s sample %zu names conn %lld", side, i, conn);
            sum += json_integer_value(json_array_get(entry, 2));
        }
        CHECK_EQ(sum, jint(sample, strcmp(side, "server") == 0 ? "recv_queue" : "send_queue"),
                 "the total queue is the sum over connections");
    }
    CHECK_EQ(jint(run, "summary.samples_dropped"), 0, "samples dropped");
    CHECK_EQ(jint(run, "summary.conn_samples_dropped"), 0, "connection samples dropped");
    CHECK_EQ(jint(run, "summary.conns_unsampled_max"), 0, "connections not sampled");
}

/* The latest sample of side listing conn: its [conn, bytes, queue]. */
static json_t *last_entry(json_t *run, const char *side, long long conn)
{
    char path[64];
    snprintf(path, sizeof path, "samples.%s", side);
    json_t *samples = jget(run, path);
    for (size_t i = json_array_size(samples); i-- > 0;) {
        json_t *conns = jget(json_array_get(samples, i), "conns"), *entry;
        size_t k;
        json_array_foreach(conns, k, entry)
        {
            if (json_integer_value(json_array_get(entry, 0)) == conn)
                return entry;
        }
    }
    return NULL;
}

/* The server's receive queue of conn, sample by sample: a reader that
 * never reads never takes bytes out (bytes read stay 0), so the queue
 * never shrinks; it grows while the window lets segments in and stops when
 * the window is shut. The sampler keeps a sample only when something in
 * it changed, and the server samples once more as it finishes, so a
 * plateau is one sample: the first that shows the final value, unchanged
 * from then to the server's end. Returns that value (the largest) and its
 * time in *since_us, or -1 when no sample lists conn. */
static long long receive_plateau(json_t *run, long long conn, long long *since_us)
{
    json_t *sample;
    size_t i;
    long long last = -1;
    *since_us = -1;
    json_array_foreach(jget(run, "samples.server"), i, sample)
    {
        json_t *entry;
        size_t k;
        json_array_foreach(jget(sample, "conns"), k, entry)
        {
            if (json_integer_value(json_array_get(entry, 0)) != conn)
                continue;
            long long unread = json_integer_value(json_array_get(entry, 2));
            CHECK_EQ(json_integer_value(json_array_get(entry, 1)), 0, "bytes read, never reading");
            CHECK(unread >= last, "conn %lld: receive queue %lld after %lld (sample %zu)", conn,
                  unread, last, i);
            if (unread != last)
                *since_us = jint(sample, "t_us");
            last = unread;
        }
    }
    return last;
}

int test_queue_plateau(void)
{
    json_t *r = e2e_run_results("queue-plateau");
    size_t i;
    json_t *run;
    long long first_plateau = -1;
    if (!r)
        return 1;
    CHECK_EQ(json_array_size(jget(r, "runs")), 2, "runs (2 repeats)");
    json_array_foreach(jget(r, "runs"), i, run)
    {
        long long rcvbuf = jint(run, "effective.rcvbuf"), sndbuf = jint(run, "effective.sndbuf");
        /* the SO_RCVBUF line of the queues plot: the largest seen */
        long long rcvbuf_drawn = rcvbuf;
        if (json_is_integer(jget(run, "effective.rcvbuf_max")) &&
            jint(run, "effective.rcvbuf_max") > rcvbuf_drawn)
            rcvbuf_drawn = jint(run, "effective.rcvbuf_max");
        /* the sender never runs out of bytes: the run ends at duration_ms,
         * with the receive queues at their plateau */
        CHECK(json_is_true(jget(run, "summary.stopped_at_duration")),
              "run %zu stopped at duration_ms", i);
        /* the prediction, predict.h's SO_SNDBUF + 1.5 x SO_RCVBUF, takes
         * what getsockopt() reported for these very sockets when the run
         * stopped (effective.buffers: the sender's, and the accepted
         * socket's, not the listener's) */
        char where[96];
        snprintf(where, sizeof where, "point_summaries.%lld.predictions.bytes_sent.per_connection",
                 jint(run, "point"));
        long long per_connection = jint(r, where);
        CHECK_EQ(per_connection,
                 predict_buffer_capacity(jint(run, "effective.buffers.sndbuf_at_close.1"),
                                         jint(run, "effective.buffers.rcvbuf_at_close.1")),
                 "predicted bytes per connection, from the buffers measured at the stop");
        /* nothing the teardown does is counted: the counters were read at
         * the stop, before the peers closed sockets holding unread bytes
         * (which would reset them) */
        static const char *const resets[] = {"OutRsts", "EstabResets", "TCPAbortOnClose"};
        for (size_t k = 0; k < 3; k++) {
            /* a counter that did not change is not listed */
            json_t *counted = json_object_get(jget(run, "summary.kernel"), resets[k]);
            CHECK(json_integer_value(counted) == 0, "run %zu: %s %lld counted", i, resets[k],
                  (long long)json_integer_value(counted));
        }
        /* and the server's totals of the same instant: every byte sent is
         * in a queue, none read */
        CHECK_EQ(jint(run, "summary.receive_queue_at_end") + jint(run, "summary.send_queue_at_end"),
                 jint(run, "summary.bytes_sent"), "queues at the stop = bytes sent");
        CHECK(strcmp(json_string_value(jget(run, "checks.2.result")), "passed") == 0,
              "the run's bytes check");
        check_samples(run, "server", 2);
        check_samples(run, "client", 2);
        for (long long conn = 0; conn < 2; conn++) {
            char path[64];
            snprintf(path, sizeof path, "connections.%lld.bytes_sent", conn);
            long long sent = jint(run, path);
            json_t *server = last_entry(run, "server", conn);
            json_t *client = last_entry(run, "client", conn);
            CHECK(server && client, "conn %lld sampled on both sides", conn);
            if (!server || !client)
                continue;
            long long unread = json_integer_value(json_array_get(server, 2));
            long long unsent = json_integer_value(json_array_get(client, 2));
            long long since_us;
            long long plateau = receive_plateau(run, conn, &since_us);
            CHECK(plateau >= 0, "conn %lld in the server's samples", conn);
            /* both sides stop at duration_ms: the server's end is the run's */
            long long held_us = jint(run, "summary.elapsed_us") - since_us;
            fprintf(stderr,
                    "run %zu conn %lld: sent %lld = send queue %lld + receive queue %lld "
                    "(SO_SNDBUF %lld, SO_RCVBUF %lld), the receive queue unchanged from "
                    "%lld us on, for %lld us\n",
                    i, conn, sent, unsent, unread, sndbuf, rcvbuf, since_us, held_us);
            /* never shrinking, the last receive queue is the largest; it
             * stopped growing well before the end: filling it takes a few
             * segments on loopback, and the ACKs that let the sender go on
             * come within a delayed ACK (TCP_DELACK_MAX, 200 ms), long
             * before duration_ms */
            CHECK(held_us >= 100000, "receive queue held %lld us before the end", held_us);
            /* the plateau: what the window let in, which never exceeds
             * the receiver's buffer, the SO_RCVBUF line of the queues
             * plot */
            CHECK(unread > 0 && unread <= rcvbuf_drawn, "receive queue %lld, SO_RCVBUF %lld",
                  unread, rcvbuf_drawn);
            /* and the sender got rid of no more than the harness predicts
             * for its point (the bytes_sent flag) */
            CHECK(sent <= per_connection, "sent %lld, predicted at most %lld", sent,
                  per_connection);
            /* the last segment may overshoot SO_SNDBUF by up to half the
             * peer's window (predict.h) */
            CHECK(unsent > 0 && unsent <= sndbuf + rcvbuf / 2, "send queue %lld, SO_SNDBUF %lld",
                  unsent, sndbuf);
            CHECK_EQ(json_integer_value(json_array_get(server, 1)), 0, "bytes read");
            CHECK_EQ(json_integer_value(json_array_get(client, 1)), sent, "bytes sent sampled");
            /* on loopback nothing is in flight once the window is shut:
             * every byte sent waits in one of the two queues */
            CHECK_EQ(unsent + unread, sent, "send queue + receive queue");
            if (first_plateau < 0)
                first_plateau = unread;
            CHECK_EQ(unread, first_plateau, "the plateau, the same in every run");
        }
    }
    json_decref(r);
    return e2e_failures != 0;
}

int test_sampling_cost(void)
{
    json_t *r = e2e_run_results("sampling-cost");
    size_t i;
    json_t *run;
    long long sent = -1, before = -1;
    if (!r)
        return 1;
    CHECK_EQ(json_array_size(jget(r, "runs")), 4, "runs (2 points x 2 repeats)");
    json_array_foreach(jget(r, "runs"), i, run)
    {
        long long every = jint(run, "params.sample_ms");
        fprintf(stderr,
                "sample_ms %lld: connected %lld, sent %lld, first block at %lld, %zu + %zu "
                "samples, sampling took %lld us of %lld us\n",
                every, jint(run, "summary.connected"), jint(run, "summary.bytes_sent"),
                jint(run, "summary.bytes_before_first_block"),
                json_array_size(jget(run, "samples.server")),
                json_array_size(jget(run, "samples.client")), jint(run, "summary.sampling_us"),
                jint(run, "summary.elapsed_us"));
        CHECK_EQ(jint(run, "summary.connected"), 3, "handshakes: min(2, somaxconn) + 1");
        CHECK_EQ(jint(run, "summary.accepted"), 0, "accepted");
        if (sent < 0) {
            sent = jint(run, "summary.bytes_sent");
            before = jint(run, "summary.bytes_before_first_block");
        }
        /* within one send() chunk per connection: where the send() that
         * reaches the buffer's limit stops varies (test_never_read) */
        CHECK_NEAR(jint(run, "summary.bytes_sent"), sent,
                   jint(run, "summary.connected") * jint(run, "params.client.send.chunk"),
                   "bytes sent, sampled or not");
        CHECK_NEAR(jint(run, "summary.bytes_before_first_block"), before,
                   jint(run, "params.client.send.chunk"),
                   "bytes before the first block, sampled or not");
        if (every == 0) {
            CHECK_EQ(json_array_size(jget(run, "samples.server")), 0, "no samples at 0");
            CHECK_EQ(json_array_size(jget(run, "samples.client")), 0, "no samples at 0");
        } else {
            CHECK(json_array_size(jget(run, "samples.server")) > 0, "server samples");
            CHECK(json_array_size(jget(run, "samples.client")) > 0, "client samples");
        }
    }
    json_decref(r);
    return e2e_failures != 0;
}

/* One side's samples against the bounds of sampler.h, whatever was open:
 * in time order, at most SAMPLE_CONNS listed in each (the server's walk
 * lists exactly min(open, SAMPLE_CONNS)), at most MAX_SAMPLES kept and
 * SAMPLER_MAX_CONN_ENTRIES listed in all. A sample loses its list only
 * once the listed entries would pass that cap. Sets *lists_dropped to the
 * samples that lost their list and *at_sample_cap when MAX_SAMPLES were
 * kept (only then can samples have been dropped). */
static void check_sample_bounds(json_t *run, const char *side, long long connections,
                                size_t *lists_dropped, int *at_sample_cap)
{
    char path[64];
    snprintf(path, sizeof path, "samples.%s", side);
    json_t *samples = jget(run, path), *sample;
    size_t i, entries = 0, most_listed = 0;
    long long last_t = -1;
    int server = strcmp(side, "server") == 0;
    *lists_dropped = 0;
    CHECK(json_array_size(samples) > 0, "%s samples present", side);
    CHECK(json_array_size(samples) <= MAX_SAMPLES, "%s samples bounded", side);
    *at_sample_cap = json_array_size(samples) == MAX_SAMPLES;
    json_array_foreach(samples, i, sample)
    {
        long long t = jint(sample, "t_us");
        CHECK(t >= last_t, "%s sample %zu at %lld before %lld", side, i, t, last_t);
        last_t = t;
        json_t *conns = jget(sample, "conns"), *entry;
        size_t k;
        if (!conns) {
            /* dropped for the cap: a full list would not have fitted */
            CHECK(entries + SAMPLE_CONNS > SAMPLER_MAX_CONN_ENTRIES,
                  "%s sample %zu lost its list with %zu entries listed", side, i, entries);
            (*lists_dropped)++;
            continue;
        }
        size_t listed = json_array_size(conns);
        CHECK(listed <= SAMPLE_CONNS, "%s sample %zu: %zu connections", side, i, listed);
        if (server) {
            long long open = jint(sample, "open");
            CHECK_EQ(listed, open < SAMPLE_CONNS ? open : SAMPLE_CONNS,
                     "server sample lists min(open, SAMPLER_CONNS)");
        }
        if (listed > most_listed)
            most_listed = listed;
        entries += listed;
        json_array_foreach(conns, k, entry)
        {
            long long conn = json_integer_value(json_array_get(entry, 0));
            CHECK(conn >= 0 && conn < connections, "%s sample %zu names conn %lld", side, i, conn);
        }
    }
    CHECK(entries <= SAMPLER_MAX_CONN_ENTRIES, "%s: %zu connection entries", side, entries);
    fprintf(stderr,
            "%s: %zu samples, %zu connection entries, at most %zu in one, %zu lists dropped\n",
            side, json_array_size(samples), entries, most_listed, *lists_dropped);
}

int test_sampling_many_conns(void)
{
    json_t *r = e2e_run_results("sampling-many-conns");
    size_t i;
    json_t *run;
    if (!r)
        return 1;
    /* the caps the results declare are the sampler's */
    CHECK_EQ(jint(r, "sampling_limits.conns_per_sample"), SAMPLE_CONNS, "conns per sample");
    CHECK_EQ(jint(r, "sampling_limits.samples_per_process"), MAX_SAMPLES, "samples per process");
    CHECK_EQ(jint(r, "sampling_limits.conn_entries_per_process"), SAMPLER_MAX_CONN_ENTRIES,
             "connection entries per process");
    json_array_foreach(jget(r, "runs"), i, run)
    {
        long long connections = jint(run, "params.client.connections");
        size_t server_dropped, client_dropped;
        int server_full, client_full;
        CHECK(connections > SAMPLE_CONNS, "the scenario opens more than %d connections",
              SAMPLE_CONNS);
        /* backlog above the connections, accepted at once, held open to
         * the end: every one is open on both sides at once */
        CHECK_EQ(jint(run, "summary.connected"), connections, "connected");
        CHECK_EQ(jint(run, "summary.accepted"), connections, "accepted");
        check_sample_bounds(run, "server", connections, &server_dropped, &server_full);
        check_sample_bounds(run, "client", connections, &client_dropped, &client_full);
        /* the server sampled while all were open: its walk stopped at
         * SAMPLE_CONNS there */
        json_t *sample;
        size_t k;
        int saw_all_open = 0;
        json_array_foreach(jget(run, "samples.server"), k, sample)
        {
            saw_all_open |= jint(sample, "open") == connections;
        }
        CHECK(saw_all_open, "a server sample with all %lld connections open", connections);
        CHECK_EQ(jint(run, "summary.conns_unsampled_max"), connections - SAMPLE_CONNS,
                 "connections open beyond those sampled, at most");
        /* nothing is dropped short of a cap */
        if (!server_full && !client_full)
            CHECK_EQ(jint(run, "summary.samples_dropped"), 0, "samples dropped below the cap");
        else
            CHECK(jint(run, "summary.samples_dropped") > 0, "samples dropped at the cap");
        if (server_dropped + client_dropped == 0)
            CHECK_EQ(jint(run, "summary.conn_samples_dropped"), 0,
                     "connection entries dropped, with every list kept");
        else
            CHECK(jint(run, "summary.conn_samples_dropped") > 0,
                  "connection entries dropped, with %zu lists lost",
                  server_dropped + client_dropped);
    }
    json_decref(r);
    return e2e_failures != 0;
}

/* The most readings of the SYN queue the back-off allows from the first
 * reading to the one at the end, window_us apart, when a reading costs
 * nothing (runner/sockwatch.c): the first is a change, so the next waits
 * one period, each after it twice as long as the last, 250 ms at most; a
 * reading is taken at the tick that is due within half a period, so two
 * lie at least the wait less half a period apart. Each change of the
 * count (changes) starts the doubling again: at most as many readings
 * more as the doubling from the period to 250 ms takes. */
static long long most_quiet_readings(long long period_us, long long window_us, long long changes)
{
    long long n = 1, t = 0, gap = period_us, doubling = 1;
    for (long long g = period_us; g < 250000; g *= 2)
        doubling++;
    while (t + gap - period_us / 2 <= window_us) {
        t += gap - period_us / 2;
        n++;
        gap = 2 * gap < 250000 ? 2 * gap : 250000;
    }
    return n + 1 + changes * doubling; /* and the reading at the end */
}

/* One connection held in the accept queue for 2 s: the SYN queue stays 0
 * once it connected, so harness-run's readings of it back off to at most
 * most_quiet_readings() (13 over the 2 s); without the back-off, one at
 * fifty times a reading's cost gave 19 here. The line still has its first
 * sample and ends at 0. */
int test_sockwatch_quiet(void)
{
    json_t *r = e2e_run_results("sockwatch-quiet");
    if (!r)
        return 1;
    json_t *run = jget(r, "runs.0"), *line = jget(run, "samples.syn_recv");
    size_t rows = json_array_size(line);
    CHECK(rows >= 1, "no samples.syn_recv");
    long long readings = jint(run, "samples.sock_diag_readings");
    long long window_us =
        jint(run, "samples.server_sockets.t_us") - jint(json_array_get(line, 0), "t_us");
    long long most = most_quiet_readings(jint(run, "params.sample_ms") * 1000, window_us,
                                         rows > 0 ? (long long)rows - 1 : 0);
    fprintf(stderr, "%lld readings of the SYN queue over %lld us (%lld us of them), at most %lld\n",
            readings, window_us, jint(run, "samples.sock_diag_us"), most);
    CHECK_EQ(jint(run, "summary.connected"), 1, "connected");
    CHECK(json_is_true(jget(run, "summary.stopped_at_duration")), "held to duration_ms");
    CHECK(window_us >= jint(run, "params.duration_ms") * 1000 - 250000, "the watch lasted %lld us",
          window_us);
    CHECK(readings >= 3, "%lld readings: the watch did not run", readings);
    CHECK(readings <= most, "%lld readings, more than the back-off allows (%lld)", readings, most);
    CHECK_EQ(jint(json_array_get(line, rows - 1), "syn_recv"), 0, "the SYN queue's last sample");
    json_decref(r);
    return e2e_failures != 0;
}
