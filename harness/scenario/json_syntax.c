/* json_syntax.c: see json_text.h. jansson's syntax errors, made one clean
 * line with the place counted as an editor counts it, and a hint. */
#include "json_text.h"

#include <stdio.h>
#include <string.h>

static int only_whitespace(const char *text, size_t length)
{
    for (size_t i = 0; i < length; i++)
        if (!strchr(" \t\r\n", text[i]))
            return 0;
    return 1;
}

/* The last non-space byte before offset, or 0. */
static char byte_before(const char *text, size_t offset)
{
    while (offset > 0 && strchr(" \t\r\n", text[offset - 1]))
        offset--;
    return offset > 0 ? text[offset - 1] : '\0';
}

/* Whether the text ends inside a string (an unclosed quote). */
static int ends_in_string(const char *text, size_t length)
{
    int in_string = 0;
    for (size_t i = 0; i < length; i++) {
        if (in_string && text[i] == '\\')
            i++;
        else if (text[i] == '"')
            in_string = !in_string;
    }
    return in_string;
}

/* jansson's message made one clean line (control characters as '?'), and
 * the token it names ("near 'True'") into token. */
static void clean_message(const json_error_t *jerr, char *what, size_t what_size, char *token,
                          size_t token_size)
{
    size_t n = 0;
    for (const char *p = jerr->text; *p && n + 1 < what_size; p++)
        what[n++] = (unsigned char)*p < 0x20 ? '?' : *p;
    what[n] = '\0';
    const char *near = strstr(what, " near '");
    if (near) {
        snprintf(token, token_size, "%s", near + 7);
        char *quote = strrchr(token, '\'');
        if (quote && quote != token)
            *quote = '\0';
    }
}

/* A hint for the mistakes people make most: a trailing comma, single
 * quotes, a key without quotes, a comment, Python's True/False/None. May
 * rewrite what (jansson's own flag names). position: where jansson stopped. */
static const char *syntax_hint(char *what, size_t what_size, const char *token, const char *text,
                               size_t length, size_t position)
{
    char last = position ? text[position - 1] : '\0';
    if (strstr(what, "JSON_ALLOW_NUL")) {
        /* jansson names its own flag; the reader needs the rule */
        snprintf(what, what_size, "\\u0000 (a NUL character) is not allowed in a scenario");
        return "; remove it";
    }
    if ((last == '}' || last == ']') && byte_before(text, position - 1) == ',')
        return "; remove the comma before it (JSON allows none after the last item)";
    if (token[0] == '\'')
        return "; JSON strings and keys take double quotes: \"...\"";
    if (token[0] == '/' || token[0] == '#')
        return "; JSON has no comments (put notes in \"description\")";
    if (strcmp(token, "True") == 0 || strcmp(token, "False") == 0 || strcmp(token, "None") == 0)
        return "; JSON writes true, false and null in lower case";
    if (strcmp(token, "NaN") == 0 || strcmp(token, "Infinity") == 0)
        return "; JSON has no NaN or Infinity: write a number";
    if (strncmp(what, "string or '}' expected", 22) == 0 &&
        ((token[0] >= 'a' && token[0] <= 'z') || (token[0] >= 'A' && token[0] <= 'Z') ||
         token[0] == '_'))
        return "; put the key in double quotes";
    if ((strncmp(what, "'}' expected", 12) == 0 || strncmp(what, "']' expected", 12) == 0) &&
        !strstr(what, "near end of file"))
        return "; is a comma missing before it?";
    if (strstr(what, "near end of file") || strncmp(what, "premature end", 13) == 0)
        return ends_in_string(text, length)
                   ? "; the file ends inside a string: add its closing \""
                   : "; the file ends too early: is a closing } or ] missing?";
    if (strncmp(what, "unexpected newline", 18) == 0)
        return "; a string must end on the line it starts on (write \\n for a line break)";
    if (strstr(what, "maximum parsing depth"))
        return "; a scenario nests only a few levels deep";
    if (strstr(what, "too big integer"))
        return "; the largest is 9223372036854775807";
    if (strstr(what, "too big negative integer"))
        return "; the smallest is -9223372036854775808";
    if (strstr(what, "real number overflow"))
        return "; a scenario's numbers are integers, and far smaller";
    if (strncmp(what, "end of file expected", 20) == 0)
        return "; the scenario object ended before it: one object per file";
    return "";
}

int json_text_syntax_error(const char *file, const char *text, size_t length,
                           const json_error_t *jerr, struct hl_error *err)
{
    char where[512], what[256], token[64] = "";
    /* jansson counts columns from 0 before a line's first character has
     * been read (an empty file, an error at a line start); columns here
     * are 1-based as in every FILE:LINE:COL message */
    snprintf(where, sizeof where, "%s:%d:%d", file, jerr->line > 0 ? jerr->line : 1,
             jerr->column > 0 ? jerr->column : 1);
    if (only_whitespace(text, length))
        return hl_error_set(err, where,
                            "invalid JSON: the file is %s; a scenario is a JSON object such "
                            "as {\"server\": {\"backlog\": 4}}",
                            length ? "only whitespace" : "empty");
    clean_message(jerr, what, sizeof what, token, sizeof token);
    size_t position =
        jerr->position > 0 && (size_t)jerr->position <= length ? (size_t)jerr->position : 0;
    const char *hint = syntax_hint(what, sizeof what, token, text, length, position);
    return hl_error_set(err, where, "invalid JSON: %s%s", what, hint);
}
