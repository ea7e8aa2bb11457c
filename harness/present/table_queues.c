/* table_queues.c: the queues table of one run (runs[run]), for its first
 * connection that connected: series 0 and 1 its bytes sent and read, 2
 * and 3 its send queue (SIOCOUTQ) and receive queue (SIOCINQ), all `t_s
 * bytes` held until the next row; 4 `t_s sndbuf rcvbuf`; 5 its blocked
 * sends `start_s end_s`. */
#include <errno.h>
#include <string.h>

#include "aggregate.h"
#include "plotkind.h"
#include "table_read.h"

/* The connection the queues plot draws (the first that connected) and how
 * many connected; 0 when none did. */
static int first_connection(const json_t *runobj, json_int_t *conn, size_t *connected)
{
    const json_t *c;
    size_t i;
    int found = 0;
    *connected = 0;
    json_array_foreach(json_object_get(runobj, "connections"), i, c)
    {
        const char *outcome = json_string_value(json_object_get(c, "outcome"));
        if (!outcome || strcmp(outcome, "connected") != 0)
            continue;
        (*connected)++;
        if (!found) {
            *conn = json_is_integer(json_object_get(c, "conn"))
                        ? json_integer_value(json_object_get(c, "conn"))
                        : (json_int_t)i;
            found = 1;
        }
    }
    return found;
}

/* One connection's column over time from a side's samples ("t_s value"),
 * column 1 its byte count, 2 its queue: from 0 until it is first listed,
 * then as listed; once no longer listed (closed) its queue is 0 and its
 * count `final` (its total, which a sample may not have seen: it closed
 * right after its last send); the last value held to elapsed_us. */
static void write_conn_steps(FILE *out, int first, const char *prefix, const char *title,
                             const json_t *samples, json_int_t conn, int column, json_int_t final,
                             json_int_t elapsed_us, json_int_t *max)
{
    const json_t *sample;
    size_t i;
    json_int_t value = 0;
    int listed = 0;
    fprintf(out, "%s\"%s%s\"\n0 0\n", first ? "" : "\n\n", prefix, title);
    json_array_foreach(samples, i, sample)
    {
        const json_t *entry, *conns = json_object_get(sample, "conns");
        size_t k;
        int here = 0;
        json_int_t t = json_integer_value(json_object_get(sample, "t_us"));
        if (!json_is_array(conns))
            continue; /* over the cap: this sample kept only its totals */
        json_array_foreach(conns, k, entry)
        {
            if (json_integer_value(json_array_get(entry, 0)) != conn)
                continue;
            here = 1;
            value = json_integer_value(json_array_get(entry, (size_t)column));
        }
        if (!here && !listed)
            continue;
        if (!here)
            value = column == 2 ? 0 : final;
        if (!here && listed > 0) {
            fprintf(out, "%.6f %" JSON_INTEGER_FORMAT "\n", table_seconds(t), value);
            listed = -1; /* closed */
            continue;
        }
        if (here && listed >= 0) {
            fprintf(out, "%.6f %" JSON_INTEGER_FORMAT "\n", table_seconds(t), value);
            listed = 1;
        }
        if (value > *max)
            *max = value;
    }
    if (listed >= 0 && column == 1 && final > value)
        fprintf(out, "%.6f %" JSON_INTEGER_FORMAT "\n", table_seconds(elapsed_us), value = final);
    else
        fprintf(out, "%.6f %" JSON_INTEGER_FORMAT "\n", table_seconds(elapsed_us), value);
    if (value > *max)
        *max = value;
}

/* Series 4: the buffers the kernel granted; the largest seen when it grew
 * them. */
static void write_buffers(FILE *out, const json_t *runobj, const json_t *c, const char *prefix,
                          json_int_t elapsed_us)
{
    const json_t *rcvbuf_max = aggregate_path(runobj, "effective.rcvbuf_max");
    json_int_t sndbuf = json_is_integer(json_object_get(c, "sndbuf"))
                            ? json_integer_value(json_object_get(c, "sndbuf"))
                            : json_integer_value(aggregate_path(runobj, "effective.sndbuf"));
    json_int_t rcvbuf = json_integer_value(aggregate_path(runobj, "effective.rcvbuf"));
    if (json_is_integer(rcvbuf_max) && json_integer_value(rcvbuf_max) > rcvbuf)
        rcvbuf = json_integer_value(rcvbuf_max);
    fprintf(out, "\n\n\"%sbuffers\"\n0 %" JSON_INTEGER_FORMAT " %" JSON_INTEGER_FORMAT "\n", prefix,
            sndbuf, rcvbuf);
    fprintf(out, "%.6f %" JSON_INTEGER_FORMAT " %" JSON_INTEGER_FORMAT "\n",
            table_seconds(elapsed_us), sndbuf, rcvbuf);
}

