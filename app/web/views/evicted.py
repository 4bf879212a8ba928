"""« Le navigateur a effacé les données de cet appareil »: a boot that finds no database where there was one.

app/web/main.py comes here when IndexedDB holds no state but its marker (localStorage, or its copy in
Cache Storage) says this browser held a group (its name, its id, the date of its last full export, its cellules). No new
identity is made in silence: the screen (`data-app-state="evicted"`) says what happened, names the
group and the date of its last full export, and offers, in this order:

1. « Restaurer ma dernière sauvegarde »: the browser's file picker; a full backup (« Tout exporter »)
   is restored into a new, empty instance (app.core.merge.restore_backup, the path « Restaurer une
   sauvegarde » takes in the import preview): the instance takes the backup's id and name, its
   records, sources and history, in one transaction. A backup of another group asks first; a file
   that is not a full backup is refused with its name, nothing saved. The backup reminder then says
   « Restauré depuis la sauvegarde du … » (app.web.import_card.note_restored), as after « Échanger »'s restore.
2. « Recommencer à zéro », after a confirmation: the boot forgets the marker and goes on as a
   first visit (a new, empty group, which can still take a backup while it stays empty).

`ask()` waits for one of them and returns what the boot goes on with.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass

import js  # type: ignore[import-not-found]
from pyodide.ffi import create_proxy  # type: ignore[import-not-found]

from app.core import actions, document, i18n, merge, transfer
from app.core.errors import CellulesError, DocumentError
from app.core.i18n import t
from app.core.model import State
from app.web import store
from app.web.dom import by_id, el, replace_children, set_text
from app.web.failures import WebError, lang
from app.web.feedback import file_picker, footer_words, show_chosen
from app.web.import_card import note_restored
from app.web.session import with_lock

UNEXPECTED = (ValueError, TypeError, OverflowError, RecursionError, MemoryError, KeyError)


@dataclass
class Outcome:
    """What the boot goes on with: a restored state (and its generation and a message to show), or
    None for « Recommencer à zéro » (a first visit)."""

    state: State | None = None
    generation: int = 0
    message: str = ""


_proxies: list = []


def _listen(node, event: str, handler) -> None:
    proxy = create_proxy(handler)
    _proxies.append(proxy)
    node.addEventListener(event, proxy)


async def ask(db, grid_task, marker: dict) -> Outcome:
    """Show the screen and wait for the user's choice."""
    L = lang()
    done: asyncio.Future = asyncio.get_event_loop().create_future()
    name = str(marker.get("name") or "")
    exported = marker.get("exported")
    try:
        when = i18n.fmt_date(L, exported, year=True) if exported else ""
    except (TypeError, ValueError):
        when = ""
    try:
        count = max(0, int(marker.get("cellules") or 0))
    except (TypeError, ValueError):
        count = 0

    def say(text: str, error: bool = False) -> None:
        node = by_id("evicted-message")
        node.className = "error-text" if error else "muted"
        set_text(node, text)

    async def restore(file) -> None:
        file_name = str(file.name)
        say(t("ev.reading", L, file=file_name))
        try:
            if file.size > document.MAX_DOCUMENT_BYTES:
                raise DocumentError("doc.too_large", size=int(file.size), limit=document.MAX_DOCUMENT_BYTES)
            data = (await file.arrayBuffer()).to_bytes()
            grid = await grid_task
            empty = actions.new_state(name=t("instance.default_name", L), random_bytes=os.urandom(16))
            with merge.paused_gc():
                incoming = document.read_document(document.parse_text(transfer.read_any(data)), held=empty)
            if incoming.kind != "full":
                say(t("ev.not_backup", L, file=file_name), error=True)
                return
            now = int(js.Date.now())
            was = (str(marker["id"]), name) if marker.get("id") else None  # the group this browser held
            question = merge.restore_plan(empty, incoming, now_ms=now, was=was).question(L)
            if question and not js.window.confirm(question):  # another group's backup: asked once
                say(t("ev.nothing_changed", L))
                return
            restored, report = merge.restore_backup(empty, incoming, now_ms=now, device_seed=os.urandom(16),
                                                    known_nodes=grid)

            async def write():
                return await store.save(db, None, restored, 0, undo=None, journal=report.to_json())

            generation = await with_lock(write)
        except CellulesError as exc:
            say(exc.message(L), error=True)
            return
        except UNEXPECTED as exc:  # a case the core's checks missed: still words, nothing stored
            js.console.error(f"restore after eviction: {exc!r}")
            say(WebError("unreadable").message(L), error=True)
            return
        note_restored(restored, incoming.exported_at)  # the reminder names that backup, not « aujourd'hui »
        if not done.done():
            done.set_result(Outcome(restored, generation, t("ev.restored", L, name=restored.instance_name,
                                                             n=len(restored.live_cellules()))))

    def picked(event) -> None:
        target = event.target
        show_chosen(target, L)
        files = target.files
        if files and files.length:
            asyncio.ensure_future(restore(files.item(0)))
        target.value = ""  # the same file can be chosen again after a refusal

    def restart(_event) -> None:
        if not js.window.confirm(t("ev.restart_confirm", L, name=name)):
            say(t("ev.nothing_changed", L))
            return
        js.localStorage.removeItem(store.PREVIEW_KEY)
        if not done.done():
            done.set_result(Outcome())

    picker = file_picker({"id": "evicted-file", "accept": ".json,application/json,text/plain"}, t("ev.restore", L))
    restart_button = el("button", {"type": "button", "id": "evicted-restart", "class": "secondary",
                                   "text": t("ev.restart", L)})
    app = by_id("app")
    replace_children(
        app,
        el("section", {"class": "card evicted", "id": "evicted", "role": "alert", "aria-labelledby": "evicted-title"},
           el("h2", {"id": "evicted-title", "text": t("ev.title", L)}),
           el("p", {"id": "evicted-explain", "text": t("ev.explain", L, name=name, n=count)}),
           el("p", {"id": "evicted-export", "class": "evicted-export",
                    "text": t("ev.last_export", L, date=when) if when else t("ev.no_export", L)}),
           el("div", {"class": "evicted-step evicted-main"}, picker,
              el("p", {"class": "muted", "text": t("ev.restore_help", L)})),
           el("p", {"id": "evicted-message", "class": "muted", "role": "status", "aria-live": "polite"}),
           el("div", {"class": "evicted-step"}, restart_button,
              el("p", {"class": "muted", "text": t("ev.restart_help", L)}))))
    _listen(by_id("evicted-file"), "change", picked)
    _listen(restart_button, "click", restart)
    by_id("boot-status").hidden = True
    preview = by_id("boot-preview")
    if preview:
        preview.hidden = True
    app.hidden = False
    root = js.document.documentElement
    root.lang = L
    footer_words(L)
    root.dataset.appState = "evicted"
    outcome = await done
    replace_children(app)  # the boot goes on (still "evicted" until "ready"): the app's own screen comes
    return outcome
