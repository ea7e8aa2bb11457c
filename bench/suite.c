/* suite.c: the time of `make experiments` (see bench_suite in bench.h). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "common.h"

/* A scratch directory with the sources' scenarios/ and plot/ linked in,
 * where make writes its results/; 0 or -1. */
static int scratch_tree(const struct bench *b, char *dir, size_t size)
{
    char link[600], target[600];
    snprintf(dir, size, "%s/suite", b->temp_dir);
    mkdir(dir, 0700);
    const char *parts[] = {"scenarios", "plot"};
    for (int i = 0; i < 2; i++) {
        snprintf(link, sizeof link, "%s/%s", dir, parts[i]);
        snprintf(target, sizeof target, "%s/%s", b->source_dir, parts[i]);
        if (symlink(target, link) < 0)
            return -1;
    }
    return 0;
}

void bench_suite(struct bench *b)
{
    char dir[512], makefile[600], build_abs[4096], build_arg[4200];
    if (scratch_tree(b, dir, sizeof dir) < 0 || !realpath(b->build_dir, build_abs))
        return;
    snprintf(makefile, sizeof makefile, "%s/Makefile.experiments", b->source_dir);
    snprintf(build_arg, sizeof build_arg, "BUILD=%s", build_abs);
    pid_t pid = fork();
    int64_t start = bench_now_ns();
    if (pid == 0) {
        if (chdir(dir) < 0)
            _exit(127);
        /* make's own lines (the time per scenario) go to stderr */
        dup2(2, 1);
        execlp("make", "make", "--no-print-directory", "-f", makefile, build_arg, NULL);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    double seconds = (double)(bench_now_ns() - start) / 1e9;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        seconds = -1;
    figures_add(&b->figures, "make experiments (default suite)", seconds, "s", "limit", 40, BELOW,
                1.0);
}
