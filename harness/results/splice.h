/* splice.h: a results file's text made in pieces, the same bytes as
 * json_dumpf(JSON_SORT_KEYS | JSON_INDENT(2)) of the whole tree.
 *
 * The runner never holds a results file as one tree (resultsfile.h): a
 * run is its JSON dumped with an empty "connections" array, split there,
 * and its connection records written into the gap at their depth; the
 * file is the root dumped with an empty "runs", with the spooled runs
 * written into that gap. These are the pieces. */
#ifndef HARNESS_SPLICE_H
#define HARNESS_SPLICE_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#include "connrecord.h"

#define SPLICE_RUN_INDENT "    "      /* a run in the results' "runs" */
#define SPLICE_CONN_INDENT "        " /* a connection in a run's "connections" */

/* Writes text (length bytes of a dump), with prefix after every newline:
 * the dump moved to a deeper place (JSON strings hold no raw newline, so
 * only the layout's lines are indented). */
void splice_put_indented(FILE *out, const char *text, size_t length, const char *prefix);

/* A JSON_SORT_KEYS | JSON_INDENT(2) dump of object (not changed) with
 * its member key set to an empty array, split there: *at is set to the
 * '[' of that "[]". Returns the text (to free), or NULL when out of
 * memory. */
char *splice_dump_split(const json_t *object, const char *key, size_t *at);

/* Writes a connection as it stands in a run's "connections", starting
 * with its indent and without a newline after its '}'. */
void splice_put_conn(FILE *out, const struct conn_record *record);

#endif
