"""Open formats, pure core: CSV, GeoJSON, iCalendar and the print sheet, read back by
consumers that run here and in Pyodide (Python's csv, json, zipfile, and an RFC 5545 line reader
written from the RFC). tests/formats/ adds the independent consumers that only run natively
(the `icalendar` package, shapely, LibreOffice)."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import replace

import pytest
from format_samples import BIHAIN, NOW, PECQ, grid, sample
from hypothesis import example, given
from hypothesis import strategies as st
from strategies import T0, rand, states

from app.core import actions
from app.core.brussels import local_text
from app.core.formats import FORMATS, csv_export, export_file, geojson, ics, printing

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


# --- readers -------------------------------------------------------------------------------------

def read_csv(data: bytes) -> list[dict[str, str]]:
    """What a spreadsheet does on double-click: BOM -> UTF-8, `;` separator, quoted fields."""
    assert data.startswith(b"\xef\xbb\xbf"), "no UTF-8 byte order mark"
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def as_text(cell: str) -> str:
    """The user's text back from a neutralised cell: one apostrophe off a run of leading apostrophes
    that ends on a formula sign (the escape escapes itself, so `'=` typed by a user reads back)."""
    return cell[1:] if cell.startswith("'") and cell.lstrip("'").startswith(DANGEROUS) else cell


def unfold(text: str) -> list[str]:
    assert text.endswith("\r\n")
    physical = text.split("\r\n")[:-1]
    assert not any("\n" in line or "\r" in line for line in physical), "bare CR or LF"
    for line in physical:
        assert len(line.encode("utf-8")) <= 75, line
    logical: list[str] = []
    for line in physical:
        if line.startswith(" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return logical


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def events(text: str) -> dict[str, dict[str, str]]:
    """UID -> {property name: raw value} of each VEVENT (a small RFC 5545 reader)."""
    out, current = {}, None
    for line in unfold(text):
        name, _, value = line.partition(":")
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            out[current["UID"]] = current
            current = None
        elif current is not None:
            assert name not in current, f"{name} twice"
            current[name] = value
    return out


def export(state, key, now=NOW, **kw):
    return export_file(state, grid(), key, now_ms=now, **kw).data


# --- CSV -----------------------------------------------------------------------------------------

def test_csv_cellules_live_only_french_columns_places_local_dates():
    state, ids = sample()
    rows = read_csv(export(state, "csv-cellules"))
    assert list(rows[0]) == ["Nom", "Commune", "Localité", "Code postal", "Contact", "Description", "Ateliers",
                             "Provenance", "Créée le (heure belge)", "Modifié le (heure belge)",
                             "Code du lieu sur la grille", "Identifiant"]
    by_id = {r["Identifiant"]: r for r in rows}
    assert ids["gone"] not in by_id and len(rows) == len(state.live_cellules())
    velo = by_id[ids["velo"]]
    node = grid().nodes[BIHAIN]
    assert (velo["Commune"], velo["Localité"], velo["Code postal"]) == (node.commune.name_fr, node.locality,
                                                                         min(node.commune.postcodes))
    assert velo["Description"] == "Réparations\nle samedi"  # the line break stays inside the cell
    assert velo["Ateliers"] == "2"  # the deleted atelier is not counted
    assert velo["Provenance"] == "ce groupe (Asso « Nord » ; test)"
    assert velo["Créée le (heure belge)"] == "2026-01-28 11:00"  # 10:00 UTC in winter
    assert by_id[ids["bob"]]["Provenance"] == "FÉDÉRÉ : par Bob"


def test_csv_ateliers_live_only_with_summer_and_winter_time():
    state, ids = sample()
    rows = {r["Identifiant"]: r for r in read_csv(export(state, "csv-ateliers"))}
    assert ids["annule"] not in rows and ids["orphaned"] not in rows
    assert (rows[ids["ete"]]["Début (heure belge)"], rows[ids["ete"]]["Fin (heure belge)"]) == (
        "2026-07-04 10:00", "2026-07-04 12:30")  # UTC+2
    assert rows[ids["hiver"]]["Début (heure belge)"] == "2026-02-07 14:00"  # UTC+1
    assert rows[ids["hiver"]]["Fin (heure belge)"] == ""
    assert rows[ids["ete"]]["Cellule"] == "Cellule Vélo"
    assert rows[ids["ete"]]["Lieu"] == "Maison de quartier, rue Longue 3"


def test_csv_every_field_is_quoted_and_records_end_with_crlf():
    state, _ = sample()
    text = export(state, "csv-cellules").decode("utf-8-sig")
    assert text.endswith('"\r\n')
    header = text.split("\r\n")[0]
    assert header.startswith('"Nom";"Commune";') and header.count('"') == 2 * len(csv_export.CELLULE_COLUMNS)


def test_csv_hostile_text_is_never_a_formula_and_reads_back_as_text():
    state, ids = sample()
    cellules = {r["Identifiant"]: r for r in read_csv(export(state, "csv-cellules"))}
    ateliers = {r["Identifiant"]: r for r in read_csv(export(state, "csv-ateliers"))}
    seen_neutralised = 0
    for cid, aid, line, multi in ids["hostile"]:
        for cell, original in ((cellules[cid]["Nom"], line), (cellules[cid]["Contact"], line),
                               (cellules[cid]["Description"], multi), (ateliers[aid]["Titre"], line),
                               (ateliers[aid]["Lieu"], line), (ateliers[aid]["Description"], multi)):
            assert not cell.startswith(DANGEROUS), cell
            assert as_text(cell) == original
            seen_neutralised += cell != original
    assert seen_neutralised >= 10  # the hostile set really exercised the neutralisation


@given(st.text(max_size=30) | st.builds(lambda n, rest: "'" * n + rest, st.integers(1, 3),
                                         st.sampled_from(DANGEROUS + ("", "x", "'s"))))
@example("'=")
@example("''+1")
@example("'s Gravenvoeren")
@example("=1+1")
def test_neutralise_law(text):
    """Never a formula; the user's text reads back; only what starts with a formula sign, after any
    leading apostrophes, gets its one added apostrophe."""
    cell = csv_export.neutralise(text)
    assert not cell.startswith(DANGEROUS)
    assert as_text(cell) == text
    assert (cell == text) == (not text.lstrip("'").startswith(DANGEROUS))


def test_csv_zip_holds_both_tables_and_is_reproducible():
    state, _ = sample()
    data = export(state, "csv-zip")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.namelist() == ["cellules.csv", "ateliers.csv"]
        assert zf.read("cellules.csv") == export(state, "csv-cellules")
        assert zf.read("ateliers.csv") == export(state, "csv-ateliers")
    assert export(state, "csv-zip", now=NOW + 999_999) == data


@given(states())
def test_csv_has_one_row_per_live_record(state):
    assert len(read_csv(export(state, "csv-cellules"))) == len(state.live_cellules())
    assert len(read_csv(export(state, "csv-ateliers"))) == len(state.live_ateliers())


# --- GeoJSON -------------------------------------------------------------------------------------

def test_geojson_points_in_lon_lat_order_inside_belgium():
    state, ids = sample()
    doc = json.loads(export(state, "geojson").decode("utf-8"))
    assert doc["type"] == "FeatureCollection"
    features = {f["id"]: f for f in doc["features"]}
    assert set(features) == {c.id for c in state.live_cellules()}
    for f in doc["features"]:
        assert f["type"] == "Feature" and f["geometry"]["type"] == "Point"
        lon, lat = f["geometry"]["coordinates"]
        assert 2.5 < lon < 6.5 and 49.4 < lat < 51.6  # Belgium: longitude first (RFC 7946 §3.1.1)
    node = grid().nodes[BIHAIN]
    velo = features[ids["velo"]]
    assert velo["geometry"]["coordinates"] == [round(node.lon, 5), round(node.lat, 5)]
    p = velo["properties"]
    assert (p["name"], p["description"], p["contact"], p["commune"], p["ateliers"]) == (
        "Cellule Vélo", "Réparations\nle samedi", "velo@example.be", "Vielsalm", 2)
    assert features[ids["bob"]]["properties"]["provenance"] == "FÉDÉRÉ : par Bob"
    assert features[ids["bob"]]["properties"]["federe"] is True


def test_geojson_hostile_text_round_trips_and_is_utf8():
    state, ids = sample()
    data = export(state, "geojson")
    data.decode("utf-8", "strict")
    features = {f["id"]: f["properties"] for f in json.loads(data)["features"]}
    for cid, _aid, line, multi in ids["hostile"]:
        assert (features[cid]["name"], features[cid]["contact"], features[cid]["description"]) == (line, line, multi)


def test_geojson_unknown_node_has_null_geometry():
    state, ids = sample()
    without_grid = json.loads(geojson.geojson_text(state, None, now_ms=NOW))
    assert all(f["geometry"] is None for f in without_grid["features"])
    assert {f["id"] for f in without_grid["features"]} == {c.id for c in state.live_cellules()}


# --- iCalendar -----------------------------------------------------------------------------------

def test_ics_calendar_shape_crlf_and_75_octet_lines():
    state, _ = sample()
    text = export(state, "ics").decode("utf-8")
    lines = unfold(text)
    assert lines[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"] and lines[-1] == "END:VCALENDAR"
    assert any(line.startswith("PRODID:") for line in lines)
    assert max(len(x.encode()) for x in text.split("\r\n")) == 75  # long lines were folded, to the limit


def test_ics_events_times_uid_location_status():
    state, ids = sample()
    ev = events(export(state, "ics").decode("utf-8"))
    ete = ev[f"{ids['ete']}@cellules-fwb"]
    assert (ete["DTSTART"], ete["DTEND"]) == ("20260704T080000Z", "20260704T103000Z")
    assert unescape(ete["LOCATION"]) == "Maison de quartier, rue Longue 3"
    assert ete["STATUS"] == "CONFIRMED"
    assert unescape(ete["DESCRIPTION"]) == "Cellule : Cellule Vélo\nContact : velo@example.be"
    hiver = ev[f"{ids['hiver']}@cellules-fwb"]
    assert "DTEND" not in hiver  # no invented end
    assert unescape(hiver["LOCATION"]) == grid().nodes[BIHAIN].label  # the cellule's place
    assert ev[f"{ids['annule']}@cellules-fwb"]["STATUS"] == "CANCELLED"
    assert ev[f"{ids['orphaned']}@cellules-fwb"]["STATUS"] == "CANCELLED"  # its cellule was deleted
    assert len(ev) == len(state.ateliers)


def test_ics_uid_stable_and_sequence_grows_with_the_record_clock():
    state, ids = sample()
    first = events(export(state, "ics").decode())
    again = events(export(state, "ics", now=NOW + 86_400_000).decode())
    assert first.keys() == again.keys()
    for uid, event in first.items():
        assert {k: v for k, v in event.items() if k != "DTSTAMP"} == {
            k: v for k, v in again[uid].items() if k != "DTSTAMP"}
    edited, _ = actions.edit(state, "atelier", ids["ete"], {"title": "Atelier d’été (déplacé)"}, now_ms=NOW)
    after = events(export(edited, "ics", now=NOW + 1000).decode())
    uid = f"{ids['ete']}@cellules-fwb"
    assert int(after[uid]["SEQUENCE"]) > int(first[uid]["SEQUENCE"])
    assert after[uid]["LAST-MODIFIED"] == "20260129T134640Z" > first[uid]["LAST-MODIFIED"]
    deleted = actions.delete(edited, "atelier", ids["ete"], now_ms=NOW + 5000)
    gone = events(export(deleted, "ics", now=NOW + 6000).decode())
    assert gone[uid]["STATUS"] == "CANCELLED" and int(gone[uid]["SEQUENCE"]) > int(after[uid]["SEQUENCE"])


def test_ics_one_cellule():
    state, ids = sample()
    file = export_file(state, grid(), "ics", now_ms=NOW, cellule_id=ids["velo"])
    ev = events(file.data.decode())
    assert {u.split("@")[0] for u in ev} == {ids["ete"], ids["hiver"], ids["annule"]}
    assert file.name.endswith("-agenda-Cellule-V\u00e9lo.ics")
    from app.core.errors import CellulesError

    with pytest.raises(CellulesError):
        export_file(state, grid(), "ics", now_ms=NOW, cellule_id=ids["gone"])


def test_ics_hostile_text_round_trips():
    state, ids = sample()
    ev = events(export(state, "ics").decode("utf-8"))
    for _cid, aid, line, multi in ids["hostile"]:
        event = ev[f"{aid}@cellules-fwb"]
        assert unescape(event["SUMMARY"]) == line
        assert unescape(event["LOCATION"]) == line
        description = unescape(event["DESCRIPTION"])
        original = multi.replace("\r\n", "\n").replace("\r", "\n")  # iCalendar has one kind of line break
        assert description.startswith(original + "\n\nCellule : ")


@given(st.text(max_size=200))
def test_fold_law(text):
    line = "DESCRIPTION:" + ics.escape_text(text)
    folded = ics.fold(line)
    physical = folded.split("\r\n")
    assert all(len(p.encode("utf-8", "replace")) <= 75 for p in physical)
    assert all(p.startswith(" ") for p in physical[1:])
    assert "".join([physical[0], *(p[1:] for p in physical[1:])]) == line
    unescaped = unescape(line.removeprefix("DESCRIPTION:"))
    assert unescaped == text.replace("\r\n", "\n").replace("\r", "\n")


def test_fold_never_splits_a_utf8_sequence():
    line = "SUMMARY:" + "é" * 40 + "👩🏽‍🔧" * 20
    for physical in ics.fold(line).split("\r\n"):
        physical.encode("utf-8").decode("utf-8", "strict")
        assert len(physical.encode()) <= 75


# --- names, print --------------------------------------------------------------------------------

def test_every_format_has_a_distinct_clear_file_name():
    state, _ = sample()
    names = {key: export_file(state, grid(), key, now_ms=NOW).name for key in FORMATS}
    assert len(set(names.values())) == len(names)
    assert names["csv-cellules"] == "Asso-Nord-test-2026-01-29-cellules.csv"
    assert names["ics"].endswith("-agenda.ics") and names["geojson"].endswith("-carte.geojson")
    assert names["csv-zip"].endswith("-tableur.zip") and names["csv-ateliers"].endswith("-ateliers.csv")


def test_print_sheet_lists_live_cellules_with_their_ateliers_in_words():
    state, ids = sample()
    sheet = printing.print_sheet(state, grid(), now_ms=NOW)
    assert [c.id for c in sheet.cellules] == [c.id for c in state.live_cellules()]
    velo = next(c for c in sheet.cellules if c.id == ids["velo"])
    assert velo.place == "Bihain — Vielsalm (6690, 6692, 6698)"
    assert [a.when for a in velo.ateliers] == ["samedi 7 février 2026, 14:00", "samedi 4 juillet 2026, 10:00 – 12:30"]
    assert sheet.title == "Cellules et ateliers — Asso « Nord » ; test"
    assert "jeudi 29 janvier 2026, 14:46" in sheet.subtitle
    english = printing.print_sheet(state, grid(), now_ms=NOW, lang="en")
    assert next(c for c in english.cellules if c.id == ids["velo"]).ateliers[0].when == \
        "Saturday 7 February 2026, 14:00"


def test_an_atelier_over_two_days_names_both_days():
    assert printing.span("2026-10-24T20:00:00Z", "2026-10-25T09:00:00Z") == \
        "samedi 24 octobre 2026, 22:00 – dimanche 25 octobre 2026, 10:00"  # summer time ends at night


def test_lone_surrogate_from_a_json_escape_does_not_break_any_export():
    state = actions.new_state(name="A", random_bytes=rand("sur"))
    state, c = actions.create_cellule(state, {"nodeId": PECQ, "name": "x\ud800y"}, now_ms=T0, random_bytes=rand(9))
    state, _ = actions.create_atelier(state, {"celluleId": c.id, "title": "t\udfffu",
                                              "startsAt": "2026-05-01T10:00:00Z"}, now_ms=T0 + 1,
                                      random_bytes=rand(10))
    for key in set(FORMATS) - {"csv-zip"}:
        export(state, key).decode("utf-8", "strict")
    with zipfile.ZipFile(io.BytesIO(export(state, "csv-zip"))) as zipped:  # the two CSV files inside
        for name in zipped.namelist():
            zipped.read(name).decode("utf-8", "strict")
    assert "x?y" in export(state, "csv-cellules").decode("utf-8-sig")
    assert "t?u" in export(state, "ics").decode("utf-8")


def test_local_text_used_by_the_csv_is_brussels_time():
    assert local_text(T0) == "2026-01-28 11:00"


def test_provenance_names_author_and_relays_and_survives_hostile_peer_names():
    from app.core.formats.places import provenance

    state, ids = sample()
    bob_cellule = state.cellules[ids["bob"]]
    relayed = bob_cellule.evolve(via=(bob_cellule.origin, "Cchloe01"))
    named = replace(state, extra={**state.extra, "peerNames": {"Cchloe01": "Chloé"}})
    assert provenance(named, relayed) == "FÉDÉRÉ : par Bob, via Chloé"
    assert provenance(named, relayed, "en") == "FEDERATED: by Bob, via Chloé"
    for hostile in (["not", "a", "dict"], {"Cchloe01": 42}, {"Cchloe01": "  "}, "text"):
        odd = replace(state, extra={**state.extra, "peerNames": hostile})
        assert provenance(odd, relayed) == "FÉDÉRÉ : par Bob, via Cchloe01"  # the id, never a crash
