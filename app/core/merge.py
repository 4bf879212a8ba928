"""Sync engine: preview, merge, replace and drop-source, as pure functions returning (state, report).

Theory of operation
-------------------
Records match by `id`. Each editable field (and the `deleted` tombstone) is a last-writer-wins
register stamped with a hybrid logical clock (app.core.clock); merging keeps, per field, the value
with the larger stamp, ties broken by the stamp's instance id and then by the value itself. That
is a join: commutative, associative and idempotent, so instances that exchange files in any order
and along any path (A→B→C included) end with the same visible cellules and ateliers. A value that
loses stays in the record's history, where the user can restore it. An edit stamped after a
deletion keeps the record alive (model.Record.live).

* `preview(state, incoming)` says, before anything is written, what is new, what changes
  (old → new per field), what conflicts (a field we changed here that the file changed too) and
  what would be deleted; the user may leave items out (`skip`).
* `merge(state, incoming, now_ms=...)` ("Fusionner") keeps everything; `replace(...)`
  ("Remplacer") overwrites local data with the file but keeps this instance's identity.
* Provenance: `origin` says who wrote a record; `via` lists the peers whose files brought it here.
  `federatedSources` gets one entry per peer we imported from. `drop_source` removes what only that
  peer gave us, without tombstones (nothing is deleted at other instances); importing from that
  peer again brings it back.
Nothing here touches storage: the adapters persist the returned state, and keep the state from
before as the undo snapshot.
"""

from __future__ import annotations

import gc
from collections.abc import Container, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import replace as dc_replace
from typing import Any

from app.core.clock import Timestamp, format_ms, observe
from app.core.document import Incoming, merge_extra
from app.core.errors import DocumentError, ValidationError
from app.core.model import DELETED, HISTORY_LIMIT, Atelier, Cellule, HistoryEntry, Record, Source, State

MODES = ("merge", "replace")


