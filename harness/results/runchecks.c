/* runchecks.c: see runchecks.h. */
#include "runchecks.h"

#include <string.h>

static json_int_t get_int(const json_t *obj, const char *key)
{
    return json_integer_value(json_object_get(obj, key));
}

/* Every check has the same keys: "name", "result", "what" it compares,
 * "expected" and "measured" (null when it does not apply), and "reason"
 * (why it does not apply; null when it does). */
static json_t *passed_or_failed(const char *name, json_int_t expected, json_int_t measured,
                                const char *what)
{
    return json_pack("{s:s,s:s,s:s,s:I,s:I,s:n}", "name", name, "result",
                     expected == measured ? "passed" : "failed", "what", what, "expected", expected,
                     "measured", measured, "reason");
}

static json_t *not_applicable(const char *name, const char *what, const char *reason)
{
    return json_pack("{s:s,s:s,s:s,s:n,s:n,s:s}", "name", name, "result", "not_applicable", "what",
                     what, "expected", "measured", "reason", reason);
}

/* PassiveOpens where the server ran: its own namespace's with topology
 * veth, else the run's; -1 when the counters do not count this run alone. */
static json_int_t passive_opens(const json_t *summary)
{
    const char *scope = json_string_value(json_object_get(summary, "kernel_scope"));
    const json_t *server = json_object_get(summary, "kernel_server");
    if (!scope || strcmp(scope, "private_netns") != 0)
        return -1;
    return get_int(server ? server : json_object_get(summary, "kernel"), "PassiveOpens");
}

static int on_loopback(const json_t *params)
{
    const char *topology = json_string_value(json_object_get(params, "topology"));
    return !topology || strcmp(topology, "loopback") == 0;
}

/* AF_UNIX connections are no TCP handshakes: PassiveOpens never counts them. */
static int family_unix(const json_t *params)
{
    const char *family = json_string_value(json_object_get(params, "family"));
    return family && strcmp(family, "unix") == 0;
}

static const char *const unix_reason = "family unix: AF_UNIX connections make no TCP "
                                       "handshake, which PassiveOpens counts";

static json_t *client_handshakes(const json_t *params, const json_t *summary, json_int_t opens)
{
    static const char *const name = "client_handshakes";
    static const char *const what = "connected (client) = PassiveOpens";
    if (family_unix(params))
        return not_applicable(name, what, unix_reason);
    if (opens < 0)
        return not_applicable(name, what, "the counters are not the run's own (kernel_scope)");
    if (!on_loopback(params))
        return not_applicable(name, what,
                              "over a link a final ACK may be lost or dropped: the client "
                              "counts the connection, the server not yet");
    if (!json_is_integer(json_object_get(summary, "connected")))
        return not_applicable(name, what, "connected is not measured (unmeasured says why)");
    return passed_or_failed(name, opens, get_int(summary, "connected"), what);
}

/* Connections that were in the accept queue when the listener was closed. */
static json_int_t queued_at_close(const json_t *server_events)
{
    const json_t *event;
    json_int_t queued = 0;
    size_t i;
    json_array_foreach(server_events, i, event)
    {
        const char *kind = json_string_value(json_object_get(event, "event"));
        if (kind && strcmp(kind, "listener_closed") == 0 && get_int(event, "queue") > 0)
            queued += get_int(event, "queue");
    }
    return queued;
}

static json_t *server_handshakes(const json_t *params, const json_t *summary,
                                 const json_t *server_events, json_int_t opens)
{
    static const char *const name = "server_handshakes";
    static const char *const what =
        "accepted + queued at the end or at the listener's close = PassiveOpens";
    if (family_unix(params))
        return not_applicable(name, what, unix_reason);
    if (opens < 0)
        return not_applicable(name, what, "the counters are not the run's own (kernel_scope)");
    if (!json_is_integer(json_object_get(summary, "accepted")))
        return not_applicable(name, what, "accepted is not measured (unmeasured says why)");
    json_int_t seen = get_int(summary, "accepted") + queued_at_close(server_events);
    if (json_is_integer(json_object_get(summary, "queue_at_end")))
        seen += get_int(summary, "queue_at_end");
    return passed_or_failed(name, opens, seen, what);
}

static json_t *bytes(const json_t *params, const json_t *summary)
{
    static const char *const name = "bytes";
    static const char *const what =
        "bytes_sent = bytes_read + receive queues + send queues at the end";
    const char *protocol = json_string_value(json_object_get(params, "protocol"));
    if (protocol && strcmp(protocol, "udp") == 0)
        return not_applicable(name, what,
                              "protocol udp: a datagram that finds the receive buffer full is "
                              "dropped (summary.udp.lost), not queued");
    if (get_int(summary, "reset") > 0)
        return not_applicable(name, what,
                              "a connection was reset: its queued bytes were discarded");
    if (!json_is_integer(json_object_get(summary, "bytes_read")) ||
        !json_is_integer(json_object_get(summary, "bytes_sent")))
        return not_applicable(name, what,
                              "bytes_read or bytes_sent is not measured (unmeasured says why)");
    if (get_int(summary, "accepted") != get_int(summary, "connected"))
        return not_applicable(name, what,
                              "not every connection was accepted: the bytes of one still in "
                              "the accept queue cannot be read here");
    if (json_is_true(json_object_get(summary, "stopped_at_duration")) &&
        (!json_is_integer(json_object_get(summary, "receive_queue_at_end")) ||
         !json_is_integer(json_object_get(summary, "send_queue_at_end"))))
        return not_applicable(name, what,
                              "the run stopped with bytes in the queues, which its peers did "
                              "not record");
    json_int_t accounted = get_int(summary, "bytes_read") +
                           get_int(summary, "receive_queue_at_end") +
                           get_int(summary, "send_queue_at_end");
    return passed_or_failed(name, get_int(summary, "bytes_sent"), accounted, what);
}

json_t *run_checks(const json_t *params, const json_t *summary, const json_t *server_events)
{
    json_int_t opens = passive_opens(summary);
    return json_pack("[o,o,o]", client_handshakes(params, summary, opens),
                     server_handshakes(params, summary, server_events, opens),
                     bytes(params, summary));
}
