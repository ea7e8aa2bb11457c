/* resultsfile.c: see resultsfile.h. */
#include "resultsfile.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic.h"
#include "results.h"
#include "splice.h"

int results_spool_open(struct results_spool *spool, const char *dir, struct hl_error *err)
{
    spool->runs = 0;
    spool->file = NULL;
    int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0) { /* a file system without O_TMPFILE: a name, unlinked at once */
        char path[4096];
        snprintf(path, sizeof path, "%s/runs.XXXXXX", dir);
        fd = mkostemp(path, O_CLOEXEC);
        if (fd >= 0)
            unlink(path);
    }
    if (fd >= 0 && !(spool->file = fdopen(fd, "w+")))
        close(fd);
    if (!spool->file)
        return hl_error_setn(err, errno, dir, "cannot make a file for the runs: %s",
                             strerror(errno));
    return 0;
}

/* A run's "connections" array, at its place in the spool. */
static void put_conns(FILE *out, const struct results_run *run)
{
    if (run->conn_count == 0) {
        fputs("[]", out);
        return;
    }
    fputs("[\n", out);
    for (size_t i = 0; i < run->conn_count; i++) {
        if (i)
            fputs(",\n", out);
        splice_put_conn(out, &run->conns[i]);
    }
    fputs("\n" SPLICE_RUN_INDENT "  ]", out);
}

int results_spool_add(struct results_spool *spool, const struct results_run *run,
                      struct hl_error *err)
{
    size_t at = 0;
    char *text = splice_dump_split(run->run, "connections", &at);
    if (!text)
        return hl_error_setn(err, ENOMEM, "results", "out of memory");
    FILE *out = spool->file;
    if (spool->runs++)
        fputs(",\n", out);
    fputs(SPLICE_RUN_INDENT, out);
    splice_put_indented(out, text, at, SPLICE_RUN_INDENT);
    put_conns(out, run);
    splice_put_indented(out, text + at + 2, strlen(text + at + 2), SPLICE_RUN_INDENT);
    free(text);
    if (fflush(out) != 0 || ferror(out))
        return hl_error_setn(err, errno ? errno : EIO, "results",
                             "cannot keep the runs in a temporary file: %s",
                             strerror(errno ? errno : EIO));
    return 0;
}

void results_spool_close(struct results_spool *spool)
{
    if (spool->file)
        fclose(spool->file);
    spool->file = NULL;
}

int results_run_save(const struct results_run *run, const char *path, struct hl_error *err)
{
    struct results_spool one = {.file = fopen(path, "we"), .runs = 0};
    if (!one.file)
        return hl_error_setn(err, errno, path, "cannot keep the run: %s", strerror(errno));
    int rc = results_spool_add(&one, run, err);
    if (fclose(one.file) != 0 && rc == 0)
        rc = hl_error_setn(err, errno, path, "cannot keep the run: %s", strerror(errno));
    return rc;
}

int results_spool_append_saved(struct results_spool *spool, const char *path, struct hl_error *err)
{
    char buffer[1 << 16];
    size_t n;
    FILE *in = fopen(path, "re");
    if (!in)
        return hl_error_setn(err, errno, path, "cannot read a kept run: %s", strerror(errno));
    if (spool->runs++)
        fputs(",\n", spool->file);
    while ((n = fread(buffer, 1, sizeof buffer, in)) > 0)
        fwrite(buffer, 1, n, spool->file);
    int failed = ferror(in) || fflush(spool->file) != 0 || ferror(spool->file);
    fclose(in);
    if (failed)
        return hl_error_setn(err, EIO, path, "cannot copy a kept run into the spool");
    return 0;
}

int results_read(const char *path, json_t **results, struct hl_error *err)
{
    json_error_t jerr;
    *results = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!*results && access(path, R_OK) != 0)
        return hl_error_setn(err, ENOENT, path, "cannot read it: %s", strerror(errno));
    if (!*results)
        return hl_error_set(err, path, "not valid JSON at line %d, column %d: %s", jerr.line,
                            jerr.column, jerr.text);
    const char *format = json_string_value(json_object_get(*results, "format"));
    if (!json_is_object(*results) || !format || strcmp(format, RESULTS_FORMAT) != 0) {
        json_decref(*results);
        *results = NULL;
        return hl_error_setn(err, ENOMSG, path, "not a results file (no \"format\": \"%s\")",
                             RESULTS_FORMAT);
    }
    return 0;
}

int results_check_writable(const char *path, struct hl_error *err)
{
    char *copy = strdup(path);
    if (!copy)
        return hl_error_setn(err, ENOMEM, path, "out of memory");
    const char *dir = dirname(copy);
    int rc = access(dir, W_OK | X_OK);
    int e = errno;
    if (rc < 0) {
        hl_error_setn(err, e, path, "cannot write results into %s: %s", dir, strerror(e));
        free(copy);
        return -e;
    }
    free(copy);
    return 0;
}

/* atomic_write's fn: the tree as json_dumpf writes it. */
static int write_tree(FILE *out, void *data)
{
    if (json_dumpf(data, out, JSON_SORT_KEYS | JSON_INDENT(2)) < 0)
        return -1;
    return fputc('\n', out) == EOF ? -1 : 0;
}

int results_write_atomic(const char *path, json_t *root, struct hl_error *err)
{
    return atomic_write(path, write_tree, root, err);
}

struct spooled {
    const char *text; /* the root, with "runs": [] */
    size_t runs_at;   /* where its "[]" is */
    struct results_spool *spool;
};

/* The spool's runs, appended to out. */
static int copy_spool(FILE *spool, FILE *out)
{
    char buffer[1 << 16];
    size_t n;
    if (fflush(spool) != 0 || fflush(out) != 0)
        return -1;
    /* the kernel copies (copy_file_range), else through a buffer */
    int from = fileno(spool), to = fileno(out);
    off_t offset = 0, size = lseek(from, 0, SEEK_END);
    while (offset < size) {
        ssize_t copied = copy_file_range(from, &offset, to, NULL, (size_t)(size - offset), 0);
        if (copied <= 0)
            break;
    }
    while (offset < size && (n = (size_t)pread(from, buffer, sizeof buffer, offset)) > 0 &&
           n <= sizeof buffer) {
        if (fwrite(buffer, 1, n, out) != n)
            return -1;
        offset += (off_t)n;
    }
    return offset < size ? -1 : 0;
}

/* atomic_write's fn: the root's text, the spooled runs in its "runs". */
static int write_spooled(FILE *out, void *data)
{
    struct spooled *w = data;
    fwrite(w->text, 1, w->runs_at, out);
    if (w->spool->runs == 0) {
        fputs("[]", out);
    } else {
        fputs("[\n", out);
        if (copy_spool(w->spool->file, out))
            return -1;
        fputs("\n  ]", out);
    }
    fputs(w->text + w->runs_at + 2, out);
    fputc('\n', out);
    return ferror(out) ? -1 : 0;
}

int results_write_spooled(const char *path, json_t *root, struct results_spool *spool,
                          struct hl_error *err)
{
    struct spooled w = {.spool = spool};
    char *text = splice_dump_split(root, "runs", &w.runs_at);
    if (!text)
        return hl_error_setn(err, ENOMEM, path, "out of memory");
    w.text = text;
    int rc = atomic_write(path, write_spooled, &w, err);
    free(text);
    return rc;
}
