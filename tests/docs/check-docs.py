#!/usr/bin/env python3
"""Check the documentation: every relative link works, the README stays short.

  check-docs.py links --source DIR [--pending PATH]...
  check-docs.py readme-length --source DIR --under N

links: reads README.md, docs/*.md, scenarios/README.md and results/README.md
and reports, as FILE:LINE, every relative link (Markdown inline and
reference links and images, HTML href and src) to a file that does not
exist, and every #anchor that no heading of the target makes, by GitHub's
rule: the heading's text without its markup, lower case, every character
but letters, digits, '_', '-' and spaces dropped, each space made '-', and
-1, -2 ... added to repeated headings. It also reports a page of docs/ that
the README does not link: the README's "where to go next" is the way in.
A link that leaves the repository fails too, and so does a path written in
the prose or in a `code span` that names a Markdown file outside it
(`../shared/note.md`): a reader who clones the repository does not have that
file, so the page must say what it says instead.
A --pending PATH is a page announced before it is written: links to it
pass while it does not exist, and once it exists the check fails until the
--pending is removed, so that its links and anchors get checked.
Only ATX headings ('# Title') make anchors, and explicit id= / name=
attributes; links inside code (fenced blocks, `spans`) are not links.

readme-length: README.md has fewer than N lines.

Exit status: 0 all good, 1 a problem found (each on its own line), 2 usage.
"""

import argparse
import glob
import os
import re
import sys
import unicodedata
import urllib.parse

CHECKED = ["README.md", "docs/*.md", "scenarios/README.md", "results/README.md"]

FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
CODE_SPAN = re.compile(r"(`+)(.+?)\1")
INLINE_LINK = re.compile(r"\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
REFERENCE_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)")
HTML_LINK = re.compile(r"""\b(?:href|src)\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
HTML_ANCHOR = re.compile(r"""\b(?:id|name)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
LINE_ANCHOR = re.compile(r"^L(\d+)(?:-L(\d+))?$")
OUTSIDE_PATH = re.compile(r"(?<![\w./-])((?:\.\./)+[\w./-]*\.md)\b")


def prose_lines(text):
    """(line number, line, line with its code spans blanked) outside fenced
    code blocks."""
    fence = None
    for number, line in enumerate(text.split("\n"), 1):
        opening = FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            continue
        if opening:
            fence = opening.group(1)
            continue
        yield number, line, CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)


