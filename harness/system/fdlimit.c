/* fdlimit.c: see fdlimit.h. */
#include "fdlimit.h"

#include <errno.h>
#include <string.h>
#include <sys/resource.h>

int fdlimit_ensure(uint64_t needed, struct hl_error *err)
{
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) < 0)
        return hl_error_setn(err, errno, "RLIMIT_NOFILE", "getrlimit: %s", strerror(errno));
    if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur >= needed)
        return 0;
    if (limit.rlim_max != RLIM_INFINITY && limit.rlim_max < needed) {
        /* with CAP_SYS_RESOURCE (root) the hard limit may be raised too,
         * up to fs.nr_open */
        struct rlimit raised = {needed, needed};
        if (setrlimit(RLIMIT_NOFILE, &raised) == 0)
            return 0;
        return hl_error_setn(err, EMFILE, "RLIMIT_NOFILE",
                             "%llu file descriptors are needed (one per connection held open, "
                             "plus 64) but the hard limit is %llu; lower client.connections or "
                             "client.concurrency, or raise the hard limit (ulimit -Hn)",
                             (unsigned long long)needed, (unsigned long long)limit.rlim_max);
    }
    limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? needed : limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &limit) < 0)
        return hl_error_setn(err, errno, "RLIMIT_NOFILE", "setrlimit: %s", strerror(errno));
    return 0;
}

void fdlimit_raise(void)
{
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_max != RLIM_INFINITY &&
        limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}
