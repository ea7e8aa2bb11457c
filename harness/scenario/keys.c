/* keys.c: see keys.h. */
#include "keys.h"
#include "params.h"
#include "scenario.h"

#include <string.h>

const char *const keys_point[] = {"sysctls",  "server", "client", "duration_ms", "sample_ms",
                                  "topology", "link",   "family", "protocol",    NULL};

const char *const keys_server[] = {
    "listen", "backlog", "rcvbuf",  "sndbuf",      "accept", "read", "close_listener_ms",
    "reply",  "sysctls", "command", "run_as_root", NULL};
const char *const keys_server_accept[] = {"start_ms", "every_ms", NULL};
const char *const keys_server_read[] = {"start_ms", "bytes_per_sec", "chunk", NULL};
const char *const keys_client[] = {"connections",
                                   "concurrency",
                                   "connect_timeout_ms",
                                   "sndbuf",
                                   "rcvbuf",
                                   "send",
                                   "nodelay",
                                   "receive",
                                   "hold_ms",
                                   "mode",
                                   "block_threshold_us",
                                   "sysctls",
                                   "arrival",
                                   "command",
                                   "run_as_root",
                                   NULL};
const char *const keys_client_arrival[] = {"rate_per_sec", "process", "seed", NULL};
const char *const keys_client_send[] = {"bytes", "chunk", "retry_ms", "pause_ms", NULL};
const char *const keys_link[] = {"delay_ms", "rate_mbit", "loss", NULL};

const char *const keys_policy_words[] = {"never", "immediate", NULL};
const char *const keys_mode_words[] = {"nonblocking", "blocking", NULL};
const char *const keys_arrival_process_words[] = {"constant", "poisson", NULL};
const char *const keys_topology_words[] = {"loopback", "veth", NULL};
const char *const keys_family_words[] = {"inet", "unix", NULL};
const char *const keys_protocol_words[] = {"tcp", "udp", NULL};

const char *const keys_scenario[] = {"name",        "description", "sysctls",  "server", "client",
                                     "duration_ms", "sample_ms",   "topology", "link",   "family",
                                     "protocol",    "repeat",      "sweep",    "plots",  NULL};

const char *const keys_sweepable[] = {"server.listen",
                                      "server.backlog",
                                      "server.rcvbuf",
                                      "server.sndbuf",
                                      "server.accept",
                                      "server.accept.start_ms",
                                      "server.accept.every_ms",
                                      "server.read",
                                      "server.read.start_ms",
                                      "server.read.bytes_per_sec",
                                      "server.read.chunk",
                                      "server.close_listener_ms",
                                      "server.reply",
                                      "client.connections",
                                      "client.concurrency",
                                      "client.connect_timeout_ms",
                                      "client.sndbuf",
                                      "client.rcvbuf",
                                      "client.send",
                                      "client.send.bytes",
                                      "client.send.chunk",
                                      "client.send.retry_ms",
                                      "client.send.pause_ms",
                                      "client.nodelay",
                                      "client.receive",
                                      "client.hold_ms",
                                      "client.mode",
                                      "client.block_threshold_us",
                                      "client.arrival",
                                      "client.arrival.rate_per_sec",
                                      "client.arrival.process",
                                      "client.arrival.seed",
                                      "duration_ms",
                                      "sample_ms",
                                      "topology",
                                      "link",
                                      "link.delay_ms",
                                      "link.rate_mbit",
                                      "link.loss",
                                      "family",
                                      "protocol",
                                      NULL};

const struct keys_group keys_groups[] = {
    {"", keys_point},
    {"server", keys_server},
    {"client", keys_client},
    {"client.send", keys_client_send},
    {"client.arrival", keys_client_arrival},
    {"server.accept", keys_server_accept},
    {"server.read", keys_server_read},
    {"link", keys_link},
};
const size_t keys_group_count = sizeof keys_groups / sizeof keys_groups[0];

const char *const *params_known_keys(const char *parent)
{
    for (size_t g = 0; g < keys_group_count; g++)
        if (strcmp(keys_groups[g].parent, parent) == 0)
            return keys_groups[g].keys;
    return NULL;
}

const char *const *params_policy_words(void)
{
    return keys_policy_words;
}

const char *const *params_topology_words(void)
{
    return keys_topology_words;
}

const char *const *params_protocol_words(void)
{
    return keys_protocol_words;
}

const char *const *scenario_known_keys(void)
{
    return keys_scenario;
}

const char *const *scenario_sweep_paths(void)
{
    return keys_sweepable;
}
