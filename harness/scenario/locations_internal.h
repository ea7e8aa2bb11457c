/* locations_internal.h: what the three files of locations.h share inside
 * the layer:
 *
 *   locations.c        the walk over a JSON text, value by value
 *   locations_index.c  the recorded locations, found by key path
 *   json_path.c        key paths: "server.backlog", sweep["server.backlog"][2] */
#ifndef HARNESS_LOCATIONS_INTERNAL_H
#define HARNESS_LOCATIONS_INTERNAL_H

#include <stddef.h>

#include "locations.h"

/* Records a location under path (copied), whose place the caller filled in
 * item (path ignored); *index receives its place in items, which may move
 * when later locations are added. Returns 0 or -ENOMEM. The caller has
 * checked that path is not yet recorded. */
int json_locations_append(struct json_locations *locations, const char *path,
                          const struct json_location *item, size_t *index);

/* Appends ".key", or ["key"] when key is not a plain identifier, to the
 * path held in out[0..used); cut to size. */
void json_path_append_key(char *out, size_t size, size_t used, const char *key);

#endif
