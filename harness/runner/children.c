/* children.c: the two children of a run and their protocol (see
 * runner_internal.h and control.h).
 *
 * The server says "ready {json}" on stdout once it listens; the runner
 * writes "start NS" to it, and only when the server says "started" (it
 * polls its listener, its policies armed from NS) starts the client with
 * the same start time: the client's first SYN never finds a server that
 * is not yet watching. A client that finishes its work says "end {json}"
 * and exits; the server is then told "client-done N" (drain, then exit).
 * At duration_ms, counted from the client's "started" (its work begun,
 * however long its start took; a program's from its spawn), the client is
 * told "stop": it records every connection
 * as it stands and says "stopped {json}", its sockets still open; then
 * the server likewise. With both stopped, the counters are read
 * (on_frozen) and both are told "exit": only then do they close their
 * sockets, so the teardown's resets are never counted. Whatever goes
 * wrong (an exit status, a signal, a child that is not ready or does not
 * stop in time) fails the run with a message that names the child and the
 * tail of its stderr. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "runner_internal.h"

/* how long a child may take to say "ready", and to stop once told */
#define READY_TIMEOUT_MS 10000
#define STOP_GRACE_MS 5000

static void children_kill(struct point_run *p)
{
    if (p->program)
        program_side_kill(p);
    if (!p->server_program)
        child_kill(&p->server, SIGKILL);
    if (!p->client_program)
        child_kill(&p->client, SIGKILL);
}

/* A command for the client: written to harness-client, kept by the runner
 * for a program. */
static void client_send(struct point_run *p, const char *command)
{
    if (p->client_program)
        program_side_client_command(p, command);
    else
        child_send(&p->client, command);
}

void children_server_send(struct point_run *p, const char *command)
{
    /* its sockets as they stand, before it may read or close them */
    if (strncmp(command, "stop", 4) == 0 || strncmp(command, "client-done", 11) == 0)
        sockwatch_end(p);
    if (p->server_program)
        program_side_command(p, command);
    else
        child_send(&p->server, command);
}

void children_fail(struct point_run *p, const char *fmt, ...)
{
    va_list ap;
    if (!p->failed) {
        va_start(ap, fmt);
        vsnprintf(p->failure, sizeof p->failure, fmt, ap);
        va_end(ap);
        p->failed = 1;
    }
    children_kill(p);
}

static void close_timers(struct point_run *p)
{
    if (!p->timers_open)
        return;
    p->timers_open = 0;
    uv_close((uv_handle_t *)&p->ready_timer, NULL);
    uv_close((uv_handle_t *)&p->duration_timer, NULL);
    uv_close((uv_handle_t *)&p->grace_timer, NULL);
}

/* Both children gone (or never started): release everything so uv_run
 * returns. */
void children_maybe_done(struct point_run *p)
{
    if (p->server.running || p->client.running)
        return;
    close_timers(p);
    if (p->program)
        program_side_release(p);
    sockwatch_release(p);
    child_release(&p->server);
    child_release(&p->client);
}

static void on_grace(uv_timer_t *timer)
{
    struct point_run *p = timer->data;
    /* the client stops first; the one that has not answered is to blame */
    children_fail(p, "the %s did not stop within %d ms of being told to; killed",
                  p->client.running && !p->client_stopped ? "client" : "server", STOP_GRACE_MS);
}

/* The run's end: the client stops first (it stops sending and records),
 * then the server; see the top of this file. */
static void stop(struct point_run *p)
{
    if (p->stopping)
        return;
    p->stopping = 1;
    if (p->client.running)
        client_send(p, "stop\n");
    else
        children_server_send(p, "stop\n");
    uv_timer_start(&p->grace_timer, on_grace, STOP_GRACE_MS, 0);
}

/* Both stopped (or the client gone by itself before the stop): the
 * counters now, then the children may close everything. */
void children_maybe_frozen(struct point_run *p)
{
    if (!p->server_stopped || (p->client.running && !p->client_stopped) || p->failed)
        return;
    if (p->on_frozen)
        p->on_frozen(p);
    client_send(p, "exit\n");
    children_server_send(p, "exit\n");
}

static void on_duration(uv_timer_t *timer)
{
    stop(timer->data);
}

