/* test_faults.c: faults during a run. Whatever breaks, the runner says
 * which point failed and why, exits 1, leaves no process behind and no
 * temporary file, and keeps the earlier results file byte for byte.
 *
 * Faults are injected from outside, as they happen: a child killed
 * (SIGKILL, as the OOM killer does) or hung (SIGSTOP: it can no longer
 * answer "stop") once its point is under way, found through /proc by its
 * point's params; a full file system or a read-only one (a small tmpfs in
 * a private mount namespace of this test: the host's mounts are never
 * touched); a low RLIMIT_NOFILE; a port already taken (in a network
 * namespace of this test). Nothing here waits a fixed time: each step
 * waits for a process to appear or to be gone, with a deadline. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "e2e.h"
#include "netns.h"

static const char earlier_results[] =
    "{\n  \"format\": \"an earlier results file\",\n  \"runs\": []\n}\n";

/* The runner's own temporary directory (TMPDIR) for this test. */
static const char *runner_tmp(void)
{
    static char path[512];
    if (!path[0]) {
        snprintf(path, sizeof path, "%s/runner-tmp", e2e_temp_dir());
        mkdir(path, 0700);
        setenv("TMPDIR", path, 1);
    }
    return path;
}

/* Starts harness-run SCENARIO -o OUT -q with the earlier results in OUT;
 * its stderr goes to LOG. */
static pid_t start_run(const char *scenario, const char *out, const char *log, int new_group)
{
    char *argv[] = {
        (char *)e2e_binary("harness-run"), (char *)scenario, "-o", (char *)out, "-q", NULL};
    runner_tmp();
    e2e_mark_processes();
    e2e_note_load(scenario);
    return e2e_start(argv, log, new_group);
}

/* Whether message holds one of the causes, separated by '|'. */
static int says_one_of(const char *message, const char *causes)
{
    char one[256];
    for (const char *at = causes; *at;) {
        size_t n = strcspn(at, "|");
        snprintf(one, sizeof one, "%.*s", (int)n, at);
        if (strstr(message, one))
            return 1;
        at += n + (at[n] == '|');
    }
    return 0;
}

/* What every failed run must leave: exit status 1, one message naming
 * the point and the cause, the earlier file as it was, no temporary file
 * beside it or in the runner's TMPDIR, no process. */
static void check_failed_run(int status, const char *log, const char *point, const char *cause,
                             const char *out, const char *earlier)
{
    char *message = e2e_read_file(log);
    char *dir = strdup(out);
    *strrchr(dir, '/') = '\0';
    CHECK_EQ(status, 1, "harness-run's exit status");
    CHECK(message && strstr(message, point), "the message names %s: %s", point,
          message ? message : "(none)");
    CHECK(message && says_one_of(message, cause), "the message says \"%s\": %s", cause,
          message ? message : "(none)");
    char *now = e2e_read_file(out);
    if (earlier)
        CHECK(now && strcmp(now, earlier) == 0, "the earlier results file is intact: %s",
              now ? now : "(gone)");
    else
        CHECK(now == NULL, "no results file written");
    CHECK_EQ(e2e_leftover_temp_files(dir), 0, "temporary files beside the results");
    CHECK_EQ(e2e_dir_entries(runner_tmp()), 0, "entries left in the runner's TMPDIR");
    CHECK_EQ(e2e_wait_marked(0, 0, 10), 0, "processes left after the run");
    free(now);
    free(dir);
    free(message);
}

/* Sends signum to the program of the point whose params contain needle,
 * once it runs. */
static void fault_point(const char *scenario, const char *program, const char *needle, int signum,
                        const char *point, const char *cause)
{
    char out[512], log[512];
    snprintf(out, sizeof out, "%s/results-%s-%d.json", e2e_temp_dir(), program, signum);
    snprintf(log, sizeof log, "%s/stderr-%s-%d.txt", e2e_temp_dir(), program, signum);
    e2e_write_file(out, earlier_results);
    pid_t runner = start_run(scenario, out, log, 0);
    CHECK(e2e_wait_process("harness-client", needle, 30) > 0,
          "the client of the point with %s seen running", needle);
    pid_t victim = e2e_wait_process(program, needle, 30);
    CHECK(victim > 0, "%s of the point with %s seen running", program, needle);
    if (victim > 0)
        kill(victim, signum);
    int status = e2e_wait(runner);
    check_failed_run(status, log, point, cause, out, earlier_results);
}

