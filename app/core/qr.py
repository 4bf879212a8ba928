"""QR codes of cellules and exports (segno, pure Python; output as bytes or text, no files).

One cellule -> one code of version ≤ 20 at error correction M when it fits; otherwise (and for
whole exports) a sequence of frames, each a code of version ≤ 20 carrying one part
(app.core.payload.split). A code never grows beyond version 20: past that, phones read badly.
"""

from __future__ import annotations

import io
from dataclasses import replace

import segno

from app.core import document, payload
from app.core.actions import get_live
from app.core.model import State

MAX_VERSION = 20
ERROR = "m"
# Alphanumeric capacity of a version-20 code at level M is 970 characters; a part header
# ("FWBP:123/456/0A1B2C3D:") takes up to 22 of them.
CHUNK_CHARS = 940


def cellule_document(state: State, cellule_id: str, *, now_ms: int) -> dict:
    """A light v1.0 document carrying one live cellule (what its QR code holds)."""
    cellule = get_live(state, "cellule", cellule_id)
    single = replace(state, cellules={cellule.id: cellule}, ateliers={}, sources={}, extra={})
    doc = document.to_document(single, kind="cellules", now_ms=now_ms)
    doc.pop("federatedSources", None)
    return doc


def make(text: str) -> segno.QRCode | None:
    """One code for `text` (the smallest version), or None if it needs more than version 20."""
    if len(text) > 4296:  # more than any QR code holds: do not even try
        return None
    try:
        code = segno.make(text, error=ERROR, micro=False, boost_error=False)
    except segno.DataOverflowError:
        return None
    return code if code.version <= MAX_VERSION else None


def frames(text: str) -> list[str]:
    """The texts to show: one code if it fits, else parts of at most CHUNK_CHARS characters."""
    if make(text) is not None:
        return [text]
    return payload.split(text, CHUNK_CHARS)


def png(code: segno.QRCode, scale: int = 8) -> bytes:
    out = io.BytesIO()
    code.save(out, kind="png", scale=scale, border=4, dark="#000000", light="#ffffff")
    return out.getvalue()


def svg(code: segno.QRCode, scale: int = 8) -> str:
    out = io.BytesIO()
    code.save(out, kind="svg", scale=scale, border=4, dark="#000000", light="#ffffff", xmldecl=False,
              svgns=True, title="Cellules FWB")
    return out.getvalue().decode("utf-8")
