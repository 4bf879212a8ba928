"""The cellule and atelier forms (in the « Cellules » tab): fields, the place search, saving.

The form's values live in `ctx.form` (shared with the map, which can pick the place): `original`
is what the user saw, and only fields changed from it are saved, so an edit never reverts what
another tab or a merge changed meanwhile in fields the user did not touch.
"""

from __future__ import annotations

import os
from datetime import datetime

import js  # type: ignore[import-not-found]

from app.core import actions, brussels, clock
from app.core.errors import CellulesError
from app.core.model import Atelier
from app.web.context import Context
from app.web.dom import by_id, clear, data, el, replace_children, reveal, set_text


def now_ms() -> int:
    return int(js.Date.now())


def local_input_value(iso: str | None) -> str:
    """UTC RFC 3339 -> the value of a datetime-local input: Brussels time, as the lists show it, whatever
    time zone the device is set to."""
    if not iso:
        return ""
    try:
        return brussels.local(clock.parse_rfc3339(iso)).strftime("%Y-%m-%dT%H:%M")
    except CellulesError:
        return ""


def utc_from_input(value: str) -> str | None:
    """The value of a datetime-local input (Brussels time, as the lists show it) -> UTC RFC 3339, or the
    raw text if it is not a date and time (the model then names what is wrong)."""
    if not value:
        return None
    try:
        return clock.format_ms(brussels.instant(datetime.fromisoformat(value)))
    except (ValueError, TypeError, OverflowError):  # not a date, one with a zone, or out of range
        return value


