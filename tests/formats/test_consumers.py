"""Each export read by an independent consumer: the `icalendar` package for the ICS,
shapely for the GeoJSON geometries, and LibreOffice Calc (headless) turning the CSV into an xlsx
whose cells we read back. `make test` installs LibreOffice (Makefile target `libreoffice`)."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import zipfile
from datetime import UTC, datetime
from xml.etree import ElementTree

import icalendar
import pytest
import shapely
from format_samples import BIHAIN, NOW, grid, sample
from shapely.geometry import box, shape

from app.core import actions
from app.core.brussels import local
from app.core.clock import parse_rfc3339
from app.core.formats import export_file
from app.core.formats.csv_export import neutralise

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
BELGIUM = box(2.54, 49.49, 6.41, 51.51)  # lon/lat bounding box of Belgium


def lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def as_text(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell.lstrip("'").startswith(DANGEROUS) else cell


def export(state, key, now=NOW, **kw) -> bytes:
    return export_file(state, grid(), key, now_ms=now, **kw).data


# --- iCalendar: the icalendar package ------------------------------------------------------------

def parse_ics(data: bytes):
    cal = icalendar.Calendar.from_ical(data)
    assert cal.errors == []
    found = {}
    for event in cal.walk("VEVENT"):
        assert event.errors == [], event.errors
        found[str(event["UID"])] = event
    return cal, found


def test_icalendar_reads_every_atelier_with_its_times_text_and_status():
    state, ids = sample()
    cal, found = parse_ics(export(state, "ics"))
    assert str(cal["VERSION"]) == "2.0"
    assert set(found) == {f"{a}@cellules-fwb" for a in state.ateliers}
    for atelier in state.ateliers.values():
        event = found[f"{atelier.id}@cellules-fwb"]
        start = event.decoded("DTSTART")
        assert start.tzinfo is not None and start.utcoffset().total_seconds() == 0
        assert int(start.timestamp() * 1000) == parse_rfc3339(atelier.starts_at)
        if atelier.ends_at:
            assert int(event.decoded("DTEND").timestamp() * 1000) == parse_rfc3339(atelier.ends_at)
        else:
            assert "DTEND" not in event
        assert str(event["SUMMARY"]) == atelier.title
        cellule = state.cellules[atelier.cellule_id]
        expected = "CONFIRMED" if atelier.live and cellule.live else "CANCELLED"
        assert str(event["STATUS"]) == expected
        assert isinstance(int(event["SEQUENCE"]), int)
    assert str(found[f"{ids['annule']}@cellules-fwb"]["STATUS"]) == "CANCELLED"
    ete = found[f"{ids['ete']}@cellules-fwb"]
    assert str(ete["LOCATION"]) == "Maison de quartier, rue Longue 3"
    assert str(found[f"{ids['hiver']}@cellules-fwb"]["LOCATION"]) == grid().nodes[BIHAIN].label


def test_icalendar_hostile_text_unfolds_and_unescapes_to_the_original():
    state, ids = sample()
    _, found = parse_ics(export(state, "ics"))
    for _cid, aid, line, multi in ids["hostile"]:
        event = found[f"{aid}@cellules-fwb"]
        assert str(event["SUMMARY"]) == line
        assert str(event["LOCATION"]) == line
        original = multi.replace("\r\n", "\n").replace("\r", "\n")
        assert str(event["DESCRIPTION"]).startswith(original + "\n\nCellule : ")


def test_icalendar_uid_stable_across_exports_and_sequence_follows_edits():
    state, ids = sample()
    _, first = parse_ics(export(state, "ics"))
    edited, _ = actions.edit(state, "atelier", ids["hiver"], {"startsAt": "2026-02-14T13:00:00Z"}, now_ms=NOW)
    _, second = parse_ics(export(edited, "ics", now=NOW + 3_600_000))
    assert first.keys() == second.keys()
    uid = f"{ids['hiver']}@cellules-fwb"
    assert int(second[uid]["SEQUENCE"]) > int(first[uid]["SEQUENCE"])
    assert second[uid].decoded("DTSTART") == datetime(2026, 2, 14, 13, tzinfo=UTC)
    assert second[uid].decoded("LAST-MODIFIED") > first[uid].decoded("LAST-MODIFIED")
    unchanged = f"{ids['ete']}@cellules-fwb"
    assert int(second[unchanged]["SEQUENCE"]) == int(first[unchanged]["SEQUENCE"])


# --- GeoJSON: shapely and RFC 7946's rules -------------------------------------------------------

def test_shapely_reads_every_geometry_inside_belgium_in_lon_lat_order():
    state, ids = sample()
    doc = json.loads(export(state, "geojson"))
    assert doc["type"] == "FeatureCollection" and "crs" not in doc  # RFC 7946 §4: no crs member
    assert len(doc["features"]) == len(state.live_cellules())
    for feature in doc["features"]:
        assert set(feature) == {"type", "id", "geometry", "properties"}
        geometry = shape(feature["geometry"])
        assert geometry.geom_type == "Point" and geometry.is_valid
        assert BELGIUM.contains(geometry), feature["geometry"]  # swapped lat/lon would land in Somalia
        assert shapely.get_num_coordinates(geometry) == 1
    velo = next(f for f in doc["features"] if f["id"] == ids["velo"])
    node = grid().nodes[BIHAIN]
    assert shape(velo["geometry"]).distance(shape({"type": "Point", "coordinates": [node.lon, node.lat]})) < 1e-5


def test_geojson_hostile_text_round_trips():
    state, ids = sample()
    features = {f["id"]: f["properties"] for f in json.loads(export(state, "geojson"))["features"]}
    for cid, _aid, line, multi in ids["hostile"]:
        assert (features[cid]["name"], features[cid]["contact"], features[cid]["description"]) == (line, line, multi)


# --- CSV: LibreOffice Calc -----------------------------------------------------------------------

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def soffice() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        pytest.fail("LibreOffice is missing: `make test` installs it (apt-get install libreoffice-calc-nogui)")
    return path


def calc_cells(tmp_path, name: str, data: bytes) -> list[list[tuple[str, str]]]:
    """CSV -> LibreOffice Calc -> xlsx -> rows of (cell type, value). The filter options are the
    import dialog's for this file: `;` separator, `"` quote, UTF-8 (the BOM), from line 1."""
    src = tmp_path / name
    src.write_bytes(data)
    out = tmp_path / "xlsx"
    profile = (tmp_path / "lo-profile").as_uri()
    done = subprocess.run([soffice(), f"-env:UserInstallation={profile}", "--headless", "--norestore",
                           "--infilter=CSV:59,34,76,1", "--convert-to", "xlsx", "--outdir", str(out), str(src)],
                          capture_output=True, text=True, timeout=180, env={**os.environ, "HOME": str(tmp_path)})
    xlsx = out / (src.stem + ".xlsx")
    assert xlsx.exists(), done.stdout + done.stderr
    with zipfile.ZipFile(xlsx) as zf:
        shared = [("".join(t.text or "" for t in si.iter(f"{MAIN}t")))
                  for si in ElementTree.fromstring(zf.read("xl/sharedStrings.xml")).iter(f"{MAIN}si")]
        sheet = ElementTree.fromstring(zf.read("xl/worksheets/sheet1.xml"))
    assert sheet.find(f".//{MAIN}f") is None, "a cell became a formula"
    rows = []
    for row in sheet.iter(f"{MAIN}row"):
        cells: list[tuple[str, str]] = []
        for c in row.iter(f"{MAIN}c"):  # empty cells are left out of the file: place cells by reference
            column = 0
            for letter in c.get("r").rstrip("0123456789"):
                column = column * 26 + ord(letter) - 64
            cells += [("", "")] * (column - 1 - len(cells))
            kind, v = c.get("t", "n"), c.find(f"{MAIN}v")
            value = "" if v is None else v.text
            cells.append((kind, shared[int(value)] if kind == "s" else value))
        rows.append(cells)
    return rows


