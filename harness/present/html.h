/* html.h: writing the pages' HTML (report.h): text escaped, relative links
 * percent-encoded, a section's id, a page's head (its title, the CSS
 * inside) and foot, and a figure (a plot's PNG linked to its SVG and data
 * table).
 *
 * A page is built in memory and written atomically once complete
 * (atomic.h): a browser opening it meanwhile sees the previous page or
 * the new one, never half of one.
 *
 *   struct html_page page;
 *   if (html_page_begin(&page, "title", err)) return ...;
 *   ... write the body to page.out ...
 *   return html_page_write(&page, "dir/index.html", err);
 */
#ifndef HARNESS_HTML_H
#define HARNESS_HTML_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"

struct html_page {
    FILE *out;  /* the body goes here */
    char *text; /* what has been written so far (out's buffer) */
    size_t size;
};

/* Opens a page in memory and writes its head, up to <body>. Returns 0, or
 * a negative errno (err filled) with nothing to release. */
int html_page_begin(struct html_page *page, const char *title, struct hl_error *err);

/* Writes the page's foot, then the page to path (atomic.h), and releases
 * it whether or not that worked. Returns 0 or a negative errno (err
 * filled). */
int html_page_write(struct html_page *page, const char *path, struct hl_error *err);

/* Text or an attribute value: the five characters HTML gives meaning to
 * escaped; control characters but newline become spaces. NULL writes
 * nothing. */
void html_text(FILE *out, const char *text);

/* A relative link: each byte outside the unreserved characters and '/'
 * percent-encoded (a scenario named "a b#1" stays one file name). */
void html_href(FILE *out, const char *path);

/* The id of a scenario's section: "s-" and the name with anything but
 * letters, digits, '-' and '_' replaced by '_'. */
void html_anchor(FILE *out, const char *name);

/* A figure: the PNG base.png (linked to base.svg when it exists), a
 * caption, and links to base.svg and base.dat when they exist. base is
 * the plot's path without extension, relative to the page; dir is the
 * page's directory; alt the image's text for who cannot see it. */
void html_figure(FILE *out, const char *dir, const char *base, const char *caption,
                 const char *alt);

#endif
