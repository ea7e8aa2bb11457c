/* harness-client: open connections and send; log every outcome and every
 * blocked send. Options: cli.c. Runner protocol: control.h. Behaviour:
 * client.h. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "by_hand.h"
#include "cli.h"
#include "client.h"
#include "clock.h"
#include "control.h"
#include "eventlog.h"
#include "peer_record.h"
#include "version.h"

struct client_main {
    struct cli_args args;
    uv_loop_t *loop;
    struct client *client;
    struct peer_record record; /* the event log, and the half with --results */
    int64_t start_ns;          /* the run's start */
    struct control control;    /* --control: the runner's commands */
    struct by_hand by_hand;    /* run by hand: signals, --duration-ms */
    int finished;              /* on_done called */
    int stop_asked;            /* the runner said "stop" */
    int exiting;               /* the runner said "exit", or went away */
};

static int fail(const struct hl_error *err, int exit_code)
{
    char message[2048];
    fprintf(stderr, "harness-client: %s\n", hl_error_format(err, message, sizeof message));
    return exit_code;
}

static int answer(const struct cli_args *args)
{
    if (args->help)
        cli_usage(stdout, CLI_CLIENT);
    else
        printf("harness-client %s\n", HARNESS_VERSION);
    return 0;
}

/* The client (its target checked), and with --results the half begun. */
static int create_client(struct client_main *m, struct hl_error *err)
{
    struct cli_args *args = &m->args;
    m->start_ns = args->start_ns ? args->start_ns : clock_now_ns();
    if (client_create(m->loop, &args->params, args->address, args->allow_remote, &m->record.log,
                      &m->client, err))
        return -1;
    return peer_record_begin_half(&m->record, "client", args, m->start_ns, err);
}

static void close_all(struct client_main *m)
{
    control_close(&m->control);
    by_hand_close(&m->by_hand);
}

/* The client finished its work ("end": the runner passes the count on to
 * the server, which drains until it has accepted as many as the client
 * saw connected), or was stopped ("stopped": its sockets stay open until
 * "exit"). */
static void on_done(struct client *client, void *data)
{
    struct client_main *m = data;
    json_t *info = json_pack("{s:I}", "connected", (json_int_t)client_connected(client));
    m->finished = 1;
    if (m->control.open && m->stop_asked && !m->exiting) {
        control_say(stdout, "stopped", info);
        return;
    }
    if (m->control.open)
        control_say(stdout, "end", info);
    else
        json_decref(info);
    close_all(m);
}

static void on_control(struct control *control, const char *line)
{
    struct client_main *m = control->data;
    if (!line || strcmp(line, "exit") == 0) {
        m->exiting = 1;
        if (m->finished)
            close_all(m);
        else
            client_stop(m->client); /* on_done closes everything */
    } else if (strcmp(line, "stop") == 0) {
        m->stop_asked = 1;
        client_stop(m->client);
    }
}

static void on_stop(void *data)
{
    struct client_main *m = data;
    client_stop(m->client);
}

/* What ends the run: the runner's "stop", or by hand a signal or the
 * duration. The client starts at once either way. */
static int watch_for_the_end(struct client_main *m, struct hl_error *err)
{
    if (!m->args.control) {
        by_hand_start(m->loop, &m->by_hand, m->args.params.duration_us, on_stop, m);
        return 0;
    }
    if (control_open(m->loop, &m->control, STDIN_FILENO, on_control, m) != 0)
        return hl_error_set(err, NULL, "--control needs stdin to be a pipe");
    return 0;
}

int main(int argc, char **argv)
{
    static struct client_main m; /* the half's counters are large for a stack */
    struct hl_error err;

    if (cli_parse(argc, argv, CLI_CLIENT, &m.args, &err))
        return fail(&err, 2);
    if (m.args.help || m.args.version)
        return answer(&m.args);
    if (m.args.control)
        control_guard();
    m.loop = uv_default_loop();
    if (peer_record_open(&m.record, &m.args, &err) || create_client(&m, &err) ||
        watch_for_the_end(&m, &err)) {
        peer_record_abandon(&m.record);
        return fail(&err, 1);
    }
    /* the runner counts duration_ms from here, not from when it spawned
     * this process: exec, the loader or a sanitizer may take a while; said
     * before the start, which may end the work at once (a few datagrams) */
    if (m.args.control)
        control_say(stdout, "started", NULL);
    client_start(m.client, m.start_ns, on_done, &m);
    uv_run(m.loop, UV_RUN_DEFAULT);
    client_destroy(m.client);
    uv_loop_close(m.loop);
    int rc = peer_record_finish(&m.record, &m.args, NULL, &err);
    json_decref(m.args.origin);
    if (rc)
        return fail(&err, 1);
    if (m.args.results)
        fprintf(stderr, "harness-client: wrote %s\n", m.args.results);
    return 0;
}
