"""Each field's history, opened from a cellule's card, an atelier's row, or the edit form.

A record keeps the values that were replaced (by the user or by an import that lost or won a
conflict) in `record.history` (bounded and validated by the core). This dialog lists them per field
with who wrote each and when; « Rétablir cette valeur » makes that value a NEW edit
(actions.restore_value), so it wins everywhere the next exchange goes. Opening the history is
"looking": it clears the « modifié aussi par … » mark of that record (actions.acknowledge).

After a restore the dialog is drawn again (newest first, the message above the list): another value's
« Rétablir cette valeur » may now sit where the finger or the pointer was. A click at that same spot
before the pointer went elsewhere is the first click repeated, not a choice of that value: it writes
nothing (`HistoryDialog.on_restore`). The keyboard's Enter has no spot: the focus went to the message.

Who wrote a value is told by its stamp's node (`writer`), never as a raw reference: this device
« vous (cet appareil) »; another device of this group (State.own_nodes, or the group's first device,
actions.first_device_id) « votre autre appareil »; a group's first device (its node drawn from its id)
or a group written by its id: its name (numbered when shared, app.core.names). A node known nowhere is a
device restored from a backup, whose node no file named: on a record of this group (whose `via` stays
empty: a record of ours brought back) the other device of this group a backup came from
(merge.from_other_device); on a record a group gave (`origin`, `via`) « un appareil de « Alice » » when
one group did, else « un autre appareil ».
"""

from __future__ import annotations

import asyncio

import js  # type: ignore[import-not-found]

from app.core import actions, i18n, names
from app.core.clock import Timestamp
from app.web.context import Context
from app.web.dom import by_id, data, el, replace_children, reveal, set_text
from app.web.feedback import give_back, remember
from app.web.preview import field_label, show


def _table(app: Context, kind: str):
    return app.state.cellules if kind == "cellule" else app.state.ateliers


def writer(app: Context, record, node: str) -> str:
    """Who wrote a stamp of `record` whose node is `node`, in words (never the node itself)."""
    state = app.state
    if names.this_device_wrote(state, node):
        return app.t("hi.this_device")
    if node in state.own_nodes or node == actions.first_device_id(state.instance_id):
        return app.t("m.other_device")
    labels = names.labels(state)
    group = node if node in labels else next((g for g in labels if actions.first_device_id(g) == node), None)
    if group is not None:
        return names.shown_name(app.lang, labels[group])
    groups = [g for g in dict.fromkeys((record.origin, *record.via)) if g not in state.own_nodes and g in labels]
    if not groups:
        return app.t("m.other_device")
    if len(groups) == 1:
        return app.t("hi.device_of", name=names.shown_name(app.lang, labels[groups[0]]))
    return app.t("hi.some_device")


def _who_when(app: Context, record, stamp: str) -> tuple[str, str]:
    try:
        ts = Timestamp.parse(stamp)
    except Exception:  # history is validated by the core; this is only a label
        return app.t("hi.some_device"), stamp
    return writer(app, record, ts.node), i18n.fmt_datetime(app.lang, ts.millis, year=True)


def render(app: Context, kind: str, record_id: str) -> None:
    """Open (or refresh) the history dialog of one record."""
    record = _table(app, kind).get(record_id)
    dialog = by_id("history-dialog")
    if not dialog:
        dialog = el("dialog", {"id": "history-dialog", "class": "history-dialog", "aria-labelledby": "history-title"})
        by_id("app").appendChild(dialog)
        # closed (button or Escape): the focus goes back to the control that opened it, even re-rendered
        app.listen(dialog, "close", lambda _e: give_back(str(dialog.getAttribute("data-opener") or "") or None))
    if record is None:
        return
    name = record.name if kind == "cellule" else record.title
    sections = []
    for rule in record.FIELDS:
        entries = [e for e in record.history if e.field == rule.key]
        if not entries:
            continue
        items = []
        current = record.value(rule.key)
        for i, entry in enumerate(entries):
            who, when = _who_when(app, record, entry.clock)
            shown = show(entry.value, app.lang)
            items.append(el("li", {"class": "history-entry", "data-field": rule.key},
                            el("span", {"class": "history-value", "text": shown}),
                            el("span", {"class": "muted", "text": " — " + app.t("hi.entry", when=when, who=who)}),
                            " ",
                            el("em", {"class": "muted is-current", "text": app.t("hi.is_current")})
                            if entry.value == current else  # restoring it would change nothing: not offered
                            el("button", {"type": "button", "class": "secondary", "data-action": "history-restore",
                                          "data-kind": kind, "data-id": record_id, "data-field": rule.key,
                                          "data-stamp": entry.clock, "data-index": str(i),
                                          "aria-label": app.t("hi.restore") + app.t("punct.colon") + shown,
                                          "text": app.t("hi.restore")})))
        who, when = _who_when(app, record, record.stamp(rule.key))
        sections.append(el("section", {"class": "history-field", "data-field": rule.key},
                           el("h3", {"text": field_label(kind, rule.key, app.lang)}),
                           el("p", {"class": "history-current",
                                    "text": app.t("hi.current", value=show(current, app.lang), when=when, who=who)}),
                           el("ul", {}, items)))
    replace_children(
        dialog,
        el("h2", {"id": "history-title", "text": app.t("hi.title", name=name)}),
        el("p", {"class": "muted", "text": app.t("hi.explain")}),
        el("p", {"id": "history-status", "role": "status", "aria-live": "polite"}),
        sections or el("p", {"class": "muted", "id": "history-none", "text": app.t("hi.none")}),
        el("div", {"class": "actions"},
           el("button", {"type": "button", "data-action": "history-close", "id": "history-close",
                         "text": app.t("hi.close")})))
    if not dialog.open:
        dialog.showModal()
    if record.id and app.state.mark(kind, record_id):
        asyncio.ensure_future(acknowledge(app, kind, record_id))


