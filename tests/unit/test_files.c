/* test_files.c: relative links between directories, mkdir -p and the
 * atomic write (files.h), in a temporary directory. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
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
    CHECK_INT(files_write_atomic(path, "{}\n", 3, &err), 0);
    CHECK(files_exists(path));
    FILE *f = fopen(path, "r");
    CHECK(f && fgets(buf, sizeof buf, f) && strcmp(buf, "{}\n") == 0);
    if (f)
        fclose(f);
    snprintf(path, sizeof path, "%s/results/compare/x/y", root);
    CHECK_INT(files_write_atomic(path, "z", 1, &err), 0);
    CHECK(files_make_dirs(path, &err) < 0);
    snprintf(path, sizeof path, "%s/no-such-dir/a", root);
    CHECK(files_write_atomic(path, "z", 1, &err) < 0);
    CHECK(!files_exists(path));

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
