/* harness-client: open connections and send; log every outcome and every
 * blocked send. Options: cli.c. Runner protocol: control.h. Behaviour:
 * client.c. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "cli.h"
#include "client.h"
#include "clock.h"
#include "control.h"
#include "eventlog.h"
#include "half.h"
#include "version.h"

struct client_main {
    uv_loop_t *loop;
    struct client *client;
    struct control control;
    uv_signal_t sigint, sigterm;
    uv_timer_t duration;
    int by_hand;
};

static void on_done(struct client *client, void *data)
{
    struct client_main *m = data;
    /* the runner passes the count on to the server, which drains until it
     * has accepted as many as the client saw connected */
    if (m->control.open)
        control_end(json_pack("{s:I}", "connected", (json_int_t)client_connected(client)));
    control_close(&m->control);
    if (m->by_hand) {
        uv_close((uv_handle_t *)&m->sigint, NULL);
        uv_close((uv_handle_t *)&m->sigterm, NULL);
        uv_close((uv_handle_t *)&m->duration, NULL);
    }
}

static void on_control(struct control *control, const char *line)
{
    struct client_main *m = control->data;
    if (!line || strcmp(line, "stop") == 0)
        client_stop(m->client);
}

static void on_signal(uv_signal_t *handle, int signum)
{
    struct client_main *m = handle->data;
    (void)signum;
    client_stop(m->client);
}

static void on_duration(uv_timer_t *timer)
{
    struct client_main *m = timer->data;
    client_stop(m->client);
}

int main(int argc, char **argv)
{
    struct cli_args args;
    struct hl_error err;
    struct eventlog log;
    struct client_main m = {0};
    static struct half half; /* its counters are large for a stack */
    char message[2048];

    if (cli_parse(argc, argv, CLI_CLIENT, &args, &err)) {
        fprintf(stderr, "harness-client: %s\n", hl_error_format(&err, message, sizeof message));
        return 2;
    }
    if (args.help) {
        cli_usage(stdout, CLI_CLIENT);
        return 0;
    }
    if (args.version) {
        printf("harness-client %s\n", HARNESS_VERSION);
        return 0;
    }
    if (args.control)
        control_guard();
    m.loop = uv_default_loop();
    /* --results: the events go into this side's half */
    char temp_events[4096] = "";
    const char *events = args.events;
    if (args.results && !events) {
        if (half_temp_events(temp_events, sizeof temp_events, &err)) {
            fprintf(stderr, "harness-client: %s\n", hl_error_format(&err, message, sizeof message));
            return 1;
        }
        events = temp_events;
    }
    int64_t start_ns = args.start_ns ? args.start_ns : clock_now_ns();
    if (args.no_events)
        eventlog_open_none(&log);
    if ((!args.no_events && eventlog_open(&log, events, &err)) ||
        client_create(m.loop, &args.params, args.address, args.allow_remote, &log, &m.client,
                      &err) ||
        (args.results && half_begin(&half, "client", args.results, &args.params, args.origin,
                                    args.address, start_ns, &err))) {
        fprintf(stderr, "harness-client: %s\n", hl_error_format(&err, message, sizeof message));
        if (temp_events[0])
            unlink(temp_events);
        return 1;
    }
    if (args.results)
        args.origin = NULL; /* the half has it */
    if (args.control && control_open(m.loop, &m.control, on_control, &m) != 0) {
        fprintf(stderr, "harness-client: --control needs stdin to be a pipe\n");
        return 1;
    }
    if (!args.control) {
        m.by_hand = 1;
        uv_signal_init(m.loop, &m.sigint);
        uv_signal_init(m.loop, &m.sigterm);
        uv_timer_init(m.loop, &m.duration);
        m.sigint.data = m.sigterm.data = m.duration.data = &m;
        uv_signal_start(&m.sigint, on_signal, SIGINT);
        uv_signal_start(&m.sigterm, on_signal, SIGTERM);
        uv_timer_start(&m.duration, on_duration, (uint64_t)args.params.duration_us / 1000, 0);
    }
    client_start(m.client, start_ns, on_done, &m);
    uv_run(m.loop, UV_RUN_DEFAULT);
    client_destroy(m.client);
    uv_loop_close(m.loop);
    int rc = eventlog_close(&log, &err);
    if (rc == 0 && args.results)
        rc = half_finish(&half, events, NULL, &err);
    json_decref(args.origin);
    if (temp_events[0])
        unlink(temp_events);
    if (rc) {
        fprintf(stderr, "harness-client: %s\n", hl_error_format(&err, message, sizeof message));
        return 1;
    }
    if (args.results)
        fprintf(stderr, "harness-client: wrote %s\n", args.results);
    return 0;
}
