"""Open formats: one postal code per cellule (the commune's main one), file names that say each word
once, in the user's language; a group's name in a provenance told apart from a namesake's."""

from __future__ import annotations

import csv
import io
import json

from format_samples import NOW, grid
from strategies import T0, rand

from app.core import actions, document, merge
from app.core.formats import FORMATS, export_file

JAMBES = "871fa0d91ffffff"  # a node of the locality Jambes, commune of Namur (eleven postal codes)


def namur_state(name: str = "Asso Nord"):
    state = actions.new_state(name=name, random_bytes=rand("n"))
    state, _ = actions.create_cellule(state, {"name": "Voisins de Jambes", "nodeId": JAMBES}, now_ms=T0,
                                      random_bytes=rand("n1"))
    return state


def rows(state, key: str, lang: str = "fr") -> list[dict]:
    data = export_file(state, grid(), key, now_ms=NOW, lang=lang).data.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(data), delimiter=";"))


def test_the_postcode_column_holds_the_communes_main_code_not_all_eleven():
    state = namur_state()
    assert len(grid().nodes[JAMBES].commune.postcodes) == 11
    [row] = rows(state, "csv-cellules")
    assert (row["Commune"], row["Localité"], row["Code postal"]) == ("Namur", "Jambes", "5000")
    cellule = state.live_cellules()[0]
    state, _ = actions.create_atelier(state, {"celluleId": cellule.id, "title": "Soupe",
                                              "startsAt": "2026-03-01T10:00:00Z"}, now_ms=T0 + 1,
                                      random_bytes=rand("n2"))
    [row] = rows(state, "csv-ateliers")
    assert row["Code postal"] == "5000"
    [row] = rows(state, "csv-cellules", lang="en")
    assert row["Postal code"] == "5000"
    feature = json.loads(export_file(state, grid(), "geojson", now_ms=NOW).data)["features"][0]
    assert feature["properties"]["code_postal"] == "5000"


def test_file_names_say_each_word_once_group_first_in_the_users_language():
    state = namur_state()
    french = {key: export_file(state, grid(), key, now_ms=NOW).name for key in FORMATS}
    assert french == {"csv-cellules": "Asso-Nord-2026-01-29-cellules.csv",
                      "csv-ateliers": "Asso-Nord-2026-01-29-ateliers.csv",
                      "csv-zip": "Asso-Nord-2026-01-29-tableur.zip",
                      "geojson": "Asso-Nord-2026-01-29-carte.geojson",
                      "ics": "Asso-Nord-2026-01-29-agenda.ics"}
    english = {key: export_file(state, grid(), key, now_ms=NOW, lang="en").name for key in FORMATS}
    assert english == {"csv-cellules": "Asso-Nord-2026-01-29-cellules.csv",
                       "csv-ateliers": "Asso-Nord-2026-01-29-workshops.csv",
                       "csv-zip": "Asso-Nord-2026-01-29-spreadsheet.zip",
                       "geojson": "Asso-Nord-2026-01-29-map.geojson",
                       "ics": "Asso-Nord-2026-01-29-calendar.ics"}
    cellule = state.live_cellules()[0]
    assert export_file(state, grid(), "ics", now_ms=NOW, cellule_id=cellule.id).name == \
        "Asso-Nord-2026-01-29-agenda-Voisins-de-Jambes.ics"
    unnamed = namur_state("???")
    assert export_file(unnamed, grid(), "csv-cellules", now_ms=NOW).name == "groupe-2026-01-29-cellules.csv"
    assert export_file(unnamed, grid(), "csv-cellules", now_ms=NOW, lang="en").name == "group-2026-01-29-cellules.csv"


def test_the_provenance_of_a_namesakes_cellule_carries_its_number():
    carla = actions.new_state(name="Carla", random_bytes=rand("c"))
    peers = []
    for seed in ("a1", "a2"):
        peer = actions.new_state(name="Alice", random_bytes=rand(seed))
        peer, _ = actions.create_cellule(peer, {"name": f"Cellule {seed}", "nodeId": JAMBES}, now_ms=T0,
                                         random_bytes=rand(seed + "x"))
        peers.append(peer)
        carla, _ = merge.import_text(carla, document.dumps(document.to_document(peer, now_ms=T0 + 1)),
                                     now_ms=T0 + 2)
    second = max(peers, key=lambda p: p.instance_id)
    provenance = {r["Nom"]: r["Provenance"] for r in rows(carla, "csv-cellules")}
    assert provenance[second.live_cellules()[0].name] == "FÉDÉRÉ : par Alice (2)"
    first = min(peers, key=lambda p: p.instance_id)
    assert provenance[first.live_cellules()[0].name] == "FÉDÉRÉ : par Alice"
