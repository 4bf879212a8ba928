"""The interchange format v1.0: text -> checked document -> model, and model -> document -> text.

Theory of operation
-------------------
Reading goes through three gates, each with a French error naming what is wrong:
  1. size (a 20 MB cap) and encoding, then `json.loads` (line and column on error): app.core.json_text;
  2. version ("1.x" is read), then the JSON Schema (app/schema/export-v1.json, the single source of
     truth), naming the first failing place ("cellules[3].name"): app.core.schema;
  3. the model: each record is built as a frozen dataclass (rules in app.core.model), ids must be
     unique, timestamps must not be implausibly in the future. On import, a record whose JSON is
     exactly that of the record we already hold (but for the sender's `via`) reuses ours: a
     peer's monthly file repeats most records, and comparing dicts costs less than rebuilding.
Unknown fields of a 1.x document are kept (in `extra`) and written back on export.
Records without sync metadata (another implementation of the seed's format) get `updatedAt` as
their clock.

Accepted => reopens: every value read is checked on the way in, so that whatever is accepted can
be stored, exported, and read back by every adapter:
  * numbers: integers within ±(2**53 - 1), decimals finite and of at most MAX_NUMBER_CHARS
    characters — by the parser's own hooks (app.core.json_text), and in unknown fields here;
  * text anywhere (unknown fields included): no NUL (no database stores it), no lone surrogate
    (cannot be written as UTF-8);
  * unknown fields (`extra`, of records, sources and the document): JSON values nested at most
    MAX_EXTRA_DEPTH levels (the same bound in CPython and Pyodide: the parser's own recursion
    limit differs between them); `peerNames` (top level) must map instance ids to instance names;
  * sync metadata: clocks are canonical stamps; `lastFullExportAt` an RFC 3339 date; each history
    entry names a field of the record, holds a value that field accepts, and is not newer than that
    field's own stamp (a history entry is a value that lost: junk from the future is refused, with
    its place named; the model then bounds what it keeps per field);
  * the STATE an import yields must itself fit the document limits (`check_state_limits`): a
    document of minimal records grows when its records get clocks, and a state whose backup would
    be refused must never be written.
"""

from __future__ import annotations

import gc
import json
import math
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from dataclasses import replace as dc_replace
from json import encoder
from operator import attrgetter
from typing import Any

from app.core.clock import (
    INSTANCE_ID_RE,
    Timestamp,
    check_drift,
    format_ms,
    from_updated_at,
    normalize_time,
    parse_rfc3339,
)
from app.core.errors import CellulesError, DocumentError
from app.core.i18n import words
from app.core.json_text import MAX_DOCUMENT_DEPTH as MAX_DOCUMENT_DEPTH  # re-exported: the gates' limits
from app.core.json_text import MAX_EXTRA_DEPTH, MAX_INT, number_error, parse_json_text
from app.core.json_text import MAX_NUMBER_CHARS as MAX_NUMBER_CHARS
from app.core.json_text import nesting_depth as nesting_depth
from app.core.model import (
    DELETED,
    INSTANCE_NAME_RULE,
    SOURCE_URL_KEY,
    Atelier,
    Cellule,
    HistoryEntry,
    Record,
    Source,
    State,
    check_field,
    local_sync_from_json,
    local_sync_to_json,
)
from app.core.repair import MAX_REPAIRS_NAMED as MAX_REPAIRS_NAMED  # re-exported: one's own stored state
from app.core.repair import Repair, repair_stored
from app.core.repair import repair_message as repair_message
from app.core.repair import repaired_text as repaired_text
from app.core.schema import SCHEMA as SCHEMA  # re-exported: the format's schema
from app.core.schema import check_document, check_version, explain, schema_validators

