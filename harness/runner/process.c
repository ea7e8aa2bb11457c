/* process.c: see process.h. */
#include "process.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void on_handle_closed(uv_handle_t *handle)
{
    struct child *child = handle->data;
    child->handles_open--;
}

static void on_process_exit(uv_process_t *process, int64_t status, int term_signal)
{
    struct child *child = process->data;
    child->running = 0;
    child->exited = 1;
    child->exit_status = status;
    child->term_signal = term_signal;
    if (child->on_exit)
        child->on_exit(child);
}

static void on_alloc(uv_handle_t *handle, size_t suggested, uv_buf_t *buf)
{
    struct child *child = handle->data;
    (void)suggested;
    if (handle == (uv_handle_t *)&child->out && !child->out_as_tail) {
        buf->base = child->line + child->line_length;
        buf->len = sizeof child->line - 1 - child->line_length;
    } else {
        static char scratch[1024];
        buf->base = scratch;
        buf->len = sizeof scratch;
    }
}

/* Appends to a tail of size bytes, dropping its oldest 512 when full:
 * the message that matters comes last, and a child that floods its
 * output costs no memory. */
static void tail_add(char *tail, size_t size, size_t *length, const char *bytes, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (*length == size - 1) {
            memmove(tail, tail + 512, *length - 512);
            *length -= 512;
        }
        tail[(*length)++] = bytes[i];
    }
    tail[*length] = '\0';
}

static void on_out(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf)
{
    struct child *child = stream->data;
    if (nread < 0) {
        uv_read_stop(stream);
        return;
    }
    if (child->out_as_tail) {
        tail_add(child->out_tail, sizeof child->out_tail, &child->out_length, buf->base,
                 (size_t)nread);
        return;
    }
    child->line_length += (size_t)nread;
    child->line[child->line_length] = '\0';
    char *newline;
    while ((newline = memchr(child->line, '\n', child->line_length))) {
        *newline = '\0';
        size_t used = (size_t)(newline - child->line) + 1;
        if (child->on_line)
            child->on_line(child, child->line);
        memmove(child->line, newline + 1, child->line_length - used);
        child->line_length -= used;
        child->line[child->line_length] = '\0';
    }
    if (child->line_length == sizeof child->line - 1)
        child->line_length = 0;
}

static void on_err(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf)
{
    struct child *child = stream->data;
    if (nread < 0) {
        uv_read_stop(stream);
        return;
    }
    tail_add(child->err_tail, sizeof child->err_tail, &child->err_length, buf->base, (size_t)nread);
}

static int spawn(uv_loop_t *loop, struct child *child, char *const argv[],
                 const struct child_program_options *program, struct hl_error *err)
{
    uv_process_options_t options;
    uv_stdio_container_t stdio[3];
    int rc;

    uv_pipe_init(loop, &child->in, 0);
    uv_pipe_init(loop, &child->out, 0);
    uv_pipe_init(loop, &child->err, 0);
    child->in.data = child->out.data = child->err.data = child->process.data = child;
    child->handles_open = 3;
    memset(&options, 0, sizeof options);
    stdio[0].flags = UV_CREATE_PIPE | UV_READABLE_PIPE;
    stdio[0].data.stream = (uv_stream_t *)&child->in;
    if (program) {
        /* stdin /dev/null; a session of its own, so that its whole
         * process group can be signalled; its own user */
        stdio[0].flags = UV_IGNORE;
        options.flags = UV_PROCESS_DETACHED;
        if (program->set_ids) {
            options.flags |= UV_PROCESS_SETUID | UV_PROCESS_SETGID;
            options.uid = program->uid;
            options.gid = program->gid;
        }
        options.cwd = program->cwd;
        options.env = program->env;
    }
    stdio[1].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
    stdio[1].data.stream = (uv_stream_t *)&child->out;
    stdio[2].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
    stdio[2].data.stream = (uv_stream_t *)&child->err;
    options.file = argv[0];
    options.args = (char **)argv;
    options.exit_cb = on_process_exit;
    options.stdio = stdio;
    options.stdio_count = 3;
    rc = uv_spawn(loop, &child->process, &options);
    if (rc) {
        uv_close((uv_handle_t *)&child->in, on_handle_closed);
        uv_close((uv_handle_t *)&child->out, on_handle_closed);
        uv_close((uv_handle_t *)&child->err, on_handle_closed);
        /* uv_spawn initialised the process handle even though it failed */
        child->handles_open++;
        uv_close((uv_handle_t *)&child->process, on_handle_closed);
        return hl_error_setn(err, rc, argv[0], "cannot start the %s: %s", child->name,
                             uv_strerror(rc));
    }
    if (program)
        uv_close((uv_handle_t *)&child->in, on_handle_closed); /* never used */
    child->handles_open++;
    child->running = 1;
    uv_read_start((uv_stream_t *)&child->out, on_alloc, on_out);
    uv_read_start((uv_stream_t *)&child->err, on_alloc, on_err);
    return 0;
}

struct child_write {
    uv_write_t request;
    char text[64];
};

static void on_written(uv_write_t *request, int status)
{
    (void)status; /* a child that is gone reads no more commands */
    free(request->data);
}

void child_send(struct child *child, const char *line)
{
    if (!child->running || uv_is_closing((uv_handle_t *)&child->in))
        return;
    struct child_write *w = calloc(1, sizeof *w);
    if (!w)
        return;
    snprintf(w->text, sizeof w->text, "%s", line);
    w->request.data = w;
    uv_buf_t buf = uv_buf_init(w->text, (unsigned)strlen(w->text));
    if (uv_write(&w->request, (uv_stream_t *)&child->in, &buf, 1, on_written))
        free(w);
}

void child_kill(struct child *child, int signum)
{
    if (child->running)
        uv_process_kill(&child->process, signum);
}

int child_spawn(uv_loop_t *loop, struct child *child, char *const argv[], struct hl_error *err)
{
    return spawn(loop, child, argv, NULL, err);
}

int child_spawn_program(uv_loop_t *loop, struct child *child, char *const argv[],
                        const struct child_program_options *options, struct hl_error *err)
{
    child->out_as_tail = 1;
    return spawn(loop, child, argv, options, err);
}

const char *child_stdout(struct child *child)
{
    while (child->out_length > 0 && strchr("\n\r ", child->out_tail[child->out_length - 1]))
        child->out_tail[--child->out_length] = '\0';
    return child->out_tail;
}

const char *child_stderr(struct child *child)
{
    while (child->err_length > 0 && strchr("\n\r ", child->err_tail[child->err_length - 1]))
        child->err_tail[--child->err_length] = '\0';
    return child->err_tail;
}

void child_release(struct child *child)
{
    uv_handle_t *handles[] = {(uv_handle_t *)&child->in, (uv_handle_t *)&child->out,
                              (uv_handle_t *)&child->err, (uv_handle_t *)&child->process};
    for (size_t i = 0; i < 4; i++)
        if (handles[i]->loop && !uv_is_closing(handles[i]))
            uv_close(handles[i], on_handle_closed);
}
