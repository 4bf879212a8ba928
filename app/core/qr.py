"""QR codes of cellules and exports (segno, pure Python; output as bytes or text, no files).

One cellule -> one code of version ≤ 20 at error correction M holding the app link (any camera
app opens it) or, without a known address, the bare payload; when neither fits (and for whole
exports) a sequence of frames, each a code of version ≤ 20 carrying one part
(app.core.payload.split). A code never grows beyond version 20: past that, phones read badly.

Whole exports shown as an animated QR use fountain-coded frames (app.core.fountain): each frame
text is at most FRAME_CHARS alphanumeric characters, a version-13 code at error correction L
(69 modules). bench/qr.py measures why: jsQR reading camera-sized (640×480) images of codes
slightly blurred, at random sizes, reads nearly every version-12/13 code but only about three in
four of version 18 and two in three of version 20; a screen is not a printed page (no stains:
L suffices), what fails is blur and small modules. A frame lost costs nothing in particular:
the fountain replaces it.
"""

from __future__ import annotations

import io
import math
import zlib
from dataclasses import replace

import segno
from segno.consts import MODE_ALPHANUMERIC, MODE_BYTE

from app.core import document, fountain, payload
from app.core.actions import get_live
from app.core.model import State

MAX_VERSION = 20
ERROR = "m"
# Alphanumeric capacity of a version-20 code at level M is 970 characters; a part header
# ("FWBP:123/456/0A1B2C3D:") takes up to 22 of them.
CHUNK_CHARS = 940


# Animated QR of a whole export (fountain-coded frames): see bench/qr.py for the measurements behind these.
FRAME_ERROR = "l"
FRAME_CHARS = 600  # version 13-L in alphanumeric mode; 375 bytes of payload per frame
FRAME_BLOCK = fountain.block_size_for(FRAME_CHARS)
REPAIR_RATIO = 1.0  # the sender's loop: K plain frames, then K combinations, then again
SPEEDS = fountain.SPEEDS  # frames per second (« Vitesse »); kept in fountain, which the page imports at boot
DEFAULT_SPEED = fountain.DEFAULT_SPEED


def animated_transfer(doc: dict) -> fountain.Transfer:
    """A whole export -> its fountain transfer (DocumentError fountain.too_large past MAX_BLOCKS)."""
    return fountain.Transfer.of(payload.compress(doc), block_size=FRAME_BLOCK)


def loop_length(transfer: fountain.Transfer) -> int:
    """Frames in the sender's loop: the plain ones, then as many combinations (at least 4)."""
    return transfer.count + max(4, math.ceil(transfer.count * REPAIR_RATIO))


def loop_seq(count: int, position: int) -> int:
    """The frame the sender shows at `position` (0, 1, 2 … for ever): each pass of the loop shows
    the plain frames 0 … K−1, then combinations never shown before. Fresh combinations matter: a
    fixed set of them can lack, by bad luck, the one direction a receiver misses, and repeating
    them would never give it (bench/qr.py saw it once in 4,000 patterns)."""
    length = count + max(4, math.ceil(count * REPAIR_RATIO))
    turn, i = divmod(position, length)
    return i if i < count else count + turn * (length - count) + (i - count)


def animated_frames(doc: dict) -> list[str]:
    """One pass of the loop (what `qr --all` writes and its GIF repeats)."""
    transfer = animated_transfer(doc)
    return transfer.frames(loop_length(transfer))


def make_frame(text: str) -> segno.QRCode:
    """The code of one fountain frame: alphanumeric mode, error correction L. The mask is drawn
    from the text instead of scored over all eight (a quarter of the time, which lets a phone keep
    up with the « Rapide » speed while it makes the loop's first pass; bench/qr.py checks the read
    rate): a frame that an unlucky mask makes hard to read costs nothing in particular."""
    return segno.make([(text, MODE_ALPHANUMERIC)], error=FRAME_ERROR, micro=False, boost_error=False,
                      mask=zlib.crc32(text.encode("ascii")) % 8)


def cellule_document(state: State, cellule_id: str, *, now_ms: int) -> dict:
    """A light v1.0 document carrying one live cellule (what its QR code holds)."""
    cellule = get_live(state, "cellule", cellule_id)
    single = replace(state, cellules={cellule.id: cellule}, ateliers={}, sources={}, extra={})
    doc = document.to_document(single, kind="cellules", now_ms=now_ms)
    doc.pop("federatedSources", None)
    return doc


def segments(text: str) -> str | list[tuple[str, int]]:
    """What segno encodes: an app link as two segments — its address in byte mode, its payload
    (QR-alphanumeric only, see payload.LINK_SAFE) in alphanumeric mode, 5.5 bits a character
    instead of 8 — anything else as it is (segno picks the mode)."""
    head, key, tail = text.partition(payload.LINK_KEY)
    if key and tail and all(c in payload.ALPHABET for c in tail):
        return [(head + key, MODE_BYTE), (tail, MODE_ALPHANUMERIC)]
    return text


def make(text: str) -> segno.QRCode | None:
    """One code for `text` (the smallest version), or None if it needs more than version 20."""
    if len(text) > 4296:  # more than any QR code holds: do not even try
        return None
    try:
        code = segno.make(segments(text), error=ERROR, micro=False, boost_error=False)
    except segno.DataOverflowError:
        return None
    return code if code.version <= MAX_VERSION else None


def frames(text: str) -> list[str]:
    """The texts to show: one code if it fits, else parts of at most CHUNK_CHARS characters."""
    if make(text) is not None:
        return [text]
    return payload.split(text, CHUNK_CHARS)


def cellule_frames(text: str, page_url: str | None = None) -> list[str]:
    """What a cellule's QR shows. With the app's address known, the app link, so that any phone
    camera app opens the app on the import preview; if the link would need more than version 20,
    the bare payload (read by the app's own scanner), or else numbered frames."""
    if page_url:
        link = payload.make_link(page_url, text)
        if make(link) is not None:
            return [link]
    return frames(text)


def png(code: segno.QRCode, scale: int = 8) -> bytes:
    out = io.BytesIO()
    code.save(out, kind="png", scale=scale, border=4, dark="#000000", light="#ffffff")
    return out.getvalue()


def svg(code: segno.QRCode, scale: int = 8) -> str:
    out = io.BytesIO()
    code.save(out, kind="svg", scale=scale, border=4, dark="#000000", light="#ffffff", xmldecl=False,
              svgns=True, title="Cellules FWB")
    return out.getvalue().decode("utf-8")
