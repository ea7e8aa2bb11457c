/* table_latency.c: the latency table, one series per run (at most
 * LATENCY_MAX_RUNS), one row per connection that reached an outcome:
 *   conn latency_s outcome_code "outcome" flagged
 * then per run the predicted SYN retransmit times and the ETIMEDOUT time
 * (its point's connect_us prediction, or the schedule of the run's own
 * sysctls where no connection waited), none beyond connect_timeout_ms. */
#include <errno.h>
#include <string.h>

#include "aggregate.h"
#include "plotkind.h"
#include "table_read.h"

/* The latency plot draws at most this many runs (its colours run out). */
#define LATENCY_MAX_RUNS 12

/* The order the legend of latency.gp lists them in. */
static int outcome_code(const char *outcome)
{
    static const char *const outcomes[] = {"connected", "refused", "timed_out", "failed"};
    for (int i = 0; i < 4; i++)
        if (strcmp(outcome, outcomes[i]) == 0)
            return i;
    return 4;
}

/* Whether the flags of the run's point name this connection (aggregate.h). */
static int latency_flagged(const json_t *points, const json_t *run, size_t run_index,
                           json_int_t conn)
{
    const json_t *point = aggregate_find(points, json_integer_value(json_object_get(run, "point")));
    const json_t *flag;
    size_t i;
    json_array_foreach(json_object_get(point, "flags"), i, flag)
    {
        if (json_integer_value(json_object_get(flag, "run")) == (json_int_t)run_index &&
            json_integer_value(json_object_get(flag, "conn")) == conn &&
            json_is_string(json_object_get(flag, "field")))
            return 1;
    }
    return 0;
}

/* A predicted series: a horizontal segment across the connections at each
 * time up to limit_us and the first one beyond it, so far-off predictions
 * do not squash the measurements; a NaN row when there is none. */
static void write_time_lines(FILE *out, const char *title, const json_t *times, json_int_t limit_us,
                             json_int_t conn_max)
{
    const json_t *t;
    size_t i, written = 0;
    fprintf(out, "\n\n\"%s\"\n", title);
    json_array_foreach(times, i, t)
    {
        json_int_t us = json_integer_value(t);
        fprintf(out, "-0.5 %.6f\n%.1f %.6f\n\n", table_seconds(us), (double)conn_max + 0.5,
                table_seconds(us));
        written++;
        if (us > limit_us)
            break;
    }
    if (!written)
        fprintf(out, "NaN NaN\n");
}

/* How long the connection took to reach its outcome; 0 when it had none
 * (pending: still connecting when the run stopped) or no time of its own
 * (seen complete only at the stop). */
static int connection_latency(const json_t *c, const char *outcome, json_int_t *latency_us)
{
    if (strcmp(outcome, "pending") == 0 || json_is_true(json_object_get(c, "seen_at_stop")))
        return 0;
    const json_t *connect_us = json_object_get(c, "connect_us");
    const json_t *start_us = json_object_get(c, "start_us");
    const json_t *outcome_us = json_object_get(c, "outcome_us");
    /* connect_us is the client's own measure of the connected ones; the
     * others are timed from start to outcome. */
    if (strcmp(outcome, "connected") == 0 && json_is_integer(connect_us))
        *latency_us = json_integer_value(connect_us);
    else if (json_is_integer(start_us) && json_is_integer(outcome_us))
        *latency_us = json_integer_value(outcome_us) - json_integer_value(start_us);
    else
        return 0;
    return 1;
}

/* What the rows of all runs reach: the predictions are drawn across them. */
struct latency_extent {
    json_int_t latency_max_us, conn_max;
};

/* The series of run `index`: its label, then a row per connection with an
 * outcome (a NaN row when none has). */
static int write_run(FILE *out, const json_t *results, const json_t *points, size_t index,
                     struct latency_extent *extent, struct hl_error *err)
{
    const json_t *run = json_array_get(table_runs(results), index), *connections = NULL, *c;
    size_t j, rows = 0;
    if (table_need_array(run, index, "connections", &connections, err))
        return -EINVAL;
    if (index)
        fprintf(out, "\n\n");
    table_write_label(out, results, run);
    fputc('\n', out);
    json_array_foreach(connections, j, c)
    {
        const char *outcome = json_string_value(json_object_get(c, "outcome"));
        json_int_t latency_us;
        if (!outcome) {
            char path[64];
            snprintf(path, sizeof path, "connections[%zu].outcome", j);
            return table_field_error(err, index, path, json_object_get(c, "outcome"), "a string");
        }
        if (!connection_latency(c, outcome, &latency_us))
            continue;
        /* conn numbers connections in the order connect() was called. */
        json_int_t conn = json_is_integer(json_object_get(c, "conn"))
                              ? json_integer_value(json_object_get(c, "conn"))
                              : (json_int_t)j;
        fprintf(out, "%" JSON_INTEGER_FORMAT " %.6f %d \"%s\" %d\n", conn,
                table_seconds(latency_us), outcome_code(outcome), outcome,
                latency_flagged(points, run, index, conn));
        if (latency_us > extent->latency_max_us)
            extent->latency_max_us = latency_us;
        if (conn > extent->conn_max)
            extent->conn_max = conn;
        rows++;
    }
    if (!rows)
        fprintf(out, "NaN NaN NaN \"none\" 0\n");
    return 0;
}

