/* check.h: the whole unit-test "framework".
 *
 * CHECK(cond) and its typed forms print "file:line: ..." with both values on
 * a failure and let the test go on, so one run shows every broken check.
 * main() ends with `return check_exit();`: 0 when all passed, 1 when one
 * failed or when none ran (a test that checked nothing proved nothing).
 * Each test program is one translation unit, so the counter can be static. */
#ifndef TESTS_UNIT_CHECK_H
#define TESTS_UNIT_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int check_failures;
static int check_count;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        check_count++;                                                                             \
        if (!(cond)) {                                                                             \
            check_failures++;                                                                      \
            fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond);               \
        }                                                                                          \
    } while (0)

#define CHECK_INT(actual, expected)                                                                \
    do {                                                                                           \
        long long check_a_ = (long long)(actual), check_e_ = (long long)(expected);                \
        check_count++;                                                                             \
        if (check_a_ != check_e_) {                                                                \
            check_failures++;                                                                      \
            fprintf(stderr, "%s:%d: %s is %lld, expected %s = %lld\n", __FILE__, __LINE__,         \
                    #actual, check_a_, #expected, check_e_);                                       \
        }                                                                                          \
    } while (0)

#define CHECK_STR(actual, expected)                                                                \
    do {                                                                                           \
        const char *check_a_ = (actual), *check_e_ = (expected);                                   \
        check_count++;                                                                             \
        if (!check_a_ || strcmp(check_a_, check_e_) != 0) {                                        \
            check_failures++;                                                                      \
            fprintf(stderr, "%s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #actual, \
                    check_a_ ? check_a_ : "(null)", check_e_);                                     \
        }                                                                                          \
    } while (0)

/* haystack contains needle */
#define CHECK_CONTAINS(haystack, needle)                                                           \
    do {                                                                                           \
        const char *check_h_ = (haystack), *check_n_ = (needle);                                   \
        check_count++;                                                                             \
        if (!check_h_ || !strstr(check_h_, check_n_)) {                                            \
            check_failures++;                                                                      \
            fprintf(stderr, "%s:%d: %s is \"%s\", expected it to contain \"%s\"\n", __FILE__,      \
                    __LINE__, #haystack, check_h_ ? check_h_ : "(null)", check_n_);                \
        }                                                                                          \
    } while (0)

static inline int check_exit(void)
{
    if (check_count == 0) {
        fprintf(stderr, "no check ran\n");
        return 1;
    }
    if (check_failures) {
        fprintf(stderr, "%d of %d checks failed\n", check_failures, check_count);
        return 1;
    }
    printf("all %d checks passed\n", check_count);
    return 0;
}

/* Writes length bytes of text to a new file under $TMPDIR (or /tmp) and
 * puts its path in path[size]; the caller unlinks it. Exits on failure:
 * a test that cannot make its input has nothing to check. */
static inline void check_write_temp(const char *text, size_t length, char *path, size_t size)
{
    const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(path, size, "%s/unit-test.XXXXXX.json", dir);
    int fd = mkstemps(path, 5);
    if (fd < 0 || write(fd, text, length) != (ssize_t)length) {
        perror(path);
        exit(2);
    }
    close(fd);
}

#endif
