/* control.h: the child's end of the runner protocol.
 *
 * harness-run starts harness-server and harness-client with --control and
 * talks to them over their standard streams, which their mains hand to
 * this module (it reads and writes no stream of its own choosing):
 *
 *   child  -> runner, stdout: "ready {json}\n" once sockets are set up
 *                             (the server's port and effective sizes)
 *                             "end {json}\n" (client) when it finished:
 *                             {"connected": N}
 *   runner -> child,  stdin:  "start <ns>\n"    the run's CLOCK_MONOTONIC start
 *                             "client-done N\n" (server) drain until N
 *                             connections were accepted, the accept queue
 *                             is empty and every connection reached EOF
 *                             "stop\n"          the run's end: finish now
 *                             end of file       the runner is gone: finish now
 *
 * Events go to the --events file (eventlog.h), never through these pipes.
 * A controlled child also asks the kernel to kill it if the runner dies
 * (PR_SET_PDEATHSIG) and leaves Ctrl-C to the runner. */
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

/* Writes "ready {info}\n" to out (the child's stdout) and flushes it.
 * Takes info's reference. */
void control_ready(FILE *out, json_t *info);

/* Writes "end {info}\n" to out and flushes it. Takes info's reference. */
void control_end(FILE *out, json_t *info);

/* Dies with the parent; ignores SIGINT (the runner handles Ctrl-C). */
void control_guard(void);

#endif
