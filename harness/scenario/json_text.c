/* json_text.c: see json_text.h. */
#include "json_text.h"
#include "locations.h"
#include "scenario.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What the file is when it is not a regular file, and what to give instead. */
static int not_regular_error(const char *file, mode_t mode, struct hl_error *err)
{
    if (S_ISDIR(mode))
        return hl_error_setn(err, EISDIR, file,
                             "a directory, not a scenario file; give one .json file "
                             "(e.g. scenarios/backlog-never-accept.json)");
    if (S_ISFIFO(mode))
        return hl_error_setn(err, EINVAL, file,
                             "a FIFO (named pipe), not a regular file; save the scenario "
                             "to a .json file and give that");
    return hl_error_setn(err, EINVAL, file, "%s, not a regular file; give a scenario .json file",
                         S_ISCHR(mode)    ? "a character device"
                         : S_ISBLK(mode)  ? "a block device"
                         : S_ISSOCK(mode) ? "a socket"
                                          : "a special file");
}

/* Opens file if it is a regular file within the size limit: *fd and *size. */
static int open_regular_file(const char *file, int *fd, size_t *size, struct hl_error *err)
{
    struct stat st;
    /* O_NONBLOCK: a FIFO given by mistake must not hang the open; it is
     * refused below as not a regular file */
    *fd = open(file, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (*fd < 0) {
        int e = errno;
        return hl_error_setn(err, e, file, "cannot open the scenario: %s%s", strerror(e),
                             e == ENOENT   ? "; check the path (the shipped scenarios are "
                                             "scenarios/*.json, e.g. "
                                             "scenarios/backlog-never-accept.json)"
                             : e == EACCES ? "; check the file's permissions (ls -l)"
                                           : "");
    }
    int rc = 0;
    if (fstat(*fd, &st) < 0) {
        int e = errno;
        rc = hl_error_setn(err, e, file, "cannot read the scenario: %s", strerror(e));
    } else if (!S_ISREG(st.st_mode)) {
        rc = not_regular_error(file, st.st_mode, err);
    } else if (st.st_size > SCENARIO_MAX_FILE_BYTES) {
        rc = hl_error_setn(err, EFBIG, file,
                           "the file is %lld bytes; a scenario may have at most %d (1 MiB)",
                           (long long)st.st_size, SCENARIO_MAX_FILE_BYTES);
    }
    if (rc) {
        close(*fd);
        return rc;
    }
    *size = (size_t)st.st_size;
    return 0;
}

int json_text_read_file(const char *file, char **text, size_t *length, struct hl_error *err)
{
    size_t size = 0, got = 0;
    int fd = -1, rc;
    if ((rc = open_regular_file(file, &fd, &size, err)))
        return rc;
    char *buf = malloc(size + 1);
    if (!buf) {
        close(fd);
        return hl_error_setn(err, ENOMEM, file, "out of memory");
    }
    while (got < size) {
        ssize_t n = read(fd, buf + got, size - got);
        if (n <= 0) {
            int e = n < 0 ? errno : EIO;
            free(buf);
            close(fd);
            if (n == 0)
                return hl_error_setn(err, e, file,
                                     "cannot read the scenario: it changed while being read");
            return hl_error_setn(err, e, file, "cannot read the scenario: %s", strerror(e));
        }
        got += (size_t)n;
    }
    close(fd);
    buf[got] = '\0';
    *text = buf;
    *length = got;
    return 0;
}

/* Length of the UTF-8 sequence at p (at most n bytes), or 0 when the bytes
 * are not UTF-8: the same rules jansson applies (no overlong forms, no
 * surrogates, nothing above U+10FFFF), found here so the message can name
 * the byte and its place. */
static size_t utf8_sequence_length(const unsigned char *p, size_t n)
{
    size_t count;
    uint32_t cp;
    if (p[0] < 0x80)
        return 1;
    if (p[0] >= 0xC2 && p[0] <= 0xDF) {
        count = 2;
        cp = p[0] & 0x1F;
    } else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
        count = 3;
        cp = p[0] & 0x0F;
    } else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
        count = 4;
        cp = p[0] & 0x07;
    } else {
        return 0;
    }
    if (count > n)
        return 0;
    for (size_t i = 1; i < count; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if ((count == 3 && cp < 0x800) || (count == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        return 0;
    return count;
}

/* What jansson would reject with a vague message or a wrong place: a NUL
 * byte (it would stop reading there) and bytes that are not UTF-8. */
static int check_text(const char *file, const char *text, size_t length, struct hl_error *err)
{
    char where[512];
    int line, column;
    if (length >= 2 &&
        ((text[0] == '\xFF' && text[1] == '\xFE') || (text[0] == '\xFE' && text[1] == '\xFF'))) {
        snprintf(where, sizeof where, "%s:1:1", file);
        return hl_error_set(err, where,
                            "invalid JSON: the file is UTF-16 text (it starts with a UTF-16 "
                            "byte order mark); save it as UTF-8");
    }
    for (size_t i = 0; i < length;) {
        const unsigned char *p = (const unsigned char *)text + i;
        size_t n = utf8_sequence_length(p, length - i);
        if (p[0] == 0 || n == 0) {
            json_text_position(text, i, &line, &column);
            snprintf(where, sizeof where, "%s:%d:%d", file, line, column);
            if (p[0] == 0)
                return hl_error_set(err, where,
                                    "invalid JSON: a NUL byte; a scenario is UTF-8 text, "
                                    "not a binary (or UTF-16) file");
            return hl_error_set(err, where,
                                "invalid JSON: byte 0x%02X is not UTF-8; save the file as "
                                "UTF-8 text",
                                p[0]);
        }
        i += n;
    }
    return 0;
}

int json_text_parse(const char *file, const char *text, size_t length, json_t **root,
                    struct hl_error *err)
{
    json_error_t jerr;
    size_t bom = 0;
    int rc;
    /* A UTF-8 byte order mark (Windows editors write one) is accepted and
     * skipped, as RFC 8259 section 8.1 allows; jansson would reject it, so
     * it never sees it. Lines and columns then count from the character
     * after it, as an editor shows them. */
    if (length >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        bom = 3;
    if ((rc = check_text(file, text, length, err)))
        return rc;
    /* JSON_DECODE_ANY: a file holding a list or a string gets the message
     * "expected a scenario object", not jansson's "'[' or '{' expected" */
    *root = json_loadb(text + bom, length - bom, JSON_DECODE_ANY, &jerr);
    if (!*root)
        return json_text_syntax_error(file, text + bom, length - bom, &jerr, err);
    return 0;
}
