"""Fountain-coded QR frames for whole exports: any sufficient set of frames decodes (pure).

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
* The receiver (`Decoder`) reduces each frame's equation against a GF(2) basis as it arrives
  (XOR of Python ints: the subset as a K-bit mask, the block as an int); the rank is the progress.
  At full rank it back-substitutes, joins the blocks, cuts the padding and checks the SHA-256 of
  the whole: the first 8 bytes of that digest ARE the transfer id, carried by every frame.
* Every frame is `FWBF:` + Base45 of  version(1) | transfer id(8) | payload length(4) | K(2) |
  seq(4) | block(B) | CRC-32 of all before(4)  — big-endian. A frame whose CRC fails is ignored;
  frames of another transfer (other id, length or K) go to another decoder (`Receiver`), never into
  this one. A truncated or altered frame that slipped past the CRC still cannot produce wrong data:
  the SHA-256 check refuses the result.
No clock, no camera, no randomness from outside: the same inputs give the same frames everywhere.
"""

from __future__ import annotations

import hashlib
import math
import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

from app.core.errors import DocumentError
from app.core.payload import b45decode, b45encode

PREFIX = "FWBF:"
VERSION = 1
_HEAD = struct.Struct(">B8sIHI")
HEADER_BYTES = _HEAD.size + 4  # + the CRC-32 at the end
MAX_BLOCKS = 1000  # ~600 KB compressed: already minutes of frames; beyond that, send a file
MAX_TRANSFERS = 4  # a Receiver follows at most this many transfers at once (oldest dropped)
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
    """One frame text -> Frame; DocumentError("fountain.frame") if it is damaged in any way."""
    text = text.lstrip().rstrip("\r\n")
    if not text.startswith(PREFIX):
        raise DocumentError("fountain.frame")
    try:
        raw = b45decode(text[len(PREFIX):])
    except DocumentError:
        raise DocumentError("fountain.frame") from None
    if len(raw) <= HEADER_BYTES or zlib.crc32(raw[:-4]).to_bytes(4, "big") != raw[-4:]:
        raise DocumentError("fountain.frame")
    version, tid, length, count, seq = _HEAD.unpack_from(raw)
    if version != VERSION:
        raise DocumentError("fountain.version", version=version)
    block = raw[_HEAD.size:-4]
    if not 1 <= count <= MAX_BLOCKS or not ((count - 1) * len(block) < length or count == 1) \
            or length > count * len(block):
        raise DocumentError("fountain.frame")
    return Frame(tid=tid, length=length, count=count, seq=seq, block=block)


@dataclass(frozen=True, kw_only=True)
class Progress:
    """What one frame did. status: "new" (it taught something), "known" (nothing new: a repeat or
    a redundant combination), "done" (the transfer just decoded), "damaged" (ignored)."""

    status: str
    rank: int = 0
    count: int = 0
    frames: int = 0  # frames accepted for this transfer
    tid: str = ""

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
    """Incremental decoder of ONE transfer (mutable, like h11's Connection; no I/O).

    feed(frame) -> Progress; once `complete`, result() -> the payload bytes (SHA-256 checked)."""

    def __init__(self, key: tuple[bytes, int, int]) -> None:
        self.tid, self.length, self.count = key
        self.block_size = 0
        self.rows: dict[int, tuple[int, int]] = {}  # pivot -> (mask, value): lowest bit of mask is the pivot
        self.frames = 0
        self._result: bytes | None = None

    @property
    def rank(self) -> int:
        return len(self.rows)

    @property
    def complete(self) -> bool:
        return self._result is not None

    def progress(self, status: str) -> Progress:
        return Progress(status=status, rank=self.rank, count=self.count, frames=self.frames, tid=self.tid.hex())

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
        self._solve()
        return self.progress("done")

    def _solve(self) -> None:
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
        if transfer_id(data) != self.tid:
            # Only possible if a damaged frame passed its CRC: start over rather than give wrong data.
            self.rows.clear()
            raise DocumentError("payload.checksum")
        self._result = data

    def result(self) -> bytes:
        if self._result is None:
            raise DocumentError("fountain.missing", percent=self.progress("new").percent)
        return self._result


class Receiver:
    """Frames of any transfers, in any order, repeated or damaged -> the first payload to decode.

    Keeps one Decoder per transfer (at most MAX_TRANSFERS, the least recently seen dropped), so
    frames of two transfers never mix, and a scanner that first saw a neighbour's screen still
    decodes the one it is then pointed at."""

    def __init__(self) -> None:
        self.decoders: dict[tuple[bytes, int, int], Decoder] = {}
        self.damaged = 0
        self.newer = 0  # frames of a newer format version (the app needs an update to read them)
        self.newer_version = 0
        self.done: Decoder | None = None

    def feed(self, text: str) -> Progress:
        try:
            frame = parse(text)
        except DocumentError as exc:
            self.damaged += 1
            if exc.code == "fountain.version":
                self.newer += 1
                self.newer_version = exc.params["version"]
            return Progress(status="damaged")
        decoder = self.decoders.pop(frame.key, None) or Decoder(frame.key)
        self.decoders[frame.key] = decoder  # most recently seen last
        while len(self.decoders) > MAX_TRANSFERS:
            del self.decoders[next(iter(self.decoders))]
        try:
            progress = decoder.feed(frame)
        except DocumentError:
            self.damaged += 1
            return decoder.progress("damaged")
        if progress.status == "done" and self.done is None:
            self.done = decoder
        return progress

    def best(self) -> Progress:
        """The progress of the transfer furthest along (what a scanner shows: it never goes back
        when a neighbour's frame shows up)."""
        if self.done is not None:
            return self.done.progress("done")
        best = max(self.decoders.values(), key=lambda d: (d.rank / d.count, d.frames), default=None)
        return best.progress("new") if best else Progress(status="new")

    @property
    def others(self) -> int:
        """How many other transfers were seen besides the most recent one."""
        return max(0, len(self.decoders) - 1)

    def result(self) -> bytes:
        if self.done is None:
            raise DocumentError("fountain.missing", percent=self.best().percent)
        return self.done.result()


def decode_lines(lines: Iterable[str]) -> bytes:
    """Frame texts (one per line, e.g. the CLI's frames.txt or a scanner's log) -> payload bytes."""
    receiver = Receiver()
    for line in lines:
        if line.strip():
            if receiver.feed(line).status == "done":
                return receiver.result()
    return receiver.result()
