/* params_family.c: "family", the kind of socket a point's connections
 * use (params_parse.h), and the keys that mean nothing for AF_UNIX.
 *
 * An AF_UNIX stream socket never leaves the kernel: no link, no TCP
 * options, no TCP/IP sysctls; its receive buffer bounds nothing (a sender
 * queues up to its own SO_SNDBUF, unix_stream_sendmsg); and a program of
 * the scenario's own is found by its TCP port. A point of family "unix"
 * that sets one of them is refused, naming the key and why. */
#include "keys.h"
#include "params_parse.h"

#include <stdio.h>
#include <string.h>

const char *params_family_name(enum family family)
{
    return family == FAMILY_UNIX ? "unix" : "inet";
}

int params_parse_family(struct validator *v, json_t *value, enum family *out)
{
    int word = (int)*out;
    int rc = validator_word(v, "family", value, keys_family_words, &word);
    *out = (enum family)word;
    return rc;
}

/* The first sysctl of the point's own that belongs to TCP/IP, or NULL. */
static const char *ip_sysctl(const struct point_params *p)
{
    for (size_t i = 0; i < p->sysctl_count; i++)
        if (strncmp(p->sysctls[i].name, "net.ipv4.", 9) == 0 ||
            strncmp(p->sysctls[i].name, "net.ipv6.", 9) == 0)
            return p->sysctls[i].name;
    return NULL;
}

static int refuse(struct validator *v, const char *path, int at_key, const char *why)
{
    v->cross_key_error = 1;
    return validator_error(v, path, at_key, "means nothing with family \"unix\": %s", why);
}

static int check_link(struct validator *v, const struct point_params *p)
{
    static const char *const why =
        "an AF_UNIX socket never leaves the kernel, so there is no link between the two "
        "sides; leave \"topology\" and \"link\" out, or set \"family\": \"inet\"";
    if (p->topology == TOPOLOGY_VETH)
        return refuse(v, "topology", 0, why);
    const char *path = p->link.delay_us           ? "link.delay_ms"
                       : p->link.rate_mbit        ? "link.rate_mbit"
                       : p->link.loss_percent > 0 ? "link.loss"
                                                  : NULL;
    return path ? refuse(v, path, 0, why) : 0;
}

int params_check_family(struct validator *v, const struct point_params *p)
{
    int rc;
    if (p->family != FAMILY_UNIX)
        return 0;
    if ((rc = check_link(v, p)))
        return rc;
    const char *name = ip_sysctl(p);
    if (name) {
        char path[256];
        json_path_key(path, sizeof path, "sysctls", name);
        return refuse(v, path, 1,
                      "a TCP/IP setting; AF_UNIX streams read net.core.somaxconn (the "
                      "backlog's cap) and nothing of net.ipv4 or net.ipv6");
    }
    if (p->protocol == PROTOCOL_UDP) {
        v->cross_key_error = 1;
        return validator_error(v, "protocol", 0,
                               "not with family \"unix\": the harness measures AF_UNIX stream "
                               "sockets only; set \"family\": \"inet\" for UDP");
    }
    if (p->client.nodelay)
        return refuse(v, "client.nodelay", 0,
                      "TCP_NODELAY turns off TCP's Nagle algorithm, and an AF_UNIX stream has "
                      "none (each send() is queued to the reader at once); leave it out");
    const char *rcvbuf = p->server.rcvbuf   ? "server.rcvbuf"
                         : p->client.rcvbuf ? "client.rcvbuf"
                                            : NULL;
    if (rcvbuf)
        return refuse(v, rcvbuf, 0,
                      "an AF_UNIX stream's SO_RCVBUF bounds nothing: a sender queues up to its "
                      "own SO_SNDBUF (unix_stream_sendmsg); set the sender's sndbuf instead");
    const char *command = p->server.program.argc   ? "server.command"
                          : p->client.program.argc ? "client.command"
                                                   : NULL;
    if (command) {
        v->cross_key_error = 1;
        return validator_error(v, command, 0,
                               "not with family \"unix\": a program of your own is found by "
                               "its TCP port and given {host} and {port}; the harness runs "
                               "AF_UNIX with its own two peers only");
    }
    return 0;
}
