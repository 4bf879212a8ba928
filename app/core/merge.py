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
  another of its devices (from_other_device) changes only what we hold, as another writer, and
  offers the records it says were created there (trust.created_there): only those the user ticks
  (`adopt`) come, as the group's own;
* carry stamps implausibly far ahead of our clock: that record is refused, the rest imports, and
  our clock is not dragged forward by it;
* make an edit vanish silently: a concurrent edit (both sides changed the field, neither had seen
  the other's value) is a *conflict* whichever side wins; the preview shows it, the record gets a
  Mark (« modifié aussi par Alice ») until the user acknowledges it, the loser goes to history.

Who wrote what (app.core.trust: `screen`, for every record of a peer's file; `restore_backup`,
app.core.restore, alone skips it):
* a record claiming this identity as `origin` that we do not hold is credited to the sender
  (`origin` := the file's instance; ItemPlan.reason and Report.reattributed say so): never
  « written by me », FÉDÉRÉ, taken back by « Supprimer cette source »;
* a stamp whose node is ours (State.own_nodes) and that we do not hold: if it would win, the record
  is refused ("identity.stamp", our copy stays); if it would lose, the field keeps our value and
  the forged one goes nowhere (history would read it « par vous »). So two devices of one identity
  do not take each other's later writes through a peer (their records are credited to the relay);
* history entries in our name that we do not hold are dropped; a received `conflict` flag
  survives only on our current value or on the sender's own value that can have met ours
  (could_meet) — conflicts are computed here, never asserted by a file;
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
from typing import Any

from app.core import clock as _clock
from app.core import i18n, names
from app.core.clock import MAX_AHEAD_MS as MAX_AHEAD_MS  # re-exported: the plausible clock
from app.core.clock import Timestamp, format_ms
from app.core.clock import stamp_too_far_ahead as too_far_ahead
from app.core.document import Incoming, merge_extra, paused_gc, read_text
from app.core.errors import MergeError as MergeError  # re-exported: what an import refuses whole
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
)
from app.core.names import label as group_label
from app.core.report import Conflict, Refusal, Report
from app.core.restore import RestorePlan as RestorePlan  # re-exported: « Restaurer une sauvegarde »
from app.core.restore import has_own_data as has_own_data
from app.core.restore import is_empty as is_empty
from app.core.restore import new_device_id as new_device_id
from app.core.restore import restore_backup as restore_backup
from app.core.restore import restore_plan as restore_plan
from app.core.trust import (
    LAST_OF,
    Sorted,
    could_meet,
    created_there,
    mine_for,
    record_label,
    sort_incoming,
    table_of,
    wins,
)
from app.core.trust import check_incoming as check_incoming  # re-exported: the trust rules
from app.core.trust import from_other_device as from_other_device
from app.core.trust import node as _node
from app.core.trust import sender_nodes as sender_nodes
from app.core.trust import tie_key as tie_key

MODES = ("merge", "replace")
# preview order; "offered": created on another device of this group (trust.created_there), comes only if ticked
STATUSES = ("conflict", "removed", "deleted", "refused", "changed", "new", "offered", "unchanged")
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
    own (« Fusion depuis « Mon groupe » » reads as a file of this very device).

    `adopted`: the records created on that device (trust.created_there) the user ticked, added as
    the group's own (they are in `added` too); `offered`: those left aside (in `skipped` too: the
    journal, which keeps the Report's lists, still counts them). `aside_how`: the words saying how
    to bring the ones left aside (the browser's: import the file again and tick them; the CLI names
    its flag)."""

    adopted: tuple[str, ...] = ()
    offered: tuple[str, ...] = ()
    aside_how: str = "m.report.device_aside"

    def summary(self, lang: str = "fr") -> str:
        return device_summary(self, lang)

    def to_json(self) -> dict[str, Any]:
        out = super().to_json()
        if self.adopted:
            out["adopted"] = list(self.adopted)
        if self.offered:
            out["offered"] = list(self.offered)
        return out


def device_summary(report: Report, lang: str = "fr") -> str:
    """« Fusion depuis votre autre appareil : 1 mis à jour, …, 1 refusé. » (a merge or a replace),
    then, for a DeviceReport, how many of the records created there came as the group's own and how
    many were left aside (and how to bring them)."""
    counts = report.counts()
    text = t(DEVICE_REPORT_KEYS[report.action], lang, **counts)
    for part in ("removed", "skipped", "refused"):
        if counts[part]:
            text += t(f"m.report.{part}", lang, n=counts[part])
    text += "."
    adopted, offered = getattr(report, "adopted", ()), getattr(report, "offered", ())
    if adopted:
        text += " " + t("m.report.device_adopted", lang, n=len(adopted))
    if offered:
        text += " " + t(getattr(report, "aside_how", "m.report.device_aside"), lang, n=len(offered))
    return text


def is_device_report(report: Report, instance_id: str) -> bool:
    """`report` (as built, or read back from the journal) is an import from another device of the
    group `instance_id`: a merge or replace whose source is this very instance — the only one an
    import takes (check_incoming refuses any other file in our name)."""
    return report.action in DEVICE_REPORT_KEYS and report.source_id == instance_id


# --- one record ---------------------------------------------------------------------------------

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
        remote_wins = wins(rs, rv, ls, lv)
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
        # copy, sees that its value was overwritten unseen (its own value: screen lets the flag in).
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
    (Its flag reached here only if the sender wrote it and it could be concurrent: screen.)"""
    found = [h for h in remote_history if h.conflict and h.field == key and h.clock < stamp
             and _node(h.clock) not in mine and h not in local.history and could_meet(local, key, h.clock, mine)]
    return max(found, key=HistoryEntry.sort_key) if found else None


def _seen_before_writing(history: tuple[HistoryEntry, ...], entry: HistoryEntry) -> bool:
    """`entry` is in that history as a value its holder overwrote, not as one that lost a conflict."""
    return any(h == entry and not h.conflict for h in history)


def _refused_plan(kind: str, remote: Record, code: str, detail: Mapping[str, Any]) -> ItemPlan:
    return ItemPlan(kind=kind, id=remote.id, label=record_label(remote), status="refused", reason=code, detail=detail)


def _status(local: Record, merged: Record, changes: list[FieldChange]) -> str:
    if local.live and not merged.live:
        return "deleted"
    if any(c.conflict for c in changes):
        return "conflict"
    if changes or merged.live != local.live:
        return "changed"
    return "unchanged"


def preview(state: State, incoming: Incoming, *, mode: str = "merge", now_ms: int | None = None,
            adopt: Container[str] = frozenset()) -> list[ItemPlan]:
    """What merging (or replacing with) this file would do, item by item, before anything is written.
    `now_ms`: the device's clock, to refuse records stamped implausibly far ahead (give it).
    `adopt`: as for merge; a record created on another device of this group not adopted is
    "offered" (reason "device.created": it comes only if ticked)."""
    if mode not in MODES:
        raise ValueError(mode)
    split = sort_incoming(state, incoming, now_ms, adopt=adopt)
    plans = [_refused_plan(kind, remote, code, detail) for kind, remote, code, detail in split.refused]
    plans += [ItemPlan(kind=kind, id=remote.id, label=record_label(remote), status="offered", reason="device.created")
              for kind, remote in split.offered]
    mine = mine_for(state, incoming)
    unclocked = incoming.unclocked
    if mode == "replace":
        plans += _replace_plans(state, split, incoming)
    else:
        for kind, remote in split.taken:
            local = table_of(state, kind).get(remote.id)
            if local is None:
                status = "new" if remote.live else "unchanged"
                plans.append(_new_plan(kind, remote, status, split, incoming))
                continue
            merged, changes = merge_record(local, remote, mine, clocked=(kind, remote.id) not in unclocked)
            visible = tuple(c for c in changes if c.field != DELETED)
            plans.append(ItemPlan(kind=kind, id=remote.id, label=record_label(merged),
                                  status=_status(local, merged, changes),
                                  changes=visible))
    order = {s: i for i, s in enumerate(STATUSES)}
    return sorted(plans, key=lambda p: (order[p.status], p.kind, p.label.casefold(), p.id))


def _new_plan(kind: str, remote: Record, status: str, split: Sorted, incoming: Incoming) -> ItemPlan:
    """A record we do not hold; one the file presented as ours says it goes to the sender's name."""
    if (kind, remote.id) in split.reattributed:
        return ItemPlan(kind=kind, id=remote.id, label=record_label(remote), status=status, reason="identity.self",
                        detail={"name": incoming.instance_name})
    return ItemPlan(kind=kind, id=remote.id, label=record_label(remote), status=status)


def _replace_plans(state: State, split: Sorted, incoming: Incoming) -> list[ItemPlan]:
    plans = []
    kept = {(k, r.id) for k, r, _c, _d in split.refused}
    incoming_ids = {(k, r.id) for k, r in split.taken}
    for kind, remote in split.taken:
        local = table_of(state, kind).get(remote.id)
        if local is None:
            plans.append(_new_plan(kind, remote, "new" if remote.live else "unchanged", split, incoming))
            continue
        status, changes = _replace_status(local, remote)
        plans.append(ItemPlan(kind=kind, id=remote.id, label=record_label(remote), status=status, changes=changes))
    for kind in ("cellule", "atelier"):
        for rid, local in table_of(state, kind).items():
            if (kind, rid) not in incoming_ids and (kind, rid) not in kept and local.live:
                plans.append(ItemPlan(kind=kind, id=rid, label=record_label(local), status="removed"))
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
    stamps = [stamp for stamp in map(LAST_OF, records) if stamp]
    if extra and not too_far_ahead(extra, now_ms):
        stamps.append(extra)
    if not stamps:
        return state.clock
    last = Timestamp.parse(state.clock) if state.clock else None
    remote = Timestamp.parse(max(stamps))
    if too_far_ahead(str(remote), now_ms):  # not reachable through sort_incoming; never drag the clock
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
          known_nodes: Container[str] | None = None, adopt: Container[str] = frozenset()) -> tuple[State, Report]:
    """"Fusionner": keep everything, field by field the latest write wins; refused records are left out.
    `adopt`: the ids the user ticked among the records a backup of another device of this group says
    were created there (trust.created_there): they come as the group's own; the others of them are
    left aside (nothing stored; DeviceReport.offered and `skipped` count them)."""
    check_incoming(state, incoming, known_nodes)
    split = sort_incoming(state, incoming, now_ms, adopt=adopt)
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
    device = {}
    if from_other_device(state, incoming):  # names « votre autre appareil »; what was created there
        out["skipped"] += [r.id for _k, r in split.offered]
        device = {"adopted": tuple(rid for k, rid in sorted(split.adopted) if rid in out["added"]),
                  "offered": tuple(r.id for _k, r in split.offered)}
    kind = DeviceReport if device else Report
    report = kind(action="merge", source_id=incoming.instance_id, source_name=incoming.instance_name,
                    at=format_ms(now_ms), **{k: tuple(v) for k, v in out.items()}, **device,
                    refused=tuple(r.id for _k, r, _c, _d in split.refused),
                    conflict_details=tuple(conflicts),
                    refusals=tuple(Refusal(kind=k, id=r.id, code=c, detail=d) for k, r, c, d in split.refused),
                    reattributed=tuple(sorted(rid for _k, rid in split.reattributed
                                              if rid in new.cellules or rid in new.ateliers)))
    return new, report


