"""The handshake of a live session as a short text `FWBW:…` that one QR code carries (pure).

Theory of operation
-------------------
Two browsers on one local network open a WebRTC data channel with no server: each needs the other's
session description (SDP). Of Chromium's ~590 bytes only five fields matter (measured: an SDP
rebuilt from them was accepted and connected): the ICE user fragment and password, the sha-256
fingerprint of the DTLS certificate, the setup role and the candidates (addresses and ports).
`parse_sdp` keeps those, `build_sdp` writes back a session description around them from the
template of a real Chromium 156 data-channel offer.

A code is `FWBW:` + Base45 (app.core.base45) of packed binary fields, not of text: the ICE strings
at 6 bits a character, the fingerprint as its 32 bytes, an mDNS host name (`<uuid>.local`) as the
16 bytes of its UUID, an address as 4 or 16 bytes. Most of it is random and does not deflate:
the packed bytes are deflated (raw, marked by DEFLATED in the format byte) only when that is
shorter — candidates sharing an address or a priority. Layout (big-endian), before deflating:

    format (1) · flags (1: bit 0 answer, bits 1-2 setup) · session id (8) · expiry, seconds (4)
    ufrag: length (1) + 6-bit packed · pwd: length (1) + 6-bit packed · fingerprint (32)
    candidate count (1) · each candidate: flags (2) · foundation (4, or length + text)
      · priority (4) · address (4 | 16 | 16 | length + text) · port (2) · [related address, port]
    check (2): the low 16 bits of the CRC-32 of everything before

Chromium 156's offer with two mDNS candidates packs into 128 bytes, 197 characters: a QR code of
version 8 at level M (with real addresses: 172 characters, version 7).
The encoder drops the least useful candidates (TCP first, then the lowest priority) until the code
fits MAX_CODE_CHARS, the alphanumeric capacity of a version-10 code at level M.

Trust: the session id is single-use and the code expires TTL_MS after it was made. `decode`
refuses a code past its expiry (CLOCK_SLACK_MS allowed: the two devices' clocks differ) or one
whose expiry lies further ahead than a fresh code's (a clock too far ahead, or a forged code).
`CodeBook` is what one device remembers: the offers it made (an answer must name one of them,
once, before it expires by this device's own clock) and the offers it answered (never twice).
The core never reads the clock nor draws random bytes: callers pass `now_ms` and the session id.
"""

from __future__ import annotations

import ipaddress
import re
import struct
import zlib
from dataclasses import dataclass, field, replace
from typing import Any

from app.core.base45 import b45decode, b45encode
from app.core.errors import LiveError

PREFIX = "FWBW:"
FORMAT = 1
TTL_MS = 10 * 60 * 1000  # a code is good for 10 minutes
CLOCK_SLACK_MS = 5 * 60 * 1000  # another device's clock may differ by this much either way
MAX_VERSION = 10
ERROR = "m"
MAX_CODE_CHARS = 311  # alphanumeric capacity of a QR code of version 10 at level M
SESSION_BYTES = 8
MAX_CANDIDATES = 16
MAX_PACKED_BYTES = 1024  # a deflated code inflates to at most this
DEFLATED = 0x80  # in the format byte: the rest is raw deflate (used when shorter)
MAX_ICE_CHARS = 64  # ufrag and pwd: Chromium writes 4 and 24 characters (RFC 8839 allows 256)
SETUPS = ("actpass", "active", "passive")
KINDS = ("offer", "answer")
TYPES = ("host", "srflx", "prflx", "relay")
TCPTYPES = ("", "active", "passive", "so")

_ICE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_ICE_VALUE = {c: i for i, c in enumerate(_ICE_ALPHABET)}
_ICE_RE = re.compile(r"^[A-Za-z0-9+/]{1,64}\Z")
_FOUNDATION_RE = re.compile(r"^[A-Za-z0-9+/]{1,32}\Z")
_MDNS_RE = re.compile(r"^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.local\Z")
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.-]{0,62}\Z")
_FINGERPRINT_RE = re.compile(r"^sha-256 ((?:[0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2})\Z")
_ADDR_IPV4, _ADDR_IPV6, _ADDR_MDNS, _ADDR_NAME = range(4)


