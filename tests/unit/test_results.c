/* test_results.c: a run built from event logs (runlog.h, results.h).
 *
 * fixtures/logs/<name>-{server,client}.jsonl are real logs of harness-server
 * and harness-client run by hand: "reply" (the course note's server),
 * "blocking" (blocking client, slow reader: blocks and samples), and "odd"
 * (a closed listener, with lines edited by hand: unknown, nested and
 * duplicate fields, a field of the wrong type, an escaped string, spaces,
 * an unknown event). fixtures/logs/<name>-run.json is the run the harness
 * built from them when it held every event as json_t (before runlog.c),
 * with summary.logging_us and cpu_us (0: these logs predate them) added
 * since, and what the run reconciles since the counts were (summary
 * pending, kernel_scope, the queues at the end and the blocked call's
 * bytes: null or 0 in these logs; effective.buffers; checks; no
 * timed_out_by.run_end).
 * Checked: the records give that same run; a spooled results file is the
 * same JSON, byte for byte as json_dumpf(JSON_SORT_KEYS | JSON_INDENT(2))
 * writes it; a broken line is named by file and line. */
#include <jansson.h>
#include <stdlib.h>

#include "check.h"
#include "results.h"
#include "runlog.h"

static const char *fixtures;
static const char *const names[] = {"reply", "blocking", "odd"};
#define NAMES (sizeof names / sizeof names[0])

static struct run_inputs inputs(void)
{
    /* as the expected runs were made */
    struct run_inputs in = {.point = 2,
                            .repeat = 1,
                            .sweep = json_pack("{s:i}", "client.connections", 8),
                            .params = json_pack("{s:{s:i}}", "client", "connections", 8),
                            .server_ready = json_pack("{s:i,s:i,s:i,s:i}", "port", 1, "backlog", 4,
                                                      "rcvbuf", 1000, "sndbuf", 2000),
                            .kernel = json_pack("{s:i}", "ListenOverflows", 3),
                            /* these counters are made up: not the run's own, so the
                             * handshake checks do not apply (runchecks.h) */
                            .kernel_scope = "host",
                            .sysctls = json_pack("{s:i}", "net.core.somaxconn", 4096)};
    return in;
}

static void free_inputs(struct run_inputs *in)
{
    json_decref(in->sweep);
    json_decref(in->params);
    json_decref(in->server_ready);
    json_decref(in->kernel);
    json_decref(in->sysctls);
}

static void log_path(const char *name, const char *side, char *out, size_t size)
{
    snprintf(out, size, "%s/logs/%s-%s.jsonl", fixtures, name, side);
}

static json_t *expected_run(const char *name)
{
    char path[4096];
    json_error_t error;
    snprintf(path, sizeof path, "%s/logs/%s-run.json", fixtures, name);
    json_t *run = json_load_file(path, 0, &error);
    if (!run)
        fprintf(stderr, "%s: %s\n", path, error.text);
    return run;
}

static int build(const char *name, struct run_inputs *in, struct results_run *run)
{
    char server_path[4096], client_path[4096];
    struct run_log server, client;
    struct hl_error err;
    log_path(name, "server", server_path, sizeof server_path);
    log_path(name, "client", client_path, sizeof client_path);
    if (run_log_read(server_path, &server, &err) || run_log_read(client_path, &client, &err)) {
        fprintf(stderr, "%s: %s\n", err.where, err.what);
        return -1;
    }
    int rc = results_run_from_logs(in, &server, &client, run);
    run_log_free(&server);
    run_log_free(&client);
    return rc;
}

/* the output order of the records' fields is JSON_SORT_KEYS's */
static void test_fields_sorted(void)
{
    for (int f = 1; f < CONN_FIELDS; f++)
        CHECK(strcmp(conn_fields[f - 1].name, conn_fields[f].name) < 0);
}

static void test_same_runs(void)
{
    for (size_t i = 0; i < NAMES; i++) {
        struct run_inputs in = inputs();
        struct results_run run;
        json_t *expected = expected_run(names[i]);
        CHECK(expected != NULL);
        if (build(names[i], &in, &run) == 0) {
            json_t *built = results_run_to_json(&run);
            CHECK(json_equal(built, expected));
            json_decref(built);
            results_run_free(&run);
        } else {
            CHECK(!"built");
        }
        /* and through the json_t events, as results_run_from_events takes them */
        char server_path[4096], client_path[4096];
        struct hl_error err;
        log_path(names[i], "server", server_path, sizeof server_path);
        log_path(names[i], "client", client_path, sizeof client_path);
        if (event_lines_read_array(server_path, &in.server_events, &err) == 0 &&
            event_lines_read_array(client_path, &in.client_events, &err) == 0) {
            json_t *built = results_run_from_events(&in);
            CHECK(json_equal(built, expected));
            json_decref(built);
        }
        json_decref(in.server_events);
        json_decref(in.client_events);
        json_decref(expected);
        free_inputs(&in);
    }
}

