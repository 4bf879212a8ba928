"""The map view around the canvas: search results, the node panel (a bottom sheet on phones),
« Autour de moi », picking a place for a form, sources.

Theory of operation
-------------------
The form being edited and the selected node are shared UI state (app/web/context.py); this view owns
the map tab's DOM (built once in `mount`) and its handlers (named in app/web/actions.py). A node is
always named for people (« Bressoux — Liège »), never by its H3 code. The borders and labels
(data/fwb_map.json) are fetched when the map is first shown; if that fails the hexagons still work
and a French message says so. « Autour de moi » (map_input.Locator): a refusal, no position or a
timeout says so and changes nothing else; a position selects its nearest node (app.core.nearby) and
the panel (in view: a bottom sheet on phones) says where that is, or that it is outside the FWB and
which node is proposed, then lists the nearest cellules with their distance; the map shows them.
Searching says at once when no place matches, and which node holds a quarter (« Salzinnes »).
Picking: a banner says for what (« Choisissez le lieu de “Repair Café” ») and the panel's button
returns to the form with the place filled.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter

import js  # type: ignore[import-not-found]
from pyodide.ffi import create_proxy, to_js  # type: ignore[import-not-found]

from app.core.grid import Hit
from app.core.grid_map import MapData
from app.core.nearby import Around, around, fmt_distance
from app.web.context import Context
from app.web.dom import by_id, clear, el, replace_children, set_text
from app.web.map import GridMap
from app.web.map_around import around_panel
from app.web.map_input import Locator

PHONE = "(max-width: 700px)"
NEAREST = 5  # cellules « Autour de moi » lists


class MapView:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.map: GridMap | None = None
        self._overlay_task = None
        self._enter = create_proxy(self._on_search_key)
        self._locator = Locator(self._located, self._geo_failed)
        self._near_click = create_proxy(self._on_near_click)
        self.found: tuple[Around, str] | None = None  # « Autour de moi »: what it found, what it said

    def t(self, key: str, **params) -> str:
        return self.ctx.t(key, **params)

    # --- skeleton -----------------------------------------------------------------------------
    def mount(self) -> None:
        self.ctx.fill(
            "map",
            el("div", {"class": "map-sticky", "id": "map-sticky"},
               el("div", {"id": "map-pick", "class": "pick-banner", "role": "status", "hidden": True},
                  el("p", {"id": "map-pick-text", "class": "pick-title"}),
                  el("p", {"id": "map-pick-hint", "class": "muted"}),
                  el("button", {"type": "button", "class": "secondary", "id": "map-cancel-pick",
                                "data-action": "map-cancel-pick"}))),
            el("h2", {"id": "map-title"}),
            el("div", {"class": "map-tools"},
               el("div", {"class": "map-search-box"},
                  el("label", {"for": "map-search", "id": "map-search-label"}),
                  el("input", {"id": "map-search", "type": "search", "data-input": "map-search",
                               "autocomplete": "off", "aria-describedby": "map-search-hint"}),
                  el("p", {"id": "map-search-hint", "class": "muted small"})),
               el("button", {"type": "button", "id": "map-near-me", "class": "secondary",
                             "data-action": "map-near-me"})),
            el("p", {"id": "map-message", "role": "status", "aria-live": "polite"}),
            el("ul", {"id": "map-results", "class": "results"}),
            el("p", {"id": "map-help", "class": "muted"}),
            el("div", {"class": "map-wrap", "id": "map-wrap"},
               el("canvas", {"id": "map-canvas", "tabindex": "0", "role": "img"}),
               el("p", {"id": "map-attribution", "class": "map-attribution"})),
            el("p", {"id": "map-legend", "class": "muted"}),
            el("p", {"id": "map-key", "class": "muted small"}),
            el("div", {"id": "map-panel", "aria-live": "polite"}),
        )
        # the view's message and the pick banner both stay at the top while the map scrolls: one sticky
        # block holds both, one under the other, so neither ever covers the other (static/app.css)
        by_id("map-sticky").prepend(self.ctx.regions["map"])
        by_id("map-search").addEventListener("keydown", self._enter)
        by_id("map-panel").addEventListener("click", self._near_click)

    def render_texts(self) -> None:
        by_id("map-title").textContent = self.t("map.title")
        by_id("map-search-label").textContent = self.t("map.search")
        touch = self.ctx.touch()  # fingers, or mouse and keys
        by_id("map-search-hint").textContent = self.t("map.search_hint_touch" if touch else "map.search_hint")
        help_text = self.t("map.help_touch" if touch else "map.help")
        set_text(by_id("map-help"), help_text)
        by_id("map-near-me").textContent = self.t("map.near_me")
        by_id("map-cancel-pick").textContent = self.t("map.pick_cancel")
        by_id("map-key").textContent = self.t("map.key")
        by_id("map-attribution").textContent = self.t("map.sources", attribution=self.ctx.grid.attribution)
        by_id("map-canvas").setAttribute("aria-label", self.t("map.title") + ". " + help_text)
        self.render_pick()

    def render_pick(self) -> None:
        banner = by_id("map-pick")
        form = self.ctx.form
        picking = bool(self.ctx.pick_mode and form)
        banner.hidden = not picking
        if picking:
            name = (form["values"].get("name") or "").strip()
            by_id("map-pick-text").textContent = (self.t("map.pick", name=name) if name
                                                  else self.t("map.pick_unnamed"))
            by_id("map-pick-hint").textContent = self.t("map.pick_hint")

    # --- showing --------------------------------------------------------------------------------
    def show(self) -> None:
        if self.map is None:
            self.map = GridMap(by_id("map-canvas"), self.ctx.grid, self.on_select)
            self._overlay_task = asyncio.ensure_future(self.load_overlay())
        self.map.resize()
        self.refresh()
        self.render_pick()
        self.render_panel()

    async def load_overlay(self) -> None:
        from pyodide.http import pyfetch  # type: ignore[import-not-found]

        try:
            response = await pyfetch("./data/fwb_map.json")
            if not response.ok:
                raise RuntimeError(f"HTTP {response.status}")
            text = await response.string()
            t0 = time.perf_counter()
            data = MapData.from_json(json.loads(text), self.ctx.grid)
        except Exception as exc:  # the hexagons still work without borders
            self.message(self.t("map.overlay_failed", detail=f"{type(exc).__name__}: {exc}"), error=True)
            return
        self.map.set_overlay(data, parse_ms=(time.perf_counter() - t0) * 1000)

    def refresh(self) -> None:
        counts = Counter(c.node_id for c in self.ctx.state.live_cellules() if c.node_id in self.ctx.grid.nodes)
        by_id("map-legend").textContent = self.t("map.legend", nodes=len(self.ctx.grid.nodes), busy=len(counts))
        if self.map is not None:
            self.map.set_busy(counts)
            self.render_panel()

    def message(self, text: str, error: bool = False) -> None:
        node = by_id("map-message")
        node.className = "error-text" if error else "muted"
        set_text(node, text)

    def on_select(self, node_id: str) -> None:
        if self.found and self.found[0].node.id != node_id:
            self.forget_around()
        self.ctx.map_selected = node_id
        self.render_panel()
        self.reveal()

    def reveal(self) -> None:
        """On a phone, bring the map to the top so the node and its bottom sheet are both in view."""
        if js.window.matchMedia(PHONE).matches:
            by_id("map-wrap").scrollIntoView(to_js({"block": "start"}, dict_converter=js.Object.fromEntries))

    def render_panel(self) -> None:
        panel = by_id("map-panel")
        node_id = self.ctx.map_selected
        node = self.ctx.grid.nodes.get(node_id) if node_id else None
        if node is None:
            clear(panel)
            panel.classList.remove("open")
            return
        ctx = self.ctx
        here = [c for c in ctx.state.live_cellules() if c.node_id == node_id]
        c = node.commune
        where = [self.t("map.node.commune", commune=c.name_fr), c.province or c.region]
        codes = ", ".join(c.postcodes)
        picking = bool(ctx.pick_mode and ctx.form)
        action = ("map-choose", "map.choose_place") if picking else ("map-create", "map.use_node")
        if self.found and self.found[0].node.id == node_id:
            body = around_panel(self.t, self.ctx.lang, *self.found, self.ctx.grid.nodes)
        else:
            body = (el("div", {}, el("p", {"text": self.t("map.node.cellules", n=len(here))}),
                       el("ul", {}, [el("li", {}, el("span", {"text": x.name}), " ",
                                        el("span", {"class": "badge", "text": ctx.t("badge.federated")})
                                        if ctx.state.is_federated(x) else None) for x in here]))
                    if here else el("p", {"class": "muted", "text": self.t("map.no_cellule")}))
        replace_children(
            panel,
            el("div", {"class": "card sheet", "id": "node-panel", "role": "region", "aria-labelledby": "node-title"},
               el("div", {"class": "sheet-head"},
                  el("h3", {"id": "node-title", "text": node.label}),
                  el("button", {"type": "button", "class": "secondary close", "data-action": "map-close-panel",
                                "aria-label": self.t("map.close"), "text": "×"})),
               el("p", {"class": "muted where", "text": " · ".join(where)}),
               el("p", {"class": "muted postcodes",
                        "text": self.t("map.node.postcodes" if len(c.postcodes) > 1 else "map.node.postcode",
                                       codes=codes)}) if codes else None,
               body,
               el("button", {"type": "button", "data-action": action[0], "text": self.t(action[1])})))
        panel.classList.add("open")

    # --- handlers (app/web/actions.py) ------------------------------------------------------------
    def on_hit(self, target) -> None:
        self.choose_hit(self.ctx.hits[int(target.getAttribute("data-index"))])

    def on_close_panel(self, _target) -> None:
        self.forget_around()
        self.ctx.map_selected = None
        if self.map:
            self.map.select(None)
        self.render_panel()

    def on_cancel_pick(self, _target) -> None:
        self.ctx.pick_mode = False
        self.ctx.go("cellules")
        by_id("form-slot").scrollIntoView()

    def on_choose(self, _target) -> None:
        ctx = self.ctx
        if ctx.form and ctx.map_selected:
            ctx.form["values"]["nodeId"] = ctx.map_selected
        ctx.pick_mode = False
        ctx.go("cellules")
        by_id("form-slot").scrollIntoView()

    def on_create(self, _target) -> None:
        node = self.ctx.map_selected
        self.ctx.form = None
        self.ctx.go("cellules")
        self.ctx.open_form("cellule", None, nodeId=node)

    def on_search(self, target) -> None:
        said = self.ctx.search_into(str(target.value), "map-results", "map-hit")
        if said:  # no place of that name: the closest ones (« Vouliez-vous dire … ? »), or that none matches
            self.message(said, error=True)
        elif by_id("map-message").classList.contains("error-text"):
            self.message("")

    def choose_hit(self, hit: Hit) -> None:
        self.map.show_nodes(hit.node_ids)
        self.map.select(hit.node_id, center=True)
        self.on_select(hit.node_id)
        if hit.kind == "quarter":
            self.message(self.t("map.quarter_hit", name=hit.label, commune=hit.commune.name_fr,
                                label=self.ctx.grid.nodes[hit.node_id].label))

    def _on_search_key(self, event) -> None:
        if event.key == "Enter":  # the first place found, or the message that none matches
            event.preventDefault()
            self.on_search(event.target)
            if self.ctx.hits:
                self.choose_hit(self.ctx.hits[0])

    # --- « Autour de moi » ----------------------------------------------------------------------
    def on_near_me(self, _target) -> None:
        if self._locator.request():
            self.message(self.t("map.locating"))
        else:
            self.message(self.t("map.geo.unavailable"), error=True)

    def _located(self, lat: float, lon: float) -> None:
        areas = self.map.overlay.area_at if self.map.overlay and self.map.overlay.areas else None
        found = around(self.ctx.grid, self.ctx.state.live_cellules(), lat, lon, areas, limit=NEAREST)
        if found is None:
            self.message(self.t("map.geo.unavailable"), error=True)
            return
        key = {"fwb": "map.geo.found", "german": "map.around.german"}.get(found.area, "map.around.outside")
        said = self.t(key, label=found.node.label, km=fmt_distance(self.ctx.lang, found.km))
        self.found = (found, said)
        self.map.set_near([n.item.node_id for n in found.near])
        self.map.show_around(found.x, found.y, found.shown)
        self.map.select(found.node.id)
        self.message(said)
        self.on_select(found.node.id)

    def _geo_failed(self, code: int) -> None:
        self.message(self.t({1: "map.geo.denied", 3: "map.geo.timeout"}.get(code, "map.geo.unavailable")), error=True)

    def forget_around(self) -> None:
        self.found = None
        self.map.set_near(())

    def _on_near_click(self, event) -> None:
        if button := event.target.closest("[data-near-node]"):  # a listed cellule: its node, the usual panel
            self.forget_around()
            self.map.select(str(button.getAttribute("data-near-node")), center=True)
            self.on_select(str(button.getAttribute("data-near-node")))
