/* draw.c: see draw.h. */
#include "draw.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "atomic.h"
#include "files.h"

#ifndef HARNESS_PLOT_DIR
#define HARNESS_PLOT_DIR "plot"
#endif
#ifndef HARNESS_PLOT_DIR_FROM_BIN
#define HARNESS_PLOT_DIR_FROM_BIN "../share/backlog-lab/plot"
#endif

extern char **environ;

/* Ctrl-C (SIGINT), SIGTERM or SIGHUP: the plot under way is abandoned (its
 * gnuplot killed, its temporary files removed, nothing renamed into place);
 * the plots already written stay. */
static volatile sig_atomic_t interrupted;
static volatile sig_atomic_t gnuplot_pid;

static void on_interrupt(int signum)
{
    interrupted = signum;
    if (gnuplot_pid > 0)
        kill((pid_t)gnuplot_pid, SIGKILL);
}

void draw_catch_interrupts(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGHUP, &action, NULL);
}

int draw_interrupted(void)
{
    return (int)interrupted;
}

/* Whether dir holds the scripts: the one every script loads is there. */
static int is_plot_dir(const char *dir)
{
    char common[PATH_MAX];
    snprintf(common, sizeof common, "%s/common.gp", dir);
    return access(common, R_OK) == 0;
}

/* HARNESS_PLOT_DIR_FROM_BIN beside the running program, when it holds the
 * scripts (an installed harness-plot: <prefix>/bin -> <prefix>/share/...);
 * 0 if not. */
static int installed_plot_dir(char *out, size_t size)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return 0;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return 0;
    *slash = '\0';
    snprintf(out, size, "%s/%s", exe, HARNESS_PLOT_DIR_FROM_BIN);
    return is_plot_dir(out);
}

const char *draw_plot_dir(void)
{
    static char installed[PATH_MAX];
    const char *dir = getenv("HARNESS_PLOT_DIR");
    if (!dir || !dir[0])
        dir = installed_plot_dir(installed, sizeof installed) ? installed : HARNESS_PLOT_DIR;
    /* The scripts `load 'common.gp'`; gnuplot looks for it here too. */
    setenv("GNUPLOT_LIB", dir, 1);
    return dir;
}

/* Appends "name='value'; " with value in gnuplot's single quotes, where
 * the only escape is a doubled quote; a newline (a title of two lines)
 * becomes '."\n".' between two quoted parts. */
static void append_assignment(char *out, size_t size, const char *name, const char *value)
{
    size_t n = strlen(out);
    n += (size_t)snprintf(out + n, n < size ? size - n : 0, "%s='", name);
    for (; *value && n + 10 < size; value++) {
        if (*value == '\n') {
            memcpy(out + n, "'.\"\\n\".'", 8);
            n += 8;
            continue;
        }
        if (*value == '\'')
            out[n++] = '\'';
        out[n++] = *value;
    }
    if (n < size)
        snprintf(out + n, size - n, "'; ");
}

/* Starts gnuplot with argv, its stdin /dev/null and its stdout and stderr
 * the pipe's write end; *pid its pid, noted for on_interrupt. */
static int spawn_gnuplot(char *const argv[], int write_fd, pid_t *pid, struct hl_error *err)
{
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    sigset_t block, saved;
    int rc;

    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, write_fd, 1);
    posix_spawn_file_actions_adddup2(&actions, write_fd, 2);
    /* an interrupt between the spawn and noting the pid would miss
     * gnuplot: hold it off until then; gnuplot starts with the old mask */
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigprocmask(SIG_BLOCK, &block, &saved);
    posix_spawnattr_init(&attributes);
    posix_spawnattr_setsigmask(&attributes, &saved);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK);
    rc = posix_spawnp(pid, "gnuplot", &actions, &attributes, argv, environ);
    if (rc == 0)
        gnuplot_pid = *pid;
    sigprocmask(SIG_SETMASK, &saved, NULL);
    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
    if (rc == ENOENT)
        return hl_error_setn(err, rc, NULL, "gnuplot not found: install gnuplot-nox (make deps)");
    if (rc)
        return hl_error_setn(err, rc, NULL, "cannot start gnuplot: %s", strerror(rc));
    return 0;
}

/* Reads fd to its end, keeping the first part of what it says in output;
 * draining the rest so that gnuplot never blocks on a full pipe. */
static void read_output(int fd, char *output, size_t output_size)
{
    size_t length = 0;
    for (;;) {
        char buf[4096];
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        if (length + 1 < output_size) {
            size_t keep =
                (size_t)n < output_size - 1 - length ? (size_t)n : output_size - 1 - length;
            memcpy(output + length, buf, keep);
            length += keep;
            output[length] = '\0';
        }
    }
}