static const char *exit_text(struct child *c, char *buf, size_t size)
{
    if (c->term_signal)
        snprintf(buf, size, "was killed by signal %d (%s)", c->term_signal,
                 strsignal(c->term_signal));
    else
        snprintf(buf, size, "exited with status %lld", (long long)c->exit_status);
    return buf;
}

/* "the client exited with status 1: what it said last on stderr" */
static void fail_exited(struct point_run *p, struct child *c)
{
    char status[128];
    children_fail(p, "the %s %s%s%s", c->name, exit_text(c, status, sizeof status),
                  child_stderr(c)[0] ? ": " : "", child_stderr(c));
}

static void on_client_exit(struct child *c)
{
    struct point_run *p = c->data;
    if (c->exit_status != 0 || c->term_signal) {
        fail_exited(p, c);
    } else if (!p->stopping) {
        char command[64];
        snprintf(command, sizeof command, "client-done %lld\n", (long long)p->client_connected);
        children_server_send(p, command); /* drain, then finish */
    } else if (!p->client_stopped) {
        /* it had finished by itself just as it was told to stop */
        children_server_send(p, "stop\n");
    }
    children_maybe_done(p);
}

static void on_server_exit(struct child *c)
{
    struct point_run *p = c->data;
    if (c->exit_status != 0 || c->term_signal)
        fail_exited(p, c);
    else if (!p->server_ready)
        children_fail(p, "the server exited before it was ready");
    else if (p->client.running && !p->stopping)
        children_fail(p, "the server finished before the client");
    children_maybe_done(p);
}

static void on_ready_timeout(uv_timer_t *timer)
{
    struct point_run *p = timer->data;
    children_fail(p, "the server was not ready within %d ms", READY_TIMEOUT_MS);
}

static void start_duration(struct point_run *p)
{
    uv_timer_start(&p->duration_timer, on_duration, (uint64_t)p->params->duration_us / 1000, 0);
}

static void on_client_ready_timeout(uv_timer_t *timer)
{
    struct point_run *p = timer->data;
    children_fail(p, "the client had not started within %d ms", READY_TIMEOUT_MS);
}

/* One start time for both: every event is stamped since it. The server
 * gets it first; the client once the server has started. */
static void start_server(struct point_run *p)
{
    char command[64];
    p->start_ns = clock_now_ns();
    snprintf(command, sizeof command, "start %lld\n", (long long)p->start_ns);
    child_send(&p->server, command);
}

void children_start_client(struct point_run *p)
{
    struct runner *r = p->runner;
    struct hl_error err;
    char address[128], start[32];
    json_int_t port = json_integer_value(json_object_get(p->server_ready, "port"));
    const char *name = json_string_value(json_object_get(p->server_ready, "address"));
    /* family unix: the abstract name the server's kernel picked */
    if (p->params->family == FAMILY_UNIX && name)
        snprintf(address, sizeof address, "%s", name);
    else
        snprintf(address, sizeof address, "%s:%d", p->server_host, (int)port);
    snprintf(start, sizeof start, "%lld", (long long)p->start_ns);
    p->client_started_us = clock_since_us(p->start_ns);
    char *argv[] = {r->client_bin, "--control",    "--connect", address,
                    "--params",    p->params_text, "--events",  p->client_events,
                    "--start-ns",  start,          NULL};
    if (p->client_program ? program_side_spawn_client(p, p->server_host, (uint16_t)port, &err)
                          : child_spawn(r->loop, &p->client, argv, &err)) {
        children_fail(p, "%s: %s", err.where, err.what);
        return;
    }
    /* harness-client says "started" once its work has begun: duration_ms
     * counts from there (a client slow to start would otherwise see its
     * connections' timeouts come after the run's end); a program's from
     * its spawn */
    if (p->client_program)
        start_duration(p);
    else
        uv_timer_start(&p->ready_timer, on_client_ready_timeout, READY_TIMEOUT_MS, 0);
}

static void on_server_ready(struct point_run *p, const char *line)
{
    json_error_t jerr;
    if (p->server_ready)
        return;
    p->server_ready = json_loads(line + 6, 0, &jerr);
    if (!json_is_object(p->server_ready)) {
        children_fail(p, "the server's ready line is not JSON: %s", line);
        return;
    }
    if (!p->failed && !p->stopping)
        start_server(p);
}

