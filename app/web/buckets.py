"""How records are laid out in IndexedDB buckets, as plain Python (no browser object here, but in
`say_repaired`, which shows a banner only when a load repaired stored texts).

Records live in BUCKETS buckets per kind, chosen by a stable hash of their id (crc32, not Python's
salted hash); a bucket's value is its records' v1.0 JSON texts, one per line. app/web/store.py does
the IndexedDB side.

Why buckets: IndexedDB's cost is per value. Writing 20,500 changed records as 20,500 values took
1.1 s (0.7 s of it the commit); the same data as 128 bucket values takes a few tens of ms
(bench/merge.py --browser). A write rewrites only the buckets holding a changed record; the texts of
unchanged records are reused from the last load or save (TEXTS, checked by record identity), so
only changed records are serialised.
"""

from __future__ import annotations

import json
import zlib
from functools import lru_cache
from typing import Any

from app.core import document
from app.core.model import State, local_sync_to_json

BUCKET_STORES = {"cellules": "cellule_buckets", "ateliers": "atelier_buckets"}
BUCKETS = 64  # per kind: the largest state (250,000 records) gives buckets of ~1 MB


@lru_cache(maxsize=1 << 18)
def bucket_of(record_id: str) -> str:
    """A record's bucket: stable across sessions and browsers (not Python's salted hash)."""
    return f"{zlib.crc32(record_id.encode()) % BUCKETS:02x}"


# (kind, record id) -> (the record object, its JSON text): texts read or written last, reused for
# as long as the state still holds that very object (records are immutable).
TEXTS: dict[tuple[str, str], tuple[Any, str]] = {}




def _document(meta: dict, records: dict[str, list[dict]]) -> dict[str, Any]:
    doc = {
        "version": document.FORMAT_VERSION, "instanceId": meta["instanceId"], "instanceName": meta["instanceName"],
        "exportedAt": "2000-01-01T00:00:00Z", "kind": "full",
        "cellules": records["cellules"], "ateliers": records["ateliers"],
        "federatedSources": meta.get("federatedSources", []),
        **meta.get("extra", {}),
    }
    if meta.get("sync"):
        doc["sync"] = meta["sync"]
    return doc


def state_of(meta: dict, records: dict[str, list[dict]]) -> State:
    """The stored meta value and records, as a full v1.0 document through the checks of an import."""
    return document.state_from_document(_document(meta, records))


def stored_state(meta: dict, records: dict[str, list[dict]]) -> tuple[State, tuple[document.Repair, ...]]:
    """state_of for this device's own stored state: texts the model refuses (stored under looser
    rules) are repaired rather than refused, and said (document.own_state_from_document)."""
    return document.own_state_from_document(_document(meta, records))


def remember(state: State, records: dict[str, list[dict]], lines: dict[str, list[str]],
             repairs: tuple[document.Repair, ...] = ()) -> None:
    """After a load: the texts just read are those of the state's records — but for repaired
    records, whose stored text is not theirs (written anew by the next save that rewrites them)."""
    TEXTS.clear()
    repaired = {(r.kind + "s", r.id) for r in repairs}
    for kind, table in (("cellules", state.cellules), ("ateliers", state.ateliers)):
        for data, text in zip(records[kind], lines[kind], strict=True):
            if (kind, data["id"]) not in repaired:
                TEXTS[kind, data["id"]] = (table[data["id"]], text)


def loaded(meta: dict, records: dict[str, list[dict]], lines: dict[str, list[str]]
           ) -> tuple[State, tuple[document.Repair, ...]]:
    """A load's state (stored_state) and what was repaired; the texts read are remembered (remember)."""
    state, repairs = stored_state(meta, records)
    remember(state, records, lines, repairs)
    return state, repairs


def say_repaired(repairs: tuple[document.Repair, ...]) -> bool:
    """Texts were repaired: say so once, in a banner above the app (the one function here that
    touches the page, only then). True when there were some."""
    if not repairs:
        return False
    import js  # type: ignore[import-not-found]

    from app.web.dom import by_id, el

    lang = "en" if str(js.localStorage.getItem("cellules-lang")) == "en" else "fr"
    banner = by_id("repair-banner") or el("div", {"id": "repair-banner", "class": "banner", "role": "status"})
    banner.textContent = document.repair_message(repairs, lang)
    js.document.body.insertBefore(banner, js.document.body.firstChild)
    return True


def meta_json(state: State, generation: int) -> str:
    """Everything of a state but its records (those live in their own stores)."""
    meta: dict[str, Any] = {
        "instanceId": state.instance_id, "instanceName": state.instance_name, "generation": generation,
        "federatedSources": [document.source_to_json(s) for s in sorted(state.sources.values(), key=lambda s: s.id)],
        "extra": dict(state.extra),
    }
    sync = {"clock": state.clock} if state.clock else {}
    if state.last_full_export_at:
        sync["lastFullExportAt"] = state.last_full_export_at
    sync.update(local_sync_to_json(state))  # conflict marks, this device's stamp node
    if sync:
        meta["sync"] = sync
    return json.dumps(meta, ensure_ascii=False)


def changes(old: State | None, new: State) -> dict[str, tuple[list, list]]:
    """Per kind: (records to put, ids to delete) between two states."""
    out = {}
    for name in ("cellules", "ateliers"):
        before = getattr(old, name) if old else {}
        after = getattr(new, name)
        puts = [r for rid, r in after.items() if before.get(rid) is not r]
        deletes = [rid for rid in before if rid not in after]
        out[name] = (puts, deletes)
    return out


def _text(kind: str, record) -> str:
    cached = TEXTS.get((kind, record.id))
    if cached is not None and cached[0] is record:
        return cached[1]
    text = document.compact_json(document.record_to_json(record))
    TEXTS[kind, record.id] = (record, text)
    return text


def bucket_writes(old: State | None, new: State, *, everything: bool = False) -> dict[str, dict[str, str | None]]:
    """Per bucket store: bucket key -> its new text (None: now empty, delete it). Only buckets that
    hold a changed or deleted record are rewritten; only changed records are serialised."""
    out: dict[str, dict[str, str | None]] = {}
    for kind, (puts, deletes) in changes(old, new).items():
        table = getattr(new, kind)
        touched = {bucket_of(r.id) for r in puts} | {bucket_of(rid) for rid in deletes}
        for rid in deletes:
            TEXTS.pop((kind, rid), None)
        if everything:
            touched |= {bucket_of(rid) for rid in table}
        members: dict[str, list[str]] = {b: [] for b in touched}
        if touched:
            for rid in table:
                b = bucket_of(rid)
                if b in members:
                    members[b].append(rid)
        out[BUCKET_STORES[kind]] = {
            b: "\n".join(_text(kind, table[rid]) for rid in sorted(ids)) if ids else None
            for b, ids in sorted(members.items())
        }
    return out
