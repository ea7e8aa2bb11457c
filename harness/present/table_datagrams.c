/* table_datagrams.c: the datagrams table, one row per point (aggregate.h):
 * what send() took, what the receiver kept and what was lost, each the
 * median over the point's repeats with their min and max, beside what
 * the sender offered and the kernel's predictions:
 *   "label" sent sent_min sent_max kept kept_min kept_max lost lost_min
 *   lost_max offered predicted_kept predicted_sent in_bytes
 * In datagrams when every point is UDP; in bytes (in_bytes 1) when a point
 * is TCP, a sweep over protocol, so that both stories share one scale:
 *   UDP  sent: the datagrams send() took (in bytes: bytes_sent); kept:
 *        those delivered, every sequence number read during the run or
 *        out of the queue at the end (in bytes: delivered x chunk, at most
 *        bytes_sent: a short last datagram counts as a whole chunk); lost:
 *        sent - kept, what the kernel dropped at a full receive buffer.
 *   TCP  sent: the bytes send() took before the run ended (the sender
 *        waits at EAGAIN instead of losing anything); kept: read, or in the
 *        receive or send queue at the end (NaN where those were not read);
 *        lost: sent - kept, which TCP makes 0.
 * offered: what the client was asked to send (udp.datagrams, or
 * client.send.bytes per connection); predicted_kept: a UDP receiver that
 * never reads keeps floor(SO_RCVBUF / truesize), predictions
 * ["udp.queued_at_end"] (the newer rule where the kernel's release leaves
 * two); predicted_sent: the most TCP takes from a sender whose reader
 * never reads, predictions.bytes_sent; NaN where the rule does not apply. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "aggregate.h"
#include "plotkind.h"
#include "table_read.h"

struct amounts {
    double sent, kept, lost;
};

static int is_udp(const json_t *run)
{
    return json_is_object(aggregate_path(run, "summary.udp"));
}

static int udp_amounts(const json_t *run, size_t index, int in_bytes, struct amounts *a,
                       struct hl_error *err)
{
    json_int_t sent, delivered, chunk, bytes;
    if (table_need_int(run, index, "summary.udp.sent", &sent, err) ||
        table_need_int(run, index, "summary.udp.delivered", &delivered, err) ||
        table_need_int(run, index, "params.client.send.chunk", &chunk, err) ||
        table_need_int(run, index, "summary.bytes_sent", &bytes, err))
        return -EINVAL;
    if (!in_bytes) {
        *a = (struct amounts){(double)sent, (double)delivered, (double)(sent - delivered)};
        return 0;
    }
    double kept = fmin((double)delivered * (double)chunk, (double)bytes);
    *a = (struct amounts){(double)bytes, kept, (double)bytes - kept};
    return 0;
}

static int tcp_amounts(const json_t *run, size_t index, struct amounts *a, struct hl_error *err)
{
    json_int_t sent, read, receive_queue, send_queue;
    int receive_known, send_known;
    if (table_need_int(run, index, "summary.bytes_sent", &sent, err) ||
        table_need_int(run, index, "summary.bytes_read", &read, err) ||
        table_get_int(run, index, "summary.receive_queue_at_end", &receive_queue, &receive_known,
                      err) ||
        table_get_int(run, index, "summary.send_queue_at_end", &send_queue, &send_known, err))
        return -EINVAL;
    a->sent = (double)sent;
    a->kept = a->lost = NAN;
    if (receive_known && send_known) {
        a->kept = (double)(read + receive_queue + send_queue);
        a->lost = fmax(a->sent - a->kept, 0.0);
    }
    return 0;
}

/* " v", NaN as gnuplot reads it */
static void write_number(FILE *out, double v)
{
    if (isnan(v))
        fputs(" NaN", out);
    else
        fprintf(out, " %.10g", v);
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* " median min max" of the n values (NaN left out; NaN for none), the
 * median of an even count the mean of the two middle ones (aggregate.h). */
static void write_spread(FILE *out, double *values, size_t n)
{
    size_t known = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(values[i]))
            values[known++] = values[i];
    if (!known) {
        fputs(" NaN NaN NaN", out);
        return;
    }
    qsort(values, known, sizeof values[0], compare_doubles);
    double median =
        known % 2 ? values[known / 2] : (values[known / 2 - 1] + values[known / 2]) / 2.0;
    fprintf(out, " %.10g %.10g %.10g", median, values[0], values[known - 1]);
}

