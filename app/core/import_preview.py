"""What the import preview shows and in which order: the adapters draw it, the words are i18n's.

* `groups(plans, state, incoming, key)`: each cellule with its ateliers under it. A cellule the list
  does not show (unchanged, or not in the file) still heads its listed ateliers. Groups come by their
  most pressing status (merge.STATUSES order: conflicts first), then by name; inside a group the
  cellule comes first, then its ateliers by status, then by name. `collate(names)` gives, for the
  names to sort, what sorts each one: the adapter gives the platform's collation (a French reader's
  order, « Voisins 2 » before « Voisins 10 », « Écolo » among the E); ties go by id.
* `first_rows(groups, limit)`: the groups cut after `limit` items, and how many items are left.
* `replace_effects(merge_plans, replace_plans)`: what « Remplacer » would do on this device, in the
  three kinds the words keep apart: *removed* (not in the file: taken off this device only, nothing
  erased elsewhere), *deleted* (the file says it was deleted: the deletion goes on to others at the
  next exchange), *overwritten* (takes the file's values); `older`: the ids whose file version a
  merge would not take (ours is more recent), so the words never say « plus ancienne » of a newer one.
* `can_restore` / `can_replace`: the choices that make sense. A full backup arriving on a device
  that holds nothing yet is restored first (merging would file one's own cellules under another
  group); « Remplacer » only with a full export onto a device that holds something (a light export,
  one cellule's link, would take away everything it does not carry).
* `replace_in_front`: whether « Remplacer » stands beside « Fusionner » or waits behind « Autres
  choix »: in front only where it takes nothing of one's own — this group's own backup, or a device
  holding none of this group's own cellules and ateliers (only what other groups gave). A partner's
  backup on a device with one's own data is merged; replacing stays possible, one step further.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.core import merge
from app.core.document import Incoming
from app.core.model import State

RANK = {status: i for i, status in enumerate(merge.STATUSES)}


@dataclass(frozen=True)
class Group:
    """One cellule and its ateliers, as the preview lists them."""

    cellule_id: str  # "" : ateliers whose cellule is known nowhere (a record the reader could not build)
    label: str  # the cellule's name (as the plan, the file or this device has it)
    cellule: merge.ItemPlan | None  # None: the cellule itself is not in this list (it only heads its ateliers)
    ateliers: tuple[merge.ItemPlan, ...] = ()

    @property
    def size(self) -> int:
        return (self.cellule is not None) + len(self.ateliers)


def _parent(plan_id: str, state: State, incoming: Incoming) -> str:
    atelier = incoming.ateliers.get(plan_id) or state.ateliers.get(plan_id)
    return atelier.cellule_id if atelier is not None else ""


def _name(cellule_id: str, state: State, incoming: Incoming) -> str:
    cellule = incoming.cellules.get(cellule_id) or state.cellules.get(cellule_id)
    return cellule.name if cellule is not None else ""


def groups(plans: Iterable[merge.ItemPlan], state: State, incoming: Incoming,
           collate: Callable[[list[str]], Callable[[str], Any]]) -> list[Group]:
    """`plans` (one list of the preview) grouped by cellule, in the reader's order (see the module)."""
    heads: dict[str, merge.ItemPlan] = {}
    under: dict[str, list[merge.ItemPlan]] = {}
    for plan in plans:
        if plan.kind == "cellule":
            heads[plan.id] = plan
        else:
            under.setdefault(_parent(plan.id, state, incoming), []).append(plan)
    labels = {cid: heads[cid].label if cid in heads else _name(cid, state, incoming)
              for cid in heads.keys() | under.keys()}
    key = collate([*labels.values(), *(p.label for ateliers in under.values() for p in ateliers)])
    out = []
    for cid, label in labels.items():
        ateliers = sorted(under.get(cid, ()), key=lambda p: (RANK[p.status], key(p.label), p.id))
        out.append(Group(cellule_id=cid, label=label, cellule=heads.get(cid), ateliers=tuple(ateliers)))

    def order(g: Group) -> tuple:
        first = min(RANK[p.status] for p in ((g.cellule,) if g.cellule else ()) + g.ateliers)
        return first, not g.cellule_id, key(g.label), g.cellule_id

    return sorted(out, key=order)


