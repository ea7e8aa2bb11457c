/* table_handshakes.c: the handshakes table. Per somaxconn value, set and
 * value of any other swept key (server.backlog x tcp_syncookies: one per
 * syncookies value, titled "tcp_syncookies=1") two series: the measured rows, one per point,
 *   backlog connected connected_min connected_max attempted
 *           effective_backlog somaxconn flagged
 * then the kernel's prediction, min(backlog, somaxconn) + 1 handshakes
 * (predict.h), at the measured backlogs (measured 1) and where its slope
 * changes (measured 0):
 *   backlog predicted measured */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "plotkind.h"
#include "predict.h"
#include "table_read.h"

struct handshake_row {
    json_int_t backlog, attempted, effective_backlog, somaxconn;
    int effective_known;
    const json_t *point, *first_run;
    size_t run;
    char series[256]; /* the set and the other swept keys' values */
};

/* The keys the plot draws itself: on x, and in every series title. */
static const char *const drawn_keys[] = {"server.backlog", "sysctls.net.core.somaxconn", NULL};

/* ", tcp_syncookies=1": the other swept keys of a row's series, if any. */
static const char *series_note(const struct handshake_row *r, char *buf, size_t size)
{
    buf[0] = '\0';
    table_series_values(r->first_run, drawn_keys, buf + 2, size - 2);
    if (buf[2])
        memcpy(buf, ", ", 2);
    return buf;
}

static int handshake_compare(const void *a, const void *b)
{
    const struct handshake_row *x = a, *y = b;
    if (x->backlog != y->backlog)
        return x->backlog < y->backlog ? -1 : 1;
    return x->run < y->run ? -1 : x->run > y->run;
}

static void write_prediction_row(FILE *out, json_int_t backlog, json_int_t somaxconn,
                                 json_int_t clients, int measured)
{
    fprintf(out, "%" JSON_INTEGER_FORMAT " %lld %d\n", backlog,
            predict_handshakes(backlog, somaxconn, clients), measured);
}

static void write_prediction(FILE *out, const struct handshake_row *rows, size_t n)
{
    json_int_t somaxconn = rows[0].somaxconn, clients = 0, lo = -1, hi = -1;
    json_int_t corners[2];
    size_t i, c, corner_count = 0;

    for (i = 0; i < n; i++)
        if (rows[i].attempted > clients)
            clients = rows[i].attempted;
    char prefix[64], note[256];
    fprintf(out, "\n\n\"%spredicted, somaxconn=%" JSON_INTEGER_FORMAT "%s\"\n",
            table_set_prefix(rows[0].first_run, prefix, sizeof prefix), somaxconn,
            series_note(&rows[0], note, sizeof note));
    for (i = 0; i < n; i++) {
        if (rows[i].backlog < 0)
            continue;
        if (lo < 0)
            lo = rows[i].backlog;
        hi = rows[i].backlog;
    }
    /* Between the measured backlogs the prediction is linear except where
     * B meets somaxconn or the number of clients: add those corners. */
    if (somaxconn > lo && somaxconn < hi && somaxconn + 1 < clients)
        corners[corner_count++] = somaxconn;
    if (clients - 1 > lo && clients - 1 < hi && clients - 1 < somaxconn)
        corners[corner_count++] = clients - 1;
    if (corner_count == 2 && corners[0] > corners[1]) {
        json_int_t t = corners[0];
        corners[0] = corners[1];
        corners[1] = t;
    }
    /* rows are sorted by backlog. Negative backlogs are single points: the
     * kernel treats them as huge, so a blank line keeps them unjoined. */
    c = 0;
    for (i = 0; i < n; i++) {
        json_int_t b = rows[i].backlog;
        if (i > 0 && rows[i - 1].backlog == b)
            continue;
        if (b < 0) {
            write_prediction_row(out, b, somaxconn, clients, 1);
            fputc('\n', out);
            continue;
        }
        for (; c < corner_count && corners[c] <= b; c++)
            if (corners[c] < b)
                write_prediction_row(out, corners[c], somaxconn, clients, 0);
        write_prediction_row(out, b, somaxconn, clients, 1);
    }
}

/* One row per point from its first run; every field the table uses
 * checked. */
