/* files.c: see files.h. */
#include "files.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int files_make_dirs(const char *path, struct hl_error *err)
{
    char buf[PATH_MAX];
    struct stat st;
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char saved = *p;
            *p = '\0';
            if (mkdir(buf, 0777) && errno != EEXIST)
                return hl_error_setn(err, errno, buf, "cannot create the directory: %s",
                                     strerror(errno));
            *p = saved;
            if (!saved)
                break;
        }
    }
    if (stat(path, &st) || !S_ISDIR(st.st_mode))
        return hl_error_setn(err, ENOTDIR, path, "not a directory");
    return 0;
}

/* realpath() of a directory, or of a path whose last part may not exist
 * yet (its parent must). */
static int absolute(const char *path, char *out, struct hl_error *err)
{
    char parent[PATH_MAX], resolved[PATH_MAX];
    const char *slash;
    if (realpath(path, out))
        return 0;
    slash = strrchr(path, '/');
    if (slash && slash[1])
        snprintf(parent, sizeof parent, "%.*s", (int)(slash - path), slash == path ? "/" : path);
    else
        snprintf(parent, sizeof parent, ".");
    if (!realpath(parent, resolved))
        return hl_error_setn(err, errno, path, "cannot resolve: %s", strerror(errno));
    snprintf(out, PATH_MAX, "%s/%s", strcmp(resolved, "/") ? resolved : "",
             slash ? slash + 1 : path);
    return 0;
}

int files_relative_path(const char *from_dir, const char *target, char *out, size_t size,
                        struct hl_error *err)
{
    char from[PATH_MAX], to[PATH_MAX];
    size_t common = 0, i, used = 0;
    int rc;

    if ((rc = absolute(from_dir, from, err)) || (rc = absolute(target, to, err)))
        return rc;
    /* the longest common prefix that ends at a directory boundary */
    for (i = 0; from[i] && from[i] == to[i]; i++)
        if (from[i] == '/')
            common = i;
    if ((!from[i] && (to[i] == '/' || !to[i])) || (!to[i] && from[i] == '/'))
        common = i;
    out[0] = '\0';
    /* one ".." per directory of from below the common prefix */
    for (i = common; from[i]; i++) {
        if (from[i] == '/' && used + 4 < size) {
            memcpy(out + used, "../", 3);
            used += 3;
            out[used] = '\0';
        }
    }
    snprintf(out + used, size - used, "%s", to[common] == '/' ? to + common + 1 : to + common);
    used = strlen(out);
    if (used > 1 && out[used - 1] == '/')
        out[used - 1] = '\0'; /* "../", the directory itself: ".." */
    if (!out[0])
        snprintf(out, size, ".");
    return 0;
}

int files_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

size_t files_read_small(const char *path, char *out, size_t size)
{
    FILE *f = fopen(path, "re");
    size_t n = f ? fread(out, 1, size - 1, f) : 0;
    if (f)
        fclose(f);
    out[n] = '\0';
    return n;
}
