/* eventlines.c: see eventlines.h. */
#include "eventlines.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int event_lines_read(const char *path, event_line_fn take, void *data, struct hl_error *err)
{
    char *line = NULL;
    size_t capacity = 0, number = 0;
    ssize_t length;
    FILE *f = fopen(path, "re");
    if (!f)
        return hl_error_setn(err, errno, path, "cannot read the event log: %s", strerror(errno));
    int rc = 0;
    while (rc == 0 && (length = getline(&line, &capacity, f)) > 0) {
        json_error_t jerr;
        number++;
        rc = take(data, line, (size_t)length, &jerr);
        if (rc == -EINVAL) {
            char where[512];
            snprintf(where, sizeof where, "%s:%zu", path, number);
            hl_error_set(err, where, "a broken event line: %s", jerr.text);
        } else if (rc) {
            hl_error_setn(err, -rc, path, "reading the event log: %s", strerror(-rc));
        }
    }
    free(line);
    fclose(f);
    return rc;
}

static int append_parsed(void *data, const char *line, size_t length, json_error_t *jerr)
{
    json_t *event = json_loadb(line, length, 0, jerr);
    if (!event)
        return -EINVAL;
    return json_array_append_new(data, event) ? -ENOMEM : 0;
}

int event_lines_read_array(const char *path, json_t **events, struct hl_error *err)
{
    *events = json_array();
    int rc = event_lines_read(path, append_parsed, *events, err);
    if (rc) {
        json_decref(*events);
        *events = NULL;
    }
    return rc;
}
