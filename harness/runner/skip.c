/* skip.c: points skipped because this kernel lacks a qdisc their link
 * needs, or because the user their program runs as cannot reach its
 * folder (see runner_internal.h). A point whose shaping the kernel cannot
 * do is skipped, never run unshaped: the results say which and why. */
#include "link.h"
#include "program.h"
#include "runner_internal.h"

int skip_probe_qdiscs(struct runner *r, const struct scenario *s, struct hl_error *err)
{
    unsigned needs = 0;
    for (size_t i = 0; i < s->point_count; i++) {
        struct point_params params;
        if (scenario_point(s, i, &params, NULL, err) == 0)
            needs |= link_needs(&params);
    }
    if (!needs)
        return 0;
    return link_probe(needs, &r->qdiscs_missing, r->qdisc_refusal, sizeof r->qdisc_refusal, err);
}

/* The qdiscs missing by name, as the results list them. */
static json_t *needs_names(unsigned missing)
{
    json_t *needs = json_array();
    if (missing & LINK_NEEDS_NETEM)
        json_array_append_new(needs, json_string("netem"));
    if (missing & LINK_NEEDS_TBF)
        json_array_append_new(needs, json_string("tbf"));
    return needs;
}

static void tell_skipped(const struct runner *r, const struct scenario *s, size_t index,
                         const json_t *sweep, const char *reason)
{
    const struct runner_progress *progress = r->options.progress;
    char label[512];
    if (!progress || !progress->point_skipped)
        return;
    scenario_point_label(sweep, label, sizeof label);
    struct runner_place at = {.scenario = s, .point = index, .repeat = 0, .label = label};
    progress->point_skipped(progress->data, &at, reason);
}

/* A point whose program could not read its own files: skipped, with the
 * way out (program.h). */
static int skip_unreachable(struct runner *r, const struct scenario *s, size_t index,
                            const struct point_params *params, json_t *sweep)
{
    const struct program_params *program = program_of(params, NULL);
    char reason[512];
    if (!program || program_folder_reachable(s->file, program, reason, sizeof reason))
        return 0;
    json_array_append_new(r->skipped,
                          json_pack("{s:I,s:O,s:o,s:s,s:[s],s:n}", "point", (json_int_t)index,
                                    "sweep", sweep, "params", params_to_json(params), "reason",
                                    reason, "needs", "folder access", "kernel_says"));
    tell_skipped(r, s, index, sweep, reason);
    return 1;
}

int skip_point(struct runner *r, const struct scenario *s, size_t index)
{
    struct point_params params;
    struct hl_error ignored;
    json_t *sweep = NULL;
    if (scenario_point(s, index, &params, &sweep, &ignored))
        return 0;
    unsigned missing = link_needs(&params) & r->qdiscs_missing;
    if (!missing) {
        int skipped = skip_unreachable(r, s, index, &params, sweep);
        json_decref(sweep);
        return skipped;
    }
    char reason[512];
    link_missing_text(&params, missing, reason, sizeof reason);
    json_array_append_new(
        r->skipped, json_pack("{s:I,s:O,s:o,s:s,s:o,s:s}", "point", (json_int_t)index, "sweep",
                              sweep, "params", params_to_json(&params), "reason", reason, "needs",
                              needs_names(missing), "kernel_says", r->qdisc_refusal));
    tell_skipped(r, s, index, sweep, reason);
    json_decref(sweep);
    return 1;
}
