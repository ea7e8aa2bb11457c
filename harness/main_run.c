/* harness-run: validate a scenario, run its points, write its results.
 * Exit status: 0 done, 1 a run failed (nothing written), 2 invalid
 * scenario or options (nothing written). */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "results.h"
#include "runner.h"
#include "scenario.h"
#include "version.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: harness-run SCENARIO.json [-o RESULTS.json] [OPTION]...\n"
            "Run every point of a scenario (sweep x repeat), each in a private network\n"
            "namespace, and write one results file atomically.\n\n"
            "  -o, --output FILE   results file (default: results/<scenario>.json)\n"
            "  --no-netns          run on the host's network stack (no sysctls allowed)\n"
            "  -q, --quiet         no progress lines\n"
            "  -h, --help          show this help\n"
            "  --version           show the version\n\n"
            "Exit status: 0 done, 1 a run failed (nothing written),\n"
            "2 invalid scenario or options (FILE:LINE:COL: what is wrong; nothing written).\n");
}

static void default_output(const char *scenario_file, char *out, size_t size)
{
    const char *base =
        strrchr(scenario_file, '/') ? strrchr(scenario_file, '/') + 1 : scenario_file;
    size_t stem = strlen(base);
    if (stem > 5 && strcmp(base + stem - 5, ".json") == 0)
        stem -= 5;
    snprintf(out, size, "results/%.*s.json", (int)stem, base);
}

int main(int argc, char **argv)
{
    const char *scenario_file = NULL, *output = NULL;
    struct runner_options options = {.use_netns = 1};
    char default_path[PATH_MAX], exe[PATH_MAX], message[4096];
    struct hl_error err;
    struct scenario scenario;
    json_t *results = NULL;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--version") == 0) {
            printf("harness-run %s\n", HARNESS_VERSION);
            return 0;
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
            if (++i == argc) {
                fprintf(stderr, "harness-run: %s needs a file name\n", a);
                return 2;
            }
            output = argv[i];
        } else if (strcmp(a, "--no-netns") == 0) {
            options.use_netns = 0;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            options.quiet = 1;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "harness-run: unknown option %s (see --help)\n", a);
            return 2;
        } else if (!scenario_file) {
            scenario_file = a;
        } else {
            fprintf(stderr, "harness-run: one scenario at a time (got %s and %s)\n", scenario_file,
                    a);
            return 2;
        }
    }
    if (!scenario_file) {
        usage(stderr);
        return 2;
    }
    if (scenario_load(&scenario, scenario_file, &err)) {
        fprintf(stderr, "%s\n", hl_error_format(&err, message, sizeof message));
        scenario_free(&scenario);
        return 2;
    }
    if (!output) {
        default_output(scenario_file, default_path, sizeof default_path);
        output = default_path;
    }
    if (results_check_writable(output, &err)) {
        fprintf(stderr, "harness-run: %s\n", hl_error_format(&err, message, sizeof message));
        scenario_free(&scenario);
        return 1;
    }
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = '\0';
    options.bin_dir = dirname(exe);

    int rc = runner_run(&options, &scenario, &results, &err);
    if (rc) {
        fprintf(stderr, "harness-run: %s\n", hl_error_format(&err, message, sizeof message));
        scenario_free(&scenario);
        return rc == -EINTR ? 130 : 1;
    }
    rc = results_write_atomic(output, results, &err);
    json_decref(results);
    scenario_free(&scenario);
    if (rc) {
        fprintf(stderr, "harness-run: %s\n", hl_error_format(&err, message, sizeof message));
        return 1;
    }
    if (!options.quiet)
        fprintf(stderr, "harness-run: wrote %s\n", output);
    return 0;
}
