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
    last = None
    for now in nows:
        nxt = tick(last, 1_700_000_000_000 + now, "Caaaaaaa")
        assert last is None or nxt > last
        last = nxt


def test_observe_moves_past_a_remote_stamp_and_the_next_tick_sorts_after_it():
    remote = Timestamp(millis=2_000, counter=5, node="Cbbbbbbb")
    seen = observe(None, remote, 1_000, "Caaaaaaa")
    assert tick(seen, 1_000, "Caaaaaaa") > remote


def test_a_stamp_far_in_the_future_is_refused():
    now = 1_769_594_400_000
    far = Timestamp(millis=now + 2 * clock.MAX_DRIFT_MS, counter=0, node="Cbbbbbbb")
    with pytest.raises(ClockError) as err:
        observe(None, far, now, "Caaaaaaa")
    assert "futur" in str(err.value)


@pytest.mark.parametrize("text", ["", "2026-01-28", "2026-01-28T10:00:00.000Z-0000-X1234567",
                                  "2026-13-28T10:00:00.000Z-0000-C1234abc", 42])
def test_unreadable_clocks_are_named(text):
    with pytest.raises(ClockError):
        Timestamp.parse(text)


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
    assert "début" not in err.value.message("en")  # English message uses the English label
    assert "RFC 3339" in str(err.value)


@given(stamps)
def test_a_stamp_starts_with_its_wall_time_in_canonical_form(t):
    # model.Record.updated_at and document.record_to_json rely on it (no parsing on export)
    assert str(t)[:24] == clock.format_ms(t.millis) == clock.normalize_time(str(t)[:24])
    assert Timestamp.parse(str(t)) == t
