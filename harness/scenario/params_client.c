/* params_client.c: see params_parse.h. The "client" section of a point:
 * its connections, what each sends, and how. */
#include "keys.h"
#include "params_parse.h"

#include <stdio.h>
#include <string.h>

static int parse_mode(struct validator *v, json_t *value, enum send_mode *out)
{
    int word = (int)*out;
    int rc = validator_word(v, "client.mode", value, keys_mode_words, &word);
    *out = (enum send_mode)word;
    return rc;
}

/* How many connections, and how many open at once. */
static int parse_connections(struct validator *v, json_t *client, struct client_params *out)
{
    long long n;
    int rc;
    if ((rc = validator_get_int(v, client, "client", "connections", 1, PARAMS_MAX_CONNECTIONS,
                                out->connections, NULL, &n)))
        return rc;
    out->connections = (uint32_t)n;
    if ((rc = validator_get_int(v, client, "client", "concurrency", 1, PARAMS_MAX_CONNECTIONS,
                                out->connections, NULL, &n)))
        return rc;
    out->concurrency = (uint32_t)n;
    if (out->concurrency > out->connections) {
        v->cross_key_error = 1;
        return validator_error(v, "client.concurrency", 0,
                               "expected at most client.connections (%u), got %u; lower it "
                               "or raise client.connections",
                               out->connections, out->concurrency);
    }
    return 0;
}

/* The connect timeout and the socket buffers. */
static int parse_socket(struct validator *v, json_t *client, struct client_params *out)
{
    long long n;
    int rc;
    if ((rc =
             validator_get_int(v, client, "client", "connect_timeout_ms", 0, PARAMS_MAX_DURATION_MS,
                               0, "0: the kernel's own, set by net.ipv4.tcp_syn_retries", &n)))
        return rc;
    out->connect_timeout_us = n * 1000;
    if ((rc = validator_get_int(v, client, "client", "sndbuf", 0, PARAMS_MAX_BUFFER, 0,
                                "bytes; 0 keeps the kernel default", &n)))
        return rc;
    out->sndbuf = (uint64_t)n;
    if ((rc = validator_get_int(v, client, "client", "rcvbuf", 0, PARAMS_MAX_BUFFER, 0,
                                "bytes; 0 keeps the kernel default", &n)))
        return rc;
    out->rcvbuf = (uint64_t)n;
    return 0;
}

/* "client.send": what each connection sends, in chunks of what size. */
static int parse_send(struct validator *v, json_t *send, struct client_params *out)
{
    long long n;
    int rc;
    if (json_is_integer(send) && json_integer_value(send) >= 0)
        return validator_error(v, "client.send", 0,
                               "expected an object such as {\"bytes\": 65536, \"chunk\": "
                               "16384}, got %" JSON_INTEGER_FORMAT
                               "; to send that many bytes on each connection write "
                               "{\"bytes\": %" JSON_INTEGER_FORMAT "}",
                               json_integer_value(send), json_integer_value(send));
    if (!send)
        return 0;
    if ((rc = validator_expect_object(v, send, "client.send",
                                      "{\"bytes\": 65536, \"chunk\": 16384}")) ||
        (rc = validator_known_keys(v, send, "client.send", keys_client_send)))
        return rc;
    if ((rc = validator_get_int(v, send, "client.send", "bytes", 0, PARAMS_MAX_SEND_BYTES,
                                (long long)out->send_bytes, "bytes per connection, at most 1 TiB",
                                &n)))
        return rc;
    out->send_bytes = (uint64_t)n;
    if ((rc =
             validator_get_int(v, send, "client.send", "chunk", 1, PARAMS_MAX_CHUNK,
                               (long long)out->send_chunk, "bytes per send(), at most 16 MiB", &n)))
        return rc;
    out->send_chunk = (uint64_t)n;
    if ((rc = validator_get_int(v, send, "client.send", "retry_ms", 0, PARAMS_MAX_DURATION_MS,
                                out->send_retry_us / 1000,
                                "ms between send() retries while blocked; 0 waits for poll", &n)))
        return rc;
    out->send_retry_us = n * 1000;
    if ((rc = validator_get_int(v, send, "client.send", "pause_ms", 0, PARAMS_MAX_DURATION_MS,
                                out->send_pause_us / 1000,
                                "ms to wait after each chunk before sending the next", &n)))
        return rc;
    out->send_pause_us = n * 1000;
    return 0;
}

/* After sending: whether to read the reply, and how long to hold on. */
static int parse_after_send(struct validator *v, json_t *client, struct client_params *out)
{
    long long n;
    int rc;
    if ((rc = validator_get_bool(v, client, "client", "receive", out->receive, &out->receive)) ||
        (rc = validator_get_bool(v, client, "client", "nodelay", out->nodelay, &out->nodelay)))
        return rc;
    if ((rc = validator_get_int(v, client, "client", "hold_ms", -1, PARAMS_MAX_DURATION_MS, 0,
                                "-1: until the run ends", &n)))
        return rc;
    out->hold_us = n < 0 ? -1 : n * 1000;
    return 0;
}

/* The mode, the threshold of a counted block, and what blocking mode rules
 * out. */
static int parse_blocking(struct validator *v, json_t *client, struct client_params *out)
{
    long long n;
    int rc;
    if ((rc = parse_mode(v, json_object_get(client, "mode"), &out->mode)))
        return rc;
    if ((rc = validator_get_int(v, client, "client", "block_threshold_us", 0,
                                PARAMS_MAX_BLOCK_THRESHOLD_US, 0,
                                "microseconds; shorter blocked sends are not counted", &n)))
        return rc;
    out->block_threshold_us = n;
    if (out->mode == MODE_BLOCKING && out->concurrency > PARAMS_MAX_BLOCKING_CONCURRENCY) {
        v->cross_key_error = 1;
        return validator_error(v, "client.concurrency", 0,
                               "expected at most %d with client.mode \"blocking\" (a thread per "
                               "open connection), got %u; lower client.concurrency",
                               PARAMS_MAX_BLOCKING_CONCURRENCY, out->concurrency);
    }
    if (out->mode == MODE_BLOCKING && out->send_retry_us > 0) {
        v->cross_key_error = 1;
        return validator_error(v, "client.send.retry_ms", 0,
                               "expected 0 with client.mode \"blocking\": a blocking send() "
                               "waits in the kernel and is never retried, got %lld",
                               (long long)(out->send_retry_us / 1000));
    }
    return 0;
}

int params_parse_client(struct validator *v, json_t *client, struct client_params *out)
{
    int rc;
    if (!client)
        return 0;
    if ((rc = validator_expect_object(v, client, "client", "{\"connections\": 12}")) ||
        (rc = validator_known_keys(v, client, "client", keys_client)) ||
        (rc = parse_connections(v, client, out)) || (rc = parse_socket(v, client, out)) ||
        (rc = parse_send(v, json_object_get(client, "send"), out)) ||
        (rc = parse_after_send(v, client, out)) || (rc = parse_blocking(v, client, out)) ||
        (rc = params_parse_arrival(v, json_object_get(client, "arrival"), &out->arrival)))
        return rc;
    if ((rc = params_parse_command(v, client, "client", &out->program)))
        return rc;
    return params_parse_sysctls(v, json_object_get(client, "sysctls"), "client.sysctls",
                                out->sysctls, &out->sysctl_count);
}
