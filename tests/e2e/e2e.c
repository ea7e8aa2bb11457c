/* e2e.c: see e2e.h. */
#include "e2e.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "alone.h"
#include "scenario.h"

int e2e_failures;
int e2e_load_seen;
char e2e_load_why[512];
static char temp_dir[256];
static char last_stderr[8192];

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void remove_temp_dir(void)
{
    if (temp_dir[0])
        nftw(temp_dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

const char *e2e_temp_dir(void)
{
    if (!temp_dir[0]) {
        snprintf(temp_dir, sizeof temp_dir, "%s/backlog-lab-test.XXXXXX",
                 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
        if (!mkdtemp(temp_dir)) {
            perror("mkdtemp");
            exit(1);
        }
        atexit(remove_temp_dir);
    }
    return temp_dir;
}

int e2e_require_netns(void)
{
    pid_t pid = fork();
    if (pid == 0)
        _exit(unshare(CLONE_NEWNET) == 0 ? 0 : 1);
    int status = 0;
    waitpid(pid, &status, 0);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    fprintf(stderr, "SKIP: cannot make a network namespace here (needs root / CAP_SYS_ADMIN)\n");
    return E2E_SKIP;
}

const char *e2e_binary(const char *name)
{
    static char path[4][512];
    static int next;
    const char *dir = getenv("HARNESS_BIN_DIR");
    char *out = path[next++ % 4];
    snprintf(out, sizeof path[0], "%s/%s", dir ? dir : ".", name);
    return out;
}

const char *e2e_scenario(const char *name)
{
    static char path[512];
    const char *dir = getenv("E2E_SCENARIO_DIR");
    snprintf(path, sizeof path, "%s/%s.json", dir ? dir : "scenarios", name);
    return path;
}

int e2e_exec(char *const argv[], char *capture, size_t size)
{
    int pipefd[2] = {-1, -1};
    if (capture && pipe(pipefd) < 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0);
        dup2(capture ? pipefd[1] : null, 1);
        dup2(capture ? pipefd[1] : null, 2);
        execv(argv[0], argv);
        _exit(127);
    }
    if (capture) {
        size_t used = 0;
        ssize_t n;
        close(pipefd[1]);
        while ((n = read(pipefd[0], capture + used, size - 1 - used)) > 0 && used + 1 < size)
            used += (size_t)n;
        capture[used] = '\0';
        char sink[4096];
        while (read(pipefd[0], sink, sizeof sink) > 0)
            ;
        close(pipefd[0]);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void e2e_note_load(const char *scenario_path)
{
    struct scenario s;
    struct hl_error err;
    if (scenario_load(&s, scenario_path, &err) == 0) {
        for (size_t i = 0; i < s.point_count; i++) {
            struct point_params params;
            char why[200];
            enum alone_kind kind = ALONE_NO;
            if (scenario_point(&s, i, &params, NULL, &err) == 0)
                kind = point_runs_alone(&params, why, sizeof why);
            if ((int)kind > e2e_load_seen) {
                e2e_load_seen = (int)kind;
                snprintf(e2e_load_why, sizeof e2e_load_why, "%s, point %zu: %s", scenario_path, i,
                         why);
            }
        }
    }
    scenario_free(&s);
}

int e2e_run(const char *scenario_path, const char *output, const char *const extra[])
{
    e2e_note_load(scenario_path);
    char *argv[16];
    int n = 0;
    argv[n++] = (char *)e2e_binary("harness-run");
    argv[n++] = (char *)scenario_path;
    argv[n++] = "-o";
    argv[n++] = (char *)output;
    argv[n++] = "-q";
    for (int i = 0; extra && extra[i] && n < 15; i++)
        argv[n++] = (char *)extra[i];
    argv[n] = NULL;
    int rc = e2e_exec(argv, last_stderr, sizeof last_stderr);
    return rc;
}

const char *e2e_last_stderr(void)
{
    return last_stderr;
}

json_t *e2e_run_results(const char *name)
{
    char output[512];
    json_error_t jerr;
    snprintf(output, sizeof output, "%s/%s.json", e2e_temp_dir(), name);
    int rc = e2e_run(e2e_scenario(name), output, NULL);
    if (rc != 0) {
        e2e_failures++;
        fprintf(stderr, "FAIL: harness-run %s exited %d:\n%s\n", name, rc, last_stderr);
        return NULL;
    }
    json_t *results = json_load_file(output, 0, &jerr);
    if (!results) {
        e2e_failures++;
        fprintf(stderr, "FAIL: cannot load %s: %s\n", output, jerr.text);
    }
    return results;
}

/* Object keys may hold dots themselves ("net.core.somaxconn"): at each
 * object the longest prefix of the rest of the path that is a key wins. */
int e2e_results_skipped(json_t *results)
{
    if (json_array_size(jget(results, "skipped")) == 0)
        return 0;
    fprintf(stderr, "SKIP: %s\n", json_string_value(jget(results, "skipped.0.reason")));
    return 1;
}

json_t *jget(json_t *root, const char *path)
{
    char part[256];
    const char *p = path;
    json_t *node = root;
    while (node && *p) {
        size_t n = strlen(p);
        json_t *next = NULL;
        if (json_is_object(node)) {
            for (;;) {
                snprintf(part, sizeof part, "%.*s", (int)n, p);
                next = json_object_get(node, part);
                if (next)
                    break;
                while (n > 0 && p[n - 1] != '.')
                    n--;
                if (n == 0)
                    break;
                n--; /* drop the dot */
            }
        } else if (json_is_array(node)) {
            n = strcspn(p, ".");
            snprintf(part, sizeof part, "%.*s", (int)n, p);
            char *end;
            long index = strtol(part, &end, 10);
            if (*end == '\0' && end != part)
                next = json_array_get(node, (size_t)index);
        }
        if (!next)
            return NULL;
        node = next;
        p += n + (p[n] == '.' ? 1 : 0);
    }
    return node;
}

long long jint(json_t *root, const char *path)
{
    json_t *v = jget(root, path);
    if (!json_is_integer(v)) {
        e2e_failures++;
        fprintf(stderr, "FAIL: %s is not an integer in the results\n", path);
        return -999999;
    }
    return json_integer_value(v);
}

int e2e_sysctl(const char *name, char *out, size_t size)
{
    char path[256];
    snprintf(path, sizeof path, "/proc/sys/%s", name);
    for (char *c = path + 10; *c; c++)
        if (*c == '.')
            *c = '/';
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    if (!fgets(out, (int)size, f))
        out[0] = '\0';
    fclose(f);
    out[strcspn(out, "\n")] = '\0';
    return 0;
}

static char process_mark[64];

void e2e_mark_processes(void)
{
    snprintf(process_mark, sizeof process_mark, "E2E_MARK=%d-%ld", (int)getpid(), (long)time(NULL));
    setenv("E2E_MARK", strchr(process_mark, '=') + 1, 1);
}

int e2e_marked_processes(void)
{
    DIR *proc = opendir("/proc");
    struct dirent *d;
    int count = 0;
    char self[32];
    snprintf(self, sizeof self, "%d", (int)getpid());
    while (proc && (d = readdir(proc))) {
        char path[300], env[65536];
        if (d->d_name[0] < '0' || d->d_name[0] > '9' || strcmp(d->d_name, self) == 0)
            continue;
        snprintf(path, sizeof path, "/proc/%s/environ", d->d_name);
        int fd = open(path, O_RDONLY);
        if (fd < 0)
            continue;
        ssize_t n = read(fd, env, sizeof env - 1);
        close(fd);
        if (n <= 0)
            continue;
        /* entries are NUL-separated */
        for (ssize_t i = 0; i < n; i += (ssize_t)strlen(env + i) + 1) {
            env[n] = '\0';
            if (strcmp(env + i, process_mark) == 0) {
                count++;
                break;
            }
        }
    }
    if (proc)
        closedir(proc);
    return count;
}

int e2e_wait_marked(int at_least, int at_most, int seconds)
{
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        int n = e2e_marked_processes();
        if (n >= at_least && n <= at_most)
            return n;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec - start.tv_sec >= seconds)
            return n;
        usleep(5000);
    }
}

static ssize_t read_proc(const char *pid, const char *what, char *buf, size_t size)
{
    char path[300];
    snprintf(path, sizeof path, "/proc/%s/%s", pid, what);
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, buf, size - 1);
    close(fd);
    if (n >= 0)
        buf[n] = '\0';
    return n;
}

/* NUL-separated entries: whether one equals (exact) or contains text. */
static int has_entry(const char *buf, ssize_t n, const char *text, int exact)
{
    for (ssize_t i = 0; i < n; i += (ssize_t)strlen(buf + i) + 1)
        if (exact ? strcmp(buf + i, text) == 0 : strstr(buf + i, text) != NULL)
            return 1;
    return 0;
}

static pid_t find_process(const char *program, const char *needle)
{
    static char env[65536], cmdline[65536];
    DIR *proc = opendir("/proc");
    struct dirent *d;
    pid_t found = 0;
    while (proc && !found && (d = readdir(proc))) {
        if (d->d_name[0] < '0' || d->d_name[0] > '9' || atoi(d->d_name) == (int)getpid())
            continue;
        ssize_t n = read_proc(d->d_name, "environ", env, sizeof env);
        if (n <= 0 || !has_entry(env, n, process_mark, 1))
            continue;
        n = read_proc(d->d_name, "cmdline", cmdline, sizeof cmdline);
        if (n <= 0)
            continue;
        const char *base = strrchr(cmdline, '/') ? strrchr(cmdline, '/') + 1 : cmdline;
        if (strcmp(base, program) == 0 && (!needle || has_entry(cmdline, n, needle, 0)))
            found = (pid_t)atoi(d->d_name);
    }
    if (proc)
        closedir(proc);
    return found;
}

pid_t e2e_wait_process(const char *program, const char *needle, int seconds)
{
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        pid_t pid = find_process(program, needle);
        if (pid)
            return pid;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec - start.tv_sec >= seconds)
            return 0;
        usleep(2000);
    }
}

