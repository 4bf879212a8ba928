"""What the map draws besides the hexagons: commune borders and labels (pure).

Theory of operation
-------------------
`data/fwb_map.json` (built by tools/build_grid.py, loaded when the map first opens) holds the
commune borders as arcs — SVG path strings in integer map units (world coordinates of
app.core.grid × 10⁴) — each of one class: the FWB outline, a province border, a commune border.
`MapData` groups the arcs of each class into square tiles (by the centre of their bounding box)
and concatenates each group into one path string with the union of their boxes: one Path2D and
one stroke per tile and class in the browser, and a zoomed-in frame strokes only the tiles it
shows. It keeps label anchors, each on a hexagon that bears the name: a commune's on its centre
node, a locality's on the central one of the nodes named after it (with its GeoNames population);
and two areas (simplified outlines: the FWB, the German-speaking Community) by which `area_at`
tells where a position is.

Labels are placed greedily (`place_labels`): candidates in priority order — cellule counts on
nodes, then communes by weight, then localities by population — each gets a screen box from its
measured text width (a function passed in: the browser measures with its canvas font) and is kept
if the box overlaps no box already kept (a spatial hash of cells makes it linear). A name that meets
a box at its anchor (the count of cellules on its own hexagon) tries once more just below it, when
its hexagon (`room`, half its height) is tall enough on screen to hold both. Each kind
appears only from a zoom (`min_scale`, pixels per world degree): localities as you zoom in, counts
once a hexagon is big enough to hold one. Placement depends only on the scale, never on the pan,
so the browser computes it for a few quantised scales (`level_scale`, always ≤ the real scale:
boxes that did not overlap at a smaller scale are further apart at a larger one) and reuses it
while panning.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from app.core.grid import Grid
from app.core.nearby import inside

MAP_UNIT = 1e4  # map units per world degree
BORDER_CLASSES = ("fwb", "province", "commune")
HEIGHT = {"count": 14.0, "commune": 15.0, "locality": 13.0}  # box heights in CSS pixels
PAD = {"count": 2.0, "commune": 5.0, "locality": 4.0}
CELL = 96.0  # spatial hash cell, pixels
TILE = 0.2  # border tiles, world degrees
COARSE_BELOW = 1200.0  # scale (px per world degree) under which the coarse borders are drawn
COUNT_MIN_PIXELS = 26.0  # a hexagon this tall (on screen) shows its number of cellules
LEVELS_PER_DOUBLING = 4


@dataclass(frozen=True, kw_only=True)
class Label:
    text: str
    kind: str  # "count" | "commune" | "locality"
    x: float  # world coordinates
    y: float
    min_scale: float = 0.0
    key: str = ""  # what it names (a node id, a commune code, a locality): stable across placements
    room: float = 0.0  # half the height of the hexagon it sits on (world degrees): room to move down in

    def __post_init__(self) -> None:
        if self.kind not in HEIGHT:
            raise ValueError(f"unknown label kind {self.kind!r}")
        if not self.text:
            raise ValueError("a label needs a text")


@dataclass(frozen=True, kw_only=True)
class Placed:
    label: Label
    box: tuple[float, float, float, float]  # pixels at the placement scale, relative to the world origin
    dy: float = 0.0  # pixels below its anchor where it is drawn


@dataclass(frozen=True, kw_only=True)
class BorderTile:
    kind: int  # index in BORDER_CLASSES
    box: tuple[float, float, float, float]  # world coordinates: x0, y0, x1, y1
    path: str  # map units
    coarse: str  # the same arcs, simplified further: for zoomed-out frames

    def meets(self, x0: float, y0: float, x1: float, y1: float) -> bool:
        return overlaps(self.box, (x0, y0, x1, y1))


@dataclass(frozen=True, kw_only=True)
class MapData:
    tiles: tuple[BorderTile, ...]  # sorted by class, then tile
    commune_labels: tuple[Label, ...]  # by weight, heaviest first
    locality_labels: tuple[Label, ...]  # by population, largest first
    commune_arcs: Mapping[str, tuple[int, ...]]
    arc_count: int
    attribution: str = ""
    areas: Mapping[str, tuple[tuple[tuple[float, float], ...], ...]] = field(default_factory=dict)

    def area_at(self, x: float, y: float) -> str | None:
        """Which area holds world point (x, y): "fwb", "german" (the German-speaking Community), or None
        (Flanders, abroad); None too when the data has no areas."""
        for name in ("fwb", "german"):
            if name in self.areas and inside(self.areas[name], x, y):
                return name
        return None

    @classmethod
    def from_json(cls, data: Mapping[str, Any], grid: Grid) -> MapData:
        if data.get("meta", {}).get("schema") != 1:
            raise ValueError("unknown map data schema")
        communes = grid.communes
        if [row[0] for row in data["communes"]] != [c.nis for c in communes]:
            raise ValueError("the map data does not list the communes of the grid")
        groups: dict[tuple[int, int, int], list] = {}
        for kind, x0, y0, x1, y1, path, coarse in data["arcs"]:
            if kind not in range(len(BORDER_CLASSES)):
                raise ValueError(f"unknown border class {kind!r}")
            key = (kind, math.floor((x0 + x1) / 2 / MAP_UNIT / TILE), math.floor((y0 + y1) / 2 / MAP_UNIT / TILE))
            groups.setdefault(key, []).append((x0, y0, x1, y1, path, coarse))
        tiles = tuple(
            BorderTile(kind=key[0], box=(min(a[0] for a in arcs) / MAP_UNIT, min(a[1] for a in arcs) / MAP_UNIT,
                                         max(a[2] for a in arcs) / MAP_UNIT, max(a[3] for a in arcs) / MAP_UNIT),
                       path="".join(a[4] for a in arcs), coarse="".join(a[5] for a in arcs))
            for key, arcs in sorted(groups.items()))
        rows = sorted(enumerate(data["communes"]), key=lambda r: (-r[1][3], communes[r[0]].name_fr))
        room = {res: (max(v[0] for v in ring) - min(v[0] for v in ring)) / 2 for res, ring in grid.templates.items()}
        resolution = {node.commune.nis: node.resolution for node in grid.nodes.values()}
        commune_labels = tuple(
            Label(text=communes[i].name_fr, kind="commune", x=row[1] / MAP_UNIT, y=row[2] / MAP_UNIT,
                  key=communes[i].nis, min_scale=commune_min_scale(rank, row[3]),
                  room=room.get(resolution.get(communes[i].nis, 0), 0.0))
            for rank, (i, row) in enumerate(rows))
        locality_labels = tuple(
            Label(text=name, kind="locality", x=x / MAP_UNIT, y=y / MAP_UNIT, min_scale=locality_min_scale(pop),
                  key=f"{name}@{communes[commune].nis}",
                  room=room.get(resolution.get(communes[commune].nis, 0), 0.0))
            for name, x, y, pop, commune in data["localities"])
        areas = {name: tuple(tuple((px / MAP_UNIT, py / MAP_UNIT) for px, py in ring_points(path)) for path in rings)
                 for name, rings in data.get("areas", ())}
        return cls(tiles=tiles, commune_labels=commune_labels, locality_labels=locality_labels,
                   commune_arcs={row[0]: tuple(row[4]) for row in data["communes"]},
                   arc_count=len(data["arcs"]), attribution=data["meta"].get("attribution", ""), areas=areas)


def ring_points(path: str) -> list[tuple[int, int]]:
    """An SVG path of the map file (« M x y l dx dy dx dy … », map units) as absolute points."""
    head, _, rest = path[1:].partition("l")
    x, y = (int(v) for v in head.split())
    points = [(x, y)]
    steps = [int(v) for v in rest.split()]
    for dx, dy in zip(steps[::2], steps[1::2], strict=True):
        x, y = x + dx, y + dy
        points.append((x, y))
    return points


def commune_min_scale(rank: int, weight: int) -> float:
    """Over the whole FWB only the main towns compete for room; every commune once zoomed in a bit."""
    if rank < 40:
        return 0.0
    return 500.0 if weight >= 10_000 else 900.0


def locality_min_scale(population: int) -> float:
    """Bigger places first: a town shows at the scale of a province, a hamlet at a commune's."""
    if population >= 20_000:
        return 1200.0
    if population >= 5_000:
        return 2500.0
    if population >= 1_500:
        return 4000.0
    return 6500.0