@dataclass(frozen=True, kw_only=True)
class Candidate:
    """One ICE candidate (RFC 8839 `a=candidate:`), without the extensions Chromium adds."""

    foundation: str
    component: int  # 1 (2 only without rtcp-mux, never for a data channel)
    protocol: str  # "udp" | "tcp"
    priority: int
    address: str  # an IPv4 or IPv6 address, or a host name (`<uuid>.local`: mDNS)
    port: int
    type: str = "host"  # one of TYPES
    tcptype: str = ""  # one of TCPTYPES ("" for udp)
    related_address: str = ""
    related_port: int = 0

    def line(self) -> str:
        text = (f"candidate:{self.foundation} {self.component} {self.protocol} {self.priority} {self.address} "
                f"{self.port} typ {self.type}")
        if self.related_address:
            text += f" raddr {self.related_address} rport {self.related_port}"
        if self.tcptype:
            text += f" tcptype {self.tcptype}"
        return text + " generation 0"


@dataclass(frozen=True, kw_only=True)
class Handshake:
    """The five fields of a session description that a connection needs."""

    ufrag: str
    pwd: str
    fingerprint: bytes  # sha-256 of the DTLS certificate, 32 bytes
    setup: str  # one of SETUPS
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True, kw_only=True)
class LiveCode:
    kind: str  # "offer" | "answer"
    session: bytes  # SESSION_BYTES; an answer repeats its offer's
    expires_ms: int  # whole seconds
    handshake: Handshake

    @property
    def session_id(self) -> str:
        return self.session.hex()


def _sdp_error(what: str) -> LiveError:
    return LiveError("live.sdp", part=what)


def _damaged(what: str) -> LiveError:
    return LiveError("live.code_damaged", part=what)


# --- session description <-> handshake -------------------------------------------------------------

def parse_candidate(text: str) -> Candidate:
    """`candidate:…` (with or without `a=`) -> Candidate; LiveError("live.sdp") when unreadable."""
    body = text.strip().removeprefix("a=").removeprefix("candidate:")
    parts = body.split()
    if len(parts) < 8 or parts[6] != "typ":
        raise _sdp_error("candidate")
    foundation, component, protocol, priority, address, port, _typ, kind = parts[:8]
    extra = dict(zip(parts[8::2], parts[9::2], strict=False))
    protocol = protocol.lower()
    tcptype = extra.get("tcptype", "") if protocol == "tcp" else ""
    related = extra.get("raddr", "")
    try:
        candidate = Candidate(foundation=foundation, component=int(component), protocol=protocol,
                              priority=int(priority), address=address, port=int(port), type=kind, tcptype=tcptype,
                              related_address=related, related_port=int(extra.get("rport", "0")) if related else 0)
    except ValueError:
        raise _sdp_error("candidate") from None
    _check_candidate(candidate)
    return candidate


def _check_candidate(c: Candidate) -> None:
    ok = (_FOUNDATION_RE.match(c.foundation) is not None and c.component in (1, 2) and c.protocol in ("udp", "tcp")
          and 0 <= c.priority <= 0xFFFFFFFF and 0 <= c.port <= 0xFFFF and c.type in TYPES
          and c.tcptype in TCPTYPES and (c.protocol == "tcp" or not c.tcptype)
          and 0 <= c.related_port <= 0xFFFF and _address_kind(c.address) is not None
          and (not c.related_address or _address_kind(c.related_address) is not None))
    if not ok:
        raise _sdp_error("candidate")


def _address_kind(address: str) -> int | None:
    if _MDNS_RE.match(address):
        return _ADDR_MDNS
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        ip = None
    if ip is None or str(ip) != address:  # one spelling per address: what we write back is what was read
        return _ADDR_NAME if _NAME_RE.match(address) else None
    return _ADDR_IPV4 if ip.version == 4 else _ADDR_IPV6


