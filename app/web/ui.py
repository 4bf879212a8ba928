"""The French (then English) interface: cellules list and forms, ateliers, map, this instance.

The DOM is built once (tabs and view sections); each view re-renders only its own parts. Events
are delegated: a few listeners on #app read `data-action` / `data-form` / `data-input` attributes,
so re-rendering never leaks JS proxies. Every change goes through `App.act`, which runs a pure
core function under the cross-tab lock, writes what changed to IndexedDB in one transaction, and
tells the other tabs. Errors of the core (CellulesError) are shown in the user's language; user
text is always set as text, never as HTML.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
from collections.abc import Callable
from typing import Any

import js  # type: ignore[import-not-found]
from pyodide.ffi import create_proxy, to_js  # type: ignore[import-not-found]

from app.core import actions, merge
from app.core.errors import CellulesError
from app.core.grid import Grid, fold
from app.core.i18n import t
from app.core.model import Atelier, Cellule, State
from app.web import store
from app.web.dom import by_id, clear, el, replace_children
from app.web.exchange import Exchange
from app.web.failures import WebError
from app.web.map_view import MapView, hit_items

LIST_LIMIT = 300
TABS = (("cellules", "tab.cellules"), ("map", "tab.map"), ("exchange", "tab.exchange"), ("sources", "tab.sources"),
        ("help", "tab.help"), ("settings", "tab.settings"))
PREVIEW_LIMIT = 40


def data(node, name: str) -> str | None:
    """A data-* attribute (None when absent: reading a missing dataset key raises in Pyodide)."""
    value = node.getAttribute(f"data-{name}")
    return None if value is None else str(value)


def now_ms() -> int:
    return int(js.Date.now())


def local_input_value(iso: str | None) -> str:
    """UTC RFC 3339 -> the value of a datetime-local input, in the device's time zone."""
    if not iso:
        return ""
    d = js.Date.new(iso)
    return (f"{d.getFullYear():04d}-{d.getMonth() + 1:02d}-{d.getDate():02d}"
            f"T{d.getHours():02d}:{d.getMinutes():02d}")


def utc_from_input(value: str) -> str | None:
    """The value of a datetime-local input (device time) -> UTC RFC 3339, or the raw text if invalid."""
    if not value:
        return None
    d = js.Date.new(value)
    return value if js.isNaN(d.getTime()) else str(d.toISOString())


def human_time(iso: str, lang: str) -> str:
    options = js.Object.fromEntries([["dateStyle", "full"], ["timeStyle", "short"]])
    return str(js.Date.new(iso).toLocaleString("fr-BE" if lang == "fr" else "en-GB", options))


