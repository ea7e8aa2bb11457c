/* test_program.c: a program of the scenario's own in harness-server's
 * place (server.command): measured through sock_diag, started and stopped
 * so that nothing is left running. The programs are in
 * tests/e2e/programs/. */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "e2e.h"
#include "program.h"

/* Live processes whose command line holds needle (the namespace of the
 * run is gone by now: anything it left would be here). */
static int processes_running(const char *needle)
{
    int found = 0;
    DIR *proc = opendir("/proc");
    struct dirent *entry;
    while (proc && (entry = readdir(proc))) {
        char path[300], cmdline[1024];
        if (!isdigit((unsigned char)entry->d_name[0]))
            continue;
        snprintf(path, sizeof path, "/proc/%s/cmdline", entry->d_name);
        FILE *f = fopen(path, "r");
        size_t n = f ? fread(cmdline, 1, sizeof cmdline - 1, f) : 0;
        if (f)
            fclose(f);
        for (size_t i = 0; i < n; i++)
            cmdline[i] = cmdline[i] ? cmdline[i] : ' ';
        cmdline[n] = '\0';
        found += strstr(cmdline, needle) != NULL;
    }
    if (proc)
        closedir(proc);
    return found;
}

/* Where the user the programs run as (SUDO_UID's, or nobody) cannot
 * enter the tests' folder (a clone in root's home), their points are
 * skipped with the reason: so is the test. */
static int programs_unreachable(void)
{
    struct program_params any;
    char why[512];
    memset(&any, 0, sizeof any);
    if (program_folder_reachable(e2e_scenario("program-never-accept"), &any, why, sizeof why))
        return 0;
    fprintf(stderr, "SKIP: %s\n", why);
    return 1;
}

static int is_null(json_t *r, const char *path)
{
    return json_is_null(jget(r, path));
}

/* listen(3), never accept(): the kernel completes min(3, somaxconn) + 1
 * handshakes, and sock_diag sees all 4 in the accept queue, limit 3, and
 * the listener's SO_RCVBUF as set, doubled */
int test_program_never_accepts(void)
{
    if (programs_unreachable())
        return E2E_SKIP;
    json_t *r = e2e_run_results("program-never-accept");
    if (!r)
        return 1;
    CHECK_EQ(jint(r, "runs.0.summary.connected"), 4, "handshakes with listen(3)");
    CHECK_EQ(jint(r, "runs.0.summary.kernel.PassiveOpens"), 4, "PassiveOpens");
    CHECK_EQ(jint(r, "runs.0.effective.backlog"), 3, "the limit sock_diag read (idiag_wqueue)");
    CHECK_EQ(jint(r, "runs.0.summary.queue_at_end"), 4, "the accept queue sock_diag read");
    /* SO_RCVBUF 8192, which the kernel doubles (SK_MEMINFO_RCVBUF) */
    CHECK_EQ(jint(r, "runs.0.effective.rcvbuf"), 16384, "the listener's SO_RCVBUF, doubled");
    CHECK(is_null(r, "runs.0.summary.accepted"), "accepted is not measured for a program");
    CHECK(json_is_string(jget(r, "runs.0.unmeasured.summary.accepted")), "and says why");
    size_t i, full = 0;
    json_t *sample;
    json_array_foreach(jget(r, "runs.0.samples.server"), i, sample)
    {
        CHECK_EQ(jint(sample, "limit"), 3, "each sample's limit");
        CHECK(jint(sample, "queue") <= 4, "a sample's queue above B + 1: %lld",
              jint(sample, "queue"));
        full += jint(sample, "queue") == 4;
    }
    CHECK(full > 0, "no sample saw the full accept queue of 4");
    const char *user = json_string_value(jget(r, "runs.0.server_program.user"));
    CHECK(user && strcmp(user, "root") != 0, "the program ran as %s", user ? user : "(none)");
    CHECK(jint(r, "runs.0.server_program.uid") != 0, "uid 0");
    CHECK(strstr(json_string_value(jget(r, "runs.0.server_program.stdout_tail")),
                 "listening with backlog 3") != NULL,
          "its stdout kept");
    json_decref(r);
    CHECK_EQ(processes_running("listen_backlog.py"), 0, "processes left running");
    return e2e_failures != 0;
}

