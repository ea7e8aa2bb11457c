/* runchecks.h: what a run checks of itself.
 *
 * Some counts must agree when nothing was lost, because the harness's two
 * sides and the kernel count the same things by different means. Each run
 * carries these checks ("checks": [{"name", "result", ...}]), each
 * "passed", "failed" (with what was expected and what was measured), or
 * "not_applicable" (with the reason it cannot hold for this run):
 *
 *   client_handshakes   connections the client saw complete = the
 *                       kernel's PassiveOpens (children created by
 *                       completed handshakes), on loopback in the run's
 *                       own namespace. Over a link a final ACK may be
 *                       lost or dropped: the client counts the connection,
 *                       the server does not yet.
 *   server_handshakes   the server's view of the same: connections
 *                       accepted, plus those still in its accept queue at
 *                       the end, plus those in it when the listener was
 *                       closed = PassiveOpens of the server's namespace.
 *   bytes               bytes the client's send() calls handed over =
 *                       bytes the server read + its receive queues + the
 *                       client's send queues (unacknowledged or unsent) at
 *                       the end, when every connection that connected was
 *                       accepted and none was reset (the bytes of a
 *                       connection never accepted sit where the harness
 *                       cannot read them; a reset discards queued bytes),
 *                       and the queues of a run stopped at duration_ms
 *                       were recorded.
 *
 * A failed check is a flag of its point (aggregate.h), on the report and
 * the outcomes plot. */
#ifndef HARNESS_RUNCHECKS_H
#define HARNESS_RUNCHECKS_H

#include <jansson.h>

/* The checks of a run from its params, summary and server events (new
 * reference). */
json_t *run_checks(const json_t *params, const json_t *summary, const json_t *server_events);

#endif