/* what the hand-edited lines of "odd" come to */
static void test_odd_fields(void)
{
    json_t *run = expected_run("odd");
    json_t *c1 = json_array_get(json_object_get(run, "connections"), 1);
    json_t *c2 = json_array_get(json_object_get(run, "connections"), 2);
    CHECK_INT(json_integer_value(json_object_get(c1, "foo")), 1);
    CHECK(json_is_object(json_object_get(c1, "nested")));
    CHECK(json_is_false(json_object_get(c1, "reset")));
    CHECK_STR(json_string_value(json_object_get(c1, "outcome_us")), "late");
    CHECK_STR(json_string_value(json_object_get(c1, "error")), "E\xc3\xa9\"x");
    CHECK(json_is_null(json_object_get(c2, "zzz")));
    CHECK_INT(json_integer_value(json_object_get(c2, "sndbuf")), 3939840);
    json_decref(run);
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *text = malloc((size_t)n + 1);
    if (text && fread(text, 1, (size_t)n, f) != (size_t)n) {
        free(text);
        text = NULL;
    }
    if (text)
        text[n] = '\0';
    fclose(f);
    return text;
}

static void test_spooled_file(void)
{
    const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char path[4096];
    struct results_spool spool;
    struct hl_error err;
    snprintf(path, sizeof path, "%s/unit-results-%d.json", dir, (int)getpid());
    CHECK(results_spool_open(&spool, dir, &err) == 0);
    json_t *expected = json_array();
    for (size_t i = 0; i < NAMES; i++) {
        struct run_inputs in = inputs();
        struct results_run run;
        if (build(names[i], &in, &run) == 0) {
            CHECK(results_spool_add(&spool, &run, &err) == 0);
            json_array_append_new(expected, results_run_to_json(&run));
            results_run_free(&run);
        }
        free_inputs(&in);
    }
    json_t *root = json_pack("{s:s,s:[i],s:{s:i},s:s}", "format", RESULTS_FORMAT, "runs", 7,
                             "point_summaries", "n", 1, "zz", "last");
    CHECK(results_write_spooled(path, root, &spool, &err) == 0);
    results_spool_close(&spool);

    json_error_t error;
    json_t *written = json_load_file(path, 0, &error);
    CHECK(written != NULL);
    CHECK(json_equal(json_object_get(written, "runs"), expected));
    CHECK_STR(json_string_value(json_object_get(written, "zz")), "last");
    char *text = read_all(path);
    char *canonical = json_dumps(written, JSON_SORT_KEYS | JSON_INDENT(2));
    size_t n = canonical ? strlen(canonical) : 0;
    CHECK(text && canonical && strlen(text) == n + 1 && strncmp(text, canonical, n) == 0 &&
          text[n] == '\n');
    free(text);
    free(canonical);
    json_decref(written);

    /* no runs at all */
    CHECK(results_spool_open(&spool, dir, &err) == 0);
    CHECK(results_write_spooled(path, root, &spool, &err) == 0);
    results_spool_close(&spool);
    written = json_load_file(path, 0, &error);
    CHECK(json_is_array(json_object_get(written, "runs")) &&
          json_array_size(json_object_get(written, "runs")) == 0);
    json_decref(written);
    unlink(path);
    json_decref(root);
    json_decref(expected);
}

static void test_broken_line(void)
{
    const char text[] = "{\"event\":\"conn\",\"conn\":0}\n{\"event\":\"conn\",\"conn\":\n";
    char path[4096];
    struct run_log log;
    struct hl_error err;
    check_write_temp(text, sizeof text - 1, path, sizeof path);
    CHECK(run_log_read(path, &log, &err) < 0);
    char where[4200];
    snprintf(where, sizeof where, "%s:2", path);
    CHECK_STR(err.where, where);
    CHECK_CONTAINS(err.what, "a broken event line");
    unlink(path);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_results FIXTURES_DIR\n");
        return 2;
    }
    fixtures = argv[1];
    test_fields_sorted();
    test_same_runs();
    test_odd_fields();
    test_spooled_file();
    test_broken_line();
    return check_exit();
}
