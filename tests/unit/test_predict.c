/* test_predict.c: the kernel models of predict.h, against the schedules
 * the design measured on Linux 6.x and the classic ones. */
#include "check.h"
#include "predict.h"

#define S 1000000LL

static void check_schedule(int retries, int linear, const long long *seconds, size_t count,
                           long long timeout_s)
{
    struct syn_schedule s;
    CHECK_INT(predict_syn_schedule(retries, linear, &s), 0);
    CHECK_INT(s.retransmits, count);
    for (size_t i = 0; i < count && i < s.retransmits; i++)
        CHECK_INT(s.retransmit_us[i], seconds[i] * S);
    CHECK_INT(s.timeout_us, timeout_s * S);
}

static void test_linear_timeouts(void)
{
    /* 6.5+, tcp_syn_linear_timeouts = 4: 1, 2, 3, 4, 5, 7, 11 ... s */
    static const long long one[] = {1, 2};
    static const long long two[] = {1, 2, 3, 4, 5};
    static const long long three[] = {1, 2, 3, 4, 5, 7, 11};
    static const long long six[] = {1, 2, 3, 4, 5, 7, 11, 19, 35, 67};
    /* the design's ETIMEDOUT times (3.1 s, 7.1 s, 19.5 s, 134 s measured,
     * late by the timers' slack) */
    check_schedule(1, 4, one, 2, 3);
    check_schedule(2, 4, two, 5, 7);
    check_schedule(3, 4, three, 7, 19);
    check_schedule(6, 4, six, 10, 131);
}

static void test_exponential(void)
{
    /* before 6.5 (no linear timeouts): 1, 3, 7, 15 ... s, and the classic
     * 127 s for the default tcp_syn_retries = 6 */
    static const long long six[] = {1, 3, 7, 15, 31, 63};
    static const long long one[] = {1};
    check_schedule(6, 0, six, 6, 127);
    check_schedule(1, 0, one, 1, 3);
}

static void test_rto_max(void)
{
    /* the RTO stops doubling at 120 s; the model timeout grows by 120 s per
     * retry beyond the seventh */
    struct syn_schedule s;
    CHECK_INT(predict_syn_schedule(10, 0, &s), 0);
    CHECK_INT(s.retransmits, 10);
    CHECK_INT(s.retransmit_us[6], 127 * S);
    CHECK_INT(s.retransmit_us[7], 247 * S);
    CHECK_INT(s.retransmit_us[9], 487 * S);
    CHECK_INT(s.timeout_us, 607 * S);
    CHECK_INT(predict_syn_schedule(0, 4, &s), -22);
    CHECK_INT(predict_syn_schedule(128, 4, &s), -22);
    CHECK_INT(predict_syn_schedule(1, -1, &s), -22);
    CHECK_INT(predict_syn_schedule(127, 127, &s), 0);
    CHECK(s.retransmits <= PREDICT_MAX_SYN_RETRANSMITS);
}

static void test_match(void)
{
    struct syn_schedule s;
    int64_t at = 0;
    predict_syn_schedule(3, 4, &s);
    /* the design's slow acceptor: connected at 1.02 s, the first retransmit */
    CHECK_INT(predict_syn_match(&s, 1020000, 0, &at), 1);
    CHECK_INT(at, 1 * S);
    CHECK_INT(predict_syn_match(&s, 7100000, 0, &at), 1);
    CHECK_INT(at, 7 * S);
    /* 1.5 s is no retransmit time: the nearest is reported */
    CHECK_INT(predict_syn_match(&s, 1500000, 0, &at), 0);
    CHECK_INT(at, 1 * S);
    CHECK_INT(predict_syn_match(&s, 6000000, 0, &at), 0);
    CHECK(at == 5 * S || at == 7 * S);
    /* ETIMEDOUT at 19 s, measured 19.5 s: within an eighth */
    CHECK_INT(predict_syn_match(&s, 19500000, 1, &at), 1);
    CHECK_INT(at, 19 * S);
    CHECK_INT(predict_syn_match(&s, 11000000, 1, &at), 0);
    struct tolerance t = predict_syn_tolerance(8 * S);
    CHECK(t.early_us > 0 && t.early_us < 20000);
    CHECK(t.late_us >= S && t.late_us < S + 50000);
}

static void test_handshakes(void)
{
    CHECK_INT(predict_handshakes(0, 4096, 12), 1);
    CHECK_INT(predict_handshakes(4, 4096, 12), 5);
    CHECK_INT(predict_handshakes(16, 4096, 26), 17);
    CHECK_INT(predict_handshakes(16, 2, 12), 3);
    CHECK_INT(predict_handshakes(-1, 8, 12), 9); /* cast to unsigned: somaxconn */
    CHECK_INT(predict_handshakes(100, 4096, 12), 12);
    /* the design's 4 KiB buffers (8 KiB granted) took 12 KiB in all */
    CHECK_INT(predict_buffer_capacity(8192, 8192), 20480);
    CHECK(predict_buffer_capacity(8192, 8192) >= 12288);
}

/* The exception of tcp_syncookies 0 with a (capped) backlog of 0: the
 * request queue counted as full from 4.4 (ef547f2ac16b) until 6.13
 * (3479c7549fb1), whose fix reached the long-term series in 2025. */
static void test_handshakes_syncookies(void)
{
    struct handshake_rule r;
    predict_handshakes_rule(0, 4096, 8, 1, "6.8.0-45-generic", &r); /* cookies: the usual */
    CHECK_INT(r.count, 1);
    CHECK_INT(r.values[0], 1);
    predict_handshakes_rule(0, 4096, 8, 0, "6.8.0-45-generic", &r);
    CHECK_INT(r.count, 1);
    CHECK_INT(r.values[0], 0);
    predict_handshakes_rule(0, 4096, 8, 0, "6.13.0", &r);
    CHECK_INT(r.count, 1);
    CHECK_INT(r.values[0], 1);
    predict_handshakes_rule(0, 4096, 8, 0, "6.18.44-fc-v1272", &r);
    CHECK_INT(r.values[0], 1);
    predict_handshakes_rule(0, 4096, 8, 0, "4.3.0", &r); /* before the change */
    CHECK_INT(r.values[0], 1);
    predict_handshakes_rule(0, 4096, 8, 0, "6.1.90", &r); /* long-term: either */
    CHECK_INT(r.count, 2);
    CHECK_INT(r.values[0], 0);
    CHECK_INT(r.values[1], 1);
    predict_handshakes_rule(-1, 0, 8, 0, "6.6.30", &r); /* -1 capped at somaxconn 0 */
    CHECK_INT(r.count, 2);
    predict_handshakes_rule(4, 4096, 8, 0, "6.8.0", &r); /* a backlog: the usual */
    CHECK_INT(r.count, 1);
    CHECK_INT(r.values[0], 5);
    predict_handshakes_rule(0, 4096, 8, 0, NULL, &r); /* release unknown: the usual */
    CHECK_INT(r.values[0], 1);
}

int main(void)
{
    test_handshakes_syncookies();
    test_linear_timeouts();
    test_exponential();
    test_rto_max();
    test_match();
    test_handshakes();
    return check_exit();
}