pid_t e2e_start(char *const argv[], const char *output, int new_group)
{
    pid_t pid = fork();
    if (pid == 0) {
        if (new_group)
            setpgid(0, 0);
        int null = open("/dev/null", O_RDWR);
        int out = output ? open(output, O_WRONLY | O_CREAT | O_TRUNC, 0644) : null;
        dup2(null, 0);
        dup2(out, 1);
        dup2(out, 2);
        execv(argv[0], argv);
        _exit(127);
    }
    if (pid > 0 && new_group)
        setpgid(pid, pid); /* also here: whichever runs first */
    return pid;
}

int e2e_wait(pid_t pid)
{
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

char *e2e_read_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char *text = NULL;
    size_t size = 0;
    FILE *mem = open_memstream(&text, &size);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        fwrite(buf, 1, n, mem);
    fclose(f);
    fclose(mem);
    return text;
}

int e2e_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    int rc = fputs(text, f) < 0;
    rc |= fclose(f) != 0;
    return rc ? -1 : 0;
}

static int leftovers, leftovers_quiet;

static int note_leftover(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    const char *base = path + ftw->base;
    size_t n = strlen(base);
    (void)st;
    if (flag == FTW_F && ((n > 4 && strcmp(base + n - 4, ".tmp") == 0) || strstr(base, ".tmp."))) {
        if (!leftovers_quiet)
            fprintf(stderr, "left behind: %s\n", path);
        leftovers++;
    }
    return 0;
}

