/* rtnl.h: the few rtnetlink requests the harness makes, on a socket of the
 * calling thread's network namespace.
 *
 * Each request is what one iproute2 command does (named beside it), sent
 * as a netlink message from C: the harness needs no `ip` or `tc` binary,
 * and a refusal comes back as an errno with the kernel's own message
 * ("Specified qdisc kind is unknown."), which the runner turns into a
 * skipped point rather than parsing a tool's output. A socket belongs to
 * the namespace it was opened in, whatever the thread does later.
 *
 * Every function returns 0 or a negative errno and fills err. */
#ifndef HARNESS_RTNL_H
#define HARNESS_RTNL_H

#include <netinet/in.h>
#include <stdint.h>

#include "error.h"

struct rtnl {
    int fd;
    uint32_t seq;
};

int rtnl_open(struct rtnl *rtnl, struct hl_error *err);
void rtnl_close(struct rtnl *rtnl);

/* ip link add NAME type veth peer name PEER [netns PEER_NS]: the peer end
 * is moved into the namespace of peer_ns_fd (-1: it stays here). */
int rtnl_veth_add(struct rtnl *rtnl, const char *name, const char *peer, int peer_ns_fd,
                  struct hl_error *err);

/* ip link set NAME up */
int rtnl_link_up(struct rtnl *rtnl, const char *name, struct hl_error *err);

/* ip addr add ADDR/PREFIX dev NAME */
int rtnl_addr_add(struct rtnl *rtnl, const char *name, struct in_addr addr, int prefix,
                  struct hl_error *err);

/* ip neigh replace ADDR lladdr LLADDR dev NAME nud permanent: ADDR's
 * link-layer address known for good, never asked for (no ARP). */
int rtnl_neigh_permanent(struct rtnl *rtnl, const char *name, struct in_addr addr,
                         const unsigned char lladdr[6], struct hl_error *err);

/* tc qdisc add dev NAME parent PARENT handle HANDLE tbf rate R burst B
 * limit L (linklayer ethernet): at most burst bytes leave at once, then
 * bytes_per_sec; limit bytes may wait. parent 0 means root. */
int rtnl_qdisc_tbf(struct rtnl *rtnl, const char *name, uint32_t parent, uint32_t handle,
                   uint64_t bytes_per_sec, uint32_t burst, uint32_t limit, struct hl_error *err);

/* tc qdisc add dev NAME parent PARENT handle HANDLE netem delay D loss L
 * limit N: every packet held delay_ns, loss (0 .. UINT32_MAX) of them
 * dropped, at most limit packets waiting. */
int rtnl_qdisc_netem(struct rtnl *rtnl, const char *name, uint32_t parent, uint32_t handle,
                     int64_t delay_ns, uint32_t loss, uint32_t limit, struct hl_error *err);

/* Whether addr is assigned to the other end of a veth pair that has one
 * end in this namespace (the other end is then in a namespace of this
 * machine): 1 yes, 0 no, negative errno when the kernel could not be asked.
 * ip -d link show type veth; ip -n PEER_NS addr show dev PEER. */
int rtnl_is_veth_peer_address(struct rtnl *rtnl, struct in_addr addr, struct hl_error *err);

#endif
