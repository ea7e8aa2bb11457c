/* point.c: one run of a point (see runner_internal.h): its namespaces and
 * sysctls, the kernel counters before and after, the two children, and the
 * run built from their event logs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "alone.h"
#include "clock.h"
#include "counters.h"
#include "link.h"
#include "programrun.h"
#include "runner_internal.h"

/* The kernel's side of one run, read in its namespaces around it. */
struct point_kernel {
    struct counters before, after; /* where the server runs: on loopback, the only namespace */
    struct counters client_before, client_after; /* topology veth: the client's namespace */
    json_t *sysctls;                             /* in force where the server runs */
    json_t *client_sysctls;                      /* topology veth: in force where the client runs */
    json_t *link;                                /* topology veth: the link as made */
    int after_taken;   /* at the stop, before the children closed their sockets */
    int private_netns; /* the run's own namespace(s); 0 with --no-netns */
};

/* The counters of the current namespace into c; a point whose counters
 * cannot be read fails rather than report deltas of nothing. */
static int read_counters(struct counters *c, const char *when, struct hl_error *err)
{
    int rc = counters_read(c);
    if (rc)
        return hl_error_setn(err, rc, "runner",
                             "cannot read the kernel's counters (/proc/net/snmp, "
                             "/proc/net/netstat) %s: %s",
                             when, strerror(-rc));
    return 0;
}

/* What the run needs before its namespaces: its params as the children
 * take them, where their event logs go, where the server listens. */
static int prepare(struct point_run *p, struct runner *r, const struct point_params *params,
                   json_t *params_json, struct hl_error *err)
{
    memset(p, 0, sizeof *p);
    p->runner = r;
    p->params = params;
    p->params_text = json_dumps(params_json, JSON_COMPACT);
    snprintf(p->server_events, sizeof p->server_events, "%s/server.jsonl", r->log_dir);
    snprintf(p->client_events, sizeof p->client_events, "%s/client.jsonl", r->log_dir);
    p->server_host = params->topology == TOPOLOGY_VETH ? LINK_SERVER_ADDRESS : "127.0.0.1";
    p->diag_fd = -1;
    p->server_program = params->server.program.argc > 0;
    p->client_program = params->client.program.argc > 0;
    if ((p->server_program || p->client_program) && !(p->program = calloc(1, sizeof *p->program)))
        return hl_error_setn(err, ENOMEM, "runner", "out of memory");
    if (!p->params_text)
        return hl_error_setn(err, ENOMEM, "runner", "out of memory");
    return 0;
}

/* topology veth: the fresh namespace is the client's; the server gets its
 * own, joined to it by a veth pair. Each side's sysctls and counters are
 * its own; the children start from the client's side. */
static int enter_veth(struct runner *r, const struct point_params *params, struct point_kernel *k,
                      struct hl_error *err)
{
    int rc;
    if ((rc = netns_add_server(&r->ns, err)) ||
        (rc = netns_apply_side_sysctls(&r->ns, params, NETNS_SERVER, err)) ||
        (rc = netns_apply_side_sysctls(&r->ns, params, NETNS_CLIENT, err)) ||
        (rc = link_create(params, r->ns.server_fd, r->ns.client_fd, &k->link, err)))
        return rc;
    k->client_sysctls = netns_sysctls_in_force_side(params, NETNS_CLIENT);
    if ((rc = read_counters(&k->client_before, "before the run", err)) ||
        (rc = netns_enter_side(&r->ns, NETNS_SERVER, err)))
        return rc;
    k->sysctls = netns_sysctls_in_force_side(params, NETNS_SERVER);
    if ((rc = read_counters(&k->before, "before the run", err)))
        return rc;
    return netns_enter_side(&r->ns, NETNS_CLIENT, err);
}

/* Into a fresh namespace (unless the runner has none to give), with the
 * point's sysctls written there, and the counters before. */
