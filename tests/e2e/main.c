/* main.c: the end-to-end tests, one per kernel fact; ctest runs each by
 * name (`e2e backlog_handshakes`). Exit 0 pass, 1 fail, 77 skip. */
#include <stdio.h>
#include <string.h>

#include "e2e.h"

/* Every test, once: its name (the function is test_<name>, the ctest test
 * e2e.<name>, which CMake takes from `e2e --list`) and whether it needs a
 * private network namespace (NETNS: skipped where none can be made) or
 * runs on the host's stack (HOST), and what its points ask of the machine
 * (alone.h; harness-run --plan says why; checked after each test): nothing
 * (SHARED), to run apart from other CPU-heavy work (HEAVY: a point loads
 * the CPU) or to have the CPU to itself (TIMING: a point is
 * timing-sensitive). ctest keeps them so (`e2e --list-load`,
 * discover.cmake, tests/resources.json). */
/* clang-format off */
#define E2E_TESTS(X) \
    X(backlog_handshakes, NETNS, SHARED)             \
    X(somaxconn_clamp, NETNS, SHARED)                \
    X(syn_timeout_kernel, NETNS, SHARED)             \
    X(slow_acceptor, NETNS, TIMING)                  \
    X(listener_closed, NETNS, SHARED)                \
    X(no_listener, NETNS, SHARED)                    \
    X(buffers_doubled, NETNS, SHARED)                \
    X(never_read, NETNS, SHARED)                     \
    X(fast_reader, NETNS, SHARED)                    \
    X(send_retry, NETNS, SHARED)                     \
    X(queue_plateau, NETNS, SHARED)                  \
    X(sampling_cost, NETNS, SHARED)                  \
    X(sampling_many_conns, NETNS, SHARED)            \
    X(blocking_slow_reader, NETNS, SHARED)           \
    X(blocking_fast_reader, NETNS, SHARED)           \
    X(course_note, NETNS, SHARED)                    \
    X(host_sysctls_unchanged, NETNS, SHARED)         \
    X(no_netns, HOST, SHARED)                        \
    X(interrupt, NETNS, SHARED)                      \
    X(remote_refused, HOST, SHARED)                  \
    X(unwritable_output, HOST, SHARED)               \
    X(remote_no_route, NETNS, SHARED)                \
    X(fault_server_killed, NETNS, SHARED)            \
    X(fault_client_killed, NETNS, SHARED)            \
    X(fault_client_hangs, NETNS, SHARED)             \
    X(fault_server_hangs, NETNS, SHARED)             \
    X(fault_results_disk_full, NETNS, SHARED)        \
    X(fault_results_read_only, NETNS, SHARED)        \
    X(fault_logs_disk_full, NETNS, HEAVY)            \
    X(results_stale_temp_removed, NETNS, SHARED)     \
    X(fault_fd_limit, NETNS, SHARED)                 \
    X(fault_port_in_use, NETNS, SHARED)              \
    X(fault_accept_out_of_fds, NETNS, SHARED)        \
    X(abort_on_overflow, NETNS, TIMING)              \
    X(interrupt_make, NETNS, SHARED)                 \
    X(veth_backlog, NETNS, SHARED)                   \
    X(veth_slow_link, NETNS, TIMING)                 \
    X(veth_needs_netem, NETNS, SHARED)               \
    X(veth_peer_target, NETNS, SHARED)               \
    X(merge_halves, NETNS, SHARED)                   \
    X(merge_swept_point, NETNS, SHARED)              \
    X(merge_different_points_refused, NETNS, SHARED) \
    X(compare_known_difference, NETNS, SHARED)       \
    X(pending_at_stop, NETNS, SHARED)                \
    X(harness_timeout, NETNS, SHARED)                \
    X(syncookies_zero, NETNS, SHARED)                \
    X(start_order, NETNS, SHARED)                    \
    X(netns_required, HOST, SHARED)                  \
    X(counters_unreadable, NETNS, SHARED)
/* clang-format on */

enum { HOST, NETNS };
/* in the order of alone.h's kinds: ALONE_NO, ALONE_LOADS_CPU, ALONE_TIMING */
enum { SHARED, HEAVY, TIMING };
static const char *const load_names[] = {"SHARED", "HEAVY", "TIMING"};

#define E2E_DECLARE(name, where, load) int test_##name(void);
E2E_TESTS(E2E_DECLARE)
#undef E2E_DECLARE

static const struct {
    const char *name;
    int (*run)(void);
    int needs_netns, load;
} tests[] = {
#define E2E_ENTRY(name, where, load) {#name, test_##name, where == NETNS, load},
    E2E_TESTS(E2E_ENTRY)
#undef E2E_ENTRY
};

int main(int argc, char **argv)
{
    int with_load = argc == 2 && strcmp(argv[1], "--list-load") == 0;
    if (argc == 2 && (strcmp(argv[1], "--list") == 0 || with_load)) {
        for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++)
            printf("%s%s%s\n", tests[i].name, with_load ? " " : "",
                   with_load ? load_names[tests[i].load] : "");
        return 0;
    }
    if (argc != 2) {
        fprintf(stderr, "usage: e2e TEST | --list | --list-load\n");
        return 2;
    }
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        if (strcmp(tests[i].name, argv[1]) != 0)
            continue;
        if (tests[i].needs_netns && e2e_require_netns())
            return E2E_SKIP;
        int rc = tests[i].run();
        if (rc != E2E_SKIP && tests[i].load != e2e_load_seen) {
            fprintf(stderr,
                    "FAIL: marked %s in tests/e2e/main.c, but its points ask for %s%s%s%s\n",
                    load_names[tests[i].load], load_names[e2e_load_seen], e2e_load_seen ? " (" : "",
                    e2e_load_seen ? e2e_load_why : "", e2e_load_seen ? ")" : "");
            rc = 1;
        }
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
