/* params_arrival.c: see params_parse.h. "client.arrival": "all", or
 * {"rate_per_sec": R, "process": "constant" | "poisson", "seed": S}. */
#include "keys.h"
#include "params_parse.h"

#include <string.h>

#define ARRIVAL_MAX_RATE 100000
#define ARRIVAL_EXAMPLE "\"all\" or {\"rate_per_sec\": 100, \"process\": \"poisson\", \"seed\": 1}"

static int parse_process(struct validator *v, json_t *value, enum arrival_kind *out)
{
    /* keys_arrival_process_words: constant, poisson, in the enum's order
     * from ARRIVAL_CONSTANT */
    int word = (int)*out - ARRIVAL_CONSTANT;
    int rc = validator_word(v, "client.arrival.process", value, keys_arrival_process_words, &word);
    *out = (enum arrival_kind)(word + ARRIVAL_CONSTANT);
    return rc;
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
        (rc =
             validator_get_int(v, value, path, "seed", 0, 9007199254740991LL, 1,
                               "the Poisson process's seed: the same seed, the same arrivals", &n)))
        return rc;
    out->seed = (uint64_t)n;
    return 0;
}