static int enter_namespaces(struct runner *r, const struct point_params *params,
                            struct point_kernel *k, struct hl_error *err)
{
    struct hl_error leave_err;
    int rc;
    if (r->private_netns && (rc = netns_enter_fresh(&r->ns, err)))
        return rc;
    k->private_netns = r->private_netns;
    if (params->topology == TOPOLOGY_VETH) {
        rc = enter_veth(r, params, k, err);
    } else if ((rc = netns_apply_sysctls(&r->ns, params, err)) == 0) {
        k->sysctls = netns_sysctls_in_force(params);
        rc = read_counters(&k->before, "before the run", err);
    }
    if (rc)
        netns_leave(&r->ns, &leave_err); /* err already says what went wrong */
    return rc;
}

/* The counters after the run, each in its namespace, the thread back in
 * the client's (on loopback the only one). */
static int read_counters_after(struct runner *r, const struct point_params *params,
                               struct point_kernel *k, struct hl_error *err)
{
    int rc;
    if (params->topology != TOPOLOGY_VETH)
        return read_counters(&k->after, "after the run", err);
    if ((rc = read_counters(&k->client_after, "after the run", err)) ||
        (rc = netns_enter_side(&r->ns, NETNS_SERVER, err)))
        return rc;
    rc = read_counters(&k->after, "after the run", err);
    struct hl_error back;
    if (netns_enter_side(&r->ns, NETNS_CLIENT, &back) && rc == 0) {
        *err = back;
        rc = -EINVAL;
    }
    return rc;
}

/* Both children stopped at duration_ms, their sockets still open: the
 * counters now, so that nothing their closing does is counted. */
static void counters_at_stop(struct point_run *p)
{
    struct point_kernel *k = p->frozen_data;
    struct hl_error err;
    if (read_counters_after(p->runner, p->params, k, &err))
        children_fail(p, "%s", err.what);
    else
        k->after_taken = 1;
}

/* How the run ended: interrupted, failed (a child's failure, named), or rc
 * (leaving the namespaces). */
static int outcome(const struct point_run *p, int rc, struct hl_error *err)
{
    if (p->runner->interrupted)
        return hl_error_setn(err, EINTR, "runner", "interrupted; no results written");
    if (p->failed)
        return hl_error_set(err, NULL, "%s", p->failure);
    return rc;
}

/* The run from its logs (taken over), with the kernel's counter deltas. */
static int from_logs(struct run_inputs *in, const struct point_params *params,
                     const struct point_kernel *k, struct run_log *server_log,
                     struct run_log *client_log, struct results_run *run, struct hl_error *err)
{
    int rc = 0;
    json_t *kernel = counters_delta_json(&k->before, &k->after);
    in->kernel = kernel;
    in->kernel_scope = k->private_netns ? "private_netns" : "host";
    struct utsname host;
    in->kernel_release = uname(&host) == 0 ? host.release : NULL;
    in->sysctls = k->sysctls;
    in->client_sysctls = k->client_sysctls;
    in->link = k->link;
    if (params->topology == TOPOLOGY_VETH) {
        /* summary.kernel stays what one namespace holding both ends
         * counts, as on loopback; each side's apart */
        in->kernel_server = kernel;
        in->kernel_client = counters_delta_json(&k->client_before, &k->client_after);
        in->kernel = counters_sum_json(in->kernel_server, in->kernel_client);
    }
    if (results_run_from_logs(in, server_log, client_log, run))
        rc = hl_error_setn(err, ENOMEM, "runner", "out of memory");
    if (params->topology == TOPOLOGY_VETH) {
        json_decref(in->kernel);
        json_decref(in->kernel_client);
    }
    json_decref(kernel);
    return rc;
}

/* Reads both event logs and builds the run; the time it takes is the
 * harness's own (runner->results_ns). */
