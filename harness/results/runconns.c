/* runconns.c: a run's connections: the client's in the order they were
 * started, joined with the server's view of each (runparts.h). */
#include "runparts.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void run_conns_order(struct run_log *client)
{
    size_t n = client->conn_count;
    struct conn_record *conns = client->conns;
    char *seen = calloc(n ? n : 1, 1);
    int dense = seen != NULL;
    for (size_t i = 0; dense && i < n; i++) {
        int64_t id = conn_int(&conns[i], CONN_CONN);
        if (!conn_has(&conns[i], CONN_CONN) || id < 0 || (size_t)id >= n || seen[id])
            dense = 0;
        else
            seen[id] = 1;
    }
    free(seen);
    /* placed in place, by following the permutation (qsort would allocate
     * a second array of records, doubling the runner's peak) */
    for (size_t i = 0; dense && i < n; i++) {
        while ((size_t)conn_int(&conns[i], CONN_CONN) != i) {
            size_t to = (size_t)conn_int(&conns[i], CONN_CONN);
            struct conn_record swap = conns[to];
            conns[to] = conns[i];
            conns[i] = swap;
        }
    }
}

/* ---- the server's records by the port they came from ---- */

struct port_entry {
    int port;
    int64_t accepted_us;
    const struct server_record *record;
};

static int port_entry_compare(const void *a, const void *b)
{
    const struct port_entry *x = a, *y = b;
    if (x->port != y->port)
        return x->port < y->port ? -1 : 1;
    return (x->accepted_us > y->accepted_us) - (x->accepted_us < y->accepted_us);
}

#define PORTS 65536

/* The server's records sorted by peer port, then accept time; cursor[port]
 * is the next of that port's entries not yet taken (SIZE_MAX: none). */
struct port_index {
    struct port_entry *entries;
    size_t count;
    size_t *cursor;
};

static int port_index_build(struct port_index *index, const struct run_log *server)
{
    size_t count = server->server_conn_count, i;
    index->count = count;
    index->entries = calloc(count ? count : 1, sizeof *index->entries);
    index->cursor = malloc(PORTS * sizeof *index->cursor);
    if (!index->entries || !index->cursor)
        return -1;
    for (i = 0; i < count; i++) {
        const struct server_record *sc = &server->server_conns[i];
        index->entries[i].port = (int)sc->peer_port;
        index->entries[i].accepted_us = sc->has_accepted_us ? sc->accepted_us : 0;
        index->entries[i].record = sc;
    }
    qsort(index->entries, count, sizeof *index->entries, port_entry_compare);
    for (i = 0; i < PORTS; i++)
        index->cursor[i] = SIZE_MAX;
    for (i = count; i-- > 0;)
        if (index->entries[i].port >= 0 && index->entries[i].port < PORTS)
            index->cursor[index->entries[i].port] = i;
    return 0;
}

/* The port's next server record in accept order, or NULL. */
static const struct server_record *port_index_take(struct port_index *index, int64_t port)
{
    if (port <= 0 || port > PORTS - 1 || index->cursor[port] == SIZE_MAX)
        return NULL;
    size_t k = index->cursor[port];
    if (k >= index->count || index->entries[k].port != port)
        return NULL;
    index->cursor[port] = k + 1;
    return index->entries[k].record;
}

static void port_index_free(struct port_index *index)
{
    free(index->entries);
    free(index->cursor);
}

/* The server's view of a connection, on the client's record. */
static void take_server_view(struct conn_record *r, const struct server_record *sc)
{
    r->present &= ~(1u << CONN_ACCEPTED_US | 1u << CONN_BYTES_READ);
    if (sc->has_accepted_us) {
        r->value[CONN_ACCEPTED_US].integer = sc->accepted_us;
        r->present |= 1u << CONN_ACCEPTED_US;
    }
    if (sc->has_bytes_read) {
        r->value[CONN_BYTES_READ].integer = sc->bytes_read;
        r->present |= 1u << CONN_BYTES_READ;
    }
    if (sc->has_reads) {
        r->value[CONN_READS].integer = sc->reads;
        r->value[CONN_READ_MAX].integer = sc->read_max;
        r->present |= 1u << CONN_READS | 1u << CONN_READ_MAX;
    }
    if (sc->has_eof_us) {
        r->value[CONN_SERVER_EOF_US].integer = sc->eof_us;
        r->present |= 1u << CONN_SERVER_EOF_US;
    }
    if (sc->reset) {
        r->value[CONN_SERVER_SAW_RESET].boolean = 1;
        r->present |= 1u << CONN_SERVER_SAW_RESET;
    }
}

/* Joins the server's view of each connection (accept time, bytes read) to
 * the client's through the client's local port, which the server saw as
 * the peer port. A port can come round again in a long run, so client
 * connections (in start order) take a port's server records in accept
 * order. to_client[server conn] gets the client's conn index (or -1).
 * Returns how many server records matched no connection. */
static size_t join_by_port(struct conn_record *conns, size_t conn_count,
                           const struct run_log *server, int64_t *to_client, size_t to_client_size)
{
    struct port_index index;
    size_t used = 0;
    if (port_index_build(&index, server) == 0) {
        for (size_t i = 0; i < conn_count; i++) {
            const struct server_record *sc =
                port_index_take(&index, conn_int(&conns[i], CONN_LOCAL_PORT));
            if (!sc)
                continue;
            if (sc->conn >= 0 && (size_t)sc->conn < to_client_size)
                to_client[sc->conn] = conn_int(&conns[i], CONN_CONN);
            take_server_view(&conns[i], sc);
            used++;
        }
    }
    port_index_free(&index);
    return server->server_conn_count - used;
}

size_t run_conns_join_server(struct conn_record *conns, size_t conn_count,
                             const struct run_log *server, json_t *server_samples)
{
    /* the server numbers its connections in accept order; samples name
     * each connection by the client's index, as everything else does */
    size_t id_count = server->server_conn_count + 1, i;
    int64_t *to_client = malloc(id_count * sizeof *to_client);
    for (i = 0; to_client && i < id_count; i++)
        to_client[i] = -1;
    size_t unmatched = join_by_port(conns, conn_count, server, to_client, to_client ? id_count : 0);
    json_t *sample;
    json_array_foreach(server_samples, i, sample)
    {
        size_t k;
        json_t *entry;
        json_array_foreach(json_object_get(sample, "conns"), k, entry)
        {
            json_int_t id = json_integer_value(json_array_get(entry, 0));
            json_int_t to = id >= 0 && (size_t)id < id_count && to_client ? to_client[id] : -1;
            json_array_set_new(entry, 0, json_integer(to));
        }
    }
    free(to_client);
    return unmatched;
}

void run_conns_note_connect_us(struct conn_record *conns, size_t conn_count)
{
    for (size_t i = 0; i < conn_count; i++) {
        struct conn_record *r = &conns[i];
        const char *outcome = conn_has(r, CONN_OUTCOME) ? r->value[CONN_OUTCOME].string : NULL;
        /* one the loop saw complete only at the stop has no time of its own */
        int seen_at_stop = conn_has(r, CONN_SEEN_AT_STOP) && r->value[CONN_SEEN_AT_STOP].boolean;
        if (outcome && strcmp(outcome, "connected") == 0 && !seen_at_stop) {
            r->value[CONN_CONNECT_US].integer =
                conn_int(r, CONN_OUTCOME_US) - conn_int(r, CONN_START_US);
            r->present |= 1u << CONN_CONNECT_US;
        }
    }
}
