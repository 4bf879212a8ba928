"""Every word the user reads, put into sentences: the words themselves live in gettext catalogues.

Adding or changing words (no word is written in this file)
----------------------------------------------------------
French, the source, is in locale/cellules.pot; English in locale/en/LC_MESSAGES/cellules.po. An entry:
`msgctxt "x.export"` (the key the code names), `msgid` the French, `msgstr` the translation (tools/catalogues.py
says how counts are written). To add or change a word:
  1. write its French entry in locale/cellules.pot (near the keys of the same screen);
  2. `.venv/bin/python -m tools.catalogues update`: each .po gets the entry, empty (a changed French turns the
     translation fuzzy);
  3. write the English msgstr in locale/en/LC_MESSAGES/cellules.po (Poedit reads it too), remove `#, fuzzy`;
  4. `.venv/bin/python -m tools.catalogues compile` (`make build` runs it): app/words/<lang>.json, what this
     module reads. tests/core/test_catalogues.py fails on a fuzzy or missing entry, or stale app/words.
A third language is one more .po file (locale/<lang>/LC_MESSAGES/cellules.po): what it lacks shows in French.

Theory of operation
-------------------
- `t(key, lang, **params)`, `error_text(code, lang, **params)` (msgctxt `error:<code>`) and `words(key, **params)`
  (the phrases an error names: keys `label.*`, `d.*`) fill an entry with `str.format` parameters, in `lang`, or
  in French where `lang` has no translation of it. An unknown key shows as itself.
- Counts are gettext plural forms: the entry `x.last_backup#days` is counted by the parameter `days`, and the
  catalogue's plural rule chooses its form (French: singular for 0 and 1; English: for 1). In a form, `{days:n}`
  is the number as the browser's Intl writes it (« 3 801 », “3,801”). A sentence with several counts holds
  `{new:plural}`: the entry `<key>#new`, in its own form. No value ever writes « cellule(s) ».
- French typography: the spaces inside « » and before : ; ! ? do not break (`french_spaces`), in our
  templates only, never in the values put in them; `fmt.*` (what goes into files), `cli.line.*` and
  `cli.help.*` (the command line's lines and --help) keep plain spaces (PLAIN_PREFIXES).
- `TEXTS` (interface), `ERRORS` (error codes), `DETAILS`: key -> (French, English), for code that needs a
  pair (labels, which keys exist); an entry with a count is written in `render`'s inline syntax
  (`{n:~jour|jours}`, `{n:~~est|sont}`), which renders as the entry does.
- The core returns codes and counts, never sentences: `report_summary` and `author_label` put a
  merge report or a record's provenance into words, in either language.
- `fmt_count`, `fmt_size`, `fmt_date`, `fmt_time`, `fmt_datetime`, `fmt_span` are pure and give the
  same text as Intl for fr-BE / en-GB, in Brussels time (tests/core/test_i18n_formats.py holds the
  Chromium table they are checked against).
- The Aide is `help_sections(lang)`: sections `HELP_SECTIONS`, keys `h.<section>.title`, `h.<section>.<n>`.
"""

from __future__ import annotations

import gettext
import json
import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from importlib import resources
from typing import Any

from app.core.brussels import local

SOURCE = "fr"  # the language the catalogues are written from; what a missing translation shows
ERROR = "error:"  # msgctxt prefix of an error code's message
DETAIL_PREFIXES = ("label.", "d.")  # the phrases an error message names (Words)
_PHRASE = re.compile(r"\{(\w+):plural\}")
# Plain spaces, as data: what goes into files (CSV, ICS, GeoJSON, print), the command line's own lines (scripts
# read them) and its --help (argparse lays its lines out itself).
PLAIN_PREFIXES = ("fmt.", "cli.line.", "cli.help.")


@dataclass(frozen=True)
class Catalogue:
    """One language's words: msgctxt -> template, or its plural forms; and its gettext plural rule."""

    lang: str
    plural: Callable[[int], int]
    messages: dict[str, str | tuple[str, ...]]


