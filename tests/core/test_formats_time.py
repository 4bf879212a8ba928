"""Brussels civil time without tzdata (app/core/brussels.py): the EU rule as a table.

Known switches are checked everywhere (also in Pyodide, which has no time zone data); the law —
our offset equals the IANA database's at every instant — is checked wherever zoneinfo has data
(natively; tests/pyodide/run.mjs shows it as skipped there, and why)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.brussels import local_text, offset_hours, summer_time_utc


def ms(*args: int) -> int:
    return int(datetime(*args, tzinfo=UTC).timestamp() * 1000)


def brussels_zone():
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Europe/Brussels")
    except Exception:  # Pyodide without its tzdata package: ZoneInfoNotFoundError
        return None


@pytest.mark.parametrize(("instant", "offset"), [
    (ms(2026, 3, 29, 0, 59, 59), 1),   # last Sunday of March, just before 01:00 UTC
    (ms(2026, 3, 29, 1, 0, 0), 2),     # 02:00 CET becomes 03:00 CEST
    (ms(2026, 10, 25, 0, 59, 59), 2),  # last Sunday of October
    (ms(2026, 10, 25, 1, 0, 0), 1),
    (ms(2027, 3, 28, 1, 0, 0), 2),
    (ms(1995, 9, 24, 0, 59, 0), 2),    # before 1996 summer time ended in September
    (ms(1995, 9, 24, 1, 0, 0), 1),
    (ms(1978, 10, 1, 0, 59, 0), 2),    # 1978: 1 October
    (ms(1980, 4, 6, 1, 0, 0), 2),      # 1977-1980: first Sunday of April
    (ms(1976, 7, 1, 12, 0, 0), 1),     # no summer time before 1977
])
def test_known_switches(instant, offset):
    assert offset_hours(instant) == offset


def test_local_text_is_wall_clock_time():
    assert local_text(ms(2026, 3, 1, 10, 0)) == "2026-03-01 11:00"
    assert local_text(ms(2026, 7, 14, 22, 30)) == "2026-07-15 00:30"
    assert local_text(ms(2026, 12, 31, 23, 0)) == "2027-01-01 00:00"


def test_summer_is_between_march_and_october_from_1996():
    for year in range(1996, 2101):
        start, end = summer_time_utc(year)
        assert start.month == 3 and start.weekday() == 6 and start.day > 24
        assert end.month == 10 and end.weekday() == 6 and end.day > 24


@given(st.integers(ms(1970, 1, 1), ms(2199, 12, 31)))
def test_offset_equals_the_iana_database(instant):
    zone = brussels_zone()
    if zone is None:
        pytest.skip("zoneinfo has no data here (Pyodide ships no tzdata): checked natively")
    expected = datetime.fromtimestamp(instant / 1000, tz=UTC).astimezone(zone).utcoffset().total_seconds() / 3600
    assert offset_hours(instant) == expected


def test_every_hour_of_fifty_years_equals_the_iana_database():
    zone = brussels_zone()
    if zone is None:
        pytest.skip("zoneinfo has no data here (Pyodide ships no tzdata): checked natively")
    for hour in range(ms(1990, 1, 1) // 3_600_000, ms(2040, 1, 1) // 3_600_000):
        instant = hour * 3_600_000
        expected = datetime.fromtimestamp(hour * 3600, tz=UTC).astimezone(zone).utcoffset().total_seconds()
        assert offset_hours(instant) * 3600 == expected, datetime.fromtimestamp(hour * 3600, tz=UTC)
