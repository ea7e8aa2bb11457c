/* params.h: one point of an experiment, every value resolved.
 *
 * A scenario file (scenario.h) expands into points; each point is a
 * struct point_params. The server and client receive their point as JSON
 * (params_to_json) and read it back with params_from_json_text, so the
 * runner, the children and a person typing flags all go through the same
 * validator.
 *
 * Units are in the names: *_us microseconds, bytes as uint64_t. The scenario
 * file speaks milliseconds (*_ms); conversion happens here, once.
 *
 * The keys are listed in keys.c; each section of a point is parsed in its
 * own params_*.c file (params_parse.h has the map), through validator.h. */
#ifndef HARNESS_PARAMS_H
#define HARNESS_PARAMS_H

#include "arrival.h"
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "locations.h"

/* Upper limits enforced at validation (documented in scenarios/README.md). */
#define PARAMS_MAX_CONNECTIONS 100000
#define PARAMS_MAX_DURATION_MS 600000
#define PARAMS_MAX_BUFFER (1LL << 30)
#define PARAMS_MAX_SEND_BYTES (1LL << 40)
#define PARAMS_MAX_CHUNK (16LL << 20)
/* an immediate reader's recv() asks for at least this much (64 KiB) */
#define PARAMS_READ_CHUNK_MIN 65536
#define PARAMS_MAX_SYSCTLS 32
#define PARAMS_MAX_REPLY 4096
#define PARAMS_MAX_BLOCKING_CONCURRENCY 1024 /* a thread per open connection */
#define PARAMS_MAX_BLOCK_THRESHOLD_US 10000000
#define PARAMS_MAX_LINK_DELAY_MS 10000
#define PARAMS_MAX_LINK_RATE_MBIT 100000
#define PARAMS_MAX_COMMAND_ARGS 32
#define PARAMS_MAX_COMMAND_ARG 512
/* protocol "udp": a datagram carries its sequence number in its first
 * bytes, and fits in one IPv4 UDP datagram (65535 - 20 - 8) */
#define PARAMS_UDP_SEQUENCE_BYTES 8
#define PARAMS_MAX_DATAGRAM 65507
#define PARAMS_MAX_DATAGRAMS 10000000

/* Run-time caps of sampling (not validation bounds): the sampler of each
 * peer enforces them (sampler.h), the results declare them
 * ("sampling_limits"). Per process at most PARAMS_MAX_SAMPLES samples and
 * SAMPLER_MAX_CONN_ENTRIES per-connection entries are kept; a sample reads
 * the queues of at most SAMPLER_CONNS connections. */
#define PARAMS_MAX_SAMPLES 100000
#define SAMPLER_CONNS 32
#define SAMPLER_MAX_CONN_ENTRIES 250000

enum accept_kind { ACCEPT_NEVER, ACCEPT_IMMEDIATE, ACCEPT_PACED };
enum read_kind { READ_NEVER, READ_IMMEDIATE, READ_PACED };
/* nonblocking: raw fds driven by the event loop; blocking: a thread per
 * connection making blocking calls, like the course note's sendall() */
enum send_mode { MODE_NONBLOCKING, MODE_BLOCKING };
/* loopback: the server and the client share one network namespace and talk
 * over lo; veth: each has a namespace of its own, joined by a veth pair
 * (link.h), with its own sysctls and counters */
enum topology { TOPOLOGY_LOOPBACK, TOPOLOGY_VETH };
/* inet: TCP over IPv4; unix: AF_UNIX stream sockets, bound to an abstract
 * name, which the kernel scopes to the network namespace */
enum family { FAMILY_INET, FAMILY_UNIX };
/* tcp: SOCK_STREAM, a listener, connections; udp: SOCK_DGRAM, one bound
 * socket that the client's datagrams reach or are dropped at */
enum protocol { PROTOCOL_TCP, PROTOCOL_UDP };

struct accept_policy {
    enum accept_kind kind;
    int64_t start_us; /* paced: first accept at start_us ... */
    int64_t every_us; /* ... then one every every_us */
};

struct read_policy {
    enum read_kind kind;
    int64_t start_us;       /* paced: no read before start_us */
    uint64_t bytes_per_sec; /* paced: per connection */
    uint64_t chunk; /* largest single recv(); immediate: params_read_chunk_default() unless set */
};

struct sysctl_setting {
    char name[96];   /* "net.core.somaxconn" */
    char value[128]; /* as written to /proc/sys, "4096" */
};

/* The veth link's shaping, the same in each direction; 0 means none. */
struct link_params {
    int64_t delay_us;    /* netem: added to every packet, one way */
    uint64_t rate_mbit;  /* tbf: megabits per second */
    double loss_percent; /* netem: packets dropped, 0 to 100 */
};

