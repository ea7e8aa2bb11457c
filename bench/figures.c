/* figures.c: see figures.h. */
#include "figures.h"

#include <string.h>

void figures_add(struct figures *table, const char *figure, double value, const char *unit,
                 const char *peer, double peer_value, enum goal goal, double target)
{
    if (table->count == FIGURES_MAX_ROWS)
        return;
    struct figure_row *r = &table->rows[table->count++];
    snprintf(r->figure, sizeof r->figure, "%s", figure);
    snprintf(r->peer, sizeof r->peer, "%s", peer);
    r->value = value;
    r->peer_value = peer_value;
    r->unit = unit;
    r->goal = goal;
    r->target = target;
    r->failed = !(value >= 0) || !(peer_value > 0);
    r->ratio = r->failed ? 0 : value / peer_value;
    /* print as we go: a long run shows its progress */
    fprintf(stderr, "bench-run: %s: %.4g %s (%s: %.4g)\n", figure, value, unit, peer, peer_value);
}

double figures_median(double *values, int n)
{
    for (int i = 1; i < n; i++)
        for (int k = i; k > 0 && values[k] < values[k - 1]; k--) {
            double swap = values[k];
            values[k] = values[k - 1];
            values[k - 1] = swap;
        }
    if (n == 0)
        return -1;
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/* The median of values[k] / peers[k]: each pair measured back to back,
 * so what drifts between pairs cancels. -1 if a pair failed. */
static double paired_ratio(const double *values, const double *peers, int n)
{
    double ratios[MAX_REPEAT];
    for (int k = 0; k < n; k++) {
        if (!(values[k] > 0) || !(peers[k] > 0))
            return -1;
        ratios[k] = values[k] / peers[k];
    }
    return figures_median(ratios, n);
}

static void print_pairs(const char *figure, const double *values, const char *peer,
                        const double *peers, int n)
{
    fprintf(stderr, "bench-run: %s / %s, pairs:", figure, peer);
    for (int k = 0; k < n; k++)
        fprintf(stderr, " %.4g/%.4g=%.2f", values[k], peers[k],
                peers[k] > 0 ? values[k] / peers[k] : -1);
    fprintf(stderr, "\n");
}

void figures_add_paired(struct figures *table, const char *figure, const double *values,
                        const char *unit, const char *peer, const double *peers, int n,
                        enum goal goal, double target)
{
    double v[MAX_REPEAT], p[MAX_REPEAT], ratio = paired_ratio(values, peers, n);
    if (table->verbose)
        print_pairs(figure, values, peer, peers, n);
    memcpy(v, values, (size_t)n * sizeof *v);
    memcpy(p, peers, (size_t)n * sizeof *p);
    figures_add(table, figure, figures_median(v, n), unit, peer, figures_median(p, n), goal,
                target);
    if (table->count > 0) {
        table->rows[table->count - 1].ratio = ratio;
        table->rows[table->count - 1].failed |= ratio < 0;
    }
}

int figures_row_met(const struct figure_row *r)
{
    if (r->goal == INFO)
        return 1;
    if (r->failed)
        return 0;
    return r->goal == AT_LEAST ? r->ratio >= r->target : r->ratio < r->target;
}

int figures_targets(const struct figures *table, int *missed)
{
    int targets = 0;
    *missed = 0;
    for (int i = 0; i < table->count; i++) {
        targets += table->rows[i].goal != INFO;
        *missed += !figures_row_met(&table->rows[i]);
    }
    return targets;
}

/* a figure with the digits that mean something */
static void format_value(char *out, size_t size, double v, const char *unit)
{
    const char *space = unit[0] ? " " : "";
    if (v >= 100 || v == 0)
        snprintf(out, size, "%.0f%s%s", v, space, unit);
    else if (v >= 10)
        snprintf(out, size, "%.1f%s%s", v, space, unit);
    else
        snprintf(out, size, "%.2f%s%s", v, space, unit);
}

static void print_row(const struct figure_row *r, FILE *out)
{
    char value[32], peer_value[32], target[16];
    format_value(value, sizeof value, r->value, r->unit);
    format_value(peer_value, sizeof peer_value, r->peer_value, r->unit);
    snprintf(target, sizeof target, "%s %.2f", r->goal == AT_LEAST ? ">=" : "<", r->target);
    if (r->goal == INFO)
        snprintf(target, sizeof target, "-");
    if (r->failed)
        fprintf(out, "%-48s %12s  %-34s %12s  %6s  %-8s %s\n", r->figure,
                r->value >= 0 ? value : "failed", r->peer, peer_value, "-", target, "MISSED");
    else
        fprintf(out, "%-48s %12s  %-34s %12s  %6.2f  %-8s %s\n", r->figure, value, r->peer,
                peer_value, r->ratio, target,
                r->goal == INFO      ? ""
                : figures_row_met(r) ? "ok"
                                     : "MISSED");
}

void figures_print(const struct figures *table, FILE *out)
{
    fprintf(out, "%-48s %12s  %-34s %12s  %6s  %-8s %s\n", "figure", "value", "peer", "value",
            "ratio", "target", "");
    for (int i = 0; i < table->count; i++)
        print_row(&table->rows[i], out);
}
