"""Fountain-coded QR frames for whole exports, and the receiving side of every scanned transfer (pure).

Theory of operation
-------------------
The data sent is the compressed payload (the zlib bytes inside a `FWB1:` code, see
app.core.payload). It is cut into K blocks of B bytes (the last one padded with zeros).

* Frame `seq` < K carries plain block `seq` (a systematic code: with no loss, K frames suffice and
  nothing is computed). Frame `seq` ≥ K carries the XOR of a subset of the K blocks; the subset is
  drawn by a seeded generator (splitmix64 seeded from the transfer id and `seq`), each block kept
  with probability 1/2 — a *random linear fountain* (MacKay, "Information Theory, Inference, and
  Learning Algorithms", ch. 50): the subsets are a dense random binary matrix, so once K + c frames
  of any mixture arrived, the received equations span all K blocks with probability at least
  1 − 2^−c. That meets "ceil(1.1 K) + a few" with room to spare, which LT codes' sparse
  degree distributions (robust soliton) reach only for thousands of blocks; K is small here
  (tens to a few hundred), so Gaussian elimination costs little.
* `Decoder` (one transfer) reduces each frame's equation against a GF(2) basis as it arrives
  (XOR of Python ints: the subset as a K-bit mask, the block as an int); the rank is the progress.
  At full rank it back-substitutes, joins the blocks, cuts the padding and checks the SHA-256 of
  the whole: the first 8 bytes of that digest ARE the transfer id, carried by every frame. A
  failed check means a damaged frame slipped past its CRC: the decoder starts over and says the
  transfer is damaged (`failed`), never gives other data.
* Every frame is `FWBF:` + Base45 of  version(1) | transfer id(8) | payload length(4) | K(2) |
  seq(4) | block(B) | CRC-32 of all before(4)  — big-endian. A frame whose CRC fails is ignored.
* Caps before any decoding: a frame text longer than a QR code can hold (`MAX_FRAME_CHARS`) is
  refused before a character is decoded; the header's declared sizes (K ≤ MAX_BLOCKS, the length
  within K blocks of the frame's own block size, so at most MAX_BLOCKS × 2,837 bytes) are checked
  on the header's first characters before the block is decoded; a text of frames (a paste, the
  CLI's frames.txt) is refused whole, before any frame is decoded, past `MAX_FRAMES` lines or with
  one line over `MAX_FRAME_CHARS` (`check_lines`). The text as a whole is under the document cap
  (app.core.payload.read_any checks it first).
* `Receiver` is the scanning side of both kinds of multi-code transfer: fountain frames and the
  numbered parts `FWBP:` of app.core.parts (one `PartsDecoder`, an Assembly, per set). It keeps
  one decoder per transfer, at most MAX_TRANSFERS. The transfer being scanned is the one the
  camera has given the most frames (the first seen on a tie): its progress is what the scanner
  shows, its result is the one offered — a neighbour's smaller transfer that completes first is
  not. When a transfer beyond the bound shows up, the one with the fewest frames (then the least
  recently seen) is dropped, never the one being scanned: frames of any number of neighbours
  cannot push it out.
No clock, no camera, no randomness from outside: the same inputs give the same frames everywhere.
"""

from __future__ import annotations

import hashlib
import math
import struct
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.core.base45 import b45decode, b45encode, code_bytes
from app.core.errors import DocumentError
from app.core.parts import PART_PREFIX, Assembly, Part, parse_part

PREFIX = "FWBF:"
VERSION = 1
_HEAD = struct.Struct(">B8sIHI")
HEADER_BYTES = _HEAD.size + 4  # + the CRC-32 at the end
_HEAD_CHARS = 3 * math.ceil(_HEAD.size / 2)  # Base45 characters that hold the header (and a byte more)
MAX_BLOCKS = 1000  # ~600 KB compressed: already minutes of frames; beyond that, send a file
MAX_TRANSFERS = 4  # a Receiver follows at most this many transfers at once
# The most characters one QR code holds (version 40, error correction L, alphanumeric mode): no
# longer text came from a QR code. Frames of the app are 600 (app.core.qr.FRAME_CHARS).
MAX_FRAME_CHARS = 4296
# Frames in one text (a paste, a frames file): the sender's whole loop of the largest transfer,
# K plain frames then K combinations (app.core.qr.loop_length).
MAX_FRAMES = 2 * MAX_BLOCKS
_MASK64 = (1 << 64) - 1

