"""Spreadsheet export: one CSV of the live cellules, one of their live ateliers (or both in a zip).

Theory of operation
-------------------
The files are made for a double-click in LibreOffice and in a French-locale Excel:
  * UTF-8 with a byte order mark (Excel reads BOM-less CSV in the ANSI code page: « Liège »
    would become « LiÃ¨ge »);
  * `;` between fields (a French Excel splits on `;`, not on `,`), every field in double quotes,
    inner quotes doubled, CRLF between records; line breaks inside a description stay inside
    its quoted field;
  * dates in Brussels time as `2026-03-01 11:00` (ISO order: read as a date in every locale);
  * user text is never a formula: a field starting with `=`, `+`, `-`, `@`, a tab or a carriage
    return gets a leading apostrophe (OWASP « CSV injection »), so `=HYPERLINK(…)` shows as text.
    The apostrophe is the escape, so it escapes itself where it would be ambiguous: a field whose
    leading apostrophes are followed by one of those signs (the user typed `'=`) gets one more.
    Every neutralised field is then the user's text after exactly one added apostrophe, and a
    reader strips one apostrophe only from a run of apostrophes that ends on a formula sign.
    (LibreOffice shows the apostrophe as typed; Excel takes a leading apostrophe as its « text »
    prefix: either way, `'=` and `''=` no longer read as the same cell.) Other fields, `'s Gravenvoeren`
    included, are written as they are;
  * a record is one row for every reader: the only line breaks a field holds are the line feeds
    and carriage returns of a description, inside its quoted field. Any other character
    str.splitlines() splits on (model.LINE_BREAKS: NEL, U+2028, U+2029, vertical tab, form feed,
    U+001C–U+001E), should the model ever let one through, is written as a space (`one_row`);
  * deleted records (and the ateliers of deleted cellules) are left out, as in the app's list.
Columns are the table CELLULE_COLUMNS / ATELIER_COLUMNS: (i18n key of the header, value).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from typing import Any

from app.core.brussels import local_text
from app.core.clock import parse_rfc3339
from app.core.formats.places import Place, place_of, provenance
from app.core.grid import Grid
from app.core.i18n import t
from app.core.model import Atelier, Cellule, State

BOM = "\ufeff"
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
# Fixed timestamp of the zip entries: the same state gives the same bytes.
ZIP_DATE = (2026, 1, 1, 0, 0, 0)


# Line breaks other than the LF / CR a description may hold (model.LINE_BREAKS minus those two).
_OTHER_BREAKS = re.compile(r"[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def one_row(text: str) -> str:
    """`text` with every line break a spreadsheet does not keep inside a quoted field made a space."""
    return _OTHER_BREAKS.sub(" ", text)


def neutralise(text: str) -> str:
    """A cell value a spreadsheet shows as text, never runs as a formula; one apostrophe is added
    before a formula sign or before leading apostrophes that end on one (the escape escapes itself)."""
    return "'" + text if text.lstrip("'").startswith(DANGEROUS_START) else text


def local_date(iso: str | None) -> str:
    return local_text(parse_rfc3339(iso)) if iso else ""


class Context:
    """What a column needs besides its record: the state, the grid, the language, the ateliers."""

    def __init__(self, state: State, grid: Grid | None, lang: str) -> None:
        self.state, self.grid, self.lang = state, grid, lang
        self._places: dict[str, Place] = {}
        self.ateliers: dict[str, int] = {}
        for a in state.live_ateliers():
            self.ateliers[a.cellule_id] = self.ateliers.get(a.cellule_id, 0) + 1

    def place(self, node_id: str) -> Place:
        if node_id not in self._places:
            self._places[node_id] = place_of(self.grid, node_id)
        return self._places[node_id]

    def cellule_of(self, atelier: Atelier) -> Cellule:
        return self.state.cellules[atelier.cellule_id]


Column = tuple[str, Callable[[Any, Context], Any]]

CELLULE_COLUMNS: tuple[Column, ...] = (
    ("fmt.col.name", lambda c, x: c.name),
    ("fmt.col.commune", lambda c, x: x.place(c.node_id).commune),
    ("fmt.col.locality", lambda c, x: x.place(c.node_id).locality),
    ("fmt.col.postcode", lambda c, x: x.place(c.node_id).postcode),
    ("fmt.col.contact", lambda c, x: c.contact),
    ("fmt.col.description", lambda c, x: c.description),
    ("fmt.col.ateliers", lambda c, x: x.ateliers.get(c.id, 0)),
    ("fmt.col.provenance", lambda c, x: provenance(x.state, c, x.lang)),
    ("fmt.col.created", lambda c, x: local_date(c.created_at)),
    ("fmt.col.updated", lambda c, x: local_date(c.updated_at)),
    ("fmt.col.node", lambda c, x: c.node_id),
    ("fmt.col.id", lambda c, x: c.id),
)
ATELIER_COLUMNS: tuple[Column, ...] = (
    ("fmt.col.title", lambda a, x: a.title),
    ("fmt.col.starts", lambda a, x: local_date(a.starts_at)),
    ("fmt.col.ends", lambda a, x: local_date(a.ends_at)),
    ("fmt.col.place", lambda a, x: a.place),
    ("fmt.col.cellule", lambda a, x: x.cellule_of(a).name),
    ("fmt.col.commune", lambda a, x: x.place(x.cellule_of(a).node_id).commune),
    ("fmt.col.locality", lambda a, x: x.place(x.cellule_of(a).node_id).locality),
    ("fmt.col.postcode", lambda a, x: x.place(x.cellule_of(a).node_id).postcode),
    ("fmt.col.description", lambda a, x: a.description),
    ("fmt.col.updated", lambda a, x: local_date(a.updated_at)),
    ("fmt.col.id", lambda a, x: a.id),
    ("fmt.col.cellule_id", lambda a, x: a.cellule_id),
)
TABLES = ("cellules", "ateliers")


def _table(columns: tuple[Column, ...], records: list, ctx: Context) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", quotechar='"', quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([t(key, ctx.lang) for key, _ in columns])
    for record in records:
        writer.writerow([v if isinstance(v, int) else neutralise(one_row(str(v))) for v in
                         (value(record, ctx) for _, value in columns)])
    return BOM + out.getvalue()


def cellules_csv(state: State, grid: Grid | None, *, lang: str = "fr") -> str:
    """The live cellules, one per line, sorted as in the app. Starts with the BOM."""
    return _table(CELLULE_COLUMNS, state.live_cellules(), Context(state, grid, lang))


def ateliers_csv(state: State, grid: Grid | None, *, cellule_id: str | None = None, lang: str = "fr") -> str:
    """The live ateliers of live cellules (of one cellule if given), by start time."""
    return _table(ATELIER_COLUMNS, state.live_ateliers(cellule_id), Context(state, grid, lang))


def table_csv(state: State, grid: Grid | None, table: str, *, lang: str = "fr") -> str:
    return cellules_csv(state, grid, lang=lang) if table == "cellules" else ateliers_csv(state, grid, lang=lang)


def csv_zip(state: State, grid: Grid | None, *, lang: str = "fr") -> bytes:
    """Both tables in one zip (`cellules.csv`, `ateliers.csv`), byte-identical for the same state."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for table in TABLES:
            info = zipfile.ZipInfo(f"{table}.csv", ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, table_csv(state, grid, table, lang=lang).encode("utf-8", "replace"))
    return out.getvalue()
