"""« Journal des imports »: one line per import, replace, restore, source removal or undo, newest first.

An undo (« Annuler le dernier import ») reverts the latest journal entry before it that changed something
and is not itself an undo nor a restore on an empty device (that restore has nothing to undo: it clears the
undo record, as an undo does). A restore onto a device that held something (`undoable`,
app/core/restore_over.py) keeps the whole state before it: its undo brings the device back as it was.
An import that changed nothing (`nothingNew`, app/web/session.py) is never that entry: it left the
undo record of the import before it. `walk()` reads those links from the journal alone: the list marks
the undone entries « annulé », names what each undo reverted, and marks the one the next « Annuler le
dernier import » would revert. `undo_last()` is that undo; it says which operation it reverted.

Where the confirmation promised « vous pourrez annuler », the undo is offered right there, in view on a
phone (`offer_undo`): a button in the report of the import or replace just done (« Échanger »), and after
the message of a source just removed (« Sources »), while nothing was written since (the session's
`undo_offer`, app/web/session.py). It is « Annuler le dernier import » itself (data-action "undo"): one
handler, so a click on both at once undoes once.
"""

from __future__ import annotations

import js  # type: ignore[import-not-found]

from app.core import document, i18n, merge, names, restore_over, undo
from app.core.errors import CellulesError
from app.core.report import Report, count_phrase, undone_phrase
from app.web import store
from app.web.context import Context
from app.web.dom import by_id, el
from app.web.session import CLEAR_UNDO, NothingNew

SHOWN = 20
COUNTED = ("added", "updated", "unchanged", "conflicts", "deleted", "removed", "skipped", "refused")


class NothingToUndo(CellulesError):
    """The stored undo record is gone (an undo ran meanwhile, here or in another tab)."""

    def __init__(self) -> None:
        super().__init__("undo.nothing")


def walk(entries: list[dict]) -> tuple[dict[int, int], int | None]:
    """({undo's index: index of the entry it reverted}, index of the entry the next undo would revert),
    indexes in `entries` (newest first)."""
    reverted: dict[int, int] = {}
    last: int | None = None
    for i in range(len(entries) - 1, -1, -1):  # oldest first
        entry = entries[i]
        action = entry.get("action")
        if entry.get("nothingNew"):
            continue  # changed nothing: the undo record is still the one of the import before
        if action == "undo":
            if last is not None:
                reverted[i] = last
            last = None
        else:
            last = None if action == "restore" and not entry.get("undoable") else i
    return reverted, last


def undone(entries: list[dict]) -> set[int]:
    """Indexes, in `entries` (newest first), of the entries a later undo reverted."""
    return set(walk(entries)[0].values())


when = undo.operation_when  # an entry's date as the journal says it
operation = undo.operation  # « la fusion depuis « Alice » du … »: the operation an undo reverts


def undone_text(lang: str, op: str, report: Report, restore: bool = False) -> str:
    """« Annulé : <the operation> ; 3 cellules remises comme avant, … » (a forced undo says what it lost);
    the undo of a restore (`restore`): « … ; cet appareil est de nouveau « Mon association », tel qu’il
    était (1 cellule). » An entry written without its kinds counts « éléments »."""
    if restore and report.atelier_ids is not None:
        text = i18n.t("jr.undone_restore", lang, op=op, name=names.shown_name(lang, report.source_name),
                      what=count_phrase(lang, *report.kinds(report.added)))
        return text[:-1] + i18n.t("jr.undone_restore_lost", lang, lost=len(report.lost)) + "." if report.lost else text
    ids = (*report.updated, *report.removed, *report.added)
    if report.atelier_ids is not None:
        what = undone_phrase(lang, report.kinds(report.removed), report.kinds((*report.added, *report.updated)))
        if report.lost:
            return i18n.t("jr.undone_forced_what", lang, op=op, what=what, lost=len(report.lost))
        return i18n.t("jr.undone_what", lang, op=op, what=what)
    if report.lost:
        return i18n.t("jr.undone_forced", lang, op=op, reverts=len(ids), lost=len(report.lost))
    return i18n.t("jr.undone", lang, op=op, reverts=len(ids))


LISTED = (*COUNTED, "lost", "reattributed", "redated")  # every list of ids a stored report (Report.to_json) holds


def report_of(entry: dict, instance_id: str = "") -> Report:
    """A stored journal entry as the report it was (what its summary says: a forced undo's losses, the
    records credited to the sender, an import that changed nothing, an import from another device of
    the group `instance_id` (merge.is_device_report: « votre autre appareil »), … included)."""
    lists = {k: tuple(entry.get(k, ())) for k in LISTED}
    kinds = entry.get("atelierIds")
    report = Report(action=entry["action"], source_id=entry["sourceId"], source_name=entry["sourceName"],
                    at=entry["at"], **lists, atelier_ids=tuple(kinds) if isinstance(kinds, list) else None,
                    undoable=entry.get("undoable") is True)
    device = merge.is_device_report(report, instance_id)
    if device:
        report = merge.DeviceReport(**vars(report), adopted=tuple(entry.get("adopted", ())),
                                    offered=tuple(entry.get("offered", ())))
    return NothingNew.of(report, other_device=device) if entry.get("nothingNew") else report


