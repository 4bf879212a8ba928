"""Hybrid logical clock (HLC) as sortable strings, and UTC time helpers.

Theory of operation
-------------------
A timestamp is `2026-01-28T10:00:00.000Z-0000-C1234abc`: wall time in milliseconds (fixed-width
ISO 8601, UTC), a 4-hex-digit counter, and the instance id that issued it. Plain string order is
time order; equal times are broken by the counter, then by the instance id, so two instances can
never produce the same timestamp and every comparison is deterministic.

* `tick(last, now_ms, node)` stamps a local event: wall time if it moved forward, else last + 1.
* `observe(last, remote, now_ms, node)` folds in a timestamp seen in an import, so that our next
  local edit sorts after what we have seen, even with a slow device clock — but it never drags our
  clock more than OBSERVE_AHEAD_MS ahead of our own wall clock (see "Clock policy" below).
* `tick_after(last, now_ms, node, after=stamp)`: a local edit of a field whose current stamp may be
  ahead of our clock (written by a peer whose clock runs fast): the edit still sorts after it.

Clock policy (docs/security.md, "Clocks")
-----------------------------------------
Only real instants in canonical form are stamps: `Timestamp.parse` refuses seconds 60-99, month
13, 30 February, offsets, missing milliseconds, upper-case hex... (the text must be exactly what
`str(Timestamp)` writes back). Devices are offline and their clocks are set by hand, so a file may
come from a clock that runs fast. A record with a stamp more than MAX_AHEAD_MS (24 h) ahead of our
wall clock is implausible: `stamp_too_far_ahead` says so, and merge refuses that record alone (the
rest of the file imports). 24 h covers the mistakes people make when setting a clock by hand: a
wrong time zone (at most 14 h ahead of UTC) or AM/PM (12 h); a wrong day, month or year does not
pass. Records that pass are merged with their stamps, but our own clock follows them at most
OBSERVE_AHEAD_MS (5 min, Actual Budget's drift bound) ahead of our wall clock: one fast peer must
not make every later edit of ours look implausible to the next peer.
* Records written by another implementation of the format carry no clock: `from_updated_at`
  turns their `updatedAt` into a timestamp (counter 0, author instance) — "updatedAt is the clock".

The core never reads the clock: callers pass `now_ms`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from app.core.errors import ClockError, ValidationError
from app.core.i18n import words

MAX_COUNTER = 0xFFFF
# A stamp more than this far ahead of our wall clock is implausible: the record carrying it is
# refused (a broken or hostile peer would otherwise pin values in the future). See "Clock policy".
MAX_AHEAD_MS = 24 * 3600 * 1000
# Our own clock follows what it observes at most this far ahead of our wall clock.
OBSERVE_AHEAD_MS = 5 * 60 * 1000
# Wall times a stamp may carry: 1970-01-01 .. 9999-12-31 (what format_ms writes in 4-digit years).
MAX_MILLIS = 253402300800000 - 1

_HLC_RE = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)-([0-9a-f]{4})-(C[a-z0-9]{7})\Z", re.ASCII)
_RFC3339_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|z|[+-]\d{2}:\d{2})\Z", re.ASCII
)
INSTANCE_ID_RE = re.compile(r"^C[a-z0-9]{7}\Z")
_DATE = words("label.date")  # what an unreadable date is called when nothing better names it


@lru_cache(maxsize=65536)
def format_ms(ms: int) -> str:
    """Milliseconds since the epoch -> `2026-01-28T10:00:00.000Z`."""
    dt = datetime.fromtimestamp(ms // 1000, tz=UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%S") + f".{ms % 1000:03d}Z"


def parse_rfc3339(value: object, *, label: Any = _DATE) -> int:
    """An RFC 3339 date-time with offset -> milliseconds since the epoch (UTC)."""
    if isinstance(value, str):
        ms = _parse_rfc3339_cached(value)
        if ms is not None:
            return ms
    raise ValidationError("time.invalid", value=value, label=label)


@lru_cache(maxsize=65536)
def _parse_rfc3339_cached(value: str) -> int | None:
    """Milliseconds, or None when invalid (cached: big imports repeat the same instants)."""
    try:
        return _parse_rfc3339(value)
    except ValidationError:
        return None


def _parse_rfc3339(value: object, *, label: Any = _DATE) -> int:
    if not isinstance(value, str) or not (m := _RFC3339_RE.match(value)):
        raise ValidationError("time.invalid", value=value, label=label)
    year, month, day, hour, minute, second, frac, offset = m.groups()
    try:  # seconds 60 (leap) to 99, month 13, 30 February, hour 24... are not instants we can order
        dt = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second), tzinfo=UTC)
    except ValueError:
        raise ValidationError("time.invalid", value=value, label=label) from None
    ms = int(dt.timestamp() * 1000) + (int((frac[1:] + "000")[:3]) if frac else 0)
    if offset not in ("Z", "z"):
        if int(offset[1:3]) > 23 or int(offset[4:6]) > 59:
            raise ValidationError("time.invalid", value=value, label=label)
        sign = 1 if offset[0] == "+" else -1
        ms -= sign * (int(offset[1:3]) * 60 + int(offset[4:6])) * 60_000
    if not 0 <= ms <= MAX_MILLIS:  # years 1970..9999
        raise ValidationError("time.invalid", value=value, label=label)
    return ms


def normalize_time(value: object, *, label: Any = _DATE) -> str:
    """Any RFC 3339 date-time -> the canonical UTC form with milliseconds."""
    return format_ms(parse_rfc3339(value, label=label))


def is_canonical_time(value: str) -> bool:
    """`value` is a date-time already in the form normalize_time gives (no parsing twice)."""
    ms = _parse_rfc3339_cached(value)
    return ms is not None and format_ms(ms) == value


@dataclass(frozen=True, kw_only=True, order=True)
class Timestamp:
    millis: int
    counter: int
    node: str

    def __post_init__(self) -> None:
        if type(self.millis) is not int or type(self.counter) is not int or not 0 <= self.millis <= MAX_MILLIS \
                or not 0 <= self.counter <= MAX_COUNTER or not isinstance(self.node, str) \
                or not INSTANCE_ID_RE.match(self.node):
            raise ClockError("clock.invalid", value=f"{self.millis}/{self.counter}/{self.node}")

    def __str__(self) -> str:
        return f"{format_ms(self.millis)}-{self.counter:04x}-{self.node}"

    @classmethod
    def parse(cls, text: object) -> Timestamp:
        stamp = _parse_stamp(text) if isinstance(text, str) else None
        if stamp is None:
            raise ClockError("clock.invalid", value=text)
        return stamp


@lru_cache(maxsize=65536)
def _parse_stamp(text: str) -> Timestamp | None:
    """Cached: a record's fields usually share one stamp, and a big import repeats them."""
    if not (m := _HLC_RE.match(text)):
        return None
    millis = _parse_rfc3339_cached(m.group(1))
    if millis is None or format_ms(millis) != m.group(1):  # canonical form only: one spelling per instant
        return None
    return Timestamp(millis=millis, counter=int(m.group(2), 16), node=m.group(3))


