/* cli.c: see cli.h. Parsing goes through the one parser of all the mains
 * (options.h); this file holds the peers' table and what an option sets. */
#include "cli.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "cli_internal.h"
#include "options.h"

/* The value an option takes. */
enum cli_kind { CLI_INT, CLI_FLAG, CLI_STRING, CLI_POLICY };

/* What an option of the program itself (one without a params key) sets
 * in struct cli_args; CLI_KEY: the option sets its params key. */
enum cli_own {
    CLI_KEY,
    CLI_OWN_ADDRESS,
    CLI_OWN_ALLOW_REMOTE,
    CLI_OWN_PARAMS,
    CLI_OWN_SCENARIO,
    CLI_OWN_POINT,
    CLI_OWN_RESULTS,
    CLI_OWN_EVENTS,
    CLI_OWN_NO_EVENTS,
    CLI_OWN_CONTROL,
    CLI_OWN_START_NS,
    CLI_OWN_HELP,
    CLI_OWN_VERSION,
};

struct cli_option {
    const char *name;
    int roles;
    enum cli_kind kind;
    const char *path; /* params key it sets (".x": "server.x" or "client.x"), or NULL */
    const char *arg;
    const char *help;
    enum cli_own own; /* for an option without a params key */
};

static const struct cli_option options[] = {
    {"listen", CLI_SERVER, CLI_STRING, NULL, "ADDR:PORT",
     "address to bind (default 127.0.0.1:0, a free port; family unix: @NAME, "
     "an abstract name, default @ for a free one)",
     CLI_OWN_ADDRESS},
    {"connect", CLI_CLIENT, CLI_STRING, NULL, "ADDR:PORT",
     "server to connect to (required; family unix: @NAME)", CLI_OWN_ADDRESS},
    {"family", CLI_SERVER | CLI_CLIENT, CLI_STRING, "family", "FAMILY",
     "inet (default: TCP over IPv4) | unix (AF_UNIX stream sockets)", CLI_KEY},
    {"allow-remote", CLI_CLIENT, CLI_FLAG, NULL, NULL,
     "allow a target that is not a loopback address", CLI_OWN_ALLOW_REMOTE},
    {"backlog", CLI_SERVER, CLI_INT, "server.backlog", "N", "listen() backlog (default 128)",
     CLI_KEY},
    {"no-listen", CLI_SERVER, CLI_FLAG, "server.listen", NULL,
     "bind the port but never listen(): connects are refused", CLI_KEY},
    {"accept", CLI_SERVER, CLI_POLICY, "server.accept", "POLICY",
     "never | immediate | '{\"start_ms\":500,\"every_ms\":100}' (default immediate)", CLI_KEY},
    {"read", CLI_SERVER, CLI_POLICY, "server.read", "POLICY",
     "never | immediate | '{\"start_ms\":0,\"bytes_per_sec\":65536,\"chunk\":4096}'", CLI_KEY},
    {"close-listener-ms", CLI_SERVER, CLI_INT, "server.close_listener_ms", "MS",
     "close the listening socket at this time (default never)", CLI_KEY},
    {"reply", CLI_SERVER, CLI_STRING, "server.reply", "TEXT",
     "send TEXT after a connection's first read, then close it", CLI_KEY},
    {"rcvbuf", CLI_SERVER | CLI_CLIENT, CLI_INT, ".rcvbuf", "BYTES",
     "SO_RCVBUF to set (0: kernel default)", CLI_KEY},
    {"sndbuf", CLI_SERVER | CLI_CLIENT, CLI_INT, ".sndbuf", "BYTES",
     "SO_SNDBUF to set (0: kernel default)", CLI_KEY},
    {"connections", CLI_CLIENT, CLI_INT, "client.connections", "N",
     "connections to open (default 1)", CLI_KEY},
    {"concurrency", CLI_CLIENT, CLI_INT, "client.concurrency", "N",
     "open at most N at once (default: all)", CLI_KEY},
    {"connect-timeout-ms", CLI_CLIENT, CLI_INT, "client.connect_timeout_ms", "MS",
     "give up a connect after MS (0: the kernel's own timeout)", CLI_KEY},
    {"arrival", CLI_CLIENT, CLI_POLICY, "client.arrival", "ARRIVAL",
     "all (default) | '{\"rate_per_sec\":100,\"process\":\"poisson\",\"seed\":1}'", CLI_KEY},
    {"send-bytes", CLI_CLIENT, CLI_INT, "client.send.bytes", "BYTES",
     "bytes to send per connection", CLI_KEY},
    {"send-chunk", CLI_CLIENT, CLI_INT, "client.send.chunk", "BYTES",
     "bytes per send() (default 16384)", CLI_KEY},
    {"send-retry-ms", CLI_CLIENT, CLI_INT, "client.send.retry_ms", "MS",
     "while blocked, also retry send() every MS (0: wait until poll says writable)", CLI_KEY},
    {"send-pause-ms", CLI_CLIENT, CLI_INT, "client.send.pause_ms", "MS",
     "wait MS after each chunk sent before sending the next (0: at once)", CLI_KEY},
    {"nodelay", CLI_CLIENT, CLI_FLAG, "client.nodelay", NULL,
     "set TCP_NODELAY: no Nagle, a small send() leaves at once", CLI_KEY},
    {"receive", CLI_CLIENT, CLI_FLAG, "client.receive", NULL,
     "after sending, read what the server sends until it closes", CLI_KEY},
    {"hold-ms", CLI_CLIENT, CLI_INT, "client.hold_ms", "MS",
     "keep each connection open MS after sending (-1: until the end)", CLI_KEY},
    {"mode", CLI_CLIENT, CLI_STRING, "client.mode", "MODE",
     "nonblocking (default: raw fds on an event loop) | blocking (a thread per connection)",
     CLI_KEY},
    {"block-threshold-us", CLI_CLIENT, CLI_INT, "client.block_threshold_us", "US",
     "count a blocked send only if it lasted US or more (default 0)", CLI_KEY},
    {"protocol", CLI_SERVER | CLI_CLIENT, CLI_STRING, "protocol", "PROTOCOL",
     "tcp (default: a listener, connections) | udp (one bound socket, numbered datagrams)",
     CLI_KEY},
    {"duration-ms", CLI_SERVER | CLI_CLIENT, CLI_INT, "duration_ms", "MS",
     "stop after MS (default 10000)", CLI_KEY},
    {"sample-ms", CLI_SERVER | CLI_CLIENT, CLI_INT, "sample_ms", "MS",
     "sample queues every MS (0: never; default 10)", CLI_KEY},
    {"params", CLI_SERVER | CLI_CLIENT, CLI_STRING, NULL, "JSON",
     "a point's params as JSON (what harness-run passes); flags override it", CLI_OWN_PARAMS},
    {"scenario", CLI_SERVER | CLI_CLIENT, CLI_STRING, NULL, "FILE",
     "take the params of a scenario file's point (see --point); flags override them",
     CLI_OWN_SCENARIO},
    {"point", CLI_SERVER | CLI_CLIENT, CLI_INT, NULL, "N",
     "with --scenario: which point of its sweep, from 0 (default 0)", CLI_OWN_POINT},
    {"results", CLI_SERVER | CLI_CLIENT, CLI_STRING, NULL, "FILE",
     "write this side's half of the run to FILE (join two with harness-run --merge)",
     CLI_OWN_RESULTS},
    {"events", CLI_SERVER | CLI_CLIENT, CLI_STRING, NULL, "FILE",
     "write events to FILE (default stdout)", CLI_OWN_EVENTS},
    {"no-events", CLI_SERVER | CLI_CLIENT, CLI_FLAG, NULL, NULL,
     "record no events at all (bench/: what observation costs)", CLI_OWN_NO_EVENTS},
    {"control", CLI_SERVER | CLI_CLIENT, CLI_FLAG, NULL, NULL,
     "driven by harness-run: commands on stdin, ready line on stdout", CLI_OWN_CONTROL},
    {"start-ns", CLI_SERVER | CLI_CLIENT, CLI_INT, NULL, "NS",
     "the run's start on CLOCK_MONOTONIC (default: now)", CLI_OWN_START_NS},
    {"help", CLI_SERVER | CLI_CLIENT, CLI_FLAG, NULL, NULL, "show this help", CLI_OWN_HELP},
    {"version", CLI_SERVER | CLI_CLIENT, CLI_FLAG, NULL, NULL, "show the version", CLI_OWN_VERSION},
};

