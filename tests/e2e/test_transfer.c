/* test_transfer.c: socket buffers and blocked sends, through harness-run. */
#include <stdio.h>
#include <string.h>

#include "e2e.h"

int test_buffers_doubled(void)
{
    json_t *r = e2e_run_results("buffers-doubled");
    size_t i;
    json_t *run;
    if (!r)
        return 1;
    CHECK_EQ(json_array_size(jget(r, "runs")), 6, "runs (3 x 2 points)");
    json_array_foreach(jget(r, "runs"), i, run)
    {
        long long sndbuf = 2 * jint(run, "params.client.sndbuf");
        long long rcvbuf = 2 * jint(run, "params.server.rcvbuf");
        CHECK_EQ(jint(run, "effective.sndbuf"), sndbuf, "SO_SNDBUF read back");
        CHECK_EQ(jint(run, "effective.rcvbuf"), rcvbuf, "SO_RCVBUF read back");
        /* and on every connection, not the first one alone: set, a buffer
         * is never autotuned */
        CHECK_EQ(jint(run, "effective.buffers.sndbuf_at_connect.0"), sndbuf, "smallest SO_SNDBUF");
        CHECK_EQ(jint(run, "effective.buffers.sndbuf_at_connect.1"), sndbuf, "largest SO_SNDBUF");
        CHECK_EQ(jint(run, "effective.buffers.rcvbuf_at_accept.0"), rcvbuf, "smallest SO_RCVBUF");
        CHECK_EQ(jint(run, "effective.buffers.rcvbuf_at_accept.1"), rcvbuf, "largest SO_RCVBUF");
        CHECK_EQ(jint(run, "summary.bytes_read"), 65536, "bytes read");
    }
    json_decref(r);
    return e2e_failures != 0;
}

int test_never_read(void)
{
    json_t *r = e2e_run_results("never-read");
    size_t i;
    json_t *run;
    long long first_sent[2] = {-1, -1}, first_before[2] = {-1, -1};
    if (!r)
        return 1;
    CHECK_EQ(json_array_size(jget(r, "runs")), 6, "runs (2 points x 3 repeats)");
    json_array_foreach(jget(r, "runs"), i, run)
    {
        long long point = jint(run, "point");
        long long sent = jint(run, "summary.bytes_sent");
        long long before = jint(run, "summary.bytes_before_first_block");
        long long room = jint(run, "effective.sndbuf") + jint(run, "effective.rcvbuf");
        CHECK(jint(run, "summary.blocked_sends") >= 1, "blocked_sends %lld",
              jint(run, "summary.blocked_sends"));
        CHECK_EQ(jint(run, "summary.bytes_read"), 0, "bytes read");
        CHECK(sent > 0 && sent < 1048576, "bytes sent %lld", sent);
        /* queued bytes are charged at least their size on both sides, so
         * no more than the two buffers can hold was taken */
        CHECK(sent <= room, "sent %lld > sndbuf + rcvbuf %lld", sent, room);
        CHECK(before > 0 && before <= sent, "bytes before first block %lld", before);
        CHECK(jint(run, "summary.blocked_us") > 0, "blocked_us");
        /* the block lasted to the end of the run */
        json_t *blocks = jget(run, "blocks");
        json_t *last = json_array_get(blocks, json_array_size(blocks) - 1);
        CHECK(last && strcmp(json_string_value(jget(last, "ended_by")), "run_end") == 0,
              "the last block lasts to the run's end");
        /* Repeats agree within one send() chunk. On an idle machine they
         * agree to the byte, but the kernel checks the send buffer's limit
         * only between segments, so where the send() that reaches it stops
         * inside its chunk depends on the pages backing the queue (CI saw
         * 100352 against 98304 with 64 KiB sndbuf). */
        if (point >= 0 && point < 2) {
            long long chunk = jint(run, "params.client.send.chunk");
            if (first_sent[point] < 0) {
                first_sent[point] = sent;
                first_before[point] = before;
            }
            if (sent != first_sent[point] || before != first_before[point])
                fprintf(stderr, "point %lld: %lld / %lld, first repeat %lld / %lld\n", point,
                        before, sent, first_before[point], first_sent[point]);
            CHECK_NEAR(sent, first_sent[point], chunk, "bytes sent, against the first repeat");
            CHECK_NEAR(before, first_before[point], chunk,
                       "bytes before the first block, against the first repeat");
        }
    }
    /* the design's figure for 4 KiB buffers and 16 KiB sends: 6 KiB taken
     * before the first EAGAIN, 12 KiB in all once the window is full */
    fprintf(stderr, "4 KiB buffers: %lld before the first EAGAIN, %lld in all\n", first_before[0],
            first_sent[0]);
    CHECK_EQ(first_before[0], 6144, "4 KiB buffers: bytes before the first EAGAIN (design)");
    CHECK_EQ(first_sent[0], 12288, "4 KiB buffers: bytes sent in all (design)");
    json_decref(r);
    return e2e_failures != 0;
}

