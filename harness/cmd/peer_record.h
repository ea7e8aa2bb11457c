/* peer_record.h: what harness-server and harness-client each leave
 * behind: the event log (--events FILE, stdout, or none with --no-events)
 * and, with --results FILE, this side's half of the run (half.h), made of
 * that log. With --results alone the log goes to a temporary file that
 * only the half keeps.
 *
 * Lifecycle: peer_record_open -> (the peer made) peer_record_begin_half
 * -> the run -> peer_record_finish; peer_record_abandon on a failure
 * before the run. */
#ifndef HARNESS_PEER_RECORD_H
#define HARNESS_PEER_RECORD_H

#include <jansson.h>
#include <stdint.h>

#include "cli.h"
#include "error.h"
#include "eventlog.h"
#include "half.h"

struct peer_record {
    struct eventlog log;
    const char *events;     /* the event log's file; NULL: stdout */
    char temp_events[4096]; /* --results without --events: a temporary log */
    struct half half;       /* --results */
};

/* Opens the event log the options ask for. */
int peer_record_open(struct peer_record *r, const struct cli_args *args, struct hl_error *err);

/* With --results: notes the start and this namespace's counters (takes
 * args->origin over). Without, does nothing. */
int peer_record_begin_half(struct peer_record *r, const char *role, struct cli_args *args,
                           int64_t start_ns, struct hl_error *err);

/* Closes the log and, with --results, writes the half (ready: the
 * server's ready info, or NULL). */
int peer_record_finish(struct peer_record *r, const struct cli_args *args, json_t *ready,
                       struct hl_error *err);

/* Removes a temporary log after a failure before the run. */
void peer_record_abandon(struct peer_record *r);

#endif