def parse_sdp(sdp: str) -> Handshake:
    """A session description (the browser's localDescription.sdp, gathering complete) -> its
    handshake. Session-level ICE attributes stand for the media section's when it has none."""
    if not isinstance(sdp, str) or len(sdp) > 64_000:
        raise _sdp_error("sdp")
    found: dict[str, str] = {}
    candidates: list[Candidate] = []
    media = 0
    for line in sdp.replace("\r\n", "\n").split("\n"):
        line = line.strip()
        if line.startswith("m="):
            media += 1
            continue
        if media > 1 or not line.startswith("a="):
            continue  # only the first media section: a data channel has one
        name, _, value = line[2:].partition(":")
        if name == "candidate":
            candidates.append(parse_candidate(line))
        elif name in ("ice-ufrag", "ice-pwd", "setup") or (name == "fingerprint" and value.startswith("sha-256 ")):
            found[name] = value.strip()  # a media-level value comes later and wins
    for name in ("ice-ufrag", "ice-pwd", "fingerprint", "setup"):
        if name not in found:
            raise _sdp_error(name)
    for name in ("ice-ufrag", "ice-pwd"):
        if not _ICE_RE.match(found[name]):
            raise _sdp_error(name)
    if found["setup"] not in SETUPS:
        raise _sdp_error("setup")
    fingerprint = _FINGERPRINT_RE.match(found["fingerprint"])
    if not fingerprint:
        raise _sdp_error("fingerprint")
    if not candidates:
        raise LiveError("live.no_candidate")
    return Handshake(ufrag=found["ice-ufrag"], pwd=found["ice-pwd"],
                     fingerprint=bytes.fromhex(fingerprint.group(1).replace(":", "")), setup=found["setup"],
                     candidates=tuple(candidates[:MAX_CANDIDATES]))


# Chromium 156's data-channel offer as recorded (HeadlessChrome/156.0.0.0, Linux: `new
# RTCPeerConnection({iceServers: []})`, one data channel, createOffer, gathering complete; host
# addresses behind mDNS names, no camera permission). A description is rebuilt as this one with
# another device's five fields and its own o= session id (_TEMPLATE); the tests read it as a sample.
CHROMIUM_OFFER = (
    "v=0\r\n"
    "o=- 5301711696680972756 2 IN IP4 127.0.0.1\r\n"
    "s=-\r\n"
    "t=0 0\r\n"
    "a=group:BUNDLE 0\r\n"
    "a=extmap-allow-mixed\r\n"
    "a=msid-semantic: WMS\r\n"
    "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
    "c=IN IP4 0.0.0.0\r\n"
    "a=candidate:1203344697 1 udp 2113937151 5533b25e-d100-4725-b9df-ed31f927a12e.local 54515 typ host "
    "generation 0 network-cost 999\r\n"
    "a=candidate:2363446489 1 udp 2113942271 dd349a61-3f39-4500-bb6b-60a4042f6264.local 52614 typ host "
    "generation 0 network-cost 999\r\n"
    "a=ice-ufrag:budZ\r\n"
    "a=ice-pwd:yZoYVnzRdU4mFc8zSc/zS/s4\r\n"
    "a=ice-options:trickle\r\n"
    "a=fingerprint:sha-256 D1:FB:1E:A2:49:75:83:29:09:89:32:C5:A0:73:85:19:F9:7D:A7:78:FF:3C:4D:AC:1B:0B:80:55:"
    "A8:25:0E:B9\r\n"
    "a=setup:actpass\r\n"
    "a=mid:0\r\n"
    "a=sctp-port:5000\r\n"
    "a=max-message-size:262144\r\n"
)


def _template(sample: str) -> str:
    """`sample` with its o= session id, its candidates and the four other fields to fill in (str.format)."""
    text = re.sub(r"^o=- \d+", "o=- {origin}", sample, flags=re.M)
    for name, key in (("ice-ufrag:", "ufrag"), ("ice-pwd:", "pwd"), ("fingerprint:sha-256 ", "fingerprint"),
                      ("setup:", "setup")):
        text = re.sub(f"^a={name}[^\r]*", f"a={name}{{{key}}}", text, flags=re.M)
    return re.sub(r"(?:a=candidate:[^\r]*\r\n)+", "{candidates}", text)


_TEMPLATE = _template(CHROMIUM_OFFER)


def build_sdp(handshake: Handshake, *, session: bytes = b"") -> str:
    """The session description to give setRemoteDescription (type: the code's kind)."""
    origin = int.from_bytes(session[:8] or b"\x01", "big") & 0x3FFFFFFFFFFFFFFF or 1
    return _TEMPLATE.format(
        origin=origin, candidates="".join(f"a={c.line()}\r\n" for c in handshake.candidates),
        ufrag=handshake.ufrag, pwd=handshake.pwd, setup=handshake.setup,
        fingerprint=":".join(f"{b:02X}" for b in handshake.fingerprint))


# --- binary packing --------------------------------------------------------------------------------

def _pack_ice(text: str) -> bytes:
    bits = 0
    for char in text:
        bits = (bits << 6) | _ICE_VALUE[char]
    size = (len(text) * 6 + 7) // 8
    bits <<= size * 8 - len(text) * 6
    return bytes([len(text)]) + bits.to_bytes(size, "big")


