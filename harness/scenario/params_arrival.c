/* params_arrival.c: see params_parse.h. "client.arrival": "all", or
 * {"rate_per_sec": R, "process": "constant" | "poisson", "seed": S}. */
#include "keys.h"
#include "params_parse.h"
#include "suggest.h"

#include <string.h>

#define ARRIVAL_MAX_RATE 100000
#define ARRIVAL_EXAMPLE "\"all\" or {\"rate_per_sec\": 100, \"process\": \"poisson\", \"seed\": 1}"

static int parse_process(struct validator *v, json_t *value, enum arrival_kind *out)
{
    const char *path = "client.arrival.process";
    char text[96];
    if (!value)
        return 0;
    if (json_is_string(value) && strcmp(json_string_value(value), "constant") == 0) {
        *out = ARRIVAL_CONSTANT;
        return 0;
    }
    if (json_is_string(value) && strcmp(json_string_value(value), "poisson") == 0) {
        *out = ARRIVAL_POISSON;
        return 0;
    }
    const char *best = json_is_string(value)
                           ? suggest_word(json_string_value(value), keys_arrival_process_words)
                           : NULL;
    validator_describe(v, path, value, text, sizeof text);
    if (best)
        return validator_error(v, path, 0,
                               "expected \"constant\" or \"poisson\", got %s; did you mean \"%s\"?",
                               text, best);
    return validator_error(v, path, 0, "expected \"constant\" or \"poisson\", got %s", text);
}

int params_parse_arrival(struct validator *v, json_t *value, struct arrival *out)
{
    const char *path = "client.arrival";
    char text[96];
    long long n;
    int rc;
    if (!value)
        return 0;
    if (json_is_string(value) && strcmp(json_string_value(value), "all") == 0) {
        *out = (struct arrival){ARRIVAL_ALL, 0, 0};
        return 0;
    }
    if (!json_is_object(value)) {
        validator_describe(v, path, value, text, sizeof text);
        return validator_error(v, path, 0, "expected %s, got %s", ARRIVAL_EXAMPLE, text);
    }
    if ((rc = validator_known_keys(v, value, path, keys_client_arrival)))
        return rc;
    if (!json_object_get(value, "rate_per_sec"))
        return validator_error(v, path, 0, "rate_per_sec is missing; write %s", ARRIVAL_EXAMPLE);
    out->kind = ARRIVAL_CONSTANT;
    if ((rc = validator_get_int(v, value, path, "rate_per_sec", 1, ARRIVAL_MAX_RATE, 1,
                                "connections started per second", &n)))
        return rc;
    out->rate_per_sec = (uint32_t)n;
    if ((rc = parse_process(v, json_object_get(value, "process"), &out->kind)) ||
        (rc = validator_get_int(v, value, path, "seed", 0, 9007199254740991LL, 1,
                                "the Poisson process's seed: the same seed, the same arrivals",
                                &n)))
        return rc;
    out->seed = (uint64_t)n;
    return 0;
}
