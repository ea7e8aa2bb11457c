/* test_compare.c: harness-compare on real runs.
 *
 * compare_known_difference: the same scenario run twice compares with
 * nothing marked (the marking rule leaves room for what varies from run to
 * run on one kernel), and run with somaxconn 8 instead of 4096 marks
 * exactly the point where somaxconn caps the backlog (listen(16): 12
 * handshakes against 9), connected among its fields, and not the point it
 * does not cap (listen(4): 5 both times). The overlay plots and the page
 * are written, and the page is valid HTML whose links all resolve. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "e2e.h"

/* Runs the scenario at path into dir/compare-clamp.json. */
static int run_into(const char *path, const char *dir)
{
    char output[1024];
    mkdir(dir, 0755);
    snprintf(output, sizeof output, "%s/compare-clamp.json", dir);
    int rc = e2e_run(path, output, NULL);
    CHECK(rc == 0, "harness-run %s: exit %d: %s", path, rc, e2e_last_stderr());
    return rc;
}

/* harness-compare a b -o out [extra]; returns compare.json, or NULL. */
static json_t *compare(const char *a, const char *b, const char *out, const char *extra,
                       char *printed, size_t size)
{
    char *argv[] = {(char *)e2e_binary("harness-compare"),
                    (char *)a,
                    (char *)b,
                    "-o",
                    (char *)out,
                    "-q",
                    (char *)extra,
                    NULL};
    int rc = e2e_exec(argv, printed, size);
    CHECK(rc == 0, "harness-compare %s %s: exit %d: %s", a, b, rc, printed);
    char path[1024];
    snprintf(path, sizeof path, "%s/compare.json", out);
    json_error_t jerr;
    json_t *c = json_load_file(path, 0, &jerr);
    CHECK(c != NULL, "%s: %s", path, jerr.text);
    return c;
}

/* The matched point whose sweep has server.backlog = backlog. */
static json_t *point_with_backlog(json_t *scenario, long long backlog)
{
    json_t *p;
    size_t i;
    json_array_foreach(jget(scenario, "points"), i, p)
    {
        if (json_integer_value(json_object_get(jget(p, "sweep"), "server.backlog")) == backlog)
            return p;
    }
    return NULL;
}

