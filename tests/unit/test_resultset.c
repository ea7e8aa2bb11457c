/* test_resultset.c: loading a directory of results files (what is taken,
 * passed over, refused) and picking the reference set (resultset.h), in a
 * temporary directory. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "check.h"
#include "atomic.h"
#include "files.h"
#include "resultset.h"

static char root[PATH_MAX];

static void put(const char *relative, const char *text)
{
    char path[PATH_MAX * 2], dir[PATH_MAX * 2];
    struct hl_error err;
    snprintf(path, sizeof path, "%s/%s", root, relative);
    snprintf(dir, sizeof dir, "%.*s", (int)(strrchr(path, '/') - path), path);
    files_make_dirs(dir, &err);
    CHECK_INT(atomic_write_text(path, text, strlen(text), &err), 0);
}

static const char *results(const char *name, const char *started_at)
{
    static char text[1024];
    snprintf(text, sizeof text,
             "{\"format\": \"backlog-lab results 1\", \"name\": \"%s\", \"plots\": [],"
             " \"environment\": {\"started_at\": \"%s\"},"
             " \"runs\": [{\"point\": 0, \"sweep\": {}, \"summary\": {\"connected\": 3}}]}",
             name, started_at);
    return text;
}

int main(void)
{
    struct resultset set;
    struct hl_error err;
    struct utsname uts;
    char dir[PATH_MAX * 2], picked[PATH_MAX];

    snprintf(root, sizeof root, "%s/test_resultset.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    CHECK(mkdtemp(root) != NULL);

    /* two results files (the second named apart from its file), a file
     * that is not a results file, a plot folder, an index page */
    put("results/b-scenario.json", results("b-scenario", "2026-01-01T10:00:00Z"));
    put("results/a.json", results("renamed", "2026-01-01T10:00:00Z"));
    put("results/compare.json", "{\"format\": \"backlog-lab compare 1\"}");
    put("results/b-scenario/outcomes.dat", "x");
    put("results/index.html", "<!DOCTYPE html>");
    snprintf(dir, sizeof dir, "%s/results", root);
    CHECK_INT(resultset_load(&set, dir, &err), 0);
    CHECK_INT(set.count, 2);
    CHECK_STR(set.entries[0].name, "renamed"); /* file name order */
    CHECK_STR(set.entries[0].stem, "a");
    CHECK_STR(set.entries[1].name, "b-scenario");
    CHECK(resultset_find(&set, "renamed") == &set.entries[0]);
    CHECK(resultset_find(&set, "a") == NULL);
    CHECK_INT(json_array_size(set.skipped), 1);
    /* point summaries computed for a file written before they existed */
    CHECK(json_is_array(json_object_get(set.entries[0].results, "point_summaries")));
    CHECK(resultset_environment(&set) != NULL);
    resultset_free(&set);

    /* an invalid file is an error naming it; so is a missing directory */
    put("results/broken.json", "{\"format\": ");
    CHECK(resultset_load(&set, dir, &err) < 0);
    CHECK_CONTAINS(err.where, "broken.json");
    CHECK_CONTAINS(err.what, "not valid JSON");
    snprintf(dir, sizeof dir, "%s/nowhere", root);
    CHECK(resultset_load(&set, dir, &err) < 0);

    /* every point skipped (a link whose qdisc the kernel lacks): a result,
     * with nothing to summarize; no runs and no reason: an error */
    put("skips/all-skipped.json",
        "{\"format\": \"backlog-lab results 1\", \"name\": \"veth\", \"plots\": [],"
        " \"runs\": [], \"skipped\": [{\"point\": 0, \"sweep\": {},"
        " \"reason\": \"this kernel has no netem qdisc\"}]}");
    snprintf(dir, sizeof dir, "%s/skips", root);
    CHECK_INT(resultset_load(&set, dir, &err), 0);
    CHECK_INT(set.count, 1);
    CHECK_INT(json_array_size(json_object_get(set.entries[0].results, "point_summaries")), 0);
    resultset_free(&set);
    put("skips/no-runs.json",
        "{\"format\": \"backlog-lab results 1\", \"name\": \"x\", \"runs\": []}");
    CHECK(resultset_load(&set, dir, &err) < 0);
    CHECK_CONTAINS(err.where, "no-runs.json");

    /* an empty directory: an empty set */
    put("empty/readme.txt", "nothing here");
    snprintf(dir, sizeof dir, "%s/empty", root);
    CHECK_INT(resultset_load(&set, dir, &err), 0);
    CHECK_INT(set.count, 0);
    resultset_free(&set);

    /* the reference set: the newest of two, then the one named after the
     * running kernel */
    put("reference/old-kernel/x.json", results("x", "2025-01-01T00:00:00Z"));
    put("reference/new-kernel/x.json", results("x", "2026-06-01T00:00:00Z"));
    snprintf(dir, sizeof dir, "%s/reference", root);
    CHECK_INT(resultset_pick_reference(dir, picked, sizeof picked, &err), 0);
    CHECK_CONTAINS(picked, "/reference/new-kernel");
    CHECK(uname(&uts) == 0);
    char mine[PATH_MAX];
    snprintf(mine, sizeof mine, "reference/%s/x.json", uts.release);
    put(mine, results("x", "2000-01-01T00:00:00Z"));
    CHECK_INT(resultset_pick_reference(dir, picked, sizeof picked, &err), 0);
    CHECK_CONTAINS(picked, uts.release);
    snprintf(dir, sizeof dir, "%s/empty", root);
    CHECK(resultset_pick_reference(dir, picked, sizeof picked, &err) < 0);

    char command[PATH_MAX + 16];
    snprintf(command, sizeof command, "rm -rf '%s'", root);
    CHECK_INT(system(command), 0);
    return check_exit();
}
