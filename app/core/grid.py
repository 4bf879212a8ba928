"""The FWB grid in memory: nodes, communes, localities; search and map geometry (pure).

Theory of operation
-------------------
`data/fwb_grid.json` (built by tools/build_grid.py) holds ~3,800 H3 nodes as rows
[id, resolution, lat, lon, commune index, locality index]. `Grid.from_json` indexes them.
Search folds accents and case ("liege" finds "Liège") and matches, in this order: a postal code,
a commune name, a locality name; each hit names the nodes it covers.
The map works in "world" coordinates: an equirectangular projection centred on the FWB
(x = lon·cos 50.5°, y = −lat, in degrees), so the browser draws everything with one transform.
`svg_path` turns a set of nodes into one SVG path string of hexagons (a Path2D in the browser),
using the per-resolution vertex template of the file.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

COS_LAT = math.cos(math.radians(50.5))


def fold(text: str) -> str:
    """Accent-, case- and punctuation-insensitive form: "Liège" -> "liege", "Saint-Gilles" -> "saint gilles"."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join("".join(c if c.isalnum() else " " for c in plain).split())


@dataclass(frozen=True, kw_only=True)
class Commune:
    nis: str
    name_fr: str
    name_nl: str
    province: str | None
    region: str
    postcodes: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class Node:
    id: str
    resolution: int
    lat: float
    lon: float
    commune: Commune
    locality: str

    @property
    def label(self) -> str:
        """What people call the place: "Jambes (Namur)"; just "Namur" when they coincide."""
        if fold(self.locality) == fold(self.commune.name_fr):
            return self.commune.name_fr
        return f"{self.locality} ({self.commune.name_fr})"

    @property
    def world(self) -> tuple[float, float]:
        return (self.lon * COS_LAT, -self.lat)


@dataclass(frozen=True, kw_only=True)
class Hit:
    kind: str  # "postcode" | "commune" | "locality"
    label: str
    node_ids: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class Grid:
    nodes: Mapping[str, Node]
    communes: tuple[Commune, ...]
    templates: Mapping[int, tuple[tuple[float, float], ...]]
    attribution: str = ""
    _folded: Mapping[str, list[Hit]] = field(default_factory=dict, repr=False)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Grid:
        communes = tuple(
            Commune(nis=c["nis"], name_fr=c["fr"], name_nl=c["nl"], province=c["province"], region=c["region"],
                    postcodes=tuple(c["postcodes"]))
            for c in data["communes"]
        )
        localities = data["localities"]
        nodes = {
            row[0]: Node(id=row[0], resolution=row[1], lat=row[2], lon=row[3], commune=communes[row[4]],
                         locality=localities[row[5]])
            for row in data["nodes"]
        }
        meta = data["meta"]
        templates = {int(k): tuple(tuple(v) for v in meta["hexTemplate"][k]) for k in ("7", "8")
                     if k in meta["hexTemplate"]}
        return cls(nodes=nodes, communes=communes, templates=templates, attribution=meta.get("attribution", ""),
                   _folded=_index(nodes.values()))

    def __contains__(self, node_id: object) -> bool:
        return node_id in self.nodes

    def search(self, query: str, limit: int = 12) -> list[Hit]:
        """Postal codes, communes, then localities whose folded name starts with (or contains) the query."""
        q = fold(query)
        if not q:
            return []
        starts: list[Hit] = []
        contains: list[Hit] = []
        for key, hits in self._folded.items():
            if key.startswith(q) or any(w.startswith(q) for w in key.split()):
                starts.extend(hits)
            elif q in key:
                contains.extend(hits)
        order = {"postcode": 0, "commune": 1, "locality": 2}
        ranked = sorted(starts, key=lambda h: (order[h.kind], fold(h.label))) + sorted(
            contains, key=lambda h: (order[h.kind], fold(h.label)))
        seen, out = set(), []
        for hit in ranked:
            if hit.label not in seen:  # a locality named like its commune is the commune
                seen.add(hit.label)
                out.append(hit)
        return out[:limit]

    def nearest(self, x: float, y: float, max_distance: float | None = None) -> Node | None:
        """The node whose centre is nearest to world point (x, y)."""
        best, best_d = None, math.inf
        for node in self.nodes.values():
            nx, ny = node.world
            d = (nx - x) ** 2 + (ny - y) ** 2
            if d < best_d:
                best, best_d = node, d
        if best is None or (max_distance is not None and math.sqrt(best_d) > max_distance):
            return None
        return best

    def bounds(self) -> tuple[float, float, float, float]:
        xs = [n.world[0] for n in self.nodes.values()]
        ys = [n.world[1] for n in self.nodes.values()]
        return (min(xs), min(ys), max(xs), max(ys))

    def svg_path(self, node_ids: Iterable[str]) -> str:
        """One SVG path of hexagons (world coordinates) for these nodes."""
        parts = []
        for node_id in node_ids:
            node = self.nodes[node_id]
            x, y = node.world
            ring = self.templates[node.resolution]
            pts = [f"{x + dlon * COS_LAT:.5f} {y - dlat:.5f}" for dlat, dlon in ring]
            parts.append("M" + "L".join(pts) + "Z")
        return "".join(parts)


def _index(nodes: Iterable[Node]) -> dict[str, list[Hit]]:
    by_commune: dict[str, list[str]] = {}
    by_locality: dict[str, list[str]] = {}
    communes: dict[str, Commune] = {}
    for node in nodes:
        by_commune.setdefault(node.commune.nis, []).append(node.id)
        by_locality.setdefault(node.label, []).append(node.id)
        communes[node.commune.nis] = node.commune
    index: dict[str, list[Hit]] = {}
    for nis, ids in by_commune.items():
        c = communes[nis]
        hit = Hit(kind="commune", label=c.name_fr, node_ids=tuple(ids))
        index.setdefault(fold(c.name_fr), []).append(hit)
        if fold(c.name_nl) != fold(c.name_fr):
            index.setdefault(fold(c.name_nl), []).append(hit)
        for pc in c.postcodes:
            index.setdefault(pc, []).append(Hit(kind="postcode", label=f"{pc} {c.name_fr}", node_ids=tuple(ids)))
    for label, ids in by_locality.items():
        index.setdefault(fold(label.split(" (")[0]), []).append(Hit(kind="locality", label=label, node_ids=tuple(ids)))
    return index