def catalogue(lang: str, data: dict[str, Any]) -> Catalogue:
    """A language from its package data (app/words/<lang>.json, written by tools/catalogues.py)."""
    messages = {key: tuple(value) if isinstance(value, list) else value for key, value in data["messages"].items()}
    return Catalogue(lang, gettext.c2py(data["plural"]), messages)


def _packaged() -> dict[str, Catalogue]:
    folder = resources.files("app").joinpath("words")
    entries = folder.iterdir() if folder.is_dir() else ()  # no folder at all: nothing was compiled yet
    found = {entry.name.removesuffix(".json"): entry for entry in entries if entry.name.endswith(".json")}
    if SOURCE not in found:
        raise RuntimeError("app/words/fr.json is missing: `python -m tools.catalogues compile` (make build) writes it")
    return {lang: catalogue(lang, json.loads(entry.read_text("utf-8"))) for lang, entry in sorted(found.items())}


# Reading the package data is the only file access here, at import (as document.py reads the schema).
CATALOGUES: dict[str, Catalogue] = _packaged()


def _counted(source: Catalogue) -> dict[str, str]:
    """Key -> the parameter that counts it, for the entries that are plural forms as a whole."""
    out = {}
    for ctxt in source.messages:
        key, sep, var = ctxt.partition("#")
        if sep and key not in source.messages:
            out[key] = var
    return out


_COUNTED = _counted(CATALOGUES[SOURCE])


def _entry(lang: str, ctxt: str) -> tuple[str | tuple[str, ...] | None, Catalogue]:
    """An entry in `lang`, or in French when `lang` has none."""
    found = CATALOGUES.get(lang)
    if found is not None and ctxt in found.messages:
        return found.messages[ctxt], found
    source = CATALOGUES[SOURCE]
    return source.messages.get(ctxt), source


def _form(forms: str | tuple[str, ...], language: Catalogue, params: dict[str, Any], var: str) -> str:
    """The form of a plural entry that agrees with the count `params[var]` (the last one without a count)."""
    if isinstance(forms, str):
        return forms
    try:
        n = int(params[var])
    except (KeyError, TypeError, ValueError):
        return forms[-1]
    return forms[min(language.plural(n), len(forms) - 1)]


def _template(key: str, lang: str, params: dict[str, Any]) -> tuple[str, Catalogue] | None:
    """The template of `key` for these parameters, and the language it is in (None: unknown key)."""
    var = _COUNTED.get(key)
    value, language = _entry(lang, key if var is None else f"{key}#{var}")
    if value is None:
        return None
    return _form(value, language, params, var or ""), language


_TOKEN = re.compile(r"\{[^{}]*\}|\s+|\w+|[^\w\s{}]")


def _inline(forms: str | tuple[str, ...], var: str) -> str:
    """Two plural forms as one template of `render`'s inline syntax: « il y a {n:n} jour » / « … jours »
    -> « il y a {n:~jour|jours} » (renders the same for any count n >= 0, French or English)."""
    if isinstance(forms, str) or len(forms) != 2:
        return forms if isinstance(forms, str) else forms[-1]

    def join(a: list[str], b: list[str]) -> str:
        p = 0
        while p < min(len(a), len(b)) and a[p] == b[p]:
            p += 1
        s = 0
        while s < min(len(a), len(b)) - p and a[-1 - s] == b[-1 - s]:
            s += 1
        head, tail, mid_a, mid_b = a[:p], a[len(a) - s:], a[p:len(a) - s], b[p:len(b) - s]
        if not mid_a and not mid_b:
            return "".join(a)
        fields = [tok for tok in mid_a if tok.startswith("{") and tok in mid_b]
        if fields:  # two differing places around a parameter both forms share
            i, j = mid_a.index(fields[0]), mid_b.index(fields[0])
            return "".join(head) + join(mid_a[:i], mid_b[:j]) + fields[0] + join(mid_a[i + 1:], mid_b[j + 1:]) \
                + "".join(tail)
        return "".join(head) + f"{{{var}:~~{''.join(mid_a)}|{''.join(mid_b)}}}" + "".join(tail)

    text = join(_TOKEN.findall(forms[0]), _TOKEN.findall(forms[1]))
    # « {n:n} autre {n:~~élément|éléments} » -> « {n:~autre élément|autres éléments} »: the number and its words
    text = re.sub(r"\{" + var + r":n\} ([^{}]*)\{" + var + r":~~([^{}|]*)\|([^{}]*)\}",
                  lambda m: f"{{{var}:~{m.group(1)}{m.group(2)}|{m.group(1)}{m.group(3)}}}", text)
    return re.sub(r"\{" + var + r":n\} ([^{}]+)$", lambda m: f"{{{var}:~{m.group(1)}|{m.group(1)}}}", text)


