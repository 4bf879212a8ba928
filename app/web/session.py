"""The data of this tab: the state, its generation, the cross-tab lock and the broadcast to other tabs.

Theory of operation. Every change goes through `Session.act`: under the cross-tab write lock
(Web Locks), it re-reads the stored generation (another tab may have written meanwhile: reload
first), runs a pure core function on the freshest state, builds the undo record of that very change
(inside the lock, so it is made from the state it changed, never from one another tab changed), and
writes the new state, the undo record and the journal entry in one IndexedDB transaction. Then the
other tabs are told ("changed"); they reload. Any failure leaves the stored data and `state` as
they were and comes back as a CellulesError the caller shows where the user is looking.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import js  # type: ignore[import-not-found]
from pyodide.ffi import create_proxy  # type: ignore[import-not-found]

from app.core import document, merge
from app.core.clock import format_ms
from app.core.errors import CellulesError
from app.core.model import State
from app.web import store
from app.web.failures import WebError

CHANNEL = "cellules-fwb"
LOCK = "cellules-fwb-write"  # Web Locks: two tabs never interleave a read-modify-write


class Session:
    def __init__(self, db, state: State, generation: int) -> None:
        self.db = db
        self.state = state
        self.generation = generation
        self.channel = js.BroadcastChannel.new(CHANNEL) if hasattr(js, "BroadcastChannel") else None

    async def act(self, change: Callable[[State], tuple[State, Any]], *,
                  undo: str | dict | None | bool | Callable[[State, State, Any], Any] = False,
                  journal: Callable[[Any], dict] | None = None) -> tuple[bool, Any]:
        """Apply a core function to the freshest stored state and persist the result atomically
        (with, in the same transaction, an undo record and a journal entry when given). `undo` may
        be a function of (state before, state after, report): it runs under the cross-tab lock.
        Returns (True, info) or (False, error); on failure nothing changed."""
        box: dict[str, Any] = {}

        async def body():
            try:
                generation = await store.read_generation(self.db)
                if generation != self.generation:
                    await self.reload()
                before = self.state
                new, info = change(before)
                undo_value = undo(before, new, info) if callable(undo) else undo
                self.generation = await store.save(self.db, before, new, self.generation, undo=undo_value,
                                                   journal=journal(info) if journal else None)
            except CellulesError as exc:
                box["error"] = exc
                return
            except (ValueError, TypeError, OverflowError, RecursionError, MemoryError, KeyError) as exc:
                # a value the core let through but cannot store: nothing is written, the user is told
                js.console.error(f"act: {exc!r}")
                box["error"] = WebError("unexpected", detail=type(exc).__name__)
                return
            self.state = new
            box["info"] = info

        await with_lock(body)
        if "error" in box:
            return False, box["error"]
        self.broadcast("changed")
        return True, box.get("info")

    async def reload(self) -> None:
        """The stored state (another tab wrote it)."""
        state, generation = await store.load(self.db)
        if state is not None:
            self.state, self.generation = state, generation

    def broadcast(self, message: str) -> None:
        if self.channel:
            self.channel.postMessage(message)

    async def wipe(self) -> None:
        """Delete the whole database and the list preview; the other tabs reload."""
        await store.delete_database(self.db)
        js.localStorage.removeItem(store.PREVIEW_KEY)
        self.broadcast("wiped")


async def with_lock(coroutine_function):
    """Run `await coroutine_function()` holding the cross-tab write lock (Web Locks API)."""
    locks = getattr(js.navigator, "locks", None)
    if locks is None:
        return await coroutine_function()
    box = {}

    async def run(_lock):
        box["value"] = await coroutine_function()

    proxy = create_proxy(run)
    try:
        await locks.request(LOCK, proxy)
    finally:
        proxy.destroy()
    return box.get("value")


def import_undo(now: int, action: str, label: str):
    """The undo of an import, replace or drop-source, made under the cross-tab lock (Session.act
    calls it) from the very states the operation turned one into the other: only what it changed
    ("last"), and the whole state before it ("before", for the recovery screen)."""
    def make(before, after, _report):
        u = merge.make_undo(before, after, action=action, label=label, at=format_ms(now))
        return {"last": merge.undo_to_json(u), "before": document.dumps_state(before, now_ms=now)}
    return make
