/* eventlines.h: a peer's event log, read: the one code that opens one.
 *
 * harness-server and harness-client log one JSON object per line (peer's
 * eventlog.h). Two readers need those lines: the run log (runlog.h), which
 * keeps each connection as a record, and a half (half.h), which embeds a
 * side's events as they came. Both go through event_lines_read, so a log
 * that cannot be opened, or a broken line, is reported the same way: the
 * file, and for a broken line its number ("events.jsonl:7"). */
#ifndef HARNESS_EVENTLINES_H
#define HARNESS_EVENTLINES_H

#include <jansson.h>
#include <stddef.h>

#include "error.h"

/* Takes one line (with its newline, if any). Returns 0; -EINVAL for a
 * line that is not JSON, with jerr saying why; or another negative errno
 * (out of memory), which ends the reading. */
typedef int (*event_line_fn)(void *data, const char *line, size_t length, json_error_t *jerr);

/* Hands each line of the event log at path to take, in order, until the
 * end or the first failure. Returns 0 or take's negative errno, with err
 * naming the file (and the line, for a broken one); -errno with err naming
 * the file when it cannot be opened. */
int event_lines_read(const char *path, event_line_fn take, void *data, struct hl_error *err);

/* Every line parsed by jansson, in order, into a new array (*events):
 * what a half keeps of its side's log. *events is NULL on failure. */
int event_lines_read_array(const char *path, json_t **events, struct hl_error *err);

#endif
