/* halfmerge.c: two halves joined into a results file (half_merge, see
 * half.h). */
#include "half.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "results.h"
#include "scenario.h"

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

/* Both halves, loaded, and where they ran relative to each other. */
struct halves {
    json_t *server, *client;
    json_t *server_env, *client_env;
    int same_host, same_netns; /* one machine (boot_id); one namespace of it */
};

static int load_halves(struct halves *h, const char *server_path, const char *client_path,
                       struct hl_error *err)
{
    int rc;
    memset(h, 0, sizeof *h);
    if ((rc = load_half(server_path, "server", &h->server, err)) ||
        (rc = load_half(client_path, "client", &h->client, err)) ||
        (rc = check_same_point(h->server, h->client, server_path, client_path, err)))
        return rc;
    h->server_env = json_object_get(h->server, "environment");
    h->client_env = json_object_get(h->client, "environment");
    h->same_host = same_string(h->server_env, h->client_env, "boot_id");
    h->same_netns = h->same_host && json_equal(json_object_get(h->server_env, "netns"),
                                               json_object_get(h->client_env, "netns"));
    return 0;
}

/* The params of the merged run: the server's keys as the server ran
 * them, the rest as the client did (new reference). */
static json_t *merged_params(const struct halves *h)
{
    json_t *params = json_deep_copy(json_object_get(h->client, "params"));
    json_object_set(params, "server",
                    json_object_get(json_object_get(h->server, "params"), "server"));
    return params;
}

/* The time fields of the client's events that are moments (since its
 * start), not durations: what a common clock base moves. */
static const char *const moment_keys[] = {"t_us", "start_us", "outcome_us", "closed_us", "end_us"};

/* The client's events with its moments counted from the server's start
 * (new reference): on one machine both sides' starts are on one
 * CLOCK_MONOTONIC, so the two sides' times compare exactly, as in a run
 * that harness-run makes. Across machines they stay the client's own. */
static json_t *client_events_on_server_clock(const struct halves *h, json_int_t offset_us)
{
    json_t *events = json_deep_copy(json_object_get(h->client, "events")), *event;
    size_t i;
    if (!h->same_host || offset_us == 0)
        return events;
    json_array_foreach(events, i, event)
    {
        for (size_t k = 0; k < sizeof moment_keys / sizeof moment_keys[0]; k++) {
            json_t *value = json_object_get(event, moment_keys[k]);
            if (json_is_integer(value))
                json_integer_set(value, json_integer_value(value) + offset_us);
        }
    }
    return events;
}

static json_int_t clock_offset_us(const struct halves *h);

/* harness-run reads the server's port through sock_diag beside
 * harness-server (runner/sockwatch.c); by hand no one did: the same keys,
 * empty or null, and the reason. */
static void no_sock_diag(json_t *run)
{
    results_samples_unread(
        json_object_get(run, "samples"), "harness-server: TCP_INFO on its listener, SIOCINQ",
        "not read: the halves were run by hand, with no harness-run beside the server");
}

/* The one run, built from the two sides' events as the runner builds its
 * own; the point and its sweep values as the runner records them, what
 * harness-compare matches points by (new reference). */
static json_t *merged_run(const struct halves *h, json_t *params, size_t repeat)
{
    json_t *sweep = json_object_get(h->server, "sweep");
    json_t *kernel_server = json_object_get(h->server, "kernel");
    json_t *kernel_client = json_object_get(h->client, "kernel");
    json_t *sum = h->same_netns ? NULL : counters_sum_json(kernel_server, kernel_client);
    struct run_inputs in = {
        .point = json_integer_value(json_object_get(h->server, "point")),
        .repeat = repeat,
        .sweep = sweep ? json_deep_copy(sweep) : json_object(),
        .params = params,
        .server_ready = json_object_get(h->server, "ready"),
        .server_events = json_object_get(h->server, "events"),
        .client_events = client_events_on_server_clock(h, clock_offset_us(h)),
        .kernel = h->same_netns ? kernel_server : sum,
        .kernel_scope = "by_hand",
        .kernel_release = json_string_value(json_object_get(h->server_env, "kernel")),
        .sysctls = json_object_get(h->server, "sysctls"),
        .kernel_server = h->same_netns ? NULL : kernel_server,
        .kernel_client = h->same_netns ? NULL : kernel_client,
        .client_sysctls = h->same_netns ? NULL : json_object_get(h->client, "sysctls"),
        /* by hand each side polls from its own start; on one machine the
         * two starts compare exactly */
        .start_order = h->same_host ? json_pack("{s:i,s:I}", "server_started_us", 0,
                                                "client_started_us", clock_offset_us(h))
                                    : NULL,
    };
    json_t *run = results_run_from_events(&in);
    no_sock_diag(run);
    json_decref(in.sweep);
    json_decref(in.client_events);
    json_decref(in.start_order);
    json_decref(sum);
    return run;
}