FORMAT_VERSION = "1.0"
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
MAX_CELLULES = 50_000
MAX_ATELIERS = 200_000
MAX_SOURCES = 10_000
MAX_VIA = 1000  # peers that brought one record (schema maxItems)
MAX_HISTORY = 20  # history entries of one record in a document (schema maxItems)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Big imports and loads allocate hundreds of thousands of acyclic objects; CPython's cyclic
    collector would walk the whole heap again and again (about a third of the import time,
    bench/merge.py)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def parse_text(text: str | bytes) -> dict[str, Any]:
    """Gate 1 and 2: a JSON text -> a schema-valid v1.x document (a dict)."""
    return check_document(parse_json_text(text, MAX_DOCUMENT_BYTES))


def read_text(text: str | bytes, *, held: State | None = None, now_ms: int | None = None,
              refuse_future: bool = True) -> Incoming:
    """read_document(parse_text(text), ...) in one pass over the records: a record that is
    exactly one `held` already holds (_held_copy) is neither checked against the schema nor
    built again — it was both when this instance took it, and a peer's file repeats most of
    what we hold. Every other record is checked against the schema before any is built, so a
    refusal names what parse_text would name."""
    return read_json(parse_json_text(text, MAX_DOCUMENT_BYTES), held=held, now_ms=now_ms, refuse_future=refuse_future)


def parse_json(text: str | bytes) -> Any:
    """The first gates of read_text (size, encoding, nesting, JSON, numbers, lone surrogates): the
    JSON value of `text`, not yet checked as a document — for read_json."""
    return parse_json_text(text, MAX_DOCUMENT_BYTES)


def read_json(doc: Any, *, held: State | None = None, now_ms: int | None = None,
              refuse_future: bool = True) -> Incoming:
    """The rest of read_text, on a JSON value parse_json gave (or documents of one peer put
    together, app.core.live): version, schema and model in one pass over the records, with the
    same refusals and messages as read_text. Once it returns, every record of `doc` is
    schema-valid (or exactly one `held` holds)."""
    check_version(doc)
    try:
        schema_validators()["document"](doc)
    except Exception:  # fastjsonschema.JsonSchemaException, or a type it did not expect
        raise explain(doc) from None
    return _read(doc, now_ms=now_ms, held=held, refuse_future=refuse_future, check_records=True)


# --- model <-> JSON -------------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class Incoming:
    """A checked document, as model objects."""

    version: str
    instance_id: str
    instance_name: str
    exported_at: str
    kind: str
    cellules: Mapping[str, Cellule]
    ateliers: Mapping[str, Atelier]
    sources: tuple[Source, ...]
    clock: str = ""
    last_full_export_at: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    local_sync: Mapping[str, Any] = field(default_factory=dict)  # top-level sync's marks/device/devices (model)
    # (kind, id) of records whose clock the document does not give in full (another implementation
    # of the format: `updatedAt` stands in, see _read_clock): nothing says what their writer had seen
    unclocked: frozenset[tuple[str, str]] = frozenset()


_COMMON_KEYS = ("id", "createdAt", "updatedAt", "origin", "deleted", "sync")
_TOP_KEYS = ("version", "instanceId", "instanceName", "exportedAt", "kind", "cellules", "ateliers",
             "federatedSources", "sync")


def _read_clock(value: Any, data: Mapping[str, Any], keys: tuple[str, ...],
                writer: str | None = None) -> dict[str, str]:
    """A record's clock as written: one stamp for all fields, or {field: stamp, "*": the others};
    fields with no stamp get `updatedAt` as their clock (see from_updated_at), written by `writer`:
    the document's sender (what it holds, it wrote or took; it cannot sign a write as someone
    else's — a copy of our record edited elsewhere is not « written by us »), else `origin`."""
    if isinstance(value, str):
        return dict.fromkeys(keys, value)
    value = value or {}
    default = value.get("*")
    if default is None and not value.keys() >= set(keys):
        default = from_updated_at(data["updatedAt"], writer or data["origin"])
    return {key: value.get(key, default) for key in keys}


def _write_clock(stamps: list[str], clock: Mapping[str, str]) -> str | dict[str, str]:
    """The compact form of a clock: most records were written in one go and share one stamp."""
    if stamps.count(stamps[0]) == len(stamps):
        return stamps[0]
    common = max(set(stamps), key=lambda s: (stamps.count(s), s))
    return {"*": common, **{k: v for k, v in sorted(clock.items()) if v != common}}


