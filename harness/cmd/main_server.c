/* harness-server: listen with a set backlog; accept and read by policy.
 * Options: cli.c. Runner protocol: control.h. Behaviour: server.c. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "cli.h"
#include "clock.h"
#include "control.h"
#include "eventlog.h"
#include "half.h"
#include "server.h"
#include "version.h"

struct server_main {
    uv_loop_t *loop;
    struct server *server;
    struct control control;
    uv_signal_t sigint, sigterm;
    uv_timer_t duration;
    int by_hand;
};

static void on_done(struct server *server, void *data)
{
    struct server_main *m = data;
    (void)server;
    control_close(&m->control);
    if (m->by_hand) {
        uv_close((uv_handle_t *)&m->sigint, NULL);
        uv_close((uv_handle_t *)&m->sigterm, NULL);
        uv_close((uv_handle_t *)&m->duration, NULL);
    }
}

static void on_control(struct control *control, const char *line)
{
    struct server_main *m = control->data;
    long long start_ns, connected;
    if (!line || strcmp(line, "stop") == 0)
        server_stop(m->server);
    else if (sscanf(line, "client-done %lld", &connected) == 1)
        server_client_done(m->server, (uint64_t)connected);
    else if (sscanf(line, "start %lld", &start_ns) == 1)
        server_start(m->server, start_ns, on_done, m);
}

static void on_signal(uv_signal_t *handle, int signum)
{
    struct server_main *m = handle->data;
    (void)signum;
    server_stop(m->server);
}

static void on_duration(uv_timer_t *timer)
{
    struct server_main *m = timer->data;
    server_stop(m->server);
}

int main(int argc, char **argv)
{
    struct cli_args args;
    struct hl_error err;
    struct eventlog log;
    struct server_main m = {0};
    static struct half half; /* its counters are large for a stack */
    char message[2048];

    if (cli_parse(argc, argv, CLI_SERVER, &args, &err)) {
        fprintf(stderr, "harness-server: %s\n", hl_error_format(&err, message, sizeof message));
        return 2;
    }
    if (args.help) {
        cli_usage(stdout, CLI_SERVER);
        return 0;
    }
    if (args.version) {
        printf("harness-server %s\n", HARNESS_VERSION);
        return 0;
    }
    if (args.control)
        control_guard();
    /* --results: the events go into this side's half */
    char temp_events[4096] = "";
    const char *events = args.events;
    if (args.results && !events) {
        if (half_temp_events(temp_events, sizeof temp_events, &err)) {
            fprintf(stderr, "harness-server: %s\n", hl_error_format(&err, message, sizeof message));
            return 1;
        }
        events = temp_events;
    }
    if (args.no_events)
        eventlog_open_none(&log);
    else if (eventlog_open(&log, events, &err)) {
        fprintf(stderr, "harness-server: %s\n", hl_error_format(&err, message, sizeof message));
        return 1;
    }
    m.loop = uv_default_loop();
    if (server_create(m.loop, &args.params, args.address, &log, &m.server, &err)) {
        fprintf(stderr, "harness-server: %s\n", hl_error_format(&err, message, sizeof message));
        if (temp_events[0])
            unlink(temp_events);
        return 1;
    }
    int64_t start_ns = args.start_ns ? args.start_ns : clock_now_ns();
    json_t *ready = server_ready_info(m.server);
    if (args.results && half_begin(&half, "server", args.results, &args.params, args.origin,
                                   args.address, start_ns, &err)) {
        fprintf(stderr, "harness-server: %s\n", hl_error_format(&err, message, sizeof message));
        if (temp_events[0])
            unlink(temp_events);
        return 1;
    }
    args.origin = NULL; /* the half has it */
    if (args.control) {
        /* the runner reads each connection from its server_conn line */
        server_log_accepts(m.server, 0);
        control_ready(server_ready_info(m.server));
        if (control_open(m.loop, &m.control, on_control, &m) != 0) {
            fprintf(stderr, "harness-server: --control needs stdin to be a pipe\n");
            return 1;
        }
    } else {
        json_t *info = server_ready_info(m.server);
        fprintf(stderr, "harness-server: listening on port %d, effective backlog %lld\n",
                (int)json_integer_value(json_object_get(info, "port")),
                (long long)json_integer_value(json_object_get(info, "backlog")));
        json_decref(info);
        m.by_hand = 1;
        uv_signal_init(m.loop, &m.sigint);
        uv_signal_init(m.loop, &m.sigterm);
        uv_timer_init(m.loop, &m.duration);
        m.sigint.data = m.sigterm.data = m.duration.data = &m;
        uv_signal_start(&m.sigint, on_signal, SIGINT);
        uv_signal_start(&m.sigterm, on_signal, SIGTERM);
        uv_timer_start(&m.duration, on_duration, (uint64_t)args.params.duration_us / 1000, 0);
        server_start(m.server, start_ns, on_done, &m);
    }
    uv_run(m.loop, UV_RUN_DEFAULT);
    server_destroy(m.server);
    uv_loop_close(m.loop);
    int rc = eventlog_close(&log, &err);
    if (rc == 0 && args.results)
        rc = half_finish(&half, events, ready, &err);
    json_decref(ready);
    json_decref(args.origin);
    if (temp_events[0])
        unlink(temp_events);
    if (rc) {
        fprintf(stderr, "harness-server: %s\n", hl_error_format(&err, message, sizeof message));
        return 1;
    }
    if (args.results)
        fprintf(stderr, "harness-server: wrote %s\n", args.results);
    return 0;
}
