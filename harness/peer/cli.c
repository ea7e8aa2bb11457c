/* cli.c: see cli.h. */
#include "cli.h"
#include "suggest.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

enum cli_kind { CLI_INT, CLI_FLAG, CLI_STRING, CLI_POLICY };

struct cli_option {
    const char *name;
    int roles;
    enum cli_kind kind;
    const char *path; /* params key it sets, or NULL for a runner option */
    const char *arg;
    const char *help;
};

static const struct cli_option options[] = {
    {"listen", CLI_SERVER, CLI_STRING, NULL, "ADDR:PORT",
     "address to bind (default 127.0.0.1:0, a free port)"},
    {"connect", CLI_CLIENT, CLI_STRING, NULL, "ADDR:PORT", "server to connect to (required)"},
    {"allow-remote", CLI_CLIENT, CLI_FLAG, NULL, NULL,
     "allow a target that is not a loopback address"},
    {"backlog", CLI_SERVER, CLI_INT, "server.backlog", "N", "listen() backlog (default 128)"},
    {"no-listen", CLI_SERVER, CLI_FLAG, "server.listen", NULL,
     "bind the port but never listen(): connects are refused"},
    {"accept", CLI_SERVER, CLI_POLICY, "server.accept", "POLICY",
     "never | immediate | '{\"start_ms\":500,\"every_ms\":100}' (default immediate)"},
    {"read", CLI_SERVER, CLI_POLICY, "server.read", "POLICY",
     "never | immediate | '{\"start_ms\":0,\"bytes_per_sec\":65536,\"chunk\":4096}'"},
    {"close-listener-ms", CLI_SERVER, CLI_INT, "server.close_listener_ms", "MS",
     "close the listening socket at this time (default never)"},
    {"reply", CLI_SERVER, CLI_STRING, "server.reply", "TEXT",
     "send TEXT after a connection's first read, then close it"},
    {"rcvbuf", CLI_SERVER | CLI_CLIENT, CLI_INT, ".rcvbuf", "BYTES",
     "SO_RCVBUF to set (0: kernel default)"},
    {"sndbuf", CLI_SERVER | CLI_CLIENT, CLI_INT, ".sndbuf", "BYTES",
     "SO_SNDBUF to set (0: kernel default)"},
    {"connections", CLI_CLIENT, CLI_INT, "client.connections", "N",
     "connections to open (default 1)"},
    {"concurrency", CLI_CLIENT, CLI_INT, "client.concurrency", "N",
     "open at most N at once (default: all)"},
    {"connect-timeout-ms", CLI_CLIENT, CLI_INT, "client.connect_timeout_ms", "MS",
     "give up a connect after MS (0: the kernel's own timeout)"},
    {"send-bytes", CLI_CLIENT, CLI_INT, "client.send.bytes", "BYTES",
     "bytes to send per connection"},
    {"send-chunk", CLI_CLIENT, CLI_INT, "client.send.chunk", "BYTES",
     "bytes per send() (default 16384)"},
    {"send-retry-ms", CLI_CLIENT, CLI_INT, "client.send.retry_ms", "MS",
     "while blocked, also retry send() every MS (0: wait until poll says writable)"},
    {"receive", CLI_CLIENT, CLI_FLAG, "client.receive", NULL,
     "after sending, read what the server sends until it closes"},
    {"hold-ms", CLI_CLIENT, CLI_INT, "client.hold_ms", "MS",
     "keep each connection open MS after sending (-1: until the end)"},
    {"mode", CLI_CLIENT, CLI_STRING, "client.mode", "MODE",
     "nonblocking (default: raw fds on an event loop) | blocking (a thread per connection)"},
    {"block-threshold-us", CLI_CLIENT, CLI_INT, "client.block_threshold_us", "US",
     "count a blocked send only if it lasted US or more (default 0)"},
    {"duration-ms", CLI_SERVER | CLI_CLIENT, CLI_INT, "duration_ms", "MS",
     "stop after MS (default 10000)"},
    {"sample-ms", CLI_SERVER | CLI_CLIENT, CLI_INT, "sample_ms", "MS",
     "sample queues every MS (0: never; default 10)"},
    {"params", CLI_SERVER | CLI_CLIENT, CLI_STRING, NULL, "JSON",
     "a point's params as JSON (what harness-run passes); flags override it"},
    {"scenario", CLI_SERVER | CLI_CLIENT, CLI_STRING, NULL, "FILE",
     "take the params of a scenario file's point (see --point); flags override them"},
    {"point", CLI_SERVER | CLI_CLIENT, CLI_INT, NULL, "N",
     "with --scenario: which point of its sweep, from 0 (default 0)"},
    {"results", CLI_SERVER | CLI_CLIENT, CLI_STRING, NULL, "FILE",
     "write this side's half of the run to FILE (join two with harness-run --merge)"},
    {"events", CLI_SERVER | CLI_CLIENT, CLI_STRING, NULL, "FILE",
     "write events to FILE (default stdout)"},
    {"no-events", CLI_SERVER | CLI_CLIENT, CLI_FLAG, NULL, NULL,
     "record no events at all (bench/: what observation costs)"},
    {"control", CLI_SERVER | CLI_CLIENT, CLI_FLAG, NULL, NULL,
     "driven by harness-run: commands on stdin, ready line on stdout"},
    {"start-ns", CLI_SERVER | CLI_CLIENT, CLI_INT, NULL, "NS",
     "the run's start on CLOCK_MONOTONIC (default: now)"},
    {"help", CLI_SERVER | CLI_CLIENT, CLI_FLAG, NULL, NULL, "show this help"},
    {"version", CLI_SERVER | CLI_CLIENT, CLI_FLAG, NULL, NULL, "show the version"},
};

