/* counters.c: see counters.h. */
#include "counters.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const always_reported[] = {"ListenOverflows", "ListenDrops", "TCPSynRetrans",
                                              NULL};

static int counters_index(const struct counters *c, const char *name)
{
    for (size_t i = 0; i < c->count; i++)
        if (strcmp(c->names[i], name) == 0)
            return (int)i;
    return -1;
}

int64_t counters_get(const struct counters *c, const char *name)
{
    int i = counters_index(c, name);
    return i < 0 ? 0 : c->values[i];
}

void counters_parse(struct counters *c, const char *text, const char *const groups[])
{
    const char *line = text;
    while (*line) {
        const char *next_line = strchr(line, '\n');
        if (!next_line)
            break;
        const char *values = next_line + 1;
        const char *values_end = strchr(values, '\n');
        const char *colon = strchr(line, ':');
        if (!values_end || !colon || colon > next_line)
            break;
        int wanted = 0;
        for (size_t g = 0; groups[g]; g++)
            wanted |= (size_t)(colon - line) == strlen(groups[g]) &&
                      strncmp(line, groups[g], strlen(groups[g])) == 0;
        /* Udp's names (InErrors, InCsumErrors ...) would meet Tcp's: they
         * take the group's name in front, as nstat writes them */
        const char *prefix = colon - line == 3 && strncmp(line, "Udp", 3) == 0 ? "Udp" : "";
        if (wanted) {
            const char *n = colon + 1, *v = strchr(values, ':');
            v = v ? v + 1 : values_end;
            while (n < next_line && v < values_end && c->count < COUNTERS_MAX) {
                while (*n == ' ')
                    n++;
                size_t len = strcspn(n, " \n");
                char *end;
                long long value = strtoll(v, &end, 10);
                if (end == v || len == 0)
                    break;
                snprintf(c->names[c->count], sizeof c->names[0], "%s%.*s", prefix, (int)len, n);
                c->values[c->count++] = value;
                n += len;
                v = end;
            }
        }
        line = values_end + 1;
    }
}

static int read_text(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "re");
    if (!f)
        return -errno;
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = '\0';
    fclose(f);
    return 0;
}

int counters_read(struct counters *c)
{
    static const char *const snmp_groups[] = {"Tcp", "Udp", NULL};
    static const char *const netstat_groups[] = {"TcpExt", NULL};
    char *buf = malloc(65536);
    int rc;
    if (!buf)
        return -ENOMEM;
    /* $HARNESS_PROC_NET: another directory, for the test that a point whose
     * counters cannot be read fails */
    const char *dir = getenv("HARNESS_PROC_NET") ? getenv("HARNESS_PROC_NET") : "/proc/net";
    char path[4096];
    c->count = 0;
    snprintf(path, sizeof path, "%s/snmp", dir);
    if ((rc = read_text(path, buf, 65536)) == 0)
        counters_parse(c, buf, snmp_groups);
    snprintf(path, sizeof path, "%s/netstat", dir);
    if (rc == 0 && (rc = read_text(path, buf, 65536)) == 0)
        counters_parse(c, buf, netstat_groups);
    free(buf);
    return rc;
}

json_t *counters_delta_json(const struct counters *before, const struct counters *after)
{
    json_t *out = json_object();
    for (size_t i = 0; always_reported[i]; i++)
        json_object_set_new(out, always_reported[i],
                            json_integer(counters_get(after, always_reported[i]) -
                                         counters_get(before, always_reported[i])));
    for (size_t i = 0; i < after->count; i++) {
        /* CurrEstab is a gauge, not a counter: report its value, not a delta */
        int64_t delta = strcmp(after->names[i], "CurrEstab") == 0
                            ? after->values[i]
                            : after->values[i] - counters_get(before, after->names[i]);
        if (delta != 0)
            json_object_set_new(out, after->names[i], json_integer(delta));
    }
    return out;
}

json_t *counters_sum_json(const json_t *a, const json_t *b)
{
    json_t *out = json_deep_copy(a);
    const char *name;
    json_t *value;
    if (!out)
        out = json_object();
    json_object_foreach((json_t *)b, name, value)
    {
        json_int_t sum = json_integer_value(json_object_get(out, name)) + json_integer_value(value);
        json_object_set_new(out, name, json_integer(sum));
    }
    return out;
}
