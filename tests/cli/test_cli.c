/* test_cli.c: the command lines a student types, on the shipped scenarios.
 *
 *   test_cli BUILD_DIR SOURCE_DIR TEST
 *
 * TEST is one of:
 *   help           every binary's --help lists every option, --version says
 *                  "NAME VERSION" (what help2man reads), and every key
 *                  of a point can be set by a harness-server or
 *                  harness-client option, whose --help line names it
 *   check_shipped  harness-run --check on every shipped scenario: exit 0 and
 *                  "FILE: ok (N points x R repeats = M runs)" per file, the
 *                  counts worked out here from the file itself
 *   check_mixed    --check goes on past an invalid file, prints its one
 *                  message and exits 2; writes nothing
 *   plan_json      --plan --json on every shipped scenario: every point in
 *                  sweep order with its swept and resolved values, and a
 *                  time from min_ms to max_ms = duration_ms
 *   plan_text      --plan and --plan --verbose: the header, one row per
 *                  point, the total; several files and their sum
 *   usage_errors   option mistakes, and missing directories given to
 *                  harness-compare and harness-report, exit 2 with a message
 *                  (harness-export without a file or --csv, too)
 *
 * Output is checked for structure and counts, never for a timing. */
#include <dirent.h>
#include <fcntl.h>
#include <jansson.h>
#include <spawn.h>
#include <sys/wait.h>

#include "../unit/check.h"
#include "cli.h"
#include "params.h"
#include "version.h"

extern char **environ;

static const char *build_dir, *source_dir;

struct output {
    int status; /* exit status, or -1 */
    char *out, *err;
};

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *text = NULL;
    size_t size = 0;
    if (!f)
        return strdup("");
    FILE *mem = open_memstream(&text, &size);
    char buffer[8192];
    size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, f)) > 0)
        fwrite(buffer, 1, n, mem);
    fclose(mem);
    fclose(f);
    return text;
}

/* Runs argv (argv[0] a program in BUILD_DIR) in directory cwd (or here). */
static struct output run_in(const char *cwd, const char *const argv[])
{
    struct output o = {.status = -1};
    char program[4096], out_path[] = "/tmp/cli-out.XXXXXX", err_path[] = "/tmp/cli-err.XXXXXX";
    int out_fd = mkstemp(out_path), err_fd = mkstemp(err_path);
    snprintf(program, sizeof program, "%s/%s", build_dir, argv[0]);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
    posix_spawn_file_actions_adddup2(&actions, err_fd, 2);
    char *args[64];
    size_t n = 0;
    args[n++] = program;
    for (size_t i = 1; argv[i] && n + 1 < sizeof args / sizeof args[0]; i++)
        args[n++] = (char *)argv[i];
    args[n] = NULL;
    char here[4096];
    if (cwd && (!getcwd(here, sizeof here) || chdir(cwd) != 0)) {
        perror(cwd);
        exit(2);
    }
    pid_t pid;
    int status;
    if (posix_spawn(&pid, program, &actions, NULL, args, environ) == 0 &&
        waitpid(pid, &status, 0) == pid && WIFEXITED(status))
        o.status = WEXITSTATUS(status);
    if (cwd && chdir(here) != 0)
        exit(2);
    posix_spawn_file_actions_destroy(&actions);
    close(out_fd);
    close(err_fd);
    o.out = read_all(out_path);
    o.err = read_all(err_path);
    unlink(out_path);
    unlink(err_path);
    return o;
}

static struct output run(const char *const argv[])
{
    return run_in(NULL, argv);
}

static void output_free(struct output *o)
{
    free(o->out);
    free(o->err);
}

static size_t count_lines(const char *text)
{
    size_t n = 0;
    for (; *text; text++)
        n += *text == '\n';
    return n;
}

/* The shipped scenarios (every .json in scenarios/ but the schema), sorted. */
static size_t shipped(char paths[][512], size_t max)
{
    char dir_path[4096];
    snprintf(dir_path, sizeof dir_path, "%s/scenarios", source_dir);
    DIR *dir = opendir(dir_path);
    struct dirent *entry;
    size_t n = 0;
    while (dir && (entry = readdir(dir)) && n < max) {
        size_t length = strlen(entry->d_name);
        if (length > 5 && strcmp(entry->d_name + length - 5, ".json") == 0 &&
            strcmp(entry->d_name, "schema.json") != 0)
            snprintf(paths[n++], 512, "%s/%s", dir_path, entry->d_name);
    }
    if (dir)
        closedir(dir);
    qsort(paths, n, 512, (int (*)(const void *, const void *))strcmp);
    return n;
}

