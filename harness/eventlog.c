/* eventlog.c: see eventlog.h. */
#include "eventlog.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int eventlog_open(struct eventlog *log, const char *path, struct hl_error *err)
{
    log->failed = 0;
    log->error = 0;
    snprintf(log->path, sizeof log->path, "%s", path ? path : "-");
    if (!path || strcmp(path, "-") == 0) {
        log->out = stdout;
        log->owned = 0;
        return 0;
    }
    log->out = fopen(path, "we");
    if (!log->out)
        return hl_error_setn(err, errno, path, "cannot write the event log: %s", strerror(errno));
    log->owned = 1;
    /* large buffer: events are written in bursts, read only at the end */
    setvbuf(log->out, NULL, _IOFBF, 1 << 16);
    return 0;
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
    if (json_dumpf(event, log->out, JSON_COMPACT) < 0 || fputc('\n', log->out) == EOF)
        eventlog_note_failure(log);
    json_decref(event);
}

int eventlog_flush(struct eventlog *log)
{
    if (fflush(log->out) != 0)
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
