/* export.h: a results file as two tables for spreadsheets, pandas and R
 * (harness-export --csv DIR): runs.csv, one row per run, and
 * connections.csv, one row per connection.
 *
 * A row is the run (or the connection) flattened: every member of an
 * object becomes a column named by its dotted path (params.server.backlog,
 * summary.kernel.ListenOverflows, sweep.server.backlog; sysctl names keep
 * their dots: params.sysctls.net.core.somaxconn), down to a value that is
 * not an object. A run's rows leave out its per-event detail
 * (EXPORT_RUN_DETAIL: connections, blocks, samples, server_events), of
 * which connections.csv has the connections; each connection's row starts
 * with its run's point and repeat. The columns are the union over all rows:
 * the leading ones first (point, repeat; then conn), the rest sorted by
 * name (byte order), the same for the same results. A row without a column
 * has an empty cell there, and so has a JSON null; true and false are
 * written as such, numbers as the results file has them, strings as they
 * are, and a list or an empty object (effective.link.qdiscs.*) as its
 * compact JSON text.
 *
 * The CSV (RFC 4180, one line per row after the header, "\n" ends a row) is
 * quoted by libcsv (csv_fwrite): a cell that holds a comma, a double quote
 * or a line break, or is an empty string, is quoted with its quotes
 * doubled; other cells are written as they are, and a missing value is an
 * empty unquoted cell.
 *
 *   struct export_tables t;
 *   if (export_tables_build(&t, results, &err) == 0)
 *       rc = export_csv_write(&t, dir, &err);
 *   export_tables_free(&t);
 */
#ifndef HARNESS_EXPORT_H
#define HARNESS_EXPORT_H

#include <jansson.h>
#include <stddef.h>

#include "error.h"

/* A run's members that are per-event detail, not a column of runs.csv. */
#define EXPORT_RUN_DETAIL                                                                          \
    {                                                                                              \
        "connections", "blocks", "samples", "server_events"                                        \
    }

struct export_table {
    const char *name; /* "runs", "connections": the file is <name>.csv */
    char **columns;   /* the header, malloc'ed names */
    size_t column_count;
    json_t *rows; /* array of objects, column -> the value (never an object but {}) */
};

struct export_tables {
    struct export_table runs, connections;
};

/* Checks that results is a results file this version reads ("format" is
 * RESULTS_FORMAT; "runs" a list of objects with integer "point" and
 * "repeat"; each run's "connections", if any, a list of objects) and
 * builds both tables. Returns 0, -EINVAL with err naming the key path
 * ("runs[3].point") and what is wrong, or -ENOMEM. t is always safe to
 * export_tables_free. */
int export_tables_build(struct export_tables *t, const json_t *results, struct hl_error *err);

void export_tables_free(struct export_tables *t);

/* The table as CSV text, malloc'ed into *text (its length in *size). */
int export_csv_text(const struct export_table *table, char **text, size_t *size,
                    struct hl_error *err);

/* Writes dir/runs.csv and dir/connections.csv (dir made if missing), both
 * or neither: the text of both is made first, then each file is written
 * atomically (atomic.h), runs.csv first. Should connections.csv fail, the
 * runs.csv that was there before is put back (kept meanwhile as a hard
 * link, .runs.csv.previous.PID) or, if there was none, the new one
 * removed, so the two files in dir always come from one results file.
 * SIGINT, SIGTERM and SIGHUP wait until both are written or neither. */
int export_csv_write(const struct export_tables *t, const char *dir, struct hl_error *err);

#endif
