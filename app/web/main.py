"""Boot sequence of the page: grid, storage, interface, then data-app-state="ready".

The boot contract (tests and other modules rely on it): `<html data-app-state="booting">` until
Python has loaded and stored data is rendered, then "ready"; on failure "error" with a French
explanation in #boot-error (static/boot.js also covers failures before Python runs); stored data
that no longer loads: "recovery" (app/web/recovery.py); no database where this browser held one
(the marker, MARKER_KEY below): "evicted" until the user restores a backup or starts again
(app/web/views/evicted.py), then "ready".
"""

from __future__ import annotations

import asyncio
import json
import os

import js  # type: ignore[import-not-found]
from pyodide.http import pyfetch  # type: ignore[import-not-found]

from app.core import actions, i18n
from app.core.errors import CellulesError
from app.core.grid import Grid
from app.web import preload, store
from app.web.dom import by_id

_tasks: set = set()


def start() -> None:
    task = asyncio.ensure_future(_boot())
    _tasks.add(task)


async def load_grid() -> Grid:
    """The grid, parsed once: already there when the boot restored a memory snapshot."""
    if preload.GRID is not None:
        return preload.GRID
    response = await pyfetch("./data/fwb_grid.json")
    if not response.ok:
        raise RuntimeError(f"grille introuvable (HTTP {response.status})")
    return preload.parse_grid(await response.string())


def _probe() -> str:
    """For tests and bench/boot.py (console): which heavy modules are loaded, and a draw of
    `random` (a snapshot freezes its state: two restored boots must still differ)."""
    import random
    import sys

    loaded = sorted(m for m in ("jsonschema", "segno", "app.core.qr", "fastjsonschema") if m in sys.modules)
    return json.dumps({"loaded": loaded, "random": random.getrandbits(64)})


async def _boot() -> None:
    root = js.document.documentElement
    marks: dict[str, float] = {"python": js.performance.now()}
    try:
        try:
            from app._build import BUILD
        except ImportError:  # running from a source tree, not from a built wheel
            BUILD = "dev"
        root.dataset.pythonBuild = BUILD
        boot = getattr(js.window, "cellulesBoot", None)  # static/pyboot.mjs: snapshot or normal boot
        root.dataset.bootMode = str(boot.mode) if boot else "normal"
        grid_task = asyncio.ensure_future(load_grid())  # fetch + index the grid while IndexedDB opens
        store.GUARDS.update(room=check_room, saved=note_marker, deleting=forget_marker, blocked=show_blocked)
        try:
            db = await store.open_db()
        finally:
            unblocked()
        try:
            state, generation = await store.load(db)
        except Exception as exc:  # stored data that no longer loads: a recovery screen, not a dead boot
            from app.web import recovery

            js.console.warn(f"stored state does not load: {exc!r}")
            await recovery.show(db, exc)
            return
        marks["storage"] = js.performance.now()
        grid = await grid_task
        marks["grid"] = js.performance.now()
        note = ""
        marker = await read_marker() if state is None else None
        if marker is not None:  # no database where there was one: the browser erased it
            from app.web.views import evicted

            js.console.warn(f"no stored state, but this browser held « {marker.get('name')} »: erased by the browser")
            outcome = await evicted.ask(db, grid_task, marker)
            if outcome.state is None:  # « Recommencer à zéro »: a first visit
                forget_marker()
            else:
                state, generation, note = outcome.state, outcome.generation, outcome.message
        if state is None:  # first visit: a new group, saved at once under the default name; the welcome asks its name
            lang = "en" if str(js.localStorage.getItem("cellules-lang")) == "en" else "fr"
            state = actions.new_state(name=i18n.t("instance.default_name", lang), random_bytes=os.urandom(16))
            generation = await store.save(db, None, state, 0)
        # Yield to the page between the import of the interface and its first render: two
        # shorter tasks instead of one long one (clicks and scrolls are served in between).
        await asyncio.sleep(0)
        from app.web.shell import App

        marks["ui"] = js.performance.now()
        await asyncio.sleep(0)
        app = App(db, state, generation, grid)
        app.mount()
        from app.web.views.meeting import MeetingCopy  # served by `app serve --lan`: the meeting's temporary copy

        MeetingCopy(app.ctx, lambda: app.on_backup_now(None)).mount()
        js.window.cellulesApp = app  # handy from the console; tests read the DOM only
        by_id("boot-status").hidden = True
        by_id("app").hidden = False
        marks["ready"] = js.performance.now()
        # Phase times (ms since navigation start), read by bench/boot.py.
        if boot and boot.marks:  # static/pyboot.mjs's own phases
            marks.update(json.loads(js.JSON.stringify(boot.marks)))
        for entry in js.performance.getEntriesByName("cellules-script"):  # index.html's script starts
            marks["script"] = entry.startTime
        root.dataset.bootMarks = json.dumps({k: round(v) for k, v in sorted(marks.items(), key=lambda kv: kv[1])})
        root.dataset.appState = "ready"
        asyncio.ensure_future(app.render_storage())
        if note:
            app.ctx.status(note)
        app.intake.from_launch()
        from pyodide.ffi import create_proxy  # type: ignore[import-not-found]

        js.window.cellulesProbe = create_proxy(_probe)
    except Exception as exc:  # boot must never end on an endless spinner
        message = exc.message("fr") if isinstance(exc, CellulesError) else f"{type(exc).__name__}: {exc}"
        js.console.error(f"boot failed: {message}")
        js.window.cellulesBootFail(message)  # static/boot.js words it (« Erreur au démarrage : … »)


