"""Open formats out: spreadsheet (CSV), map layer (GeoJSON), calendar (iCalendar), print list.

Pure like the rest of app/core: the export time `now_ms` and the grid are passed in. Both adapters
(the CLI's `export --format`, the browser's buttons) call `export_file`, which returns the file's
suggested name, media type and bytes. FORMATS is the table of what can be exported.

Text is encoded as UTF-8 with `errors="replace"`: the model lets through lone surrogates of a
JSON `\\ud800` escape, and an export must never fail on one (it becomes « ? »).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.core.actions import get_live
from app.core.brussels import local
from app.core.formats import csv_export, geojson, ics
from app.core.grid import Grid
from app.core.i18n import t
from app.core.model import State


@dataclass(frozen=True, kw_only=True)
class Format:
    key: str
    ext: str
    mime: str
    per_cellule: bool = False  # may be limited to one cellule


FORMATS: dict[str, Format] = {f.key: f for f in (
    Format(key="csv-cellules", ext="csv", mime="text/csv;charset=utf-8"),
    Format(key="csv-ateliers", ext="csv", mime="text/csv;charset=utf-8"),
    Format(key="csv-zip", ext="zip", mime="application/zip"),
    Format(key="geojson", ext="geojson", mime=geojson.MEDIA_TYPE),
    Format(key="ics", ext="ics", mime="text/calendar;charset=utf-8", per_cellule=True),
)}


@dataclass(frozen=True, kw_only=True)
class ExportFile:
    name: str
    mime: str
    data: bytes


def safe_filename(text: str) -> str:
    plain = re.sub(r"[^A-Za-z0-9À-ÿ_-]+", "-", text).strip("-")
    return plain[:60] or "instance"


def file_name(state: State, fmt: Format, now_ms: int, cellule_name: str | None = None, lang: str = "fr") -> str:
    """`<group>-<Brussels date>-<what>[-<cellule>].<ext>` (« Asso-Nord-2026-01-29-cellules.csv »): the
    group's name first, as the JSON exports' names; each word once; distinct per button; a day's files
    sort together. `<what>` is in the user's language; an unnamed group is « groupe »."""
    date = local(now_ms).strftime("%Y-%m-%d")
    extra = f"-{safe_filename(cellule_name)}" if cellule_name else ""
    name = safe_filename(state.instance_name)
    name = t("file.default_name", lang) if name == "instance" else name
    return f"{name}-{date}-{t('fmt.file.' + fmt.key, lang)}{extra}.{fmt.ext}"


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "replace")


def export_file(state: State, grid: Grid | None, key: str, *, now_ms: int, cellule_id: str | None = None,
                lang: str = "fr") -> ExportFile:
    """One export as a file. `cellule_id` limits the calendar to that (live) cellule's ateliers."""
    fmt = FORMATS[key]
    cellule_name = None
    if cellule_id is not None and fmt.per_cellule:
        cellule_name = get_live(state, "cellule", cellule_id).name  # a French error if unknown or deleted
    if key == "csv-cellules":
        data = _utf8(csv_export.cellules_csv(state, grid, lang=lang))
    elif key == "csv-ateliers":
        data = _utf8(csv_export.ateliers_csv(state, grid, lang=lang))
    elif key == "csv-zip":
        data = csv_export.csv_zip(state, grid, lang=lang)
    elif key == "geojson":
        data = _utf8(geojson.geojson_text(state, grid, now_ms=now_ms, lang=lang))
    else:
        data = _utf8(ics.calendar(state, grid, now_ms=now_ms, cellule_id=cellule_id if fmt.per_cellule else None,
                                  lang=lang))
    return ExportFile(name=file_name(state, fmt, now_ms, cellule_name, lang), mime=fmt.mime, data=data)
