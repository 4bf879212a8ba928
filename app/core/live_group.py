"""Live sync between two devices of one group (a phone restored from the group's backup and the
group's computer): what app.core.live does differently from a session with another group.

Theory of operation
-------------------
A hello says the sender's group (`id`) and its device's stamp node (`dev`, State.device). Two
devices of one group have the same id and different nodes: their session goes as a backup of one
imported on the other would (merge.from_other_device) — changes to records this device holds come,
concurrent edits are conflicts marked on both sides, a record the other device says it created
(trust.created_there) comes only if the user ticks it (`adopt`), anything else it does not hold is
refused. Every document it sends must name the node its hello gave (`sync.device`). The same node
is this very device (another tab of this browser): refused (« live.same_device »); a device that
cannot be told apart from this one (a node equal to the group's id, or known here as another group,
or this device still writing with the group's id) is refused (« live.self »).

`sort_offered` splits what arrives: the records the user ticked go with the batch (MergeReady.adopt),
those left aside are not handed over again in the session, those not decided yet (created there
while connected, after « Fusionner ») are held as offers and shown as a preview until the user chooses.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace as dc_replace
from typing import Any

from app.core import merge
from app.core.document import Incoming
from app.core.errors import LiveError
from app.core.model import State


def hello_refusal(state: State, peer: str, device: str) -> LiveError | None:
    """Why a hello is refused for who it says it is, or None (any other group, or another device of
    this one); a hello naming one of our devices' nodes as its group is refused too."""
    if peer != state.instance_id:
        return LiveError("live.self") if peer in state.own_nodes else None
    if device == state.device:
        return LiveError("live.same_device")
    if device == state.instance_id or state.device == state.instance_id or device in state.sources \
            or device in state.extra.get("peerNames", {}):
        return LiveError("live.self")
    return None


def check_identity(incoming: Incoming, peer: str, peer_device: str, peer_name: str) -> None:
    """A document of the peer speaks in the name its hello gave: its group, and for another device
    of this group its node too (`sync.device`: what the trust rules tell its writes by)."""
    if incoming.instance_id != peer:
        raise LiveError("live.identity", claimed=incoming.instance_id[:16], name=peer_name)
    device = incoming.local_sync.get("device", incoming.instance_id)
    if peer_device != peer and device != peer_device:  # (peer_device == peer: no node of its own, another group)
        raise LiveError("live.identity", claimed=str(device)[:16], name=peer_name)


def only(incoming: Incoming, ids: Collection[str], keep: bool) -> Incoming:
    """`incoming` with only the records named in `ids` (`keep`), or without them."""
    return dc_replace(incoming,
                      cellules={k: v for k, v in incoming.cellules.items() if (k in ids) == keep},
                      ateliers={k: v for k, v in incoming.ateliers.items() if (k in ids) == keep},
                      unclocked=frozenset(u for u in incoming.unclocked if (u[1] in ids) == keep))


def joined(held: Incoming | None, later: Incoming) -> Incoming:
    """Records held for the user's choice and a later document of the same peer (its copy wins)."""
    if held is None:
        return later
    return dc_replace(later, cellules={**held.cellules, **later.cellules}, ateliers={**held.ateliers, **later.ateliers},
                      unclocked=frozenset(u for u in held.unclocked
                                          if u[1] not in later.cellules and u[1] not in later.ateliers)
                      | later.unclocked)


def sort_offered(state: State, incoming: Incoming, session: Any,
                 deciding: bool) -> tuple[Incoming, frozenset[str], frozenset[str], Incoming | None]:
    """What of a batch from another device of this group goes to merge now, the ids ticked in it
    (merge's `adopt`), the ids left aside (after this), and the records it says it created that the
    user has not decided on yet (None: none). `session`: a live.Session (its `adopt`, the ids ticked
    so far, and `aside`). `deciding`: the user just chose — every one of them not ticked is left
    aside, as is an atelier ticked without its cellule (neither held nor ticked); those go to merge
    this once, which leaves them aside and counts them (DeviceReport.offered), and never after."""
    adopt, aside = session.adopt, session.aside
    there = merge.created_there_ids(state, incoming)
    if deciding:
        ticked = there & adopt
        ticked -= {aid for aid, a in incoming.ateliers.items()
                   if aid in ticked and a.cellule_id not in state.cellules and a.cellule_id not in ticked}
        aside = aside | (there - ticked)
    undecided = there - adopt - aside
    offers = only(incoming, undecided, keep=True) if undecided else None
    taken = there & adopt
    if deciding:  # merge leaves aside what was not ticked, and its report counts it (as a file's)
        return incoming, taken, aside, offers
    return only(incoming, there - taken, keep=False), taken, aside, offers
