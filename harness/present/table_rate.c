/* table_rate.c: the rate table, one row per point, sorted by the reader's
 * rate, one series per value of the other swept keys (client.mode when it
 * is swept: "client.mode=blocking"), in the order they first appear:
 *   read_rate achieved achieved_min achieved_max blocked_fraction
 *             blocked_min blocked_max bytes_read elapsed_s */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "plotkind.h"
#include "table_read.h"

struct rate_row {
    json_int_t rate;
    const json_t *point, *first_run;
    size_t run;
    size_t series;    /* where its series first appears among the rows */
    char values[256]; /* the other swept keys' values: its series title */
    char prefix[64];  /* its set's */
};

/* The key on x: the reader's rate. */
static const char *const rate_keys[] = {"server.read.bytes_per_sec", NULL};

static int rate_compare(const void *a, const void *b)
{
    const struct rate_row *x = a, *y = b;
    if (x->series != y->series)
        return x->series < y->series ? -1 : 1;
    if (x->rate != y->rate)
        return x->rate < y->rate ? -1 : 1;
    return x->run < y->run ? -1 : x->run > y->run;
}

/* The row of a point from its first run, with its set and series. */
static int read_row(const json_t *results, const json_t *point, struct rate_row *r,
                    struct hl_error *err)
{
    json_int_t ignored;
    const json_t *run = table_point_first_run(results, point, &r->run);
    const json_t *read = aggregate_path(run, "params.server.read");
    r->point = point;
    r->first_run = run;
    table_set_prefix(run, r->prefix, sizeof r->prefix);
    table_series_values(run, rate_keys, r->values, sizeof r->values);
    /* "never" and "immediate" readers have no rate to plot against. */
    if (!read)
        return table_field_error(err, r->run, "params.server.read", NULL,
                                 "a paced reader {\"bytes_per_sec\": ...}");
    if (!json_is_integer(json_object_get(read, "bytes_per_sec"))) {
        char where[64], *text = json_dumps(read, JSON_COMPACT | JSON_ENCODE_ANY);
        snprintf(where, sizeof where, "runs[%zu].params.server.read", r->run);
        hl_error_set(err, where,
                     "the rate plot needs a paced reader ({\"bytes_per_sec\": ...}), got %s",
                     text ? text : "nothing");
        free(text);
        return -EINVAL;
    }
    r->rate = json_integer_value(json_object_get(read, "bytes_per_sec"));
    if (table_need_int(run, r->run, "summary.bytes_read", &ignored, err) ||
        table_need_int(run, r->run, "summary.elapsed_us", &ignored, err) ||
        table_need_int(run, r->run, "summary.blocked_us", &ignored, err))
        return -EINVAL;
    return 0;
}

static void write_row(FILE *out, const struct rate_row *r)
{
    int known;
    fprintf(out, "%" JSON_INTEGER_FORMAT, r->rate);
    table_write_spread_with(out, r->point, "achieved_bytes_per_sec", 1);
    table_write_spread_with(out, r->point, "blocked_fraction", 4);
    fprintf(out, " %.0f", aggregate_stat(r->point, "bytes_read", "median", &known));
    fprintf(out, " %.6f\n", aggregate_stat(r->point, "elapsed_us", "median", &known) / 1e6);
}

static int table_rate(FILE *out, const json_t *results, size_t run_drawn, struct hl_error *err)
{
    json_t *points = aggregate_points(table_runs(results));
    const json_t *point;
    size_t n = json_array_size(points), i;
    struct rate_row *rows = calloc(n ? n : 1, sizeof *rows);
    int rc = -EINVAL;

    (void)run_drawn; /* one plot for the whole sweep */
    if (!rows) {
        json_decref(points);
        return hl_error_set(err, NULL, "out of memory");
    }
    json_array_foreach(points, i, point)
    {
        if (read_row(results, point, &rows[i], err))
            goto out;
        for (rows[i].series = 0; rows[i].series < i; rows[i].series++)
            if (!strcmp(rows[rows[i].series].values, rows[i].values) &&
                !strcmp(rows[rows[i].series].prefix, rows[i].prefix))
                break;
    }
    qsort(rows, n, sizeof *rows, rate_compare);
    fprintf(out, "# read_rate achieved achieved_min achieved_max blocked_fraction blocked_min"
                 " blocked_max bytes_read elapsed_s   (rates in bytes/s: the reader's setting,"
                 " and bytes_read / elapsed; blocked_fraction: blocked_us / elapsed_us per"
                 " connection; each the median over the point's repeats with their min and"
                 " max; bytes_read and elapsed_s: medians)\n"
                 "# one series per value of the other swept keys (client.mode, ...)\n");
    for (i = 0; i < n; i++) {
        const struct rate_row *r = &rows[i];
        if (i == 0 || r->series != rows[i - 1].series)
            fprintf(out, "%s\"%s%s\"\n", i ? "\n\n" : "", r->prefix,
                    r->values[0] ? r->values : "measured");
        write_row(out, r);
    }
    rc = 0;
out:
    free(rows);
    json_decref(points);
    return rc;
}

const struct plot_table plot_table_rate = {.write = table_rate};