int test_fault_server_killed(void)
{
    fault_point(e2e_scenario("three-points"), "harness-server", "\"hold_ms\":-1", SIGKILL,
                "point 2/3 client.hold_ms=-1", "the server was killed by signal 9");
    return e2e_failures != 0;
}

int test_fault_client_killed(void)
{
    fault_point(e2e_scenario("three-points"), "harness-client", "\"hold_ms\":-1", SIGKILL,
                "point 2/3 client.hold_ms=-1", "the client was killed by signal 9");
    return e2e_failures != 0;
}

/* A stopped process cannot read "stop": the runner's grace timer must
 * kill it, and the point fails. A client stopped before it said "started"
 * (the signal comes as soon as it is seen running) is caught by the wait
 * for that word instead: either names the client's hang. */
int test_fault_client_hangs(void)
{
    fault_point(e2e_scenario("three-points-hang"), "harness-client", "\"hold_ms\":-1", SIGSTOP,
                "point 2/3 client.hold_ms=-1",
                "the client did not stop within|the client had not started within");
    return e2e_failures != 0;
}

int test_fault_server_hangs(void)
{
    fault_point(e2e_scenario("three-points-hang"), "harness-server", "\"hold_ms\":-1", SIGSTOP,
                "point 2/3 client.hold_ms=-1", "the server did not stop within");
    return e2e_failures != 0;
}

/* A tmpfs of the given options on dir, in a mount namespace of this test
 * process alone; 0, or E2E_SKIP where none can be made. */
static int private_tmpfs(const char *dir, const char *options)
{
    mkdir(dir, 0700);
    if (unshare(CLONE_NEWNS) < 0) {
        fprintf(stderr, "SKIP: cannot make a mount namespace: %s\n", strerror(errno));
        return E2E_SKIP;
    }
    /* nothing mounted here may reach the host's mount namespace: without
     * private propagation (EINVAL where / is no mount point, as in a
     * chroot) no tmpfs is mounted at all */
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
        fprintf(stderr,
                "SKIP: cannot make the mounts private, so a tmpfs could reach the host's mount "
                "namespace: %s%s\n",
                strerror(errno), errno == EINVAL ? " (/ is no mount point: a chroot?)" : "");
        return E2E_SKIP;
    }
    if (mount("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, options) < 0) {
        fprintf(stderr, "SKIP: cannot mount a tmpfs in a private mount namespace: %s\n",
                strerror(errno));
        return E2E_SKIP;
    }
    return 0;
}

/* Fills the file system under dir to the last byte. */
static void fill(const char *dir)
{
    char path[600], block[4096];
    snprintf(path, sizeof path, "%s/filler", dir);
    memset(block, 'f', sizeof block);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    size_t size = sizeof block;
    while (fd >= 0 && size > 0) {
        if (write(fd, block, size) < 0)
            size /= 2; /* the last pages: smaller writes until nothing fits */
    }
    if (fd >= 0)
        close(fd);
}

/* The results file system fills up: every point ran, the file cannot be
 * written, the earlier one stays. */
int test_fault_results_disk_full(void)
{
    char dir[512], out[600], log[512];
    snprintf(dir, sizeof dir, "%s/small", e2e_temp_dir());
    if (private_tmpfs(dir, "size=64k"))
        return E2E_SKIP;
    snprintf(out, sizeof out, "%s/plain.json", dir);
    snprintf(log, sizeof log, "%s/stderr.txt", e2e_temp_dir());
    e2e_write_file(out, earlier_results);
    fill(dir);
    pid_t runner = start_run(e2e_scenario("plain"), out, log, 0);
    check_failed_run(e2e_wait(runner), log, "plain.json", "No space left on device", out,
                     earlier_results);
    umount2(dir, MNT_DETACH);
    return e2e_failures != 0;
}

/* The results directory is read-only (root ignores permission bits, not a
 * read-only mount): refused before the first point. */
