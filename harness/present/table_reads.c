/* table_reads.c: the reads table, one row per point (aggregate.h): how
 * many recv() calls returned data, as the median over the point's repeats
 * with their min and max, beside the two counts the kernel's rules give:
 *   "label" reads reads_min reads_max per_send fewest largest
 * per_send: one read per send() call (ceil(send.bytes / send.chunk) per
 * connection that connected), what a reader that keeps up with sends
 * spaced in time gets, a recv() returning what has arrived as soon as
 * anything has; fewest: ceil(bytes_read / the size each recv() asks for),
 * what a reader gets when everything is queued before its first recv(),
 * which returns all that is queued up to the size asked; largest: the
 * median of the largest read. */
#include <errno.h>

#include "aggregate.h"
#include "plotkind.h"
#include "table_read.h"

static json_int_t ceil_div(json_int_t a, json_int_t b)
{
    return b > 0 ? (a + b - 1) / b : 0;
}

/* The two predicted counts of a run, or -EINVAL when a field is missing. */
static int predicted(const json_t *run, size_t index, json_int_t *per_send, json_int_t *fewest,
                     struct hl_error *err)
{
    json_int_t connected, bytes, chunk, read_chunk, bytes_read, reads;
    if (table_need_int(run, index, "summary.connected", &connected, err) ||
        table_need_int(run, index, "params.client.send.bytes", &bytes, err) ||
        table_need_int(run, index, "params.client.send.chunk", &chunk, err) ||
        table_need_int(run, index, "summary.bytes_read", &bytes_read, err) ||
        table_need_int(run, index, "summary.reads", &reads, err))
        return -EINVAL;
    const json_t *read = aggregate_path(run, "params.server.read");
    read_chunk = json_integer_value(json_object_get(read, "chunk"));
    if (read_chunk <= 0)
        return table_field_error(err, index, "params.server.read.chunk",
                                 json_object_get(read, "chunk"), "the size each recv() asks for");
    *per_send = connected * ceil_div(bytes, chunk);
    *fewest = ceil_div(bytes_read, read_chunk);
    return 0;
}

static int table_reads(FILE *out, const json_t *results, size_t run_drawn, struct hl_error *err)
{
    json_t *points = aggregate_points(table_runs(results));
    const json_t *point;
    size_t i;
    int rc = 0;

    (void)run_drawn; /* one plot for the whole sweep */
    fprintf(out, "# point reads reads_min reads_max per_send fewest largest   (recv() calls that"
                 " returned data: the median over the point's repeats with their min and max;"
                 " per_send: one per send() call; fewest: bytes_read / the size each recv() asks"
                 " for; largest: the median of the largest read, bytes)\n");
    json_array_foreach(points, i, point)
    {
        size_t first;
        json_int_t per_send = 0, fewest = 0;
        int known;
        const json_t *run = table_point_first_run(results, point, &first);
        if ((rc = predicted(run, first, &per_send, &fewest, err)))
            break;
        char label[512];
        table_label(results, run, 0, label, sizeof label);
        fprintf(out, "\"%s\"", label);
        table_write_spread(out, point, "reads");
        double largest = aggregate_stat(point, "read_sizes.largest", "median", &known);
        fprintf(out, " %" JSON_INTEGER_FORMAT " %" JSON_INTEGER_FORMAT " %.0f\n", per_send, fewest,
                known ? largest : 0.0);
    }
    json_decref(points);
    return rc;
}

const struct plot_table plot_table_reads = {.write = table_reads};
