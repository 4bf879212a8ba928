"""« Cellules »: the filtered list of cellules, each card with its ateliers, marks and buttons.

The list also saves a plain-text copy of itself (localStorage) that static/boot.js shows before
Python is ready: BOOT_PREVIEW_ITEMS cellules, far fewer than the LIST_LIMIT cards drawn here.
"""

from __future__ import annotations

import json

import js  # type: ignore[import-not-found]
from pyodide.ffi import create_once_callable  # type: ignore[import-not-found]

from app.core import actions, i18n, merge, names
from app.core.grid import fold
from app.core.model import Cellule
from app.web import store
from app.web.collate import french_order
from app.web.context import Context
from app.web.dom import by_id, clear, data, el, replace_children
from app.web.feedback import keep_in_sight

LIST_LIMIT = 300  # cards drawn; the count says how many match
BOOT_PREVIEW_ITEMS = 40  # cellules in the plain-text list shown while Python loads


def now_ms() -> int:
    return int(js.Date.now())


class CellulesView:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.filter = {"text": "", "commune": "", "fed": ""}
        self.open_cellule: str | None = None
        # the last deletion that can still be undone: {id, stamp, name, generation} (see render_undo)
        self.undo_offer: dict | None = None
        self.ranked: tuple = (None, None)  # (the cellules it ranked, name -> rank): in_reading_order

    def t(self, key: str, **params) -> str:
        return self.ctx.t(key, **params)

    def node_label(self, node_id: str) -> str:
        node = self.ctx.grid.nodes.get(node_id)
        return node.label if node else self.t("map.unknown_node")

    # --- rendering ------------------------------------------------------------------------------
    def render_tools(self) -> None:
        state, grid = self.ctx.state, self.ctx.grid
        communes = sorted({grid.nodes[c.node_id].commune.name_fr for c in state.live_cellules()
                           if c.node_id in grid.nodes}, key=fold)
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
        return merge.author_label(self.ctx.state, record, self.ctx.lang)  # « de Alice, via Bob »

    def filtered(self) -> list[Cellule]:
        state = self.ctx.state
        text = fold(self.filter["text"])
        out = []
        for c in state.live_cellules():
            node = self.ctx.grid.nodes.get(c.node_id)
            commune = node.commune.name_fr if node else ""
            if self.filter["commune"] and commune != self.filter["commune"]:
                continue
            federated = state.is_federated(c)
            if (self.filter["fed"] == "local" and federated) or (self.filter["fed"] == "federated" and not federated):
                continue
            if text and text not in fold(" ".join((c.name, c.description, c.contact, self.node_label(c.node_id)))):
                continue
            out.append(c)
        return self.in_reading_order(out)

    def in_reading_order(self, cellules: list[Cellule]) -> list[Cellule]:
        """The platform's French collation (« École » among the E, « Voisins 2 » before « Voisins 10 »),
        ranked once per state (a list of 50,000 re-renders without sorting again)."""
        state = self.ctx.state
        if self.ranked[0] is not state.cellules:
            self.ranked = (state.cellules, french_order([c.name for c in state.live_cellules()]))
        rank = self.ranked[1]
        return sorted(cellules, key=lambda c: (rank(c.name), c.id))

    def save_preview(self) -> None:
        """A plain-text preview of the list that static/boot.js shows before Python is ready."""
        state = self.ctx.state
        items = [[c.name, self.node_label(c.node_id)] for c in state.live_cellules()[:BOOT_PREVIEW_ITEMS]]
        title = self.t("preview.title", n=len(state.live_cellules()), name=state.instance_name)
        js.localStorage.setItem(store.PREVIEW_KEY, json.dumps({"title": title, "items": items}, ensure_ascii=False))

    def render_list(self) -> None:
        self.save_preview()
        self.render_undo()
        slot = by_id("list-slot")
        cellules = self.filtered()
        if not self.ctx.state.live_cellules():
            replace_children(slot, el("p", {"class": "muted", "text": self.t("list.empty")}))
            return
        if not cellules:
            replace_children(slot, el("p", {"class": "muted", "text": self.t("list.none_match")}))
            return
        cards = [self.cellule_card(c) for c in cellules[:LIST_LIMIT]]
        count = self.t("list.count", n=len(cellules))
        federated = any(self.ctx.state.is_federated(c) for c in cellules[:LIST_LIMIT])
        replace_children(slot, el("p", {"class": "muted", "id": "list-count", "text": count}),
                         self.fed_note() if federated else None,
                         el("ul", {"class": "cards", "id": "cellule-list", "role": "list"}, cards))
        self.count_in_sight()

    def count_in_sight(self) -> None:
        """« N cellules » never left under the message stuck atop a phone's screen, once the action's task ends."""
        js.setTimeout(create_once_callable(
            lambda: keep_in_sight(self.ctx.regions["cellules"], by_id("list-count"))), 0)

    def fed_note(self):
        """Once above the cards, when some are FÉDÉRÉ: « [FÉDÉRÉ] : reçue d’un autre groupe, par un fichier… »."""
        before, after = self.t("list.fed_note", badge="\0").split("\0", 1)
        return el("p", {"class": "muted fed-note", "id": "fed-note"}, before or None,
                  el("span", {"class": "fed-key", "text": self.t("badge.federated")}), after)

    def cellule_card(self, c: Cellule):
        state = self.ctx.state
        federated = state.is_federated(c)
        expanded = self.open_cellule == c.id
        return el(
            "li", {"class": "card cellule", "data-id": c.id},
            el("h3", {}, el("span", {"class": "cellule-name", "text": c.name}), " ",
               self.badge() if federated else None),
            el("p", {"class": "muted place", "text": self.node_label(c.node_id)}),
            el("p", {"class": "muted author", "text": self.author_text(c)}) if federated else None,
            self.mark_line("cellule", c.id),
            el("p", {"class": "description", "text": c.description}) if c.description else None,
            el("p", {"class": "contact", "text": c.contact}) if c.contact else None,
            el("div", {"class": "actions"},
               el("button", {"type": "button", "class": "secondary", "data-action": "open-cellule", "data-id": c.id,
                             "aria-expanded": "true" if expanded else "false",
                             "text": f"{self.t('cellule.ateliers')} ({len(state.live_ateliers(c.id))})"}),
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

    def badge(self):
        """FÉDÉRÉ and what it means, on hover (title) and read with the name (« FÉDÉRÉ : reçue d’un autre groupe »)."""
        return [el("span", {"class": "badge", "title": self.t("badge.federated_title"), "aria-hidden": "true",
                            "text": self.t("badge.federated")}),
                el("span", {"class": "sr-only", "text": self.t("badge.federated_said")})]

    def mark_line(self, kind: str, record_id: str):
        """« modifié aussi par Alice » until the user looks (opens the history or says « J’ai vu »)."""
        state = self.ctx.state
        mark = state.mark(kind, record_id)
        if mark is None:
            return None
        record = (state.cellules if kind == "cellule" else state.ateliers).get(record_id)
        # whose version lost: its value went to history flagged as a conflict, written by this device or not
        mine_lost = record is not None and any(h.conflict and h.field in mark.fields
                                               and names.this_device_wrote(state, h.clock[-8:]) for h in record.history)
        return el("p", {"class": "mark", "role": "note"},
                  el("span", {"class": "mark-text", "text": merge.mark_text(state, mark, self.ctx.lang)}),
                  " ", el("span", {"class": "mark-outcome", "text": self.t("c.mark_mine_lost" if mine_lost
                                                                            else "c.mark_mine_kept")}),
                  " ",
                  el("button", {"type": "button", "class": "secondary small", "data-action": "history-open",
                                "data-kind": kind, "data-id": record_id, "text": self.t("c.history")}), " ",
                  el("button", {"type": "button", "class": "secondary small", "data-action": "mark-seen",
                                "data-kind": kind, "data-id": record_id, "text": self.t("c.mark_seen")}))

    def ateliers_block(self, c: Cellule):
        now = str(js.Date.new().toISOString())
        ateliers = self.ctx.state.live_ateliers(c.id)
        upcoming = [a for a in ateliers if (a.ends_at or a.starts_at) >= now]
        past = [a for a in ateliers if (a.ends_at or a.starts_at) < now]
        items = []
        for a in upcoming + list(reversed(past)):
            items.append(el(
                "li", {"class": "atelier" + (" past" if a in past else ""), "data-id": a.id},
                el("strong", {"class": "atelier-title", "text": a.title}), " — ",
                el("span", {"class": "atelier-when", "text": i18n.fmt_span(self.ctx.lang, a.starts_at, a.ends_at,
                                                                                   now=now)}),
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
                                "text": self.t("atelier.new"), "aria-label": self.t("atelier.new_for", name=c.name)}))

    # --- handlers (app/web/actions.py) ------------------------------------------------------------
    def on_filter(self, target) -> None:
        self.filter[data(target, "input").removeprefix("filter-")] = str(target.value)
        self.render_list()

    def on_open(self, target) -> None:
        rid = data(target, "id")
        self.open_cellule = None if self.open_cellule == rid else rid
        self.render_list()

    async def on_delete(self, target) -> None:
        kind, rid = data(target, "action").split("-")[1], data(target, "id")
        state = self.ctx.state
        record = (state.cellules if kind == "cellule" else state.ateliers)[rid]
        label = {"name": record.name} if kind == "cellule" else {"title": record.title}
        if not js.window.confirm(self.t(f"{kind}.confirm_delete", **label)):
            return
        ok, info = await self.ctx.session.act(lambda s: (actions.delete(s, kind, rid, now_ms=now_ms()), None))
        if not ok:
            self.ctx.fail(info)
            return
        self.ctx.changed()
        if kind == "cellule":  # the deletion can be undone: the status names it and offers the way back
            stamp = self.ctx.state.cellules[rid].clock.get("deleted", "")
            self.undo_offer = {"id": rid, "stamp": stamp, "name": record.name,
                               "generation": self.ctx.session.generation}
            self.ctx.status(self.t("cellule.deleted_undo", **label), button={
                "data-action": "undo-delete-cellule", "data-id": rid, "data-stamp": stamp, "id": "undo-delete",
                "text": self.t("cellule.undo_delete")})
            self.render_undo()
        else:
            self.ctx.status(self.t(f"{kind}.deleted", **label))
        self.ctx.focus_later("#undo-delete" if kind == "cellule" else f"li.cellule[data-id='{record.cellule_id}'] "
                             "[data-action=open-cellule]")

    def render_undo(self) -> None:
        """« Cellule « X » supprimée : vous pouvez encore l’annuler. [Annuler la suppression] » at the top of
        the list while that deletion is the last change of the data (the session's generation has not moved:
        any other edit, import or undo, here or in another tab, ends the offer). Shown when the view's message
        no longer carries the offer (the user went to another tab and came back, or another message replaced
        it), so it is offered once, never twice."""
        slot = by_id("undo-slot")
        offer = self.undo_offer
        if offer and offer["generation"] != self.ctx.session.generation:
            offer = self.undo_offer = None
        region = self.ctx.regions["cellules"]
        self.count_in_sight()  # a message was just written (the shell calls this after each)
        if not slot or not offer or region.querySelector("[data-action=undo-delete-cellule]"):
            if slot:
                clear(slot)
            return
        replace_children(slot, el(
            "div", {"class": "undo-bar", "id": "undo-bar", "role": "group", "aria-labelledby": "undo-bar-text"},
            el("p", {"id": "undo-bar-text", "text": self.t("cellule.undo_bar", name=offer["name"])}),
            el("button", {"type": "button", "class": "secondary", "data-action": "undo-delete-cellule",
                          "data-id": offer["id"], "data-stamp": offer["stamp"], "id": "undo-bar-button",
                          "text": self.t("cellule.undo_delete")})))

    async def on_undo_delete(self, target) -> None:
        """« Annuler la suppression »: the cellule and the ateliers deleted with it come back (a new edit);
        only that deletion is undone: what changed since elsewhere stays."""
        rid, stamp = data(target, "id"), data(target, "stamp") or ""
        ok, info = await self.ctx.session.act(
            lambda s: actions.undelete(s, "cellule", rid, stamp, now_ms=now_ms()))
        if not ok:
            self.ctx.fail(info)
            return
        cellule = self.ctx.state.cellules[rid]
        self.ctx.changed()
        if not info:
            self.ctx.status(self.t("cellule.undelete_nothing"))
            return
        # `info` counts what came back: the cellule, and the ateliers its deletion took (if any)
        self.ctx.status(self.t("cellule.restored" if info > 1 else "cellule.restored_alone", name=cellule.name))
        self.ctx.focus_later(f"li.cellule[data-id='{rid}'] [data-action=edit-cellule]")
