/* table.h: results JSON -> the plain data tables that the gnuplot scripts
 * in plot/ read, one function per kind of plot.
 *
 * gnuplot should not parse JSON, and a student should be able to open a
 * table and check a plot against it, so each table is whitespace-separated
 * text: its first line a `#` comment naming the columns with their units,
 * strings (point labels, series titles) double-quoted. Tables with several
 * series separate them with two blank lines (gnuplot's `index`); a series
 * starts with a quoted line that the script uses as its title
 * (`title columnheader(1)`).
 *
 * The functions read a results object as results.h writes it and check
 * every field they use: on a missing or mistyped field they return -EINVAL
 * with err->where the key path ("runs[3].summary.connected") and write
 * nothing useful; the caller should discard what was written. */
#ifndef HARNESS_TABLE_H
#define HARNESS_TABLE_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#include "error.h"

/* The latency plot draws at most this many runs (its colours run out). */
#define TABLE_LATENCY_MAX_RUNS 12

/* Checks what every kind needs: "name", "plots" (known kinds only) and a
 * non-empty "runs" array of objects with "point", "sweep" and "summary". */
int table_check(const json_t *results, struct hl_error *err);

/* Whether name is a plot kind this module can write ("outcomes", ...). */
int table_kind_known(const char *name);

/* Whether base (a file name without its .png, .svg or .dat) is named like
 * the output of a known kind: "<kind>", or "<kind>-p<N>" for a timeline of
 * point N. Only such files are ever removed as stale (harness-plot). */
int table_plot_name_known(const char *base);

/* Whether the results' plots list implies the plot base: a kind of the
 * list; a timeline kind as "<kind>-p<N>" for a point N of its runs, or
 * as "<kind>" alone when the results have one point. Results without runs
 * imply none. What the report shows, and what harness-plot -p N keeps. */
int table_plot_implied(const json_t *results, const char *base);

/* The label of a run's point, as written in the tables: its sweep values
 * ("server.backlog=4"; with several keys each shortened to its last part
 * unless that is ambiguous: "backlog=4, somaxconn=2"), "(no sweep)" when the
 * scenario sweeps nothing, with ", repeat R" when the scenario repeats. */
void table_point_label(const json_t *results, const json_t *run, char *out, size_t size);

/* Which runs the transfer plot draws: the first run (repeat) of each point,
 * in point order. Fills at most max indexes into runs[] (which may be NULL
 * when max is 0) and returns how many points there are in all. */
size_t table_transfer_runs(const json_t *results, size_t *runs, size_t max);

/* outcomes: one row per point (aggregate.h), each outcome as the median
 * over its repeats with their min and max, then its flags:
 *   "label" connected connected_min connected_max refused ... accepted_max
 *           flag_count "fields flagged"  ("-" for none) */
int table_outcomes(FILE *out, const json_t *results, struct hl_error *err);

/* handshakes: per somaxconn value two series: the measured rows
 *   backlog connected attempted effective_backlog somaxconn
 * then the kernel's prediction at the measured backlogs (measured 1) and
 * where its slope changes (measured 0)
 *   backlog predicted measured */
int table_handshakes(FILE *out, const json_t *results, struct hl_error *err);

/* latency: one series per run (at most TABLE_LATENCY_MAX_RUNS), one row
 * per connection that reached an outcome:
 *   conn latency_s outcome_code "outcome" flagged
 * then per run the predicted SYN retransmit times and the ETIMEDOUT time
 * (its point's connect_us prediction, or the schedule of the run's own
 * sysctls where no connection waited), none beyond connect_timeout_ms. */
int table_latency(FILE *out, const json_t *results, struct hl_error *err);

/* transfer of one run (runs[run]): series 0 the client's bytes sent, 1 the
 * server's bytes read, both `t_s bytes` and held until the next row; series
 * 2 the blocked sends as boxes for `with boxxyerror`. */
int table_transfer(FILE *out, const json_t *results, size_t run, struct hl_error *err);

/* buffers: one series per server.rcvbuf value when client.sndbuf is swept
 * too, else one series; rows sorted by the buffer size set, 0 (kernel
 * default) last:
 *   buffer_set bytes_before_first_block bytes_sent effective_sndbuf effective_rcvbuf */
int table_buffers(FILE *out, const json_t *results, struct hl_error *err);

/* The sweep key the buffers plot puts on its x axis: "client.sndbuf" when
 * it is swept, else "server.rcvbuf", else NULL (no buffers plot possible). */
const char *table_buffers_x_key(const json_t *results);

/* rate: one row per run, sorted by the reader's rate:
 *   read_rate achieved_rate blocked_fraction bytes_read elapsed_s */
int table_rate(FILE *out, const json_t *results, struct hl_error *err);

/* accept_queue of one run (runs[run]): series 0 the sampled accept queue
 *   t_s queue limit capacity
 * (capacity = limit + 1), series 1 and 2 handshakes completed and
 * connections accepted so far (t_s count), series 3 the predicted SYN
 * retransmit times as vertical segments (t_s count). */
int table_accept_queue(FILE *out, const json_t *results, size_t run, struct hl_error *err);

/* queues of one run (runs[run]), for its first connection that connected:
 * series 0 and 1 its bytes sent and read, 2 and 3 its send queue
 * (SIOCOUTQ) and receive queue (SIOCINQ), all `t_s bytes` held until the
 * next row; 4 `t_s sndbuf rcvbuf`; 5 its blocked sends `start_s end_s`. */
int table_queues(FILE *out, const json_t *results, size_t run, struct hl_error *err);

/* The connection the queues plot draws (the first that connected) and how
 * many connected; 0 when none did. */
int table_queues_connection(const json_t *run, json_int_t *conn, size_t *connected);

/* buffer_grid: one row per point of a client.sndbuf x server.rcvbuf sweep
 *   x y sndbuf_set rcvbuf_set before sent flagged
 * (medians), then the tic labels of x and y as series `index "label"`. */
int table_buffer_grid(FILE *out, const json_t *results, struct hl_error *err);

/* Whether a kind draws one plot per point (a run's timeline): transfer,
 * accept_queue, queues. */
int table_kind_per_point(const char *kind);

/* The table of a kind (one of the functions above); run is the run a
 * timeline kind draws, ignored by the others. */
int table_write(FILE *out, const char *kind, const json_t *results, size_t run,
                struct hl_error *err);

#endif