int test_fault_results_read_only(void)
{
    char dir[512], out[600], log[512];
    snprintf(dir, sizeof dir, "%s/read-only", e2e_temp_dir());
    if (private_tmpfs(dir, "size=64k"))
        return E2E_SKIP;
    snprintf(out, sizeof out, "%s/plain.json", dir);
    snprintf(log, sizeof log, "%s/stderr.txt", e2e_temp_dir());
    e2e_write_file(out, earlier_results);
    CHECK(mount(NULL, dir, NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) == 0,
          "remount read-only: %s", strerror(errno));
    pid_t runner = start_run(e2e_scenario("plain"), out, log, 0);
    check_failed_run(e2e_wait(runner), log, "cannot write results into", "Read-only file system",
                     out, earlier_results);
    umount2(dir, MNT_DETACH);
    return e2e_failures != 0;
}

/* A writer killed mid-write (SIGKILL, a crash) is not there to remove
 * its temporary file; the file is unnamed while it is written (O_TMPFILE)
 * on file systems that allow it, and elsewhere the next run that writes
 * the same results removes what a dead writer left, never what a living
 * one is writing. */
int test_results_stale_temp_removed(void)
{
    char dir[512], out[600], log[512], dead[700], living[700];
    snprintf(dir, sizeof dir, "%s/stale", e2e_temp_dir());
    mkdir(dir, 0700);
    snprintf(out, sizeof out, "%s/plain.json", dir);
    snprintf(log, sizeof log, "%s/stderr.txt", e2e_temp_dir());
    pid_t child = fork();
    if (child == 0)
        _exit(0);
    waitpid(child, NULL, 0); /* its pid is now no one's */
    snprintf(dead, sizeof dead, "%s/.plain.json.tmp.%d", dir, (int)child);
    snprintf(living, sizeof living, "%s/.plain.json.tmp.%d", dir, (int)getpid());
    e2e_write_file(dead, "{\"half\": ");
    e2e_write_file(living, "{\"being\": ");
    int status = e2e_wait(start_run(e2e_scenario("plain"), out, log, 0));
    CHECK_EQ(status, 0, "harness-run's exit status");
    CHECK(access(out, R_OK) == 0, "the results written");
    CHECK(access(dead, F_OK) < 0 && errno == ENOENT, "a dead writer's temporary file removed");
    CHECK(access(living, F_OK) == 0, "a living writer's temporary file kept");
    unlink(living);
    CHECK_EQ(e2e_leftover_temp_files(dir), 0, "temporary files beside the results");
    return e2e_failures != 0;
}

/* The event logs' file system fills up during point 2: the child whose
 * log could not be written exits 1 and says why. */
int test_fault_logs_disk_full(void)
{
    char dir[512], out[512], log[512];
    snprintf(dir, sizeof dir, "%s/runner-tmp", e2e_temp_dir());
    if (private_tmpfs(dir, "size=256k"))
        return E2E_SKIP;
    snprintf(out, sizeof out, "%s/results.json", e2e_temp_dir());
    snprintf(log, sizeof log, "%s/stderr.txt", e2e_temp_dir());
    e2e_write_file(out, earlier_results);
    pid_t runner = start_run(e2e_scenario("disk-full-logs"), out, log, 0);
    int status = e2e_wait(runner);
    check_failed_run(status, log, "point 2/3 client.connections=4000", "exited with status 1", out,
                     earlier_results);
    char *message = e2e_read_file(log);
    CHECK(message && strstr(message, "writing the event log failed: No space left on device"),
          "the child says why: %s", message ? message : "(none)");
    free(message);
    umount2(dir, MNT_DETACH);
    return e2e_failures != 0;
}

/* A soft RLIMIT_NOFILE below what the point needs is raised to the hard
 * one; a hard limit below it that the runner may not raise (no
 * CAP_SYS_RESOURCE) stops the run before its first point. */
