/* locations.h: where each value of a JSON text starts, by key path.
 *
 * jansson parses and reports syntax errors with line and column, but the
 * values it returns carry no position. Validation errors must still name the
 * line and column of the offending value ("x.json:7:16: server.backlog: ..."),
 * so after jansson has accepted a text this module walks it once more and
 * records, for every value, its key path and where it starts. The same walk
 * rejects duplicate keys, naming both places.
 *
 * Key paths: members are joined with '.', array elements as [i], and keys that
 * are not plain identifiers are quoted: sweep["server.backlog"][2]. */
#ifndef HARNESS_LOCATIONS_H
#define HARNESS_LOCATIONS_H

#include <stddef.h>

#include "error.h"

struct json_location {
    char *path;
    int line, column;         /* where the value starts (1-based) */
    int key_line, key_column; /* where its key starts; the value's own place for array items */
};

struct json_locations {
    struct json_location *items;
    size_t count, capacity;
    size_t *slots; /* open-addressing hash of item index + 1, 0 = empty */
    size_t slot_count;
};

/* Walks a text that jansson has already parsed. Fails with -EINVAL and a
 * message naming file:line:col and the key path on a duplicate key. */
int json_locations_build(struct json_locations *locations, const char *text, size_t length,
                         const char *file, struct hl_error *err);

/* The location recorded for path, or NULL. */
const struct json_location *json_locations_find(const struct json_locations *locations,
                                                const char *path);

void json_locations_free(struct json_locations *locations);

/* Appends key to parent as a key path ("server" + "backlog" -> "server.backlog",
 * "sweep" + "server.backlog" -> "sweep[\"server.backlog\"]"). */
void json_path_key(char *out, size_t size, const char *parent, const char *key);

/* Appends an array index: "sweep[\"x\"]" + 2 -> "sweep[\"x\"][2]". */
void json_path_index(char *out, size_t size, const char *parent, size_t index);

#endif
