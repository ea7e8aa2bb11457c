/* readsizes.c: see readsizes.h. */
#include "readsizes.h"

/* floor(log2(bytes)), bytes > 0: one instruction on every recv() */
static int bucket_of(uint64_t bytes)
{
    return 63 - __builtin_clzll(bytes);
}

void read_sizes_add(struct read_sizes *r, uint64_t bytes)
{
    if (bytes == 0)
        return;
    r->count[bucket_of(bytes)]++;
    if (r->reads == 0 || bytes < r->smallest)
        r->smallest = bytes;
    if (bytes > r->largest)
        r->largest = bytes;
    r->reads++;
}

json_t *read_sizes_json(const struct read_sizes *r)
{
    json_t *buckets = json_array();
    for (int k = 0; k < READ_SIZES_BUCKETS; k++) {
        if (r->count[k] == 0)
            continue;
        uint64_t from = (uint64_t)1 << k, to = k == 63 ? UINT64_MAX : (from << 1) - 1;
        json_array_append_new(buckets, json_pack("{s:I,s:I,s:I}", "from", (json_int_t)from, "to",
                                                 (json_int_t)to, "reads", (json_int_t)r->count[k]));
    }
    json_t *smallest = r->reads ? json_integer((json_int_t)r->smallest) : json_null();
    json_t *largest = r->reads ? json_integer((json_int_t)r->largest) : json_null();
    return json_pack("{s:I,s:o,s:o,s:o}", "reads", (json_int_t)r->reads, "smallest", smallest,
                     "largest", largest, "buckets", buckets);
}
