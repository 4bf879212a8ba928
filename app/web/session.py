"""The data of this tab: the state, its generation, the cross-tab lock and the broadcast to other tabs.

Theory of operation. Every change goes through `Session.act`: under the cross-tab write lock
(Web Locks), it re-reads the stored generation (another tab may have written meanwhile: reload
first), runs a pure core function on the freshest state, builds the undo record of that very change
(inside the lock, so it is made from the state it changed, never from one another tab changed), and
writes the new state, the undo record and the journal entry in one IndexedDB transaction. Then the
other tabs are told ("changed"); they reload. Any failure leaves the stored data and `state` as
they were and comes back as a CellulesError the caller shows where the user is looking.

An import (merge or replace) that changes no record and no mark here changed nothing: its undo would
be empty. It writes no state (but the address its source learnt, when loaded from one) and leaves the
stored undo as it was (« Annuler le dernier import » still reverts the last import that changed
something), and its journal entry and report are a `NothingNew`:
« Rien de nouveau : … », flagged `nothingNew` so the journal never counts it as the one to undo.
A change may be a coroutine function: what it reads (the stored undo record) is then read under the
lock too, so two clicks or two tabs never apply the same undo twice.

Observers: after every stored write of this tab, each function in `Session.observers` is called with
whether that write kept a journal entry (an import, an undo, « Remplacer », a source removed, a
restore). Live sync (app/web/live_link.py) is one: it passes the change on to its peers and, after a
write with a journal entry that is not its own merge, forgets its checkpoints.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

import js  # type: ignore[import-not-found]
from pyodide.ffi import create_proxy  # type: ignore[import-not-found]

from app.core import document
from app.core.clock import format_ms
from app.core.errors import CellulesError
from app.core.i18n import t
from app.core.merge import DeviceReport, device_summary
from app.core.model import State
from app.core.report import Report
from app.core.restore_over import make_restore_undo, restore_undo_to_json
from app.core.undo import changed_nothing, make_undo, undo_to_json
from app.web import store
from app.web.failures import WebError

CHANNEL = "cellules-fwb"
LOCK = "cellules-fwb-write"  # Web Locks: two tabs never interleave a read-modify-write
NOTHING_NEW = object()  # what an import's undo maker gives when the import changed nothing here


@dataclass(frozen=True, kw_only=True)
class NothingNew(Report):
    """The report of an import that changed nothing here: « Rien de nouveau : <its summary> » — unless
    records created on the group's other device were left aside unticked (`offered`): then it says so,
    and how to bring them, never « Rien de nouveau » (the file held something new: it waits)."""

    other_device: bool = False  # an import from another device of this group (merge.DeviceReport)
    offered: tuple[str, ...] = ()  # DeviceReport.offered: created on the other device, left aside

    @classmethod
    def of(cls, report: Report, other_device: bool | None = None) -> NothingNew:
        device = isinstance(report, DeviceReport) if other_device is None else other_device
        return cls(**{f.name: getattr(report, f.name) for f in fields(Report)}, other_device=device,
                   offered=tuple(getattr(report, "offered", ())))

    def summary(self, lang: str = "fr") -> str:
        said = device_summary(self, lang) if self.other_device else super().summary(lang)
        return said if self.offered else t("jr.nothing_new", lang, summary=said)

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(), "nothingNew": True, **({"offered": list(self.offered)} if self.offered else {})}


@dataclass(frozen=True)
class UndoMaker:
    """What a change does to the stored undo record, decided under the cross-tab lock (Session.act):
    `make(before, after, report)` gives the record to store ({"last": …, "before": …}), None (the stored
    record goes: nothing left to undo), False (the stored record stays), or NOTHING_NEW (an import that
    changed nothing: only its journal entry is written). `action` and `label` name the operation whose
    undo is offered beside its report (empty: none is offered)."""

    make: Callable[[State, State, Any], dict | None | bool | object]
    action: str = ""
    label: str = ""

    def __call__(self, before: State, after: State, report: Any) -> dict | None | bool | object:
        return self.make(before, after, report)


KEEP_UNDO = UndoMaker(lambda _before, _after, _report: False)  # a change that is not undone as an import
CLEAR_UNDO = UndoMaker(lambda _before, _after, _report: None)  # an undo applied: nothing left to undo


class Session:
    def __init__(self, db, state: State, generation: int) -> None:
        self.db = db
        self.state = state
        self.generation = generation
        self.channel = js.BroadcastChannel.new(CHANNEL) if hasattr(js, "BroadcastChannel") else None
        # the import, replace or drop-source whose undo this tab wrote last: {generation, action, label}
        # (its undo can be offered next to its report while the generation has not moved since)
        self.undo_offer: dict[str, Any] | None = None
        self.observers: list[Callable[[bool], None]] = []  # told after each stored write (see the module)

    async def act(self, change: Callable[[State], Any], *, undo: UndoMaker = KEEP_UNDO,
                  journal: Callable[[Any], dict] | None = None) -> tuple[bool, Any]:
        """Apply a core function to the freshest stored state and persist the result atomically
        (with, in the same transaction, the undo record `undo` makes and a journal entry when given).
        `undo` is an UndoMaker (KEEP_UNDO, CLEAR_UNDO, import_undo, restore_undo), run under the cross-tab
        lock; when it gives NOTHING_NEW (the import changed nothing), only the journal entry is written
        and the report comes back as a NothingNew.
        `change` may be a coroutine function (awaited under the lock). Returns (True, info) or
        (False, error); on failure nothing changed."""
        maker = undo
        if not isinstance(maker, UndoMaker):
            raise TypeError(f"Session.act: undo is an UndoMaker, not {type(undo).__name__}")
        box: dict[str, Any] = {}

        async def body():
            try:
                generation = await store.read_generation(self.db)
                if generation != self.generation:
                    await self.reload()
                before = self.state
                result = change(before)
                new, info = (await result) if inspect.isawaitable(result) else result
                undo_value = maker(before, new, info)
                if undo_value is NOTHING_NEW:  # nothing to store but the journal's line; the undo stays
                    info, undo_value = NothingNew.of(info), False
                    new = new if addresses(new) != addresses(before) else before  # an address learnt is kept
                self.generation = await store.save(self.db, before, new, self.generation, undo=undo_value,
                                                   journal=journal(info) if journal else None)
                if isinstance(undo_value, dict) and undo_value.get("last"):
                    self.undo_offer = {"generation": self.generation, "action": maker.action, "label": maker.label}
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
        for observe in list(self.observers):
            observe(journal is not None)
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


def addresses(state: State) -> dict[str, str]:
    """Each source's address (a source loaded with « Charger » remembers it, app/core/refresh.py)."""
    return {sid: source.url for sid, source in state.sources.items()}