# --- what the browser may take away (store.GUARDS) ------------------------------------------------------
# A browser may erase a site's IndexedDB on its own: under storage pressure when its storage is not
# persistent, Safari after seven days without a visit unless the app is on the Home Screen, a profile that
# fills up (Chromium dropped the database and the service worker together, localStorage kept). So:
# - the marker: after every committed write of a state that holds something, localStorage MARKER_KEY keeps
#   {id, name, exported, cellules} (identity, name, last full export, live cellules), copied to Cache Storage
#   (MARKER_CACHE: not a "cellules-fwb-…" cache, which the service worker's clean-up deletes). A boot that finds
#   no database but a marker shows « données effacées » (app/web/views/evicted.py), never a new identity in
#   silence; a deletion asked for (« Effacer toutes mes données », the recovery screen) forgets it first;
# - persistence is asked when the first real data is saved (the marker's first write) and on install
#   (static/boot.js); « Réglages » says whether the browser granted it;
# - room: a write whose floor size exceeds the estimate's quota − usage is refused before it starts;
# - an older tab holding the database at an older version blocks the open: the loading screen says so.
MARKER_KEY = "cellules-fwb-kept"
MARKER_CACHE = "cellules-kept"
MARKER_URL = "./__kept__/marker.json"
# IndexedDB may compress values (Chromium: snappy) and JSON compresses 2-4 times: a write is checked with its
# text divided by this, a floor, so only one that surely cannot fit is refused early (the transaction's own
# QuotaExceededError covers the rest).
COMPRESSION_FLOOR = 4
_written: dict[str, str] = {}  # the marker text this page last wrote


def _options(**options):
    from pyodide.ffi import to_js  # type: ignore[import-not-found]

    return to_js(options, dict_converter=js.Object.fromEntries)


def _caches():
    caches = getattr(js.window, "caches", None)  # none over plain http on a LAN
    return caches if caches else None


def _marker_url() -> str:
    return str(js.URL.new(MARKER_URL, js.document.baseURI).href)


def _later(coroutine) -> None:
    task = asyncio.ensure_future(coroutine)
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)