class FormsView:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def t(self, key: str, **params) -> str:
        return self.ctx.t(key, **params)

    def field(self, name: str, key: str, value: str, *, kind: str = "text", required: bool = False):
        attrs = {"id": f"f-{name}", "name": name, "required": required}
        if kind == "textarea":
            control = el("textarea", attrs | {"rows": "4"})
            control.value = value
        else:
            control = el("input", attrs | {"type": kind, "value": value})
        return el("div", {}, el("label", {"for": f"f-{name}", "text": self.t(key)}), control)

    def node_label(self, node_id: str) -> str:
        node = self.ctx.grid.nodes.get(node_id)
        return node.label if node else self.t("map.unknown_node")

    def render(self, focus: str | None = None) -> None:
        """Draw the form (or nothing); `focus`: "first" (its first field) or an element id."""
        slot = by_id("form-slot")
        form_state = self.ctx.form
        if not form_state:
            clear(slot)
            return
        v = form_state["values"]
        error = el("p", {"id": "form-error", "class": "error-text", "role": "alert",
                         "text": form_state.get("error", "")})
        if form_state["kind"] == "cellule":
            node = v.get("nodeId", "")
            chosen = self.t("cellule.node_chosen", label=self.node_label(node)) if node else self.t("cellule.node_none")
            picked = form_state.get("picked")
            if node and picked and picked[0] == node:
                chosen = self.t("cellule.node_chosen_in", place=picked[1], label=self.node_label(node))
            body = [
                self.field("name", "field.name", v.get("name", ""), required=True),
                self.field("description", "field.description", v.get("description", ""), kind="textarea"),
                self.field("contact", "field.contact", v.get("contact", "")),
                el("fieldset", {"class": "card"},
                   el("legend", {"text": self.t("cellule.node")}),
                   el("p", {"id": "node-chosen", "text": chosen}),
                   el("label", {"for": "node-search", "text": self.t("cellule.node_search")}),
                   el("input", {"id": "node-search", "type": "search", "data-input": "node-search",
                                "autocomplete": "off", "aria-describedby": "node-search-message"}),
                   el("p", {"id": "node-search-message", "class": "error-text", "role": "status"}),
                   el("ul", {"id": "node-results", "class": "results"}),
                   el("button", {"type": "button", "class": "secondary", "data-action": "pick-on-map",
                                 "text": self.t("cellule.node_pick_map")})),
            ]
            title = self.t("cellule.edit") if form_state.get("id") else self.t("cellule.new")
        else:
            body = [
                self.field("title", "field.title", v.get("title", ""), required=True),
                self.field("startsAt", "field.startsAt", local_input_value(v.get("startsAt")), kind="datetime-local",
                           required=True),
                self.field("endsAt", "field.endsAt", local_input_value(v.get("endsAt")), kind="datetime-local"),
                self.field("place", "field.place", v.get("place", "")),
                self.field("description", "field.description", v.get("description", ""), kind="textarea"),
            ]
            cellule = self.ctx.state.cellules.get(v.get("celluleId") or "")
            title = (self.t("cellule.edit") if form_state.get("id")
                     else self.t("atelier.new_for", name=cellule.name) if cellule else self.t("atelier.new"))
        form = el("form", {"class": "card", "data-form": form_state["kind"], "id": "edit-form", "novalidate": True},
                  el("h2", {"text": title}), error, body,
                  el("div", {"class": "actions"},
                     el("button", {"type": "submit", "text": self.t("form.save")}),
                     el("button", {"type": "button", "class": "secondary", "data-action": "cancel-form",
                                   "text": self.t("form.cancel")}),
                     el("button", {"type": "button", "class": "secondary", "data-action": "history-open",
                                   "data-kind": form_state["kind"], "data-id": form_state["id"], "id": "form-history",
                                   "text": self.t("c.history")}) if form_state.get("id") else None))
        replace_children(slot, form)
        target = form.querySelector("input, textarea") if focus == "first" else by_id(focus) if focus else None
        if target:
            target.focus(js.Object.fromEntries([["preventScroll", True]]))

    def capture(self) -> None:
        form = by_id("edit-form")
        if not form or not self.ctx.form:
            return
        for control in form.querySelectorAll("[name]"):
            name = control.name
            value = str(control.value)
            if name in ("startsAt", "endsAt"):
                value = utc_from_input(value)
            self.ctx.form["values"][name] = value

    def open(self, kind: str, record_id: str | None = None, return_to: str | None = None, **values) -> None:
        if record_id:
            state = self.ctx.state
            record = (state.cellules if kind == "cellule" else state.ateliers)[record_id]
            values = {rule.key: getattr(record, rule.attr) or "" for rule in record.FIELDS} | values
        self.ctx.form = {"kind": kind, "id": record_id, "values": values, "original": dict(values), "error": "",
                         "return_to": return_to}
        self.render(focus="first")
        reveal("edit-form")  # in view on a phone too: the form is above the list the user scrolled

    def close(self, saved_id: str | None = None) -> None:
        """No form any more; the focus goes back to where the user opened it (or to the saved card)."""
        back = (self.ctx.form or {}).get("return_to")
        self.ctx.form = None
        self.render()
        if saved_id and not back:
            back = f"li.cellule[data-id='{saved_id}'] [data-action=edit-cellule]"
        self.ctx.focus_later(back or "#new-cellule")

    # --- handlers (app/web/actions.py) ------------------------------------------------------------
    def on_new_cellule(self, _target) -> None:
        self.open("cellule")

    def on_edit(self, target) -> None:
        action, rid = data(target, "action"), data(target, "id")
        self.open(action.removeprefix("edit-"), rid, return_to=f"[data-action={action}][data-id='{rid}']")

    def on_new_atelier(self, target) -> None:
        rid = data(target, "id")
        self.open("atelier", None, return_to=f"[data-action=new-atelier][data-id='{rid}']", celluleId=rid)

    def on_cancel(self, _target) -> None:
        self.close()

    def on_node_search(self, target) -> None:
        """The places that match, or (as the map's search says) the closest names, or that none does."""
        set_text(by_id("node-search-message"), self.ctx.search_into(str(target.value), "node-results", "pick-node"))

    def on_pick_node(self, target) -> None:
        hit = self.ctx.hits[int(data(target, "index"))]
        self.ctx.form["values"]["nodeId"] = hit.node_id
        # a quarter lies in a hexagon named after another place: the form says both (« Salzinnes, dans … »)
        self.ctx.form["picked"] = (hit.node_id, hit.label) if hit.kind == "quarter" else None
        self.capture()
        self.render(focus="node-search")

    def on_pick_on_map(self, _target) -> None:
        self.capture()
        self.ctx.pick_mode = True
        self.ctx.go("map")

    async def on_submit(self, _target) -> None:
        """« Enregistrer »: one write per form. A submit while this form is being saved, or once it is saved
        (a late second click or Enter), writes nothing (the shell holds clicks back too)."""
        form = self.ctx.form
        if not form or form.get("sent"):
            return
        self.capture()
        form["sent"] = True  # being saved, then saved
        values = dict(form["values"])
        kind = form["kind"]
        if kind == "cellule":
            values = {k: values.get(k, "") for k in ("name", "description", "contact", "nodeId")}
            if not values["nodeId"]:
                values["nodeId"] = None
        else:
            values = {k: values.get(k) for k in ("celluleId", "title", "startsAt", "endsAt", "place", "description")}
        grid = self.ctx.grid
        if form["id"]:
            values.pop("celluleId", None)
            values = {k: v for k, v in values.items() if (v or None) != (form["original"].get(k) or None)}

            def change(s):
                return actions.edit(s, kind, form["id"], values, now_ms=now_ms(), known_nodes=grid)
        elif kind == "cellule":
            def change(s):
                return actions.create_cellule(s, values, now_ms=now_ms(), random_bytes=os.urandom(16),
                                              known_nodes=grid)
        else:
            def change(s):
                return actions.create_atelier(s, values, now_ms=now_ms(), random_bytes=os.urandom(16))
        ok = False
        try:
            ok, info = await self.ctx.session.act(change)
        finally:
            form["sent"] = ok  # refused (or a bug): once corrected, it may be saved
        if not ok:
            form["error"] = info.message(self.ctx.lang)
            set_text(by_id("form-error"), form["error"])
            return
        if isinstance(info, Atelier):
            self.ctx.open_cellule(info.cellule_id)
            self.ctx.status(self.t("atelier.saved", title=info.title))
        else:
            self.ctx.status(self.t("cellule.saved", name=info.name))
        self.ctx.changed()
        self.close(saved_id=None if isinstance(info, Atelier) else info.id)
