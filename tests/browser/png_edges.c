/* png_edges: whether anything of a plot is cut off by the picture's edge.
 *
 *   png_edges FILE.png ...
 *
 * gnuplot draws every plot on a white background with margins around it: a
 * tick label, a key or a title that reaches the outermost pixels of the
 * picture was cut off there (a key pushed below the canvas, a slanted label
 * longer than the bottom margin, a title wider than the picture). Each PNG
 * is decoded (8 bits per channel: grey, RGB, grey and alpha, RGBA or a
 * palette, not interlaced, as pngcairo and the plain png terminal write
 * them; zlib inflates) and every pixel of its outermost BORDER rows and
 * columns must be near white. Prints one line per picture that fails,
 * naming the edge and where, then the count; exit 1 if any fails, 2 when
 * given nothing. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define BORDER 2
/* a pixel counts as ink when a channel is below this (anti-aliased text
 * fades to about 200 at its edge; the background is 255) */
#define INK 200

struct picture {
    uint32_t width, height;
    unsigned colour, bpp, channels; /* PNG colour type, bytes per pixel, colour bytes */
    unsigned char palette[256];     /* palette entry -> its darkest channel */
    unsigned char *pixels;          /* height rows of width * bpp bytes, unfiltered */
};

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static unsigned char *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    unsigned char *data = NULL;
    long length;
    if (f && fseek(f, 0, SEEK_END) == 0 && (length = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (data = malloc((size_t)length)) && fread(data, 1, (size_t)length, f) == (size_t)length)
        *size = (size_t)length;
    else {
        free(data);
        data = NULL;
    }
    if (f)
        fclose(f);
    return data;
}

static int paeth(int a, int b, int c)
{
    int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    if (pa <= pb && pa <= pc)
        return a;
    return pb <= pc ? b : c;
}

/* The filtered scanlines in raw (each a filter byte and a row) into
 * pic->pixels; 0 or -1 for an unknown filter. */
static int unfilter(struct picture *pic, const unsigned char *raw)
{
    size_t stride = (size_t)pic->width * pic->bpp, bpp = pic->bpp;
    for (uint32_t y = 0; y < pic->height; y++) {
        const unsigned char *in = raw + y * (stride + 1);
        unsigned char *row = pic->pixels + y * stride;
        const unsigned char *up = y ? row - stride : NULL;
        if (in[0] > 4)
            return -1;
        for (size_t i = 0; i < stride; i++) {
            int left = i >= bpp ? row[i - bpp] : 0, above = up ? up[i] : 0;
            int corner = up && i >= bpp ? up[i - bpp] : 0;
            int add = in[0] == 1   ? left
                      : in[0] == 2 ? above
                      : in[0] == 3 ? (left + above) / 2
                      : in[0] == 4 ? paeth(left, above, corner)
                                   : 0;
            row[i] = (unsigned char)(in[1 + i] + add);
        }
    }
    return 0;
}