/* What a scenario file says of its size, read here, not by the harness. */
struct expected {
    json_t *root;
    size_t points;
    long long repeat;
    json_t *sweep; /* borrowed; NULL without one */
};

static struct expected expect(const char *path)
{
    struct expected e = {0};
    json_error_t error;
    e.root = json_load_file(path, 0, &error);
    CHECK(e.root != NULL);
    e.points = 1;
    e.repeat = json_is_integer(json_object_get(e.root, "repeat"))
                   ? json_integer_value(json_object_get(e.root, "repeat"))
                   : 1;
    e.sweep = json_object_get(e.root, "sweep");
    const char *key;
    json_t *values;
    json_object_foreach(e.sweep, key, values) e.points *= json_array_size(values);
    return e;
}

static const char *plural(size_t n)
{
    return n == 1 ? "" : "s";
}

/* ---- tests ----------------------------------------------------------- */

static void test_help(void)
{
    static const char *const run_options[] = {"--output", "--no-netns", "--quiet",
                                              "--check",  "--plan",     "--verbose",
                                              "--json",   "--help",     "--version"};
    struct output o = run((const char *const[]){"harness-run", "--help", NULL});
    CHECK_INT(o.status, 0);
    for (size_t i = 0; i < sizeof run_options / sizeof run_options[0]; i++)
        CHECK_CONTAINS(o.out, run_options[i]);
    output_free(&o);

    static const char *const plot_options[] = {"--dir", "--point", "--quiet", "--help",
                                               "--version"};
    o = run((const char *const[]){"harness-plot", "--help", NULL});
    CHECK_INT(o.status, 0);
    for (size_t i = 0; i < sizeof plot_options / sizeof plot_options[0]; i++)
        CHECK_CONTAINS(o.out, plot_options[i]);
    output_free(&o);

    static const char *const compare_options[] = {"--output", "--no-plots", "--quiet", "--help",
                                                  "--version"};
    o = run((const char *const[]){"harness-compare", "--help", NULL});
    CHECK_INT(o.status, 0);
    for (size_t i = 0; i < sizeof compare_options / sizeof compare_options[0]; i++)
        CHECK_CONTAINS(o.out, compare_options[i]);
    output_free(&o);

    static const char *const report_options[] = {"--quiet", "--help", "--version"};
    o = run((const char *const[]){"harness-report", "--help", NULL});
    CHECK_INT(o.status, 0);
    for (size_t i = 0; i < sizeof report_options / sizeof report_options[0]; i++)
        CHECK_CONTAINS(o.out, report_options[i]);
    output_free(&o);

    static const char *const export_options[] = {"--csv", "--quiet", "--help", "--version"};
    o = run((const char *const[]){"harness-export", "--help", NULL});
    CHECK_INT(o.status, 0);
    for (size_t i = 0; i < sizeof export_options / sizeof export_options[0]; i++)
        CHECK_CONTAINS(o.out, export_options[i]);
    output_free(&o);

    /* --version, as help2man reads it for the man pages: "NAME VERSION" */
    static const char *const all[] = {"harness-run",   "harness-server",  "harness-client",
                                      "harness-plot",  "harness-compare", "harness-report",
                                      "harness-export"};
    for (size_t p = 0; p < sizeof all / sizeof all[0]; p++) {
        char expected[128];
        snprintf(expected, sizeof expected, "%s %s\n", all[p], HARNESS_VERSION);
        o = run((const char *const[]){all[p], "--version", NULL});
        CHECK_INT(o.status, 0);
        CHECK_STR(o.out, expected);
        output_free(&o);
    }

    static const char *const programs[] = {"harness-server", "harness-client"};
    static const enum cli_role roles[] = {CLI_SERVER, CLI_CLIENT};
    for (size_t p = 0; p < 2; p++) {
        o = run((const char *const[]){programs[p], "--help", NULL});
        CHECK_INT(o.status, 0);
        const char *name, *path;
        char buffer[128];
        for (size_t i = 0; (name = cli_option_name(roles[p], i, &path, buffer, sizeof buffer));
             i++) {
            char flag[96];
            snprintf(flag, sizeof flag, "  --%s ", name);
            CHECK_CONTAINS(o.out, flag);
            /* the option's line names the scenario key it sets */
            const char *line = strstr(o.out, flag);
            if (path && line) {
                char key[160];
                size_t length = strcspn(line, "\n");
                snprintf(key, sizeof key, "[%s", path);
                check_count++;
                if (!memmem(line, length, key, strlen(key))) {
                    check_failures++;
                    fprintf(stderr, "%s --help: the line of --%s does not name %s\n", programs[p],
                            name, path);
                }
            }
        }
        CHECK_CONTAINS(o.out, "Exit status: 0 done");
        output_free(&o);
    }

    /* every key of a point, but the runner's (sysctls, per side too, the
     * topology and link it builds, and the program it runs in the
     * server's place), has an option: --help then shows it */
    static const char *const groups[] = {"server", "client", "client.send", ""};
    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
        const char *const *keys = params_known_keys(groups[g]);
        for (size_t k = 0; keys && keys[k]; k++) {
            char path[128];
            snprintf(path, sizeof path, "%s%s%s", groups[g], groups[g][0] ? "." : "", keys[k]);
            if (strcmp(path, "client.send") == 0 || strcmp(path, "sysctls") == 0 ||
                strcmp(path, "server") == 0 || strcmp(path, "client") == 0 ||
                strcmp(path, "server.sysctls") == 0 || strcmp(path, "client.sysctls") == 0 ||
                strcmp(path, "topology") == 0 || strcmp(path, "link") == 0 ||
                strcmp(path, "server.command") == 0 || strcmp(path, "server.run_as_root") == 0 ||
                strcmp(path, "client.command") == 0 || strcmp(path, "client.run_as_root") == 0)
                continue;
            int found = 0;
            for (size_t p = 0; p < 2; p++) {
                const char *name, *option_path;
                char buffer[128];
                for (size_t i = 0;
                     (name = cli_option_name(roles[p], i, &option_path, buffer, sizeof buffer));
                     i++)
                    found |= option_path && strcmp(option_path, path) == 0;
            }
            check_count++;
            if (!found) {
                check_failures++;
                fprintf(stderr,
                        "%s: no harness-server or harness-client option sets it: add one to "
                        "the table in harness/cli.c\n",
                        path);
            }
        }
    }
}

