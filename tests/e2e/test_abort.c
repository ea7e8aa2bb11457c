/* test_abort.c: the design's tcp_abort_on_overflow row. The sysctl acts
 * only when a final ACK finds the accept queue full; a SYN that finds it
 * full is dropped whatever the sysctl says. On loopback every handshake
 * completes before the next SYN arrives, so only SYNs are ever dropped; a
 * slow veth link queues the SYNs, every one finds room, and the final ACKs
 * arrive when the queue is already full. */
#include <stdio.h>
#include <string.h>

#include "e2e.h"

/* Every connection that saw ECONNRESET; -1 if a reset one says otherwise. */
static long long reset_connections(json_t *run)
{
    long long resets = 0;
    size_t i;
    json_t *c;
    json_array_foreach(jget(run, "connections"), i, c)
    {
        if (!json_is_true(json_object_get(c, "reset")))
            continue;
        const char *error = json_string_value(json_object_get(c, "error"));
        if (!error || strcmp(error, "ECONNRESET") != 0)
            return -1;
        resets++;
    }
    return resets;
}

int test_abort_on_overflow(void)
{
    json_t *r = e2e_run_results("veth-abort-on-overflow");
    size_t i;
    json_t *run;
    if (!r)
        return 1;
    if (e2e_results_skipped(r)) {
        json_decref(r);
        return E2E_SKIP;
    }
    CHECK_EQ(json_array_size(jget(r, "runs")), 4, "runs");
    json_array_foreach(jget(r, "runs"), i, run)
    {
        long long rate = jint(run, "params.link.rate_mbit");
        long long abort_on_overflow = jint(run, "effective.sysctls.net.ipv4.tcp_abort_on_overflow");
        long long connected = jint(run, "summary.connected");
        long long queue = jint(run, "summary.queue_at_end");
        long long reset = jint(run, "summary.reset");
        long long overflows = jint(run, "summary.kernel_server.ListenOverflows");
        fprintf(stderr,
                "rate %lld Mbit/s, abort_on_overflow %lld: connected %lld, queue %lld, reset "
                "%lld, ListenOverflows %lld\n",
                rate, abort_on_overflow, connected, queue, reset, overflows);
        CHECK_EQ(abort_on_overflow, jint(run, "sweep.sysctls.net.ipv4.tcp_abort_on_overflow"),
                 "the sysctl in force in the server's namespace");
        CHECK_EQ(queue, 17, "the server's queue holds B + 1");
        CHECK_EQ(reset_connections(run), reset, "each reset connection saw ECONNRESET");
        if (rate == 0) {
            /* SYNs dropped: the same as without the sysctl */
            CHECK_EQ(connected, 17, "unlimited: B + 1 connect");
            CHECK_EQ(jint(run, "summary.timed_out"), 9, "unlimited: the rest time out");
            CHECK_EQ(reset, 0, "unlimited: nothing reset");
        } else if (abort_on_overflow == 0) {
            CHECK(connected > queue, "1 Mbit/s: more connect than the queue holds: %lld",
                  connected);
            CHECK_EQ(reset, 0, "1 Mbit/s, 0: the final ACKs beyond the queue dropped, no RST");
            CHECK(overflows >= connected - queue, "1 Mbit/s, 0: ListenOverflows %lld", overflows);
            /* their final ACKs dropped, the request sockets stay in
             * SYN_RECV (SYN-ACKs retransmitted for tcp_synack_retries,
             * seconds): sock_diag sees them beside the full queue */
            CHECK_EQ(jint(run, "samples.server_sockets.syn_recv"), connected - queue,
                     "1 Mbit/s, 0: request sockets in SYN_RECV at the end");
            CHECK_EQ(jint(run, "samples.server_sockets.queued"), queue,
                     "1 Mbit/s, 0: children in the accept queue at the end");
        } else {
            CHECK(connected > queue, "1 Mbit/s: more connect than the queue holds: %lld",
                  connected);
            CHECK_EQ(reset, connected - queue,
                     "1 Mbit/s, 1: every client beyond the queue reset, and only those");
            /* ListenOverflows also counts each SYN dropped at the full
             * queue: a client whose SYN came after the queue filled is
             * not answered (the burst's timing decides whether any is) */
            long long unanswered = jint(run, "params.client.connections") - connected;
            CHECK(overflows >= reset + unanswered && (unanswered > 0 || overflows == reset),
                  "1 Mbit/s, 1: one overflow per RST and one per SYN dropped at the full "
                  "queue (%lld clients unanswered): ListenOverflows %lld, reset %lld",
                  unanswered, overflows, reset);
        }
    }
    json_decref(r);
    return e2e_failures != 0;
}
