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
 * are not plain identifiers are quoted: sweep["server.backlog"][2].
 *
 * Lines and columns are 1-based and count characters, not bytes (a UTF-8
 * "é" is one column), as jansson's do. A UTF-8 byte order mark at the start
 * is not part of the text: the character after it is line 1, column 1. */
#ifndef HARNESS_LOCATIONS_H
#define HARNESS_LOCATIONS_H

#include <stddef.h>

#include "error.h"

struct json_location {
    char *path;
    int line, column;         /* where the value starts (1-based) */
    int key_line, key_column; /* where its key starts; the value's own place for array items */
    size_t offset, length;    /* the value's bytes in the text ("4.0", "[1, 2]", "\"x\"") */
};

struct json_locations {
    struct json_location *items;
    size_t count, capacity;
    size_t *slots; /* open-addressing hash of item index + 1, 0 = empty */
    size_t slot_count;
    const char *text; /* borrowed from json_locations_build's caller */
};

/* Walks a text that jansson has already parsed. Fails with -EINVAL and a
 * message naming file:line:col and the key path on a duplicate key (or, for
 * a text that is not valid JSON after all, a message saying so; never reads
 * beyond length). text must stay valid while locations are used. */
int json_locations_build(struct json_locations *locations, const char *text, size_t length,
                         const char *file, struct hl_error *err);

/* The location recorded for path, or NULL. */
const struct json_location *json_locations_find(const struct json_locations *locations,
                                                const char *path);

/* The value's text as written ("4.0", "1e3"), on one line, cut to size with
 * "..." when longer. Returns out. */
const char *json_locations_source(const struct json_locations *locations,
                                  const struct json_location *location, char *out, size_t size);

void json_locations_free(struct json_locations *locations);

/* Line and column (as above) of byte offset in text: for errors found by
 * scanning the raw bytes, such as a NUL byte or bytes that are not UTF-8. */
void json_text_position(const char *text, size_t offset, int *line, int *column);

/* Appends key to parent as a key path ("server" + "backlog" -> "server.backlog",
 * "sweep" + "server.backlog" -> "sweep[\"server.backlog\"]"). Quotes and
 * backslashes in the key are escaped, control characters written as \u00XX,
 * so a path is always one printable line. Cut to size when too long. */
void json_path_key(char *out, size_t size, const char *parent, const char *key);

/* Appends an array index: "sweep[\"x\"]" + 2 -> "sweep[\"x\"][2]". */
void json_path_index(char *out, size_t size, const char *parent, size_t index);

#endif
