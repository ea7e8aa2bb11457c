/* alone.h: which points run alone, with nothing else on the machine.
 *
 * Points run side by side (slots.h), which costs them nothing while they
 * wait on the kernel's timers. Two kinds of point would be changed by
 * company, or would change it:
 *
 *   loads the CPU     an unpaced transfer on an unshaped link (the reader
 *                     takes bytes as fast as they come), or 1000
 *                     connections and more: what it measures is how fast
 *                     the machine goes, and it slows everything beside it.
 *   timing-sensitive  SYNs wait for their retransmits while room appears
 *                     (paced accepts) or the listener closes, and one of
 *                     the point's own times (the first accept, the
 *                     listener's close, client.connect_timeout_ms,
 *                     duration_ms) falls where the kernel's SYN retransmit
 *                     or ETIMEDOUT timer may fire (the timer's own
 *                     tolerance, predict.h, and 50 ms for the harness's
 *                     timer on a busy machine): which comes first, and so
 *                     a count, could flip under load; or SYNs queue in
 *                     a shaped link ahead of the final ACKs that fill the
 *                     accept queue, so that how many connect depends on
 *                     how fast the client issues its connects.
 *
 * The plan shows the reason (harness-run --plan), and the runner gives
 * such a point the whole machine. */
#ifndef HARNESS_ALONE_H
#define HARNESS_ALONE_H

#include <stddef.h>

#include "params.h"

/* Whether a point runs alone, and why: it loads the CPU, or it is
 * timing-sensitive. Either way nothing runs beside it. */
enum alone_kind { ALONE_NO = 0, ALONE_LOADS_CPU, ALONE_TIMING };

/* The kind (non-zero when the point runs alone) with the reason in why
 * ("an unpaced transfer of 256 MiB loads the CPU"); ALONE_NO otherwise
 * (why ""). */
enum alone_kind point_runs_alone(const struct point_params *p, char *why, size_t size);

#endif
