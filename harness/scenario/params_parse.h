/* params_parse.h: a point's JSON into struct point_params, one section per
 * file, each check through validator.h.
 *
 *   params.c           the top level: defaults, duration, sampling,
 *                      topology, link, and the rules between them
 *   params_server.c    "server"
 *   params_policies.c  "server.accept" and "server.read"
 *   params_client.c    "client" and "client.send"
 *   params_sysctls.c   "sysctls", "server.sysctls", "client.sysctls"
 *   params_command.c   "command" and "run_as_root" of "server" and "client"
 *   params_family.c    "family", and the keys that mean nothing for AF_UNIX
 *   params_protocol.c  "protocol", and the keys "udp" rules out
 *   params_json.c      the point written as JSON and read back
 *
 * Each function leaves out alone when value is NULL (the key is missing:
 * the default stays) and returns 0 or -EINVAL with v->err filled. */
#ifndef HARNESS_PARAMS_PARSE_H
#define HARNESS_PARAMS_PARSE_H

#include <jansson.h>

#include "params.h"
#include "validator.h"

/* Validates the params keys of root (sysctls, server, client, duration_ms,
 * sample_ms, topology, link) and fills out, from params_defaults(). Does
 * not reject other top-level keys; the caller does, knowing which it
 * allows. */
int params_validate(struct validator *v, json_t *root, struct point_params *out);

int params_parse_server(struct validator *v, json_t *server, struct server_params *out);

/* path: "server.accept" or "server.read". */
int params_parse_accept(struct validator *v, json_t *value, const char *path,
                        struct accept_policy *out);
int params_parse_read(struct validator *v, json_t *value, const char *path,
                      struct read_policy *out);

int params_parse_client(struct validator *v, json_t *client, struct client_params *out);

/* params_arrival.c: "client.arrival", when given. */
int params_parse_arrival(struct validator *v, json_t *value, struct arrival *out);

/* The sysctls object at where ("sysctls", "server.sysctls" or
 * "client.sysctls") into settings (at most PARAMS_MAX_SYSCTLS). */
int params_parse_sysctls(struct validator *v, json_t *value, const char *where,
                         struct sysctl_setting *settings, size_t *count);

/* "command" and "run_as_root" of the section at path ("server" or
 * "client"). */
int params_parse_command(struct validator *v, json_t *section, const char *path,
                         struct program_params *out);

/* "protocol": "tcp" or "udp". */
int params_parse_protocol(struct validator *v, json_t *value, enum protocol *out);

/* With protocol "udp": refuses every key of root that means nothing there
 * (params_udp_meaningless), and datagrams that cannot carry their
 * sequence number or do not fit in one. */
int params_check_protocol(struct validator *v, json_t *root, const struct point_params *p);

/* The program's JSON form ({"command": [...], "run_as_root": b}) added
 * to section, when it has one. */
void params_command_to_json(const struct program_params *program, json_t *section);

/* params_family.c: "family", when given. */
int params_parse_family(struct validator *v, json_t *value, enum family *out);

/* The keys a family "unix" point may not set, since AF_UNIX has nothing
 * they act on: the first one set is the error. */
int params_check_family(struct validator *v, const struct point_params *p);

#endif
