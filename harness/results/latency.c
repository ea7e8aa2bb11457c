/* latency.c: see latency.h. */
#include "latency.h"

#include <stdlib.h>

#include "aggregate.h"

static int compare_us(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* The nearest-rank percentile p of n sorted values. */
static int64_t rank(const int64_t *sorted, size_t n, int p)
{
    size_t k = ((size_t)p * n + 99) / 100;
    return sorted[k > 0 ? k - 1 : 0];
}

json_t *latency_connect_us(const struct conn_record *conns, size_t count)
{
    int64_t *us = malloc((count ? count : 1) * sizeof *us);
    size_t n = 0;
    if (!us)
        return json_null();
    for (size_t i = 0; i < count; i++)
        if (conn_has(&conns[i], CONN_CONNECT_US))
            us[n++] = conns[i].value[CONN_CONNECT_US].integer;
    json_t *out = json_null();
    if (n > 0) {
        qsort(us, n, sizeof *us, compare_us);
        out = json_pack("{s:I,s:I,s:I,s:I}", "p50", (json_int_t)rank(us, n, 50), "p90",
                        (json_int_t)rank(us, n, 90), "p99", (json_int_t)rank(us, n, 99), "max",
                        (json_int_t)us[n - 1]);
    }
    free(us);
    return out;
}

size_t latency_waited(const struct conn_record *conns, size_t count)
{
    size_t waited = 0;
    for (size_t i = 0; i < count; i++) {
        const struct conn_record *r = &conns[i];
        if (!conn_has(r, CONN_START_US))
            continue;
        if (!conn_has(r, CONN_OUTCOME_US) ||
            conn_int(r, CONN_OUTCOME_US) - conn_int(r, CONN_START_US) >= AGGREGATE_WAITED_US)
            waited++;
    }
    return waited;
}
