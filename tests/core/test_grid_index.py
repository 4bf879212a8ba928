"""Grid index over the committed data/fwb_grid.json: search (accent-insensitive), lookup, geometry."""

import json
import re
from functools import cache
from pathlib import Path

from app.core.grid import Grid, fold

GRID_FILE = Path(__file__).resolve().parents[2] / "data" / "fwb_grid.json"


@cache
def grid() -> Grid:
    return Grid.from_json(json.loads(GRID_FILE.read_text("utf-8")))


def test_fold_ignores_accents_case_and_punctuation():
    assert fold("Liège") == fold("LIEGE") == "liege"
    assert fold("Saint-Gilles") == "saint gilles"


def test_liege_without_accent_finds_the_commune_of_liege():
    hits = grid().search("liege")
    commune = next(h for h in hits if h.kind == "commune")
    assert commune.label == "Liège"
    assert all(grid().nodes[n].commune.name_fr == "Liège" for n in commune.node_ids)


def test_postal_code_finds_its_commune():
    hits = grid().search("5000")
    assert hits[0].kind == "postcode" and hits[0].label == "5000 Namur"
    assert {grid().nodes[n].commune.name_fr for n in hits[0].node_ids} == {"Namur"}


def test_locality_search_and_dutch_names():
    assert any(h.kind == "locality" and h.label.startswith("Jambes") for h in grid().search("jambes"))
    assert any(h.label == "Bruxelles" for h in grid().search("Brussel"))


def test_every_node_has_a_label_and_the_nearest_node_is_itself():
    g = grid()
    node = next(iter(g.nodes.values()))
    assert g.nearest(*node.world) is node
    assert all(n.label for n in g.nodes.values())


def test_svg_path_draws_one_closed_hexagon_per_node():
    g = grid()
    ids = list(g.nodes)[:3]
    path = g.svg_path(ids)
    assert path.count("M") == 3 and path.count("Z") == 3 and path.count("L") == 15
    assert re.fullmatch(r"(M[-\d. L]+Z)+", path)