static void test_check_shipped(void)
{
    char paths[64][512];
    size_t n = shipped(paths, 64);
    const char *argv[70] = {"harness-run", "--check"};
    CHECK(n >= 10);
    for (size_t i = 0; i < n; i++)
        argv[i + 2] = paths[i];
    argv[n + 2] = NULL;
    char work[] = "/tmp/cli-work.XXXXXX";
    CHECK(mkdtemp(work) != NULL);
    struct output o = run_in(work, argv);
    CHECK_INT(o.status, 0);
    CHECK_STR(o.err, "");
    /* a scenario that runs a program of its own (server.command or
     * client.command) has a second line, naming it */
    size_t programs = 0;
    for (size_t i = 0; i < n; i++) {
        struct expected e = expect(paths[i]);
        programs += json_object_get(json_object_get(e.root, "server"), "command") != NULL ||
                    json_object_get(json_object_get(e.root, "client"), "command") != NULL;
        json_decref(e.root);
    }
    CHECK_INT(count_lines(o.out), n + programs);
    const char *line = o.out;
    for (size_t i = 0; i < n && line; i++) {
        struct expected e = expect(paths[i]);
        char want[1024];
        size_t runs = e.points * (size_t)e.repeat;
        snprintf(want, sizeof want, "%s: ok (%zu point%s x %lld repeat%s = %zu run%s)\n", paths[i],
                 e.points, plural(e.points), e.repeat, plural((size_t)e.repeat), runs,
                 plural(runs));
        check_count++;
        if (strncmp(line, want, strlen(want)) != 0) {
            check_failures++;
            fprintf(stderr, "expected line: %s", want);
        }
        line = strchr(line, '\n');
        line = line ? line + 1 : NULL;
        int client = json_object_get(json_object_get(e.root, "client"), "command") != NULL;
        if (line && (client || json_object_get(json_object_get(e.root, "server"), "command"))) {
            snprintf(want, sizeof want, "%s: %s program: ", paths[i], client ? "client" : "server");
            check_count++;
            if (strncmp(line, want, strlen(want)) != 0) {
                check_failures++;
                fprintf(stderr, "expected line: %s...\n", want);
            }
            line = strchr(line, '\n');
            line = line ? line + 1 : NULL;
        }
        json_decref(e.root);
    }
    /* nothing written: no results/ in the working directory */
    char results[600];
    snprintf(results, sizeof results, "%s/results", work);
    CHECK(access(results, F_OK) != 0);
    rmdir(work);
    output_free(&o);
}