#define OPTION_COUNT (sizeof options / sizeof options[0])

void cli_usage(FILE *out, enum cli_role role)
{
    if (role == CLI_SERVER)
        fprintf(out, "usage: harness-server [OPTION]...\n"
                     "Listen with a set backlog, accept and read by a policy, and log every\n"
                     "accept, read and queue sample as JSON lines.\n\n");
    else
        fprintf(out, "usage: harness-client --connect ADDR:PORT [OPTION]...\n"
                     "Open connections with non-blocking connect() and send(), and log every\n"
                     "outcome (connected, refused, timed_out, failed, reset) and blocked send\n"
                     "as JSON lines.\n\n");
    fprintf(out, "An option with a key in [brackets] sets that scenario key of the point\n"
                 "(scenarios/README.md), over --params and --scenario.\n\n");
    for (size_t i = 0; i < OPTION_COUNT; i++) {
        char left[64], key[64] = "";
        if (!(options[i].roles & (int)role))
            continue;
        snprintf(left, sizeof left, "--%s%s%s", options[i].name, options[i].arg ? " " : "",
                 options[i].arg ? options[i].arg : "");
        /* a flag sets its key to what it says: --no-listen false, --receive true */
        if (options[i].path)
            snprintf(key, sizeof key, " [%s%s%s]",
                     options[i].path[0] == '.' ? (role == CLI_SERVER ? "server" : "client") : "",
                     options[i].path,
                     options[i].kind != CLI_FLAG                 ? ""
                     : strcmp(options[i].name, "no-listen") == 0 ? " false"
                                                                 : " true");
        fprintf(out, "  %-28s %s%s\n", left, options[i].help, key);
    }
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

/* --scenario FILE --point N: that point's params as JSON text (free it),
 * and where they came from. */
static int scenario_params(const char *file, long long point, char **text, json_t **origin,
                           struct hl_error *err)
{
    struct scenario s;
    struct point_params params;
    json_t *sweep = NULL;
    char message[2048];
    int rc = scenario_load(&s, file, err);
    if (rc == 0 && (size_t)point >= s.point_count)
        rc = hl_error_set(err, "--point",
                          "%s has %zu point%s (0 to %zu), so there is no point %lld", file,
                          s.point_count, s.point_count == 1 ? "" : "s", s.point_count - 1, point);
    else if (rc == 0)
        rc = scenario_point(&s, (size_t)point, &params, &sweep, err);
    else {
        /* the scenario's own message, FILE:LINE:COL first */
        hl_error_format(err, message, sizeof message);
        hl_error_set(err, "--scenario", "%s", message);
    }
    if (rc == 0) {
        json_t *p = params_to_json(&params);
        *text = json_dumps(p, JSON_COMPACT);
        json_decref(p);
        *origin = json_pack("{s:s,s:O,s:I,s:o}", "scenario_file", file, "scenario", s.root, "point",
                            (json_int_t)point, "sweep", sweep);
        if (!*text || !*origin)
            rc = hl_error_setn(err, ENOMEM, file, "out of memory");
    }
    scenario_free(&s);
    return rc;
}

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

int cli_parse(int argc, char **argv, enum cli_role role, struct cli_args *out, struct hl_error *err)
{
    json_t *root = json_object();
    const char *params_text = NULL, *scenario_file = NULL;
    char *scenario_text = NULL;
    long long point = -1;
    int rc = 0;

    memset(out, 0, sizeof *out);
    snprintf(out->address, sizeof out->address, "%s", role == CLI_SERVER ? "127.0.0.1:0" : "");
    for (int i = 1; i < argc && rc == 0; i++) {
        const char *arg = argv[i], *value = NULL;
        const struct cli_option *o = NULL;
        char name[64];
        if (strncmp(arg, "--", 2) != 0) {
            rc = hl_error_set(err, arg, "unexpected argument (options start with --; see --help)");
            break;
        }
        snprintf(name, sizeof name, "%.*s", (int)strcspn(arg + 2, "="), arg + 2);
        for (size_t k = 0; k < OPTION_COUNT; k++)
            if ((options[k].roles & (int)role) && strcmp(options[k].name, name) == 0)
                o = &options[k];
        if (!o) {
            const char *names[OPTION_COUNT + 1];
            size_t n = 0;
            for (size_t k = 0; k < OPTION_COUNT; k++)
                if (options[k].roles & (int)role)
                    names[n++] = options[k].name;
            names[n] = NULL;
            const char *best = suggest_word(name, names);
            if (best)
                rc =
                    hl_error_set(err, arg, "unknown option; did you mean --%s? (see --help)", best);
            else
                rc = hl_error_set(err, arg, "unknown option (see --help)");
            break;
        }
        if (o->kind != CLI_FLAG) {
            value = strchr(arg, '=') ? strchr(arg, '=') + 1 : (i + 1 < argc ? argv[++i] : NULL);
            if (!value) {
                rc = hl_error_set(err, arg, "needs a value: --%s %s", o->name, o->arg);
                break;
            }
        }
        char path[64];
        if (o->path && o->path[0] == '.')
            snprintf(path, sizeof path, "%s%s", role == CLI_SERVER ? "server" : "client", o->path);
        else if (o->path)
            snprintf(path, sizeof path, "%s", o->path);
        char where[80];
        snprintf(where, sizeof where, "--%s", o->name);
        if (o->kind == CLI_INT) {
            char *end;
            errno = 0;
            long long n = strtoll(value, &end, 10);
            if (*end || end == value || errno) {
                rc = hl_error_set(err, where, "expected an integer, got \"%s\"", value);
                break;
            }
            if (strcmp(o->name, "start-ns") == 0)
                out->start_ns = n;
            else if (strcmp(o->name, "point") == 0)
                point = n;
            else
                set_key(root, path, json_integer(n));
        } else if (o->kind == CLI_FLAG) {
            if (strcmp(o->name, "help") == 0)
                out->help = 1;
            else if (strcmp(o->name, "version") == 0)
                out->version = 1;
            else if (strcmp(o->name, "control") == 0)
                out->control = 1;
            else if (strcmp(o->name, "allow-remote") == 0)
                out->allow_remote = 1;
            else if (strcmp(o->name, "no-events") == 0)
                out->no_events = 1;
            else
                set_key(root, path, json_boolean(strcmp(o->name, "no-listen") != 0));
        } else if (o->kind == CLI_POLICY) {
            json_error_t jerr;
            json_t *policy = value[0] == '{' ? json_loads(value, 0, &jerr) : json_string(value);
            if (!policy) {
                rc = hl_error_set(err, where, "invalid JSON at column %d: %s", jerr.column,
                                  jerr.text);
                break;
            }
            set_key(root, path, policy);
        } else if (strcmp(o->name, "listen") == 0 || strcmp(o->name, "connect") == 0) {
            snprintf(out->address, sizeof out->address, "%s", value);
        } else if (strcmp(o->name, "params") == 0) {
            params_text = value;
        } else if (strcmp(o->name, "scenario") == 0) {
            scenario_file = value;
        } else if (strcmp(o->name, "results") == 0) {
            out->results = value;
        } else if (strcmp(o->name, "events") == 0) {
            out->events = value;
        } else {
            set_key(root, path, json_string(value));
        }
    }
    if (rc == 0 && (out->help || out->version)) {
        json_decref(root);
        return 0;
    }
    if (rc == 0 && out->no_events && out->results)
        rc = hl_error_set(err, "--no-events", "a half (--results) is made of the events");
    if (rc == 0 && point >= 0 && !scenario_file)
        rc = hl_error_set(err, "--point", "goes with --scenario FILE");
    if (rc == 0 && scenario_file && params_text)
        rc = hl_error_set(err, "--scenario", "--scenario or --params, not both");
    if (rc == 0 && scenario_file) {
        rc = scenario_params(scenario_file, point < 0 ? 0 : point, &scenario_text, &out->origin,
                             err);
        params_text = scenario_text;
    }
    if (rc == 0 && params_text) {
        json_error_t jerr;
        json_t *base = json_loads(params_text, 0, &jerr);
        if (!json_is_object(base)) {
            rc = hl_error_set(err, "--params", "expected a JSON object (column %d: %s)",
                              jerr.column, base ? "not an object" : jerr.text);
        } else {
            /* flags override the given params, key by key */
            json_t *section;
            const char *key;
            json_object_foreach(root, key, section)
            {
                json_t *target = json_object_get(base, key);
                if (json_is_object(section) && json_is_object(target))
                    json_object_update(target, section);
                else
                    json_object_set(base, key, section);
            }
            json_decref(root);
            root = json_incref(base);
        }
        json_decref(base);
    }
    if (rc == 0) {
        char *text = json_dumps(root, JSON_COMPACT);
        rc = params_from_json_text(text, "options", &out->params, err);
        free(text);
    }
    if (rc == 0) {
        char host[64];
        uint16_t port;
        if (!out->address[0])
            rc = hl_error_set(err, "--connect", "required: the server's ADDR:PORT");
        else if (cli_split_address(out->address, host, sizeof host, &port))
            rc =
                hl_error_set(err, role == CLI_SERVER ? "--listen" : "--connect",
                             "expected ADDR:PORT such as 127.0.0.1:5000, got \"%s\"", out->address);
    }
    json_decref(root);
    free(scenario_text);
    if (rc) {
        json_decref(out->origin);
        out->origin = NULL;
    }
    return rc;
}

const char *cli_option_name(enum cli_role role, size_t index, const char **path, char *buffer,
                            size_t size)
{
    for (size_t i = 0; i < OPTION_COUNT; i++) {
        if (!(options[i].roles & (int)role) || index-- > 0)
            continue;
        if (path) {
            *path = options[i].path;
            if (options[i].path && options[i].path[0] == '.') {
                snprintf(buffer, size, "%s%s", role == CLI_SERVER ? "server" : "client",
                         options[i].path);
                *path = buffer;
            }
        }
        return options[i].name;
    }
    return NULL;
}
