/* test_files.c: relative links between directories, mkdir -p and the
 * atomic write (atomic.h), in a temporary directory. */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "atomic.h"
#include "files.h"

static char root[PATH_MAX];

static const char *rel(const char *from, const char *to)
{
    static char out[PATH_MAX];
    char a[PATH_MAX * 2], b[PATH_MAX * 2];
    struct hl_error err;
    snprintf(a, sizeof a, "%s/%s", root, from);
    snprintf(b, sizeof b, "%s/%s", root, to);
    if (files_relative_path(a, b, out, sizeof out, &err))
        snprintf(out, sizeof out, "error: %s", err.what);
    return out;
}

/* Writes half a file, then fails as a full disk would. */
static int fail_halfway(FILE *out, void *data)
{
    (void)data;
    fputs("{\"half\":", out);
    return -1;
}

/* Entries of a directory other than . and .. */
static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    if (!d)
        return -1;
    while ((e = readdir(d)))
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

int main(void)
{
    struct hl_error err;
    char path[PATH_MAX * 2], buf[64];
    snprintf(root, sizeof root, "%s/test_files.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    CHECK(mkdtemp(root) != NULL);

    /* mkdir -p, twice; a file in the way is an error */
    snprintf(path, sizeof path, "%s/results/compare/x", root);
    CHECK_INT(files_make_dirs(path, &err), 0);
    CHECK_INT(files_make_dirs(path, &err), 0);
    snprintf(path, sizeof path, "%s/results/reference/6.1", root);
    CHECK_INT(files_make_dirs(path, &err), 0);

    /* atomic write: the content, and no temporary file left */
    snprintf(path, sizeof path, "%s/results/reference/6.1/a.json", root);
    CHECK_INT(atomic_write_text(path, "{}\n", 3, &err), 0);
    CHECK(files_exists(path));
    FILE *f = fopen(path, "r");
    CHECK(f && fgets(buf, sizeof buf, f) && strcmp(buf, "{}\n") == 0);
    if (f)
        fclose(f);
    snprintf(path, sizeof path, "%s/results/compare/x/y", root);
    CHECK_INT(atomic_write_text(path, "z", 1, &err), 0);
    CHECK(files_make_dirs(path, &err) < 0);
    snprintf(path, sizeof path, "%s/no-such-dir/a", root);
    CHECK(atomic_write_text(path, "z", 1, &err) < 0);
    CHECK(!files_exists(path));

    /* a writer that fails halfway leaves the earlier file as it was, and
     * no temporary file beside it */
    snprintf(path, sizeof path, "%s/results/reference/6.1/a.json", root);
    CHECK(atomic_write(path, fail_halfway, NULL, &err) < 0);
    CHECK_CONTAINS(err.what, "the previous file, if any, is unchanged");
    f = fopen(path, "r");
    CHECK(f && fgets(buf, sizeof buf, f) && strcmp(buf, "{}\n") == 0);
    if (f)
        fclose(f);
    snprintf(path, sizeof path, "%s/results/reference/6.1", root);
    CHECK_INT(count_entries(path), 1);

    /* relative links, the target's last part need not exist */
    CHECK_STR(rel("results/compare", "results/reference/6.1/a.json"), "../reference/6.1/a.json");
    CHECK_STR(rel("results", "results/a.json"), "a.json");
    CHECK_STR(rel("results/compare", "results/b.json"), "../b.json");
    CHECK_STR(rel("results/compare/x", "results/reference/6.1/a.json"),
              "../../reference/6.1/a.json");
    CHECK_STR(rel("results/compare", "results"), "..");
    CHECK_STR(rel("results", "results"), ".");
    CHECK_STR(rel("results/comp", "results/compare/x"), "../compare/x");
    CHECK(strncmp(rel("nowhere/deeper", "results"), "error", 5) == 0);

    char command[PATH_MAX + 16];
    snprintf(command, sizeof command, "rm -rf '%s'", root);
    CHECK_INT(system(command), 0);
    return check_exit();
}