@contextmanager
def paused_gc() -> Iterator[None]:
    """Big imports allocate hundreds of thousands of acyclic objects; CPython's cyclic collector
    would walk the whole heap again and again (about a third of the import time, bench/merge.py)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass(frozen=True, kw_only=True)
class FieldChange:
    field: str
    old: Any
    new: Any
    conflict: bool = False  # both sides changed it: the newer write wins, the other goes to history


@dataclass(frozen=True, kw_only=True)
class ItemPlan:
    """What importing one record would do."""

    kind: str  # "cellule" | "atelier"
    id: str
    label: str
    status: str  # "new" | "changed" | "conflict" | "deleted" | "unchanged"
    changes: tuple[FieldChange, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Report:
    """The outcome of an import, drop-source or replace; kept in the import journal."""

    action: str  # "merge" | "replace" | "drop-source"
    source_id: str
    source_name: str
    at: str
    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()  # drop-source / replace: gone from this instance (no tombstone)
    skipped: tuple[str, ...] = ()

    def counts(self) -> dict[str, int]:
        return {k: len(getattr(self, k)) for k in ("added", "updated", "unchanged", "conflicts", "deleted",
                                                     "removed", "skipped")}

    def to_json(self) -> dict[str, Any]:
        return {"action": self.action, "sourceId": self.source_id, "sourceName": self.source_name, "at": self.at,
                **{k: list(getattr(self, k)) for k in self.counts()}}

    def summary_fr(self) -> str:
        c = self.counts()
        if self.action == "drop-source":
            return f"Source « {self.source_name} » supprimée : {c['removed']} élément(s) retiré(s) de cet appareil."
        verb = "Remplacement" if self.action == "replace" else "Fusion"
        return (f"{verb} depuis « {self.source_name} » : {c['added']} ajouté(s), {c['updated']} mis à jour, "
                f"{c['unchanged']} inchangé(s), {c['conflicts']} conflit(s) résolu(s), {c['deleted']} supprimé(s)"
                + (f", {c['removed']} retiré(s)" if c["removed"] else "")
                + (f", {c['skipped']} laissé(s) de côté" if c["skipped"] else "") + ".")


# --- one record ---------------------------------------------------------------------------------

def tie_key(value: Any) -> tuple[bool, Any]:
    """Order of two different values written with the same stamp (only a broken or hostile peer
    does that): None first, then code-point order (bools: False first) — the order PostgreSQL's
    row comparison gives with COLLATE "C", so a Supabase load resolves ties the same way."""
    return (value is not None, value)


def _wins(remote_stamp: str, remote_value: Any, local_stamp: str, local_value: Any) -> bool:
    if remote_stamp != local_stamp:
        return remote_stamp > local_stamp
    return tie_key(remote_value) > tie_key(local_value)  # equal stamps, different values: still deterministic


def merge_record(local: Record, remote: Record, my_id: str) -> tuple[Record, list[FieldChange]]:
    """The join of two copies of one record, and the fields that changed on our side."""
    if local.clock == remote.clock and local.field_values(local) == remote.field_values(remote) \
            and local.extra == remote.extra:
        if set(remote.via) <= set(local.via) and (not remote.history or remote.history == local.history):
            return local, []  # the same write on both sides: nothing to do (the common case)
    values: dict[str, Any] = {}
    clock: dict[str, str] = {}
    lost: list[HistoryEntry] = [*local.history, *remote.history]
    changes: list[FieldChange] = []
    for key in local.keys():
        lv, rv = local.value(key), remote.value(key)
        ls, rs = local.stamp(key), remote.stamp(key)
        if lv == rv:
            values[key], clock[key] = lv, max(ls, rs)
        elif _wins(rs, rv, ls, lv):
            values[key], clock[key] = rv, rs
            if key != DELETED:
                lost.append(HistoryEntry(field=key, value=lv, clock=ls))
            conflict = _node(ls) == my_id and _node(rs) != my_id
            changes.append(FieldChange(field=key, old=lv, new=rv, conflict=conflict))
        else:
            values[key], clock[key] = lv, ls
            if key != DELETED:
                lost.append(HistoryEntry(field=key, value=rv, clock=rs))
    created_at, origin = min((local.created_at, local.origin), (remote.created_at, remote.origin))
    history = _top_history(lost)
    extra = merge_extra(local.extra, local.last_stamp, remote.extra, remote.last_stamp)  # order-independent
    attrs = {(DELETED if k == DELETED else local.rule(k).attr): v for k, v in values.items()}
    merged = local.evolve(**attrs, clock=clock, history=history, created_at=created_at, origin=origin,
                          via=tuple(set(local.via) | set(remote.via)), extra=extra)
    return merged, changes


def _node(stamp: str) -> str:
    return stamp[-8:]


def _top_history(entries: Iterable[HistoryEntry]) -> tuple[HistoryEntry, ...]:
    unique = {(e.field, e.clock, repr(e.value)): e for e in entries}
    ordered = sorted(unique.values(), key=HistoryEntry.sort_key, reverse=True)
    return tuple(ordered[:HISTORY_LIMIT])


# --- documents ----------------------------------------------------------------------------------

def _label(record: Record) -> str:
    return record.name if isinstance(record, Cellule) else record.title  # type: ignore[attr-defined]


def _incoming_records(state: State, incoming: Incoming) -> list[tuple[str, Record]]:
    """The file's records as this instance will hold them: `via` is our own provenance."""
    peer = incoming.instance_id
    own_file = peer == state.instance_id
    out: list[tuple[str, Record]] = []
    for kind, table in (("cellule", incoming.cellules), ("atelier", incoming.ateliers)):
        for record in table.values():
            if own_file:
                out.append((kind, record))
            elif record.origin == state.instance_id:
                out.append((kind, record.evolve(via=())))  # our own record coming back
            else:
                out.append((kind, record.evolve(via=(peer,))))
    return out


def check_incoming(state: State, incoming: Incoming, known_nodes: Container[str] | None = None) -> None:
    """Refuse a document whose records cannot live here (unknown grid node, orphan atelier)."""
    if known_nodes is not None:
        for cellule in incoming.cellules.values():
            if cellule.node_id not in known_nodes:
                raise ValidationError("node.unknown", node=cellule.node_id)
    for atelier in incoming.ateliers.values():
        if atelier.cellule_id not in incoming.cellules and atelier.cellule_id not in state.cellules:
            raise DocumentError("atelier.orphan", id=atelier.id, cellule=atelier.cellule_id)


