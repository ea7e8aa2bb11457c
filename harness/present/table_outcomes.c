/* table_outcomes.c: the outcomes table, one row per point (aggregate.h),
 * each outcome as the median over its repeats with their min and max,
 * then its flags:
 *   "label" connected connected_min connected_max refused ... would_block_max
 *           flag_count "fields flagged"  ("-" for none)
 * pending and would_block, in results made before they were counted, are
 * NaN. */
#include <errno.h>
#include <string.h>

#include "aggregate.h"
#include "plotkind.h"
#include "table_read.h"

/* The field a flag names, without "summary.": "connected", "connect_us". */
static const char *flag_field(const json_t *flag)
{
    const char *field = json_string_value(json_object_get(flag, "field"));
    if (field && strncmp(field, "summary.", 8) == 0)
        field += 8;
    return field;
}

/* The fields a point's flags name ("connected", "queue_at_end",
 * "connect_us"), each once, joined by ", "; "" when none. */
static void flag_names(const json_t *point, char *out, size_t size)
{
    const json_t *flags = json_object_get(point, "flags");
    size_t i, j;
    out[0] = '\0';
    for (i = 0; i < json_array_size(flags); i++) {
        const char *field = flag_field(json_array_get(flags, i));
        int seen = 0;
        for (j = 0; j < i && field && !seen; j++) {
            const char *earlier = flag_field(json_array_get(flags, j));
            seen = earlier && strcmp(earlier, field) == 0;
        }
        if (!field || seen)
            continue;
        if (out[0])
            table_append_clean(out, size, ", ");
        table_append_clean(out, size, field);
    }
}

static int table_outcomes(FILE *out, const json_t *results, size_t run_drawn, struct hl_error *err)
{
    static const char *const fields[] = {"connected", "refused", "timed_out", "pending",
                                         "failed",    "reset",   "accepted",  "would_block"};
    static const size_t field_count = sizeof fields / sizeof fields[0];
    const json_t *run, *point;
    json_t *points;
    size_t i;

    (void)run_drawn; /* one plot for the whole sweep */
    /* every run must have its counts, whatever its point's statistics */
    json_array_foreach(table_runs(results), i, run)
    {
        json_int_t count;
        for (size_t f = 0; f < field_count; f++) {
            char path[64];
            snprintf(path, sizeof path, "summary.%s", fields[f]);
            /* results made before "pending" or "would_block" was counted
             * have none */
            if ((strcmp(fields[f], "pending") == 0 || strcmp(fields[f], "would_block") == 0) &&
                !aggregate_path(run, path))
                continue;
            /* null where a program took a side (unmeasured): drawn as 0 */
            int present;
            if (table_get_int(run, i, path, &count, &present, err))
                return -EINVAL;
        }
    }
    points = aggregate_points(table_runs(results));
    fprintf(out, "# point connected connected_min connected_max refused ... accepted accepted_min"
                 " accepted_max flagged \"flags\"   (number of connections; one row per point: the"
                 " median over its repeats with their min and max, for connected, refused,"
                 " timed_out, pending, failed, reset, accepted, would_block in turn; flagged: how "
                 "many of its"
                 " measurements depart from the kernel's prediction, flags: which,"
                 " \"-\" for none (point_summaries[].flags))\n");
    json_array_foreach(points, i, point)
    {
        size_t first;
        char label[512], flags[256];
        run = table_point_first_run(results, point, &first);
        table_label(results, run, 0, label, sizeof label);
        fprintf(out, "\"%s\"", label);
        for (size_t f = 0; f < field_count; f++)
            table_write_spread(out, point, fields[f]);
        flag_names(point, flags, sizeof flags);
        /* "-" rather than an empty string, which gnuplot reads as no column */
        fprintf(out, " %zu \"%s\"\n", json_array_size(json_object_get(point, "flags")),
                flags[0] ? flags : "-");
    }
    json_decref(points);
    return 0;
}

const struct plot_table plot_table_outcomes = {.write = table_outcomes};
