"""Reading every form of transfer: `read_any` for a whole text, the one `Receiver` for scanned ones (pure).

Theory of operation
-------------------
Layers, bottom up, none importing one above it: app.core.base45 (Base45, the compact code's
prefix); app.core.parts (numbered parts `FWBP:` of a compact code) and app.core.fountain
(fountain-coded frames `FWBF:` of an export's zlib bytes, one transfer's Decoder); app.core.payload
(compact codes `FWB1:`, app links); this module.

* `Receiver` is the one receiving side of both kinds of multi-code transfer, for the camera
  (app/web/scanner.py) and for a pasted text alike: fountain frames (a fountain.Decoder per
  transfer) and numbered parts (a `PartsDecoder`, an Assembly, per set). It keeps at most
  MAX_TRANSFERS decoders. The transfer being scanned is the one the camera has given the most
  frames (the first seen on a tie): its progress is what the scanner shows, its result is the one
  offered — a neighbour's smaller transfer that completes first is not. When a transfer beyond
  the bound shows up, the one with the fewest frames (then the least recently seen) is dropped,
  never the one being scanned: frames of any number of neighbours cannot push it out.
* A text of frames or parts (a paste, the CLI's frames.txt) is refused whole, before any line is
  decoded, past `MAX_FRAMES` lines or with one line over fountain.MAX_FRAME_CHARS (`check_lines`).
  Pasted frames go through the Receiver as scanned ones do (a damaged frame is skipped: its CRC
  says so); pasted parts are one set read whole (`assemble_lines`): a part that does not read or
  that belongs to another set is refused, since a part carries no check of its own.
* `read_any(text)` accepts every form — JSON, a compact code, an app link, lines of parts or of
  fountain frames — and returns the JSON text (or bytes) for app.core.document.parse_text. A text
  over the document cap is refused before anything is decoded.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from app.core.base45 import code_bytes
from app.core.document import MAX_DOCUMENT_BYTES
from app.core.errors import DocumentError
from app.core.fountain import MAX_BLOCKS, MAX_FRAME_CHARS, Decoder, Frame, Progress, parse
from app.core.fountain import PREFIX as FRAME_PREFIX
from app.core.parts import PART_PREFIX, Assembly, Part, parse_part
from app.core.payload import LINK_KEY, PREFIX, decode, inflate, payload_from_link

MAX_TRANSFERS = 4  # a Receiver follows at most this many transfers at once
# Frames in one text (a paste, a frames file): the sender's whole loop of the largest transfer,
# K plain frames then K combinations (app.core.qr.loop_length).
MAX_FRAMES = 2 * MAX_BLOCKS


def is_transfer(text: str) -> bool:
    """A frame or a part of a multi-code transfer (not a whole code)."""
    return text.lstrip().startswith((FRAME_PREFIX, PART_PREFIX))


def check_lines(lines: Sequence[str]) -> None:
    """The caps of a text of frames or parts (a paste, a frames file), before any is decoded:
    at most MAX_FRAMES lines, none longer than MAX_FRAME_CHARS."""
    if len(lines) > MAX_FRAMES:
        raise DocumentError("fountain.frame_count", count=len(lines), limit=MAX_FRAMES)
    longest = max(range(len(lines)), key=lambda i: len(lines[i]), default=None)
    if longest is not None and len(lines[longest].strip()) > MAX_FRAME_CHARS:
        raise DocumentError("fountain.line_size", line=longest + 1, chars=len(lines[longest].strip()),
                            limit=MAX_FRAME_CHARS)


class PartsDecoder:
    """The numbered parts (`FWBP:`) of ONE set, with the Decoder's interface: result() -> the
    zlib bytes of the compact code they carry (its hash checked)."""

    kind = "parts"

    def __init__(self, key: tuple[str, str, int]) -> None:
        _, self.set_id, self.count = key
        self.assembly = Assembly()
        self.frames = 0
        self.failed = False
        self._code: str | None = None

    @property
    def rank(self) -> int:
        return len(self.assembly.parts)

    @property
    def complete(self) -> bool:
        return self._code is not None

    def progress(self, status: str) -> Progress:
        return Progress(status=status, rank=self.rank, count=self.count, frames=self.frames, tid=self.set_id,
                        kind=self.kind)

    def feed(self, part: Part) -> Progress:
        self.frames += 1
        if self.complete or part.index in self.assembly.parts:
            return self.progress("known")
        self.assembly = self.assembly.add(part)
        if not self.assembly.complete:
            return self.progress("new")
        try:
            self._code = self.assembly.payload()
        except DocumentError:  # the parts do not fit together (a damaged one): start over
            self.assembly = Assembly()
            self.failed = True
            return self.progress("failed")
        self.failed = False
        return self.progress("done")

    def missing(self) -> DocumentError:
        return DocumentError("payload.missing", missing=", ".join(map(str, self.assembly.missing)), total=self.count)

    def result(self) -> bytes:
        if self._code is None:
            raise DocumentError("payload.checksum") if self.failed else self.missing()
        return code_bytes(self._code)


def read_scanned(text: str) -> Frame | Part:
    """One scanned text -> a fountain frame or a numbered part (DocumentError if neither)."""
    if len(text) > MAX_FRAME_CHARS:  # before anything is decoded or matched
        raise DocumentError("fountain.frame_size", chars=len(text), limit=MAX_FRAME_CHARS)
    if text.lstrip().startswith(PART_PREFIX):
        return parse_part(text)
    return parse(text)


def _key(item: Frame | Part) -> tuple:
    return item.key if isinstance(item, Frame) else ("FWBP", item.set_id, item.total)


class Receiver:
    """Scanned texts of any transfers (fountain frames, numbered parts), in any order, repeated or
    damaged -> the payload of the transfer being scanned (mutable; no I/O).

    One decoder per transfer, at most MAX_TRANSFERS; see the module's docstring for which one is
    being scanned and which one is dropped past the bound."""

    def __init__(self) -> None:
        self.decoders: dict[tuple, Decoder | PartsDecoder] = {}  # in the order first seen
        self.last_seen: dict[tuple, int] = {}
        self.texts = 0  # texts fed
        self.damaged = 0
        self.newer = 0  # frames of a newer format version (the app needs an update to read them)
        self.newer_version = 0
        self.refused: DocumentError | None = None  # why the last unreadable text was not read

    def feed(self, text: str) -> Progress:
        self.texts += 1
        try:
            item = read_scanned(text)
        except DocumentError as exc:
            self.damaged += 1
            if exc.code == "fountain.version":
                self.newer += 1
                self.newer_version = exc.params["version"]
                return Progress(status="newer")
            self.refused = exc
            return Progress(status="damaged")
        return self.take(item)

    def take(self, item: Frame | Part) -> Progress:
        """One frame or part already read (feed reads the text first)."""
        key = _key(item)
        decoder = self.decoders.get(key)
        if decoder is None:
            if len(self.decoders) >= MAX_TRANSFERS:
                self._drop_one()
            decoder = self.decoders[key] = Decoder(key) if isinstance(item, Frame) else PartsDecoder(key)
        self.last_seen[key] = self.texts
        progress = decoder.feed(item)
        if progress.status == "damaged":
            self.damaged += 1
        return progress

    def _drop_one(self) -> None:
        followed = self.followed
        key = min((k for k, d in self.decoders.items() if d is not followed),
                  key=lambda k: (self.decoders[k].frames, self.last_seen[k]))
        del self.decoders[key], self.last_seen[key]

    @property
    def followed(self) -> Decoder | PartsDecoder | None:
        """The transfer being scanned: the most frames, the first seen on a tie."""
        return max(self.decoders.values(), key=lambda d: d.frames, default=None)

    @property
    def done(self) -> Decoder | PartsDecoder | None:
        """The transfer being scanned once it decoded (the one to offer), else None."""
        followed = self.followed
        return followed if followed is not None and followed.complete else None

    @property
    def complete(self) -> bool:
        return self.done is not None

    @property
    def newer_wins(self) -> bool:
        """Frames of a newer format are (at least) as many as those of the transfer being scanned:
        what is being scanned needs an update of the app."""
        followed = self.followed
        return self.newer > 0 and (followed is None or self.newer >= followed.frames)

    def current(self) -> Progress:
        """The progress of the transfer being scanned (what the scanner shows)."""
        followed = self.followed
        if followed is None:
            return Progress(status="new")
        return followed.progress("done" if followed.complete else "failed" if followed.failed else "new")

    @property
    def others(self) -> int:
        """How many other transfers are kept besides the one being scanned."""
        return max(0, len(self.decoders) - 1)

    def error(self) -> DocumentError:
        """Why there is no result yet, in the user's terms: the transfer being scanned arrived
        damaged (start again), or needs a newer app, or nothing was readable, or how far it got."""
        followed = self.followed
        if followed is not None and followed.failed:
            return DocumentError("fountain.checksum" if followed.kind == "frames" else "payload.checksum")
        if self.newer_wins:
            return DocumentError("fountain.version", version=self.newer_version)
        if followed is None:
            return self.refused or DocumentError("fountain.missing", percent=0)
        return followed.missing()

    def result(self) -> bytes:
        """The zlib bytes of the transfer being scanned, or DocumentError (`error()`)."""
        done = self.done
        if done is None:
            raise self.error()
        return done.result()


def decode_lines(lines: Iterable[str]) -> bytes:
    """Frame texts (one per line, e.g. the CLI's frames.txt or a paste) -> payload bytes. The caps
    (`check_lines`) are checked on all the lines before any is decoded."""
    texts = [line for line in lines if line.strip()]
    check_lines(texts)
    receiver = Receiver()
    for text in texts:
        receiver.feed(text)
        if receiver.complete:
            break
    return receiver.result()


def assemble_lines(lines: Iterable[str]) -> bytes:
    """Pasted numbered parts (one per line) -> the zlib bytes of the compact code they carry, read
    through a Receiver. A paste is one set, read whole: a line that is not a part is refused
    ("payload.part"), so is a part of another set ("payload.other_set"); a part given twice counts
    as its last copy. The caps (`check_lines`) are checked on all the lines first."""
    texts = [line for line in lines if line.strip()]
    check_lines(texts)
    parts: dict[int, Part] = {}
    first: Part | None = None
    for text in texts:
        part = parse_part(text)
        if first is None:
            first = part
        elif (part.set_id, part.total) != (first.set_id, first.total):
            raise DocumentError("payload.other_set")
        parts[part.index] = part
    receiver = Receiver()
    for part in parts.values():
        receiver.take(part)
    return receiver.result()


# --- any form -----------------------------------------------------------------------------------

def read_any(text: str | bytes) -> str | bytes:
    """JSON, a compact code, an app link, or lines of QR parts or of fountain frames -> JSON text
    (or bytes) to parse. A text over the document cap is refused before anything is decoded, and
    lines of frames or parts are counted and measured (check_lines) before any is read."""
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
    if stripped.startswith(FRAME_PREFIX):
        return inflate(decode_lines(text.lstrip("\ufeff").splitlines()))
    if stripped.startswith(PART_PREFIX):
        return inflate(assemble_lines(text.lstrip("\ufeff").splitlines()))
    if stripped.startswith(PREFIX):
        return decode(text.lstrip("\ufeff"))  # not `stripped`: a trailing space may be Base45
    if LINK_KEY in stripped and not stripped.startswith("{"):
        return decode(payload_from_link(stripped))
    if not stripped:
        raise DocumentError("doc.empty")
    if stripped[0].isalpha() and stripped not in ("true", "false", "null"):  # words, not data
        raise DocumentError("payload.prefix")
    return text
