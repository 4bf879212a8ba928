"""« Journal des imports »: one line per import, replace, restore, source removal or undo, newest first.

An undo (« Annuler le dernier import ») reverts the latest journal entry before it that is not itself
an undo and not a restore (a restore cannot be undone: it clears the undo record, as an undo does).
`undone()` finds those entries from the journal alone, so the list marks them « annulé ».
`undo_last()` is that undo.
"""

from __future__ import annotations

import js  # type: ignore[import-not-found]

from app.core import document, i18n, merge
from app.web import store
from app.web.context import Context
from app.web.dom import el

SHOWN = 20
COUNTED = ("added", "updated", "unchanged", "conflicts", "deleted", "removed", "skipped", "refused")


def undone(entries: list[dict]) -> set[int]:
    """Indexes, in `entries` (newest first), of the entries a later undo reverted."""
    marked: set[int] = set()
    last: int | None = None
    for i in range(len(entries) - 1, -1, -1):  # oldest first
        action = entries[i].get("action")
        if action == "undo":
            if last is not None:
                marked.add(last)
            last = None
        else:
            last = None if action == "restore" else i
    return marked


def when(lang: str, at: str) -> str:
    try:
        return i18n.fmt_datetime(lang, at, year=True)
    except (ValueError, TypeError):  # an entry from an older version: its date as written
        return at[:16].replace("T", " ")


LISTED = (*COUNTED, "lost", "reattributed")  # every list of ids a stored report (merge.Report.to_json) holds


def report_of(entry: dict) -> merge.Report:
    """A stored journal entry as the report it was (what its summary says: a forced undo's losses, the
    records credited to the sender, … included)."""
    return merge.Report(action=entry["action"], source_id=entry["sourceId"], source_name=entry["sourceName"],
                        at=entry["at"], **{k: tuple(entry.get(k, ())) for k in LISTED})


def items(ctx: Context, entries: list[dict]) -> list:
    marked = undone(entries)
    rows = []
    for i, entry in enumerate(entries[:SHOWN]):
        is_undone = i in marked
        text = ctx.t("x.journal_entry_undone" if is_undone else "x.journal_entry", when=when(ctx.lang, entry["at"]),
                     summary=report_of(entry).summary(ctx.lang))
        rows.append(el("li", {"class": "journal-entry undone" if is_undone else "journal-entry",
                              "data-undone": "true" if is_undone else None, "text": text}))
    return rows


async def undo_last(ctx: Context) -> tuple[str, bool, bool]:
    """« Annuler le dernier import »: reverts only what that operation changed; edits made since are
    kept, and if some cannot be, the user is told which and asked first. (message, error?, changed?)"""
    force = False
    while True:
        text = await store.read_undo(ctx.session.db)
        if text is None:
            return ctx.t("x.nothing_to_undo"), True, False
        now = int(js.Date.now())
        if merge.is_undo_text(text):
            u = merge.undo_from_json(text)
            ok, info = await ctx.session.act(lambda s, u=u, f=force, n=now: merge.apply_undo(s, u, now_ms=n, force=f),
                                             undo=None, journal=lambda r: r.to_json())
        else:  # an undo written by an older version: the whole state from before
            previous = document.loads_state(text)
            ok, info = await ctx.session.act(lambda s, p=previous: (p, None), undo=None)
        if ok:
            return (info.summary(ctx.lang) if info is not None else ctx.t("x.undone")), False, True
        if getattr(info, "code", "") == "undo.would_lose" and not force:
            if not js.window.confirm(info.message(ctx.lang)):
                return ctx.t("x.undo_kept"), False, False
            force = True
            continue
        return info.message(ctx.lang), True, False
