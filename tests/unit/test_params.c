/* test_params.c: defaults, unit conversion, the JSON round trip between
 * the runner and its children, and the validator's helpers (params.h). */
#include <jansson.h>
#include <string.h>

#include "check.h"
#include "suggest.h"
#include "params.h"

static int parse(const char *text, struct point_params *p, struct hl_error *err)
{
    hl_error_clear(err);
    return params_from_json_text(text, "options", p, err);
}

/* Two points are equal when every field is: compared one by one, not with
 * memcmp, which would also compare padding and bytes after a string's end. */
static void check_params_equal(const struct point_params *a, const struct point_params *b)
{
    CHECK_INT(a->sysctl_count, b->sysctl_count);
    for (size_t i = 0; i < a->sysctl_count && i < b->sysctl_count; i++) {
        CHECK_STR(a->sysctls[i].name, b->sysctls[i].name);
        CHECK_STR(a->sysctls[i].value, b->sysctls[i].value);
    }
    CHECK_INT(a->server.listen, b->server.listen);
    CHECK_INT(a->server.backlog, b->server.backlog);
    CHECK_INT(a->server.rcvbuf, b->server.rcvbuf);
    CHECK_INT(a->server.sndbuf, b->server.sndbuf);
    CHECK_INT(a->server.accept.kind, b->server.accept.kind);
    CHECK_INT(a->server.accept.start_us, b->server.accept.start_us);
    CHECK_INT(a->server.accept.every_us, b->server.accept.every_us);
    CHECK_INT(a->server.read.kind, b->server.read.kind);
    CHECK_INT(a->server.read.start_us, b->server.read.start_us);
    CHECK_INT(a->server.read.bytes_per_sec, b->server.read.bytes_per_sec);
    CHECK_INT(a->server.read.chunk, b->server.read.chunk);
    CHECK_INT(a->server.close_listener_us, b->server.close_listener_us);
    CHECK_STR(a->server.reply, b->server.reply);
    CHECK_INT(a->client.connections, b->client.connections);
    CHECK_INT(a->client.concurrency, b->client.concurrency);
    CHECK_INT(a->client.connect_timeout_us, b->client.connect_timeout_us);
    CHECK_INT(a->client.sndbuf, b->client.sndbuf);
    CHECK_INT(a->client.rcvbuf, b->client.rcvbuf);
    CHECK_INT(a->client.send_bytes, b->client.send_bytes);
    CHECK_INT(a->client.send_chunk, b->client.send_chunk);
    CHECK_INT(a->client.receive, b->client.receive);
    CHECK_INT(a->client.hold_us, b->client.hold_us);
    CHECK_INT(a->client.mode, b->client.mode);
    CHECK_INT(a->client.block_threshold_us, b->client.block_threshold_us);
    CHECK_INT(a->duration_us, b->duration_us);
    CHECK_INT(a->sample_us, b->sample_us);
}

/* params -> JSON text -> params gives the same point, and the same JSON */
static void check_round_trip(const struct point_params *p)
{
    struct point_params back;
    struct hl_error err;
    json_t *json = params_to_json(p);
    CHECK(json != NULL);
    char *text = json_dumps(json, JSON_COMPACT);
    CHECK(text != NULL);
    int rc = parse(text, &back, &err);
    CHECK_INT(rc, 0);
    if (rc) {
        fprintf(stderr, "  %s: %s\n  text: %s\n", err.where, err.what, text);
    } else {
        check_params_equal(&back, p);
        json_t *again = params_to_json(&back);
        CHECK(json_equal(json, again));
        json_decref(again);
    }
    free(text);
    json_decref(json);
}

