"""Boot sequence of the page: grid, storage, interface, then data-app-state="ready".

The boot contract (tests and other modules rely on it): `<html data-app-state="booting">` until
Python has loaded and stored data is rendered, then "ready"; on failure "error" with a French
explanation in #boot-error (static/boot.js also covers failures before Python runs).
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
        db = await store.open_db()
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
        first_visit = state is None
        if first_visit:  # a new group, saved at once under the default name; the welcome asks the real one
            lang = "en" if str(js.localStorage.getItem("cellules-lang")) == "en" else "fr"
            state = actions.new_state(name=i18n.t("instance.default_name", lang), random_bytes=os.urandom(16))
            generation = await store.save(db, None, state, 0)
        # Yield to the page between the import of the interface and its first render: two
        # shorter tasks instead of one long one (clicks and scrolls are served in between).
        await asyncio.sleep(0)
        from app.web.shell import App

        marks["ui"] = js.performance.now()
        await asyncio.sleep(0)
        app = App(db, state, generation, grid, first_visit=first_visit)
        app.mount()
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
        app.intake.from_launch()
        from pyodide.ffi import create_proxy  # type: ignore[import-not-found]

        js.window.cellulesProbe = create_proxy(_probe)
    except Exception as exc:  # boot must never end on an endless spinner
        message = exc.message("fr") if isinstance(exc, CellulesError) else f"{type(exc).__name__}: {exc}"
        js.console.error(f"boot failed: {message}")
        js.window.cellulesBootFail(f"Erreur au démarrage : {message}")
