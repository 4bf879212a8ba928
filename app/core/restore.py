"""« Restaurer une sauvegarde »: a new, empty device becomes the backup's instance, as itself.

What restoring would do, told first (restore_plan: another group's backup asks; records stamped
implausibly far ahead kept, dated at the restore), and the restore itself (restore_backup): the
backup's identity, records, sources, history and marks, and a stamp node of this device's own
(new_device_id) — docs/format.md, « Restore a backup as yourself; devices ».
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from dataclasses import replace as dc_replace

from app.core import clock as _clock
from app.core.actions import first_device_id
from app.core.clock import MAX_AHEAD_MS, Timestamp, format_ms
from app.core.clock import stamp_too_far_ahead as too_far_ahead
from app.core.document import Incoming
from app.core.errors import MergeError
from app.core.i18n import t
from app.core.model import HistoryEntry, Record, State, local_sync_from_json
from app.core.report import Refusal, Report
from app.core.trust import check_records, node, sort_incoming


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
    moved = {s: str(Timestamp(millis=now_ms, counter=rank, node=node(s))) for rank, s in enumerate(ahead)}
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
    check_records(state, incoming, known_nodes)
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
    split = sort_incoming(probe, incoming, now_ms, restoring=True)
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
    device = new_device_id(device_seed, old_devices | {node(s) for s in stamps} | {first_device_id(me)})
    clock = str(_clock.observe(None, Timestamp.parse(max(stamps)), now_ms, device)) if stamps else ""
    marks = {k: m for k, m in local.get("marks", {}).items()
             if m.id in (cellules if m.kind == "cellule" else ateliers)}
    new = State(instance_id=me, instance_name=incoming.instance_name, clock=clock, cellules=cellules,
                ateliers=ateliers, sources={s.id: s for s in incoming.sources if s.id != me},
                last_full_export_at=incoming.last_full_export_at, extra=dict(incoming.extra), marks=marks,
                device=device, devices=tuple(sorted(old_devices - {me, device})))
    report = Report(action="restore", source_id=me, source_name=incoming.instance_name, at=format_ms(now_ms),
                    added=tuple(sorted([*cellules, *ateliers])), atelier_ids=tuple(sorted(ateliers)),
                    refused=tuple(r.id for _k, r, _c, _d in split.refused),
                    refusals=tuple(Refusal(kind=k, id=r.id, code=c, detail=d) for k, r, c, d in split.refused),
                    redated=tuple(sorted(rid for rid in redated if rid in cellules or rid in ateliers)))
    return new, report
