/* export_table.c: the results file checked and flattened into the two
 * tables of export.h, rows and columns; export_csv.c writes them. */
#include "export.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "results.h"

static const char *const run_leading[] = {"point", "repeat", NULL};
static const char *const connection_leading[] = {"point", "repeat", "conn", NULL};

/* Sets row[column] = value, once: two fields flattening to one name (a key
 * "a.b" beside an object "a" holding "b") would lose one of them. */
static int put_cell(json_t *row, const char *column, json_t *value, const char *where,
                    struct hl_error *err)
{
    if (json_object_get(row, column))
        return hl_error_set(err, where, "two fields make the column \"%s\"", column);
    if (json_object_set(row, column, value))
        return hl_error_setn(err, ENOMEM, where, "out of memory");
    return 0;
}

/* Every value under value (named path) into row, objects walked down to
 * their members. */
static int flatten(json_t *row, const char *path, json_t *value, const char *where,
                   struct hl_error *err)
{
    const char *key;
    json_t *member;
    if (!json_is_object(value) || json_object_size(value) == 0)
        return put_cell(row, path, value, where, err);
    json_object_foreach(value, key, member)
    {
        char *child = malloc(strlen(path) + strlen(key) + 2);
        if (!child)
            return hl_error_setn(err, ENOMEM, where, "out of memory");
        sprintf(child, "%s.%s", path, key);
        int rc = flatten(row, child, member, where, err);
        free(child);
        if (rc)
            return rc;
    }
    return 0;
}

static int is_run_detail(const char *key)
{
    static const char *const detail[] = EXPORT_RUN_DETAIL;
    for (size_t i = 0; i < sizeof detail / sizeof detail[0]; i++)
        if (strcmp(key, detail[i]) == 0)
            return 1;
    return 0;
}

/* One row of runs.csv from runs[index]. */
static int run_row(json_t *rows, json_t *run, size_t index, struct hl_error *err)
{
    char where[64];
    const char *key;
    json_t *member, *row = json_object();
    int rc = 0;
    snprintf(where, sizeof where, "runs[%zu]", index);
    if (!row || json_array_append_new(rows, row))
        return hl_error_setn(err, ENOMEM, where, "out of memory");
    json_object_foreach(run, key, member)
    {
        if (!is_run_detail(key) && (rc = flatten(row, key, member, where, err)))
            return rc;
    }
    return 0;
}

/* One row of connections.csv per connection of runs[index]. */
static int connection_rows(json_t *rows, json_t *run, size_t index, struct hl_error *err)
{
    json_t *connections = json_object_get(run, "connections"), *connection;
    char where[96];
    size_t i;
    json_array_foreach(connections, i, connection)
    {
        const char *key;
        json_t *member, *row = json_object();
        int rc;
        snprintf(where, sizeof where, "runs[%zu].connections[%zu]", index, i);
        if (!row || json_array_append_new(rows, row))
            return hl_error_setn(err, ENOMEM, where, "out of memory");
        if ((rc = put_cell(row, "point", json_object_get(run, "point"), where, err)) ||
            (rc = put_cell(row, "repeat", json_object_get(run, "repeat"), where, err)))
            return rc;
        json_object_foreach(connection, key, member)
        {
            if ((rc = flatten(row, key, member, where, err)))
                return rc;
        }
    }
    return 0;
}

/* The format, and the shape of runs[index] the tables rely on. */
static int check_run(const json_t *run, size_t index, struct hl_error *err)
{
    char where[64];
    const json_t *connections = json_object_get(run, "connections");
    size_t i;
    json_t *connection;
    snprintf(where, sizeof where, "runs[%zu]", index);
    if (!json_is_object(run))
        return hl_error_set(err, where, "expected an object (a run)");
    snprintf(where, sizeof where, "runs[%zu].point", index);
    if (!json_is_integer(json_object_get(run, "point")))
        return hl_error_set(err, where, "expected an integer (the run's point)");
    snprintf(where, sizeof where, "runs[%zu].repeat", index);
    if (!json_is_integer(json_object_get(run, "repeat")))
        return hl_error_set(err, where, "expected an integer (the run's repeat)");
    snprintf(where, sizeof where, "runs[%zu].connections", index);
    if (connections && !json_is_array(connections))
        return hl_error_set(err, where, "expected a list of connections");
    json_array_foreach(connections, i, connection)
    {
        if (!json_is_object(connection)) {
            snprintf(where, sizeof where, "runs[%zu].connections[%zu]", index, i);
            return hl_error_set(err, where, "expected an object (a connection)");
        }
    }
    return 0;
}

