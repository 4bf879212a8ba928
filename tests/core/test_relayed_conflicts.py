"""Concurrent edits that meet at a third instance (a relay): two devices restored from one backup,
or two peers, edit the same field; their files reach Carla, who passes hers on. The relay keeps the
losing value in history flagged as a conflict (no mark: not its own edit), so the writer whose value
lost sees the conflict when the relay's copy comes back — nobody's edit is overwritten in silence.
Two devices of one group also take each other's backup directly, as « votre autre appareil »
(merge.from_other_device, tests/core/test_trust_other_device.py)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import NODES, NOW, T0, export, rand

from app.core import actions, merge
from app.core.model import HistoryEntry


def new(name, seed):
    return actions.new_state(name=name, random_bytes=rand(seed))


def two_devices_of_one_group():
    """Alice's group with one cellule, restored from one backup on a laptop and a phone."""
    alice, jardin = actions.create_cellule(new("Alice", 1), {"nodeId": NODES[0], "name": "Jardin",
                                                               "description": "départ"},
                                           now_ms=T0, random_bytes=rand("c"))
    backup = export(alice)
    laptop, _ = merge.restore_backup(new("x", 2), backup, now_ms=T0 + 10, device_seed=rand("laptop"))
    phone, _ = merge.restore_backup(new("y", 3), backup, now_ms=T0 + 10, device_seed=rand("phone"))
    return laptop, phone, jardin


def two_peers():
    alice, jardin = actions.create_cellule(new("Alice", 1), {"nodeId": NODES[0], "name": "Jardin",
                                                               "description": "départ"},
                                           now_ms=T0, random_bytes=rand("c"))
    bob, _ = merge.merge(new("Bob", 4), export(alice), now_ms=T0 + 10)
    return alice, bob, jardin


def test_two_devices_restored_from_one_backup_have_their_own_stamp_nodes_and_one_group():
    laptop, phone, _ = two_devices_of_one_group()
    assert laptop.instance_id == phone.instance_id and laptop.device != phone.device
    assert laptop.device != laptop.instance_id and phone.device != phone.instance_id
    assert laptop.own_nodes == {laptop.instance_id, laptop.device}
    assert phone.own_nodes == {phone.instance_id, phone.device}


def test_the_device_whose_edit_lost_through_a_relay_sees_the_conflict():
    laptop, phone, jardin = two_devices_of_one_group()
    laptop, _ = actions.edit(laptop, "cellule", jardin.id, {"description": "sur l'ordinateur"}, now_ms=T0 + 100)
    phone, _ = actions.edit(phone, "cellule", jardin.id, {"description": "sur le téléphone"}, now_ms=T0 + 200)
    # one device's backup into the other directly: its other device's edit, a conflict there too
    direct, told = merge.merge(laptop, export(phone), now_ms=NOW)
    assert told.conflicts == (jardin.id,) and direct.cellules[jardin.id].description == "sur le téléphone"
    carla, _ = merge.merge(new("Carla", 5), export(laptop), now_ms=NOW)
    carla, told = merge.merge(carla, export(phone), now_ms=NOW)
    relayed = carla.cellules[jardin.id]
    assert relayed.description == "sur le téléphone" and told.conflicts == () and carla.marks == {}
    lost = HistoryEntry(field="description", value="sur l'ordinateur",
                        clock=laptop.cellules[jardin.id].stamp("description"))
    assert [h.conflict for h in relayed.history if h == lost] == [True]
    # the laptop gets Carla's copy: its edit lost, it is told (report, mark), its value in history
    back, report = merge.merge(laptop, export(carla), now_ms=NOW)
    assert report.conflicts == (jardin.id,) and back.cellules[jardin.id].description == "sur le téléphone"
    assert [(c.winner, c.kept, c.lost) for c in report.conflict_details] == \
        [("incoming", "sur le téléphone", "sur l'ordinateur")]
    assert merge.mark_text(back, back.mark("cellule", jardin.id)) == "modifié aussi par Carla"
    assert [h.conflict for h in back.cellules[jardin.id].history if h == lost] == [True]
    assert not back.is_federated(back.cellules[jardin.id])  # still the group's own cellule
    # the phone's value won: it is kept, the laptop's value reaches its history (not as a conflict:
    # only the laptop itself could vouch for it)
    won, report = merge.merge(phone, export(carla), now_ms=NOW)
    assert won.cellules[jardin.id].description == "sur le téléphone" and report.conflicts == ()
    assert [h.conflict for h in won.cellules[jardin.id].history if h == lost] == [False]


