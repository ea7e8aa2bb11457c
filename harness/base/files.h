/* files.h: the file-system chores that the plot, compare and report tools
 * share: making an output directory, and the relative link from one
 * directory to a file (a report's href must work when the folder is moved
 * or served as is). Files are written with atomic.h. */
#ifndef HARNESS_FILES_H
#define HARNESS_FILES_H

#include <stddef.h>

#include "error.h"

/* mkdir -p: creates path and its missing parents; fails if path exists and
 * is not a directory. */
int files_make_dirs(const char *path, struct hl_error *err);

/* The path of target relative to the directory from_dir, both as given
 * (each is made absolute with realpath(); target's last part need not
 * exist yet), e.g. from "results/compare" to "results/reference/6.1/x.json":
 * "../reference/6.1/x.json". Returns 0, or a negative errno when a
 * directory cannot be resolved. */
int files_relative_path(const char *from_dir, const char *target, char *out, size_t size,
                        struct hl_error *err);

/* Whether path names an existing regular file. */
int files_exists(const char *path);

/* The first size - 1 bytes of a small file (a /proc entry, a note left
 * by another process) into out, NUL-terminated; "" when it cannot be
 * read. Returns the bytes read. */
size_t files_read_small(const char *path, char *out, size_t size);

#endif