def replace(state: State, incoming: Incoming, *, now_ms: int,
            known_nodes: Container[str] | None = None, adopt: Container[str] = frozenset()) -> tuple[State, Report]:
    """"Remplacer": local data becomes the file's; this instance keeps its id and name. A refused
    record keeps the copy held here (nothing of ours is taken by a record we refuse). `adopt`: as
    for merge (the records created on another device of this group come only ticked)."""
    check_incoming(state, incoming, known_nodes)
    split = sort_incoming(state, incoming, now_ms, adopt=adopt)
    cellules = {r.id: r for k, r in split.taken if k == "cellule"}
    ateliers = {r.id: r for k, r in split.taken if k == "atelier"}
    for kind, remote, _code, _detail in split.refused:
        rid = remote.id
        held = table_of(state, kind).get(rid)
        if held is not None:
            (cellules if kind == "cellule" else ateliers)[rid] = held
    # Counted as the preview counts them (_replace_plans): what the user sees change.
    removed = tuple(sorted([rid for rid, r in state.cellules.items() if rid not in cellules and r.live]
                           + [rid for rid, r in state.ateliers.items() if rid not in ateliers and r.live]))
    out: dict[str, list[str]] = {"added": [], "updated": [], "unchanged": [], "deleted": []}
    for kind, remote in split.taken:
        local = table_of(state, kind).get(remote.id)
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
    device = {}
    if from_other_device(state, incoming):  # names « votre autre appareil »; what was created there stays aside
        out["skipped"] = [r.id for _k, r in split.offered]
        device = {"adopted": tuple(rid for _k, rid in sorted(split.adopted)),
                  "offered": tuple(r.id for _k, r in split.offered)}
    kind = DeviceReport if device else Report
    report = kind(action="replace", source_id=incoming.instance_id, source_name=incoming.instance_name,
                    at=format_ms(now_ms), **{k: tuple(sorted(v)) for k, v in out.items()}, **device,
                    removed=removed,
                    refused=tuple(r.id for _k, r, _c, _d in split.refused),
                    refusals=tuple(Refusal(kind=k, id=r.id, code=c, detail=d) for k, r, c, d in split.refused),
                    reattributed=tuple(sorted(rid for _k, rid in split.reattributed)))
    return new, report


