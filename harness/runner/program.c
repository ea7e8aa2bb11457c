/* program.c: see program.h. */
#include "program.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "files.h"

/* SUDO_UID's value, or -1 when it is missing or not a number */
static long long sudo_id(const char *name)
{
    const char *text = getenv(name);
    char *end;
    if (!text || !*text)
        return -1;
    errno = 0;
    long long id = strtoll(text, &end, 10);
    return errno || *end || id < 0 ? -1 : id;
}

int program_user(int run_as_root, uid_t *uid, gid_t *gid, char *name, size_t size,
                 struct hl_error *err)
{
    long long sudo_uid = sudo_id("SUDO_UID"), sudo_gid = sudo_id("SUDO_GID");
    if (run_as_root) {
        *uid = 0;
        *gid = 0;
        snprintf(name, size, "root");
        return 0;
    }
    if (sudo_uid > 0 && sudo_gid >= 0) {
        *uid = (uid_t)sudo_uid;
        *gid = (gid_t)sudo_gid;
        const struct passwd *pw = getpwuid(*uid);
        snprintf(name, size, "%s", pw ? pw->pw_name : "SUDO_UID");
        return 0;
    }
    const struct passwd *nobody = getpwnam("nobody");
    if (!nobody || nobody->pw_uid == 0)
        return hl_error_setn(err, ENOENT, "runner",
                             "no user to run the program as: the harness was not started "
                             "through sudo (SUDO_UID) and this system has no user nobody");
    *uid = nobody->pw_uid;
    *gid = nobody->pw_gid;
    snprintf(name, size, "nobody");
    return 0;
}

int program_free_port(const char *host, uint16_t *port, struct hl_error *err)
{
    struct sockaddr_in address = {.sin_family = AF_INET};
    socklen_t length = sizeof address;
    inet_pton(AF_INET, host, &address.sin_addr);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int rc = fd < 0 || bind(fd, (struct sockaddr *)&address, sizeof address) ||
                     getsockname(fd, (struct sockaddr *)&address, &length)
                 ? -errno
                 : 0;
    if (fd >= 0)
        close(fd);
    if (rc)
        return hl_error_setn(err, rc, "runner", "cannot find a free port on %s: %s", host,
                             strerror(-rc));
    *port = ntohs(address.sin_port);
    return 0;
}

/* text with every {port} and {host} replaced, into out */
static void substitute(const char *text, const char *host, const char *port, char *out, size_t size)
{
    size_t n = 0;
    while (*text && n + 1 < size) {
        const char *with = strncmp(text, "{port}", 6) == 0   ? port
                           : strncmp(text, "{host}", 6) == 0 ? host
                                                             : NULL;
        if (with) {
            n += (size_t)snprintf(out + n, size - n, "%s", with);
            n = n < size ? n : size - 1;
            text += 6;
        } else {
            out[n++] = *text++;
        }
    }
    out[n] = '\0';
}

void program_command_line(const struct program_params *params, char *out, size_t size)
{
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = 0; i < params->argc && n + 1 < size; i++) {
        const char *arg = params->argv[i];
        int quote = strpbrk(arg, " \t'\"\\") != NULL;
        n += (size_t)snprintf(out + n, size - n, "%s%s%s%s", i ? " " : "", quote ? "'" : "", arg,
                              quote ? "'" : "");
        n = n < size ? n : size - 1;
    }
}

/* The environment: a PATH to find python3, and the port told three ways. */
static void prepare_env(struct program *program, const char *host, const char *port)
{
    const char *path = getenv("PATH");
    const char *home = program->options.uid == 0 ? "/root" : "/";
    const char *names[] = {
        "PATH", "HOME", "PORT", "HARNESS_PORT", "HARNESS_HOST", "LANG", "PYTHONUNBUFFERED"};
    const char *values[] = {
        path ? path : "/usr/local/bin:/usr/bin:/bin", home, port, port, host, "C.UTF-8", "1"};
    size_t count = sizeof names / sizeof names[0];
    for (size_t i = 0; i < count; i++) {
        snprintf(program->env_text[i], sizeof program->env_text[i], "%s=%s", names[i], values[i]);
        program->env[i] = program->env_text[i];
    }
    program->env[count] = NULL;
}

