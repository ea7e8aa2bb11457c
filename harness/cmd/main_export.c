/* harness-export: a results file as CSV for spreadsheets, pandas and R:
 * DIR/runs.csv (one row per run) and DIR/connections.csv (one row per
 * connection), flattened and written both or neither (export.h).
 *
 * Exit status: 0 written, 1 the files could not be written, 2 bad usage or
 * an unreadable file, not a results file or one of another format (FILE:
 * what is wrong; nothing written). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "error.h"
#include "export.h"
#include "options.h"
#include "version.h"

enum export_option_id { OPTION_CSV, OPTION_QUIET, OPTION_HELP, OPTION_VERSION };

/* Every option, in the order --help lists them. */
static const struct option_spec export_options[] = {
    {OPTION_CSV, 0, "csv", "DIR",
     "write DIR/runs.csv and DIR/connections.csv (DIR made if\n"
     "missing; files of an earlier export replaced)"},
    {OPTION_QUIET, 'q', "quiet", NULL, "no line saying what was written"},
    {OPTION_HELP, 'h', "help", NULL, "show this help"},
    {OPTION_VERSION, 0, "version", NULL, "show the version"},
};

#define EXPORT_OPTION_COUNT (sizeof export_options / sizeof export_options[0])

static void usage(FILE *out)
{
    fputs("Usage: harness-export RESULTS.json --csv DIR [-q] [--help] [--version]\n"
          "Write a results file's runs and connections as CSV tables, with a header\n"
          "row, for spreadsheets, pandas and R: DIR/runs.csv has one row per run\n"
          "(point, repeat, then every field of its params, effective, summary and\n"
          "sweep, named by its dotted path: params.server.backlog,\n"
          "summary.kernel.ListenOverflows), DIR/connections.csv one row per\n"
          "connection (point, repeat, conn, then its fields). The columns are every\n"
          "field any row has, sorted by name; a missing or null value is an empty\n"
          "cell, a list its JSON text.\n\n",
          out);
    options_print(out, export_options, EXPORT_OPTION_COUNT, 17);
    fputs("\nIn pandas: runs = pandas.read_csv(\"DIR/runs.csv\"), then e.g.\n"
          "runs.groupby(\"params.server.backlog\")[\"summary.connected\"].median().\n\n"
          "Exit status: 0 written, 1 the files could not be written, 2 bad usage or\n"
          "an unreadable, invalid or newer results file (nothing written).\n",
          out);
}

/* What the command line asks for. */
struct export_command {
    const char *results_file, *csv_dir;
    int quiet;
};

/* Fills cmd; returns -1 to go on, else the exit status (help or version
 * shown, or a mistake reported). */
static int parse_command_line(int argc, char **argv, struct export_command *cmd)
{
    struct options parser;
    struct hl_error err;
    const char *value;
    char message[2048];
    int id;

    memset(cmd, 0, sizeof *cmd);
    options_init(&parser, export_options, EXPORT_OPTION_COUNT, argc, argv);
    while ((id = options_next(&parser, &value, &err)) != OPTIONS_END) {
        switch (id) {
        case OPTIONS_ERROR:
            fprintf(stderr, "harness-export: %s\n", hl_error_format(&err, message, sizeof message));
            return 2;
        case OPTION_HELP:
            usage(stdout);
            return 0;
        case OPTION_VERSION:
            printf("harness-export %s\n", HARNESS_VERSION);
            return 0;
        case OPTION_CSV:
            cmd->csv_dir = value;
            break;
        case OPTION_QUIET:
            cmd->quiet = 1;
            break;
        case OPTIONS_OPERAND:
            if (cmd->results_file) {
                fprintf(stderr, "harness-export: one results file at a time (got %s and %s)\n",
                        cmd->results_file, value);
                return 2;
            }
            cmd->results_file = value;
            break;
        }
    }
    if (!cmd->results_file || !cmd->csv_dir) {
        fprintf(stderr, "harness-export: %s\n",
                !cmd->results_file ? "which results file? (see --help)"
                                   : "--csv DIR: where to write? (see --help)");
        return 2;
    }
    return -1;
}

/* The results file, or NULL once said why. */
static json_t *load_results(const char *path)
{
    json_error_t jerr;
    FILE *f = fopen(path, "re");
    json_t *results;
    if (!f) {
        fprintf(stderr, "%s: cannot read: %s\n", path, strerror(errno));
        return NULL;
    }
    results = json_loadf(f, JSON_REJECT_DUPLICATES, &jerr);
    fclose(f);
    if (!results)
        fprintf(stderr, "%s: not valid JSON at line %d, column %d: %s\n", path, jerr.line,
                jerr.column, jerr.text);
    return results;
}

/* Builds both tables, then writes them; the exit status. */
static int export(const struct export_command *cmd, const json_t *results)
{
    struct export_tables tables;
    struct hl_error err;
    char message[2048];
    int rc, status = 0;

    hl_error_clear(&err);
    rc = export_tables_build(&tables, results, &err);
    if (rc) {
        fprintf(stderr, "%s: %s\n", cmd->results_file,
                hl_error_format(&err, message, sizeof message));
        status = rc == -ENOMEM ? 1 : 2;
    } else if (export_csv_write(&tables, cmd->csv_dir, &err)) {
        fprintf(stderr, "harness-export: %s\n", hl_error_format(&err, message, sizeof message));
        status = 1;
    } else if (!cmd->quiet) {
        fprintf(stderr,
                "harness-export: wrote %s/runs.csv (%zu runs, %zu columns) and "
                "%s/connections.csv (%zu connections, %zu columns)\n",
                cmd->csv_dir, json_array_size(tables.runs.rows), tables.runs.column_count,
                cmd->csv_dir, json_array_size(tables.connections.rows),
                tables.connections.column_count);
    }
    export_tables_free(&tables);
    return status;
}

int main(int argc, char **argv)
{
    struct export_command cmd;
    json_t *results;
    int status = parse_command_line(argc, argv, &cmd);

    if (status >= 0)
        return status;
    results = load_results(cmd.results_file);
    if (!results)
        return 2;
    status = export(&cmd, results);
    json_decref(results);
    return status;
}
