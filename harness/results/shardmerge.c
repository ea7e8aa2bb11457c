/* shardmerge.c: the shards of one scenario joined into the file one run
 * would have written (shards_merge, see shards.h). */
#include "shards.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "results.h"

struct shard_file {
    const char *path;
    json_t *results; /* owned */
    long long index, count;
    json_t *points;                     /* the shard's "points" (owned) */
    int by_hand;                        /* the merge of two halves of one point */
    size_t run_at, summary_at, skip_at; /* how far the join has taken each list */
};

/* What must agree between shards beside the scenario: one results file
 * says one kernel, one harness, one kind of namespace, one set of the
 * sysctls a fresh namespace starts with. */
static const char *const same_environment[] = {"kernel", "harness_version", "private_netns",
                                               "sysctls"};

/* A shard reads as its "shard" says; two halves of point p of a scenario
 * of P points merged (harness-run --merge, what the playbook of deploy/
 * makes per point) as that point's own shard, p+1/P. */
static int load_shard(const char *path, struct shard_file *f, struct hl_error *err)
{
    memset(f, 0, sizeof *f);
    f->path = path;
    int rc = results_read(path, &f->results, err);
    if (rc)
        return rc == -ENOENT ? rc : -EINVAL;
    const json_t *shard = json_object_get(f->results, "shard");
    const json_t *index = json_object_get(shard, "index"), *count = json_object_get(shard, "count");
    const json_t *by_hand = json_object_get(json_object_get(f->results, "environment"), "by_hand");
    const json_t *point = json_object_get(by_hand, "point");
    f->index = json_integer_value(index);
    f->points = json_incref(json_object_get(shard, "points"));
    if (!shard && json_is_integer(point)) {
        f->by_hand = 1;
        f->index = json_integer_value(point) + 1;
        index = point;
        count = json_object_get(f->results, "points");
        f->points = json_pack("[O]", point);
    }
    if (!json_is_integer(index) || !json_is_integer(count) || !json_is_array(f->points) ||
        !json_is_array(json_object_get(f->results, "runs")) ||
        !json_is_array(json_object_get(f->results, "point_summaries")))
        return hl_error_set(err, path,
                            "not a shard of a sweep (no \"shard\" with its index, count and "
                            "points, or no runs): harness-run --shard K/N writes one, and "
                            "harness-run --merge of the two halves of one point of a scenario "
                            "counts as that point's");
    f->count = json_integer_value(count);
    return 0;
}

/* Where a and b first differ, as a dotted path under prefix ("sweep.
 * server.backlog[2]"); 0 when they are equal. */
static int first_difference(const json_t *a, const json_t *b, char *path, size_t size)
{
    size_t at = strlen(path), i;
    const char *key;
    const json_t *v;
    if (json_typeof(a) != json_typeof(b) || (!json_is_object(a) && !json_is_array(a)))
        return !json_equal((json_t *)a, (json_t *)b);
    if (json_is_array(a)) {
        if (json_array_size(a) != json_array_size(b))
            return 1;
        json_array_foreach(a, i, v)
        {
            snprintf(path + at, size - at, "[%zu]", i);
            if (first_difference(v, json_array_get(b, i), path, size))
                return 1;
        }
        path[at] = '\0';
        return 0;
    }
    for (int side = 0; side < 2; side++) {
        const json_t *one = side ? b : a, *other = side ? a : b;
        json_object_foreach((json_t *)one, key, v)
        {
            snprintf(path + at, size - at, "%s%s", at ? "." : "", key);
            const json_t *w = json_object_get(other, key);
            if (!w || first_difference(v, w, path, size))
                return 1;
        }
    }
    path[at] = '\0';
    return 0;
}

static int check_environment(const struct shard_file *first, const struct shard_file *f,
                             struct hl_error *err)
{
    const json_t *a = json_object_get(first->results, "environment");
    const json_t *b = json_object_get(f->results, "environment");
    for (size_t k = 0; k < sizeof same_environment / sizeof *same_environment; k++) {
        char path[512] = "";
        const json_t *x = json_object_get(a, same_environment[k]);
        const json_t *y = json_object_get(b, same_environment[k]);
        if (!x || !y || !first_difference(x, y, path, sizeof path))
            continue;
        const json_t *xv = json_is_object(x) ? json_object_get(x, path) : x;
        const json_t *yv = json_is_object(y) ? json_object_get(y, path) : y;
        char *u = xv ? json_dumps(xv, JSON_ENCODE_ANY) : NULL;
        char *w = yv ? json_dumps(yv, JSON_ENCODE_ANY) : NULL;
        hl_error_set(err, f->path,
                     "environment.%s%s%s is %s here and %s in %s: one results file says one "
                     "machine setup, so merge only shards made with the same kernel, harness "
                     "and sysctls",
                     same_environment[k], path[0] ? "." : "", path, w ? w : "absent",
                     u ? u : "absent", first->path);
        free(u);
        free(w);
        return -EINVAL;
    }
    return 0;
}