static int check_results(const json_t *results, struct hl_error *err)
{
    const char *format = json_string_value(json_object_get(results, "format"));
    const json_t *runs = json_object_get(results, "runs");
    static const char family[] = "backlog-lab results ";
    size_t i;
    json_t *run;
    if (!json_is_object(results) || !format)
        return hl_error_set(err, NULL, "not a results file (no \"format\": \"%s\")",
                            RESULTS_FORMAT);
    if (strcmp(format, RESULTS_FORMAT) != 0 && strncmp(format, family, strlen(family)) == 0)
        return hl_error_set(err, "format",
                            "\"%s\" is not the format this version reads (\"%s\"): results "
                            "from a newer backlog-lab? Export them with that version",
                            format, RESULTS_FORMAT);
    if (strcmp(format, RESULTS_FORMAT) != 0)
        return hl_error_set(err, "format", "not a results file: \"%s\" (expected \"%s\")", format,
                            RESULTS_FORMAT);
    if (!json_is_array(runs))
        return hl_error_set(err, "runs", "expected a list of runs");
    json_array_foreach(runs, i, run)
    {
        int rc = check_run(run, i, err);
        if (rc)
            return rc;
    }
    return 0;
}

/* qsort_r's order: the leading columns (a NULL-ended list) in their
 * order, then the rest by name. */
static int compare_columns(const void *a, const void *b, void *leading_list)
{
    const char *const *leading = leading_list;
    const char *x = *(char *const *)a, *y = *(char *const *)b;
    size_t rank_x = 0, rank_y = 0;
    while (leading[rank_x] && strcmp(leading[rank_x], x) != 0)
        rank_x++;
    while (leading[rank_y] && strcmp(leading[rank_y], y) != 0)
        rank_y++;
    if (rank_x != rank_y)
        return rank_x < rank_y ? -1 : 1;
    return strcmp(x, y);
}

/* The header: every column of any row, and the leading ones always. */
static int collect_columns(struct export_table *table, const char *const *leading)
{
    json_t *seen = json_object(), *row, *value;
    const char *key;
    size_t i;
    int rc = 0;
    if (!seen)
        return -ENOMEM;
    for (i = 0; leading[i]; i++)
        json_object_set_new(seen, leading[i], json_true());
    json_array_foreach(table->rows, i, row)
    {
        json_object_foreach(row, key, value) json_object_set_new(seen, key, json_true());
    }
    table->columns = calloc(json_object_size(seen) + 1, sizeof *table->columns);
    if (!table->columns)
        rc = -ENOMEM;
    json_object_foreach(seen, key, value)
    {
        char *copy = rc ? NULL : strdup(key);
        if (!copy) {
            rc = -ENOMEM;
            break;
        }
        table->columns[table->column_count++] = copy;
    }
    json_decref(seen);
    if (!rc)
        qsort_r(table->columns, table->column_count, sizeof *table->columns, compare_columns,
                (void *)leading);
    return rc;
}

int export_tables_build(struct export_tables *t, const json_t *results, struct hl_error *err)
{
    json_t *runs = json_object_get(results, "runs"), *run;
    size_t i;
    int rc;
    memset(t, 0, sizeof *t);
    t->runs.name = "runs";
    t->connections.name = "connections";
    if ((rc = check_results(results, err)))
        return rc;
    t->runs.rows = json_array();
    t->connections.rows = json_array();
    if (!t->runs.rows || !t->connections.rows)
        return hl_error_setn(err, ENOMEM, NULL, "out of memory");
    json_array_foreach(runs, i, run)
    {
        if ((rc = run_row(t->runs.rows, run, i, err)) ||
            (rc = connection_rows(t->connections.rows, run, i, err)))
            return rc;
    }
    if (collect_columns(&t->runs, run_leading) ||
        collect_columns(&t->connections, connection_leading))
        return hl_error_setn(err, ENOMEM, NULL, "out of memory");
    return 0;
}

static void table_free(struct export_table *table)
{
    for (size_t i = 0; i < table->column_count; i++)
        free(table->columns[i]);
    free(table->columns);
    json_decref(table->rows);
    table->columns = NULL;
    table->column_count = 0;
    table->rows = NULL;
}

void export_tables_free(struct export_tables *t)
{
    table_free(&t->runs);
    table_free(&t->connections);
}
