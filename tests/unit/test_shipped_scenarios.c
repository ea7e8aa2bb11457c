/* test_shipped_scenarios.c: every scenarios/<name>.json loads, every point of it
 * validates, and every point survives the trip to the children (params as
 * JSON text, read back by params_from_json_text, as harness-server and
 * harness-client do). A validator change that breaks a shipped scenario
 * fails here, long before `make experiments` would. schema.json and
 * TEMPLATE.json are skipped, as `make experiments` skips them.
 *
 *   test_shipped_scenarios SCENARIO_DIR */
#include <dirent.h>
#include <jansson.h>

#include "check.h"
#include "scenario.h"

static void check_scenario(const char *path)
{
    struct scenario s;
    struct hl_error err;
    char message[2048];
    int rc = scenario_load(&s, path, &err);
    CHECK_INT(rc, 0);
    if (rc) {
        fprintf(stderr, "  %s\n", hl_error_format(&err, message, sizeof message));
        scenario_free(&s);
        return;
    }
    CHECK(s.point_count >= 1);
    CHECK(s.name[0] != '\0');
    CHECK(json_array_size(s.plots) >= 1);
    for (size_t i = 0; i < s.point_count; i++) {
        struct point_params p, back;
        rc = scenario_point(&s, i, &p, NULL, &err);
        CHECK_INT(rc, 0);
        if (rc)
            continue;
        json_t *json = params_to_json(&p);
        char *text = json_dumps(json, JSON_COMPACT);
        rc = params_from_json_text(text, "params", &back, &err);
        CHECK_INT(rc, 0);
        if (rc) {
            fprintf(stderr, "  %s point %zu: %s\n", path, i,
                    hl_error_format(&err, message, sizeof message));
        } else {
            json_t *again = params_to_json(&back);
            CHECK(json_equal(json, again));
            json_decref(again);
        }
        free(text);
        json_decref(json);
    }
    printf("%s: %zu points\n", path, s.point_count);
    scenario_free(&s);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s SCENARIO_DIR\n", argv[0]);
        return 2;
    }
    DIR *dir = opendir(argv[1]);
    if (!dir) {
        perror(argv[1]);
        return 2;
    }
    size_t count = 0;
    struct dirent *entry;
    while ((entry = readdir(dir))) {
        size_t n = strlen(entry->d_name);
        if (n <= 5 || strcmp(entry->d_name + n - 5, ".json") != 0)
            continue;
        /* not scenarios: `make experiments` leaves them out too
         * (Makefile.experiments) */
        if (strcmp(entry->d_name, "schema.json") == 0 ||
            strcmp(entry->d_name, "TEMPLATE.json") == 0)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", argv[1], entry->d_name);
        check_scenario(path);
        count++;
    }
    closedir(dir);
    CHECK(count > 0); /* an empty or wrong directory must not pass */
    return check_exit();
}
