/* latency.h: how long connections took to connect, per run: the
 * percentiles of connect_us over the connections that connected, and how
 * many waited for a SYN retransmit (their outcome came AGGREGATE_WAITED_US
 * or more after connect(), or not before the run ended). */
#ifndef HARNESS_LATENCY_H
#define HARNESS_LATENCY_H

#include <jansson.h>
#include <stddef.h>

#include "connrecord.h"

/* {"p50", "p90", "p99", "max"} in us (nearest rank), or null when no
 * connection connected. */
json_t *latency_connect_us(const struct conn_record *conns, size_t count);

/* Connections that waited for a SYN retransmit. */
size_t latency_waited(const struct conn_record *conns, size_t count);

#endif
