/* test_counters.c: parsing /proc/net/netstat and /proc/net/snmp (counters.h).
 *
 * The fixtures were captured in a fresh network namespace (unshare -n, lo
 * up) after a listener with backlog 1 that never accepts met 8 non-blocking
 * connects and 1.5 s had passed: 2 handshakes completed, the other 6 SYNs
 * were dropped and each retransmitted once, so ListenOverflows and
 * ListenDrops are 12 (6 SYNs + 6 retransmits) and TCPSynRetrans is 6.
 *
 *   test_counters FIXTURE_DIR */
#include <jansson.h>

#include "check.h"
#include "counters.h"

static char *read_fixture(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        exit(2);
    }
    char *text = calloc(1, 65536);
    if (!text || fread(text, 1, 65535, f) == 0) {
        perror(path);
        exit(2);
    }
    fclose(f);
    return text;
}

static size_t count_words(const char *line)
{
    size_t n = 0;
    for (const char *p = line; *p && *p != '\n'; p++)
        if (*p != ' ' && (p == line || p[-1] == ' '))
            n++;
    return n;
}

static void test_netstat(const char *dir)
{
    static const char *const groups[] = {"TcpExt", NULL};
    char *text = read_fixture(dir, "netstat-listen-overflow.txt");
    struct counters *c = calloc(1, sizeof *c);
    counters_parse(c, text, groups);
    CHECK_INT(counters_get(c, "ListenOverflows"), 12);
    CHECK_INT(counters_get(c, "ListenDrops"), 12);
    CHECK_INT(counters_get(c, "TCPSynRetrans"), 6);
    CHECK_INT(counters_get(c, "TCPTimeouts"), 6);
    CHECK_INT(counters_get(c, "SyncookiesSent"), 0);
    /* exactly the TcpExt names: the header's words less "TcpExt:" */
    CHECK_INT(c->count, count_words(text) - 1);
    /* other groups are left out (IpExt's InNoECTPkts, MPTcpExt's ...) */
    for (size_t i = 0; i < c->count; i++)
        CHECK(strcmp(c->names[i], "InNoECTPkts") != 0 && strncmp(c->names[i], "MP", 2) != 0);
    CHECK_INT(counters_get(c, "NoSuchCounter"), 0);

    /* the delta from zero: always the three, then whatever moved */
    struct counters *zero = calloc(1, sizeof *zero);
    json_t *delta = counters_delta_json(zero, c);
    CHECK_INT(json_integer_value(json_object_get(delta, "ListenOverflows")), 12);
    CHECK_INT(json_integer_value(json_object_get(delta, "ListenDrops")), 12);
    CHECK_INT(json_integer_value(json_object_get(delta, "TCPSynRetrans")), 6);
    CHECK(json_object_get(delta, "SyncookiesSent") == NULL);
    json_decref(delta);
    /* nothing moved: the three are still there, as 0 */
    delta = counters_delta_json(c, c);
    CHECK_INT(json_object_size(delta), 3);
    CHECK_INT(json_integer_value(json_object_get(delta, "ListenOverflows")), 0);
    json_decref(delta);
    free(zero);
    free(c);
    free(text);
}

static void test_snmp(const char *dir)
{
    static const char *const groups[] = {"Tcp", NULL};
    char *text = read_fixture(dir, "snmp-listen-overflow.txt");
    struct counters *c = calloc(1, sizeof *c);
    counters_parse(c, text, groups);
    /* "Tcp" only: not "TcpExt", not "Udp" */
    CHECK_INT(c->count, 15);
    CHECK_INT(counters_get(c, "ActiveOpens"), 8);
    CHECK_INT(counters_get(c, "PassiveOpens"), 2);
    CHECK_INT(counters_get(c, "CurrEstab"), 4);
    CHECK_INT(counters_get(c, "RetransSegs"), 6);
    CHECK_INT(counters_get(c, "MaxConn"), -1);
    CHECK_INT(counters_get(c, "InDatagrams"), 0);
    /* CurrEstab is a gauge: reported as its value, not a difference */
    struct counters *before = calloc(1, sizeof *before);
    counters_parse(before, text, groups);
    json_t *delta = counters_delta_json(before, c);
    CHECK_INT(json_integer_value(json_object_get(delta, "CurrEstab")), 4);
    CHECK(json_object_get(delta, "ActiveOpens") == NULL);
    json_decref(delta);
    free(before);
    free(c);
    free(text);
}

static void test_odd_texts(void)
{
    static const char *const groups[] = {"TcpExt", NULL};
    const char *texts[] = {"",
                           "TcpExt: A B\n",
                           "TcpExt: A B\nTcpExt: 1 2",
                           "TcpExt: A B\nTcpExt: 1\n",
                           "TcpExt: A\nTcpExt: x\n",
                           "no colon here\nat all\n",
                           "\n\n\n"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        struct counters *c = calloc(1, sizeof *c);
        counters_parse(c, texts[i], groups);
        CHECK(c->count <= 2);
        free(c);
    }
    struct counters *c = calloc(1, sizeof *c);
    counters_parse(c, "TcpExt: A B\nTcpExt: 1 2\n", groups);
    CHECK_INT(c->count, 2);
    CHECK_INT(counters_get(c, "B"), 2);
    free(c);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s FIXTURE_DIR\n", argv[0]);
        return 2;
    }
    test_netstat(argv[1]);
    test_snmp(argv[1]);
    test_odd_texts();
    return check_exit();
}