_LABEL_UPDATED = words("label.updated")
_KNOWN_KEYS = {cls: frozenset(cls.keys()) | frozenset(_COMMON_KEYS) for cls in (Cellule, Atelier)}


def record_from_json(cls: type[Record], data: Mapping[str, Any], where: str, writer: str | None = None) -> Record:
    """One record of a document; `writer`: the document's sender (the node of stamps it lacks)."""
    try:
        sync = data.get("sync") or {}
        if not isinstance(sync, Mapping):
            raise DocumentError("doc.value", where=f"{where}.sync", where_en=f"{where}.sync",
                                detail=words("d.object_expected"))
        parse_rfc3339(data["updatedAt"], label=_LABEL_UPDATED)  # even when unused
        attrs = {rule.attr: data[rule.key] for rule in cls.FIELDS if rule.key in data}
        unknown = data.keys() - _KNOWN_KEYS[cls]
        extra = {k: check_extra(data[k], f"{where}.{k}") for k in sorted(unknown)} if unknown else {}
        history = sync.get("history") or ()
        if not isinstance(history, list | tuple) or len(history) > MAX_HISTORY:
            raise DocumentError("doc.value", where=f"{where}.sync.history", where_en=f"{where}.sync.history",
                                detail=words("d.list_at_most", n=MAX_HISTORY))
        via = sync.get("via") or ()
        if not isinstance(via, list | tuple) or len(via) > MAX_VIA:
            raise DocumentError("doc.value", where=f"{where}.sync.via", where_en=f"{where}.sync.via",
                                detail=words("d.via_at_most", n=MAX_VIA))
        attrs.update(
            id=data["id"], created_at=data["createdAt"], origin=data["origin"],
            deleted=bool(data.get("deleted", False)), clock=_read_clock(sync.get("clock"), data, cls.keys(), writer),
            history=(), via=tuple(via), extra=extra,
        )
        record = cls(**attrs)
        if history:
            # built again so that the model's own rules for history (bounds) apply
            record = dc_replace(record, history=_read_history(record, history, f"{where}.sync.history"))
        return record
    except CellulesError as exc:
        if exc.code in _OWN_CODES:
            raise
        raise DocumentError("doc.schema", where=where, detail=exc.words()) from None


# Errors that already name their place (not wrapped in "doc.schema").
_OWN_CODES = frozenset({"doc.value", "doc.depth", "doc.nul", "doc.number"})
_HISTORY_FIELDS = {cls: frozenset(k for k in cls.keys() if k != DELETED) for cls in (Cellule, Atelier)}


_CONFLICT = {"conflict": True}  # a history entry that lost a concurrent edit (model.HistoryEntry)


def _read_history(record: Record, entries: Any, where: str) -> tuple[HistoryEntry, ...]:
    """History entries as the model holds them, each checked: a field of the record, a value that
    field accepts (normalised like the field), a canonical stamp no newer than the field's own (a
    history entry is a value that lost). An entry that could not have been written is refused,
    naming its place: junk from the future must not push real entries out."""
    out = []
    fields = _HISTORY_FIELDS[type(record)]
    for i, entry in enumerate(entries):
        place = f"{where}[{i}]"
        if not isinstance(entry, Mapping) or entry.get("field") not in fields:
            raise DocumentError("doc.value", where=place, where_en=place,
                                detail=words("d.field_among", fields=", ".join(sorted(fields))))
        key = entry["field"]
        try:
            stamp = str(Timestamp.parse(entry.get("clock")))
            value = entry.get("value")
            if value is not None or not record.rule(key).optional:
                value = check_field(record.rule(key), value)
        except CellulesError as exc:
            raise DocumentError("doc.value", where=place, where_en=place, detail=exc.words()) from None
        if stamp > record.stamp(key):
            raise DocumentError("doc.value", where=place, where_en=place,
                                detail=words("d.history_after", key=key))
        out.append(HistoryEntry(field=key, value=value, clock=stamp, conflict=entry.get("conflict") is True))
    return tuple(out)


