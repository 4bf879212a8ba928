"""What the open formats say about a cellule's place and provenance (shared by CSV, GeoJSON, ICS, print).

The grid file names, for each node, its commune (with the commune's postal codes) and the nearest
locality; it has no postal code per locality. So "Code postal" is the commune's code, or its codes
joined by ", " when it has several (Namur has eleven): the truthful answer the data allows.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.grid import Grid
from app.core.i18n import t
from app.core.model import Cellule, State


@dataclass(frozen=True, kw_only=True)
class Place:
    node_id: str
    commune: str = ""
    locality: str = ""
    postcodes: str = ""
    label: str = ""  # "Jambes — Namur" (grid.Node.label); the node id when the grid does not know it
    lat: float | None = None
    lon: float | None = None


def place_of(grid: Grid | None, node_id: str) -> Place:
    node = grid.nodes.get(node_id) if grid is not None else None
    if node is None:
        return Place(node_id=node_id, label=node_id)
    return Place(node_id=node_id, commune=node.commune.name_fr, locality=node.locality,
                 postcodes=", ".join(node.commune.postcodes), label=node.label, lat=node.lat, lon=node.lon)


def peer_name(state: State, instance: str) -> str:
    if instance == state.instance_id:
        return state.instance_name
    if instance in state.sources:
        return state.sources[instance].name
    names = state.extra.get("peerNames")  # free-form data of the state file: trust nothing
    name = names.get(instance) if isinstance(names, dict) else None
    return name if isinstance(name, str) and name.strip() else instance


def provenance(state: State, cellule: Cellule, lang: str = "fr") -> str:
    """« cette instance (Alice) » or « FÉDÉRÉ : par Bob, via Chloé »."""
    if not state.is_federated(cellule):
        return t("fmt.mine", lang, name=state.instance_name)
    via = [peer_name(state, v) for v in cellule.via if v != cellule.origin]
    key = "fmt.federated_via" if via else "fmt.federated"
    return t(key, lang, author=peer_name(state, cellule.origin), via=", ".join(via))
