"""Recovery screen: stored data that no longer loads still opens the app, never a dead boot.

When app.web.store.load fails (a value damaged on disk, a state written by a buggy build, a
document that passed the checks of an older version...), the boot shows this screen instead of
the app, with `data-app-state="recovery"`. Three ways out, in the order a careful person takes them:

1. « Exporter les données brutes »: every stored value as it is, in one .json file (nothing is
   parsed, so nothing can fail): kept, or sent to someone who can help.
2. « Revenir à avant le dernier import »: the full state saved before the last import, replace or
   drop-source (undo store, key "before", else an older full snapshot under "last"), checked like an
   import, then written over everything in one transaction.
3. « Tout effacer et repartir de zéro »: after the typed confirmation, the database is deleted.

Nothing is changed before the user picks 2 or 3.
"""

from __future__ import annotations

import asyncio
import json

import js  # type: ignore[import-not-found]
from pyodide.ffi import create_proxy, to_js  # type: ignore[import-not-found]

from app.core import document
from app.core.clock import format_ms
from app.core.errors import CellulesError
from app.core.i18n import t
from app.web import store
from app.web.dom import by_id, el, replace_children
from app.web.failures import lang
from app.web.feedback import footer_words

_proxies: list = []


def _detail(exc: BaseException) -> str:
    if isinstance(exc, CellulesError):
        return exc.message(lang())
    text = str(exc).strip().splitlines()[-1:] or [""]
    return f"{type(exc).__name__}: {text[0][:200]}"


async def show(db, exc: BaseException) -> None:
    """Replace the boot screen with the recovery screen."""
    L = lang()

    def button(action: str, key: str, cls: str = ""):
        node = el("button", {"type": "button", "id": f"recovery-{action}", "class": cls or None, "text": t(key, L)})
        proxy = create_proxy(lambda _e: asyncio.ensure_future(run(action)))
        _proxies.append(proxy)
        node.addEventListener("click", proxy)
        return node

    async def run(action: str) -> None:
        message = by_id("recovery-message")
        message.className = "muted"
        try:
            if action == "export":
                message.textContent = t("r.exported", L, name=await export_raw(db))
            elif action == "undo":
                await undo_last(db)
                message.textContent = t("r.done", L)
                js.location.reload()
            elif action == "erase":
                answer = js.window.prompt(t("r.erase_confirm", L))
                if answer is None or str(answer).strip().upper() != t("settings.wipe_word", L):
                    message.textContent = t("settings.wipe_cancelled", L)
                    return
                await store.delete_database(db)
                js.localStorage.removeItem("cellules-fwb-preview")
                message.textContent = t("r.done", L)
                js.location.reload()
        except Exception as error:  # every failure here is shown too
            message.className = "error-text"
            message.textContent = error.message(L) if hasattr(error, "message") else _detail(error)

    app = by_id("app")
    replace_children(
        app,
        el("section", {"class": "card recovery", "id": "recovery", "role": "alert",
                       "aria-labelledby": "recovery-title"},
           el("h2", {"id": "recovery-title", "text": t("r.title", L)}),
           el("p", {"id": "recovery-explain", "text": t("r.explain", L)}),
           el("p", {"id": "recovery-detail", "class": "muted small-print",
                    "text": t("r.detail", L, detail=_detail(exc))}),
           el("div", {"class": "recovery-step"}, button("export", "r.export"),
              el("p", {"class": "muted", "text": t("r.export_help", L)})),
           el("div", {"class": "recovery-step"}, button("undo", "r.undo", "secondary"),
              el("p", {"class": "muted", "text": t("r.undo_help", L)})),
           el("div", {"class": "recovery-step"}, button("erase", "r.erase", "danger"),
              el("p", {"class": "muted", "text": t("r.erase_help", L)})),
           el("p", {"id": "recovery-message", "class": "muted", "role": "status", "aria-live": "polite"})))
    by_id("boot-status").hidden = True
    app.hidden = False
    js.document.documentElement.lang = L
    footer_words(L)  # the footer speaks the user's language here too
    js.document.documentElement.dataset.appState = "recovery"


async def export_raw(db) -> str:
    """Download every stored value as it is; returns the file name."""
    now = int(js.Date.now())
    raw = await store.read_raw(db)
    text = json.dumps({"app": "cellules-fwb", "kind": "raw-storage", "database": store.DB_NAME,
                       "databaseVersion": store.DB_VERSION, "exportedAt": format_ms(now), "stores": raw},
                      ensure_ascii=False, indent=1)
    name = f"cellules-donnees-brutes-{format_ms(now)[:10]}.json"
    blob = js.Blob.new(to_js([text]), to_js({"type": "application/json"}, dict_converter=js.Object.fromEntries))
    url = js.URL.createObjectURL(blob)
    link = el("a", {"href": url, "download": name, "hidden": True})
    js.document.body.appendChild(link)
    link.click()
    link.remove()
    return name


async def undo_last(db) -> None:
    """Write the full state from before the last operation over everything stored."""
    problem = None
    for key in ("before", "last"):
        text = await store.read_undo(db, key)
        if text is None:
            continue
        try:
            state = document.loads_state(text)
        except CellulesError as exc:
            problem = exc
            continue
        generation = 0
        try:
            generation = await store.read_generation(db)
        except Exception:  # the meta value itself may be the damaged one
            generation = 0
        await store.save(db, None, state, generation, clear=True, undo=None)
        return
    if problem is not None:
        raise _Problem(t("r.undo_bad", lang(), detail=problem.message(lang())))
    raise _Problem(t("r.no_undo", lang()))


class _Problem(Exception):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text

    def message(self, _lang: str = "fr") -> str:
        return self.text
