"""Numbers, sizes and dates from app.core.i18n against what the browser's Intl writes.

The expected texts were produced by Chromium 156 (Debian bookworm), the browser the app and its tests
run in, for the same instants and values, with locale fr-BE for "fr" and en-GB for "en":

    new Intl.DateTimeFormat(locale, {timeZone: "Europe/Brussels", weekday: "long", day: "numeric",
                                     month: "long"[, year: "numeric"]})              -> date
    new Intl.DateTimeFormat(locale, {timeZone: "Europe/Brussels", hour: "numeric"
                                     [, minute: "2-digit" when not on the hour]
                                     [, hourCycle: "h12" for en-GB]})                 -> time
    new Intl.NumberFormat(locale)                                                     -> count
    new Intl.NumberFormat(locale, {style: "unit", unit: "byte", unitDisplay: "long"})      (< 1000 bytes)
    new Intl.NumberFormat(locale, {style: "unit", unit: "kilobyte" | "megabyte" | "gigabyte",
                                   maximumFractionDigits: 1})                         -> size

The unit is the largest of kB/MB/GB/TB under which the value, rounded, stays below 1000 (decimal units: Intl's
"megabyte" is 10^6 bytes). Rows include both summer-time switches of 2026 (29 March, 25 October),
midnight, noon and a leap day. fr-BE separates thousands and units with a narrow no-break space (U+202F).
"""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from app.core import i18n
from app.core.brussels import local
from app.core.clock import format_ms

# (lang, UTC milliseconds, date, date with year, time) — Chromium 156, Europe/Brussels
DATES = [
    ("fr", 1796475600000, "samedi 5 décembre", "samedi 5 décembre 2026", "14 h"),
    ("fr", 1796477400000, "samedi 5 décembre", "samedi 5 décembre 2026", "14:30"),
    ("fr", 1783202700000, "dimanche 5 juillet", "dimanche 5 juillet 2026", "0:05"),
    ("fr", 1783202400000, "dimanche 5 juillet", "dimanche 5 juillet 2026", "00 h"),
    ("fr", 1767265200000, "jeudi 1 janvier", "jeudi 1 janvier 2026", "12 h"),
    ("fr", 1774745940000, "dimanche 29 mars", "dimanche 29 mars 2026", "1:59"),
    ("fr", 1774746000000, "dimanche 29 mars", "dimanche 29 mars 2026", "03 h"),
    ("fr", 1825026300000, "lundi 1 novembre", "lundi 1 novembre 2027", "0:45"),
    ("fr", 1783159200000, "samedi 4 juillet", "samedi 4 juillet 2026", "12 h"),
    ("fr", 1792888200000, "dimanche 25 octobre", "dimanche 25 octobre 2026", "2:30"),
    ("fr", 1792891800000, "dimanche 25 octobre", "dimanche 25 octobre 2026", "2:30"),
    ("fr", 1772319600000, "dimanche 1 mars", "dimanche 1 mars 2026", "00 h"),
    ("fr", 1835424420000, "mardi 29 février", "mardi 29 février 2028", "9:07"),
    ("fr", 1777669200000, "vendredi 1 mai", "vendredi 1 mai 2026", "23 h"),
    ("en", 1796475600000, "Saturday 5 December", "Saturday, 5 December 2026", "2 pm"),
    ("en", 1796477400000, "Saturday 5 December", "Saturday, 5 December 2026", "2:30 pm"),
    ("en", 1783202700000, "Sunday 5 July", "Sunday, 5 July 2026", "12:05 am"),
    ("en", 1783202400000, "Sunday 5 July", "Sunday, 5 July 2026", "12 am"),
    ("en", 1767265200000, "Thursday 1 January", "Thursday, 1 January 2026", "12 pm"),
    ("en", 1774745940000, "Sunday 29 March", "Sunday, 29 March 2026", "1:59 am"),
    ("en", 1774746000000, "Sunday 29 March", "Sunday, 29 March 2026", "3 am"),
    ("en", 1825026300000, "Monday 1 November", "Monday, 1 November 2027", "12:45 am"),
    ("en", 1783159200000, "Saturday 4 July", "Saturday, 4 July 2026", "12 pm"),
    ("en", 1792888200000, "Sunday 25 October", "Sunday, 25 October 2026", "2:30 am"),
    ("en", 1792891800000, "Sunday 25 October", "Sunday, 25 October 2026", "2:30 am"),
    ("en", 1772319600000, "Sunday 1 March", "Sunday, 1 March 2026", "12 am"),
    ("en", 1835424420000, "Tuesday 29 February", "Tuesday, 29 February 2028", "9:07 am"),
    ("en", 1777669200000, "Friday 1 May", "Friday, 1 May 2026", "11 pm"),
]

