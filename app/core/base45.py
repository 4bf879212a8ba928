"""Base45 (RFC 9285) and the compact code prefix: the bottom layer of the app's QR texts (pure).

Base45's alphabet is exactly QR's alphanumeric set, so Base45 text fills a QR code at 5.5 bits per
character and survives chat apps. Everything above reads and writes through here:
app.core.parts (numbered parts), app.core.fountain (animated QR frames), app.core.payload (compact
codes, app links), app.core.live_code (live session codes) and, above them all, app.core.transfer
(`read_any`, the one Receiver of scanned transfers). It imports none of them.

Decoding works on whole strings (a byte translation table, then the groups at once), not one
character at a time: a frame text of a few thousand characters costs microseconds.
"""

from __future__ import annotations

import struct

from app.core.errors import DocumentError
from app.core.i18n import words

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
CODE_PREFIX = "FWB1:"  # a compact code: this + Base45 of zlib bytes (app.core.payload)
_BAD = 0xFF
_VALUES = bytes(ALPHABET.index(chr(b)) if chr(b) in ALPHABET else _BAD for b in range(256))


def b45encode(data: bytes) -> str:
    out = []
    for i in range(0, len(data) - 1, 2):
        n = data[i] * 256 + data[i + 1]
        n, c = divmod(n, 45)
        e, d = divmod(n, 45)
        out += (ALPHABET[c], ALPHABET[d], ALPHABET[e])
    if len(data) % 2:
        d, c = divmod(data[-1], 45)
        out += (ALPHABET[c], ALPHABET[d])
    return "".join(out)


def b45decode(text: str) -> bytes:
    """Base45 text -> bytes; DocumentError("payload.base45") naming what is wrong."""
    try:
        values = text.encode("ascii").translate(_VALUES)
    except UnicodeEncodeError as exc:
        raise DocumentError("payload.base45", detail=words("d.code_char", char=repr(text[exc.start]))) from None
    bad = values.find(_BAD)
    if bad >= 0:
        raise DocumentError("payload.base45", detail=words("d.code_char", char=repr(text[bad])))
    size = len(values)
    if size % 3 == 1:
        raise DocumentError("payload.base45", detail=words("d.code_length"))
    full = size - size % 3
    groups = [a + 45 * b + 2025 * c for a, b, c in zip(values[0:full:3], values[1:full:3], values[2:full:3],
                                                         strict=True)]
    if groups and max(groups) > 0xFFFF:
        raise DocumentError("payload.base45", detail=words("d.code_group"))
    out = struct.pack(f">{len(groups)}H", *groups)
    if full < size:
        n = values[full] + 45 * values[full + 1]
        if n > 0xFF:
            raise DocumentError("payload.base45", detail=words("d.code_end"))
        out += bytes([n])
    return out


def code_bytes(text: str) -> bytes:
    """A compact code `FWB1:…` -> the zlib bytes it carries (not inflated)."""
    text = text.lstrip().rstrip("\r\n")  # not strip(): a trailing space may be Base45
    if not text.startswith(CODE_PREFIX):
        raise DocumentError("payload.prefix")
    return b45decode(text[len(CODE_PREFIX):])
