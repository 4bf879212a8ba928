"""« Restaurer cette sauvegarde » on a device that already holds something (pure).

A volunteer made a test cellule on her new phone, then chose her group's full backup: the phone is
not that group yet, so restoring is offered (`can_restore_over`). What the phone holds now is
replaced, said before (`held`: its live cellules and ateliers, counted), never silently: the restore
keeps the whole state before it in its undo (`RestoreUndo`), and undoing brings the phone back exactly
as it was — its records, sources, marks, clock and identity (group id, name, device). After the restore
the phone is the group's other device, exactly as a restore on an empty phone makes it
(app/core/restore.py: `restore_over` restores onto an empty state and replaces the phone's state with it).

Undo (`apply_restore_undo`): when nothing was written since the restore, the state before it, as it
was. What was written since (a cellule created or edited after the restore) would be lost: it is
named and the undo refused (MergeError "undo.would_lose") unless forced, as for every undo.
Format of the stored undo: `{"format": "cellules-fwb-restore-undo", "version": 1, "label", "at",
"before": <state document>, "after": <state document>}` (document.dumps_state texts).
"""

from __future__ import annotations

import json
from collections.abc import Container
from dataclasses import dataclass
from dataclasses import replace as dc_replace

from app.core import document
from app.core.clock import format_ms
from app.core.document import Incoming
from app.core.errors import MergeError
from app.core.model import State
from app.core.report import Report
from app.core.restore import is_empty, restore_backup
from app.core.undo import _label, _quoted, has_format, make_undo, read_format

RESTORE_UNDO_FORMAT = "cellules-fwb-restore-undo"


def can_restore_over(state: State, incoming: Incoming) -> bool:
    """A full backup of a group this device is not, on a device that holds something (an empty one
    restores with restore.restore_backup, and a restore there has nothing to undo)."""
    return incoming.kind == "full" and incoming.instance_id != state.instance_id and not is_empty(state)


def held(state: State) -> tuple[int, int]:
    """(cellules, ateliers) live on this device: what a restore would replace, as the user counts it."""
    return (sum(1 for r in state.cellules.values() if r.live), sum(1 for r in state.ateliers.values() if r.live))


def atelier_ids(state: State, ids) -> tuple[str, ...]:
    """The ids among `ids` that are ateliers of `state` (a report's kinds: Report.atelier_ids)."""
    return tuple(sorted(i for i in ids if i in state.ateliers))


def restore_over(state: State, incoming: Incoming, *, now_ms: int, device_seed: bytes,
                 known_nodes: Container[str] | None = None) -> tuple[State, Report]:
    """The device becomes the backup's group, as a new empty phone restoring it does (restore_backup
    on an empty state: the same records, sources, history, marks, a device node of its own). Its
    report lists the backup's records (added), what this device held live and no longer holds
    (removed), the ateliers among them (atelier_ids) and is `undoable` (RestoreUndo)."""
    if not can_restore_over(state, incoming):
        raise MergeError("restore.not_backup", name=incoming.instance_name)
    blank = State(instance_id=state.instance_id, instance_name=state.instance_name)
    new, report = restore_backup(blank, incoming, now_ms=now_ms, device_seed=device_seed, known_nodes=known_nodes)
    replaced = tuple(sorted(r.id for table in (state.cellules, state.ateliers) for r in table.values() if r.live))
    kinds = (*atelier_ids(new, report.added), *atelier_ids(state, replaced))
    return new, dc_replace(report, removed=replaced, atelier_ids=tuple(sorted(set(kinds))), undoable=True)


@dataclass(frozen=True, kw_only=True)
class RestoreUndo:
    """The undo of a restore onto a device that held something: the whole state before and after it."""

    label: str  # the group restored (its name)
    at: str
    before: State
    after: State
    action: str = "restore"
    other_device: bool = False  # as undo.Undo: an operation is named by these (undo.operation)


def make_restore_undo(before: State, after: State, *, label: str, at: str) -> RestoreUndo:
    return RestoreUndo(label=label, at=at, before=before, after=after)


def restore_undo_to_json(u: RestoreUndo, *, now_ms: int) -> str:
    return json.dumps({"format": RESTORE_UNDO_FORMAT, "version": 1, "label": u.label, "at": u.at,
                       "before": document.dumps_state(u.before, now_ms=now_ms),
                       "after": document.dumps_state(u.after, now_ms=now_ms)}, ensure_ascii=False,
                      separators=(",", ":"))


def is_restore_undo_text(text: str | bytes) -> bool:
    return has_format(text, RESTORE_UNDO_FORMAT)


def restore_undo_from_json(text: str | bytes) -> RestoreUndo:
    """Read what restore_undo_to_json wrote (both states read as a stored state is)."""
    return read_format(text, RESTORE_UNDO_FORMAT, lambda doc: RestoreUndo(
        label=str(doc["label"]), at=str(doc["at"]), before=document.loads_state(doc["before"]),
        after=document.loads_state(doc["after"])))


def apply_restore_undo(current: State, u: RestoreUndo, *, now_ms: int, force: bool = False) -> tuple[State, Report]:
    """The state before the restore, exactly. What was written since the restore (records changed,
    created or deleted) would be lost: MergeError "undo.would_lose" naming them, unless `force`.
    The report puts back what the device held (added: its live records then) and takes away the
    backup's (removed), its kinds said (atelier_ids)."""
    if current.instance_id != u.after.instance_id:
        raise MergeError("undo.other_instance", id=u.after.instance_id)
    since = make_undo(u.after, current, action="restore").records
    lost = sorted(r.id for r in since)
    if lost and not force:
        labels = sorted({_label(r.after or r.before) for r in since})
        raise MergeError("undo.would_lose", n=len(lost), what=_quoted(labels))
    before = u.before
    back = [r.id for table in (before.cellules, before.ateliers) for r in table.values() if r.live]
    gone = [i for table in (current.cellules, current.ateliers) for i in table
            if i not in before.cellules and i not in before.ateliers]
    kinds = {i for i in back if i in before.ateliers} | {i for i in gone if i in current.ateliers}
    report = Report(action="undo", source_id=before.instance_id, source_name=before.instance_name,
                    at=format_ms(now_ms), added=tuple(sorted(back)), removed=tuple(sorted(gone)),
                    lost=tuple(lost), atelier_ids=tuple(sorted(kinds)))
    return before, report