class App:
    def __init__(self, db, state: State, generation: int, grid: Grid) -> None:
        self.db = db
        self.state = state
        self.generation = generation
        self.grid = grid
        self.lang = js.localStorage.getItem("cellules-lang") or "fr"
        self.view = "cellules"
        self.filter = {"text": "", "commune": "", "fed": ""}
        self.open_cellule: str | None = None
        self.form: dict[str, Any] | None = None
        self.pick_mode = False
        self.map_selected: str | None = None
        self.root = by_id("app")
        self._proxies = []
        self.channel = js.BroadcastChannel.new("cellules-fwb") if hasattr(js, "BroadcastChannel") else None

    # --- plumbing ------------------------------------------------------------------------------
    def t(self, key: str, **params) -> str:
        return t(key, self.lang, **params)

    def listen(self, target, event: str, handler: Callable) -> None:
        proxy = create_proxy(handler)
        self._proxies.append(proxy)
        target.addEventListener(event, proxy)

    def status(self, text: str, error: bool = False) -> None:
        """The line under the tabs; an error sticks to the top of the screen (where the user looks,
        however far down they scrolled) until the next message."""
        node = by_id("status")
        node.className = "error-text status-line" if error else "muted"
        node.textContent = text

    async def act(self, change: Callable[[State], tuple[State, Any]], *,
                  undo: str | dict | None | bool | Callable[[State, State, Any], Any] = False,
                  journal: Callable[[Any], dict] | None = None) -> tuple[bool, Any]:
        """Apply a core function to the freshest stored state and persist the result atomically
        (with, in the same transaction, an undo record and a journal entry when given). `undo` may
        be a function of (state before, state after, report): it runs under the cross-tab lock, so
        the undo of this operation is made from the very state it changed, never from a state
        another tab changed meanwhile. Any failure (a core error, storage full…) returns
        (False, error) and leaves both the stored data and `self.state` as they were."""
        box: dict[str, Any] = {}

        async def body():
            try:
                generation = await store.read_generation(self.db)
                if generation != self.generation:
                    await self.reload(render=False)
                before = self.state
                new, info = change(before)
                undo_value = undo(before, new, info) if callable(undo) else undo
                self.generation = await store.save(self.db, before, new, self.generation, undo=undo_value,
                                                   journal=journal(info) if journal else None)
            except CellulesError as exc:
                box["error"] = exc
                return
            except (ValueError, TypeError, OverflowError, RecursionError, MemoryError, KeyError) as exc:
                # a value the core let through but cannot store: nothing is written, the user is told
                js.console.error(f"act: {exc!r}")
                box["error"] = WebError("unexpected", detail=type(exc).__name__)
                return
            self.state = new
            box["info"] = info

        await store.with_lock(body)
        if "error" in box:
            return False, box["error"]
        if self.channel:
            self.channel.postMessage("changed")
        return True, box.get("info")

    async def reload(self, render: bool = True) -> None:
        state, generation = await store.load(self.db)
        if state is not None:
            self.state, self.generation = state, generation
        if render:
            self.render_header()
            self.render_list()
            self.refresh_map()

    # --- skeleton ------------------------------------------------------------------------------
    def mount(self) -> None:
        js.document.documentElement.lang = self.lang
        tabs = el("nav", {"class": "tabs", "role": "tablist", "aria-label": "Sections"})
        for name, _key in TABS:
            tabs.appendChild(el("button", {"type": "button", "role": "tab", "id": f"tab-{name}",
                                           "data-action": "tab", "data-tab": name, "aria-controls": f"view-{name}"}))
        replace_children(
            self.root,
            el("div", {"id": "backup-banner", "class": "banner", "role": "status", "hidden": True}),
            tabs,
            el("p", {"id": "status", "role": "status", "aria-live": "polite", "class": "muted"}),
            el("section", {"id": "view-cellules", "role": "tabpanel", "aria-labelledby": "tab-cellules"},
               el("div", {"class": "row", "id": "list-tools"}),
               el("div", {"id": "form-slot"}),
               el("div", {"id": "list-slot"})),
            el("section", {"id": "view-map", "role": "tabpanel", "aria-labelledby": "tab-map", "hidden": True}),
            el("section", {"id": "view-exchange", "role": "tabpanel", "aria-labelledby": "tab-exchange",
                           "hidden": True}),
            el("section", {"id": "view-sources", "role": "tabpanel", "aria-labelledby": "tab-sources",
                           "hidden": True}),
            el("section", {"id": "view-help", "role": "tabpanel", "aria-labelledby": "tab-help", "hidden": True}),
            el("section", {"id": "view-settings", "role": "tabpanel", "aria-labelledby": "tab-settings",
                           "hidden": True}),
            el("dialog", {"id": "qr-dialog", "aria-labelledby": "qr-title", "class": "qr-dialog"}),
        )
        self.exchange = Exchange(self)
        self.mapview = MapView(self)
        self.mapview.mount(by_id("view-map"))
        self.listen(self.root, "click", self.on_click)
        self.listen(self.root, "submit", self.on_submit)
        self.listen(self.root, "input", self.on_input)
        self.listen(self.root, "change", self.on_input)
        self.listen(self.root, "keydown", self.on_keydown)
        lang = by_id("lang-toggle")
        lang.hidden = False
        self.listen(lang, "click", lambda _e: self.toggle_lang())
        if self.channel:
            self.listen(self.channel, "message", lambda e: js.location.reload() if str(e.data) == "wiped"
                        else asyncio.ensure_future(self.reload()))
        self.render_all()
        self.render_backup_banner()

    def render_all(self) -> None:
        js.document.documentElement.lang = self.lang
        by_id("lang-toggle").textContent = self.t("lang.other")
        for name, key in TABS:
            tab = by_id(f"tab-{name}")
            tab.textContent = self.t(key)
            tab.setAttribute("aria-selected", "true" if self.view == name else "false")
            by_id(f"view-{name}").hidden = self.view != name
        self.render_header()
        self.render_tools()
        self.render_form()
        self.render_list()
        self.mapview.render_texts()
        if self.view == "map":
            self.show_map()
        if self.view == "settings":
            self.render_settings()
        if self.view == "exchange":
            self.exchange.render()
        if self.view == "sources":
            self.exchange.render_sources()
        if self.view == "help":
            self.exchange.render_help()

    def after_data_change(self) -> None:
        """Re-render what shows stored data, after an import, undo or drop-source."""
        self.render_header()
        self.render_tools()
        self.render_list()
        self.refresh_map()
        if self.view == "sources":
            self.exchange.render_sources()

    def render_header(self) -> None:
        by_id("instance-label").textContent = self.t("instance.label", name=self.state.instance_name,
                                                     id=self.state.instance_id)

    def toggle_lang(self) -> None:
        self.lang = "en" if self.lang == "fr" else "fr"
        js.localStorage.setItem("cellules-lang", self.lang)
        self.render_all()

    def switch(self, view: str) -> None:
        if self.view == "cellules" and self.form:
            self.capture_form()
        self.view = view
        self.render_all()

    # --- cellules list -------------------------------------------------------------------------
    def render_tools(self) -> None:
        communes = sorted({self.grid.nodes[c.node_id].commune.name_fr for c in self.state.live_cellules()
                           if c.node_id in self.grid.nodes}, key=fold)
        commune_select = el("select", {"id": "filter-commune", "data-input": "filter-commune"},
                            el("option", {"value": "", "text": self.t("list.all_communes")}),
                            [el("option", {"value": c, "text": c, "selected": c == self.filter["commune"]})
                             for c in communes])
        fed_select = el("select", {"id": "filter-fed", "data-input": "filter-fed"},
                        [el("option", {"value": v, "text": self.t(k), "selected": v == self.filter["fed"]})
                         for v, k in (("", "list.fed.all"), ("local", "list.fed.local"),
                                      ("federated", "list.fed.federated"))])
        replace_children(
            by_id("list-tools"),
            el("div", {}, el("label", {"for": "filter-text", "text": self.t("list.filter")}),
               el("input", {"id": "filter-text", "type": "search", "data-input": "filter-text",
                            "value": self.filter["text"]})),
            el("div", {}, el("label", {"for": "filter-commune", "text": self.t("list.commune")}), commune_select),
            el("div", {}, el("label", {"for": "filter-fed", "text": self.t("list.fed")}), fed_select),
            el("div", {}, el("button", {"type": "button", "data-action": "new-cellule", "id": "new-cellule",
                                        "text": self.t("cellule.new")})),
        )

    def author_text(self, record) -> str:
        text = merge.author_label(self.state, record)  # "de Alice, via Bob"
        if self.lang == "en":
            text = "from " + text.removeprefix("de ").replace(", via ", ", via ")
        return text

    def node_label(self, node_id: str) -> str:
        node = self.grid.nodes.get(node_id)
        return node.label if node else self.t("map.unknown_node")

    def filtered(self) -> list[Cellule]:
        text = fold(self.filter["text"])
        out = []
        for c in self.state.live_cellules():
            node = self.grid.nodes.get(c.node_id)
            commune = node.commune.name_fr if node else ""
            if self.filter["commune"] and commune != self.filter["commune"]:
                continue
            federated = self.state.is_federated(c)
            if (self.filter["fed"] == "local" and federated) or (self.filter["fed"] == "federated" and not federated):
                continue
            if text and text not in fold(" ".join((c.name, c.description, c.contact, self.node_label(c.node_id)))):
                continue
            out.append(c)
        return out

    def save_preview(self) -> None:
        """A plain-text preview of the list that static/boot.js shows before Python is ready."""
        items = [[c.name, self.node_label(c.node_id)] for c in self.state.live_cellules()[:PREVIEW_LIMIT]]
        n = len(self.state.live_cellules())
        title = self.t("preview.title", n=n, name=self.state.instance_name)
        js.localStorage.setItem("cellules-fwb-preview", json.dumps({"title": title, "items": items},
                                                                   ensure_ascii=False))

    def render_list(self) -> None:
        self.save_preview()
        slot = by_id("list-slot")
        cellules = self.filtered()
        if not self.state.live_cellules():
            replace_children(slot, el("p", {"class": "muted", "text": self.t("list.empty")}))
            return
        if not cellules:
            replace_children(slot, el("p", {"class": "muted", "text": self.t("list.none_match")}))
            return
        cards = [self.cellule_card(c) for c in cellules[:LIST_LIMIT]]
        count = self.t("list.count", n=len(cellules))
        replace_children(slot, el("p", {"class": "muted", "id": "list-count", "text": count}),
                         el("ul", {"class": "cards", "id": "cellule-list", "role": "list"}, cards))

    def cellule_card(self, c: Cellule):
        federated = self.state.is_federated(c)
        expanded = self.open_cellule == c.id
        return el(
            "li", {"class": "card cellule", "data-id": c.id},
            el("h3", {}, el("span", {"class": "cellule-name", "text": c.name}), " ",
               el("span", {"class": "badge", "text": self.t("badge.federated")}) if federated else None),
            el("p", {"class": "muted place", "text": self.node_label(c.node_id)}),
            el("p", {"class": "muted author", "text": self.author_text(c)}) if federated else None,
            self.mark_line("cellule", c.id),
            el("p", {"class": "description", "text": c.description}) if c.description else None,
            el("p", {"class": "contact", "text": c.contact}) if c.contact else None,
            el("div", {"class": "actions"},
               el("button", {"type": "button", "class": "secondary", "data-action": "open-cellule", "data-id": c.id,
                             "aria-expanded": "true" if expanded else "false",
                             "text": f"{self.t('cellule.ateliers')} ({len(self.state.live_ateliers(c.id))})"}),
               el("button", {"type": "button", "class": "secondary", "data-action": "edit-cellule", "data-id": c.id,
                             "text": self.t("cellule.edit"), "aria-label": f"{self.t('cellule.edit')} {c.name}"}),
               el("button", {"type": "button", "class": "secondary", "data-action": "show-qr", "data-id": c.id,
                             "text": self.t("q.show"), "aria-label": f"{self.t('q.show')} {c.name}"}),
               el("button", {"type": "button", "class": "secondary", "data-action": "history-open",
                             "data-kind": "cellule", "data-id": c.id, "text": self.t("c.history"),
                             "aria-label": f"{self.t('c.history')} {c.name}"}),
               el("button", {"type": "button", "class": "danger", "data-action": "delete-cellule", "data-id": c.id,
                             "text": self.t("cellule.delete"), "aria-label": f"{self.t('cellule.delete')} {c.name}"})),
            self.ateliers_block(c) if expanded else None,
        )

    def mark_line(self, kind: str, record_id: str):
        """« modifié aussi par Alice » until the user looks (opens the history or says « J’ai vu »)."""
        mark = self.state.mark(kind, record_id)
        if mark is None:
            return None
        return el("p", {"class": "mark", "role": "note"},
                  el("span", {"class": "mark-text", "text": merge.mark_text(self.state, mark, self.lang)}), " ",
                  el("button", {"type": "button", "class": "secondary small", "data-action": "history-open",
                                "data-kind": kind, "data-id": record_id, "text": self.t("c.history")}), " ",
                  el("button", {"type": "button", "class": "secondary small", "data-action": "mark-seen",
                                "data-kind": kind, "data-id": record_id, "text": self.t("c.mark_seen")}))

    def ateliers_block(self, c: Cellule):
        now = str(js.Date.new().toISOString())
        ateliers = self.state.live_ateliers(c.id)
        upcoming = [a for a in ateliers if (a.ends_at or a.starts_at) >= now]
        past = [a for a in ateliers if (a.ends_at or a.starts_at) < now]
        items = []
        for a in upcoming + list(reversed(past)):
            items.append(el(
                "li", {"class": "atelier" + (" past" if a in past else ""), "data-id": a.id},
                el("strong", {"class": "atelier-title", "text": a.title}), " — ",
                el("span", {"text": human_time(a.starts_at, self.lang)}),
                el("span", {"class": "muted", "text": f" ({self.t('atelier.past')})"}) if a in past else None,
                el("span", {"class": "muted", "text": f" · {a.place}"}) if a.place else None,
                self.mark_line("atelier", a.id),
                el("p", {"class": "description", "text": a.description}) if a.description else None,
                el("div", {"class": "actions"},
                   el("button", {"type": "button", "class": "secondary", "data-action": "edit-atelier", "data-id": a.id,
                                 "text": self.t("cellule.edit"), "aria-label": f"{self.t('cellule.edit')} {a.title}"}),
                   el("button", {"type": "button", "class": "secondary", "data-action": "history-open",
                                 "data-kind": "atelier", "data-id": a.id, "text": self.t("c.history"),
                                 "aria-label": f"{self.t('c.history')} {a.title}"}),
                   el("button", {"type": "button", "class": "danger", "data-action": "delete-atelier",
                                 "data-id": a.id, "text": self.t("cellule.delete"),
                                 "aria-label": f"{self.t('cellule.delete')} {a.title}"})),
            ))
        return el("div", {"class": "ateliers"},
                  el("h4", {"text": self.t("cellule.ateliers")}),
                  el("ul", {"class": "atelier-list"}, items) if items else el("p", {"class": "muted",
                                                                                   "text": self.t("atelier.none")}),
                  el("button", {"type": "button", "data-action": "new-atelier", "data-id": c.id,
                                "text": self.t("atelier.new")}))

    # --- forms ---------------------------------------------------------------------------------
    def field(self, name: str, key: str, value: str, *, kind: str = "text", required: bool = False):
        attrs = {"id": f"f-{name}", "name": name, "required": required}
        if kind == "textarea":
            control = el("textarea", attrs | {"rows": "4"})
            control.value = value
        else:
            control = el("input", attrs | {"type": kind, "value": value})
        return el("div", {}, el("label", {"for": f"f-{name}", "text": self.t(key)}), control)

    def render_form(self) -> None:
        slot = by_id("form-slot")
        if not self.form:
            clear(slot)
            return
        v = self.form["values"]
        error = el("p", {"id": "form-error", "class": "error-text", "role": "alert",
                         "text": self.form.get("error", "")})
        if self.form["kind"] == "cellule":
            node = v.get("nodeId", "")
            chosen = self.t("cellule.node_chosen", label=self.node_label(node)) if node else self.t("cellule.node_none")
            body = [
                self.field("name", "field.name", v.get("name", ""), required=True),
                self.field("description", "field.description", v.get("description", ""), kind="textarea"),
                self.field("contact", "field.contact", v.get("contact", "")),
                el("fieldset", {"class": "card"},
                   el("legend", {"text": self.t("cellule.node")}),
                   el("p", {"id": "node-chosen", "text": chosen}),
                   el("label", {"for": "node-search", "text": self.t("cellule.node_search")}),
                   el("input", {"id": "node-search", "type": "search", "data-input": "node-search",
                                "autocomplete": "off"}),
                   el("ul", {"id": "node-results", "class": "results"}),
                   el("button", {"type": "button", "class": "secondary", "data-action": "pick-on-map",
                                 "text": self.t("cellule.node_pick_map")})),
            ]
            title = self.t("cellule.edit") if self.form.get("id") else self.t("cellule.new")
        else:
            body = [
                self.field("title", "field.title", v.get("title", ""), required=True),
                self.field("startsAt", "field.startsAt", local_input_value(v.get("startsAt")), kind="datetime-local",
                           required=True),
                self.field("endsAt", "field.endsAt", local_input_value(v.get("endsAt")), kind="datetime-local"),
                self.field("place", "field.place", v.get("place", "")),
                self.field("description", "field.description", v.get("description", ""), kind="textarea"),
            ]
            title = self.t("cellule.edit") if self.form.get("id") else self.t("atelier.new")
        form = el("form", {"class": "card", "data-form": self.form["kind"], "id": "edit-form", "novalidate": True},
                  el("h2", {"text": title}), error, body,
                  el("div", {"class": "actions"},
                     el("button", {"type": "submit", "text": self.t("form.save")}),
                     el("button", {"type": "button", "class": "secondary", "data-action": "cancel-form",
                                   "text": self.t("form.cancel")}),
                     el("button", {"type": "button", "class": "secondary", "data-action": "history-open",
                                   "data-kind": self.form["kind"], "data-id": self.form["id"], "id": "form-history",
                                   "text": self.t("c.history")}) if self.form.get("id") else None))
        replace_children(slot, form)
        first = form.querySelector("input, textarea")
        if first:
            first.focus()

    def capture_form(self) -> None:
        form = by_id("edit-form")
        if not form or not self.form:
            return
        for control in form.querySelectorAll("[name]"):
            name = control.name
            value = str(control.value)
            if name in ("startsAt", "endsAt"):
                value = utc_from_input(value)
            self.form["values"][name] = value

    def open_form(self, kind: str, record_id: str | None = None, **values) -> None:
        if record_id:
            record = (self.state.cellules if kind == "cellule" else self.state.ateliers)[record_id]
            values = {rule.key: getattr(record, rule.attr) or "" for rule in record.FIELDS} | values
        # `original`: what the user saw; only fields changed from it are saved, so an edit never
        # reverts what another tab or a merge changed meanwhile in fields the user did not touch.
        self.form = {"kind": kind, "id": record_id, "values": values, "original": dict(values), "error": ""}
        self.render_form()
        by_id("form-slot").scrollIntoView()

    async def submit_form(self) -> None:
        self.capture_form()
        form = self.form
        values = dict(form["values"])
        kind = form["kind"]
        if kind == "cellule":
            values = {k: values.get(k, "") for k in ("name", "description", "contact", "nodeId")}
            if not values["nodeId"]:
                values["nodeId"] = None
        else:
            values = {k: values.get(k) for k in ("celluleId", "title", "startsAt", "endsAt", "place", "description")}
        if form["id"]:
            values.pop("celluleId", None)
            values = {k: v for k, v in values.items() if (v or None) != (form["original"].get(k) or None)}
            ok, info = await self.act(lambda s: actions.edit(s, kind, form["id"], values, now_ms=now_ms(),
                                                             known_nodes=self.grid))
        elif kind == "cellule":
            ok, info = await self.act(lambda s: actions.create_cellule(s, values, now_ms=now_ms(),
                                                                       random_bytes=os.urandom(16),
                                                                       known_nodes=self.grid))
        else:
            ok, info = await self.act(lambda s: actions.create_atelier(s, values, now_ms=now_ms(),
                                                                       random_bytes=os.urandom(16)))
        if not ok:
            form["error"] = info.message(self.lang)
            by_id("form-error").textContent = form["error"]
            return
        self.form = None
        if isinstance(info, Atelier):
            self.open_cellule = info.cellule_id
            self.status(self.t("atelier.saved", title=info.title))
        else:
            self.status(self.t("cellule.saved", name=info.name))
        self.render_form()
        self.render_tools()
        self.render_list()
        self.refresh_map()

    def render_node_results(self, query: str, target_id: str, action: str) -> None:
        self._last_hits = self.grid.search(query)
        replace_children(by_id(target_id), hit_items(self, self._last_hits, action))

    async def wipe(self) -> None:
        """« Effacer toutes mes données »: only after the user types the confirmation word."""
        answer = js.window.prompt(self.t("settings.wipe_confirm"))
        if answer is None or str(answer).strip().upper() != self.t("settings.wipe_word"):
            self.status(self.t("settings.wipe_cancelled"))
            return
        self.db.close()
        done = asyncio.get_event_loop().create_future()
        request = js.indexedDB.deleteDatabase(store.DB_NAME)
        request.onsuccess = create_proxy(lambda _e: done.done() or done.set_result(True))
        request.onerror = create_proxy(lambda _e: done.done() or done.set_result(False))
        request.onblocked = create_proxy(lambda _e: None)  # other tabs close theirs on reload
        await done
        js.localStorage.removeItem("cellules-fwb-preview")
        if self.channel:
            self.channel.postMessage("wiped")
        js.location.reload()

    def render_backup_banner(self) -> None:
        """Eviction and loss happen: remind to export when the last full backup is > 30 days old."""
        last = self.state.last_full_export_at
        if not last:
            return
        days = int((js.Date.now() - js.Date.new(last).getTime()) // 86_400_000)
        if days <= 30:
            return
        banner = by_id("backup-banner")
        replace_children(banner, el("span", {"text": self.t("x.last_backup_old", days=days).split(" — ")[0] + " — "}),
                         el("button", {"type": "button", "data-action": "backup-now", "text": self.t("x.export_full")}))
        banner.hidden = False

    # --- QR ---------------------------------------------------------------------------------------
    def show_qr(self, cellule_id: str) -> None:
        from app.core import payload, qr

        cellule = self.state.cellules[cellule_id]
        text = payload.encode(qr.cellule_document(self.state, cellule_id, now_ms=now_ms()))
        page_url = str(js.location.href)
        texts = qr.cellule_frames(text, page_url)
        codes = [qr.make(t) for t in texts]
        self._qr_images = ["data:image/svg+xml;base64," + base64.b64encode(qr.svg(c, scale=10).encode()).decode()
                           for c in codes]
        name = f"cellule-{cellule.id}"
        png_url = js.URL.createObjectURL(js.Blob.new(to_js([to_js(qr.png(codes[0], scale=10))]),
                                                     js.Object.fromEntries(to_js([["type", "image/png"]]))))
        svg_url = js.URL.createObjectURL(js.Blob.new(to_js([qr.svg(codes[0], scale=10)]),
                                                     js.Object.fromEntries(to_js([["type", "image/svg+xml"]]))))
        link = payload.make_link(page_url, text)
        dialog = by_id("qr-dialog")
        replace_children(
            dialog,
            el("h2", {"id": "qr-title", "text": self.t("q.title", name=cellule.name)}),
            el("img", {"id": "qr-image", "src": self._qr_images[0], "alt": self.t("q.alt", name=cellule.name),
                       "width": "360", "height": "360", "data-frames": str(len(codes)),
                       "data-version": str(codes[0].version),
                       "data-holds": "link" if texts[0].startswith(page_url.split("#", 1)[0]) else "payload"}),
            el("p", {"id": "qr-frame", "class": "muted",
                     "text": self.t("q.single", version=codes[0].version) if len(codes) == 1
                     else self.t("q.frames", n=len(codes))}),
            el("div", {"class": "actions"},
               el("a", {"class": "button", "href": png_url, "download": f"{name}.png", "id": "qr-png", "text": "PNG"})
               if len(codes) == 1 else None,
               el("a", {"class": "button", "href": svg_url, "download": f"{name}.svg", "id": "qr-svg", "text": "SVG"})
               if len(codes) == 1 else None,
               el("button", {"type": "button", "class": "secondary", "data-action": "close-qr",
                             "text": self.t("q.close")})),
            el("label", {"for": "qr-link", "text": self.t("q.link")}),
            el("input", {"id": "qr-link", "readonly": True, "value": link}),
        )
        if len(codes) > 1:
            self._qr_index = 0

            def step():
                self._qr_index = (self._qr_index + 1) % len(self._qr_images)
                image = by_id("qr-image")
                if image:
                    image.src = self._qr_images[self._qr_index]
                    by_id("qr-frame").textContent = self.t("q.frame", i=self._qr_index + 1, n=len(codes))

            self._qr_step = create_proxy(step)
            self._qr_timer = js.setInterval(self._qr_step, 250)  # ~4 frames per second
        dialog.showModal()

    def close_qr(self) -> None:
        if getattr(self, "_qr_timer", None):
            js.clearInterval(self._qr_timer)
            self._qr_timer = None
        dialog = by_id("qr-dialog")
        if dialog.open:
            dialog.close()

    # --- map ---------------------------------------------------------------------------------
    def show_map(self) -> None:
        self.mapview.show()

    def refresh_map(self) -> None:
        self.mapview.refresh()

    # --- settings ------------------------------------------------------------------------------
    def render_settings(self) -> None:
        view = by_id("view-settings")
        replace_children(
            view,
            el("form", {"class": "card", "data-form": "settings"},
               el("label", {"for": "instance-name", "text": self.t("settings.name")}),
               el("input", {"id": "instance-name", "name": "instanceName", "value": self.state.instance_name,
                            "required": True}),
               el("p", {"id": "settings-error", "class": "error-text", "role": "alert"}),
               el("button", {"type": "submit", "text": self.t("form.save")})),
            el("p", {}, f"{self.t('settings.id')} : ", el("code", {"id": "instance-id",
                                                                    "text": self.state.instance_id})),
            el("h2", {"text": self.t("settings.storage")}),
            el("p", {"id": "storage-status"}),
            el("h2", {"text": self.t("settings.danger")}),
            el("p", {"class": "muted", "text": self.t("settings.wipe_explain")}),
            el("button", {"type": "button", "class": "danger", "id": "wipe", "data-action": "wipe",
                          "text": self.t("settings.wipe")}),
        )
        asyncio.ensure_future(self.render_storage())

    async def render_storage(self) -> None:
        info = await store.storage_info()
        node = by_id("storage-status")
        if not node:
            return
        text = self.t("settings.persisted" if info["persisted"] else "settings.not_persisted")
        if info["usage"] is not None:
            text += " " + self.t("settings.usage", used=_bytes(info["usage"]), quota=_bytes(info["quota"]))
        node.textContent = text
        by_id("storage-info").textContent = self.t("settings.usage", used=_bytes(info["usage"] or 0),
                                                   quota=_bytes(info["quota"] or 0))

    # --- events --------------------------------------------------------------------------------
    def on_click(self, event) -> None:
        target = event.target.closest("[data-action]")
        if not target:
            return
        action = data(target, "action")
        if action == "tab":  # at once, not on the next tick: a later event must not be overtaken
            self.switch(data(target, "tab"))
            return
        asyncio.ensure_future(self.handle(action, target))

    async def handle(self, action: str, target) -> None:
        try:
            await self._handle(action, target)
        except CellulesError as exc:
            self.status(exc.message(self.lang), error=True)
        except Exception as exc:  # a bug still reaches the screen in French (details in the console)
            js.console.error(f"action {action}: {exc!r}")
            self.status(t("err.unexpected", self.lang, detail=type(exc).__name__), error=True)

    async def _handle(self, action: str, target) -> None:
        rid = data(target, "id")
        if await self.exchange.handle(action, target) or await self.mapview.handle(action, target):
            return
        if action == "tab":
            self.switch(data(target, "tab"))
        elif action == "new-cellule":
            self.open_form("cellule")
        elif action == "edit-cellule":
            self.open_form("cellule", rid)
        elif action == "new-atelier":
            self.open_form("atelier", None, celluleId=rid)
        elif action == "edit-atelier":
            self.open_form("atelier", rid)
        elif action == "cancel-form":
            self.form = None
            self.render_form()
        elif action == "open-cellule":
            self.open_cellule = None if self.open_cellule == rid else rid
            self.render_list()
        elif action in ("delete-cellule", "delete-atelier"):
            kind = action.split("-")[1]
            record = (self.state.cellules if kind == "cellule" else self.state.ateliers)[rid]
            label = {"name": record.name} if kind == "cellule" else {"title": record.title}
            if not js.window.confirm(self.t(f"{kind}.confirm_delete", **label)):
                return
            ok, info = await self.act(lambda s: (actions.delete(s, kind, rid, now_ms=now_ms()), None))
            if not ok:
                self.status(info.message(self.lang), error=True)
                return
            self.status(self.t(f"{kind}.deleted", **label))
            self.render_tools()
            self.render_list()
            self.refresh_map()
        elif action == "pick-node":
            self.form["values"]["nodeId"] = self._last_hits[int(data(target, "index"))].node_id
            self.capture_form()
            self.render_form()
        elif action == "pick-on-map":
            self.capture_form()
            self.pick_mode = True
            self.switch("map")
        elif action == "wipe":
            await self.wipe()
        elif action == "backup-now":
            self.switch("exchange")
            await self.exchange.export("full")
            by_id("backup-banner").hidden = True
        elif action == "show-qr":
            self.show_qr(rid)
        elif action == "close-qr":
            self.close_qr()
        elif action in ("history-open", "history-restore", "history-close", "mark-seen"):
            from app.web import history

            if action == "history-open":
                history.render(self, data(target, "kind"), rid)
            elif action == "history-restore":
                await history.restore(self, target)
            elif action == "mark-seen":
                await history.acknowledge(self, data(target, "kind"), rid)
            else:
                history.close()

    def on_keydown(self, event) -> None:
        """Arrow keys move between tabs (WAI-ARIA tabs pattern)."""
        if data(event.target, "action") != "tab":
            return
        target = _tab_index([name for name, _ in TABS], data(event.target, "tab"), event.key)
        if target:
            event.preventDefault()
            self.switch(target)
            by_id(f"tab-{target}").focus()

    def on_submit(self, event) -> None:
        event.preventDefault()
        kind = data(event.target, "form")
        if kind in ("cellule", "atelier"):
            asyncio.ensure_future(self.submit_form())
        elif kind == "settings":
            asyncio.ensure_future(self.save_settings(str(by_id("instance-name").value)))

    async def save_settings(self, name: str) -> None:
        ok, info = await self.act(lambda s: (actions.rename_instance(s, name), None))
        if not ok:
            by_id("settings-error").textContent = info.message(self.lang)
            return
        by_id("settings-error").textContent = ""
        self.status(self.t("settings.saved"))
        self.render_header()

    def on_input(self, event) -> None:
        key = data(event.target, "input")
        if key in ("import-file", "scan-image"):
            files = event.target.files
            if event.type == "change" and files and files.length:
                if key == "import-file":
                    asyncio.ensure_future(self.exchange.read_file(files.item(0), str(files.item(0).name)))
                else:
                    asyncio.ensure_future(self.exchange.scan_image(files.item(0)))
            return
        if not key or (event.type == "change" and event.target.tagName != "SELECT"):
            return  # a text field's "change" (on blur) would re-render results under the pointer
        value = str(event.target.value)
        if key.startswith("filter-"):
            self.filter[key.removeprefix("filter-")] = value
            self.render_list()
        elif key == "node-search":
            self.render_node_results(value, "node-results", "pick-node")
        elif key == "map-search":
            self.render_node_results(value, "map-results", "map-hit")


def _tab_index(tabs: list[str], current: str, key: str) -> str | None:
    i = tabs.index(current)
    moves = {"ArrowRight": i + 1, "ArrowLeft": i - 1, "Home": 0, "End": len(tabs) - 1}
    return tabs[moves[key] % len(tabs)] if key in moves else None


def _bytes(n: float) -> str:
    for unit in ("o", "Ko", "Mo", "Go"):
        if n < 1024 or unit == "Go":
            return f"{n:.0f} {unit}" if unit == "o" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)
