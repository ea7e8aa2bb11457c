/* harness-report: RESULTS_DIR/index.html, the page that shows a directory
 * of results in a browser (report.h). make experiments and make compare
 * run it on results/.
 *
 * Exit status: 0 written, 1 the page could not be written, 2 bad usage or
 * an unreadable results directory (nothing written). */
#include <errno.h>
#include <stdio.h>

#include "error.h"
#include "options.h"
#include "report.h"
#include "resultset.h"
#include "version.h"

enum { OPTION_QUIET, OPTION_HELP, OPTION_VERSION };

static const struct option_spec options[] = {
    {OPTION_QUIET, 'q', "quiet", NULL, "no line saying what was written"},
    {OPTION_HELP, 'h', "help", NULL, "show this help"},
    {OPTION_VERSION, 0, "version", NULL, "show the version"},
};
#define OPTION_COUNT (sizeof options / sizeof options[0])

static void usage(FILE *out)
{
    fputs("Usage: harness-report [RESULTS_DIR] [-q] [--help]\n"
          "Write RESULTS_DIR/index.html (default: results/index.html): per results file\n"
          "its scenario's description, environment, summary per point and plots\n"
          "(<name>/*.png, linked to their SVG), with links to the raw JSON, the latest\n"
          "comparison (compare/index.html) and the reference sets. One static page:\n"
          "no server, no JavaScript.\n\n",
          out);
    options_print(out, options, OPTION_COUNT, 13);
    fputs("\nExit status: 0 written, 1 the page could not be written, 2 bad usage or an\n"
          "unreadable results directory or file.\n",
          out);
}

struct arguments {
    const char *dir; /* NULL: results */
    int quiet;
    int help;    /* --help came before anything wrong */
    int version; /* --version, likewise */
};

/* Reads the command line into args; stops at --help or --version. Returns 0, or a
 * negative value with err filled (bad usage). */
static int parse_arguments(int argc, char **argv, struct arguments *args, struct hl_error *err)
{
    struct options parser;
    const char *value;
    int id;
    options_init(&parser, options, OPTION_COUNT, argc, argv);
    while ((id = options_next(&parser, &value, err)) != OPTIONS_END) {
        if (id == OPTIONS_ERROR)
            return -EINVAL;
        if (id == OPTION_HELP) {
            args->help = 1;
            return 0;
        }
        if (id == OPTION_VERSION) {
            args->version = 1;
            return 0;
        }
        if (id == OPTION_QUIET)
            args->quiet = 1;
        else if (!args->dir)
            args->dir = value;
        else
            return hl_error_set(err, NULL, "one results directory at a time (got %s and %s)",
                                args->dir, value);
    }
    return 0;
}

/* Prints err after the program's name; returns status. */
static int fail(const struct hl_error *err, int status)
{
    char message[2048];
    fprintf(stderr, "harness-report: %s\n", hl_error_format(err, message, sizeof message));
    return status;
}

int main(int argc, char **argv)
{
    struct arguments args = {NULL, 0, 0, 0};
    struct resultset set;
    struct hl_error err;

    hl_error_clear(&err);
    if (parse_arguments(argc, argv, &args, &err))
        return fail(&err, 2);
    if (args.help) {
        usage(stdout);
        return 0;
    }
    if (args.version) {
        printf("harness-report %s\n", HARNESS_VERSION);
        return 0;
    }
    if (!args.dir)
        args.dir = "results";
    if (resultset_load(&set, args.dir, &err))
        return fail(&err, 2);
    if (report_results_page(&set, &err)) {
        resultset_free(&set);
        return fail(&err, 1);
    }
    if (!args.quiet)
        fprintf(stderr, "harness-report: wrote %s/index.html (%zu scenario%s)\n", args.dir,
                set.count, set.count == 1 ? "" : "s");
    resultset_free(&set);
    return 0;
}
