/* results.c: see results.h. */
#include "results.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "aggregate.h"
#include "sampler.h"
#include "version.h"

int results_read_events(const char *path, json_t **events, struct hl_error *err)
{
    FILE *f = fopen(path, "re");
    char *line = NULL;
    size_t capacity = 0;
    ssize_t length;
    size_t number = 0;
    if (!f)
        return hl_error_setn(err, errno, path, "cannot read the event log: %s", strerror(errno));
    *events = json_array();
    while ((length = getline(&line, &capacity, f)) > 0) {
        json_error_t jerr;
        number++;
        json_t *event = json_loadb(line, (size_t)length, 0, &jerr);
        if (!event) {
            char where[512];
            snprintf(where, sizeof where, "%s:%zu", path, number);
            free(line);
            fclose(f);
            json_decref(*events);
            *events = NULL;
            return hl_error_set(err, where, "a broken event line: %s", jerr.text);
        }
        json_array_append_new(*events, event);
    }
    free(line);
    fclose(f);
    return 0;
}

static const char *event_kind(json_t *event)
{
    const char *kind = json_string_value(json_object_get(event, "event"));
    return kind ? kind : "";
}

static json_int_t get_int(json_t *obj, const char *key)
{
    return json_integer_value(json_object_get(obj, key));
}

static json_t *find_end(json_t *events)
{
    size_t n = json_array_size(events);
    json_t *last = n ? json_array_get(events, n - 1) : NULL;
    return last && strcmp(event_kind(last), "end") == 0 ? last : NULL;
}

struct port_entry {
    int port;
    json_int_t accepted_us;
    json_t *record;
};

static int port_entry_compare(const void *a, const void *b)
{
    const struct port_entry *x = a, *y = b;
    if (x->port != y->port)
        return x->port < y->port ? -1 : 1;
    return (x->accepted_us > y->accepted_us) - (x->accepted_us < y->accepted_us);
}

/* Joins the server's view of each connection (accept time, bytes read) to
 * the client's through the client's local port, which the server saw as
 * the peer port. A port can come round again in a long run, so client
 * connections (in start order) take a port's server records in accept
 * order. to_client[server conn] gets the client's conn index (or -1). */
static void join_server_side(json_t *connections, json_t *server_conns, size_t *unmatched,
                             json_int_t *to_client, size_t to_client_size)
{
    size_t count = json_array_size(server_conns), i, used = 0;
    struct port_entry *entries = calloc(count ? count : 1, sizeof *entries);
    size_t *cursor = malloc(65536 * sizeof *cursor);
    json_t *record;
    *unmatched = count;
    if (!entries || !cursor) {
        free(entries);
        free(cursor);
        return;
    }
    json_array_foreach(server_conns, i, record)
    {
        entries[i].port = (int)get_int(record, "peer_port");
        entries[i].accepted_us = get_int(record, "accepted_us");
        entries[i].record = record;
    }
    qsort(entries, count, sizeof *entries, port_entry_compare);
    for (i = 0; i < 65536; i++)
        cursor[i] = SIZE_MAX;
    for (i = count; i-- > 0;)
        if (entries[i].port >= 0 && entries[i].port < 65536)
            cursor[entries[i].port] = i;
    json_array_foreach(connections, i, record)
    {
        json_int_t port = get_int(record, "local_port");
        if (port <= 0 || port > 65535 || cursor[port] == SIZE_MAX)
            continue;
        size_t k = cursor[port];
        if (k >= count || entries[k].port != port)
            continue;
        cursor[port] = k + 1;
        json_t *sc = entries[k].record;
        json_int_t server_id = get_int(sc, "conn");
        if (server_id >= 0 && (size_t)server_id < to_client_size)
            to_client[server_id] = get_int(record, "conn");
        json_object_set(record, "accepted_us", json_object_get(sc, "accepted_us"));
        json_object_set(record, "bytes_read", json_object_get(sc, "bytes_read"));
        if (json_object_get(sc, "eof_us"))
            json_object_set(record, "server_eof_us", json_object_get(sc, "eof_us"));
        if (json_object_get(sc, "reset"))
            json_object_set_new(record, "server_saw_reset", json_true());
        used++;
    }
    *unmatched = count - used;
    free(entries);
    free(cursor);
}

