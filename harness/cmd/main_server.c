/* harness-server: listen with a set backlog; accept and read by policy.
 * Options: cli.c. Runner protocol: control.h. Behaviour: server.h. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "by_hand.h"
#include "cli.h"
#include "clock.h"
#include "control.h"
#include "eventlog.h"
#include "peer_record.h"
#include "server.h"
#include "version.h"

struct server_main {
    struct cli_args args;
    uv_loop_t *loop;
    struct server *server;
    struct peer_record record; /* the event log, and the half with --results */
    int64_t start_ns;          /* the run's start */
    json_t *ready;             /* what the kernel granted, for the half */
    struct control control;    /* --control: the runner's commands */
    struct by_hand by_hand;    /* run by hand: signals, --duration-ms */
    int started, finished;     /* server_start called; on_done called */
    int stop_asked;            /* the runner said "stop" */
    int exiting;               /* the runner said "exit", or went away */
};

static int fail(const struct hl_error *err, int exit_code)
{
    char message[2048];
    fprintf(stderr, "harness-server: %s\n", hl_error_format(err, message, sizeof message));
    return exit_code;
}

static int answer(const struct cli_args *args)
{
    if (args->help)
        cli_usage(stdout, CLI_SERVER);
    else
        printf("harness-server %s\n", HARNESS_VERSION);
    return 0;
}

/* The listening socket, and with --results the half begun. */
static int create_server(struct server_main *m, struct hl_error *err)
{
    struct cli_args *args = &m->args;
    m->loop = uv_default_loop();
    if (server_create(m->loop, &args->params, args->address, &m->record.log, &m->server, err))
        return -1;
    m->start_ns = args->start_ns ? args->start_ns : clock_now_ns();
    m->ready = server_ready_info(m->server);
    return peer_record_begin_half(&m->record, "server", args, m->start_ns, err);
}

static void close_all(struct server_main *m)
{
    control_close(&m->control);
    by_hand_close(&m->by_hand);
}

/* The server finished: drained (then exit), or stopped by the runner
 * (then say so and keep the sockets until "exit"). */
static void on_done(struct server *server, void *data)
{
    struct server_main *m = data;
    (void)server;
    m->finished = 1;
    if (m->control.open && m->stop_asked && !m->exiting) {
        control_say(stdout, "stopped", NULL);
        return;
    }
    close_all(m);
}

static void on_exit_command(struct server_main *m)
{
    m->exiting = 1;
    if (m->started && !m->finished)
        server_stop(m->server); /* on_done closes everything */
    else
        close_all(m);
}

static void on_control(struct control *control, const char *line)
{
    struct server_main *m = control->data;
    long long start_ns, connected;
    if (!line || strcmp(line, "exit") == 0) {
        on_exit_command(m);
    } else if (strcmp(line, "stop") == 0) {
        m->stop_asked = 1;
        if (m->started)
            server_stop(m->server);
        else
            control_say(stdout, "stopped", NULL);
    } else if (sscanf(line, "client-done %lld", &connected) == 1) {
        server_client_done(m->server, (uint64_t)connected);
    } else if (sscanf(line, "start %lld", &start_ns) == 1 && !m->started) {
        server_start(m->server, start_ns, on_done, m);
        m->started = 1;
        control_say(stdout, "started", NULL); /* it polls its listener now */
    }
}

/* Under harness-run: the ready line, then the runner's commands. */
static int start_controlled(struct server_main *m, struct hl_error *err)
{
    /* the runner reads each connection from its server_conn line */
    server_log_accepts(m->server, 0);
    control_say(stdout, "ready", server_ready_info(m->server));
    if (control_open(m->loop, &m->control, STDIN_FILENO, on_control, m) != 0)
        return hl_error_set(err, NULL, "--control needs stdin to be a pipe");
    return 0;
}

static void on_stop(void *data)
{
    struct server_main *m = data;
    server_stop(m->server);
}

/* By hand: say where it listens, and run until a signal or the duration. */
static void start_by_hand(struct server_main *m)
{
    fprintf(stderr, "harness-server: listening on port %d, effective backlog %lld\n",
            (int)json_integer_value(json_object_get(m->ready, "port")),
            (long long)json_integer_value(json_object_get(m->ready, "backlog")));
    by_hand_start(m->loop, &m->by_hand, m->args.params.duration_us, on_stop, m);
    server_start(m->server, m->start_ns, on_done, m);
    m->started = 1;
}

int main(int argc, char **argv)
{
    static struct server_main m; /* the half's counters are large for a stack */
    struct hl_error err;

    if (cli_parse(argc, argv, CLI_SERVER, &m.args, &err))
        return fail(&err, 2);
    if (m.args.help || m.args.version)
        return answer(&m.args);
    if (m.args.control)
        control_guard();
    if (peer_record_open(&m.record, &m.args, &err) || create_server(&m, &err) ||
        (m.args.control && start_controlled(&m, &err))) {
        peer_record_abandon(&m.record);
        return fail(&err, 1);
    }
    if (!m.args.control)
        start_by_hand(&m);
    uv_run(m.loop, UV_RUN_DEFAULT);
    server_destroy(m.server);
    uv_loop_close(m.loop);
    int rc = peer_record_finish(&m.record, &m.args, m.ready, &err);
    json_decref(m.ready);
    json_decref(m.args.origin);
    if (rc)
        return fail(&err, 1);
    if (m.args.results)
        fprintf(stderr, "harness-server: wrote %s\n", m.args.results);
    return 0;
}
