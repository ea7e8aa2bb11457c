/* children_program.c: a program from the scenario file in the place of
 * harness-server or harness-client (program.h), kept to the same protocol
 * by the runner itself (runner_internal.h).
 *
 * A client program is started when harness-client would be, told the
 * server's host and port; when it exits by itself the server is told
 * "client-done" and drains; at duration_ms it gets SIGTERM, then SIGKILL,
 * and the server is stopped. Its side of the run is not measured
 * (results/clientprogram.c).
 *
 * A server program:
 * it says nothing: it is ready when sock_diag sees a listener on
 * its port (polled every PROGRAM_POLL_MS, never a fixed sleep), within
 * PROGRAM_LISTEN_TIMEOUT_MS or the run fails naming it and its last
 * output. Its queues are then read through sock_diag every sample_ms, as
 * "server_sample" events of the log the runner writes for it: the accept
 * queue and its limit, the request sockets in SYN_RECV, the accepted
 * connections still open and their unread bytes. At the stop they are
 * read once more (the "end" event) before the counters; then SIGTERM to
 * its process group, SIGKILL after PROGRAM_GRACE_MS, and whatever is left
 * in the namespace is killed. A program that exits during the run is
 * recorded, not a failure: the client's side of the run still counts. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "runner_internal.h"
#include "sockdiag.h"

#define PROGRAM_POLL_MS 2
#define PROGRAM_LISTEN_TIMEOUT_MS 10000
#define PROGRAM_GRACE_MS 2000

static int64_t since_start_us(const struct point_run *p)
{
    return p->start_ns ? clock_since_us(p->start_ns) : 0;
}

/* "; its last output: ..." from the tails of stderr, else stdout */
static const char *last_output(struct point_run *p, char *out, size_t size)
{
    const char *err = child_stderr(&p->server), *text = err[0] ? err : child_stdout(&p->server);
    size_t length = strlen(text);
    const char *tail = length > 400 ? text + length - 400 : text;
    snprintf(out, size, "%s%s", text[0] ? "; its last output: " : "; it wrote nothing", tail);
    return out;
}

/* The program's child, and the harness's peer beside it, which a sweep
 * spares while it runs. */
static struct child *program_child(struct point_run *p)
{
    return p->client_program ? &p->client : &p->server;
}

static pid_t peer_pid(struct point_run *p)
{
    struct child *peer = p->client_program ? &p->server : &p->client;
    return peer->running ? peer->process.pid : 0;
}

static int read_port(struct point_run *p, enum sockdiag_scope scope, struct sockdiag_port *port)
{
    struct hl_error err;
    if (sockdiag_read_port(p->diag_fd, p->program->port, scope, port, &err) == 0)
        return 0;
    children_fail(p, "%s", err.what);
    return -1;
}

/* full: d lists every socket of the port (SOCKDIAG_ALL), not only the
 * listener */
static json_t *sample_event(struct point_run *p, const char *kind, const struct sockdiag_port *d,
                            int full)
{
    json_t *event = json_pack("{s:s,s:I}", "event", kind, "t_us", (json_int_t)since_start_us(p));
    if (full) {
        json_object_set_new(event, "open", json_integer(d->accepted));
        json_object_set_new(event, "recv_queue", json_integer((json_int_t)d->accepted_unread));
    }
    if (d->listening) {
        json_object_set_new(event, "queue", json_integer(d->accept_queue));
        json_object_set_new(event, "limit", json_integer(d->limit));
    }
    return event;
}

/* Every sample reads the listener (tens of microseconds); a full listing
 * makes the kernel walk the machine's whole table of connections, which
 * every namespace shares (milliseconds on a large machine): it is taken
 * at most once in FULL_SPACING times its own cost, so that watching a
 * program never takes more than a twentieth of a CPU. */
#define FULL_SPACING 20

