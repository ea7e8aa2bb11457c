/* program.h: a program from a scenario file ("server.command" or
 * "client.command") run in the place of harness-server or harness-client:
 * the user's own code, so it is started and stopped with care.
 *
 * It runs in the point's network namespace (where the peer would),
 * as the user who invoked the harness (SUDO_UID, SUDO_GID) or as nobody,
 * never as root unless the scenario says "run_as_root"; in a session of
 * its own; in the scenario file's folder, so relative paths name files
 * beside the scenario; with {port} and {host} replaced in its arguments
 * and PORT, HARNESS_PORT and HARNESS_HOST in its environment. At the end
 * its process group is sent SIGTERM, then SIGKILL, and any process still
 * in the namespace (a child that left the group) is killed: a point
 * leaves nothing running. */
#ifndef HARNESS_PROGRAM_H
#define HARNESS_PROGRAM_H

#include <jansson.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"
#include "params.h"
#include "process.h"
#include "scenario.h"

#define PROGRAM_ENV_MAX 12

struct program {
    struct child *child; /* the point's server child, once spawned */
    char args[PARAMS_MAX_COMMAND_ARGS][PARAMS_MAX_COMMAND_ARG + 64];
    char *argv[PARAMS_MAX_COMMAND_ARGS + 1];
    char env_text[PROGRAM_ENV_MAX][PARAMS_MAX_COMMAND_ARG + 16];
    char *env[PROGRAM_ENV_MAX + 1];
    char cwd[4096];
    char command_text[1024]; /* the argv as one line, for messages */
    struct child_program_options options;
    char user[64];
    const char *side; /* "server" or "client" */
    uint16_t port;
    ino_t netns; /* the namespace it runs in, for the sweep */
    pid_t pid;
    const char *stopped_by; /* "exited", "SIGTERM", "SIGKILL", or NULL while it runs */
    size_t swept;           /* processes the sweep killed */
};

/* Who runs a program: SUDO_UID and SUDO_GID from the environment when the
 * harness was started through sudo, else nobody; root only when
 * run_as_root. 0, or a negative errno with err filled. */
int program_user(int run_as_root, uid_t *uid, gid_t *gid, char *name, size_t size,
                 struct hl_error *err);

/* A TCP port free on host in the current namespace (bound and released). */
int program_free_port(const char *host, uint16_t *port, struct hl_error *err);

/* Fills program, the side ("server" or "client") of a point, from
 * params: argv with {port} and {host} replaced, the environment, the
 * folder (scenario_file's), the user. */
int program_prepare(struct program *program, const char *side, const struct program_params *params,
                    const char *scenario_file, const char *host, uint16_t port,
                    struct hl_error *err);

/* The program of a point, server's or client's, or NULL. */
const struct program_params *program_of(const struct point_params *params, const char **side);

/* Whether the user a program of params runs as (program_user) may enter
 * the scenario's folder, every directory on the way included; 0 with why
 * set when not (root's own home, mode 0700, for nobody). */
int program_folder_reachable(const char *scenario_file, const struct program_params *params,
                             char *why, size_t size);

/* The argv of params as one line, {port} and {host} as written (--plan). */
void program_command_line(const struct program_params *params, char *out, size_t size);

/* "server program: python3 server.py {port}, as nobody, in FOLDER" for
 * --check and --plan: the command of the scenario's points (a command is
 * never swept), or "" when it has none. */
void program_describe(const struct scenario *scenario, char *out, size_t size);

/* Starts it as child in the current namespace (recorded for the sweep). */
int program_spawn(uv_loop_t *loop, struct program *program, struct child *child,
                  struct hl_error *err);

/* Sends signum to its process group (while its leader runs or not). */
void program_signal(struct program *program, int signum);

/* SIGKILL to its process group and to every process left in its
 * namespace but the runner and except_pid; how many were found. */
size_t program_sweep(struct program *program, pid_t except_pid);

/* What the run records of it: command, user, exit status or signal,
 * how it was stopped, the tails of its stdout and stderr. */
json_t *program_record(struct program *program);

#endif
