/* test_safety.c: the host is never touched, nothing is left behind, and
 * the client is not aimed elsewhere by accident. */
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "e2e.h"

int test_host_sysctls_unchanged(void)
{
    const char *names[] = {"net.core.somaxconn", "net.ipv4.tcp_syn_retries"};
    char before[2][64], after[2][64];
    for (int i = 0; i < 2; i++)
        e2e_sysctl(names[i], before[i], sizeof before[i]);
    json_t *r = e2e_run_results("sets-sysctls");
    for (int i = 0; i < 2; i++) {
        e2e_sysctl(names[i], after[i], sizeof after[i]);
        CHECK(strcmp(before[i], after[i]) == 0, "host %s changed from %s to %s", names[i],
              before[i], after[i]);
    }
    if (!r)
        return 1;
    /* ... while the run itself saw the scenario's values */
    CHECK_EQ(jint(r, "runs.0.effective.sysctls.net.core.somaxconn"), 7, "somaxconn in the run");
    CHECK_EQ(jint(r, "runs.0.effective.backlog"), 7, "backlog capped by the run's somaxconn");
    CHECK_EQ(jint(r, "runs.0.summary.connected"), 8, "handshakes with somaxconn 7");
    CHECK(json_is_true(jget(r, "environment.private_netns")), "private netns recorded");
    json_decref(r);
    return e2e_failures != 0;
}

int test_no_netns(void)
{
    char out[512];
    const char *no_netns[] = {"--no-netns", NULL};
    snprintf(out, sizeof out, "%s/no-netns.json", e2e_temp_dir());
    /* sysctls without a private namespace: refused, nothing written */
    int rc = e2e_run(e2e_scenario("sets-sysctls"), out, no_netns);
    CHECK_EQ(rc, 1, "exit status with sysctls and --no-netns");
    CHECK(strstr(e2e_last_stderr(), "private network namespace") != NULL, "message: %s",
          e2e_last_stderr());
    CHECK(access(out, F_OK) != 0, "nothing written");
    /* without sysctls: runs on the host stack and says so */
    rc = e2e_run(e2e_scenario("plain"), out, no_netns);
    CHECK_EQ(rc, 0, "exit status without sysctls");
    json_error_t jerr;
    json_t *r = json_load_file(out, 0, &jerr);
    CHECK(r != NULL, "results written");
    if (r) {
        CHECK(json_is_false(jget(r, "environment.private_netns")), "private_netns false");
        CHECK(strcmp(json_string_value(jget(r, "runs.0.summary.kernel_scope")), "host") == 0,
              "the counters are said to be the host's");
        CHECK_EQ(jint(r, "runs.0.summary.bytes_read"), 3 * 1024, "bytes read on the host stack");
    }
    json_decref(r);
    return e2e_failures != 0;
}

static int wait_for_marked(int want_at_least, int want_at_most, int seconds)
{
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        int n = e2e_marked_processes();
        if (n >= want_at_least && n <= want_at_most)
            return n;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec - start.tv_sec >= seconds)
            return n;
        usleep(10000);
    }
}

static pid_t start_runner(const char *out)
{
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        dup2(null, 1);
        dup2(null, 2);
        execl(e2e_binary("harness-run"), "harness-run", e2e_scenario("long-wait"), "-o", out, "-q",
              (char *)NULL);
        _exit(127);
    }
    return pid;
}

/* Interrupted or killed mid-point: no results, the earlier file intact, no
 * process left. */
static void interrupt_with(int signum, int expected_status)
{
    char out[512];
    int status = 0;
    snprintf(out, sizeof out, "%s/interrupted-%d.json", e2e_temp_dir(), signum);
    FILE *f = fopen(out, "w");
    fputs("{\"earlier\": true}\n", f);
    fclose(f);
    e2e_mark_processes();
    pid_t runner = start_runner(out);
    /* the runner, its server and its client: the point is under way */
    int n = wait_for_marked(3, 3, 10);
    CHECK_EQ(n, 3, "runner, server and client running");
    kill(runner, signum);
    waitpid(runner, &status, 0);
    if (expected_status >= 0)
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == expected_status,
              "runner status %d after signal %d", status, signum);
    CHECK_EQ(wait_for_marked(0, 0, 5), 0, "processes left after the runner ended");
    f = fopen(out, "r");
    char text[64] = "";
    if (f) {
        if (!fgets(text, sizeof text, f))
            text[0] = '\0';
        fclose(f);
    }
    CHECK(strcmp(text, "{\"earlier\": true}\n") == 0, "earlier results intact, got '%s'", text);
}

int test_interrupt(void)
{
    interrupt_with(SIGINT, 130);
    interrupt_with(SIGTERM, 130);
    /* SIGKILL: the runner cannot clean up; the kernel kills its children
     * (PR_SET_PDEATHSIG) */
    interrupt_with(SIGKILL, -1);
    return e2e_failures != 0;
}

/* Interrupted while three points run side by side (--jobs 3): every
 * worker and every child stops, nothing is written, the earlier file is
 * intact and the runner's temporary directory is gone. */