def note_marker(state) -> None:
    """After a committed write: the group, outside IndexedDB (an empty state is nothing to miss)."""
    from app.core.merge import is_empty

    try:
        if is_empty(state):
            return
        text = json.dumps({"id": state.instance_id, "name": state.instance_name,
                           "exported": state.last_full_export_at or None,
                           "cellules": sum(1 for c in state.cellules.values() if c.live)}, ensure_ascii=False)
        if _written.get("text") == text:
            return
        first = not js.localStorage.getItem(MARKER_KEY)  # JS null: falsy (not None)
        js.localStorage.setItem(MARKER_KEY, text)
        _written["text"] = text
    except Exception as exc:  # the data is saved; only its marker is missing
        js.console.warn(f"marker not written: {exc!r}")
        return
    if first:
        _later(_ask_persistence())
    _later(_mirror(text))


async def _mirror(text: str) -> None:
    caches = _caches()
    if caches is None:
        return
    try:
        cache = await caches.open(MARKER_CACHE)
        await cache.put(_marker_url(), js.Response.new(text, _options(headers=_options(**{
            "content-type": "application/json"}))))
    except Exception as exc:  # a copy only: the localStorage marker stands
        js.console.warn(f"marker not copied to Cache Storage: {exc!r}")


def _parse_marker(text) -> dict | None:
    try:
        marker = json.loads(str(text))
    except (TypeError, ValueError):
        return None
    ok = isinstance(marker, dict) and isinstance(marker.get("id"), str) and bool(marker["id"])
    return marker if ok else None


async def read_marker() -> dict | None:
    """The marker of the group this browser held (localStorage, else Cache Storage); None when none."""
    text = js.localStorage.getItem(MARKER_KEY)
    if text:
        return _parse_marker(text)
    caches = _caches()
    if caches is None:
        return None
    try:
        hit = await caches.match(_marker_url(), _options(cacheName=MARKER_CACHE))
        return _parse_marker(await hit.text()) if hit else None
    except Exception:  # no cache to read: no marker
        return None


def forget_marker() -> None:
    """The database is deleted on purpose (or the user starts again): nothing to miss at the next boot."""
    js.localStorage.removeItem(MARKER_KEY)
    _written.clear()
    caches = _caches()
    if caches is not None:
        _later(_quietly(caches.delete(MARKER_CACHE)))


async def _quietly(promise) -> None:
    try:
        await promise
    except Exception:  # nothing to delete
        pass


async def _ask_persistence() -> None:
    """Ask the browser to keep this site's data (it may decide without asking the user)."""
    storage = getattr(js.navigator, "storage", None)
    if storage is not None and hasattr(storage, "persist"):
        await _quietly(storage.persist())


async def check_room(meta: str, undo, writes: dict) -> None:
    """Refuse (« Espace de stockage plein », store.quota) a write the storage estimate says cannot fit."""
    texts = [meta, *(undo.values() if isinstance(undo, dict) else (undo,)),
             *(text for bucket in writes.values() for text in bucket.values())]
    need = sum(len(text) for text in texts if isinstance(text, str)) // COMPRESSION_FLOOR
    storage = getattr(js.navigator, "storage", None)
    if storage is None or not hasattr(storage, "estimate"):
        return
    try:
        estimate = await storage.estimate()
        quota, usage = float(estimate.quota), float(estimate.usage)
    except Exception:  # no estimate: the transaction itself tells
        return
    if need > quota - usage:
        from app.web.failures import WebError

        js.console.warn(f"storage: a write of at least {need} bytes refused before it started "
                        f"({max(0, int(quota - usage))} bytes left of {int(quota)})")
        raise WebError("store.quota")


def show_blocked() -> None:
    """The open waits for an older tab: the loading screen says to close it (and boot.js's watchdog too)."""
    from app.web.dom import el
    from app.web.failures import lang

    js.document.documentElement.dataset.dbBlocked = "1"
    if not by_id("db-blocked"):
        by_id("boot-status").appendChild(el("p", {"id": "db-blocked", "class": "error-text", "role": "alert",
                                                  "text": i18n.t("ev.blocked", lang())}))


def unblocked() -> None:
    js.document.documentElement.removeAttribute("data-db-blocked")
    if by_id("db-blocked"):
        by_id("db-blocked").remove()
