/* export_csv.c: the tables of export.h as CSV text, and the two files
 * written both or neither. */
#include "export.h"

#include <csv.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic.h"
#include "files.h"

/* One cell: a missing value or null empty; text that a reader could take
 * for a separator or a quote, or that is empty, quoted by libcsv. */
static int write_cell(FILE *out, const json_t *value)
{
    const char *text;
    char *owned = NULL;
    size_t length;
    int rc;
    if (!value || json_is_null(value))
        return 0;
    if (json_is_string(value)) {
        text = json_string_value(value);
        length = json_string_length(value);
    } else {
        /* numbers as the results file has them; lists and {} as JSON */
        owned = json_dumps(value, JSON_ENCODE_ANY | JSON_COMPACT | JSON_SORT_KEYS);
        if (!owned)
            return -1;
        text = owned;
        length = strlen(owned);
    }
    if (length > 0 && !memchr(text, ',', length) && !memchr(text, '"', length) &&
        !memchr(text, '\n', length) && !memchr(text, '\r', length))
        rc = fwrite(text, 1, length, out) == length ? 0 : -1;
    else
        rc = csv_fwrite(out, text, length) == 0 ? 0 : -1;
    free(owned);
    return rc;
}

/* One line: the header (row NULL) or a row, its cells in column order. */
static int write_line(FILE *out, const struct export_table *table, const json_t *row)
{
    for (size_t c = 0; c < table->column_count; c++) {
        json_t *name = NULL;
        const json_t *cell;
        if (row) {
            cell = json_object_get(row, table->columns[c]);
        } else {
            cell = name = json_string(table->columns[c]);
            if (!name)
                return -1;
        }
        int rc = (c > 0 && fputc(',', out) == EOF) ? -1 : write_cell(out, cell);
        json_decref(name);
        if (rc)
            return rc;
    }
    return fputc('\n', out) == EOF ? -1 : 0;
}

int export_csv_text(const struct export_table *table, char **text, size_t *size,
                    struct hl_error *err)
{
    FILE *out;
    size_t i;
    json_t *row;
    int rc;
    *text = NULL;
    *size = 0;
    out = open_memstream(text, size);
    if (!out)
        return hl_error_setn(err, ENOMEM, NULL, "out of memory");
    rc = write_line(out, table, NULL);
    json_array_foreach(table->rows, i, row)
    {
        if (!rc)
            rc = write_line(out, table, row);
    }
    if (fclose(out) || rc) {
        free(*text);
        *text = NULL;
        return hl_error_setn(err, ENOMEM, NULL, "out of memory");
    }
    return 0;
}

/* runs.csv went in, connections.csv did not: the previous runs.csv back
 * (backup, when there was one) or the new one gone. Adds to err what the
 * directory holds now. */
static void put_back_runs(const char *runs, const char *backup, int had_previous,
                          struct hl_error *err)
{
    size_t n = strlen(err->what);
    if ((had_previous ? rename(backup, runs) : unlink(runs)) == 0)
        snprintf(err->what + n, sizeof err->what - n,
                 had_previous ? "; so the previous %s was put back" : "; so no %s either", runs);
    else
        snprintf(err->what + n, sizeof err->what - n,
                 "; %s could not be put back as it was (%s): the two files do not match", runs,
                 strerror(errno));
}

/* Both files into dir, runs.csv first; the texts made already. */
static int write_pair(const char *dir, char *const texts[2], const size_t sizes[2],
                      struct hl_error *err)
{
    char runs[PATH_MAX], connections[PATH_MAX], backup[PATH_MAX];
    int rc, had_previous = 1;
    snprintf(runs, sizeof runs, "%s/runs.csv", dir);
    snprintf(connections, sizeof connections, "%s/connections.csv", dir);
    snprintf(backup, sizeof backup, "%s/.runs.csv.previous.%ld", dir, (long)getpid());
    unlink(backup);
    if (link(runs, backup)) {
        int e = errno;
        if (e != ENOENT)
            return hl_error_setn(err, e, runs,
                                 "cannot keep the previous file while writing the new "
                                 "ones (a hard link %s): %s; nothing written",
                                 backup, strerror(e));
        had_previous = 0;
    }
    rc = atomic_write_text(runs, texts[0], sizes[0], err);
    if (!rc) {
        rc = atomic_write_text(connections, texts[1], sizes[1], err);
        if (rc)
            put_back_runs(runs, backup, had_previous, err);
    }
    if (had_previous)
        unlink(backup);
    return rc;
}

int export_csv_write(const struct export_tables *t, const char *dir, struct hl_error *err)
{
    char *texts[2] = {NULL, NULL};
    size_t sizes[2] = {0, 0};
    sigset_t block, saved;
    int rc;

    if ((rc = export_csv_text(&t->runs, &texts[0], &sizes[0], err)) ||
        (rc = export_csv_text(&t->connections, &texts[1], &sizes[1], err)) ||
        (rc = files_make_dirs(dir, err)))
        goto done;
    /* a signal between the two files would leave a pair that does not
     * match: it waits until both are in place, or neither */
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigprocmask(SIG_BLOCK, &block, &saved);
    rc = write_pair(dir, texts, sizes, err);
    sigprocmask(SIG_SETMASK, &saved, NULL);
done:
    free(texts[0]);
    free(texts[1]);
    return rc;
}
