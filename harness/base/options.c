/* options.c: see options.h. */
#include "options.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suggest.h"

#define OPTIONS_MAX 64 /* options of one program, for the suggestion */

void options_init(struct options *o, const struct option_spec *specs, size_t count, int argc,
                  char **argv)
{
    memset(o, 0, sizeof *o);
    o->specs = specs;
    o->count = count;
    o->argc = argc;
    o->argv = argv;
    o->index = 1;
}

/* The spec named by arg: "--name" (length: of the name, before any '=')
 * or "-x". */
static const struct option_spec *find_spec(const struct options *o, const char *arg, size_t length)
{
    for (size_t i = 0; i < o->count; i++) {
        const struct option_spec *s = &o->specs[i];
        if (arg[1] == '-' && strlen(s->name) == length && strncmp(arg + 2, s->name, length) == 0)
            return s;
        if (arg[1] != '-' && s->short_name && arg[1] == s->short_name && arg[2] == '\0')
            return s;
    }
    return NULL;
}

static int unknown(const struct options *o, const char *arg, struct hl_error *err)
{
    const char *names[OPTIONS_MAX + 1];
    char word[64];
    size_t n = 0;
    for (size_t i = 0; i < o->count && n < OPTIONS_MAX; i++)
        names[n++] = o->specs[i].name;
    names[n] = NULL;
    const char *typed = arg[1] == '-' ? arg + 2 : arg + 1;
    snprintf(word, sizeof word, "%.*s", (int)strcspn(typed, "="), typed);
    const char *best = suggest_word(word, names);
    if (best)
        hl_error_set(err, arg, "unknown option; did you mean --%s? (see --help)", best);
    else
        hl_error_set(err, arg, "unknown option (see --help)");
    return OPTIONS_ERROR;
}

int options_next(struct options *o, const char **value, struct hl_error *err)
{
    *value = NULL;
    if (o->index >= o->argc)
        return OPTIONS_END;
    const char *arg = o->argv[o->index++];
    if (!o->operands_only && strcmp(arg, "--") == 0) {
        o->operands_only = 1;
        return options_next(o, value, err);
    }
    if (o->operands_only || arg[0] != '-' || arg[1] == '\0') {
        *value = arg;
        return OPTIONS_OPERAND;
    }
    size_t length = strcspn(arg + 2, "=");
    const struct option_spec *s = find_spec(o, arg, length);
    if (!s)
        return unknown(o, arg, err);
    const char *equals = arg[1] == '-' && arg[2 + length] == '=' ? arg + 2 + length + 1 : NULL;
    if (!s->arg && equals) {
        hl_error_set(err, arg, "takes no value");
        return OPTIONS_ERROR;
    }
    if (!s->arg)
        return s->id;
    if (!equals && o->index >= o->argc) {
        hl_error_set(err, arg, "needs a value: --%s %s", s->name, s->arg);
        return OPTIONS_ERROR;
    }
    *value = equals ? equals : o->argv[o->index++];
    return s->id;
}

int options_integer(const struct options *o, const char *value, long long min, long long max,
                    long long *out, struct hl_error *err)
{
    /* "-p 4": the option is the argument before its value; "--point=4" holds it */
    const char *typed = o->argv[o->index - 1];
    int length = (int)strcspn(typed, "=");
    if (typed == value && o->index >= 2)
        length = (int)strlen(typed = o->argv[o->index - 2]);
    char *end;
    errno = 0;
    *out = strtoll(value, &end, 10);
    if (*end || end == value || errno || *out < min || *out > max) {
        char option[64], range[64];
        snprintf(option, sizeof option, "%.*s", length, typed);
        if (max == LLONG_MAX)
            snprintf(range, sizeof range, "from %lld up", min);
        else
            snprintf(range, sizeof range, "from %lld to %lld", min, max);
        hl_error_set(err, option, "expected a whole number %s, got \"%s\"", range, value);
        return -1;
    }
    return 0;
}

const char *options_left_column(const struct option_spec *spec, char *out, size_t size)
{
    char shorter[8] = "    ";
    if (spec->short_name)
        snprintf(shorter, sizeof shorter, "-%c, ", spec->short_name);
    snprintf(out, size, "%s--%s%s%s", shorter, spec->name, spec->arg ? " " : "",
             spec->arg ? spec->arg : "");
    return out;
}

void options_print(FILE *out, const struct option_spec *specs, size_t count, int width)
{
    for (size_t i = 0; i < count; i++) {
        char left[96];
        const char *help = specs[i].help;
        options_left_column(&specs[i], left, sizeof left);
        fprintf(out, "  %-*s ", width, left);
        if ((int)strlen(left) > width)
            fprintf(out, "\n  %-*s ", width, "");
        while (*help) {
            size_t n = strcspn(help, "\n");
            fprintf(out, "%.*s\n", (int)n, help);
            help += n;
            if (*help == '\n' && *++help)
                fprintf(out, "  %-*s ", width, "");
        }
        if (!specs[i].help[0])
            fputc('\n', out);
    }
}
