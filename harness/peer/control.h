/* control.h: the child's end of the runner protocol.
 *
 * harness-run starts harness-server and harness-client with --control and
 * talks to them over their standard streams:
 *
 *   child  -> runner, stdout: "ready {json}"   (server) it listens: its port and
 *                                              what the kernel granted
 *                             "started"        (server) it polls its listener,
 *                                              its policies armed
 *                             "end {json}"     (client) it finished its work by
 *                                              itself and exits: {"connected": N}
 *                             "stopped {json}" told to stop, it has recorded
 *                                              everything as it stands; its
 *                                              sockets are still open
 *   runner -> child,  stdin:  "start NS"       (server) the run's start on
 *                                              CLOCK_MONOTONIC
 *                             "client-done N"  (server) drain until N connections
 *                                              were accepted, the accept queue is
 *                                              empty and every connection reached
 *                                              EOF; then exit
 *                             "stop"           the run's end: stop and record
 *                             "exit"           close everything and exit
 *                             end of file      the runner is gone: stop and exit
 *
 * Between "stopped" and "exit" the runner reads the kernel's counters, so
 * that what closing the sockets makes the kernel do (a FIN, a reset for
 * bytes never read) is never counted. Events go to the --events file
 * (eventlog.h), never through these pipes. A controlled child also asks the
 * kernel to kill it if the runner dies (PR_SET_PDEATHSIG) and leaves Ctrl-C
 * to the runner. */
#ifndef HARNESS_CONTROL_H
#define HARNESS_CONTROL_H

#include <jansson.h>
#include <stdio.h>
#include <uv.h>

struct control;
/* line is NULL at end of file */
typedef void (*control_line_cb)(struct control *control, const char *line);

struct control {
    uv_pipe_t pipe;
    char buffer[512];
    size_t length;
    control_line_cb on_line;
    void *data;
    int open;
};

/* Reads command lines from fd (the child's stdin, a pipe), calling on_line
 * for each. Returns 0 or a negative libuv error (fd is not a pipe). */
int control_open(uv_loop_t *loop, struct control *control, int fd, control_line_cb on_line,
                 void *data);

void control_close(struct control *control);

/* Writes one protocol line, "kind {info}\n" ("kind\n" when info is NULL),
 * to out (the child's stdout) and flushes it. Takes info's reference. */
void control_say(FILE *out, const char *kind, json_t *info);

/* Dies with the parent; ignores SIGINT (the runner handles Ctrl-C). */
void control_guard(void);

#endif
