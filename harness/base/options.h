/* options.h: the one command-line parser of the seven programs.
 *
 * A program lists its options once, in a table of struct option_spec that
 * both the parser and the help read, so the help cannot miss an option.
 * GNU style: --name, --name=VALUE or --name VALUE; -x or -x VALUE. Anything
 * else (a lone "-" too) is an operand, and so is every argument after
 * "--". An option that takes a value takes the next argument whatever it
 * is (--backlog -1).
 *
 * The parser prints nothing: a mistake comes back as an hl_error whose
 * where is the option as typed and whose what says what is wrong, with
 * the nearest known option when there is one ("--chek": "unknown option;
 * did you mean --check? (see --help)"), for main to print and exit 2.
 *
 *   struct options o;
 *   options_init(&o, specs, count, argc, argv);
 *   while ((id = options_next(&o, &value, &err)) != OPTIONS_END) ...
 */
#ifndef HARNESS_OPTIONS_H
#define HARNESS_OPTIONS_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"

struct option_spec {
    int id;           /* what options_next returns for it (0 or more) */
    char short_name;  /* 'o' for -o; 0: none */
    const char *name; /* "output" for --output */
    const char *arg;  /* the value's name in the help ("FILE"); NULL: a flag */
    const char *help; /* one or more lines, separated by '\n' */
};

/* What options_next returns besides an option's id. */
enum { OPTIONS_END = -1, OPTIONS_OPERAND = -2, OPTIONS_ERROR = -3 };

struct options {
    const struct option_spec *specs;
    size_t count;
    int argc;
    char **argv;
    int index;         /* the next argument to read */
    int operands_only; /* after "--" */
};

void options_init(struct options *o, const struct option_spec *specs, size_t count, int argc,
                  char **argv);

/* The next argument: an option's id (its value in *value when it takes
 * one, else NULL), OPTIONS_OPERAND (the operand in *value), OPTIONS_END
 * after the last, or OPTIONS_ERROR with err filled (an unknown option, a
 * value missing, or a value given to a flag). */
int options_next(struct options *o, const char **value, struct hl_error *err);

/* The value just returned by options_next() as a whole number from min to
 * max, into *out: 0, or -1 with err naming the option as typed ("-p: expected
 * a whole number from 0 up, got \"x\""). */
int options_integer(const struct options *o, const char *value, long long min, long long max,
                    long long *out, struct hl_error *err);

/* The option's left column as the help shows it: "-o, --output FILE", or
 * "    --no-netns" for one without a short name. Returns out. */
const char *options_left_column(const struct option_spec *spec, char *out, size_t size);

/* One help line per option, "  LEFT  help", the help starting at column
 * width + 3 and its further lines aligned under its first. */
void options_print(FILE *out, const struct option_spec *specs, size_t count, int width);

#endif
