/* compare_rule.h: the marking rule of compare.h applied to one matched
 * point: the table of fields compared and their classes (compare_field,
 * compare_field_class), what the runs of the point in both sets allow for
 * each class (how settled their bytes are, their chunk, how many
 * connections waited for a SYN retransmit, how long they ran), and each
 * field's record. compare.c matches the points; this decides which of
 * their differences are marked. */
#ifndef HARNESS_COMPARE_RULE_H
#define HARNESS_COMPARE_RULE_H

#include <jansson.h>

/* The fields of a matched point: pa, a point summary of results a, with
 * pb, one of results b. Returns {field: {"class", "a", "b", "difference",
 * "spread", "tolerance", "allowed", "marked"}} (new reference; compare.h)
 * for every field of the table present in either, and sets *marked to
 * the names of the marked ones in the table's order (new reference). */
json_t *compare_rule_fields(const json_t *a, const json_t *pa, const json_t *b, const json_t *pb,
                            json_t **marked);

#endif
