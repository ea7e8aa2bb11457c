/* atomic.c: see atomic.h. */
#include "atomic.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A file on its way to path. */
struct pending {
    char dir[PATH_MAX], base[NAME_MAX + 1];
    char tmp[PATH_MAX + NAME_MAX + 32]; /* dir/.base.tmp.PID */
    int fd;
    int named; /* tmp exists in the directory */
};

/* Removes what an earlier writer of path killed mid-write (SIGKILL, a
 * crash, a power cut) left: ".NAME.tmp.PID" beside it whose PID is gone. */
static void remove_stale_temps(const char *dir, const char *base)
{
    char prefix[NAME_MAX + 16];
    int prefix_length = snprintf(prefix, sizeof prefix, ".%s.tmp.", base);
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *entry;
    while ((entry = readdir(d))) {
        if (strncmp(entry->d_name, prefix, (size_t)prefix_length) != 0)
            continue;
        char *end;
        long pid = strtol(entry->d_name + prefix_length, &end, 10);
        if (*end || pid <= 0 || pid == (long)getpid() ||
            !(kill((pid_t)pid, 0) < 0 && errno == ESRCH))
            continue;
        unlinkat(dirfd(d), entry->d_name, 0);
    }
    closedir(d);
}

static int pending_names(struct pending *p, const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t dir_length = slash ? (size_t)(slash - path) : 0;
    const char *base = slash ? slash + 1 : path;
    if (dir_length >= sizeof p->dir || strlen(base) >= sizeof p->base || !base[0])
        return -ENAMETOOLONG;
    if (slash)
        snprintf(p->dir, sizeof p->dir, "%.*s", (int)(slash == path ? 1 : dir_length), path);
    else
        snprintf(p->dir, sizeof p->dir, ".");
    snprintf(p->base, sizeof p->base, "%s", base);
    snprintf(p->tmp, sizeof p->tmp, "%s/.%s.tmp.%ld", p->dir, p->base, (long)getpid());
    return 0;
}

/* Unnamed (O_TMPFILE) until it is complete; named .NAME.tmp.PID where the
 * file system cannot do that. Its mode, as with O_CREAT, less the umask. */
static int pending_open(struct pending *p)
{
    p->named = 0;
    p->fd = open(p->dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
    if (p->fd >= 0)
        return 0;
    if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
        return -errno;
    p->fd = open(p->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (p->fd < 0)
        return -errno;
    p->named = 1;
    return 0;
}

/* The content, flushed and on disk. Closes f (and with it p->fd). */
static int pending_fill(struct pending *p, FILE *f, atomic_content_fn write_content, void *data)
{
    errno = 0;
    if (write_content(f, data) < 0 || fflush(f) != 0 || fsync(fileno(f)) != 0) {
        int e = errno ? errno : EIO;
        fclose(f);
        return -e;
    }
    if (!p->named) {
        /* complete: named beside the target for the moment until the
         * rename (linkat cannot replace a file) */
        char proc_path[64];
        snprintf(proc_path, sizeof proc_path, "/proc/self/fd/%d", fileno(f));
        unlink(p->tmp);
        if (linkat(AT_FDCWD, proc_path, AT_FDCWD, p->tmp, AT_SYMLINK_FOLLOW) < 0) {
            int e = errno;
            fclose(f);
            return -e;
        }
        p->named = 1;
    }
    return fclose(f) != 0 ? -errno : 0;
}

static int pending_commit(struct pending *p, const char *path)
{
    if (rename(p->tmp, path) < 0)
        return -errno;
    p->named = 0;
    int dir_fd = open(p->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd >= 0) {
        fsync(dir_fd);
        close(dir_fd);
    }
    return 0;
}

static int write_blocked(struct pending *p, const char *path, atomic_content_fn write_content,
                         void *data)
{
    int rc = pending_open(p);
    if (rc)
        return rc;
    FILE *f = fdopen(p->fd, "w");
    if (!f) {
        rc = -errno;
        close(p->fd);
    } else {
        rc = pending_fill(p, f, write_content, data);
    }
    if (!rc)
        rc = pending_commit(p, path);
    if (rc && p->named)
        unlink(p->tmp);
    return rc;
}

int atomic_write(const char *path, atomic_content_fn write_content, void *data,
                 struct hl_error *err)
{
    struct pending p;
    int rc = pending_names(&p, path);
    if (rc == 0) {
        remove_stale_temps(p.dir, p.base);
        /* Ctrl-C while the file is written (fsync of megabytes takes a
         * while) must not leave the temporary file behind: the signal
         * waits until the file is in place or removed */
        sigset_t block, saved;
        sigemptyset(&block);
        sigaddset(&block, SIGINT);
        sigaddset(&block, SIGTERM);
        sigaddset(&block, SIGHUP);
        sigprocmask(SIG_BLOCK, &block, &saved);
        rc = write_blocked(&p, path, write_content, data);
        sigprocmask(SIG_SETMASK, &saved, NULL);
    }
    if (rc)
        hl_error_setn(err, -rc, path,
                      "cannot write: %s (the previous file, if any, is unchanged)",
                      strerror(-rc));
    return rc;
}

struct text {
    const char *text;
    size_t size;
};

static int write_text(FILE *out, void *data)
{
    const struct text *t = data;
    return fwrite(t->text, 1, t->size, out) == t->size ? 0 : -1;
}

int atomic_write_text(const char *path, const char *text, size_t size, struct hl_error *err)
{
    struct text t = {text, size};
    return atomic_write(path, write_text, &t, err);
}