def preview(state: State, incoming: Incoming) -> list[ItemPlan]:
    """What merging this file would do, item by item, before anything is written."""
    plans = []
    for kind, remote in _incoming_records(state, incoming):
        table = state.cellules if kind == "cellule" else state.ateliers
        local = table.get(remote.id)
        if local is None:
            status = "new" if remote.live else "unchanged"
            plans.append(ItemPlan(kind=kind, id=remote.id, label=_label(remote), status=status))
            continue
        merged, changes = merge_record(local, remote, state.instance_id)
        if local.live and not merged.live:
            status = "deleted"
        elif any(c.conflict for c in changes):
            status = "conflict"
        elif changes or merged.live != local.live:
            status = "changed"
        else:
            status = "unchanged"
        visible = tuple(c for c in changes if c.field != DELETED)
        plans.append(ItemPlan(kind=kind, id=remote.id, label=_label(merged), status=status, changes=visible))
    order = {"conflict": 0, "deleted": 1, "changed": 2, "new": 3, "unchanged": 4}
    return sorted(plans, key=lambda p: (order[p.status], p.kind, p.label.casefold(), p.id))


def _observe_all(state: State, records: Iterable[Record], now_ms: int, extra: str = "") -> str:
    last = Timestamp.parse(state.clock) if state.clock else None
    stamps = [s for r in records for s in r.clock.values()]
    if extra:
        stamps.append(extra)
    if stamps:
        last = observe(last, Timestamp.parse(max(stamps)), now_ms, state.instance_id)
    return str(last) if last else state.clock


def _with_source(state: State, incoming: Incoming, now_ms: int) -> State:
    """Update federatedSources: the peer we just imported from, and the names of the peers it knows."""
    sources = dict(state.sources)
    peer = incoming.instance_id
    if peer != state.instance_id:
        cellules = sum(1 for c in state.cellules.values() if peer in c.via and c.live)
        ateliers = sum(1 for a in state.ateliers.values() if peer in a.via and a.live)
        old = sources.get(peer)
        sources[peer] = Source(id=peer, name=incoming.instance_name, imported_at=format_ms(now_ms),
                               cellule_count=cellules, atelier_count=ateliers,
                               extra=dict(old.extra) if old else {})
    # Authors we only know through this file ("de Alice, via Bob"): remember their names.
    names = dict(state.extra.get("peerNames", {}))
    for source in incoming.sources:
        if source.id != state.instance_id:
            names.setdefault(source.id, source.name)
    names[peer] = incoming.instance_name
    names.pop(state.instance_id, None)
    return dc_replace(state, sources=sources, extra={**state.extra, "peerNames": dict(sorted(names.items()))})


def merge(state: State, incoming: Incoming, *, now_ms: int, skip: Container[str] = frozenset(),
          known_nodes: Container[str] | None = None) -> tuple[State, Report]:
    """"Fusionner": keep everything, field by field the latest write wins."""
    check_incoming(state, incoming, known_nodes)
    cellules, ateliers = dict(state.cellules), dict(state.ateliers)
    out: dict[str, list[str]] = {k: [] for k in ("added", "updated", "unchanged", "conflicts", "deleted", "skipped")}
    taken = []
    for kind, remote in _incoming_records(state, incoming):
        if remote.id in skip:
            out["skipped"].append(remote.id)
            continue
        table = cellules if kind == "cellule" else ateliers
        local = table.get(remote.id)
        taken.append(remote)
        if local is None:
            table[remote.id] = remote
            out["added" if remote.live else "unchanged"].append(remote.id)
            continue
        merged, changes = merge_record(local, remote, state.instance_id)
        table[remote.id] = merged
        if local.live and not merged.live:
            out["deleted"].append(remote.id)
        elif any(c.conflict for c in changes):
            out["conflicts"].append(remote.id)
        elif changes:
            out["updated"].append(remote.id)
        else:
            out["unchanged"].append(remote.id)
    new = dc_replace(state, cellules=cellules, ateliers=ateliers,
                     clock=_observe_all(state, taken, now_ms, incoming.clock))
    new = _with_source(new, incoming, now_ms)
    report = Report(action="merge", source_id=incoming.instance_id, source_name=incoming.instance_name,
                    at=format_ms(now_ms), **{k: tuple(v) for k, v in out.items()})
    return new, report


