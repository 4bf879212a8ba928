"""Compact text forms of a document: for chat apps, app links and QR codes (pure).

Theory of operation
-------------------
* Compact payload: `FWB1:` + Base45 (RFC 9285) of the zlib-compressed compact JSON — the EU
  Digital COVID Certificate approach. Base45's alphabet is exactly QR's alphanumeric set, so a
  payload fills a QR code at 5.5 bits per character, and it survives chat apps (no quotes, no
  line breaks). Decoding caps the decompressed size (no zip bomb) and names the damage.
* App link: the page's own URL + `#import=` + the payload (only space and "%" percent-encoded, so
  the link stays a valid URL and its payload part stays QR-alphanumeric). The fragment never
  reaches a server; opening the link leads to the import preview, never to a silent import.
* Numbered parts `FWBP:i/n/SET:chunk` (app.core.parts), for a code too long for one QR code,
  carry the same code; fountain-coded frames `FWBF:…` (app.core.fountain) carry a whole export's
  zlib bytes. Names of the layers below (Base45, parts) are also reachable from here.
* Reading any of these forms, and every scanned or pasted transfer, is app.core.transfer's job
  (`read_any`, the one Receiver), above this module: app.core.base45 below app.core.parts below
  this module, and app.core.fountain beside it (no import cycle).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, unquote

from app.core.base45 import ALPHABET, CODE_PREFIX, b45decode, b45encode, code_bytes
from app.core.document import MAX_DOCUMENT_BYTES
from app.core.errors import DocumentError
from app.core.parts import MAX_PARTS, PART_PREFIX, Assembly, assemble, set_id, split

__all__ = ["ALPHABET", "LINK_KEY", "MAX_PARTS", "PART_PREFIX", "PREFIX", "Assembly", "assemble", "b45decode",
           "b45encode", "compress", "decode", "encode", "inflate", "make_link", "payload_from_link", "set_id", "split"]

PREFIX = CODE_PREFIX
LINK_KEY = "#import="


# --- compact payload ------------------------------------------------------------------------------

def compress(doc: Mapping[str, Any]) -> bytes:
    """The compact JSON of `doc`, zlib-compressed (what a payload and fountain frames carry)."""
    raw = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return zlib.compress(raw, 9)


def encode(doc: Mapping[str, Any]) -> str:
    return PREFIX + b45encode(compress(doc))


def decode(payload: str) -> bytes:
    """A compact payload -> the JSON bytes it carries (decompressed size capped)."""
    return inflate(code_bytes(payload))


def inflate(compressed: bytes) -> bytes:
    """zlib bytes -> the JSON bytes (decompressed size capped: no zip bomb)."""
    inflater = zlib.decompressobj()
    try:
        raw = inflater.decompress(compressed, MAX_DOCUMENT_BYTES + 1)
    except zlib.error:
        raise DocumentError("payload.zlib") from None
    if len(raw) > MAX_DOCUMENT_BYTES or inflater.unconsumed_tail:
        raise DocumentError("payload.too_large", limit=MAX_DOCUMENT_BYTES)
    if not inflater.eof:
        raise DocumentError("payload.zlib")
    return raw


# Base45 characters that may stand as they are in a URL fragment: all but space and "%", which
# become "%20" and "%25" — still QR alphanumeric characters, so a link's payload part stays in
# the compact alphanumeric mode (app.core.qr.segments).
LINK_SAFE = "$*+-./:"


def make_link(page_url: str, payload: str) -> str:
    base = page_url.split("#", 1)[0]
    return base + LINK_KEY + quote(payload, safe=LINK_SAFE)


def payload_from_link(link: str) -> str:
    if LINK_KEY not in link:
        raise DocumentError("payload.link")
    return unquote(link.split(LINK_KEY, 1)[1].strip())


# --- names read here by callers that have not moved to app.core.transfer ---------------------------
_IN_TRANSFER = {"read_any": "read_any", "FOUNTAIN_PREFIX": "FRAME_PREFIX"}


def __getattr__(name: str) -> Any:
    """`payload.read_any` for app/cli.py, app/core/refresh.py and app/web (intake, evicted), and
    `payload.FOUNTAIN_PREFIX` for app/web/scanner.py, which read them here: they live in
    app.core.transfer, above this module."""
    if name in _IN_TRANSFER:
        from app.core import transfer  # lazy: transfer imports this module (a re-export, not a dependency)
        return getattr(transfer, _IN_TRANSFER[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
