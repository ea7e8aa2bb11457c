/* rtnl.c: see rtnl.h. */
#include "rtnl.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* One request: a header, its fixed part and its attributes. */
struct request {
    struct nlmsghdr *header;
    size_t capacity;
    int overflow;
};

static void request_init(struct request *r, void *buffer, size_t capacity, uint16_t type,
                         uint16_t flags)
{
    memset(buffer, 0, capacity);
    r->header = buffer;
    r->capacity = capacity;
    r->overflow = 0;
    r->header->nlmsg_len = NLMSG_LENGTH(0);
    r->header->nlmsg_type = type;
    r->header->nlmsg_flags = (uint16_t)(NLM_F_REQUEST | flags);
}

static void *request_tail(struct request *r)
{
    return (char *)r->header + NLMSG_ALIGN(r->header->nlmsg_len);
}

/* Appends len bytes (the fixed part of a message), aligned. */
static void *request_put(struct request *r, const void *data, size_t len)
{
    size_t at = NLMSG_ALIGN(r->header->nlmsg_len);
    if (at + NLMSG_ALIGN(len) > r->capacity) {
        r->overflow = 1;
        return NULL;
    }
    void *place = (char *)r->header + at;
    if (data)
        memcpy(place, data, len);
    r->header->nlmsg_len = (uint32_t)(at + NLMSG_ALIGN(len));
    return place;
}

static struct rtattr *attr_put(struct request *r, unsigned short type, const void *data, size_t len)
{
    size_t at = NLMSG_ALIGN(r->header->nlmsg_len);
    if (at + RTA_SPACE(len) > r->capacity) {
        r->overflow = 1;
        return NULL;
    }
    struct rtattr *attr = (struct rtattr *)((char *)r->header + at);
    attr->rta_type = type;
    attr->rta_len = (unsigned short)RTA_LENGTH(len);
    if (len)
        memcpy(RTA_DATA(attr), data, len);
    r->header->nlmsg_len = (uint32_t)(at + RTA_SPACE(len));
    return attr;
}

static struct rtattr *nest_begin(struct request *r, unsigned short type)
{
    return attr_put(r, type, NULL, 0);
}

static void nest_end(struct request *r, struct rtattr *nest)
{
    if (nest)
        nest->rta_len = (unsigned short)((char *)request_tail(r) - (char *)nest);
}

int rtnl_open(struct rtnl *rtnl, struct hl_error *err)
{
    int one = 1;
    rtnl->seq = 0;
    rtnl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (rtnl->fd < 0)
        return hl_error_setn(err, errno, "netlink", "cannot open a rtnetlink socket: %s",
                             strerror(errno));
    /* the kernel's own words for a refusal, without the request echoed */
    setsockopt(rtnl->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one);
    setsockopt(rtnl->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof one);
    return 0;
}

void rtnl_close(struct rtnl *rtnl)
{
    if (rtnl->fd >= 0)
        close(rtnl->fd);
    rtnl->fd = -1;
}

/* The text of NLMSGERR_ATTR_MSG in an extended ack, or "". */
static const char *ack_message(const struct nlmsghdr *h)
{
    if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
        return "";
    size_t offset = NLMSG_ALIGN(sizeof(struct nlmsgerr));
    const struct rtattr *attr = (const struct rtattr *)((const char *)NLMSG_DATA(h) + offset);
    int len = (int)(h->nlmsg_len - NLMSG_LENGTH(offset));
    for (; RTA_OK(attr, len); attr = RTA_NEXT(attr, len))
        if (attr->rta_type == NLMSGERR_ATTR_MSG)
            return RTA_DATA(attr);
    return "";
}

/* Sends a request and reads until its ack (or, for a dump, until
 * NLMSG_DONE), handing each other message to each_message. */
