/* runudp.c: see runparts.h. A UDP run's figures: the client's datagrams,
 * the server's by sequence number, and the namespace's Udp counters beside
 * them.
 *
 * On loopback (or over a veth pair without loss) a datagram that send()
 * took either reached the server's receive queue or was dropped there
 * because the queue was full (Udp RcvbufErrors), so lost, counted by
 * sequence number, is RcvbufErrors; and the server's socket read every
 * datagram it got, during the run or out of its queue at the end, so
 * UdpInDatagrams (counted by recvmsg, not on arrival) is delivered. */
#include "runparts.h"

static json_int_t get_int(const json_t *obj, const char *key)
{
    return json_integer_value(json_object_get(obj, key));
}

/* The Udp counter deltas, or null where the run has none (no counters
 * read): zeros there would pass for readings. */
static json_t *kernel_udp(const json_t *kernel)
{
    if (!json_is_integer(json_object_get(kernel, "UdpInDatagrams")))
        return json_null();
    return json_pack("{s:I,s:I,s:I,s:I,s:I}", "RcvbufErrors", get_int(kernel, "UdpRcvbufErrors"),
                     "InErrors", get_int(kernel, "UdpInErrors"), "InDatagrams",
                     get_int(kernel, "UdpInDatagrams"), "OutDatagrams",
                     get_int(kernel, "UdpOutDatagrams"), "SndbufErrors",
                     get_int(kernel, "UdpSndbufErrors"));
}

json_t *run_summary_udp(const json_t *server_end, const json_t *client_end, const json_t *kernel)
{
    const json_t *client = json_object_get(client_end, "udp");
    const json_t *server = json_object_get(server_end, "udp");
    if (!client && !server)
        return NULL;
    json_int_t sent = get_int(client, "sent"), delivered = get_int(server, "distinct");
    json_int_t queued = get_int(server, "queued_at_end");
    json_int_t rmem = json_is_integer(json_object_get(server, "rmem_alloc_at_end"))
                          ? get_int(server, "rmem_alloc_at_end")
                          : -1;
    json_t *udp = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}",
                            "datagrams", get_int(client, "datagrams"), "sent", sent, "eagain",
                            get_int(client, "eagain"), "send_errors",
                            get_int(client, "send_errors"), "unsent", get_int(client, "unsent"),
                            "received", get_int(server, "received"), "queued_at_end", queued,
                            "delivered", delivered, "lost", sent > delivered ? sent - delivered : 0,
                            "duplicates", get_int(server, "duplicates"), "reordered",
                            get_int(server, "reordered"), "strays", get_int(server, "strays"),
                            "truncated", get_int(server, "truncated"), "rmem_alloc_at_end", rmem);
    /* every queued datagram is charged its truesize, the same for each of
     * one length: the charge per datagram, measured */
    json_object_set_new(udp, "truesize",
                        queued > 0 && rmem >= 0 ? json_integer(rmem / queued) : json_null());
    json_object_set_new(udp, "kernel", kernel_udp(kernel));
    return udp;
}
