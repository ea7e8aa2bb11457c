/* test_eventlog.c: the event lines formatted without jansson (eventlog.h)
 * are the JSON objects json_dumps(JSON_COMPACT) writes for the same
 * fields, and stay one valid object whatever they are given. */
#include <jansson.h>
#include <stdint.h>

#include "check.h"
#include "eventlog.h"

/* The line as written, without its newline. */
static const char *finish(struct event_line *line, char *out, size_t size)
{
    struct eventlog log = {0};
    log.out = fmemopen(out, size, "w");
    eventlog_emit_line(&log, line);
    fclose(log.out);
    out[strcspn(out, "\n")] = '\0';
    return out;
}

static void check_same_as_jansson(struct event_line *line, json_t *expected)
{
    char text[2 * EVENTLOG_LINE_MAX] = "";
    char *want = json_dumps(expected, JSON_COMPACT);
    CHECK_STR(finish(line, text, sizeof text), want);
    json_error_t error;
    json_t *back = json_loads(text, 0, &error);
    CHECK(back != NULL);
    CHECK(json_equal(back, expected));
    json_decref(back);
    free(want);
    json_decref(expected);
}

static void test_fields(void)
{
    struct event_line line;
    event_line_start(&line, "conn");
    event_line_int(&line, "conn", 0);
    event_line_string(&line, "outcome", "connected");
    event_line_int(&line, "start_us", -1);
    event_line_int(&line, "big", INT64_MAX);
    event_line_int(&line, "small", INT64_MIN);
    event_line_true(&line, "reset");
    check_same_as_jansson(&line, json_pack("{s:s,s:i,s:s,s:I,s:I,s:I,s:b}", "event", "conn", "conn",
                                           0, "outcome", "connected", "start_us", (json_int_t)-1,
                                           "big", (json_int_t)INT64_MAX, "small",
                                           (json_int_t)INT64_MIN, "reset", 1));
}

static void test_escapes(void)
{
    struct event_line line;
    const char *odd = "quote \" backslash \\ tab \t newline \n bell \a \xc3\xa9";
    event_line_start(&line, "x\"y");
    event_line_string(&line, "text", odd);
    char text[2 * EVENTLOG_LINE_MAX] = "";
    json_error_t error;
    json_t *back = json_loads(finish(&line, text, sizeof text), 0, &error);
    CHECK(back != NULL);
    CHECK_STR(json_string_value(json_object_get(back, "event")), "x\"y");
    CHECK_STR(json_string_value(json_object_get(back, "text")), odd);
    json_decref(back);
}

/* a sample's list of connections */
static void test_rows(void)
{
    struct event_line line;
    const int64_t values[] = {0, 65536, 3, 7, -1, INT64_MAX};
    event_line_start(&line, "server_sample");
    event_line_int(&line, "t_us", 10);
    event_line_int_rows(&line, "conns", values, 2, 3);
    event_line_int_rows(&line, "none", values, 0, 3);
    check_same_as_jansson(&line, json_pack("{s:s,s:i,s:[[I,I,I],[I,I,I]],s:[]}", "event",
                                           "server_sample", "t_us", 10, "conns", (json_int_t)0,
                                           (json_int_t)65536, (json_int_t)3, (json_int_t)7,
                                           (json_int_t)-1, (json_int_t)INT64_MAX, "none"));
}

/* strerrorname_np's NULL for an unknown errno leaves the field out */
static void test_null_string(void)
{
    struct event_line line;
    event_line_start(&line, "conn");
    event_line_string(&line, "error", NULL);
    event_line_int(&line, "conn", 7);
    check_same_as_jansson(&line, json_pack("{s:s,s:i}", "event", "conn", "conn", 7));
}

/* fields past EVENTLOG_LINE_MAX are left out; the line stays valid */
static void test_overflow(void)
{
    struct event_line line;
    char long_text[EVENTLOG_LINE_MAX];
    memset(long_text, 'a', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    event_line_start(&line, "conn");
    for (int i = 0; i < 200; i++)
        event_line_int(&line, "field", 1234567890);
    event_line_string(&line, "long", long_text);
    CHECK(line.length <= EVENTLOG_LINE_MAX - 2);
    char text[2 * EVENTLOG_LINE_MAX] = "";
    json_error_t error;
    json_t *back = json_loads(finish(&line, text, sizeof text), JSON_DECODE_ANY, &error);
    CHECK(json_is_object(back));
    CHECK(json_object_get(back, "long") == NULL);
    json_decref(back);
}

int main(void)
{
    test_fields();
    test_escapes();
    test_rows();
    test_null_string();
    test_overflow();
    return check_exit();
}