def heading_text(markdown):
    """The text GitHub renders for a heading's Markdown."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown)  # links, images: their text
    text = re.sub(r"<[^>]+>", "", text)  # HTML tags
    text = text.replace("`", "")
    text = re.sub(r"(\*+)(.+?)\1", r"\2", text)  # *emphasis*, **strong**
    return text


def slug(text):
    kept = []
    for char in text.lower():
        category = unicodedata.category(char)
        if char in " -_" or category[0] in "LNM":
            kept.append(char)
    return "".join(kept).replace(" ", "-")


def anchors_of(path, cache):
    if path not in cache:
        made = set()
        seen = {}
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for _, line, prose in prose_lines(text):
            for name in HTML_ANCHOR.findall(prose):
                made.add(name)
            heading = HEADING.match(line)
            if not heading:
                continue
            base = slug(heading_text(heading.group(2)))
            count = seen.get(base, 0)
            seen[base] = count + 1
            made.add(base if count == 0 else "%s-%d" % (base, count))
        cache[path] = made
    return cache[path]


def links_in(text):
    """(line number, target) of every link in the prose of a Markdown text."""
    for number, _, line in prose_lines(text):
        definition = REFERENCE_DEF.match(line)
        if definition:
            yield number, definition.group(1)
        for target in INLINE_LINK.findall(line):
            yield number, target
        for target in HTML_LINK.findall(line):
            yield number, target


def outside_mentions(source, page, text):
    """(line number, path) of each Markdown file outside the repository that
    the prose or a code span of page names by a relative path."""
    for number, line, _ in prose_lines(text):
        for path in OUTSIDE_PATH.findall(line):
            resolved = os.path.normpath(os.path.join(source, os.path.dirname(page), path))
            if os.path.relpath(resolved, source).startswith(".."):
                yield number, path


def check_link(source, page, target, pending, anchor_cache):
    """A problem with one link, or None."""
    target = target.strip("<>")
    if not target or SCHEME.match(target) or target.startswith("//"):
        return None
    path_part, _, anchor = target.partition("#")
    path_part = urllib.parse.unquote(path_part)
    anchor = urllib.parse.unquote(anchor)
    if path_part == "":
        resolved = os.path.join(source, page)
    elif path_part.startswith("/"):
        resolved = os.path.join(source, path_part.lstrip("/"))
    else:
        resolved = os.path.join(source, os.path.dirname(page), path_part)
    resolved = os.path.normpath(resolved)
    relative = os.path.relpath(resolved, source)
    if relative.startswith(".."):
        return "link to %s: outside the repository" % target
    if not os.path.exists(resolved):
        if relative in pending:
            return None
        return "link to %s: no such file (%s)" % (target, relative)
    if not anchor:
        return None
    if resolved.endswith(".md") and os.path.isfile(resolved):
        if anchor not in anchors_of(resolved, anchor_cache):
            return "link to %s: no heading of %s makes the anchor #%s" % (target, relative, anchor)
        return None
    lines = LINE_ANCHOR.match(anchor)
    if lines and os.path.isfile(resolved):
        with open(resolved, encoding="utf-8", errors="replace") as f:
            count = sum(1 for _ in f)
        if max(int(n) for n in lines.groups() if n) <= count:
            return None
        return "link to %s: %s has %d lines" % (target, relative, count)
    return "link to %s: #%s cannot be checked in %s" % (target, anchor, relative)


def check_links(source, pending):
    problems = []
    pages = []
    for pattern in CHECKED:
        found = sorted(glob.glob(os.path.join(source, pattern)))
        if not found:
            problems.append("%s: no such file" % pattern)
        pages.extend(os.path.relpath(p, source) for p in found)
    for path in pending:
        if os.path.exists(os.path.join(source, path)):
            problems.append("%s exists now: remove '--pending %s' from tests/docs/CMakeLists.txt "
                            "so that its links are checked" % (path, path))
    anchor_cache = {}
    linked_from_readme = set()
    count = 0
    for page in pages:
        with open(os.path.join(source, page), encoding="utf-8") as f:
            text = f.read()
        for number, path in outside_mentions(source, page, text):
            problems.append("%s:%d: names %s, outside the repository: a clone does not have "
                            "it; say here what it says" % (page, number, path))
        for number, target in links_in(text):
            count += 1
            problem = check_link(source, page, target, pending, anchor_cache)
            if problem:
                problems.append("%s:%d: %s" % (page, number, problem))
            elif page == "README.md":
                path_part = urllib.parse.unquote(target.strip("<>").partition("#")[0])
                linked_from_readme.add(os.path.normpath(path_part))
    for page in pages:
        if page.startswith("docs" + os.sep) and page not in linked_from_readme:
            problems.append("README.md: no link to %s (list it under 'Where to go next')" % page)
    for problem in problems:
        print(problem)
    print("check-docs: %d links in %d pages, %d problem(s)" % (count, len(pages), len(problems)))
    return 1 if problems else 0


def check_readme_length(source, under):
    with open(os.path.join(source, "README.md"), encoding="utf-8") as f:
        lines = f.read().count("\n")
    if lines >= under:
        print("README.md: %d lines; keep it under %d and move the rest into docs/" % (lines, under))
        return 1
    print("check-docs: README.md has %d lines (under %d)" % (lines, under))
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("mode", choices=["links", "readme-length"])
    parser.add_argument("--source", required=True, help="the repository's root")
    parser.add_argument("--pending", action="append", default=[],
                        help="a page linked before it is written (a path from the root)")
    parser.add_argument("--under", type=int, default=250, help="readme-length: the line limit")
    options = parser.parse_args()
    pending = {os.path.normpath(p) for p in options.pending}
    if options.mode == "links":
        return check_links(options.source, pending)
    return check_readme_length(options.source, options.under)


if __name__ == "__main__":
    sys.exit(main())