static void test_check_mixed(void)
{
    char good[512], bad[512], expected_path[512];
    snprintf(good, sizeof good, "%s/scenarios/no-listener.json", source_dir);
    snprintf(bad, sizeof bad, "%s/tests/invalid/cases/type-int-as-string.json", source_dir);
    snprintf(expected_path, sizeof expected_path,
             "%s/tests/invalid/cases/type-int-as-string.expected", source_dir);
    struct output o = run((const char *const[]){"harness-run", "--check", good, bad, good, NULL});
    CHECK_INT(o.status, 2);
    CHECK_INT(count_lines(o.out), 2);
    CHECK_INT(count_lines(o.err), 1);
    /* the same one line as running it (the catalogue's expectation) */
    char *expected = read_all(expected_path), *at = strstr(expected, "@FILE@");
    char want[2048];
    CHECK(at != NULL);
    if (at) {
        snprintf(want, sizeof want, "%.*s%s%s", (int)(at - expected), expected, bad, at + 6);
        CHECK_STR(o.err, want);
    }
    free(expected);
    output_free(&o);
}

/* Point index -> the index of each sweep key's value, first key outermost. */
static void point_indexes(json_t *sweep, size_t point, size_t *indexes)
{
    size_t count = json_object_size(sweep), k = count;
    const char *key;
    json_t *values;
    size_t sizes[16], i = 0;
    json_object_foreach(sweep, key, values) sizes[i++] = json_array_size(values);
    while (k-- > 0) {
        indexes[k] = point % sizes[k];
        point /= sizes[k];
    }
}

