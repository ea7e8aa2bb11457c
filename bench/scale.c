/* scale.c: the rows at scale: 10,000 connections 1,000 at a time, and
 * 100,000 one at a time (see bench_scale and bench_sequential in
 * bench.h). */
#include <stdio.h>

#include "bench.h"
#include "command.h"
#include "point.h"

void bench_scale(struct bench *b)
{
    struct point p;
    const char *scenario =
        "{\"name\": \"bench-scale\", \"server\": {\"backlog\": 4096}, \"client\": "
        "{\"connections\": 10000, \"concurrency\": 1000, \"send\": {\"bytes\": 1024}}, "
        "\"duration_ms\": 60000}";
    double rate = -1, lost = -1, rss = -1;
    if (point_run(b, scenario, &p) == 0) {
        long long attempted = point_summary_int(&p, "attempted");
        rate = (double)attempted / ((double)point_summary_int(&p, "elapsed_us") / 1e6);
        /* every connection attempted, connected, accepted, its kilobyte
         * read, and none refused, timed out, failed or reset */
        lost = (double)(10000 - point_summary_int(&p, "connected")) +
               (double)(10000 - point_summary_int(&p, "accepted")) +
               (double)(10240000 - point_summary_int(&p, "bytes_read")) / 1024 +
               (double)(point_summary_int(&p, "failed") + point_summary_int(&p, "reset")) +
               (attempted == 10000 ? 0 : 1);
        rss = (double)p.maxrss_kib / 1024;
        point_free(&p);
    }
    figures_add(&b->figures, "10k connections x 1 KiB, end to end", rate, "conn/s", "target", 5000,
                AT_LEAST, 1.0);
    figures_add(&b->figures, "10k connections: lost (connections + KiB)", lost, "", "none", 1,
                BELOW, 1.0);
    figures_add(&b->figures, "10k connections: largest peak RSS", rss, "MiB", "limit", 64, BELOW,
                1.0);
}

/* harness-plot's wall time on a results file, or -1 */
static double plot_seconds(const struct bench *b, const char *results)
{
    char program[512], plots[512];
    command_program_path(b->build_dir, "harness-plot", program, sizeof program);
    snprintf(plots, sizeof plots, "%s/plots", b->temp_dir);
    char *argv[] = {program, (char *)results, "-d", plots, NULL};
    return command_seconds(argv);
}

void bench_sequential(struct bench *b)
{
    struct point p;
    const char *scenario =
        "{\"name\": \"bench-sequential\", \"server\": {\"backlog\": 4096}, \"client\": "
        "{\"connections\": 100000, \"concurrency\": 1}, \"duration_ms\": 300000}";
    double lost = -1, built = -1, rss = -1, plot = -1;
    if (point_run(b, scenario, &p) == 0) {
        lost = (double)(100000 - point_summary_int(&p, "connected")) +
               (double)(100000 - point_summary_int(&p, "accepted"));
        built = p.built_seconds;
        rss = (double)p.maxrss_kib / 1024;
        plot = plot_seconds(b, p.output);
        point_free(&p);
    }
    figures_add(&b->figures, "100k connections one at a time: lost", lost, "", "none", 1, BELOW,
                1.0);
    figures_add(&b->figures, "100k connections: results built, written", built, "s", "limit", 1,
                BELOW, 1.0);
    figures_add(&b->figures, "100k connections: largest peak RSS", rss, "MiB", "limit", 64, BELOW,
                1.0);
    figures_add(&b->figures, "100k connections: harness-plot", plot, "s", "limit (not minutes)", 60,
                BELOW, 1.0);
}