int test_fault_fd_limit(void)
{
    char out[512], log[512];
    struct rlimit limit;
    getrlimit(RLIMIT_NOFILE, &limit);
    if (limit.rlim_max != RLIM_INFINITY && limit.rlim_max < 1024) {
        fprintf(stderr, "SKIP: the hard RLIMIT_NOFILE is %llu, below the 1024 this test needs\n",
                (unsigned long long)limit.rlim_max);
        return E2E_SKIP;
    }
    limit.rlim_cur = 128;
    setrlimit(RLIMIT_NOFILE, &limit);
    snprintf(out, sizeof out, "%s/fd-hungry.json", e2e_temp_dir());
    snprintf(log, sizeof log, "%s/stderr.txt", e2e_temp_dir());
    int status = e2e_wait(start_run(e2e_scenario("fd-hungry"), out, log, 0));
    CHECK_EQ(status, 0, "exit status with a soft limit of 128 and a high hard limit");
    json_error_t jerr;
    json_t *r = json_load_file(out, 0, &jerr);
    if (r) {
        CHECK_EQ(jint(r, "runs.0.summary.connected"), 600, "connected");
        CHECK_EQ(jint(r, "runs.0.summary.accepted"), 600, "accepted");
        CHECK_EQ(jint(r, "runs.0.summary.failed"), 0, "failed connections");
    } else {
        char *message = e2e_read_file(log);
        CHECK(r != NULL, "results written: %s", message ? message : jerr.text);
        free(message);
    }
    json_decref(r);
    unlink(out);

    /* irreversible for this process: the test's last step. Without
     * CAP_SYS_RESOURCE in the bounding set, no child (root or not) can
     * raise the hard limit again */
    CHECK(prctl(PR_CAPBSET_DROP, CAP_SYS_RESOURCE, 0, 0, 0) == 0, "PR_CAPBSET_DROP: %s",
          strerror(errno));
    limit.rlim_cur = 128;
    limit.rlim_max = 300;
    CHECK(setrlimit(RLIMIT_NOFILE, &limit) == 0, "setrlimit: %s", strerror(errno));
    status = e2e_wait(start_run(e2e_scenario("fd-hungry"), out, log, 0));
    check_failed_run(status, log, "664 file descriptors are needed", "the hard limit is 300", out,
                     NULL);
    char *message = e2e_read_file(log);
    CHECK(message && !strstr(message, "point "), "stopped before the first point: %s",
          message ? message : "(none)");
    free(message);
    return e2e_failures != 0;
}

/* utime + stime of pid in clock ticks, or -1 */
static long long cpu_ticks_of(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    char *stat = e2e_read_file(path);
    char *after = stat ? strrchr(stat, ')') : NULL;
    unsigned long long user = 0, system = 0;
    int ok = after && sscanf(after + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
                             &user, &system) == 2;
    free(stat);
    return ok ? (long long)(user + system) : -1;
}

/* The server runs out of file descriptors while connections wait in its
 * accept queue (its limit lowered under it with prlimit: the server checks
 * its limit at the start, so only something outside can do this): accept4
 * fails with EMFILE and the listener stays readable. The server must wait
 * and try again, not spin: over a second of starvation, a handful of
 * accept_error lines (one per 10 ms wait at most, against hundreds of
 * thousands from a spinning loop) and little CPU; once the limit is back,
 * every connection is accepted. */
