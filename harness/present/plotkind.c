/* plotkind.c: see plotkind.h. */
#include "plotkind.h"

#include <string.h>

#define PLOT_TABLE_DECLARE(name, drawn, when, needs)                                               \
    extern const struct plot_table plot_table_##name;
PLOT_KINDS(PLOT_TABLE_DECLARE)
#undef PLOT_TABLE_DECLARE

#define PLOT_KIND_ENTRY(name, drawn, when, needs) {#name, #name ".gp", drawn, &plot_table_##name},
static const struct plot_kind kinds[PLOT_KIND_COUNT] = {PLOT_KINDS(PLOT_KIND_ENTRY)};
#undef PLOT_KIND_ENTRY

const struct plot_kind *plot_kind_find(const char *name)
{
    int id = name ? plot_kind_id(name) : -1;
    return id < 0 ? NULL : &kinds[id];
}

int plot_kind_write_table(const struct plot_kind *kind, FILE *out, const json_t *results,
                          size_t run, struct hl_error *err)
{
    return kind->table->write(out, results, run, err);
}

void plot_kind_runs_note(const struct plot_kind *kind, const json_t *results, char *title,
                         size_t size)
{
    size_t runs = json_array_size(json_object_get(results, "runs"));
    size_t used = strlen(title);
    if (kind->table->max_runs && runs > kind->table->max_runs && used < size)
        snprintf(title + used, size - used, " (the first %zu of %zu runs)", kind->table->max_runs,
                 runs);
}
