/* locations_index.c: see locations.h. The recorded locations: an array in
 * the order of the text, and an open-addressing hash of their paths. */
#include "locations_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t hash_string(const char *s)
{
    size_t h = (size_t)1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * (size_t)1099511628211u;
    return h;
}

static int locations_grow_slots(struct json_locations *locations)
{
    size_t count = locations->slot_count ? locations->slot_count * 2 : 64;
    size_t *slots = calloc(count, sizeof *slots);
    if (!slots)
        return -ENOMEM;
    for (size_t i = 0; i < locations->count; i++) {
        size_t s = hash_string(locations->items[i].path) & (count - 1);
        while (slots[s])
            s = (s + 1) & (count - 1);
        slots[s] = i + 1;
    }
    free(locations->slots);
    locations->slots = slots;
    locations->slot_count = count;
    return 0;
}

const struct json_location *json_locations_find(const struct json_locations *locations,
                                                const char *path)
{
    if (!locations || !locations->slot_count || !path)
        return NULL;
    size_t s = hash_string(path) & (locations->slot_count - 1);
    while (locations->slots[s]) {
        const struct json_location *item = &locations->items[locations->slots[s] - 1];
        if (strcmp(item->path, path) == 0)
            return item;
        s = (s + 1) & (locations->slot_count - 1);
    }
    return NULL;
}
int json_locations_append(struct json_locations *locations, const char *path,
                          const struct json_location *item, size_t *index)
{
    if (locations->count == locations->capacity) {
        size_t capacity = locations->capacity ? locations->capacity * 2 : 64;
        struct json_location *items = realloc(locations->items, capacity * sizeof *items);
        if (!items)
            return -ENOMEM;
        locations->items = items;
        locations->capacity = capacity;
    }
    if ((locations->count + 1) * 2 > locations->slot_count && locations_grow_slots(locations))
        return -ENOMEM;
    struct json_location *added = &locations->items[locations->count];
    *added = *item;
    added->path = strdup(path);
    if (!added->path)
        return -ENOMEM;
    *index = locations->count++;
    size_t s = hash_string(added->path) & (locations->slot_count - 1);
    while (locations->slots[s])
        s = (s + 1) & (locations->slot_count - 1);
    locations->slots[s] = locations->count;
    return 0;
}

void json_locations_free(struct json_locations *locations)
{
    for (size_t i = 0; i < locations->count; i++)
        free(locations->items[i].path);
    free(locations->items);
    free(locations->slots);
    memset(locations, 0, sizeof *locations);
}

const char *json_locations_source(const struct json_locations *locations,
                                  const struct json_location *location, char *out, size_t size)
{
    size_t n = location->length, used = 0;
    if (!size)
        return out;
    out[0] = '\0';
    if (!locations || !locations->text)
        return out;
    const char *p = locations->text + location->offset;
    int cut = n > size - 1;
    if (cut)
        n = size > 4 ? size - 4 : 0;
    /* back off to the start of a UTF-8 character so the cut stays text */
    while (cut && n > 0 && ((unsigned char)p[n] & 0xC0) == 0x80)
        n--;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c == '\n' || c == '\r' || c == '\t')
            c = ' '; /* a message stays one line */
        out[used++] = c;
    }
    out[used] = '\0';
    if (cut)
        snprintf(out + used, size - used, "...");
    return out;
}
