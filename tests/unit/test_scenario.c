/* test_scenario.c: loading a scenario file and expanding its sweep into
 * points (scenario.h). */
#include <jansson.h>

#include "check.h"
#include "scenario.h"

/* Loads text as a scenario file; returns scenario_load's result. */
static int load_text(struct scenario *s, const char *text, size_t length, struct hl_error *err)
{
    char path[512];
    check_write_temp(text, length, path, sizeof path);
    hl_error_clear(err);
    int rc = scenario_load(s, path, err);
    if (rc)
        fprintf(stderr, "  (%s: %s)\n", err->where, err->what);
    unlink(path);
    return rc;
}

static int load(struct scenario *s, const char *text, struct hl_error *err)
{
    return load_text(s, text, strlen(text), err);
}

/* The label and params of point index. */
static void point(const struct scenario *s, size_t index, struct point_params *p, char *label,
                  size_t size)
{
    json_t *values = NULL;
    struct hl_error err;
    int rc = scenario_point(s, index, p, &values, &err);
    CHECK_INT(rc, 0);
    label[0] = '\0';
    if (rc == 0)
        scenario_point_label(values, label, size);
    json_decref(values);
}

static const char *sysctl_value(const struct point_params *p, const char *name)
{
    for (size_t i = 0; i < p->sysctl_count; i++)
        if (strcmp(p->sysctls[i].name, name) == 0)
            return p->sysctls[i].value;
    return NULL;
}

static void test_sweep_order(void)
{
    struct scenario s;
    struct hl_error err;
    struct point_params p;
    char label[256];
    /* the first key is the outermost loop: backlog changes slowest */
    CHECK_INT(load(&s,
                   "{\"name\": \"order\", \"repeat\": 3,"
                   " \"server\": {\"backlog\": 99, \"accept\": \"never\"},"
                   " \"sweep\": {\"server.backlog\": [0, 1, 2], \"client.sndbuf\": [4096, 0]}}",
                   &err),
              0);
    CHECK_STR(s.name, "order");
    CHECK_INT(s.point_count, 6);
    CHECK_INT(s.repeat, 3);
    const int backlogs[] = {0, 0, 1, 1, 2, 2};
    const int sndbufs[] = {4096, 0, 4096, 0, 4096, 0};
    for (size_t i = 0; i < 6; i++) {
        point(&s, i, &p, label, sizeof label);
        CHECK_INT(p.server.backlog, backlogs[i]);
        CHECK_INT(p.client.sndbuf, sndbufs[i]);
        CHECK_INT(p.server.accept.kind, ACCEPT_NEVER); /* the base stays under the sweep */
    }
    point(&s, 0, &p, label, sizeof label);
    CHECK_STR(label, "server.backlog=0 client.sndbuf=4096");
    point(&s, 5, &p, label, sizeof label);
    CHECK_STR(label, "server.backlog=2 client.sndbuf=0");
    scenario_free(&s);

    /* no sweep: one point, an empty label */
    CHECK_INT(load(&s, "{\"server\": {\"backlog\": 7}}", &err), 0);
    CHECK_INT(s.point_count, 1);
    CHECK_INT(s.repeat, 1);
    point(&s, 0, &p, label, sizeof label);
    CHECK_INT(p.server.backlog, 7);
    CHECK_STR(label, "");
    scenario_free(&s);
}

static void test_sysctl_sweep(void)
{
    struct scenario s;
    struct hl_error err;
    struct point_params p;
    char label[256];
    CHECK_INT(load(&s,
                   "{\"sysctls\": {\"net.ipv4.tcp_syn_retries\": 1, \"net.core.somaxconn\": 64},"
                   " \"sweep\": {\"sysctls.net.core.somaxconn\": [2, 8, 4096],"
                   " \"server.backlog\": [-1, 16]}}",
                   &err),
              0);
    CHECK_INT(s.point_count, 6);
    point(&s, 1, &p, label, sizeof label);
    CHECK_STR(label, "sysctls.net.core.somaxconn=2 server.backlog=16");
    CHECK_INT(p.sysctl_count, 2); /* the swept sysctl replaces the base one */
    CHECK_STR(sysctl_value(&p, "net.core.somaxconn"), "2");
    CHECK_STR(sysctl_value(&p, "net.ipv4.tcp_syn_retries"), "1");
    CHECK_INT(p.server.backlog, 16);
    point(&s, 4, &p, label, sizeof label);
    CHECK_STR(sysctl_value(&p, "net.core.somaxconn"), "4096");
    CHECK_INT(p.server.backlog, -1);
    scenario_free(&s);

    /* a swept sysctl the base does not set is added */
    CHECK_INT(
        load(&s, "{\"sweep\": {\"sysctls.net.ipv4.tcp_wmem\": [\"4096 16384 65536\"]}}", &err), 0);
    point(&s, 0, &p, label, sizeof label);
    CHECK_INT(p.sysctl_count, 1);
    CHECK_STR(sysctl_value(&p, "net.ipv4.tcp_wmem"), "4096 16384 65536");
    scenario_free(&s);
}