/* Two listeners on the port, 127.0.0.1 and an IPv6-only ::1, listen(3):
 * the 4 handshakes the client makes over IPv4 are in the IPv4 listener's
 * queue, and the reading at the end walks both families (it walked only
 * the family of the listener found last, and listed none of them) */
int test_program_two_listeners(void)
{
    if (programs_unreachable())
        return E2E_SKIP;
    json_t *r = e2e_run_results("program-two-listeners");
    if (!r)
        return 1;
    CHECK_EQ(jint(r, "runs.0.summary.connected"), 4, "handshakes with listen(3)");
    CHECK_EQ(jint(r, "runs.0.summary.queue_at_end"), 4, "the accept queues sock_diag read");
    CHECK_EQ(jint(r, "runs.0.samples.server_sockets.queued"), 4,
             "the connections listed at the end, still queued");
    CHECK_EQ(jint(r, "runs.0.samples.server_sockets.listed"), 4, "sockets listed at the end");
    json_decref(r);
    CHECK_EQ(processes_running("two_listeners.py"), 0, "processes left running");
    return e2e_failures != 0;
}

/* A program that reads 1 KiB every 50 ms: the harness's client blocks,
 * and what the program left unread is read through sock_diag */
int test_program_slow_reader(void)
{
    if (programs_unreachable())
        return E2E_SKIP;
    json_t *r = e2e_run_results("program-slow-reader");
    if (!r)
        return 1;
    CHECK_EQ(jint(r, "runs.0.summary.connected"), 1, "connected");
    CHECK(jint(r, "runs.0.summary.blocked_sends") > 0, "the client never blocked");
    CHECK(json_is_true(jget(r, "runs.0.summary.stopped_at_duration")), "stopped at duration_ms");
    long long unread = jint(r, "runs.0.summary.receive_queue_at_end");
    long long sent = jint(r, "runs.0.summary.bytes_sent");
    /* at 1 KiB per 50 ms it read at most 32 KiB in 1.5 s: the rest of what
     * was sent is in the client's send queue or in the program's receive
     * queue */
    CHECK(unread > 0 && unread <= sent, "receive queue at the end %lld of %lld sent", unread, sent);
    CHECK(unread + jint(r, "runs.0.summary.send_queue_at_end") >= sent - 32 * 1024,
          "queued %lld + %lld of %lld sent, 32 KiB read at most", unread,
          jint(r, "runs.0.summary.send_queue_at_end"), sent);
    long long most = 0;
    size_t i;
    json_t *sample;
    json_array_foreach(jget(r, "runs.0.samples.server"), i, sample)
    {
        if (!json_object_get(sample, "recv_queue"))
            continue; /* the listener alone */
        if (jint(sample, "recv_queue") > most)
            most = jint(sample, "recv_queue");
        CHECK(jint(sample, "open") <= 1, "open connections %lld", jint(sample, "open"));
    }
    CHECK(most > 0, "no sample saw unread bytes");
    /* the server side's one connection at the end, from sock_diag: its
     * unread bytes are the run's receive_queue_at_end, charged at their
     * allocation size (rmem_alloc at least the payload), and at most what
     * its receive buffer allows; the program sends nothing back */
    json_t *socket = jget(r, "runs.0.samples.server_sockets.connections.0");
    CHECK_EQ(jint(r, "runs.0.samples.server_sockets.listed"), 1, "sockets listed");
    CHECK(json_is_true(jget(socket, "accepted")), "the program's socket has an inode");
    CHECK_EQ(jint(socket, "recv_queue"), unread, "recv_queue against receive_queue_at_end");
    CHECK(jint(socket, "skmem.rmem_alloc") >= unread, "rmem_alloc %lld below %lld unread",
          jint(socket, "skmem.rmem_alloc"), unread);
    CHECK(unread <= jint(socket, "skmem.rcvbuf"), "unread %lld beyond rcvbuf %lld", unread,
          jint(socket, "skmem.rcvbuf"));
    CHECK_EQ(jint(socket, "send_queue"), 0, "the program's send queue");
    CHECK(jint(socket, "tcp_info.snd_mss") > 0, "tcp_info.snd_mss");
    CHECK(is_null(r, "runs.0.summary.bytes_read"), "bytes_read is not measured for a program");
    json_decref(r);
    CHECK_EQ(processes_running("slow_reader.py"), 0, "processes left running");
    return e2e_failures != 0;
}

