/* compare.h: result sets side by side (A and B: a reference and new
 * results, one setting and another, last year's class and this year's;
 * or a whole class, A, B, C ...), and which of their differences are more
 * than the runs' own spread.
 *
 * Scenarios are matched by name, and within a scenario points by their
 * sweep values ({"server.backlog": 4} in A with the same in B): a point
 * whose settings differ is not the same point, so it is listed as present
 * in one set only, never compared. For each matched point and each field
 * of the table below, the medians over the repeats (results'
 * point_summaries) are compared:
 *
 *   marked  when |median A - median B| > max(spread A, spread B) + tolerance
 *
 * where a spread is max - min over the point's repeats (0 with one
 * repeat) and the tolerance is what the mechanism lets a single run vary
 * by, by the field's class:
 *
 *   exact      0. Connection outcomes are decided by the kernel's rules
 *              (attempted, connected, refused, timed_out and its causes,
 *              failed, reset, accepted, would_block).
 *   bytes      0 when every run of the point in both sets finished its
 *              work by itself. One send() or recv() chunk (the larger; in a
 *              total over connections, one per connection) when each
 *              either did so or had a sender that stopped taking data
 *              at least 100 ms before the end, with both buffers set (a
 *              buffer-bound plateau: to the byte on an idle machine, but
 *              the kernel checks the send buffer's limit only between
 *              segments, so where the send() that reaches it stops inside
 *              its chunk depends on the pages backing the queue; 100352
 *              against 98304 seen). Otherwise that chunk or 1 % of the
 *              larger value, whichever is more: the last chunk may land on
 *              either side of the run's end, and buffers the kernel
 *              autotunes (0 = default) grow by a fraction of a percent
 *              differently from run to run. bytes_sent, bytes_read,
 *              bytes_received, bytes_before_first_block.
 *   events     0 when every run finished by itself or reached a plateau,
 *              but one where a paced reader frees the send buffer within
 *              a timer's lateness (predict_short_waits: each wait a race);
 *              otherwise one event or 1 %, whichever is more:
 *              blocked_sends.
 *   timer      a time set by timers: early + late of predict.h's timer
 *              tolerance at the larger value (t/8 + 40 ms): elapsed_us,
 *              blocked_us.
 *   rate       achieved_bytes_per_sec: the larger value x the timer
 *              tolerance of the run's time (elapsed_us) / that time.
 *   fraction   blocked_fraction: the timer tolerance of elapsed_us /
 *              elapsed_us.
 *   syn        kernel.ListenOverflows, ListenDrops, TCPSynRetrans: one per
 *              connection that waited for a SYN retransmit (the most in any
 *              run of the point): whether room appears just before or just
 *              after a retransmit is within a timer's tolerance.
 *
 * A field present in one set only (bytes_before_first_block where nothing
 * blocked in the other) is marked, but for an outcome count of 0 in every
 * run, which a set from before that outcome was counted (would_block)
 * leaves out. The other summary numbers are not
 * compared: the harness's own costs (sampling_us, samples_dropped, ...),
 * reads (how segments fall between the reader's wake-ups), and the
 * timer, rate and fraction classes of a point whose server or client was
 * a program of the scenario's own (its pace, Python's start-up say, sets
 * them, not a timer),
 * sampled maxima (a sample every sample_ms can miss a peak) and the
 * packet-level kernel counters, which move with ACK timing.
 *
 * With more than two sets, each set is compared with the first, the
 * baseline, by that rule (compare_many()): a value of set C is marked when
 * it differs from the baseline's by more than their spreads and the
 * tolerance, whatever B measured. With two, that is the rule above.
 *
 * compare.c matches two sets, scenarios and points; compare_many.c more
 * sets, and names them; compare_rule.c applies the rule above to a
 * matched point; compare_label.c names the sides from their environments. */
#ifndef HARNESS_COMPARE_H
#define HARNESS_COMPARE_H

#include <jansson.h>
#include <stddef.h>

#include "resultset.h"

