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
* Numbered parts `FWBP:i/n/SET:chunk` (app.core.parts), for a code too long for one QR code, and
  fountain-coded frames `FWBF:…` (app.core.fountain) for whole exports carry the same code or
  zlib bytes; scanning either goes through app.core.fountain.Receiver. Names of the layers below
  (Base45, parts) are also reachable from here.
* `read_any(text)` accepts every form — JSON, payload, app link, lines of parts or of fountain
  frames — and returns the JSON text for app.core.document.parse_text. Layers: app.core.base45
  below app.core.parts below app.core.fountain below this module (no import cycle).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, unquote

from app.core import fountain
from app.core.base45 import ALPHABET, CODE_PREFIX, b45decode, b45encode, code_bytes
from app.core.document import MAX_DOCUMENT_BYTES
from app.core.errors import DocumentError
from app.core.parts import MAX_PARTS, PART_PREFIX, Assembly, assemble, set_id, split

__all__ = ["ALPHABET", "FOUNTAIN_PREFIX", "LINK_KEY", "MAX_PARTS", "PART_PREFIX", "PREFIX", "Assembly", "assemble",
           "b45decode", "b45encode", "compress", "decode", "encode", "inflate", "make_link", "payload_from_link",
           "read_any", "set_id", "split"]

PREFIX = CODE_PREFIX
FOUNTAIN_PREFIX = fountain.PREFIX
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


# --- any form -----------------------------------------------------------------------------------

def read_any(text: str | bytes) -> str | bytes:
    """JSON, a compact code, an app link, or lines of QR parts or of fountain frames -> JSON text
    (or bytes) to parse. A text over the document cap is refused before anything is decoded, and
    lines of frames or parts are counted and measured (fountain.check_lines) before any is read."""
    if isinstance(text, bytes):
        if len(text) > MAX_DOCUMENT_BYTES:
            raise DocumentError("doc.too_large", size=len(text), limit=MAX_DOCUMENT_BYTES)
        head = text[:16].lstrip().lstrip(b"\xef\xbb\xbf")
        if head.startswith(b"{") or head.startswith(b"["):
            return text
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise DocumentError("doc.encoding") from None
    elif len(text) > MAX_DOCUMENT_BYTES:  # characters: at least as many bytes
        raise DocumentError("doc.too_large", size=len(text.encode("utf-8", "surrogatepass")), limit=MAX_DOCUMENT_BYTES)
    stripped = text.strip().lstrip("\ufeff")
    if stripped.startswith(FOUNTAIN_PREFIX):
        return inflate(fountain.decode_lines(text.lstrip("\ufeff").splitlines()))
    if stripped.startswith(PART_PREFIX):
        lines = [line for line in text.lstrip("\ufeff").splitlines() if line.strip()]
        fountain.check_lines(lines)
        return decode(assemble(lines))
    if stripped.startswith(PREFIX):
        return decode(text.lstrip("\ufeff"))  # not `stripped`: a trailing space may be Base45
    if LINK_KEY in stripped and not stripped.startswith("{"):
        return decode(payload_from_link(stripped))
    if not stripped:
        raise DocumentError("doc.empty")
    if stripped[0].isalpha() and stripped not in ("true", "false", "null"):  # words, not data
        raise DocumentError("payload.prefix")
    return text
