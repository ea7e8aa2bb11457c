/* resultset.h: a directory of results files, as `make experiments` leaves
 * them (results/<name>.json) or as a reference set keeps them
 * (results/reference/<kernel release>/<name>.json).
 *
 * resultset_load() reads every *.json directly in the directory, in file
 * name order. A file whose "format" is not a results file's (a
 * compare.json, a scenario) is passed over and listed in `skipped`; a file
 * that is not valid JSON, or a results file without a name or runs (unless
 * its "skipped" says why every point was skipped), is an error: a set that
 * silently lost a scenario would compare wrongly. Files
 * written before results held "point_summaries" get them computed
 * (aggregate.h), so every entry has them. */
#ifndef HARNESS_RESULTSET_H
#define HARNESS_RESULTSET_H

#include <jansson.h>
#include <limits.h>
#include <stddef.h>

#include "error.h"

struct resultset_entry {
    char name[256];      /* the results' "name": how sets are matched */
    char stem[256];      /* the file name without .json: its plots are in dir/<stem>/ */
    char file[PATH_MAX]; /* dir/<stem>.json */
    json_t *results;     /* owned */
};

struct resultset {
    char dir[PATH_MAX];
    struct resultset_entry *entries;
    size_t count;
    json_t *skipped; /* ["file: why", ...], owned */
};

/* Loads dir's results files. Fails (-ENOENT, -ENOTDIR, -EINVAL) with the
 * file and what is wrong, holding nothing then; an empty set (no results
 * file) is not an error here: callers decide. */
int resultset_load(struct resultset *set, const char *dir, struct hl_error *err);

void resultset_free(struct resultset *set);

/* The entry whose results are named name, or NULL. */
const struct resultset_entry *resultset_find(const struct resultset *set, const char *name);

/* The environment of a set: its first entry's (every run of a set normally
 * comes from one machine); NULL for an empty set. */
const json_t *resultset_environment(const struct resultset *set);

/* Which reference set under root (results/reference) to compare with: the
 * subdirectory named after the running kernel's release (uname -r) if there
 * is one, else the only one, else the newest (the latest
 * environment.started_at of its results). Writes its path into out.
 * Fails with -ENOENT when root holds no set. */
int resultset_pick_reference(const char *root, char *out, size_t size, struct hl_error *err);

#endif