static void on_sample(uv_timer_t *timer)
{
    struct point_run *p = timer->data;
    struct sockdiag_port d;
    int64_t started_ns = clock_now_ns();
    int full = started_ns >= p->program_full_after_ns;
    if (p->program_frozen || json_array_size(p->program_events) >= PARAMS_MAX_SAMPLES ||
        read_port(p, full ? SOCKDIAG_ALL : SOCKDIAG_LISTENER, &d))
        return;
    json_array_append_new(p->program_events, sample_event(p, "server_sample", &d, full));
    if (full) /* the SYN queue's line (sockwatch.c): this listing walked the port already */
        sockwatch_note(p, since_start_us(p), d.syn_recv);
    int64_t cost_ns = clock_now_ns() - started_ns;
    p->program_sampling_ns += cost_ns;
    if (full)
        p->program_full_after_ns = started_ns + FULL_SPACING * cost_ns;
}

/* Listening: the ready line it cannot say, made from what the kernel
 * shows; the run starts now. */
static void on_listening(struct point_run *p, const struct sockdiag_port *d)
{
    p->server_ready =
        json_pack("{s:i,s:b,s:I,s:I,s:I,s:b}", "port", (int)p->program->port, "listening", 1,
                  "backlog", (json_int_t)d->limit, "rcvbuf", (json_int_t)d->listener_rcvbuf,
                  "sndbuf", (json_int_t)d->listener_sndbuf, "program", 1);
    p->start_ns = clock_now_ns();
    p->server_started_us = 0;
    sockwatch_start(p, p->program->port);
    children_start_client(p);
    uv_timer_stop(&p->program_timer);
    if (p->params->sample_us > 0 && !p->failed)
        uv_timer_start(&p->program_timer, on_sample, 0, (uint64_t)p->params->sample_us / 1000);
}

static void on_poll(uv_timer_t *timer)
{
    struct point_run *p = timer->data;
    struct sockdiag_port d;
    char output[512];
    if (p->failed || read_port(p, SOCKDIAG_LISTENER, &d))
        return;
    if (d.listening) {
        on_listening(p, &d);
    } else if (uv_now(timer->loop) - p->program_spawned_ms >= PROGRAM_LISTEN_TIMEOUT_MS) {
        children_fail(p, "the server program `%s` did not listen on port %u within %d ms%s",
                      p->program->command_text, (unsigned)p->program->port,
                      PROGRAM_LISTEN_TIMEOUT_MS, last_output(p, output, sizeof output));
    }
}

static void on_program_exit(struct child *c)
{
    struct point_run *p = c->data;
    struct program *program = p->program;
    char output[512], status[64];
    if (c->term_signal)
        snprintf(status, sizeof status, "was killed by signal %d (%s)", c->term_signal,
                 strsignal(c->term_signal));
    else
        snprintf(status, sizeof status, "exited with status %lld", (long long)c->exit_status);
    if (!program->stopped_by)
        program->stopped_by = "exited";
    uv_timer_stop(&p->program_grace);
    /* anything it left behind, now: the client alone is spared */
    program_sweep(program, peer_pid(p));
    if (!p->server_ready)
        children_fail(p, "the server program `%s` %s before it listened on port %u%s",
                      program->command_text, status, (unsigned)program->port,
                      last_output(p, output, sizeof output));
    else if (!p->program_frozen)
        uv_timer_stop(&p->program_timer); /* recorded; the client's side goes on */
    children_maybe_done(p);
}

static void on_grace(uv_timer_t *timer)
{
    struct point_run *p = timer->data;
    p->program->stopped_by = "SIGKILL";
    program_sweep(p->program, peer_pid(p));
}

/* SIGTERM to its group; SIGKILL and the sweep after the grace */
static void terminate(struct point_run *p)
{
    if (p->program_terminating || !program_child(p)->running)
        return;
    p->program_terminating = 1;
    p->program->stopped_by = "SIGTERM";
    program_signal(p->program, SIGTERM);
    uv_timer_start(&p->program_grace, on_grace, PROGRAM_GRACE_MS, 0);
}

/* Its queues as they stand (read once for the run's end, sockwatch.c):
 * the "end" event; stopped: at duration_ms */