def _pack_address(address: str) -> tuple[int, bytes]:
    kind = _address_kind(address)
    if kind == _ADDR_MDNS:
        return kind, bytes.fromhex(address[:36].replace("-", ""))
    if kind in (_ADDR_IPV4, _ADDR_IPV6):
        return kind, ipaddress.ip_address(address).packed
    raw = address.encode("ascii")
    return _ADDR_NAME, bytes([len(raw)]) + raw


def _pack_candidate(c: Candidate) -> bytes:
    kind, address = _pack_address(c.address)
    numeric = c.foundation.isdigit() and int(c.foundation) <= 0xFFFFFFFF and str(int(c.foundation)) == c.foundation
    flags = (kind | (c.protocol == "tcp") << 2 | TYPES.index(c.type) << 3 | TCPTYPES.index(c.tcptype) << 5
             | (c.component == 2) << 7 | (not numeric) << 8 | bool(c.related_address) << 9)
    related = b""
    if c.related_address:
        related_kind, related_bytes = _pack_address(c.related_address)
        flags |= related_kind << 10
        related = related_bytes + struct.pack(">H", c.related_port)
    foundation = struct.pack(">I", int(c.foundation)) if numeric else \
        bytes([len(c.foundation)]) + c.foundation.encode("ascii")
    return struct.pack(">H", flags) + foundation + struct.pack(">I", c.priority) + address + \
        struct.pack(">H", c.port) + related


def _pack(code: LiveCode, candidates: tuple[Candidate, ...]) -> bytes:
    h = code.handshake
    flags = KINDS.index(code.kind) | SETUPS.index(h.setup) << 1
    body = (bytes([FORMAT, flags]) + code.session + struct.pack(">I", code.expires_ms // 1000)
            + _pack_ice(h.ufrag) + _pack_ice(h.pwd) + h.fingerprint + bytes([len(candidates)])
            + b"".join(_pack_candidate(c) for c in candidates))
    body += struct.pack(">H", zlib.crc32(body) & 0xFFFF)
    deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
    deflated = deflater.compress(body[1:]) + deflater.flush()
    return bytes([FORMAT | DEFLATED]) + deflated if len(deflated) < len(body) - 1 else body


def _inflate(data: bytes) -> bytes:
    """A deflated code's bytes as packed (at most MAX_PACKED_BYTES: no bomb)."""
    inflater = zlib.decompressobj(-15)
    try:
        body = inflater.decompress(data[1:], MAX_PACKED_BYTES)
    except zlib.error:
        raise _damaged("deflate") from None
    if not inflater.eof or inflater.unconsumed_tail:
        raise _damaged("deflate")
    return bytes([FORMAT]) + body


def _usefulness(c: Candidate) -> tuple[bool, int]:
    return (c.protocol == "udp", c.priority)


def encode(code: LiveCode) -> str:
    """The code's text. Candidates that would not fit MAX_CODE_CHARS are left out, TCP ones first,
    then the lowest priority; the order of those kept is the description's."""
    kept = list(code.handshake.candidates)
    while True:
        text = PREFIX + b45encode(_pack(code, tuple(kept)))
        if len(text) <= MAX_CODE_CHARS:
            return text
        if len(kept) <= 1:
            raise LiveError("live.code_size", chars=len(text), limit=MAX_CODE_CHARS)
        kept.remove(min(kept, key=_usefulness))


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def take(self, n: int) -> bytes:
        if self.at + n > len(self.data):
            raise _damaged("short")
        out = self.data[self.at:self.at + n]
        self.at += n
        return out

    def byte(self) -> int:
        return self.take(1)[0]

    def u16(self) -> int:
        return struct.unpack(">H", self.take(2))[0]

    def u32(self) -> int:
        return struct.unpack(">I", self.take(4))[0]

    def ice(self) -> str:
        n = self.byte()
        if not 1 <= n <= MAX_ICE_CHARS:
            raise _damaged("ice")
        size = (n * 6 + 7) // 8
        bits = int.from_bytes(self.take(size), "big")
        bits >>= size * 8 - n * 6
        return "".join(_ICE_ALPHABET[(bits >> (6 * (n - 1 - i))) & 63] for i in range(n))

    def address(self, kind: int) -> str:
        if kind == _ADDR_IPV4:
            return str(ipaddress.IPv4Address(self.take(4)))
        if kind == _ADDR_IPV6:
            return str(ipaddress.IPv6Address(self.take(16)))
        if kind == _ADDR_MDNS:
            h = self.take(16).hex()
            return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}.local"
        name = self.take(self.byte()).decode("ascii", "replace")
        if not _NAME_RE.match(name):
            raise _damaged("address")
        return name

    def candidate(self) -> Candidate:
        flags = self.u16()
        if flags >> 12 or (flags >> 3) & 3 >= len(TYPES):
            raise _damaged("candidate")
        if flags & (1 << 8):
            foundation = self.take(self.byte()).decode("ascii", "replace")
        else:
            foundation = str(self.u32())
        priority = self.u32()
        address = self.address(flags & 3)
        port = self.u16()
        related, related_port = "", 0
        if flags & (1 << 9):
            related = self.address((flags >> 10) & 3)
            related_port = self.u16()
        protocol = "tcp" if flags & 4 else "udp"
        candidate = Candidate(foundation=foundation, component=2 if flags & 128 else 1, protocol=protocol,
                              priority=priority, address=address, port=port, type=TYPES[(flags >> 3) & 3],
                              tcptype=TCPTYPES[(flags >> 5) & 3], related_address=related,
                              related_port=related_port)
        try:
            _check_candidate(candidate)
        except LiveError:
            raise _damaged("candidate") from None
        return candidate