static int rtnl_talk(struct rtnl *rtnl, struct request *r, const char *what,
                     int (*each_message)(const struct nlmsghdr *h, void *data), void *data,
                     struct hl_error *err)
{
    struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
    if (r->overflow)
        return hl_error_setn(err, EMSGSIZE, "netlink", "%s: the request is too long", what);
    r->header->nlmsg_seq = ++rtnl->seq;
    if (sendto(rtnl->fd, r->header, r->header->nlmsg_len, 0, (struct sockaddr *)&kernel,
               sizeof kernel) < 0)
        return hl_error_setn(err, errno, "netlink", "%s: %s", what, strerror(errno));
    char *buffer = malloc(32768);
    if (!buffer)
        return hl_error_setn(err, ENOMEM, "netlink", "out of memory");
    int rc = 0, done = 0;
    while (!done) {
        ssize_t n = recv(rtnl->fd, buffer, 32768, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            rc = hl_error_setn(err, errno, "netlink", "%s: %s", what, strerror(errno));
            break;
        }
        int len = (int)n;
/* NLMSG_OK compares the header's u32 length with the int it is given */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wsign-compare"
        for (struct nlmsghdr *h = (struct nlmsghdr *)buffer; NLMSG_OK(h, len) && !done;
             h = NLMSG_NEXT(h, len)) {
#pragma GCC diagnostic pop
            if (h->nlmsg_seq != rtnl->seq)
                continue;
            if (h->nlmsg_type == NLMSG_DONE) {
                done = 1;
            } else if (h->nlmsg_type == NLMSG_ERROR) {
                const struct nlmsgerr *e = NLMSG_DATA(h);
                done = 1;
                if (e->error) {
                    const char *message = ack_message(h);
                    rc = hl_error_setn(err, e->error, "netlink", "%s: %s%s%s", what,
                                       strerror(-e->error), message[0] ? ": " : "", message);
                }
            } else if (each_message) {
                if ((rc = each_message(h, data)) < 0)
                    done = 1;
            }
        }
    }
    free(buffer);
    return rc;
}

static int link_index(const char *name, struct hl_error *err)
{
    unsigned index = if_nametoindex(name);
    if (index == 0)
        return hl_error_setn(err, errno ? errno : ENODEV, name, "no such interface here: %s",
                             strerror(errno ? errno : ENODEV));
    return (int)index;
}

