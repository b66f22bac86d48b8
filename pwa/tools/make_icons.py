"""Draw the app icons (a white hall emblem on the theme blue) as small palette PNGs, stdlib only.

Run from the repo root: python pwa/tools/make_icons.py  (writes pwa/icons/*.png)
"""
import struct
import zlib
from pathlib import Path

BLUE = (11, 92, 173)
WHITE = (255, 255, 255)
LEVELS = 4  # anti-aliasing steps per edge; few steps keep the palette and the file small
SS = 4      # supersampling grid per pixel


def inside_round_rect(x, y, r):
    """Unit square with rounded corners of radius r."""
    cx = min(max(x, r), 1 - r)
    cy = min(max(y, r), 1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def in_emblem(x, y):
    """A government hall: roof, beam, four columns and a plinth, in unit coordinates."""
    if 0.22 <= y <= 0.40:  # roof: a triangle with apex (0.5, 0.20)
        half = 0.30 * (y - 0.20) / 0.20
        if abs(x - 0.5) <= half:
            return True
    if 0.40 <= y <= 0.46 and 0.20 <= x <= 0.80:
        return True
    if 0.50 <= y <= 0.70:
        for cx in (0.29, 0.43, 0.57, 0.71):
            if abs(x - cx) <= 0.035:
                return True
    return 0.73 <= y <= 0.80 and 0.17 <= x <= 0.83


def render(size, maskable):
    """Return palette, transparency and rows of palette indices."""
    scale = 0.7 if maskable else 0.84  # maskable: keep the emblem inside the 80% safe circle
    palette, index, rows = [], {}, []
    for py in range(size):
        row = bytearray()
        for px in range(size):
            bg = fg = 0
            for sy in range(SS):
                for sx in range(SS):
                    x = (px + (sx + 0.5) / SS) / size
                    y = (py + (sy + 0.5) / SS) / size
                    if maskable or inside_round_rect(x, y, 0.19):
                        bg += 1
                        ex = 0.5 + (x - 0.5) / scale
                        ey = 0.5 + (y - 0.5) / scale
                        if in_emblem(ex, ey):
                            fg += 1
            n = SS * SS
            alpha = round(bg / n * LEVELS)
            mix = round(fg / max(bg, 1) * LEVELS)
            key = (alpha, mix)
            if key not in index:
                index[key] = len(palette)
                t = mix / LEVELS
                rgb = tuple(round(b + (w - b) * t) for b, w in zip(BLUE, WHITE, strict=True))
                palette.append((rgb, round(255 * alpha / LEVELS)))
            row.append(index[key])
        rows.append(bytes(row))
    return palette, rows


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def write_png(path, size, maskable):
    palette, rows = render(size, maskable)
    ihdr = struct.pack(">IIBBBBB", size, size, 8, 3, 0, 0, 0)  # 8-bit palette
    plte = b"".join(bytes(rgb) for rgb, _ in palette)
    trns = bytes(a for _, a in palette)
    raw = b"".join(b"\x00" + r for r in rows)  # filter type 0 per row
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"PLTE", plte)
    if any(a < 255 for a in trns):
        data += chunk(b"tRNS", trns)
    data += chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
    Path(path).write_bytes(data)
    print(path, len(data), "bytes,", len(palette), "colours")


if __name__ == "__main__":
    out = Path(__file__).resolve().parent.parent / "icons"
    out.mkdir(exist_ok=True)
    write_png(out / "icon-192.png", 192, False)
    write_png(out / "icon-512.png", 512, False)
    write_png(out / "maskable-512.png", 512, True)
    write_png(out / "apple-touch-icon.png", 180, True)
