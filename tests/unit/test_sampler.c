/* test_sampler.c: the bounds of sampler.h, which a run reaches only with
 * more than SAMPLER_CONNS connections open or after minutes of samples
 * that all differ: at most SAMPLER_CONNS connections per sample, the most
 * open beyond them remembered, at most PARAMS_MAX_SAMPLES samples and
 * SAMPLER_MAX_CONN_ENTRIES listed connections kept, and everything beyond
 * counted as dropped, exactly. */
#include <jansson.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "sampler.h"

/* count connections whose bytes and queues all read tick: samples made
 * with different ticks differ. */
static void make_conns(struct sample_conn *conns, size_t count, uint64_t tick)
{
    for (size_t i = 0; i < count; i++)
        conns[i] = (struct sample_conn){(uint32_t)i, tick, tick};
}

/* Whether a kept sample's line got its "conns" list. */
static int line_lists_conns(const struct event_line *line)
{
    static const char key[] = "\"conns\"";
    return memmem(line->text, line->length, key, sizeof key - 1) != NULL;
}

static int64_t report_int(const struct sampler *s, const char *key)
{
    json_t *end = json_object();
    sampler_report(s, end);
    int64_t value = json_integer_value(json_object_get(end, key));
    json_decref(end);
    return value;
}

/* The walk reads at most SAMPLER_CONNS; the rest open are remembered at
 * their most. */
static void test_unsampled(void)
{
    struct sampler s = {0};
    struct sample_conn conns[SAMPLER_CONNS + 8];
    int64_t totals[1] = {0};
    make_conns(conns, SAMPLER_CONNS + 8, 1);
    CHECK_INT(sampler_keep(&s, totals, 1, conns, SAMPLER_CONNS, SAMPLER_CONNS), 1);
    CHECK_INT(report_int(&s, "conns_unsampled_max"), 0);
    totals[0] = 1;
    CHECK_INT(sampler_keep(&s, totals, 1, conns, SAMPLER_CONNS + 8, SAMPLER_CONNS + 8), 1);
    CHECK_INT(report_int(&s, "conns_unsampled_max"), 8);
    /* only the first SAMPLER_CONNS were compared and remembered */
    CHECK_INT(sampler_keep(&s, totals, 1, conns, SAMPLER_CONNS, SAMPLER_CONNS + 8), 0);
    /* fewer open later: the most stays */
    totals[0] = 2;
    CHECK_INT(sampler_keep(&s, totals, 1, conns, SAMPLER_CONNS, SAMPLER_CONNS + 3), 1);
    CHECK_INT(report_int(&s, "conns_unsampled_max"), 8);
    /* the same sample again is not kept, but its open connections count */
    CHECK_INT(sampler_keep(&s, totals, 1, conns, SAMPLER_CONNS, SAMPLER_CONNS + 20), 0);
    CHECK_INT(report_int(&s, "conns_unsampled_max"), 20);
    CHECK_INT(report_int(&s, "samples"), 3);

    /* a list longer than SAMPLER_CONNS is cut to SAMPLER_CONNS rows */
    struct event_line line;
    json_error_t error;
    event_line_start(&line, "server_sample");
    sampler_conns_line(&s, &line, conns, SAMPLER_CONNS + 8);
    char text[EVENTLOG_LINE_MAX + 2];
    memcpy(text, line.text, line.length);
    memcpy(text + line.length, "}", 2);
    json_t *back = json_loads(text, 0, &error);
    CHECK(back != NULL);
    CHECK_INT(json_array_size(json_object_get(back, "conns")), SAMPLER_CONNS);
    json_decref(back);
}

/* Samples and listed connections up to their caps are kept; each one
 * beyond is counted as dropped, and a dropped list leaves its sample's
 * totals in place. */
static void test_caps(void)
{
    static struct sample_conn conns[SAMPLER_CONNS];
    struct sampler s = {0};
    uint64_t kept = 0, lists = 0, entries = 0, offered_entries = 0;
    uint64_t calls = PARAMS_MAX_SAMPLES + 10;
    int listed_after_drop = 0, dropped_seen = 0;
    for (uint64_t tick = 1; tick <= calls; tick++) {
        int64_t totals[2] = {(int64_t)tick, 0};
        /* most samples list SAMPLER_CONNS, one in eight a single one: once
         * a full list no longer fits, a short one still does */
        size_t count = tick % 8 == 0 ? 1 : SAMPLER_CONNS;
        make_conns(conns, count, tick);
        if (!sampler_keep(&s, totals, 2, conns, count, count))
            continue;
        kept++;
        struct event_line line;
        event_line_start(&line, "client_sample");
        event_line_int(&line, "t_us", (int64_t)tick);
        sampler_conns_line(&s, &line, conns, count);
        offered_entries += count;
        if (line_lists_conns(&line)) {
            lists++;
            entries += count;
            listed_after_drop |= dropped_seen;
        } else {
            dropped_seen = 1;
        }
    }
    CHECK_INT(kept, PARAMS_MAX_SAMPLES);
    CHECK_INT(report_int(&s, "samples"), PARAMS_MAX_SAMPLES);
    CHECK_INT(report_int(&s, "samples_dropped"), calls - PARAMS_MAX_SAMPLES);
    CHECK(entries <= SAMPLER_MAX_CONN_ENTRIES);
    /* the cap is filled to within one full list */
    CHECK(entries + SAMPLER_CONNS > SAMPLER_MAX_CONN_ENTRIES);
    CHECK(lists < kept);
    CHECK(listed_after_drop);
    CHECK_INT(report_int(&s, "conn_samples_dropped"), offered_entries - entries);
}

int main(void)
{
    test_unsampled();
    test_caps();
    return check_exit();
}