/* The client's start minus the server's, in microseconds. Each side
 * stamps its events from its own start. On one machine CLOCK_MONOTONIC is
 * shared, so the offset between the two starts is exact; across machines
 * only CLOCK_REALTIME relates them, as well as NTP keeps the two in
 * step. */
static json_int_t clock_offset_us(const struct halves *h)
{
    json_t *server_clock = json_object_get(h->server, "clock");
    json_t *client_clock = json_object_get(h->client, "clock");
    if (h->same_host)
        return (json_integer_value(json_object_get(client_clock, "start_ns")) -
                json_integer_value(json_object_get(server_clock, "start_ns"))) /
               1000;
    return json_integer_value(json_object_get(client_clock, "start_realtime_us")) -
           json_integer_value(json_object_get(server_clock, "start_realtime_us"));
}

/* What the halves of one run say of how they were made: both sides'
 * environments, addresses, the point and the clocks (new reference). */
static json_t *by_hand(const struct halves *h)
{
    return json_pack(
        "{s:O,s:O,s:s?,s:s?,s:O?,s:{s:b,s:b,s:I,s:s,s:b}}", "server", h->server_env, "client",
        h->client_env, "server_address", json_string_value(json_object_get(h->server, "address")),
        "client_address", json_string_value(json_object_get(h->client, "address")), "point",
        json_object_get(h->server, "point"), "clock", "same_host", h->same_host, "same_netns",
        h->same_netns, "client_start_minus_server_us", clock_offset_us(h), "offset_from",
        h->same_host ? "CLOCK_MONOTONIC" : "CLOCK_REALTIME", "client_times_from_server_start",
        h->same_host);
}

/* The first run's server's environment as a runner's, with its halves'
 * in "by_hand"; of more than one run, by_hand.repeats holds each run's
 * (new reference). */
static json_t *merged_environment(const struct halves *h, size_t pairs)
{
    json_t *environment = json_deep_copy(h->server_env);
    json_t *first = by_hand(h);
    json_object_del(environment, "boot_id");
    json_object_del(environment, "netns");
    json_object_set(environment, "sysctls", json_object_get(h->server, "sysctls"));
    if (!json_object_get(environment, "private_netns"))
        json_object_set_new(environment, "private_netns", json_false());
    if (pairs > 1) {
        json_t *repeats = json_array();
        for (size_t r = 0; r < pairs; r++)
            json_array_append_new(repeats, by_hand(&h[r]));
        json_object_set_new(first, "repeats", repeats);
    }
    json_object_set_new(environment, "by_hand", first);
    return environment;
}

/* The results object of the runs; "points" and "repeat" as a
 * runner-made file of the scenario says them: the scenario's, of which
 * this file holds one point's runs (s, when loaded), else 1 point and as
 * many repeats as runs. runs is taken over. */
static json_t *merged_results(const struct halves *h, size_t pairs, json_t *params,
                              const struct scenario *s, int loaded, json_t *runs)
{
    json_t *scenario = json_object_get(h->server, "scenario");
    const char *file = json_string_value(json_object_get(h->server, "scenario_file"));
    json_t *no_plots = json_array();
    int repeat = scenario && loaded ? s->repeat : (int)pairs;
    json_t *results = json_pack(
        "{s:s,s:s,s:s,s:s,s:O,s:o,s:O,s:I,s:i,s:o,s:[]}", "format", RESULTS_FORMAT, "scenario_file",
        file ? file : "", "name", loaded ? s->name : "by-hand", "description",
        loaded ? s->description : "", "scenario", scenario ? scenario : params, "environment",
        merged_environment(h, pairs), "plots", loaded ? s->plots : no_plots, "points",
        (json_int_t)(loaded ? s->point_count : 1), "repeat", repeat, "runs", runs, "skipped");
    json_decref(no_plots);
    return results;
}

/* One half, by its machine and its start: the same file given twice. */
static int same_half(const json_t *a, const json_t *b)
{
    const json_t *x = json_object_get(a, "clock"), *y = json_object_get(b, "clock");
    return same_string(json_object_get(a, "environment"), json_object_get(b, "environment"),
                       "boot_id") &&
           json_equal(json_object_get(x, "start_ns"), json_object_get(y, "start_ns"));
}