/* The point's three amounts over its runs. */
static int write_amounts(FILE *out, const json_t *results, const json_t *point, int in_bytes,
                         struct hl_error *err)
{
    const json_t *indexes = json_object_get(point, "runs"), *index;
    size_t n = json_array_size(indexes), i;
    double *values = calloc(3 * (n ? n : 1), sizeof *values);
    int rc = values ? 0 : -ENOMEM;
    json_array_foreach(indexes, i, index)
    {
        struct amounts a;
        size_t at = (size_t)json_integer_value(index);
        const json_t *run = rc ? NULL : table_run(results, at, err);
        if (!run)
            rc = rc ? rc : -EINVAL;
        else if (is_udp(run))
            rc = udp_amounts(run, at, in_bytes, &a, err);
        else
            rc = tcp_amounts(run, at, &a, err);
        if (rc)
            break;
        values[i] = a.sent;
        values[n + i] = a.kept;
        values[2 * n + i] = a.lost;
    }
    for (int k = 0; k < 3 && !rc; k++)
        write_spread(out, values + (size_t)k * n, n);
    free(values);
    return rc;
}

/* A prediction's value ("value", or the first of "values"), NaN when the
 * point has none. */
static double predicted(const json_t *point, const char *field)
{
    const json_t *p = json_object_get(json_object_get(point, "predictions"), field);
    const json_t *value = json_object_get(p, "value");
    if (!value)
        value = json_array_get(json_object_get(p, "values"), 0);
    return json_is_number(value) ? json_number_value(value) : NAN;
}

/* offered predicted_kept predicted_sent, in the table's unit. */
static void write_beside(FILE *out, const json_t *run, const json_t *point, int in_bytes)
{
    double chunk = (double)json_integer_value(aggregate_path(run, "params.client.send.chunk"));
    double bytes = (double)json_integer_value(aggregate_path(run, "params.client.send.bytes"));
    double offered = bytes, kept = NAN, sent = NAN;
    if (is_udp(run)) {
        double datagrams = (double)json_integer_value(aggregate_path(run, "summary.udp.datagrams"));
        offered = in_bytes ? bytes : datagrams;
        kept = predicted(point, "udp.queued_at_end") * (in_bytes ? chunk : 1.0);
    } else {
        const json_t *connections = aggregate_path(run, "params.client.connections");
        offered =
            bytes * (json_is_integer(connections) ? (double)json_integer_value(connections) : 1.0);
        sent = predicted(point, "bytes_sent");
    }
    write_number(out, offered);
    write_number(out, kept);
    write_number(out, sent);
    fprintf(out, " %d\n", in_bytes);
}

static int table_datagrams(FILE *out, const json_t *results, size_t run_drawn, struct hl_error *err)
{
    json_t *points = aggregate_points(table_runs(results));
    const json_t *point, *run;
    size_t i;
    int rc = 0, in_bytes = 0;

    (void)run_drawn; /* one plot for the whole sweep */
    json_array_foreach(table_runs(results), i, run) in_bytes |= !is_udp(run);
    fprintf(out,
            "# point sent sent_min sent_max kept kept_min kept_max lost lost_min lost_max"
            " offered predicted_kept predicted_sent in_bytes   (%s; UDP: sent by send(),"
            " kept = delivered, read or queued at the end, lost = dropped at a full receive"
            " buffer; TCP: taken by send(), kept = read or queued at the end, lost = sent -"
            " kept; the median over the point's repeats with their min and max;"
            " predicted_kept: floor(SO_RCVBUF / truesize) for a UDP receiver that never"
            " reads; predicted_sent: TCP's most, SO_SNDBUF + 1.5 x SO_RCVBUF)\n",
            in_bytes ? "bytes" : "datagrams");
    json_array_foreach(points, i, point)
    {
        size_t first;
        char label[512];
        run = table_point_first_run(results, point, &first);
        table_label(results, run, 0, label, sizeof label);
        fprintf(out, "\"%s\"", label);
        if ((rc = write_amounts(out, results, point, in_bytes, err)))
            break;
        write_beside(out, run, point, in_bytes);
    }
    json_decref(points);
    return rc;
}

const struct plot_table plot_table_datagrams = {.write = table_datagrams};
