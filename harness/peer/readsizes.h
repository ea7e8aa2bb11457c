/* readsizes.h: what every recv() of the server returned, as a histogram
 * of powers of two (a read of n bytes counts in the bucket [2^k, 2^(k+1))
 * that holds n), so that a run of any length keeps a bounded record and
 * "small reads" and "full buffers" stay apart. */
#ifndef HARNESS_READSIZES_H
#define HARNESS_READSIZES_H

#include <jansson.h>
#include <stdint.h>

#define READ_SIZES_BUCKETS 64

struct read_sizes {
    uint64_t count[READ_SIZES_BUCKETS];
    uint64_t reads, smallest, largest;
};

void read_sizes_add(struct read_sizes *r, uint64_t bytes);

/* {"reads", "smallest", "largest", "buckets": [{"from", "to", "reads"}...]}
 * with the buckets that counted a read, smallest first; "smallest" and
 * "largest" null when nothing was read (new reference). */
json_t *read_sizes_json(const struct read_sizes *r);

#endif
