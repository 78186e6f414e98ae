#!/usr/bin/env python3
"""Draw leadsync's toolbar/store icons (16, 32, 48, 128 px PNG) with the standard library only.

The icon is a blue rounded square with a white contact-card glyph: a head, shoulders and two
text lines. Shapes are drawn at 4x4 supersampling for smooth edges. Re-run after changing it:

    python3 manifest/icons/make_icons.py        # writes manifest/icons/icon-{16,32,48,128}.png
"""
import os
import struct
import zlib

SIZES = (16, 32, 48, 128)
BLUE = (37, 99, 235)
WHITE = (255, 255, 255)
SS = 4  # supersampling factor per axis


def inside_rounded_rect(x, y, x0, y0, x1, y1, r):
    """Is (x, y) inside the rectangle [x0,x1]x[y0,y1] with corner radius r (all in unit coords)?"""
    if not (x0 <= x <= x1 and y0 <= y <= y1):
        return False
    cx = min(max(x, x0 + r), x1 - r)
    cy = min(max(y, y0 + r), y1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def shade(x, y):
    """Colour and alpha at unit coordinates (0..1, 0..1): None for transparent."""
    if not inside_rounded_rect(x, y, 0.02, 0.02, 0.98, 0.98, 0.22):
        return None
    # Head and shoulders on the left half of the card.
    if (x - 0.34) ** 2 + (y - 0.40) ** 2 <= 0.11 ** 2:
        return WHITE
    if (x - 0.34) ** 2 + (y - 0.78) ** 2 <= 0.20 ** 2 and y <= 0.72:
        return WHITE
    # Two text lines on the right.
    if inside_rounded_rect(x, y, 0.56, 0.33, 0.84, 0.43, 0.05):
        return WHITE
    if inside_rounded_rect(x, y, 0.56, 0.53, 0.76, 0.63, 0.05):
        return WHITE
    return BLUE


def render(size):
    rows = []
    for py in range(size):
        row = bytearray([0])  # PNG filter type 0 (None) for this scanline
        for px in range(size):
            r = g = b = a = 0
            for sy in range(SS):
                for sx in range(SS):
                    c = shade((px + (sx + 0.5) / SS) / size, (py + (sy + 0.5) / SS) / size)
                    if c is not None:
                        r += c[0]
                        g += c[1]
                        b += c[2]
                        a += 1
            if a:
                row += bytes((r // a, g // a, b // a, 255 * a // (SS * SS)))
            else:
                row += bytes(4)
        rows.append(bytes(row))
    return png(size, size, b"".join(rows))


def png(width, height, raw):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    for size in SIZES:
        path = os.path.join(here, f"icon-{size}.png")
        with open(path, "wb") as f:
            f.write(render(size))
        print(path)


if __name__ == "__main__":
    main()
