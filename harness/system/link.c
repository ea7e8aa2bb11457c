/* link.c: see link.h. */
#include "link.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rtnl.h"

/* qdisc handles: major:minor in the upper and lower 16 bits */
#define HANDLE(major, minor) (((uint32_t)(major) << 16) | (uint32_t)(minor))

unsigned link_needs(const struct point_params *p)
{
    unsigned needs = 0;
    if (p->topology != TOPOLOGY_VETH)
        return 0;
    if (p->link.delay_us > 0 || p->link.loss_percent > 0)
        needs |= LINK_NEEDS_NETEM;
    if (p->link.rate_mbit > 0)
        needs |= LINK_NEEDS_TBF;
    return needs;
}

void link_missing_text(const struct point_params *p, unsigned missing, char *out, size_t size)
{
    const char *keys[3];
    size_t n = 0;
    if ((missing & LINK_NEEDS_NETEM) && p->link.delay_us > 0)
        keys[n++] = "link.delay_ms";
    if ((missing & LINK_NEEDS_NETEM) && p->link.loss_percent > 0)
        keys[n++] = "link.loss";
    if (missing & LINK_NEEDS_TBF)
        keys[n++] = "link.rate_mbit";
    const char *kinds = (missing & LINK_NEEDS_NETEM) && (missing & LINK_NEEDS_TBF)
                            ? "netem or tbf qdisc (sch_netem, sch_tbf)"
                        : missing & LINK_NEEDS_NETEM ? "netem qdisc (sch_netem)"
                                                     : "tbf qdisc (sch_tbf)";
    snprintf(out, size, "this kernel has no %s, which %s%s%s%s%s need%s", kinds,
             n > 0 ? keys[0] : "", n > 1 ? (n > 2 ? ", " : " and ") : "", n > 1 ? keys[1] : "",
             n > 2 ? " and " : "", n > 2 ? keys[2] : "", n == 1 ? "s" : "");
}

int link_probe(unsigned needs, unsigned *missing, char *kernel_says, size_t size,
               struct hl_error *err)
{
    struct rtnl rtnl = {.fd = -1};
    struct hl_error refusal;
    int rc = 0;
    *missing = 0;
    kernel_says[0] = '\0';
    if (!needs)
        return 0;
    int back = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    if (back < 0)
        return hl_error_setn(err, errno, "/proc/thread-self/ns/net", "cannot open: %s",
                             strerror(errno));
    if (unshare(CLONE_NEWNET) < 0) {
        rc = hl_error_setn(err, errno, "unshare(CLONE_NEWNET)",
                           "cannot make a namespace to try the qdiscs in: %s", strerror(errno));
        close(back);
        return rc;
    }
    /* a pair with both ends here: nothing leaves this namespace */
    if ((rc = rtnl_open(&rtnl, err)) == 0 &&
        (rc = rtnl_veth_add(&rtnl, "probe-a", "probe-b", -1, err)) == 0) {
        if ((needs & LINK_NEEDS_NETEM) &&
            rtnl_qdisc_netem(&rtnl, "probe-a", 0, HANDLE(1, 0), 1000000, 0, LINK_NETEM_LIMIT,
                             &refusal)) {
            *missing |= LINK_NEEDS_NETEM;
            snprintf(kernel_says, size, "%s", refusal.what);
        }
        if ((needs & LINK_NEEDS_TBF) && rtnl_qdisc_tbf(&rtnl, "probe-b", 0, HANDLE(1, 0), 125000,
                                                       LINK_TBF_BURST, 65536, &refusal)) {
            *missing |= LINK_NEEDS_TBF;
            if (!kernel_says[0])
                snprintf(kernel_says, size, "%s", refusal.what);
        }
    }
    rtnl_close(&rtnl);
    /* the namespace, its pair and its qdiscs go with the last reference */
    if (setns(back, CLONE_NEWNET) < 0 && rc == 0)
        rc = hl_error_setn(err, errno, "setns", "cannot return from the probe's namespace: %s",
                           strerror(errno));
    close(back);
    return rc;
}

