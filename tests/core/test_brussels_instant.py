"""A time typed in a form is Brussels time, as the lists show it: brussels.instant is the inverse of
brussels.local, whatever the device's own time zone (tests/core/test_formats_time.py checks `local`
against the IANA database)."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.core.brussels import HOUR_MS, instant, local, offset_hours, summer_time_utc

MINUTE_MS = 60_000
instants = st.integers(0, 4_102_444_800_000 // MINUTE_MS).map(lambda m: m * MINUTE_MS)  # 1970–2100, minutes


@given(instants)
def test_a_time_shown_reads_back_as_the_same_instant_but_the_second_of_a_repeated_hour(ms):
    back = instant(local(ms))
    repeated = offset_hours(ms) == 1 and offset_hours(ms - HOUR_MS) == 2  # the hour repeated in autumn, 2nd time
    assert back == (ms - HOUR_MS if repeated else ms)


@given(st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2099, 12, 31)).map(
    lambda d: d.replace(second=0, microsecond=0)))
def test_a_typed_time_shows_as_typed_but_an_hour_summer_time_skips(wall):
    summer = summer_time_utc(wall.year)
    skipped = summer is not None and wall.date() == summer[0].date() and 2 <= wall.hour < 3  # 02:00 -> 03:00
    assert local(instant(wall)) == (wall + timedelta(hours=1) if skipped else wall)


def test_the_switch_days_of_2026():
    assert instant(datetime(2026, 12, 19, 14, 0)) == 1_797_685_200_000  # 13:00 UTC in winter
    assert local(1_797_685_200_000) == datetime(2026, 12, 19, 14, 0)
    assert instant(datetime(2026, 7, 4, 14, 0)) - instant(datetime(2026, 7, 4, 13, 0)) == HOUR_MS
    assert local(instant(datetime(2026, 3, 29, 2, 30))) == datetime(2026, 3, 29, 3, 30)  # no 02:30 that day
    first = instant(datetime(2026, 10, 25, 2, 30))  # 02:30 happens twice: the first, in summer time
    assert offset_hours(first) == 2 and local(first + HOUR_MS) == datetime(2026, 10, 25, 2, 30)
