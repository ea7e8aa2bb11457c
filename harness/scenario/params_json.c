/* params_json.c: see params.h. A point as JSON: written for the results
 * and for the server and the client, which read it back through the same
 * validation (the round trip is exact). */
#include "keys.h"
#include "params_parse.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int params_from_json_text(const char *text, const char *source, struct point_params *out,
                          struct hl_error *err)
{
    json_error_t jerr;
    struct json_locations locations;
    struct validator v = {.file = source, .locations = &locations, .err = err};
    json_t *root = json_loads(text, 0, &jerr);
    int rc;
    if (!root)
        return hl_error_set(err, source, "line %d, column %d: %s", jerr.line, jerr.column,
                            jerr.text);
    if (!json_is_object(root)) {
        json_decref(root);
        return hl_error_set(err, source, "expected an object {...}");
    }
    if ((rc = json_locations_build(&locations, text, strlen(text), source, err))) {
        json_decref(root);
        return rc;
    }
    rc = validator_known_keys(&v, root, "", keys_point);
    if (!rc)
        rc = params_validate(&v, root, out);
    json_locations_free(&locations);
    json_decref(root);
    return rc;
}

static json_t *accept_to_json(const struct accept_policy *a)
{
    switch (a->kind) {
    case ACCEPT_NEVER:
        return json_string("never");
    case ACCEPT_IMMEDIATE:
        return json_string("immediate");
    case ACCEPT_PACED:
        break;
    }
    return json_pack("{s:I,s:I}", "start_ms", (json_int_t)(a->start_us / 1000), "every_ms",
                     (json_int_t)(a->every_us / 1000));
}

/* An immediate reader's chunk appears only when it is not the default (0:
 * not resolved yet), so that a scenario that never set one reads back as it
 * always did. */
/* "all", or the rate, the process and the seed (the seed whatever the
 * process, so that results say what a Poisson sweep would draw). */
static json_t *arrival_to_json(const struct arrival *a)
{
    if (a->kind == ARRIVAL_ALL)
        return json_string("all");
    return json_pack("{s:I,s:s,s:I}", "rate_per_sec", (json_int_t)a->rate_per_sec, "process",
                     a->kind == ARRIVAL_POISSON ? "poisson" : "constant", "seed",
                     (json_int_t)a->seed);
}

static json_t *read_to_json(const struct read_policy *r, uint64_t default_chunk)
{
    switch (r->kind) {
    case READ_NEVER:
        return json_string("never");
    case READ_IMMEDIATE:
        if (r->chunk == 0 || r->chunk == default_chunk)
            return json_string("immediate");
        return json_pack("{s:I}", "chunk", (json_int_t)r->chunk);
    case READ_PACED:
        break;
    }
    return json_pack("{s:I,s:I,s:I}", "start_ms", (json_int_t)(r->start_us / 1000), "bytes_per_sec",
                     (json_int_t)r->bytes_per_sec, "chunk", (json_int_t)r->chunk);
}

static json_int_t ms_or_minus_one(int64_t us)
{
    return us < 0 ? -1 : (json_int_t)(us / 1000);
}

static json_t *sysctls_to_json(const struct sysctl_setting *settings, size_t count)
{
    json_t *sysctls = json_object();
    for (size_t i = 0; i < count; i++) {
        /* a number goes back as a number only when it reads back the same
         * ("0010" and " 5" stay strings), so the round trip is exact */
        char *end, canonical[32];
        errno = 0;
        long long n = strtoll(settings[i].value, &end, 10);
        snprintf(canonical, sizeof canonical, "%lld", n);
        int plain = errno == 0 && *end == '\0' && strcmp(canonical, settings[i].value) == 0;
        json_object_set_new(sysctls, settings[i].name,
                            plain ? json_integer(n) : json_string(settings[i].value));
    }
    return sysctls;
}

/* A whole percentage as an integer (the default 0 reads back as 0). */
static json_t *percent_to_json(double d)
{
    if (d == (double)(long long)d)
        return json_integer((json_int_t)d);
    return json_real(d);
}