static void test_defaults(void)
{
    struct point_params d, empty;
    struct hl_error err;
    params_defaults(&d);
    CHECK_INT(d.sysctl_count, 0);
    CHECK_INT(d.server.listen, 1);
    CHECK_INT(d.server.backlog, 128);
    CHECK_INT(d.server.rcvbuf, 0);
    CHECK_INT(d.server.accept.kind, ACCEPT_IMMEDIATE);
    CHECK_INT(d.server.read.kind, READ_IMMEDIATE);
    CHECK_INT(d.server.read.chunk, 0); /* resolved once the client's send chunk is known */
    CHECK_INT(d.server.close_listener_us, -1);
    CHECK_STR(d.server.reply, "");
    CHECK_INT(d.client.connections, 1);
    CHECK_INT(d.client.concurrency, 1);
    CHECK_INT(d.client.connect_timeout_us, 0);
    CHECK_INT(d.client.send_bytes, 0);
    CHECK_INT(d.client.send_chunk, 16384);
    CHECK_INT(d.client.receive, 0);
    CHECK_INT(d.client.hold_us, 0);
    CHECK_INT(d.duration_us, 10000000);
    CHECK_INT(d.sample_us, 10000);

    /* an empty point is the defaults, its reader's chunk resolved */
    CHECK_INT(parse("{}", &empty, &err), 0);
    CHECK_INT(empty.server.read.chunk, 65536);
    d.server.read.chunk = 65536;
    check_params_equal(&empty, &d);
    check_round_trip(&d);

    /* concurrency defaults to connections: all connect at once */
    struct point_params p;
    CHECK_INT(parse("{\"client\": {\"connections\": 12}}", &p, &err), 0);
    CHECK_INT(p.client.concurrency, 12);
}

static void test_units(void)
{
    struct point_params p;
    struct hl_error err;
    int rc = parse("{\"server\": {\"accept\": {\"start_ms\": 500, \"every_ms\": 100},"
                   " \"read\": {\"start_ms\": 200, \"bytes_per_sec\": 16384, \"chunk\": 1024},"
                   " \"close_listener_ms\": 750},"
                   " \"client\": {\"connect_timeout_ms\": 1500, \"hold_ms\": 250},"
                   " \"duration_ms\": 1700, \"sample_ms\": 0}",
                   &p, &err);
    CHECK_INT(rc, 0);
    CHECK_INT(p.server.accept.kind, ACCEPT_PACED);
    CHECK_INT(p.server.accept.start_us, 500000);
    CHECK_INT(p.server.accept.every_us, 100000);
    CHECK_INT(p.server.read.kind, READ_PACED);
    CHECK_INT(p.server.read.start_us, 200000);
    CHECK_INT(p.server.read.bytes_per_sec, 16384);
    CHECK_INT(p.server.read.chunk, 1024);
    CHECK_INT(p.server.close_listener_us, 750000);
    CHECK_INT(p.client.connect_timeout_us, 1500000);
    CHECK_INT(p.client.hold_us, 250000);
    CHECK_INT(p.duration_us, 1700000);
    CHECK_INT(p.sample_us, 0);

    /* -1 stays -1 ("never", "until the run ends"), not -1000 */
    CHECK_INT(
        parse("{\"server\": {\"close_listener_ms\": -1}, \"client\": {\"hold_ms\": -1}}", &p, &err),
        0);
    CHECK_INT(p.server.close_listener_us, -1);
    CHECK_INT(p.client.hold_us, -1);

    /* a paced read without chunk reads 4096 at a time */
    CHECK_INT(parse("{\"server\": {\"read\": {\"bytes_per_sec\": 1000}}}", &p, &err), 0);
    CHECK_INT(p.server.read.chunk, 4096);
    CHECK_INT(p.server.read.start_us, 0);

    /* the extremes of the ranges are accepted */
    CHECK_INT(parse("{\"server\": {\"backlog\": -2147483648, \"rcvbuf\": 1073741824},"
                    " \"client\": {\"connections\": 100000, \"send\": {\"bytes\": 1099511627776,"
                    " \"chunk\": 16777216}}, \"duration_ms\": 600000}",
                    &p, &err),
              0);
    CHECK_INT(p.server.backlog, -2147483648LL);
    CHECK_INT(p.client.send_bytes, 1LL << 40);
    CHECK_INT(p.duration_us, 600000000LL);
}

/* An immediate reader asks for the client's send chunk, 64 KiB at least,
 * or for what the scenario says; the JSON names the chunk only when it is
 * not the default, so a scenario that sets none reads back "immediate". */