/* Waits for gnuplot; 0 if it exited with 0. */
static int wait_gnuplot(pid_t pid, struct hl_error *err)
{
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            gnuplot_pid = 0;
            return hl_error_setn(err, errno, NULL, "waitpid: %s", strerror(errno));
        }
    }
    gnuplot_pid = 0;
    if (interrupted)
        return hl_error_set(err, NULL, "interrupted by signal %d", (int)interrupted);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    if (WIFSIGNALED(status))
        return hl_error_set(err, NULL, "gnuplot was killed by signal %d", WTERMSIG(status));
    return hl_error_set(err, NULL, "gnuplot exited with status %d", WEXITSTATUS(status));
}

/* Runs gnuplot with argv and returns 0 if it exited with 0. Whatever it
 * printed (stdout and stderr) is left in output. */
static int run_gnuplot(char *const argv[], char *output, size_t output_size, struct hl_error *err)
{
    int fds[2], rc;
    pid_t pid;

    output[0] = '\0';
    if (pipe2(fds, O_CLOEXEC))
        return hl_error_setn(err, errno, NULL, "pipe: %s", strerror(errno));
    rc = spawn_gnuplot(argv, fds[1], &pid, err);
    close(fds[1]);
    if (rc) {
        close(fds[0]);
        return rc;
    }
    read_output(fds[0], output, output_size);
    close(fds[0]);
    return wait_gnuplot(pid, err);
}

static int nonempty(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && st.st_size > 0;
}

int draw_plot(const struct draw_job *job, const char *plot_dir, const char *outdir, char *output,
              size_t output_size, struct hl_error *err)
{
    char script[PATH_MAX], datafile[PATH_MAX], png[PATH_MAX], svg[PATH_MAX];
    char png_tmp[PATH_MAX + 32], svg_tmp[PATH_MAX + 32];
    char first[3 * PATH_MAX + 2048] = "", second[PATH_MAX + 256] = "reset; ";
    int rc;

    output[0] = '\0';
    snprintf(script, sizeof script, "%s/%s", plot_dir, job->kind->script);
    if (access(script, R_OK))
        return hl_error_setn(err, errno, script,
                             "cannot read the plot script: %s (HARNESS_PLOT_DIR=%s)",
                             strerror(errno), plot_dir);
    snprintf(datafile, sizeof datafile, "%s/%s.dat", outdir, job->name);
    snprintf(png, sizeof png, "%s/%s.png", outdir, job->name);
    snprintf(svg, sizeof svg, "%s/%s.svg", outdir, job->name);
    snprintf(png_tmp, sizeof png_tmp, "%s/.%s.%ld.png.tmp", outdir, job->name, (long)getpid());
    snprintf(svg_tmp, sizeof svg_tmp, "%s/.%s.%ld.svg.tmp", outdir, job->name, (long)getpid());
    rc = atomic_write_text(datafile, job->table, job->table_size, err);
    if (rc)
        return rc;
    append_assignment(first, sizeof first, "datafile", datafile);
    append_assignment(first, sizeof first, "plottitle", job->title);
    append_assignment(first, sizeof first, "format", "png");
    append_assignment(first, sizeof first, "outfile", png_tmp);
    /* The same script again for the SVG, from gnuplot's defaults (reset
     * keeps the variables: datafile and plottitle stay). */
    append_assignment(second, sizeof second, "format", "svg");
    append_assignment(second, sizeof second, "outfile", svg_tmp);

    char *argv[] = {"gnuplot", "-e", first, script, "-e", second, script, NULL};
    rc = run_gnuplot(argv, output, output_size, err);
    if (!rc && (!nonempty(png_tmp) || !nonempty(svg_tmp)))
        rc = hl_error_set(err, NULL, "gnuplot exited cleanly but wrote no image");
    if (rc) {
        unlink(png_tmp);
        unlink(svg_tmp);
        hl_error_prefix(err, "%s", script);
        return rc;
    }
    if (rename(png_tmp, png) || rename(svg_tmp, svg)) {
        int e = errno;
        unlink(png_tmp);
        unlink(svg_tmp);
        return hl_error_setn(err, e, png, "cannot rename into place: %s", strerror(e));
    }
    return 0;
}

size_t draw_plots(const struct draw_job *jobs, size_t count, const char *plot_dir,
                  const char *outdir, int *drawn, draw_report_fn report, void *data)
{
    char output[16384];
    size_t failed = 0;
    for (size_t i = 0; i < count && !draw_interrupted(); i++) {
        struct hl_error err;
        struct draw_outcome outcome = {&jobs[i], outdir, 0, &err, output};
        hl_error_clear(&err);
        outcome.failed = draw_plot(&jobs[i], plot_dir, outdir, output, sizeof output, &err);
        if (outcome.failed && draw_interrupted())
            break;
        if (outcome.failed)
            failed++;
        else if (drawn)
            drawn[i] = 1;
        if (report)
            report(&outcome, data);
    }
    return failed;
}
