/* runner.c: see runner.h. The scenario's level: what is checked before the
 * first point, the points one after another (point.c, skip.c), and the
 * results file. */
#include "runner.h"

#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "alone.h"
#include "clock.h"
#include "fdlimit.h"
#include "runner_internal.h"
#include "slots.h"

static void init(struct runner *r, const struct runner_options *options)
{
    memset(r, 0, sizeof *r);
    r->options = *options;
    r->loop = uv_default_loop();
    r->point_summaries = json_array();
    r->skipped = json_array();
}

static int find_peers(struct runner *r, struct hl_error *err)
{
    const char *dir = r->options.bin_dir;
    snprintf(r->server_bin, sizeof r->server_bin, "%s/harness-server", dir);
    snprintf(r->client_bin, sizeof r->client_bin, "%s/harness-client", dir);
    if (access(r->server_bin, X_OK) || access(r->client_bin, X_OK))
        return hl_error_setn(err, ENOENT, dir,
                             "harness-server and harness-client "
                             "must be next to harness-run");
    return 0;
}

/* Probed once: every point gets a namespace of its own, or, with
 * --no-netns only, none. Without one the kernel's counters count the
 * host's other traffic too, so a run never falls back to the host's stack
 * on its own. */
static int probe_netns(struct runner *r, struct hl_error *err)
{
    struct hl_error probe;
    if (r->options.use_netns) {
        if (netns_enter_fresh(&r->ns, &probe))
            return hl_error_setn(err, EPERM, "harness-run",
                                 "no private network namespace can be made here (%s: %s), and "
                                 "without one the kernel's counters would count everything "
                                 "else on this host too; run as root, or pass --no-netns to "
                                 "run on the host's network stack and say so in the results",
                                 probe.where, probe.what);
        r->private_netns = 1;
        r->host_sysctls = netns_sysctls_in_force(NULL);
        if (netns_leave(&r->ns, err))
            return -EINVAL;
    }
    if (!r->host_sysctls)
        r->host_sysctls = netns_sysctls_in_force(NULL);
    return 0;
}

/* On the host's stack (--no-netns) a scenario may neither join two
 * namespaces nor write sysctls. */
static int refuse_host_stack(const struct runner *r, const struct scenario *s, struct hl_error *err)
{
    for (size_t i = 0; i < s->point_count && !r->private_netns; i++) {
        struct point_params params;
        if (scenario_point(s, i, &params, NULL, err) == 0 && params.topology == TOPOLOGY_VETH)
            return hl_error_set(err, s->file,
                                "this scenario uses topology \"veth\", two network "
                                "namespaces joined by a veth pair, which --no-netns "
                                "does not make: leave --no-netns out");
        if (scenario_point(s, i, &params, NULL, err) == 0 && params.sysctl_count)
            return hl_error_set(err, s->file,
                                "this scenario sets sysctls (%s ...), which the "
                                "harness writes only inside a private network namespace; "
                                "--no-netns runs without one: leave it out",
                                params.sysctls[0].name);
    }
    return 0;
}

/* A program from the scenario file (server.command or client.command)
 * runs only in a private namespace, where every process it leaves can be
 * found and killed, and never under --no-programs. */
static int refuse_programs(const struct runner *r, const struct scenario *s, struct hl_error *err)
{
    for (size_t i = 0; i < s->point_count; i++) {
        struct point_params params;
        char command[512];
        const struct program_params *program;
        const char *side;
        if (scenario_point(s, i, &params, NULL, err) || !(program = program_of(&params, &side)))
            continue;
        program_command_line(program, command, sizeof command);
        if (r->options.no_programs)
            return hl_error_set(err, s->file,
                                "this scenario runs a program of its own (%s.command: %s); "
                                "--no-programs refuses it",
                                side, command);
        if (!r->private_netns)
            return hl_error_set(err, s->file,
                                "this scenario runs a program of its own (%s.command: %s), "
                                "which the harness runs only in a private network namespace, "
                                "where it can stop every process the program leaves; "
                                "--no-netns runs without one: leave it out",
                                side, command);
    }
    return 0;
}

/* File descriptors for the largest point, before the first one runs: a
 * limit too low is reported now, not as EMFILE halfway through. */