def replace(state: State, incoming: Incoming, *, now_ms: int,
            known_nodes: Container[str] | None = None) -> tuple[State, Report]:
    """"Remplacer": local data becomes the file's; this instance keeps its id and name."""
    check_incoming(state, incoming, known_nodes)
    records = _incoming_records(state, incoming)
    cellules = {r.id: r for k, r in records if k == "cellule"}
    ateliers = {r.id: r for k, r in records if k == "atelier"}
    removed = tuple(sorted((set(state.cellules) - set(cellules)) | (set(state.ateliers) - set(ateliers))))
    added, updated, unchanged = [], [], []
    for rid, record in {**cellules, **ateliers}.items():
        old = state.cellules.get(rid) or state.ateliers.get(rid)
        if old is None:
            added.append(rid)
        elif old == record:
            unchanged.append(rid)
        else:
            updated.append(rid)
    sources = {s.id: s for s in incoming.sources if s.id != state.instance_id} \
        if incoming.instance_id == state.instance_id else {}
    new = dc_replace(state, cellules=cellules, ateliers=ateliers, sources=sources,
                     clock=_observe_all(state, [*cellules.values(), *ateliers.values()], now_ms, incoming.clock))
    if incoming.instance_id == state.instance_id:
        new = dc_replace(new, extra={**state.extra, **incoming.extra},
                         last_full_export_at=incoming.last_full_export_at or state.last_full_export_at)
    else:
        new = _with_source(new, incoming, now_ms)
    report = Report(action="replace", source_id=incoming.instance_id, source_name=incoming.instance_name,
                    at=format_ms(now_ms), added=tuple(sorted(added)), updated=tuple(sorted(updated)),
                    unchanged=tuple(sorted(unchanged)), removed=removed)
    return new, report


def source_footprint(state: State, source_id: str) -> tuple[list[str], list[str]]:
    """(cellule ids, atelier ids) that would leave this instance with `drop_source`."""
    cellules = [c.id for c in state.cellules.values() if c.via == (source_id,)]
    gone = set(cellules)
    ateliers = [a.id for a in state.ateliers.values() if a.via == (source_id,) or a.cellule_id in gone]
    return sorted(cellules), sorted(ateliers)


def drop_source(state: State, source_id: str, *, now_ms: int) -> tuple[State, Report]:
    """"Supprimer cette source": forget what only that peer gave us (with their ateliers), no tombstones."""
    cellule_ids, atelier_ids = source_footprint(state, source_id)
    gone = set(cellule_ids) | set(atelier_ids)

    def keep(table: Mapping[str, Record]) -> dict[str, Record]:
        out = {}
        for rid, record in table.items():
            if rid in gone:
                continue
            if source_id in record.via:
                record = record.evolve(via=tuple(v for v in record.via if v != source_id))
            out[rid] = record
        return out

    sources = {k: v for k, v in state.sources.items() if k != source_id}
    name = state.sources[source_id].name if source_id in state.sources else source_id
    new = dc_replace(state, cellules=keep(state.cellules), ateliers=keep(state.ateliers), sources=sources)
    report = Report(action="drop-source", source_id=source_id, source_name=name, at=format_ms(now_ms),
                    removed=tuple(sorted(gone)))
    return new, report


def import_text(state: State, text: str | bytes, *, mode: str = "merge", now_ms: int,
                skip: Container[str] = frozenset(), known_nodes: Container[str] | None = None) -> tuple[State, Report]:
    """The whole import of a text: read and check it, then merge or replace (GC paused)."""
    from app.core.document import parse_text, read_document

    if mode not in MODES:
        raise ValueError(mode)
    with paused_gc():
        incoming = read_document(parse_text(text), now_ms=now_ms, held=state)
        if mode == "replace":
            return replace(state, incoming, now_ms=now_ms, known_nodes=known_nodes)
        return merge(state, incoming, now_ms=now_ms, skip=skip, known_nodes=known_nodes)


def author_label(state: State, record: Record) -> str:
    """"de Alice, via Bob" (French): who wrote it and whose file brought it."""
    names = state.extra.get("peerNames", {})

    def name(instance: str) -> str:
        if instance == state.instance_id:
            return state.instance_name
        if instance in state.sources:
            return state.sources[instance].name
        return names.get(instance, instance)

    text = f"de {name(record.origin)}"
    via = [v for v in record.via if v != record.origin]
    if via:
        text += ", via " + ", ".join(name(v) for v in via)
    return text


def visible(state: State) -> dict[str, Any]:
    """The data a user sees: live records and their field values (what convergence is about)."""
    return {
        "cellules": {c.id: tuple(c.value(k) for k in Cellule.keys() if k != DELETED) for c in state.live_cellules()},
        "ateliers": {a.id: tuple(a.value(k) for k in Atelier.keys() if k != DELETED) for a in state.live_ateliers()},
    }

