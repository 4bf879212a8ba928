"""The FWB grid in memory: nodes, communes, localities; search and map geometry (pure).

Theory of operation
-------------------
`data/fwb_grid.json` (built by tools/build_grid.py) holds ~3,800 H3 nodes as rows
[id, resolution, lat, lon, commune index, locality index]. `Grid.from_json` indexes them.
Search folds accents and case ("liege" finds "Liège") and matches, in this order: a postal code,
a commune name, a locality name (an exact name before a prefix); each hit names the nodes it covers
and the one to select: for a commune or a postal code, the commune's centre node (built to be the
node of its namesake locality, « Liège », else the node holding its centroid); for a shared postal
code (1050: Ixelles and part of Bruxelles) the commune whose own first code it is comes first.
Other names come from the file's `aliases` (data/place_aliases.json, copied in by the build): short
names and other-language names of a place (« LLN » finds the same hit as « Louvain-la-Neuve »),
well-known quarters with the commune they belong to and a point (« Salzinnes »: a hit of its own, of
kind "quarter", selecting the node of that commune nearest to the point), and word abbreviations
replaced before matching (« St-Gilles » is searched as « saint gilles »).
A query nothing matches may be a typo: `suggest` gives the places whose folded name is closest to it
(« Namru » → Namur, « Charleroy » → Charleroi, « Louvain-la-Nueve » → Louvain-la-Neuve): at most
`typo_budget(len)` edits away, an edit being a letter changed, added, removed or two neighbours swapped;
the closest first, then in search's order. Postal codes are never guessed.
A node is named for people, never by its H3 code: « Bressoux — Liège », or « Liège » alone.
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
    centre: str | None = None  # the node a search for this commune selects


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
        """What people call the place: « Jambes — Namur »; just « Namur » when they coincide."""
        if fold(self.locality) == fold(self.commune.name_fr):
            return self.commune.name_fr
        return f"{self.locality} — {self.commune.name_fr}"

    @property
    def world(self) -> tuple[float, float]:
        return (self.lon * COS_LAT, -self.lat)


@dataclass(frozen=True, kw_only=True)
class Hit:
    kind: str  # "postcode" | "commune" | "locality" | "quarter"
    label: str
    node_ids: tuple[str, ...]
    node_id: str  # the node to select
    commune: Commune
    key: str = ""  # the folded name or code it was found by
    rank: int = 0  # among hits of one kind and key: lower first (a postal code's own commune)

    def __post_init__(self) -> None:
        if self.node_id not in self.node_ids:
            raise ValueError(f"hit {self.label!r}: its node is not one of its nodes")


@dataclass(frozen=True, kw_only=True)
class Grid:
    nodes: Mapping[str, Node]
    communes: tuple[Commune, ...]
    templates: Mapping[int, tuple[tuple[float, float], ...]]
    attribution: str = ""
    _folded: Mapping[str, list[Hit]] = field(default_factory=dict, repr=False)
    _words: Mapping[str, str] = field(default_factory=dict, repr=False)  # folded abbreviation -> folded word

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Grid:
        communes = tuple(
            Commune(nis=c["nis"], name_fr=c["fr"], name_nl=c["nl"], province=c["province"], region=c["region"],
                    postcodes=tuple(c["postcodes"]), centre=c.get("centre"))
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
        aliases = data.get("aliases") or {}
        folded = _index(nodes.values())
        _index_aliases(folded, nodes.values(), communes, aliases)
        words = {fold(k): fold(v) for k, v in (aliases.get("words") or {}).items()}
        return cls(nodes=nodes, communes=communes, templates=templates, attribution=meta.get("attribution", ""),
                   _folded=folded, _words=words)

    def __contains__(self, node_id: object) -> bool:
        return node_id in self.nodes

    def search(self, query: str, limit: int = 12) -> list[Hit]:
        """Postal codes, communes, then localities whose folded name is (then starts with, then
        contains) the query; the first hit is what pressing Enter selects."""
        q = " ".join(self._words.get(w, w) for w in fold(query).split())
        if not q:
            return []
        exact: list[Hit] = []
        starts: list[Hit] = []
        contains: list[Hit] = []
        for key, hits in self._folded.items():
            if key == q:
                exact.extend(hits)
            elif key.startswith(q) or any(w.startswith(q) for w in key.split()):
                starts.extend(hits)
            elif q in key:
                contains.extend(hits)
        order = {"postcode": 0, "commune": 1, "locality": 2, "quarter": 3}

        def by_rank(hits: list[Hit]) -> list[Hit]:
            return sorted(hits, key=lambda h: (order[h.kind], h.key, h.rank, fold(h.label), h.label))

        seen, out = set(), []
        for hit in by_rank(exact) + by_rank(starts) + by_rank(contains):
            if hit.label not in seen:  # a locality named like its commune is the commune
                seen.add(hit.label)
                out.append(hit)
        return out[:limit]

    def suggest(self, query: str, limit: int = 3) -> list[Hit]:
        """The places a mistyped `query` most likely meant (see the module); [] when search finds it,
        when it is too short to guess from, or when no name is close enough."""
        q = " ".join(self._words.get(w, w) for w in fold(query).split())
        budget = typo_budget(len(q))
        if not budget or self.search(query, limit=1):
            return []
        found: dict[int, list[Hit]] = {}
        for key, hits in self._folded.items():
            if key.isdigit() or abs(len(key) - len(q)) > budget:
                continue
            d = edit_distance(q, key, budget)
            if d <= budget:
                found.setdefault(d, []).extend(hits)
        order = {"postcode": 0, "commune": 1, "locality": 2, "quarter": 3}
        seen, out = set(), []
        for d in sorted(found):
            for hit in sorted(found[d], key=lambda h: (order[h.kind], h.key, h.rank, fold(h.label), h.label)):
                if hit.label not in seen:
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


def typo_budget(length: int) -> int:
    """How many edits a query of `length` folded characters may be away from the name it meant:
    none under 4 characters (too many names are that close), 1 up to 5, 2 up to 9, 3 beyond."""
    return 0 if length < 4 else 1 if length <= 5 else 2 if length <= 9 else 3


def edit_distance(a: str, b: str, bound: int) -> int:
    """Edits (a letter changed, added, removed, or two neighbours swapped) from `a` to `b`; any
    value above `bound` is given as bound + 1 (the rows stop once every cell is over it)."""
    if abs(len(a) - len(b)) > bound:
        return bound + 1
    before: list[int] = []
    row = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        new = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            best = min(row[j] + 1, new[j - 1] + 1, row[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                best = min(best, before[j - 2] + 1)
            new[j] = best
        if min(new) > bound:
            return bound + 1
        before, row = row, new
    return min(row[-1], bound + 1)


def central(nodes: list[Node]) -> Node:
    """The node nearest to the middle of a set of nodes."""
    lat = sum(n.lat for n in nodes) / len(nodes)
    lon = sum(n.lon for n in nodes) / len(nodes)
    return min(nodes, key=lambda n: ((n.lat - lat) ** 2 + ((n.lon - lon) * COS_LAT) ** 2, n.id))


def commune_centre(commune: Commune, nodes: list[Node]) -> Node:
    """The commune's own centre node (built into the file), else the middle one of its nodes."""
    for node in nodes:
        if node.id == commune.centre:
            return node
    return central(nodes)