async def acknowledge(app: Context, kind: str, record_id: str) -> None:
    """The user looked: « modifié aussi par … » goes away (on every tab)."""
    ok, _ = await app.session.act(lambda s: (actions.acknowledge(s, kind, record_id, now_ms=int(js.Date.now())), None))
    if ok:
        app.changed()


async def restore(app: Context, target) -> bool:
    kind, rid = str(target.getAttribute("data-kind")), str(target.getAttribute("data-id"))
    field, stamp = str(target.getAttribute("data-field")), str(target.getAttribute("data-stamp"))
    index = int(target.getAttribute("data-index"))
    record = _table(app, kind).get(rid)
    entries = [e for e in record.history if e.field == field] if record else []
    value = entries[index].value if index < len(entries) else None
    now = int(js.Date.now())
    ok, info = await app.session.act(lambda s: actions.restore_value(s, kind, rid, field, stamp, now_ms=now,
                                                                     value=value))
    status = by_id("history-status")
    if not ok:
        status.className = "error-text"
        set_text(status, info.message(app.lang))
        return False
    render(app, kind, rid)
    status = by_id("history-status")
    status.className = "muted"
    set_text(status, app.t("hi.restored", field=field_label(kind, field, app.lang), value=show(value, app.lang)))
    # the dialog was drawn again: the button pressed is gone, so the focus goes to what happened (not to <body>)
    reveal(status, "nearest", focus=True)
    app.changed()
    return True


def _near(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return abs(a[0] - b[0]) <= SAME_SPOT_PX and abs(a[1] - b[1]) <= SAME_SPOT_PX


def close() -> None:
    dialog = by_id("history-dialog")
    if dialog and dialog.open:
        dialog.close()


SAME_SPOT_PX = 16  # a click this close to the last restore's, the pointer not gone elsewhere: the same click


class HistoryDialog:
    """The handlers (app/web/actions.py) of the history dialog and of « J’ai vu »."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.dialog = None  # the dialog whose clicks are watched
        self.clicked: tuple[float, float] | None = None  # where the click being handled was (None: the keyboard)
        self.restored_at: tuple[float, float] | None = None  # the last restore's spot, until the pointer leaves it

    def on_open(self, target) -> None:
        render(self.ctx, data(target, "kind"), data(target, "id"))
        dialog = by_id("history-dialog")
        if dialog:
            dialog.setAttribute("data-opener", remember(target) or "")
            self.restored_at = None
            if self.dialog is None:  # the dialog stays in the page once made: watched once
                self.dialog = dialog
                self.ctx.listen(dialog, "click", self._spot)  # before the shell's handler on #app
                self.ctx.listen(dialog, "pointermove", self._moved)

    def _spot(self, event) -> None:
        self.clicked = (float(event.clientX), float(event.clientY)) if int(event.detail or 0) else None
        if self.clicked and self.restored_at and not _near(self.clicked, self.restored_at):
            self.restored_at = None  # a click elsewhere (a tap: no pointer moves in between)

    def _moved(self, event) -> None:
        if self.restored_at and not _near(self.restored_at, (float(event.clientX), float(event.clientY))):
            self.restored_at = None

    async def on_restore(self, target) -> None:
        spot = self.clicked
        if spot and self.restored_at and _near(spot, self.restored_at):
            return  # the first click again, on what the dialog drew under it since: nothing is written
        self.restored_at = spot if await restore(self.ctx, target) else None

    async def on_seen(self, target) -> None:
        await acknowledge(self.ctx, data(target, "kind"), data(target, "id"))

    def on_close(self, _target) -> None:
        close()
