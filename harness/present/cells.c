/* cells.c: see cells.h. */
#include "cells.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"

const struct cells_column cells_columns[] = {
    {"attempted", "attempted", 1, 1},
    {"connected", "connected", 1, 1},
    {"refused", "refused", 1, 0},
    {"timed_out", "timed out", 1, 0},
    {"pending", "pending", 1, 0},
    {"failed", "failed", 1, 0},
    {"reset", "reset", 1, 0},
    {"accepted", "accepted", 1, 0},
    {"bytes_sent", "bytes sent", 1, 0},
    {"bytes_read", "bytes read", 1, 0},
    {"bytes_before_first_block", "bytes before the first block", 1, 0},
    {"blocked_sends", "blocked sends", 1, 0},
    {"blocked_us", "blocked (ms)", 1000, 0},
    {"elapsed_us", "elapsed (ms)", 1000, 1},
    {"kernel.ListenOverflows", "ListenOverflows", 1, 0},
    {"kernel.ListenDrops", "ListenDrops", 1, 0},
    {"kernel.TCPSynRetrans", "TCPSynRetrans", 1, 0},
    {NULL, NULL, 0, 0},
};

void cells_number(FILE *out, double value, double divisor)
{
    if (divisor != 1)
        fprintf(out, "%.1f", value / divisor);
    else if (value == floor(value) && fabs(value) < 1e15)
        fprintf(out, "%.0f", value);
    else
        fprintf(out, "%.4g", value);
}

void cells_stats(FILE *out, const json_t *stats, double divisor)
{
    const json_t *median = json_object_get(stats, "median");
    if (!json_is_number(median)) {
        fputs("&ndash;", out);
        return;
    }
    double lo = json_number_value(json_object_get(stats, "min"));
    double hi = json_number_value(json_object_get(stats, "max"));
    cells_number(out, json_number_value(median), divisor);
    if (lo != hi) {
        fputs(" <small>(", out);
        cells_number(out, lo, divisor);
        fputs("&ndash;", out);
        cells_number(out, hi, divisor);
        fputs(")</small>", out);
    }
}

void cells_sweep(FILE *out, const json_t *sweep)
{
    const char *key;
    const json_t *value;
    int first = 1;
    json_object_foreach((json_t *)sweep, key, value)
    {
        char *text = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
        fputs(first ? "" : ", ", out);
        html_text(out, key);
        fputc('=', out);
        html_text(out, text);
        free(text);
        first = 0;
    }
    if (first)
        fputs("(no sweep)", out);
}

void cells_value(FILE *out, const json_t *value)
{
    if (json_is_string(value)) {
        html_text(out, json_string_value(value));
    } else if (!value) {
        fputs("&ndash;", out);
    } else {
        char *text = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
        html_text(out, text);
        free(text);
    }
}

double cells_divisor(const char *field)
{
    size_t n = strlen(field);
    return n > 3 && strcmp(field + n - 3, "_us") == 0 ? 1000 : 1;
}

void cells_field_title(FILE *out, const char *field)
{
    const char *dot = strrchr(field, '.');
    for (int c = 0; cells_columns[c].field; c++) {
        if (strcmp(cells_columns[c].field, field) == 0) {
            fputs(cells_columns[c].title, out);
            return;
        }
    }
    html_text(out, strncmp(field, "kernel.", 7) == 0 && dot ? dot + 1 : field);
    if (cells_divisor(field) != 1)
        fputs(" (ms)", out);
}
