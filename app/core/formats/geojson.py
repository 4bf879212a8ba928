"""Map layer export: the live cellules as a GeoJSON FeatureCollection (RFC 7946).

Theory of operation
-------------------
One Feature per live cellule, its geometry a **Point at the centre of its grid node**, in
[longitude, latitude] order (WGS 84, RFC 7946 §3.1.1), five decimals (about one metre).
Why a point and not the node's hexagon: a cellule is *at* a place, and every map tool shows a
point as a marker with a popup (uMap, QGIS, Google My Maps, Framacarte), clusters them, and
labels them, where polygons of 5 km² (rural nodes) would cover each other and hide the map;
several cellules on one node stay several markers; and the app only has an approximate hexagon
per resolution (up to ~250 m off at the rural resolution), not the exact cell. The node id is a
property: whoever wants the hexagon can get it from H3.
Properties use `name` and `description` because uMap (and Leaflet-based tools) show exactly these
in their default popup; the others are French words, plain strings or numbers. A cellule whose
node the grid does not know keeps `"geometry": null` (RFC 7946 §3.2: an unlocated feature).
Deleted records are left out. The text is JSON (UTF-8): JSON escapes the C0 controls itself, and
the characters it would leave raw that a line-based reader splits on or a viewer hides (DEL, the C1
controls — NEL is U+0085 —, U+2028, U+2029) are written as `\\uXXXX` too: the same text once read,
one line per line written.
"""

from __future__ import annotations

import json
import re
from typing import Any

from app.core.clock import format_ms
from app.core.formats.places import place_of, provenance
from app.core.grid import Grid
from app.core.model import State

MEDIA_TYPE = "application/geo+json"


def feature_collection(state: State, grid: Grid | None, *, now_ms: int, lang: str = "fr") -> dict[str, Any]:
    counts: dict[str, int] = {}
    for a in state.live_ateliers():
        counts[a.cellule_id] = counts.get(a.cellule_id, 0) + 1
    features = []
    for c in state.live_cellules():
        place = place_of(grid, c.node_id)
        geometry = None if place.lat is None else {
            "type": "Point", "coordinates": [round(place.lon, 5), round(place.lat, 5)]}
        features.append({
            "type": "Feature",
            "id": c.id,
            "geometry": geometry,
            "properties": {
                "name": c.name,
                "description": c.description,
                "contact": c.contact,
                "commune": place.commune,
                "localite": place.locality,
                "code_postal": place.postcode,
                "ateliers": counts.get(c.id, 0),
                "provenance": provenance(state, c, lang),
                "federe": state.is_federated(c),
                "noeud_h3": c.node_id,
                "modifie_le": c.updated_at,
            },
        })
    return {
        "type": "FeatureCollection",
        "name": state.instance_name,
        "exportedAt": format_ms(now_ms),
        "features": features,
    }


_RAW_IN_JSON = re.compile(r"[\x7f-\x9f\u2028\u2029]")  # left raw by json.dumps(ensure_ascii=False)


def dumps(collection: dict[str, Any]) -> str:
    text = json.dumps(collection, ensure_ascii=False, indent=1)
    # Only strings can hold these (the structure is ASCII): escaping them keeps the same JSON value.
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def geojson_text(state: State, grid: Grid | None, *, now_ms: int, lang: str = "fr") -> str:
    return dumps(feature_collection(state, grid, now_ms=now_ms, lang=lang))
