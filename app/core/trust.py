"""Who wrote what: what a peer's file may bring here, record by record, before any merge.

The trust rules of app.core.merge (its docstring, and docs/format.md « Who wrote what »), as the
functions the import and the restore share: the stamp nodes counted as ours (mine_for) and those a
sender may vouch for (sender_nodes), a backup of this group from another of its devices
(from_other_device), the file refused whole (check_incoming) or record by record (refusal, screen),
and the file's records sorted into those that may import, those refused, with the reason, and
those offered (sort_incoming): the records a backup of another device of this group says were
created there (created_there), which come only when the user ticks them (`adopt`). The order of
two values written with one stamp (tie_key, wins) and whether a lost value can have met ours
(could_meet) are here too: the screening decides with them.
"""

from __future__ import annotations

from collections.abc import Container, Mapping
from dataclasses import dataclass
from operator import attrgetter, itemgetter
from typing import Any

from app.core.clock import MAX_AHEAD_MS, format_ms
from app.core.clock import stamp_too_far_ahead as too_far_ahead
from app.core.document import Incoming
from app.core.errors import DocumentError, MergeError, ValidationError
from app.core.model import DELETED, Cellule, HistoryEntry, Record, State


def tie_key(value: Any) -> tuple[bool, Any]:
    """Order of two different values written with the same stamp (only a broken or hostile peer
    does that): None first, then code-point order (bools: False first) — the order PostgreSQL's
    row comparison gives with COLLATE "C", so a Supabase load resolves ties the same way."""
    return (value is not None, value)


def wins(remote_stamp: str, remote_value: Any, local_stamp: str, local_value: Any) -> bool:
    if remote_stamp != local_stamp:
        return remote_stamp > local_stamp
    return tie_key(remote_value) > tie_key(local_value)  # equal stamps, different values: still deterministic


def node(stamp: str) -> str:
    return stamp[-8:]


def could_meet(local: Record, key: str, clock: str, mine: Container[str]) -> bool:
    """A value stamped `clock` that lost to our value of `key` can have been written concurrently
    with it: our value is our write, newer than it; it is newer than the value our write replaced
    (the newest one we overwrote, in our history); and our value is not the one we created the
    record with (no one else had the record yet)."""
    stamp = local.stamp(key)
    if node(stamp) not in mine or clock >= stamp:
        return False
    base = max((h.clock for h in local.history if h.field == key and not h.conflict and h.clock < stamp), default="")
    if not base and local.origin in mine and stamp[:24] == local.created_at:
        return False
    return clock > base


def record_label(record: Record) -> str:
    return record.name if isinstance(record, Cellule) else record.title  # type: ignore[attr-defined]


def table_of(state: State, kind: str) -> Mapping[str, Record]:
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


NODE_OF = itemgetter(slice(-8, None))  # a stamp's node, as a C-level callable
LAST_OF = attrgetter("last_stamp")