def items(ctx: Context, entries: list[dict]) -> list:
    reverted, next_undo = walk(entries)
    marked = set(reverted.values())
    rows = []
    for i, entry in enumerate(entries[:SHOWN]):
        is_undone = i in marked
        report = report_of(entry, ctx.state.instance_id)
        summary = report.summary(ctx.lang)
        if i in reverted:  # an undo names what it reverted
            target = entries[reverted[i]]
            device = target.get("action") in merge.MODES and target.get("sourceId") == ctx.state.instance_id
            summary = undone_text(ctx.lang, operation(ctx.lang, target.get("action", ""), target.get("sourceName", ""),
                                                      target.get("at", ""), other_device=device), report,
                                  restore=target.get("action") == "restore")
        key = ("x.journal_entry_undone" if is_undone else "jr.entry_next_undo" if i == next_undo
               else "x.journal_entry")
        rows.append(el("li", {"class": "journal-entry undone" if is_undone else "journal-entry",
                              "data-undone": "true" if is_undone else None,
                              "data-next-undo": "true" if i == next_undo else None,
                              "data-nothing-new": "true" if entry.get("nothingNew") else None,
                              "text": ctx.t(key, when=when(ctx.lang, entry["at"]), summary=summary)}))
    return rows


async def undo_last(ctx: Context) -> tuple[str, bool, bool]:
    """« Annuler le dernier import »: reverts only what that operation changed; edits made since are
    kept, and if some cannot be, the user is told which and asked first. The undo record is read under
    the write lock: a second click, or another tab, finds it gone and undoes nothing more.
    (message, error?, changed?)"""
    force = False
    while True:
        now = int(js.Date.now())
        seen: dict = {}

        async def change(s, f=force, n=now, box=seen):
            text = await store.read_undo(ctx.session.db)
            if text is None:
                raise NothingToUndo()
            if restore_over.is_restore_undo_text(text):
                u = box["undo"] = restore_over.restore_undo_from_json(text)
                return restore_over.apply_restore_undo(s, u, now_ms=n, force=f)
            if undo.is_undo_text(text):
                u = box["undo"] = undo.undo_from_json(text)
                return undo.apply_undo(s, u, now_ms=n, force=f)
            return document.loads_state(text), None  # an undo written by an older version: the whole state

        ok, info = await ctx.session.act(change, undo=CLEAR_UNDO,
                                         journal=lambda r: r.to_json() if r is not None else None)
        if ok:
            u = seen.get("undo")
            if info is None or u is None:
                return ctx.t("x.undone"), False, True
            return undone_text(ctx.lang, operation(ctx.lang, u.action, u.label, u.at, other_device=u.other_device),
                               info, restore=u.action == "restore"), False, True
        if isinstance(info, NothingToUndo):
            return info.message(ctx.lang), True, False
        if getattr(info, "code", "") == "undo.would_lose" and not force:
            if not js.window.confirm(info.message(ctx.lang)):
                return ctx.t("x.undo_kept"), False, False
            force = True
            continue
        return info.message(ctx.lang), True, False


# --- the undo offered where the confirmation promised it ---------------------------------------------
def fresh_offer(ctx: Context) -> dict | None:
    """The undo this tab just wrote, while nothing was written since (here or in another tab)."""
    offer = ctx.session.undo_offer
    return offer if offer and offer["generation"] == ctx.session.generation else None


def undo_button(ctx: Context, offer: dict, button_id: str):
    return el("button", {"type": "button", "class": "secondary", "data-action": "undo", "id": button_id,
                         "text": ctx.t(f"jr.undo_this.{offer['action']}")})


def offer_undo(ctx: Context) -> None:
    """« Annuler cette fusion / ce remplacement / cette restauration » in the report just drawn (« Échanger »);
    « Annuler cette suppression » after the message of the source just removed (« Sources »)."""
    offer = fresh_offer(ctx)
    if offer is None:
        return
    report = by_id("report")
    if ctx.view == "exchange" and offer["action"] in (*merge.MODES, "restore") and report \
            and not by_id("report-undo"):
        report.appendChild(el("div", {"class": "actions", "id": "report-actions"},
                              undo_button(ctx, offer, "report-undo")))
        return
    region = ctx.regions[ctx.view]
    if ctx.view == "sources" and offer["action"] == "drop-source" and region.textContent \
            and "error-text" not in str(region.className) and not by_id("status-undo"):
        region.appendChild(js.document.createTextNode(" "))
        region.appendChild(undo_button(ctx, offer, "status-undo"))
        ctx.measure()
