"""Draw the app icons (static/icons/*.png) with no image library: a light hexagon on dark green.

Run `python -m tools.make_icons`; the PNGs are committed (small, made by the project).
"""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

BG = (20, 83, 45)
FG = (236, 253, 245)
DOT = (250, 204, 21)


def png(width: int, height: int, pixel) -> bytes:
    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def inside_hexagon(x: float, y: float, cx: float, cy: float, r: float) -> bool:
    # Pointy-top regular hexagon of circumradius r.
    dx, dy = abs(x - cx), abs(y - cy)
    h = r * math.sqrt(3) / 2
    return dx <= h and dy <= r - dx / math.sqrt(3)


def icon(size: int, scale: float) -> bytes:
    c = size / 2

    def pixel(x: int, y: int):
        px, py = x + 0.5, y + 0.5
        if math.hypot(px - c, py - c) < size * 0.09 * scale:
            return DOT
        if inside_hexagon(px, py, c, c, size * 0.40 * scale):
            return FG if not inside_hexagon(px, py, c, c, size * 0.30 * scale) else BG
        return BG

    return png(size, size, pixel)


def main() -> None:
    out = Path(__file__).resolve().parent.parent / "static" / "icons"
    out.mkdir(parents=True, exist_ok=True)
    (out / "icon-192.png").write_bytes(icon(192, 1.0))
    (out / "icon-512.png").write_bytes(icon(512, 1.0))
    # Maskable: the drawing stays inside the 80 % safe circle.
    (out / "icon-maskable-512.png").write_bytes(icon(512, 0.78))


if __name__ == "__main__":
    main()