static void test_plan_json(void)
{
    char paths[64][512];
    size_t n = shipped(paths, 64);
    CHECK(n >= 10);
    for (size_t f = 0; f < n; f++) {
        struct expected e = expect(paths[f]);
        struct output o =
            run((const char *const[]){"harness-run", "--plan", "--json", paths[f], NULL});
        json_error_t error;
        json_t *plan = json_loads(o.out, 0, &error);
        CHECK_INT(o.status, 0);
        CHECK(plan != NULL);
        if (!plan) {
            fprintf(stderr, "  %s: %s\n", paths[f], o.err);
            output_free(&o);
            json_decref(e.root);
            continue;
        }
        CHECK_STR(json_string_value(json_object_get(plan, "format")), "backlog-lab plan 1");
        CHECK_STR(json_string_value(json_object_get(plan, "scenario_file")), paths[f]);
        CHECK_INT(json_integer_value(json_object_get(plan, "points")), e.points);
        CHECK_INT(json_integer_value(json_object_get(plan, "repeat")), e.repeat);
        CHECK_INT(json_integer_value(json_object_get(plan, "runs")), e.points * (size_t)e.repeat);
        json_t *points = json_object_get(plan, "plan"), *point;
        CHECK_INT(json_array_size(points), e.points);
        long long min_sum = 0, max_sum = 0;
        size_t i;
        json_array_foreach(points, i, point)
        {
            size_t indexes[16] = {0}, k = 0;
            const char *key;
            json_t *values, *params = json_object_get(point, "params");
            long long min = json_integer_value(json_object_get(point, "min_ms"));
            long long max = json_integer_value(json_object_get(point, "max_ms"));
            CHECK_INT(json_integer_value(json_object_get(point, "point")), i);
            CHECK_INT(json_integer_value(json_object_get(point, "runs")), e.repeat);
            CHECK_INT(max, json_integer_value(json_object_get(params, "duration_ms")));
            CHECK(min >= 0 && min <= max);
            CHECK(min == 0 || json_string_length(json_object_get(point, "because")) > 0);
            min_sum += min * e.repeat;
            max_sum += max * e.repeat;
            point_indexes(e.sweep, i, indexes);
            json_object_foreach(e.sweep, key, values)
            {
                json_t *want = json_array_get(values, indexes[k++]);
                json_t *got = json_object_get(json_object_get(point, "sweep"), key);
                CHECK(got && json_equal(got, want));
                /* resolved into params: a plain value as it was swept */
                json_t *resolved = params;
                if (strncmp(key, "sysctls.", 8) == 0) {
                    resolved = json_object_get(json_object_get(params, "sysctls"), key + 8);
                } else {
                    char part[128];
                    for (const char *p = key; resolved && *p;) {
                        size_t length = strcspn(p, ".");
                        snprintf(part, sizeof part, "%.*s", (int)length, p);
                        resolved = json_object_get(resolved, part);
                        p += length + (p[length] == '.');
                    }
                }
                if (!json_is_object(want))
                    CHECK(resolved && json_equal(resolved, want));
            }
        }
        CHECK_INT(json_integer_value(json_object_get(plan, "min_ms")), min_sum);
        CHECK_INT(json_integer_value(json_object_get(plan, "max_ms")), max_sum);
        /* what the mechanism says of three of them */
        const char *name = json_string_value(json_object_get(plan, "name"));
        json_array_foreach(points, i, point)
        {
            long long min = json_integer_value(json_object_get(point, "min_ms"));
            long long max = json_integer_value(json_object_get(point, "max_ms"));
            const char *because = json_string_value(json_object_get(point, "because"));
            if (strcmp(name, "backlog-never-accept") == 0) {
                CHECK_INT(min, max);
                CHECK_STR(because, "the server never accepts");
            } else if (strcmp(name, "sndbuf-autotune") == 0) {
                CHECK_INT(min, max);
                CHECK_STR(because, "the server never reads");
            } else if (strcmp(name, "no-listener") == 0) {
                CHECK_INT(min, 0);
            }
        }
        json_decref(plan);
        json_decref(e.root);
        output_free(&o);
    }
}