def _pairs(select: Callable[[str], bool], strip: str = "") -> dict[str, tuple[str, str]]:
    """key -> (French, English) templates of the entries whose msgctxt `select` takes (see the docstring)."""
    def shown(key: str, lang: str) -> str:
        var = _COUNTED.get(key)
        value, language = _entry(lang, key if var is None else f"{key}#{var}")
        assert value is not None
        text = _inline(value, var or "")
        return _PHRASE.sub(lambda m: _inline(_entry(language.lang, f"{key}#{m.group(1)}")[0] or "", m.group(1)), text)

    keys = [c for c in CATALOGUES[SOURCE].messages if "#" not in c or c.partition("#")[0] in _COUNTED]
    keys = list(dict.fromkeys(c.partition("#")[0] for c in keys))
    return {key.removeprefix(strip): (shown(key, SOURCE), shown(key, "en")) for key in keys if select(key)}


TEXTS: dict[str, tuple[str, str]] = _pairs(lambda k: not k.startswith((ERROR, *DETAIL_PREFIXES)))
ERRORS: dict[str, tuple[str, str]] = _pairs(lambda k: k.startswith(ERROR), strip=ERROR)
DETAILS: dict[str, tuple[str, str]] = _pairs(lambda k: k.startswith(DETAIL_PREFIXES))


@dataclass(frozen=True, kw_only=True)
class Words:
    """A phrase in no language yet: a key of DETAILS (or, with `error`, an error code whose
    message is then a detail of another one) and its parameters, which may be Words too.
    Rendered when the message is, in the reader's language (`text(lang)`)."""

    key: str
    params: tuple[tuple[str, Any], ...] = ()
    error: bool = False

    def __post_init__(self) -> None:
        known = self.key in (ERRORS if self.error else DETAILS)
        if not isinstance(self.key, str) or not known:
            raise ValueError(f"no words for {self.key!r}")
        object.__setattr__(self, "params", tuple(self.params))

    def text(self, lang: str = "fr") -> str:
        if self.error:  # an error's message as a detail: after a colon, without its final full stop
            text = error_text(self.key, lang, **dict(self.params)).rstrip(".")
            return text[:1].lower() + text[1:] if text[1:2].islower() else text
        return _render_key(self.key, lang, dict(self.params))

    def __str__(self) -> str:
        return self.text("fr")


def words(key: str, /, **params: Any) -> Words:
    """`words("d.required_field", name="title")`: a phrase for an error message (see Words)."""
    return Words(key=key, params=tuple(params.items()))


# --- plurals ------------------------------------------------------------------------------------
# The catalogues' entries choose their form by their gettext plural rule (see the module docstring).
# `render` also reads a count written inline, `{n:~cellule|cellules}`: the number (formatted for the
# language) followed by the singular or plural words; `{n:~~nouveau|nouveaux}` the words alone.

def plural_index(lang: str, n: int | float) -> int:
    """0 for the singular form, 1 for the plural (CLDR cardinal rules, integer counts)."""
    if lang == "en":
        return 0 if n == 1 else 1
    return 0 if abs(n) < 2 else 1


def plural(lang: str, n: int, singular: str, plural_form: str, *, with_number: bool = True) -> str:
    """« 2 cellules », “1 workshop”: the count and the word that agrees with it."""
    words = (singular, plural_form)[plural_index(lang, n)]
    return f"{fmt_count(lang, n)} {words}" if with_number else words


