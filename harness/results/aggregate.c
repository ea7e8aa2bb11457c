/* aggregate.c: see aggregate.h. The runs grouped by point, and the
 * readers of the point objects; a point's summary is pointstats.c's, its
 * predictions and flags pointpredict.c's. */
#include "aggregate.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pointparts.h"

static int run_ref_compare(const void *a, const void *b)
{
    const struct run_ref *x = a, *y = b;
    if (x->point != y->point)
        return x->point < y->point ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

/* Follows a key path ("summary.connected", "blocks[2].end_us"): each
 * '.'-separated part is one key, optionally followed by [index]. */
const json_t *aggregate_path(const json_t *obj, const char *path)
{
    char key[128];
    while (obj && *path) {
        size_t n = strcspn(path, ".[");
        if (n >= sizeof key)
            return NULL;
        memcpy(key, path, n);
        key[n] = '\0';
        obj = json_object_get(obj, key);
        path += n;
        while (obj && *path == '[') {
            char *end;
            unsigned long index = strtoul(path + 1, &end, 10);
            if (*end != ']')
                return NULL;
            obj = json_array_get(obj, index);
            path = end + 1;
        }
        if (*path == '.')
            path++;
    }
    return obj;
}

int point_number_at(const json_t *run, const char *path, double *out)
{
    const json_t *v = aggregate_path(run, path);
    if (!json_is_number(v))
        return 0;
    *out = json_number_value(v);
    return 1;
}

json_t *aggregate_points(const json_t *runs)
{
    size_t n = json_array_size(runs), i, start;
    json_t *points = json_array();
    struct run_ref *refs = malloc((n ? n : 1) * sizeof *refs);
    if (!refs)
        return points;
    for (i = 0; i < n; i++) {
        const json_t *point = json_object_get(json_array_get(runs, i), "point");
        refs[i].point = json_is_integer(point) ? json_integer_value(point) : -1;
        refs[i].index = i;
    }
    qsort(refs, n, sizeof *refs, run_ref_compare);
    for (start = 0; start < n; start = i) {
        for (i = start; i < n && refs[i].point == refs[start].point; i++)
            ;
        size_t count = i - start;
        const json_t *run0 = json_array_get(runs, refs[start].index);
        json_t *indexes = json_array(), *predictions = json_object(), *flags = json_array();
        for (size_t k = start; k < i; k++)
            json_array_append_new(indexes, json_integer((json_int_t)refs[k].index));
        json_t *summary = point_stats(runs, refs + start, count);
        point_predict(runs, refs + start, count, summary, predictions, flags);
        const json_t *sweep = json_object_get(run0, "sweep");
        json_array_append_new(points,
                              json_pack("{s:I,s:o,s:o,s:I,s:o,s:o,s:o}", "point",
                                        (json_int_t)refs[start].point, "sweep",
                                        sweep ? json_deep_copy(sweep) : json_object(), "runs",
                                        indexes, "repeats", (json_int_t)count, "summary", summary,
                                        "predictions", predictions, "flags", flags));
    }
    free(refs);
    return points;
}

json_t *aggregate_find(const json_t *points, long long point)
{
    const json_t *p;
    size_t i;
    json_array_foreach(points, i, p)
    {
        if (json_integer_value(json_object_get(p, "point")) == point)
            return (json_t *)p;
    }
    return NULL;
}

double aggregate_stat(const json_t *point, const char *field, const char *stat, int *known)
{
    const json_t *v =
        json_object_get(json_object_get(json_object_get(point, "summary"), field), stat);
    *known = json_is_number(v);
    return *known ? json_number_value(v) : 0;
}

int aggregate_flagged(const json_t *point, const char *field)
{
    const json_t *flag;
    size_t i;
    json_array_foreach(json_object_get(point, "flags"), i, flag)
    {
        const char *f = json_string_value(json_object_get(flag, "field"));
        if (f && (strcmp(f, field) == 0 ||
                  (strncmp(f, "summary.", 8) == 0 && strcmp(f + 8, field) == 0)))
            return 1;
    }
    return 0;
}
