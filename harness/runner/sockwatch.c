/* sockwatch.c: the runner's own watch of the server's port through
 * sock_diag (system/sockdiag.h), for every point, harness-server's or a
 * program's, without the help of whoever listens:
 *
 *   - the SYN queue over time: the request sockets in SYN_RECV, kept when
 *     the count changes ("samples.syn_recv"). For harness-server the
 *     runner reads them every sample_ms; for a program its own listings
 *     (children_program.c) give them, so the port is walked once, not
 *     twice;
 *   - at the point's end (the server told "stop" or "client-done", its
 *     sockets still open) each socket of the port but the listener, with
 *     its queues, TCP_INFO and SK_MEMINFO, the first SOCKWATCH_CONNS of
 *     them, the rest counted ("samples.server_sockets").
 *
 * A reading of the SYN_RECV sockets makes the kernel walk the established
 * table every namespace shares (about 1.3 ms on the machine of
 * docs/performance.md, whatever the port holds; sockdiag.h), so it is
 * taken at most once in SOCKWATCH_SPACING times its own cost: the runner
 * spends at most a fiftieth of a CPU on it beside the point it measures.
 * And while the count stays as it was, each reading waits twice as long
 * as the last, up to SOCKWATCH_QUIET_MS: a transfer that lasts, whose SYN
 * queue stays empty once it connected, is not slowed by a fiftieth of the
 * CPU it shares with the runner; a change brings back every sample_ms. */
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "connrecord.h"
#include "runner_internal.h"

#define SOCKWATCH_SPACING 50
#define SOCKWATCH_QUIET_MS 250
#define SOCKWATCH_CONNS 64

int sockwatch_open(struct point_run *p, struct hl_error *err)
{
    p->syn_recv_samples = json_array();
    p->diag_fd = sockdiag_open(err);
    return p->diag_fd < 0 ? p->diag_fd : 0;
}

int sockwatch_note(struct point_run *p, int64_t t_us, uint32_t syn_recv)
{
    size_t n = json_array_size(p->syn_recv_samples);
    json_t *last = n ? json_array_get(p->syn_recv_samples, n - 1) : NULL;
    if (last && json_integer_value(json_object_get(last, "syn_recv")) == syn_recv)
        return 0;
    if (n < PARAMS_MAX_SAMPLES)
        json_array_append_new(p->syn_recv_samples, json_pack("{s:I,s:I}", "t_us", (json_int_t)t_us,
                                                             "syn_recv", (json_int_t)syn_recv));
    return 1;
}

/* The wait before the next reading, from the one just taken (started_ns,
 * cost_ns): the period after a change, else twice the last wait,
 * SOCKWATCH_QUIET_MS at most; never less than SOCKWATCH_SPACING times the
 * reading's cost. */
static int64_t next_gap_ns(struct point_run *p, int changed, int64_t cost_ns)
{
    int64_t period_ns = p->params->sample_us * 1000, quiet_ns = SOCKWATCH_QUIET_MS * 1000000LL;
    int64_t gap_ns = changed ? period_ns : 2 * p->watch_gap_ns;
    if (gap_ns < period_ns)
        gap_ns = period_ns;
    if (gap_ns > quiet_ns)
        gap_ns = quiet_ns > period_ns ? quiet_ns : period_ns;
    if (gap_ns < SOCKWATCH_SPACING * cost_ns)
        gap_ns = SOCKWATCH_SPACING * cost_ns;
    p->watch_gap_ns = gap_ns;
    return gap_ns;
}

static void on_watch(uv_timer_t *timer)
{
    struct point_run *p = timer->data;
    struct sockdiag_port d;
    struct hl_error err;
    int64_t started_ns = clock_now_ns();
    if (started_ns < p->watch_after_ns || p->watch_ended)
        return;
    if (sockdiag_read_port(p->diag_fd, p->watch_port, SOCKDIAG_HALF_OPEN, &d, &err)) {
        children_fail(p, "%s", err.what);
        return;
    }
    int changed = sockwatch_note(p, clock_since_us(p->start_ns), d.syn_recv);
    int64_t cost_ns = clock_now_ns() - started_ns;
    p->watch_ns += cost_ns;
    p->watch_readings++;
    /* the timer fires every period: a reading due within half a period
     * of a tick is taken at that tick */
    p->watch_after_ns = started_ns + next_gap_ns(p, changed, cost_ns) - p->params->sample_us * 500;
}