/* The shipped C server (scenarios/programs/accept_loop.c), compiled at
 * run time by cc-run, with listen(3) and its first accept() after 60 s:
 * 4 handshakes, and sock_diag lists those 4 children, none with an inode,
 * each holding the 1000 bytes its client sent (a connection in the accept
 * queue receives data before any accept()); cc-run leaves nothing */
int test_program_c_server(void)
{
    if (programs_unreachable())
        return E2E_SKIP;
    json_t *r = e2e_run_results("program-c-server");
    if (!r)
        return 1;
    CHECK_EQ(jint(r, "runs.0.summary.connected"), 4, "handshakes with listen(3)");
    CHECK_EQ(jint(r, "runs.0.effective.backlog"), 3, "the limit sock_diag read");
    json_t *end = jget(r, "runs.0.samples.server_sockets"), *socket;
    CHECK_EQ(jint(end, "queued"), 4, "children without an inode");
    CHECK_EQ(jint(end, "accepted"), 0, "children with one");
    CHECK_EQ(jint(end, "listed"), 4, "sockets listed");
    size_t i;
    json_array_foreach(jget(end, "connections"), i, socket)
    {
        CHECK(json_is_false(jget(socket, "accepted")), "accepted");
        CHECK_EQ(jint(socket, "recv_queue"), 1000, "bytes waiting in a queued child");
        CHECK(jint(socket, "skmem.rmem_alloc") >= 1000, "rmem_alloc %lld",
              jint(socket, "skmem.rmem_alloc"));
    }
    CHECK(strstr(json_string_value(jget(r, "runs.0.server_program.stdout_tail")),
                 "with backlog 3") != NULL,
          "its stdout kept");
    json_decref(r);
    CHECK_EQ(processes_running("accept_loop"), 0, "processes left running");
    CHECK_EQ(processes_running("cc-run"), 0, "processes left running");
    return e2e_failures != 0;
}

/* Ignores SIGTERM, leaves a child in another session, floods its output:
 * killed with its child, its output kept as bounded tails */
int test_program_stubborn(void)
{
    if (programs_unreachable())
        return E2E_SKIP;
    json_t *r = e2e_run_results("program-stubborn");
    if (!r)
        return 1;
    CHECK_EQ(jint(r, "runs.0.summary.connected"), 3, "connected");
    CHECK(strcmp(json_string_value(jget(r, "runs.0.server_program.stopped_by")), "SIGKILL") == 0,
          "stopped by %s", json_string_value(jget(r, "runs.0.server_program.stopped_by")));
    CHECK(jint(r, "runs.0.server_program.processes_swept") >= 1, "its child was not swept");
    CHECK(strlen(json_string_value(jget(r, "runs.0.server_program.stdout_tail"))) < 4096,
          "stdout tail unbounded");
    CHECK(strlen(json_string_value(jget(r, "runs.0.server_program.stderr_tail"))) < 4096,
          "stderr tail unbounded");
    json_decref(r);
    CHECK_EQ(processes_running("stubborn.py"), 0, "processes left running");
    return e2e_failures != 0;
}

