"""The committed map file: every FWB commune has a border and a label; centre nodes;
reproducible; within its size budget."""

from __future__ import annotations

import gzip
import json
import re
from functools import cache
from pathlib import Path

import h3
import pytest
from shapely import affinity
from shapely.geometry import LineString, Point
from shapely.ops import polygonize, unary_union

from tools import build_grid

DATA = Path(__file__).resolve().parents[2] / "data"


@cache
def grid() -> dict:
    return json.loads((DATA / "fwb_grid.json").read_text("utf-8"))


@cache
def mapdata() -> dict:
    return json.loads((DATA / "fwb_map.json").read_text("utf-8"))


@cache
def polygons() -> dict:
    """2025 commune code -> its polygon in map units (as the builder projects them)."""
    communes_2025, _, _ = build_grid.load_communes_2025()
    geoms, _ = build_grid.map_polygons(communes_2025)
    return {code: affinity.scale(g, build_grid.COS_LAT * build_grid.MAP_UNIT, -build_grid.MAP_UNIT, origin=(0, 0))
            for code, g in geoms.items()}


def decode(path: str) -> list[tuple[int, int]]:
    assert re.fullmatch(r"M-?\d+ -?\d+l(-?\d+ -?\d+ ?)*", path), path[:80]
    nums = [int(n) for n in re.findall(r"-?\d+", path)]
    pts = [(nums[0], nums[1])]
    for dx, dy in zip(nums[2::2], nums[3::2], strict=True):
        pts.append((pts[-1][0] + dx, pts[-1][1] + dy))
    return pts


def test_the_271_fwb_communes_are_listed_in_the_grid_order():
    codes = [row[0] for row in mapdata()["communes"]]
    assert len(codes) == 271 == len(set(codes))
    assert codes == [c["nis"] for c in grid()["communes"]]
    assert set(codes).isdisjoint(build_grid.GERMAN_SPEAKING)


def test_every_commune_has_a_closed_border_that_outlines_its_polygon():
    arcs = mapdata()["arcs"]
    for code, _x, _y, _weight, arc_ids in mapdata()["communes"]:
        assert arc_ids, f"{code} has no border"
        lines = [LineString(decode(arcs[i][5])) for i in arc_ids]
        coarse = unary_union(list(polygonize(unary_union([LineString(decode(arcs[i][6])) for i in arc_ids]))))
        rebuilt = unary_union(list(polygonize(unary_union(lines))))
        ref = polygons()[code]
        iou = rebuilt.intersection(ref).area / rebuilt.union(ref).area
        assert iou > 0.95, (code, iou)
        assert coarse.intersection(ref).area / coarse.union(ref).area > 0.85, code


def test_border_classes_say_what_the_border_separates():
    province = {c["nis"]: c["province"] or c["region"] for c in grid()["communes"]}
    sides: dict[int, list[str]] = {}
    for code, *_rest, arc_ids in mapdata()["communes"]:
        for i in arc_ids:
            sides.setdefault(i, []).append(code)
    classes = {0: 0, 1: 0, 2: 0}
    for i, (kind, x0, y0, x1, y1, path, _coarse) in enumerate(mapdata()["arcs"]):
        xs, ys = zip(*decode(path), strict=True)
        assert (x0, y0, x1, y1) == (min(xs), min(ys), max(xs), max(ys)), i  # the box of its own points
        communes = sides[i]
        classes[kind] += 1
        if kind == 0:
            assert len(communes) == 1
        else:
            assert len(communes) == 2
            assert (province[communes[0]] != province[communes[1]]) == (kind == 1)
    assert min(classes.values()) > 50  # each class is really drawn


def test_every_commune_has_a_label_inside_itself():
    names = {c["nis"]: c["fr"] for c in grid()["communes"]}
    for code, x, y, weight, _arcs in mapdata()["communes"]:
        assert names[code]
        assert polygons()[code].contains(Point(x, y)), code
        assert weight >= 0
    localities = mapdata()["localities"]
    assert len(localities) > 800
    for name, x, y, _population, commune in localities:
        assert name and polygons()[grid()["communes"][commune]["nis"]].buffer(1).contains(Point(x, y)), name


def test_centre_nodes_belong_to_their_commune_and_carry_its_namesake():
    g = grid()
    by_id = {n[0]: n for n in g["nodes"]}
    named = 0
    for i, c in enumerate(g["communes"]):
        node = by_id[c["centre"]]
        assert node[4] == i, c["fr"]
        if build_grid.fold(g["localities"][node[5]]) in (build_grid.fold(c["fr"]), build_grid.fold(c["nl"])):
            named += 1
    # 237 centres placed on the namesake locality, and Woluwe-Saint-Pierre, without places of its own, whose
    # centre carries the commune's name
    assert (named, g["meta"]["counts"]["communesWithNamesakeCentre"]) == (238, 237)
    for name, lat, lon in (("Liège", 50.6412, 5.5718), ("Mons", 50.4542, 3.9523), ("Ixelles", 50.8333, 4.3667)):
        c = next(c for c in g["communes"] if c["fr"] == name)
        assert g["localities"][by_id[c["centre"]][5]] == name
        assert h3.grid_distance(c["centre"], h3.latlng_to_cell(lat, lon, by_id[c["centre"]][1])) <= 1


def test_borders_and_labels_stay_within_150_kib_gzip():
    raw = (DATA / "fwb_map.json").read_bytes()
    assert len(gzip.compress(raw, 9)) <= 150 * 1024
    assert mapdata()["meta"]["counts"]["arcs"] == len(mapdata()["arcs"])


@pytest.mark.slow
def test_rebuilding_gives_the_identical_map_file():
    built, _ = build_grid.build()
    assert build_grid.dumps_map(build_grid.build_map(built)) == (DATA / "fwb_map.json").read_text("utf-8")
