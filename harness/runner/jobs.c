/* jobs.c: the runs of a scenario side by side (harness-run --jobs N; see
 * runner_internal.h).
 *
 * The runs (every repeat of every point not skipped) are shared out among
 * worker processes forked from harness-run: each takes the next run from a
 * counter they share (those that run alone first: runner.c) and measures
 * it as a serial run does (point_measure: namespaces of its own, its own
 * event loop), holding a slot of the machine while it runs (slots.h; the
 * whole machine for a point that runs alone). It leaves the run in the
 * temporary directory, as it will stand in the results file
 * (run-<k>.spool) and as the point summaries read it (run-<k>.json), and
 * tells the parent over a pipe. The parent tells progress as runs end and,
 * once every worker is done, puts the runs in order and writes the file as
 * a serial run does: the same layout, byte for byte, but for what was
 * measured.
 *
 * A run that fails stops the others (SIGTERM) and is named; SIGINT or
 * SIGTERM stop every worker; either way nothing is written. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "files.h"
#include "runner_internal.h"

/* A worker's exit status: the run it failed is in err-<k>.txt */
enum { WORKER_DONE = 0, WORKER_FAILED = 1, WORKER_INTERRUPTED = 2 };

static void item_path(const struct runner *r, size_t k, const char *what, char *out, size_t size)
{
    snprintf(out, size, "%s/run-%zu.%s", r->temp_dir, k, what);
}

/* The run k, measured (its slot held) and left in the temporary directory. */
static int worker_run(struct runner *r, const struct scenario *s, const struct run_item *item,
                      size_t k, struct hl_error *err)
{
    struct results_run run;
    char path[PATH_MAX + 32];
    int rc = point_measure(r, s, item->point, item->repeat, &run, err);
    if (rc)
        return rc;
    item_path(r, k, "spool", path, sizeof path);
    rc = results_run_save(&run, path, err);
    json_t *aggregate = results_run_for_aggregate(&run);
    json_object_set_new(aggregate, "connections_built", json_integer((json_int_t)run.conn_count));
    item_path(r, k, "json", path, sizeof path);
    if (rc == 0 && json_dump_file(aggregate, path, JSON_COMPACT) != 0)
        rc = hl_error_setn(err, EIO, path, "cannot keep the run");
    json_decref(aggregate);
    results_run_free(&run);
    return rc;
}

/* The next run and its slot: the run taken first, then the slot it asks
 * for waited for (the whole machine for a run that runs alone), so that a
 * worker whose run must run alone waits as such from the start and no
 * point that shares the machine starts meanwhile for it to wait for
 * (slots.h). SIZE_MAX when none is left or a signal came. */
static size_t next_run(struct runner *r, const struct scenario *s, const struct run_items *items,
                       struct slot *slot)
{
    size_t taken = __atomic_fetch_add(items->next, 1, __ATOMIC_SEQ_CST);
    if (taken >= items->count)
        return SIZE_MAX;
    size_t k = items->order[taken];
    if (runner_hold_slot(r, s, &items->item[k], slot) < 0)
        return SIZE_MAX;
    return k;
}

/* A failed run's error, for the parent to name. */
static void keep_error(const struct runner *r, size_t k, const struct hl_error *err)
{
    char path[PATH_MAX + 32];
    item_path(r, k, "error", path, sizeof path);
    FILE *f = fopen(path, "we");
    if (f) {
        fprintf(f, "%s\n%s", err->where, err->what);
        fclose(f);
    }
}

/* Worker number: its own directory for the event logs, its own loop and
 * signal handles; takes runs until none is left and tells the parent each
 * one ("done K" or "fail K"); never returns. */
