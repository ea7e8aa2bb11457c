/* point.c: see point.h. */
#include "point.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "command.h"

int point_write_scratch(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(text, f);
    fclose(f);
    return 0;
}

int point_run(struct bench *b, const char *scenario, struct point *p)
{
    char path[512], program[512];
    struct command_result r;
    memset(p, 0, sizeof *p);
    snprintf(path, sizeof path, "%s/scenario-%d.json", b->temp_dir, b->point_serial);
    snprintf(p->output, sizeof p->output, "%s/results-%d.json", b->temp_dir, b->point_serial++);
    if (point_write_scratch(path, scenario) < 0)
        return -1;
    command_program_path(b->build_dir, "harness-run", program, sizeof program);
    char *argv[] = {b->self_path, "--peak", program, path, "-o", p->output, NULL};
    int rc = command_run(argv, &r);
    unlink(path);
    const char *built = r.err.text ? strstr(r.err.text, "built and written in ") : NULL;
    p->built_seconds = built ? atof(built + strlen("built and written in ")) : -1;
    p->maxrss_kib = (long)command_key_value(r.err.text, "peak_rss_kib");
    command_result_free(&r);
    json_error_t error;
    if (rc == 0 && !(p->results = json_load_file(p->output, 0, &error)))
        fprintf(stderr, "bench-run: %s: %s\n", p->output, error.text);
    return p->results ? 0 : -1;
}

void point_free(struct point *p)
{
    json_decref(p->results);
    unlink(p->output);
    p->results = NULL;
}

static json_t *first_run(const struct point *p)
{
    return json_array_get(json_object_get(p->results, "runs"), 0);
}

long long point_summary_int(const struct point *p, const char *key)
{
    return json_integer_value(json_object_get(json_object_get(first_run(p), "summary"), key));
}

json_t *point_connections(const struct point *p)
{
    return json_object_get(first_run(p), "connections");
}

long long point_connection_int(json_t *connection, const char *key)
{
    return json_integer_value(json_object_get(connection, key));
}

double point_observed_percent(const struct point *p)
{
    double us = (double)point_summary_int(p, "cpu_us");
    if (us <= 0)
        return -1;
    return 100 *
           (double)(point_summary_int(p, "sampling_us") + point_summary_int(p, "logging_us")) / us;
}