static int ensure_fd_limit(const struct scenario *s, struct hl_error *err)
{
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
    return fdlimit_ensure(fds_needed, err);
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

static int make_temp_dir(struct runner *r, struct hl_error *err)
{
    snprintf(r->temp_dir, sizeof r->temp_dir, "%s/backlog-lab.XXXXXX", temp_base());
    if (!mkdtemp(r->temp_dir)) {
        int rc = hl_error_setn(err, errno, r->temp_dir, "cannot make a temporary directory: %s",
                               strerror(errno));
        r->temp_dir[0] = '\0';
        return rc;
    }
    snprintf(r->log_dir, sizeof r->log_dir, "%s", r->temp_dir);
    return 0;
}

/* Everything checked and made before the first point; on failure the
 * namespaces are closed. */
static int prepare(struct runner *r, const struct scenario *s, struct hl_error *err)
{
    int rc;
    if ((rc = probe_netns(r, err)) || (rc = refuse_host_stack(r, s, err)) ||
        (rc = refuse_programs(r, s, err)) || (rc = ensure_fd_limit(s, err)) ||
        (rc = skip_probe_qdiscs(r, s, err)) || (rc = make_temp_dir(r, err))) {
        json_decref(r->host_sysctls);
        r->host_sysctls = NULL;
        netns_close(&r->ns);
    }
    return rc;
}

static void on_signal(uv_signal_t *handle, int signum)
{
    struct runner *r = handle->data;
    r->interrupted = signum;
    if (r->current)
        children_fail(r->current, "interrupted by signal %d", signum);
}

/* SIGINT and SIGTERM stop the current run (its children killed) and the
 * scenario; the handles keep no loop alive. */
void runner_catch_signals(struct runner *r)
{
    uv_signal_init(r->loop, &r->sigint);
    uv_signal_init(r->loop, &r->sigterm);
    r->sigint.data = r->sigterm.data = r;
    uv_signal_start(&r->sigint, on_signal, SIGINT);
    uv_signal_start(&r->sigterm, on_signal, SIGTERM);
    uv_unref((uv_handle_t *)&r->sigint);
    uv_unref((uv_handle_t *)&r->sigterm);
    r->signals_caught = 1;
}

/* A signal that came is handled only when the loop runs, and a loop runs
 * only with a handle that keeps it alive: the signal handles, for a turn. */
int runner_interrupted(struct runner *r)
{
    if (r->signals_caught && !r->interrupted) {
        uv_ref((uv_handle_t *)&r->sigint);
        uv_ref((uv_handle_t *)&r->sigterm);
        uv_run(r->loop, UV_RUN_NOWAIT);
        uv_unref((uv_handle_t *)&r->sigint);
        uv_unref((uv_handle_t *)&r->sigterm);
    }
    return r->interrupted != 0;
}

static int stop_waiting(void *data)
{
    return runner_interrupted(data);
}

static enum alone_kind item_alone(const struct scenario *s, size_t point)
{
    struct point_params params;
    struct hl_error ignored;
    char why[160];
    if (scenario_point(s, point, &params, NULL, &ignored) < 0)
        return ALONE_NO;
    return point_runs_alone(&params, why, sizeof why);
}

int runner_hold_slot(struct runner *r, const struct scenario *s, const struct run_item *item,
                     struct slot *slot)
{
    struct slot_wait wait = {.stop = stop_waiting, .data = r};
    enum alone_kind alone = item ? item_alone(s, item->point) : ALONE_NO;
    if (slot->machine_fd >= 0 && alone == ALONE_NO)
        return runner_interrupted(r) ? -EINTR : 0;
    slots_give_back(slot);
    if (slots_take(slot, r->options.slots, alone, &wait) < 0 || runner_interrupted(r))
        return -EINTR;
    return 0;
}

void runner_tell_run_done(const struct runner *r, const struct scenario *s, size_t index,
                          size_t repeat, const json_t *run)
{
    const struct runner_progress *progress = r->options.progress;
    char label[512];
    if (!progress || !progress->run_done)
        return;
    scenario_point_label(json_object_get(run, "sweep"), label, sizeof label);
    struct runner_place at = {.scenario = s, .point = index, .repeat = repeat, .label = label};
    progress->run_done(progress->data, &at, json_object_get(run, "summary"));
}

/* A run built: told, spooled, and kept (without its connections) for its
 * point's summary in point_runs. */
static int keep_run(struct runner *r, const struct scenario *s, size_t index, size_t repeat,
                    struct results_run *run, json_t *point_runs, struct hl_error *err)
{
    int64_t started_ns = clock_now_ns();
    runner_tell_run_done(r, s, index, repeat, run->run);
    int rc = results_spool_add(&r->spool, run, err);
    json_array_append_new(point_runs, results_run_for_aggregate(run));
    r->connections_built += run->conn_count;
    results_run_free(run);
    r->runs_measured++;
    r->results_ns += clock_now_ns() - started_ns;
    return rc;
}

/* A run failed: err becomes "SCENARIO: point 2/9 LABEL, repeat 1: why". */
int runner_name_failed_run(const struct scenario *s, size_t index, size_t repeat,
                           struct hl_error *err)
{
    json_t *sweep = NULL;
    struct point_params params;
    struct hl_error ignored;
    char label[512] = "", what[sizeof err->what];
    if (scenario_point(s, index, &params, &sweep, &ignored) == 0)
        scenario_point_label(sweep, label, sizeof label);
    json_decref(sweep);
    snprintf(what, sizeof what, "%s", err->what);
    snprintf(err->what, sizeof err->what, "point %zu/%zu%s%s, repeat %zu: %s%s%s", index + 1,
             s->point_count, label[0] ? " " : "", label, repeat + 1,
             err->where[0] ? err->where : "", err->where[0] ? ": " : "", what);
    snprintf(err->where, sizeof err->where, "%s", s->file);
    return -EINVAL;
}

/* The runs of one point (items from *k on, while they are its), one after
 * another, then the point's summary. */
static int measure_point(struct runner *r, const struct scenario *s, const struct run_items *items,
                         size_t *k, struct hl_error *err)
{
    json_t *point_runs = json_array();
    size_t first_run = r->runs_measured, point = items->item[*k].point;
    int rc = 0;
    for (; *k < items->count && items->item[*k].point == point && rc == 0; ++*k) {
        const struct run_item *item = &items->item[*k];
        struct results_run run;
        struct slot slot = SLOT_NONE;
        rc = runner_hold_slot(r, s, item, &slot);
        if (rc == 0)
            rc = point_measure(r, s, point, item->repeat, &run, err);
        slots_give_back(&slot);
        if (rc == 0)
            rc = keep_run(r, s, point, item->repeat, &run, point_runs, err);
        else if (rc != -EINTR)
            rc = runner_name_failed_run(s, point, item->repeat, err);
    }
    int64_t summary_ns = clock_now_ns();
    if (rc == 0)
        json_array_append_new(r->point_summaries, results_point_summary(point_runs, first_run));
    r->results_ns += clock_now_ns() - summary_ns;
    json_decref(point_runs);
    return rc;
}

/* The order in which workers take the runs: those that run alone first,
 * while the machine has not yet filled with points that they would wait
 * for, then the rest; each group in the points' order. */
static void order_runs(const struct scenario *s, struct run_items *items)
{
    size_t n = 0;
    for (int alone_pass = 1; alone_pass >= 0; alone_pass--)
        for (size_t k = 0; k < items->count; k++)
            if ((item_alone(s, items->item[k].point) != ALONE_NO) == alone_pass)
                items->order[n++] = k;
}

/* Every repeat of every point not skipped, in order; next in memory that
 * forked workers share. */
static int list_runs(struct runner *r, const struct scenario *s, struct run_items *items,
                     struct hl_error *err)
{
    size_t most = s->point_count * (size_t)s->repeat + 1;
    items->item = calloc(most, sizeof *items->item);
    items->order = calloc(most, sizeof *items->order);
    items->next =
        mmap(NULL, sizeof *items->next, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (!items->item || !items->order || items->next == MAP_FAILED) {
        items->next = NULL;
        return hl_error_setn(err, ENOMEM, "harness-run", "out of memory");
    }
    *items->next = 0;
    for (size_t i = 0; i < s->point_count; i++) {
        if (!shard_holds(&r->options.shard, i) || skip_point(r, s, i))
            continue;
        for (size_t repeat = 0; repeat < (size_t)s->repeat; repeat++)
            items->item[items->count++] = (struct run_item){.point = i, .repeat = repeat};
    }
    order_runs(s, items);
    return 0;
}

static void free_runs(struct run_items *items)
{
    free(items->item);
    free(items->order);
    if (items->next)
        munmap(items->next, sizeof *items->next);
}

/* Each run goes to the spool as soon as it is built (one after another) or
 * once all are (--jobs); a point's runs stay (without their connections)
 * only until its summary is made, so memory does not grow with the
 * scenario. */
static int measure_points(struct runner *r, const struct scenario *s, struct hl_error *err)
{
    struct run_items items = {0};
    int rc = results_spool_open(&r->spool, r->temp_dir, err);
    if (rc == 0)
        rc = list_runs(r, s, &items, err);
    if (rc == 0 && r->options.jobs > 1 && r->private_netns && items.count > 1) {
        rc = jobs_measure(r, s, &items, err);
        if (rc == 0)
            rc = jobs_collect(r, s, &items, err);
    } else if (rc == 0) {
        runner_catch_signals(r);
        for (size_t k = 0; k < items.count && rc == 0;)
            rc = measure_point(r, s, &items, &k, err);
    }
    free_runs(&items);
    if (r->interrupted)
        rc = hl_error_setn(err, EINTR, s->file, "interrupted; no results written");
    return rc;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* The signal handles, the temporary directory and the namespaces: gone
 * before the results file is written. */
static void close_runner(struct runner *r)
{
    if (r->signals_caught) {
        uv_close((uv_handle_t *)&r->sigint, NULL);
        uv_close((uv_handle_t *)&r->sigterm, NULL);
        uv_run(r->loop, UV_RUN_DEFAULT);
    }
    nftw(r->temp_dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
    netns_close(&r->ns);
}

/* The results file: the scenario, the environment, the point summaries,
 * the skipped points and the spooled runs, written atomically. */
static int write_results(struct runner *r, const struct scenario *s, struct hl_error *err)
{
    const struct runner_progress *progress = r->options.progress;
    json_error_t pack_error;
    if (r->runs_measured == 0 && progress && progress->nothing_measured)
        progress->nothing_measured(progress->data, s);
    json_t *results = json_pack_ex(
        &pack_error, 0, "{s:s,s:s,s:s,s:s,s:O,s:o,s:O,s:I,s:i,s:o,s:o,s:o}", "format",
        RESULTS_FORMAT, "scenario_file", s->file, "name", s->name, "description", s->description,
        "scenario", s->root, "environment", results_environment(r->private_netns, r->host_sysctls),
        "plots", s->plots, "points", (json_int_t)s->point_count, "repeat", s->repeat,
        "point_summaries", r->point_summaries, "sampling_limits", results_sampling_limits(),
        "skipped", r->skipped);
    r->host_sysctls = r->point_summaries = r->skipped = NULL; /* taken by the pack */
    if (!results)
        return hl_error_set(err, "results", "%s", pack_error.text);
    if (r->options.shard.count)
        json_object_set_new(results, "shard", shard_describe(&r->options.shard, s->point_count));
    int64_t started_ns = clock_now_ns();
    int rc = results_write_spooled(r->options.output, results, &r->spool, err);
    results_spool_close(&r->spool);
    json_decref(results);
    r->results_ns += clock_now_ns() - started_ns;
    if (rc == 0 && progress && progress->results_written)
        progress->results_written(progress->data, r->connections_built, r->results_ns);
    return rc;
}

static void release(struct runner *r)
{
    results_spool_close(&r->spool);
    json_decref(r->point_summaries);
    json_decref(r->skipped);
    json_decref(r->host_sysctls);
}

int runner_run(const struct runner_options *options, const struct scenario *s, struct hl_error *err)
{
    struct runner r;
    int rc;
    init(&r, options);
    if ((rc = find_peers(&r, err)) || (rc = netns_init(&r.ns, err)) || (rc = prepare(&r, s, err))) {
        release(&r);
        return rc;
    }
    rc = measure_points(&r, s, err);
    close_runner(&r);
    if (rc == 0)
        rc = write_results(&r, s, err);
    release(&r);
    return rc;
}
