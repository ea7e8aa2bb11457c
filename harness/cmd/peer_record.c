/* peer_record.c: see peer_record.h. */
#include "peer_record.h"

#include <string.h>
#include <unistd.h>

int peer_record_open(struct peer_record *r, const struct cli_args *args, struct hl_error *err)
{
    r->events = args->events;
    if (args->results && !r->events) {
        if (half_temp_events(r->temp_events, sizeof r->temp_events, err))
            return -1;
        r->events = r->temp_events;
    }
    if (args->no_events)
        eventlog_open_none(&r->log);
    else if (!r->events || strcmp(r->events, "-") == 0)
        eventlog_open_stream(&r->log, stdout, "-");
    else if (eventlog_open(&r->log, r->events, err))
        return -1;
    return 0;
}

int peer_record_begin_half(struct peer_record *r, const char *role, struct cli_args *args,
                           int64_t start_ns, struct hl_error *err)
{
    if (!args->results)
        return 0;
    if (half_begin(&r->half, role, args->results, &args->params, args->origin, args->address,
                   start_ns, err))
        return -1;
    args->origin = NULL; /* the half has it */
    return 0;
}

int peer_record_finish(struct peer_record *r, const struct cli_args *args, json_t *ready,
                       struct hl_error *err)
{
    int rc = eventlog_close(&r->log, err);
    if (rc == 0 && args->results)
        rc = half_finish(&r->half, r->events, ready, err);
    peer_record_abandon(r);
    return rc;
}

void peer_record_abandon(struct peer_record *r)
{
    if (r->temp_events[0])
        unlink(r->temp_events);
    r->temp_events[0] = '\0';
}