static int device_mtu(const char *name)
{
    struct ifreq ifr;
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), mtu = -1;
    if (fd < 0)
        return -1;
    memset(&ifr, 0, sizeof ifr);
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
    if (ioctl(fd, SIOCGIFMTU, &ifr) == 0)
        mtu = ifr.ifr_mtu;
    close(fd);
    return mtu;
}

/* The link-layer address of a device of the current namespace. */
static int device_mac(const char *name, unsigned char mac[6], struct hl_error *err)
{
    struct ifreq ifr;
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc = 0;
    if (fd < 0)
        return hl_error_setn(err, errno, name, "socket: %s", strerror(errno));
    memset(&ifr, 0, sizeof ifr);
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
    if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
        rc = hl_error_setn(err, errno, name, "cannot read its link-layer address: %s",
                           strerror(errno));
    else
        memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
    close(fd);
    return rc;
}

/* How the kernel holds the neighbour address on device: "permanent",
 * "dynamic" (learnt, so ARP was or will be asked), or "none". */
static const char *neighbour_state(const char *device, const char *address)
{
    struct arpreq req;
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    const char *state = "none";
    if (fd < 0)
        return state;
    memset(&req, 0, sizeof req);
    struct sockaddr_in *pa = (struct sockaddr_in *)&req.arp_pa;
    pa->sin_family = AF_INET;
    inet_pton(AF_INET, address, &pa->sin_addr);
    snprintf(req.arp_dev, sizeof req.arp_dev, "%s", device);
    if (ioctl(fd, SIOCGARP, &req) == 0)
        state = (req.arp_flags & ATF_PERM) ? "permanent" : "dynamic";
    close(fd);
    return state;
}

/* The peer's address resolved for good on device, so that the first SYNs
 * of a run never wait for ARP, and an ARP reply lost to the link's
 * shaping is never read as a SYN retransmit. Returns the state the kernel
 * then reports, in *state. */
static int resolve_peer(const char *device, const char *peer_address,
                        const unsigned char peer_mac[6], const char **state, struct hl_error *err)
{
    struct rtnl rtnl = {.fd = -1};
    struct in_addr addr;
    inet_pton(AF_INET, peer_address, &addr);
    int rc = rtnl_open(&rtnl, err);
    if (rc == 0)
        rc = rtnl_neigh_permanent(&rtnl, device, addr, peer_mac, err);
    rtnl_close(&rtnl);
    *state = neighbour_state(device, peer_address);
    return rc;
}

/* One end: its address, up, and the shaping; qdiscs gets what was put. */
static int link_end(const struct point_params *p, const char *device, const char *address,
                    json_t *qdiscs, struct hl_error *err)
{
    struct rtnl rtnl = {.fd = -1};
    struct in_addr addr;
    char text[160];
    int rc;
    inet_pton(AF_INET, address, &addr);
    if ((rc = rtnl_open(&rtnl, err)) || (rc = rtnl_addr_add(&rtnl, device, addr, LINK_PREFIX, err)))
        goto out;
    uint32_t parent = 0;
    if (p->link.delay_us > 0 || p->link.loss_percent > 0) {
        uint32_t loss = (uint32_t)(p->link.loss_percent / 100.0 * (double)UINT32_MAX);
        if ((rc = rtnl_qdisc_netem(&rtnl, device, 0, HANDLE(1, 0), p->link.delay_us * 1000, loss,
                                   LINK_NETEM_LIMIT, err)))
            goto out;
        snprintf(text, sizeof text, "netem delay %lld us loss %g%% limit %d packets",
                 (long long)p->link.delay_us, p->link.loss_percent, LINK_NETEM_LIMIT);
        json_array_append_new(qdiscs, json_string(text));
        parent = HANDLE(1, 1);
    }
    if (p->link.rate_mbit > 0) {
        uint64_t bytes_per_sec = p->link.rate_mbit * 125000;
        /* a queue of 100 ms at the rate behind the burst */
        uint64_t limit = LINK_TBF_BURST + bytes_per_sec / 10;
        if (limit > UINT32_MAX)
            limit = UINT32_MAX;
        if ((rc = rtnl_qdisc_tbf(&rtnl, device, parent, parent ? HANDLE(10, 0) : HANDLE(1, 0),
                                 bytes_per_sec, LINK_TBF_BURST, (uint32_t)limit, err)))
            goto out;
        snprintf(text, sizeof text, "tbf rate %llu Mbit/s burst %d bytes limit %llu bytes",
                 (unsigned long long)p->link.rate_mbit, LINK_TBF_BURST, (unsigned long long)limit);
        json_array_append_new(qdiscs, json_string(text));
    }
    rc = rtnl_link_up(&rtnl, device, err);
out:
    rtnl_close(&rtnl);
    return rc;
}