/* protocol "udp": the keys that mean nothing there left out, so that the
 * point reads back through the same validator (params_check_protocol). */
static void drop_udp_keys(json_t *out)
{
    static const char *const sections[] = {"server", "client", "client.send"};
    for (size_t s = 0; s < sizeof sections / sizeof sections[0]; s++) {
        json_t *section = strcmp(sections[s], "client.send") == 0
                              ? json_object_get(json_object_get(out, "client"), "send")
                              : json_object_get(out, sections[s]);
        const char *key;
        void *tmp;
        json_t *value;
        json_object_foreach_safe(section, tmp, key, value)
        {
            char path[128];
            snprintf(path, sizeof path, "%s.%s", sections[s], key);
            if (params_udp_meaningless(path, NULL))
                json_object_del(section, key);
        }
    }
}

json_t *params_to_json(const struct point_params *p)
{
    json_t *sysctls = sysctls_to_json(p->sysctls, p->sysctl_count);
    const struct server_params *s = &p->server;
    const struct client_params *c = &p->client;
    json_t *out = json_pack(
        "{s:o, s:{s:b,s:i,s:I,s:I,s:o,s:o,s:I,s:s}, "
        "s:{s:i,s:i,s:I,s:I,s:I,s:{s:I,s:I,s:I,s:I},s:b,s:b,s:I,s:s,s:I}, s:I, s:I}",
        "sysctls", sysctls, "server", "listen", s->listen, "backlog", s->backlog, "rcvbuf",
        (json_int_t)s->rcvbuf, "sndbuf", (json_int_t)s->sndbuf, "accept",
        accept_to_json(&s->accept), "read", read_to_json(&s->read, params_read_chunk_default(p)),
        "close_listener_ms", ms_or_minus_one(s->close_listener_us), "reply", s->reply, "client",
        "connections", (int)c->connections, "concurrency", (int)c->concurrency,
        "connect_timeout_ms", (json_int_t)(c->connect_timeout_us / 1000), "sndbuf",
        (json_int_t)c->sndbuf, "rcvbuf", (json_int_t)c->rcvbuf, "send", "bytes",
        (json_int_t)c->send_bytes, "chunk", (json_int_t)c->send_chunk, "retry_ms",
        (json_int_t)(c->send_retry_us / 1000), "pause_ms", (json_int_t)(c->send_pause_us / 1000),
        "receive", c->receive, "nodelay", c->nodelay, "hold_ms", ms_or_minus_one(c->hold_us),
        "mode", c->mode == MODE_BLOCKING ? "blocking" : "nonblocking", "block_threshold_us",
        (json_int_t)c->block_threshold_us, "duration_ms", (json_int_t)(p->duration_us / 1000),
        "sample_ms", (json_int_t)(p->sample_us / 1000));
    json_object_set_new(json_object_get(out, "server"), "sysctls",
                        sysctls_to_json(s->sysctls, s->sysctl_count));
    params_command_to_json(&s->program, json_object_get(out, "server"));
    params_command_to_json(&c->program, json_object_get(out, "client"));
    json_object_set_new(json_object_get(out, "client"), "sysctls",
                        sysctls_to_json(c->sysctls, c->sysctl_count));
    json_object_set_new(json_object_get(out, "client"), "arrival", arrival_to_json(&c->arrival));
    json_object_set_new(out, "family", json_string(params_family_name(p->family)));
    json_object_set_new(out, "topology",
                        json_string(p->topology == TOPOLOGY_VETH ? "veth" : "loopback"));
    json_object_set_new(
        out, "link",
        json_pack("{s:I,s:I,s:o}", "delay_ms", (json_int_t)(p->link.delay_us / 1000), "rate_mbit",
                  (json_int_t)p->link.rate_mbit, "loss", percent_to_json(p->link.loss_percent)));
    json_object_set_new(out, "protocol", json_string(p->protocol == PROTOCOL_UDP ? "udp" : "tcp"));
    if (p->protocol == PROTOCOL_UDP)
        drop_udp_keys(out);
    return out;
}
