"""One count for a source (merge.source_counts): what « Sources » shows on its card, what « Supprimer cette
source » asks about and what its report says removed are the same numbers — the items the user sees go,
never a deleted one."""

from __future__ import annotations

from hypothesis import given, settings
from strategies import NODES, NOW, T0, export, rand, states

from app.core import actions, merge


def visible(state):
    return {c.id for c in state.live_cellules()} | {a.id for a in state.live_ateliers()}


def test_a_source_with_deleted_items_is_counted_alike_by_its_card_its_confirm_and_its_report():
    alice = actions.new_state(name="Alice", random_bytes=rand("alice"))
    ids = []
    for i, name in enumerate(("Potager", "Voisins", "Vélo")):
        alice, c = actions.create_cellule(alice, {"nodeId": NODES[i], "name": name}, now_ms=T0 + i,
                                          random_bytes=rand(f"c{i}"))
        ids.append(c.id)
    for i, title in enumerate(("Semis", "Arrosage")):
        alice, _ = actions.create_atelier(alice, {"celluleId": ids[0], "title": title,
                                                  "startsAt": "2026-03-07T18:00:00Z"},
                                          now_ms=T0 + 10 + i, random_bytes=rand(f"a{i}"))
    alice, vide = actions.create_atelier(alice, {"celluleId": ids[2], "title": "Réparation",
                                                 "startsAt": "2026-03-08T18:00:00Z"}, now_ms=T0 + 20,
                                         random_bytes=rand("a-velo"))
    alice = actions.delete(alice, "cellule", ids[1], now_ms=T0 + 30)  # a deleted cellule travels as a tombstone
    alice = actions.delete(alice, "cellule", ids[2], now_ms=T0 + 31)  # its atelier stays, under a deleted one
    bob = actions.new_state(name="Bob", random_bytes=rand("bob"))
    bob, report = merge.merge(bob, export(alice), now_ms=NOW)
    assert len(bob.cellules) == 3 and len(bob.ateliers) == 3  # tombstones and a hidden atelier are held
    assert merge.source_counts(bob, alice.instance_id) == (1, 2)  # « Potager » and its two ateliers
    dropped, report = merge.drop_source(bob, alice.instance_id, now_ms=NOW + 1)
    assert report.counts()["removed"] == 3
    assert report.summary("fr") == "Source «\u00a0Alice\u00a0» supprimée\u00a0: 3 éléments retirés de cet appareil."
    assert dropped.cellules == {} and dropped.ateliers == {}  # the deleted ones are forgotten too
    assert vide.id not in dropped.ateliers


@settings(max_examples=60, deadline=None)
@given(states(name="Alice"), states(name="Bob"), states(name="Carla"))
def test_the_count_is_what_the_user_sees_go(alice, bob, carla):
    """Whatever Alice, Bob and Carla did, once Carla merged both: dropping Alice's source takes off
    Carla's screen exactly the items its report names, as many as source_counts said."""
    carla, _ = merge.merge(carla, export(alice), now_ms=NOW)
    carla, _ = merge.merge(carla, export(bob), now_ms=NOW + 1)
    cellules, ateliers = merge.source_counts(carla, alice.instance_id)
    dropped, report = merge.drop_source(carla, alice.instance_id, now_ms=NOW + 2)
    gone = visible(carla) - visible(dropped)
    assert set(report.removed) == gone
    assert len(gone) == cellules + ateliers == report.counts()["removed"]
    assert visible(dropped) <= visible(carla)
