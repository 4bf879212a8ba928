"""Fountain-coded QR frames (`FWBF:`) for whole exports: the sender's frames and one transfer's decoder (pure).

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
  on the header's first characters before the block is decoded. A text of many frames (a paste,
  the CLI's frames.txt) is capped as a whole by app.core.transfer.check_lines.
* Scanning many frames, of one transfer or several, with numbered parts among them, is
  app.core.transfer.Receiver's job: it keeps one `Decoder` per transfer.
No clock, no camera, no randomness from outside: the same inputs give the same frames everywhere.
"""

from __future__ import annotations

import hashlib
import math
import struct
import zlib
from dataclasses import dataclass

from app.core.base45 import b45decode, b45encode
from app.core.errors import DocumentError

PREFIX = "FWBF:"
VERSION = 1
_HEAD = struct.Struct(">B8sIHI")
HEADER_BYTES = _HEAD.size + 4  # + the CRC-32 at the end
_HEAD_CHARS = 3 * math.ceil(_HEAD.size / 2)  # Base45 characters that hold the header (and a byte more)
MAX_BLOCKS = 1000  # ~600 KB compressed: already minutes of frames; beyond that, send a file
# The most characters one QR code holds (version 40, error correction L, alphanumeric mode): no
# longer text came from a QR code. Frames of the app are 600 (app.core.qr.FRAME_CHARS).
MAX_FRAME_CHARS = 4296
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


# --- names read here by callers that have not moved to app.core.transfer ---------------------------
_IN_TRANSFER = ("Receiver", "decode_lines")


def __getattr__(name: str) -> object:
    """`fountain.Receiver` and `fountain.decode_lines` for app/web/scanner.py, bench/qr.py and the
    browser tests, which read them here: they live in app.core.transfer, above this module."""
    if name in _IN_TRANSFER:
        from app.core import transfer  # lazy: transfer imports this module (a re-export, not a dependency)
        return getattr(transfer, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
