/* cli.h: every command-line option of harness-server and harness-client,
 * defined in one table.
 *
 * A flag sets one key of the point's params (--backlog sets
 * server.backlog), so options typed by hand, a --params JSON object from the
 * runner and a scenario file all pass through the same validator. */
#ifndef HARNESS_CLI_H
#define HARNESS_CLI_H

#include <jansson.h>
#include <stdint.h>

#include "error.h"
#include "params.h"

enum cli_role { CLI_SERVER = 1, CLI_CLIENT = 2 };

struct cli_args {
    struct point_params params;
    char address[128];   /* --listen or --connect ADDR:PORT */
    const char *events;  /* --events FILE, default stdout */
    int no_events;       /* --no-events: record nothing */
    int control;         /* --control: driven by harness-run over stdin/stdout */
    int64_t start_ns;    /* --start-ns: the run's shared CLOCK_MONOTONIC start */
    int allow_remote;    /* --allow-remote (client) */
    const char *results; /* --results FILE: write this side's half (half.h) */
    /* --scenario FILE [--point N]: the params of that point, and where
     * they came from ({"scenario_file", "scenario", "point", "sweep"};
     * the caller owns it), or NULL */
    json_t *origin;
    int help, version;
};

/* Parses argv. Returns 0, or -EINVAL with err naming the option. */
int cli_parse(int argc, char **argv, enum cli_role role, struct cli_args *out,
              struct hl_error *err);

/* Prints the usage and every option of role. */
void cli_usage(FILE *out, enum cli_role role);

/* Option index of role ("backlog", without the dashes), or NULL past the
 * last; *path (when given) receives the params key it sets
 * ("server.backlog", made in buffer for a key both roles have) or NULL for
 * an option of the program itself. For tests: --help lists every option,
 * and every key of a point has one. */
const char *cli_option_name(enum cli_role role, size_t index, const char **path, char *buffer,
                            size_t size);

/* Splits "ADDR:PORT" (IPv4). */
int cli_split_address(const char *text, char *host, size_t host_size, uint16_t *port);

#endif
