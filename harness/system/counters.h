/* counters.h: the kernel's TCP and UDP counters of the current network
 * namespace.
 *
 * /proc/net/netstat (TcpExt) and /proc/net/snmp (Tcp) hold pairs of lines, a
 * header of names and a line of values. They are per namespace, so a point
 * in its own namespace reads exactly its own drops, overflows and SYN
 * retransmits. */
#ifndef HARNESS_COUNTERS_H
#define HARNESS_COUNTERS_H

#include <jansson.h>
#include <stdint.h>

#define COUNTERS_MAX 512

struct counters {
    size_t count;
    char names[COUNTERS_MAX][48];
    int64_t values[COUNTERS_MAX];
};

/* Reads Tcp and TcpExt from /proc/net/snmp and /proc/net/netstat, and Udp
 * from /proc/net/snmp, its names prefixed "Udp" as nstat writes them
 * (UdpRcvbufErrors, UdpInErrors, UdpInDatagrams ...). */
int counters_read(struct counters *c);

/* Parses one file's text (exposed for tests); appends the named groups. */
void counters_parse(struct counters *c, const char *text, const char *const groups[]);

int64_t counters_get(const struct counters *c, const char *name);

/* after - before: the counters that changed, plus ListenOverflows,
 * ListenDrops and TCPSynRetrans always. */
json_t *counters_delta_json(const struct counters *before, const struct counters *after);

/* Two namespaces' deltas added up, counter by counter (a new object): what
 * one namespace holding both ends would have counted. */
json_t *counters_sum_json(const json_t *a, const json_t *b);

#endif