def is_live_code(text: str) -> bool:
    """Whether a pasted or scanned text is meant as a live code (then `decode` says what is wrong)."""
    return isinstance(text, str) and text.strip().upper().startswith(PREFIX)


def decode(text: str, *, now_ms: int) -> LiveCode:
    """A code's text -> LiveCode, or LiveError naming what is wrong: not a code, too long, damaged,
    from a newer version, expired, or dated further ahead than a fresh code can be."""
    if not isinstance(text, str) or not is_live_code(text):
        raise LiveError("live.code_prefix")
    body = text.strip()
    if len(body) > MAX_CODE_CHARS:
        raise LiveError("live.code_size", chars=len(body), limit=MAX_CODE_CHARS)
    data = b45decode(body[len(PREFIX):]) if body[:len(PREFIX)] == PREFIX else None
    if data is None:
        raise LiveError("live.code_prefix")
    if len(data) < 3:
        raise _damaged("short")
    if data[0] == FORMAT | DEFLATED:
        data = _inflate(data)
    # The check first: a truncated or mistyped code is « abîmé », never « from a newer version » (which
    # would send people offline to update). Every format keeps this: its last two bytes check all before.
    if struct.unpack(">H", data[-2:])[0] != zlib.crc32(data[:-2]) & 0xFFFF:
        raise _damaged("check")
    if data[0] != FORMAT:
        raise LiveError("live.code_version", version=data[0])
    r = _Reader(data[:-2])
    r.take(1)
    flags = r.byte()
    if flags >> 3 or (flags >> 1) & 3 >= len(SETUPS):
        raise _damaged("flags")
    session = r.take(SESSION_BYTES)
    expires_ms = r.u32() * 1000
    ufrag, pwd = r.ice(), r.ice()
    fingerprint = r.take(32)
    count = r.byte()
    if not 1 <= count <= MAX_CANDIDATES:
        raise _damaged("candidate")
    candidates = tuple(r.candidate() for _ in range(count))
    if r.at != len(r.data):
        raise _damaged("long")
    code = LiveCode(kind=KINDS[flags & 1], session=session, expires_ms=expires_ms,
                    handshake=Handshake(ufrag=ufrag, pwd=pwd, fingerprint=fingerprint, setup=SETUPS[(flags >> 1) & 3],
                                        candidates=candidates))
    check_time(code, now_ms=now_ms)
    return code


