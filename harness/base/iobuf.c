/* iobuf.c: see iobuf.h. */
#include "iobuf.h"

#include <stdlib.h>
#include <unistd.h>

void *iobuf_alloc(size_t size)
{
    long page = sysconf(_SC_PAGESIZE);
    size_t align = page > 0 ? (size_t)page : 4096;
    size_t rounded = ((size ? size : 1) + align - 1) / align * align;
    return aligned_alloc(align, rounded);
}