static void test_policy_sweeps(void)
{
    struct scenario s;
    struct hl_error err;
    struct point_params p;
    char label[256];
    CHECK_INT(
        load(&s,
             "{\"server\": {\"read\": {\"start_ms\": 200, \"bytes_per_sec\": 1, \"chunk\": 512}},"
             " \"sweep\": {\"server.accept\": [\"never\", {\"start_ms\": 500, \"every_ms\": 100}],"
             " \"server.read.bytes_per_sec\": [1024, 65536]}}",
             &err),
        0);
    CHECK_INT(s.point_count, 4);
    point(&s, 0, &p, label, sizeof label);
    CHECK_INT(p.server.accept.kind, ACCEPT_NEVER);
    CHECK_INT(p.server.read.bytes_per_sec, 1024);
    CHECK_INT(p.server.read.start_us, 200000); /* the rest of the read object stays */
    CHECK_INT(p.server.read.chunk, 512);
    point(&s, 3, &p, label, sizeof label);
    CHECK_INT(p.server.accept.kind, ACCEPT_PACED);
    CHECK_INT(p.server.accept.every_us, 100000);
    CHECK_INT(p.server.read.bytes_per_sec, 65536);
    CHECK_STR(label, "server.accept={\"start_ms\":500,\"every_ms\":100} "
                     "server.read.bytes_per_sec=65536");
    scenario_free(&s);
}

static void test_scenario_stays_as_given(void)
{
    /* expanding points must not write into the scenario it keeps for the
     * results file ("the scenario as given") */
    const char *text = "{\"client\": {\"send\": {\"bytes\": 1024}},"
                       " \"sweep\": {\"client.send.chunk\": [256, 512],"
                       " \"sysctls.net.core.somaxconn\": [4, 8]}}";
    struct scenario s;
    struct hl_error err;
    struct point_params p;
    char label[256];
    json_error_t jerr;
    json_t *given = json_loads(text, 0, &jerr);
    CHECK_INT(load(&s, text, &err), 0);
    for (size_t i = 0; i < s.point_count; i++)
        point(&s, i, &p, label, sizeof label);
    CHECK(json_equal(s.root, given));
    CHECK(json_object_get(s.root, "sysctls") == NULL);
    json_decref(given);
    scenario_free(&s);
}

static void test_file_forms(void)
{
    struct scenario s;
    struct hl_error err;
    struct point_params p;
    char label[64];
    /* a UTF-8 byte order mark is accepted (RFC 8259 8.1 allows ignoring it) */
    const char bom[] = "\xEF\xBB\xBF{\"name\": \"bom\", \"server\": {\"backlog\": 3}}\r\n";
    CHECK_INT(load_text(&s, bom, sizeof bom - 1, &err), 0);
    CHECK_STR(s.name, "bom");
    point(&s, 0, &p, label, sizeof label);
    CHECK_INT(p.server.backlog, 3);
    scenario_free(&s);

    /* ... and does not shift columns: the first '{' is column 1 */
    const char bom_bad[] = "\xEF\xBB\xBF{\"server\": 1}";
    CHECK_INT(load_text(&s, bom_bad, sizeof bom_bad - 1, &err), -22);
    CHECK_CONTAINS(err.where, ":1:12: server");
    scenario_free(&s);

    /* without "name", the file's name without .json */
    char path[512];
    check_write_temp("{}", 2, path, sizeof path);
    CHECK_INT(scenario_load(&s, path, &err), 0);
    char stem[512];
    const char *base = strrchr(path, '/') + 1;
    snprintf(stem, sizeof stem, "%.*s", (int)(strlen(base) - 5), base);
    CHECK_STR(s.name, stem);
    unlink(path);
    scenario_free(&s);

    /* 2000 levels of nesting (jansson allows 2048) are walked, not crashed on */
    size_t depth = 2000, n = 0;
    char *deep = malloc(2 * depth + 64);
    n += (size_t)sprintf(deep, "{\"description\": ");
    for (size_t i = 0; i < depth; i++)
        deep[n++] = '[';
    for (size_t i = 0; i < depth; i++)
        deep[n++] = ']';
    deep[n++] = '}';
    CHECK_INT(load_text(&s, deep, n, &err), -22);
    CHECK_CONTAINS(err.what, "expected a string, got a list");
    scenario_free(&s);
    free(deep);
}