def _index(nodes: Iterable[Node]) -> dict[str, list[Hit]]:
    by_commune: dict[str, list[Node]] = {}
    by_locality: dict[str, list[Node]] = {}
    for node in nodes:
        by_commune.setdefault(node.commune.nis, []).append(node)
        by_locality.setdefault(node.label, []).append(node)
    index: dict[str, list[Hit]] = {}
    for group in by_commune.values():
        c = group[0].commune
        ids = tuple(n.id for n in group)
        centre = commune_centre(c, group).id
        for name in dict.fromkeys((fold(c.name_fr), fold(c.name_nl))):
            index.setdefault(name, []).append(Hit(kind="commune", label=c.name_fr, node_ids=ids, node_id=centre,
                                                  commune=c, key=name))
        for pc in c.postcodes:
            own = 0 if pc == min(c.postcodes) else 1  # 1050: Ixelles' own code, one of Bruxelles' five
            index.setdefault(pc, []).append(Hit(kind="postcode", label=f"{pc} {c.name_fr}", node_ids=ids,
                                                node_id=centre, commune=c, key=pc, rank=own))
    for label, group in by_locality.items():
        key = fold(group[0].locality)
        index.setdefault(key, []).append(Hit(kind="locality", label=label, node_ids=tuple(n.id for n in group),
                                             node_id=central(group).id, commune=group[0].commune, key=key))
    return index


def _index_aliases(index: dict[str, list[Hit]], nodes: Iterable[Node], communes: tuple[Commune, ...],
                   aliases: Mapping[str, Any]) -> None:
    """Other names of places (the same hits under another key) and quarters (hits of their own).
    A name whose place or commune is not in the grid is left out (tests check that none is)."""
    by_label: dict[str, list[Hit]] = {}
    for hits in index.values():
        for hit in hits:
            if hit.kind != "postcode" and hit not in by_label.setdefault(hit.label, []):
                by_label[hit.label].append(hit)
    for alias, target in aliases.get("names") or ():
        key = fold(alias)
        for hit in by_label.get(target, [])[:1]:
            index.setdefault(key, []).append(Hit(kind=hit.kind, label=hit.label, node_ids=hit.node_ids,
                                                 node_id=hit.node_id, commune=hit.commune, key=key))
    by_name = {c.name_fr: c for c in communes}
    members: dict[str, list[Node]] = {}
    for node in nodes:
        members.setdefault(node.commune.nis, []).append(node)
    for name, commune_name, lat, lon in aliases.get("quarters") or ():
        commune = by_name.get(commune_name)
        if commune is None or commune.nis not in members:
            continue
        x, y = lon * COS_LAT, -lat
        node = min(members[commune.nis], key=lambda n: ((n.world[0] - x) ** 2 + (n.world[1] - y) ** 2, n.id))
        key = fold(name)
        index.setdefault(key, []).append(Hit(kind="quarter", label=name, node_ids=(node.id,), node_id=node.id,
                                             commune=commune, key=key))