int e2e_leftover_temp_files(const char *dir)
{
    leftovers = 0;
    leftovers_quiet = 0;
    nftw(dir, note_leftover, 8, FTW_PHYS);
    return leftovers;
}

int e2e_wait_for_text(const char *path, const char *text, int seconds)
{
    for (int i = 0; i < seconds * 100; i++) {
        char *content = e2e_read_file(path);
        int found = content && strstr(content, text);
        free(content);
        if (found)
            return 1;
        usleep(10000);
    }
    return 0;
}

int e2e_wait_temp_file(const char *dir, int seconds)
{
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        leftovers = 0;
        leftovers_quiet = 1;
        nftw(dir, note_leftover, 8, FTW_PHYS);
        if (leftovers)
            return 1;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec - start.tv_sec >= seconds)
            return 0;
        usleep(2000);
    }
}

int e2e_dir_entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int count = 0;
    while (d && (e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            count++;
    if (d)
        closedir(d);
    return count;
}

/* A counter of a point summary ("kernel.TW"): which counters changed
 * differs from run to run. */
static int is_counter(const char *key)
{
    return strncmp(key, "kernel", 6) == 0 && strchr(key, '.') != NULL;
}

/* Every key of want is in got with a value of the same type, objects
 * compared key by key (but counters, which list what changed) and lists
 * by their first item; each difference is named. skip: a path of got that
 * want may lack. */
void e2e_same_shape(const char *path, json_t *want, json_t *got, const char *skip)
{
    if (json_typeof(want) != json_typeof(got) && !(json_is_number(want) && json_is_number(got)) &&
        !(json_is_boolean(want) && json_is_boolean(got)) && !json_is_null(want) &&
        !json_is_null(got)) {
        CHECK(0, "%s: a %d in harness-run's file, a %d in the merged one", path, json_typeof(want),
              json_typeof(got));
        return;
    }
    /* null stands for a value not measured (with its reason elsewhere):
     * it has no members to compare */
    if (json_is_null(want) || json_is_null(got))
        return;
    /* counters: the ones always reported, then whichever changed */
    size_t n = strlen(path);
    if (json_is_object(want) && n > 15 && strcmp(path + n - 15, ".summary.kernel") == 0) {
        CHECK(jget(got, "ListenOverflows") && jget(got, "ListenDrops") &&
                  jget(got, "TCPSynRetrans"),
              "%s: the counters always reported", path);
        return;
    }
    if (json_is_object(want)) {
        const char *key;
        json_t *value;
        char child[512];
        json_object_foreach(want, key, value)
        {
            snprintf(child, sizeof child, "%s.%s", path, key);
            if (is_counter(key))
                continue;
            CHECK(json_object_get(got, key) != NULL, "%s: missing from the merged file", child);
            if (json_object_get(got, key))
                e2e_same_shape(child, value, json_object_get(got, key), skip);
        }
        json_object_foreach(got, key, value)
        {
            snprintf(child, sizeof child, "%s.%s", path, key);
            CHECK(json_object_get(want, key) != NULL || strcmp(child, skip) == 0 || is_counter(key),
                  "%s: only in the merged file", child);
        }
    } else if (json_is_array(want) && json_array_size(want) > 0 && json_array_size(got) > 0) {
        char child[512];
        snprintf(child, sizeof child, "%s[0]", path);
        e2e_same_shape(child, json_array_get(want, 0), json_array_get(got, 0), skip);
    }
}