#define OPTION_COUNT (sizeof options / sizeof options[0])

/* ---- the table, per role ---- */

/* The options of role as the parser reads them, each with its index in
 * options[] as its id. Returns how many. */
static size_t role_specs(enum cli_role role, struct option_spec specs[OPTION_COUNT])
{
    size_t count = 0;
    for (size_t i = 0; i < OPTION_COUNT; i++)
        if (options[i].roles & (int)role)
            specs[count++] =
                (struct option_spec){(int)i, 0, options[i].name, options[i].arg, options[i].help};
    return count;
}

/* The params key the option sets, with the role in front of a key both
 * roles have (".rcvbuf": "server.rcvbuf"); NULL for an option of the
 * program itself. */
static const char *option_path(const struct cli_option *o, enum cli_role role, char *buffer,
                               size_t size)
{
    if (!o->path || o->path[0] != '.')
        return o->path;
    snprintf(buffer, size, "%s%s", role == CLI_SERVER ? "server" : "client", o->path);
    return buffer;
}

/* A flag sets its key to what it says: --no-listen false, --receive true. */
static int flag_value(const struct cli_option *o)
{
    return strncmp(o->name, "no-", 3) != 0;
}

const char *cli_option_name(enum cli_role role, size_t index, const char **path, char *buffer,
                            size_t size)
{
    for (size_t i = 0; i < OPTION_COUNT; i++) {
        if (!(options[i].roles & (int)role) || index-- > 0)
            continue;
        if (path)
            *path = option_path(&options[i], role, buffer, size);
        return options[i].name;
    }
    return NULL;
}

