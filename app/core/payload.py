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
* Multi-part frames, for what does not fit one QR code: `FWBP:<index>/<total>/<set>:<chunk>`,
  where <set> is the first 8 hex digits (upper case) of the SHA-256 of the whole payload. Parts
  can arrive in any order; the assembler reports progress and the missing indexes, and checks the
  hash of the result.
* Fountain-coded frames `FWBF:…` (app.core.fountain) carry the same zlib bytes for whole exports:
  any sufficient subset of frames decodes, no frame is needed in particular.
* `read_any(text)` accepts every form — JSON, payload, app link, lines of parts or of fountain
  frames — and returns
  the JSON text for app.core.document.parse_text.
"""

from __future__ import annotations

import hashlib
import json
import re
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote

from app.core.document import MAX_DOCUMENT_BYTES
from app.core.errors import DocumentError
from app.core.i18n import words

PREFIX = "FWB1:"
PART_PREFIX = "FWBP:"
FOUNTAIN_PREFIX = "FWBF:"  # fountain-coded frames of a whole export: app.core.fountain
LINK_KEY = "#import="
MAX_PARTS = 500
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_INDEX = {c: i for i, c in enumerate(ALPHABET)}
_PART_RE = re.compile(r"^FWBP:(\d{1,4})/(\d{1,4})/([0-9A-F]{8}):(.*)$", re.S)


# --- Base45 (RFC 9285) ----------------------------------------------------------------------------

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
    try:
        values = [_INDEX[c] for c in text]
    except KeyError as exc:
        raise DocumentError("payload.base45", detail=words("d.code_char", char=repr(exc.args[0]))) from None
    if len(values) % 3 == 1:
        raise DocumentError("payload.base45", detail=words("d.code_length"))
    out = bytearray()
    for i in range(0, len(values), 3):
        chunk = values[i:i + 3]
        if len(chunk) == 3:
            n = chunk[0] + chunk[1] * 45 + chunk[2] * 2025
            if n > 0xFFFF:
                raise DocumentError("payload.base45", detail=words("d.code_group"))
            out += n.to_bytes(2, "big")
        else:
            n = chunk[0] + chunk[1] * 45
            if n > 0xFF:
                raise DocumentError("payload.base45", detail=words("d.code_end"))
            out.append(n)
    return bytes(out)


# --- compact payload ------------------------------------------------------------------------------

def compress(doc: Mapping[str, Any]) -> bytes:
    """The compact JSON of `doc`, zlib-compressed (what a payload and fountain frames carry)."""
    raw = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return zlib.compress(raw, 9)


def encode(doc: Mapping[str, Any]) -> str:
    return PREFIX + b45encode(compress(doc))


def decode(payload: str) -> bytes:
    """A compact payload -> the JSON bytes it carries (decompressed size capped)."""
    text = payload.lstrip().rstrip("\r\n")
    if not text.startswith(PREFIX):
        raise DocumentError("payload.prefix")
    return inflate(b45decode(text[len(PREFIX):]))


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


# --- multi-part ---------------------------------------------------------------------------------

def set_id(payload: str) -> str:
    return hashlib.sha256(payload.encode("ascii")).hexdigest()[:8].upper()


def split(payload: str, chunk_chars: int) -> list[str]:
    """A payload -> frames `FWBP:i/n/SET:chunk` (1-based), each carrying at most chunk_chars."""
    if chunk_chars < 1:
        raise ValueError("chunk_chars")
    chunks = [payload[i:i + chunk_chars] for i in range(0, len(payload), chunk_chars)] or [""]
    if len(chunks) > MAX_PARTS:
        raise DocumentError("payload.parts_limit", count=len(chunks), limit=MAX_PARTS)
    sid = set_id(payload)
    return [f"{PART_PREFIX}{i}/{len(chunks)}/{sid}:{chunk}" for i, chunk in enumerate(chunks, 1)]


@dataclass(frozen=True, kw_only=True)
class Assembly:
    """Parts received so far (immutable: `add` returns a new Assembly)."""

    set_id: str = ""
    total: int = 0
    parts: Mapping[int, str] = field(default_factory=dict)

    def add(self, text: str) -> Assembly:
        m = _PART_RE.match(text.lstrip().rstrip("\r\n"))  # a chunk may end with a space (Base45)
        if not m:
            raise DocumentError("payload.part")
        index, total, sid, chunk = int(m.group(1)), int(m.group(2)), m.group(3), m.group(4)
        if not 1 <= index <= total or total > MAX_PARTS:
            raise DocumentError("payload.part")
        if self.set_id and (sid != self.set_id or total != self.total):
            raise DocumentError("payload.other_set")
        return Assembly(set_id=sid, total=total, parts={**self.parts, index: chunk})

    @property
    def missing(self) -> list[int]:
        return [i for i in range(1, self.total + 1) if i not in self.parts]

    @property
    def complete(self) -> bool:
        return self.total > 0 and not self.missing

    def payload(self) -> str:
        if not self.complete:
            raise DocumentError("payload.missing", missing=", ".join(map(str, self.missing)), total=self.total)
        joined = "".join(self.parts[i] for i in range(1, self.total + 1))
        if set_id(joined) != self.set_id:
            raise DocumentError("payload.checksum")
        return joined


def assemble(lines: Iterable[str]) -> str:
    assembly = Assembly()
    for line in lines:
        if line.strip():
            assembly = assembly.add(line)
    return assembly.payload()


# --- any form -----------------------------------------------------------------------------------

def read_any(text: str | bytes) -> str | bytes:
    """JSON, a compact payload, an app link, or lines of parts -> JSON text (or bytes) to parse."""
    if isinstance(text, bytes):
        head = text[:16].lstrip().lstrip(b"\xef\xbb\xbf")
        if head.startswith(b"{") or head.startswith(b"["):
            return text
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise DocumentError("doc.encoding") from None
    stripped = text.strip().lstrip("\ufeff")
    if stripped.startswith(FOUNTAIN_PREFIX):
        from app.core import fountain

        return inflate(fountain.decode_lines(text.lstrip("\ufeff").splitlines()))
    if stripped.startswith(PART_PREFIX):
        return decode(assemble(text.lstrip("\ufeff").splitlines()))
    if stripped.startswith(PREFIX):
        return decode(text.lstrip("\ufeff"))  # not `stripped`: a trailing space may be Base45
    if LINK_KEY in stripped and not stripped.startswith("{"):
        return decode(payload_from_link(stripped))
    if not stripped:
        raise DocumentError("doc.empty")
    if stripped[0].isalpha() and stripped not in ("true", "false", "null"):  # words, not data
        raise DocumentError("payload.prefix")
    return text