json_t *results_build_run(const struct run_inputs *in)
{
    json_t *connections = json_array(), *blocks = json_array(), *server_conns = json_array();
    json_t *server_samples = json_array(), *client_samples = json_array();
    json_t *server_events = json_array();
    size_t i;
    json_t *event;

    json_array_foreach(in->client_events, i, event)
    {
        const char *kind = event_kind(event);
        json_t *copy = json_deep_copy(event);
        json_object_del(copy, "event");
        if (strcmp(kind, "conn") == 0)
            json_array_append_new(connections, copy);
        else if (strcmp(kind, "block") == 0)
            json_array_append_new(blocks, copy);
        else if (strcmp(kind, "client_sample") == 0)
            json_array_append_new(client_samples, copy);
        else
            json_decref(copy);
    }
    json_array_foreach(in->server_events, i, event)
    {
        const char *kind = event_kind(event);
        json_t *copy = json_deep_copy(event);
        if (strcmp(kind, "server_conn") == 0) {
            json_object_del(copy, "event");
            json_array_append_new(server_conns, copy);
        } else if (strcmp(kind, "server_sample") == 0) {
            json_object_del(copy, "event");
            json_array_append_new(server_samples, copy);
        } else if (strcmp(kind, "listener_closed") == 0 || strcmp(kind, "accept_error") == 0) {
            json_array_append_new(server_events, copy);
        } else {
            json_decref(copy);
        }
    }

    /* connections in the order they were started */
    size_t n = json_array_size(connections);
    json_t **sorted = calloc(n ? n : 1, sizeof *sorted);
    json_array_foreach(connections, i, event)
    {
        json_int_t id = get_int(event, "conn");
        if (id >= 0 && (size_t)id < n && !sorted[id])
            sorted[id] = event;
    }
    json_t *ordered = json_array();
    for (i = 0; i < n; i++)
        if (sorted[i])
            json_array_append(ordered, sorted[i]);
    if (json_array_size(ordered) != n) { /* ids not dense: keep the log order */
        json_decref(ordered);
        ordered = json_incref(connections);
    }
    free(sorted);
    json_decref(connections);
    connections = ordered;

    /* the server numbers its connections in accept order; samples name
     * each connection by the client's index, as everything else does */
    size_t id_count = json_array_size(server_conns) + 1;
    json_int_t *to_client = malloc(id_count * sizeof *to_client);
    size_t unmatched = 0;
    for (i = 0; to_client && i < id_count; i++)
        to_client[i] = -1;
    join_server_side(connections, server_conns, &unmatched, to_client, to_client ? id_count : 0);
    json_array_foreach(server_samples, i, event)
    {
        size_t k;
        json_t *entry;
        json_array_foreach(json_object_get(event, "conns"), k, entry)
        {
            json_int_t id = json_integer_value(json_array_get(entry, 0));
            json_int_t client = id >= 0 && (size_t)id < id_count && to_client ? to_client[id] : -1;
            json_array_set_new(entry, 0, json_integer(client));
        }
    }
    free(to_client);

    json_int_t attempted = 0, connected = 0, refused = 0, timed_out = 0, failed = 0, reset = 0;
    json_int_t bytes_sent = 0, bytes_received = 0, blocked_sends = 0, blocked_us = 0;
    json_int_t timed_out_kernel = 0, timed_out_harness = 0, timed_out_run_end = 0;
    json_array_foreach(connections, i, event)
    {
        const char *outcome = json_string_value(json_object_get(event, "outcome"));
        attempted++;
        if (!outcome)
            continue;
        if (strcmp(outcome, "connected") == 0) {
            connected++;
            json_object_set_new(
                event, "connect_us",
                json_integer(get_int(event, "outcome_us") - get_int(event, "start_us")));
        } else if (strcmp(outcome, "refused") == 0) {
            refused++;
        } else if (strcmp(outcome, "timed_out") == 0) {
            const char *by = json_string_value(json_object_get(event, "timeout_by"));
            timed_out++;
            timed_out_kernel += by && strcmp(by, "kernel") == 0;
            timed_out_harness += by && strcmp(by, "harness") == 0;
            timed_out_run_end += by && strcmp(by, "run_end") == 0;
        } else {
            failed++;
        }
        reset += json_is_true(json_object_get(event, "reset"));
        bytes_sent += get_int(event, "bytes_sent");
        bytes_received += get_int(event, "bytes_received");
        blocked_sends += get_int(event, "blocked_sends");
        blocked_us += get_int(event, "blocked_us");
    }

    /* bytes the first connection to block had sent when it first blocked */
    json_t *first_block = NULL;
    json_array_foreach(blocks, i, event)
    {
        if (!first_block || get_int(event, "start_us") < get_int(first_block, "start_us"))
            first_block = event;
    }

    json_t *server_end = find_end(in->server_events);
    json_t *client_end = find_end(in->client_events);
    json_int_t elapsed = get_int(client_end, "t_us");
    if (get_int(server_end, "t_us") > elapsed)
        elapsed = get_int(server_end, "t_us");

    json_t *summary = json_pack(
        "{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:{s:I,s:I,s:I},s:I}", "attempted",
        attempted, "connected", connected, "accepted", (json_int_t)json_array_size(server_conns),
        "refused", refused, "timed_out", timed_out, "failed", failed, "reset", reset, "bytes_sent",
        bytes_sent, "bytes_read", get_int(server_end, "bytes_read"), "bytes_received",
        bytes_received, "blocked_sends", blocked_sends, "blocked_us", blocked_us, "elapsed_us",
        elapsed, "timed_out_by", "kernel", timed_out_kernel, "harness", timed_out_harness,
        "run_end", timed_out_run_end, "unmatched_accepts", (json_int_t)unmatched);
    /* the server reports -1 when it had no listener to ask */
    json_int_t queue_at_end = get_int(server_end, "queue_at_end");
    json_object_set_new(summary, "queue_at_end",
                        queue_at_end >= 0 ? json_integer(queue_at_end) : json_null());
    json_object_set_new(summary, "bytes_before_first_block",
                        first_block ? json_integer(get_int(first_block, "bytes_before"))
                                    : json_null());
    json_object_set_new(summary, "stopped_at_duration",
                        json_boolean(json_is_true(json_object_get(client_end, "stopped")) ||
                                     json_is_true(json_object_get(server_end, "stopped"))));
    json_object_set_new(summary, "samples_dropped",
                        json_integer(get_int(server_end, "samples_dropped") +
                                     get_int(client_end, "samples_dropped")));
    json_object_set_new(summary, "conn_samples_dropped",
                        json_integer(get_int(server_end, "conn_samples_dropped") +
                                     get_int(client_end, "conn_samples_dropped")));
    json_int_t unsampled = get_int(server_end, "conns_unsampled_max");
    if (get_int(client_end, "conns_unsampled_max") > unsampled)
        unsampled = get_int(client_end, "conns_unsampled_max");
    json_object_set_new(summary, "conns_unsampled_max", json_integer(unsampled));
    json_object_set_new(
        summary, "sampling_us",
        json_integer(get_int(server_end, "sampling_us") + get_int(client_end, "sampling_us")));
    json_object_set(summary, "kernel", in->kernel);
    if (in->kernel_server && in->kernel_client) {
        json_object_set(summary, "kernel_server", in->kernel_server);
        json_object_set(summary, "kernel_client", in->kernel_client);
    }

    json_t *ready = in->server_ready;
    json_t *effective = json_object();
    json_object_set(effective, "backlog", json_object_get(ready, "backlog"));
    json_object_set(effective, "rcvbuf", json_object_get(ready, "rcvbuf"));
    json_object_set(effective, "server_sndbuf", json_object_get(ready, "sndbuf"));
    json_t *sndbuf = json_object_get(client_end, "sndbuf");
    json_object_set_new(effective, "sndbuf", sndbuf ? json_incref(sndbuf) : json_null());
    json_t *client_rcvbuf = json_object_get(client_end, "rcvbuf");
    json_object_set_new(effective, "client_rcvbuf",
                        client_rcvbuf ? json_incref(client_rcvbuf) : json_null());
    json_t *sndbuf_max = json_object_get(client_end, "sndbuf_max");
    json_object_set_new(effective, "sndbuf_max",
                        sndbuf_max ? json_incref(sndbuf_max) : json_null());
    json_t *rcvbuf_max = json_object_get(server_end, "rcvbuf_max");
    json_object_set_new(effective, "rcvbuf_max",
                        rcvbuf_max ? json_incref(rcvbuf_max) : json_null());
    json_object_set(effective, "sysctls", in->sysctls);
    if (in->client_sysctls)
        json_object_set(effective, "client_sysctls", in->client_sysctls);
    if (in->link)
        json_object_set(effective, "link", in->link);

    json_t *run = json_pack(
        "{s:I,s:I,s:O,s:O,s:o,s:o,s:o,s:o,s:{s:o,s:o},s:o}", "point", (json_int_t)in->point,
        "repeat", (json_int_t)in->repeat, "sweep", in->sweep, "params", in->params, "effective",
        effective, "summary", summary, "connections", connections, "blocks", blocks, "samples",
        "server", server_samples, "client", client_samples, "server_events", server_events);
    json_decref(server_conns);
    return run;
}

