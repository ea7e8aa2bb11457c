/* compare_view.c: see compare_view.h. */
#include "compare_view.h"

#include <stdlib.h>
#include <string.h>

int compare_view_init(struct compare_view *view, const json_t *comparison, const char *const *names)
{
    const json_t *sets = json_object_get(comparison, "sets");
    memset(view, 0, sizeof *view);
    if (json_is_object(json_object_get(comparison, "a"))) {
        view->count = 2;
        view->sets[0] = json_object_get(comparison, "a");
        view->sets[1] = json_object_get(comparison, "b");
    } else if (json_array_size(sets) >= 2 && json_array_size(sets) <= COMPARE_MAX_SETS) {
        view->count = json_array_size(sets);
        for (size_t k = 0; k < view->count; k++)
            view->sets[k] = json_array_get(sets, k);
    } else {
        return -1;
    }
    for (size_t k = 0; k < view->count; k++) {
        view->letters[k][0] = (char)('A' + k);
        view->names[k] =
            names ? names[k] : json_string_value(json_object_get(view->sets[k], "name"));
        if (!view->names[k])
            view->names[k] = view->letters[k];
    }
    return 0;
}

void compare_view_scenario(const struct compare_view *view, const json_t *object,
                           struct compare_view_scenario *out)
{
    const json_t *against = json_object_get(object, "against_baseline"), *pair;
    size_t i;
    memset(out, 0, sizeof *out);
    out->object = object;
    if (!against) {
        out->pairs[1] = object; /* two sets: the object compares A with B */
        return;
    }
    json_array_foreach(against, i, pair)
    {
        const char *set = json_string_value(json_object_get(pair, "set"));
        size_t k = set ? (size_t)(set[0] - 'A') : 0;
        if (k >= 1 && k < view->count)
            out->pairs[k] = pair;
    }
}

const char *compare_view_file(const struct compare_view_scenario *s, size_t count, size_t k)
{
    if (k)
        return json_string_value(json_object_get(s->pairs[k], "b_file"));
    for (size_t j = 1; j < count; j++)
        if (s->pairs[j])
            return json_string_value(json_object_get(s->pairs[j], "a_file"));
    return NULL;
}

const char *compare_view_stem(const struct compare_view_scenario *s, size_t count, size_t k)
{
    if (k)
        return json_string_value(json_object_get(s->pairs[k], "b_stem"));
    for (size_t j = 1; j < count; j++)
        if (s->pairs[j])
            return json_string_value(json_object_get(s->pairs[j], "a_stem"));
    return NULL;
}

static int row_order(const void *a, const void *b)
{
    const struct compare_view_row *x = a, *y = b;
    return x->point < y->point ? -1 : x->point > y->point;
}

struct compare_view_row *compare_view_rows(const struct compare_view *view,
                                           const struct compare_view_scenario *s, size_t *count)
{
    size_t max = 0, n = 0, i;
    const json_t *p;
    for (size_t k = 1; k < view->count; k++)
        max += json_array_size(json_object_get(s->pairs[k], "points"));
    struct compare_view_row *rows = calloc(max ? max : 1, sizeof *rows);
    *count = 0;
    if (!rows || !max) {
        free(rows);
        return NULL;
    }
    for (size_t k = 1; k < view->count; k++) {
        json_array_foreach(json_object_get(s->pairs[k], "points"), i, p)
        {
            json_int_t point = json_integer_value(json_object_get(p, "a_point"));
            size_t r;
            for (r = 0; r < n && rows[r].point != point; r++)
                ;
            if (r == n) {
                rows[n].point = point;
                rows[n].sweep = json_object_get(p, "sweep");
                rows[n++].matched[0] = p;
            }
            rows[r].matched[k] = p;
        }
    }
    qsort(rows, n, sizeof *rows, row_order);
    *count = n;
    return rows;
}

const json_t *compare_view_field(const struct compare_view_row *row, size_t count, size_t k,
                                 const char *field, const json_t **stats)
{
    const json_t *record = NULL;
    if (k) {
        record = json_object_get(json_object_get(row->matched[k], "fields"), field);
        if (stats)
            *stats = json_object_get(record, "b");
        return record;
    }
    /* the baseline's: any pair's "a" */
    for (size_t j = 1; j < count && !record; j++)
        record = json_object_get(json_object_get(row->matched[j], "fields"), field);
    if (stats)
        *stats = json_object_get(record, "a");
    return record;
}
