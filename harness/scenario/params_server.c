/* params_server.c: see params_parse.h. The "server" section of a point. */
#include "keys.h"
#include "params_parse.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* "server.reply": the text sent after a connection's first read. */
static int parse_reply(struct validator *v, json_t *reply, struct server_params *out)
{
    char text[96];
    if (!reply)
        return 0;
    if (!json_is_string(reply))
        return validator_error(v, "server.reply", 0, "expected a string such as \"Hello!\", got %s",
                               validator_describe(v, "server.reply", reply, text, sizeof text));
    if (json_string_length(reply) > PARAMS_MAX_REPLY)
        return validator_error(v, "server.reply", 0,
                               "expected at most %d bytes, got %zu; shorten it", PARAMS_MAX_REPLY,
                               json_string_length(reply));
    if (strlen(json_string_value(reply)) != json_string_length(reply))
        return validator_error(v, "server.reply", 0,
                               "expected text without NUL characters (\\u0000)");
    snprintf(out->reply, sizeof out->reply, "%s", json_string_value(reply));
    return 0;
}

int params_parse_server(struct validator *v, json_t *server, struct server_params *out)
{
    long long n;
    int rc;
    if (!server)
        return 0;
    if ((rc = validator_expect_object(v, server, "server",
                                      "{\"backlog\": 4, \"accept\": \"never\"}")) ||
        (rc = validator_known_keys(v, server, "server", keys_server)) ||
        (rc = validator_get_bool(v, server, "server", "listen", out->listen, &out->listen)))
        return rc;
    if ((rc = validator_get_int(v, server, "server", "backlog", INT32_MIN, INT32_MAX, out->backlog,
                                "listen() takes an int; a backlog above net.core.somaxconn "
                                "is capped to it",
                                &n)))
        return rc;
    out->backlog = (int)n;
    if ((rc = validator_get_int(v, server, "server", "rcvbuf", 0, PARAMS_MAX_BUFFER, 0,
                                "bytes; 0 keeps the kernel default", &n)))
        return rc;
    out->rcvbuf = (uint64_t)n;
    if ((rc = validator_get_int(v, server, "server", "sndbuf", 0, PARAMS_MAX_BUFFER, 0,
                                "bytes; 0 keeps the kernel default", &n)))
        return rc;
    out->sndbuf = (uint64_t)n;
    if ((rc = params_parse_accept(v, json_object_get(server, "accept"), "server.accept",
                                  &out->accept)) ||
        (rc = params_parse_read(v, json_object_get(server, "read"), "server.read", &out->read)))
        return rc;
    if ((rc = validator_get_int(v, server, "server", "close_listener_ms", -1,
                                PARAMS_MAX_DURATION_MS, -1, "-1: never", &n)))
        return rc;
    out->close_listener_us = n < 0 ? -1 : n * 1000;
    if ((rc = parse_reply(v, json_object_get(server, "reply"), out)) ||
        (rc = params_parse_command(v, server, "server", &out->program)))
        return rc;
    return params_parse_sysctls(v, json_object_get(server, "sysctls"), "server.sysctls",
                                out->sysctls, &out->sysctl_count);
}
