/* client_sample.c: the client's periodic queue samples ("client_sample"
 * events; what both sides share: sampler.h; client_internal.h). */
#include "client_internal.h"

#include <linux/sockios.h>
#include <sys/ioctl.h>

#include "clock.h"

/* Reads the send queues of the oldest SAMPLER_CONNS connected connections
 * into conns; returns how many, and in *connected_open how many connected
 * connections were seen (all open ones once the walk stopped early). */
static size_t read_send_queues(struct client *c, struct sample_conn *conns,
                               uint64_t *connected_open, int64_t *send_queue)
{
    size_t count = 0;
    *connected_open = 0;
    *send_queue = 0;
    /* the walk stops once SAMPLER_CONNS are read: with thousands open, a
     * tick must not cost thousands of steps */
    for (struct client_conn *conn = c->open_list; conn && count < SAMPLER_CONNS;
         conn = conn->next) {
        if (conn->state == CONN_CONNECTING || conn->state == CONN_CLOSED)
            continue;
        (*connected_open)++;
        /* nothing sent, nothing queued: no ioctl (a point of connections
         * that send nothing would spend most of its sampling here) */
        int unsent = 0;
        if (conn->bytes_sent > 0 && ioctl(conn->fd, SIOCOUTQ, &unsent) < 0)
            unsent = 0;
        conns[count++] = (struct sample_conn){conn->id, conn->bytes_sent, (uint64_t)unsent};
        *send_queue += unsent;
    }
    /* beyond the walk, every open connection might have been sampled */
    if (count == SAMPLER_CONNS)
        *connected_open = c->open;
    return count;
}

/* A sample: bytes sent in all, connections open, and per connected
 * connection (the oldest SAMPLER_CONNS open ones) its bytes sent and its
 * send queue, SIOCOUTQ: what send() handed over that the peer has not
 * acknowledged yet, which on loopback is what waits for the peer's window. */
void client_sample(struct client *c)
{
    struct sample_conn conns[SAMPLER_CONNS];
    uint64_t connected_open;
    int64_t send_queue;
    int64_t started_ns = clock_now_ns(), logged_ns = c->log->cost_ns;
    /* blocking threads count their bytes themselves (at most
     * PARAMS_MAX_BLOCKING_CONCURRENCY of them) */
    if (c->params.client.mode == MODE_BLOCKING)
        for (struct client_conn *conn = c->open_list; conn; conn = conn->next)
            client_blocking_sync_bytes(conn);
    size_t count = read_send_queues(c, conns, &connected_open, &send_queue);
    int64_t totals[] = {(int64_t)c->bytes_sent_total, (int64_t)c->open};
    if (sampler_keep(&c->sampler, totals, 2, conns, count, connected_open)) {
        struct event_line line;
        event_line_start(&line, "client_sample");
        event_line_int(&line, "t_us", client_now_us(c));
        event_line_int(&line, "bytes_sent", (int64_t)c->bytes_sent_total);
        event_line_int(&line, "open", c->open);
        event_line_int(&line, "send_queue", send_queue);
        sampler_conns_line(&c->sampler, &line, conns, count);
        eventlog_emit_line(c->log, &line);
    }
    /* writing the sample counts as logging (the log's cost_ns) */
    c->sampler.cost_ns += clock_now_ns() - started_ns - (c->log->cost_ns - logged_ns);
}

static void on_sample_tick(uv_timer_t *timer)
{
    client_sample(timer->data);
}

void client_sampling_start(struct client *c)
{
    uv_timer_init(c->loop, &c->sample_timer);
    c->sample_timer.data = c;
    if (c->params.sample_us > 0) {
        uint64_t every = (uint64_t)c->params.sample_us / 1000;
        client_sample(c);
        uv_timer_start(&c->sample_timer, on_sample_tick, every ? every : 1, every ? every : 1);
    }
}

void client_sampling_close(struct client *c)
{
    /* a stopped client took its last sample at the stop: its connections,
     * recorded since, are still open with their queues */
    if (c->params.sample_us > 0 && !c->stopping)
        client_sample(c);
    uv_close((uv_handle_t *)&c->sample_timer, NULL);
}
