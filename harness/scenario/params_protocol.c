/* params_protocol.c: see params_parse.h. "protocol", and what "udp" rules
 * out: the keys of a listener, of connections and of TCP itself, and
 * datagrams that cannot carry their sequence number or do not fit. */
#include "keys.h"
#include "params_parse.h"

#include <stdio.h>
#include <string.h>

/* A UDP socket is bound and read, never listened on or accepted from, and
 * the client sends from one socket: these keys would ask for what UDP
 * does not have, so they are refused rather than ignored. */
static const struct {
    const char *path, *why;
} meaningless[] = {
    {"server.listen", "a UDP socket is bound and read, never listened on"},
    {"server.backlog", "UDP has no listen queue: a datagram goes to the socket's receive buffer "
                       "or is dropped"},
    {"server.accept", "UDP has no connections to accept"},
    {"server.close_listener_ms", "UDP has no listener to close"},
    {"server.reply", "the UDP server sends nothing back"},
    {"server.sndbuf", "the UDP server sends nothing"},
    {"server.command", "a program in the server's place is found through its TCP listener"},
    {"client.connections", "the UDP client sends from one socket, without connections"},
    {"client.concurrency", "the UDP client sends from one socket, without connections"},
    {"client.connect_timeout_ms", "UDP has no handshake to time out"},
    {"client.rcvbuf", "the UDP client receives nothing"},
    {"client.nodelay", "TCP_NODELAY turns off TCP's Nagle; each UDP send() is one datagram"},
    {"client.receive", "the UDP server sends nothing back"},
    {"client.hold_ms", "the UDP client has no connection to hold open"},
    {"client.mode", "the UDP client sends non-blocking: a datagram that finds the receive "
                    "buffer full is dropped there, the sender never waits for the reader"},
    {"client.block_threshold_us", "the UDP client counts every EAGAIN; it has no blocked "
                                  "interval to time"},
    {"client.arrival", "the UDP client has one socket, not connections that arrive"},
    {"client.command", "a program in the client's place is TCP only here"},
    {"client.send.retry_ms", "the UDP client has no retry timer: a datagram that send() refused "
                             "with EAGAIN is sent again once poll says the socket is writable"},
};

int params_udp_meaningless(const char *path, const char **why)
{
    for (size_t i = 0; i < sizeof meaningless / sizeof meaningless[0]; i++)
        if (strcmp(meaningless[i].path, path) == 0) {
            if (why)
                *why = meaningless[i].why;
            return 1;
        }
    return 0;
}

uint64_t params_udp_datagrams(const struct point_params *p)
{
    uint64_t chunk = p->client.send_chunk ? p->client.send_chunk : 1;
    return (p->client.send_bytes + chunk - 1) / chunk;
}

int params_parse_protocol(struct validator *v, json_t *value, enum protocol *out)
{
    int word = (int)*out;
    int rc = validator_word(v, "protocol", value, keys_protocol_words, &word);
    *out = (enum protocol)word;
    return rc;
}

/* The value at a dotted path of root ("client.send.pause_ms"), or NULL. */
static json_t *value_at(json_t *root, const char *path)
{
    char part[64];
    json_t *at = root;
    while (at && *path) {
        size_t len = strcspn(path, ".");
        snprintf(part, sizeof part, "%.*s", (int)len, path);
        at = json_is_object(at) ? json_object_get(at, part) : NULL;
        path += path[len] ? len + 1 : len;
    }
    return at;
}

/* The datagrams: a sequence number in each, each within one IPv4 UDP
 * datagram, and not so many that the server's record of them grows
 * beyond PARAMS_MAX_DATAGRAMS bits. */
static int check_datagrams(struct validator *v, const struct point_params *p)
{
    if (p->client.send_chunk < PARAMS_UDP_SEQUENCE_BYTES ||
        p->client.send_chunk > PARAMS_MAX_DATAGRAM)
        return validator_error(v, "client.send.chunk", 0,
                               "expected %d to %d with protocol \"udp\" (bytes per datagram: its "
                               "sequence number takes %d, and an IPv4 UDP datagram holds at most "
                               "%d), got %llu",
                               PARAMS_UDP_SEQUENCE_BYTES, PARAMS_MAX_DATAGRAM,
                               PARAMS_UDP_SEQUENCE_BYTES, PARAMS_MAX_DATAGRAM,
                               (unsigned long long)p->client.send_chunk);
    uint64_t last = p->client.send_bytes % p->client.send_chunk;
    if (last > 0 && last < PARAMS_UDP_SEQUENCE_BYTES) {
        v->cross_key_error = 1;
        return validator_error(v, "client.send.bytes", 0,
                               "with protocol \"udp\" the last datagram would hold %llu bytes "
                               "(%llu = %llu x client.send.chunk %llu + %llu), too few for its "
                               "%d-byte sequence number; send a multiple of the chunk, or at "
                               "least %d bytes more than one",
                               (unsigned long long)last, (unsigned long long)p->client.send_bytes,
                               (unsigned long long)(p->client.send_bytes / p->client.send_chunk),
                               (unsigned long long)p->client.send_chunk, (unsigned long long)last,
                               PARAMS_UDP_SEQUENCE_BYTES, PARAMS_UDP_SEQUENCE_BYTES);
    }
    if (params_udp_datagrams(p) > PARAMS_MAX_DATAGRAMS) {
        v->cross_key_error = 1;
        return validator_error(v, "client.send.bytes", 0,
                               "expected at most %d datagrams of client.send.chunk (%llu) bytes "
                               "with protocol \"udp\", got %llu; send fewer bytes or larger "
                               "datagrams",
                               PARAMS_MAX_DATAGRAMS, (unsigned long long)p->client.send_chunk,
                               (unsigned long long)params_udp_datagrams(p));
    }
    if (p->server.read.kind != READ_NEVER && p->server.read.chunk &&
        p->server.read.chunk < PARAMS_UDP_SEQUENCE_BYTES)
        return validator_error(v, "server.read.chunk", 0,
                               "expected at least %d with protocol \"udp\" (a recv() must take "
                               "a datagram's sequence number), got %llu",
                               PARAMS_UDP_SEQUENCE_BYTES, (unsigned long long)p->server.read.chunk);
    return 0;
}

int params_check_protocol(struct validator *v, json_t *root, const struct point_params *p)
{
    if (p->protocol != PROTOCOL_UDP)
        return 0;
    for (size_t i = 0; i < sizeof meaningless / sizeof meaningless[0]; i++) {
        if (!value_at(root, meaningless[i].path))
            continue;
        v->cross_key_error = 1;
        return validator_error(v, meaningless[i].path, 1,
                               "means nothing with protocol \"udp\": %s; leave it out, or set "
                               "\"protocol\": \"tcp\"",
                               meaningless[i].why);
    }
    return check_datagrams(v, p);
}
