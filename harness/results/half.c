/* half.c: one side's half of a run, written (see half.h; the merge is
 * halfmerge.c). */
#include "half.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "netns.h"
#include "results.h"

int half_begin(struct half *h, const char *role, const char *path,
               const struct point_params *params, json_t *origin, const char *address,
               int64_t start_ns, struct hl_error *err)
{
    struct timespec now;
    h->role = role;
    h->path = path;
    h->params = *params;
    h->origin = origin;
    h->address = address;
    if (results_check_writable(path, err))
        return -EACCES;
    counters_read(&h->before);
    /* the two clocks read back to back: CLOCK_MONOTONIC times this
     * side's events, CLOCK_REALTIME (NTP's) relates it to the other's */
    int64_t monotonic = clock_now_ns();
    clock_gettime(CLOCK_REALTIME, &now);
    h->start_ns = start_ns;
    h->start_realtime_us =
        (int64_t)now.tv_sec * 1000000 + now.tv_nsec / 1000 - (monotonic - start_ns) / 1000;
    return 0;
}

int half_temp_events(char *path, size_t size, struct hl_error *err)
{
    snprintf(path, size, "%s/backlog-lab-events.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0)
        return hl_error_setn(err, errno, path, "cannot make a temporary event log: %s",
                             strerror(errno));
    close(fd);
    return 0;
}

int half_finish(struct half *h, const char *events_path, json_t *ready, struct hl_error *err)
{
    json_t *events = NULL;
    struct counters *after = malloc(sizeof *after);
    int rc;
    if (!after)
        return hl_error_setn(err, ENOMEM, h->path, "out of memory");
    counters_read(after);
    if ((rc = event_lines_read_array(events_path, &events, err))) {
        free(after);
        return rc;
    }
    json_t *environment = results_environment(0, json_object());
    json_object_del(environment, "sysctls");
    results_environment_identity(environment);
    json_t *half = json_pack(
        "{s:s,s:s,s:o,s:s,s:o,s:o,s:o,s:o,s:{s:I,s:I}}", "format", HALF_FORMAT, "role", h->role,
        "params", params_to_json(&h->params), "address", h->address, "events", events, "kernel",
        counters_delta_json(&h->before, after), "sysctls", netns_sysctls_in_force(&h->params),
        "environment", environment, "clock", "start_ns", (json_int_t)h->start_ns,
        "start_realtime_us", (json_int_t)h->start_realtime_us);
    free(after);
    if (!half)
        return hl_error_setn(err, ENOMEM, h->path, "cannot build the half");
    if (ready)
        json_object_set(half, "ready", ready);
    if (h->origin)
        json_object_update(half, h->origin);
    rc = results_write_atomic(h->path, half, err);
    json_decref(half);
    return rc;
}
