/* alone.c: see alone.h. */
#include "alone.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "predict.h"

/* what loads a CPU: as much as a couple of seconds of loopback at full speed */
#define ALONE_TRANSFER_BYTES (256ULL << 20)
#define ALONE_CONNECTIONS 1000
/* the fastest shaped link a burst of connect() calls can overrun */
#define ALONE_SYN_WINDOW_MBIT 60
/* the kernel's defaults in a fresh namespace */
#define DEFAULT_SYN_RETRIES 6
#define DEFAULT_SYN_LINEAR_TIMEOUTS 4
#define DEFAULT_SOMAXCONN 4096
#define DEFAULT_SNDBUF 16384 /* tcp_wmem's default */

static int loads_the_cpu(const struct point_params *p, char *why, size_t size)
{
    uint64_t bytes = p->client.send_bytes * p->client.connections;
    int paced = p->server.read.kind == READ_PACED || p->link.rate_mbit > 0;
    if (p->server.read.kind != READ_NEVER && !paced && bytes >= ALONE_TRANSFER_BYTES) {
        snprintf(why, size, "an unpaced transfer of %llu MiB loads the CPU",
                 (unsigned long long)(bytes >> 20));
        return 1;
    }
    if (p->client.connections >= ALONE_CONNECTIONS) {
        snprintf(why, size, "%u connections load the CPU", (unsigned)p->client.connections);
        return 1;
    }
    return 0;
}

/* A sysctl of the point (the client's side's own first), or fallback. */
static long sysctl_value(const struct point_params *p, const char *name, long fallback)
{
    for (size_t i = 0; i < p->client.sysctl_count; i++)
        if (strcmp(p->client.sysctls[i].name, name) == 0)
            return strtol(p->client.sysctls[i].value, NULL, 10);
    for (size_t i = 0; i < p->sysctl_count; i++)
        if (strcmp(p->sysctls[i].name, name) == 0)
            return strtol(p->sysctls[i].value, NULL, 10);
    return fallback;
}

/* Whether at_us lies where the kernel's timer at kernel_us may fire, or a
 * late harness timer may still be waiting. */
static int too_close(int64_t at_us, int64_t kernel_us)
{
    struct tolerance t = predict_syn_tolerance(kernel_us);
    return at_us > kernel_us - t.early_us - PREDICT_TIMER_LATE_US && at_us < kernel_us + t.late_us;
}

/* The last SYN timer that can still find a SYN waiting: none after the
 * point ends (and a second for a late stop), and none after the first
 * retransmit once the listener has closed, which is refused (the
 * retransmit's own lateness included). */
static int64_t last_syn_timer_that_counts(const struct point_params *p,
                                          const struct syn_schedule *s)
{
    int64_t last_us = p->duration_us + 1000000;
    if (p->server.close_listener_us < 0)
        return last_us;
    for (size_t k = 0; k < s->retransmits; k++)
        if (s->retransmit_us[k] > p->server.close_listener_us)
            return s->retransmit_us[k] < last_us ? s->retransmit_us[k] : last_us;
    return last_us;
}

/* Which of the point's own times is too close to a SYN timer; NULL if none. */
static const char *close_to_syn_timer(const struct point_params *p, const struct syn_schedule *s,
                                      int64_t *kernel_us)
{
    struct {
        const char *name;
        int64_t at_us;
    } own[] = {{"the first accept",
                p->server.accept.kind == ACCEPT_PACED ? p->server.accept.start_us : -1},
               {"the listener's close", p->server.close_listener_us},
               {"client.connect_timeout_ms",
                p->client.connect_timeout_us > 0 ? p->client.connect_timeout_us : -1},
               {"duration_ms", p->duration_us}};
    int64_t last_us = last_syn_timer_that_counts(p, s);
    for (size_t i = 0; i < sizeof own / sizeof own[0]; i++) {
        if (own[i].at_us <= 0)
            continue;
        for (size_t k = 0; k <= s->retransmits; k++) {
            *kernel_us = k < s->retransmits ? s->retransmit_us[k] : s->timeout_us;
            if (*kernel_us <= last_us && too_close(own[i].at_us, *kernel_us))
                return own[i].name;
        }
    }
    return NULL;
}