int test_fault_accept_out_of_fds(void)
{
    char events[512], log[512];
    struct hl_error err;
    snprintf(events, sizeof events, "%s/server-events.jsonl", e2e_temp_dir());
    snprintf(log, sizeof log, "%s/server.log", e2e_temp_dir());
    CHECK(unshare(CLONE_NEWNET) == 0 && netns_loopback_up(&err) == 0,
          "a network namespace of our own");
    char *server[] = {(char *)e2e_binary("harness-server"),
                      "--listen",
                      "127.0.0.1:5002",
                      "--accept",
                      "immediate",
                      "--read",
                      "never",
                      "--duration-ms",
                      "4000",
                      "--sample-ms",
                      "0",
                      "--events",
                      events,
                      NULL};
    pid_t pid = e2e_start(server, log, 0);
    CHECK(e2e_wait_for_text(log, "listening on port 5002", 10), "the server listens");
    /* no fd to spare: 0, 1 and 2 are open (and its sockets, logs and
     * epoll above them), and a new fd must be below the limit */
    struct rlimit saved, tight;
    CHECK(prlimit(pid, RLIMIT_NOFILE, NULL, &saved) == 0, "prlimit: %s", strerror(errno));
    tight.rlim_cur = 3;
    tight.rlim_max = saved.rlim_max;
    CHECK(prlimit(pid, RLIMIT_NOFILE, &tight, NULL) == 0, "prlimit: %s", strerror(errno));
    char *client[] = {(char *)e2e_binary("harness-client"),
                      "--connect",
                      "127.0.0.1:5002",
                      "--connections",
                      "5",
                      "--hold-ms",
                      "-1",
                      "--duration-ms",
                      "2500",
                      "--sample-ms",
                      "0",
                      "--events",
                      "/dev/null",
                      NULL};
    pid_t client_pid = e2e_start(client, NULL, 0);
    usleep(300000); /* the five are in the accept queue, the server starved */
    long long before = cpu_ticks_of(pid);
    usleep(1000000);
    long long after = cpu_ticks_of(pid);
    CHECK(prlimit(pid, RLIMIT_NOFILE, &saved, NULL) == 0, "prlimit back: %s", strerror(errno));
    CHECK_EQ(e2e_wait(client_pid), 0, "the client's exit status");
    CHECK_EQ(e2e_wait(pid), 0, "the server's exit status");
    long hz = sysconf(_SC_CLK_TCK);
    CHECK(before >= 0 && after >= 0 && (after - before) * 100 <= 30 * hz,
          "starved for a second, the server used %lld ticks of %ld (at most 30%%)", after - before,
          hz);
    char *text = e2e_read_file(events);
    int errors = 0;
    for (const char *p = text; p && (p = strstr(p, "\"accept_error\"")); p++)
        errors++;
    fprintf(stderr, "starved for a second: %d accept_error lines, %lld CPU ticks of %ld\n", errors,
            after - before, hz);
    CHECK(errors >= 1 && errors <= 200,
          "accept_error lines: %d (at least 1; at most 200 in 1.3 s of waits of 10 ms)", errors);
    CHECK(text && strstr(text, "EMFILE"), "the error named: EMFILE");
    CHECK(text && strstr(text, "\"accepted\":5"),
          "every connection accepted once fds were back: %s",
          text ? strstr(text, "\"end\"") : "(no events)");
    free(text);
    return e2e_failures != 0;
}

/* A port already taken (in this test's own network namespace): the
 * server, run by hand, names the port and exits 1. harness-run cannot
 * meet this: its server binds port 0 in a namespace made for the point. */
int test_fault_port_in_use(void)
{
    char capture[2048], address[64];
    struct sockaddr_in addr = {.sin_family = AF_INET};
    socklen_t len = sizeof addr;
    struct hl_error err;
    CHECK(unshare(CLONE_NEWNET) == 0 && netns_loopback_up(&err) == 0,
          "a network namespace of our own");
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(bind(fd, (struct sockaddr *)&addr, sizeof addr) == 0 && listen(fd, 1) == 0 &&
              getsockname(fd, (struct sockaddr *)&addr, &len) == 0,
          "a listener of our own: %s", strerror(errno));
    snprintf(address, sizeof address, "127.0.0.1:%d", ntohs(addr.sin_port));
    char *argv[] = {
        (char *)e2e_binary("harness-server"), "--listen", address, "--duration-ms", "1000", NULL};
    int rc = e2e_exec(argv, capture, sizeof capture);
    CHECK_EQ(rc, 1, "harness-server's exit status");
    CHECK(strstr(capture, address) && strstr(capture, "Address already in use"),
          "the message names %s and the cause: %s", address, capture);
    close(fd);
    return e2e_failures != 0;
}

/* Ctrl-C during `make experiments`, once while a point runs and once while
 * gnuplot draws: make stops, no half-written file, the earlier results
 * and plots intact, no process left. The terminal sends SIGINT to the
 * whole foreground process group; so does this test. */
