/* run_progress.c: see run_progress.h. */
#include "run_progress.h"

#include <stdio.h>

#include "scenario.h"

/* The progress lines: "NAME: point 2/9 LABEL", then what happened. */
static void print_place(const struct runner_place *at)
{
    const struct scenario *s = at->scenario;
    fprintf(stderr, "%s: point %zu/%zu%s%s", s->name, at->point + 1, s->point_count,
            at->label[0] ? " " : "", at->label);
}

/* a count, or "-" where it is null (what a program's side does not say) */
static const char *count_text(const json_t *summary, const char *key, char *out)
{
    const json_t *value = json_object_get(summary, key);
    if (json_is_integer(value))
        snprintf(out, 32, "%lld", (long long)json_integer_value(value));
    else
        snprintf(out, 32, "-");
    return out;
}

static void print_run_done(void *data, const struct runner_place *at, const json_t *summary)
{
    (void)data;
    print_place(at);
    if (at->scenario->repeat > 1)
        fprintf(stderr, " (repeat %zu/%d)", at->repeat + 1, at->scenario->repeat);
    static const char *const keys[] = {"attempted",     "connected",  "accepted",
                                       "refused",       "timed_out",  "reset",
                                       "blocked_sends", "bytes_sent", "bytes_read"};
    static const char *const words[] = {"attempted",     "connected", "accepted",
                                        "refused",       "timed_out", "reset",
                                        "blocked_sends", "sent",      "read"};
    fputc(':', stderr);
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        char text[32];
        fprintf(stderr, " %s %s", words[i], count_text(summary, keys[i], text));
    }
    /* family unix only: a connect() that the full queue made fail at once */
    if (json_integer_value(json_object_get(summary, "would_block")) > 0)
        fprintf(stderr, " would_block %lld",
                (long long)json_integer_value(json_object_get(summary, "would_block")));
    fprintf(stderr, " in %.2f s\n",
            (double)json_integer_value(json_object_get(summary, "elapsed_us")) / 1e6);
}

static void print_point_skipped(void *data, const struct runner_place *at, const char *reason)
{
    (void)data;
    print_place(at);
    fprintf(stderr, ": skipped: %s\n", reason);
}

static void print_nothing_measured(void *data, const struct scenario *scenario)
{
    (void)data;
    fprintf(stderr, "%s: every point skipped (the results say why); nothing was measured\n",
            scenario->name);
}

/* what the harness itself adds after the measurements (bench/) */
static void print_results_written(void *data, uint64_t connections, int64_t results_ns)
{
    (void)data;
    fprintf(stderr, "harness-run: results of %llu connections built and written in %.3f s\n",
            (unsigned long long)connections, (double)results_ns / 1e9);
}

void run_progress_lines(struct runner_progress *progress)
{
    progress->run_done = print_run_done;
    progress->point_skipped = print_point_skipped;
    progress->nothing_measured = print_nothing_measured;
    progress->results_written = print_results_written;
}
