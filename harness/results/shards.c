/* shards.c: see shards.h. Which points a shard holds, and how its results
 * say so; the join is in shardmerge.c. */
#include "shards.h"

#include <errno.h>
#include <stdlib.h>

int shard_parse(const char *text, struct shard *shard, struct hl_error *err)
{
    char *end;
    long long index = strtoll(text, &end, 10), count = 0;
    int ok = end != text && *end == '/';
    if (ok) {
        const char *rest = end + 1;
        count = strtoll(rest, &end, 10);
        ok = end != rest && *end == '\0';
    }
    if (!ok)
        return hl_error_set(err, "--shard",
                            "expected K/N (shard K of N, counted from 1, such as 2/8), got \"%s\"",
                            text);
    if (count < 1 || count > 1000000 || index < 1 || index > count)
        return hl_error_set(err, "--shard",
                            "shard %lld of %lld: N must be at least 1 and K between 1 and N", index,
                            count);
    shard->index = index;
    shard->count = count;
    return 0;
}

/* Point i goes to shard i % N + 1: each shard takes every N-th point, so
 * the shards of a sweep over one key spread its values over the range
 * rather than giving one machine the long end. */
int shard_holds(const struct shard *shard, size_t point)
{
    if (shard->count == 0)
        return 1;
    return (long long)(point % (size_t)shard->count) == shard->index - 1;
}

json_t *shard_describe(const struct shard *shard, size_t point_count)
{
    json_t *points = json_array();
    for (size_t i = 0; i < point_count; i++)
        if (shard_holds(shard, i))
            json_array_append_new(points, json_integer((json_int_t)i));
    return json_pack("{s:I,s:I,s:o}", "index", (json_int_t)shard->index, "count",
                     (json_int_t)shard->count, "points", points);
}
