/* predict.h: what the kernel's rules say a run should measure.
 *
 * Each prediction is computed from the run's own settings (the sysctls read
 * in its namespace, the buffers getsockopt returned), never from numbers
 * remembered from one kernel, so a plot drawn on another kernel or with
 * other sysctls still compares the measurement with the right model. The
 * rules and where they live in the kernel:
 *
 *   handshakes   listen(fd, B) caps B at net.core.somaxconn after casting
 *                it to unsigned (__sys_listen), and the accept queue is
 *                full only when it holds more than that (sk_acceptq_is_full:
 *                ">", not ">="), so min(B, somaxconn) + 1 handshakes
 *                complete while nobody accepts. One exception: before a
 *                SYN gets that far, tcp_conn_request() drops it when the
 *                request queue is full and tcp_syncookies is 0, and
 *                inet_csk_reqsk_queue_is_full() compared with ">=" from
 *                Linux 4.4 (ef547f2ac16b, "tcp: remove max_qlen_log") until
 *                6.13 (3479c7549fb1, "tcp/dccp: allow a connection when
 *                sk_max_ack_backlog is zero"), so with B (as capped) 0 and
 *                no SYN cookies no handshake completes there. The fix went
 *                to the long-term series (5.4, 5.10, 5.15, 6.1, 6.6, 6.12)
 *                in January 2025, so on those either count is the rule.
 *   SYN timers   net/ipv4/tcp_timer.c: an unanswered SYN is retransmitted
 *                when the retransmission timer fires, first after the
 *                initial RTO of 1 s (TCP_TIMEOUT_INIT). Until the SYN has
 *                been retransmitted more than tcp_syn_linear_timeouts times
 *                (6.5+) the RTO stays 1 s, then it doubles (up to
 *                TCP_RTO_MAX, 120 s). Each time the timer fires,
 *                tcp_write_timeout() gives up with ETIMEDOUT instead if the
 *                SYN was retransmitted tcp_syn_retries +
 *                tcp_syn_linear_timeouts times, or if the time since the
 *                first SYN reached the exponential model's timeout for
 *                tcp_syn_retries, (2^(retries+1) - 1) s (tcp_model_timeout).
 *                On 6.x with the defaults (linear 4): retransmits at 1, 2,
 *                3, 4, 5, 7, 11, 19 ... s; ETIMEDOUT at 3 s for
 *                tcp_syn_retries 1, 7 s for 2, 19 s for 3, 131 s for 6.
 *   buffers      a sender whose peer never reads gets rid of at most what
 *                the two sockets hold. The receiver queues no more than its
 *                window let in, and the window never exceeds SO_RCVBUF. The
 *                sender (tcp_sendmsg_locked) starts a new segment only while
 *                its queue is charged below SO_SNDBUF, but keeps filling
 *                the last one up to the size goal, at most half the largest
 *                window the peer advertised (tcp_bound_to_half_wnd), so its
 *                queue may hold up to SO_RCVBUF / 2 more than SO_SNDBUF. In
 *                all: at most SO_SNDBUF + 1.5 x SO_RCVBUF, with both as
 *                getsockopt reports them (already doubled).
 *
 * Timers are not exact: the kernel's timer wheel (kernel/time/timer.c)
 * lets a timer fire late by up to an eighth of its timeout, and a timer
 * armed between two jiffies may fire up to one jiffy (10 ms at HZ=100)
 * early; predict_syn_tolerance() says how far a measured time may be from
 * its prediction for those reasons alone. */
#ifndef HARNESS_PREDICT_H
#define HARNESS_PREDICT_H

#include <stddef.h>
#include <stdint.h>

/* tcp_syn_retries and tcp_syn_linear_timeouts are at most 127 each. */
#define PREDICT_MAX_SYN_RETRANSMITS 256

/* The kernel's initial RTO for a SYN and the RTO's ceiling. */
#define PREDICT_SYN_RTO_US 1000000LL
#define PREDICT_RTO_MAX_US 120000000LL

struct syn_schedule {
    size_t retransmits;                                 /* SYNs sent after the first one */
    int64_t retransmit_us[PREDICT_MAX_SYN_RETRANSMITS]; /* when, since connect() */
    int64_t timeout_us;                                 /* when connect() fails with ETIMEDOUT */
};