/* ---- help ---- */

/* One option's help line: "  --backlog N   listen() backlog ... [server.backlog]". */
static void print_option(FILE *out, const struct option_spec *spec, enum cli_role role)
{
    const struct cli_option *o = &options[spec->id];
    char left[96], key[80] = "", path_buffer[64];
    const char *path = option_path(o, role, path_buffer, sizeof path_buffer);
    /* options_left_column leaves a blank column for a short name
     * ("    --backlog N"); the peers have no short options and drop it */
    const char *long_form = options_left_column(spec, left, sizeof left) + strlen("    ");
    if (path)
        snprintf(key, sizeof key, " [%s%s]", path,
                 o->kind != CLI_FLAG ? ""
                 : flag_value(o)     ? " true"
                                     : " false");
    fprintf(out, "  %-28s %s%s\n", long_form, spec->help, key);
}

void cli_usage(FILE *out, enum cli_role role)
{
    struct option_spec specs[OPTION_COUNT];
    size_t count = role_specs(role, specs);
    if (role == CLI_SERVER)
        fprintf(out, "Usage: harness-server [OPTION]...\n"
                     "Listen with a set backlog, accept and read by a policy, and log every\n"
                     "accept, read and queue sample as JSON lines.\n\n");
    else
        fprintf(out, "Usage: harness-client --connect ADDR:PORT [OPTION]...\n"
                     "Open connections with non-blocking connect() and send(), and log every\n"
                     "outcome (connected, refused, timed_out, failed, reset) and blocked send\n"
                     "as JSON lines.\n\n");
    fprintf(out, "An option with a key in [brackets] sets that scenario key of the point\n"
                 "(scenarios/README.md), over --params and --scenario.\n\n");
    for (size_t i = 0; i < count; i++)
        print_option(out, &specs[i], role);
    fprintf(out, "\nExit status: 0 done (also when SIGINT or SIGTERM ends the run early, as\n"
                 "--duration-ms does: the events so far are kept), 1 the run failed, 2 invalid\n"
                 "options.\n");
}

int cli_split_address(const char *text, char *host, size_t host_size, uint16_t *port)
{
    const char *colon = strrchr(text, ':');
    char *end;
    if (!colon || colon == text || (size_t)(colon - text) >= host_size)
        return -EINVAL;
    long p = strtol(colon + 1, &end, 10);
    if (*end || end == colon + 1 || p < 0 || p > 65535)
        return -EINVAL;
    snprintf(host, host_size, "%.*s", (int)(colon - text), text);
    *port = (uint16_t)p;
    return 0;
}

/* ---- reading the options ---- */

/* What the options say beyond cli_args, until the params are made. */
struct parse_state {
    enum cli_role role;
    json_t *keys;              /* the params keys set by options */
    const char *params_text;   /* --params */
    const char *scenario_file; /* --scenario */
    long long point;           /* --point; -1: not given */
};

static int set_key(json_t *root, const char *path, json_t *value)
{
    char first[32];
    const char *dot = strchr(path, '.');
    if (!dot)
        return json_object_set_new(root, path, value);
    snprintf(first, sizeof first, "%.*s", (int)(dot - path), path);
    json_t *child = json_object_get(root, first);
    if (!json_is_object(child)) {
        child = json_object();
        json_object_set_new(root, first, child);
    }
    return set_key(child, dot + 1, value);
}

/* Sets the option's params key to value (NULL for a flag), as its kind
 * reads it; number is value read as an integer. */
static int set_option_key(const struct cli_option *o, const char *value, long long number,
                          struct parse_state *st, struct hl_error *err)
{
    char path_buffer[64];
    const char *path = option_path(o, st->role, path_buffer, sizeof path_buffer);
    json_t *json;
    json_error_t jerr;
    switch (o->kind) {
    case CLI_INT:
        json = json_integer(number);
        break;
    case CLI_FLAG:
        json = json_boolean(flag_value(o));
        break;
    case CLI_POLICY:
        json = value[0] == '{' ? json_loads(value, 0, &jerr) : json_string(value);
        if (!json)
            return hl_error_set(err, NULL, "invalid JSON at column %d: %s", jerr.column, jerr.text);
        break;
    default:
        json = json_string(value);
        break;
    }
    set_key(st->keys, path, json);
    return 0;
}