# (lang, n, Intl.NumberFormat) — Chromium 156
COUNTS = [
    ("fr", 0, "0"),
    ("fr", 1, "1"),
    ("fr", 2, "2"),
    ("fr", 999, "999"),
    ("fr", 1000, "1\u202f000"),
    ("fr", 3801, "3\u202f801"),
    ("fr", 12345, "12\u202f345"),
    ("fr", 50000, "50\u202f000"),
    ("fr", 1234567, "1\u202f234\u202f567"),
    ("en", 0, "0"),
    ("en", 1, "1"),
    ("en", 2, "2"),
    ("en", 999, "999"),
    ("en", 1000, "1,000"),
    ("en", 3801, "3,801"),
    ("en", 12345, "12,345"),
    ("en", 50000, "50,000"),
    ("en", 1234567, "1,234,567"),
]

# (lang, bytes, Intl.NumberFormat with a unit) — Chromium 156
SIZES = [
    ("fr", 0, "0\u00a0octet"),
    ("fr", 1, "1\u00a0octet"),
    ("fr", 2, "2\u00a0octets"),
    ("fr", 512, "512\u00a0octets"),
    ("fr", 999, "999\u00a0octets"),
    ("fr", 1000, "1\u202fko"),
    ("fr", 1500, "1,5\u202fko"),
    ("fr", 1049, "1\u202fko"),
    ("fr", 1050, "1,1\u202fko"),
    ("fr", 999960, "1\u202fMo"),  # 999,96 ko rounds to 1 000 ko: the next unit (Intl with "megabyte")
    ("fr", 1000000, "1\u202fMo"),
    ("fr", 17440000, "17,4\u202fMo"),
    ("fr", 17450000, "17,5\u202fMo"),
    ("fr", 2050000000, "2,1\u202fGo"),
    ("fr", 123456789012, "123,5\u202fGo"),
    ("en", 0, "0 bytes"),
    ("en", 1, "1 byte"),
    ("en", 2, "2 bytes"),
    ("en", 512, "512 bytes"),
    ("en", 999, "999 bytes"),
    ("en", 1000, "1 kB"),
    ("en", 1500, "1.5 kB"),
    ("en", 1049, "1 kB"),
    ("en", 1050, "1.1 kB"),
    ("en", 999960, "1 MB"),
    ("en", 1000000, "1 MB"),
    ("en", 17440000, "17.4 MB"),
    ("en", 17450000, "17.5 MB"),
    ("en", 2050000000, "2.1 GB"),
    ("en", 123456789012, "123.5 GB"),
]


def typographic(intl_fr_time: str) -> str:
    """Intl's French time (« 09 h », « 9:30 », « 00 h ») as French typography writes the same wall time:
    « 9 h », « 9 h 30 », « 0 h », no-break spaces (Intl mixes two styles and a leading zero)."""
    hour, _, minute = intl_fr_time.removesuffix(" h").partition(":")
    return f"{int(hour)}\u00a0h" + (f"\u00a0{minute}" if minute else "")


@pytest.mark.parametrize(("lang", "ms", "date", "date_year", "time"), DATES)
def test_dates_and_times_match_intl(lang, ms, date, date_year, time):
    assert i18n.fmt_date(lang, ms) == date
    assert i18n.fmt_date(lang, ms, year=True) == date_year
    time = typographic(time) if lang == "fr" else time
    assert i18n.fmt_time(lang, ms) == time
    assert i18n.fmt_datetime(lang, ms) == f"{date}, {time}"
    iso = format_ms(ms)  # what the model stores: the same instant as an RFC 3339 string
    assert i18n.fmt_datetime(lang, iso) == f"{date}, {time}"


