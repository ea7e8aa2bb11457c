/* iobuf.h: the buffers that send() and recv() copy from and into.
 *
 * Page-aligned: on this machine (AMD EPYC, Linux 6.18) the kernel's copy
 * into a buffer that is not cache-line aligned runs at about half speed
 * for large reads (recv() of 1 MiB from loopback, one CPU: 10 to 12
 * Gbit/s into malloc()'s buffer, whose start is 16 bytes past a page, 19
 * to 22 Gbit/s into a page-aligned one; 64-byte alignment does as well).
 * A measuring harness must not pay for where malloc() happens to put its
 * buffers, so every payload and read buffer comes from here. */
#ifndef HARNESS_IOBUF_H
#define HARNESS_IOBUF_H

#include <stddef.h>

/* size bytes (at least 1), page-aligned; free() releases them. NULL when
 * out of memory. */
void *iobuf_alloc(size_t size);

#endif
