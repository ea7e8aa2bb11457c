/* params_command.c: see params_parse.h. "server.command" or
 * "client.command", a program from the scenario file run in the place of
 * the harness's peer, and "run_as_root" beside it. */
#include "params_parse.h"

#include <stdio.h>
#include <string.h>

static int parse_argument(struct validator *v, json_t *item, const char *path, size_t index,
                          struct program_params *out)
{
    char where[160], text[96];
    snprintf(where, sizeof where, "%s[%zu]", path, index);
    if (!json_is_string(item))
        return validator_error(v, where, 0, "expected a string, got %s",
                               validator_describe(v, where, item, text, sizeof text));
    size_t length = json_string_length(item);
    if (length == 0 || strlen(json_string_value(item)) != length)
        return validator_error(v, where, 0, "expected a non-empty argument without NUL characters");
    if (length > PARAMS_MAX_COMMAND_ARG)
        return validator_error(v, where, 0, "expected at most %d bytes, got %zu",
                               PARAMS_MAX_COMMAND_ARG, length);
    snprintf(out->argv[index], sizeof out->argv[index], "%s", json_string_value(item));
    return 0;
}

/* An argv array: ["python3", "server.py", "{port}"]. */
static int parse_argv(struct validator *v, json_t *command, const char *path,
                      struct program_params *out)
{
    char text[96];
    int rc;
    if (!json_is_array(command) || json_array_size(command) == 0)
        return validator_error(v, path, 0,
                               "expected a non-empty list of strings such as "
                               "[\"python3\", \"server.py\", \"{port}\"], got %s",
                               validator_describe(v, path, command, text, sizeof text));
    if (json_array_size(command) > PARAMS_MAX_COMMAND_ARGS)
        return validator_error(v, path, 0, "expected at most %d arguments, got %zu",
                               PARAMS_MAX_COMMAND_ARGS, json_array_size(command));
    for (size_t i = 0; i < json_array_size(command); i++)
        if ((rc = parse_argument(v, json_array_get(command, i), path, i, out)))
            return rc;
    out->argc = json_array_size(command);
    return 0;
}

int params_parse_command(struct validator *v, json_t *section, const char *path,
                         struct program_params *out)
{
    char where[64];
    int rc;
    json_t *command = json_object_get(section, "command");
    snprintf(where, sizeof where, "%s.command", path);
    if (command && (rc = parse_argv(v, command, where, out)))
        return rc;
    if ((rc = validator_get_bool(v, section, path, "run_as_root", out->run_as_root,
                                 &out->run_as_root)))
        return rc;
    if (out->run_as_root && out->argc == 0) {
        snprintf(where, sizeof where, "%s.run_as_root", path);
        return validator_error(v, where, 1, "only a %s.command runs as root; remove it", path);
    }
    return 0;
}

void params_command_to_json(const struct program_params *program, json_t *section)
{
    if (program->argc == 0)
        return;
    json_t *argv = json_array();
    for (size_t i = 0; i < program->argc; i++)
        json_array_append_new(argv, json_string(program->argv[i]));
    json_object_set_new(section, "command", argv);
    json_object_set_new(section, "run_as_root", json_boolean(program->run_as_root));
}
