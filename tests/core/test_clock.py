"""Hybrid logical clock: sortable strings, monotonic ticks, drift refusal, RFC 3339 parsing."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core import clock
from app.core.clock import Timestamp, observe, tick
from app.core.errors import ClockError, ValidationError

stamps = st.builds(lambda m, c, n: Timestamp(millis=m, counter=c, node=n),
                   st.integers(0, 253402300799999), st.integers(0, 0xFFFF),
                   st.from_regex(r"\AC[a-z0-9]{7}\Z"))


@given(stamps, stamps)
def test_string_order_is_timestamp_order(a, b):
    assert (str(a) < str(b)) == (a < b)
    assert Timestamp.parse(str(a)) == a


@given(st.lists(st.integers(0, 10_000), min_size=1, max_size=50))
def test_tick_is_strictly_increasing_even_when_the_wall_clock_goes_back(nows):
    ticks = [tick(None, 1_700_000_000_000 + nows[0], "Caaaaaaa")]
    for now in nows[1:]:
        ticks.append(tick(ticks[-1], 1_700_000_000_000 + now, "Caaaaaaa"))
    assert all(a < b for a, b in zip(ticks, ticks[1:], strict=False))
    assert ticks[0] == Timestamp(millis=1_700_000_000_000 + nows[0], counter=0, node="Caaaaaaa")


def test_a_tick_in_the_same_millisecond_counts_up_and_a_full_counter_moves_a_millisecond():
    last = Timestamp(millis=5_000, counter=7, node="Cbbbbbbb")
    assert tick(last, 5_000, "Caaaaaaa") == Timestamp(millis=5_000, counter=8, node="Caaaaaaa")
    assert tick(last, 4_000, "Caaaaaaa") == Timestamp(millis=5_000, counter=8, node="Caaaaaaa")
    assert tick(last, 5_001, "Caaaaaaa") == Timestamp(millis=5_001, counter=0, node="Caaaaaaa")
    full = Timestamp(millis=5_000, counter=clock.MAX_COUNTER, node="Cbbbbbbb")
    assert tick(full, 5_000, "Caaaaaaa") == Timestamp(millis=5_001, counter=0, node="Caaaaaaa")


def test_observe_moves_past_a_remote_stamp_and_the_next_tick_sorts_after_it():
    remote = Timestamp(millis=2_000, counter=5, node="Cbbbbbbb")
    seen = observe(None, remote, 1_000, "Caaaaaaa")
    assert tick(seen, 1_000, "Caaaaaaa") > remote


def test_a_stamp_far_in_the_future_is_refused():
    now = 1_769_594_400_000
    far = Timestamp(millis=now + 2 * clock.MAX_AHEAD_MS, counter=0, node="Cbbbbbbb")
    with pytest.raises(ClockError) as err:
        observe(None, far, now, "Caaaaaaa")
    assert (err.value.code, err.value.params) == ("clock.future", {"value": str(far)})


@pytest.mark.parametrize("text", ["", "2026-01-28", "2026-01-28T10:00:00.000Z-0000-X1234567",
                                  "2026-13-28T10:00:00.000Z-0000-C1234abc", 42])
def test_unreadable_clocks_are_named(text):
    with pytest.raises(ClockError) as err:
        Timestamp.parse(text)
    assert (err.value.code, err.value.params) == ("clock.invalid", {"value": text})


@pytest.mark.parametrize(("value", "expected"), [
    ("2026-01-28T18:30:00Z", "2026-01-28T18:30:00.000Z"),
    ("2026-01-28T19:30:00+01:00", "2026-01-28T18:30:00.000Z"),
    ("2026-01-28T18:30:00.5Z", "2026-01-28T18:30:00.500Z"),
])
def test_rfc3339_is_normalised_to_utc_milliseconds(value, expected):
    assert clock.normalize_time(value) == expected


@pytest.mark.parametrize("value", ["2026-01-28", "28/01/2026 18:30", "2026-02-30T10:00:00Z", None])
def test_bad_dates_are_refused_in_french(value):
    with pytest.raises(ValidationError) as err:
        clock.normalize_time(value, label="début")
    assert (err.value.code, err.value.params) == ("time.invalid", {"value": value, "label": "début"})
    assert "début" not in err.value.message("en")  # English message uses the English label
    assert "2026-01-28T18:30:00Z" in str(err.value)  # the message shows a readable example


@given(stamps)
def test_a_stamp_starts_with_its_wall_time_in_canonical_form(t):
    # model.Record.updated_at and document.record_to_json rely on it (no parsing on export)
    assert str(t)[:24] == clock.format_ms(t.millis) == clock.normalize_time(str(t)[:24])
    assert Timestamp.parse(str(t)) == t


# --- only real instants in canonical form; the drift policy ---------------------------------------

@pytest.mark.parametrize("text", [
    "2026-01-28T10:00:60.000Z-0000-C1234abc",  # leap second
    "2026-01-28T10:00:99.000Z-0000-C1234abc",  # seconds 60-99 sorted after every real :59 stamp
    "2026-13-28T10:00:00.000Z-0000-C1234abc",
    "2026-02-30T10:00:00.000Z-0000-C1234abc",
    "2026-02-29T10:00:00.000Z-0000-C1234abc",  # 2026 is not a leap year
    "2026-01-28T24:00:00.000Z-0000-C1234abc",
    "2026-01-28T10:60:00.000Z-0000-C1234abc",
    "2026-01-28T10:00:00.000Z-00AB-C1234abc",  # upper-case counter: another spelling
    "2026-01-28T10:00:00Z-0000-C1234abc",  # no milliseconds
    "2026-01-28t10:00:00.000Z-0000-C1234abc",
    "2026-01-28T10:00:00.000z-0000-C1234abc",
    "2026-01-28T10:00:00.000+00:00-0000-C1234abc",
    "0000-01-01T00:00:00.000Z-0000-C1234abc",
    "1969-12-31T23:59:59.999Z-0000-C1234abc",
    " 2026-01-28T10:00:00.000Z-0000-C1234abc",
    "2026-01-28T10:00:00.000Z-0000-C1234abc\n",
])
def test_only_real_instants_in_canonical_form_are_stamps(text):
    with pytest.raises(ClockError) as err:
        Timestamp.parse(text)
    assert (err.value.code, err.value.params) == ("clock.invalid", {"value": text})


def _canonical(text: str) -> bool:
    """The oracle, independent of clock.py: the exact shape, and a real instant of 1970..9999."""
    import re
    from datetime import datetime

    if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z-[0-9a-f]{4}-C[a-z0-9]{7}", text, re.ASCII):
        return False
    try:
        return datetime.strptime(text[:23], "%Y-%m-%dT%H:%M:%S.%f").year >= 1970
    except ValueError:
        return False


@given(st.text(alphabet="0123456789-:TZ.abcC", min_size=20, max_size=40))
def test_a_text_that_is_not_a_canonical_stamp_is_refused(text):
    if _canonical(text):  # almost never drawn: the law below covers those
        text = text[:4] + "-13" + text[7:]  # month 13
    with pytest.raises(ClockError) as err:
        Timestamp.parse(text)
    assert err.value.code == "clock.invalid"


@given(stamps)
def test_a_canonical_stamp_parses_and_is_written_back_identically(stamp):
    text = str(stamp)
    assert _canonical(text)
    assert str(Timestamp.parse(text)) == text


@pytest.mark.parametrize("value", ["2026-01-28T10:00:60Z", "2026-01-28T10:00:99Z", "2026-01-28T10:00:00+24:00",
                                   "2026-01-28T10:00:00+01:60", "2026-02-29T00:00:00Z"])
def test_rfc3339_dates_that_are_not_instants_are_refused(value):
    with pytest.raises(ValidationError) as err:
        clock.normalize_time(value)
    assert err.value.code == "time.invalid"


def test_the_drift_bound_is_a_day_and_the_predicate_is_pure():
    now = 1_769_594_400_000
    assert clock.MAX_AHEAD_MS == 24 * 3600 * 1000
    at = Timestamp(millis=now + clock.MAX_AHEAD_MS, counter=5, node="Cbbbbbbb")
    beyond = Timestamp(millis=now + clock.MAX_AHEAD_MS + 1, counter=0, node="Cbbbbbbb")
    assert not clock.stamp_too_far_ahead(at, now)
    assert clock.stamp_too_far_ahead(beyond, now)
    assert clock.stamp_too_far_ahead(str(beyond), now)
    assert not clock.stamp_too_far_ahead(Timestamp(millis=0, counter=0, node="Cbbbbbbb"), now)
    with pytest.raises(ClockError):
        clock.stamp_too_far_ahead("2026-01-28T10:00:99.000Z-0000-Cbbbbbbb", now)
    with pytest.raises(ClockError) as err:
        clock.check_drift(beyond, now)
    assert err.value.code == "clock.future"


NOW = 1_769_594_400_000


@given(st.integers(clock.MAX_AHEAD_MS + 1, 2 * clock.MAX_AHEAD_MS), st.integers(0, 0xFFFF),
       st.integers(-10**6, 10**6))
def test_observe_refuses_a_stamp_more_than_a_day_ahead(ahead, counter, last_offset):
    remote = Timestamp(millis=NOW + ahead, counter=counter, node="Cbbbbbbb")
    last = Timestamp(millis=NOW + last_offset, counter=0, node="Caaaaaaa")
    assert clock.stamp_too_far_ahead(remote, NOW)
    with pytest.raises(ClockError) as err:
        observe(last, remote, NOW, "Caaaaaaa")
    assert (err.value.code, err.value.params) == ("clock.future", {"value": str(remote)})


@given(st.integers(0, clock.MAX_AHEAD_MS), st.integers(0, 0xFFFF), st.integers(-10**6, 10**6))
def test_observe_never_drags_our_clock_more_than_five_minutes_ahead(ahead, counter, last_offset):
    remote = Timestamp(millis=NOW + ahead, counter=counter, node="Cbbbbbbb")
    last = Timestamp(millis=NOW + last_offset, counter=0, node="Caaaaaaa")
    assert not clock.stamp_too_far_ahead(remote, NOW)
    seen = observe(last, remote, NOW, "Caaaaaaa")
    assert seen >= last and seen.node == "Caaaaaaa"
    assert seen.millis <= max(last.millis, NOW + clock.OBSERVE_AHEAD_MS)


@given(st.integers(0, clock.OBSERVE_AHEAD_MS), st.integers(0, 0xFFFF), st.integers(-10**6, 10**6))
def test_observe_keeps_causality_for_a_stamp_at_most_five_minutes_ahead(ahead, counter, last_offset):
    remote = Timestamp(millis=NOW + ahead, counter=counter, node="Cbbbbbbb")
    last = Timestamp(millis=NOW + last_offset, counter=0, node="Caaaaaaa")
    seen = observe(last, remote, NOW, "Caaaaaaa")
    assert tick(seen, NOW, "Caaaaaaa") > remote


@given(st.integers(0, 24 * 3600 * 1000), st.integers(0, 0xFFFF))
def test_tick_after_sorts_after_a_fast_peers_stamp_the_clock_did_not_follow(ahead, counter):
    now = 1_769_594_400_000
    fast = Timestamp(millis=now + ahead, counter=counter, node="Cbbbbbbb")
    last = observe(None, fast, now, "Caaaaaaa")
    mine = clock.tick_after(last, now, "Caaaaaaa", after=fast)
    assert mine > fast and mine > last and mine.node == "Caaaaaaa"
    assert clock.tick_after(last, now, "Caaaaaaa") == tick(last, now, "Caaaaaaa")
