/* bufrange.h: the smallest and largest socket buffer a side saw over its
 * connections (getsockopt SO_SNDBUF / SO_RCVBUF, already doubled by the
 * kernel). Every socket of a point is set up alike, but the kernel grows a
 * buffer left at its default (autotuning, tcp_clamp_window), so each
 * connection is read, not the first one alone. */
#ifndef HARNESS_BUFRANGE_H
#define HARNESS_BUFRANGE_H

#include <jansson.h>

struct buffer_range {
    int min, max;
    int seen; /* values added */
};

static inline void buffer_range_add(struct buffer_range *r, int value)
{
    if (value <= 0)
        return; /* getsockopt failed */
    if (!r->seen || value < r->min)
        r->min = value;
    if (!r->seen || value > r->max)
        r->max = value;
    r->seen++;
}

/* [min, max], or null when nothing was seen (new reference). */
static inline json_t *buffer_range_json(const struct buffer_range *r)
{
    return r->seen ? json_pack("[i,i]", r->min, r->max) : json_null();
}

#endif