static int read_rows(const json_t *results, const json_t *points, struct handshake_row *rows,
                     struct hl_error *err)
{
    const json_t *point;
    size_t i;
    json_array_foreach(points, i, point)
    {
        struct handshake_row *r = &rows[i];
        json_int_t connected;
        const json_t *run = table_point_first_run(results, point, &r->run);
        r->point = point;
        r->first_run = run;
        if (table_need_int(run, r->run, "params.server.backlog", &r->backlog, err) ||
            table_need_int(run, r->run, "summary.connected", &connected, err) ||
            table_need_int(run, r->run, "summary.attempted", &r->attempted, err) ||
            table_get_int(run, r->run, "effective.backlog", &r->effective_backlog,
                          &r->effective_known, err) ||
            table_need_sysctl(run, r->run, "net.core.somaxconn", &r->somaxconn, err))
            return -EINVAL;
        char prefix[64];
        table_set_prefix(run, prefix, sizeof prefix);
        snprintf(r->series, sizeof r->series, "%s", prefix);
        table_series_values(run, drawn_keys, r->series + strlen(r->series),
                            sizeof r->series - strlen(r->series));
    }
    return 0;
}

/* Moves into group the rows not yet taken with the somaxconn and series
 * (set, other swept keys) of rows[first], sorted by backlog; returns how
 * many. */
static size_t take_group(const struct handshake_row *rows, size_t n, size_t first, char *taken,
                         struct handshake_row *group)
{
    size_t count = 0;
    for (size_t j = first; j < n; j++) {
        if (!taken[j] && rows[j].somaxconn == rows[first].somaxconn &&
            strcmp(rows[j].series, rows[first].series) == 0) {
            group[count++] = rows[j];
            taken[j] = 1;
        }
    }
    qsort(group, count, sizeof *group, handshake_compare);
    return count;
}

static void write_measured(FILE *out, const struct handshake_row *group, size_t count, int first)
{
    char prefix[64], note[256];
    fprintf(out, "%s\"%smeasured, somaxconn=%" JSON_INTEGER_FORMAT "%s\"\n", first ? "" : "\n\n",
            table_set_prefix(group[0].first_run, prefix, sizeof prefix), group[0].somaxconn,
            series_note(&group[0], note, sizeof note));
    for (size_t j = 0; j < count; j++) {
        int known;
        fprintf(out, "%" JSON_INTEGER_FORMAT, group[j].backlog);
        table_write_spread(out, group[j].point, "connected");
        fprintf(out, " %.0f", aggregate_stat(group[j].point, "attempted", "max", &known));
        if (group[j].effective_known)
            fprintf(out, " %" JSON_INTEGER_FORMAT, group[j].effective_backlog);
        else
            fprintf(out, " NaN");
        fprintf(out, " %" JSON_INTEGER_FORMAT " %d\n", group[j].somaxconn,
                aggregate_flagged(group[j].point, "connected"));
    }
}

static int table_handshakes(FILE *out, const json_t *results, size_t run_drawn,
                            struct hl_error *err)
{
    json_t *points = aggregate_points(table_runs(results));
    size_t n = json_array_size(points), done = 0;
    struct handshake_row *rows = calloc(n ? n : 1, sizeof *rows);
    struct handshake_row *group = calloc(n ? n : 1, sizeof *group);
    char *taken = calloc(n ? n : 1, 1);
    int rc = -ENOMEM;

    (void)run_drawn; /* one plot for the whole sweep */
    if (!rows || !group || !taken) {
        hl_error_set(err, NULL, "out of memory");
        goto fail;
    }
    rc = read_rows(results, points, rows, err);
    if (rc)
        goto fail;
    fprintf(out, "# backlog connected connected_min connected_max attempted effective_backlog"
                 " somaxconn flagged   (backlog: passed to listen(); connected: the median over"
                 " the point's repeats, with their min and max; the rest: connections; flagged:"
                 " 1 where a repeat departs from the prediction; one row per point)\n"
                 "# per somaxconn value (set, value of any other swept key) two series: the "
                 "measured rows, then the prediction"
                 " as `backlog predicted measured` (predicted: handshakes completed;"
                 " measured: 1 where a point used this backlog)\n");
    /* One pair of series per somaxconn value (set, other swept keys), in
     * the order they appear. */
    for (size_t i = 0; i < n; i++) {
        if (taken[i])
            continue;
        size_t count = take_group(rows, n, i, taken, group);
        write_measured(out, group, count, done == 0);
        write_prediction(out, group, count);
        done++;
    }
fail:
    free(rows);
    free(group);
    free(taken);
    json_decref(points);
    return rc;
}

const struct plot_table plot_table_handshakes = {.write = table_handshakes};
