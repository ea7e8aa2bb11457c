/* main.c: the end-to-end tests, one per kernel fact; ctest runs each by
 * name (`e2e backlog_handshakes`). Exit 0 pass, 1 fail, 77 skip. */
#include <stdio.h>
#include <string.h>

#include "e2e.h"

int test_backlog_handshakes(void);
int test_somaxconn_clamp(void);
int test_syn_timeout_kernel(void);
int test_slow_acceptor(void);
int test_listener_closed(void);
int test_no_listener(void);
int test_buffers_doubled(void);
int test_never_read(void);
int test_fast_reader(void);
int test_send_retry(void);
int test_queue_plateau(void);
int test_sampling_cost(void);
int test_sampling_many_conns(void);
int test_blocking_slow_reader(void);
int test_blocking_fast_reader(void);
int test_course_note(void);
int test_host_sysctls_unchanged(void);
int test_no_netns(void);
int test_interrupt(void);
int test_remote_refused(void);
int test_unwritable_output(void);
int test_remote_no_route(void);
int test_fault_server_killed(void);
int test_fault_client_killed(void);
int test_fault_client_hangs(void);
int test_fault_server_hangs(void);
int test_fault_results_disk_full(void);
int test_fault_results_read_only(void);
int test_fault_logs_disk_full(void);
int test_results_stale_temp_removed(void);
int test_fault_fd_limit(void);
int test_fault_port_in_use(void);
int test_fault_accept_out_of_fds(void);
int test_abort_on_overflow(void);
int test_interrupt_make(void);
int test_veth_backlog(void);
int test_veth_slow_link(void);
int test_veth_needs_netem(void);
int test_veth_peer_target(void);
int test_merge_halves(void);
int test_merge_swept_point(void);
int test_merge_different_points_refused(void);
int test_compare_known_difference(void);

static const struct {
    const char *name;
    int (*run)(void);
    int needs_netns;
} tests[] = {
    {"backlog_handshakes", test_backlog_handshakes, 1},
    {"somaxconn_clamp", test_somaxconn_clamp, 1},
    {"syn_timeout_kernel", test_syn_timeout_kernel, 1},
    {"slow_acceptor", test_slow_acceptor, 1},
    {"listener_closed", test_listener_closed, 1},
    {"no_listener", test_no_listener, 1},
    {"buffers_doubled", test_buffers_doubled, 1},
    {"never_read", test_never_read, 1},
    {"fast_reader", test_fast_reader, 1},
    {"send_retry", test_send_retry, 1},
    {"queue_plateau", test_queue_plateau, 1},
    {"sampling_cost", test_sampling_cost, 1},
    {"sampling_many_conns", test_sampling_many_conns, 1},
    {"blocking_slow_reader", test_blocking_slow_reader, 1},
    {"blocking_fast_reader", test_blocking_fast_reader, 1},
    {"course_note", test_course_note, 1},
    {"host_sysctls_unchanged", test_host_sysctls_unchanged, 1},
    {"no_netns", test_no_netns, 0},
    {"interrupt", test_interrupt, 1},
    {"remote_refused", test_remote_refused, 0},
    {"unwritable_output", test_unwritable_output, 0},
    {"remote_no_route", test_remote_no_route, 1},
    {"fault_server_killed", test_fault_server_killed, 1},
    {"fault_client_killed", test_fault_client_killed, 1},
    {"fault_client_hangs", test_fault_client_hangs, 1},
    {"fault_server_hangs", test_fault_server_hangs, 1},
    {"fault_results_disk_full", test_fault_results_disk_full, 1},
    {"fault_results_read_only", test_fault_results_read_only, 1},
    {"fault_logs_disk_full", test_fault_logs_disk_full, 1},
    {"results_stale_temp_removed", test_results_stale_temp_removed, 1},
    {"fault_fd_limit", test_fault_fd_limit, 1},
    {"fault_port_in_use", test_fault_port_in_use, 1},
    {"fault_accept_out_of_fds", test_fault_accept_out_of_fds, 1},
    {"abort_on_overflow", test_abort_on_overflow, 1},
    {"interrupt_make", test_interrupt_make, 1},
    {"veth_backlog", test_veth_backlog, 1},
    {"veth_slow_link", test_veth_slow_link, 1},
    {"veth_needs_netem", test_veth_needs_netem, 1},
    {"veth_peer_target", test_veth_peer_target, 1},
    {"merge_halves", test_merge_halves, 1},
    {"merge_swept_point", test_merge_swept_point, 1},
    {"merge_different_points_refused", test_merge_different_points_refused, 1},
    {"compare_known_difference", test_compare_known_difference, 1},
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