class _Formatter(string.Formatter):
    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec.startswith("~"):
            bare = format_spec.startswith("~~")
            singular, _, many = format_spec.lstrip("~").partition("|")
            try:
                n = int(value)
            except (TypeError, ValueError):
                return f"{value} {many}"
            return plural(self.lang, n, singular, many or singular, with_number=not bare)
        if format_spec == "n":  # a count, written as the language writes numbers
            try:
                return fmt_count(self.lang, int(value))
            except (TypeError, ValueError):
                return str(value)
        if isinstance(value, Words):
            return value.text(self.lang)
        if isinstance(value, tuple) and value and all(isinstance(v, Words) for v in value):
            return ", ".join(v.text(self.lang) for v in value)
        return super().format_field(value, format_spec)


@lru_cache(maxsize=16)
def _formatter(lang: str) -> _Formatter:
    return _Formatter(lang)


# French typography: no line may start with « » », « : », « ; », « ! », « ? » nor end with « « »: the
# space inside guillemets and before those signs does not break (a phone screen breaks lines often).
_FR_BREAKABLE = re.compile(r"« | (?=[»:;!?])")


@lru_cache(maxsize=4096)
def french_spaces(text: str) -> str:
    """« Remplacer » -> «\u00a0Remplacer\u00a0», « Note : » -> « Note\u00a0: ». Applied to our
    templates only, never to the values put in them (a name, a description stay as written)."""
    return _FR_BREAKABLE.sub(lambda m: "«" + NBSP if m.group() == "« " else NBSP, text) if " " in text else text


def render(template: str, lang: str, params: dict[str, Any]) -> str:
    """A template (in `lang`; French when `lang` is not English) filled with `params`."""
    if lang == "en":
        return _formatter(lang).vformat(template, (), params)
    return _formatter(lang).vformat(french_spaces(template), (), params)


def _fill(key: str, template: str, language: Catalogue, lang: str, params: dict[str, Any], *,
          typography: bool = True) -> str:
    """The template of `key` (in `language`) filled with `params` for a reader of `lang`: each
    `{x:plural}` is the entry `key#x` in the form that agrees with `params[x]`."""
    french = typography and language.lang == SOURCE
    if french:
        template = french_spaces(template)
    if ":plural}" in template:
        def phrase(m: re.Match) -> str:
            forms, where = _entry(language.lang, f"{key}#{m.group(1)}")
            if forms is None:
                return m.group(0)
            text = _form(forms, where, params, m.group(1))
            text = _formatter(lang).vformat(french_spaces(text) if french else text, (), params)
            return text.replace("{", "{{").replace("}", "}}")
        template = _PHRASE.sub(phrase, template)
    return _formatter(lang).vformat(template, (), params)


def _render_key(key: str, lang: str, params: dict[str, Any]) -> str:
    found = _template(key, lang, params)
    if found is None:
        return key
    return _fill(key, *found, lang, params)


def t(key: str, lang: str = "fr", **params: object) -> str:
    """The words of `key` in `lang` (French where `lang` has none; the key itself if unknown)."""
    found = _template(key, lang, params)
    if found is None:
        return key
    template, language = found
    plain = key.startswith(PLAIN_PREFIXES)
    if not params:
        return template if plain or language.lang != SOURCE else french_spaces(template)
    return _fill(key, template, language, lang, params, typography=not plain)


def error_text(code: str, lang: str = "fr", **params: Any) -> str:
    """The message of a CellulesError code (an unknown code still says which one)."""
    # A parameter given as Words (a label, a detail) is rendered in `lang`: every language's entry takes the
    # same parameters as the French one.
    merged = {"code": code, **params}
    found = _template(ERROR + code, lang, merged)
    if found is None:
        found = ("Error: {code}", CATALOGUES["en"]) if lang == "en" else ("Erreur : {code}", CATALOGUES[SOURCE])
    try:
        return _fill(ERROR + code, *found, lang, merged)
    except (KeyError, IndexError, ValueError):  # parameters that do not fit: the template as it is written
        return found[0]


# --- numbers, sizes, dates (pure; the same text as the browser's Intl for fr-BE and en-GB) --------
# Compared with Chromium 156 (Intl.NumberFormat / Intl.DateTimeFormat) in tests/core/test_i18n_formats.py.
NNBSP = "\u202f"  # narrow no-break space: fr-BE groups digits and separates units with it
NBSP = "\u00a0"