static void test_read_chunk(void)
{
    struct point_params p;
    struct hl_error err;
    CHECK_INT(parse("{\"client\": {\"send\": {\"chunk\": 1048576}}}", &p, &err), 0);
    CHECK_INT(p.server.read.kind, READ_IMMEDIATE);
    CHECK_INT(p.server.read.chunk, 1048576);
    json_t *json = params_to_json(&p);
    CHECK_STR(json_string_value(json_object_get(json_object_get(json, "server"), "read")),
              "immediate");
    json_decref(json);
    check_round_trip(&p);

    CHECK_INT(parse("{\"client\": {\"send\": {\"chunk\": 4096}}}", &p, &err), 0);
    CHECK_INT(p.server.read.chunk, 65536);

    CHECK_INT(parse("{\"server\": {\"read\": {\"chunk\": 1024}},"
                    " \"client\": {\"send\": {\"chunk\": 262144}}}",
                    &p, &err),
              0);
    CHECK_INT(p.server.read.kind, READ_IMMEDIATE);
    CHECK_INT(p.server.read.chunk, 1024);
    json = params_to_json(&p);
    json_t *read = json_object_get(json_object_get(json, "server"), "read");
    CHECK_INT(json_integer_value(json_object_get(read, "chunk")), 1024);
    CHECK_INT(json_object_size(read), 1);
    json_decref(json);
    check_round_trip(&p);

    /* {} reads at once with the default; a start without a rate is a mistake */
    CHECK_INT(parse("{\"server\": {\"read\": {}}}", &p, &err), 0);
    CHECK_INT(p.server.read.kind, READ_IMMEDIATE);
    CHECK_INT(p.server.read.chunk, 65536);
    CHECK(parse("{\"server\": {\"read\": {\"start_ms\": 5}}}", &p, &err) != 0);
    CHECK(strstr(err.what, "bytes_per_sec") != NULL);
}

static void test_round_trip(void)
{
    struct point_params p;
    params_defaults(&p);
    snprintf(p.sysctls[0].name, sizeof p.sysctls[0].name, "net.core.somaxconn");
    snprintf(p.sysctls[0].value, sizeof p.sysctls[0].value, "4096");
    snprintf(p.sysctls[1].name, sizeof p.sysctls[1].name, "net.ipv4.tcp_wmem");
    snprintf(p.sysctls[1].value, sizeof p.sysctls[1].value, "4096 16384 4194304");
    snprintf(p.sysctls[2].name, sizeof p.sysctls[2].name, "net.ipv4.tcp_syn_retries");
    snprintf(p.sysctls[2].value, sizeof p.sysctls[2].value, "-1");
    /* written as a string with a leading zero: must come back as written */
    snprintf(p.sysctls[3].name, sizeof p.sysctls[3].name, "net.ipv4.tcp_fin_timeout");
    snprintf(p.sysctls[3].value, sizeof p.sysctls[3].value, "0060");
    p.sysctl_count = 4;
    p.server.listen = 0;
    p.server.backlog = -1;
    p.server.rcvbuf = 4096;
    p.server.sndbuf = 8192;
    p.server.accept = (struct accept_policy){ACCEPT_PACED, 500000, 100000};
    p.server.read = (struct read_policy){READ_PACED, 200000, 65536, 1024};
    p.server.close_listener_us = 500000;
    snprintf(p.server.reply, sizeof p.server.reply, "Hello!\n\"quoted\" \xC3\xA9");
    p.client.connections = 12;
    p.client.concurrency = 3;
    p.client.connect_timeout_us = 1500000;
    p.client.sndbuf = 16384;
    p.client.rcvbuf = 32768;
    p.client.send_bytes = 8388608;
    p.client.send_chunk = 16384;
    p.client.receive = 1;
    p.client.hold_us = -1;
    p.duration_us = 1700000;
    p.sample_us = 0;
    check_round_trip(&p);

    p.server.accept.kind = ACCEPT_NEVER;
    p.server.accept.start_us = p.server.accept.every_us = 0;
    p.server.read = (struct read_policy){READ_NEVER, 0, 0, 0};
    check_round_trip(&p);

    /* the blocking client and its threshold */
    p.client.mode = MODE_BLOCKING;
    p.client.block_threshold_us = 250;
    check_round_trip(&p);
}

