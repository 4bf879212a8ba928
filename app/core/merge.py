"""Sync engine: preview, merge, replace, drop-source and restore-as-self, as pure functions.

Theory of operation
-------------------
Records match by `id`. Each editable field (and the `deleted` tombstone) is a last-writer-wins
register stamped with a hybrid logical clock (app.core.clock); merging keeps, per field, the value
with the larger stamp, ties broken by the value itself. That is a join: commutative, associative
and idempotent, so instances that exchange files in any order and along any path (A→B→C included)
end with the same visible cellules and ateliers. A value that loses stays in the record's history
(model.bound_history), where the user can restore it (actions.restore_value, a new edit).

Trust rules — what a file may NOT do:
* rewrite identity: `id`, `origin` and `createdAt` of a record held here never change; a copy
  claiming another author or creation date is *refused* (that record only, with a reason code);
* come from this very instance (a forged or mistaken "own" file): refused as a whole — only
  `restore_backup`, on an empty instance, takes a backup's identity; a backup of this group from
  another of its devices (from_other_device) changes only what we hold, as another writer;
* carry stamps implausibly far ahead of our clock: that record is refused, the rest imports, and
  our clock is not dragged forward by it;
* make an edit vanish silently: a concurrent edit (both sides changed the field, neither had seen
  the other's value) is a *conflict* whichever side wins; the preview shows it, the record gets a
  Mark (« modifié aussi par Alice ») until the user acknowledges it, the loser goes to history.

Who wrote what (`_screen`, for every record of a peer's file; `restore_backup` alone skips it):
* a record claiming this identity as `origin` that we do not hold is credited to the sender
  (`origin` := the file's instance; ItemPlan.reason and Report.reattributed say so): never
  « written by me », FÉDÉRÉ, taken back by « Supprimer cette source »;
* a stamp whose node is ours (State.own_nodes) and that we do not hold: if it would win, the record
  is refused ("identity.stamp", our copy stays); if it would lose, the field keeps our value and
  the forged one goes nowhere (history would read it « par vous »). So two devices of one identity
  do not take each other's later writes through a peer (their records are credited to the relay);
* history entries in our name that we do not hold are dropped; a received `conflict` flag
  survives only on our current value or on the sender's own value that can have met ours
  (_could_meet) — conflicts are computed here, never asserted by a file;
* a mark names the file's sender and the stamp's author (when known here and different); one
  import adds at most MAX_MARKS_PER_IMPORT marks (every conflict is still in preview and report);
* a file never changes State.devices: only restoring this identity's own backup records devices,
  and never one the backup knows as another instance.

* `preview(state, incoming, mode=...)` says, before anything is written, what is new, what changes
  (old → new per field, and who wins a conflict), what is refused and why, what would be deleted,
  and for « Remplacer » what would be removed.
* `merge(...)` ("Fusionner") keeps everything; `replace(...)` ("Remplacer") makes local data the
  file's but keeps this instance's identity.
* Provenance: `origin` says who wrote a record; `via` lists the peers whose files brought it here.
  `drop_source` removes what only that peer gave us — never a record created here, never one
  another source also gave, never a cellule an atelier kept here still needs — without tombstones.
* What each operation did is a Report (app.core.report); undoing it is app.core.undo.
Nothing here touches storage or reads a clock: adapters pass `now_ms` and persist the result.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field
from dataclasses import replace as dc_replace
from operator import attrgetter, itemgetter
from typing import Any

from app.core import clock as _clock
from app.core import i18n
from app.core.actions import first_device_id
from app.core.clock import MAX_AHEAD_MS, Timestamp, format_ms
from app.core.clock import stamp_too_far_ahead as too_far_ahead
from app.core.document import Incoming, merge_extra, paused_gc, read_text
from app.core.errors import DocumentError, MergeError, ValidationError
from app.core.i18n import t
from app.core.model import (
    DELETED,
    Atelier,
    Cellule,
    HistoryEntry,
    Mark,
    Record,
    Source,
    State,
    bound_history,
    local_sync_from_json,
)
from app.core.names import label as group_label
from app.core.report import Conflict, Refusal, Report

MODES = ("merge", "replace")
STATUSES = ("conflict", "removed", "deleted", "refused", "changed", "new", "unchanged")  # preview order
# At most this many records get a new « modifié aussi par … » mark from one import. A conflict is
# a notice to look at a record; one file that met fifty of our edits has already said what it had
# to say, and a hostile one must not flood every card. Every conflict stays in the preview, the
# report (conflicts, conflict_details) and the record's history, marked or not.
MAX_MARKS_PER_IMPORT = 50


@dataclass(frozen=True, kw_only=True)
class FieldChange:
    """One field of one record: `old` is the value held here, `new` the file's.
    `conflict`: both sides changed it concurrently — shown whichever side wins; `winner` says
    whose value stays ("local": « conflit — votre version est gardée », `new` goes to history)."""

    field: str
    old: Any
    new: Any
    conflict: bool = False
    winner: str = "incoming"  # "local" | "incoming"
    stamp: str = ""  # a conflict's: the stamp of the other side's value (who wrote it: its node)

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "old": self.old, "new": self.new, "conflict": self.conflict,
                "winner": self.winner}


@dataclass(frozen=True, kw_only=True)
class ItemPlan:
    """What importing one record would do."""

    kind: str  # "cellule" | "atelier"
    id: str
    label: str
    status: str  # one of STATUSES
    changes: tuple[FieldChange, ...] = ()
    reason: str = ""  # "refused": a code (i18n key `m.reason.<code>`), e.g. "clock.future", "identity.origin"
    detail: Mapping[str, Any] = field(default_factory=dict)  # the reason's parameters

    def reason_text(self, lang: str = "fr") -> str:
        return reason_text(self.reason, self.detail, lang) if self.reason else ""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "id": self.id, "label": self.label, "status": self.status}
        if self.changes:
            out["changes"] = [c.to_json() for c in self.changes]
        if self.reason:
            out["reason"] = self.reason
            out["detail"] = dict(self.detail)
        return out


def reason_text(code: str, detail: Mapping[str, Any], lang: str = "fr") -> str:
    try:
        return t(f"m.reason.{code}", lang, **detail)
    except (KeyError, IndexError):
        return t(f"m.reason.{code}", lang)


def preview_counts(plans: Iterable[ItemPlan]) -> dict[str, int]:
    """{status: number of items} for every status (zeros included): what a confirm names."""
    counts = dict.fromkeys(STATUSES, 0)
    for plan in plans:
        counts[plan.status] += 1
    return counts


# The words of an import from another device of this group (DeviceReport): the preview said
# « votre autre appareil », the report and the journal say it too.
DEVICE_REPORT_KEYS = {"merge": "m.report.merge_other_device", "replace": "m.report.replace_other_device"}


@dataclass(frozen=True, kw_only=True)
class DeviceReport(Report):
    """The report of an import of this group's own backup made on another of its devices
    (from_other_device): its summary names where the file came from as the preview did,
    « Fusion depuis votre autre appareil : … », never by the group's name, which is this device's
    own (« Fusion depuis « Mon groupe » » reads as a file of this very device)."""

    def summary(self, lang: str = "fr") -> str:
        return device_summary(self, lang)


def device_summary(report: Report, lang: str = "fr") -> str:
    """« Fusion depuis votre autre appareil : 1 mis à jour, …, 1 refusé. » (a merge or a replace)."""
    counts = report.counts()
    text = t(DEVICE_REPORT_KEYS[report.action], lang, **counts)
    for part in ("removed", "skipped", "refused"):
        if counts[part]:
            text += t(f"m.report.{part}", lang, n=counts[part])
    return text + "."


def is_device_report(report: Report, instance_id: str) -> bool:
    """`report` (as built, or read back from the journal) is an import from another device of the
    group `instance_id`: a merge or replace whose source is this very instance — the only one an
    import takes (check_incoming refuses any other file in our name)."""
    return report.action in DEVICE_REPORT_KEYS and report.source_id == instance_id


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


def _node(stamp: str) -> str:
    return stamp[-8:]


def merge_record(local: Record, remote: Record, mine: Container[str] | str, *,
                 clocked: bool = True) -> tuple[Record, list[FieldChange]]:
    """The join of two copies of one record, and what it changes on our side.

    `mine`: the stamp nodes of this identity (State.own_nodes). Identity (`id`, `origin`,
    `createdAt`) is always the local copy's. The changes list every field whose value changes
    (winner "incoming") and every concurrent edit our value wins (conflict, winner "local").
    `clocked=False`: the remote copy comes from a document that gives no clock for it (another
    implementation of the format: `updatedAt` decides) — nothing says what its writer had seen, so
    no conflict is told; the value that loses still goes to history."""
    if local is remote:
        return local, []
    if isinstance(mine, str):
        mine = (mine,)
    if not clocked:
        mine = ()
    if local.clock == remote.clock and local.field_values(local) == remote.field_values(remote):
        if set(remote.via) <= set(local.via) and (not remote.history or remote.history == local.history) \
                and remote.extra == local.extra:
            return local, []  # the same write on both sides: nothing to do (the common case)
    values: dict[str, Any] = {}
    clock: dict[str, str] = {}
    lost: list[HistoryEntry] = [*local.history]  # what we hold, and the values that lose now: kept first
    changes: list[FieldChange] = []
    for key in local.keys():
        lv, rv = local.value(key), remote.value(key)
        ls, rs = local.stamp(key), remote.stamp(key)
        if lv == rv:
            values[key], clock[key] = lv, max(ls, rs)
            if ls == rs and remote.history and key != DELETED and _node(ls) in mine:
                # our value came back having beaten theirs over there: we are told here too
                beaten = _unseen_loser(remote.history, local, key, ls, mine)
                if beaten is not None:
                    lost.append(beaten)
                    changes.append(FieldChange(field=key, old=lv, new=beaten.value, conflict=True, winner="local",
                                               stamp=beaten.clock))
            continue
        remote_wins = _wins(rs, rv, ls, lv)
        if key == DELETED:
            values[key], clock[key] = (rv, rs) if remote_wins else (lv, ls)
            if remote_wins:
                changes.append(FieldChange(field=key, old=lv, new=rv))
            continue
        # Concurrent: our value was written here, theirs elsewhere, and neither side had seen the
        # other's value before writing its own. Their history holding our value says they had seen
        # it — unless it lost a conflict there (they got it after writing theirs: that peer saw the
        # conflict, and so must we). Our history holding theirs: we saw it, conflict or not.
        # Two other writers (two peers, or two devices of one peer) meeting here is not our conflict
        # (no mark, `relayed`), but the value that loses keeps the flag, so its writer, getting our
        # copy, sees that its value was overwritten unseen (its own value: _screen lets the flag in).
        ln, rn = _node(ls), _node(rs)
        unseen = rn not in mine and (ln in mine or (clocked and ln != rn)) \
            and not _seen_before_writing(remote.history, HistoryEntry(field=key, value=lv, clock=ls)) \
            and HistoryEntry(field=key, value=rv, clock=rs) not in local.history
        conflict = unseen and ln in mine
        if remote_wins:
            values[key], clock[key] = rv, rs
            lost.append(HistoryEntry(field=key, value=lv, clock=ls, conflict=unseen))
            changes.append(FieldChange(field=key, old=lv, new=rv, conflict=conflict, winner="incoming",
                                       stamp=rs if conflict else ""))
        else:
            values[key], clock[key] = lv, ls
            lost.append(HistoryEntry(field=key, value=rv, clock=rs, conflict=unseen))
            if conflict:
                changes.append(FieldChange(field=key, old=lv, new=rv, conflict=True, winner="local", stamp=rs))
    attrs = {(DELETED if k == DELETED else local.rule(k).attr): v for k, v in values.items()}
    history = bound_history(type(local), [*lost, *remote.history], clock, preferred=lost)
    merged = local.evolve(**attrs, clock=clock, history=history,
                          via=tuple(set(local.via) | set(remote.via)),
                          extra=merge_extra(local.extra, local.last_stamp, remote.extra, remote.last_stamp))
    return merged, changes


def _unseen_loser(remote_history: tuple[HistoryEntry, ...], local: Record, key: str, stamp: str,
                  mine: Container[str]) -> HistoryEntry | None:
    """The newest value another instance wrote for `key` that lost a conflict against our value
    (stamp `stamp`) on the peer's side, and that we have never held: we won without knowing.
    (Its flag reached here only if the sender wrote it and it could be concurrent: _screen.)"""
    found = [h for h in remote_history if h.conflict and h.field == key and h.clock < stamp
             and _node(h.clock) not in mine and h not in local.history and _could_meet(local, key, h.clock, mine)]
    return max(found, key=HistoryEntry.sort_key) if found else None


def _could_meet(local: Record, key: str, clock: str, mine: Container[str]) -> bool:
    """A value stamped `clock` that lost to our value of `key` can have been written concurrently
    with it: our value is our write, newer than it; it is newer than the value our write replaced
    (the newest one we overwrote, in our history); and our value is not the one we created the
    record with (no one else had the record yet)."""
    stamp = local.stamp(key)
    if _node(stamp) not in mine or clock >= stamp:
        return False
    base = max((h.clock for h in local.history if h.field == key and not h.conflict and h.clock < stamp), default="")
    if not base and local.origin in mine and stamp[:24] == local.created_at:
        return False
    return clock > base


def _seen_before_writing(history: tuple[HistoryEntry, ...], entry: HistoryEntry) -> bool:
    """`entry` is in that history as a value its holder overwrote, not as one that lost a conflict."""
    return any(h == entry and not h.conflict for h in history)


# --- documents ----------------------------------------------------------------------------------

def _label(record: Record) -> str:
    return record.name if isinstance(record, Cellule) else record.title  # type: ignore[attr-defined]


def _table(state: State, kind: str) -> Mapping[str, Record]:
    return state.cellules if kind == "cellule" else state.ateliers


def sender_nodes(state: State, incoming: Incoming) -> frozenset[str]:
    """The stamp nodes a file's sender may vouch for as its own writes: its instance id, and the
    device node its full backup declares (`sync.device`) unless that node is known here as another
    instance or is one of ours (a device node is a fresh id, never an instance's)."""
    peer = incoming.instance_id
    device = incoming.local_sync.get("device")
    if from_other_device(state, incoming):
        return frozenset((device,))
    nodes = {peer}
    if isinstance(device, str) and device != peer and device not in state.own_nodes \
            and device not in state.sources and device not in state.extra.get("peerNames", {}):
        nodes.add(device)
    return frozenset(nodes - state.own_nodes)


def mine_for(state: State, incoming: Incoming) -> frozenset[str]:
    """The stamp nodes counted as our own writes while importing `incoming`: State.own_nodes — but
    for a backup of another device of this group (from_other_device), only this device's node and
    the instance id. The other devices of State.devices are those this one was restored from: every
    write of theirs made before that backup is held here, so a write of theirs that we do not hold
    is a later one, made there or relayed by the file's device — another writer's, met as any
    other (a concurrent edit is a conflict), never refused as a claim of ours. (A file could name
    any of them as its device anyway: they gain nothing a file does not already have.)"""
    if from_other_device(state, incoming):
        return frozenset((state.instance_id, state.device))
    return state.own_nodes


_NODE_OF = itemgetter(slice(-8, None))  # a stamp's node, as a C-level callable
_LAST_OF = attrgetter("last_stamp")


def _screen(local: Record | None, remote: Record, mine: frozenset[str], senders: Container[str],
            sender: str) -> tuple[Record, tuple[str, dict] | None]:
    """What a peer's copy may bring here, as to who wrote what (docs/format.md, "Who wrote what").

    * A record that claims to be ours (`origin` is this identity or one of its devices) and that we
      do not hold is *credited to the sender* (`origin` becomes the file's instance): a peer cannot
      plant records « written by me », and what it sends is not lost either — it shows as its own
      (FÉDÉRÉ, « par … »), « Supprimer cette source » takes it back, our exports carry it as the
      sender's. (merge/preview tell it: ItemPlan.reason and Report.reattributed.)
    * A stamp whose node is ours (this device or another device of this identity) that we do not
      hold is a write a peer claims we made: if it would win, the record is refused
      ("identity.stamp", our copy stays); if it would lose, the field keeps our value and stamp (it
      does not go to history, where it would read « par vous »).
    * Its history: an entry stamped by one of our nodes stays only if we hold it (in our history or
      as our current value). A `conflict` flag stays only where this instance can check it: on our
      current value (ours lost a concurrent edit over there), or on a value the sender wrote itself
      that lost to our value and can have been concurrent with it (_could_meet). Any other flag
      (a third party's, a record we never held, a value older than what we had overwritten) is
      dropped: conflicts are what this instance computes, never what a file asserts.
    Returns the record to merge (the same object when nothing is screened out) and a refusal."""
    if local is not None and local.clock is remote.clock:  # the very record we hold (document._held_copy)
        return remote, None
    if local is None:
        if remote.origin in mine:
            remote = remote.evolve(origin=sender)
        if any(map(mine.__contains__, map(_NODE_OF, remote.clock.values()))):  # C-level: every new record
            key, stamp = next((k, v) for k, v in remote.clock.items() if v[-8:] in mine)
            return remote, ("identity.stamp", {"field": key, "value": stamp})
        history = remote.history
        if history and any(h.conflict or h.clock[-8:] in mine for h in history):
            kept = tuple(HistoryEntry(field=h.field, value=h.value, clock=h.clock) if h.conflict else h
                         for h in history if h.clock[-8:] not in mine)
            remote = remote.evolve(history=kept)
        return remote, None
    values: dict[str, Any] = {}
    clock: dict[str, str] | None = None
    if any(map(mine.__contains__, map(_NODE_OF, remote.clock.values()))) and (
            local.clock != remote.clock or local.field_values(local) != remote.field_values(remote)):
        for key, rs in remote.clock.items():  # no stamp of ours, or the same writes on both sides: skipped
            if rs[-8:] not in mine:
                continue
            ls = local.stamp(key)
            rv, lv = remote.value(key), local.value(key)
            if rs == ls and rv == lv:
                continue
            if _wins(rs, rv, ls, lv):
                return remote, ("identity.stamp", {"field": key, "value": rs})
            if clock is None:
                clock = dict(remote.clock)
            clock[key] = ls
            values[DELETED if key == DELETED else remote.rule(key).attr] = lv
    history = remote.history
    if history and any(h.conflict or h.clock[-8:] in mine for h in history):
        kept, screened = [], False
        for h in history:
            current = local.stamp(h.field) == h.clock and local.value(h.field) == h.value
            if h.clock[-8:] in mine and not current and h not in local.history:
                screened = True
                continue
            verified = (current and h.clock[-8:] in mine) or (
                h.clock[-8:] in senders and _could_meet(local, h.field, h.clock, mine))
            if h.conflict and not verified:
                h, screened = HistoryEntry(field=h.field, value=h.value, clock=h.clock), True
            kept.append(h)
        if screened:
            values["history"] = tuple(kept)
    if clock is not None:
        values["clock"] = clock
    return (remote.evolve(**values) if values else remote), None


def _refusal(local: Record | None, remote: Record, limit: str, now_ms: int | None) -> tuple[str, dict] | None:
    """Why this record cannot be imported (code, parameters), or None. `local`: our copy."""
    if local is not None:
        if local.clock is remote.clock:  # the very record we hold (document._held_copy): nothing new
            return None
        if remote.origin != local.origin:
            return "identity.origin", {"held": local.origin, "claimed": remote.origin}
        if remote.created_at != local.created_at:
            return "identity.created", {"held": local.created_at, "claimed": remote.created_at}
    if now_ms is not None and remote.last_stamp[:24] > limit:
        held = set(local.clock.values()) if local is not None else set()
        for stamp in remote.clock.values():
            if stamp not in held and too_far_ahead(stamp, now_ms):
                return "clock.future", {"value": stamp}
    return None


@dataclass(frozen=True)
class _Sorted:
    """The file's records split into those that may import and those refused (with reasons)."""

    taken: list[tuple[str, Record]]
    refused: list[tuple[str, Record, str, dict]]
    reattributed: frozenset[tuple[str, str]] = frozenset()  # (kind, id): credited to the sender (_screen)


def _sort_incoming(state: State, incoming: Incoming, now_ms: int | None, *, restoring: bool = False) -> _Sorted:
    """`restoring`: the file is this identity's own backup (restore_backup): its own records and
    stamps are ours, nothing is screened for who wrote it."""
    limit = format_ms(now_ms + MAX_AHEAD_MS) if now_ms is not None else ""
    taken, refused = [], []
    refused_cellules: set[str] = set()
    mine = mine_for(state, incoming)
    senders = sender_nodes(state, incoming)
    ours = mine.__contains__
    reattributed = set()
    me, peer = state.instance_id, incoming.instance_id
    only_peer = (peer,)
    # restoring takes the backup's identity whole, whichever device of the group made it
    other_device = not restoring and peer == me and from_other_device(state, incoming)
    for kind, table, held in (("cellule", incoming.cellules, state.cellules),
                              ("atelier", incoming.ateliers, state.ateliers)):
        for remote in table.values():  # one pass: provenance, refusal, who wrote what
            local = held.get(remote.id)
            if other_device:  # another device of this group (from_other_device): what we hold only
                if local is None:
                    refused.append((kind, remote, "identity.other_device", {}))
                    if kind == "cellule":
                        refused_cellules.add(remote.id)
                    continue
                remote = remote.evolve(via=()) if remote.via else remote
            # `via` as this instance will hold it: our own record back has none, a peer's came from it
            elif remote.origin == me and local is not None:
                if remote.via:
                    remote = remote.evolve(via=())  # our own record back
            elif remote.via != only_peer:
                remote = remote.evolve(via=only_peer)
            why = _refusal(local, remote, limit, now_ms)
            if why is None and not restoring and (local is None or local.clock is not remote.clock) and (
                    remote.history or remote.origin in mine or any(map(ours, map(_NODE_OF, remote.clock.values())))):
                claimed = remote.origin  # only a record with history or a claim of ours needs _screen (one call)
                remote, why = _screen(local, remote, mine, senders, peer)
                if remote.origin != claimed and why is None:
                    reattributed.add((kind, remote.id))
            if why is None and kind == "atelier" and remote.cellule_id in refused_cellules \
                    and remote.cellule_id not in state.cellules:  # type: ignore[attr-defined]
                why = ("parent.refused", {"cellule": remote.cellule_id})  # type: ignore[attr-defined]
            if why is None:
                taken.append((kind, remote))
            else:
                refused.append((kind, remote, *why))
                if kind == "cellule":
                    refused_cellules.add(remote.id)
    return _Sorted(taken, refused, frozenset(reattributed))


def _refused_plan(kind: str, remote: Record, code: str, detail: Mapping[str, Any]) -> ItemPlan:
    return ItemPlan(kind=kind, id=remote.id, label=_label(remote), status="refused", reason=code, detail=detail)


def from_other_device(state: State, incoming: Incoming) -> bool:
    """The file is a full backup of this very group written on another of its devices: its
    `sync.device` is a stamp node that is not this device's, nor the instance id, nor known here as
    another group. Every device of a group has a node of its own: the one that created it from its
    first full export (actions.first_device_id), each restored one a fresh one — so the device this
    one was restored from (its node in State.devices) is another device too, and its later backups
    are such a file, as are those of a device restored from this one.

    Nothing in a file proves where it was written, so such a file is trusted with nothing of our
    identity: it changes only records this device already holds; its writes carry its node, never
    one of ours (so they meet ours as any other writer's: a concurrent edit is a conflict on both
    devices, the losing value in history, restorable); a record we do not hold is refused
    ("identity.other_device": crediting it to the sender would be writing it in our name); `via`
    gains nothing; State.devices never learns its node (devices are recorded from our own writes
    only); its marks read « votre autre appareil »."""
    device = incoming.local_sync.get("device")
    return incoming.instance_id == state.instance_id and isinstance(device, str) \
        and device not in (state.instance_id, state.device) and device not in state.sources \
        and device not in state.extra.get("peerNames", {})


def check_incoming(state: State, incoming: Incoming, known_nodes: Container[str] | None = None) -> None:
    """Refuse a document that cannot be imported here as a whole: one claiming to come from this
    very instance (but another device's backup: from_other_device), a cellule on an unknown grid
    node, an atelier whose cellule is nowhere."""
    if incoming.instance_id in state.own_nodes and not from_other_device(state, incoming):
        raise MergeError("import.self", id=incoming.instance_id, name=incoming.instance_name)
    _check_records(state, incoming, known_nodes)


def _check_records(state: State, incoming: Incoming, known_nodes: Container[str] | None) -> None:
    if known_nodes is not None:
        for cellule in incoming.cellules.values():
            if cellule.node_id not in known_nodes:
                raise ValidationError("node.unknown", node=cellule.node_id)
    for atelier in incoming.ateliers.values():
        if atelier.cellule_id not in incoming.cellules and atelier.cellule_id not in state.cellules:
            raise DocumentError("atelier.orphan", id=atelier.id, cellule=atelier.cellule_id)


def _status(local: Record, merged: Record, changes: list[FieldChange]) -> str:
    if local.live and not merged.live:
        return "deleted"
    if any(c.conflict for c in changes):
        return "conflict"
    if changes or merged.live != local.live:
        return "changed"
    return "unchanged"


def preview(state: State, incoming: Incoming, *, mode: str = "merge", now_ms: int | None = None) -> list[ItemPlan]:
    """What merging (or replacing with) this file would do, item by item, before anything is written.
    `now_ms`: the device's clock, to refuse records stamped implausibly far ahead (give it)."""
    if mode not in MODES:
        raise ValueError(mode)
    split = _sort_incoming(state, incoming, now_ms)
    plans = [_refused_plan(kind, remote, code, detail) for kind, remote, code, detail in split.refused]
    mine = mine_for(state, incoming)
    unclocked = incoming.unclocked
    if mode == "replace":
        plans += _replace_plans(state, split, incoming)
    else:
        for kind, remote in split.taken:
            local = _table(state, kind).get(remote.id)
            if local is None:
                status = "new" if remote.live else "unchanged"
                plans.append(_new_plan(kind, remote, status, split, incoming))
                continue
            merged, changes = merge_record(local, remote, mine, clocked=(kind, remote.id) not in unclocked)
            visible = tuple(c for c in changes if c.field != DELETED)
            plans.append(ItemPlan(kind=kind, id=remote.id, label=_label(merged), status=_status(local, merged, changes),
                                  changes=visible))
    order = {s: i for i, s in enumerate(STATUSES)}
    return sorted(plans, key=lambda p: (order[p.status], p.kind, p.label.casefold(), p.id))


def _new_plan(kind: str, remote: Record, status: str, split: _Sorted, incoming: Incoming) -> ItemPlan:
    """A record we do not hold; one the file presented as ours says it goes to the sender's name."""
    if (kind, remote.id) in split.reattributed:
        return ItemPlan(kind=kind, id=remote.id, label=_label(remote), status=status, reason="identity.self",
                        detail={"name": incoming.instance_name})
    return ItemPlan(kind=kind, id=remote.id, label=_label(remote), status=status)


def _replace_plans(state: State, split: _Sorted, incoming: Incoming) -> list[ItemPlan]:
    plans = []
    kept = {(k, r.id) for k, r, _c, _d in split.refused}
    incoming_ids = {(k, r.id) for k, r in split.taken}
    for kind, remote in split.taken:
        local = _table(state, kind).get(remote.id)
        if local is None:
            plans.append(_new_plan(kind, remote, "new" if remote.live else "unchanged", split, incoming))
            continue
        status, changes = _replace_status(local, remote)
        plans.append(ItemPlan(kind=kind, id=remote.id, label=_label(remote), status=status, changes=changes))
    for kind in ("cellule", "atelier"):
        for rid, local in _table(state, kind).items():
            if (kind, rid) not in incoming_ids and (kind, rid) not in kept and local.live:
                plans.append(ItemPlan(kind=kind, id=rid, label=_label(local), status="removed"))
    return plans


def _replace_status(local: Record, remote: Record) -> tuple[str, tuple[FieldChange, ...]]:
    """What « Remplacer » does to a record held here (preview and report say the same): "deleted",
    "changed" (a value or its liveness changes) or "unchanged", and the values that change."""
    changes = tuple(FieldChange(field=k, old=local.value(k), new=remote.value(k))
                    for k in local.keys() if k != DELETED and local.value(k) != remote.value(k))
    if local.live and not remote.live:
        return "deleted", changes
    if changes or local.live != remote.live:
        return "changed", changes
    return "unchanged", changes


def _observe_all(state: State, records: Iterable[Record], now_ms: int, extra: str = "") -> str:
    """Our clock after an import: it follows the stamps we accepted (never a refused one)."""
    stamps = [stamp for stamp in map(_LAST_OF, records) if stamp]
    if extra and not too_far_ahead(extra, now_ms):
        stamps.append(extra)
    if not stamps:
        return state.clock
    last = Timestamp.parse(state.clock) if state.clock else None
    remote = Timestamp.parse(max(stamps))
    if too_far_ahead(str(remote), now_ms):  # not reachable through _sort_incoming; never drag the clock
        return state.clock
    return str(_clock.observe(last, remote, now_ms, state.device))


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
    for node in state.own_nodes:  # a file cannot give this identity's own nodes another name
        names.pop(node, None)
    return state.evolve(sources=sources, extra={**state.extra, "peerNames": dict(sorted(names.items()))})


def _known_peer(state: State, node: str, fallback: str) -> str:
    """The instance to name for a stamp's node: a known peer, else the file's sender."""
    if node in state.sources or node in state.extra.get("peerNames", {}):
        return node
    return fallback


def merge(state: State, incoming: Incoming, *, now_ms: int, skip: Container[str] = frozenset(),
          known_nodes: Container[str] | None = None) -> tuple[State, Report]:
    """"Fusionner": keep everything, field by field the latest write wins; refused records are left out."""
    check_incoming(state, incoming, known_nodes)
    split = _sort_incoming(state, incoming, now_ms)
    cellules, ateliers = dict(state.cellules), dict(state.ateliers)
    out: dict[str, list[str]] = {k: [] for k in ("added", "updated", "unchanged", "conflicts", "deleted", "skipped")}
    taken: list[Record] = []
    found: list[tuple[str, Record, list[FieldChange]]] = []
    mine = mine_for(state, incoming)
    unclocked = incoming.unclocked
    skipped_cellules: set[str] = set()
    unchanged, added, keep = out["unchanged"].append, out["added"].append, taken.append
    for kind, remote in split.taken:
        if (skip and remote.id in skip) or (skipped_cellules and kind == "atelier"
                                            and remote.cellule_id in skipped_cellules  # type: ignore
                                            and remote.cellule_id not in state.cellules):  # type: ignore
            out["skipped"].append(remote.id)
            if kind == "cellule":
                skipped_cellules.add(remote.id)
            continue
        table = cellules if kind == "cellule" else ateliers
        local = table.get(remote.id)
        keep(remote)
        if local is None:
            table[remote.id] = remote
            (added if remote.live else unchanged)(remote.id)
            continue
        if local is remote:  # the very record we hold (document._held_copy): nothing to merge
            unchanged(remote.id)
            continue
        merged, changes = merge_record(local, remote, mine, clocked=(kind, remote.id) not in unclocked)
        table[remote.id] = merged
        if merged is local and not changes:
            unchanged(remote.id)
            continue
        status = _status(local, merged, changes)
        out[{"conflict": "conflicts"}.get(status, status if status != "changed" else "updated")].append(remote.id)
        if any(c.conflict for c in changes):
            found.append((kind, local, changes))
    new = state.evolve(cellules=cellules, ateliers=ateliers,
                     clock=_observe_all(state, taken, now_ms, incoming.clock))
    new = _with_source(new, incoming, now_ms)
    conflicts, marks = [], dict(new.marks)
    sender = incoming.instance_id
    new_marks = 0
    for kind, local, changes in sorted(found, key=lambda f: (f[0], f[1].id)):
        peers = {sender}  # the file's sender is always named: it is who tells us
        for c in changes:
            if not c.conflict:
                continue
            peer = _known_peer(new, _node(c.stamp), sender) if c.stamp else sender
            peers.add(peer)
            kept, lost = (c.new, c.old) if c.winner == "incoming" else (c.old, c.new)
            conflicts.append(Conflict(kind=kind, id=local.id, field=c.field, winner=c.winner, kept=kept, lost=lost,
                                      peer=peer, sender=sender))
        old = marks.get((kind, local.id))
        if old is None:
            if new_marks >= MAX_MARKS_PER_IMPORT:
                continue  # told in the report and the preview; no more marks from this one file
            new_marks += 1
        fields = {c.field for c in changes if c.conflict}
        marks[(kind, local.id)] = Mark(kind=kind, id=local.id, peers=tuple(peers | set(old.peers if old else ())),
                                       fields=tuple(fields | set(old.fields if old else ())), at=format_ms(now_ms))
    if marks != new.marks:
        new = new.evolve(marks=marks)
    kind = DeviceReport if from_other_device(state, incoming) else Report  # names « votre autre appareil »
    report = kind(action="merge", source_id=incoming.instance_id, source_name=incoming.instance_name,
                    at=format_ms(now_ms), **{k: tuple(v) for k, v in out.items()},
                    refused=tuple(r.id for _k, r, _c, _d in split.refused),
                    conflict_details=tuple(conflicts),
                    refusals=tuple(Refusal(kind=k, id=r.id, code=c, detail=d) for k, r, c, d in split.refused),
                    reattributed=tuple(sorted(rid for _k, rid in split.reattributed
                                              if rid in new.cellules or rid in new.ateliers)))
    return new, report


def replace(state: State, incoming: Incoming, *, now_ms: int,
            known_nodes: Container[str] | None = None) -> tuple[State, Report]:
    """"Remplacer": local data becomes the file's; this instance keeps its id and name. A refused
    record keeps the copy held here (nothing of ours is taken by a record we refuse)."""
    check_incoming(state, incoming, known_nodes)
    split = _sort_incoming(state, incoming, now_ms)
    cellules = {r.id: r for k, r in split.taken if k == "cellule"}
    ateliers = {r.id: r for k, r in split.taken if k == "atelier"}
    for kind, remote, _code, _detail in split.refused:
        rid = remote.id
        held = _table(state, kind).get(rid)
        if held is not None:
            (cellules if kind == "cellule" else ateliers)[rid] = held
    # Counted as the preview counts them (_replace_plans): what the user sees change.
    removed = tuple(sorted([rid for rid, r in state.cellules.items() if rid not in cellules and r.live]
                           + [rid for rid, r in state.ateliers.items() if rid not in ateliers and r.live]))
    out: dict[str, list[str]] = {"added": [], "updated": [], "unchanged": [], "deleted": []}
    for kind, remote in split.taken:
        local = _table(state, kind).get(remote.id)
        if local is None:
            status = "added" if remote.live else "unchanged"
        else:
            status = _replace_status(local, remote)[0]
            status = "updated" if status == "changed" else status
        out[status].append(remote.id)
    marks = {k: m for k, m in state.marks.items() if m.id in (cellules if k[0] == "cellule" else ateliers)}
    new = dc_replace(state, cellules=cellules, ateliers=ateliers, sources={}, marks=marks,
                     clock=_observe_all(state, [r for _k, r in split.taken], now_ms, incoming.clock))
    new = _with_source(new, incoming, now_ms)
    kind = DeviceReport if from_other_device(state, incoming) else Report  # names « votre autre appareil »
    report = kind(action="replace", source_id=incoming.instance_id, source_name=incoming.instance_name,
                    at=format_ms(now_ms), **{k: tuple(sorted(v)) for k, v in out.items()}, removed=removed,
                    refused=tuple(r.id for _k, r, _c, _d in split.refused),
                    refusals=tuple(Refusal(kind=k, id=r.id, code=c, detail=d) for k, r, c, d in split.refused),
                    reattributed=tuple(sorted(rid for _k, rid in split.reattributed)))
    return new, report


def source_footprint(state: State, source_id: str) -> tuple[list[str], list[str]]:
    """(cellule ids, atelier ids) that would leave this instance with `drop_source`: what only that
    source gave us — never a record created here, never one another source also gave, and never a
    cellule that an atelier staying here still belongs to."""
    me = state.instance_id
    ateliers = {a.id for a in state.ateliers.values() if a.via == (source_id,) and a.origin != me}
    needed = {a.cellule_id for a in state.ateliers.values() if a.id not in ateliers}
    cellules = [c.id for c in state.cellules.values()
                if c.via == (source_id,) and c.origin != me and c.id not in needed]
    return sorted(cellules), sorted(ateliers)


def source_shown(state: State, source_id: str) -> tuple[list[str], list[str]]:
    """(cellule ids, atelier ids) of `source_footprint` that the user sees: live cellules, and live
    ateliers of a live cellule (a deleted item is forgotten with the source, never counted)."""
    cellule_ids, atelier_ids = source_footprint(state, source_id)
    cellules = [i for i in cellule_ids if state.cellules[i].live]
    ateliers = [i for i in atelier_ids if state.ateliers[i].live
                and (c := state.cellules.get(state.ateliers[i].cellule_id)) is not None and c.live]
    return cellules, ateliers


def source_counts(state: State, source_id: str) -> tuple[int, int]:
    """(cellules, ateliers) a source stands for here, the one count « Sources » shows, « Supprimer cette
    source » asks about and its report says removed: what the user sees go with it (source_shown)."""
    cellules, ateliers = source_shown(state, source_id)
    return len(cellules), len(ateliers)


def drop_source(state: State, source_id: str, *, now_ms: int) -> tuple[State, Report]:
    """"Supprimer cette source": forget what only that peer gave us (with their ateliers), no tombstones.
    The report's `removed` are the items the user saw go (source_shown; source_counts counts them)."""
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
    new = dc_replace(state, cellules=keep(state.cellules), ateliers=keep(state.ateliers), sources=sources,
                     marks={k: m for k, m in state.marks.items() if m.id not in gone})
    report = Report(action="drop-source", source_id=source_id, source_name=name, at=format_ms(now_ms),
                    removed=tuple(sorted(set().union(*source_shown(state, source_id)))))
    return new, report


def import_text(state: State, text: str | bytes, *, mode: str = "merge", now_ms: int,
                skip: Container[str] = frozenset(), known_nodes: Container[str] | None = None) -> tuple[State, Report]:
    """The whole import of a text: read and check it, then merge or replace (GC paused).
    Records stamped too far ahead are refused one by one by merge/replace, not by the reader.
    Adapters check the result with document.check_state_limits before storing it (accepted ⇒ reopens)."""
    if mode not in MODES:
        raise ValueError(mode)
    with paused_gc():
        incoming = read_text(text, held=state)
        if mode == "replace":
            new, report = replace(state, incoming, now_ms=now_ms, known_nodes=known_nodes)
        else:
            new, report = merge(state, incoming, now_ms=now_ms, skip=skip, known_nodes=known_nodes)
        return new, report


# --- restore a backup as yourself ----------------------------------------------------------------

def is_empty(state: State) -> bool:
    """A new instance: nothing created, imported or learned yet (restore_backup accepts only that)."""
    return not state.cellules and not state.ateliers and not state.sources and not state.marks


def new_device_id(seed: bytes, taken: Container[str]) -> str:
    """A stamp node for a restored device: "C" + 7 letters/digits from `seed`, unlike every id taken."""
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    if len(seed) < 7:
        raise ValueError("need 7 random bytes")
    for shift in range(len(seed)):
        rolled = seed[shift:] + seed[:shift]
        device = "C" + "".join(alphabet[b % len(alphabet)] for b in rolled[:7])
        if device not in taken:
            return device
    raise ValueError("no free device id in this seed")


def _redated(record: Record, now_ms: int) -> Record:
    """`record` with every stamp ahead of `now_ms` (fields and history) brought back to `now_ms`,
    in the same order (counter = rank among them) and with the same node: who wrote each value is
    kept, only the impossible date goes. For a backup's record stamped implausibly far ahead (the
    device's clock was wrong when it was written): kept, not dropped, and not pinned in the future."""
    ahead = sorted({s for s in (*record.clock.values(), *(h.clock for h in record.history))
                    if Timestamp.parse(s).millis > now_ms})
    moved = {s: str(Timestamp(millis=now_ms, counter=rank, node=_node(s))) for rank, s in enumerate(ahead)}
    clock = {k: moved.get(s, s) for k, s in record.clock.items()}
    history = tuple(HistoryEntry(field=h.field, value=h.value, clock=moved[h.clock], conflict=h.conflict)
                    if h.clock in moved else h for h in record.history)
    return record.evolve(clock=clock, history=history)


@dataclass(frozen=True, kw_only=True)
class RestorePlan:
    """What « Restaurer une sauvegarde » would do, told before it is done.

    `other_group`: the backup's group name when it is not the group this device is (or was, by
    the eviction marker): the device would become another group — ask first (`question`).
    `redated`: records stamped implausibly far ahead that the restore keeps, dated at the restore."""

    group_id: str
    group_name: str
    current_id: str
    current_name: str
    other_group: str = ""
    redated: tuple[str, ...] = ()

    def question(self, lang: str = "fr") -> str:
        """« Cette sauvegarde est celle d'un autre groupe : « … » … » — "" when there is nothing to ask."""
        if not self.other_group:
            return ""
        return t("m.restore.other_group", lang, name=self.other_group, current=self.current_name)


def has_own_data(state: State) -> bool:
    """This device holds or has written something of its own group (a record, a tombstone, a
    source, a mark, a clock that moved, a full export made)."""
    return not is_empty(state) or bool(state.clock) or bool(state.last_full_export_at)


def restore_plan(state: State, incoming: Incoming, *, now_ms: int,
                 was: tuple[str, str] | None = None) -> RestorePlan:
    """What restoring `incoming` on `state` would do. `was`: (id, name) of the group this device
    held before its storage was erased (the marker kept outside it), if known. The backup is of
    another group when `was` names another one, or when this device has its own data (see
    has_own_data) under another identity."""
    current_id, current_name = was if was else (state.instance_id, state.instance_name)
    other = incoming.instance_id != current_id and (was is not None or has_own_data(state))
    limit = format_ms(now_ms + MAX_AHEAD_MS)
    redated = sorted(r.id for r in (*incoming.cellules.values(), *incoming.ateliers.values())
                     if max(r.clock.values(), default="")[:24] > limit)
    return RestorePlan(group_id=incoming.instance_id, group_name=incoming.instance_name, current_id=current_id,
                       current_name=current_name, other_group=incoming.instance_name if other else "",
                       redated=tuple(redated))


def restore_backup(state: State, incoming: Incoming, *, now_ms: int, device_seed: bytes,
                   known_nodes: Container[str] | None = None) -> tuple[State, Report]:
    """« Restaurer une sauvegarde »: a new, empty instance becomes the backup's instance — its id,
    name, records (own ones stay own), sources, history, marks. This device gets a new stamp node
    (State.device), so the old device, if it still runs with the same identity, and this one can
    never issue the same stamp (docs/format.md), and their later concurrent edits meet as conflicts.

    Clock policy as for every import: this device's clock follows the backup's stamps at most
    OBSERVE_AHEAD_MS ahead of `now_ms`. A record stamped more than MAX_AHEAD_MS ahead is not
    dropped: it is kept with those stamps brought back to `now_ms` (_redated; its writers and values
    unchanged) and listed in Report.redated — nothing of the backup is lost."""
    if not is_empty(state):
        raise MergeError("restore.not_empty", name=state.instance_name)
    if incoming.kind != "full":
        raise MergeError("restore.not_backup", name=incoming.instance_name)
    _check_records(state, incoming, known_nodes)
    me = incoming.instance_id
    limit = format_ms(now_ms + MAX_AHEAD_MS)
    redated: list[str] = []
    tables: list[dict[str, Record]] = []
    for table in (incoming.cellules, incoming.ateliers):
        records = dict(table)
        for rid, record in table.items():
            if max(record.clock.values(), default="")[:24] > limit:
                records[rid] = _redated(record, now_ms)
                redated.append(rid)
        tables.append(records)
    if redated:
        incoming = dc_replace(incoming, cellules=tables[0], ateliers=tables[1])
    probe = State(instance_id=me, instance_name=incoming.instance_name)
    split = _sort_incoming(probe, incoming, now_ms, restoring=True)
    # records as the backup holds them: its `via` is this identity's own provenance
    cellules = {r.id: incoming.cellules[r.id] for k, r in split.taken if k == "cellule"}
    ateliers = {r.id: incoming.ateliers[r.id] for k, r in split.taken if k == "atelier"}
    local = local_sync_from_json(incoming.local_sync, me)
    # Devices of this identity: the backup's writer and the devices it lists — never an instance the
    # backup knows as another (a source, a named peer, the author or a carrier of a record): a
    # tampered `sync.devices` must not make a peer's writes read as ours.
    others = {s.id for s in incoming.sources} | set(incoming.extra.get("peerNames", {}))
    stamps = []
    for r in (*cellules.values(), *ateliers.values()):
        others.add(r.origin)
        others.update(r.via)
        if r.clock:
            stamps.append(max(r.clock.values()))
    others.discard(me)
    old_devices = {me} | ({local.get("device", me), *local.get("devices", ())} - others)
    if incoming.clock and not too_far_ahead(incoming.clock, now_ms):
        stamps.append(incoming.clock)
    device = new_device_id(device_seed, old_devices | {_node(s) for s in stamps} | {first_device_id(me)})
    clock = str(_clock.observe(None, Timestamp.parse(max(stamps)), now_ms, device)) if stamps else ""
    marks = {k: m for k, m in local.get("marks", {}).items()
             if m.id in (cellules if m.kind == "cellule" else ateliers)}
    new = State(instance_id=me, instance_name=incoming.instance_name, clock=clock, cellules=cellules,
                ateliers=ateliers, sources={s.id: s for s in incoming.sources if s.id != me},
                last_full_export_at=incoming.last_full_export_at, extra=dict(incoming.extra), marks=marks,
                device=device, devices=tuple(sorted(old_devices - {me, device})))
    report = Report(action="restore", source_id=me, source_name=incoming.instance_name, at=format_ms(now_ms),
                    added=tuple(sorted([*cellules, *ateliers])),
                    refused=tuple(r.id for _k, r, _c, _d in split.refused),
                    refusals=tuple(Refusal(kind=k, id=r.id, code=c, detail=d) for k, r, c, d in split.refused),
                    redated=tuple(sorted(rid for rid in redated if rid in cellules or rid in ateliers)))
    return new, report


# --- labels -------------------------------------------------------------------------------------

def peer_name(state: State, instance: str) -> str:
    """How a group is named here: its name, numbered when another known group has it too (names.label)."""
    return group_label(state, instance)


def mark_text(state: State, mark: Mark, lang: str = "fr") -> str:
    """« modifié aussi par Alice » (« … par votre autre appareil »: a backup of this group from
    another of its devices, from_other_device)."""
    return t("m.mark", lang, names=", ".join(t("m.other_device", lang) if p == state.instance_id
                                             else peer_name(state, p) for p in mark.peers))


def author_label(state: State, record: Record, lang: str = "fr") -> str:
    """« de Alice, via Bob »: who wrote it and whose file brought it (words: i18n.author_label)."""
    via = [peer_name(state, v) for v in record.via if v != record.origin]
    return i18n.author_label(lang, peer_name(state, record.origin), via)


def visible(state: State) -> dict[str, Any]:
    """The data a user sees: live records and their field values (what convergence is about)."""
    return {
        "cellules": {c.id: tuple(c.value(k) for k in Cellule.keys() if k != DELETED) for c in state.live_cellules()},
        "ateliers": {a.id: tuple(a.value(k) for k in Atelier.keys() if k != DELETED) for a in state.live_ateliers()},
    }