def fmt_count(lang: str, n: int) -> str:
    """1234567 -> « 1 234 567 » / “1,234,567” (Intl.NumberFormat)."""
    text = f"{int(n):,}"
    return text if lang == "en" else text.replace(",", NNBSP)


def _decimal(lang: str, value: Decimal) -> str:
    """At most one decimal, rounded half away from zero (Intl: maximumFractionDigits 1)."""
    rounded = value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    whole, _, frac = f"{rounded:f}".partition(".")
    text = fmt_count(lang, int(whole)) + ("" if frac in ("", "0") else ("." if lang == "en" else ",") + frac)
    return text


_UNITS = (("ko", "kB"), ("Mo", "MB"), ("Go", "GB"), ("To", "TB"))


def fmt_size(lang: str, size: int) -> str:
    """Bytes in decimal units, as Intl.NumberFormat(style "unit"): 17 440 000 -> « 17,4 Mo » / “17.4 MB”.
    Under 1000 bytes the long unit: « 512 octets » / “512 bytes” (Intl's short English unit is “byte”)."""
    size = max(0, int(size))
    if size < 1000:
        if lang == "en":
            return f"{fmt_count(lang, size)} {'byte' if size == 1 else 'bytes'}"
        return f"{fmt_count(lang, size)}{NBSP}{'octet' if size < 2 else 'octets'}"
    value, unit = Decimal(size) / 1000, 0
    # the unit is chosen on the rounded value: 999 950 ko is « 1 Go », not « 1 000 ko »
    while value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) >= 1000 and unit < len(_UNITS) - 1:
        value, unit = value / 1000, unit + 1
    fr, en = _UNITS[unit]
    return f"{_decimal(lang, value)} {en}" if lang == "en" else f"{_decimal(lang, value)}{NNBSP}{fr}"


def _local(when: str | int) -> datetime:
    if isinstance(when, int):
        return local(when)
    instant = datetime.fromisoformat(when.replace("Z", "+00:00"))
    return local(int(instant.timestamp()) * 1000)


def fmt_date(lang: str, when: str | int, *, year: bool = False) -> str:
    """« samedi 5 décembre » / “Saturday 5 December” in Brussels time (Intl: weekday long, day numeric,
    month long; with the year « samedi 5 décembre 2026 » / “Saturday, 5 December 2026”)."""
    local = _local(when)
    days = t("fmt.days", lang).split(",")
    months = t("fmt.months", lang).split(",")
    day, month = days[local.weekday()], months[local.month - 1]
    if lang == "en":
        return f"{day}, {local.day} {month} {local.year}" if year else f"{day} {local.day} {month}"
    return f"{day} {local.day} {month}" + (f" {local.year}" if year else "")


def fmt_time(lang: str, when: str | int) -> str:
    """« 14 h », « 14 h 30 » / “2 pm”, “2:30 pm” in Brussels time (English as Intl: hour numeric,
    minute 2-digit only when not on the hour, hourCycle h12; French as French typography writes it)."""
    local = _local(when)
    if lang == "en":
        hour = local.hour % 12 or 12
        suffix = "am" if local.hour < 12 else "pm"
        return f"{hour} {suffix}" if local.minute == 0 else f"{hour}:{local.minute:02d} {suffix}"
    # French typography rather than Intl's mix (« 09 h » but « 9:30 »): « 9 h », « 16 h 30 », with
    # no-break spaces so that a phone never ends a line between « 16 » and « h ».
    return f"{local.hour}{NBSP}h" if local.minute == 0 else f"{local.hour}{NBSP}h{NBSP}{local.minute:02d}"


def fmt_datetime(lang: str, when: str | int, *, year: bool = False) -> str:
    """« samedi 5 décembre, 14 h » / “Saturday 5 December, 2 pm” (an atelier's time, Brussels)."""
    return f"{fmt_date(lang, when, year=year)}, {fmt_time(lang, when)}"