def created_there_ids(state: State, incoming: Incoming) -> frozenset[str]:
    """The ids of the records a backup of another device of this group says were created there
    (trust.created_there): what `adopt` may name (the CLI's flag takes them all)."""
    if incoming.instance_id != state.instance_id or not from_other_device(state, incoming):
        return frozenset()
    return frozenset(r.id for table in (incoming.cellules, incoming.ateliers) for r in table.values()
                     if created_there(state, incoming, r))


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
                skip: Container[str] = frozenset(), known_nodes: Container[str] | None = None,
                adopt: Container[str] = frozenset()) -> tuple[State, Report]:
    """The whole import of a text: read and check it, then merge or replace (GC paused).
    Records stamped too far ahead are refused one by one by merge/replace, not by the reader.
    Adapters check the result with document.check_state_limits before storing it (accepted ⇒ reopens)."""
    if mode not in MODES:
        raise ValueError(mode)
    with paused_gc():
        incoming = read_text(text, held=state)
        if mode == "replace":
            new, report = replace(state, incoming, now_ms=now_ms, known_nodes=known_nodes, adopt=adopt)
        else:
            new, report = merge(state, incoming, now_ms=now_ms, skip=skip, known_nodes=known_nodes,
                                adopt=adopt)
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
    via = [names.shown_name(lang, peer_name(state, v)) for v in record.via if v != record.origin]
    return i18n.author_label(lang, names.shown_name(lang, peer_name(state, record.origin)), via)


def visible(state: State) -> dict[str, Any]:
    """The data a user sees: live records and their field values (what convergence is about)."""
    return {
        "cellules": {c.id: tuple(c.value(k) for k in Cellule.keys() if k != DELETED) for c in state.live_cellules()},
        "ateliers": {a.id: tuple(a.value(k) for k in Atelier.keys() if k != DELETED) for a in state.live_ateliers()},
    }