/* The folder of the scenario file, absolute: the program's cwd; an
 * argv[0] with a '/' made absolute against it (uv_spawn resolves it
 * after the chdir, but a message should name the file itself). */
static int prepare_folder(struct program *program, const char *scenario_file, struct hl_error *err)
{
    char copy[PATH_MAX], resolved[PATH_MAX];
    snprintf(copy, sizeof copy, "%s", scenario_file ? scenario_file : ".");
    if (!realpath(scenario_file ? dirname(copy) : ".", resolved))
        return hl_error_setn(err, errno, scenario_file, "cannot find the scenario's folder: %s",
                             strerror(errno));
    snprintf(program->cwd, sizeof program->cwd, "%s", resolved);
    program->options.cwd = program->cwd;
    return 0;
}

const struct program_params *program_of(const struct point_params *params, const char **side)
{
    const struct program_params *program = params->server.program.argc   ? &params->server.program
                                           : params->client.program.argc ? &params->client.program
                                                                         : NULL;
    if (side)
        *side = program == &params->client.program ? "client" : "server";
    return program;
}

int program_prepare(struct program *program, const char *side, const struct program_params *params,
                    const char *scenario_file, const char *host, uint16_t port,
                    struct hl_error *err)
{
    char port_text[16];
    int rc;
    memset(program, 0, sizeof *program);
    program->side = side;
    program->port = port;
    snprintf(port_text, sizeof port_text, "%u", (unsigned)port);
    for (size_t i = 0; i < params->argc; i++) {
        substitute(params->argv[i], host, port_text, program->args[i], sizeof program->args[i]);
        program->argv[i] = program->args[i];
    }
    program->argv[params->argc] = NULL;
    program_command_line(params, program->command_text, sizeof program->command_text);
    if ((rc = prepare_folder(program, scenario_file, err)) ||
        (rc = program_user(params->run_as_root, &program->options.uid, &program->options.gid,
                           program->user, sizeof program->user, err)))
        return rc;
    program->options.set_ids = !params->run_as_root;
    prepare_env(program, host, port_text);
    program->options.env = program->env;
    return 0;
}

int program_spawn(uv_loop_t *loop, struct program *program, struct child *child,
                  struct hl_error *err)
{
    struct stat ns;
    if (stat("/proc/thread-self/ns/net", &ns))
        return hl_error_setn(err, errno, "runner", "cannot read this thread's namespace: %s",
                             strerror(errno));
    program->netns = ns.st_ino;
    program->child = child;
    child->name = strcmp(program->side, "client") == 0 ? "client program" : "server program";
    int rc = child_spawn_program(loop, child, program->argv, &program->options, err);
    if (rc)
        return hl_error_setn(err, rc, "runner", "cannot start the %s program `%s` in %s: %s",
                             program->side, program->command_text, program->cwd, uv_strerror(rc));
    program->pid = child->process.pid;
    return 0;
}

void program_signal(struct program *program, int signum)
{
    if (program->pid > 0)
        kill(-program->pid, signum); /* its session's group, the leader gone or not */
}

static int in_namespace(const char *pid, ino_t netns)
{
    char path[64];
    struct stat ns;
    snprintf(path, sizeof path, "/proc/%s/ns/net", pid);
    return stat(path, &ns) == 0 && ns.st_ino == netns;
}

/* The parent of process pid (/proc/PID/stat, after the command's closing
 * parenthesis), or 0. */
static pid_t parent_of(const char *pid)
{
    char path[64], text[512];
    snprintf(path, sizeof path, "/proc/%s/stat", pid);
    files_read_small(path, text, sizeof text);
    char *end = strrchr(text, ')');
    long parent = 0;
    return end && sscanf(end + 1, " %*c %ld", &parent) == 1 ? (pid_t)parent : 0;
}

