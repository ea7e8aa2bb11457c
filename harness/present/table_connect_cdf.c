/* table_connect_cdf.c: the connect_cdf table, one series per run (at most
 * CDF_MAX_RUNS): its label, then one row per connection that connected,
 * in order of its connect time:
 *   connect_s fraction predicted_at_once
 * fraction: the share of the run's attempted connections that had
 * connected by then (it tops out below 1 when some never did);
 * predicted_at_once: for constant arrivals at a paced, immediate or
 * absent accept, the share that the queue holds at their first SYN
 * (predict_arrivals_waited, predict.h), NaN where there is no prediction
 * (all at once, a Poisson process). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "plotkind.h"
#include "predict.h"
#include "table_read.h"

#define CDF_MAX_RUNS 12

static int compare_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return x < y ? -1 : x > y;
}

/* The share of the connections predicted to connect at their first SYN,
 * or NaN. */
static double predicted_at_once(const json_t *run)
{
    const json_t *arrival = aggregate_path(run, "params.client.arrival");
    const json_t *accept = aggregate_path(run, "params.server.accept");
    const char *process = json_string_value(json_object_get(arrival, "process"));
    long long n = json_integer_value(aggregate_path(run, "params.client.connections"));
    long long backlog = json_integer_value(aggregate_path(run, "effective.backlog"));
    if (!process || strcmp(process, "constant") != 0 || n <= 0 ||
        !json_is_integer(aggregate_path(run, "effective.backlog")))
        return NAN;
    int64_t start_us = -1, every_us = 0; /* "immediate": nothing queues */
    if (json_is_string(accept) && strcmp(json_string_value(accept), "never") == 0)
        start_us = 0;
    else if (json_is_object(accept)) {
        start_us = json_integer_value(json_object_get(accept, "start_ms")) * 1000;
        every_us = json_integer_value(json_object_get(accept, "every_ms")) * 1000;
    }
    long long rate = json_integer_value(json_object_get(arrival, "rate_per_sec"));
    return 1.0 - (double)predict_arrivals_waited(n, rate, backlog + 1, start_us, every_us) / n;
}

/* Run `index`: its label, then its connect times as a CDF. */
static int write_run(FILE *out, const json_t *results, size_t index, struct hl_error *err)
{
    const json_t *run = json_array_get(table_runs(results), index), *connections, *c;
    size_t i, n = 0;
    if (table_need_array(run, index, "connections", &connections, err))
        return -EINVAL;
    long long *us = malloc((json_array_size(connections) + 1) * sizeof *us);
    if (!us)
        return hl_error_set(err, NULL, "out of memory");
    json_array_foreach(connections, i, c)
    {
        if (json_is_integer(json_object_get(c, "connect_us")))
            us[n++] = json_integer_value(json_object_get(c, "connect_us"));
    }
    qsort(us, n, sizeof *us, compare_ll);
    double predicted = predicted_at_once(run), total = (double)json_array_size(connections);
    fprintf(out, "%s", index ? "\n\n" : "");
    table_write_label(out, results, run);
    fputc('\n', out);
    for (i = 0; i < n; i++)
        fprintf(out, "%.6f %.4f %.4f\n", table_seconds(us[i]), (double)(i + 1) / total, predicted);
    if (n == 0)
        fprintf(out, "NaN NaN %.4f\n", predicted);
    free(us);
    return 0;
}

static int table_connect_cdf(FILE *out, const json_t *results, size_t run_drawn,
                             struct hl_error *err)
{
    size_t runs = json_array_size(table_runs(results));
    (void)run_drawn; /* one plot for the whole sweep */
    fprintf(out, "# connect_s fraction predicted_at_once   (per run, one row per connection that"
                 " connected, in order of its connect time: the share of the attempted ones"
                 " connected by then; predicted_at_once: the share the queue holds at their first"
                 " SYN, for constant arrivals, else NaN)\n");
    for (size_t i = 0; i < runs && i < CDF_MAX_RUNS; i++)
        if (write_run(out, results, i, err))
            return -EINVAL;
    return 0;
}

const struct plot_table plot_table_connect_cdf = {.write = table_connect_cdf,
                                                  .max_runs = CDF_MAX_RUNS};
