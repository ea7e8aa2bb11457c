/* markup_check: is a file the markup the harness promises?
 *
 *   markup_check --svg FILE...   each a well-formed XML document whose root
 *                                element is <svg> and which draws something
 *   markup_check --html FILE...  each a valid, self-contained HTML page
 *
 * No validator is installed for this (no network, no new dependency), so
 * the rules are written out here, stricter than the standards where our
 * own generators (gnuplot's svg terminal, harness/report.c) can afford it:
 *
 *   both   tags nest and close in order; attribute values are quoted and
 *          not repeated within a tag; '<' in text starts markup and '&'
 *          starts a character reference (&amp; &lt; &gt; &quot; &apos;,
 *          &#N; &#xN;, and in HTML a few named ones); comments and CDATA
 *          are skipped; exactly one root element.
 *   html   "<!DOCTYPE html>" first; the root is <html lang="...">, with a
 *          <head> holding <meta charset="utf-8"> and a non-empty <title>,
 *          then a <body>; void elements (img, br, meta, ...) have no end
 *          tag, every other element has one; no <script> (the report uses
 *          no JavaScript); every <img> has src and alt; ids are unique and
 *          every "#id" link names one; every relative href or src (no
 *          scheme, not absolute) names a file or directory that exists,
 *          relative to the page's own directory, after %XX decoding.
 *
 * Prints one line per problem ("FILE:LINE: what") and exits 1 if there
 * was any, 0 otherwise. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define MAX_DEPTH 256
#define MAX_IDS 4096
#define MAX_LINKS 4096

struct page {
    const char *path;
    char dir[4096];
    const char *text;
    size_t size, pos;
    int html, problems;
    char *stack[MAX_DEPTH];
    size_t depth, roots;
    char *ids[MAX_IDS];
    size_t id_count;
    char *fragments[MAX_LINKS]; /* "#x" links, checked at the end */
    int fragment_lines[MAX_LINKS];
    size_t fragment_count;
    int seen_doctype, seen_charset, seen_title, seen_body, title_text;
    char root[64];
};

static int line_of(const struct page *p, size_t pos)
{
    int line = 1;
    for (size_t i = 0; i < pos && i < p->size; i++)
        line += p->text[i] == '\n';
    return line;
}