int test_send_retry(void)
{
    json_t *r = e2e_run_results("send-retry");
    if (!r)
        return 1;
    long long poll_sent = jint(r, "runs.0.summary.bytes_sent");
    long long retry_sent = jint(r, "runs.1.summary.bytes_sent");
    fprintf(stderr,
            "default buffers: first EAGAIN at %lld; in all %lld waiting for poll, %lld "
            "retrying\n",
            jint(r, "runs.0.summary.bytes_before_first_block"), poll_sent, retry_sent);
    /* The same within the send() that reached the limit (test_never_read)
     * and the receiver's buffer: the first EAGAIN comes when the send
     * queue is full, and what the receiver has acknowledged has left that
     * queue; how much of it had been acknowledged by then depends on when
     * the ACKs were processed (CI under load: 3994624 against 3940352). */
    CHECK_NEAR(jint(r, "runs.1.summary.bytes_before_first_block"),
               jint(r, "runs.0.summary.bytes_before_first_block"),
               jint(r, "runs.0.params.client.send.chunk") + jint(r, "runs.0.effective.rcvbuf"),
               "first EAGAIN, retrying or not");
    CHECK(retry_sent >= poll_sent, "retrying took %lld < %lld", retry_sent, poll_sent);
    for (int i = 0; i < 2; i++) {
        char path[64];
        snprintf(path, sizeof path, "runs.%d", i);
        json_t *run = jget(r, path);
        long long room = jint(run, "effective.sndbuf_max") + jint(run, "effective.rcvbuf");
        CHECK(jint(run, "summary.bytes_sent") <= room, "sent %lld > sndbuf_max + rcvbuf %lld",
              jint(run, "summary.bytes_sent"), room);
        CHECK_EQ(jint(run, "summary.bytes_read"), 0, "bytes read");
    }
    json_decref(r);
    return e2e_failures != 0;
}

int test_fast_reader(void)
{
    json_t *r = e2e_run_results("fast-reader");
    size_t i;
    json_t *c;
    if (!r)
        return 1;
    CHECK_EQ(jint(r, "runs.0.summary.bytes_sent"), 4LL * 4194304, "bytes sent");
    CHECK_EQ(jint(r, "runs.0.summary.bytes_read"), 4LL * 4194304, "bytes read");
    CHECK_EQ(jint(r, "runs.0.summary.accepted"), 4, "accepted");
    CHECK(!json_is_true(jget(r, "runs.0.summary.stopped_at_duration")), "ended by itself");
    json_array_foreach(jget(r, "runs.0.connections"), i, c)
    {
        CHECK_EQ(jint(c, "bytes_read"), jint(c, "bytes_sent"), "per connection read == sent");
    }
    json_decref(r);
    return e2e_failures != 0;
}

int test_course_note(void)
{
    json_t *r = e2e_run_results("course-note");
    size_t i;
    json_t *c;
    if (!r)
        return 1;
    CHECK_EQ(jint(r, "runs.0.summary.connected"), 5, "connected");
    CHECK_EQ(jint(r, "runs.0.summary.accepted"), 5, "accepted");
    CHECK_EQ(jint(r, "runs.0.summary.bytes_read"), 5 * 18, "request bytes read");
    json_array_foreach(jget(r, "runs.0.connections"), i, c)
    {
        CHECK_EQ(jint(c, "bytes_received"), 6, "reply \"Hello!\" received");
        CHECK(json_is_true(jget(c, "peer_closed")), "the server closed after replying");
    }
    json_decref(r);
    return e2e_failures != 0;
}

/* recv() returns what has arrived, up to the size asked, and waits for
 * nothing more: sends 50 ms apart come back one per read (a reader kept
 * from running for 50 ms would join two); what is queued when the reader
 * starts comes back in one read, whichever send() calls it came from. */
int test_recv_sizes(void)
{
    json_t *r = e2e_run_results("recv-sizes");
    size_t i;
    json_t *run;
    if (!r)
        return 1;
    CHECK_EQ(json_array_size(jget(r, "runs")), 4, "runs (2 modes x 2 reader starts)");
    json_array_foreach(jget(r, "runs"), i, run)
    {
        int late = jint(run, "params.server.read.start_ms") > 0;
        long long reads = late ? 1 : 10, size = late ? 1000 : 100;
        CHECK_EQ(jint(run, "summary.bytes_read"), 1000, "bytes read");
        CHECK_EQ(jint(run, "summary.reads"), reads,
                 late ? "reads, reader late" : "reads, reader at once");
        CHECK_EQ(jint(run, "summary.read_sizes.reads"), reads, "the histogram's reads");
        CHECK_EQ(jint(run, "summary.read_sizes.smallest"), size, "smallest read");
        CHECK_EQ(jint(run, "summary.read_sizes.largest"), size, "largest read");
        CHECK_EQ(json_array_size(jget(run, "summary.read_sizes.buckets")), 1, "one bucket");
        CHECK_EQ(jint(run, "connections.0.reads"), reads, "the connection's reads");
        CHECK_EQ(jint(run, "connections.0.read_max"), size, "the connection's largest read");
    }
    json_decref(r);
    return e2e_failures != 0;
}
