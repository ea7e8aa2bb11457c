/* test_sampling.c: the queue samples, and what sampling costs. */
#include <stdio.h>
#include <string.h>

#include "e2e.h"

/* Per-sample and per-process bounds (harness/sampler.h). */
#define SAMPLE_CONNS 32
#define MAX_SAMPLES 100000

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

int test_queue_plateau(void)
{
    json_t *r = e2e_run_results("queue-plateau");
    size_t i;
    json_t *run;
    long long first_plateau = -1;
    if (!r)
        return 1;
    json_array_foreach(jget(r, "runs"), i, run)
    {
        long long rcvbuf = jint(run, "effective.rcvbuf"), sndbuf = jint(run, "effective.sndbuf");
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
            fprintf(stderr,
                    "run %zu conn %lld: sent %lld = send queue %lld + receive queue %lld "
                    "(SO_SNDBUF %lld, SO_RCVBUF %lld)\n",
                    i, conn, sent, unsent, unread, sndbuf, rcvbuf);
            /* the queue stopped growing: the plateau, charged against the
             * receiver's buffer at no less than its size */
            CHECK(unread > 0 && unread <= rcvbuf, "receive queue %lld, SO_RCVBUF %lld", unread,
                  rcvbuf);
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
        CHECK_EQ(jint(run, "summary.bytes_sent"), sent, "bytes sent, sampled or not");
        CHECK_EQ(jint(run, "summary.bytes_before_first_block"), before,
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