size_t program_sweep(struct program *program, pid_t except_pid)
{
    size_t killed = 0;
    program_signal(program, SIGKILL);
    DIR *proc = opendir("/proc");
    struct dirent *entry;
    while (proc && (entry = readdir(proc))) {
        if (!isdigit((unsigned char)entry->d_name[0]))
            continue;
        pid_t pid = (pid_t)atol(entry->d_name);
        /* the harness's peer, and what it forks itself (a sanitizer's
         * leak check stops it and traces it from a child) */
        if (pid == getpid() || pid == except_pid || !in_namespace(entry->d_name, program->netns) ||
            (except_pid > 0 && parent_of(entry->d_name) == except_pid))
            continue;
        if (kill(pid, SIGKILL) == 0)
            killed++;
    }
    if (proc)
        closedir(proc);
    program->swept += killed;
    return killed;
}

json_t *program_record(struct program *program)
{
    struct child *c = program->child;
    json_t *argv = json_array();
    for (size_t i = 0; program->argv[i]; i++)
        json_array_append_new(argv, json_string(program->argv[i]));
    json_t *status = c->exited && !c->term_signal ? json_integer(c->exit_status) : json_null();
    json_t *signal_name = c->exited && c->term_signal
                              ? json_sprintf("SIG%s", sigabbrev_np(c->term_signal))
                              : json_null();
    return json_pack(
        "{s:o,s:s,s:i,s:I,s:o,s:o,s:s?,s:I,s:s,s:s}", "command", argv, "user", program->user, "uid",
        (int)program->options.uid, "port", (json_int_t)program->port, "exit_status", status,
        "signal", signal_name, "stopped_by", program->stopped_by, "processes_swept",
        (json_int_t)program->swept, "stdout_tail", child_stdout(c), "stderr_tail", child_stderr(c));
}

void program_describe(const struct scenario *scenario, char *out, size_t size)
{
    struct point_params params;
    struct hl_error err;
    char command[1024], user[64] = "", folder[PATH_MAX], copy[PATH_MAX];
    uid_t uid;
    gid_t gid;
    out[0] = '\0';
    const struct program_params *program;
    const char *side;
    if (scenario->point_count == 0 || scenario_point(scenario, 0, &params, NULL, &err) ||
        !(program = program_of(&params, &side)))
        return;
    program_command_line(program, command, sizeof command);
    if (program_user(program->run_as_root, &uid, &gid, user, sizeof user, &err))
        snprintf(user, sizeof user, "nobody (missing)");
    snprintf(copy, sizeof copy, "%s", scenario->file);
    snprintf(folder, sizeof folder, "%s", dirname(copy));
    snprintf(out, size, "%s program: %s, as %s, in %s", side, command, user, folder);
}

/* Whether uid/gid may search (and, the last, also read) directory path. */
static int may_enter(const char *path, uid_t uid, gid_t gid, int read_too)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return 0;
    mode_t x = st.st_uid == uid ? S_IXUSR : st.st_gid == gid ? S_IXGRP : S_IXOTH;
    mode_t r = st.st_uid == uid ? S_IRUSR : st.st_gid == gid ? S_IRGRP : S_IROTH;
    return (st.st_mode & x) && (!read_too || (st.st_mode & r));
}

int program_folder_reachable(const char *scenario_file, const struct program_params *params,
                             char *why, size_t size)
{
    uid_t uid;
    gid_t gid;
    char user[64], copy[PATH_MAX], dir[PATH_MAX];
    struct hl_error err;
    why[0] = '\0';
    if (params->run_as_root || program_user(0, &uid, &gid, user, sizeof user, &err))
        return 1;
    snprintf(copy, sizeof copy, "%s", scenario_file ? scenario_file : ".");
    if (!realpath(scenario_file ? dirname(copy) : ".", dir))
        return 1; /* program_prepare says what is wrong */
    char prefix[PATH_MAX];
    size_t length = strlen(dir);
    for (size_t i = 0; i <= length; i++) {
        if (i < length && dir[i] != '/')
            continue;
        /* "/", "/root", "/root/project", ... and the folder itself */
        snprintf(prefix, sizeof prefix, "%.*s", (int)(i ? i : 1), dir);
        if (!may_enter(prefix, uid, gid, i == length)) {
            snprintf(why, size,
                     "the program would run as %s, who cannot enter %s: run the harness through "
                     "sudo from the account that owns the project, or keep the project where %s "
                     "can read it",
                     user, prefix, user);
            return 0;
        }
    }
    return 1;
}