/* Decodes path into pic; NULL, or what it cannot read. */
static const char *decode(const char *path, struct picture *pic)
{
    static const unsigned char signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    size_t size = 0, idat_size = 0, at = 8;
    unsigned char *data = read_file(path, &size), *idat = NULL, depth = 0, interlace = 0;
    const char *problem = NULL;
    memset(pic, 0, sizeof *pic);
    if (!data || size < 8 || memcmp(data, signature, 8) != 0)
        problem = data ? "not a PNG" : "cannot read the file";
    while (!problem && at + 12 <= size) {
        uint32_t length = be32(data + at);
        const unsigned char *kind = data + at + 4, *body = data + at + 8;
        if (length > size - at - 12)
            problem = "a chunk runs past the end";
        else if (memcmp(kind, "IHDR", 4) == 0 && length == 13) {
            pic->width = be32(body);
            pic->height = be32(body + 4);
            depth = body[8];
            pic->colour = body[9];
            interlace = body[12];
        } else if (memcmp(kind, "PLTE", 4) == 0) {
            for (uint32_t i = 0; i < length / 3 && i < 256; i++) {
                const unsigned char *rgb = body + 3 * i;
                unsigned char darkest = rgb[0] < rgb[1] ? rgb[0] : rgb[1];
                pic->palette[i] = darkest < rgb[2] ? darkest : rgb[2];
            }
        } else if (memcmp(kind, "IDAT", 4) == 0) {
            unsigned char *more = realloc(idat, idat_size + length);
            if (!more)
                problem = "out of memory";
            else {
                memcpy(more + idat_size, body, length);
                idat = more;
                idat_size += length;
            }
        }
        at += 12 + (size_t)length;
    }
    static const unsigned bpp_of[7] = {1, 0, 3, 1, 2, 0, 4};
    if (!problem && (depth != 8 || interlace || pic->colour > 6 || !bpp_of[pic->colour]))
        problem = "not 8 bits per channel, or interlaced: not read here";
    if (!problem && (!pic->width || !pic->height || pic->width > 100000 || pic->height > 100000))
        problem = "no picture in it";
    if (!problem) {
        pic->bpp = bpp_of[pic->colour];
        pic->channels = pic->colour == 2 || pic->colour == 6 ? 3 : 1;
        uLongf raw_size = (uLongf)pic->height * ((uLongf)pic->width * pic->bpp + 1);
        unsigned char *raw = malloc(raw_size);
        pic->pixels = malloc((size_t)pic->height * pic->width * pic->bpp);
        if (!raw || !pic->pixels)
            problem = "out of memory";
        else if (uncompress(raw, &raw_size, idat, idat_size) != Z_OK ||
                 raw_size != (uLongf)pic->height * ((uLongf)pic->width * pic->bpp + 1))
            problem = "its image data does not inflate to its size";
        else if (unfilter(pic, raw) < 0)
            problem = "a scanline has an unknown filter";
        free(raw);
    }
    free(idat);
    free(data);
    return problem;
}

static int ink(const struct picture *pic, uint32_t x, uint32_t y)
{
    const unsigned char *p = pic->pixels + ((size_t)y * pic->width + x) * pic->bpp;
    if (pic->colour == 3)
        return pic->palette[p[0]] < INK;
    for (unsigned c = 0; c < pic->channels; c++)
        if (p[c] < INK)
            return 1;
    return 0;
}

/* Appends "EDGE edge (N pixels, first at x=X y=Y)" to out for an edge
 * with ink: the rectangle x0..x1, y0..y1 (inclusive). */
static void check_edge(const struct picture *pic, const char *edge, uint32_t x0, uint32_t x1,
                       uint32_t y0, uint32_t y1, char *out, size_t size)
{
    unsigned long inked = 0;
    uint32_t fx = 0, fy = 0;
    int by_rows = strcmp(edge, "top") == 0 || strcmp(edge, "bottom") == 0;
    /* in the order the picture is read along that edge: rows for top and
     * bottom, columns for left and right */
    for (uint32_t a = by_rows ? y0 : x0; a <= (by_rows ? y1 : x1); a++)
        for (uint32_t b = by_rows ? x0 : y0; b <= (by_rows ? x1 : y1); b++) {
            uint32_t x = by_rows ? b : a, y = by_rows ? a : b;
            if (ink(pic, x, y) && inked++ == 0) {
                fx = x;
                fy = y;
            }
        }
    if (inked)
        snprintf(out + strlen(out), size - strlen(out),
                 "%s%s edge (%lu pixels, first at x=%u y=%u)", out[0] ? "; " : "", edge, inked, fx,
                 fy);
}

int main(int argc, char **argv)
{
    int failed = 0;
    if (argc < 2) {
        printf("usage: png_edges FILE.png ... (no picture given: nothing was drawn?)\n");
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        struct picture pic;
        char found[512] = "";
        const char *problem = decode(argv[i], &pic);
        if (problem) {
            printf("%s: cannot read: %s\n", argv[i], problem);
            failed++;
        } else if (pic.width > BORDER && pic.height > BORDER) {
            uint32_t w = pic.width - 1, h = pic.height - 1;
            check_edge(&pic, "top", 0, w, 0, BORDER - 1, found, sizeof found);
            check_edge(&pic, "bottom", 0, w, h - (BORDER - 1), h, found, sizeof found);
            check_edge(&pic, "left", 0, BORDER - 1, 0, h, found, sizeof found);
            check_edge(&pic, "right", w - (BORDER - 1), w, 0, h, found, sizeof found);
            if (found[0]) {
                printf("%s: drawn up to the %s: something is cut off\n", argv[i], found);
                failed++;
            }
        }
        free(pic.pixels);
    }
    printf("%d of %d pictures cut off at an edge\n", failed, argc - 1);
    return failed ? 1 : 0;
}
