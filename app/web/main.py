"""Boot sequence of the page: open storage, render, then set data-app-state="ready"."""

from __future__ import annotations

import asyncio

import js  # type: ignore[import-not-found]


def start() -> None:
    asyncio.ensure_future(_boot())


async def _boot() -> None:
    root = js.document.documentElement
    try:
        try:
            from app._build import BUILD
        except ImportError:  # running from a source tree, not from a built wheel
            BUILD = "dev"
        root.dataset.pythonBuild = BUILD
        js.document.getElementById("boot-status").hidden = True
        js.document.getElementById("app").hidden = False
        root.dataset.appState = "ready"
    except Exception as exc:  # boot must never end on an endless spinner
        js.console.error(f"boot failed: {exc!r}")
        js.window.cellulesBootFail(f"Erreur au démarrage : {exc}")
        raise
