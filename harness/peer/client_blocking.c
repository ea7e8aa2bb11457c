/* client_blocking.c: client.mode "blocking", the loop's side: starts a
 * connection's thread (blocking.h) and applies what the threads report,
 * doing the bookkeeping a non-blocking connection does
 * (client_internal.h). */
#include "client_internal.h"

#include <errno.h>
#include <string.h>

void client_blocking_sync_bytes(struct client_conn *conn)
{
    uint64_t sent = atomic_load(&conn->blocking->bytes_sent);
    conn->client->bytes_sent_total += sent - conn->bytes_sent;
    conn->bytes_sent = sent;
}

/* The thread's outcome, once it has one (under the thread's lock). */
static void take_outcome(struct client_conn *conn, const struct blocking_report *r)
{
    if (conn->outcome || !r->outcome)
        return;
    if (r->start_us > 0)
        conn->start_us = r->start_us;
    client_conn_outcome_at(conn, r->outcome, r->error, r->timeout_by, r->outcome_us);
    if (strcmp(r->outcome, "connected") == 0) {
        conn->state = CONN_SENDING;
        conn->local_port = r->local_port;
        client_note_buffers(conn, r->sndbuf, r->rcvbuf);
        conn->seen_at_stop = r->seen_at_stop;
    }
}

/* What a finished (and joined) thread leaves. */
static void take_end(struct client_conn *conn, const struct blocking_report *r)
{
    conn->bytes_received = r->bytes_received;
    conn->client->bytes_received_total += r->bytes_received;
    conn->peer_closed = r->peer_closed;
    conn->closed_us = r->stopped ? -1 : r->closed_us;
    if (r->reset)
        client_conn_mark_reset(conn, r->error ? r->error : ECONNRESET);
    else if (r->error && !conn->error)
        conn->error = r->error;
}

int client_blocking_take(struct client_conn *conn)
{
    struct blocking_conn *b = conn->blocking;
    struct blocking_report *r = &b->report;
    pthread_mutex_lock(&b->lock);
    take_outcome(conn, r);
    for (; conn->blocks_taken < r->block_count; conn->blocks_taken++) {
        const struct blocking_block *call = &r->blocks[conn->blocks_taken];
        client_block_record(conn, call->start_us, call->end_us, 0, call->bytes_before,
                            call->ended_by, call);
    }
    int done = r->done;
    pthread_mutex_unlock(&b->lock);
    client_blocking_sync_bytes(conn);
    if (!done)
        return 0;
    blocking_join(b);
    take_end(conn, r);
    return 1;
}

static void on_blocking_report(uv_async_t *handle)
{
    struct client *c = handle->data;
    struct client_conn *conn, *next;
    for (conn = c->open_list; conn; conn = next) {
        next = conn->next;
        if (conn->blocking && client_blocking_take(conn))
            client_conn_finish(conn, 0);
    }
    client_fill(c);
    client_maybe_finish(c);
}

void client_blocking_init(struct client *c)
{
    uv_async_init(c->loop, &c->wake, on_blocking_report);
    c->wake.data = c;
    c->wake_open = 1;
}

void client_blocking_start(struct client *c, struct client_conn *conn)
{
    struct blocking_conn *b = conn->blocking;
    b->fd = conn->fd;
    b->params = &c->params.client;
    b->target = c->target;
    b->start_ns = c->start_ns;
    b->send_buffer = c->send_buffer;
    b->wake = &c->wake;
    int rc = blocking_start(b);
    if (rc < 0) {
        client_conn_outcome(conn, "failed", -rc, NULL);
        client_conn_close(conn);
    }
}
