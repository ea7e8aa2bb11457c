/* plotkinds.h: every kind of plot, listed once.
 *
 * One line per kind, in the order a scenario's "plots" lists them when the
 * scenario does not say, and the order the pages show them in whatever a
 * results file lists (report.h): first the plots that answer a scenario's
 * question over its whole sweep (outcomes, handshakes, buffers,
 * buffer_grid, rate, latency, reads, connect_cdf, datagrams), then the timelines of single points
 * (accept_queue, transfer, queues), which explain them:
 *
 *   name     the "plots" word, the table present/table_<name>.c writes
 *            and the gnuplot script plot/<name>.gp that draws it
 *   drawn    PLOT_PER_SWEEP: one plot for the whole sweep; PLOT_PER_POINT:
 *            a timeline, one plot per point ("<name>-p<N>")
 *   when     when a scenario that names no plots gets it: a rule below
 *   needs    what the sweep must hold for the kind to be drawn at all, a
 *            rule checked when a scenario asks for the kind by name
 *            (nothing: any scenario)
 *
 * Two layers expand this list: the scenario's (plotkinds.c: which kinds a
 * scenario gets, validated where its file says "plots") and the drawing
 * side's (present/plotkind.c: each kind's table, script and titles). The
 * runner, harness-run and the peers never link the drawing side, so a
 * change to how a plot is drawn reruns no experiment.
 *
 * To add a kind: a line here (and its rules in plotkinds.c if new), its
 * table in present/table_<name>.c, its script plot/<name>.gp, the word in
 * scenarios/schema.json, and a plot test (tests/plot). */
#ifndef HARNESS_PLOTKINDS_H
#define HARNESS_PLOTKINDS_H

#include <jansson.h>
#include <stddef.h>

#include "params.h"

/* clang-format off */
/*  name           drawn           when                  needs */
#define PLOT_KINDS(X) \
    X(outcomes,     PLOT_PER_SWEEP, always,               nothing) \
    X(handshakes,   PLOT_PER_SWEEP, sweeps_backlog,       nothing) \
    X(buffers,      PLOT_PER_SWEEP, sweeps_a_tcp_buffer,  sweeps_a_buffer) \
    X(buffer_grid,  PLOT_PER_SWEEP, sweeps_both_tcp_buffers, sweeps_both_buffers) \
    X(rate,         PLOT_PER_SWEEP, sweeps_the_reader,    nothing) \
    X(latency,      PLOT_PER_SWEEP, several_connections,  nothing) \
    X(reads,        PLOT_PER_SWEEP, spaces_sends,         nothing) \
    X(connect_cdf,  PLOT_PER_SWEEP, arrives_over_time,    nothing) \
    X(datagrams,    PLOT_PER_SWEEP, has_udp_points,       has_udp_points) \
    X(accept_queue, PLOT_PER_POINT, connections_can_wait, nothing) \
    X(transfer,     PLOT_PER_POINT, sends_bytes,          nothing) \
    X(queues,       PLOT_PER_POINT, sends_bytes,          nothing)
/* clang-format on */

enum plot_drawn { PLOT_PER_SWEEP, PLOT_PER_POINT };

#define PLOT_KIND_ENUM(name, drawn, when, needs) PLOT_KIND_##name,
enum plot_kind_id { PLOT_KINDS(PLOT_KIND_ENUM) PLOT_KIND_COUNT };
#undef PLOT_KIND_ENUM

/* What the rules look at: the scenario's base point and the key paths its
 * sweep varies ("server.backlog", "sysctls.net.core.somaxconn"). */
struct plot_basis {
    const struct point_params *base;
    const char *const *swept;
    size_t swept_count;
};

/* A rule: whether it holds for the scenario; when it does not, why in
 * *why (for a need that is not met: what the kind needs and how to get
 * it). */
typedef int (*plot_rule_fn)(const struct plot_basis *basis, const char **why);

struct plot_kind_rules {
    const char *name;
    enum plot_drawn drawn;
    plot_rule_fn when;  /* drawn by default */
    plot_rule_fn needs; /* may be drawn at all */
};

/* The rules of kind id, in list order (id < PLOT_KIND_COUNT). */
const struct plot_kind_rules *plot_kind_rules(enum plot_kind_id id);

/* The id of the kind called name, or -1. */
int plot_kind_id(const char *name);

/* The names, NULL-terminated, in list order (for suggestions and for
 * tests that compare them with scenarios/schema.json). */
const char *const *plot_kind_names(void);

/* "outcomes, handshakes, ..." into out: the list for a message. */
const char *plot_kind_list(char *out, size_t size);

/* The kinds a scenario gets without asking: those whose `when` holds, in
 * list order (new reference). */
json_t *plot_kinds_chosen(const struct plot_basis *basis);

#endif
