/* fuzz_scenario.c: a libFuzzer target for the scenario parser and
 * validator (scenario_load_text, scenario_point, params).
 *
 * Each input is the bytes of a scenario file. Besides no crash, no leak and
 * no undefined behaviour (AddressSanitizer, LeakSanitizer, UBSan), it
 * checks what the harness promises for every input:
 *   - a rejected scenario gets one message, on one line, that says where
 *     (the file, with line:col or a key path) and what;
 *   - an accepted one has at least one point, and every point expands;
 *   - a point's params survive the trip to the server and the client
 *     (params_to_json, text, params_from_json_text: the same JSON), so a
 *     scenario the runner accepts is never refused by its children.
 * A broken promise aborts, and libFuzzer keeps the input.
 *
 * Build: cmake -DCMAKE_C_COMPILER=clang -DHARNESS_FUZZ=ON; run: fuzz/run. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "params.h"
#include "scenario.h"

/* Enough points to reach every sweep key's values without making a
 * 10,000-point scenario cost seconds per input. */
#define POINTS_CHECKED 64

static void broken(const char *promise, const char *detail)
{
    fprintf(stderr, "fuzz_scenario: broken promise: %s: %s\n", promise, detail);
    abort();
}

static void check_point(const struct scenario *s, size_t index)
{
    struct point_params params, back;
    struct hl_error err;
    json_t *sweep = NULL;
    char label[512], message[2048];

    hl_error_clear(&err);
    if (scenario_point(s, index, &params, &sweep, &err))
        broken("every point of a valid scenario expands", hl_error_format(&err, message, 2048));
    scenario_point_label(sweep, label, sizeof label);
    json_t *json = params_to_json(&params);
    char *text = json_dumps(json, JSON_COMPACT);
    if (!text)
        broken("params_to_json gives JSON", label);
    if (params_from_json_text(text, "params", &back, &err))
        broken("the children accept a point's params", hl_error_format(&err, message, 2048));
    json_t *again = params_to_json(&back);
    if (!json_equal(json, again))
        broken("params survive the trip to the children", text);
    json_decref(again);
    json_decref(json);
    json_decref(sweep);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct scenario s;
    struct hl_error err;
    char message[2048];

    hl_error_clear(&err);
    if (scenario_load_text(&s, "fuzz.json", (const char *)data, size, &err)) {
        hl_error_format(&err, message, sizeof message);
        if (!err.what[0] || strncmp(err.where, "fuzz.json", 9) != 0)
            broken("a message says where and what", message);
        if (strchr(message, '\n') || strchr(message, '\r'))
            broken("a message is one line", message);
    } else {
        if (s.point_count == 0)
            broken("a valid scenario has a point", "point_count is 0");
        for (size_t i = 0; i < s.point_count && i < POINTS_CHECKED; i++)
            check_point(&s, i);
        if (s.point_count > POINTS_CHECKED)
            check_point(&s, s.point_count - 1);
    }
    scenario_free(&s);
    return 0;
}