static void worker(struct runner *r, const struct scenario *s, const struct run_items *items,
                   size_t number, int report_fd)
{
    sigset_t blocked;
    uv_loop_fork(r->loop);
    runner_catch_signals(r);
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGINT);
    sigaddset(&blocked, SIGTERM);
    sigprocmask(SIG_UNBLOCK, &blocked, NULL);
    snprintf(r->log_dir, sizeof r->log_dir, "%s/worker-%zu", r->temp_dir, number);
    if (mkdir(r->log_dir, 0700) < 0)
        _exit(WORKER_FAILED);
    for (;;) {
        struct slot slot = SLOT_NONE;
        size_t k = next_run(r, s, items, &slot);
        if (k == SIZE_MAX) {
            slots_give_back(&slot);
            break;
        }
        struct hl_error err;
        hl_error_clear(&err);
        int rc = worker_run(r, s, &items->item[k], k, &err);
        slots_give_back(&slot);
        if (rc == -EINTR)
            _exit(WORKER_INTERRUPTED);
        if (rc) {
            keep_error(r, k, &err);
            dprintf(report_fd, "fail %zu\n", k);
            _exit(WORKER_FAILED);
        }
        dprintf(report_fd, "done %zu\n", k);
    }
    _exit(r->interrupted ? WORKER_INTERRUPTED : WORKER_DONE);
}

static volatile sig_atomic_t parent_signal;

static void on_parent_signal(int signum)
{
    parent_signal = signum;
}

/* SIGINT and SIGTERM end the parent's waits (no SA_RESTART). */
static void parent_signals(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_parent_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
}

static void stop_workers(const pid_t *pids, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (pids[i] > 0)
            kill(pids[i], SIGTERM);
}

/* What the parent keeps of the workers' reports. */
struct follow {
    struct runner *r;
    const struct scenario *s;
    const struct run_items *items;
    const pid_t *pids;
    size_t workers;
    unsigned char *done; /* per run: its report came */
    size_t told;         /* runs told, in order */
    size_t failed;       /* the first failed run, or SIZE_MAX */
};

/* Runs told in order as they end, each once every run before it has: the
 * progress of a scenario reads as it would one after another. */
static void tell_in_order(struct follow *f)
{
    for (; f->told < f->items->count && f->done[f->told]; f->told++) {
        char path[PATH_MAX + 32];
        item_path(f->r, f->told, "json", path, sizeof path);
        json_t *run = json_load_file(path, 0, NULL);
        const struct run_item *item = &f->items->item[f->told];
        f->r->connections_built +=
            (uint64_t)json_integer_value(json_object_get(run, "connections_built"));
        runner_tell_run_done(f->r, f->s, item->point, item->repeat, run);
        json_decref(run);
    }
}

static void take_report(struct follow *f, const char *line)
{
    size_t k;
    if (sscanf(line, "done %zu", &k) == 1 && k < f->items->count) {
        f->done[k] = 1;
        tell_in_order(f);
    } else if (sscanf(line, "fail %zu", &k) == 1 && f->failed == SIZE_MAX) {
        f->failed = k;
        stop_workers(f->pids, f->workers);
    }
}

/* Reads the workers' reports until every one has closed its end of the
 * pipe; a signal stops them all. */
static void follow_workers(struct follow *f, int report_fd)
{
    char buffer[4096];
    size_t held = 0;
    for (;;) {
        ssize_t n = read(report_fd, buffer + held, sizeof buffer - 1 - held);
        if (n < 0 && errno == EINTR) {
            if (parent_signal && !f->r->interrupted) {
                f->r->interrupted = parent_signal;
                stop_workers(f->pids, f->workers);
            }
            continue;
        }
        if (n <= 0)
            break;
        held += (size_t)n;
        buffer[held] = '\0';
        char *line = buffer, *newline;
        while ((newline = strchr(line, '\n'))) {
            *newline = '\0';
            take_report(f, line);
            line = newline + 1;
        }
        held = strlen(line);
        memmove(buffer, line, held);
    }
    close(report_fd);
}

