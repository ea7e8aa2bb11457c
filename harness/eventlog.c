/* eventlog.c: see eventlog.h. */
#include "eventlog.h"

#include <errno.h>
#include <string.h>

int eventlog_open(struct eventlog *log, const char *path, struct hl_error *err)
{
    log->failed = 0;
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

void eventlog_emit(struct eventlog *log, json_t *event)
{
    if (json_dumpf(event, log->out, JSON_COMPACT) < 0 || fputc('\n', log->out) == EOF)
        log->failed = 1;
    json_decref(event);
}

int eventlog_flush(struct eventlog *log)
{
    if (fflush(log->out) != 0)
        log->failed = 1;
    return log->failed ? -EIO : 0;
}

int eventlog_close(struct eventlog *log, struct hl_error *err)
{
    int rc = eventlog_flush(log);
    if (log->owned && fclose(log->out) != 0)
        rc = -EIO;
    log->out = NULL;
    if (rc)
        return hl_error_setn(err, EIO, "event log", "writing the event log failed (disk full?)");
    return 0;
}
