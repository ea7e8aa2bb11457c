/* derived.c: see derived.h. */
#include "derived.h"

#include "aggregate.h"
#include "params.h"

json_t *results_point_summary(const json_t *point_runs, size_t first_index)
{
    json_t *points = aggregate_points(point_runs);
    json_t *point = json_incref(json_array_get(points, 0));
    json_decref(points);
    if (!point)
        return NULL;
    /* indexes into the results' runs, not into this point's */
    results_point_summary_shift(point, (json_int_t)first_index);
    return point;
}

void results_point_summary_shift(json_t *point, json_int_t by)
{
    size_t i;
    json_t *v, *flag;
    json_array_foreach(json_object_get(point, "runs"), i, v) json_array_set_new(
        json_object_get(point, "runs"), i, json_integer(json_integer_value(v) + by));
    json_array_foreach(json_object_get(point, "flags"), i, flag)
    {
        json_t *run = json_object_get(flag, "run");
        if (json_is_integer(run))
            json_object_set_new(flag, "run", json_integer(json_integer_value(run) + by));
    }
}

json_t *results_sampling_limits(void)
{
    return json_pack("{s:i,s:i,s:i}", "samples_per_process", PARAMS_MAX_SAMPLES, "conns_per_sample",
                     SAMPLER_CONNS, "conn_entries_per_process", SAMPLER_MAX_CONN_ENTRIES);
}

void results_add_derived(json_t *results)
{
    json_object_set_new(results, "point_summaries",
                        aggregate_points(json_object_get(results, "runs")));
    json_object_set_new(results, "sampling_limits", results_sampling_limits());
}