def tick(last: Timestamp | None, now_ms: int, node: str) -> Timestamp:
    """The timestamp of a new local event."""
    if last is None or now_ms > last.millis:
        return Timestamp(millis=now_ms, counter=0, node=node)
    if last.counter < MAX_COUNTER:
        return Timestamp(millis=last.millis, counter=last.counter + 1, node=node)
    return Timestamp(millis=last.millis + 1, counter=0, node=node)


def tick_after(last: Timestamp | None, now_ms: int, node: str, *, after: Timestamp | None = None) -> Timestamp:
    """The stamp of a local edit that must sort after `after` (the field's current stamp), even
    when that stamp is ahead of our clock (observe() does not follow it that far)."""
    stamp = tick(last, now_ms, node)
    if after is not None and stamp <= after:
        stamp = tick(Timestamp(millis=after.millis, counter=after.counter, node=node), after.millis, node)
    return stamp


def observe(last: Timestamp | None, remote: Timestamp, now_ms: int, node: str) -> Timestamp:
    """Our clock after seeing `remote`: refused (ClockError) if implausibly far ahead; followed
    at most OBSERVE_AHEAD_MS ahead of our wall clock (a fast peer must not drag us along)."""
    check_drift(remote, now_ms)
    cap = now_ms + OBSERVE_AHEAD_MS
    if remote.millis > cap:
        remote = Timestamp(millis=cap, counter=0, node=node)
    if last is None or remote > last:
        return Timestamp(millis=remote.millis, counter=remote.counter, node=node)
    return last


def stamp_too_far_ahead(stamp: Timestamp | str, now_ms: int) -> bool:
    """True when `stamp` is more than MAX_AHEAD_MS ahead of the wall clock `now_ms` (pure).
    A string that is not a stamp raises ClockError."""
    if isinstance(stamp, str):
        stamp = Timestamp.parse(stamp)
    return stamp.millis > now_ms + MAX_AHEAD_MS


def check_drift(stamp: Timestamp, now_ms: int) -> None:
    """Raise ClockError("clock.future") when stamp_too_far_ahead(stamp, now_ms)."""
    if stamp_too_far_ahead(stamp, now_ms):
        raise ClockError("clock.future", value=str(stamp))


def from_updated_at(updated_at: str, origin: str) -> str:
    """The clock of a record that carries none (another implementation of the format)."""
    return str(Timestamp(millis=parse_rfc3339(updated_at), counter=0, node=origin))


def millis_of(stamp: str) -> int:
    return Timestamp.parse(stamp).millis