static void on_server_line(struct child *c, const char *line)
{
    struct point_run *p = c->data;
    if (strncmp(line, "ready ", 6) == 0) {
        on_server_ready(p, line);
    } else if (strcmp(line, "started") == 0) {
        uv_timer_stop(&p->ready_timer);
        p->server_started_us = clock_since_us(p->start_ns);
        sockwatch_start(p, (uint16_t)json_integer_value(json_object_get(p->server_ready, "port")));
        if (!p->failed && !p->stopping && !p->client.running)
            children_start_client(p);
    } else if (strncmp(line, "stopped", 7) == 0) {
        p->server_stopped = 1;
        children_maybe_frozen(p);
    }
}

static void on_client_line(struct child *c, const char *line)
{
    struct point_run *p = c->data;
    json_error_t jerr;
    int stopped = strncmp(line, "stopped ", 8) == 0;
    if (strcmp(line, "started") == 0) {
        uv_timer_stop(&p->ready_timer);
        if (!p->failed && !p->stopping)
            start_duration(p);
        return;
    }
    if (strncmp(line, "end ", 4) != 0 && !stopped)
        return;
    json_t *end = json_loads(line + (stopped ? 8 : 4), 0, &jerr);
    p->client_connected = json_integer_value(json_object_get(end, "connected"));
    json_decref(end);
    if (stopped) {
        p->client_stopped = 1;
        children_server_send(p, "stop\n");
    }
}

static void init_children(struct point_run *p)
{
    uv_loop_t *loop = p->runner->loop;
    uv_timer_init(loop, &p->ready_timer);
    uv_timer_init(loop, &p->duration_timer);
    uv_timer_init(loop, &p->grace_timer);
    p->ready_timer.data = p->duration_timer.data = p->grace_timer.data = p;
    p->timers_open = 1;
    p->server.name = "server";
    p->client.name = "client";
    p->server.data = p->client.data = p;
    p->server.on_line = on_server_line;
    p->server.on_exit = on_server_exit;
    p->client.on_exit = on_client_exit;
    p->client.on_line = on_client_line;
}

/* Spawns the server where it runs; 0 or the error that stops the run. */
static int spawn_server(struct point_run *p, struct hl_error *err)
{
    struct runner *r = p->runner;
    char listen[64];
    /* any free port, or for family unix any free abstract name */
    if (p->params->family == FAMILY_UNIX)
        snprintf(listen, sizeof listen, "@");
    else
        snprintf(listen, sizeof listen, "%s:0", p->server_host);
    char *argv[] = {r->server_bin,  "--control", "--listen",       listen, "--params",
                    p->params_text, "--events",  p->server_events, NULL};
    /* topology veth: the server starts in the server's namespace, which
     * the child inherits from the thread that forks it */
    int veth = p->params->topology == TOPOLOGY_VETH;
    int rc = veth ? netns_enter_side(&r->ns, NETNS_SERVER, err) : 0;
    if (rc == 0)
        rc = sockwatch_open(p, err);
    if (rc == 0)
        rc = p->server_program ? program_side_spawn(p, err)
                               : child_spawn(r->loop, &p->server, argv, err);
    if (veth) {
        struct hl_error back;
        if (netns_enter_side(&r->ns, NETNS_CLIENT, &back) && rc == 0) {
            *err = back;
            rc = -EINVAL;
            children_fail(p, "%s: %s", err->where, err->what); /* the client must not start */
        }
    }
    return rc;
}

void children_run(struct point_run *p)
{
    struct runner *r = p->runner;
    struct hl_error err;
    init_children(p);
    if (spawn_server(p, &err)) {
        children_fail(p, "%s: %s", err.where, err.what);
        children_maybe_done(p);
    } else if (!p->server_program) { /* a program's own timer watches it (children_program.c) */
        uv_timer_start(&p->ready_timer, on_ready_timeout, READY_TIMEOUT_MS, 0);
    }
    r->current = p;
    uv_run(r->loop, UV_RUN_DEFAULT);
    r->current = NULL;
}
