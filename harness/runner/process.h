/* process.h: a child process of the runner, with its three pipes.
 *
 * stdin carries commands (control.h), stdout the "ready" line, and the tail
 * of stderr is kept so a failed point can say what its child said. */
#ifndef HARNESS_PROCESS_H
#define HARNESS_PROCESS_H

#include <stdint.h>
#include <uv.h>

#include "error.h"

struct child;
typedef void (*child_line_cb)(struct child *child, const char *line);
typedef void (*child_exit_cb)(struct child *child);

struct child {
    const char *name; /* "server" or "client" */
    uv_process_t process;
    uv_pipe_t in, out, err;
    int running; /* spawned and not yet exited */
    int exited;
    int64_t exit_status;
    int term_signal;
    int handles_open;
    char line[4096];
    size_t line_length;
    char err_tail[2048];
    size_t err_length;
    child_line_cb on_line;
    child_exit_cb on_exit;
    void *data;
};

/* Starts argv[0] with pipes on all three streams. */
int child_spawn(uv_loop_t *loop, struct child *child, char *const argv[], struct hl_error *err);

/* Writes a command line ("stop\n"). Ignored once stdin is closed. */
void child_send(struct child *child, const char *line);

void child_kill(struct child *child, int signum);

/* The last lines the child wrote to stderr, trimmed. */
const char *child_stderr(struct child *child);

/* Closes the pipes and the process handle once it exited. */
void child_release(struct child *child);

#endif