def screen(local: Record | None, remote: Record, mine: frozenset[str], senders: Container[str],
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
      that lost to our value and can have been concurrent with it (could_meet). Any other flag
      (a third party's, a record we never held, a value older than what we had overwritten) is
      dropped: conflicts are what this instance computes, never what a file asserts.
    Returns the record to merge (the same object when nothing is screened out) and a refusal."""
    if local is not None and local.clock is remote.clock:  # the very record we hold (document._held_copy)
        return remote, None
    if local is None:
        if remote.origin in mine:
            remote = remote.evolve(origin=sender)
        if any(map(mine.__contains__, map(NODE_OF, remote.clock.values()))):  # C-level: every new record
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
    if any(map(mine.__contains__, map(NODE_OF, remote.clock.values()))) and (
            local.clock != remote.clock or local.field_values(local) != remote.field_values(remote)):
        for key, rs in remote.clock.items():  # no stamp of ours, or the same writes on both sides: skipped
            if rs[-8:] not in mine:
                continue
            ls = local.stamp(key)
            rv, lv = remote.value(key), local.value(key)
            if rs == ls and rv == lv:
                continue
            if wins(rs, rv, ls, lv):
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
                h.clock[-8:] in senders and could_meet(local, h.field, h.clock, mine))
            if h.conflict and not verified:
                h, screened = HistoryEntry(field=h.field, value=h.value, clock=h.clock), True
            kept.append(h)
        if screened:
            values["history"] = tuple(kept)
    if clock is not None:
        values["clock"] = clock
    return (remote.evolve(**values) if values else remote), None


def refusal(local: Record | None, remote: Record, limit: str, now_ms: int | None) -> tuple[str, dict] | None:
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
class Sorted:
    """The file's records split into those that may import and those refused (with reasons)."""

    taken: list[tuple[str, Record]]
    refused: list[tuple[str, Record, str, dict]]
    reattributed: frozenset[tuple[str, str]] = frozenset()  # (kind, id): credited to the sender (screen)
    offered: tuple[tuple[str, Record], ...] = ()  # created_there, not ticked (or its cellule not coming): left aside
    adopted: frozenset[tuple[str, str]] = frozenset()  # (kind, id): created_there, ticked, taken as the group's own


def created_there(state: State, incoming: Incoming, record: Record) -> bool:
    """A record of a backup of another device of this group (from_other_device) that the file says
    was created on that device and that this device does not hold: live, `origin` this group, and
    every stamp (its fields' and its history's) that device's node (`sync.device`). Nothing proves
    it (any file can claim any group and any node): the user alone vouches for it, by ticking it
    (sort_incoming's `adopt`); a stamp of this very device's node, or of any other writer, is never
    « created there »."""
    device = incoming.local_sync.get("device")
    if record.origin != state.instance_id or not record.live or not record.clock:
        return False
    if record.id in table_of(state, "cellule" if isinstance(record, Cellule) else "atelier"):
        return False
    return all(s[-8:] == device for s in record.clock.values()) and all(h.clock[-8:] == device for h in record.history)


def sort_incoming(state: State, incoming: Incoming, now_ms: int | None, *, restoring: bool = False,
                  adopt: Container[str] = frozenset()) -> Sorted:
    """`restoring`: the file is this identity's own backup (restore_backup): its own records and
    stamps are ours, nothing is screened for who wrote it. `adopt`: the ids the user ticked among
    the records a backup of another device of this group says were created there (created_there):
    those come as the group's own (`origin` this group, `via` empty, every stamp as written); the
    others, and an atelier whose cellule is neither held here nor coming, are `offered` (left aside,
    nothing of them stored). Any other record of that file that we do not hold is refused."""
    limit = format_ms(now_ms + MAX_AHEAD_MS) if now_ms is not None else ""
    taken, refused = [], []
    refused_cellules: set[str] = set()
    offered: list[tuple[str, Record]] = []
    adopted: set[tuple[str, str]] = set()
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
                    if not created_there(state, incoming, remote):
                        refused.append((kind, remote, "identity.other_device", {}))
                    elif remote.id in adopt and (kind == "cellule" or remote.cellule_id in state.cellules  # type: ignore
                                                 or ("cellule", remote.cellule_id) in adopted):  # type: ignore
                        adopted.add((kind, remote.id))  # ticked: comes as the group's own (screen below)
                    else:
                        offered.append((kind, remote))
                    if (kind, remote.id) not in adopted:
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
            why = refusal(local, remote, limit, now_ms)
            if why is None and not restoring and (local is None or local.clock is not remote.clock) and (
                    remote.history or remote.origin in mine or any(map(ours, map(NODE_OF, remote.clock.values())))):
                claimed = remote.origin  # only a record with history or a claim of ours needs screen (one call)
                remote, why = screen(local, remote, mine, senders, peer)
                if remote.origin != claimed and why is None:
                    reattributed.add((kind, remote.id))
            if why is None and kind == "atelier" and remote.cellule_id in refused_cellules \
                    and remote.cellule_id not in state.cellules:  # type: ignore[attr-defined]
                why = ("parent.refused", {"cellule": remote.cellule_id})  # type: ignore[attr-defined]
            if why is None:
                taken.append((kind, remote))
            else:
                refused.append((kind, remote, *why))
                adopted.discard((kind, remote.id))
                if kind == "cellule":
                    refused_cellules.add(remote.id)
    return Sorted(taken, refused, frozenset(reattributed), tuple(offered), frozenset(adopted))


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
    ("identity.other_device": crediting it to the sender would be writing it in our name) — but one
    it says was created there (created_there) is offered, and comes only if the user ticks it; `via`
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
    check_records(state, incoming, known_nodes)


def check_records(state: State, incoming: Incoming, known_nodes: Container[str] | None) -> None:
    if known_nodes is not None:
        for cellule in incoming.cellules.values():
            if cellule.node_id not in known_nodes:
                raise ValidationError("node.unknown", node=cellule.node_id)
    for atelier in incoming.ateliers.values():
        if atelier.cellule_id not in incoming.cellules and atelier.cellule_id not in state.cellules:
            raise DocumentError("atelier.orphan", id=atelier.id, cellule=atelier.cellule_id)
