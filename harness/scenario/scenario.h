/* scenario.h: a scenario file, validated, and the points it expands into.
 *
 * scenario_load() reads the file, parses it with jansson (syntax errors keep
 * jansson's line and column), indexes where each value starts
 * (locations.h), validates every key of the base and of every sweep value,
 * and counts the points: the cartesian product of the sweep lists, first key
 * outermost; it notes what a valid file says that will not happen as
 * written (scenario->notes: a value its sweep replaces in every point). A
 * point's params are made on demand by scenario_point().
 *
 * Inside the layer: json_text.h reads and parses the text, locations.h
 * indexes it, keys.h lists every key, validator.h and params_parse.h check
 * a point, sweep.h reads the sweep and makes the points, plotkinds.h
 * chooses the plots; scenario.c runs those steps in order. */
#ifndef HARNESS_SCENARIO_H
#define HARNESS_SCENARIO_H

#include <jansson.h>

#include "error.h"
#include "locations.h"
#include "params.h"

#define SCENARIO_MAX_FILE_BYTES (1 << 20)
#define SCENARIO_MAX_SWEEP_KEYS 8
#define SCENARIO_MAX_SWEEP_VALUES 1000
#define SCENARIO_MAX_RUNS 10000
#define SCENARIO_MAX_REPEAT 100

/* The top-level keys of a scenario file, NULL-terminated. Besides these, a
 * file may hold "$schema" (which editors read to find scenarios/schema.json;
 * the harness checks that it is a string and ignores it). */
const char *const *scenario_known_keys(void);

/* The key paths a sweep may vary, NULL-terminated; "sysctls.<name>" is
 * accepted besides these. What tests compare with scenarios/schema.json. */
const char *const *scenario_sweep_paths(void);

struct scenario_sweep_key {
    char path[128]; /* as written in the file: "server.backlog" */
    json_t *values; /* borrowed from root */
};

struct scenario {
    char *file;
    char *text;
    json_t *root; /* the scenario as given */
    struct json_locations locations;
    char name[128];
    char description[1024];
    int repeat;
    struct scenario_sweep_key sweep[SCENARIO_MAX_SWEEP_KEYS];
    size_t sweep_count;
    size_t point_count;
    json_t *plots; /* list of plot kinds (given or chosen from the sweep) */
    /* What the file says that will not happen as written, though it is
     * valid: a key set to a value that its sweep replaces in every point
     * (the value never runs). Not errors: the file runs; harness-run
     * prints them (--check and --plan too) before anything else. */
    struct hl_error notes[SCENARIO_MAX_SWEEP_KEYS];
    size_t note_count;
};

/* Returns 0, or -EINVAL (invalid; err names file:line:col and key path) or
 * another negative errno (unreadable; err says why). */
int scenario_load(struct scenario *scenario, const char *file, struct hl_error *err);

/* The same for a scenario held in memory (length bytes, NUL bytes
 * included); name stands for the file in messages. */
int scenario_load_text(struct scenario *scenario, const char *name, const char *text, size_t length,
                       struct hl_error *err);

/* The params of point index (0 .. point_count-1) and its sweep values as a
 * JSON object {"server.backlog": 4} (new reference). */
int scenario_point(const struct scenario *scenario, size_t index, struct point_params *params,
                   json_t **sweep_values, struct hl_error *err);

/* "server.backlog=4 client.sndbuf=4096", or "" without a sweep. */
void scenario_point_label(const json_t *sweep_values, char *out, size_t size);

void scenario_free(struct scenario *scenario);

#endif