int test_interrupt_jobs(void)
{
    char out[512], tmp[512];
    int status = 0;
    snprintf(out, sizeof out, "%s/interrupted-jobs.json", e2e_temp_dir());
    e2e_write_file(out, "{\"earlier\": true}\n");
    snprintf(tmp, sizeof tmp, "%s/jobs-tmp", e2e_temp_dir());
    mkdir(tmp, 0700);
    setenv("TMPDIR", tmp, 1);
    e2e_mark_processes();
    pid_t runner = fork();
    if (runner == 0) {
        int null = open("/dev/null", O_RDWR);
        dup2(null, 1);
        dup2(null, 2);
        execl(e2e_binary("harness-run"), "harness-run", e2e_scenario("long-wait-sweep"), "-o", out,
              "-q", "--jobs", "3", (char *)NULL);
        _exit(127);
    }
    /* the runner, three workers, and a server and a client for each */
    int n = wait_for_marked(10, 10, 20);
    CHECK_EQ(n, 10, "runner, 3 workers, 3 servers and 3 clients running");
    kill(runner, SIGINT);
    waitpid(runner, &status, 0);
    unsetenv("TMPDIR");
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 130, "runner status %d after SIGINT", status);
    CHECK_EQ(wait_for_marked(0, 0, 5), 0, "processes left after the runner ended");
    char *text = e2e_read_file(out);
    CHECK(text && strcmp(text, "{\"earlier\": true}\n") == 0, "earlier results intact: %s",
          text ? text : "(gone)");
    free(text);
    CHECK_EQ(e2e_dir_entries(tmp), 0, "entries left in the runner's TMPDIR");
    return e2e_failures != 0;
}

int test_remote_refused(void)
{
    char capture[2048];
    /* a documentation address (TEST-NET-1): refused before any socket is made */
    char *argv[] = {(char *)e2e_binary("harness-client"), "--connect", "192.0.2.1:9", NULL};
    int rc = e2e_exec(argv, capture, sizeof capture);
    CHECK_EQ(rc, 1, "exit status");
    CHECK(strstr(capture, "--allow-remote") != NULL, "message names --allow-remote: %s", capture);
    return e2e_failures != 0;
}

int test_unwritable_output(void)
{
    char out[512];
    snprintf(out, sizeof out, "%s/no-such-dir/x.json", e2e_temp_dir());
    int rc = e2e_run(e2e_scenario("plain"), out, NULL);
    CHECK_EQ(rc, 1, "exit status for an unwritable results directory");
    CHECK(strstr(e2e_last_stderr(), "cannot write results") != NULL, "message: %s",
          e2e_last_stderr());
    return e2e_failures != 0;
}

/* A counter of the current network namespace: "Tcp" "ActiveOpens" from
 * /proc/net/snmp (a header line of names, then a line of values). */
static long long snmp_counter(const char *group, const char *name)
{
    char names[4096], values[4096];
    long long result = -1;
    FILE *f = fopen("/proc/net/snmp", "r");
    size_t prefix = strlen(group);
    while (f && fgets(names, sizeof names, f) && fgets(values, sizeof values, f)) {
        if (strncmp(names, group, prefix) != 0 || names[prefix] != ':')
            continue;
        char *save_n, *save_v;
        char *n = strtok_r(names + prefix + 1, " \n", &save_n);
        char *v = strtok_r(values + prefix + 1, " \n", &save_v);
        for (; n && v; n = strtok_r(NULL, " \n", &save_n), v = strtok_r(NULL, " \n", &save_v))
            if (strcmp(n, name) == 0)
                result = atoll(v);
    }
    if (f)
        fclose(f);
    return result;
}

/* The client refuses every target that is not loopback, and does so
 * before it makes a socket: tried inside a network namespace of this test
 * that has no interface but a loopback that is down, so no route leads
 * out and nothing could leave the machine even if the check failed. With
 * --allow-remote it does try, and the kernel finds no route: the counters
 * show which happened. */
int test_remote_no_route(void)
{
    const char *targets[] = {"192.0.2.1:9",       "10.0.0.1:80", "0.0.0.0:9",  "224.0.0.1:9",
                             "255.255.255.255:9", "8.8.8.8:53",  "128.0.0.1:9"};
    char capture[2048];
    CHECK(unshare(CLONE_NEWNET) == 0, "a network namespace of our own");
    long long opens = snmp_counter("Tcp", "ActiveOpens");
    long long out_requests = snmp_counter("Ip", "OutRequests");
    long long no_routes = snmp_counter("Ip", "OutNoRoutes");
    CHECK(opens == 0 && out_requests == 0, "a fresh namespace: ActiveOpens %lld OutRequests %lld",
          opens, out_requests);
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
        char *argv[] = {(char *)e2e_binary("harness-client"),
                        "--connect",
                        (char *)targets[i],
                        "--connections",
                        "3",
                        NULL};
        int rc = e2e_exec(argv, capture, sizeof capture);
        CHECK_EQ(rc, 1, targets[i]);
        CHECK(strstr(capture, targets[i]) && strstr(capture, "--allow-remote"),
              "message names %s and --allow-remote: %s", targets[i], capture);
    }
    CHECK_EQ(snmp_counter("Ip", "OutNoRoutes"), no_routes, "no route looked up without the flag");
    CHECK_EQ(snmp_counter("Ip", "OutRequests"), out_requests, "no packet sent without the flag");

    char *allowed[] = {(char *)e2e_binary("harness-client"),
                       "--connect",
                       "192.0.2.1:9",
                       "--allow-remote",
                       "--duration-ms",
                       "2000",
                       NULL};
    int rc = e2e_exec(allowed, capture, sizeof capture);
    CHECK_EQ(rc, 0, "exit status with --allow-remote");
    CHECK(strstr(capture, "\"outcome\":\"failed\"") && strstr(capture, "ENETUNREACH"),
          "with --allow-remote the connect fails for want of a route: %s", capture);
    CHECK(snmp_counter("Ip", "OutNoRoutes") > no_routes, "the kernel looked for a route");
    CHECK_EQ(snmp_counter("Tcp", "ActiveOpens"), opens, "no SYN sent");
    CHECK_EQ(snmp_counter("Ip", "OutRequests"), out_requests, "no packet sent");
    return e2e_failures != 0;
}
