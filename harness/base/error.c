/* error.c: see error.h. */
#include "error.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

void hl_error_clear(struct hl_error *err)
{
    err->where[0] = '\0';
    err->what[0] = '\0';
}

static void error_vset(struct hl_error *err, const char *where, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

static void error_vset(struct hl_error *err, const char *where, const char *fmt, va_list ap)
{
    snprintf(err->where, sizeof err->where, "%s", where ? where : "");
    vsnprintf(err->what, sizeof err->what, fmt, ap);
}

int hl_error_set(struct hl_error *err, const char *where, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_vset(err, where, fmt, ap);
    va_end(ap);
    return -EINVAL;
}

int hl_error_setn(struct hl_error *err, int code, const char *where, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_vset(err, where, fmt, ap);
    va_end(ap);
    return code < 0 ? code : -code;
}

void hl_error_prefix(struct hl_error *err, const char *fmt, ...)
{
    char prefix[512];
    char old[sizeof err->what];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, err->what, sizeof old);
    snprintf(err->what, sizeof err->what, "%s: %s", prefix, old);
}

const char *hl_error_format(const struct hl_error *err, char *buf, unsigned long size)
{
    if (err->where[0])
        snprintf(buf, size, "%s: %s", err->where, err->what);
    else
        snprintf(buf, size, "%s", err->what);
    return buf;
}
