/* eventlog.c: see eventlog.h. */
#include "eventlog.h"

#include "clock.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

void eventlog_open_stream(struct eventlog *log, FILE *out, const char *name)
{
    log->failed = 0;
    log->error = 0;
    log->cost_ns = 0;
    snprintf(log->path, sizeof log->path, "%s", name);
    log->out = out;
    log->owned = 0;
}

int eventlog_open(struct eventlog *log, const char *path, struct hl_error *err)
{
    eventlog_open_stream(log, NULL, path);
    log->out = fopen(path, "we");
    if (!log->out)
        return hl_error_setn(err, errno, path, "cannot write the event log: %s", strerror(errno));
    log->owned = 1;
    /* large buffer: events are written in bursts, read only at the end */
    setvbuf(log->out, NULL, _IOFBF, 1 << 16);
    return 0;
}

void eventlog_open_none(struct eventlog *log)
{
    eventlog_open_stream(log, NULL, "(none)");
}

/* Keeps the first error: the one that says why (ENOSPC, EIO ...). */
static void eventlog_note_failure(struct eventlog *log)
{
    if (!log->failed)
        log->error = errno;
    log->failed = 1;
}

void eventlog_emit(struct eventlog *log, json_t *event)
{
    if (!log->out) {
        json_decref(event);
        return;
    }
    int64_t started_ns = clock_now_ns();
    if (json_dumpf(event, log->out, JSON_COMPACT) < 0 || fputc('\n', log->out) == EOF)
        eventlog_note_failure(log);
    json_decref(event);
    log->cost_ns += clock_now_ns() - started_ns;
}

/* One line in TIMED_EVERY is timed (two clock reads), and counts for all
 * of them: timing every line would add a sixth to what it measures. Per
 * thread, though only the event loop's thread writes lines. */
#define TIMED_EVERY 16
static _Thread_local unsigned lines_started;

/* room for "}\n" is kept at the end of every line */
#define LINE_ROOM (EVENTLOG_LINE_MAX - 2)

static int line_fits(const struct event_line *line, size_t more)
{
    return line->length + more <= LINE_ROOM;
}

static void line_put(struct event_line *line, const char *text, size_t length)
{
    memcpy(line->text + line->length, text, length);
    line->length += length;
}

/* ,"key": -- 0 when it does not fit (the field is left out) */
static int line_key(struct event_line *line, const char *key, size_t value_room)
{
    size_t n = strlen(key);
    if (!line_fits(line, n + 4 + value_room))
        return 0;
    line_put(line, ",\"", 2);
    line_put(line, key, n);
    line_put(line, "\":", 2);
    return 1;
}

void event_line_start(struct event_line *line, const char *kind)
{
    line->started_ns = lines_started++ % TIMED_EVERY == 0 ? clock_now_ns() : 0;
    line->length = 0;
    line_put(line, "{\"event\":", 9);
    size_t before = line->length;
    event_line_string(line, NULL, kind);
    if (line->length == before) /* a kind too long for a line */
        line_put(line, "\"\"", 2);
}

void event_line_int(struct event_line *line, const char *key, int64_t value)
{
    char digits[24];
    size_t n = decimal_digits_reversed(value, digits);
    if (!line_key(line, key, n))
        return;
    while (n)
        line->text[line->length++] = digits[--n];
}

/* key NULL: the value alone (right after "event":). A NULL value (as
 * strerrorname_np gives for an unknown errno) leaves the field out, as
 * json_object_set_new(..., json_string(NULL)) did. */
void event_line_string(struct event_line *line, const char *key, const char *value)
{
    static const char hex[] = "0123456789abcdef";
    char quoted[EVENTLOG_LINE_MAX];
    size_t n = 0;
    if (!value)
        return;
    quoted[n++] = '"';
    for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
        if (n + 7 > sizeof quoted)
            return;
        if (*p == '"' || *p == '\\') {
            quoted[n++] = '\\';
            quoted[n++] = (char)*p;
        } else if (*p < 0x20) {
            memcpy(quoted + n, "\\u00", 4);
            quoted[n + 4] = hex[*p >> 4];
            quoted[n + 5] = hex[*p & 15];
            n += 6;
        } else {
            quoted[n++] = (char)*p;
        }
    }
    quoted[n++] = '"';
    if (key ? !line_key(line, key, n) : !line_fits(line, n))
        return;
    line_put(line, quoted, n);
}

void event_line_true(struct event_line *line, const char *key)
{
    if (line_key(line, key, 4))
        line_put(line, "true", 4);
}

void event_line_int_rows(struct event_line *line, const char *key, const int64_t *values,
                         size_t rows, size_t columns)
{
    char text[EVENTLOG_LINE_MAX];
    size_t n = 0;
    text[n++] = '[';
    for (size_t r = 0; r < rows; r++) {
        if (n + 2 + columns * 21 + 2 > sizeof text)
            return; /* left out whole: it does not fit */
        if (r)
            text[n++] = ',';
        text[n++] = '[';
        for (size_t c = 0; c < columns; c++) {
            char digits[24];
            size_t d = decimal_digits_reversed(values[r * columns + c], digits);
            if (c)
                text[n++] = ',';
            while (d)
                text[n++] = digits[--d];
        }
        text[n++] = ']';
    }
    text[n++] = ']';
    if (line_key(line, key, n))
        line_put(line, text, n);
}

void eventlog_emit_line(struct eventlog *log, struct event_line *line)
{
    if (!log->out)
        return;
    line_put(line, "}\n", 2);
    /* unlocked: only the event loop's thread writes the log */
    if (fwrite_unlocked(line->text, 1, line->length, log->out) != line->length)
        eventlog_note_failure(log);
    if (line->started_ns)
        log->cost_ns += TIMED_EVERY * (clock_now_ns() - line->started_ns);
}

int eventlog_flush(struct eventlog *log)
{
    if (log->out && fflush(log->out) != 0)
        eventlog_note_failure(log);
    return log->failed ? -EIO : 0;
}

int eventlog_close(struct eventlog *log, struct hl_error *err)
{
    int rc = eventlog_flush(log);
    if (log->owned && fclose(log->out) != 0) {
        eventlog_note_failure(log);
        rc = -EIO;
    }
    log->out = NULL;
    if (rc)
        return hl_error_setn(err, log->error ? log->error : EIO, log->path,
                             "writing the event log failed: %s",
                             strerror(log->error ? log->error : EIO));
    return 0;
}
