/* netns.h: a private network namespace per point, and its sysctls.
 *
 * Each point runs in a namespace of its own so that it starts with empty
 * queues, no TIME_WAIT sockets from the last point and zeroed counters, and
 * so that scenario sysctls never touch the host. The runner moves its own
 * (main) thread into a fresh namespace with unshare(CLONE_NEWNET); children
 * it spawns inherit it; /proc/net and /proc/sys/net then show that
 * namespace. netns_leave() moves back; the namespace dies with its last
 * process.
 *
 * With topology "veth" the fresh namespace is the client's, and a second
 * one is made for the server (netns_add_server). The runner's thread visits
 * it to write its sysctls, read its counters and spawn the server there
 * (a child starts in the namespace of the thread that forks it), and
 * returns to the client's: uv_spawn cannot call setns() in the child. */
#ifndef HARNESS_NETNS_H
#define HARNESS_NETNS_H

#include <jansson.h>

#include "error.h"
#include "params.h"

enum netns_side { NETNS_SERVER, NETNS_CLIENT };

struct netns {
    int host_fd;   /* the namespace we started in */
    int entered;   /* 1 while in a private namespace */
    int client_fd; /* topology veth: the two namespaces (-1 otherwise) */
    int server_fd;
};

/* Remembers the current namespace. */
int netns_init(struct netns *ns, struct hl_error *err);

/* Brings "lo" up in the current namespace (a fresh one has it down). */
int netns_loopback_up(struct hl_error *err);

/* Enters a new namespace and brings its loopback up. -EPERM when the
 * process lacks the privilege (the caller then runs on the host stack). */
int netns_enter_fresh(struct netns *ns, struct hl_error *err);

/* Writes the point's sysctls. Refuses to run outside a private namespace. */
int netns_apply_sysctls(const struct netns *ns, const struct point_params *params,
                        struct hl_error *err);

/* topology veth: makes the server's namespace (loopback up) beside the
 * fresh one just entered, which becomes the client's; the thread stays in
 * the client's. */
int netns_add_server(struct netns *ns, struct hl_error *err);

/* Moves the thread into one side's namespace (after netns_add_server). */
int netns_enter_side(struct netns *ns, enum netns_side side, struct hl_error *err);

/* topology veth: writes the point's sysctls and then the side's own
 * (server.sysctls or client.sysctls) in that side's namespace, and comes
 * back to the client's. */
int netns_apply_side_sysctls(struct netns *ns, const struct point_params *params,
                             enum netns_side side, struct hl_error *err);

/* Reads one sysctl ("net.core.somaxconn") into out; -errno if absent. */
int sysctl_read(const char *name, char *out, size_t size);

/* The sysctls that shape these experiments, plus the point's own, as read
 * now: {"net.core.somaxconn": 4096, ...}. */
json_t *netns_sysctls_in_force(const struct point_params *params);

/* The same for one side of a veth pair: its own sysctls too. */
json_t *netns_sysctls_in_force_side(const struct point_params *params, enum netns_side side);

/* Back to the namespace of netns_init(); the namespaces of the point are
 * let go (they die with their last process). */
int netns_leave(struct netns *ns, struct hl_error *err);

void netns_close(struct netns *ns);

#endif