def first_rows(found: Sequence[Group], limit: int) -> tuple[list[Group], int]:
    """The groups holding the first `limit` items (the last one cut if need be), and the items left out."""
    shown: list[Group] = []
    room = limit
    for g in found:
        if room <= 0:
            break
        if g.size <= room:
            shown.append(g)
        else:
            head = g.cellule
            shown.append(Group(cellule_id=g.cellule_id, label=g.label, cellule=head,
                               ateliers=g.ateliers[:room - (head is not None)]))
        room -= min(g.size, room)
    return shown, sum(g.size for g in found) - sum(g.size for g in shown)


@dataclass(frozen=True)
class ReplaceEffects:
    removed: tuple[merge.ItemPlan, ...] = ()  # not in the file: taken off this device only
    deleted: tuple[merge.ItemPlan, ...] = ()  # the file says deleted: deleted here, and passed on
    overwritten: tuple[merge.ItemPlan, ...] = ()  # take the file's values
    older: frozenset[str] = field(default_factory=frozenset)  # ids whose file version a merge would not take

    @property
    def nothing(self) -> bool:
        return not (self.removed or self.deleted or self.overwritten)

    def removed_counts(self) -> tuple[int, int]:
        """(cellules, ateliers) removed."""
        cellules = sum(1 for p in self.removed if p.kind == "cellule")
        return cellules, len(self.removed) - cellules


def replace_effects(merge_plans: Iterable[merge.ItemPlan], replace_plans: Iterable[merge.ItemPlan]) -> ReplaceEffects:
    """From the merge preview and the replace preview of one file (see the module)."""
    taken: dict[str, set[str]] = {}  # id -> fields a merge would take from the file
    merge_deletes = set()
    for p in merge_plans:
        taken[p.id] = {c.field for c in p.changes if not (c.conflict and c.winner == "local")}
        if p.status == "deleted":
            merge_deletes.add(p.id)
    removed, deleted, overwritten, older = [], [], [], set()
    for p in replace_plans:
        if p.status == "removed":
            removed.append(p)
        elif p.status == "deleted":
            deleted.append(p)
            if p.id not in merge_deletes:
                older.add(p.id)
        elif p.status == "changed" and p.changes:
            overwritten.append(p)
            if any(c.field not in taken.get(p.id, ()) for c in p.changes):
                older.add(p.id)
    return ReplaceEffects(removed=tuple(removed), deleted=tuple(deleted), overwritten=tuple(overwritten),
                          older=frozenset(older))


def holds_something(state: State) -> bool:
    """A live cellule or atelier on this device (something « Remplacer » could take away)."""
    return any(r.live for r in state.cellules.values()) or any(r.live for r in state.ateliers.values())


def can_restore(state: State, incoming: Incoming) -> bool:
    """A full backup on a device that holds nothing yet: « Restaurer cette sauvegarde » comes first."""
    return merge.is_empty(state) and incoming.kind == "full"


def can_replace(state: State, incoming: Incoming) -> bool:
    """« Remplacer » is offered for a full export onto a device holding something (never a light export)."""
    return incoming.kind == "full" and holds_something(state)


def own_records(state: State) -> tuple[int, int]:
    """(cellules, ateliers) live on this device and written by this group (any of its devices)."""
    mine = state.own_nodes
    return (sum(1 for r in state.cellules.values() if r.live and r.origin in mine),
            sum(1 for r in state.ateliers.values() if r.live and r.origin in mine))


def own_removed(state: State, effects: ReplaceEffects) -> tuple[int, int]:
    """(cellules, ateliers) of this group's own that « Remplacer » would take off this device."""
    mine = state.own_nodes
    own = [p for p in effects.removed
           if (r := state.cellules.get(p.id) or state.ateliers.get(p.id)) is not None and r.origin in mine]
    cellules = sum(1 for p in own if p.kind == "cellule")
    return cellules, len(own) - cellules


def replace_in_front(state: State, incoming: Incoming) -> bool:
    """« Remplacer » beside « Fusionner » (True) or behind « Autres choix » (False): in front for this
    group's own backup from this very device, or when this device holds nothing of this group's own (see
    the module). Another device's backup of this group (merge.from_other_device) is not this device's own
    copy: replacing with it can take what only this device holds, so it waits behind « Autres choix »."""
    if not can_replace(state, incoming):
        return False
    own_copy = incoming.instance_id in state.own_nodes and not merge.from_other_device(state, incoming)
    return own_copy or own_records(state) == (0, 0)