def fmt_span(lang: str, starts: str | int, ends: str | int | None, *, now: str | int | None = None) -> str:
    """« samedi 5 décembre, de 14 h à 17 h » (same day) or both dates; only the start without an end.
    Given `now`, a span outside now's year names its year (« vendredi 5 janvier 2024, 9 h »)."""
    year = now is not None and any(_local(w).year != _local(now).year for w in (starts, ends) if w)
    if ends is None or ends == "":
        return fmt_datetime(lang, starts, year=year)
    if _local(starts).date() == _local(ends).date():
        return t("fmt.span_same_day", lang, date=fmt_date(lang, starts, year=year), start=fmt_time(lang, starts),
                 end=fmt_time(lang, ends))
    return t("fmt.span", lang, start=fmt_datetime(lang, starts, year=year), end=fmt_datetime(lang, ends, year=year))


# --- reports and labels (the core gives codes and counts; the words are here) -------------------

def report_summary(lang: str, action: str, source_name: str, counts: dict[str, int]) -> str:
    """One line for an import journal entry: « Fusion depuis « Alice » : 2 ajoutés, … »."""
    c = counts
    if action == "drop-source":
        return t("m.report.drop", lang, name=source_name, removed=c.get("removed", 0))
    if action == "undo":
        return t("m.report.undo", lang, reverts=c.get("updated", 0) + c.get("removed", 0) + c.get("added", 0))
    key = {"replace": "m.report.replace", "restore": "m.report.restore"}.get(action, "m.report.merge")
    text = t(key, lang, name=source_name, **c)
    for part in ("removed", "skipped", "refused"):
        if c.get(part) and not (action == "restore" and part == "removed"):
            text += t(f"m.report.{part}", lang, n=c[part])
    return text + "."


def status_word(lang: str, status: str, kind: str) -> str:
    """A preview's status for one item, agreeing with its kind: « nouvelle » cellule, « nouveau » atelier."""
    key = f"m.status.{status}.{kind}"
    return t(key if key in TEXTS else f"m.status.{status}", lang)


def author_label(lang: str, author: str, via: list[str] | tuple[str, ...] = ()) -> str:
    """« par Alice, via Bob » / “by Alice, via Bob”: who wrote a record and whose file brought it
    (« par » takes any group name as it is: no « de Alice », « de Les Jardins »)."""
    if via:
        return t("m.author_via", lang, author=author, via=", ".join(via))
    return t("m.author", lang, author=author)


# --- the Aide (help) view -------------------------------------------------------------------------
HELP_SECTIONS = ("offline", "live", "meeting", "exports", "import", "links", "merge", "conflicts", "backup", "install",
                 "supabase")


def help_sections(lang: str) -> list[tuple[str, list[str]]]:
    """[(title, [step, ...]), ...]: keys `h.<section>.title` and `h.<section>.1`, `.2`, … in order."""
    out = []
    for section in HELP_SECTIONS:
        steps, n = [], 1
        while f"h.{section}.{n}" in TEXTS:
            steps.append(t(f"h.{section}.{n}", lang))
            n += 1
        out.append((t(f"h.{section}.title", lang), steps))
    return out


def export_file_name(lang: str, kind: str, name: str, when: datetime) -> str:
    """« Alice-sauvegarde-2026-12-05-14h05.json » (full: two backups of one day never share a name),
    « Alice-cellules-2026-12-05.json » (cellules only), « Alice-supabase-2026-12-05.sql ». `name` is
    already safe for a file name; `when` the local (Brussels) wall-clock time of the export."""
    key = {"full": "file.backup", "cellules": "file.cellules", "sql": "file.sql"}[kind]
    return t(key, lang, name=name or t("file.default_name", lang), date=when.strftime("%Y-%m-%d"),
             time=when.strftime("%Hh%M"))


def did_you_mean(lang: str, query: str, labels: list[str]) -> str:
    """« Aucun lieu ne s’appelle « Namru ». Vouliez-vous dire « Namur » ? », with « A », « B » ou « C »
    when several names are that close (place search's fallback, app.core.grid.Grid.suggest)."""
    quoted = [t("place.quoted", lang, name=label) for label in labels]
    names = quoted[0] if len(quoted) == 1 else t("place.or", lang, a=", ".join(quoted[:-1]), b=quoted[-1])
    return t("place.did_you_mean", lang, q=query, names=names)
