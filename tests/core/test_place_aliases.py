"""Place search by other names (data/place_aliases.json, copied into data/fwb_grid.json by the build):
short names (« LLN »), well-known quarters (« Salzinnes »), word abbreviations (« St-Gilles »)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from app.core.grid import COS_LAT, Grid, fold

DATA = Path(__file__).resolve().parents[2] / "data"
ALIASES = json.loads((DATA / "place_aliases.json").read_text("utf-8"))


@cache
def grid_json() -> dict:
    return json.loads((DATA / "fwb_grid.json").read_text("utf-8"))


@cache
def grid() -> Grid:
    return Grid.from_json(grid_json())


def test_the_grid_file_carries_the_alias_table_as_checked_in():
    assert grid_json()["aliases"] == ALIASES
    assert ALIASES["source"]


@pytest.mark.parametrize(("alias", "target"), ALIASES["names"])
def test_every_other_name_finds_its_place_first(alias, target):
    first = grid().search(alias)[0]
    assert first.label == target and first.kind in ("commune", "locality")


@pytest.mark.parametrize(("name", "commune", "lat", "lon"), ALIASES["quarters"])
def test_every_quarter_is_a_hit_of_its_own_in_its_commune(name, commune, lat, lon):
    first = grid().search(name)[0]
    assert (first.kind, first.label, first.commune.name_fr) == ("quarter", name, commune)
    node = grid().nodes[first.node_id]
    assert node.commune.name_fr == commune
    # the quarter's point lies in its commune: the nearest node of the whole grid is one of the commune's
    assert grid().nearest(lon * COS_LAT, -lat).commune.name_fr == commune, name


def test_common_short_names_quarters_and_abbreviations():
    assert grid().search("LLN")[0].label == "Louvain-la-Neuve — Ottignies-Louvain-la-Neuve"
    assert grid().search("lln")[0].node_id == grid().search("Louvain-la-Neuve")[0].node_id
    salzinnes = grid().search("salz")[0]
    assert (salzinnes.kind, salzinnes.label, salzinnes.commune.name_fr) == ("quarter", "Salzinnes", "Namur")
    assert grid().search("St-Gilles")[0].label == "Saint-Gilles"
    assert grid().search("ste walburge")[0].label == "Sainte-Walburge"
    assert grid().search("xyzzy") == []


def test_aliases_do_not_change_what_a_commune_search_selects():
    for query, label in (("namur", "Namur"), ("liege", "Liège"), ("1050", "1050 Ixelles"),
                         ("jambes", "Jambes — Namur")):
        assert grid().search(query)[0].label == label
    keys = {fold(a) for a, _ in ALIASES["names"]} | {fold(q[0]) for q in ALIASES["quarters"]}
    assert len(keys) == len(ALIASES["names"]) + len(ALIASES["quarters"])  # no name twice