/* Whether a SYN timer can change an outcome: a SYN waits for its
 * retransmit only at a listener whose queue can be full (not accepting at
 * once) or across a shaped link, and waiting ends otherwise at one moment
 * rather than another only when room appears (paced accepts) or the
 * listener closes. A server that never accepts drops every retransmit
 * alike. */
static int syn_timers_matter(const struct point_params *p)
{
    int can_wait =
        (p->server.listen && p->server.accept.kind != ACCEPT_IMMEDIATE) || params_link_shaped(p);
    return can_wait && (p->server.accept.kind == ACCEPT_PACED || p->server.close_listener_us >= 0);
}

/* A shaped link in front of a queue that more clients than it holds
 * fill: SYNs that queue in the link are each answered before the final
 * ACKs behind them fill the accept queue, so how many connect depends on
 * how fast the client issues its connect() calls against the link's token
 * bucket, which a busy CPU slows (veth-syn-window). A busy CPU only slows
 * the client, so a link that sends a SYN (74 bytes) faster than a client
 * issues connect() calls even when idle cannot be overrun by it, loaded or
 * not: the calls come 30 to 60 us apart on the reference machine (the
 * edge lies between 10 and 20 Mbit/s there), and above
 * ALONE_SYN_WINDOW_MBIT a SYN takes under 10 us. */
static int syn_window(const struct point_params *p, char *why, size_t size)
{
    long long somaxconn = sysctl_value(p, "net.core.somaxconn", DEFAULT_SOMAXCONN);
    if (p->topology != TOPOLOGY_VETH || p->link.rate_mbit == 0 ||
        p->link.rate_mbit > ALONE_SYN_WINDOW_MBIT || !p->server.listen ||
        p->server.accept.kind == ACCEPT_IMMEDIATE ||
        (long long)p->client.connections <=
            predict_handshakes(p->server.backlog, somaxconn, p->client.connections))
        return 0;
    snprintf(why, size,
             "timing-sensitive: how many SYNs the %u Mbit/s link queues ahead of the final "
             "ACKs depends on how fast the client connects",
             (unsigned)p->link.rate_mbit);
    return 1;
}

/* A paced reader that frees the sender's whole send buffer in less time
 * than a busy machine may keep the sender from running
 * (predict_short_waits). */
static int short_waits(const struct point_params *p, char *why, size_t size)
{
    uint64_t rate = p->server.read.kind == READ_PACED ? p->server.read.bytes_per_sec : 0;
    uint64_t sndbuf = p->client.sndbuf ? 2 * p->client.sndbuf : DEFAULT_SNDBUF, drain_us;
    if (!predict_short_waits(sndbuf, rate, p->client.send_bytes, p->link.rate_mbit, &drain_us))
        return 0;
    snprintf(why, size,
             "timing-sensitive: the reader frees the %llu-byte send buffer in %llu ms, so "
             "whether a send() must wait depends on how promptly the sender comes back",
             (unsigned long long)sndbuf, (unsigned long long)(drain_us / 1000));
    return 1;
}

static int timing_sensitive(const struct point_params *p, char *why, size_t size)
{
    struct syn_schedule schedule;
    int64_t kernel_us;
    if (!syn_timers_matter(p) ||
        predict_syn_schedule(
            (int)sysctl_value(p, "net.ipv4.tcp_syn_retries", DEFAULT_SYN_RETRIES),
            (int)sysctl_value(p, "net.ipv4.tcp_syn_linear_timeouts", DEFAULT_SYN_LINEAR_TIMEOUTS),
            &schedule))
        return 0;
    const char *which = close_to_syn_timer(p, &schedule, &kernel_us);
    if (!which)
        return 0;
    snprintf(why, size, "timing-sensitive: %s falls where the SYN timer at %lld ms may fire", which,
             (long long)(kernel_us / 1000));
    return 1;
}

enum alone_kind point_runs_alone(const struct point_params *p, char *why, size_t size)
{
    why[0] = '\0';
    if (loads_the_cpu(p, why, size))
        return ALONE_LOADS_CPU;
    if (timing_sensitive(p, why, size) || syn_window(p, why, size) || short_waits(p, why, size))
        return ALONE_TIMING;
    return ALONE_NO;
}