def count_labels(grid: Grid, counts: Mapping[str, int]) -> list[Label]:
    """One label per node with cellules, shown once its hexagon is COUNT_MIN_PIXELS tall."""
    tall = {res: max(v[0] for v in ring) - min(v[0] for v in ring) for res, ring in grid.templates.items()}
    out = []
    for node_id in sorted(counts):
        n = counts[node_id]
        node = grid.nodes.get(node_id)
        if node is None or n <= 0:
            continue
        x, y = node.world
        out.append(Label(text=str(n), kind="count", x=x, y=y, key=node_id,
                         min_scale=COUNT_MIN_PIXELS / tall.get(node.resolution, 0.02)))
    return out


def level_scale(scale: float) -> float:
    """The largest quantised scale not above `scale` (placements are cached per level)."""
    level = math.floor(math.log2(max(scale, 1e-9)) * LEVELS_PER_DOUBLING + 1e-9)
    return 2.0 ** (level / LEVELS_PER_DOUBLING)


def place_labels(labels: Iterable[Label], scale: float, measure: Callable[[str, str], float]) -> list[Placed]:
    """Greedy: in the given order, keep each label whose box overlaps none kept before."""
    cells: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}
    placed: list[Placed] = []
    for label in labels:
        if label.min_scale > scale:
            continue
        half_w = measure(label.text, label.kind) / 2 + PAD[label.kind]
        half_h = HEIGHT[label.kind] / 2 + PAD[label.kind]
        cx, cy = label.x * scale, label.y * scale
        below = HEIGHT["count"] / 2 + PAD["count"] + half_h  # just under a count at the anchor
        fits = below + HEIGHT[label.kind] / 2 <= label.room * scale  # the text itself stays inside the hexagon
        shifts = (0.0, below) if label.kind != "count" and fits else (0.0,)
        for dy in shifts:
            box = (cx - half_w, cy + dy - half_h, cx + half_w, cy + dy + half_h)
            keys = [(i, j) for i in range(int(box[0] // CELL), int(box[2] // CELL) + 1)
                    for j in range(int(box[1] // CELL), int(box[3] // CELL) + 1)]
            if any(overlaps(box, other) for key in keys for other in cells.get(key, ())):
                continue
            for key in keys:
                cells.setdefault(key, []).append(box)
            placed.append(Placed(label=label, box=box, dy=dy))
            break
    return placed


def overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
