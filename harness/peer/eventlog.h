/* eventlog.h: what a server or client process records, one JSON object per
 * line.
 *
 * The runner gives each child a file (--events); by hand the log goes to
 * stdout (the main hands it over: eventlog_open_stream). A file, not a pipe, so a runner that is
 * slow to read can never block the child's event loop and change what it measures. Every event has
 * "event" (its kind) and, where it happened at a moment, "t_us" since the
 * run's start. The last line of a complete log is {"event": "end", ...}. */
#ifndef HARNESS_EVENTLOG_H
#define HARNESS_EVENTLOG_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "digits.h"
#include "error.h"

struct eventlog {
    FILE *out;
    int owned;
    int failed; /* a write failed (disk full): reported at close */
    int error;  /* the errno of the first failed write */
    char path[256];
    int64_t cost_ns; /* spent making and writing lines: what logging costs */
};

/* A line under construction, for the events written once per connection
 * (and per blocked send): formatted straight into a buffer, where a json_t
 * tree costs an allocation or two per field (measured: a connection's
 * event in 0.4 us instead of 6 us). The line holds the same JSON object
 * json_dumpf(JSON_COMPACT) would write, keys in the order they are added.
 * Keys must be plain ASCII names (they are not escaped); string values
 * are. A field that would not fit in EVENTLOG_LINE_MAX is left out, so a
 * line is always one valid object. The time from event_line_start to the
 * end of eventlog_emit_line (and of eventlog_emit) adds to the log's
 * cost_ns, reported as logging_us: measured on one line in 16, which
 * counts for 16. */
#define EVENTLOG_LINE_MAX 4096

struct event_line {
    char text[EVENTLOG_LINE_MAX];
    size_t length;
    int64_t started_ns; /* for eventlog.cost_ns; 0: this line is not timed */
};

/* Starts {"event":"KIND". */
void event_line_start(struct event_line *line, const char *kind);
void event_line_int(struct event_line *line, const char *key, int64_t value);
/* value NULL: the field is left out */
void event_line_string(struct event_line *line, const char *key, const char *value);
void event_line_true(struct event_line *line, const char *key);
/* "key":[[v,v,...],...]: rows of columns integers, from values row by row */
void event_line_int_rows(struct event_line *line, const char *key, const int64_t *values,
                         size_t rows, size_t columns);

/* Closes the object and writes it as one line. */
void eventlog_emit_line(struct eventlog *log, struct event_line *line);

/* A log written to the file at path (created or truncated). */
int eventlog_open(struct eventlog *log, const char *path, struct hl_error *err);

/* A log written to an open stream the caller keeps (the main's stdout,
 * where a peer run by hand writes its events); name says which, for
 * messages. */
void eventlog_open_stream(struct eventlog *log, FILE *out, const char *name);

/* A log that records nothing (--no-events): every emit returns at once,
 * and the callers of eventlog_enabled() skip making their events. */
void eventlog_open_none(struct eventlog *log);

static inline int eventlog_enabled(const struct eventlog *log)
{
    return log->out != NULL;
}

/* Writes event (a reference is taken over) as one line. */
void eventlog_emit(struct eventlog *log, json_t *event);

int eventlog_flush(struct eventlog *log);

/* Flushes and closes; -EIO if any write failed. */
int eventlog_close(struct eventlog *log, struct hl_error *err);

#endif