@pytest.mark.parametrize(("lang", "n", "text"), COUNTS)
def test_counts_match_intl(lang, n, text):
    assert i18n.fmt_count(lang, n) == text


@pytest.mark.parametrize(("lang", "size", "text"), SIZES)
def test_sizes_match_intl(lang, size, text):
    assert i18n.fmt_size(lang, size) == text


def test_the_examples_of_the_issue():
    assert i18n.fmt_size("fr", 17_400_000) == "17,4\u202fMo"
    assert i18n.fmt_size("en", 17_400_000) == "17.4 MB"
    saturday = "2026-12-05T13:00:00Z"
    assert i18n.fmt_datetime("fr", saturday) == "samedi 5 décembre, 14\u00a0h"
    assert i18n.fmt_datetime("en", saturday) == "Saturday 5 December, 2 pm"


def test_a_span_outside_the_current_year_names_its_year():
    now = "2026-11-29T12:00:00Z"
    assert i18n.fmt_span("fr", "2024-01-05T08:00:00Z", None, now=now) == "vendredi 5 janvier 2024, 9\u00a0h"
    assert i18n.fmt_span("fr", "2026-12-05T13:00:00Z", "2026-12-05T16:00:00Z", now=now) == \
        "samedi 5 décembre, de 14\u00a0h à 17\u00a0h"
    assert i18n.fmt_span("en", "2026-12-31T13:00:00Z", "2027-01-01T10:00:00Z", now=now) == \
        "from Thursday, 31 December 2026, 2 pm to Friday, 1 January 2027, 11 am"


def test_an_ateliers_span_names_the_day_once_when_it_ends_the_same_day():
    assert i18n.fmt_span("fr", "2026-12-05T13:00:00Z", "2026-12-05T16:00:00Z") == \
        "samedi 5 décembre, de 14\u00a0h à 17\u00a0h"
    assert i18n.fmt_span("fr", "2026-12-05T13:00:00Z", "2026-12-05T15:30:00Z") == \
        "samedi 5 décembre, de 14\u00a0h à 16\u00a0h\u00a030"  # one style: never « de 14 h à 16:30 »
    assert i18n.fmt_span("en", "2026-12-05T13:00:00Z", "2026-12-05T16:30:00Z") == \
        "Saturday 5 December, from 2 pm to 5:30 pm"
    assert i18n.fmt_span("fr", "2026-12-05T13:00:00Z", "2026-12-06T09:00:00Z") == \
        "du samedi 5 décembre, 14\u00a0h au dimanche 6 décembre, 10\u00a0h"
    assert i18n.fmt_span("fr", "2026-12-05T13:00:00Z", None) == "samedi 5 décembre, 14\u00a0h"


@given(st.integers(min_value=0, max_value=10**15))
@example(999_950)  # rounds to 1000 ko: « 1 Mo »
@example(999_950_000_000)  # rounds to 1000 Go: « 1 To » (a run under faketime drew it)
def test_a_size_is_one_rounded_number_and_one_unit(size):
    for lang in ("fr", "en"):
        text = i18n.fmt_size(lang, size)
        sep = " " if lang == "en" else ("\u00a0" if size < 1000 else "\u202f")
        number, found, unit = text.rpartition(sep)
        assert found and unit in {"octet", "octets", "ko", "Mo", "Go", "To", "byte", "bytes", "kB", "MB", "GB", "TB"}
        plain = number.replace(",", "") if lang == "en" else number.replace("\u202f", "").replace(",", ".")
        value = float(plain)
        assert value == round(value, 1) and (value < 1000 or unit in {"To", "TB"})


@given(st.integers(min_value=0, max_value=4_102_444_800_000))  # 1970 .. 2100
def test_every_instant_reads_as_its_brussels_wall_time(ms):
    wall = local(ms)
    fr, en = i18n.fmt_time("fr", ms), i18n.fmt_time("en", ms)
    assert fr == (f"{wall.hour}\u00a0h" if wall.minute == 0 else f"{wall.hour}\u00a0h\u00a0{wall.minute:02d}")
    assert en == (f"{wall.hour % 12 or 12}" + (f":{wall.minute:02d}" if wall.minute else "")
                  + (" am" if wall.hour < 12 else " pm"))
    assert i18n.fmt_date("fr", ms).split()[1] == str(wall.day)
