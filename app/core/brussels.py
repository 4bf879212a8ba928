"""Belgian civil time (Europe/Brussels) without a time zone database.

Theory of operation
-------------------
Exports show dates as people in Brussels and Wallonia read them. Python's `zoneinfo` needs the
IANA data, which Pyodide does not ship with its standard library (it is a separate `tzdata` wheel
of ~450 kB we would have to serve): so the rule is written out here, as a table. Belgium has kept
CET (UTC+1) in winter and CEST (UTC+2) in summer since 1977, with the switches of the EU rule at
01:00 UTC:

    years        summer time starts           summer time ends
    1970–1976    (none)                       (none)
    1977–1980    first Sunday of April        last Sunday of September (1978: 1 October)
    1981–1995    last Sunday of March         last Sunday of September
    1996–        last Sunday of March         last Sunday of October

tests/core/test_formats_time.py checks every hour of many years against the IANA database
(natively, where `zoneinfo` has data). Should the EU abolish the switch, this table changes too.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache

HOUR_MS = 3_600_000
SWITCH_HOUR_UTC = 1


def _last_sunday(year: int, month: int) -> int:
    """Day of the month of the last Sunday of `month`."""
    nxt = datetime(year + (month == 12), month % 12 + 1, 1)
    last = nxt - timedelta(days=1)
    return last.day - (last.weekday() - 6) % 7


def _first_sunday(year: int, month: int) -> int:
    return 1 + (6 - datetime(year, month, 1).weekday()) % 7


@lru_cache(maxsize=512)
def summer_time_utc(year: int) -> tuple[datetime, datetime] | None:
    """The UTC instants [start, end) of summer time in `year`, or None when there was none."""
    if year < 1977:
        return None
    if year <= 1980:
        start = (4, _first_sunday(year, 4))
    else:
        start = (3, _last_sunday(year, 3))
    if year == 1978:
        end = (10, 1)
    elif year <= 1995:
        end = (9, _last_sunday(year, 9))
    else:
        end = (10, _last_sunday(year, 10))
    return (datetime(year, *start, SWITCH_HOUR_UTC, tzinfo=UTC), datetime(year, *end, SWITCH_HOUR_UTC, tzinfo=UTC))


def offset_hours(ms: int) -> int:
    """The UTC offset of Brussels at this instant (milliseconds since the epoch): 1 or 2."""
    instant = datetime.fromtimestamp(ms // 1000, tz=UTC)
    summer = summer_time_utc(instant.year)
    return 2 if summer and summer[0] <= instant < summer[1] else 1


def local(ms: int) -> datetime:
    """Brussels wall-clock time (naive datetime) of an instant."""
    return datetime.fromtimestamp(ms // 1000, tz=UTC).replace(tzinfo=None) + timedelta(hours=offset_hours(ms))


def instant(wall: datetime) -> int:
    """The instant (milliseconds since the epoch) of a Brussels wall-clock time (naive datetime), as a
    time typed in a form means it. The hour repeated when summer time ends is read as its first
    occurrence (summer time); an hour that does not exist when it starts (02:30) is read as winter time
    (it shows as 03:30)."""
    epoch = datetime(1970, 1, 1)
    for offset in (2, 1):
        ms = (wall - epoch - timedelta(hours=offset)) // timedelta(milliseconds=1)
        if offset_hours(ms) == offset:
            return ms
    return (wall - epoch - timedelta(hours=1)) // timedelta(milliseconds=1)


@lru_cache(maxsize=65536)  # exports repeat the same instants (clocks, schedules)
def local_text(ms: int) -> str:
    """`2026-03-01 11:00`: what a spreadsheet reads as a date and time in any locale."""
    return local(ms).strftime("%Y-%m-%d %H:%M")
