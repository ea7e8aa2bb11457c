/* table_buffers.c: the buffers table, drawn against the buffer size set
 * on the x axis (client.sndbuf when it is swept, else server.rcvbuf): one
 * series per value of the other swept keys (server.rcvbuf when
 * client.sndbuf is swept too, titled "server.rcvbuf=4096"), in the order
 * they first appear, else one series; rows sorted by the buffer size set,
 * 0 (kernel default) last:
 *   buffer_set before before_min before_max sent sent_min sent_max
 *              effective_sndbuf effective_rcvbuf capacity flagged */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "plotkind.h"
#include "table_read.h"

struct buffer_row {
    json_int_t set, sndbuf, rcvbuf;
    const json_t *point, *first_run;
    size_t run;
    size_t series;    /* where its series first appears among the rows */
    char values[256]; /* the other swept keys' values: its series title */
    char prefix[64];  /* its set's */
};

static int buffer_compare(const void *a, const void *b)
{
    const struct buffer_row *x = a, *y = b;
    int c = x->series < y->series ? -1 : x->series > y->series;
    if (!c)
        c = table_size_order(x->set, y->set);
    if (!c)
        c = x->run < y->run ? -1 : x->run > y->run;
    return c;
}

/* The sweep key the buffers plot puts on its x axis: "client.sndbuf" when
 * it is swept, else "server.rcvbuf", else NULL (no buffers plot possible). */
static const char *x_key_of(const json_t *results)
{
    if (table_sweep_value(results, "client.sndbuf"))
        return "client.sndbuf";
    if (table_sweep_value(results, "server.rcvbuf"))
        return "server.rcvbuf";
    return NULL;
}

/* One row per point from its first run, every field the table uses
 * checked, with its series: the set and the values of the swept keys
 * other than x_key. */
static int read_rows(const json_t *results, const json_t *points, const char *x_key,
                     struct buffer_row *rows, struct hl_error *err)
{
    const char *const skip[] = {x_key, NULL};
    const json_t *point;
    size_t i;
    char x_path[32];
    snprintf(x_path, sizeof x_path, "params.%s", x_key);
    json_array_foreach(points, i, point)
    {
        struct buffer_row *r = &rows[i];
        json_int_t ignored;
        int known;
        const json_t *run = table_point_first_run(results, point, &r->run);
        r->point = point;
        r->first_run = run;
        if (table_need_int(run, r->run, x_path, &r->set, err) ||
            table_get_int(run, r->run, "summary.bytes_before_first_block", &ignored, &known, err) ||
            table_need_int(run, r->run, "summary.bytes_sent", &ignored, err) ||
            table_need_int(run, r->run, "effective.sndbuf", &r->sndbuf, err) ||
            table_need_int(run, r->run, "effective.rcvbuf", &r->rcvbuf, err))
            return -EINVAL;
        table_set_prefix(run, r->prefix, sizeof r->prefix);
        table_series_values(run, skip, r->values, sizeof r->values);
        for (r->series = 0; r->series < i; r->series++)
            if (!strcmp(rows[r->series].values, r->values) &&
                !strcmp(rows[r->series].prefix, r->prefix))
                break;
    }
    return 0;
}

static void write_series_title(FILE *out, const struct buffer_row *r, const char *x_key)
{
    if (!r->values[0])
        fprintf(out, "\"%s%s swept\"\n", r->prefix, x_key);
    else
        fprintf(out, "\"%s%s\"\n", r->prefix, r->values);
}

static void write_row(FILE *out, const struct buffer_row *r)
{
    const json_t *capacity = json_object_get(
        json_object_get(json_object_get(r->point, "predictions"), "bytes_sent"), "value");
    fprintf(out, "%" JSON_INTEGER_FORMAT, r->set);
    table_write_spread(out, r->point, "bytes_before_first_block");
    table_write_spread(out, r->point, "bytes_sent");
    fprintf(out, " %" JSON_INTEGER_FORMAT " %" JSON_INTEGER_FORMAT, r->sndbuf, r->rcvbuf);
    if (json_is_number(capacity))
        fprintf(out, " %.0f", json_number_value(capacity));
    else
        fprintf(out, " NaN");
    fprintf(out, " %d\n", aggregate_flagged(r->point, "bytes_sent"));
}

static int table_buffers(FILE *out, const json_t *results, size_t run_drawn, struct hl_error *err)
{
    const char *x_key = x_key_of(results);
    json_t *points;
    struct buffer_row *rows;
    size_t n;

    (void)run_drawn; /* one plot for the whole sweep */
    if (!x_key)
        return hl_error_set(err, "runs[0].sweep",
                            "the buffers plot needs a sweep over client.sndbuf or server.rcvbuf");
    points = aggregate_points(table_runs(results));
    n = json_array_size(points);
    rows = calloc(n ? n : 1, sizeof *rows);
    if (!rows) {
        json_decref(points);
        return hl_error_set(err, NULL, "out of memory");
    }
    if (read_rows(results, points, x_key, rows, err)) {
        free(rows);
        json_decref(points);
        return -EINVAL;
    }
    qsort(rows, n, sizeof *rows, buffer_compare);
    fprintf(out,
            "# buffer_set before before_min before_max sent sent_min sent_max effective_sndbuf"
            " effective_rcvbuf capacity flagged   (bytes; buffer_set: %s as set, 0 = kernel"
            " default; before: bytes sent before the first blocked send, sent: in all, each the"
            " median over the point's repeats with their min and max; effective: what"
            " getsockopt returned; capacity: what the buffers hold, the prediction's bound on"
            " sent while nobody reads (NaN when someone reads); flagged: 1 where sent exceeds"
            " it)\n",
            x_key);
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || rows[i].series != rows[i - 1].series) {
            if (i)
                fprintf(out, "\n\n");
            write_series_title(out, &rows[i], x_key);
        }
        write_row(out, &rows[i]);
    }
    free(rows);
    json_decref(points);
    return 0;
}

/* What the plot's axes do not say: which key is on x, and what the lines
 * are when another key is swept ("one line per server.rcvbuf"). */
static void buffers_title_note(char *title, size_t size, const json_t *results, const json_t *run)
{
    const char *x_key = x_key_of(results), *key;
    const json_t *value;
    size_t used = strlen(title);
    int others = 0;
    if (!x_key || used >= size)
        return;
    snprintf(title + used, size - used, ": x = %s", x_key);
    /* Every run sweeps the same keys: the first one tells. */
    json_object_foreach(json_object_get(run, "sweep"), key, value)
    {
        if (strcmp(key, x_key) == 0)
            continue;
        used = strlen(title);
        snprintf(title + used, size - used, "%s%s", others++ ? " x " : ", one line per ", key);
    }
}

const struct plot_table plot_table_buffers = {.write = table_buffers,
                                              .title_note = buffers_title_note};