static void interrupt_make(const char *work, const char *scenario, const char *program,
                           const char *stage)
{
    char log[600], make_dir[600];
    const char *source = getenv("E2E_SOURCE_DIR");
    snprintf(log, sizeof log, "%s/make-%s.txt", e2e_temp_dir(), stage);
    snprintf(make_dir, sizeof make_dir, "BUILD=%s", getenv("HARNESS_BIN_DIR"));
    char makefile[600], scenarios[600];
    snprintf(makefile, sizeof makefile, "%s/Makefile.experiments", source ? source : "..");
    snprintf(scenarios, sizeof scenarios, "SCENARIOS=%s", scenario);
    char *argv[] = {"/usr/bin/make", "-C", (char *)work, "-f", makefile, make_dir, scenarios, NULL};
    runner_tmp();
    e2e_mark_processes();
    pid_t make = e2e_start(argv, log, 1);
    pid_t busy = e2e_wait_process(program, NULL, 30);
    CHECK(busy > 0, "%s seen running under make", program);
    /* gnuplot has begun its image when its temporary file exists */
    if (strcmp(program, "gnuplot") == 0)
        CHECK(e2e_wait_temp_file(work, 30), "gnuplot's temporary file seen");
    kill(-make, SIGINT);
    int status = e2e_wait(make);
    char *text = e2e_read_file(log);
    CHECK(status != 0, "make's exit status after Ctrl-C during %s: %d; its output: %s", stage,
          status, text ? text : "");
    CHECK(!text || !strstr(text, "Deleting file"), "make deleted a file: %s", text);
    /* shown by ctest only when the test fails */
    fprintf(stderr, "make, interrupted during %s, exited %d and said:\n%s\n", stage, status,
            text ? text : "");
    free(text);
    CHECK_EQ(e2e_leftover_temp_files(work), 0, "temporary files left");
    CHECK_EQ(e2e_dir_entries(runner_tmp()), 0, "entries left in the runner's TMPDIR");
    CHECK_EQ(e2e_wait_marked(0, 0, 10), 0, "processes left after Ctrl-C");
}

int test_interrupt_make(void)
{
    char work[512], path[700], scenario[600];
    struct timeval old[2] = {{946684800, 0}, {946684800, 0}}; /* 2000-01-01 */
    snprintf(work, sizeof work, "%s/work", e2e_temp_dir());
    mkdir(work, 0755);
    snprintf(path, sizeof path, "%s/results", work);
    mkdir(path, 0755);

    /* 1. while a point runs: results/long-wait.json is older than its
     * scenario, so make reruns it; the run is interrupted */
    snprintf(path, sizeof path, "%s/results/long-wait.json", work);
    e2e_write_file(path, earlier_results);
    utimes(path, old);
    interrupt_make(work, e2e_scenario("long-wait"), "harness-client", "a point");
    char *now = e2e_read_file(path);
    CHECK(now && strcmp(now, earlier_results) == 0, "results/long-wait.json intact: %s",
          now ? now : "(gone)");
    free(now);

    /* 2. while gnuplot draws (a script that pauses: HARNESS_PLOT_DIR):
     * the results are up to date, only the plot is remade */
    const char *source = getenv("E2E_SOURCE_DIR");
    char fixture[600], plot_dir[600], png[700];
    snprintf(fixture, sizeof fixture, "%s/tests/plot/fixtures/outcomes.json",
             source ? source : "..");
    snprintf(plot_dir, sizeof plot_dir, "%s/tests/e2e/slow-plot", source ? source : "..");
    setenv("HARNESS_PLOT_DIR", plot_dir, 1);
    snprintf(scenario, sizeof scenario, "%s/outcomes.json", work);
    e2e_write_file(scenario, "{}\n");
    utimes(scenario, old);
    char *results = e2e_read_file(fixture);
    CHECK(results != NULL, "fixture %s", fixture);
    snprintf(path, sizeof path, "%s/results/outcomes.json", work);
    e2e_write_file(path, results ? results : "");
    snprintf(png, sizeof png, "%s/results/outcomes", work);
    mkdir(png, 0755);
    snprintf(png, sizeof png, "%s/results/outcomes/outcomes.png", work);
    e2e_write_file(png, "an earlier plot\n");
    interrupt_make(work, scenario, "gnuplot", "a plot");
    now = e2e_read_file(png);
    CHECK(now && strcmp(now, "an earlier plot\n") == 0, "the earlier plot intact: %s",
          now ? now : "(gone)");
    free(now);
    now = e2e_read_file(path);
    CHECK(now && results && strcmp(now, results) == 0, "results/outcomes.json intact");
    free(now);
    free(results);
    snprintf(path, sizeof path, "%s/results/outcomes/.plotted", work);
    CHECK(access(path, F_OK) != 0, "not marked as plotted");
    return e2e_failures != 0;
}