/* Series 5: the connection's blocked sends; one still blocked at the end
 * of the run ends there. */
static void write_blocks(FILE *out, const json_t *blocks, json_int_t conn, const char *prefix,
                         json_int_t elapsed_us)
{
    const json_t *block;
    size_t i, count = 0;
    json_array_foreach(blocks, i, block)
    {
        if (json_integer_value(json_object_get(block, "conn")) == conn)
            count++;
    }
    if (count == 0)
        fprintf(out, "\n\n\"%sthe sender never blocked\"\nNaN NaN\n", prefix);
    else
        fprintf(out, "\n\n\"%ssend() blocked (%zu time%s)\"\n", prefix, count,
                count > 1 ? "s" : "");
    json_array_foreach(blocks, i, block)
    {
        const json_t *end = json_object_get(block, "end_us");
        if (json_integer_value(json_object_get(block, "conn")) != conn)
            continue;
        fprintf(out, "%.6f %.6f\n",
                table_seconds(json_integer_value(json_object_get(block, "start_us"))),
                table_seconds(json_is_integer(end) ? json_integer_value(end) : elapsed_us));
    }
}

static int table_queues(FILE *out, const json_t *results, size_t run, struct hl_error *err)
{
    const json_t *runobj = table_run(results, run, err), *blocks = NULL;
    const json_t *client = NULL, *server = NULL;
    json_int_t elapsed_us, conn = 0, max_bytes = 1, max_queue = 1;
    size_t connected;
    char prefix[64];

    if (!runobj)
        return -EINVAL;
    if (table_need_int(runobj, run, "summary.elapsed_us", &elapsed_us, err) ||
        table_need_array(runobj, run, "blocks", &blocks, err) ||
        table_need_array(runobj, run, "samples.client", &client, err) ||
        table_need_array(runobj, run, "samples.server", &server, err))
        return -EINVAL;
    if (!first_connection(runobj, &conn, &connected))
        return hl_error_set(err, NULL,
                            "runs[%zu]: the queues plot needs a connection that connected", run);
    table_set_prefix(runobj, prefix, sizeof prefix);
    const json_t *c = json_array_get(json_object_get(runobj, "connections"), (size_t)conn);
    fprintf(out,
            "# one connection, conn %" JSON_INTEGER_FORMAT " (of %zu that connected): t_s bytes,"
            " each value held until the next row\n"
            "# series 0 and 1: bytes it sent (client) and read (server) in all so far; 2 and 3:"
            " its send queue (client, SIOCOUTQ: sent, not acknowledged) and receive queue"
            " (server, SIOCINQ: arrived, not read)\n"
            "# series 4: `t_s sndbuf rcvbuf`, the buffers getsockopt reported (SO_SNDBUF at"
            " close, SO_RCVBUF the largest seen)\n"
            "# series 5, one row per blocked send of this connection: start_s end_s\n",
            conn, connected);
    write_conn_steps(out, 1, prefix, "client: bytes sent", client, conn, 1,
                     json_integer_value(json_object_get(c, "bytes_sent")), elapsed_us, &max_bytes);
    write_conn_steps(out, 0, prefix, "server: bytes read", server, conn, 1,
                     json_integer_value(json_object_get(c, "bytes_read")), elapsed_us, &max_bytes);
    write_conn_steps(out, 0, prefix, "client: send queue (SIOCOUTQ)", client, conn, 2, 0,
                     elapsed_us, &max_queue);
    write_conn_steps(out, 0, prefix, "server: receive queue (SIOCINQ)", server, conn, 2, 0,
                     elapsed_us, &max_queue);
    write_buffers(out, runobj, c, prefix, elapsed_us);
    write_blocks(out, blocks, conn, prefix, elapsed_us);
    return 0;
}

/* Which connection the plot follows, when several connected. */
static void queues_title_note(char *title, size_t size, const json_t *results, const json_t *run)
{
    json_int_t conn;
    size_t connected, used = strlen(title);
    (void)results;
    if (first_connection(run, &conn, &connected) && connected > 1 && used < size)
        snprintf(title + used, size - used, " (connection %" JSON_INTEGER_FORMAT " of %zu)", conn,
                 connected);
}

const struct plot_table plot_table_queues = {.write = table_queues,
                                             .title_note = queues_title_note};
