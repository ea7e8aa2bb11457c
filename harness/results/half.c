/* half.c: see half.h. */
#include "half.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "netns.h"
#include "results.h"
#include "scenario.h"

int half_begin(struct half *h, const char *role, const char *path,
               const struct point_params *params, json_t *origin, const char *address,
               int64_t start_ns, struct hl_error *err)
{
    struct timespec now;
    h->role = role;
    h->path = path;
    h->params = *params;
    h->origin = origin;
    h->address = address;
    if (results_check_writable(path, err))
        return -EACCES;
    counters_read(&h->before);
    /* the two clocks read back to back: CLOCK_MONOTONIC times this
     * side's events, CLOCK_REALTIME (NTP's) relates it to the other's */
    int64_t monotonic = clock_now_ns();
    clock_gettime(CLOCK_REALTIME, &now);
    h->start_ns = start_ns;
    h->start_realtime_us =
        (int64_t)now.tv_sec * 1000000 + now.tv_nsec / 1000 - (monotonic - start_ns) / 1000;
    return 0;
}

int half_temp_events(char *path, size_t size, struct hl_error *err)
{
    snprintf(path, size, "%s/backlog-lab-events.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0)
        return hl_error_setn(err, errno, path, "cannot make a temporary event log: %s",
                             strerror(errno));
    close(fd);
    return 0;
}

int half_finish(struct half *h, const char *events_path, json_t *ready, struct hl_error *err)
{
    json_t *events = NULL;
    struct counters *after = malloc(sizeof *after);
    int rc;
    if (!after)
        return hl_error_setn(err, ENOMEM, h->path, "out of memory");
    counters_read(after);
    if ((rc = event_lines_read_array(events_path, &events, err))) {
        free(after);
        return rc;
    }
    json_t *environment = results_environment(0, json_object());
    json_object_del(environment, "sysctls");
    results_environment_identity(environment);
    json_t *half = json_pack(
        "{s:s,s:s,s:o,s:s,s:o,s:o,s:o,s:o,s:{s:I,s:I}}", "format", HALF_FORMAT, "role", h->role,
        "params", params_to_json(&h->params), "address", h->address, "events", events, "kernel",
        counters_delta_json(&h->before, after), "sysctls", netns_sysctls_in_force(&h->params),
        "environment", environment, "clock", "start_ns", (json_int_t)h->start_ns,
        "start_realtime_us", (json_int_t)h->start_realtime_us);
    free(after);
    if (!half)
        return hl_error_setn(err, ENOMEM, h->path, "cannot build the half");
    if (ready)
        json_object_set(half, "ready", ready);
    if (h->origin)
        json_object_update(half, h->origin);
    rc = results_write_atomic(h->path, half, err);
    json_decref(half);
    return rc;
}

static int load_half(const char *path, const char *role, json_t **out, struct hl_error *err)
{
    json_error_t jerr;
    json_t *half = json_load_file(path, 0, &jerr);
    *out = NULL;
    if (!half)
        return hl_error_set(err, path, "cannot read the half: line %d: %s", jerr.line, jerr.text);
    const char *format = json_string_value(json_object_get(half, "format"));
    const char *got = json_string_value(json_object_get(half, "role"));
    if (!format || strcmp(format, HALF_FORMAT) != 0) {
        json_decref(half);
        return hl_error_set(err, path,
                            "not a half of a run (\"format\": \"%s\" expected); harness-server "
                            "and harness-client write one with --results FILE",
                            HALF_FORMAT);
    }
    if (!got || strcmp(got, role) != 0) {
        hl_error_set(err, path,
                     "this is the %s's half, where the %s's was expected; give the "
                     "server's half first, then the client's",
                     got ? got : "unknown side", role);
        json_decref(half);
        return -EINVAL;
    }
    if (!json_is_array(json_object_get(half, "events")) ||
        !json_is_object(json_object_get(half, "params"))) {
        json_decref(half);
        return hl_error_set(err, path, "a half without its \"events\" or \"params\"");
    }
    *out = half;
    return 0;
}

static int same_string(const json_t *a, const json_t *b, const char *key)
{
    const char *x = json_string_value(json_object_get(a, key));
    const char *y = json_string_value(json_object_get(b, key));
    return x && y && x[0] && strcmp(x, y) == 0;
}

/* The halves must be two sides of one point: made from the same scenario
 * (compared by content: each host keeps its own copy of the file), the
 * same point and the same sweep values, or both from options alone. A
 * merged run of two different points would be matched by harness-compare
 * to a point that neither side ran. */
static int check_same_point(const json_t *server, const json_t *client, const char *server_path,
                            const char *client_path, struct hl_error *err)
{
    const json_t *server_scenario = json_object_get(server, "scenario");
    const json_t *client_scenario = json_object_get(client, "scenario");
    const char *server_file = json_string_value(json_object_get(server, "scenario_file"));
    const char *client_file = json_string_value(json_object_get(client, "scenario_file"));
    if (!server_scenario != !client_scenario)
        return hl_error_set(err, client_path,
                            "the server's half was made %s --scenario and the client's %s; run "
                            "both sides with the same --scenario FILE --point N",
                            server_scenario ? "with" : "without",
                            client_scenario ? "with one" : "without");
    if (!server_scenario)
        return 0;
    if (!json_equal((json_t *)server_scenario, (json_t *)client_scenario))
        return hl_error_set(err, client_path,
                            "the halves were made from different scenarios (the server's from "
                            "%s, the client's from %s); run both sides with the same --scenario "
                            "FILE --point N",
                            server_file ? server_file : "?", client_file ? client_file : "?");
    const json_t *server_point = json_object_get(server, "point");
    const json_t *client_point = json_object_get(client, "point");
    if (!json_is_integer(server_point) || !json_is_integer(client_point))
        return hl_error_set(err, json_is_integer(server_point) ? client_path : server_path,
                            "a half made from a scenario without its \"point\"");
    if (!json_equal((json_t *)server_point, (json_t *)client_point))
        return hl_error_set(err, client_path,
                            "the server's half is of point %" JSON_INTEGER_FORMAT
                            " of %s and the client's of point %" JSON_INTEGER_FORMAT
                            "; merge the two halves of one point (both sides run with the same "
                            "--point N)",
                            json_integer_value(server_point), server_file ? server_file : "?",
                            json_integer_value(client_point));
    if (!json_equal(json_object_get(server, "sweep"), json_object_get(client, "sweep"))) {
        char *a = json_dumps(json_object_get(server, "sweep"), JSON_COMPACT | JSON_ENCODE_ANY);
        char *b = json_dumps(json_object_get(client, "sweep"), JSON_COMPACT | JSON_ENCODE_ANY);
        hl_error_set(err, client_path,
                     "the halves' sweep values differ (the server's %s, the client's %s)",
                     a ? a : "?", b ? b : "?");
        free(a);
        free(b);
        return -EINVAL;
    }
    return 0;
}

/* The scenario of the merged file: the one the halves were made from, or
 * the point's params, which are a scenario of one point themselves (a
 * failure to load those is no error: the run is then named "by-hand").
 * Made from a scenario, the halves' point must be one of its points, with
 * the sweep values it has there. Returns 1 when s was loaded, 0 when not,
 * or a negative errno. */
static int merged_scenario(const json_t *server, const json_t *params, struct scenario *s,
                           const char *server_path, struct hl_error *err)
{
    json_t *scenario = json_object_get(server, "scenario");
    const char *file = json_string_value(json_object_get(server, "scenario_file"));
    struct hl_error load_err;
    char message[1024];
    memset(s, 0, sizeof *s);
    char *text = json_dumps(scenario ? scenario : params, JSON_COMPACT);
    if (!text)
        return hl_error_setn(err, ENOMEM, "merge", "out of memory");
    int rc = scenario_load_text(s, file ? file : "by-hand", text, strlen(text), &load_err);
    free(text);
    if (!scenario)
        return rc == 0;
    if (rc)
        return hl_error_set(err, server_path, "the halves' scenario does not load: %s",
                            hl_error_format(&load_err, message, sizeof message));
    json_int_t point = json_integer_value(json_object_get(server, "point"));
    if (point < 0 || (size_t)point >= s->point_count)
        return hl_error_set(err, server_path,
                            "the halves are of point %" JSON_INTEGER_FORMAT
                            ", and their scenario has %zu",
                            point, s->point_count);
    struct point_params ignored;
    json_t *sweep = NULL;
    if ((rc = scenario_point(s, (size_t)point, &ignored, &sweep, err)))
        return rc;
    int same = json_equal(sweep, json_object_get(server, "sweep"));
    json_decref(sweep);
    if (!same)
        return hl_error_set(err, server_path,
                            "the halves' sweep values are not those of point %" JSON_INTEGER_FORMAT
                            " of their scenario",
                            point);
    return 1;
}

int half_merge(const char *server_path, const char *client_path, json_t **results,
               struct hl_error *err)
{
    json_t *server = NULL, *client = NULL;
    int rc;
    *results = NULL;
    if ((rc = load_half(server_path, "server", &server, err)) ||
        (rc = load_half(client_path, "client", &client, err)) ||
        (rc = check_same_point(server, client, server_path, client_path, err))) {
        json_decref(server);
        json_decref(client);
        return rc;
    }
    json_t *server_env = json_object_get(server, "environment");
    json_t *client_env = json_object_get(client, "environment");
    int same_host = same_string(server_env, client_env, "boot_id");
    int same_netns = same_host && json_equal(json_object_get(server_env, "netns"),
                                             json_object_get(client_env, "netns"));

    /* the server's keys as the server ran them, the rest as the client did */
    json_t *params = json_deep_copy(json_object_get(client, "params"));
    json_object_set(params, "server", json_object_get(json_object_get(server, "params"), "server"));

    struct scenario s;
    int loaded = merged_scenario(server, params, &s, server_path, err);
    if (loaded < 0) {
        scenario_free(&s);
        json_decref(params);
        json_decref(server);
        json_decref(client);
        return loaded;
    }
    /* the point and its sweep values as the runner records them: what
     * harness-compare matches points by */
    json_t *sweep = json_object_get(server, "sweep");

    json_t *kernel_server = json_object_get(server, "kernel");
    json_t *kernel_client = json_object_get(client, "kernel");
    json_t *sum = same_netns ? NULL : counters_sum_json(kernel_server, kernel_client);
    struct run_inputs in = {
        .point = json_integer_value(json_object_get(server, "point")),
        .repeat = 0,
        .sweep = sweep ? json_deep_copy(sweep) : json_object(),
        .params = params,
        .server_ready = json_object_get(server, "ready"),
        .server_events = json_object_get(server, "events"),
        .client_events = json_object_get(client, "events"),
        .kernel = same_netns ? kernel_server : sum,
        .sysctls = json_object_get(server, "sysctls"),
        .kernel_server = same_netns ? NULL : kernel_server,
        .kernel_client = same_netns ? NULL : kernel_client,
        .client_sysctls = same_netns ? NULL : json_object_get(client, "sysctls"),
    };
    json_t *run = results_run_from_events(&in);
    json_decref(in.sweep);
    json_decref(sum);

    /* The clocks: each side stamps its events from its own start. On one
     * machine CLOCK_MONOTONIC is shared, so the offset between the two
     * starts is exact; across machines only CLOCK_REALTIME relates them,
     * as well as NTP keeps the two in step. */
    json_t *server_clock = json_object_get(server, "clock");
    json_t *client_clock = json_object_get(client, "clock");
    json_int_t offset =
        same_host ? (json_integer_value(json_object_get(client_clock, "start_ns")) -
                     json_integer_value(json_object_get(server_clock, "start_ns"))) /
                        1000
                  : json_integer_value(json_object_get(client_clock, "start_realtime_us")) -
                        json_integer_value(json_object_get(server_clock, "start_realtime_us"));
    json_t *environment = json_deep_copy(server_env);
    json_object_del(environment, "boot_id");
    json_object_del(environment, "netns");
    json_object_set(environment, "sysctls", json_object_get(server, "sysctls"));
    if (!json_object_get(environment, "private_netns"))
        json_object_set_new(environment, "private_netns", json_false());
    json_object_set_new(environment, "by_hand",
                        json_pack("{s:O,s:O,s:s?,s:s?,s:O?,s:{s:b,s:b,s:I,s:s}}", "server",
                                  server_env, "client", client_env, "server_address",
                                  json_string_value(json_object_get(server, "address")),
                                  "client_address",
                                  json_string_value(json_object_get(client, "address")), "point",
                                  json_object_get(server, "point"), "clock", "same_host", same_host,
                                  "same_netns", same_netns, "client_start_minus_server_us", offset,
                                  "offset_from", same_host ? "CLOCK_MONOTONIC" : "CLOCK_REALTIME"));

    /* "points" and "repeat" as a runner-made file of the scenario says
     * them: the scenario's, of which this file holds one run */
    json_t *scenario = json_object_get(server, "scenario");
    const char *file = json_string_value(json_object_get(server, "scenario_file"));
    json_t *no_plots = json_array();
    *results =
        json_pack("{s:s,s:s,s:s,s:s,s:O,s:o,s:O,s:I,s:i,s:[o],s:[]}", "format", RESULTS_FORMAT,
                  "scenario_file", file ? file : "", "name", loaded ? s.name : "by-hand",
                  "description", loaded ? s.description : "", "scenario",
                  scenario ? scenario : params, "environment", environment, "plots",
                  loaded ? s.plots : no_plots, "points", (json_int_t)(loaded ? s.point_count : 1),
                  "repeat", loaded ? s.repeat : 1, "runs", run, "skipped");
    json_decref(no_plots);
    scenario_free(&s);
    json_decref(params);
    json_decref(server);
    json_decref(client);
    if (!*results)
        return hl_error_setn(err, ENOMEM, "merge", "cannot build the results");
    results_add_derived(*results);
    return 0;
}
