/* environment.c: see environment.h. */
#include "environment.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "version.h"

json_t *results_environment(int private_netns, json_t *sysctls)
{
    struct utsname u;
    char host[256] = "", started[64];
    time_t now = time(NULL);
    uname(&u);
    gethostname(host, sizeof host - 1);
    strftime(started, sizeof started, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    return json_pack("{s:s,s:s,s:s,s:s,s:b,s:o,s:s,s:s,s:s,s:s,s:I}", "kernel", u.release,
                     "kernel_version", u.version, "machine", u.machine, "hostname", host,
                     "private_netns", private_netns, "sysctls", sysctls, "harness_version",
                     HARNESS_VERSION, "libuv", uv_version_string(), "jansson", JANSSON_VERSION,
                     "started_at", started, "cpus", (json_int_t)sysconf(_SC_NPROCESSORS_ONLN));
}

void results_environment_identity(json_t *environment)
{
    char text[128] = "";
    FILE *f = fopen("/proc/sys/kernel/random/boot_id", "re");
    if (f) {
        if (!fgets(text, sizeof text, f))
            text[0] = '\0';
        fclose(f);
    }
    text[strcspn(text, "\n")] = '\0';
    json_object_set_new(environment, "boot_id", json_string(text));
    struct stat mine, init;
    int have_mine = stat("/proc/self/ns/net", &mine) == 0;
    json_object_set_new(environment, "netns",
                        have_mine ? json_integer((json_int_t)mine.st_ino) : json_null());
    /* a namespace of its own: not the one of process 1 (unknown without
     * the privilege to look at process 1) */
    if (have_mine && stat("/proc/1/ns/net", &init) == 0)
        json_object_set_new(environment, "private_netns", json_boolean(mine.st_ino != init.st_ino));
}
