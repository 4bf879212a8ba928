"""« Autour de moi »: the cellules nearest to a position, with their distance (pure).

Theory of operation
-------------------
A cellule is where its node is: its distance from the device is the great-circle distance
(haversine, mean Earth radius) from the device's position to the centre of the cellule's node.
`nearest_cellules` keeps the `limit` nearest, sorted by distance, then by name and id (the same
order whatever order the cellules come in); a cellule whose node is not in the grid is left out.
Law (tests/core/test_nearest.py): the list is sorted by distance and no cellule left out is nearer
than the last one listed.
`fmt_distance` writes a distance as people read it: « 350 m », « 2,4 km », « 38 km ».
`around` gathers what « Autour de moi » shows: the node nearest to the position, where the position
is (the FWB, the German-speaking Community, elsewhere) and the nearest cellules.
`inside` tests a point against polygons given as rings of (x, y) (even-odd rule): the map data's
areas (the FWB, the German-speaking Community) in world coordinates.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from app.core.grid import COS_LAT, Grid, Node
from app.core.i18n import NNBSP, fmt_count

EARTH_KM = 6371.0088  # mean Earth radius (IUGG)


class Placed(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def node_id(self) -> str: ...


@dataclass(frozen=True, kw_only=True)
class Near:
    item: Placed  # the cellule
    km: float


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


def nearest_cellules(grid: Grid, cellules: Iterable[Placed], lat: float, lon: float, limit: int = 5) -> list[Near]:
    """The `limit` cellules nearest to (lat, lon), nearest first."""
    scored = []
    for item in cellules:
        node = grid.nodes.get(item.node_id)
        if node is None:
            continue
        km = distance_km(lat, lon, node.lat, node.lon)
        scored.append((km, item.name.casefold(), item.id, item))
    best = heapq.nsmallest(max(0, limit), scored, key=lambda s: s[:3])
    return [Near(item=s[3], km=s[0]) for s in best]


def fmt_distance(lang: str, km: float) -> str:
    """« 350 m » under a kilometre (to 50 m, at least 50 m), « 2,4 km » under ten, « 38 km » beyond."""
    if km < 0.975:
        return f"{max(50, round(km * 20) * 50)}{NNBSP}m" if lang != "en" else f"{max(50, round(km * 20) * 50)} m"
    if km < 9.95:
        text = f"{km:.1f}"
        text = text if lang == "en" else text.replace(".", ",")
    else:
        text = fmt_count(lang, round(km))
    return f"{text} km" if lang == "en" else f"{text}{NNBSP}km"


def inside(rings: Sequence[Sequence[tuple[float, float]]], x: float, y: float) -> bool:
    """Whether (x, y) lies inside these rings (even-odd: a hole is a ring inside a ring)."""
    hit = False
    for ring in rings:
        n = len(ring)
        for i in range(n):
            (ax, ay), (bx, by) = ring[i], ring[i - 1]
            if (ay > y) != (by > y) and x < ax + (y - ay) * (bx - ax) / (by - ay):
                hit = not hit
    return hit


FAR = 0.03  # world degrees (~3 km): without areas to tell, further than this from every node is outside
SHOWN_KM = 15.0  # the map shows the nearest cellules' hexagons up to this far (the list says the rest)


@dataclass(frozen=True, kw_only=True)
class Around:
    """What « Autour de moi » found: the node proposed, where the position is, the nearest cellules."""
    x: float  # the position, world coordinates
    y: float
    node: Node  # the node nearest to the position
    km: float  # from the position to that node's centre
    area: str | None  # "fwb", "german" (the German-speaking Community), None (Flanders, abroad)
    near: list[Near]

    @property
    def shown(self) -> list[str]:
        """The nodes the map shows: the node proposed and those of the nearest cellules (at most 3, at most
        SHOWN_KM away: a cellule 60 km away is listed, the map stays on the place around the position)."""
        return list(dict.fromkeys([self.node.id, *(n.item.node_id for n in self.near[:3] if n.km <= SHOWN_KM)]))


def around(grid: Grid, cellules: Iterable[Placed], lat: float, lon: float,
           area_at: Callable[[float, float], str | None] | None = None, limit: int = 5) -> Around | None:
    """The node nearest to (lat, lon), where the position is (`area_at`, the map data's areas; without
    it, further than FAR from every node is outside), and the `limit` nearest cellules."""
    x, y = lon * COS_LAT, -lat
    node = grid.nearest(x, y)
    if node is None:
        return None
    area = area_at(x, y) if area_at else (None if math.dist(node.world, (x, y)) > FAR else "fwb")
    return Around(x=x, y=y, node=node, km=distance_km(lat, lon, node.lat, node.lon), area=area,
                  near=nearest_cellules(grid, cellules, lat, lon, limit=limit))