json_t *results_environment(int private_netns, json_t *sysctls)
{
    struct utsname u;
    char host[256] = "", started[64];
    time_t now = time(NULL);
    uname(&u);
    gethostname(host, sizeof host - 1);
    strftime(started, sizeof started, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    return json_pack("{s:s,s:s,s:s,s:s,s:b,s:o,s:s,s:s,s:s,s:s,s:I}", "kernel", u.release,
                     "kernel_version", u.version, "machine", u.machine, "hostname", host,
                     "private_netns", private_netns, "sysctls", sysctls, "harness_version",
                     HARNESS_VERSION, "libuv", uv_version_string(), "jansson", JANSSON_VERSION,
                     "started_at", started, "cpus", (json_int_t)sysconf(_SC_NPROCESSORS_ONLN));
}

void results_add_derived(json_t *results)
{
    json_object_set_new(results, "point_summaries",
                        aggregate_points(json_object_get(results, "runs")));
    json_object_set_new(results, "sampling_limits",
                        json_pack("{s:i,s:i,s:i}", "samples_per_process", PARAMS_MAX_SAMPLES,
                                  "conns_per_sample", SAMPLER_CONNS, "conn_entries_per_process",
                                  SAMPLER_MAX_CONN_ENTRIES));
}

int results_check_writable(const char *path, struct hl_error *err)
{
    char *copy = strdup(path);
    if (!copy)
        return hl_error_setn(err, ENOMEM, path, "out of memory");
    const char *dir = dirname(copy);
    int rc = access(dir, W_OK | X_OK);
    int e = errno;
    if (rc < 0) {
        hl_error_setn(err, e, path, "cannot write results into %s: %s", dir, strerror(e));
        free(copy);
        return -e;
    }
    free(copy);
    return 0;
}

int results_write_atomic(const char *path, json_t *root, struct hl_error *err)
{
    char tmp[4096];
    char *copy = strdup(path);
    if (!copy)
        return hl_error_setn(err, ENOMEM, path, "out of memory");
    char *base = basename(copy);
    char *copy2 = strdup(path);
    const char *dir = dirname(copy2);
    snprintf(tmp, sizeof tmp, "%s/.%s.tmp.%ld", dir, base, (long)getpid());
    /* Ctrl-C while the file is written (fsync of megabytes takes a while)
     * must not leave the temporary file behind: the signal waits until the
     * file is in place or removed */
    sigset_t block, saved;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigprocmask(SIG_BLOCK, &block, &saved);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    int e = 0;
    if (fd < 0) {
        e = errno;
        goto fail;
    }
    FILE *f = fdopen(fd, "w");
    if (!f) {
        e = errno;
        close(fd);
        goto fail_unlink;
    }
    if (json_dumpf(root, f, JSON_SORT_KEYS | JSON_INDENT(2)) < 0 || fputc('\n', f) == EOF ||
        fflush(f) != 0 || fsync(fileno(f)) != 0) {
        e = errno ? errno : EIO;
        fclose(f);
        goto fail_unlink;
    }
    if (fclose(f) != 0) {
        e = errno;
        goto fail_unlink;
    }
    if (rename(tmp, path) < 0) {
        e = errno;
        goto fail_unlink;
    }
    int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirfd >= 0) {
        fsync(dirfd);
        close(dirfd);
    }
    sigprocmask(SIG_SETMASK, &saved, NULL);
    free(copy);
    free(copy2);
    return 0;

fail_unlink:
    unlink(tmp);
fail:
    sigprocmask(SIG_SETMASK, &saved, NULL);
    hl_error_setn(err, e, path,
                  "cannot write the results: %s (the previous file, if any, is "
                  "unchanged)",
                  strerror(e));
    free(copy);
    free(copy2);
    return -e;
}