static void test_plan_text(void)
{
    char paths[64][512];
    size_t n = shipped(paths, 64);
    for (size_t f = 0; f < n; f++) {
        struct expected e = expect(paths[f]);
        struct output o = run((const char *const[]){"harness-run", "--plan", paths[f], NULL});
        char want[1024];
        size_t runs = e.points * (size_t)e.repeat;
        CHECK_INT(o.status, 0);
        CHECK_STR(o.err, "");
        snprintf(want, sizeof want, "%s: ", paths[f]);
        CHECK(strncmp(o.out, want, strlen(want)) == 0);
        snprintf(want, sizeof want, "\n%zu point%s x %lld repeat%s = %zu run%s", e.points,
                 plural(e.points), e.repeat, plural((size_t)e.repeat), runs, plural(runs));
        CHECK_CONTAINS(o.out, want);
        /* the table: a header naming each swept key, one row per point */
        const char *header = strstr(o.out, "\n  point  ");
        CHECK(header != NULL);
        if (header) {
            const char *end = strchr(header + 1, '\n');
            const char *key;
            json_t *values;
            json_object_foreach(e.sweep, key, values)
            {
                snprintf(want, sizeof want, "  %s", key);
                CHECK(strstr(header, want) && strstr(header, want) < end);
            }
            CHECK(strstr(header, "  runs  each run\n") == end - strlen("  runs  each run"));
            size_t rows = 0;
            for (const char *line = end + 1; line && *line == ' ';) {
                rows++;
                line = strchr(line, '\n');
                line = line ? line + 1 : NULL;
            }
            CHECK_INT(rows, e.points);
        }
        CHECK_CONTAINS(o.out, "\ntime: ");
        json_decref(e.root);
        output_free(&o);
    }

    /* several at once: each plan, then their total */
    const char *argv[70] = {"harness-run", "--plan"};
    size_t total_runs = 0;
    for (size_t f = 0; f < n; f++) {
        struct expected e = expect(paths[f]);
        total_runs += e.points * (size_t)e.repeat;
        argv[f + 2] = paths[f];
        json_decref(e.root);
    }
    argv[n + 2] = NULL;
    struct output all = run(argv);
    char total[128];
    CHECK_INT(all.status, 0);
    snprintf(total, sizeof total, "\n\nall %zu scenarios: %zu runs, ", n, total_runs);
    CHECK_CONTAINS(all.out, total);
    output_free(&all);

    char path[512];
    snprintf(path, sizeof path, "%s/scenarios/backlog-never-accept.json", source_dir);
    struct output o = run((const char *const[]){"harness-run", "--plan", "--verbose", path, NULL});
    CHECK_INT(o.status, 0);
    CHECK_CONTAINS(o.out, "time: 10.2 s\n"); /* 6 points that each last duration_ms 1700 */
    const int backlogs[] = {0, 1, 2, 4, 8, 16};
    for (size_t i = 0; i < 6; i++) {
        char want[128];
        snprintf(want, sizeof want, "\npoint %zu (server.backlog=%d):\n", i, backlogs[i]);
        CHECK_CONTAINS(o.out, want);
        snprintf(want, sizeof want, "    server.backlog = %d\n", backlogs[i]);
        CHECK_CONTAINS(o.out, want);
    }
    CHECK_CONTAINS(o.out, "    sysctls.net.core.somaxconn = 4096\n");
    CHECK_CONTAINS(o.out, "    server.accept = \"never\"\n");
    output_free(&o);
}

static void test_usage_errors(void)
{
    char path[512];
    snprintf(path, sizeof path, "%s/scenarios/no-listener.json", source_dir);
    const char *const *cases[] = {
        (const char *const[]){"harness-run", "--check", NULL},
        (const char *const[]){"harness-run", "--check", "-o", "/tmp/x.json", path, NULL},
        (const char *const[]){"harness-run", "--check", "--plan", path, NULL},
        (const char *const[]){"harness-run", "--verbose", path, NULL},
        (const char *const[]){"harness-run", "--plan", "--json", path, path, NULL},
        (const char *const[]){"harness-run", path, path, NULL},
        (const char *const[]){"harness-run", "--chek", path, NULL},
        (const char *const[]){"harness-compare", "/nonexistent-a", NULL},
        (const char *const[]){"harness-compare", "/nonexistent-a", "/nonexistent-b", NULL},
        (const char *const[]){"harness-compare", "a", "b", "c", NULL},
        (const char *const[]){"harness-compare", "--no-plot", NULL},
        (const char *const[]){"harness-report", "/nonexistent-a", NULL},
        (const char *const[]){"harness-report", "a", "b", NULL},
        (const char *const[]){"harness-export", path, NULL},
        (const char *const[]){"harness-export", "--csv", "/nonexistent-dir", NULL},
        (const char *const[]){"harness-export", path, path, "--csv", "/nonexistent-dir", NULL},
        (const char *const[]){"harness-export", path, "--cvs", "/nonexistent-dir", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct output o = run(cases[i]);
        CHECK_INT(o.status, 2);
        CHECK_STR(o.out, "");
        CHECK(strlen(o.err) > 0);
        output_free(&o);
    }
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s BUILD_DIR SOURCE_DIR TEST\n", argv[0]);
        return 2;
    }
    build_dir = argv[1];
    source_dir = argv[2];
    static const struct {
        const char *name;
        void (*run)(void);
    } tests[] = {
        {"help", test_help},
        {"check_shipped", test_check_shipped},
        {"check_mixed", test_check_mixed},
        {"plan_json", test_plan_json},
        {"plan_text", test_plan_text},
        {"usage_errors", test_usage_errors},
    };
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        if (strcmp(argv[3], tests[i].name) == 0) {
            tests[i].run();
            return check_exit();
        }
    }
    fprintf(stderr, "%s: no test %s\n", argv[0], argv[3]);
    return 2;
}
