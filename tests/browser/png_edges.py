#!/usr/bin/env python3
"""png_edges.py: whether anything of a plot is cut off by the picture's edge.

    png_edges.py FILE.png ...

gnuplot draws every plot on a white background with margins around it: a
tick label, a key or a title that reaches the outermost pixels of the
picture was cut off there (a key pushed below the canvas, a slanted label
longer than the bottom margin, a title wider than the picture). Each PNG is
decoded (8-bit grey, RGB, RGBA or palette, as pngcairo and the plain png
terminal write them; Python's zlib, nothing else) and every pixel of its
outermost BORDER rows and columns must be near white. Prints one line per
picture that fails, naming the edge and where; exit 1 if any does."""
import struct
import sys
import zlib

BORDER = 2
# a pixel counts as ink when a channel is below this (anti-aliased text
# fades to about 200 at its edge; the background is 255)
INK = 200


def chunks(data):
    at = 8
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        yield kind, data[at + 8:at + 8 + length]
        at += 12 + length


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def unfilter(raw, width, height, bpp):
    stride = width * bpp
    # "Up", the filter gnuplot's pictures use most, on whole rows at once:
    # bytewise addition mod 256 as one big integer without carries across
    # bytes (low seven bits added, the top bit xored in)
    low = int.from_bytes(b"\x7f" * stride, "big")
    high = int.from_bytes(b"\x80" * stride, "big")
    rows, previous, at = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[at], bytearray(raw[at + 1:at + 1 + stride])
        at += 1 + stride
        if kind == 2:
            a, b = int.from_bytes(line, "big"), int.from_bytes(previous, "big")
            line = bytearray((((a & low) + (b & low)) ^ ((a ^ b) & high)).to_bytes(stride, "big"))
        elif kind:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                up = previous[i]
                corner = previous[i - bpp] if i >= bpp else 0
                if kind == 1:
                    line[i] = (line[i] + left) & 255
                elif kind == 3:
                    line[i] = (line[i] + (left + up) // 2) & 255
                elif kind == 4:
                    line[i] = (line[i] + paeth(left, up, corner)) & 255
        rows.append(line)
        previous = line
    return rows


def decode(path):
    """(rows of bytes, width, height, ink(row, x)): whether a pixel is ink."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    idat, palette = b"", None
    for kind, body in chunks(data):
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"PLTE":
            palette = [min(body[i:i + 3]) for i in range(0, len(body), 3)]
        elif kind == b"IDAT":
            idat += body
    if depth != 8 or interlace:
        raise ValueError("depth %d, interlace %d: not read here" % (depth, interlace))
    bpp = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour]
    rows = unfilter(zlib.decompress(idat), width, height, bpp)
    colours = 1 if colour in (0, 3, 4) else 3

    def ink(row, x):
        if colour == 3:
            return palette[row[x]] < INK
        return min(row[x * bpp:x * bpp + colours]) < INK

    return rows, width, height, ink


def cut_edges(path):
    rows, width, height, ink = decode(path)
    edges = {
        "top": [(x, y) for y in range(BORDER) for x in range(width)],
        "bottom": [(x, y) for y in range(height - BORDER, height) for x in range(width)],
        "left": [(x, y) for x in range(BORDER) for y in range(height)],
        "right": [(x, y) for x in range(width - BORDER, width) for y in range(height)],
    }
    found = []
    for edge, places in edges.items():
        inked = [(x, y) for x, y in places if ink(rows[y], x)]
        if inked:
            found.append("%s edge (%d pixels, first at x=%d y=%d)" % (edge, len(inked), *inked[0]))
    return found


def main():
    if len(sys.argv) < 2:
        print("usage: png_edges.py FILE.png ... (no picture given: nothing was drawn?)")
        return 2
    failed = 0
    for path in sys.argv[1:]:
        try:
            found = cut_edges(path)
        except (ValueError, KeyError, zlib.error, struct.error) as e:
            print("%s: cannot read: %s" % (path, e))
            failed += 1
            continue
        if found:
            print("%s: drawn up to the %s: something is cut off" % (path, "; ".join(found)))
            failed += 1
    print("%d of %d pictures cut off at an edge" % (failed, len(sys.argv) - 1))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
