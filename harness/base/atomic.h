/* atomic.h: the one way a file is written here, so that a reader sees the
 * old file or the new one, never half of one, whatever happens to the
 * writer: results, halves, data tables, pages.
 *
 * The content goes to an unnamed file in the target's directory
 * (O_TMPFILE): a writer killed mid-write (SIGKILL, a crash) leaves
 * nothing. Once complete and on disk (fsync), it is named beside the
 * target for the moment of the rename over it, and the directory is
 * synced. Where the file system has no O_TMPFILE, the file is named
 * .NAME.tmp.PID from the start; a failed write removes it, and the next
 * writer of the same target removes one whose process is gone. SIGINT,
 * SIGTERM and SIGHUP wait until the file is in place or removed. On any
 * failure an earlier file at the path is left as it was. */
#ifndef HARNESS_ATOMIC_H
#define HARNESS_ATOMIC_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"

/* Writes a file's whole content to out; returns 0, or -1 (with errno set
 * where it says why). */
typedef int (*atomic_content_fn)(FILE *out, void *data);

/* Writes path with what write_content writes. Returns 0, or a negative
 * errno with err naming path: "cannot write: No space left on device (the
 * previous file, if any, is unchanged)". */
int atomic_write(const char *path, atomic_content_fn write_content, void *data,
                 struct hl_error *err);

/* The same for size bytes of text held in memory. */
int atomic_write_text(const char *path, const char *text, size_t size, struct hl_error *err);

#endif