/* A failed run's error, as its worker left it. */
static int failed_run(const struct runner *r, const struct run_items *items, size_t k,
                      const struct scenario *s, struct hl_error *err)
{
    char path[PATH_MAX + 32], text[sizeof err->where + sizeof err->what + 2] = "";
    item_path(r, k, "error", path, sizeof path);
    files_read_small(path, text, sizeof text);
    char *newline = strchr(text, '\n');
    hl_error_clear(err);
    if (newline) {
        *newline = '\0';
        snprintf(err->where, sizeof err->where, "%s", text);
        snprintf(err->what, sizeof err->what, "%s", newline + 1);
    }
    return runner_name_failed_run(s, items->item[k].point, items->item[k].repeat, err);
}

/* Forks the workers, with SIGINT and SIGTERM held until each has its own
 * handles (and the parent its own); their pids in pids (0 where fork
 * failed). */
static size_t start_workers(struct runner *r, const struct scenario *s,
                            const struct run_items *items, int report[2], pid_t *pids,
                            size_t workers)
{
    sigset_t blocked, before;
    size_t started = 0;
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGINT);
    sigaddset(&blocked, SIGTERM);
    sigprocmask(SIG_BLOCK, &blocked, &before);
    fflush(NULL);
    for (size_t i = 0; i < workers; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            close(report[0]);
            worker(r, s, items, i, report[1]);
        }
        pids[i] = pid > 0 ? pid : 0;
        started += pid > 0;
    }
    close(report[1]);
    parent_signals();
    sigprocmask(SIG_SETMASK, &before, NULL);
    return started;
}

/* Waits for every worker; 0 when all finished their share. */
static int wait_workers(const pid_t *pids, size_t workers)
{
    int all_done = 1;
    for (size_t i = 0; i < workers; i++) {
        int status = 0;
        if (pids[i] <= 0)
            continue;
        while (waitpid(pids[i], &status, 0) < 0 && errno == EINTR)
            ;
        all_done &= WIFEXITED(status) && WEXITSTATUS(status) == WORKER_DONE;
    }
    return all_done ? 0 : -1;
}

int jobs_measure(struct runner *r, const struct scenario *s, const struct run_items *items,
                 struct hl_error *err)
{
    size_t workers =
        (size_t)r->options.jobs < items->count ? (size_t)r->options.jobs : items->count;
    struct follow f = {.r = r, .s = s, .items = items, .workers = workers, .failed = SIZE_MAX};
    pid_t *pids = calloc(workers, sizeof *pids);
    f.done = calloc(items->count, 1);
    int report[2];
    if (!pids || !f.done || pipe2(report, O_CLOEXEC) < 0) {
        free(pids);
        free(f.done);
        return hl_error_setn(err, ENOMEM, "harness-run", "cannot start the workers of --jobs");
    }
    f.pids = pids;
    size_t started = start_workers(r, s, items, report, pids, workers);
    follow_workers(&f, report[0]);
    int all_done = wait_workers(pids, workers);
    free(pids);
    free(f.done);
    if (r->interrupted || parent_signal)
        return hl_error_setn(err, EINTR, s->file, "interrupted; no results written");
    if (f.failed != SIZE_MAX)
        return failed_run(r, items, f.failed, s, err);
    if (started < workers || all_done < 0 || f.told < items->count)
        return hl_error_set(err, s->file, "a worker of --jobs ended before its runs were done");
    return 0;
}

int jobs_collect(struct runner *r, const struct scenario *s, const struct run_items *items,
                 struct hl_error *err)
{
    size_t k = 0;
    int rc = 0;
    while (k < items->count && rc == 0) {
        json_t *point_runs = json_array();
        size_t point = items->item[k].point, first = r->runs_measured;
        for (; k < items->count && items->item[k].point == point && rc == 0; k++) {
            char path[PATH_MAX + 32];
            item_path(r, k, "spool", path, sizeof path);
            rc = results_spool_append_saved(&r->spool, path, err);
            item_path(r, k, "json", path, sizeof path);
            json_t *run = json_load_file(path, 0, NULL);
            json_object_del(run, "connections_built");
            json_array_append_new(point_runs, run ? run : json_object());
            r->runs_measured++;
        }
        if (rc == 0)
            json_array_append_new(r->point_summaries, results_point_summary(point_runs, first));
        json_decref(point_runs);
    }
    (void)s;
    return rc;
}
