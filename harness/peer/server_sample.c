/* server_sample.c: the server's periodic queue samples ("server_sample"
 * events; what both sides share: sampler.h; server_internal.h). */
#include "server_internal.h"

#include <linux/sockios.h>
#include <sys/ioctl.h>

#include "clock.h"

/* Reads the unread bytes of the oldest SAMPLER_CONNS open connections
 * into conns; returns how many. */
static size_t read_receive_queues(const struct server *s, struct sample_conn *conns,
                                  int64_t *recv_queue)
{
    size_t count = 0;
    *recv_queue = 0;
    for (struct server_conn *c = s->open_head; c && count < SAMPLER_CONNS; c = c->next) {
        int unread = 0;
        if (ioctl(c->fd, SIOCINQ, &unread) < 0)
            unread = 0;
        conns[count++] = (struct sample_conn){c->id, c->bytes_read, (uint64_t)unread};
        *recv_queue += unread;
    }
    return count;
}

/* A sample: the accept queue, bytes read in all, and per accepted
 * connection (the oldest SAMPLER_CONNS open ones) its bytes read and its
 * unread bytes, SIOCINQ. Connections still in the accept queue have no fd
 * here and hold their unread bytes unseen. */
static void server_sample(struct server *s)
{
    struct sample_conn conns[SAMPLER_CONNS];
    int64_t queue = -1, limit = -1, recv_queue;
    int64_t started_ns = clock_now_ns(), logged_ns = s->log->cost_ns;
    server_listener_queue(s, &queue, &limit);
    size_t count = read_receive_queues(s, conns, &recv_queue);
    int64_t totals[] = {queue, limit, (int64_t)s->bytes_read_total, (int64_t)s->open_conns};
    if (sampler_keep(&s->sampler, totals, 4, conns, count, s->open_conns)) {
        struct event_line line;
        event_line_start(&line, "server_sample");
        event_line_int(&line, "t_us", server_now_us(s));
        event_line_int(&line, "bytes_read", (int64_t)s->bytes_read_total);
        event_line_int(&line, "open", s->open_conns);
        event_line_int(&line, "recv_queue", recv_queue);
        if (queue >= 0) {
            event_line_int(&line, "queue", queue);
            event_line_int(&line, "limit", limit);
        }
        sampler_conns_line(&s->sampler, &line, conns, count);
        eventlog_emit_line(s->log, &line);
    }
    /* writing the sample counts as logging (the log's cost_ns) */
    s->sampler.cost_ns += clock_now_ns() - started_ns - (s->log->cost_ns - logged_ns);
}

static void on_sample_tick(uv_timer_t *timer)
{
    struct server *s = timer->data;
    server_sample(s);
    server_maybe_finish(s);
}

void server_sampling_start(struct server *s)
{
    uv_timer_init(s->loop, &s->sample_timer);
    s->sample_timer.data = s;
    if (s->params.sample_us > 0) {
        uint64_t every = (uint64_t)s->params.sample_us / 1000;
        server_sample(s);
        uv_timer_start(&s->sample_timer, on_sample_tick, every ? every : 1, every ? every : 1);
    }
}

void server_sampling_close(struct server *s)
{
    if (s->params.sample_us > 0)
        server_sample(s);
    if (s->started)
        uv_close((uv_handle_t *)&s->sample_timer, NULL);
}
