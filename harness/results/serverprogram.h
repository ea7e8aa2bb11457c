/* serverprogram.h: a run whose server was a program from the scenario
 * file (server.command) rather than harness-server.
 *
 * The runner read the program's queues through sock_diag (its samples and
 * its "end" event are the server's log), so the accept queue, its limit,
 * the SYN_RECV count and the unread bytes are measured as for the
 * harness's own server. What only harness-server's own calls can tell
 * (each accept(), each byte read) is not: those keys are null, and the
 * run's "unmeasured" says why for each, never a guess. */
#ifndef HARNESS_SERVERPROGRAM_H
#define HARNESS_SERVERPROGRAM_H

#include <jansson.h>

/* Marks run (a run object) as measured against a program: the keys it
 * cannot measure null with their reasons, its checks redone, and record
 * (stolen) as "server_program". */
void results_run_server_program(json_t *run, json_t *record);

#endif
