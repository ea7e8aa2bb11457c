/* runner.c: see runner.h. */
#include "runner.h"

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "clock.h"
#include "counters.h"
#include "fdlimit.h"
#include "link.h"
#include "netns.h"
#include "process.h"
#include "results.h"

/* how long a child may take to say "ready", and to stop once told */
#define READY_TIMEOUT_MS 10000
#define STOP_GRACE_MS 5000

struct runner {
    uv_loop_t *loop;
    struct runner_options options;
    char server_bin[PATH_MAX], client_bin[PATH_MAX];
    char temp_dir[PATH_MAX];
    struct netns ns;
    int private_netns;
    uv_signal_t sigint, sigterm;
    int interrupted;
    struct point_run *current;
    unsigned qdiscs_missing;    /* link_needs() bits this kernel lacks */
    char qdisc_refusal[256];    /* what the kernel said when asked for one */
    int64_t results_ns;         /* spent turning logs into results, after the points */
    uint64_t connections_built; /* connections in them */
};

struct point_run {
    struct runner *runner;
    const struct point_params *params;
    char *params_text;
    const char *server_host; /* where the server listens and the client connects */
    char server_events[PATH_MAX], client_events[PATH_MAX];
    struct child server, client;
    uv_timer_t ready_timer, duration_timer, grace_timer;
    int timers_open;
    json_t *server_ready;
    int64_t start_ns;
    int64_t client_connected; /* from the client's "end" line */
    int stopping;
    int failed;
    char failure[1536];
};

