/* keys.h: every key a scenario file may hold, listed once (keys.c).
 *
 * The lists are what validation accepts ("unknown key" names the keys of
 * the object, and where a misplaced key belongs), what a sweep may vary,
 * and what tests/unit/test_schema.c compares with scenarios/schema.json.
 *
 * To add a key: its word in its object's list in keys.c (and in
 * keys_sweepable when a sweep may vary it); its field in struct
 * point_params and its check where its section is parsed (params_*.c);
 * its default in params_defaults() and its value in params_to_json(); then
 * scenarios/schema.json and scenarios/README.md, which `make test` compares.
 *
 * Lists are NULL-terminated. The public views of them are
 * params_known_keys(), params_policy_words(), params_topology_words()
 * (params.h), scenario_known_keys() and scenario_sweep_paths() (scenario.h). */
#ifndef HARNESS_KEYS_H
#define HARNESS_KEYS_H

#include <stddef.h>

/* The keys of a point at the top level (a scenario adds keys_scenario's). */
extern const char *const keys_point[];

/* The keys of each object of a point. */
extern const char *const keys_server[];
extern const char *const keys_server_accept[]; /* the object form of "accept" */
extern const char *const keys_server_read[];   /* the object form of "read" */
extern const char *const keys_client[];
extern const char *const keys_client_send[];
extern const char *const keys_client_arrival[];
extern const char *const keys_link[];

/* The words a value may be. */
extern const char *const keys_policy_words[];          /* server.accept, server.read */
extern const char *const keys_mode_words[];            /* client.mode */
extern const char *const keys_arrival_process_words[]; /* client.arrival.process */
extern const char *const keys_topology_words[];        /* topology */
extern const char *const keys_family_words[];          /* family */
extern const char *const keys_protocol_words[];        /* protocol */

/* The top-level keys of a scenario file: a point's and the scenario's own
 * ("name", "repeat", "sweep", "plots" ...). */
extern const char *const keys_scenario[];

/* The paths a sweep may vary; "sysctls.<name>" is accepted besides these. */
extern const char *const keys_sweepable[];

/* Each object of a point and its keys, "" being the top level: where a key
 * lives, to tell a user who put one at the wrong level. */
struct keys_group {
    const char *parent;
    const char *const *keys;
};
extern const struct keys_group keys_groups[];
extern const size_t keys_group_count;

#endif