/* Why the port is not read, or NULL: inet_diag lists TCP sockets, and a
 * UDP socket or an AF_UNIX listener has none on the port (an AF_UNIX
 * listener's queue is read by harness-server itself, through unix_diag). */
static const char *not_watched(const struct point_run *p)
{
    if (p->params->protocol == PROTOCOL_UDP)
        return "not read: protocol udp has no listener and no SYN queue";
    if (p->params->family == FAMILY_UNIX)
        return "not read: family unix has no SYN queue; harness-server reads its listener "
               "through unix_diag";
    return NULL;
}

void sockwatch_start(struct point_run *p, uint16_t port)
{
    if (not_watched(p))
        return;
    p->watch_port = port;
    if (p->server_program || p->params->sample_us <= 0)
        return;
    uv_timer_init(p->runner->loop, &p->watch_timer);
    p->watch_timer.data = p;
    p->watch_timer_open = 1;
    /* the first reading one period in, not as the client's burst starts */
    uint64_t every_ms = (uint64_t)p->params->sample_us / 1000;
    every_ms = every_ms ? every_ms : 1;
    uv_timer_start(&p->watch_timer, on_watch, every_ms, every_ms);
}

static const char *state_name(uint8_t state)
{
    static const char *const names[] = {[TCP_ESTABLISHED] = "ESTABLISHED",
                                        [TCP_SYN_SENT] = "SYN_SENT",
                                        [TCP_SYN_RECV] = "SYN_RECV",
                                        [TCP_FIN_WAIT1] = "FIN_WAIT1",
                                        [TCP_FIN_WAIT2] = "FIN_WAIT2",
                                        [TCP_TIME_WAIT] = "TIME_WAIT",
                                        [TCP_CLOSE] = "CLOSE",
                                        [TCP_CLOSE_WAIT] = "CLOSE_WAIT",
                                        [TCP_LAST_ACK] = "LAST_ACK",
                                        [TCP_LISTEN] = "LISTEN",
                                        [TCP_CLOSING] = "CLOSING"};
    return state < sizeof names / sizeof names[0] && names[state] ? names[state] : "other";
}

static json_t *conn_json(const struct sockdiag_conn *c)
{
    json_t *out = json_pack("{s:s,s:b,s:i,s:I,s:I}", "state", state_name(c->state), "accepted",
                            c->accepted, "peer_port", (int)c->peer_port, "recv_queue",
                            (json_int_t)c->recv_queue, "send_queue", (json_int_t)c->send_queue);
    if (c->have_info)
        json_object_set_new(out, "tcp_info",
                            json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "rtt_us",
                                      (json_int_t)c->rtt_us, "rttvar_us", (json_int_t)c->rttvar_us,
                                      "snd_cwnd", (json_int_t)c->snd_cwnd, "snd_mss",
                                      (json_int_t)c->snd_mss, "unacked", (json_int_t)c->unacked,
                                      "retrans", (json_int_t)c->retrans, "total_retrans",
                                      (json_int_t)c->total_retrans, "lost", (json_int_t)c->lost,
                                      "rcv_space", (json_int_t)c->rcv_space));
    if (c->have_meminfo)
        json_object_set_new(out, "skmem",
                            json_pack("{s:I,s:I,s:I,s:I}", "rmem_alloc", (json_int_t)c->rmem_alloc,
                                      "rcvbuf", (json_int_t)c->rcvbuf, "wmem_queued",
                                      (json_int_t)c->wmem_queued, "sndbuf", (json_int_t)c->sndbuf));
    return out;
}

