"""« Imprimer la liste »: what the printed A4 list says, as plain data (the browser lays it out).

The sheet lists the live cellules as in the app (by name), each with its place (locality,
commune, postal code), contact, description, provenance and its live ateliers by start time,
dates in Brussels time written out in words (« samedi 1 mars 2026, 11:00 – 13:00 »), so it reads
well on paper at a meeting where not everyone has a phone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.core.brussels import local
from app.core.clock import parse_rfc3339
from app.core.formats.places import place_of, provenance
from app.core.grid import Grid
from app.core.i18n import t
from app.core.model import State


@dataclass(frozen=True, kw_only=True)
class PrintAtelier:
    when: str
    title: str
    place: str
    description: str


@dataclass(frozen=True, kw_only=True)
class PrintCellule:
    id: str
    name: str
    place: str
    contact: str
    description: str
    provenance: str
    ateliers: tuple[PrintAtelier, ...]


@dataclass(frozen=True, kw_only=True)
class PrintSheet:
    title: str
    subtitle: str
    cellules: tuple[PrintCellule, ...]


def long_date(iso: str, lang: str = "fr", *, with_day: bool = True) -> str:
    """`2026-03-01T10:00:00Z` -> « dimanche 1 mars 2026, 11:00 » (Brussels time)."""
    when = local(parse_rfc3339(iso))
    return _words(when, lang) if with_day else when.strftime("%H:%M")


def _words(when: datetime, lang: str) -> str:
    days = t("fmt.days", lang).split(",")
    months = t("fmt.months", lang).split(",")
    return t("fmt.long_date", lang, weekday=days[when.weekday()], day=when.day, month=months[when.month - 1],
             year=when.year, time=when.strftime("%H:%M"))


def span(starts_at: str, ends_at: str | None, lang: str = "fr") -> str:
    """Start and end; the end's date only when it is another day."""
    start = long_date(starts_at, lang)
    if not ends_at:
        return start
    same_day = local(parse_rfc3339(starts_at)).date() == local(parse_rfc3339(ends_at)).date()
    return f"{start} – {long_date(ends_at, lang, with_day=not same_day)}"


def print_sheet(state: State, grid: Grid | None, *, now_ms: int, lang: str = "fr") -> PrintSheet:
    by_cellule: dict[str, list[PrintAtelier]] = {}
    for a in state.live_ateliers():  # once, by start time: not once per cellule
        by_cellule.setdefault(a.cellule_id, []).append(
            PrintAtelier(when=span(a.starts_at, a.ends_at, lang), title=a.title, place=a.place,
                         description=a.description))
    cellules = []
    for c in state.live_cellules():
        place = place_of(grid, c.node_id)
        where = place.label + (f" ({place.postcodes})" if place.postcodes else "")
        ateliers = tuple(by_cellule.get(c.id, ()))
        cellules.append(PrintCellule(id=c.id, name=c.name, place=where, contact=c.contact, description=c.description,
                                     provenance=provenance(state, c, lang), ateliers=ateliers))
    subtitle = t("fmt.print.subtitle", lang, date=_words(local(now_ms), lang), n=len(cellules))
    return PrintSheet(title=t("fmt.print.title", lang, name=state.instance_name), subtitle=subtitle,
                      cellules=tuple(cellules))

