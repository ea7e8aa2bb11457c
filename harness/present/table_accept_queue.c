/* table_accept_queue.c: the accept_queue table of one run (runs[run]):
 * series 0 the sampled accept queue
 *   t_s queue limit capacity
 * (capacity = limit + 1), series 1 and 2 handshakes completed and
 * connections accepted so far (t_s count), series 3 the predicted SYN
 * retransmit times as vertical segments (t_s count), series 4 the request
 * sockets in SYN_RECV as harness-run read them through sock_diag (t_s
 * count; samples.syn_recv, or in results files written before it, a
 * server program's samples.server), untitled and empty where the run has
 * none. */
#include <errno.h>
#include <stdlib.h>

#include "aggregate.h"
#include "plotkind.h"
#include "table_read.h"

static int compare_int(const void *a, const void *b)
{
    json_int_t x = *(const json_int_t *)a, y = *(const json_int_t *)b;
    return (x > y) - (x < y);
}

/* A count over time from event times: "t_s count", starting at 0 and held
 * to elapsed_us. */
static void write_count_steps(FILE *out, const char *prefix, const char *title, json_int_t *times,
                              size_t n, json_int_t elapsed_us)
{
    qsort(times, n, sizeof *times, compare_int);
    fprintf(out, "\n\n\"%s%s\"\n0 0\n", prefix, title);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%.6f %zu\n", table_seconds(times[i]), i + 1);
    fprintf(out, "%.6f %zu\n", table_seconds(elapsed_us), n);
}

/* Series 0: the queue as sampled, its last sample held to elapsed_us;
 * *top raised to the largest capacity. */
static void write_queue(FILE *out, const json_t *samples, json_int_t elapsed_us, json_int_t *top)
{
    const json_t *sample;
    json_int_t last_queue = 0, last_limit = 0;
    size_t i, rows = 0;
    json_array_foreach(samples, i, sample)
    {
        const json_t *queue = json_object_get(sample, "queue");
        const json_t *limit = json_object_get(sample, "limit");
        json_int_t t = json_integer_value(json_object_get(sample, "t_us"));
        if (!json_is_integer(queue) || !json_is_integer(limit))
            continue; /* no listener to ask */
        fprintf(out,
                "%.6f %" JSON_INTEGER_FORMAT " %" JSON_INTEGER_FORMAT " %" JSON_INTEGER_FORMAT "\n",
                table_seconds(t), json_integer_value(queue), json_integer_value(limit),
                json_integer_value(limit) + 1);
        if (json_integer_value(limit) + 1 > *top)
            *top = json_integer_value(limit) + 1;
        last_queue = json_integer_value(queue);
        last_limit = json_integer_value(limit);
        rows++;
    }
    if (rows)
        fprintf(out,
                "%.6f %" JSON_INTEGER_FORMAT " %" JSON_INTEGER_FORMAT " %" JSON_INTEGER_FORMAT "\n",
                table_seconds(elapsed_us), last_queue, last_limit, last_limit + 1);
    else
        fprintf(out, "NaN NaN NaN NaN\n");
}

/* When the run's connections completed their handshake and were
 * accepted, and when the first connect() was called (-1: never). */
struct connection_times {
    json_int_t *connected, *accepted;
    size_t handshakes, accepts;
    json_int_t first_start_us;
};

static int read_times(const json_t *connections, struct connection_times *times)
{
    const json_t *c;
    size_t i, n = json_array_size(connections);
    times->connected = calloc(n + 1, sizeof *times->connected);
    times->accepted = calloc(n + 1, sizeof *times->accepted);
    if (!times->connected || !times->accepted)
        return -ENOMEM;
    json_array_foreach(connections, i, c)
    {
        const json_t *start = json_object_get(c, "start_us");
        const json_t *connect = json_object_get(c, "connect_us");
        const json_t *accept = json_object_get(c, "accepted_us");
        if (json_is_integer(start) &&
            (times->first_start_us < 0 || json_integer_value(start) < times->first_start_us))
            times->first_start_us = json_integer_value(start);
        if (json_is_integer(start) && json_is_integer(connect))
            times->connected[times->handshakes++] =
                json_integer_value(start) + json_integer_value(connect);
        if (json_is_integer(accept))
            times->accepted[times->accepts++] = json_integer_value(accept);
    }
    return 0;
}

/* Series 3: the point's predicted SYN retransmits after the first
 * connect(), up to the run's end, as segments from 0 to top + 1. */
