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

from app.core import actions
from app.core.errors import CellulesError
from app.core.grid import Grid
from app.web import store
from app.web.dom import by_id

_tasks: set = set()


def start() -> None:
    task = asyncio.ensure_future(_boot())
    _tasks.add(task)


async def load_grid() -> Grid:
    response = await pyfetch("./data/fwb_grid.json")
    if not response.ok:
        raise RuntimeError(f"grille introuvable (HTTP {response.status})")
    return Grid.from_json(json.loads(await response.string()))


async def _boot() -> None:
    root = js.document.documentElement
    marks: dict[str, float] = {"python": js.performance.now()}
    try:
        try:
            from app._build import BUILD
        except ImportError:  # running from a source tree, not from a built wheel
            BUILD = "dev"
        root.dataset.pythonBuild = BUILD
        grid_task = asyncio.ensure_future(load_grid())  # fetch + index the grid while IndexedDB opens
        db = await store.open_db()
        state, generation = await store.load(db)
        marks["storage"] = js.performance.now()
        grid = await grid_task
        marks["grid"] = js.performance.now()
        if state is None:  # first visit on this browser: a new instance
            state = actions.new_state(name="Mon instance", random_bytes=os.urandom(16))
            generation = await store.save(db, None, state, 0)
        from app.web.ui import App

        app = App(db, state, generation, grid)
        app.mount()
        js.window.cellulesApp = app  # handy from the console; tests read the DOM only
        by_id("boot-status").hidden = True
        by_id("app").hidden = False
        marks["ready"] = js.performance.now()
        # Phase times (ms since navigation start), read by bench/boot.py.
        root.dataset.bootMarks = json.dumps({k: round(v) for k, v in marks.items()})
        root.dataset.appState = "ready"
        asyncio.ensure_future(app.render_storage())
    except Exception as exc:  # boot must never end on an endless spinner
        message = exc.message("fr") if isinstance(exc, CellulesError) else f"{type(exc).__name__}: {exc}"
        js.console.error(f"boot failed: {message}")
        js.window.cellulesBootFail(f"Erreur au démarrage : {message}")
