/* sampler.c: see sampler.h. */
#include "sampler.h"

#include <string.h>
#include <sys/resource.h>

static int same_as_last(const struct sampler *s, const int64_t *totals, size_t totals_count,
                        const struct sample_conn *conns, size_t conn_count)
{
    if (!s->have_last || totals_count != s->last_totals_count || conn_count != s->last_conn_count)
        return 0;
    for (size_t i = 0; i < totals_count; i++)
        if (totals[i] != s->last_totals[i])
            return 0;
    for (size_t i = 0; i < conn_count; i++)
        if (conns[i].conn != s->last_conns[i].conn || conns[i].bytes != s->last_conns[i].bytes ||
            conns[i].queue != s->last_conns[i].queue)
            return 0;
    return 1;
}

int sampler_keep(struct sampler *s, const int64_t *totals, size_t totals_count,
                 const struct sample_conn *conns, size_t conn_count, uint64_t open_conns)
{
    if (totals_count > SAMPLER_MAX_TOTALS)
        totals_count = SAMPLER_MAX_TOTALS;
    if (conn_count > SAMPLER_CONNS)
        conn_count = SAMPLER_CONNS;
    if (open_conns > SAMPLER_CONNS && open_conns - SAMPLER_CONNS > s->unsampled_max)
        s->unsampled_max = open_conns - SAMPLER_CONNS;
    if (same_as_last(s, totals, totals_count, conns, conn_count))
        return 0;
    s->have_last = 1;
    s->last_totals_count = totals_count;
    s->last_conn_count = conn_count;
    memcpy(s->last_totals, totals, totals_count * sizeof *totals);
    memcpy(s->last_conns, conns, conn_count * sizeof *conns);
    if (s->samples >= PARAMS_MAX_SAMPLES) {
        s->samples_dropped++;
        return 0;
    }
    s->samples++;
    return 1;
}

void sampler_conns_line(struct sampler *s, struct event_line *line, const struct sample_conn *conns,
                        size_t count)
{
    int64_t values[3 * SAMPLER_CONNS];
    if (count > SAMPLER_CONNS)
        count = SAMPLER_CONNS;
    if (s->conn_entries + count > SAMPLER_MAX_CONN_ENTRIES) {
        s->conn_entries_dropped += count;
        return;
    }
    s->conn_entries += count;
    for (size_t i = 0; i < count; i++) {
        values[3 * i] = conns[i].conn;
        values[3 * i + 1] = (int64_t)conns[i].bytes;
        values[3 * i + 2] = (int64_t)conns[i].queue;
    }
    event_line_int_rows(line, "conns", values, count, 3);
}

void sampler_report(const struct sampler *s, json_t *end)
{
    struct rusage usage;
    if (getrusage(RUSAGE_SELF, &usage) == 0)
        json_object_set_new(
            end, "cpu_us",
            json_integer((json_int_t)usage.ru_utime.tv_sec * 1000000 + usage.ru_utime.tv_usec +
                         (json_int_t)usage.ru_stime.tv_sec * 1000000 + usage.ru_stime.tv_usec));
    json_object_set_new(end, "samples", json_integer((json_int_t)s->samples));
    json_object_set_new(end, "samples_dropped", json_integer((json_int_t)s->samples_dropped));
    json_object_set_new(end, "conn_samples_dropped",
                        json_integer((json_int_t)s->conn_entries_dropped));
    json_object_set_new(end, "conns_unsampled_max", json_integer((json_int_t)s->unsampled_max));
    /* each sample's time less what its lines cost the event log, which is
     * an estimate (one line in 16 timed, eventlog.h): a sample whose line
     * was the timed one can come out below zero, and only the sum over
     * many samples is right; a handful can sum below zero, which means
     * none to speak of */
    json_object_set_new(end, "sampling_us",
                        json_integer((json_int_t)(s->cost_ns > 0 ? s->cost_ns / 1000 : 0)));
}