def merge_extra(local: Mapping[str, Any], local_stamp: str, remote: Mapping[str, Any],
                remote_stamp: str) -> dict[str, Any]:
    """Unknown fields of two copies of a record, merged the same whatever the import order: the
    union, the side with the later last stamp winning key by key; with equal last stamps, each key
    keeps the larger value by its compact JSON text, code-point order (what the SQL export's
    `v::text COLLATE "C"` gives for text, numbers, booleans and null)."""
    if remote_stamp > local_stamp:
        return {**local, **remote}
    if remote_stamp < local_stamp:
        return {**remote, **local}
    out = {**local}
    for key, value in remote.items():
        if key not in out or _extra_key(value) > _extra_key(out[key]):
            out[key] = value
    return out


def _extra_key(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def check_extra(value: Any, where: str) -> Any:
    """An unknown field's value: JSON types only, at most MAX_EXTRA_DEPTH levels, bounded numbers,
    no NUL in any text (keys included, the field's own name too). Iterative: a deep value cannot
    exhaust the stack."""
    if "\x00" in where:
        shown = where.replace("\x00", "\\u0000")
        raise DocumentError("doc.nul", where=shown, where_en=shown)
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()  # depth: containers holding `item`, itself included if one
        if depth > MAX_EXTRA_DEPTH and isinstance(item, Mapping | list | tuple):
            raise DocumentError("doc.depth", limit=MAX_EXTRA_DEPTH)
        if isinstance(item, str):
            if "\x00" in item:
                raise DocumentError("doc.nul", where=where, where_en=where)
        elif isinstance(item, bool) or item is None:
            pass
        elif isinstance(item, int):
            if abs(item) > MAX_INT:
                raise number_error(str(item)[:40])
        elif isinstance(item, float):
            if not math.isfinite(item):
                raise number_error(repr(item))
        elif isinstance(item, Mapping):
            for k, v in item.items():
                if not isinstance(k, str) or "\x00" in k:
                    raise DocumentError("doc.nul", where=where, where_en=where)
                stack.append((v, depth + 1))
        elif isinstance(item, list | tuple):
            stack.extend((v, depth + 1) for v in item)
        else:
            raise DocumentError("doc.value", where=where, where_en=where, detail=words("d.not_storable"))
    return value


def record_to_json(record: Record, *, with_sync: bool = True, with_via: bool = True) -> dict[str, Any]:
    values = record.__dict__  # the fields, read straight (every record of every export comes here)
    out: dict[str, Any] = {"id": values["id"]}
    for attr, key, optional in record._JSON_FIELDS:
        value = values[attr]
        if optional and (value is None or value == ""):
            continue
        out[key] = value
    last = record.last_stamp
    # A stamp starts with its wall time in the canonical form: the last one's is `updatedAt`.
    out["createdAt"] = values["created_at"]
    out["updatedAt"] = last[:24] if last else values["created_at"]
    out["origin"] = values["origin"]
    out["deleted"] = values["deleted"]
    if record.extra:
        out.update(record.extra)
    if with_sync and last:
        stamps = list(record.clock.values())
        same = stamps.count(last) == len(stamps)
        sync: dict[str, Any] = {"clock": last if same else _write_clock(stamps, record.clock)}
        if record.history:
            sync["history"] = [{"field": h.field, "value": h.value, "clock": h.clock, **_CONFLICT} if h.conflict
                               else {"field": h.field, "value": h.value, "clock": h.clock} for h in record.history]
        if with_via and record.via:
            sync["via"] = list(record.via)
        out["sync"] = sync
    return out


def source_from_json(data: Mapping[str, Any], where: str = "federatedSources") -> Source:
    known = {"id", "name", "importedAt", "celluleCount", "atelierCount"}
    counts = {}
    for key in ("celluleCount", "atelierCount"):
        count = data.get(key, 0)
        if type(count) is not int or not 0 <= count <= MAX_INT:
            raise DocumentError("doc.value", where=f"{where}.{key}", where_en=f"{where}.{key}",
                                detail=words("d.positive_int"))
        counts[key] = count
    return Source(id=data["id"], name=data["name"], imported_at=data["importedAt"],
                  cellule_count=counts["celluleCount"], atelier_count=counts["atelierCount"],
                  extra={k: check_extra(v, f"{where}.{k}") for k, v in data.items() if k not in known})


def source_to_json(source: Source, *, with_url: bool = True) -> dict[str, Any]:
    """A source as JSON; `with_url=False` leaves its address out (it may hold a private link's token:
    a backup keeps it, a file made to share does not)."""
    extra = source.extra if with_url else {k: v for k, v in source.extra.items() if k != SOURCE_URL_KEY}
    return {"id": source.id, "name": source.name, "importedAt": source.imported_at,
            "celluleCount": source.cellule_count, "atelierCount": source.atelier_count, **extra}


def _held_copy(data: Any, known: Mapping[str, Record]) -> Record | None:
    """The record of `known` (ours) that `data` is exactly the JSON of, but for `sync.via` (the
    sender's provenance), or None: a peer's monthly file repeats most records unchanged, and
    comparing two dicts is cheaper than checking and building a record. Any JSON value may come
    here (read_text compares before the schema): only a record's exact JSON matches — its
    booleans as booleans (in Python 0 == False and 1 == True) — and records with unknown fields
    (`extra`, any JSON) always take the full path."""
    if type(data) is not dict:
        return None
    rid = data.get("id")
    held = known.get(rid) if type(rid) is str else None
    if held is None or held.extra or type(data.get("deleted")) is not bool:
        return None
    sync = data.get("sync")
    via = ()
    if type(sync) is dict and "via" in sync:
        given = sync["via"]
        if type(given) is not list or not all(type(v) is str for v in given):
            return None
        via = tuple(sorted(set(given)))
        data = {**data, "sync": {k: v for k, v in sync.items() if k != "via"}}
    if data != record_to_json(held, with_via=False):
        return None
    if held.history and any(type(h.get("conflict", False)) is not bool for h in data["sync"]["history"]):
        return None
    return held if held.via == via else held.evolve(via=via)


def read_document(doc: Mapping[str, Any], *, now_ms: int | None = None, held: State | None = None,
                  refuse_future: bool = True) -> Incoming:
    """Gate 3: a schema-valid document -> model objects (unique ids, plausible clocks).
    `held`: the state the document will be merged into; records it already holds unchanged are
    reused rather than rebuilt (only for documents that passed the schema).
    `refuse_future=False`: a record stamped too far ahead of `now_ms` is read like any other (the
    merge then refuses that record alone, see clock.stamp_too_far_ahead)."""
    return _read(doc, now_ms=now_ms, held=held, refuse_future=refuse_future, check_records=False)


def _read(doc: Mapping[str, Any], *, now_ms: int | None, held: State | None, refuse_future: bool,
          check_records: bool) -> Incoming:
    """read_document; `check_records`: the document passed the schema but for its records
    (read_text), which are checked here, all of them before any is built — but those `held`
    holds exactly (_held_copy)."""
    tables: dict[str, dict[str, Any]] = {}
    unclocked: set[tuple[str, str]] = set()
    writer = doc.get("instanceId") if isinstance(doc.get("instanceId"), str) and INSTANCE_ID_RE.match(
        doc.get("instanceId")) else None
    found: list[tuple[str, type[Record], list[Any], list[Record | None]]] = []
    for key, cls, limit in (("cellules", Cellule, MAX_CELLULES), ("ateliers", Atelier, MAX_ATELIERS)):
        items = doc.get(key) or []
        if len(items) > limit:
            raise DocumentError("doc.limit", what=key, what_en=key, count=len(items), limit=limit)
        known: Mapping[str, Record] = getattr(held, key) if held is not None else {}
        copies = [_held_copy(data, known) for data in items] if known else [None] * len(items)
        if check_records:
            check = schema_validators()[key]
            try:
                for data, copy in zip(items, copies, strict=True):
                    if copy is None:
                        check(data)
            except Exception:  # fastjsonschema.JsonSchemaException, or a type it did not expect
                raise explain(doc) from None
        found.append((key, cls, items, copies))
    for key, cls, items, copies in found:
        table: dict[str, Any] = {}
        kind = "cellule" if cls is Cellule else "atelier"
        every_key = set(cls.keys())
        for i, (data, record) in enumerate(zip(items, copies, strict=True)):
            if record is None:
                record = record_from_json(cls, data, f"{key}[{i}]", writer)
                sync = data.get("sync")
                stamps = sync.get("clock") if isinstance(sync, Mapping) else None
                if not stamps or (isinstance(stamps, Mapping) and "*" not in stamps
                                  and not stamps.keys() >= every_key):
                    unclocked.add((kind, record.id))
            if record.id in table:
                raise DocumentError("doc.duplicate", id=record.id)
            if now_ms is not None and refuse_future:
                check_drift(Timestamp.parse(record.last_stamp), now_ms)
            table[record.id] = record
        tables[key] = table
    try:
        raw_sources = doc.get("federatedSources") or ()
        if len(raw_sources) > MAX_SOURCES:
            raise DocumentError("doc.limit", what="sources", what_en="sources", count=len(raw_sources),
                                limit=MAX_SOURCES)
        sources = tuple(source_from_json(s, f"federatedSources[{i}]") for i, s in enumerate(raw_sources))
        if len({s.id for s in sources}) != len(sources):
            raise DocumentError("doc.duplicate", id=next(s.id for s in sources
                                                         if sum(t.id == s.id for t in sources) > 1))
        sync = doc.get("sync") or {}
        if not isinstance(sync, Mapping):
            raise DocumentError("doc.value", where="sync", where_en="sync", detail=words("d.object_expected"))
        clock = sync.get("clock") or ""
        if clock:
            clock = str(Timestamp.parse(clock))
        last_full = sync.get("lastFullExportAt")
        if last_full is not None:
            try:
                last_full = normalize_time(last_full)
            except CellulesError as exc:
                raise DocumentError("doc.schema", where="sync.lastFullExportAt", detail=exc.words()) from None
        instance_name = doc.get("instanceName") or doc["instanceId"]
        check_field(INSTANCE_NAME_RULE, instance_name)
        local_sync = {k: v for k, v in sync.items() if k not in ("clock", "lastFullExportAt")}
        local_sync_from_json(local_sync, doc["instanceId"])  # marks, device, devices: checked on the way in
        extra = {k: check_extra(v, k) for k, v in doc.items() if k not in _TOP_KEYS}
        if "peerNames" in extra:
            _check_peer_names(extra["peerNames"])
        return Incoming(
            version=doc["version"], instance_id=doc["instanceId"],
            instance_name=instance_name,
            exported_at=normalize_time(doc["exportedAt"]), kind=doc.get("kind", "full"),
            cellules=tables["cellules"], ateliers=tables["ateliers"], sources=sources, clock=clock,
            last_full_export_at=last_full, extra=extra,
            local_sync=local_sync, unclocked=frozenset(unclocked),
        )
    except CellulesError as exc:
        if exc.code in _OWN_CODES or exc.code in ("doc.limit", "doc.duplicate", "doc.schema"):
            raise
        raise DocumentError("doc.schema", where="document", detail=exc.words()) from None


def _check_peer_names(names: Any) -> None:
    """`peerNames` (top level, written by this app): instance id -> the name it goes by."""
    ok = isinstance(names, Mapping) and len(names) <= MAX_SOURCES
    if ok:
        for key, name in names.items():
            try:
                check_field(INSTANCE_NAME_RULE, name)
            except CellulesError:
                ok = False
            if not ok or not INSTANCE_ID_RE.match(key):
                ok = False
                break
    if not ok:
        raise DocumentError("doc.value", where="peerNames", where_en="peerNames",
                            detail=words("d.peer_names"))


_ID_OF = attrgetter("id")


def to_document(state: State, *, kind: str = "full", now_ms: int, records: bool = True) -> dict[str, Any]:
    """The v1.0 document of a state. `full`: everything, tombstones included (a backup).
    `cellules`: live cellules only, no ateliers, no local provenance, no source addresses (light to share).
    `records=False`: the cellules and ateliers lists are left empty (dumps_state writes them itself)."""
    full = kind == "full"
    cellules = sorted(state.cellules.values(), key=_ID_OF) if records else []
    ateliers = sorted(state.ateliers.values(), key=_ID_OF) if records else []
    doc: dict[str, Any] = {
        "version": FORMAT_VERSION,
        "instanceId": state.instance_id,
        "instanceName": state.instance_name,
        "exportedAt": format_ms(now_ms),
        "kind": kind,
        "cellules": [record_to_json(c, with_via=full) for c in cellules if full or c.live],
        "ateliers": [record_to_json(a) for a in ateliers] if full else [],
        "federatedSources": [source_to_json(s, with_url=full)
                             for s in sorted(state.sources.values(), key=lambda s: s.id)],
    }
    if full:
        sync: dict[str, Any] = {"clock": state.clock} if state.clock else {}
        if state.last_full_export_at:
            sync["lastFullExportAt"] = state.last_full_export_at
        sync.update(local_sync_to_json(state))
        if sync:
            doc["sync"] = sync
    doc.update(state.extra)
    return doc


def check_state_limits(state: State, *, now_ms: int) -> str:
    """The full export of `state` as text, or DocumentError("state.limit") naming the limit it
    would break: a state is only ever stored if its own backup can be read back (same counts and
    size as any document). Adapters call it before writing a state an import produced."""
    for what, count, limit in (("d.count_cellules", len(state.cellules), MAX_CELLULES),
                               ("d.count_ateliers", len(state.ateliers), MAX_ATELIERS),
                               ("d.count_sources", len(state.sources), MAX_SOURCES)):
        if count > limit:
            raise DocumentError("state.limit", what=words(what), count=count, limit=limit)
    for table in (state.cellules, state.ateliers):
        for record in table.values():
            if len(record.via) > MAX_VIA:
                raise DocumentError("state.limit", what=words("d.provenance", id=record.id), count=len(record.via),
                                    limit=MAX_VIA)
    text = dumps_state(state, now_ms=now_ms)
    size = len(text.encode("utf-8"))
    if size > MAX_DOCUMENT_BYTES:
        raise DocumentError("state.limit", what=words("d.backup_bytes"),
                            count=size, limit=MAX_DOCUMENT_BYTES)
    return text


def state_from_document(doc: Mapping[str, Any]) -> State:
    """A full export read back as the state it was taken from (the CLI's STATE file, backups)."""
    incoming = read_document(doc)
    return State(
        instance_id=incoming.instance_id, instance_name=incoming.instance_name, clock=incoming.clock,
        cellules=incoming.cellules, ateliers=incoming.ateliers,
        sources={s.id: s for s in incoming.sources}, last_full_export_at=incoming.last_full_export_at,
        extra=incoming.extra, **local_sync_from_json(incoming.local_sync, incoming.instance_id),
    )


def _compact_encoder():
    """Compact JSON text of a value, non-ASCII kept. JSONEncoder.encode builds a new C encoder on
    every call; one encoder built once is a third faster over 60,000 records (bench/merge.py)."""
    fallback = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode
    if encoder.c_make_encoder is None or encoder.c_encode_basestring is None:  # a pure-Python json
        return fallback

    def refuse(value: Any) -> Any:
        raise TypeError(f"not JSON: {type(value).__name__}")

    # (markers, default, encoder, indent, key_sep, item_sep, sort_keys, skipkeys, allow_nan)
    make = encoder.c_make_encoder(None, refuse, encoder.c_encode_basestring, None, ":", ",", False, False, False)

    def compact(value: Any) -> str:
        if isinstance(value, str):
            return encoder.c_encode_basestring(value)
        return "".join(make(value, 0))

    return compact


compact_json = _compact_encoder()


def dumps(doc: Mapping[str, Any]) -> str:
    """Compact JSON with one record per line: small enough for 50,000 cellules under the size cap,
    still readable and diffable by a person."""
    return _dumps(doc, {})


def _dumps(doc: Mapping[str, Any], written: Mapping[str, list[str]]) -> str:
    """dumps; `written`: lists whose items are already JSON texts (dumps_state's records)."""
    compact = compact_json
    parts = []
    for key, value in doc.items():
        texts = written.get(key)
        if texts is None and key in ("cellules", "ateliers", "federatedSources") and isinstance(value, list) \
                and value:
            texts = [compact(v) for v in value]
        if texts:
            items = ",\n".join(texts)
            parts.append(f"{compact(key)}:[\n{items}\n]")
        else:
            parts.append(f"{compact(key)}:{compact(value)}")
    return "{" + ",\n".join(parts) + "}\n"


_ENCODE_TEXT = encoder.c_encode_basestring or encoder.py_encode_basestring  # a str -> its JSON text
_FIELD_HEADS: dict[type, tuple[tuple[str, str, bool], ...]] = {}


def record_text(record: Record) -> str:
    """compact_json(record_to_json(record)) — the same text, written straight for the records
    that have neither unknown fields nor history (most of them: no dict is built, every text
    goes through the JSON encoder's own string escaping)."""
    if record.extra or record.history:
        return compact_json(record_to_json(record))
    enc = _ENCODE_TEXT
    values = record.__dict__
    heads = _FIELD_HEADS.get(type(record))
    if heads is None:
        heads = _FIELD_HEADS[type(record)] = tuple((attr, f',"{key}":', optional)
                                                   for attr, key, optional in record._JSON_FIELDS)
    parts = ['{"id":', enc(values["id"])]
    for attr, head, optional in heads:
        value = values[attr]
        if optional and (value is None or value == ""):
            continue
        parts += (head, enc(value) if type(value) is str else compact_json(value))
    last = record.last_stamp
    created = values["created_at"]
    parts += (',"createdAt":', enc(created), ',"updatedAt":', enc(last[:24] if last else created),
              ',"origin":', enc(values["origin"]), ',"deleted":true' if values["deleted"] else ',"deleted":false')
    if last:
        clock = values["clock"]
        stamps = list(clock.values())
        parts += (',"sync":{"clock":', enc(last) if stamps.count(last) == len(stamps)
                  else compact_json(_write_clock(stamps, clock)))
        if values["via"]:
            parts += (',"via":', compact_json(list(values["via"])))
        parts.append("}")
    parts.append("}")
    return "".join(parts)


def loads_state(text: str | bytes) -> State:
    with paused_gc():
        return state_from_document(parse_text(text))


def own_state_from_document(doc: Mapping[str, Any]) -> tuple[State, tuple[Repair, ...]]:
    """The device's OWN stored state (never a peer's file): state_from_document, and when that is
    refused, the same with the texts the model refuses repaired (repair_stored) — with what was
    repaired, for the adapter to say once. A state with nothing to repair is read exactly as
    state_from_document reads it (no cost: the repair runs only when that refuses); one that is
    refused for another reason gives that refusal."""
    try:
        return state_from_document(doc), ()
    except CellulesError:
        fixed, repairs = repair_stored(doc)
        if not repairs:
            raise
    return state_from_document(fixed), repairs


def loads_own_state(text: str | bytes) -> tuple[State, tuple[Repair, ...]]:
    """loads_state for the device's own stored state (the CLI's STATE file): see own_state_from_document
    (the text is read again, for the repair, only when loads_state refuses it)."""
    try:
        return loads_state(text), ()
    except CellulesError:
        doc = parse_text(text)
    return own_state_from_document(doc)


def dumps_state(state: State, *, now_ms: int) -> str:
    """dumps(to_document(state, kind="full", ...)), its records written straight (record_text)."""
    with paused_gc():
        written = {"cellules": [record_text(c) for c in sorted(state.cellules.values(), key=_ID_OF)],
                   "ateliers": [record_text(a) for a in sorted(state.ateliers.values(), key=_ID_OF)]}
        return _dumps(to_document(state, kind="full", now_ms=now_ms, records=False), written)

