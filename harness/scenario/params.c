/* params.c: see params.h and params_parse.h. A point's top level: its
 * defaults, its sections in order, its topology and link, and the rules
 * between them. */
#include "keys.h"
#include "params_parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int params_link_shaped(const struct point_params *p)
{
    return p->link.delay_us > 0 || p->link.rate_mbit > 0 || p->link.loss_percent > 0;
}

static int parse_topology(struct validator *v, json_t *value, enum topology *out)
{
    int word = (int)*out;
    int rc = validator_word(v, "topology", value, keys_topology_words, &word);
    *out = (enum topology)word;
    return rc;
}

/* link.loss: a percentage, fractions allowed (0.5 is one packet in 200). */
static int get_percent(struct validator *v, json_t *obj, const char *parent, const char *key,
                       double *out)
{
    char path[256], got[96];
    json_t *value = json_object_get(obj, key);
    json_path_key(path, sizeof path, parent, key);
    if (!value)
        return 0;
    validator_describe(v, path, value, got, sizeof got);
    if (json_is_string(value)) {
        char *end;
        double d = strtod(json_string_value(value), &end);
        if (end != json_string_value(value) &&
            (strcmp(end, "%") == 0 || strcmp(end, " %") == 0 || *end == '\0'))
            return validator_error(v, path, 0,
                                   "expected a number from 0 to 100 (percent), got %s; write "
                                   "%g (without quotes or %%)",
                                   got, d);
    }
    if (json_is_null(value))
        return validator_error(v, path, 0,
                               "expected a number from 0 to 100 (percent), got null; leave the "
                               "key out for no loss");
    if (!json_is_number(value))
        return validator_error(v, path, 0, "expected a number from 0 to 100 (percent), got %s",
                               got);
    double d = json_number_value(value);
    if (!(d >= 0 && d <= 100))
        return validator_error(v, path, 0, "expected a number from 0 to 100 (percent), got %s",
                               got);
    *out = d;
    return 0;
}

static int parse_link(struct validator *v, json_t *link, struct link_params *out)
{
    long long n;
    int rc;
    if (!link)
        return 0;
    if ((rc = validator_expect_object(v, link, "link", "{\"delay_ms\": 10, \"rate_mbit\": 100}")) ||
        (rc = validator_known_keys(v, link, "link", keys_link)))
        return rc;
    if ((rc = validator_get_int(v, link, "link", "delay_ms", 0, PARAMS_MAX_LINK_DELAY_MS, 0,
                                "milliseconds added one way, by netem; 0: none", &n)))
        return rc;
    out->delay_us = n * 1000;
    if ((rc = validator_get_int(v, link, "link", "rate_mbit", 0, PARAMS_MAX_LINK_RATE_MBIT, 0,
                                "megabits per second, by tbf; 0: no limit", &n)))
        return rc;
    out->rate_mbit = (uint64_t)n;
    return get_percent(v, link, "link", "loss", &out->loss_percent);
}

/* One side at most is a program of the scenario's own: the harness's
 * peer measures the other. */
static int check_programs(struct validator *v, const struct point_params *p)
{
    if (!p->server.program.argc || !p->client.program.argc)
        return 0;
    v->cross_key_error = 1;
    return validator_error(v, "client.command", 1,
                           "only one side may be a program of your own, and server.command "
                           "is set too: the harness's own peer measures the other side");
}

/* Rules between the topology and the keys that need a veth pair. */
static int check_topology(struct validator *v, const struct point_params *p)
{
    if (p->topology == TOPOLOGY_VETH)
        return 0;
    const char *path = p->server.sysctl_count   ? "server.sysctls"
                       : p->client.sysctl_count ? "client.sysctls"
                                                : NULL;
    if (path) {
        v->cross_key_error = 1;
        return validator_error(v, path, 0,
                               "expected topology \"veth\": with \"loopback\" the server and "
                               "the client share one network namespace, so their sysctls "
                               "cannot differ; set \"topology\": \"veth\", or write them "
                               "in \"sysctls\"");
    }
    path = p->link.delay_us           ? "link.delay_ms"
           : p->link.rate_mbit        ? "link.rate_mbit"
           : p->link.loss_percent > 0 ? "link.loss"
                                      : NULL;
    if (path) {
        v->cross_key_error = 1;
        return validator_error(v, path, 0,
                               "expected topology \"veth\": loopback has no link to shape; "
                               "set \"topology\": \"veth\", or leave \"link\" out");
    }
    return 0;
}

uint64_t params_read_chunk_default(const struct point_params *p)
{
    return p->client.send_chunk > PARAMS_READ_CHUNK_MIN ? p->client.send_chunk
                                                        : PARAMS_READ_CHUNK_MIN;
}

void params_defaults(struct point_params *params)
{
    memset(params, 0, sizeof *params);
    params->server.listen = 1;
    params->server.backlog = 128; /* what Python's listen() picks when given none */
    params->server.accept.kind = ACCEPT_IMMEDIATE;
    params->server.read.kind = READ_IMMEDIATE;
    params->server.read.chunk = 0; /* params_read_chunk_default(), once the client's is known */
    params->server.close_listener_us = -1;
    params->client.connections = 1;
    params->client.concurrency = 1;
    params->client.send_chunk = 16384;
    params->duration_us = 10 * 1000000LL;
    params->sample_us = 10 * 1000;
}

int params_validate(struct validator *v, json_t *root, struct point_params *out)
{
    long long n;
    int rc;
    params_defaults(out);
    if ((rc = params_parse_sysctls(v, json_object_get(root, "sysctls"), "sysctls", out->sysctls,
                                   &out->sysctl_count)) ||
        (rc = params_parse_server(v, json_object_get(root, "server"), &out->server)) ||
        (rc = params_parse_client(v, json_object_get(root, "client"), &out->client)) ||
        (rc = parse_topology(v, json_object_get(root, "topology"), &out->topology)) ||
        (rc = parse_link(v, json_object_get(root, "link"), &out->link)) ||
        (rc = params_parse_family(v, json_object_get(root, "family"), &out->family)) ||
        (rc = params_parse_protocol(v, json_object_get(root, "protocol"), &out->protocol)))
        return rc;
    if (out->server.read.kind == READ_IMMEDIATE && out->server.read.chunk == 0)
        out->server.read.chunk = params_read_chunk_default(out);
    if ((rc = validator_get_int(v, root, "", "duration_ms", 1, PARAMS_MAX_DURATION_MS, 10000,
                                "milliseconds, at most 10 minutes", &n)))
        return rc;
    out->duration_us = n * 1000;
    if ((rc = validator_get_int(v, root, "", "sample_ms", 0, 60000, 10,
                                "milliseconds between queue samples; 0: none", &n)))
        return rc;
    out->sample_us = n * 1000;
    if ((rc = check_programs(v, out)) || (rc = params_check_family(v, out)) ||
        (rc = params_check_protocol(v, root, out)))
        return rc;
    return check_topology(v, out);
}