static void test_messages(void)
{
    struct point_params p;
    struct hl_error err;
    char message[2048];
    CHECK_INT(parse("{\"server\": {\"backlog\": \"4\"}}", &p, &err), -22);
    CHECK_STR(hl_error_format(&err, message, sizeof message),
              "options:1:24: server.backlog: expected an integer, got a string; write the "
              "number without quotes");
    CHECK_INT(parse("{\"server\": {\"accept\": {\"start_ms\": 5}}}", &p, &err), -22);
    CHECK_CONTAINS(err.where, "options:1:23: server.accept");
    CHECK_CONTAINS(err.what, "missing key \"every_ms\"");
    /* a value the file does not hold is shown as JSON */
    CHECK_INT(parse("{\"client\": {\"connections\": 2, \"concurrency\": 3}}", &p, &err), -22);
    CHECK_CONTAINS(err.what, "expected at most client.connections (2), got 3");
    CHECK_INT(parse("[1]", &p, &err), -22);
    CHECK_INT(parse("{\"server\": ", &p, &err), -22);
    CHECK_CONTAINS(err.what, "line 1");
    /* messages never span lines, whatever the user's strings hold */
    CHECK_INT(parse("{\"server\": {\"accept\": \"a\\nb\"}}", &p, &err), -22);
    CHECK(strchr(err.what, '\n') == NULL);
    CHECK_INT(parse("{\"server\": {\"a\\nb\": 1}}", &p, &err), -22);
    CHECK(strchr(err.where, '\n') == NULL);
    CHECK_CONTAINS(err.where, "server[\"a\\u000ab\"]");
}

static void test_suggestions(void)
{
    static const char *const keys[] = {"backlog",     "connections", "connect_timeout_ms",
                                       "duration_ms", "chunk",       NULL};
    CHECK_STR(suggest_word("backlgo", keys), "backlog");
    CHECK_STR(suggest_word("Backlog", keys), "backlog");
    CHECK_STR(suggest_word("conections", keys), "connections");
    CHECK_STR(suggest_word("duration", keys), "duration_ms");
    CHECK_STR(suggest_word("duration_s", keys), "duration_ms");
    CHECK_STR(suggest_word("chunk_size", keys), "chunk");
    CHECK_STR(suggest_word("connect_timeout", keys), "connect_timeout_ms");
    CHECK(suggest_word("xyzzy", keys) == NULL);
    CHECK(suggest_word("", keys) == NULL);
    CHECK(suggest_word("a", keys) == NULL);
}

static void test_sysctl_names(void)
{
    char why[512];
    CHECK_INT(params_sysctl_name_check("net.core.somaxconn", why, sizeof why), 0);
    CHECK_INT(params_sysctl_name_check("net.ipv4.conf.lo-1.rp_filter", why, sizeof why), 0);
    CHECK(params_sysctl_name_check("kernel.pid_max", why, sizeof why) != 0);
    CHECK(params_sysctl_name_check("net..core", why, sizeof why) != 0);
    CHECK(params_sysctl_name_check("net.core.", why, sizeof why) != 0);
    CHECK(params_sysctl_name_check("net.", why, sizeof why) != 0);
    CHECK(params_sysctl_name_check("net.core/../../kernel", why, sizeof why) != 0);
    CHECK(params_sysctl_name_check("net/core/somaxconn", why, sizeof why) != 0);
    CHECK_CONTAINS(why, "net.core.somaxconn");
    CHECK(params_sysctl_name_check("net.core.\xC3\xA9", why, sizeof why) != 0);
    char long_name[200];
    memset(long_name, 'a', sizeof long_name - 1);
    memcpy(long_name, "net.", 4);
    long_name[sizeof long_name - 1] = '\0';
    CHECK(params_sysctl_name_check(long_name, why, sizeof why) != 0);
}

int main(void)
{
    test_defaults();
    test_read_chunk();
    test_units();
    test_round_trip();
    test_messages();
    test_suggestions();
    test_sysctl_names();
    return check_exit();
}
