/* test_udp.c: protocol "udp": a receiver that never reads keeps what its
 * buffer holds and the kernel drops and counts the rest; one whose buffer
 * holds everything loses nothing. */
#include <stdio.h>
#include <string.h>

#include "e2e.h"

/* What every UDP run must say, whatever its reader: the client's
 * datagrams all went (loopback: send() has nowhere to wait), each seen
 * once by the server or dropped by the kernel, and the two counts of the
 * drops, by sequence number and by the namespace's Udp counters, agree. */
static void check_accounting(json_t *run, long long datagrams)
{
    CHECK_EQ(jint(run, "summary.udp.datagrams"), datagrams, "datagrams to send");
    CHECK_EQ(jint(run, "summary.udp.sent") + jint(run, "summary.udp.unsent"), datagrams,
             "sent + unsent");
    CHECK_EQ(jint(run, "summary.udp.send_errors"), 0, "send errors");
    long long sent = jint(run, "summary.udp.sent");
    CHECK_EQ(jint(run, "summary.udp.kernel.OutDatagrams"), sent, "UdpOutDatagrams = sent");
    /* counted independently: the server's record of sequence numbers and
     * the kernel's per-namespace counters */
    CHECK_EQ(jint(run, "summary.udp.kernel.RcvbufErrors"), jint(run, "summary.udp.lost"),
             "UdpRcvbufErrors = lost by sequence number");
    CHECK_EQ(jint(run, "summary.udp.kernel.InErrors"), jint(run, "summary.udp.lost"),
             "UdpInErrors = lost");
    CHECK_EQ(jint(run, "summary.udp.kernel.InDatagrams"), jint(run, "summary.udp.delivered"),
             "UdpInDatagrams (counted at recvmsg) = every sequence number read");
    CHECK_EQ(jint(run, "summary.udp.delivered") + jint(run, "summary.udp.lost"), sent,
             "delivered + lost = sent");
    CHECK_EQ(jint(run, "summary.udp.received") + jint(run, "summary.udp.queued_at_end"),
             jint(run, "summary.udp.delivered"), "read during the run + queued at the end");
    CHECK_EQ(jint(run, "summary.udp.duplicates"), 0, "duplicates");
    CHECK_EQ(jint(run, "summary.udp.strays"), 0, "strays");
    /* a drop is the kernel doing its work, not bytes gone missing: the
     * TCP byte check does not apply to datagrams */
    size_t k;
    json_t *check;
    json_array_foreach(jget(run, "checks"), k, check)
    {
        const char *result = json_string_value(json_object_get(check, "result"));
        CHECK(result && strcmp(result, "failed") != 0, "check %s failed",
              json_string_value(json_object_get(check, "name")));
    }
}

int test_udp_never_read(void)
{
    json_t *r = e2e_run_results("udp-never-read"), *run;
    size_t i;
    if (!r)
        return 1;
    CHECK_EQ(json_array_size(jget(r, "runs")), 3, "runs (one per rcvbuf)");
    json_array_foreach(jget(r, "runs"), i, run)
    {
        check_accounting(run, 2000);
        long long queued = jint(run, "summary.udp.queued_at_end");
        long long rmem = jint(run, "summary.udp.rmem_alloc_at_end");
        long long rcvbuf = jint(run, "effective.rcvbuf");
        CHECK_EQ(rcvbuf, 2 * jint(run, "params.server.rcvbuf"), "SO_RCVBUF doubled");
        CHECK_EQ(jint(run, "summary.udp.received"), 0, "never read during the run");
        CHECK(queued >= 1, "the queue holds at least one datagram (%lld)", queued);
        /* every datagram of one length is charged the same truesize */
        CHECK(queued > 0 && rmem % queued == 0, "charge %lld over %lld datagrams", rmem, queued);
        long long truesize = queued > 0 ? rmem / queued : 0;
        /* at least the payload; at most the allocation of payload and
         * headers rounded up to a power of two, plus struct sk_buff and
         * skb_shared_info (under 1 KiB) */
        CHECK(truesize >= 1000 && truesize <= 2 * (1000 + 28 + 128) + 1024,
              "truesize %lld within what the allocation allows", truesize);
        CHECK(rmem <= rcvbuf, "charge %lld within SO_RCVBUF %lld", rmem, rcvbuf);
        /* the rule: full once another datagram would take the charge
         * beyond SO_RCVBUF; kernels before 6.15 let one more in */
        long long fits = rcvbuf / truesize > 1 ? rcvbuf / truesize : 1;
        CHECK(queued == fits || queued == fits + 1, "queued %lld, floor(%lld / %lld) = %lld",
              queued, rcvbuf, truesize, fits);
        CHECK(jint(run, "summary.udp.lost") > 0, "the rest lost");
    }
    json_t *point;
    json_array_foreach(jget(r, "point_summaries"), i, point)
    {
        CHECK(json_object_get(jget(point, "predictions"), "udp.queued_at_end") != NULL,
              "point %zu predicts the queue", i);
        CHECK_EQ(json_array_size(jget(point, "flags")), 0, "flags");
    }
    json_decref(r);
    return e2e_failures != 0;
}