enum predicted { PREDICTED_RETRANSMITS, PREDICTED_TIMEOUT };

/* The predicted times of one kind for a run (new reference): its point's
 * predictions (aggregate.h), or where no connection waited for a
 * retransmit, the schedule of the run's own sysctls all the same. */
static json_t *predicted_times(const json_t *points, const json_t *run, enum predicted which,
                               json_int_t latency_max_us)
{
    const json_t *point = aggregate_find(points, json_integer_value(json_object_get(run, "point")));
    json_t *connect =
        json_incref(json_object_get(json_object_get(point, "predictions"), "connect_us"));
    const json_t *timeout_ms = aggregate_path(run, "params.client.connect_timeout_ms");
    json_int_t cutoff_us = json_is_integer(timeout_ms) ? json_integer_value(timeout_ms) * 1000 : 0;
    json_t *times = json_array();
    if (!connect)
        connect = aggregate_connect_prediction(run);
    if (connect && which == PREDICTED_RETRANSMITS)
        json_array_extend(times, json_object_get(connect, "retransmits_us"));
    /* the ETIMEDOUT time only where the runs came near it */
    if (connect && which == PREDICTED_TIMEOUT &&
        json_integer_value(json_object_get(connect, "timeout_us")) <= latency_max_us * 3 / 2)
        json_array_append(times, json_object_get(connect, "timeout_us"));
    /* none after the harness's connect timeout: no connection waits that
     * long */
    while (cutoff_us > 0 && json_array_size(times) &&
           json_integer_value(json_array_get(times, json_array_size(times) - 1)) > cutoff_us)
        json_array_remove(times, json_array_size(times) - 1);
    json_decref(connect);
    return times;
}

/* Per run drawn, the predicted retransmits, then per run drawn the
 * predicted ETIMEDOUT; the legend names each kind once. */
static void write_predictions(FILE *out, const json_t *results, const json_t *points, size_t drawn,
                              const struct latency_extent *extent)
{
    static const char *const titles[] = {"predicted SYN retransmits", "predicted ETIMEDOUT"};
    for (int which = PREDICTED_RETRANSMITS; which <= PREDICTED_TIMEOUT; which++) {
        int titled = 0;
        for (size_t i = 0; i < drawn; i++) {
            json_t *times = predicted_times(points, json_array_get(table_runs(results), i),
                                            (enum predicted)which, extent->latency_max_us);
            const char *title = "";
            if (json_array_size(times) && !titled) {
                titled = 1;
                title = titles[which];
            }
            write_time_lines(out, title, times, extent->latency_max_us, extent->conn_max);
            json_decref(times);
        }
    }
}

static int table_latency(FILE *out, const json_t *results, size_t run_drawn, struct hl_error *err)
{
    const json_t *runs = table_runs(results);
    json_t *points = aggregate_points(runs);
    size_t i, drawn = json_array_size(runs);
    struct latency_extent extent = {0, 0};
    int rc = 0;

    (void)run_drawn; /* one plot for the whole sweep */
    fprintf(out, "# conn latency_s outcome_code outcome flagged   (conn: index in the order"
                 " connect() was called; latency: seconds from connect() to its outcome;"
                 " outcome_code: 0 connected, 1 refused, 2 timed_out, 3 failed, 4 other;"
                 " flagged: 1 where the time matches no predicted SYN retransmit)\n"
                 "# one series per run; then per run its point's predicted SYN retransmit times,"
                 " then its predicted ETIMEDOUT time, as segments `conn latency_s` across the"
                 " plot\n");
    if (drawn > LATENCY_MAX_RUNS) {
        fprintf(out, "# the first %d of %zu runs\n", LATENCY_MAX_RUNS, drawn);
        drawn = LATENCY_MAX_RUNS;
    }
    for (i = 0; i < drawn && !rc; i++)
        rc = write_run(out, results, points, i, &extent, err);
    if (!rc)
        write_predictions(out, results, points, drawn, &extent);
    json_decref(points);
    return rc;
}

const struct plot_table plot_table_latency = {.write = table_latency, .max_runs = LATENCY_MAX_RUNS};