static void problem(struct page *p, size_t pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void problem(struct page *p, size_t pos, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s:%d: ", p->path, line_of(p, pos));
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    p->problems++;
}

static int is_void(const char *name)
{
    static const char *const voids[] = {"area",  "base", "br",   "col",    "embed", "hr",  "img",
                                        "input", "link", "meta", "source", "track", "wbr", NULL};
    for (int i = 0; voids[i]; i++)
        if (strcmp(name, voids[i]) == 0)
            return 1;
    return 0;
}

/* A character reference at text[i] ('&'): its length, or 0 if invalid. */
static size_t reference_length(const struct page *p, const char *s, size_t left)
{
    static const char *const xml[] = {"amp", "lt", "gt", "quot", "apos", NULL};
    static const char *const html[] = {"nbsp",   "ndash", "mdash", "times",  "minus",
                                       "hellip", "rarr",  "larr",  "middot", "plusmn",
                                       "le",     "ge",    "micro", NULL};
    size_t n = 1;
    if (left > 2 && s[1] == '#') {
        n = 2;
        int hex = left > 3 && (s[2] == 'x' || s[2] == 'X');
        n += (size_t)hex;
        size_t digits = 0;
        while (n < left && (hex ? isxdigit((unsigned char)s[n]) : isdigit((unsigned char)s[n]))) {
            n++;
            digits++;
        }
        return digits && n < left && s[n] == ';' ? n + 1 : 0;
    }
    while (n < left && isalnum((unsigned char)s[n]))
        n++;
    if (n >= left || s[n] != ';' || n == 1)
        return 0;
    for (int i = 0; xml[i]; i++)
        if (strlen(xml[i]) == n - 1 && strncmp(s + 1, xml[i], n - 1) == 0)
            return n + 1;
    for (int i = 0; p->html && html[i]; i++)
        if (strlen(html[i]) == n - 1 && strncmp(s + 1, html[i], n - 1) == 0)
            return n + 1;
    return 0;
}

/* Text from start to end: every '&' a reference. */
static void check_text(struct page *p, size_t start, size_t end)
{
    for (size_t i = start; i < end; i++) {
        if (p->text[i] != '&')
            continue;
        size_t n = reference_length(p, p->text + i, end - i);
        if (!n)
            problem(p, i, "a bare '&' in text or an attribute (write &amp;)");
        else
            i += n - 1;
    }
}

/* Decodes %XX in place. */
static void percent_decode(char *s)
{
    char *out = s;
    for (; *s; s++) {
        if (s[0] == '%' && isxdigit((unsigned char)s[1]) && isxdigit((unsigned char)s[2])) {
            char hex[3] = {s[1], s[2], 0};
            *out++ = (char)strtol(hex, NULL, 16);
            s += 2;
        } else {
            *out++ = *s;
        }
    }
    *out = '\0';
}

/* A relative href or src must name something that exists. */
static void check_link(struct page *p, size_t pos, const char *value)
{
    char path[8192], target[4096];
    struct stat st;
    size_t scheme =
        strspn(value, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");
    if (value[0] == '#') {
        if (p->fragment_count < MAX_LINKS) {
            p->fragment_lines[p->fragment_count] = line_of(p, pos);
            p->fragments[p->fragment_count++] = strdup(value + 1);
        }
        return;
    }
    if (value[0] == '/' || (scheme > 0 && value[scheme] == ':'))
        return; /* absolute: not ours to check */
    if (!value[0]) {
        problem(p, pos, "an empty link");
        return;
    }
    snprintf(target, sizeof target, "%.*s", (int)strcspn(value, "?#"), value);
    percent_decode(target);
    snprintf(path, sizeof path, "%s/%s", p->dir, target);
    if (stat(path, &st))
        problem(p, pos, "links to a file that does not exist: %s", value);
}

/* Reads one tag's attributes from p->pos (after the name) to '>' or "/>". */
static int read_attributes(struct page *p, const char *name, size_t tag_start, int *self_closing)
{
    char seen[64][64];
    size_t seen_count = 0;
    int has_alt = 0, has_src = 0;
    *self_closing = 0;
    for (;;) {
        while (p->pos < p->size && isspace((unsigned char)p->text[p->pos]))
            p->pos++;
        if (p->pos >= p->size) {
            problem(p, tag_start, "<%s> is not closed by '>'", name);
            return -1;
        }
        if (p->text[p->pos] == '>') {
            p->pos++;
            break;
        }
        if (p->text[p->pos] == '/' && p->pos + 1 < p->size && p->text[p->pos + 1] == '>') {
            *self_closing = 1;
            p->pos += 2;
            break;
        }
        size_t a = p->pos;
        while (p->pos < p->size && !isspace((unsigned char)p->text[p->pos]) &&
               !strchr("=>/\"'<", p->text[p->pos]))
            p->pos++;
        if (p->pos == a) {
            problem(p, a, "unexpected character in <%s>", name);
            return -1;
        }
        char attr[64];
        snprintf(attr, sizeof attr, "%.*s", (int)(p->pos - a), p->text + a);
        for (size_t i = 0; i < seen_count; i++)
            if (strcasecmp(seen[i], attr) == 0)
                problem(p, a, "an attribute repeated in one tag: %s", attr);
        if (seen_count < 64)
            snprintf(seen[seen_count++], sizeof seen[0], "%s", attr);
        while (p->pos < p->size && isspace((unsigned char)p->text[p->pos]))
            p->pos++;
        if (p->pos >= p->size || p->text[p->pos] != '=') {
            problem(p, a, "an attribute without a quoted value: %s", attr);
            continue;
        }
        p->pos++;
        while (p->pos < p->size && isspace((unsigned char)p->text[p->pos]))
            p->pos++;
        char quote = p->pos < p->size ? p->text[p->pos] : 0;
        if (quote != '"' && quote != '\'') {
            problem(p, a, "an attribute value not in quotes: %s", attr);
            return -1;
        }
        size_t v = ++p->pos;
        while (p->pos < p->size && p->text[p->pos] != quote) {
            if (p->text[p->pos] == '<')
                problem(p, p->pos, "a '<' inside an attribute value (write &lt;)");
            p->pos++;
        }
        if (p->pos >= p->size) {
            problem(p, v, "an attribute value that never ends: %s", attr);
            return -1;
        }
        check_text(p, v, p->pos);
        char *value = strndup(p->text + v, p->pos - v);
        p->pos++;
        if (!p->html) {
            free(value);
            continue;
        }
        if (strcasecmp(attr, "href") == 0 || strcasecmp(attr, "src") == 0)
            check_link(p, a, value);
        if (strcasecmp(attr, "alt") == 0)
            has_alt = 1;
        if (strcasecmp(attr, "src") == 0)
            has_src = 1;
        if (strcasecmp(attr, "id") == 0) {
            for (size_t i = 0; i < p->id_count; i++)
                if (strcmp(p->ids[i], value) == 0)
                    problem(p, a, "an id used twice: %s", value);
            if (p->id_count < MAX_IDS)
                p->ids[p->id_count++] = strdup(value);
        }
        if (strcmp(name, "html") == 0 && strcasecmp(attr, "lang") == 0 && value[0])
            snprintf(p->root, sizeof p->root, "html lang");
        if (strcmp(name, "meta") == 0 && strcasecmp(attr, "charset") == 0 &&
            strcasecmp(value, "utf-8") == 0)
            p->seen_charset = 1;
        free(value);
    }
    if (p->html && strcmp(name, "img") == 0 && (!has_alt || !has_src))
        problem(p, tag_start, "an <img> without %s", !has_alt ? "alt" : "src");
    return 0;
}

static void check_page(struct page *p)
{
    size_t text_start = 0;
    if (p->html) {
        size_t i = 0;
        while (i < p->size && isspace((unsigned char)p->text[i]))
            i++;
        if (p->size - i < 15 || strncasecmp(p->text + i, "<!DOCTYPE html>", 15) != 0)
            problem(p, i, "does not start with <!DOCTYPE html>");
    }
    while (p->pos < p->size) {
        if (p->text[p->pos] != '<') {
            p->pos++;
            continue;
        }
        if (p->depth == 0 && p->roots == 0)
            text_start = p->pos; /* no text check before the root */
        check_text(p, text_start, p->pos);
        size_t start = p->pos;
        const char *rest = p->text + p->pos;
        size_t left = p->size - p->pos;
        if (left >= 4 && strncmp(rest, "<!--", 4) == 0) {
            const char *end = strstr(rest + 4, "-->");
            if (!end) {
                problem(p, start, "a comment that never ends");
                return;
            }
            p->pos = (size_t)(end - p->text) + 3;
        } else if (left >= 9 && strncmp(rest, "<![CDATA[", 9) == 0) {
            const char *end = strstr(rest + 9, "]]>");
            if (!end) {
                problem(p, start, "a CDATA section that never ends");
                return;
            }
            p->pos = (size_t)(end - p->text) + 3;
        } else if (left >= 2 && (rest[1] == '?' || rest[1] == '!')) {
            if (rest[1] == '!' && strncasecmp(rest, "<!DOCTYPE", 9) == 0)
                p->seen_doctype = 1;
            const char *end = memchr(rest, '>', left);
            if (!end) {
                problem(p, start, "a declaration that never ends");
                return;
            }
            p->pos = (size_t)(end - p->text) + 1;
        } else {
            int closing = left > 1 && rest[1] == '/';
            size_t name_start = p->pos + (closing ? 2 : 1);
            p->pos = name_start;
            while (p->pos < p->size &&
                   (isalnum((unsigned char)p->text[p->pos]) || strchr(":-_.", p->text[p->pos])))
                p->pos++;
            if (p->pos == name_start) {
                problem(p, start, "a bare '<' in text (write &lt;)");
                p->pos = start + 1;
                text_start = p->pos;
                continue;
            }
            char name[64];
            snprintf(name, sizeof name, "%.*s", (int)(p->pos - name_start), p->text + name_start);
            if (p->html)
                for (char *c = name; *c; c++)
                    *c = (char)tolower((unsigned char)*c);
            if (closing) {
                while (p->pos < p->size && isspace((unsigned char)p->text[p->pos]))
                    p->pos++;
                if (p->pos >= p->size || p->text[p->pos] != '>') {
                    problem(p, start, "</%s> is not closed by '>'", name);
                    return;
                }
                p->pos++;
                if (p->html && is_void(name))
                    problem(p, start, "an end tag for a void element: </%s>", name);
                else if (p->depth == 0 || strcmp(p->stack[p->depth - 1], name) != 0) {
                    problem(p, start, "</%s> where </%s> was due", name,
                            p->depth ? p->stack[p->depth - 1] : "(nothing)");
                    /* an element left open: close it with the outer one,
                     * so that one mistake is reported once */
                    size_t open = p->depth;
                    while (open > 0 && strcmp(p->stack[open - 1], name) != 0)
                        open--;
                    while (open > 0 && p->depth >= open)
                        free(p->stack[--p->depth]);
                } else {
                    free(p->stack[--p->depth]);
                    if (p->html && strcmp(name, "title") == 0 && p->title_text)
                        p->seen_title = 1;
                }
            } else {
                int self_closing;
                if (p->depth == 0) {
                    if (p->roots++)
                        problem(p, start, "a second root element: <%s>", name);
                    else if (!p->html)
                        snprintf(p->root, sizeof p->root, "%s", name);
                    else if (strcmp(name, "html") != 0)
                        problem(p, start, "the root element is <%s>, not <html>", name);
                }
                if (read_attributes(p, name, start, &self_closing))
                    return;
                if (p->html && strcmp(name, "script") == 0)
                    problem(p, start, "a <script>: the report promises no JavaScript");
                if (p->html && strcmp(name, "body") == 0)
                    p->seen_body = 1;
                if (!self_closing && !(p->html && is_void(name))) {
                    if (p->depth == MAX_DEPTH) {
                        problem(p, start, "nested too deeply at <%s>", name);
                        return;
                    }
                    p->stack[p->depth++] = strdup(name);
                    if (p->html && strcmp(name, "title") == 0) {
                        /* a title with some text before its end tag */
                        const char *end = strstr(p->text + p->pos, "</title>");
                        p->title_text = end && end > p->text + p->pos;
                    }
                } else if (self_closing && p->html && !is_void(name)) {
                    problem(p, start, "<%s/>: only void elements may close themselves", name);
                }
            }
        }
        text_start = p->pos;
    }
    if (p->depth)
        check_text(p, text_start, p->size);
    for (size_t i = p->depth; i > 0; i--)
        problem(p, p->size, "<%s> is never closed", p->stack[i - 1]);
    if (p->roots == 0)
        problem(p, 0, "no root element");
    if (!p->html && p->roots && strcmp(p->root, "svg") != 0)
        problem(p, 0, "the root element is <%s>, not <svg>", p->root);
    if (p->html) {
        if (strcmp(p->root, "html lang") != 0)
            problem(p, 0, "no <html lang=\"...\">");
        if (!p->seen_charset)
            problem(p, 0, "no <meta charset=\"utf-8\">");
        if (!p->seen_title)
            problem(p, 0, "no <title> with text");
        if (!p->seen_body)
            problem(p, 0, "no <body>");
        for (size_t i = 0; i < p->fragment_count; i++) {
            size_t k;
            for (k = 0; k < p->id_count && strcmp(p->ids[k], p->fragments[i]) != 0; k++)
                ;
            if (k == p->id_count) {
                fprintf(stderr, "%s:%d: a link to #%s, which no id names\n", p->path,
                        p->fragment_lines[i], p->fragments[i]);
                p->problems++;
            }
        }
    }
}

static int check_file(const char *path, int html)
{
    struct page p;
    FILE *f = fopen(path, "rb");
    char *text = NULL;
    long size;
    memset(&p, 0, sizeof p);
    p.path = path;
    p.html = html;
    if (!f) {
        perror(path);
        return 1;
    }
    if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) ||
        !(text = malloc((size_t)size + 1)) || fread(text, 1, (size_t)size, f) != (size_t)size) {
        fprintf(stderr, "%s: cannot read\n", path);
        fclose(f);
        free(text);
        return 1;
    }
    fclose(f);
    text[size] = '\0';
    if (size == 0 || strlen(text) != (size_t)size) {
        fprintf(stderr, "%s: %s\n", path, size ? "contains a NUL byte" : "empty");
        free(text);
        return 1;
    }
    const char *slash = strrchr(path, '/');
    snprintf(p.dir, sizeof p.dir, "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
    p.text = text;
    p.size = (size_t)size;
    check_page(&p);
    if (!html && p.problems == 0 && !strstr(text, "<path") && !strstr(text, "<polygon") &&
        !strstr(text, "<text")) {
        fprintf(stderr, "%s: an <svg> that draws nothing\n", path);
        p.problems++;
    }
    for (size_t i = 0; i < p.depth; i++)
        free(p.stack[i]);
    for (size_t i = 0; i < p.id_count; i++)
        free(p.ids[i]);
    for (size_t i = 0; i < p.fragment_count; i++)
        free(p.fragments[i]);
    free(text);
    if (p.problems == 0)
        printf("%s: %s, %ld bytes: ok\n", path, html ? "HTML" : "SVG", size);
    return p.problems ? 1 : 0;
}

int main(int argc, char **argv)
{
    int html, failed = 0;
    if (argc < 3 || (strcmp(argv[1], "--svg") != 0 && strcmp(argv[1], "--html") != 0)) {
        fprintf(stderr, "usage: markup_check --svg FILE... | --html FILE...\n");
        return 2;
    }
    html = strcmp(argv[1], "--html") == 0;
    for (int i = 2; i < argc; i++)
        failed |= check_file(argv[i], html);
    return failed;
}
