/* command.c: see command.h. */
#include "command.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

static void output_add(struct command_output *o, const char *data, size_t n)
{
    if (o->length + n + 1 > o->capacity) {
        size_t capacity = (o->length + n + 1) * 2;
        char *grown = realloc(o->text, capacity);
        if (!grown)
            return;
        o->text = grown;
        o->capacity = capacity;
    }
    memcpy(o->text + o->length, data, n);
    o->length += n;
    o->text[o->length] = '\0';
}

void command_result_free(struct command_result *r)
{
    free(r->out.text);
    free(r->err.text);
    memset(r, 0, sizeof *r);
}

/* Reads the child's stdout (out_fd) and stderr (err_fd) into r until both
 * close. */
static void capture(int out_fd, int err_fd, struct command_result *r)
{
    struct pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
    int open_fds = 2;
    char buffer[65536];
    while (open_fds > 0) {
        if (poll(fds, 2, -1) < 0 && errno != EINTR)
            break;
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd < 0 || !fds[i].revents)
                continue;
            ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
            if (n > 0) {
                output_add(i == 0 ? &r->out : &r->err, buffer, (size_t)n);
            } else if (n == 0 || errno != EINTR) {
                close(fds[i].fd);
                fds[i].fd = -1;
                open_fds--;
            }
        }
    }
}

int command_run(char *const argv[], struct command_result *r)
{
    int out[2], err[2];
    memset(r, 0, sizeof *r);
    if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0)
        return -1;
    int64_t start = bench_now_ns();
    pid_t pid = fork();
    if (pid == 0) {
        dup2(out[1], 1);
        dup2(err[1], 2);
        execv(argv[0], argv);
        fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(out[1]);
    close(err[1]);
    capture(out[0], err[0], r);
    int status;
    struct rusage usage;
    if (wait4(pid, &status, 0, &usage) < 0)
        return -1;
    r->seconds = (double)(bench_now_ns() - start) / 1e9;
    r->maxrss_kib = usage.ru_maxrss;
    r->ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (!r->ok)
        fprintf(stderr, "bench-run: %s failed: %s%s\n", argv[0], r->err.text ? r->err.text : "",
                r->out.text && !r->err.text ? r->out.text : "");
    return r->ok ? 0 : -1;
}

double command_seconds(char *const argv[])
{
    struct command_result r;
    double s = command_run(argv, &r) == 0 ? r.seconds : -1;
    command_result_free(&r);
    return s;
}

double command_key_value(const char *text, const char *key)
{
    char pattern[64];
    snprintf(pattern, sizeof pattern, "%s=", key);
    const char *at = text ? strstr(text, pattern) : NULL;
    return at ? atof(at + strlen(pattern)) : -1;
}

void command_program_path(const char *build_dir, const char *program, char *out, size_t size)
{
    if (strncmp(program, "bench-", 6) == 0 && strcmp(program, "bench-run") != 0)
        snprintf(out, size, "%s/bench/%s", build_dir, program);
    else
        snprintf(out, size, "%s/%s", build_dir, program);
}

int command_find_on_path(const char *program, char *out, size_t size)
{
    const char *path = getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin";
    while (*path) {
        size_t n = strcspn(path, ":");
        snprintf(out, size, "%.*s/%s", (int)n, path, program);
        if (n && access(out, X_OK) == 0)
            return 0;
        path += n + (path[n] == ':');
    }
    return -1;
}

double command_in_netns(double (*fn)(void *), void *arg)
{
    int report[2];
    double value = -1;
    if (pipe(report) < 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        close(report[0]);
        double v = unshare(CLONE_NEWNET) == 0 && bench_loopback_up() == 0 ? fn(arg) : -1;
        _exit(write(report[1], &v, sizeof v) == sizeof v ? 0 : 1);
    }
    close(report[1]);
    if (read(report[0], &value, sizeof value) != sizeof value)
        value = -1;
    close(report[0]);
    waitpid(pid, NULL, 0);
    return value;
}

void command_pin_to(int cpu)
{
    cpu_set_t set;
    if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
        return;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    sched_setaffinity(0, sizeof set, &set);
}

int command_peak(char **argv)
{
    int status;
    struct rusage usage;
    pid_t pid = fork();
    if (pid == 0) {
        execv(argv[0], argv);
        _exit(127);
    }
    if (pid < 0 || wait4(pid, &status, 0, &usage) < 0)
        return 1;
    fprintf(stderr, "peak_rss_kib=%ld\n", usage.ru_maxrss);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
