/* plotkinds.c: see plotkinds.h. The rules the list names. */
#include "plotkinds.h"

#include <stdio.h>
#include <string.h>

static int sweeps(const struct plot_basis *b, const char *path)
{
    for (size_t k = 0; k < b->swept_count; k++)
        if (strcmp(b->swept[k], path) == 0)
            return 1;
    return 0;
}

static int plot_rule_always(const struct plot_basis *b, const char **why)
{
    (void)b;
    (void)why;
    return 1;
}

static int plot_rule_nothing(const struct plot_basis *b, const char **why)
{
    return plot_rule_always(b, why);
}

/* the measured handshakes against min(backlog, somaxconn) + 1 */
static int plot_rule_sweeps_backlog(const struct plot_basis *b, const char **why)
{
    (void)why;
    return sweeps(b, "server.backlog") || sweeps(b, "sysctls.net.core.somaxconn");
}

static int plot_rule_several_connections(const struct plot_basis *b, const char **why)
{
    (void)why;
    return b->base->client.connections > 1;
}

/* the accept queue's timeline where connections can wait in it */
static int plot_rule_connections_can_wait(const struct plot_basis *b, const char **why)
{
    (void)why;
    return b->base->client.connections > 1 && b->base->server.listen &&
           b->base->server.accept.kind != ACCEPT_IMMEDIATE;
}

static int plot_rule_sends_bytes(const struct plot_basis *b, const char **why)
{
    (void)why;
    /* the timelines draw a connection: a UDP point has none */
    if (b->base->protocol == PROTOCOL_UDP || sweeps(b, "protocol"))
        return 0;
    return b->base->client.send_bytes > 0;
}

/* The buffers plot draws against the client's SO_SNDBUF or the server's
 * SO_RCVBUF (its x axis): the other two buffers have no plot. */
static int plot_rule_sweeps_a_buffer(const struct plot_basis *b, const char **why)
{
    *why = "the buffers plot needs a sweep over client.sndbuf or server.rcvbuf (the buffer "
           "sizes it draws against); sweep one of them or leave \"buffers\" out";
    return sweeps(b, "client.sndbuf") || sweeps(b, "server.rcvbuf");
}

/* By default only for TCP: a UDP point has no blocked send to draw, and
 * the datagrams plot draws what its buffer kept against the buffer. */
static int plot_rule_sweeps_a_tcp_buffer(const struct plot_basis *b, const char **why)
{
    if (b->base->protocol == PROTOCOL_UDP && !sweeps(b, "protocol"))
        return 0;
    return plot_rule_sweeps_a_buffer(b, why);
}

static int plot_rule_sweeps_both_buffers(const struct plot_basis *b, const char **why)
{
    *why = "the buffer_grid plot needs a sweep over both client.sndbuf and server.rcvbuf (its "
           "columns and rows); sweep both or leave \"buffer_grid\" out";
    return sweeps(b, "client.sndbuf") && sweeps(b, "server.rcvbuf");
}

static int plot_rule_sweeps_both_tcp_buffers(const struct plot_basis *b, const char **why)
{
    if (b->base->protocol == PROTOCOL_UDP && !sweeps(b, "protocol"))
        return 0;
    return plot_rule_sweeps_both_buffers(b, why);
}

/* Clients that arrive over time: how long they wait is the question. */
static int plot_rule_arrives_over_time(const struct plot_basis *b, const char **why)
{
    (void)why;
    return b->base->client.arrival.kind != ARRIVAL_ALL || sweeps(b, "client.arrival") ||
           sweeps(b, "client.arrival.rate_per_sec") || sweeps(b, "client.arrival.process");
}

/* Sends spaced in time: what the reads make of them is the question (of
 * a stream: UDP's reads are one per datagram, the datagrams plot's). */
static int plot_rule_spaces_sends(const struct plot_basis *b, const char **why)
{
    (void)why;
    if (b->base->protocol == PROTOCOL_UDP && !sweeps(b, "protocol"))
        return 0;
    return b->base->client.send_pause_us > 0 || sweeps(b, "client.send.pause_ms");
}

/* Datagrams sent, kept and lost: a point of protocol "udp" (set, or one
 * value of a sweep over protocol, which may also be "tcp"). */
static int plot_rule_has_udp_points(const struct plot_basis *b, const char **why)
{
    *why = "the datagrams plot needs a point of protocol \"udp\" (what it draws are the "
           "datagrams sent, kept and lost); set \"protocol\": \"udp\", sweep protocol, or leave "
           "\"datagrams\" out";
    return b->base->protocol == PROTOCOL_UDP || sweeps(b, "protocol");
}

static int plot_rule_sweeps_the_reader(const struct plot_basis *b, const char **why)
{
    (void)why;
    for (size_t k = 0; k < b->swept_count; k++)
        if (strncmp(b->swept[k], "server.read", 11) == 0)
            return 1;
    return 0;
}

#define PLOT_KIND_RULES(name, drawn, when, needs)                                                  \
    {#name, drawn, plot_rule_##when, plot_rule_##needs},
static const struct plot_kind_rules rules[PLOT_KIND_COUNT] = {PLOT_KINDS(PLOT_KIND_RULES)};
#undef PLOT_KIND_RULES

#define PLOT_KIND_NAME(name, drawn, when, needs) #name,
static const char *const names[PLOT_KIND_COUNT + 1] = {PLOT_KINDS(PLOT_KIND_NAME) NULL};
#undef PLOT_KIND_NAME

const struct plot_kind_rules *plot_kind_rules(enum plot_kind_id id)
{
    return (unsigned)id < PLOT_KIND_COUNT ? &rules[id] : NULL;
}

int plot_kind_id(const char *name)
{
    for (int i = 0; i < PLOT_KIND_COUNT; i++)
        if (strcmp(name, names[i]) == 0)
            return i;
    return -1;
}

const char *const *plot_kind_names(void)
{
    return names;
}

const char *plot_kind_list(char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < PLOT_KIND_COUNT && used < size; i++)
        used += (size_t)snprintf(out + used, size - used, "%s%s", i ? ", " : "", names[i]);
    return out;
}

json_t *plot_kinds_chosen(const struct plot_basis *basis)
{
    json_t *plots = json_array();
    const char *why = NULL;
    for (size_t i = 0; i < PLOT_KIND_COUNT; i++)
        if (rules[i].when(basis, &why))
            json_array_append_new(plots, json_string(rules[i].name));
    return plots;
}
