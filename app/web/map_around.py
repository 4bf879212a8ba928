"""« Autour de moi »'s panel on the map (app/web/views/map_view.py): where the position is, then the
nearest cellules with their distance, each a button that shows its node (or that there are none)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from app.core.grid import Node
from app.core.nearby import Around, fmt_distance
from app.web.dom import el


def around_panel(t: Callable[..., str], lang: str, found: Around, said: str, nodes: Mapping[str, Node]) -> list:
    """`said`: the sentence of where the position is (in the map's message too); `t`: the words."""
    rows = [el("li", {}, el("button", {"type": "button", "class": "secondary small", "text": n.item.name,
                                       "data-near-node": n.item.node_id, "aria-describedby": f"around-{i}",
                                       "title": t("map.around.show", name=n.item.name)}), " ",
               el("span", {"class": "muted", "id": f"around-{i}", "text": t(
                   "map.around.item", place=nodes[n.item.node_id].label, km=fmt_distance(lang, n.km))}))
            for i, n in enumerate(found.near)]
    listing = ([el("p", {"id": "around-head", "text": t("map.around.nearest", n=len(rows))}),
                el("ol", {"id": "around-list", "aria-labelledby": "around-head"}, rows)] if rows
               else [el("p", {"class": "muted", "id": "around-none", "text": t("map.around.none")})])
    return [el("p", {"id": "around-where", "text": said}), *listing]