def test_two_peers_edits_meeting_at_a_relay_the_loser_sees_the_conflict_and_the_winner_from_the_loser():
    alice, bob, jardin = two_peers()
    alice, _ = actions.edit(alice, "cellule", jardin.id, {"description": "Alice"}, now_ms=T0 + 100)
    bob, _ = actions.edit(bob, "cellule", jardin.id, {"description": "Bob"}, now_ms=T0 + 200)
    carla = merge.merge(merge.merge(new("Carla", 5), export(alice), now_ms=NOW)[0], export(bob), now_ms=NOW)[0]
    alice, report = merge.merge(alice, export(carla), now_ms=NOW)
    assert report.conflicts == (jardin.id,) and alice.cellules[jardin.id].description == "Bob"
    assert merge.mark_text(alice, alice.mark("cellule", jardin.id)) == "modifié aussi par Carla, Bob"
    # Alice's own file then tells Bob: her value lost a concurrent edit against his
    bob, report = merge.merge(bob, export(alice), now_ms=NOW)
    assert report.conflicts == (jardin.id,) and [(c.winner, c.kept, c.lost) for c in report.conflict_details] == \
        [("local", "Bob", "Alice")]


def test_a_relay_that_saw_the_order_of_two_edits_tells_no_conflict():
    alice, bob, jardin = two_peers()
    alice, _ = actions.edit(alice, "cellule", jardin.id, {"description": "Alice"}, now_ms=T0 + 100)
    bob, _ = merge.merge(bob, export(alice), now_ms=T0 + 150)
    bob, _ = actions.edit(bob, "cellule", jardin.id, {"description": "Bob"}, now_ms=T0 + 200)  # after seeing hers
    carla = merge.merge(merge.merge(new("Carla", 5), export(alice), now_ms=NOW)[0], export(bob), now_ms=NOW)[0]
    assert not any(h.conflict for h in carla.cellules[jardin.id].history)
    alice, report = merge.merge(alice, export(carla), now_ms=NOW)
    assert report.conflicts == () and alice.marks == {} and alice.cellules[jardin.id].description == "Bob"


@settings(max_examples=40, deadline=None)
@given(st.booleans(), st.integers(1, 10**6), st.integers(1, 10**6), st.booleans())
def test_law_concurrent_edits_through_a_relay_are_never_overwritten_in_silence(devices, t1, t2, laptop_first):
    """Law: two writers (two devices restored from one backup, or two peers) edit one field
    concurrently; a relay takes both files in either order. The writer whose value lost, taking the
    relay's copy, is told (report and mark) and keeps its value in history; the relay holds both
    values and marks nothing; every instance ends with the same value."""
    one, two, jardin = two_devices_of_one_group() if devices else two_peers()
    one, _ = actions.edit(one, "cellule", jardin.id, {"description": "un"}, now_ms=T0 + 10 + t1)
    two, _ = actions.edit(two, "cellule", jardin.id, {"description": "deux"}, now_ms=T0 + 10 + t2)
    files = [export(one), export(two)] if laptop_first else [export(two), export(one)]
    carla = new("Carla", 5)
    for f in files:
        carla, report = merge.merge(carla, f, now_ms=NOW)
        assert report.conflicts == ()
    relayed = carla.cellules[jardin.id]
    assert carla.marks == {} and {relayed.description, *(h.value for h in relayed.history)} >= {"un", "deux"}
    winner = relayed.description
    for writer in (one, two):
        back, report = merge.merge(writer, export(carla), now_ms=NOW)
        assert back.cellules[jardin.id].description == winner
        mine = writer.cellules[jardin.id].description
        if mine == winner:
            assert report.conflicts == () and back.marks == {}
        else:
            assert report.conflicts == (jardin.id,) and back.mark("cellule", jardin.id) is not None
            assert [h.value for h in back.cellules[jardin.id].history if h.conflict] == [mine]
