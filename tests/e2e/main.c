/* main.c: the end-to-end tests, one per kernel fact; ctest runs each by
 * name (`e2e backlog_handshakes`). Exit 0 pass, 1 fail, 77 skip. */
#include <stdio.h>
#include <string.h>

#include "e2e.h"

/* Every test, once: its name (the function is test_<name>, the ctest test
 * e2e.<name>, which CMake takes from `e2e --list`) and whether it needs a
 * private network namespace (NETNS: skipped where none can be made) or
 * runs on the host's stack (HOST). */
/* clang-format off */
#define E2E_TESTS(X) \
    X(backlog_handshakes, NETNS)             \
    X(somaxconn_clamp, NETNS)                \
    X(syn_timeout_kernel, NETNS)             \
    X(slow_acceptor, NETNS)                  \
    X(listener_closed, NETNS)                \
    X(no_listener, NETNS)                    \
    X(buffers_doubled, NETNS)                \
    X(never_read, NETNS)                     \
    X(fast_reader, NETNS)                    \
    X(send_retry, NETNS)                     \
    X(queue_plateau, NETNS)                  \
    X(sampling_cost, NETNS)                  \
    X(sampling_many_conns, NETNS)            \
    X(blocking_slow_reader, NETNS)           \
    X(blocking_fast_reader, NETNS)           \
    X(course_note, NETNS)                    \
    X(host_sysctls_unchanged, NETNS)         \
    X(no_netns, HOST)                        \
    X(interrupt, NETNS)                      \
    X(remote_refused, HOST)                  \
    X(unwritable_output, HOST)               \
    X(remote_no_route, NETNS)                \
    X(fault_server_killed, NETNS)            \
    X(fault_client_killed, NETNS)            \
    X(fault_client_hangs, NETNS)             \
    X(fault_server_hangs, NETNS)             \
    X(fault_results_disk_full, NETNS)        \
    X(fault_results_read_only, NETNS)        \
    X(fault_logs_disk_full, NETNS)           \
    X(results_stale_temp_removed, NETNS)     \
    X(fault_fd_limit, NETNS)                 \
    X(fault_port_in_use, NETNS)              \
    X(fault_accept_out_of_fds, NETNS)        \
    X(abort_on_overflow, NETNS)              \
    X(interrupt_make, NETNS)                 \
    X(veth_backlog, NETNS)                   \
    X(veth_slow_link, NETNS)                 \
    X(veth_needs_netem, NETNS)               \
    X(veth_peer_target, NETNS)               \
    X(merge_halves, NETNS)                   \
    X(merge_swept_point, NETNS)              \
    X(merge_different_points_refused, NETNS) \
    X(compare_known_difference, NETNS)       \
    X(pending_at_stop, NETNS)                \
    X(harness_timeout, NETNS)                \
    X(syncookies_zero, NETNS)                \
    X(start_order, NETNS)                    \
    X(netns_required, HOST)                  \
    X(counters_unreadable, NETNS)
/* clang-format on */

enum { HOST, NETNS };

#define E2E_DECLARE(name, where) int test_##name(void);
E2E_TESTS(E2E_DECLARE)
#undef E2E_DECLARE

static const struct {
    const char *name;
    int (*run)(void);
    int needs_netns;
} tests[] = {
#define E2E_ENTRY(name, where) {#name, test_##name, where == NETNS},
    E2E_TESTS(E2E_ENTRY)
#undef E2E_ENTRY
};

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--list") == 0) {
        for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++)
            printf("%s\n", tests[i].name);
        return 0;
    }
    if (argc != 2) {
        fprintf(stderr, "usage: e2e TEST | --list\n");
        return 2;
    }
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        if (strcmp(tests[i].name, argv[1]) != 0)
            continue;
        if (tests[i].needs_netns && e2e_require_netns())
            return E2E_SKIP;
        int rc = tests[i].run();
        if (rc == E2E_SKIP) { /* it said why */
            fprintf(stderr, "%s: skipped\n", tests[i].name);
            return E2E_SKIP;
        }
        fprintf(stderr, "%s: %s\n", tests[i].name, rc ? "FAILED" : "passed");
        return rc ? 1 : 0;
    }
    fprintf(stderr, "e2e: no test named %s (see --list)\n", argv[1]);
    return 2;
}
