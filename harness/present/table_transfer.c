/* table_transfer.c: the transfer table of one run (runs[run]): series 0
 * the client's bytes sent, 1 the server's bytes read, both `t_s bytes` and
 * held until the next row; series 2 the blocked sends as boxes for `with
 * boxxyerror`. */
#include <errno.h>
#include <string.h>

#include "plotkind.h"
#include "table_read.h"

struct step_series {
    const char *title, *key; /* "client: bytes sent", "bytes_sent" */
    const char *path;        /* "samples.client" */
};

/* Samples are only recorded when a value changed, so the series starts at
 * zero at t=0 and its last value is held until the run ended. */
static int write_steps(FILE *out, const json_t *runobj, size_t run, const struct step_series *s,
                       json_int_t elapsed_us, json_int_t *max_bytes, struct hl_error *err)
{
    const json_t *samples = NULL, *sample;
    json_int_t t_us = 0, bytes = 0;
    size_t i;

    if (table_need_array(runobj, run, s->path, &samples, err))
        return -EINVAL;
    char prefix[64];
    table_set_prefix(runobj, prefix, sizeof prefix);
    /* a program in a peer's place: its recv() or send() calls are not
     * seen (results/README.md, unmeasured); an empty series, named so */
    int server = strcmp(s->key, "bytes_read") == 0;
    if (json_object_get(runobj, server ? "server_program" : "client_program")) {
        fprintf(out, "\"%s%s (a program: not measured)\"\nNaN NaN\n\n\n", prefix, s->title);
        return 0;
    }
    fprintf(out, "\"%s%s\"\n", prefix, s->title);
    json_array_foreach(samples, i, sample)
    {
        const json_t *t = json_object_get(sample, "t_us"), *b = json_object_get(sample, s->key);
        char path[96];
        if (!json_is_integer(t) || !json_is_integer(b)) {
            snprintf(path, sizeof path, "%s[%zu].%s", s->path, i,
                     json_is_integer(t) ? s->key : "t_us");
            return table_field_error(err, run, path, json_is_integer(t) ? b : t, "an integer");
        }
        if (i == 0 && json_integer_value(t) > 0)
            fprintf(out, "0 0\n");
        t_us = json_integer_value(t);
        bytes = json_integer_value(b);
        if (bytes > *max_bytes)
            *max_bytes = bytes;
        fprintf(out, "%.6f %" JSON_INTEGER_FORMAT "\n", table_seconds(t_us), bytes);
    }
    if (json_array_size(samples) == 0)
        fprintf(out, "0 0\n");
    if (elapsed_us > t_us)
        fprintf(out, "%.6f %" JSON_INTEGER_FORMAT "\n", table_seconds(elapsed_us), bytes);
    fprintf(out, "\n\n");
    return 0;
}

/* Series 2: one box per blocked send, across the whole height. */
static int write_blocks(FILE *out, const json_t *runobj, size_t run, const json_t *blocks,
                        json_int_t elapsed_us, json_int_t max_bytes, struct hl_error *err)
{
    const json_t *block;
    size_t i;
    char prefix[64];
    table_set_prefix(runobj, prefix, sizeof prefix);
    if (json_array_size(blocks) == 1)
        fprintf(out, "\"%ssender blocked (once)\"\n", prefix);
    else if (json_array_size(blocks) > 1)
        fprintf(out, "\"%ssender blocked (%zu times)\"\n", prefix, json_array_size(blocks));
    else
        fprintf(out, "\"%sthe sender never blocked\"\nNaN NaN NaN NaN NaN NaN NaN NaN\n", prefix);
    json_array_foreach(blocks, i, block)
    {
        json_int_t start_us, end_us = elapsed_us, conn, before;
        int ended = 0;
        char path[64];
        snprintf(path, sizeof path, "blocks[%zu].start_us", i);
        if (table_need_int(runobj, run, path, &start_us, err))
            return -EINVAL;
        /* A send still blocked when the run stopped has no end. */
        snprintf(path, sizeof path, "blocks[%zu].end_us", i);
        if (table_get_int(runobj, run, path, &end_us, &ended, err))
            return -EINVAL;
        if (!ended)
            end_us = elapsed_us;
        conn = json_integer_value(json_object_get(block, "conn"));
        before = json_integer_value(json_object_get(block, "bytes_before"));
        fprintf(out,
                "%.6f %.1f %.6f %.6f 0 %" JSON_INTEGER_FORMAT " %" JSON_INTEGER_FORMAT
                " %" JSON_INTEGER_FORMAT "\n",
                table_seconds(start_us + end_us) / 2, (double)max_bytes / 2,
                table_seconds(start_us), table_seconds(end_us), max_bytes, conn, before);
    }
    return 0;
}

static int table_transfer(FILE *out, const json_t *results, size_t run, struct hl_error *err)
{
    static const struct step_series client = {"client: bytes sent", "bytes_sent", "samples.client"};
    static const struct step_series server = {"server: bytes read", "bytes_read", "samples.server"};
    const json_t *runobj = table_run(results, run, err), *blocks = NULL;
    json_int_t elapsed_us, max_bytes = 0;

    if (!runobj)
        return -EINVAL;
    if (table_need_int(runobj, run, "summary.elapsed_us", &elapsed_us, err) ||
        table_need_array(runobj, run, "blocks", &blocks, err))
        return -EINVAL;
    fprintf(out, "# t_s bytes   (series 0 and 1: seconds since the run's start, bytes in all so"
                 " far, each value held until the next row)\n"
                 "# series 2, one row per blocked send, for `with boxxyerror`: mid_s mid_bytes"
                 " start_s end_s bottom_bytes top_bytes conn bytes_before\n");
    if (write_steps(out, runobj, run, &client, elapsed_us, &max_bytes, err) ||
        write_steps(out, runobj, run, &server, elapsed_us, &max_bytes, err))
        return -EINVAL;
    if (max_bytes == 0)
        max_bytes = 1;
    return write_blocks(out, runobj, run, blocks, elapsed_us, max_bytes, err);
}

const struct plot_table plot_table_transfer = {.write = table_transfer};