/* f is of the same scenario, the same version of its file and the same N
 * as first, and was made where first was. */
static int check_same_sweep(const struct shard_file *first, const struct shard_file *f,
                            struct hl_error *err)
{
    const char *name = json_string_value(json_object_get(first->results, "name"));
    const char *other = json_string_value(json_object_get(f->results, "name"));
    char path[512] = "";
    if (!name || !other || strcmp(name, other) != 0)
        return hl_error_set(err, f->path,
                            "a shard of scenario \"%s\", where %s is of \"%s\": merge the shards "
                            "of one scenario",
                            other ? other : "?", first->path, name ? name : "?");
    if (first_difference(json_object_get(first->results, "scenario"),
                         json_object_get(f->results, "scenario"), path, sizeof path))
        return hl_error_set(err, f->path,
                            "made from another version of scenario \"%s\" than %s: the two "
                            "differ at %s; run every shard from one version of the file",
                            name, first->path, path[0] ? path : "the top level");
    if (f->count != first->count)
        return hl_error_set(err, f->path,
                            "shard %lld/%lld, where %s is shard %lld/%lld: the shards of one "
                            "sweep share their N",
                            f->index, f->count, first->path, first->index, first->count);
    return check_environment(first, f, err);
}

static int by_index(const void *a, const void *b)
{
    const struct shard_file *x = a, *y = b;
    return (x->index > y->index) - (x->index < y->index);
}

/* Every point in exactly one shard: owner[p] is the shard of point p. */
static int check_cover(struct shard_file *files, size_t count, size_t points, size_t *owner,
                       struct hl_error *err)
{
    qsort(files, count, sizeof *files, by_index);
    for (size_t s = 0; s < count; s++) {
        size_t i;
        const json_t *p;
        if (s > 0 && files[s].index == files[s - 1].index && files[s].by_hand)
            return hl_error_set(err, files[s].path, "point %lld again: %s holds it too",
                                files[s].index - 1, files[s - 1].path);
        if (s > 0 && files[s].index == files[s - 1].index)
            return hl_error_set(err, files[s].path, "shard %lld/%lld again: %s is that shard too",
                                files[s].index, files[s].count, files[s - 1].path);
        json_array_foreach(files[s].points, i, p)
        {
            json_int_t point = json_integer_value(p);
            if (!json_is_integer(p) || point < 0 || (size_t)point >= points)
                return hl_error_set(err, files[s].path,
                                    "shard.points[%zu] is not a point of the scenario's %zu", i,
                                    points);
            if (owner[point] != SIZE_MAX)
                return hl_error_set(err, files[s].path,
                                    "point %lld is in this shard and in %s: the shards overlap",
                                    (long long)point, files[owner[point]].path);
            owner[point] = s;
        }
    }
    for (size_t p = 0; p < points; p++)
        if (owner[p] == SIZE_MAX)
            return hl_error_set(err, files[0].path,
                                "point %zu is in none of the %zu shard%s given (it is shard "
                                "%zu/%lld's): give every shard of the sweep",
                                p, count, count == 1 ? "" : "s", p % (size_t)files[0].count + 1,
                                files[0].count);
    return 0;
}

/* Appends, from list key of f (from *at on), the entries of point p;
 * returns how many. */
static size_t take_point(struct shard_file *f, const char *key, size_t *at, size_t point,
                         json_t *into)
{
    const json_t *list = json_object_get(f->results, key);
    size_t taken = 0;
    for (; *at < json_array_size(list); ++*at, taken++) {
        json_t *entry = json_array_get(list, *at);
        if (json_integer_value(json_object_get(entry, "point")) != (json_int_t)point)
            break;
        json_array_append(into, entry);
    }
    return taken;
}

/* The runs, point summaries and skipped points of every shard, in the
 * points' order; a summary's run indexes move with its runs. */
