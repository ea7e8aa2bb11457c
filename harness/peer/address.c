/* address.c: see address.h. */
#include "address.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/un.h>

#include "cli.h"

int peer_address_is_unix(const char *text)
{
    return text[0] == '@';
}

static int parse_unix(const char *text, struct peer_address *out, struct hl_error *err)
{
    struct sockaddr_un *un = (struct sockaddr_un *)&out->storage;
    size_t name = strlen(text) - 1; /* after the '@' */
    if (!peer_address_is_unix(text))
        return hl_error_set(err, text,
                            "family unix takes an abstract name, @NAME (\"@\" alone: any free "
                            "one), not ADDR:PORT");
    if (name > sizeof un->sun_path - 1)
        return hl_error_set(err, text, "an abstract name of at most %zu bytes after the @",
                            sizeof un->sun_path - 1);
    un->sun_family = AF_UNIX;
    /* sun_path[0] == '\0' makes the name abstract; a length that covers
     * the family alone asks bind() to pick a free name (unix_autobind) */
    memcpy(un->sun_path + 1, text + 1, name);
    out->length = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + (name ? 1 + name : 0));
    return 0;
}

static int parse_inet(const char *text, struct peer_address *out, struct hl_error *err)
{
    struct sockaddr_in *in = (struct sockaddr_in *)&out->storage;
    char host[64];
    uint16_t port;
    if (peer_address_is_unix(text))
        return hl_error_set(err, text, "an abstract AF_UNIX name goes with family unix");
    if (cli_split_address(text, host, sizeof host, &port) ||
        inet_pton(AF_INET, host, &in->sin_addr) != 1)
        return hl_error_set(err, text, "not an IPv4 ADDR:PORT");
    in->sin_family = AF_INET;
    in->sin_port = htons(port);
    out->length = sizeof *in;
    return 0;
}

int peer_address_parse(const char *text, enum family family, struct peer_address *out,
                       struct hl_error *err)
{
    memset(out, 0, sizeof *out);
    return family == FAMILY_UNIX ? parse_unix(text, out, err) : parse_inet(text, out, err);
}

int peer_address_of_socket(int fd, char *out, size_t size)
{
    struct sockaddr_storage storage;
    socklen_t length = sizeof storage;
    if (getsockname(fd, (struct sockaddr *)&storage, &length) < 0)
        return -errno;
    if (storage.ss_family == AF_UNIX) {
        const struct sockaddr_un *un = (const struct sockaddr_un *)&storage;
        size_t name = length > offsetof(struct sockaddr_un, sun_path) + 1
                          ? length - offsetof(struct sockaddr_un, sun_path) - 1
                          : 0;
        snprintf(out, size, "@%.*s", (int)name, un->sun_path + 1);
        return 0;
    }
    const struct sockaddr_in *in = (const struct sockaddr_in *)&storage;
    char host[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
    snprintf(out, size, "%s:%u", host, (unsigned)ntohs(in->sin_port));
    return 0;
}
