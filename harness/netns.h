/* netns.h: a private network namespace per point, and its sysctls.
 *
 * Each point runs in a namespace of its own so that it starts with empty
 * queues, no TIME_WAIT sockets from the last point and zeroed counters, and
 * so that scenario sysctls never touch the host. The runner moves its own
 * (main) thread into a fresh namespace with unshare(CLONE_NEWNET); children
 * it spawns inherit it; /proc/net and /proc/sys/net then show that
 * namespace. netns_leave() moves back; the namespace dies with its last
 * process. */
#ifndef HARNESS_NETNS_H
#define HARNESS_NETNS_H

#include <jansson.h>

#include "error.h"
#include "params.h"

struct netns {
    int host_fd; /* the namespace we started in */
    int entered; /* 1 while in a private namespace */
};

/* Remembers the current namespace. */
int netns_init(struct netns *ns, struct hl_error *err);

/* Enters a new namespace and brings its loopback up. -EPERM when the
 * process lacks the privilege (the caller then runs on the host stack). */
int netns_enter_fresh(struct netns *ns, struct hl_error *err);

/* Writes the point's sysctls. Refuses to run outside a private namespace. */
int netns_apply_sysctls(const struct netns *ns, const struct point_params *params,
                        struct hl_error *err);

/* Reads one sysctl ("net.core.somaxconn") into out; -errno if absent. */
int sysctl_read(const char *name, char *out, size_t size);

/* The sysctls that shape these experiments, plus the point's own, as read
 * now: {"net.core.somaxconn": 4096, ...}. */
json_t *netns_sysctls_in_force(const struct point_params *params);

/* Back to the namespace of netns_init(). */
int netns_leave(struct netns *ns, struct hl_error *err);

void netns_close(struct netns *ns);

#endif
