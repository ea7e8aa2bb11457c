/* html.c: see html.h. */
#include "html.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic.h"
#include "files.h"

static const char style[] =
    "body{font-family:'DejaVu Sans',Verdana,sans-serif;font-size:14px;margin:1.5em;"
    "color:#222;line-height:1.4}\n"
    "h1{font-size:1.6em}h2{font-size:1.3em;margin-top:2em;border-bottom:1px solid #ccc}"
    "h3{font-size:1.05em}\n"
    "table{border-collapse:collapse;margin:0.5em 0}"
    "th,td{border:1px solid #ccc;padding:2px 6px;vertical-align:top}\n"
    "th{background:#f2f2f2;font-weight:normal}td.n{text-align:right;white-space:nowrap}\n"
    "td.flag{background:#fde0dc}td.marked{background:#f8b4ab;font-weight:bold}"
    "tr.differs td{background:#fff3c4}\n"
    "small{color:#666}.note{color:#555}\n"
    "figure{display:inline-block;width:46%;min-width:420px;margin:0.5em 1% 1em 0;"
    "vertical-align:top}\n"
    "figure img{width:100%;height:auto;border:1px solid #ddd}figcaption{font-size:0.9em}\n"
    "nav ul{columns:3}\n"
    /* a table wider than the window scrolls inside its own box, so the
     * page itself never does */
    ".wide{overflow-x:auto;max-width:100%}\n"
    "code{overflow-wrap:anywhere}\n";

int html_page_begin(struct html_page *page, const char *title, struct hl_error *err)
{
    page->text = NULL;
    page->size = 0;
    page->out = open_memstream(&page->text, &page->size);
    if (!page->out)
        return hl_error_setn(err, errno, NULL, "open_memstream: %s", strerror(errno));
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
          page->out);
    html_text(page->out, title);
    fprintf(page->out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", style);
    return 0;
}

int html_page_write(struct html_page *page, const char *path, struct hl_error *err)
{
    int rc;
    fputs("</body>\n</html>\n", page->out);
    if (fclose(page->out))
        rc = hl_error_setn(err, errno, NULL, "cannot build the page");
    else
        rc = atomic_write_text(path, page->text, page->size, err);
    free(page->text);
    page->out = NULL;
    page->text = NULL;
    return rc;
}

void html_text(FILE *out, const char *text)
{
    for (; text && *text; text++) {
        switch (*text) {
        case '&':
            fputs("&amp;", out);
            break;
        case '<':
            fputs("&lt;", out);
            break;
        case '>':
            fputs("&gt;", out);
            break;
        case '"':
            fputs("&quot;", out);
            break;
        case '\'':
            fputs("&#39;", out);
            break;
        default:
            fputc((unsigned char)*text < ' ' && *text != '\n' ? ' ' : *text, out);
        }
    }
}

static int is_alphanumeric(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

void html_href(FILE *out, const char *path)
{
    for (; *path; path++) {
        unsigned char c = (unsigned char)*path;
        if (is_alphanumeric(c) || strchr("-._~/", c))
            fputc(c, out);
        else
            fprintf(out, "%%%02X", c);
    }
}

void html_anchor(FILE *out, const char *name)
{
    fputs("s-", out);
    for (; *name; name++) {
        unsigned char c = (unsigned char)*name;
        fputc(is_alphanumeric(c) || c == '-' || c == '_' ? c : '_', out);
    }
}

/* " · <a href="base.ext">text</a>" */
static void caption_link(FILE *out, const char *base, const char *extension, const char *text)
{
    fputs(" &middot; <a href=\"", out);
    html_href(out, base);
    fprintf(out, "%s\">%s</a>", extension, text);
}

void html_figure(FILE *out, const char *dir, const char *base, const char *caption, const char *alt)
{
    char path[PATH_MAX * 2];
    snprintf(path, sizeof path, "%s/%s.svg", dir, base);
    int svg = files_exists(path);
    snprintf(path, sizeof path, "%s/%s.dat", dir, base);
    int dat = files_exists(path);
    fputs("<figure>", out);
    if (svg) {
        fputs("<a href=\"", out);
        html_href(out, base);
        fputs(".svg\">", out);
    }
    fputs("<img src=\"", out);
    html_href(out, base);
    fputs(".png\" alt=\"", out);
    html_text(out, alt);
    fputs("\" width=\"900\" height=\"560\" loading=\"lazy\">", out);
    if (svg)
        fputs("</a>", out);
    fputs("<figcaption>", out);
    html_text(out, caption);
    if (svg)
        caption_link(out, base, ".svg", "SVG");
    if (dat)
        caption_link(out, base, ".dat", "data");
    fputs("</figcaption></figure>\n", out);
}
