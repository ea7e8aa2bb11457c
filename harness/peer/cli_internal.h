/* cli_internal.h: what cli.c (the options) and cli_params.c (the params
 * they make) share; cli.h is the public side. */
#ifndef HARNESS_CLI_INTERNAL_H
#define HARNESS_CLI_INTERNAL_H

#include <jansson.h>

#include "error.h"
#include "params.h"

/* A point's params from the command line: the params given whole
 * (params_text, --params; or the point of scenario_file, --scenario, at
 * index point, --point, -1 for 0) with the keys set by options over them,
 * section by section (keys: {"server": {"backlog": 4}, ...}), validated.
 * With --scenario, *origin receives where they came from (cli_args). */
int cli_make_params(const char *params_text, const char *scenario_file, long long point,
                    json_t *keys, struct point_params *params, json_t **origin,
                    struct hl_error *err);

#endif
