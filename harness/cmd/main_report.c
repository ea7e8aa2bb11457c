/* harness-report: RESULTS_DIR/index.html, the page that shows a directory
 * of results in a browser (report.h). make experiments and make compare
 * run it on results/.
 *
 * Exit status: 0 written, 1 the page could not be written, 2 bad usage or
 * an unreadable results directory (nothing written). */
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "report.h"
#include "resultset.h"

static void usage(FILE *out)
{
    fprintf(out, "usage: harness-report [RESULTS_DIR] [-q] [--help]\n"
                 "Write RESULTS_DIR/index.html (default: results/index.html): per results file\n"
                 "its scenario's description, environment, summary per point and plots\n"
                 "(<name>/*.png, linked to their SVG), with links to the raw JSON, the latest\n"
                 "comparison (compare/index.html) and the reference sets. One static page:\n"
                 "no server, no JavaScript.\n\n"
                 "  -q, --quiet   no line saying what was written\n"
                 "  -h, --help    show this help\n\n"
                 "Exit status: 0 written, 1 the page could not be written, 2 bad usage or an\n"
                 "unreadable results directory or file.\n");
}

int main(int argc, char **argv)
{
    const char *dir = NULL;
    int quiet = 0;
    struct resultset set;
    struct hl_error err;
    char message[2048];

    hl_error_clear(&err);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "-q") == 0 || strcmp(argv[i], "--quiet") == 0) {
            quiet = 1;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "harness-report: unknown option %s (see --help)\n", argv[i]);
            return 2;
        } else if (!dir) {
            dir = argv[i];
        } else {
            fprintf(stderr, "harness-report: one results directory at a time (got %s and %s)\n",
                    dir, argv[i]);
            return 2;
        }
    }
    if (!dir)
        dir = "results";
    if (resultset_load(&set, dir, &err)) {
        fprintf(stderr, "harness-report: %s\n", hl_error_format(&err, message, sizeof message));
        return 2;
    }
    if (report_results_page(&set, &err)) {
        fprintf(stderr, "harness-report: %s\n", hl_error_format(&err, message, sizeof message));
        resultset_free(&set);
        return 1;
    }
    if (!quiet)
        fprintf(stderr, "harness-report: wrote %s/index.html (%zu scenario%s)\n", dir, set.count,
                set.count == 1 ? "" : "s");
    resultset_free(&set);
    return 0;
}
