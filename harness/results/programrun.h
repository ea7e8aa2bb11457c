/* programrun.h: a run whose server or client was a program from the
 * scenario file (server.command, client.command) rather than
 * harness-server or harness-client.
 *
 * For a server program the runner read its queues through sock_diag (its
 * samples and its "end" event are the server's log), so the accept queue,
 * its limit, the listener's buffers, the SYN_RECV count and the unread
 * bytes are measured as for the harness's own server. A client program
 * leaves no log at all: its side is what the harness's server and the
 * kernel's counters saw. Either way, what only the harness's own peer can
 * tell (each accept() and recv() of a server, each connect() and send() of
 * a client) is null, and the run's "unmeasured" says why for each key,
 * never a guess. */
#ifndef HARNESS_PROGRAMRUN_H
#define HARNESS_PROGRAMRUN_H

#include <jansson.h>

/* Marks run (a run object) as measured against a program on side
 * ("server" or "client"): the keys it cannot measure null with their
 * reasons, its checks redone, and record (stolen) as "server_program" or
 * "client_program". */
void results_run_program(json_t *run, const char *side, json_t *record);

#endif
