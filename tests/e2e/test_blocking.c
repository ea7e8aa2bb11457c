/* test_blocking.c: client.mode "blocking" against the non-blocking sender. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e.h"

int test_blocking_slow_reader(void)
{
    json_t *r = e2e_run_results("blocking-slow");
    long long blocked[2] = {0, 0}, waits[2] = {0, 0};
    size_t i;
    json_t *run;
    if (!r)
        return 1;
    CHECK_EQ(json_array_size(jget(r, "runs")), 2, "runs (one per mode)");
    /* one meaning per field in both modes: the calls before the first that
     * had to wait sent the same; what the kernel took before the first
     * wait is seen by the non-blocking sender only (a blocking send()
     * sleeps inside the call) */
    CHECK_EQ(jint(r, "runs.0.summary.bytes_before_first_blocked_call"),
             jint(r, "runs.1.summary.bytes_before_first_blocked_call"),
             "bytes before the first blocked call, both modes");
    /* the first call that could not take its whole chunk wrote short: the
     * bytes it took count before the first wait, not before the call */
    CHECK(jint(r, "runs.0.summary.bytes_before_first_block") >
              jint(r, "runs.0.summary.bytes_before_first_blocked_call"),
          "non-blocking: the short write's bytes before the first wait");
    json_array_foreach(jget(r, "runs"), i, run)
    {
        const char *mode = json_string_value(jget(run, "params.client.mode"));
        int blocking_mode = strcmp(mode, "blocking") == 0;
        CHECK(json_is_null(jget(run, "summary.bytes_before_first_block")) == blocking_mode,
              "%s: bytes_before_first_block %s", mode, blocking_mode ? "null" : "measured");
        long long sent = jint(run, "summary.bytes_sent"), elapsed = jint(run, "summary.elapsed_us");
        long long capacity = jint(run, "effective.sndbuf") + jint(run, "effective.rcvbuf");
        long long rate = jint(run, "params.server.read.bytes_per_sec");
        CHECK_EQ(sent, 131072, "bytes sent");
        CHECK_EQ(jint(run, "summary.bytes_read"), 131072, "bytes read");
        /* the sender cannot finish before the reader has read all but what
         * the two buffers hold, and until then it can only get ahead by
         * what they hold: it waits for all that time but the few
         * microseconds each send() takes */
        long long must_wait = (sent - capacity) * 1000000 / rate - 200000;
        if (i < 2) {
            blocked[i] = jint(run, "summary.blocked_us");
            waits[i] = jint(run, "summary.blocked_sends");
        }
        fprintf(stderr,
                "%s: blocked %lld us in %lld waits (%zu records) in a run of %lld us; must wait "
                "at least %lld us\n",
                mode, jint(run, "summary.blocked_us"), jint(run, "summary.blocked_sends"),
                json_array_size(jget(run, "blocks")), elapsed, must_wait);
        CHECK(jint(run, "summary.blocked_us") >= must_wait, "%s: blocked %lld us < %lld us", mode,
              jint(run, "summary.blocked_us"), must_wait);
        CHECK(jint(run, "summary.blocked_us") <= elapsed, "%s: blocked longer than the run", mode);
        if (strcmp(mode, "blocking") == 0) {
            json_t *block;
            size_t k;
            long long sum = 0;
            json_array_foreach(jget(run, "blocks"), k, block)
            {
                CHECK(jint(block, "waits") >= 1, "a recorded send() slept");
                CHECK(jint(block, "bytes") > 0 && jint(block, "bytes") <= 16384, "bytes %lld",
                      jint(block, "bytes"));
                sum += jint(block, "waits");
            }
            CHECK_EQ(sum, jint(run, "summary.blocked_sends"), "blocked_sends = the waits");
        }
    }
    /* the two modes agree: the same blocked time to within a tenth of the
     * run, and about as many waits as EAGAINs */
    long long elapsed = jint(r, "runs.0.summary.elapsed_us");
    CHECK(llabs(blocked[0] - blocked[1]) <= elapsed / 10, "blocked %lld us vs %lld us", blocked[0],
          blocked[1]);
    CHECK(llabs(waits[0] - waits[1]) <= 2 + waits[0] / 4, "waits %lld vs EAGAINs %lld", waits[1],
          waits[0]);
    json_decref(r);
    return e2e_failures != 0;
}

int test_blocking_fast_reader(void)
{
    json_t *r = e2e_run_results("blocking-fast");
    size_t i;
    json_t *run;
    if (!r)
        return 1;
    CHECK_EQ(json_array_size(jget(r, "runs")), 2, "runs (nonblocking, blocking)");
    json_array_foreach(jget(r, "runs"), i, run)
    {
        const char *mode = json_string_value(jget(run, "params.client.mode"));
        /* the precondition: everything fits in the send buffer at once */
        CHECK(jint(run, "effective.sndbuf") > 1048576, "%s: SO_SNDBUF %lld", mode,
              jint(run, "effective.sndbuf"));
        CHECK_EQ(jint(run, "summary.bytes_read"), 2 * 1048576, "bytes read");
        CHECK_EQ(jint(run, "summary.blocked_sends"), 0, "blocked sends");
        CHECK_EQ(jint(run, "summary.blocked_us"), 0, "blocked time");
        CHECK_EQ(json_array_size(jget(run, "blocks")), 0, "blocks");
        CHECK(!json_is_true(jget(run, "summary.stopped_at_duration")), "%s ended by itself", mode);
    }
    json_decref(r);
    return e2e_failures != 0;
}