static int same_value(const json_t *a, const json_t *b)
{
    return a && b ? json_equal((json_t *)a, (json_t *)b) : a == b;
}

/* Run r's halves are another repeat of run 0's point: the same scenario
 * (by content), point and params, and neither half one given before. */
static int check_repeat(const struct halves *h, size_t r, char *const *paths, struct hl_error *err)
{
    const json_t *first = h[0].server, *server = h[r].server;
    const char *file = json_string_value(json_object_get(first, "scenario_file"));
    if (!same_value(json_object_get(first, "scenario"), json_object_get(server, "scenario")) ||
        !same_value(json_object_get(first, "point"), json_object_get(server, "point")))
        return hl_error_set(err, paths[2 * r],
                            "not of the point of %s (the first pair: point %" JSON_INTEGER_FORMAT
                            " of %s), but of another point or scenario: the pairs of halves "
                            "given to --merge are the repeats of one point",
                            paths[0], json_integer_value(json_object_get(first, "point")),
                            file ? file : "no scenario");
    json_t *a = merged_params(&h[0]), *b = merged_params(&h[r]);
    int same = json_equal(a, b);
    json_decref(a);
    json_decref(b);
    if (!same)
        return hl_error_set(err, paths[2 * r],
                            "its run's params differ from those of %s (the first pair): the "
                            "repeats of a point run with the same params",
                            paths[0]);
    for (size_t q = 0; q < r; q++) {
        for (int side = 0; side < 2; side++) {
            const json_t *x = side ? h[q].client : h[q].server;
            const json_t *y = side ? h[r].client : h[r].server;
            if (same_half(x, y))
                return hl_error_set(err, paths[2 * r + (size_t)side],
                                    "the same %s's half as %s: each repeat is a run of its own",
                                    side ? "client" : "server", paths[2 * q + (size_t)side]);
        }
    }
    return 0;
}

/* The pairs of halves loaded and checked to be repeats of one point. */
static int load_pairs(struct halves *h, char *const *paths, size_t pairs, struct hl_error *err)
{
    int rc = 0;
    for (size_t r = 0; rc == 0 && r < pairs; r++) {
        rc = load_halves(&h[r], paths[2 * r], paths[2 * r + 1], err);
        if (rc == 0 && r > 0)
            rc = check_repeat(h, r, paths, err);
    }
    return rc;
}

/* Made from a scenario, no more runs than its repeat. */
static int check_pair_count(const struct halves *h, size_t pairs, const struct scenario *s,
                            char *const *paths, struct hl_error *err)
{
    if (!json_object_get(h->server, "scenario") || pairs <= (size_t)s->repeat)
        return 0;
    return hl_error_set(err, paths[2 * (size_t)s->repeat],
                        "%zu pairs of halves, where scenario \"%s\" measures each point %d "
                        "time%s (its \"repeat\"): give at most one pair per repeat",
                        pairs, s->name, s->repeat, s->repeat == 1 ? "" : "s");
}

int half_merge(char *const *paths, size_t pairs, json_t **results, struct hl_error *err)
{
    struct halves *h = calloc(pairs ? pairs : 1, sizeof *h);
    struct scenario s;
    json_t *params = NULL;
    int rc = h ? 0 : hl_error_setn(err, ENOMEM, "merge", "out of memory");
    *results = NULL;
    memset(&s, 0, sizeof s);
    if (rc || (rc = load_pairs(h, paths, pairs, err)))
        goto done;
    params = merged_params(&h[0]);
    int loaded = merged_scenario(h[0].server, params, &s, paths[0], err);
    if (loaded < 0 || (rc = check_pair_count(h, pairs, &s, paths, err))) {
        rc = loaded < 0 ? loaded : rc;
        goto done;
    }
    json_t *runs = json_array();
    for (size_t r = 0; r < pairs; r++)
        json_array_append_new(runs, merged_run(&h[r], params, r));
    *results = merged_results(h, pairs, params, &s, loaded, runs);
    if (!*results)
        rc = hl_error_setn(err, ENOMEM, "merge", "cannot build the results");
    else
        results_add_derived(*results);
done:
    scenario_free(&s);
    json_decref(params);
    for (size_t r = 0; h && r < pairs; r++) {
        json_decref(h[r].server);
        json_decref(h[r].client);
    }
    free(h);
    return rc;
}
