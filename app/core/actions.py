"""Local edits: create, edit, delete (tombstone) and restore cellules and ateliers.

Each function takes the state and what the user asked, plus `now_ms` (and random bytes for new
ids), and returns the new state with the record it touched. Nothing is mutated in place.
Values are given by their JSON keys (`nodeId`, `startsAt`, ...), as forms and the CLI name them.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Container, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from app.core.clock import Timestamp, format_ms, parse_rfc3339, tick_after
from app.core.errors import MergeError, NotFoundError, ValidationError
from app.core.i18n import words
from app.core.model import DELETED, Atelier, Cellule, Record, State

ID_RANDOM_BYTES = 10  # 80 bits: unique without coordination


def new_instance_id(random_bytes: bytes) -> str:
    """"C" + 7 lowercase letters/digits (the seed's "C1234abc")."""
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    if len(random_bytes) < 7:
        raise ValueError("need 7 random bytes")
    return "C" + "".join(alphabet[b % len(alphabet)] for b in random_bytes[:7])


def new_record_id(prefix: str, random_bytes: bytes) -> str:
    if len(random_bytes) < ID_RANDOM_BYTES:
        raise ValueError(f"need {ID_RANDOM_BYTES} random bytes")
    return prefix + base64.b32encode(random_bytes[:ID_RANDOM_BYTES]).decode().lower()


@lru_cache(maxsize=4096)  # a hash per group, asked for each history entry and each backup name: once
def first_device_id(instance_id: str) -> str:
    """The stamp node of the device that created the instance `instance_id`, from its first full
    export on (stamp_full_export): "C" + 7 letters/digits drawn from the instance id (the same on
    every call: nothing random to pass at an export), never the instance id itself. Every device of
    a group is told apart by its node in its backups (`sync.device`), the first one included: a
    device restored from a backup draws a fresh one (merge.restore_backup), never this one."""
    digest = hashlib.sha256(b"cellules-device:" + instance_id.encode("ascii")).digest()
    for start in range(len(digest) - 7):
        device = new_instance_id(digest[start:])
        if device != instance_id:
            return device
    raise ValueError(instance_id)  # 25 draws all equal to the instance id: not reachable


def new_state(*, name: str, random_bytes: bytes) -> State:
    """A new instance, on the device that creates it. Its stamps carry the instance id as node until
    its first full export gives this device a node of its own (stamp_full_export, with_device)."""
    return State(instance_id=new_instance_id(random_bytes), instance_name=name)


def with_device(state: State) -> State:
    """`state` with a stamp node of its own: a state whose device still writes with the instance id
    (stored before the first device had a node) gets first_device_id; any other is returned as is."""
    if state.device != state.instance_id:
        return state
    return replace(state, device=first_device_id(state.instance_id))


def rename_instance(state: State, name: str) -> State:
    return replace(state, instance_name=name)


def _stamp(state: State, now_ms: int, after: str = "") -> tuple[State, str]:
    """The stamp of a local write by this device (State.device), after `after` when given."""
    last = Timestamp.parse(state.clock) if state.clock else None
    stamp = str(tick_after(last, now_ms, state.device, after=Timestamp.parse(after) if after else None))
    return replace(state, clock=max(stamp, state.clock)), stamp


def _check_node(node: Any, known_nodes: Container[str] | None) -> None:
    if known_nodes is not None and node not in known_nodes:
        raise ValidationError("node.unknown", node=node)


def _table(state: State, kind: str) -> Mapping[str, Record]:
    return state.cellules if kind == "cellule" else state.ateliers


def get_live(state: State, kind: str, record_id: str) -> Record:
    record = _table(state, kind).get(record_id)
    if record is None:
        raise NotFoundError("record.unknown", kind=words(f"label.record.{kind}"), id=record_id)
    if not record.live:
        raise NotFoundError("record.deleted", kind=words(f"label.record.{kind}"), id=record_id)
    return record


def _put(state: State, record: Record) -> State:
    if isinstance(record, Cellule):
        return replace(state, cellules={**state.cellules, record.id: record})
    return replace(state, ateliers={**state.ateliers, record.id: record})


def _clean(values: Mapping[str, Any], cls: type[Record]) -> dict[str, Any]:
    keys = {r.key for r in cls.FIELDS}
    unknown = set(values) - keys
    if unknown:
        raise ValidationError("field.format", label=words("label.field"),
                              detail=words("d.unknown_fields", names=str(sorted(unknown))))
    return dict(values)


def create_cellule(state: State, values: Mapping[str, Any], *, now_ms: int, random_bytes: bytes,
                   known_nodes: Container[str] | None = None) -> tuple[State, Cellule]:
    values = _clean(values, Cellule)
    state, stamp = _stamp(state, now_ms)
    attrs = {Cellule.rule(k).attr: v for k, v in values.items()}
    cellule = Cellule(
        id=new_record_id("c", random_bytes), created_at=format_ms(now_ms), origin=state.instance_id,
        clock={k: stamp for k in Cellule.keys()}, **attrs,
    )
    _check_node(cellule.node_id, known_nodes)
    return _put(state, cellule), cellule


def create_atelier(state: State, values: Mapping[str, Any], *, now_ms: int,
                   random_bytes: bytes) -> tuple[State, Atelier]:
    values = _clean(values, Atelier)
    get_live(state, "cellule", values.get("celluleId", ""))
    state, stamp = _stamp(state, now_ms)
    attrs = {Atelier.rule(k).attr: v for k, v in values.items()}
    atelier = Atelier(
        id=new_record_id("a", random_bytes), created_at=format_ms(now_ms), origin=state.instance_id,
        clock={k: stamp for k in Atelier.keys()}, **attrs,
    )
    return _put(state, atelier), atelier


def edit(state: State, kind: str, record_id: str, values: Mapping[str, Any], *, now_ms: int,
         known_nodes: Container[str] | None = None) -> tuple[State, Record]:
    """Set some fields of a live record; only fields whose value changes get a new clock."""
    record = get_live(state, kind, record_id)
    values = _clean(values, type(record))
    # Validate through a throw-away copy first, so errors name the field before any clock moves.
    probe = record.with_values(values, record.last_stamp)
    if "nodeId" in values:
        _check_node(values["nodeId"], known_nodes)
    if "celluleId" in values:
        get_live(state, "cellule", values["celluleId"])
    changed = {k: probe.value(k) for k in values if probe.value(k) != record.value(k)}
    if not changed:
        return state, record
    if record.deleted:  # a record resurrected by a later edit: clear its tombstone explicitly
        changed[DELETED] = False
    state, stamp = _stamp(state, now_ms, after=record.last_stamp)
    updated = record.with_values(changed, stamp)
    return _put(state, updated), updated


def delete(state: State, kind: str, record_id: str, *, now_ms: int) -> State:
    """Tombstone a record (and, for a cellule, its ateliers): the deletion travels in full exports."""
    record = get_live(state, kind, record_id)
    state, stamp = _stamp(state, now_ms, after=record.last_stamp)
    state = _put(state, record.with_values({DELETED: True}, stamp))
    if kind == "cellule":
        for atelier in state.ateliers.values():
            if atelier.cellule_id == record_id and atelier.live:
                state = _put(state, atelier.with_values({DELETED: True}, stamp))
    return state


def undelete(state: State, kind: str, record_id: str, deleted_stamp: str, *, now_ms: int) -> tuple[State, int]:
    """Undo one `delete`: the record, and for a cellule the ateliers that deletion took with it
    (their tombstone carries the same stamp), come back as a NEW edit (stamped now, so the return
    travels like any edit). Only what that deletion did: a record deleted at another stamp, or
    brought back or deleted again since, is left as it is. Returns the new state and how many
    records came back (0: nothing left to undo)."""
    table = _table(state, kind)
    record = table.get(record_id)
    if record is None:
        raise NotFoundError("record.unknown", kind=words(f"label.record.{kind}"), id=record_id)

    def taken(r: Record) -> bool:
        return r.deleted and r.clock.get(DELETED) == deleted_stamp and not r.live

    if not taken(record):
        return state, 0
    back = [record] + ([a for a in state.ateliers.values() if a.cellule_id == record_id and taken(a)]
                       if kind == "cellule" else [])
    state, stamp = _stamp(state, now_ms, after=max(r.last_stamp for r in back))
    for r in back:
        state = _put(state, r.with_values({DELETED: False}, stamp))
    return state, len(back)


_ANY = object()


def restore_value(state: State, kind: str, record_id: str, field: str, stamp: str, *, now_ms: int,
                  value: Any = _ANY) -> tuple[State, Record]:
    """Bring back a value from a record's history, named by its field and stamp (and value, when
    two entries share them). It becomes a NEW edit: stamped now, it wins everywhere the file goes,
    and the value it replaces goes to history in turn."""
    record = get_live(state, kind, record_id)
    for entry in record.history:
        if entry.field == field and entry.clock == stamp and (value is _ANY or entry.value == value):
            return edit(state, kind, record_id, {entry.field: entry.value}, now_ms=now_ms)
    label = record.name if isinstance(record, Cellule) else record.title  # type: ignore[attr-defined]
    raise MergeError("history.unknown", label=label)


def acknowledge(state: State, kind: str, record_id: str, *, now_ms: int | None = None) -> State:
    """The user has seen « modifié aussi par … » on this record: the mark goes (nothing else changes)."""
    if (kind, record_id) not in state.marks:
        return state
    return replace(state, marks={k: m for k, m in state.marks.items() if k != (kind, record_id)})


# --- backups (one rule for the CLI and the browser) -------------------------------------------------
BACKUP_REMIND_AFTER_DAYS = 30  # a full export older than this is worth a reminder
DAY_MS = 86_400_000


@dataclass(frozen=True, kw_only=True)
class BackupAge:
    """How old the last full export is. `days` is None when there never was one; `remind` is True
    when it is more than 30 days old (the banner « Dernière sauvegarde il y a 31 jours — Tout exporter »)."""

    days: int | None
    remind: bool

    @property
    def code(self) -> str:
        """The i18n key of the sentence: never / recent / old."""
        if self.days is None:
            return "x.never_backed_up"
        if self.remind:
            return "x.last_backup_old"
        return "x.last_backup_today" if self.days == 0 else "x.last_backup"


def backup_age(state: State, now_ms: int) -> BackupAge:
    """Whole days since `lastFullExportAt` (0 for a clock behind the export) and whether to remind."""
    if not state.last_full_export_at:
        return BackupAge(days=None, remind=False)
    days = max(0, (now_ms - parse_rfc3339(state.last_full_export_at)) // DAY_MS)
    return BackupAge(days=days, remind=days > BACKUP_REMIND_AFTER_DAYS)


def stamp_full_export(state: State, now_ms: int) -> State:
    """A full export (« Tout exporter », `export --full`) remembers when it was made; the state gets
    its device's own stamp node if it has none yet (with_device), so that the backup names this
    device (`sync.device`) and its later writes are told apart from those of a device restored from it."""
    return replace(with_device(state), last_full_export_at=format_ms(now_ms))
