/* main.c: the end-to-end tests, one per kernel fact; ctest runs each by
 * name (`e2e backlog_handshakes`). Exit 0 pass, 1 fail, 77 skip. */
#include <stdio.h>
#include <string.h>

#include "e2e.h"

/* The tests and their marks: tests.def. */
enum { HOST, NETNS };
/* in the order of alone.h's kinds: ALONE_NO, ALONE_LOADS_CPU, ALONE_TIMING */
enum { SHARED, HEAVY, TIMING };
static const char *const load_names[] = {"SHARED", "HEAVY", "TIMING"};

#define X(name, where, load) int test_##name(void);
#include "tests.def"
#undef X

static const struct {
    const char *name;
    int (*run)(void);
    int needs_netns, load;
} tests[] = {
#define X(name, where, load) {#name, test_##name, where == NETNS, load},
#include "tests.def"
#undef X
};

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--list") == 0) {
        for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++)
            printf("%s %s\n", tests[i].name, load_names[tests[i].load]);
        return 0;
    }
    if (argc != 2) {
        fprintf(stderr, "usage: e2e TEST | --list\n");
        return 2;
    }
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        if (strcmp(tests[i].name, argv[1]) != 0)
            continue;
        if (tests[i].needs_netns && e2e_require_netns())
            return E2E_SKIP;
        int rc = tests[i].run();
        if (rc != E2E_SKIP && tests[i].load != e2e_load_seen) {
            fprintf(stderr,
                    "FAIL: marked %s in tests/e2e/tests.def, but its points ask for %s%s%s%s\n",
                    load_names[tests[i].load], load_names[e2e_load_seen], e2e_load_seen ? " (" : "",
                    e2e_load_seen ? e2e_load_why : "", e2e_load_seen ? ")" : "");
            rc = 1;
        }
        if (rc == E2E_SKIP) { /* it said why */
            fprintf(stderr, "%s: skipped\n", tests[i].name);
            return E2E_SKIP;
        }
        fprintf(stderr, "%s: %s\n", tests[i].name, rc ? "FAILED" : "passed");
        return rc ? 1 : 0;
    }
    fprintf(stderr, "e2e: no test named %s (see --list)\n", argv[1]);
    return 2;
}