int test_compare_known_difference(void)
{
    const char *tmp = e2e_temp_dir();
    char dir_a[512], dir_again[512], dir_b[512], scenario_b[600], out[512], printed[8192];

    /* B: the same scenario (the same name: the same file name) with
     * somaxconn 8 */
    json_error_t jerr;
    json_t *s = json_load_file(e2e_scenario("compare-clamp"), 0, &jerr);
    if (!s) {
        CHECK(0, "%s", jerr.text);
        return 1;
    }
    snprintf(dir_b, sizeof dir_b, "%s/b", tmp);
    mkdir(dir_b, 0755);
    snprintf(scenario_b, sizeof scenario_b, "%s/compare-clamp.json", dir_b);
    json_object_set_new(json_object_get(s, "sysctls"), "net.core.somaxconn", json_integer(8));
    CHECK(json_dump_file(s, scenario_b, JSON_INDENT(2)) == 0, "writing %s", scenario_b);
    json_decref(s);

    snprintf(dir_a, sizeof dir_a, "%s/a", tmp);
    snprintf(dir_again, sizeof dir_again, "%s/a-again", tmp);
    if (run_into(e2e_scenario("compare-clamp"), dir_a) ||
        run_into(e2e_scenario("compare-clamp"), dir_again))
        return 1;
    /* the B results beside B's scenario: harness-compare takes only
     * results files from a directory (a scenario is passed over) */
    if (run_into(scenario_b, dir_b))
        return 1;

    /* a set with itself, and with a rerun: nothing marked */
    snprintf(out, sizeof out, "%s/self", tmp);
    json_t *c = compare(dir_a, dir_a, out, "--no-plots", printed, sizeof printed);
    if (c)
        CHECK_EQ(jint(c, "marked"), 0, "marked comparing a set with itself");
    json_decref(c);
    snprintf(out, sizeof out, "%s/rerun", tmp);
    c = compare(dir_a, dir_again, out, "--no-plots", printed, sizeof printed);
    if (c) {
        CHECK_EQ(jint(c, "marked"), 0, "marked comparing two runs of one scenario");
        CHECK_EQ(json_array_size(jget(c, "scenarios.0.points")), 2, "points matched");
    }
    json_decref(c);

    /* somaxconn 4096 vs 8: exactly listen(16) marked */
    snprintf(out, sizeof out, "%s/known", tmp);
    c = compare(dir_a, dir_b, out, NULL, printed, sizeof printed);
    if (!c)
        return 1;
    CHECK_EQ(json_array_size(jget(c, "scenarios")), 1, "scenarios compared");
    CHECK_EQ(jint(c, "scenarios_marked"), 1, "scenarios with a marked difference");
    json_t *scenario = jget(c, "scenarios.0");
    CHECK_EQ(jint(scenario, "points_marked"), 1, "points marked");
    json_t *p4 = point_with_backlog(scenario, 4), *p16 = point_with_backlog(scenario, 16);
    CHECK(p4 && p16, "both points matched");
    if (p4 && json_array_size(jget(p4, "marked"))) {
        char *marked = json_dumps(jget(p4, "fields"), JSON_COMPACT);
        CHECK(0, "fields marked at listen(4): %s", marked ? marked : "?");
        free(marked);
    }
    if (p16) {
        CHECK(json_is_true(jget(p16, "fields.connected.marked")), "connected not marked");
        CHECK_EQ(jint(p16, "fields.connected.a.median"), 12, "A connected at listen(16)");
        CHECK_EQ(jint(p16, "fields.connected.b.median"), 9, "B connected at listen(16)");
        /* the other marks follow from the same three handshakes */
        json_t *name;
        size_t i;
        json_array_foreach(jget(p16, "marked"), i, name)
        {
            const char *f = json_string_value(name);
            CHECK(strcmp(f, "connected") == 0 || strcmp(f, "timed_out") == 0 ||
                      strcmp(f, "timed_out_by.harness") == 0 ||
                      strcmp(f, "kernel.ListenOverflows") == 0 ||
                      strcmp(f, "kernel.ListenDrops") == 0,
                  "an unexpected field marked: %s", f);
        }
    }
    CHECK(strstr(json_string_value(jget(scenario, "labels.a")), "somaxconn=4096") != NULL,
          "label A: %s", json_string_value(jget(scenario, "labels.a")));
    CHECK(strstr(json_string_value(jget(scenario, "labels.b")), "somaxconn=8") != NULL,
          "label B: %s", json_string_value(jget(scenario, "labels.b")));
    CHECK(strstr(printed, "compare-clamp: 2 points compared, ") != NULL, "printed: %s", printed);
    CHECK(strstr(printed, "connected 12 -> 9") != NULL, "printed: %s", printed);

    /* the overlays (outcomes, handshakes, latency, accept_queue per point)
     * and a valid page */
    static const char *const plots[] = {"outcomes", "handshakes", "latency", "accept_queue-p0",
                                        "accept_queue-p1"};
    for (size_t i = 0; i < sizeof plots / sizeof plots[0]; i++) {
        char png[1024], svg[1024];
        struct stat st;
        snprintf(png, sizeof png, "%s/compare-clamp/%s.png", out, plots[i]);
        snprintf(svg, sizeof svg, "%s/compare-clamp/%s.svg", out, plots[i]);
        CHECK(stat(png, &st) == 0 && st.st_size > 0, "no %s", png);
        CHECK(stat(svg, &st) == 0 && st.st_size > 0, "no %s", svg);
    }
    char page[1024], checker[1024], said[8192];
    snprintf(page, sizeof page, "%s/index.html", out);
    snprintf(checker, sizeof checker, "%s/tests/report/markup_check",
             getenv("HARNESS_BIN_DIR") ? getenv("HARNESS_BIN_DIR") : ".");
    char *argv[] = {checker, "--html", page, NULL};
    int rc = e2e_exec(argv, said, sizeof said);
    CHECK(rc == 0, "markup_check --html %s: exit %d: %s", page, rc, said);
    char *html = e2e_read_file(page);
    CHECK(html && strstr(html, "class=\"n marked\""), "no marked cell in %s", page);
    free(html);
    json_decref(c);
    return e2e_failures != 0;
}
