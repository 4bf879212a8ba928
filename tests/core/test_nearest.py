"""« Autour de moi » (app.core.nearby): the nearest cellules with their distance, the distance as
people read it, and where a position is (the FWB, the German-speaking Community, elsewhere)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pytest
from grid_data import grid, mapdata
from hypothesis import given
from hypothesis import strategies as st

from app.core.grid import COS_LAT
from app.core.nearby import distance_km, fmt_distance, inside, nearest_cellules

NNBSP = "\u202f"


@cache
def node_ids() -> list[str]:
    return sorted(grid().nodes)


@dataclass(frozen=True)
class Spot:
    id: str
    name: str
    node_id: str


spots = st.builds(Spot, id=st.text("0123456789abcdef", min_size=4, max_size=4),
                  name=st.sampled_from(["Voisins", "Repair Café", "Potager", "Éveil"]),
                  node_id=st.one_of(st.integers(0, 3800).map(lambda i: node_ids()[i % len(node_ids())]),
                                    st.just("not-a-node")))


@given(st.lists(spots, max_size=40), st.floats(49.4, 51.2), st.floats(2.5, 6.5), st.integers(0, 8))
def test_the_list_is_sorted_and_no_cellule_left_out_is_nearer_than_the_last_listed(cellules, lat, lon, limit):
    near = nearest_cellules(grid(), cellules, lat, lon, limit=limit)
    placed = [c for c in cellules if c.node_id in grid().nodes]
    assert len(near) == min(limit, len(placed))
    kms = [n.km for n in near]
    assert kms == sorted(kms)
    for n in near:
        node = grid().nodes[n.item.node_id]
        assert n.km == distance_km(lat, lon, node.lat, node.lon)
    listed = [id(n.item) for n in near]
    if near:
        for c in placed:
            if id(c) not in listed:
                node = grid().nodes[c.node_id]
                assert distance_km(lat, lon, node.lat, node.lon) >= near[-1].km
    # the same list whatever order the cellules come in
    again = nearest_cellules(grid(), list(reversed(cellules)), lat, lon, limit=limit)
    assert [(n.item.name, n.item.id, n.km) for n in again] == [(n.item.name, n.item.id, n.km) for n in near]


def test_two_cellules_two_to_three_km_from_namur_station_are_listed_nearest_first():
    station = (50.4686, 4.8620)
    namur = grid().search("namur")[0].node_id
    jambes = next(h.node_id for h in grid().search("jambes") if h.kind == "locality")
    far = grid().search("mons")[0].node_id
    cellules = [Spot("c1", "Voisins de Jambes", jambes), Spot("c2", "Potager", namur), Spot("c3", "Mons", far)]
    near = nearest_cellules(grid(), cellules, *station, limit=2)
    assert [n.item.id for n in near] == ["c2", "c1"]
    assert [fmt_distance("fr", n.km) for n in near] == [f"700{NNBSP}m", f"2,9{NNBSP}km"]


def test_distances_read_as_people_say_them():
    assert round(distance_km(0, 0, 0, 1), 3) == 111.195  # a degree of the equator
    assert distance_km(50.5, 4.8, 50.5, 4.8) == 0.0
    assert distance_km(50.4, 4.4, 50.6, 5.6) == distance_km(50.6, 5.6, 50.4, 4.4)
    assert [fmt_distance("fr", km) for km in (0.0, 0.32, 0.97, 0.98, 2.44, 2.45, 9.94, 9.96, 38.4, 1234.0)] == [
        f"50{NNBSP}m", f"300{NNBSP}m", f"950{NNBSP}m", f"1,0{NNBSP}km", f"2,4{NNBSP}km", f"2,5{NNBSP}km",
        f"9,9{NNBSP}km", f"10{NNBSP}km", f"38{NNBSP}km", f"1{NNBSP}234{NNBSP}km"]
    assert [fmt_distance("en", km) for km in (0.32, 2.44, 1234.0)] == ["300 m", "2.4 km", "1,234 km"]


@pytest.mark.parametrize(("lat", "lon", "area"), [
    (50.4686, 4.8620, "fwb"),  # Namur station
    (50.8467, 4.3525, "fwb"),  # Brussels, Grand-Place
    (50.7730, 3.0000, "fwb"),  # Comines-Warneton, apart from the rest of Wallonia
    (50.6285, 6.0359, "german"),  # Eupen
    (50.2800, 6.1250, "german"),  # Sankt Vith
    (50.8798, 4.7005, None),  # Leuven (Flanders)
    (50.8510, 5.6900, None),  # Maastricht
    (50.6330, 3.0600, None),  # Lille
])
def test_where_a_position_is(lat, lon, area):
    assert mapdata().area_at(lon * COS_LAT, -lat) == area


def test_inside_follows_the_even_odd_rule():
    square = ((0, 0), (4, 0), (4, 4), (0, 4))
    hole = ((1, 1), (3, 1), (3, 3), (1, 3))
    assert inside([square], 2, 2) and not inside([square, hole], 2, 2)
    assert inside([square, hole], 0.5, 2) and not inside([square], 5, 2) and not inside([], 0, 0)


def test_around_names_the_node_proposed_and_where_the_position_is():
    from app.core.nearby import around

    eupen = around(grid(), [], 50.6285, 6.0359, mapdata().area_at)
    assert (eupen.node.label, eupen.area, eupen.near, eupen.shown) == ("Membach — Baelen", "german", [],
                                                                         [eupen.node.id])
    assert eupen.km == distance_km(50.6285, 6.0359, eupen.node.lat, eupen.node.lon)
    station = around(grid(), [Spot("c1", "Potager", grid().search("bouge")[0].node_id)], 50.4686, 4.8620,
                     mapdata().area_at)
    assert (station.node.label, station.area, [n.item.id for n in station.near]) == ("Namur", "fwb", ["c1"])
    assert station.shown == [station.node.id, grid().search("bouge")[0].node_id]
    # without the map's areas: far from every node is outside, near one is inside
    assert around(grid(), [], 50.90, 3.50).area is None and around(grid(), [], 50.4686, 4.8620).area == "fwb"