/* A program from the scenario file that takes a side's place
 * ("server.command" or "client.command", never both): its argv as written, {port} and {host} not
 * yet replaced (the runner does that, params_command_argv). */
struct program_params {
    char argv[PARAMS_MAX_COMMAND_ARGS][PARAMS_MAX_COMMAND_ARG + 1];
    size_t argc;     /* 0: the harness's own peer runs */
    int run_as_root; /* the scenario asked for it by name */
};

struct server_params {
    int listen;              /* 0: bind the port but never listen() (connects are refused) */
    int backlog;             /* passed to listen() as is, negative values included */
    uint64_t rcvbuf, sndbuf; /* 0: kernel default, no setsockopt */
    struct accept_policy accept;
    struct read_policy read;
    int64_t close_listener_us;        /* -1: never */
    char reply[PARAMS_MAX_REPLY + 1]; /* sent after a connection's first read, then closed */
    struct program_params program;    /* "command": a program listens instead of harness-server */
    /* topology veth: written in the server's namespace only, after (and
     * over) the point's sysctls */
    struct sysctl_setting sysctls[PARAMS_MAX_SYSCTLS];
    size_t sysctl_count;
};

struct client_params {
    uint32_t connections;       /* attempts in all */
    uint32_t concurrency;       /* open at once at most */
    int64_t connect_timeout_us; /* 0: the kernel's own (tcp_syn_retries) */
    uint64_t sndbuf, rcvbuf;    /* 0: kernel default */
    uint64_t send_bytes;        /* per connection */
    uint64_t send_chunk;        /* bytes per send() */
    int64_t send_retry_us;      /* while blocked, also retry send() this often; 0: wait for poll */
    int64_t send_pause_us;      /* after each chunk sent, wait this long before the next */
    int nodelay;                /* TCP_NODELAY: no Nagle, a small send() leaves at once */
    struct arrival arrival;     /* when connections start: all at once, or at a rate */
    int receive;                /* read what the server sends until EOF */
    int64_t hold_us;            /* keep open after sending; -1: until the run ends */
    enum send_mode mode;
    int64_t block_threshold_us;    /* shorter blocked sends are not counted */
    struct program_params program; /* "command": a program connects instead of harness-client */
    /* topology veth: written in the client's namespace only */
    struct sysctl_setting sysctls[PARAMS_MAX_SYSCTLS];
    size_t sysctl_count;
};

struct point_params {
    struct sysctl_setting sysctls[PARAMS_MAX_SYSCTLS];
    size_t sysctl_count;
    struct server_params server;
    struct client_params client;
    int64_t duration_us;
    int64_t sample_us; /* 0: no sampling */
    enum topology topology;
    struct link_params link;
    enum family family;
    enum protocol protocol;
};

/* The keys known in the object at parent ("" for the top level of a point,
 * "server", "client", "client.send", "link", and the object forms of
 * "server.accept" and "server.read"), NULL-terminated; NULL for any other
 * parent. What tests compare with scenarios/schema.json. The lists
 * themselves are in keys.c. */
const char *const *params_known_keys(const char *parent);

/* The words a policy may be instead of an object: "never", "immediate". */
const char *const *params_policy_words(void);

/* The words topology may be: "loopback", "veth". */
const char *const *params_topology_words(void);

/* "inet" or "unix" (params_family.c). */
const char *params_family_name(enum family family);
/* The words protocol may be: "tcp", "udp". */
const char *const *params_protocol_words(void);

/* protocol "udp": the datagrams the client sends, client.send.bytes in
 * datagrams of client.send.chunk bytes (the last one shorter). */
uint64_t params_udp_datagrams(const struct point_params *params);

/* Whether the key at path ("server.backlog") means nothing with protocol
 * "udp"; why, when it does not, says so. */
int params_udp_meaningless(const char *path, const char **why);

/* Whether the point shapes its link (a delay, a rate or a loss). */
int params_link_shaped(const struct point_params *params);

/* Parses a JSON text holding exactly a point's keys (as params_to_json writes). */
int params_from_json_text(const char *text, const char *source, struct point_params *out,
                          struct hl_error *err);

/* The resolved point as JSON, in the scenario's units. */
json_t *params_to_json(const struct point_params *params);

/* Sets defaults for everything (the values a missing key gets). */
void params_defaults(struct point_params *params);

/* What an immediate reader asks for per recv() unless the scenario says
 * (server.read {"chunk": N}): the client's send chunk, 64 KiB at least, so
 * that one recv() can take what one send() gave. */
uint64_t params_read_chunk_default(const struct point_params *p);

/* 0 when name may be written (net.*, lower-case words joined by single
 * dots); otherwise -EINVAL and why says what is wrong with it. */
int params_sysctl_name_check(const char *name, char *why, size_t size);

#endif