# How fast the sender shows frames (« Vitesse »; app.core.qr shows them, bench/qr.py measured these).
# Here rather than in qr so that the page can offer the speeds without importing segno at boot.
SPEEDS = {"slow": 3, "normal": 5, "fast": 8}  # frames per second
DEFAULT_SPEED = "normal"


def transfer_id(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()[:8]


def _splitmix64(state: int):
    while True:
        state = (state + 0x9E3779B97F4A7C15) & _MASK64
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
        yield z ^ (z >> 31)


def subset(tid: bytes, count: int, seq: int) -> int:
    """The blocks frame `seq` combines, as a bit mask over `count` blocks (bit i = block i)."""
    if seq < count:
        return 1 << seq
    rng = _splitmix64(int.from_bytes(tid, "big") ^ (seq * 0xD1B54A32D192ED03 & _MASK64))
    mask = 0
    for shift in range(0, count, 64):
        mask |= next(rng) << shift
    mask &= (1 << count) - 1
    return mask or 1 << (seq % count)  # never an empty equation


@dataclass(frozen=True, kw_only=True)
class Transfer:
    """What the sender holds: the payload cut into blocks (ints, for fast XOR)."""

    tid: bytes
    length: int
    block_size: int
    blocks: tuple[int, ...]

    @classmethod
    def of(cls, data: bytes, *, block_size: int) -> Transfer:
        if block_size < 1:
            raise ValueError("block_size")
        count = max(1, math.ceil(len(data) / block_size))
        if count > MAX_BLOCKS:
            raise DocumentError("fountain.too_large", count=count, limit=MAX_BLOCKS)
        padded = data.ljust(count * block_size, b"\0")
        blocks = tuple(int.from_bytes(padded[i:i + block_size], "big") for i in range(0, len(padded), block_size))
        return cls(tid=transfer_id(data), length=len(data), block_size=block_size, blocks=blocks)

    @property
    def count(self) -> int:
        return len(self.blocks)

    def frame(self, seq: int) -> str:
        mask, value, i = subset(self.tid, self.count, seq), 0, 0
        while mask:
            if mask & 1:
                value ^= self.blocks[i]
            mask >>= 1
            i += 1
        body = _HEAD.pack(VERSION, self.tid, self.length, self.count, seq) + value.to_bytes(self.block_size, "big")
        return PREFIX + b45encode(body + zlib.crc32(body).to_bytes(4, "big"))

    def frames(self, count: int, start: int = 0) -> list[str]:
        return [self.frame(seq) for seq in range(start, start + count)]


def block_size_for(chars: int) -> int:
    """The block size whose frame text is at most `chars` characters long."""
    return (chars - len(PREFIX)) // 3 * 2 - HEADER_BYTES


@dataclass(frozen=True, kw_only=True)
class Frame:
    tid: bytes
    length: int
    count: int
    seq: int
    block: bytes

    @property
    def key(self) -> tuple[bytes, int, int]:
        return (self.tid, self.length, self.count)


def parse(text: str) -> Frame:
    """One frame text -> Frame; DocumentError("fountain.frame") if it is damaged in any way,
    "fountain.frame_size" if it is longer than a QR code holds, "fountain.version" if it is of a
    newer format. Sizes are checked before the block is decoded."""
    text = text.lstrip().rstrip("\r\n")
    if len(text) > MAX_FRAME_CHARS:
        raise DocumentError("fountain.frame_size", chars=len(text), limit=MAX_FRAME_CHARS)
    if not text.startswith(PREFIX):
        raise DocumentError("fountain.frame")
    body = text[len(PREFIX):]
    raw_size = len(body) // 3 * 2 + (len(body) % 3 == 2)
    if len(body) % 3 == 1 or raw_size <= HEADER_BYTES:
        raise DocumentError("fountain.frame")
    try:
        version, tid, length, count, seq = _HEAD.unpack_from(b45decode(body[:_HEAD_CHARS]))
    except DocumentError:
        raise DocumentError("fountain.frame") from None
    block_size = raw_size - HEADER_BYTES
    if version == VERSION and (not 1 <= count <= MAX_BLOCKS or length > count * block_size
                               or (count > 1 and length <= (count - 1) * block_size)):
        raise DocumentError("fountain.frame")  # declared sizes this frame cannot carry: not decoded
    try:
        raw = b45decode(body)
    except DocumentError:
        raise DocumentError("fountain.frame") from None
    if zlib.crc32(raw[:-4]).to_bytes(4, "big") != raw[-4:]:
        raise DocumentError("fountain.frame")
    if version != VERSION:
        raise DocumentError("fountain.version", version=version)
    return Frame(tid=tid, length=length, count=count, seq=seq, block=raw[_HEAD.size:-4])


def check_lines(lines: Sequence[str]) -> None:
    """The caps of a text of frames or parts (a paste, a frames file), before any is decoded:
    at most MAX_FRAMES lines, none longer than MAX_FRAME_CHARS."""
    if len(lines) > MAX_FRAMES:
        raise DocumentError("fountain.frame_count", count=len(lines), limit=MAX_FRAMES)
    longest = max(range(len(lines)), key=lambda i: len(lines[i]), default=None)
    if longest is not None and len(lines[longest].strip()) > MAX_FRAME_CHARS:
        raise DocumentError("fountain.line_size", line=longest + 1, chars=len(lines[longest].strip()),
                            limit=MAX_FRAME_CHARS)


@dataclass(frozen=True, kw_only=True)
class Progress:
    """What one scanned text did. status: "new" (it taught something), "known" (nothing new: a
    repeat or a redundant combination), "done" (its transfer just decoded), "failed" (its transfer
    completed but did not check out: damaged, started over), "damaged" (unreadable, ignored),
    "newer" (a frame of a newer format). kind: "frames" (FWBF) or "parts" (FWBP)."""

    status: str
    rank: int = 0
    count: int = 0
    frames: int = 0  # texts accepted for this transfer
    tid: str = ""
    kind: str = "frames"

    @property
    def fraction(self) -> float:
        return self.rank / self.count if self.count else 0.0

    @property
    def percent(self) -> int:
        """Whole percent, 100 only once decoded."""
        if not self.count:
            return 0
        return 100 if self.rank >= self.count else min(99, self.rank * 100 // self.count)


class Decoder:
    """Incremental decoder of ONE fountain transfer (mutable, like h11's Connection; no I/O).

    feed(frame) -> Progress; once `complete`, result() -> the payload bytes (SHA-256 checked)."""

    kind = "frames"

    def __init__(self, key: tuple[bytes, int, int]) -> None:
        self.tid, self.length, self.count = key
        self.block_size = 0
        self.rows: dict[int, tuple[int, int]] = {}  # pivot -> (mask, value): lowest bit of mask is the pivot
        self.frames = 0
        self.failed = False  # a decode did not check out since the last success (damaged transfer)
        self._result: bytes | None = None

    @property
    def rank(self) -> int:
        return len(self.rows)

    @property
    def complete(self) -> bool:
        return self._result is not None

    def progress(self, status: str) -> Progress:
        return Progress(status=status, rank=self.count if self.complete else self.rank, count=self.count,
                        frames=self.frames, tid=self.tid.hex())

    def feed(self, frame: Frame) -> Progress:
        if frame.key != (self.tid, self.length, self.count):
            raise ValueError("frame of another transfer")
        if self.block_size and len(frame.block) != self.block_size:
            return self.progress("damaged")
        self.block_size = len(frame.block)
        self.frames += 1
        if self.complete:
            return self.progress("known")
        mask, value = subset(self.tid, self.count, frame.seq), int.from_bytes(frame.block, "big")
        rows = self.rows
        while mask:
            low = mask & -mask
            pivot = low.bit_length() - 1
            row = rows.get(pivot)
            if row is None:
                rows[pivot] = (mask, value)
                break
            mask ^= row[0]
            value ^= row[1]
        else:
            return self.progress("known")
        if len(rows) < self.count:
            return self.progress("new")
        return self.progress("done" if self._solve() else "failed")

    def _solve(self) -> bool:
        solved: dict[int, int] = {}
        for pivot in sorted(self.rows, reverse=True):
            mask, value = self.rows[pivot]
            rest = mask ^ (1 << pivot)
            while rest:
                low = rest & -rest
                value ^= solved[low.bit_length() - 1]
                rest ^= low
            solved[pivot] = value
        size = self.block_size
        data = b"".join(solved[i].to_bytes(size, "big") for i in range(self.count))[:self.length]
        self.rows.clear()
        if transfer_id(data) != self.tid:
            # Only possible if a damaged frame passed its CRC: start over rather than give wrong data.
            self.failed = True
            return False
        self.failed = False
        self._result = data
        return True

    def missing(self) -> DocumentError:
        return DocumentError("fountain.missing", percent=self.progress("new").percent)

    def result(self) -> bytes:
        if self._result is None:
            raise DocumentError("fountain.checksum") if self.failed else self.missing()
        return self._result


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