/* A program that exits before it listens, and one that never listens:
 * the run fails naming it and its last output, nothing written, nothing
 * left; --no-programs refuses to start one */
int test_program_failures(void)
{
    if (programs_unreachable())
        return E2E_SKIP;
    char out[512];
    snprintf(out, sizeof out, "%s/failed.json", e2e_temp_dir());
    CHECK_EQ(e2e_run(e2e_scenario("program-exits"), out, NULL), 1, "exit status");
    const char *message = e2e_last_stderr();
    CHECK(strstr(message, "exited with status 3 before it listened") &&
              strstr(message, "cannot bind port"),
          "message: %s", message);
    CHECK(access(out, F_OK) != 0, "nothing written");
    CHECK_EQ(e2e_run(e2e_scenario("program-never-listens"), out, NULL), 1, "exit status");
    message = e2e_last_stderr();
    CHECK(strstr(message, "did not listen on port") && strstr(message, "starting on"),
          "message: %s", message);
    CHECK(access(out, F_OK) != 0, "nothing written");
    CHECK_EQ(processes_running("sleep 59.25"), 0, "processes left running");
    const char *no_programs[] = {"--no-programs", NULL};
    CHECK_EQ(e2e_run(e2e_scenario("program-never-accept"), out, no_programs), 1, "exit status");
    CHECK(strstr(e2e_last_stderr(), "--no-programs refuses it"), "message: %s", e2e_last_stderr());
    CHECK_EQ(processes_running("listen_backlog.py"), 0, "--no-programs started it");
    return e2e_failures != 0;
}

/* A client program in harness-client's place: six connects at once to
 * listen(2) that never accepts give an accept queue of 3 and PassiveOpens
 * 3 on the harness's side, and null client keys with the reason; one that
 * connects, sends 1000 bytes and exits ends the run once they are read */
int test_program_client(void)
{
    if (programs_unreachable())
        return E2E_SKIP;
    json_t *r = e2e_run_results("program-client");
    if (!r)
        return 1;
    CHECK_EQ(jint(r, "runs.0.summary.queue_at_end"), 3, "the accept queue of listen(2)");
    CHECK_EQ(jint(r, "runs.0.summary.kernel.PassiveOpens"), 3, "PassiveOpens");
    CHECK_EQ(jint(r, "runs.0.summary.kernel.ActiveOpens"), 6, "the program's connect() calls");
    CHECK_EQ(jint(r, "runs.0.summary.accepted"), 0, "accepted");
    CHECK(is_null(r, "runs.0.summary.connected"), "connected is not measured for a program");
    CHECK(json_is_string(jget(r, "runs.0.unmeasured.summary.connected")), "and says why");
    CHECK(strcmp(json_string_value(jget(r, "runs.0.checks.1.result")), "passed") == 0,
          "server_handshakes: %s", json_string_value(jget(r, "runs.0.checks.1.result")));
    const char *user = json_string_value(jget(r, "runs.0.client_program.user"));
    CHECK(user && strcmp(user, "root") != 0, "the program ran as %s", user ? user : "(none)");
    json_decref(r);
    CHECK_EQ(processes_running("connect_burst.py"), 0, "processes left running");

    r = e2e_run_results("program-client-once");
    if (!r)
        return 1;
    CHECK_EQ(jint(r, "runs.0.summary.accepted"), 1, "accepted");
    CHECK_EQ(jint(r, "runs.0.summary.bytes_read"), 1000, "bytes read by harness-server");
    CHECK(json_is_false(jget(r, "runs.0.summary.stopped_at_duration")),
          "the run ended with the program's work");
    CHECK_EQ(jint(r, "runs.0.client_program.exit_status"), 0, "the program's exit status");
    CHECK(strcmp(json_string_value(jget(r, "runs.0.client_program.stopped_by")), "exited") == 0,
          "stopped by %s", json_string_value(jget(r, "runs.0.client_program.stopped_by")));
    json_decref(r);
    return e2e_failures != 0;
}
