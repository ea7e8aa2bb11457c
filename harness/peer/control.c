/* control.c: see control.h. */
#include "control.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

static void control_alloc(uv_handle_t *handle, size_t suggested, uv_buf_t *buf)
{
    struct control *c = handle->data;
    (void)suggested;
    buf->base = c->buffer + c->length;
    buf->len = sizeof c->buffer - 1 - c->length;
}

static void control_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf)
{
    struct control *c = stream->data;
    (void)buf;
    if (nread < 0) {
        control_close(c);
        c->on_line(c, NULL);
        return;
    }
    c->length += (size_t)nread;
    c->buffer[c->length] = '\0';
    char *newline;
    while (c->open && (newline = memchr(c->buffer, '\n', c->length))) {
        *newline = '\0';
        char line[sizeof c->buffer];
        snprintf(line, sizeof line, "%s", c->buffer);
        size_t used = (size_t)(newline - c->buffer) + 1;
        memmove(c->buffer, newline + 1, c->length - used);
        c->length -= used;
        c->on_line(c, line);
    }
    if (c->length == sizeof c->buffer - 1)
        c->length = 0; /* an overlong line is not a command */
}

int control_open(uv_loop_t *loop, struct control *c, int fd, control_line_cb on_line, void *data)
{
    memset(c, 0, sizeof *c);
    c->on_line = on_line;
    c->data = data;
    int rc = uv_pipe_init(loop, &c->pipe, 0);
    if (rc == 0)
        rc = uv_pipe_open(&c->pipe, fd);
    if (rc)
        return rc;
    c->pipe.data = c;
    c->open = 1;
    return uv_read_start((uv_stream_t *)&c->pipe, control_alloc, control_read);
}

void control_close(struct control *c)
{
    if (!c->open)
        return;
    c->open = 0;
    uv_close((uv_handle_t *)&c->pipe, NULL);
}

void control_say(FILE *out, const char *kind, json_t *info)
{
    char *text = info ? json_dumps(info, JSON_COMPACT) : NULL;
    if (info)
        fprintf(out, "%s %s\n", kind, text ? text : "{}");
    else
        fprintf(out, "%s\n", kind);
    fflush(out);
    free(text);
    json_decref(info);
}

void control_guard(void)
{
    /* if the runner died before this took effect, stdin is already at end
     * of file and the child finishes at once */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    signal(SIGINT, SIG_IGN);
}
