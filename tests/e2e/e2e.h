/* e2e.h: helpers for end-to-end tests that run the real harness on the
 * real kernel, each point in a private network namespace.
 *
 * A test runs a scenario from tests/e2e/scenarios/ through harness-run,
 * loads the results and checks what the kernel guarantees (counts,
 * orderings, bounds derived from the mechanism), never a timing that a busy
 * machine could break. CHECK records a failure and goes on, so one run
 * reports everything that is wrong with it. */
#ifndef E2E_H
#define E2E_H

#include <jansson.h>
#include <stdint.h>
#include <sys/types.h>

#define E2E_SKIP 77

extern int e2e_failures;
/* The most a point of the test's scenarios asked for (alone.h: 0, or
 * ALONE_LOADS_CPU, or ALONE_TIMING) and why, as e2e_note_load() found it. */
extern int e2e_load_seen;
extern char e2e_load_why[512];

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            e2e_failures++;                                                                        \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);                        \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
        }                                                                                          \
    } while (0)

#define CHECK_EQ(actual, expected, what)                                                           \
    do {                                                                                           \
        long long a_ = (long long)(actual), e_ = (long long)(expected);                            \
        CHECK(a_ == e_, "%s: got %lld, expected %lld", what, a_, e_);                              \
    } while (0)

/* actual within tolerance of expected, either way */
#define CHECK_NEAR(actual, expected, tolerance, what)                                              \
    do {                                                                                           \
        long long a_ = (long long)(actual), e_ = (long long)(expected);                            \
        long long t_ = (long long)(tolerance);                                                     \
        CHECK(a_ - e_ <= t_ && e_ - a_ <= t_, "%s: got %lld, expected %lld +- %lld", what, a_, e_, \
              t_);                                                                                 \
    } while (0)

/* Returns 0 if this process may make network namespaces, else prints why
 * and returns E2E_SKIP. */
int e2e_require_netns(void);

/* Path of a test scenario: tests/e2e/scenarios/<name>.json */
const char *e2e_scenario(const char *name);

/* A fresh temporary directory for this test (removed at exit). */
const char *e2e_temp_dir(void);

/* Runs harness-run with the given extra arguments (NULL-terminated) and
 * returns its exit status; its stderr is saved (e2e_last_stderr). */
int e2e_run(const char *scenario_path, const char *output, const char *const extra[]);

/* Whether a point of the scenario runs alone (alone.h) and why, kept in
 * e2e_load_seen: main.c checks that the test is marked for it in tests.def
 * (HEAVY for a point that loads the CPU: one of ctest's CPU-heavy slots;
 * TIMING for a timing-sensitive one: the label "timing"). e2e_run() asks;
 * a test that starts harness-run another way asks itself. */
void e2e_note_load(const char *scenario_path);

/* Runs a scenario and loads its results; NULL (and a failure) if the run
 * did not exit 0. */
json_t *e2e_run_results(const char *name);

const char *e2e_last_stderr(void);

/* Whether the results skipped a point (a qdisc this kernel lacks); if so,
 * says why on stderr as a skip. */
int e2e_results_skipped(json_t *results);

/* Looks up a dotted path with numeric indexes: "runs.0.summary.connected". */
json_t *jget(json_t *root, const char *path);
long long jint(json_t *root, const char *path);

/* Path of a harness binary: <build>/harness-run etc. */
const char *e2e_binary(const char *name);

/* Spawns argv, waits, returns exit status (or 128+signal); output discarded
 * unless capture is given (stderr and stdout captured, truncated). */
int e2e_exec(char *const argv[], char *capture, size_t size);

/* Reads a sysctl of the current (host) namespace into out. */
int e2e_sysctl(const char *name, char *out, size_t size);

/* Marks this process's environment (inherited by everything it starts) and
 * counts the other live processes carrying the same mark: after a run,
 * anything still counted is an orphan. */
void e2e_mark_processes(void);
int e2e_marked_processes(void);

/* Waits (up to seconds) until the marked processes number between
 * at_least and at_most; returns the last count. */
int e2e_wait_marked(int at_least, int at_most, int seconds);

/* Waits (up to seconds) for a live marked process whose program is
 * program (argv[0]'s base name) and one of whose arguments contains needle
 * (NULL: any); returns its pid, or 0. */
pid_t e2e_wait_process(const char *program, const char *needle, int seconds);

/* Starts argv in the background, stdout and stderr to output (NULL:
 * /dev/null), stdin /dev/null; new_group: in a process group of its own
 * (whose id is the returned pid). */
pid_t e2e_start(char *const argv[], const char *output, int new_group);

/* Waits for pid: its exit status, or 128 + the signal that killed it. */
int e2e_wait(pid_t pid);

/* Every key of want (harness-run's file) is in got (a merged one) with a
 * value of the same type, objects compared key by key (but counters, which
 * list what changed) and lists by their first item; each difference is a
 * failure, named by its path. A null on either side (a value not
 * measured) matches any. skip: a path of got that want may lack. */
void e2e_same_shape(const char *path, json_t *want, json_t *got, const char *skip);

/* A whole file, NUL-terminated (free it), or NULL. */
char *e2e_read_file(const char *path);
int e2e_write_file(const char *path, const char *text);

/* Counts (and names on stderr) the files under dir that an interrupted or
 * failed write would leave: "*.tmp", ".*.tmp.*" and "*.tmp.*". */
int e2e_leftover_temp_files(const char *dir);

/* Waits (up to seconds) until such a temporary file exists under dir:
 * 1 when one does, else 0. */
int e2e_wait_temp_file(const char *dir, int seconds);

/* Waits (up to seconds) until the file at path holds text; 1 if it did. */
int e2e_wait_for_text(const char *path, const char *text, int seconds);

/* Counts the entries of a directory (0 when empty or missing). */
int e2e_dir_entries(const char *dir);

#endif