int rtnl_veth_add(struct rtnl *rtnl, const char *name, const char *peer, int peer_ns_fd,
                  struct hl_error *err)
{
    char buffer[1024], what[128];
    struct request r;
    struct ifinfomsg link = {.ifi_family = AF_UNSPEC};
    request_init(&r, buffer, sizeof buffer, RTM_NEWLINK, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
    request_put(&r, &link, sizeof link);
    attr_put(&r, IFLA_IFNAME, name, strlen(name) + 1);
    struct rtattr *info = nest_begin(&r, IFLA_LINKINFO);
    attr_put(&r, IFLA_INFO_KIND, "veth", 5);
    struct rtattr *data = nest_begin(&r, IFLA_INFO_DATA);
    /* the peer: its own ifinfomsg, then its attributes */
    struct rtattr *peer_info = nest_begin(&r, VETH_INFO_PEER);
    request_put(&r, &link, sizeof link);
    attr_put(&r, IFLA_IFNAME, peer, strlen(peer) + 1);
    if (peer_ns_fd >= 0) {
        uint32_t fd = (uint32_t)peer_ns_fd;
        attr_put(&r, IFLA_NET_NS_FD, &fd, sizeof fd);
    }
    nest_end(&r, peer_info);
    nest_end(&r, data);
    nest_end(&r, info);
    snprintf(what, sizeof what, "ip link add %s type veth peer name %s", name, peer);
    return rtnl_talk(rtnl, &r, what, NULL, NULL, err);
}

int rtnl_link_up(struct rtnl *rtnl, const char *name, struct hl_error *err)
{
    char buffer[256], what[128];
    struct request r;
    int index = link_index(name, err);
    if (index < 0)
        return index;
    struct ifinfomsg link = {
        .ifi_family = AF_UNSPEC, .ifi_index = index, .ifi_flags = IFF_UP, .ifi_change = IFF_UP};
    request_init(&r, buffer, sizeof buffer, RTM_NEWLINK, NLM_F_ACK);
    request_put(&r, &link, sizeof link);
    snprintf(what, sizeof what, "ip link set %s up", name);
    return rtnl_talk(rtnl, &r, what, NULL, NULL, err);
}

int rtnl_addr_add(struct rtnl *rtnl, const char *name, struct in_addr addr, int prefix,
                  struct hl_error *err)
{
    char buffer[256], what[128], text[INET_ADDRSTRLEN] = "";
    struct request r;
    int index = link_index(name, err);
    if (index < 0)
        return index;
    struct ifaddrmsg a = {.ifa_family = AF_INET,
                          .ifa_prefixlen = (unsigned char)prefix,
                          .ifa_scope = RT_SCOPE_UNIVERSE,
                          .ifa_index = (unsigned)index};
    request_init(&r, buffer, sizeof buffer, RTM_NEWADDR, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
    request_put(&r, &a, sizeof a);
    attr_put(&r, IFA_LOCAL, &addr, sizeof addr);
    attr_put(&r, IFA_ADDRESS, &addr, sizeof addr);
    inet_ntop(AF_INET, &addr, text, sizeof text);
    snprintf(what, sizeof what, "ip addr add %s/%d dev %s", text, prefix, name);
    return rtnl_talk(rtnl, &r, what, NULL, NULL, err);
}

int rtnl_neigh_permanent(struct rtnl *rtnl, const char *name, struct in_addr addr,
                         const unsigned char lladdr[6], struct hl_error *err)
{
    char buffer[256], what[160], text[INET_ADDRSTRLEN] = "";
    struct request r;
    int index = link_index(name, err);
    if (index < 0)
        return index;
    struct ndmsg n = {.ndm_family = AF_INET, .ndm_ifindex = index, .ndm_state = NUD_PERMANENT};
    request_init(&r, buffer, sizeof buffer, RTM_NEWNEIGH, NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE);
    request_put(&r, &n, sizeof n);
    attr_put(&r, NDA_DST, &addr, sizeof addr);
    attr_put(&r, NDA_LLADDR, lladdr, 6);
    inet_ntop(AF_INET, &addr, text, sizeof text);
    snprintf(what, sizeof what,
             "ip neigh replace %s lladdr %02x:%02x:%02x:%02x:%02x:%02x dev %s nud permanent", text,
             lladdr[0], lladdr[1], lladdr[2], lladdr[3], lladdr[4], lladdr[5], name);
    return rtnl_talk(rtnl, &r, what, NULL, NULL, err);
}

/* The header of RTM_NEWQDISC: which device, where in its tree, the kind. */
static int qdisc_begin(struct request *r, void *buffer, size_t size, const char *name,
                       uint32_t parent, uint32_t handle, const char *kind, struct hl_error *err)
{
    int index = link_index(name, err);
    if (index < 0)
        return index;
    struct tcmsg tc = {.tcm_family = AF_UNSPEC,
                       .tcm_ifindex = index,
                       .tcm_handle = handle,
                       .tcm_parent = parent ? parent : TC_H_ROOT};
    request_init(r, buffer, size, RTM_NEWQDISC, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
    request_put(r, &tc, sizeof tc);
    attr_put(r, TCA_KIND, kind, strlen(kind) + 1);
    return 0;
}

int rtnl_qdisc_tbf(struct rtnl *rtnl, const char *name, uint32_t parent, uint32_t handle,
                   uint64_t bytes_per_sec, uint32_t burst, uint32_t limit, struct hl_error *err)
{
    char buffer[512], what[192];
    struct request r;
    int rc = qdisc_begin(&r, buffer, sizeof buffer, name, parent, handle, "tbf", err);
    if (rc)
        return rc;
    /* With a link layer named, the kernel computes each packet's time
     * from the rate itself (psched_ratecfg_precompute) and needs no rate
     * table; the burst in bytes (TCA_TBF_BURST) replaces the buffer in
     * ticks, and a rate above 2^32 bytes/s goes in TCA_TBF_RATE64. */
    struct tc_tbf_qopt qopt;
    memset(&qopt, 0, sizeof qopt);
    qopt.rate.rate = bytes_per_sec >= UINT32_MAX ? UINT32_MAX : (uint32_t)bytes_per_sec;
    qopt.rate.linklayer = TC_LINKLAYER_ETHERNET;
    qopt.peakrate.linklayer = TC_LINKLAYER_ETHERNET;
    qopt.limit = limit;
    struct rtattr *options = nest_begin(&r, TCA_OPTIONS);
    attr_put(&r, TCA_TBF_PARMS, &qopt, sizeof qopt);
    attr_put(&r, TCA_TBF_BURST, &burst, sizeof burst);
    if (bytes_per_sec >= UINT32_MAX)
        attr_put(&r, TCA_TBF_RATE64, &bytes_per_sec, sizeof bytes_per_sec);
    nest_end(&r, options);
    snprintf(what, sizeof what, "tc qdisc add dev %s %s tbf rate %llubit burst %u limit %u", name,
             parent ? "parent" : "root", (unsigned long long)bytes_per_sec * 8, burst, limit);
    return rtnl_talk(rtnl, &r, what, NULL, NULL, err);
}

int rtnl_qdisc_netem(struct rtnl *rtnl, const char *name, uint32_t parent, uint32_t handle,
                     int64_t delay_ns, uint32_t loss, uint32_t limit, struct hl_error *err)
{
    char buffer[512], what[192];
    struct request r;
    int rc = qdisc_begin(&r, buffer, sizeof buffer, name, parent, handle, "netem", err);
    if (rc)
        return rc;
    /* netem's options are not nested attributes: a struct tc_netem_qopt,
     * then attributes after it inside TCA_OPTIONS (what tc sends). The
     * delay in the struct is in ticks of 64 ns (PSCHED_SHIFT);
     * TCA_NETEM_LATENCY64 gives it in nanoseconds and wins. */
    struct tc_netem_qopt qopt;
    memset(&qopt, 0, sizeof qopt);
    uint64_t ticks = (uint64_t)delay_ns >> 6;
    qopt.latency = ticks > UINT32_MAX ? UINT32_MAX : (uint32_t)ticks;
    qopt.limit = limit;
    qopt.loss = loss;
    struct rtattr *options = attr_put(&r, TCA_OPTIONS, &qopt, sizeof qopt);
    attr_put(&r, TCA_NETEM_LATENCY64, &delay_ns, sizeof delay_ns);
    nest_end(&r, options);
    snprintf(what, sizeof what, "tc qdisc add dev %s %s netem delay %lldus loss %u/%u limit %u",
             name, parent ? "parent" : "root", (long long)(delay_ns / 1000), loss, UINT32_MAX,
             limit);
    return rtnl_talk(rtnl, &r, what, NULL, NULL, err);
}

/* ---- is an address the other end of one of our veth pairs? ---------- */

#define MAX_PEERS 16

struct veth_peers {
    int count;
    int32_t netnsid[MAX_PEERS]; /* the peer's namespace, as this one names it */
    int32_t ifindex[MAX_PEERS]; /* the peer's index there */
};

static int is_veth(const struct rtattr *linkinfo)
{
    const struct rtattr *attr = RTA_DATA(linkinfo);
    int len = RTA_PAYLOAD(linkinfo);
    for (; RTA_OK(attr, len); attr = RTA_NEXT(attr, len))
        if (attr->rta_type == IFLA_INFO_KIND && strcmp(RTA_DATA(attr), "veth") == 0)
            return 1;
    return 0;
}

static int collect_veth_peer(const struct nlmsghdr *h, void *data)
{
    struct veth_peers *peers = data;
    if (h->nlmsg_type != RTM_NEWLINK)
        return 0;
    const struct ifinfomsg *link = NLMSG_DATA(h);
    const struct rtattr *attr = IFLA_RTA(link);
    int len = (int)IFLA_PAYLOAD(h);
    int veth = 0, have_nsid = 0, have_link = 0;
    int32_t nsid = 0, peer_index = 0;
    for (; RTA_OK(attr, len); attr = RTA_NEXT(attr, len)) {
        if (attr->rta_type == IFLA_LINKINFO)
            veth = is_veth(attr);
        else if (attr->rta_type == IFLA_LINK_NETNSID) {
            have_nsid = 1;
            memcpy(&nsid, RTA_DATA(attr), sizeof nsid);
        } else if (attr->rta_type == IFLA_LINK) {
            have_link = 1;
            memcpy(&peer_index, RTA_DATA(attr), sizeof peer_index);
        }
    }
    /* a veth whose other end is in another namespace (IFLA_LINK_NETNSID:
     * a namespace of this machine, whose id this namespace holds) */
    if (veth && have_nsid && have_link && nsid >= 0 && peers->count < MAX_PEERS) {
        peers->netnsid[peers->count] = nsid;
        peers->ifindex[peers->count] = peer_index;
        peers->count++;
    }
    return 0;
}

struct address_search {
    struct in_addr addr;
    int32_t ifindex;
    int found;
};

static int match_address(const struct nlmsghdr *h, void *data)
{
    struct address_search *search = data;
    if (h->nlmsg_type != RTM_NEWADDR)
        return 0;
    const struct ifaddrmsg *a = NLMSG_DATA(h);
    const struct rtattr *attr = IFA_RTA(a);
    int len = (int)IFA_PAYLOAD(h);
    if (a->ifa_family != AF_INET || (int32_t)a->ifa_index != search->ifindex)
        return 0;
    for (; RTA_OK(attr, len); attr = RTA_NEXT(attr, len))
        if (attr->rta_type == IFA_LOCAL &&
            memcmp(RTA_DATA(attr), &search->addr, sizeof search->addr) == 0)
            search->found = 1;
    return 0;
}

int rtnl_is_veth_peer_address(struct rtnl *rtnl, struct in_addr addr, struct hl_error *err)
{
    char buffer[256];
    struct request r;
    struct veth_peers peers = {0};
    struct ifinfomsg link = {.ifi_family = AF_UNSPEC};
    int rc, one = 1;
    /* a dump reads IFA_TARGET_NETNSID only with strict checking */
    if (setsockopt(rtnl->fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one, sizeof one) < 0)
        return hl_error_setn(err, errno, "netlink", "NETLINK_GET_STRICT_CHK: %s", strerror(errno));
    request_init(&r, buffer, sizeof buffer, RTM_GETLINK, NLM_F_DUMP);
    request_put(&r, &link, sizeof link);
    if ((rc = rtnl_talk(rtnl, &r, "ip link show", collect_veth_peer, &peers, err)))
        return rc;
    for (int i = 0; i < peers.count; i++) {
        /* the addresses of the peer's namespace, asked from here
         * (IFA_TARGET_NETNSID, Linux 4.20) */
        struct ifaddrmsg a = {.ifa_family = AF_INET};
        struct address_search search = {.addr = addr, .ifindex = peers.ifindex[i]};
        request_init(&r, buffer, sizeof buffer, RTM_GETADDR, NLM_F_DUMP);
        request_put(&r, &a, sizeof a);
        attr_put(&r, IFA_TARGET_NETNSID, &peers.netnsid[i], sizeof peers.netnsid[i]);
        if ((rc = rtnl_talk(rtnl, &r, "ip addr show (the veth peer's namespace)", match_address,
                            &search, err)))
            return rc;
        if (search.found)
            return 1;
    }
    return 0;
}
