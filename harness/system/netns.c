/* netns.c: see netns.h. */
#include "netns.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *const watched_sysctls[] = {"net.core.somaxconn",
                                              "net.ipv4.tcp_max_syn_backlog",
                                              "net.ipv4.tcp_syn_retries",
                                              "net.ipv4.tcp_synack_retries",
                                              "net.ipv4.tcp_syn_linear_timeouts",
                                              "net.ipv4.tcp_abort_on_overflow",
                                              "net.ipv4.tcp_syncookies",
                                              "net.ipv4.tcp_rmem",
                                              "net.ipv4.tcp_wmem",
                                              "net.core.rmem_max",
                                              "net.core.wmem_max",
                                              "net.ipv4.tcp_moderate_rcvbuf",
                                              "net.ipv4.tcp_adv_win_scale",
                                              NULL};

int netns_init(struct netns *ns, struct hl_error *err)
{
    ns->entered = 0;
    ns->client_fd = ns->server_fd = -1;
    ns->host_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    if (ns->host_fd < 0)
        return hl_error_setn(err, errno, "/proc/self/ns/net", "cannot open: %s", strerror(errno));
    return 0;
}

int netns_loopback_up(struct hl_error *err)
{
    struct ifreq ifr;
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return hl_error_setn(err, errno, "lo", "socket: %s", strerror(errno));
    memset(&ifr, 0, sizeof ifr);
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "lo");
    int rc = ioctl(fd, SIOCGIFFLAGS, &ifr);
    if (rc == 0) {
        ifr.ifr_flags |= IFF_UP;
        rc = ioctl(fd, SIOCSIFFLAGS, &ifr);
    }
    int e = errno;
    close(fd);
    if (rc < 0)
        return hl_error_setn(err, e, "lo", "cannot bring the loopback up: %s", strerror(e));
    return 0;
}

int netns_enter_fresh(struct netns *ns, struct hl_error *err)
{
    if (unshare(CLONE_NEWNET) < 0) {
        int e = errno;
        return hl_error_setn(err, e, "unshare(CLONE_NEWNET)",
                             "cannot make a private network namespace: %s", strerror(e));
    }
    ns->entered = 1;
    return netns_loopback_up(err);
}

int netns_add_server(struct netns *ns, struct hl_error *err)
{
    int rc;
    ns->client_fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    if (ns->client_fd < 0)
        return hl_error_setn(err, errno, "/proc/thread-self/ns/net", "cannot open: %s",
                             strerror(errno));
    if (unshare(CLONE_NEWNET) < 0)
        return hl_error_setn(err, errno, "unshare(CLONE_NEWNET)",
                             "cannot make the server's network namespace: %s", strerror(errno));
    ns->server_fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    if (ns->server_fd < 0)
        return hl_error_setn(err, errno, "/proc/thread-self/ns/net", "cannot open: %s",
                             strerror(errno));
    if ((rc = netns_loopback_up(err)))
        return rc;
    return netns_enter_side(ns, NETNS_CLIENT, err);
}

int netns_enter_side(struct netns *ns, enum netns_side side, struct hl_error *err)
{
    int fd = side == NETNS_SERVER ? ns->server_fd : ns->client_fd;
    if (fd < 0 || setns(fd, CLONE_NEWNET) < 0)
        return hl_error_setn(
            err, fd < 0 ? EBADF : errno, "setns", "cannot enter the %s's network namespace: %s",
            side == NETNS_SERVER ? "server" : "client", strerror(fd < 0 ? EBADF : errno));
    return 0;
}

static void sysctl_path(const char *name, char *out, size_t size)
{
    snprintf(out, size, "/proc/sys/%s", name);
    for (char *p = out + strlen("/proc/sys/"); *p; p++)
        if (*p == '.')
            *p = '/';
}

int sysctl_read(const char *name, char *out, size_t size)
{
    char path[256];
    sysctl_path(name, path, sizeof path);
    FILE *f = fopen(path, "re");
    if (!f)
        return -errno;
    if (!fgets(out, (int)size, f))
        out[0] = '\0';
    fclose(f);
    out[strcspn(out, "\n")] = '\0';
    for (char *p = out; *p; p++)
        if (*p == '\t')
            *p = ' ';
    return 0;
}