static void test_default_plots(void)
{
    struct scenario s;
    struct hl_error err;
    CHECK_INT(load(&s,
                   "{\"client\": {\"connections\": 4, \"send\": {\"bytes\": 10}},"
                   " \"sweep\": {\"server.backlog\": [1, 2], \"server.rcvbuf\": [0, 4096]}}",
                   &err),
              0);
    char *plots = json_dumps(s.plots, JSON_COMPACT);
    CHECK_STR(plots,
              "[\"outcomes\",\"handshakes\",\"buffers\",\"latency\",\"transfer\",\"queues\"]");
    free(plots);
    scenario_free(&s);

    /* a listener that never accepts gets its queue's timeline; a sweep of
     * both buffers its grid */
    CHECK_INT(load(&s,
                   "{\"server\": {\"accept\": \"never\"}, \"client\": {\"connections\": 4},"
                   " \"sweep\": {\"client.sndbuf\": [0, 4096], \"server.rcvbuf\": [0, 4096]}}",
                   &err),
              0);
    plots = json_dumps(s.plots, JSON_COMPACT);
    CHECK_STR(plots, "[\"outcomes\",\"buffers\",\"buffer_grid\",\"latency\",\"accept_queue\"]");
    free(plots);
    scenario_free(&s);

    /* the buffers plot draws against client.sndbuf or server.rcvbuf only:
     * a sweep of the other two buffers gets none */
    CHECK_INT(load(&s,
                   "{\"client\": {\"send\": {\"bytes\": 10}},"
                   " \"sweep\": {\"client.rcvbuf\": [0, 4096], \"server.sndbuf\": [0, 4096]}}",
                   &err),
              0);
    plots = json_dumps(s.plots, JSON_COMPACT);
    CHECK_STR(plots, "[\"outcomes\",\"transfer\",\"queues\"]");
    free(plots);
    scenario_free(&s);

    CHECK_INT(load(&s, "{\"plots\": [\"rate\"]}", &err), 0);
    plots = json_dumps(s.plots, JSON_COMPACT);
    CHECK_STR(plots, "[\"rate\"]");
    free(plots);
    scenario_free(&s);

    /* and cannot be asked for without them */
    CHECK_INT(
        load(&s, "{\"sweep\": {\"client.rcvbuf\": [0, 4096]}, \"plots\": [\"buffers\"]}", &err),
        -22);
    CHECK_CONTAINS(err.what, "the buffers plot needs a sweep over client.sndbuf or server.rcvbuf");
    scenario_free(&s);
}

static void test_errors_point_at_sweep_elements(void)
{
    struct scenario s;
    struct hl_error err;
    CHECK_INT(load(&s, "{\"sweep\": {\"server.backlog\": [1,\n 2,\n \"x\"]}}", &err), -22);
    CHECK_CONTAINS(err.where, ":3:2: sweep[\"server.backlog\"][2]");
    scenario_free(&s);
    /* a cross-key error names the point that broke it */
    CHECK_INT(load(&s, "{\"sweep\": {\"client.connections\": [4, 2], \"client.concurrency\": [3]}}",
                   &err),
              -22);
    CHECK_CONTAINS(err.what, "(in the point client.connections=2 client.concurrency=3)");
    scenario_free(&s);
}

/* A scenario in memory loads as its file would, NUL bytes included. */
static void test_load_from_memory(void)
{
    struct scenario s;
    struct hl_error err;
    const char valid[] = "{\"sweep\": {\"server.backlog\": [1, 2]}}";
    const char invalid[] = "{\"server\": {\"backlog\": 4}, \"sweep\": {\"repeat\": [1]}}";
    hl_error_clear(&err);
    CHECK_INT(scenario_load_text(&s, "memory.json", valid, strlen(valid), &err), 0);
    CHECK_INT(s.point_count, 2);
    CHECK_STR(s.name, "memory");
    scenario_free(&s);
    CHECK_INT(scenario_load_text(&s, "memory.json", invalid, strlen(invalid), &err), -22);
    CHECK_CONTAINS(err.where, "memory.json:1:38: sweep.repeat");
    scenario_free(&s);
    CHECK_INT(scenario_load_text(&s, "nul.json", "{\"name\": \"a\0b\"}", 15, &err), -22);
    CHECK_CONTAINS(err.where, "nul.json:1:12");
    CHECK_CONTAINS(err.what, "a NUL byte");
    scenario_free(&s);
}

int main(void)
{
    test_sweep_order();
    test_sysctl_sweep();
    test_policy_sweeps();
    test_scenario_stays_as_given();
    test_file_forms();
    test_default_plots();
    test_errors_point_at_sweep_elements();
    test_load_from_memory();
    return check_exit();
}
