/* resultset.c: see resultset.h. */
#include "resultset.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "aggregate.h"
#include "results.h"

static int is_json_name(const struct dirent *entry)
{
    size_t n = strlen(entry->d_name);
    return entry->d_name[0] != '.' && n > 5 && strcmp(entry->d_name + n - 5, ".json") == 0;
}

/* Adds one file to the set, or to its skipped list. */
static int load_file(struct resultset *set, const char *file, const char *stem,
                     struct hl_error *err)
{
    struct stat st;
    json_t *results;
    if (stat(file, &st) || !S_ISREG(st.st_mode))
        return 0; /* a directory named x.json: not a results file */
    int rc = results_read(file, &results, err);
    if (rc == -ENOMSG) {
        char why[PATH_MAX + 64];
        snprintf(why, sizeof why, "%s: %s", file, err->what);
        json_array_append_new(set->skipped, json_string(why));
        return 0;
    }
    if (rc)
        return rc;
    const char *name = json_string_value(json_object_get(results, "name"));
    json_t *runs = json_object_get(results, "runs");
    /* no runs is a result only when every point was skipped, saying why
     * (a link that needs a qdisc the kernel lacks) */
    if (!name || !name[0] || !json_is_array(runs) ||
        (json_array_size(runs) == 0 && json_array_size(json_object_get(results, "skipped")) == 0)) {
        json_decref(results);
        return hl_error_set(err, file, "a results file without a name or without runs");
    }
    if (!json_is_array(json_object_get(results, "point_summaries")))
        json_object_set_new(results, "point_summaries", aggregate_points(runs));
    for (size_t i = 0; i < set->count; i++) {
        if (strcmp(set->entries[i].name, name) == 0) {
            hl_error_set(err, file, "a second results file named \"%s\" (the first: %s)", name,
                         set->entries[i].file);
            json_decref(results);
            return -EINVAL;
        }
    }
    struct resultset_entry *grown = realloc(set->entries, (set->count + 1) * sizeof *set->entries);
    if (!grown) {
        json_decref(results);
        return hl_error_setn(err, ENOMEM, file, "out of memory");
    }
    set->entries = grown;
    struct resultset_entry *e = &set->entries[set->count++];
    snprintf(e->name, sizeof e->name, "%s", name);
    snprintf(e->stem, sizeof e->stem, "%s", stem);
    snprintf(e->file, sizeof e->file, "%s", file);
    e->results = results;
    return 0;
}

int resultset_load(struct resultset *set, const char *dir, struct hl_error *err)
{
    struct dirent **names = NULL;
    struct stat st;
    int n, rc = 0;

    memset(set, 0, sizeof *set);
    snprintf(set->dir, sizeof set->dir, "%s", dir);
    set->skipped = json_array();
    if (stat(dir, &st))
        rc = hl_error_setn(err, errno, dir, "cannot read: %s", strerror(errno));
    else if (!S_ISDIR(st.st_mode))
        rc = hl_error_setn(err, ENOTDIR, dir, "not a directory of results files");
    else if ((n = scandir(dir, &names, is_json_name, alphasort)) < 0)
        rc = hl_error_setn(err, errno, dir, "cannot list: %s", strerror(errno));
    if (rc) {
        resultset_free(set);
        return rc;
    }
    for (int i = 0; i < n; i++) {
        char file[PATH_MAX], stem[256];
        snprintf(file, sizeof file, "%s/%s", dir, names[i]->d_name);
        snprintf(stem, sizeof stem, "%.*s", (int)(strlen(names[i]->d_name) - 5), names[i]->d_name);
        if (!rc)
            rc = load_file(set, file, stem, err);
        free(names[i]);
    }
    free(names);
    if (rc)
        resultset_free(set);
    return rc;
}

void resultset_free(struct resultset *set)
{
    for (size_t i = 0; i < set->count; i++)
        json_decref(set->entries[i].results);
    free(set->entries);
    json_decref(set->skipped);
    set->entries = NULL;
    set->skipped = NULL;
    set->count = 0;
}

const struct resultset_entry *resultset_find(const struct resultset *set, const char *name)
{
    for (size_t i = 0; i < set->count; i++)
        if (strcmp(set->entries[i].name, name) == 0)
            return &set->entries[i];
    return NULL;
}

const json_t *resultset_environment(const struct resultset *set)
{
    return set->count ? json_object_get(set->entries[0].results, "environment") : NULL;
}

/* The latest environment.started_at of the results files in dir ("" if
 * none): ISO 8601 in UTC, so later strings sort later. */
static void latest_start(const char *dir, char *out, size_t size)
{
    struct resultset set;
    struct hl_error ignored;
    out[0] = '\0';
    if (resultset_load(&set, dir, &ignored))
        return;
    for (size_t i = 0; i < set.count; i++) {
        const char *at = json_string_value(
            json_object_get(json_object_get(set.entries[i].results, "environment"), "started_at"));
        if (at && strcmp(at, out) > 0)
            snprintf(out, size, "%s", at);
    }
    resultset_free(&set);
}

int resultset_pick_reference(const char *root, char *out, size_t size, struct hl_error *err)
{
    struct dirent **names = NULL;
    struct utsname uts;
    char best[PATH_MAX] = "", best_start[64] = "";
    int n, sets = 0, found = 0;

    n = scandir(root, &names, NULL, alphasort);
    if (n < 0)
        return hl_error_setn(err, errno, root, "no reference sets: %s", strerror(errno));
    if (uname(&uts))
        uts.release[0] = '\0';
    for (int i = 0; i < n; i++) {
        char path[PATH_MAX], start[64];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", root, names[i]->d_name);
        if (names[i]->d_name[0] != '.' && !stat(path, &st) && S_ISDIR(st.st_mode) && !found) {
            sets++;
            latest_start(path, start, sizeof start);
            if (strcmp(names[i]->d_name, uts.release) == 0) {
                snprintf(best, sizeof best, "%s", path);
                found = 1;
            } else if (!best[0] || strcmp(start, best_start) > 0) {
                snprintf(best, sizeof best, "%s", path);
                snprintf(best_start, sizeof best_start, "%s", start);
            }
        }
        free(names[i]);
    }
    free(names);
    if (!sets)
        return hl_error_setn(err, ENOENT, root,
                             "no reference sets (a directory per kernel release, each holding "
                             "results files)");
    snprintf(out, size, "%s", best);
    return 0;
}