def serial(iso: str) -> float:
    """The spreadsheet serial number of an instant's Brussels wall-clock time."""
    delta = local(parse_rfc3339(iso)) - datetime(1899, 12, 30)
    return delta.days + delta.seconds / 86400


@pytest.mark.slow
def test_libreoffice_reads_the_csv_cells_as_text_numbers_and_dates(tmp_path):
    state, ids = sample()
    rows = calc_cells(tmp_path, "cellules.csv", export(state, "csv-cellules"))
    header = [v for _, v in rows[0]]
    assert header[:4] == ["Nom", "Commune", "Localité", "Code postal"]
    by_id = {r[header.index("Identifiant")][1]: dict(zip(header, r, strict=False)) for r in rows[1:]}
    assert set(by_id) == {c.id for c in state.live_cellules()}
    velo = by_id[ids["velo"]]
    assert velo["Description"] == ("s", "Réparations\nle samedi")  # the line break stays in its cell
    assert velo["Ateliers"] == ("n", "2")
    kind, value = velo["Créée le (heure belge)"]
    assert kind == "n" and abs(float(value) - serial(state.cellules[ids["velo"]].created_at)) < 1e-6
    for cid, _aid, line, multi in ids["hostile"]:
        for column, original in (("Nom", line), ("Contact", line), ("Description", multi)):
            kind, value = by_id[cid][column]  # Calc keeps one kind of line break: \n
            assert kind == "s" and value == lf(neutralise(original)), column
            assert not value.startswith(DANGEROUS)


@pytest.mark.slow
def test_libreoffice_reads_the_ateliers_csv(tmp_path):
    state, ids = sample()
    rows = calc_cells(tmp_path, "ateliers.csv", export(state, "csv-ateliers"))
    header = [v for _, v in rows[0]]
    by_id = {r[header.index("Identifiant")][1]: dict(zip(header, r, strict=False)) for r in rows[1:]}
    assert set(by_id) == {a.id for a in state.live_ateliers()}
    ete = by_id[ids["ete"]]
    assert ete["Titre"] == ("s", "Atelier d’été")
    assert abs(float(ete["Début (heure belge)"][1]) - serial("2026-07-04T08:00:00Z")) < 1e-6
    assert ete["Lieu"] == ("s", "Maison de quartier, rue Longue 3")
    for _cid, aid, line, _multi in ids["hostile"]:
        assert as_text(by_id[aid]["Titre"][1]) == line


def test_zip_opens_with_pythons_zipfile_and_the_csv_module(tmp_path):
    import csv

    state, _ = sample()
    with zipfile.ZipFile(io.BytesIO(export(state, "csv-zip"))) as zf:
        for name in ("cellules.csv", "ateliers.csv"):
            with zf.open(name) as f:
                rows = list(csv.reader(io.TextIOWrapper(f, encoding="utf-8-sig", newline=""), delimiter=";"))
            assert len(rows) > 1 and len({len(r) for r in rows}) == 1