int link_create(const struct point_params *p, int server_ns_fd, int client_ns_fd, json_t **info,
                struct hl_error *err)
{
    struct rtnl rtnl = {.fd = -1};
    json_t *qdiscs = json_array();
    int rc;
    *info = NULL;
    if ((rc = rtnl_open(&rtnl, err)) ||
        (rc = rtnl_veth_add(&rtnl, LINK_CLIENT_DEVICE, LINK_SERVER_DEVICE, server_ns_fd, err)))
        goto out;
    json_t *client_qdiscs = json_array();
    unsigned char client_mac[6], server_mac[6];
    const char *client_sees = "none", *server_sees = "none";
    rc = link_end(p, LINK_CLIENT_DEVICE, LINK_CLIENT_ADDRESS, client_qdiscs, err);
    int mtu = device_mtu(LINK_CLIENT_DEVICE);
    if (rc || (rc = device_mac(LINK_CLIENT_DEVICE, client_mac, err))) {
        json_decref(client_qdiscs);
        goto out;
    }
    if (setns(server_ns_fd, CLONE_NEWNET) < 0) {
        json_decref(client_qdiscs);
        rc = hl_error_setn(err, errno, "setns", "cannot enter the server's namespace: %s",
                           strerror(errno));
        goto out;
    }
    rc = link_end(p, LINK_SERVER_DEVICE, LINK_SERVER_ADDRESS, qdiscs, err);
    if (rc == 0 && (rc = device_mac(LINK_SERVER_DEVICE, server_mac, err)) == 0)
        rc = resolve_peer(LINK_SERVER_DEVICE, LINK_CLIENT_ADDRESS, client_mac, &server_sees, err);
    if (setns(client_ns_fd, CLONE_NEWNET) < 0 && rc == 0)
        rc = hl_error_setn(err, errno, "setns", "cannot return to the client's namespace: %s",
                           strerror(errno));
    if (rc == 0)
        rc = resolve_peer(LINK_CLIENT_DEVICE, LINK_SERVER_ADDRESS, server_mac, &client_sees, err);
    if (rc == 0)
        *info = json_pack("{s:s,s:s,s:i,s:s,s:s,s:i,s:{s:o,s:O},s:{s:s,s:s}}", "server_address",
                          LINK_SERVER_ADDRESS, "client_address", LINK_CLIENT_ADDRESS, "prefix",
                          LINK_PREFIX, "server_device", LINK_SERVER_DEVICE, "client_device",
                          LINK_CLIENT_DEVICE, "mtu", mtu, "qdiscs", "client_to_server",
                          client_qdiscs, "server_to_client", qdiscs, "neighbours", "client",
                          client_sees, "server", server_sees);
    else
        json_decref(client_qdiscs);
out:
    json_decref(qdiscs);
    rtnl_close(&rtnl);
    return rc;
}
