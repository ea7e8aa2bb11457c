/* predict.c: see predict.h. */
#include "predict.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* One jiffy at the slowest common HZ (100), and the time an event loop on
 * a busy machine may take to notice that a socket connected. */
#define JIFFY_US 10000
#define NOTICE_US 20000

/* tcp_model_timeout(): the time the exponential schedule would take to
 * send `boundary` retransmits and wait for the last one, with a 1 s base;
 * beyond the doubling that reaches TCP_RTO_MAX it grows linearly. */
static int64_t model_timeout_us(int boundary)
{
    int threshold = 0; /* ilog2(TCP_RTO_MAX / rto_base) = ilog2(120) = 6 */
    while ((PREDICT_SYN_RTO_US << (threshold + 1)) <= PREDICT_RTO_MAX_US)
        threshold++;
    if (boundary <= threshold)
        return ((2LL << boundary) - 1) * PREDICT_SYN_RTO_US;
    return ((2LL << threshold) - 1) * PREDICT_SYN_RTO_US +
           (int64_t)(boundary - threshold) * PREDICT_RTO_MAX_US;
}

int predict_syn_schedule(int syn_retries, int linear_timeouts, struct syn_schedule *out)
{
    memset(out, 0, sizeof *out);
    if (syn_retries < 1 || syn_retries > 127 || linear_timeouts < 0 || linear_timeouts > 127)
        return -EINVAL;
    int64_t model = model_timeout_us(syn_retries);
    int max_retransmits = syn_retries + linear_timeouts;
    int64_t rto = PREDICT_SYN_RTO_US, now = 0;
    for (;;) {
        now += rto; /* the retransmission timer fires */
        size_t done = out->retransmits;
        /* tcp_write_timeout(): by count, then by time (only once the SYN
         * was retransmitted at least once: retransmits_timed_out()) */
        if ((int)done >= max_retransmits || (done > 0 && now >= model)) {
            out->timeout_us = now;
            return 0;
        }
        out->retransmit_us[out->retransmits++] = now;
        /* tcp_retransmit_timer(): the backoff counts this retransmit; the
         * RTO doubles only once it exceeds tcp_syn_linear_timeouts */
        if ((int)out->retransmits > linear_timeouts)
            rto = rto * 2 < PREDICT_RTO_MAX_US ? rto * 2 : PREDICT_RTO_MAX_US;
    }
}

long long predict_handshakes(long long backlog, long long somaxconn, long long clients)
{
    /* __sys_listen(): backlog = min((unsigned int)backlog, somaxconn) */
    unsigned long long b = (unsigned int)backlog;
    unsigned long long cap = somaxconn > 0 ? (unsigned long long)somaxconn : 0;
    long long queue = (long long)(b < cap ? b : cap) + 1;
    return clients < queue ? clients : queue;
}

/* major * 1000 + minor of a release "6.18.44-...", or -1 */
static long release_version(const char *release)
{
    int major, minor;
    if (!release || sscanf(release, "%d.%d", &major, &minor) != 2)
        return -1;
    return major * 1000L + minor;
}

void predict_handshakes_rule(long long backlog, long long somaxconn, long long clients,
                             long long syncookies, const char *release, struct handshake_rule *out)
{
    static const long long_term[] = {5004, 5010, 5015, 6001, 6006, 6012};
    long long usual = predict_handshakes(backlog, somaxconn, clients);
    long version = release_version(release);
    out->count = 1;
    out->values[0] = usual;
    out->rule = "min(B, somaxconn) + 1, B read as unsigned";
    /* the request queue's limit is the capped backlog too */
    if (syncookies != 0 || usual != 1 || clients < 1 || version < 4004 || version >= 6013)
        return;
    out->values[0] = 0;
    out->rule = "0: with B (capped) 0 and tcp_syncookies 0, Linux 4.4 to 6.12 drop every "
                "SYN (inet_csk_reqsk_queue_is_full, \">=\")";
    for (size_t i = 0; i < sizeof long_term / sizeof long_term[0]; i++)
        if (version == long_term[i]) {
            out->count = 2;
            out->values[1] = 1;
            out->rule = "0 or 1: with B (capped) 0 and tcp_syncookies 0, this long-term series "
                        "drops every SYN until its January 2025 update (3479c7549fb1) lets one "
                        "handshake through";
        }
}

void predict_udp_held(long long rcvbuf, long long truesize, const char *release,
                      struct handshake_rule *out)
{
    long long fits = truesize > 0 ? rcvbuf / truesize : 0;
    out->count = 1;
    out->values[0] = fits > 1 ? fits : 1;
    out->rule = "floor(SO_RCVBUF / truesize), at least 1: a datagram is dropped when its "
                "truesize would take the queue's charge beyond SO_RCVBUF, unless the queue is "
                "empty";
    if (release_version(release) >= 6015)
        return;
    /* before 5a465a0da13e (6.15) the check came before the charge: one
     * more datagram got in while the charge was at most SO_RCVBUF */
    out->count = 2;
    out->values[1] = fits + 1;
    out->rule = "floor(SO_RCVBUF / truesize), or one more on kernels before 6.15, whose "
                "check let a datagram in while the queue's charge was at most SO_RCVBUF";
}

long long predict_buffer_capacity(long long sndbuf, long long rcvbuf)
{
    return sndbuf + rcvbuf + rcvbuf / 2;
}

int predict_short_waits(uint64_t sndbuf, uint64_t read_rate, uint64_t send_bytes,
                        uint64_t link_rate_mbit, uint64_t *drain_us)
{
    if (read_rate == 0 || sndbuf == 0 || send_bytes <= sndbuf || link_rate_mbit > 0)
        return 0;
    *drain_us = sndbuf * 1000000 / read_rate;
    return *drain_us < PREDICT_TIMER_LATE_US;
}

struct tolerance predict_syn_tolerance(int64_t at_us)
{
    struct tolerance t = {JIFFY_US, at_us / 8 + JIFFY_US + NOTICE_US};
    return t;
}

static int64_t distance(int64_t a, int64_t b)
{
    return a > b ? a - b : b - a;
}

static int within(int64_t latency_us, int64_t at_us)
{
    struct tolerance t = predict_syn_tolerance(at_us);
    return latency_us >= at_us - t.early_us && latency_us <= at_us + t.late_us;
}

int predict_syn_match(const struct syn_schedule *s, int64_t latency_us, int timed_out,
                      int64_t *predicted_us)
{
    if (timed_out) {
        *predicted_us = s->timeout_us;
        return within(latency_us, s->timeout_us);
    }
    int64_t best = s->retransmits ? s->retransmit_us[0] : s->timeout_us;
    for (size_t i = 0; i < s->retransmits; i++) {
        if (within(latency_us, s->retransmit_us[i])) {
            *predicted_us = s->retransmit_us[i];
            return 1;
        }
        if (distance(latency_us, s->retransmit_us[i]) < distance(latency_us, best))
            best = s->retransmit_us[i];
    }
    *predicted_us = best;
    return 0;
}

long long predict_arrivals_waited(long long connections, long long rate_per_sec, long long capacity,
                                  int64_t start_us, int64_t every_us)
{
    long long queue = 0, waited = 0;
    int64_t next_accept = start_us;
    if (start_us < 0 || rate_per_sec <= 0)
        return 0;
    for (long long k = 0; k < connections; k++) {
        int64_t at = k * 1000000 / rate_per_sec;
        while (every_us > 0 && next_accept <= at) {
            if (queue > 0)
                queue--;
            next_accept += every_us;
        }
        if (queue < capacity)
            queue++;
        else
            waited++;
    }
    return waited;
}
