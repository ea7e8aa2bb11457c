/* idle.c: the idle rows, the CPU that points which only wait take (see
 * bench_idle in bench.h). */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "command.h"
#include "common.h"
#include "point.h"

/* utime + stime of pid, in clock ticks, or -1 */
static long long cpu_ticks(pid_t pid)
{
    char path[64], text[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    /* the fields after the command's closing parenthesis: state is 3,
     * utime 14, stime 15 */
    const char *p = strrchr(text, ')');
    unsigned long long utime, stime;
    if (!p ||
        sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime) != 2)
        return -1;
    return (long long)(utime + stime);
}

/* The runner's children, from /proc/PID/task/PID/children. */
static int children_of(pid_t pid, pid_t *out, int max)
{
    char path[64];
    int n = 0, child;
    snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)pid, (int)pid);
    FILE *f = fopen(path, "r");
    while (f && n < max && fscanf(f, "%d", &child) == 1)
        out[n++] = child;
    if (f)
        fclose(f);
    return n;
}

/* The busiest of the three processes over 2.5 s, in percent of one core;
 * -1 if one could not be read. */
static double busiest_percent(const pid_t pids[3])
{
    long long before[3], after[3];
    double busiest = -1;
    for (int i = 0; i < 3; i++)
        before[i] = cpu_ticks(pids[i]);
    int64_t start = bench_now_ns();
    usleep(2500000);
    for (int i = 0; i < 3; i++)
        after[i] = cpu_ticks(pids[i]);
    double seconds = (double)(bench_now_ns() - start) / 1e9;
    for (int i = 0; i < 3; i++) {
        if (before[i] < 0 || after[i] < 0)
            return -1;
        double percent =
            (double)(after[i] - before[i]) / (double)sysconf(_SC_CLK_TCK) / seconds * 100;
        if (percent > busiest)
            busiest = percent;
    }
    return busiest;
}

static pid_t runner_start(const struct bench *b, const char *scenario, const char *output)
{
    char program[512];
    command_program_path(b->build_dir, "harness-run", program, sizeof program);
    pid_t runner = fork();
    if (runner == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        execl(program, program, scenario, "-o", output, "-q", NULL);
        _exit(127);
    }
    return runner;
}

/* The busiest of runner, server and client over 2.5 s of a point that
 * only waits, in percent of one core. */
static double idle_point(const struct bench *b, const char *scenario_text)
{
    char path[512], output[512];
    snprintf(path, sizeof path, "%s/idle.json", b->temp_dir);
    snprintf(output, sizeof output, "%s/idle-results.json", b->temp_dir);
    if (point_write_scratch(path, scenario_text) < 0)
        return -1;
    pid_t runner = runner_start(b, path, output);
    pid_t pids[3] = {runner, 0, 0};
    int64_t deadline = bench_now_ns() + 5000000000ll;
    while (children_of(runner, pids + 1, 2) < 2 && bench_now_ns() < deadline)
        usleep(10000);
    double busiest = -1;
    if (pids[1] && pids[2]) {
        usleep(1000000); /* past the start: the connections are made */
        busiest = busiest_percent(pids);
    }
    int status;
    waitpid(runner, &status, 0);
    unlink(path);
    unlink(output);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? busiest : -1;
}

void bench_idle(struct bench *b)
{
    /* twice the 2.5 s window and the second before it */
    figures_add(&b->figures, "idle: server never accepts, busiest process",
                idle_point(b, "{\"name\": \"bench-idle-accept\", \"server\": {\"backlog\": 4, "
                              "\"accept\": \"never\"}, \"client\": {\"connections\": 20, "
                              "\"hold_ms\": -1}, \"duration_ms\": 4500}"),
                "% core", "limit", 5, BELOW, 1.0);
    figures_add(&b->figures, "idle: reader never reads, busiest process",
                idle_point(b, "{\"name\": \"bench-idle-read\", \"server\": {\"read\": \"never\"}, "
                              "\"client\": {\"connections\": 4, \"send\": {\"bytes\": "
                              "1073741824}}, \"duration_ms\": 4500}"),
                "% core", "limit", 5, BELOW, 1.0);
}
