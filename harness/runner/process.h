/* process.h: a child process of the runner, with its three pipes.
 *
 * stdin carries commands (control.h), stdout the "ready" line, and the tail
 * of stderr is kept so a failed point can say what its child said. */
#ifndef HARNESS_PROCESS_H
#define HARNESS_PROCESS_H

#include <stdint.h>
#include <sys/types.h>
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
    /* a program's (child_spawn_program): stdout is kept as a tail too,
     * not read as lines */
    int out_as_tail;
    char out_tail[2048];
    size_t out_length;
    child_line_cb on_line;
    child_exit_cb on_exit;
    void *data;
};

/* Starts argv[0] with pipes on all three streams. */
int child_spawn(uv_loop_t *loop, struct child *child, char *const argv[], struct hl_error *err);

/* How a program from a scenario file is started: stdin /dev/null, in a
 * session (and process group) of its own, as uid:gid, in cwd, with env. */
struct child_program_options {
    uid_t uid;
    gid_t gid;
    int set_ids; /* 0: keep the runner's (root) */
    const char *cwd;
    char **env; /* NULL-terminated */
};

/* Starts argv (argv[0] looked up in PATH when it has no '/') as options
 * say; both stdout and stderr are kept as tails (child_stdout,
 * child_stderr), however much it writes. */
int child_spawn_program(uv_loop_t *loop, struct child *child, char *const argv[],
                        const struct child_program_options *options, struct hl_error *err);

/* The last lines the child wrote to stdout (a program's), trimmed. */
const char *child_stdout(struct child *child);

/* Writes a command line ("stop\n"). Ignored once stdin is closed. */
void child_send(struct child *child, const char *line);

void child_kill(struct child *child, int signum);

/* The last lines the child wrote to stderr, trimmed. */
const char *child_stderr(struct child *child);

/* Closes the pipes and the process handle once it exited. */
void child_release(struct child *child);

#endif
