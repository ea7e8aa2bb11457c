/* table_buffer_grid.c: the buffer_grid table, a heat map of a
 * client.sndbuf x server.rcvbuf sweep: one row per point
 *   x y sndbuf_set rcvbuf_set before sent flagged settled
 * (medians), then the tic labels of x and y as series `index "label"`. */
#include <stdlib.h>

#include "aggregate.h"
#include "plotkind.h"
#include "table_read.h"

/* The distinct values of a sweep key, in size order (0, the kernel's
 * default, last). */
static size_t grid_axis(const json_t *results, const char *path, json_int_t *values, size_t max)
{
    const json_t *run;
    size_t i, n = 0;
    json_array_foreach(table_runs(results), i, run)
    {
        const json_t *v = aggregate_path(run, path);
        json_int_t x = json_integer_value(v);
        size_t k;
        if (!json_is_integer(v))
            continue;
        for (k = 0; k < n && values[k] != x; k++)
            ;
        if (k == n && n < max)
            values[n++] = x;
    }
    for (size_t a = 1; a < n; a++)
        for (size_t b = a; b > 0 && table_size_order(values[b - 1], values[b]) > 0; b--) {
            json_int_t t = values[b];
            values[b] = values[b - 1];
            values[b - 1] = t;
        }
    return n;
}

static size_t grid_index(const json_int_t *values, size_t n, json_int_t x)
{
    for (size_t i = 0; i < n; i++)
        if (values[i] == x)
            return i;
    return 0;
}

static void write_size_label(FILE *out, json_int_t bytes)
{
    if (bytes == 0)
        fprintf(out, "\"default\"");
    else if (bytes % 1024 == 0)
        fprintf(out, "\"%" JSON_INTEGER_FORMAT " KiB\"", bytes / 1024);
    else
        fprintf(out, "\"%" JSON_INTEGER_FORMAT " B\"", bytes);
}

#define GRID_MAX 64

/* A sender still taking data this close to the run's end has not reached
 * its plateau: more than two delayed-ACK timeouts (40 ms at least each),
 * which is what a sender whose tiny send buffer waits on between
 * segments. */
#define GRID_SETTLED_US 100000

/* Whether the run's bytes sent stopped changing at least GRID_SETTLED_US
 * before its end. */
static int grid_settled(const json_t *run)
{
    const json_t *samples = aggregate_path(run, "samples.client"), *sample;
    json_int_t elapsed = json_integer_value(aggregate_path(run, "summary.elapsed_us"));
    json_int_t last_change = 0, bytes = -1;
    size_t i;
    json_array_foreach(samples, i, sample)
    {
        json_int_t b = json_integer_value(json_object_get(sample, "bytes_sent"));
        if (b != bytes) {
            bytes = b;
            last_change = json_integer_value(json_object_get(sample, "t_us"));
        }
    }
    return json_array_size(samples) == 0 || elapsed - last_change >= GRID_SETTLED_US;
}

/* Whether every run of the point settled. */
static int point_settled(const json_t *results, const json_t *point)
{
    const json_t *index;
    size_t k;
    int settled = 1;
    json_array_foreach(json_object_get(point, "runs"), k, index)
    {
        settled &= grid_settled(json_array_get(table_runs(results), json_integer_value(index)));
    }
    return settled;
}

/* The distinct values of each axis, in size order. */
struct grid_axes {
    json_int_t xs[GRID_MAX], ys[GRID_MAX];
    size_t nx, ny;
};

static void write_cell(FILE *out, const json_t *results, const json_t *point,
                       const struct grid_axes *axes)
{
    size_t run_index;
    int known;
    const json_t *run = table_point_first_run(results, point, &run_index);
    json_int_t x = json_integer_value(aggregate_path(run, "params.client.sndbuf"));
    json_int_t y = json_integer_value(aggregate_path(run, "params.server.rcvbuf"));
    fprintf(out, "%zu %zu %" JSON_INTEGER_FORMAT " %" JSON_INTEGER_FORMAT,
            grid_index(axes->xs, axes->nx, x), grid_index(axes->ys, axes->ny, y), x, y);
    double before = aggregate_stat(point, "bytes_before_first_block", "median", &known);
    if (known)
        fprintf(out, " %.0f", before);
    else
        fprintf(out, " NaN");
    double sent = aggregate_stat(point, "bytes_sent", "median", &known);
    if (known)
        fprintf(out, " %.0f", sent);
    else
        fprintf(out, " NaN");
    fprintf(out, " %d %d\n", aggregate_flagged(point, "bytes_sent"), point_settled(results, point));
}

static void write_tics(FILE *out, const char *title, const json_int_t *values, size_t n)
{
    fprintf(out, "\n\n\"%s\"\n", title);
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "%zu ", i);
        write_size_label(out, values[i]);
        fputc('\n', out);
    }
}

static int table_buffer_grid(FILE *out, const json_t *results, size_t run_drawn,
                             struct hl_error *err)
{
    struct grid_axes axes;
    json_t *points;
    const json_t *point;
    size_t i;

    (void)run_drawn; /* one plot for the whole sweep */
    axes.nx = grid_axis(results, "params.client.sndbuf", axes.xs, GRID_MAX);
    axes.ny = grid_axis(results, "params.server.rcvbuf", axes.ys, GRID_MAX);
    if (!table_sweep_value(results, "client.sndbuf") ||
        !table_sweep_value(results, "server.rcvbuf"))
        return hl_error_set(err, "runs[0].sweep",
                            "the buffer_grid plot needs a sweep over both client.sndbuf and "
                            "server.rcvbuf");
    points = aggregate_points(table_runs(results));
    fprintf(out, "# x y sndbuf_set rcvbuf_set before sent flagged settled   (one row per point:"
                 " x, y the cell, columns of client.sndbuf and rows of server.rcvbuf as set,"
                 " 0 = kernel default; before: bytes sent before the first blocked send, sent:"
                 " in all, medians over the repeats; flagged: 1 where sent exceeds the"
                 " prediction; settled: 0 where the sender was still taking data in the last"
                 " 100 ms of a run, so that sent is no plateau yet)\n"
                 "\"cells\"\n");
    json_array_foreach(points, i, point)
    {
        write_cell(out, results, point, &axes);
    }
    write_tics(out, "x tics: client.sndbuf", axes.xs, axes.nx);
    write_tics(out, "y tics: server.rcvbuf", axes.ys, axes.ny);
    json_decref(points);
    return 0;
}

/* A heat map holds one set: an overlay draws one per set. */
const struct plot_table plot_table_buffer_grid = {.write = table_buffer_grid,
                                                  .one_plot_per_set = 1};