static void freeze(struct point_run *p, int stopped)
{
    if (p->program_frozen)
        return;
    uv_timer_stop(&p->program_timer);
    if (sockwatch_end(p))
        return;
    const struct sockdiag_port d = p->watch_end_port;
    p->program_frozen = 1;
    json_t *end = sample_event(p, "end", &d, 1);
    json_object_set_new(end, "stopped", json_boolean(stopped));
    json_object_set_new(end, "sampling_us", json_integer(p->program_sampling_ns / 1000));
    json_object_set_new(end, "queue_at_end",
                        json_integer(d.listening ? (json_int_t)d.accept_queue : -1));
    json_object_set_new(end, "receive_queue_at_end", json_integer((json_int_t)d.accepted_unread));
    json_array_append_new(p->program_events, end);
}

void program_side_command(struct point_run *p, const char *command)
{
    if (strncmp(command, "stop", 4) == 0) {
        freeze(p, 1);
        p->server_stopped = 1;
        children_maybe_frozen(p);
    } else if (strncmp(command, "client-done", 11) == 0) {
        freeze(p, 0);
        terminate(p);
    } else if (strncmp(command, "exit", 4) == 0) {
        terminate(p);
    }
}

static void init_timers(struct point_run *p)
{
    uv_loop_t *loop = p->runner->loop;
    uv_timer_init(loop, &p->program_timer);
    uv_timer_init(loop, &p->program_grace);
    p->program_timer.data = p->program_grace.data = p;
    p->program_timers_open = 1;
}

int program_side_spawn(struct point_run *p, struct hl_error *err)
{
    struct runner *r = p->runner;
    uint16_t port;
    int rc;
    init_timers(p);
    p->program_events = json_array();
    if ((rc = program_free_port(p->server_host, &port, err)) ||
        (rc = program_prepare(p->program, "server", &p->params->server.program, p->scenario_file,
                              p->server_host, port, err)))
        return rc;
    p->server.on_exit = on_program_exit;
    p->server.on_line = NULL;
    if ((rc = program_spawn(r->loop, p->program, &p->server, err)))
        return rc;
    p->program_spawned_ms = uv_now(r->loop);
    uv_timer_start(&p->program_timer, on_poll, 0, PROGRAM_POLL_MS);
    return 0;
}

void program_side_kill(struct point_run *p)
{
    if (p->program->pid > 0)
        program_sweep(p->program, peer_pid(p));
}

/* ---- a client program ---- */

static void on_client_program_exit(struct child *c)
{
    struct point_run *p = c->data;
    if (!p->program->stopped_by)
        p->program->stopped_by = "exited";
    uv_timer_stop(&p->program_grace);
    program_sweep(p->program, peer_pid(p));
    if (!p->stopping)
        children_server_send(p, "client-done 0\n"); /* drain, then finish */
    else if (!p->client_stopped)
        children_server_send(p, "stop\n"); /* it ended just as the run did */
    children_maybe_done(p);
}

int program_side_spawn_client(struct point_run *p, const char *host, uint16_t port,
                              struct hl_error *err)
{
    int rc;
    init_timers(p);
    if ((rc = program_prepare(p->program, "client", &p->params->client.program, p->scenario_file,
                              host, port, err)))
        return rc;
    p->client.on_exit = on_client_program_exit;
    p->client.on_line = NULL;
    return program_spawn(p->runner->loop, p->program, &p->client, err);
}

void program_side_client_command(struct point_run *p, const char *command)
{
    if (strncmp(command, "stop", 4) != 0)
        return;
    p->client_stopped = 1;
    terminate(p);
    children_server_send(p, "stop\n");
}

void program_side_release(struct point_run *p)
{
    if (p->program->pid > 0)
        program_sweep(p->program, 0);
    if (p->program_timers_open) {
        p->program_timers_open = 0;
        uv_close((uv_handle_t *)&p->program_timer, NULL);
        uv_close((uv_handle_t *)&p->program_grace, NULL);
    }
}