def import_undo(now: int, action: str, label: str) -> UndoMaker:
    """The undo of an import, replace or drop-source, made under the cross-tab lock (Session.act
    calls it) from the very states the operation turned one into the other: only what it changed
    ("last"), and the whole state before it ("before", for the recovery screen); NOTHING_NEW when
    the import changed nothing (the undo stored before stays: it is the last import that did)."""
    def make(before, after, report):
        u = make_undo(before, after, action=action, label=label, at=format_ms(now),
                      other_device=isinstance(report, DeviceReport))
        if changed_nothing(u):
            return NOTHING_NEW
        return {"last": undo_to_json(u), "before": document.dumps_state(before, now_ms=now)}
    return UndoMaker(make, action, label)


def restore_undo(now: int, label: str) -> UndoMaker:
    """The undo of « Restaurer cette sauvegarde » (made under the cross-tab lock, as import_undo): on a
    device that held something (the report is `undoable`, app/core/restore_over.py), the whole state
    before it and after it ("last"; undoing brings the device back as it was, identity included) and the
    state before ("before", for the recovery screen); on an empty device nothing to undo (None: the
    undo record goes, as after any restore)."""
    def make(before, after, report):
        if not getattr(report, "undoable", False):
            return None
        u = make_restore_undo(before, after, label=label, at=format_ms(now))
        return {"last": restore_undo_to_json(u, now_ms=now), "before": document.dumps_state(before, now_ms=now)}
    return UndoMaker(make, "restore", label)