static void write_retransmits(FILE *out, const json_t *results, const json_t *runobj,
                              const char *prefix, json_int_t first_start_us, json_int_t elapsed_us,
                              json_int_t top)
{
    json_t *points = aggregate_points(table_runs(results));
    const json_t *point =
        aggregate_find(points, json_integer_value(json_object_get(runobj, "point")));
    const json_t *connect = json_object_get(json_object_get(point, "predictions"), "connect_us");
    const json_t *t;
    size_t i, written = 0;
    fprintf(out, "\n\n\"%s%s\"\n", connect ? prefix : "",
            connect ? "predicted SYN retransmits" : "");
    json_array_foreach(json_object_get(connect, "retransmits_us"), i, t)
    {
        json_int_t at = first_start_us + json_integer_value(t);
        if (first_start_us < 0 || at > elapsed_us)
            break;
        fprintf(out, "%.6f 0\n%.6f %" JSON_INTEGER_FORMAT "\n\n", table_seconds(at),
                table_seconds(at), top + 1);
        written++;
    }
    if (!written)
        fprintf(out, "NaN NaN\n");
    json_decref(points);
}

/* Series 4: the half-open queue, when the samples have it, its last
 * sample held to elapsed_us. */
static void write_syn_recv(FILE *out, const json_t *samples, const char *prefix,
                           json_int_t elapsed_us)
{
    const json_t *sample, *count = NULL;
    size_t i, rows = 0;
    json_array_foreach(samples, i, sample)
    {
        if (!json_is_integer(json_object_get(sample, "syn_recv")))
            continue;
        if (rows++ == 0)
            fprintf(out, "\n\n\"%shalf-open, in SYN_RECV (sock_diag)\"\n", prefix);
        count = json_object_get(sample, "syn_recv");
        fprintf(out, "%.6f %" JSON_INTEGER_FORMAT "\n",
                table_seconds(json_integer_value(json_object_get(sample, "t_us"))),
                json_integer_value(count));
    }
    if (rows)
        fprintf(out, "%.6f %" JSON_INTEGER_FORMAT "\n", table_seconds(elapsed_us),
                json_integer_value(count));
    else
        fprintf(out, "\n\n\"\"\nNaN NaN\n");
}

static int table_accept_queue(FILE *out, const json_t *results, size_t run, struct hl_error *err)
{
    const json_t *runobj = table_run(results, run, err), *samples = NULL, *connections = NULL;
    struct connection_times times = {NULL, NULL, 0, 0, -1};
    json_int_t elapsed_us, top = 1;
    int rc = 0;
    char prefix[64];

    if (!runobj)
        return -EINVAL;
    if (table_need_int(runobj, run, "summary.elapsed_us", &elapsed_us, err) ||
        table_need_array(runobj, run, "samples.server", &samples, err) ||
        table_need_array(runobj, run, "connections", &connections, err))
        return -EINVAL;
    if (read_times(connections, &times)) {
        rc = hl_error_set(err, NULL, "out of memory");
        goto out;
    }
    fprintf(out,
            "# t_s queue limit capacity   (series 0: the accept queue sampled on the"
            " listener, by harness-server with TCP_INFO or for a server program by"
            " harness-run through sock_diag (samples.sources.server): its length, its limit "
            "min(backlog, somaxconn), and"
            " capacity = limit + 1, the most it holds; each held until the next row)\n"
            "# series 1 and 2: t_s count: handshakes completed (the client's connect()"
            " returned), connections accepted by the server, in all so far\n"
            "# series 3: the predicted SYN retransmit times after the first connect()"
            " (vertical segments t_s count), when some connection waited for one\n"
            "# series 4: t_s count: request sockets in SYN_RECV, the SYN queue, read"
            " through sock_diag by harness-run (empty when the run has none)\n"
            "\"%swaiting in the accept queue\"\n",
            table_set_prefix(runobj, prefix, sizeof prefix));
    write_queue(out, samples, elapsed_us, &top);
    if ((json_int_t)times.handshakes > top)
        top = (json_int_t)times.handshakes;
    write_count_steps(out, prefix, "handshakes completed (client)", times.connected,
                      times.handshakes, elapsed_us);
    write_count_steps(out, prefix, "accepted by the server", times.accepted, times.accepts,
                      elapsed_us);
    write_retransmits(out, results, runobj, prefix, times.first_start_us, elapsed_us, top);
    const json_t *syn_recv = json_object_get(json_object_get(runobj, "samples"), "syn_recv");
    write_syn_recv(out, json_is_array(syn_recv) ? syn_recv : samples, prefix, elapsed_us);
out:
    free(times.connected);
    free(times.accepted);
    return rc;
}

const struct plot_table plot_table_accept_queue = {.write = table_accept_queue};