static void point_fail(struct point_run *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void point_kill_all(struct point_run *p)
{
    child_kill(&p->server, SIGKILL);
    child_kill(&p->client, SIGKILL);
}

static void point_fail(struct point_run *p, const char *fmt, ...)
{
    va_list ap;
    if (!p->failed) {
        va_start(ap, fmt);
        vsnprintf(p->failure, sizeof p->failure, fmt, ap);
        va_end(ap);
        p->failed = 1;
    }
    point_kill_all(p);
}

static void point_close_timers(struct point_run *p)
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
static void point_maybe_done(struct point_run *p)
{
    if (p->server.running || p->client.running)
        return;
    point_close_timers(p);
    child_release(&p->server);
    child_release(&p->client);
}

static void on_grace(uv_timer_t *timer)
{
    struct point_run *p = timer->data;
    point_fail(p, "the %s did not stop within %d ms of being told to; killed",
               p->client.running ? "client" : "server", STOP_GRACE_MS);
}

/* The run's end: stop the client first (so it stops recording before the
 * server's sockets go away and look like resets), then the server. */
static void point_stop(struct point_run *p)
{
    if (p->stopping)
        return;
    p->stopping = 1;
    if (p->client.running)
        child_send(&p->client, "stop\n");
    else
        child_send(&p->server, "stop\n");
    uv_timer_start(&p->grace_timer, on_grace, STOP_GRACE_MS, 0);
}

static void on_duration(uv_timer_t *timer)
{
    point_stop(timer->data);
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

static void on_client_exit(struct child *c)
{
    struct point_run *p = c->data;
    char status[128];
    if (c->exit_status != 0 || c->term_signal) {
        point_fail(p, "the client %s%s%s", exit_text(c, status, sizeof status),
                   child_stderr(c)[0] ? ": " : "", child_stderr(c));
    } else if (!p->stopping) {
        char command[64];
        snprintf(command, sizeof command, "client-done %lld\n", (long long)p->client_connected);
        child_send(&p->server, command); /* drain, then finish */
    } else {
        child_send(&p->server, "stop\n");
    }
    point_maybe_done(p);
}

static void on_server_exit(struct child *c)
{
    struct point_run *p = c->data;
    char status[128];
    if (c->exit_status != 0 || c->term_signal)
        point_fail(p, "the server %s%s%s", exit_text(c, status, sizeof status),
                   child_stderr(c)[0] ? ": " : "", child_stderr(c));
    else if (!p->server_ready)
        point_fail(p, "the server exited before it was ready");
    else if (p->client.running)
        point_fail(p, "the server finished before the client");
    point_maybe_done(p);
}

static void on_ready_timeout(uv_timer_t *timer)
{
    struct point_run *p = timer->data;
    point_fail(p, "the server was not ready within %d ms", READY_TIMEOUT_MS);
}

static void point_start_client(struct point_run *p)
{
    struct runner *r = p->runner;
    struct hl_error err;
    char address[64], start[32];
    json_int_t port = json_integer_value(json_object_get(p->server_ready, "port"));
    snprintf(address, sizeof address, "%s:%d", p->server_host, (int)port);
    /* one start time for both: every event is stamped since it */
    p->start_ns = clock_now_ns();
    snprintf(start, sizeof start, "%lld", (long long)p->start_ns);
    char command[64];
    snprintf(command, sizeof command, "start %s\n", start);
    child_send(&p->server, command);
    char *argv[] = {r->client_bin, "--control",    "--connect", address,
                    "--params",    p->params_text, "--events",  p->client_events,
                    "--start-ns",  start,          NULL};
    if (child_spawn(r->loop, &p->client, argv, &err)) {
        point_fail(p, "%s: %s", err.where, err.what);
        return;
    }
    uv_timer_start(&p->duration_timer, on_duration, (uint64_t)p->params->duration_us / 1000, 0);
}

static void on_server_line(struct child *c, const char *line)
{
    struct point_run *p = c->data;
    json_error_t jerr;
    if (strncmp(line, "ready ", 6) != 0 || p->server_ready)
        return;
    uv_timer_stop(&p->ready_timer);
    p->server_ready = json_loads(line + 6, 0, &jerr);
    if (!json_is_object(p->server_ready)) {
        point_fail(p, "the server's ready line is not JSON: %s", line);
        return;
    }
    if (!p->failed && !p->stopping)
        point_start_client(p);
}

static void on_client_line(struct child *c, const char *line)
{
    struct point_run *p = c->data;
    json_error_t jerr;
    if (strncmp(line, "end ", 4) != 0)
        return;
    json_t *end = json_loads(line + 4, 0, &jerr);
    p->client_connected = json_integer_value(json_object_get(end, "connected"));
    json_decref(end);
}

/* Spawns the server and drives the point to its end. */
static void point_execute(struct point_run *p)
{
    struct runner *r = p->runner;
    struct hl_error err;
    uv_timer_init(r->loop, &p->ready_timer);
    uv_timer_init(r->loop, &p->duration_timer);
    uv_timer_init(r->loop, &p->grace_timer);
    p->ready_timer.data = p->duration_timer.data = p->grace_timer.data = p;
    p->timers_open = 1;
    p->server.name = "server";
    p->client.name = "client";
    p->server.data = p->client.data = p;
    p->server.on_line = on_server_line;
    p->server.on_exit = on_server_exit;
    p->client.on_exit = on_client_exit;
    p->client.on_line = on_client_line;
    char listen[64];
    snprintf(listen, sizeof listen, "%s:0", p->server_host);
    char *argv[] = {r->server_bin,  "--control", "--listen",       listen, "--params",
                    p->params_text, "--events",  p->server_events, NULL};
    /* topology veth: the server starts in the server's namespace, which
     * the child inherits from the thread that forks it */
    int veth = p->params->topology == TOPOLOGY_VETH;
    int rc = veth ? netns_enter_side(&r->ns, NETNS_SERVER, &err) : 0;
    if (rc == 0)
        rc = child_spawn(r->loop, &p->server, argv, &err);
    if (veth) {
        struct hl_error back;
        if (netns_enter_side(&r->ns, NETNS_CLIENT, &back) && rc == 0) {
            err = back;
            rc = -EINVAL;
            point_fail(p, "%s: %s", err.where, err.what); /* the client must not start */
        }
    }
    if (rc) {
        point_fail(p, "%s: %s", err.where, err.what);
        point_maybe_done(p);
    } else {
        uv_timer_start(&p->ready_timer, on_ready_timeout, READY_TIMEOUT_MS, 0);
    }
    r->current = p;
    uv_run(r->loop, UV_RUN_DEFAULT);
    r->current = NULL;
}

static void on_signal(uv_signal_t *handle, int signum)
{
    struct runner *r = handle->data;
    r->interrupted = signum;
    if (r->current)
        point_fail(r->current, "interrupted by signal %d", signum);
}

static int runner_point(struct runner *r, const struct scenario *s, size_t index, size_t repeat,
                        struct results_run *run, struct hl_error *err)
{
    struct point_params params;
    json_t *sweep = NULL;
    struct counters *before = NULL, *after = NULL;
    struct point_run p;
    json_t *sysctls = NULL, *client_sysctls = NULL, *link = NULL;
    struct counters *client_before = NULL, *client_after = NULL;
    struct hl_error leave_err;
    int rc;

    if ((rc = scenario_point(s, index, &params, &sweep, err)))
        return rc;
    memset(&p, 0, sizeof p);
    p.runner = r;
    p.params = &params;
    json_t *params_json = params_to_json(&params);
    p.params_text = json_dumps(params_json, JSON_COMPACT);
    snprintf(p.server_events, sizeof p.server_events, "%s/server.jsonl", r->temp_dir);
    snprintf(p.client_events, sizeof p.client_events, "%s/client.jsonl", r->temp_dir);
    before = malloc(sizeof *before);
    after = malloc(sizeof *after);
    int veth = params.topology == TOPOLOGY_VETH;
    if (veth) {
        client_before = malloc(sizeof *client_before);
        client_after = malloc(sizeof *client_after);
    }
    if (!before || !after || !p.params_text || (veth && (!client_before || !client_after))) {
        rc = hl_error_setn(err, ENOMEM, "runner", "out of memory");
        goto out;
    }
    p.server_host = veth ? LINK_SERVER_ADDRESS : "127.0.0.1";

    if (r->private_netns && (rc = netns_enter_fresh(&r->ns, err)))
        goto out;
    if (veth) {
        /* the fresh namespace is the client's; the server gets its own,
         * joined to it by a veth pair */
        if ((rc = netns_add_server(&r->ns, err)) ||
            (rc = netns_apply_side_sysctls(&r->ns, &params, NETNS_SERVER, err)) ||
            (rc = netns_apply_side_sysctls(&r->ns, &params, NETNS_CLIENT, err)) ||
            (rc = link_create(&params, r->ns.server_fd, r->ns.client_fd, &link, err)))
            goto leave;
        client_sysctls = netns_sysctls_in_force_side(&params, NETNS_CLIENT);
        counters_read(client_before);
        if ((rc = netns_enter_side(&r->ns, NETNS_SERVER, err)))
            goto leave;
        sysctls = netns_sysctls_in_force_side(&params, NETNS_SERVER);
        counters_read(before);
        if ((rc = netns_enter_side(&r->ns, NETNS_CLIENT, err)))
            goto leave;
    } else {
        if ((rc = netns_apply_sysctls(&r->ns, &params, err)))
            goto leave;
        sysctls = netns_sysctls_in_force(&params);
        counters_read(before);
    }
    point_execute(&p);
    if (veth) {
        counters_read(client_after);
        if ((rc = netns_enter_side(&r->ns, NETNS_SERVER, err)))
            goto leave;
    }
    counters_read(after);
    rc = netns_leave(&r->ns, err);

    if (r->interrupted) {
        rc = hl_error_setn(err, EINTR, "runner", "interrupted; no results written");
    } else if (p.failed) {
        rc = hl_error_set(err, NULL, "%s", p.failure);
    } else if (rc == 0) {
        int64_t started_ns = clock_now_ns();
        struct run_log server_log, client_log;
        if ((rc = run_log_read(p.server_events, &server_log, err)) == 0) {
            if ((rc = run_log_read(p.client_events, &client_log, err)) == 0) {
                json_t *kernel = counters_delta_json(before, after);
                struct run_inputs in = {.point = index,
                                        .repeat = repeat,
                                        .sweep = sweep,
                                        .params = params_json,
                                        .server_ready = p.server_ready,
                                        .kernel = kernel,
                                        .sysctls = sysctls,
                                        .client_sysctls = client_sysctls,
                                        .link = link};
                if (veth) {
                    /* summary.kernel stays what one namespace holding both
                     * ends counts, as on loopback; each side's apart */
                    in.kernel_server = kernel;
                    in.kernel_client = counters_delta_json(client_before, client_after);
                    in.kernel = counters_sum_json(in.kernel_server, in.kernel_client);
                }
                if (results_run_from_logs(&in, &server_log, &client_log, run))
                    rc = hl_error_setn(err, ENOMEM, "runner", "out of memory");
                if (veth) {
                    json_decref(in.kernel);
                    json_decref(in.kernel_client);
                }
                json_decref(kernel);
                run_log_free(&client_log);
            }
            run_log_free(&server_log);
        }
        r->results_ns += clock_now_ns() - started_ns;
    }
    json_decref(sysctls);
    json_decref(client_sysctls);
    json_decref(link);
    unlink(p.server_events);
    unlink(p.client_events);
    goto out;

leave:
    netns_leave(&r->ns, &leave_err); /* err already says what went wrong */
    json_decref(sysctls);
    json_decref(client_sysctls);
    json_decref(link);
out:
    json_decref(params_json);
    json_decref(sweep);
    json_decref(p.server_ready);
    free(p.params_text);
    free(before);
    free(after);
    free(client_before);
    free(client_after);
    return rc;
}

static void progress(const struct runner *r, const struct scenario *s, size_t index, size_t repeat,
                     const json_t *run)
{
    char label[512];
    json_t *sweep = json_object_get(run, "sweep");
    json_t *sum = json_object_get(run, "summary");
    if (r->options.quiet)
        return;
    scenario_point_label(sweep, label, sizeof label);
#define N(key) (long long)json_integer_value(json_object_get(sum, key))
    fprintf(stderr, "%s: point %zu/%zu%s%s", s->name, index + 1, s->point_count,
            label[0] ? " " : "", label);
    if (s->repeat > 1)
        fprintf(stderr, " (repeat %zu/%d)", repeat + 1, s->repeat);
    fprintf(stderr,
            ": attempted %lld connected %lld accepted %lld refused %lld timed_out %lld "
            "reset %lld blocked_sends %lld sent %lld read %lld in %.2f s\n",
            N("attempted"), N("connected"), N("accepted"), N("refused"), N("timed_out"), N("reset"),
            N("blocked_sends"), N("bytes_sent"), N("bytes_read"), (double)N("elapsed_us") / 1e6);
#undef N
}

/* A point whose link needs a qdisc this kernel lacks: recorded in skipped
 * with the reason, and said on stderr; 1 if so. */
static int point_skipped(const struct runner *r, const struct scenario *s, size_t index,
                         json_t *skipped)
{
    struct point_params params;
    struct hl_error ignored;
    json_t *sweep = NULL;
    if (scenario_point(s, index, &params, &sweep, &ignored))
        return 0;
    unsigned missing = link_needs(&params) & r->qdiscs_missing;
    if (!missing) {
        json_decref(sweep);
        return 0;
    }
    char reason[512], label[512];
    link_missing_text(&params, missing, reason, sizeof reason);
    json_t *needs = json_array();
    if (missing & LINK_NEEDS_NETEM)
        json_array_append_new(needs, json_string("netem"));
    if (missing & LINK_NEEDS_TBF)
        json_array_append_new(needs, json_string("tbf"));
    json_array_append_new(skipped,
                          json_pack("{s:I,s:o,s:o,s:s,s:o,s:s}", "point", (json_int_t)index,
                                    "sweep", sweep, "params", params_to_json(&params), "reason",
                                    reason, "needs", needs, "kernel_says", r->qdisc_refusal));
    if (!r->options.quiet) {
        scenario_point_label(sweep, label, sizeof label);
        fprintf(stderr, "%s: point %zu/%zu%s%s: skipped: %s\n", s->name, index + 1, s->point_count,
                label[0] ? " " : "", label, reason);
    }
    return 1;
}

/* Where the event logs go: $TMPDIR, else /dev/shm, else /tmp. A log lives
 * only for its point and is read once; in memory, writing a line costs
 * about a fifth less than through ext4 (20,000 connections: 39 ms of
 * logging instead of 44 to 55). */
static const char *temp_base(void)
{
    if (getenv("TMPDIR") && getenv("TMPDIR")[0])
        return getenv("TMPDIR");
    if (access("/dev/shm", W_OK | X_OK) == 0)
        return "/dev/shm";
    return "/tmp";
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

int runner_run(const struct runner_options *options, const struct scenario *s, struct hl_error *err)
{
    struct runner r;
    int rc;
    memset(&r, 0, sizeof r);
    r.options = *options;
    r.loop = uv_default_loop();
    snprintf(r.server_bin, sizeof r.server_bin, "%s/harness-server", options->bin_dir);
    snprintf(r.client_bin, sizeof r.client_bin, "%s/harness-client", options->bin_dir);
    if (access(r.server_bin, X_OK) || access(r.client_bin, X_OK))
        return hl_error_setn(err, ENOENT, options->bin_dir,
                             "harness-server and harness-client "
                             "must be next to harness-run");

    if ((rc = netns_init(&r.ns, err)))
        return rc;
    /* probe once: either every point gets a namespace of its own or none */
    r.private_netns = 0;
    json_t *host_like = NULL;
    if (options->use_netns) {
        struct hl_error probe;
        if (netns_enter_fresh(&r.ns, &probe) == 0) {
            r.private_netns = 1;
            host_like = netns_sysctls_in_force(NULL);
        } else {
            fprintf(stderr,
                    "harness-run: %s: %s; running on the host's network stack "
                    "(counters and queues are shared with everything else on this host)\n",
                    probe.where, probe.what);
        }
        if (netns_leave(&r.ns, err)) {
            netns_close(&r.ns);
            return -EINVAL;
        }
    }
    if (!host_like)
        host_like = netns_sysctls_in_force(NULL);
    if (!r.private_netns) {
        for (size_t i = 0; i < s->point_count; i++) {
            struct point_params params;
            if (scenario_point(s, i, &params, NULL, err) == 0 && params.topology == TOPOLOGY_VETH) {
                json_decref(host_like);
                netns_close(&r.ns);
                return hl_error_set(err, s->file,
                                    "this scenario uses topology \"veth\", two network "
                                    "namespaces joined by a veth pair, and none can be made "
                                    "here (run as root, or without --no-netns)");
            }
            if (scenario_point(s, i, &params, NULL, err) == 0 && params.sysctl_count) {
                json_decref(host_like);
                netns_close(&r.ns);
                return hl_error_set(err, s->file,
                                    "this scenario sets sysctls (%s ...), which the "
                                    "harness writes only inside a private network namespace; "
                                    "none can be made here (run as root, or without "
                                    "--no-netns)",
                                    params.sysctls[0].name);
            }
        }
    }

    /* file descriptors for the largest point, before the first one runs:
     * a limit too low is reported now, not as EMFILE halfway through */
    uint64_t fds_needed = 0;
    for (size_t i = 0; i < s->point_count; i++) {
        struct point_params params;
        if (scenario_point(s, i, &params, NULL, err) == 0) {
            if (fdlimit_server_needs(&params) > fds_needed)
                fds_needed = fdlimit_server_needs(&params);
            if (fdlimit_client_needs(&params) > fds_needed)
                fds_needed = fdlimit_client_needs(&params);
        }
    }
    if ((rc = fdlimit_ensure(fds_needed, err))) {
        json_decref(host_like);
        netns_close(&r.ns);
        return rc;
    }

    /* the qdiscs the links need, asked of the kernel once: a point whose
     * shaping this kernel cannot do is skipped, never run unshaped */
    unsigned needs = 0;
    for (size_t i = 0; i < s->point_count; i++) {
        struct point_params params;
        if (scenario_point(s, i, &params, NULL, err) == 0)
            needs |= link_needs(&params);
    }
    if (needs &&
        (rc = link_probe(needs, &r.qdiscs_missing, r.qdisc_refusal, sizeof r.qdisc_refusal, err))) {
        json_decref(host_like);
        netns_close(&r.ns);
        return rc;
    }

    snprintf(r.temp_dir, sizeof r.temp_dir, "%s/backlog-lab.XXXXXX", temp_base());
    if (!mkdtemp(r.temp_dir)) {
        json_decref(host_like);
        netns_close(&r.ns);
        return hl_error_setn(err, errno, r.temp_dir, "cannot make a temporary directory: %s",
                             strerror(errno));
    }
    uv_signal_init(r.loop, &r.sigint);
    uv_signal_init(r.loop, &r.sigterm);
    r.sigint.data = r.sigterm.data = &r;
    uv_signal_start(&r.sigint, on_signal, SIGINT);
    uv_signal_start(&r.sigterm, on_signal, SIGTERM);
    uv_unref((uv_handle_t *)&r.sigint);
    uv_unref((uv_handle_t *)&r.sigterm);

    /* each run goes to the spool as soon as it is built; a point's runs
     * stay (without their connections) only until its summary is made, so
     * memory does not grow with the scenario */
    struct results_spool spool;
    json_t *point_summaries = json_array(), *skipped = json_array();
    size_t run_index = 0;
    rc = results_spool_open(&spool, r.temp_dir, err);
    for (size_t i = 0; i < s->point_count && rc == 0; i++) {
        if (point_skipped(&r, s, i, skipped))
            continue;
        json_t *point_runs = json_array();
        size_t first_run = run_index;
        for (size_t k = 0; k < (size_t)s->repeat && rc == 0; k++) {
            struct results_run run;
            rc = runner_point(&r, s, i, k, &run, err);
            if (rc == 0) {
                int64_t started_ns = clock_now_ns();
                progress(&r, s, i, k, run.run);
                rc = results_spool_add(&spool, &run, err);
                json_array_append_new(point_runs, results_run_for_aggregate(&run));
                r.connections_built += run.conn_count;
                results_run_free(&run);
                run_index++;
                r.results_ns += clock_now_ns() - started_ns;
            } else if (rc != -EINTR) {
                json_t *sweep = NULL;
                struct point_params params;
                struct hl_error ignored;
                char label[512] = "", what[sizeof err->what];
                if (scenario_point(s, i, &params, &sweep, &ignored) == 0)
                    scenario_point_label(sweep, label, sizeof label);
                json_decref(sweep);
                snprintf(what, sizeof what, "%s", err->what);
                snprintf(err->what, sizeof err->what, "point %zu/%zu%s%s, repeat %zu: %s%s%s",
                         i + 1, s->point_count, label[0] ? " " : "", label, k + 1,
                         err->where[0] ? err->where : "", err->where[0] ? ": " : "", what);
                snprintf(err->where, sizeof err->where, "%s", s->file);
                rc = -EINVAL;
            }
        }
        int64_t summary_ns = clock_now_ns();
        if (rc == 0)
            json_array_append_new(point_summaries, results_point_summary(point_runs, first_run));
        r.results_ns += clock_now_ns() - summary_ns;
        json_decref(point_runs);
    }
    if (r.interrupted)
        rc = hl_error_setn(err, EINTR, s->file, "interrupted; no results written");

    uv_close((uv_handle_t *)&r.sigint, NULL);
    uv_close((uv_handle_t *)&r.sigterm, NULL);
    uv_run(r.loop, UV_RUN_DEFAULT);
    nftw(r.temp_dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
    netns_close(&r.ns);
    if (rc) {
        results_spool_close(&spool);
        json_decref(point_summaries);
        json_decref(skipped);
        json_decref(host_like);
        return rc;
    }
    if (!options->quiet && run_index == 0)
        fprintf(stderr, "%s: every point skipped (the results say why); nothing was measured\n",
                s->name);
    json_error_t pack_error;
    json_t *results = json_pack_ex(
        &pack_error, 0, "{s:s,s:s,s:s,s:s,s:O,s:o,s:O,s:I,s:i,s:o,s:o,s:o}", "format",
        RESULTS_FORMAT, "scenario_file", s->file, "name", s->name, "description", s->description,
        "scenario", s->root, "environment", results_environment(r.private_netns, host_like),
        "plots", s->plots, "points", (json_int_t)s->point_count, "repeat", s->repeat,
        "point_summaries", point_summaries, "sampling_limits", results_sampling_limits(), "skipped",
        skipped);
    if (!results) {
        results_spool_close(&spool);
        return hl_error_set(err, "results", "%s", pack_error.text);
    }
    int64_t started_ns = clock_now_ns();
    rc = results_write_spooled(options->output, results, &spool, err);
    results_spool_close(&spool);
    json_decref(results);
    r.results_ns += clock_now_ns() - started_ns;
    /* what the harness itself adds after the measurements (bench/) */
    if (rc == 0 && !options->quiet)
        fprintf(stderr, "harness-run: results of %llu connections built and written in %.3f s\n",
                (unsigned long long)r.connections_built, (double)r.results_ns / 1e9);
    return rc;
}
