"""What the open formats say about a cellule's place and provenance (shared by CSV, GeoJSON, ICS, print).

The grid file names, for each node, its commune (with the commune's postal codes) and the nearest
locality; it has no postal code per locality. A spreadsheet's « Code postal » column and a map's
`code_postal` hold one code, the commune's main one (`postcode`): its lowest, the code of its centre
(5000 for Namur, 1000 for Bruxelles, 4000 for Liège) — the code a reader sorts, filters and
mail-merges by; listing all eleven codes of Namur in one cell helped nobody. The printed list, read by
a person, still names every code of the commune (`postcodes`).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core import names
from app.core.grid import Grid
from app.core.i18n import t
from app.core.model import Cellule, State


@dataclass(frozen=True, kw_only=True)
class Place:
    node_id: str
    commune: str = ""
    locality: str = ""
    postcode: str = ""  # the commune's main postal code (its lowest)
    postcodes: str = ""  # all of them, joined by ", "
    label: str = ""  # "Jambes — Namur" (grid.Node.label); the node id when the grid does not know it
    lat: float | None = None
    lon: float | None = None


def place_of(grid: Grid | None, node_id: str) -> Place:
    node = grid.nodes.get(node_id) if grid is not None else None
    if node is None:
        return Place(node_id=node_id, label=node_id)
    codes = node.commune.postcodes
    return Place(node_id=node_id, commune=node.commune.name_fr, locality=node.locality,
                 postcode=min(codes) if codes else "", postcodes=", ".join(codes), label=node.label,
                 lat=node.lat, lon=node.lon)


def peer_name(state: State, instance: str) -> str:
    """The group's label (app.core.names: « Alice (2) » when another group is called « Alice »)."""
    return names.label(state, instance)


def provenance(state: State, cellule: Cellule, lang: str = "fr") -> str:
    """« cette instance (Alice) » or « FÉDÉRÉ : par Bob, via Chloé »."""
    if not state.is_federated(cellule):
        return t("fmt.mine", lang, name=state.instance_name)
    via = [peer_name(state, v) for v in cellule.via if v != cellule.origin]
    key = "fmt.federated_via" if via else "fmt.federated"
    return t(key, lang, author=peer_name(state, cellule.origin), via=", ".join(via))