#define COMPARE_FORMAT "backlog-lab compare 1"
/* A comparison of more than two sets (compare_many()). */
#define COMPARE_FORMAT_MANY "backlog-lab compare 2"

/* The most sets one comparison takes: the plots' palette has 12 colours. */
#define COMPARE_MAX_SETS 12
/* A set's name: its --label, or its directory's name. */
#define COMPARE_NAME_SIZE 64

/* A byte or event count is only settled this long before a run's end. */
#define COMPARE_SETTLED_US 100000

/* The fields compared, in the order tables show them (NULL past the
 * last), and their classes ("exact", "bytes", ...; NULL for a field not
 * compared). */
const char *compare_field(size_t index);
const char *compare_field_class(const char *field);

/* Compares every scenario present in both sets (new reference), in A's
 * order: {"format", "a": {"dir", "label", "environment"}, "b": ...,
 * "scenarios": [compare_scenario() objects, each with "a_file", "b_file",
 * "a_stem", "b_stem"], "only_in_a": [names], "only_in_b": [names],
 * "marked" (fields marked in all), "scenarios_marked"}. */
json_t *compare_sets(const struct resultset *a, const struct resultset *b);

/* Compares more than two sets, each with sets[0], the baseline (new
 * reference): {"format": COMPARE_FORMAT_MANY, "baseline": "A", "sets":
 * [{"set": "A", "name", "dir", "label", "environment", "scenarios"}, ...;
 * beyond the baseline also "only_in_baseline" and "not_in_baseline":
 * scenario names], "scenarios": [{"name", "description", "files": [per
 * set {"set", "file", "stem"} or null], "against_baseline": [per other
 * set holding the scenario, compare_scenario(baseline's, its) with "set"
 * (its letter), "a_file", "b_file", "a_stem", "b_stem"], "marked" (in
 * all), "points_marked" (the baseline's points where some set is
 * marked)}], "marked", "scenarios_marked"}. A scenario is compared when
 * the baseline and at least one other set have it. names: each set's
 * (compare_set_names()). */
json_t *compare_many(const struct resultset *const *sets, const char *const *names, size_t count);

/* What to call each of count sets: labels[k] when given (labels may be
 * NULL), else the name of dirs[k] ("results", "6.18.44"); where two are
 * the same, the last two parts of their paths ("alice/results"), and
 * where that is not enough either, the set's letter after it
 * ("results (B)"). */
void compare_set_names(const char *const *dirs, const char *const *labels, size_t count,
                       char names[][COMPARE_NAME_SIZE]);

/* Compares two results files of one scenario (new reference):
 *   {"name", "description", "labels": {"a", "b", "a_brief", "b_brief",
 *    "common"}, "scenario_differs": [..],
 *    "points": [{"sweep", "a_point", "b_point", "a_runs", "b_runs",
 *                "fields": {field: {"class", "a", "b", "difference",
 *                           "spread", "tolerance", "allowed", "marked"}},
 *                "marked": [fields]}],
 *    "only_in_a": [{"point", "sweep"}], "only_in_b": [...],
 *    "skipped_in_a": [{"sweep", "reason"}], "skipped_in_b": [...] (points
 *    a set did not run: their link needs a qdisc its kernel lacks),
 *    "marked", "points_marked"}
 * "a" and "b" of a field are the point summaries' {n, median, min, max}
 * (null where absent); "labels": compare_label()'s, full and brief, and
 * "common" the host and kernel the brief ones leave out ("" if none). */
json_t *compare_scenario(const json_t *a, const json_t *b);

/* The label of one side from its environment: "host, kernel release",
 * then the sysctls whose values differ from the other side's (the
 * environment's, with the scenario's own "sysctls" written over them when
 * the scenarios are given), then, when that alone would not tell the sides
 * apart, when it started ("2026-11-26 02:39", UTC). brief: without host
 * and kernel when the other side ran on the same ones (for plot titles). */
void compare_label(const json_t *environment, const json_t *scenario,
                   const json_t *other_environment, const json_t *other_scenario, int brief,
                   char *out, size_t size);

#endif