static int build_run(struct point_run *p, struct run_inputs *in, const struct point_kernel *k,
                     struct results_run *run, struct hl_error *err)
{
    int64_t started_ns = clock_now_ns();
    struct run_log server_log, client_log;
    /* a program's side has no log of its own: the runner's events for a
     * server program, none for a client program */
    json_t *none = json_array();
    int rc = p->server_program ? run_log_from_events(p->program_events, &server_log)
                               : run_log_read(p->server_events, &server_log, err);
    if (rc && p->server_program)
        hl_error_setn(err, rc, "runner", "out of memory");
    if (rc == 0) {
        rc = p->client_program ? run_log_from_events(none, &client_log)
                               : run_log_read(p->client_events, &client_log, err);
        if (rc && p->client_program)
            hl_error_setn(err, rc, "runner", "out of memory");
        if (rc == 0) {
            rc = from_logs(in, p->params, k, &server_log, &client_log, run, err);
            run_log_free(&client_log);
            if (rc == 0)
                sockwatch_record(p, run);
            if (rc == 0 && p->program)
                results_run_program(run->run, p->program->side, program_record(p->program));
        }
        run_log_free(&server_log);
    }
    json_decref(none);
    p->runner->results_ns += clock_now_ns() - started_ns;
    return rc;
}

static void release(struct point_run *p, struct point_kernel *k)
{
    if (k) {
        json_decref(k->sysctls);
        json_decref(k->client_sysctls);
        json_decref(k->link);
        free(k);
    }
    unlink(p->server_events);
    unlink(p->client_events);
    json_decref(p->server_ready);
    json_decref(p->program_events);
    json_decref(p->syn_recv_samples);
    json_decref(p->server_sockets);
    free(p->program);
    free(p->params_text);
}

/* Why the point ran alone, and at what priority (slots.h), or null. */
static json_t *alone_json(const struct point_params *params)
{
    char why[200];
    enum alone_kind kind = point_runs_alone(params, why, sizeof why);
    if (kind == ALONE_NO)
        return json_null();
    errno = 0;
    int nice = getpriority(PRIO_PROCESS, 0);
    return json_pack("{s:s,s:s,s:o}", "kind", kind == ALONE_TIMING ? "timing" : "loads_cpu", "why",
                     why, "nice", errno ? json_null() : json_integer(nice));
}

int point_measure(struct runner *r, const struct scenario *s, size_t index, size_t repeat,
                  struct results_run *run, struct hl_error *err)
{
    struct point_params params;
    struct point_run p;
    json_t *sweep = NULL;
    int rc;

    if ((rc = scenario_point(s, index, &params, &sweep, err)))
        return rc;
    json_t *params_json = params_to_json(&params);
    struct point_kernel *k = calloc(1, sizeof *k);
    if ((rc = prepare(&p, r, &params, params_json, err)) == 0 && !k)
        rc = hl_error_setn(err, ENOMEM, "runner", "out of memory");
    p.scenario_file = s->file;
    if (rc == 0 && (rc = enter_namespaces(r, &params, k, err)) == 0) {
        p.on_frozen = counters_at_stop;
        p.frozen_data = k;
        children_run(&p);
        /* a run whose work was done before duration_ms: the counters once
         * both children have finished it */
        if (!k->after_taken)
            rc = read_counters_after(r, &params, k, err);
        struct hl_error leave_err;
        int left = netns_leave(&r->ns, rc ? &leave_err : err);
        rc = outcome(&p, rc ? rc : left, err);
        struct run_inputs in = {.point = index,
                                .repeat = repeat,
                                .sweep = sweep,
                                .params = params_json,
                                .server_ready = p.server_ready,
                                .start_order =
                                    json_pack("{s:I,s:I}", "server_started_us",
                                              (json_int_t)p.server_started_us, "client_started_us",
                                              (json_int_t)p.client_started_us),
                                .alone = alone_json(&params)};
        if (rc == 0)
            rc = build_run(&p, &in, k, run, err);
        json_decref(in.start_order);
        json_decref(in.alone);
    }
    release(&p, k);
    json_decref(params_json);
    json_decref(sweep);
    return rc;
}