int test_udp_fast_reader(void)
{
    json_t *r = e2e_run_results("udp-fast-reader"), *run;
    if (!r)
        return 1;
    run = jget(r, "runs.0");
    check_accounting(run, 2000);
    /* 2000 x the largest truesize the allocation allows fit in the buffer:
     * nothing can be dropped, even if the reader never ran */
    CHECK(2000LL * (2 * (1000 + 28 + 128) + 1024) <= jint(run, "effective.rcvbuf"),
          "the buffer holds every datagram");
    CHECK_EQ(jint(run, "summary.udp.lost"), 0, "lost");
    CHECK_EQ(jint(run, "summary.udp.received"), 2000, "read during the run");
    CHECK_EQ(jint(run, "summary.bytes_read"), 2000000, "bytes read");
    CHECK(!json_is_true(jget(run, "summary.stopped_at_duration")), "ended by itself");
    json_decref(r);
    return e2e_failures != 0;
}

/* A paced sender against a paced reader: 60 datagrams of 1000 bytes, the
 * reader taking one per 25 ms (40 a second) from a buffer of 32 KiB. */
int test_udp_paced(void)
{
    json_t *r = e2e_run_results("udp-paced"), *run;
    size_t i;
    if (!r)
        return 1;
    CHECK_EQ(json_array_size(jget(r, "runs")), 2, "runs (unpaced, paced)");
    json_array_foreach(jget(r, "runs"), i, run)
    {
        long long pause_ms = jint(run, "params.client.send.pause_ms");
        check_accounting(run, 60);
        CHECK_EQ(jint(run, "summary.udp.sent"), 60, "every datagram sent");
        CHECK(!json_is_true(jget(run, "summary.stopped_at_duration")),
              "ended by itself (pause %lld)", pause_ms);
        /* the buffer holds several datagrams: at least 9 even at the
         * largest truesize the allocation allows */
        CHECK(jint(run, "effective.rcvbuf") >= 9LL * (2 * (1000 + 28 + 128) + 1024),
              "SO_RCVBUF %lld holds several datagrams", jint(run, "effective.rcvbuf"));
        if (pause_ms == 0) {
            /* all 60 leave in one turn of the sender's loop; the buffer
             * keeps at most floor(32768 / 1000) + 1 of them (a truesize is
             * at least the payload), and the reader takes one per 25 ms:
             * to lose none it would have to read the other 27 while the
             * burst lasts */
            CHECK(jint(run, "summary.udp.lost") > 0, "unpaced: some lost (%lld)",
                  jint(run, "summary.udp.lost"));
        } else {
            CHECK_EQ(pause_ms, 50, "the paced point's pause");
            /* at most 20 a second against a reader of 40: the queue holds
             * more than 9, which only a reader kept from running for
             * 9 x 50 ms could let fill */
            CHECK_EQ(jint(run, "summary.udp.lost"), 0, "paced: nothing lost");
            CHECK_EQ(jint(run, "summary.udp.received"), 60, "paced: every datagram read");
            /* 59 pauses of 50 ms (libuv's timers may fire up to a
             * millisecond early by its cached clock) */
            CHECK(jint(run, "summary.elapsed_us") >= 59LL * 49000, "paced: lasted %lld us",
                  jint(run, "summary.elapsed_us"));
        }
    }
    json_decref(r);
    return e2e_failures != 0;
}