static int write_sysctls(const struct sysctl_setting *settings, size_t count, struct hl_error *err)
{
    for (size_t i = 0; i < count; i++) {
        const struct sysctl_setting *s = &settings[i];
        char path[256], back[256];
        sysctl_path(s->name, path, sizeof path);
        FILE *f = fopen(path, "we");
        if (!f) {
            int e = errno;
            return hl_error_setn(err, e, s->name, "%s",
                                 e == ENOENT ? "no such sysctl in this "
                                               "kernel's network namespace"
                                             : strerror(e));
        }
        int bad = fputs(s->value, f) < 0;
        bad |= fclose(f) != 0;
        if (bad)
            return hl_error_setn(err, EINVAL, s->name, "the kernel refused the value \"%s\"",
                                 s->value);
        /* the kernel may clamp silently; the results show what it kept */
        (void)sysctl_read(s->name, back, sizeof back);
    }
    return 0;
}

int netns_apply_sysctls(const struct netns *ns, const struct point_params *params,
                        struct hl_error *err)
{
    if (params->sysctl_count && !ns->entered)
        return hl_error_set(err, "sysctls",
                            "this scenario sets sysctls, which the harness writes "
                            "only inside a private network namespace, and none could be made "
                            "(run as root, or remove \"sysctls\")");
    return write_sysctls(params->sysctls, params->sysctl_count, err);
}

int netns_apply_side_sysctls(struct netns *ns, const struct point_params *params,
                             enum netns_side side, struct hl_error *err)
{
    int rc = netns_enter_side(ns, side, err);
    if (rc == 0)
        rc = write_sysctls(params->sysctls, params->sysctl_count, err);
    if (rc == 0 && side == NETNS_SERVER)
        rc = write_sysctls(params->server.sysctls, params->server.sysctl_count, err);
    if (rc == 0 && side == NETNS_CLIENT)
        rc = write_sysctls(params->client.sysctls, params->client.sysctl_count, err);
    if (rc)
        hl_error_prefix(err, "in the %s's namespace", side == NETNS_SERVER ? "server" : "client");
    struct hl_error ignored;
    if (netns_enter_side(ns, NETNS_CLIENT, rc ? &ignored : err) && rc == 0)
        rc = -EINVAL;
    return rc;
}

static json_t *sysctl_json(const char *text)
{
    char *end;
    long long n = strtoll(text, &end, 10);
    if (end != text && *end == '\0')
        return json_integer(n);
    return json_string(text);
}

static void read_into(json_t *out, const struct sysctl_setting *settings, size_t count)
{
    char value[256];
    for (size_t i = 0; i < count; i++)
        if (sysctl_read(settings[i].name, value, sizeof value) == 0)
            json_object_set_new(out, settings[i].name, sysctl_json(value));
}

json_t *netns_sysctls_in_force(const struct point_params *params)
{
    json_t *out = json_object();
    char value[256];
    for (size_t i = 0; watched_sysctls[i]; i++)
        if (sysctl_read(watched_sysctls[i], value, sizeof value) == 0)
            json_object_set_new(out, watched_sysctls[i], sysctl_json(value));
    if (params)
        read_into(out, params->sysctls, params->sysctl_count);
    return out;
}

json_t *netns_sysctls_in_force_side(const struct point_params *params, enum netns_side side)
{
    json_t *out = netns_sysctls_in_force(params);
    if (side == NETNS_SERVER)
        read_into(out, params->server.sysctls, params->server.sysctl_count);
    else
        read_into(out, params->client.sysctls, params->client.sysctl_count);
    return out;
}

int netns_leave(struct netns *ns, struct hl_error *err)
{
    if (!ns->entered)
        return 0;
    if (setns(ns->host_fd, CLONE_NEWNET) < 0)
        return hl_error_setn(err, errno, "setns", "cannot return to the host namespace: %s",
                             strerror(errno));
    ns->entered = 0;
    if (ns->client_fd >= 0)
        close(ns->client_fd);
    if (ns->server_fd >= 0)
        close(ns->server_fd);
    ns->client_fd = ns->server_fd = -1;
    return 0;
}

void netns_close(struct netns *ns)
{
    if (ns->host_fd >= 0)
        close(ns->host_fd);
    ns->host_fd = -1;
}