/* The schedule of an unanswered connect(). syn_retries 1 ... 127,
 * linear_timeouts 0 ... 127 (0 on kernels without the sysctl). Returns 0,
 * or -EINVAL for values out of range. */
int predict_syn_schedule(int syn_retries, int linear_timeouts, struct syn_schedule *out);

/* Handshakes that complete while nobody accepts: min((unsigned)B,
 * somaxconn) + 1, and never more than the clients that try. */
long long predict_handshakes(long long backlog, long long somaxconn, long long clients);

/* The same with the exception above: tcp_syncookies (1 when unknown) and
 * the kernel release ("6.18.44-...", NULL when unknown). values[0 ..
 * count-1] are the counts the rule allows (two where the release alone
 * cannot tell, a long-term series with or without the backport); rule
 * says which rule applied. */
struct handshake_rule {
    long long values[2];
    int count;
    const char *rule;
};
void predict_handshakes_rule(long long backlog, long long somaxconn, long long clients,
                             long long syncookies, const char *release, struct handshake_rule *out);

/* The datagrams a UDP receive queue holds while nobody reads:
 * __udp_enqueue_schedule_skb() charges each datagram its truesize (the
 * skb's allocation, 2304 bytes for 1000 bytes of payload on loopback) to
 * sk_rmem_alloc and drops it (Udp RcvbufErrors, InErrors) when the charge
 * would exceed sk_rcvbuf (SO_RCVBUF as getsockopt reports it, doubled),
 * unless the queue is empty: floor(rcvbuf / truesize), at least 1. Older
 * kernels (before 6.15) let one more in: values[1]. */
void predict_udp_held(long long rcvbuf, long long truesize, const char *release,
                      struct handshake_rule *out);

/* The bytes a sender can hand to the kernel while the peer never reads, at
 * most: sndbuf + rcvbuf + rcvbuf / 2, the buffers as getsockopt reports
 * them. */
long long predict_buffer_capacity(long long sndbuf, long long rcvbuf);

/* How late a harness timer may fire, or a sender come back to its loop, on
 * a busy machine. */
#define PREDICT_TIMER_LATE_US 50000

/* Whether a paced reader (read_rate bytes/s; 0: not paced) frees the
 * sender's send buffer (sndbuf bytes, as getsockopt reports it) in less
 * than PREDICT_TIMER_LATE_US, while more than a buffer is sent over an
 * unshaped link (link_rate_mbit 0): then each wait for room lasts a few
 * ms, and whether a send() finds room or must wait is decided by how
 * promptly the sender comes back (blocking-vs-nonblocking at 4 MiB/s: 4 or
 * 5 blocked sends, running alone). The time to free it in *drain_us. */
int predict_short_waits(uint64_t sndbuf, uint64_t read_rate, uint64_t send_bytes,
                        uint64_t link_rate_mbit, uint64_t *drain_us);

/* How far a time measured from connect() may lie from a timer-driven
 * prediction at_us, for the timers' own reasons: early by one jiffy at
 * most, late by an eighth of the time plus the jiffy, plus the few
 * milliseconds a busy event loop takes to notice. */
struct tolerance {
    int64_t early_us, late_us;
};
struct tolerance predict_syn_tolerance(int64_t at_us);

/* The predicted time a connect() that waited latency_us matches: a
 * retransmit time (it connected then) or, with timed_out set, the
 * ETIMEDOUT time. Returns 1 and the time in *predicted_us when latency_us
 * is within tolerance of it; 0 with the nearest candidate otherwise. */
int predict_syn_match(const struct syn_schedule *schedule, int64_t latency_us, int timed_out,
                      int64_t *predicted_us);

/* Arrivals at a constant rate against a queue that holds `capacity`
 * (min(B, somaxconn) + 1) and a server that accepts one connection every
 * every_us from start_us (every_us 0: never; start_us -1: at once, no
 * queue): how many of the connections find the queue full at their first
 * SYN and wait for a retransmit. Arrival k comes at k / rate; an accept
 * takes one queued connection if there is one. The retransmits, a second
 * later, are not counted again. */
long long predict_arrivals_waited(long long connections, long long rate_per_sec, long long capacity,
                                  int64_t start_us, int64_t every_us);

#endif