static int join_lists(struct shard_file *files, size_t count, size_t points, const size_t *owner,
                      json_t *merged, struct hl_error *err)
{
    json_t *runs = json_array(), *summaries = json_array(), *skipped = json_array();
    json_object_set_new(merged, "runs", runs);
    json_object_set_new(merged, "point_summaries", summaries);
    json_object_set_new(merged, "skipped", skipped);
    for (size_t p = 0; p < points; p++) {
        struct shard_file *f = &files[owner[p]];
        size_t first_run = json_array_size(runs), first_summary = json_array_size(summaries);
        json_t *old_runs = json_object_get(
            json_array_get(json_object_get(f->results, "point_summaries"), f->summary_at), "runs");
        json_int_t was = json_integer_value(json_array_get(old_runs, 0));
        take_point(f, "runs", &f->run_at, p, runs);
        take_point(f, "skipped", &f->skip_at, p, skipped);
        if (take_point(f, "point_summaries", &f->summary_at, p, summaries) == 1) {
            json_t *copy = json_deep_copy(json_array_get(summaries, first_summary));
            results_point_summary_shift(copy, (json_int_t)first_run - was);
            json_array_set_new(summaries, first_summary, copy);
        }
    }
    for (size_t s = 0; s < count; s++) {
        struct shard_file *f = &files[s];
        if (f->run_at != json_array_size(json_object_get(f->results, "runs")) ||
            f->summary_at != json_array_size(json_object_get(f->results, "point_summaries")) ||
            f->skip_at != json_array_size(json_object_get(f->results, "skipped")))
            return hl_error_set(err, f->path,
                                "its runs, point summaries or skipped points are not in the "
                                "order of its points, or name a point its shard.points does "
                                "not list: not a file harness-run --shard wrote");
    }
    return 0;
}

/* The first shard's environment, begun at the earliest start, with every
 * shard's own in "shards" (where each ran, and when). */
static json_t *joined_environment(const struct shard_file *files, size_t count)
{
    json_t *environment = json_deep_copy(json_object_get(files[0].results, "environment"));
    json_t *shards = json_array();
    if (files[0].by_hand)
        json_object_del(environment, "by_hand"); /* each point's own, in "shards" */
    for (size_t s = 0; s < count; s++) {
        json_t *own = json_deep_copy(json_object_get(files[s].results, "environment"));
        const char *started = json_string_value(json_object_get(own, "started_at"));
        const char *earliest = json_string_value(json_object_get(environment, "started_at"));
        if (started && earliest && strcmp(started, earliest) < 0)
            json_object_set_new(environment, "started_at", json_string(started));
        json_object_del(own, "sysctls"); /* the same in all (checked) */
        json_object_set_new(own, "shard", json_integer((json_int_t)files[s].index));
        json_array_append_new(shards, own);
    }
    json_object_set_new(environment, "shards", shards);
    return environment;
}

static json_t *join(struct shard_file *files, size_t count, size_t points, const size_t *owner,
                    struct hl_error *err)
{
    json_t *merged = json_object();
    const char *key;
    json_t *value;
    json_object_foreach(files[0].results, key, value)
    {
        if (strcmp(key, "shard") != 0)
            json_object_set(merged, key, value);
    }
    json_object_set_new(merged, "environment", joined_environment(files, count));
    if (join_lists(files, count, points, owner, merged, err)) {
        json_decref(merged);
        return NULL;
    }
    return merged;
}

int shards_merge(char *const *paths, size_t count, json_t **results, struct hl_error *err)
{
    struct shard_file *files = calloc(count ? count : 1, sizeof *files);
    size_t loaded = 0, *owner = NULL, points = 0;
    int rc = files ? 0 : hl_error_setn(err, ENOMEM, "merge", "out of memory");
    *results = NULL;
    for (; rc == 0 && loaded < count; loaded++) {
        rc = load_shard(paths[loaded], &files[loaded], err);
        if (rc == 0 && loaded > 0)
            rc = check_same_sweep(&files[0], &files[loaded], err);
    }
    if (rc == 0) {
        json_int_t n = json_integer_value(json_object_get(files[0].results, "points"));
        points = n > 0 ? (size_t)n : 0;
        owner = malloc((points ? points : 1) * sizeof *owner);
        if (!owner)
            rc = hl_error_setn(err, ENOMEM, "merge", "out of memory");
        for (size_t p = 0; rc == 0 && p < points; p++)
            owner[p] = SIZE_MAX;
    }
    if (rc == 0)
        rc = check_cover(files, count, points, owner, err);
    if (rc == 0 && !(*results = join(files, count, points, owner, err)))
        rc = -EINVAL;
    for (size_t s = 0; s < loaded && files; s++) {
        json_decref(files[s].results);
        json_decref(files[s].points);
    }
    free(files);
    free(owner);
    return rc;
}
