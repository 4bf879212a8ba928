"""Numbered QR parts `FWBP:<index>/<total>/<set>:<chunk>` of a compact code too long for one QR (pure).

<set> is the first 8 hex digits (upper case) of the SHA-256 of the whole code. Parts can arrive in
any order; an `Assembly` holds the parts of ONE set, reports the missing indexes and checks the
hash of the result. Scanning, where parts of several sets may show up, and a pasted list of
parts (one set) go through app.core.transfer.Receiver (one Assembly per set); `assemble` reads
the parts of one set.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from app.core.errors import DocumentError

PART_PREFIX = "FWBP:"
MAX_PARTS = 500
_PART_RE = re.compile(r"^FWBP:(\d{1,4})/(\d{1,4})/([0-9A-F]{8}):(.*)$", re.S)


def set_id(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8", "surrogatepass")).hexdigest()[:8].upper()


def split(code: str, chunk_chars: int) -> list[str]:
    """A code -> parts `FWBP:i/n/SET:chunk` (1-based), each carrying at most chunk_chars."""
    if chunk_chars < 1:
        raise ValueError("chunk_chars")
    chunks = [code[i:i + chunk_chars] for i in range(0, len(code), chunk_chars)] or [""]
    if len(chunks) > MAX_PARTS:
        raise DocumentError("payload.parts_limit", count=len(chunks), limit=MAX_PARTS)
    sid = set_id(code)
    return [f"{PART_PREFIX}{i}/{len(chunks)}/{sid}:{chunk}" for i, chunk in enumerate(chunks, 1)]


@dataclass(frozen=True, kw_only=True)
class Part:
    index: int
    total: int
    set_id: str
    chunk: str


def parse_part(text: str) -> Part:
    m = _PART_RE.match(text.lstrip().rstrip("\r\n"))  # a chunk may end with a space (Base45)
    if not m:
        raise DocumentError("payload.part")
    index, total = int(m.group(1)), int(m.group(2))
    if not 1 <= index <= total or total > MAX_PARTS:
        raise DocumentError("payload.part")
    return Part(index=index, total=total, set_id=m.group(3), chunk=m.group(4))


@dataclass(frozen=True, kw_only=True)
class Assembly:
    """Parts of one set received so far (immutable: `add` returns a new Assembly)."""

    set_id: str = ""
    total: int = 0
    parts: Mapping[int, str] = field(default_factory=dict)

    def add(self, text: str | Part) -> Assembly:
        part = text if isinstance(text, Part) else parse_part(text)
        if self.set_id and (part.set_id != self.set_id or part.total != self.total):
            raise DocumentError("payload.other_set")
        return Assembly(set_id=part.set_id, total=part.total, parts={**self.parts, part.index: part.chunk})

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
