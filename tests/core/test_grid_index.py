"""Grid index over the committed data/fwb_grid.json and data/fwb_map.json: search
(accent-insensitive, the commune's own centre), node names, geometry, label placement."""

import json
import re
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.grid import Grid, fold
from app.core.grid_map import Label, MapData, count_labels, level_scale, overlaps, place_labels

GRID_FILE = Path(__file__).resolve().parents[2] / "data" / "fwb_grid.json"
MAP_FILE = GRID_FILE.with_name("fwb_map.json")
H3_CODE = re.compile(r"\b8[0-9a-f]{14}\b")


@cache
def grid() -> Grid:
    return Grid.from_json(json.loads(GRID_FILE.read_text("utf-8")))


@cache
def mapdata() -> MapData:
    return MapData.from_json(json.loads(MAP_FILE.read_text("utf-8")), grid())


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


@pytest.mark.parametrize(("query", "commune"), [("liege", "Liège"), ("4000", "Liège"), ("mons", "Mons"),
                                                ("7000", "Mons"), ("ixelles", "Ixelles"), ("1050", "Ixelles"),
                                                ("Namur", "Namur"), ("LA LOUVIERE", "La Louvière")])
def test_a_commune_or_its_postal_code_selects_the_node_of_its_namesake_locality(query, commune):
    hit = grid().search(query)[0]
    node = grid().nodes[hit.node_id]
    assert node.commune.name_fr == commune
    assert node.locality == commune and node.label == commune  # « Liège », not « Bressoux — Liège »
    assert hit.node_id == node.commune.centre and hit.node_id in hit.node_ids


def test_a_postal_code_shared_by_two_communes_lists_both_its_own_commune_first():
    hits = grid().search("1050")
    assert [(h.kind, h.commune.name_fr) for h in hits[:2]] == [("postcode", "Ixelles"), ("postcode", "Bruxelles")]


def test_results_name_communes_localities_and_postal_codes_as_such():
    kinds = {h.kind for h in grid().search("namur")}
    assert "commune" in kinds
    assert grid().search("5100")[0].kind == "postcode"
    jambes = [h for h in grid().search("jambes") if h.kind == "locality"]
    assert jambes and jambes[0].label == "Jambes — Namur" and jambes[0].commune.name_fr == "Namur"
    assert all(grid().nodes[n].locality == "Jambes" for n in jambes[0].node_ids)


def test_every_commune_search_selects_one_of_its_own_nodes():
    for commune in grid().communes:
        hit = next(h for h in grid().search(commune.name_fr) if h.kind == "commune" and h.commune == commune)
        assert grid().nodes[hit.node_id].commune == commune


def test_node_names_are_place_names_never_h3_codes():
    for node in grid().nodes.values():
        assert not H3_CODE.search(node.label)
        if fold(node.locality) != fold(node.commune.name_fr):
            assert node.label == f"{node.locality} — {node.commune.name_fr}"


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


def test_map_data_gives_every_commune_a_label_and_three_border_layers():
    m = mapdata()
    assert len(m.commune_labels) == len(grid().communes) == 271
    assert {label.key for label in m.commune_labels} == {c.nis for c in grid().communes}
    assert all(m.commune_arcs[c.nis] for c in grid().communes)
    assert all(re.fullmatch(r"(M-?\d+ -?\d+l[-\d ]*)+", tile.path) for tile in m.tiles)
    assert sum(tile.path.count("M") for tile in m.tiles) == m.arc_count
    assert sum(tile.coarse.count("M") for tile in m.tiles) == m.arc_count
    assert sum(len(t.coarse) for t in m.tiles) < sum(len(t.path) for t in m.tiles) / 2
    assert {tile.kind for tile in m.tiles} == {0, 1, 2}
    # Every arc lies in the box of its tile (what the browser uses to skip tiles out of view).
    for tile in m.tiles:
        start = re.match(r"M(-?\d+) (-?\d+)", tile.path)
        x, y = int(start[1]) / 1e4, int(start[2]) / 1e4
        assert tile.box[0] <= x <= tile.box[2] and tile.box[1] <= y <= tile.box[3]
    assert 10 < len(m.tiles) < 400


def test_whole_map_placement_keeps_the_big_towns_and_no_overlap():
    m = mapdata()
    width = lambda text, kind: 7.0 * len(text)  # noqa: E731 - the browser measures with its font
    placed = place_labels([*m.commune_labels, *m.locality_labels], 500.0, width)
    names = {p.label.text for p in placed}
    assert {"Bruxelles", "Charleroi", "Liège", "Namur", "Mons"} <= names
    assert all(p.label.kind == "commune" for p in placed)  # no locality over the whole FWB
    zoomed = place_labels([*m.commune_labels, *m.locality_labels], 8000.0, width)
    assert any(p.label.kind == "locality" for p in zoomed) and len(zoomed) > len(placed)


def test_cellule_counts_show_once_a_hexagon_is_big_enough():
    node = grid().nodes[grid().communes[0].centre]
    (label,) = count_labels(grid(), {node.id: 3, "not-a-node": 2})
    assert label.text == "3" and label.kind == "count"
    width = lambda text, kind: 8.0  # noqa: E731
    assert place_labels([label], label.min_scale / 2, width) == []
    assert [p.label for p in place_labels([label], label.min_scale, width)] == [label]


labels = st.builds(Label, text=st.text(alphabet="abcdé -", min_size=1, max_size=12),
                   kind=st.sampled_from(["count", "commune", "locality"]),
                   x=st.floats(-1, 1), y=st.floats(-1, 1), min_scale=st.sampled_from([0.0, 300.0, 5000.0]))


@given(st.lists(labels, max_size=60), st.floats(50, 20000))
def test_placement_is_greedy_without_overlap(cands, scale):
    """Law: kept boxes are pairwise disjoint; every candidate shown at this scale and left out
    overlaps a box kept before it; placing the kept ones again keeps them all."""
    width = lambda text, kind: 6.5 * len(text)  # noqa: E731
    placed = place_labels(cands, scale, width)
    for i, a in enumerate(placed):
        for b in placed[i + 1:]:
            assert not overlaps(a.box, b.box)
    kept = [p.label for p in placed]
    for label in cands:
        if label.min_scale <= scale and label not in kept:
            box = place_labels([label], scale, width)[0].box
            assert any(overlaps(box, p.box) for p in placed)
    assert [p.label for p in place_labels(kept, scale, width)] == kept


@given(st.floats(1, 1e6))
def test_level_scale_is_at_most_the_scale_and_close_to_it(scale):
    level = level_scale(scale)
    assert level <= scale * (1 + 1e-9) and level > scale / 2 ** 0.25 * (1 - 1e-9)
