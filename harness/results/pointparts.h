/* pointparts.h: the parts of aggregate_points (aggregate.h), within the
 * results layer.
 *
 * aggregate.c groups the runs by point; pointstats.c makes a point's
 * "summary" (every number over its repeats); pointpredict.c its
 * "predictions" and "flags". */
#ifndef HARNESS_POINTPARTS_H
#define HARNESS_POINTPARTS_H

#include <jansson.h>
#include <stddef.h>

/* A run of the results' runs array, by its point. */
struct run_ref {
    long long point;
    size_t index;
};

/* The number at a key path of run (aggregate_path) in *out: 1, or 0 when
 * there is none. */
int point_number_at(const json_t *run, const char *path, double *out);

/* The point's "summary" over its runs runs[refs[0..count)] (new
 * reference). */
json_t *point_stats(const json_t *runs, const struct run_ref *refs, size_t count);

/* Adds the point's predictions where their rules apply, and a flag where
 * the summary (or a connection) departs from one. */
void point_predict(const json_t *runs, const struct run_ref *refs, size_t count,
                   const json_t *summary, json_t *predictions, json_t *flags);

#endif