def check_time(code: LiveCode, *, now_ms: int) -> None:
    """Expired (past its expiry by more than the clocks' slack), or dated implausibly far ahead."""
    if now_ms > code.expires_ms + CLOCK_SLACK_MS:
        raise LiveError("live.code_expired", minutes=TTL_MS // 60_000)
    if code.expires_ms > now_ms + TTL_MS + CLOCK_SLACK_MS:
        raise LiveError("live.code_future")


# --- making codes --------------------------------------------------------------------------------

def make_offer(sdp: str, *, session: bytes, now_ms: int) -> LiveCode:
    """The code of our offer: `session` is SESSION_BYTES random bytes (passed in)."""
    if len(session) != SESSION_BYTES:
        raise ValueError(f"need {SESSION_BYTES} random bytes")
    return LiveCode(kind="offer", session=bytes(session), expires_ms=(now_ms + TTL_MS) // 1000 * 1000,
                    handshake=parse_sdp(sdp))


def make_answer(sdp: str, offer: LiveCode, *, now_ms: int) -> LiveCode:
    """The code of our answer to `offer` (same session id; it expires with the offer at the latest)."""
    if offer.kind != "offer":
        raise LiveError("live.code_kind")
    expires = min((now_ms + TTL_MS) // 1000 * 1000, offer.expires_ms + CLOCK_SLACK_MS // 1000 * 1000)
    return LiveCode(kind="answer", session=offer.session, expires_ms=expires, handshake=parse_sdp(sdp))


def description(code: LiveCode) -> dict[str, str]:
    """{"type": "offer"|"answer", "sdp": …}: what RTCPeerConnection.setRemoteDescription takes."""
    return {"type": code.kind, "sdp": build_sdp(code.handshake, session=code.session)}


@dataclass(frozen=True, kw_only=True)
class CodeBook:
    """What one device remembers of codes (immutable: each method returns a new book), each entry a
    session id -> its expiry: `offers`, the offers it shows that no answer has used yet (expiry by
    this device's clock); `used`, its offers an answer has used; `answered`, the offers of others
    it has answered. A code is single-use: used and answered sessions are refused. Entries past
    their expiry (and the clocks' slack) are dropped: an expired code is refused anyway."""

    offers: dict[bytes, int] = field(default_factory=dict)
    used: dict[bytes, int] = field(default_factory=dict)
    answered: dict[bytes, int] = field(default_factory=dict)

    def _pruned(self, now_ms: int) -> CodeBook:
        horizon = now_ms - CLOCK_SLACK_MS
        return CodeBook(offers={k: v for k, v in self.offers.items() if v >= now_ms},
                        used={k: v for k, v in self.used.items() if v >= horizon},
                        answered={k: v for k, v in self.answered.items() if v >= horizon})

    def issue(self, offer: LiveCode, *, now_ms: int) -> CodeBook:
        """Remember an offer we show (made with make_offer at `now_ms`)."""
        book = self._pruned(now_ms)
        return replace(book, offers={**book.offers, offer.session: offer.expires_ms})

    def take_offer(self, offer: LiveCode, *, now_ms: int) -> CodeBook:
        """We read `offer` and are about to answer it: refused when it is not an offer, is one of
        our own, was answered here already, or has expired."""
        if offer.kind != "offer":
            raise LiveError("live.code_kind")
        book = self._pruned(now_ms)
        if offer.session in book.offers or offer.session in book.used:
            raise LiveError("live.code_own")
        if offer.session in book.answered:
            raise LiveError("live.code_used")
        check_time(offer, now_ms=now_ms)
        return replace(book, answered={**book.answered, offer.session: offer.expires_ms})

    def take_answer(self, answer: LiveCode, *, now_ms: int) -> CodeBook:
        """We read `answer`: it must answer an offer of ours that no answer used and that has not
        expired by our own clock (no slack: the offer's expiry was written by this device)."""
        if answer.kind != "answer":
            raise LiveError("live.code_kind")
        if answer.session in self.answered:  # our own answer, read back
            raise LiveError("live.code_own")
        if answer.session in self.used:
            raise LiveError("live.code_used")
        expires = self.offers.get(answer.session)
        if expires is None:
            raise LiveError("live.code_unknown")
        if now_ms > expires:
            raise LiveError("live.code_expired", minutes=TTL_MS // 60_000)
        book = self._pruned(now_ms)
        return replace(book, offers={k: v for k, v in book.offers.items() if k != answer.session},
                       used={**book.used, answer.session: expires})

    def to_json(self) -> dict[str, Any]:
        return {name: {k.hex(): v for k, v in getattr(self, name).items()} for name in ("offers", "used", "answered")}

    @classmethod
    def from_json(cls, data: Any) -> CodeBook:
        """A book the adapter stored (a damaged one is read as an empty book, never an error)."""
        try:
            return cls(**{name: {bytes.fromhex(k): int(v) for k, v in data[name].items()
                                 if len(k) == 2 * SESSION_BYTES}
                          for name in ("offers", "used", "answered")})
        except (TypeError, ValueError, KeyError, AttributeError):
            return cls()