static json_t *snapshot_json(struct point_run *p, const struct sockdiag_port *d,
                             const struct sockdiag_conns *conns)
{
    json_t *list = json_array();
    for (size_t i = 0; i < conns->count; i++)
        json_array_append_new(list, conn_json(&conns->conn[i]));
    return json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:o}", "t_us",
                     (json_int_t)clock_since_us(p->start_ns), "syn_recv", (json_int_t)d->syn_recv,
                     "queued", (json_int_t)d->queued, "accepted", (json_int_t)d->accepted, "listed",
                     (json_int_t)conns->count, "left_out", (json_int_t)conns->left_out,
                     "connections", list);
}

int sockwatch_end(struct point_run *p)
{
    static __thread struct sockdiag_conn listed[SOCKWATCH_CONNS];
    struct sockdiag_conns conns = {listed, SOCKWATCH_CONNS, 0, 0};
    struct hl_error err;
    if (p->watch_ended)
        return p->watch_end_ok ? 0 : -1;
    p->watch_ended = 1;
    if (p->watch_timer_open)
        uv_timer_stop(&p->watch_timer);
    if (p->diag_fd < 0 || !p->watch_port)
        return -1;
    int64_t started_ns = clock_now_ns();
    if (sockdiag_read_conns(p->diag_fd, p->watch_port, &p->watch_end_port, &conns, &err)) {
        children_fail(p, "%s", err.what);
        return -1;
    }
    p->watch_ns += clock_now_ns() - started_ns;
    p->watch_readings++;
    p->watch_end_ok = 1;
    sockwatch_note(p, clock_since_us(p->start_ns), p->watch_end_port.syn_recv);
    p->server_sockets = snapshot_json(p, &p->watch_end_port, &conns);
    json_object_set_new(p->server_sockets, "stopped", json_boolean(p->stopping));
    return 0;
}

/* The client's connection of each listed socket, by the client's port. */
static void join_conns(json_t *snapshot, const struct results_run *run)
{
    json_t *socket;
    size_t i;
    json_array_foreach(json_object_get(snapshot, "connections"), i, socket)
    {
        json_int_t peer = json_integer_value(json_object_get(socket, "peer_port"));
        json_int_t conn = -1;
        for (size_t c = 0; c < run->conn_count && conn < 0; c++)
            if (conn_has(&run->conns[c], CONN_LOCAL_PORT) &&
                conn_int(&run->conns[c], CONN_LOCAL_PORT) == peer)
                conn = conn_int(&run->conns[c], CONN_CONN);
        json_object_set_new(socket, "conn", json_integer(conn));
    }
}

void sockwatch_record(struct point_run *p, struct results_run *run)
{
    json_t *samples = json_object_get(run->run, "samples");
    const char *why = not_watched(p);
    if (!json_is_object(samples))
        return;
    if (why) {
        results_samples_unread(samples,
                               p->params->family == FAMILY_UNIX
                                   ? "harness-server: unix_diag on its listener"
                                   : "harness-server: its datagrams, counted",
                               why);
        return;
    }
    json_object_set(samples, "syn_recv", p->syn_recv_samples);
    if (p->server_sockets) {
        join_conns(p->server_sockets, run);
        json_object_set(samples, "server_sockets", p->server_sockets);
    }
    json_object_set_new(samples, "sources",
                        json_pack("{s:s,s:s,s:s}", "server",
                                  p->server_program
                                      ? "sock_diag, read by harness-run"
                                      : "harness-server: TCP_INFO on its listener, SIOCINQ",
                                  "syn_recv", "sock_diag, read by harness-run", "server_sockets",
                                  "sock_diag, read by harness-run"));
    json_object_set_new(samples, "sock_diag_us", json_integer(p->watch_ns / 1000));
    json_object_set_new(samples, "sock_diag_readings", json_integer(p->watch_readings));
}

void sockwatch_release(struct point_run *p)
{
    if (p->watch_timer_open) {
        p->watch_timer_open = 0;
        uv_close((uv_handle_t *)&p->watch_timer, NULL);
    }
    if (p->diag_fd >= 0)
        close(p->diag_fd);
    p->diag_fd = -1;
}
