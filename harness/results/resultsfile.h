/* resultsfile.h: a results file, written once, atomically, and read back.
 *
 * The runner writes each run to a spool as the run ends, and keeps only
 * what the point summaries need; the file is the spool spliced into the
 * rest (splice.h), written at the end through the one atomic writer
 * (atomic.h). Its bytes are those json_dumpf(JSON_SORT_KEYS |
 * JSON_INDENT(2)) would write for the whole tree, but the runner holds
 * about 0.2 KB per connection instead of 6.5 KB, and writes 100,000
 * connections in a fraction of a second. */
#ifndef HARNESS_RESULTSFILE_H
#define HARNESS_RESULTSFILE_H

#include <jansson.h>
#include <stdio.h>

#include "error.h"
#include "runbuild.h"

/* Runs written as they come, so the runner never holds them all: an
 * unnamed file that vanishes with the runner, however it ends. */
struct results_spool {
    FILE *file;
    size_t runs;
};

/* Opens an empty spool in dir. */
int results_spool_open(struct results_spool *spool, const char *dir, struct hl_error *err);

/* Writes the run as it will stand in the results file. */
int results_spool_add(struct results_spool *spool, const struct results_run *run,
                      struct hl_error *err);

void results_spool_close(struct results_spool *spool);

/* One run as results_spool_add() would put it in a spool, saved to a file
 * of its own (a worker of harness-run --jobs leaves each run so). */
int results_run_save(const struct results_run *run, const char *path, struct hl_error *err);

/* Appends a run that results_run_save() saved, in its turn. */
int results_spool_append_saved(struct results_spool *spool, const char *path, struct hl_error *err);

/* results_write_atomic() of root with its "runs" taken from the spool
 * (root's own "runs", if any, is ignored): the same bytes as
 * json_dumpf(JSON_SORT_KEYS | JSON_INDENT(2)) of the whole, written in a
 * fraction of the time and memory. */
int results_write_spooled(const char *path, json_t *root, struct results_spool *spool,
                          struct hl_error *err);

/* Writes root to path through a temporary file in the same directory,
 * fsync, rename: a reader sees the old file or the new one, never half. */
int results_write_atomic(const char *path, json_t *root, struct hl_error *err);

/* Reads a results file back (new reference in *results): -EINVAL when it
 * is not valid JSON, -ENOMSG when it is JSON but not a results file (no
 * "format": RESULTS_FORMAT), -ENOENT when it cannot be read; err names the
 * file and says which. */
int results_read(const char *path, json_t **results, struct hl_error *err);

/* Checks, before any run starts, that path's directory is writable. */
int results_check_writable(const char *path, struct hl_error *err);

#endif
