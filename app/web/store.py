"""IndexedDB persistence: one transaction per user action, so a crash leaves the old or the new state.

Layout (database "cellules-fwb", version 3): object stores `meta` (key "state": instance identity, clock,
sources, generation), `cellule_buckets` and `atelier_buckets` (records in BUCKETS buckets by a stable hash of
their id — key "07", value: the bucket's records as v1.0 JSON texts, one per line, sync metadata included),
`undo` (key "last": the undo of the last import, replace or drop-source — only the records it changed,
app.core.undo.make_undo; key "before": the full state before it, for the recovery screen when the state no
longer loads) and `journal` (import reports, newest kept). Version 2 kept one value per record in `cellules`
and `ateliers`; those are still read, and emptied by the first write. Buckets, and why: app/web/buckets.py.

Reading rebuilds a full v1.0 document and goes through the same checks as an import (app.core.document).
Awaiting between two requests of one transaction would end it (TransactionInactiveError), so all requests of
a write are issued synchronously, then the transaction's completion is awaited. Cross-tab: every write bumps
`generation` and is announced on a BroadcastChannel; writes run under a Web Lock (app/web/session.py) so two
tabs never interleave a read-modify-write. GUARDS (app/web/main.py), for what the browser may take away:
"room" refuses a write that cannot fit before it starts, "saved" keeps the group's marker outside IndexedDB,
"blocked" names an older tab holding the database, "deleting" forgets the marker.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import js  # type: ignore[import-not-found]
from pyodide.ffi import create_once_callable, create_proxy, to_js  # type: ignore[import-not-found]

from app.core.errors import StoreError
from app.core.i18n import words
from app.core.model import State
from app.web.buckets import BUCKET_STORES, bucket_writes, loaded, meta_json, say_repaired
from app.web.buckets import changes as changes  # re-exported: bench/merge.py counts a save's changes
from app.web.failures import WebError, storage_error, upgrade_banner

DB_NAME = "cellules-fwb"
DB_VERSION = 3
STORES = ("meta", "cellule_buckets", "atelier_buckets", "undo", "journal", "cellules", "ateliers")
LEGACY = ("cellules", "ateliers")  # version 2: one value per record; read, then emptied on write
JOURNAL_LIMIT = 50
# "relaxed" (Chromium's default) still commits all or nothing: a crash leaves the old or the new state.
# "strict" would also wait for the disk flush, which doubled the time of a 20,000-record write (bench/merge.py).
DURABILITY = "relaxed"
PREVIEW_KEY = "cellules-fwb-preview"  # localStorage: the list as plain text, shown by static/boot.js
GUARDS: dict[str, Any] = {}  # installed by app/web/main.py at boot (see above)


def _future_of(request) -> asyncio.Future:
    fut = asyncio.get_event_loop().create_future()

    def ok(_event):
        if not fut.done():
            fut.set_result(request.result)

    def fail(_event):  # a read refused by the browser: its own words as the detail, never a traceback
        if not fut.done():
            error = request.error
            detail = str(getattr(error, "message", "") or getattr(error, "name", "") or "") if error else ""
            fut.set_exception(StoreError("store.write", detail=detail or words("d.write_interrupted")))

    request.onsuccess = create_once_callable(ok)
    request.onerror = create_once_callable(fail)
    return fut


CLOSED: set[int] = set()  # ids of connections closed for another tab's upgrade: no write goes through them


async def open_db():
    """Open (and create or upgrade) the database. A database left by a newer version of the app
    gives a French message; an upgrade asked by a newer tab closes this connection at once (so the
    other tab is never blocked) and tells the user to reload."""
    request = js.indexedDB.open(DB_NAME, DB_VERSION)
    fut = asyncio.get_event_loop().create_future()

    def upgrade(_event):
        db = request.result
        for name in STORES:
            if not db.objectStoreNames.contains(name):
                db.createObjectStore(name)

    def ok(_event):
        if not fut.done():
            fut.set_result(request.result)

    def fail(event):
        error = request.error
        name = str(getattr(error, "name", "") or "")
        if event is not None and hasattr(event, "preventDefault"):
            event.preventDefault()
        if not fut.done():
            fut.set_exception(WebError("store.newer", version=DB_VERSION) if name == "VersionError"
                              else WebError("store.open", detail=str(getattr(error, "message", "") or name)))

    request.onupgradeneeded = create_once_callable(upgrade)
    request.onsuccess = create_once_callable(ok)
    request.onerror = create_once_callable(fail)
    request.onblocked = create_once_callable(lambda _e: GUARDS.get("blocked", lambda: None)())
    db = await fut

    def versionchange(_event):
        db.close()
        CLOSED.add(id(db))
        upgrade_banner()

    db.onversionchange = create_proxy(versionchange)
    return db


async def _read(db, keys_only_meta: bool = False) -> dict[str, Any]:
    if id(db) in CLOSED:
        raise WebError("store.closed")
    stores = ["meta"] if keys_only_meta else list(STORES)
    tx = db.transaction(to_js(stores), "readonly")
    futures = {"meta": _future_of(tx.objectStore("meta").get("state"))}
    if not keys_only_meta:
        for name in (*BUCKET_STORES.values(), *LEGACY):
            futures[name] = _future_of(tx.objectStore(name).getAll())
    out = {}
    for name, fut in futures.items():
        out[name] = await fut
    return out


# Per open database: may version-2 values still be there? (unknown: assume yes, clear them on write)
LEGACY_PRESENT: dict[int, bool] = {}


async def read_generation(db) -> int:
    raw = (await _read(db, keys_only_meta=True))["meta"]
    return json.loads(raw)["generation"] if raw else 0


async def load(db) -> tuple[State | None, int]:
    """The stored state (None on first run) and its generation."""
    raw = await _read(db)
    if not raw["meta"]:
        return None, 0
    meta = json.loads(raw["meta"])
    lines: dict[str, list[str]] = {}
    legacy_seen = False
    for kind, bucket_store in BUCKET_STORES.items():
        lines[kind] = [line for text in raw[bucket_store].to_py() for line in text.split("\n") if line]
        legacy = raw[kind].to_py()  # version 2 values, until the first write
        lines[kind] += legacy
        legacy_seen = legacy_seen or bool(legacy)
    records = {kind: [json.loads(line) for line in texts] for kind, texts in lines.items()}
    state, repairs = loaded(meta, records, lines)  # texts stored under looser rules: repaired, not refused
    # the next save rewrites every bucket: version-2 values cleared, repaired texts stored (said once, above the app)
    LEGACY_PRESENT[id(db)] = legacy_seen or say_repaired(repairs)
    return state, meta["generation"]


LAST_SAVE: dict[str, float] = {}  # timings of the last save (ms), read by bench/merge.py


def _failure(exc):
    return storage_error(str(getattr(exc, "name", "") or type(exc).__name__), str(getattr(exc, "message", exc)))


def _abort(tx) -> None:
    try:
        tx.abort()
    except Exception:  # already finished or aborted
        pass


def _write_transaction(db):
    """A readwrite transaction over every store and a future of its outcome: True when committed,
    or a French WebError (storage full, connection closed for an upgrade, …) when not."""
    if id(db) in CLOSED:
        raise WebError("store.closed")
    try:
        tx = db.transaction(to_js(list(STORES)), "readwrite", to_js({"durability": DURABILITY},
                                                                       dict_converter=js.Object.fromEntries))
    except Exception as exc:
        raise _failure(exc) from None
    fut = asyncio.get_event_loop().create_future()

    def failed(_event):
        if not fut.done():
            error = tx.error
            fut.set_exception(_failure(error) if error else WebError("store.write",
                                                                     detail=words("d.write_interrupted")))

    tx.oncomplete = create_once_callable(lambda _e: fut.done() or fut.set_result(True))
    tx.onerror = create_once_callable(failed)
    tx.onabort = create_once_callable(failed)
    return tx, fut


async def save(db, old: State | None, new: State, generation: int, *, undo: str | dict | None | bool = False,
               journal: dict | None = None, clear: bool = False) -> int:
    """Write what changed from `old` to `new` in one transaction; returns the new generation.
    `undo`: a text to keep under "last", or {key: text or None} for several keys (None clears both "last" and
    "before"; False leaves them); `journal`: a report to append; `clear`: rewrite every bucket (old=None),
    dropping whatever was stored. A failed write (storage full…) raises a French WebError and leaves the
    stored data as it was (one transaction: all or nothing; GUARDS["room"] may refuse it before it starts)."""
    generation += 1
    t0 = js.performance.now()
    # Serialise first, then issue every request of the transaction without yielding in between.
    legacy = LEGACY_PRESENT.get(id(db), True)
    if clear:
        old = None
    writes = bucket_writes(old, new, everything=legacy or clear)
    meta = meta_json(new, generation)
    if "room" in GUARDS:  # before the transaction: a write that cannot fit is refused whole (store.quota)
        await GUARDS["room"](meta, undo, writes)
    t1 = js.performance.now()
    tx, fut = _write_transaction(db)
    try:
        if clear:  # a whole new state (recovery, restore): nothing of the old buckets may stay
            for name in BUCKET_STORES.values():
                tx.objectStore(name).clear()
        for name, buckets in writes.items():
            store = tx.objectStore(name)
            for key, text in buckets.items():
                if text is None:
                    store.delete(key)
                else:
                    store.put(text, key)
        if legacy:  # everything is in buckets now: the version-2 values go, in the same transaction
            for name in LEGACY:
                tx.objectStore(name).clear()
        tx.objectStore("meta").put(meta, "state")
        if undo is None:
            tx.objectStore("undo").delete("last")
            tx.objectStore("undo").delete("before")
        elif undo is not False:
            for key, value in (undo.items() if isinstance(undo, dict) else (("last", undo),)):
                if value is None:
                    tx.objectStore("undo").delete(key)
                else:
                    tx.objectStore("undo").put(value, key)
        if journal is not None:
            # Keyed in the order the writes happened (the generation, taken under the cross-tab lock),
            # not by the time the user clicked: two tabs' imports then list as they ran, and the newest
            # is the one « Annuler » reverts. "~" sorts after the date-first keys of older journals.
            tx.objectStore("journal").put(json.dumps(journal, ensure_ascii=False),
                                          f"~{generation:08d}-{journal['at']}")
    except Exception as exc:  # a request refused at once (e.g. the connection is closing): nothing is kept
        _abort(tx)
        raise _failure(exc) from None
    t2 = js.performance.now()
    await fut
    LEGACY_PRESENT[id(db)] = False
    GUARDS.get("saved", lambda _state: None)(new)  # the group's marker, outside IndexedDB
    LAST_SAVE.update(serialise=t1 - t0, requests=t2 - t1, commit=js.performance.now() - t2,
                     buckets=sum(len(b) for b in writes.values()))
    return generation


async def read_undo(db, key: str = "last") -> str | None:
    tx = db.transaction("undo", "readonly")
    value = await _future_of(tx.objectStore("undo").get(key))
    return None if value is None else str(value)


async def read_raw(db) -> dict[str, dict[str, Any]]:
    """Every stored value, as it is (no check): what the recovery screen exports when the state no
    longer loads. Values are strings (or whatever was stored, converted to JSON-able Python)."""
    out: dict[str, dict[str, Any]] = {}
    tx = db.transaction(to_js(list(STORES)), "readonly")
    futures = {name: (_future_of(tx.objectStore(name).getAllKeys()), _future_of(tx.objectStore(name).getAll()))
               for name in STORES}
    for name, (keys, values) in futures.items():
        keys, values = (await keys).to_py(), (await values).to_py()
        out[name] = {str(k): v if isinstance(v, (str, int, float, bool, type(None))) else repr(v)
                     for k, v in zip(keys, values, strict=False)}
    return out


async def delete_database(db) -> bool:
    """Close this tab's connection and delete the whole database (other tabs close theirs on
    `versionchange`). True when deleted. GUARDS["deleting"] first: a deletion asked for is no eviction."""
    GUARDS.get("deleting", lambda: None)()
    db.close()
    CLOSED.add(id(db))
    done = asyncio.get_event_loop().create_future()
    request = js.indexedDB.deleteDatabase(DB_NAME)
    request.onsuccess = create_once_callable(lambda _e: done.done() or done.set_result(True))
    request.onerror = create_once_callable(lambda _e: done.done() or done.set_result(False))
    return await done


async def read_journal(db) -> list[dict]:
    tx = db.transaction("journal", "readonly")
    values = await _future_of(tx.objectStore("journal").getAll())
    entries = [json.loads(v) for v in values.to_py()]
    return list(reversed(entries))[:JOURNAL_LIMIT]
