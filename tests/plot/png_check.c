/* png_check: exits 0 if each file named is a PNG with a non-empty image.
 *
 * The plot tests cannot look at a picture, but they can tell a PNG that
 * gnuplot finished from an empty or truncated file or an error text: the
 * 8-byte signature, then the IHDR chunk with width and height above zero,
 * and the IEND chunk that a PNG writer puts last. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int check(const char *path)
{
    static const unsigned char signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    unsigned char head[24], tail[12];
    FILE *f = fopen(path, "rb");
    long size;

    if (!f) {
        perror(path);
        return 1;
    }
    if (fread(head, 1, sizeof head, f) != sizeof head) {
        fprintf(stderr, "%s: shorter than a PNG header\n", path);
        fclose(f);
        return 1;
    }
    if (memcmp(head, signature, sizeof signature) != 0) {
        fprintf(stderr, "%s: no PNG signature\n", path);
        fclose(f);
        return 1;
    }
    if (be32(head + 8) != 13 || memcmp(head + 12, "IHDR", 4) != 0) {
        fprintf(stderr, "%s: the first chunk is not a 13-byte IHDR\n", path);
        fclose(f);
        return 1;
    }
    if (be32(head + 16) == 0 || be32(head + 20) == 0) {
        fprintf(stderr, "%s: empty image (%" PRIu32 "x%" PRIu32 ")\n", path, be32(head + 16),
                be32(head + 20));
        fclose(f);
        return 1;
    }
    /* IEND: length 0, type, CRC: the last 12 bytes of a complete PNG. */
    if (fseek(f, -12, SEEK_END) || fread(tail, 1, sizeof tail, f) != sizeof tail ||
        be32(tail) != 0 || memcmp(tail + 4, "IEND", 4) != 0) {
        fprintf(stderr, "%s: truncated (no IEND chunk at the end)\n", path);
        fclose(f);
        return 1;
    }
    size = ftell(f);
    fclose(f);
    printf("%s: PNG %" PRIu32 "x%" PRIu32 ", %ld bytes\n", path, be32(head + 16), be32(head + 20),
           size);
    return 0;
}

int main(int argc, char **argv)
{
    int failed = 0;
    if (argc < 2) {
        fprintf(stderr, "usage: png_check FILE.png...\n");
        return 2;
    }
    for (int i = 1; i < argc; i++)
        failed |= check(argv[i]);
    return failed;
}