/* Applies one option; value: its value (NULL for a flag). */
static int apply_option(const struct cli_option *o, const char *value, struct parse_state *st,
                        struct cli_args *out, struct hl_error *err)
{
    long long number = 0;
    char *end;
    if (o->kind == CLI_INT) {
        errno = 0;
        number = strtoll(value, &end, 10);
        if (*end || end == value || errno)
            return hl_error_set(err, NULL, "expected an integer, got \"%s\"", value);
    }
    switch (o->own) {
    case CLI_KEY:
        return set_option_key(o, value, number, st, err);
    case CLI_OWN_ADDRESS:
        snprintf(out->address, sizeof out->address, "%s", value);
        break;
    case CLI_OWN_ALLOW_REMOTE:
        out->allow_remote = 1;
        break;
    case CLI_OWN_PARAMS:
        st->params_text = value;
        break;
    case CLI_OWN_SCENARIO:
        st->scenario_file = value;
        break;
    case CLI_OWN_POINT:
        st->point = number;
        break;
    case CLI_OWN_RESULTS:
        out->results = value;
        break;
    case CLI_OWN_EVENTS:
        out->events = value;
        break;
    case CLI_OWN_NO_EVENTS:
        out->no_events = 1;
        break;
    case CLI_OWN_CONTROL:
        out->control = 1;
        break;
    case CLI_OWN_START_NS:
        out->start_ns = number;
        break;
    case CLI_OWN_HELP:
        out->help = 1;
        break;
    case CLI_OWN_VERSION:
        out->version = 1;
        break;
    }
    return 0;
}

static int read_options(int argc, char **argv, struct parse_state *st, struct cli_args *out,
                        struct hl_error *err)
{
    struct option_spec specs[OPTION_COUNT];
    struct options o;
    const char *value;
    int id;
    options_init(&o, specs, role_specs(st->role, specs), argc, argv);
    while ((id = options_next(&o, &value, err)) != OPTIONS_END) {
        if (id == OPTIONS_ERROR)
            return -EINVAL;
        if (id == OPTIONS_OPERAND)
            return hl_error_set(err, value,
                                "unexpected argument (options start with --; see --help)");
        if (apply_option(&options[id], value, st, out, err)) {
            /* where: the option's name, whatever its form on the line */
            snprintf(err->where, sizeof err->where, "--%s", options[id].name);
            return -EINVAL;
        }
    }
    return 0;
}

/* ---- making the params ---- */

static int check_combinations(const struct parse_state *st, const struct cli_args *out,
                              struct hl_error *err)
{
    if (out->no_events && out->results)
        return hl_error_set(err, "--no-events", "a half (--results) is made of the events");
    if (st->point >= 0 && !st->scenario_file)
        return hl_error_set(err, "--point", "goes with --scenario FILE");
    if (st->scenario_file && st->params_text)
        return hl_error_set(err, "--scenario", "--scenario or --params, not both");
    return 0;
}

/* The address as the point's family writes it; a server given none
 * binds any free one of its family. */
static int check_address(struct cli_args *out, enum cli_role role, int address_given,
                         struct hl_error *err)
{
    struct peer_address parsed;
    const char *option = role == CLI_SERVER ? "--listen" : "--connect";
    if (!address_given && role == CLI_SERVER)
        snprintf(out->address, sizeof out->address, "%s",
                 out->params.family == FAMILY_UNIX ? "@" : "127.0.0.1:0");
    if (!out->address[0])
        return hl_error_set(err, "--connect", "required: the server's ADDR:PORT");
    if (peer_address_parse(out->address, out->params.family, &parsed, err))
        return hl_error_set(err, option, "expected %s, got \"%s\"",
                            out->params.family == FAMILY_UNIX
                                ? "@NAME (family unix: an abstract AF_UNIX name)"
                                : "ADDR:PORT such as 127.0.0.1:5000",
                            out->address);
    return 0;
}

int cli_parse(int argc, char **argv, enum cli_role role, struct cli_args *out, struct hl_error *err)
{
    struct parse_state st = {.role = role, .keys = json_object(), .point = -1};
    memset(out, 0, sizeof *out);
    int rc = read_options(argc, argv, &st, out, err);
    int address_given = out->address[0] != '\0';
    int answer_only = out->help || out->version;
    if (rc == 0 && !answer_only)
        rc = check_combinations(&st, out, err);
    if (rc == 0 && !answer_only)
        rc = cli_make_params(st.params_text, st.scenario_file, st.point, st.keys, &out->params,
                             &out->origin, err);
    if (rc == 0 && !answer_only)
        rc = check_address(out, role, address_given, err);
    json_decref(st.keys);
    if (rc) {
        json_decref(out->origin);
        out->origin = NULL;
    }
    return rc;
}
