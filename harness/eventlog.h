/* eventlog.h: what a server or client process records, one JSON object per
 * line.
 *
 * The runner gives each child a file (--events); by hand the log goes to
 * stdout. A file, not a pipe, so a runner that is slow to read can never
 * block the child's event loop and change what it measures. Every event has
 * "event" (its kind) and, where it happened at a moment, "t_us" since the
 * run's start. The last line of a complete log is {"event": "end", ...}. */
#ifndef HARNESS_EVENTLOG_H
#define HARNESS_EVENTLOG_H

#include <jansson.h>
#include <stdio.h>

#include "error.h"

struct eventlog {
    FILE *out;
    int owned;
    int failed; /* a write failed (disk full): reported at close */
    int error;  /* the errno of the first failed write */
    char path[256];
};

/* path NULL or "-": stdout. */
int eventlog_open(struct eventlog *log, const char *path, struct hl_error *err);

/* Writes event (a reference is taken over) as one line. */
void eventlog_emit(struct eventlog *log, json_t *event);

int eventlog_flush(struct eventlog *log);

/* Flushes and closes; -EIO if any write failed. */
int eventlog_close(struct eventlog *log, struct hl_error *err);

#endif
