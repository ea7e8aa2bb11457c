/* link.h: the veth link between a run's two network namespaces (topology
 * "veth").
 *
 * The runner makes the client's namespace and the server's; the link is a
 * veth pair with one end in each: "bl-server" holds 198.18.0.1/24 in the
 * server's namespace, "bl-client" 198.18.0.2/24 in the client's. The
 * addresses come from 198.18.0.0/15, which RFC 2544 sets aside for
 * benchmarking: nobody's hosts on a real network. The shaping of the
 * scenario's "link" is put on both ends, so it is the same each way:
 *
 *   netem (delay, loss) as the root qdisc   tc qdisc add dev D root handle 1: netem ...
 *   tbf (rate) under it, or as the root     tc qdisc add dev D parent 1:1 handle 10: tbf ...
 *
 * tbf lets at most one full frame (1514 bytes: the MTU of 1500 and the
 * Ethernet header) leave at once and queues 100 ms worth of the rate
 * behind it. A kernel may lack a qdisc (sch_netem is often left out):
 * link_probe finds out beforehand, so that the points needing it are
 * skipped with the reason instead of run unshaped. */
#ifndef HARNESS_LINK_H
#define HARNESS_LINK_H

#include <jansson.h>

#include "error.h"
#include "params.h"

#define LINK_SERVER_ADDRESS "198.18.0.1"
#define LINK_CLIENT_ADDRESS "198.18.0.2"
#define LINK_PREFIX 24
#define LINK_SERVER_DEVICE "bl-server"
#define LINK_CLIENT_DEVICE "bl-client"
#define LINK_TBF_BURST 1514
#define LINK_NETEM_LIMIT 1000 /* packets, netem's default */

/* The qdiscs a point's link needs (a bit each). */
enum link_need { LINK_NEEDS_NETEM = 1, LINK_NEEDS_TBF = 2 };

unsigned link_needs(const struct point_params *params);

/* Why a point that needs `missing` cannot run here, e.g. "this kernel has
 * no netem qdisc (sch_netem), which link.delay_ms and link.loss need". */
void link_missing_text(const struct point_params *params, unsigned missing, char *out, size_t size);

/* Which of the qdiscs in needs the kernel lacks (*missing), tried on a
 * veth pair in a namespace made for the purpose and left again; *kernel_says
 * gets the kernel's message for the first one missing. Needs the privilege
 * to make a namespace. */
int link_probe(unsigned needs, unsigned *missing, char *kernel_says, size_t size,
               struct hl_error *err);

/* Makes the veth pair, its addresses and its shaping. Called in the
 * client's namespace (client_ns_fd), it visits the server's (server_ns_fd)
 * and comes back. *info: what was made, for the results' effective.link. */
int link_create(const struct point_params *params, int server_ns_fd, int client_ns_fd,
                json_t **info, struct hl_error *err);

#endif
