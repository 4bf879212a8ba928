"""Merge engine properties (Hypothesis) and scenarios named after real situations."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import NODES, T0, rand, states

from app.core import actions, document, merge
from app.core.model import Cellule


def export(state, kind="full", now=T0 + 10**7):
    """What travels: the state's document, read back as a peer would (JSON text in between)."""
    text = document.dumps(document.to_document(state, kind=kind, now_ms=now))
    return document.read_document(document.parse_text(text))


def imp(state, other, now=T0 + 10**7, kind="full"):
    return merge.merge(state, export(other, kind), now_ms=now)[0]


three = st.tuples(states(name="Alice"), states(name="Bob"), states(name="Carla"))


@given(three)
def test_merge_is_commutative_on_visible_data(abc):
    a, b, c = abc
    assert merge.visible(imp(imp(a, b), c)) == merge.visible(imp(imp(a, c), b))


@given(three)
def test_merge_is_associative_on_visible_data(abc):
    a, b, c = abc
    assert merge.visible(imp(imp(a, b), c)) == merge.visible(imp(a, imp(b, c)))


@given(states(), states(name="Bob"))
def test_importing_the_same_file_twice_changes_nothing(a, b):
    once = imp(a, b)
    assert imp(once, b) == once
    again, report = merge.merge(once, export(b), now_ms=T0 + 10**7)
    assert report.added == report.updated == report.deleted == report.conflicts == ()


@given(states())
def test_a_file_claiming_to_come_from_this_instance_is_refused_and_nothing_changes(a):
    import pytest

    for run in (lambda: merge.merge(a, export(a), now_ms=T0 + 10**7),
                lambda: merge.replace(a, export(a), now_ms=T0 + 10**7)):
        with pytest.raises(merge.MergeError) as err:
            run()
        assert (err.value.code, err.value.params) == ("import.self", {"id": a.instance_id, "name": a.instance_name})


@settings(max_examples=30)
@given(three, st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)), max_size=8), st.randoms())
def test_everyone_importing_everyone_converges_whatever_the_order(abc, exchanges, rnd):
    peers = list(abc)
    for src, dst in exchanges:  # random partial exchanges, A→B→C paths included
        if src != dst:
            peers[dst] = imp(peers[dst], peers[src])
    order = [(s, d) for s in range(3) for d in range(3) if s != d]
    for _ in range(2):  # then everyone imports everyone, in a random order
        rnd.shuffle(order)
        for src, dst in order:
            peers[dst] = imp(peers[dst], peers[src])
    assert merge.visible(peers[0]) == merge.visible(peers[1]) == merge.visible(peers[2])


@given(three)
def test_a_relayed_record_keeps_its_author_and_names_the_relay(abc):
    a, b, c = abc
    b = imp(b, a)
    c = imp(c, b)
    for cel in c.live_cellules():
        if cel.origin == a.instance_id:
            assert c.is_federated(cel) and cel.via == (b.instance_id,)
            assert merge.author_label(c, cel) == f"par {a.instance_name}, via {b.instance_name}"


# --- scenarios --------------------------------------------------------------------------------------

def new(name, seed):
    return actions.new_state(name=name, random_bytes=rand(seed))


def add(state, name, now, seed, node=NODES[0]):
    return actions.create_cellule(state, {"nodeId": node, "name": name}, now_ms=now, random_bytes=rand(seed))


def test_reunion_sans_internet():
    """A meeting with no network: three people work locally, then exchange files afterwards."""
    alice, bob, carla = new("Alice", 1), new("Bob", 2), new("Carla", 3)
    alice, a1 = add(alice, "Cellule Jardin", T0, 11)
    bob, b1 = add(bob, "Cellule Vélo", T0 + 5, 12)
    carla, c1 = add(carla, "Cellule Repair", T0 + 9, 13)
    carla, _ = actions.create_atelier(carla, {"celluleId": c1.id, "title": "Grille-pain",
                                              "startsAt": "2026-02-01T14:00:00Z"}, now_ms=T0 + 10,
                                      random_bytes=rand(14))
    # afterwards: Alice collects everyone's file, then sends hers (now complete) to both
    alice = imp(imp(alice, bob), carla)
    bob, carla = imp(bob, alice), imp(carla, alice)
    names = sorted(c.name for c in alice.live_cellules())
    assert names == ["Cellule Jardin", "Cellule Repair", "Cellule Vélo"]
    assert merge.visible(alice) == merge.visible(bob) == merge.visible(carla)
    assert [a.title for a in bob.live_ateliers()] == ["Grille-pain"]
    assert set(alice.sources) == {bob.instance_id, carla.instance_id}
    assert alice.sources[carla.instance_id].cellule_count == 1
    assert alice.sources[carla.instance_id].atelier_count == 1


def test_sync_mensuelle_multi_assos_with_cellules_only_exports():
    """Associations share light 'cellules seules' files every month."""
    nord, sud = new("Asso Nord", 4), new("Asso Sud", 5)
    nord, n1 = add(nord, "Nord 1", T0, 21)
    sud, s1 = add(sud, "Sud 1", T0, 22)
    sud = imp(sud, nord, kind="cellules")
    nord = imp(nord, sud, kind="cellules")
    nord, _ = actions.edit(nord, "cellule", n1.id, {"description": "Réunion le 1er lundi"}, now_ms=T0 + 30 * 86400_000)
    sud = merge.merge(sud, export(nord, "cellules", now=T0 + 31 * 86400_000), now_ms=T0 + 31 * 86400_000)[0]
    assert sud.cellules[n1.id].description == "Réunion le 1er lundi"
    assert sud.is_federated(sud.cellules[n1.id]) and not sud.is_federated(sud.cellules[s1.id])


def test_restore_from_backup_brings_everything_back_with_the_same_identity():
    alice = new("Alice", 6)
    alice, c = add(alice, "Cellule", T0, 31)
    backup = export(alice)
    fresh = new("Mon instance", 99)
    restored, report = merge.restore_backup(fresh, backup, now_ms=T0 + 2, device_seed=rand("device"))
    assert restored.instance_id == alice.instance_id and restored.live_cellules()[0].name == "Cellule"
    assert not restored.is_federated(restored.cellules[c.id]) and restored.sources == {}
    assert report.action == "restore" and report.added == (c.id,)


def test_conflicting_edits_of_one_cellule_keep_both_fields_and_the_loser_in_history():
    alice, bob = new("Alice", 7), new("Bob", 8)
    alice, c = add(alice, "Cellule", T0, 41)
    bob = imp(bob, alice)
    alice, _ = actions.edit(alice, "cellule", c.id, {"name": "Nom d'Alice", "contact": "alice@x.be"},
                            now_ms=T0 + 100)
    bob, _ = actions.edit(bob, "cellule", c.id, {"name": "Nom de Bob", "description": "de Bob"}, now_ms=T0 + 200)
    plan = merge.preview(alice, export(bob))
    item = next(p for p in plan if p.id == c.id)
    assert item.status == "conflict"
    changes = {(ch.field, ch.old, ch.new, ch.conflict) for ch in item.changes}
    assert changes >= {("name", "Nom d'Alice", "Nom de Bob", True)}
    alice, report = merge.merge(alice, export(bob), now_ms=T0 + 300)
    merged = alice.cellules[c.id]
    assert (merged.name, merged.contact, merged.description) == ("Nom de Bob", "alice@x.be", "de Bob")
    assert report.conflicts == (c.id,)
    assert any(h.field == "name" and h.value == "Nom d'Alice" for h in merged.history)
    entry = next(h for h in merged.history if h.value == "Nom d'Alice")
    alice, restored = actions.restore_value(alice, "cellule", c.id, entry.field, entry.clock, now_ms=T0 + 400)
    assert restored.name == "Nom d'Alice"


def test_delete_then_edit_the_later_edit_survives():
    alice, bob = new("Alice", 9), new("Bob", 10)
    alice, c = add(alice, "Cellule", T0, 51)
    bob = imp(bob, alice)
    alice = actions.delete(alice, "cellule", c.id, now_ms=T0 + 100)
    bob, _ = actions.edit(bob, "cellule", c.id, {"description": "toujours là"}, now_ms=T0 + 200)
    for state, other in ((alice, bob), (bob, alice)):
        merged = imp(state, other)
        assert merged.cellules[c.id].live and merged.cellules[c.id].description == "toujours là"


def test_edit_then_later_delete_deletes_everywhere():
    alice, bob = new("Alice", 11), new("Bob", 12)
    alice, c = add(alice, "Cellule", T0, 61)
    bob = imp(bob, alice)
    bob, _ = actions.edit(bob, "cellule", c.id, {"description": "x"}, now_ms=T0 + 100)
    alice = actions.delete(alice, "cellule", c.id, now_ms=T0 + 200)
    plan = merge.preview(bob, export(alice))
    assert next(p for p in plan if p.id == c.id).status == "deleted"
    bob, report = merge.merge(bob, export(alice), now_ms=T0 + 300)
    assert not bob.cellules[c.id].live and report.deleted == (c.id,)


def test_drop_source_removes_only_what_that_peer_gave_and_a_reimport_brings_it_back():
    alice, bob, carla = new("Alice", 13), new("Bob", 14), new("Carla", 15)
    alice, a1 = add(alice, "A1", T0, 71)
    bob, b1 = add(bob, "B1", T0, 72)
    bob, _ = actions.create_atelier(bob, {"celluleId": b1.id, "title": "t", "startsAt": "2026-02-01T14:00:00Z"},
                                    now_ms=T0 + 1, random_bytes=rand(73))
    carla, c1 = add(carla, "C1", T0, 74)
    carla = imp(imp(carla, alice), bob)
    assert merge.source_footprint(carla, bob.instance_id) == ([b1.id], [next(iter(bob.ateliers))])
    dropped, report = merge.drop_source(carla, bob.instance_id, now_ms=T0 + 5)
    assert sorted(c.name for c in dropped.live_cellules()) == ["A1", "C1"]
    assert bob.instance_id not in dropped.sources and len(report.removed) == 2
    # forgotten whole, the atelier with its cellule (an atelier left without its cellule would make the
    # next export refused: atelier.orphan)
    assert b1.id not in dropped.cellules and next(iter(bob.ateliers)) not in dropped.ateliers
    assert set(dropped.ateliers) == set(carla.ateliers) - set(bob.ateliers)
    # no tombstone travels: Alice importing Carla's file still has... nothing of Bob's deleted
    alice_after = imp(imp(alice, bob), dropped)
    assert b1.id in {c.id for c in alice_after.live_cellules()}
    back = imp(dropped, bob)
    assert merge.visible(back) == merge.visible(carla)


def test_interoperability_a_document_without_clocks_imports_and_updated_at_decides():
    mine = new("Moi", 16)
    mine, c = add(mine, "Ancien nom", T0, 81)
    other = {
        "version": "1.0", "instanceId": "Cother00", "exportedAt": "2026-06-01T00:00:00Z",
        "cellules": [
            {"id": c.id, "nodeId": c.node_id, "name": "Nouveau nom", "createdAt": c.created_at,
             "updatedAt": "2026-06-01T00:00:00Z", "origin": mine.instance_id},
            {"id": "ext-1", "nodeId": NODES[1], "name": "Externe", "createdAt": "2026-01-01T00:00:00Z",
             "updatedAt": "2026-01-01T00:00:00Z", "origin": "Cother00"},
        ],
        "ateliers": [{"id": "ext-a", "celluleId": "ext-1", "title": "Atelier externe",
                      "startsAt": "2026-07-01T18:00:00Z", "createdAt": "2026-01-01T00:00:00Z",
                      "updatedAt": "2026-01-01T00:00:00Z", "origin": "Cother00"}],
    }
    incoming = document.read_document(document.check_document(other))
    merged, report = merge.merge(mine, incoming, now_ms=T0 + 2 * 10**10)
    assert merged.cellules[c.id].name == "Nouveau nom"
    assert merged.cellules["ext-1"].live and merged.live_ateliers("ext-1")[0].title == "Atelier externe"
    assert set(report.added) == {"ext-1", "ext-a"} and report.updated == (c.id,)


def test_replace_keeps_identity_and_can_be_undone_with_the_snapshot():
    mine, other = new("Moi", 17), new("Autre", 18)
    mine, m1 = add(mine, "Mienne", T0, 91)
    other, o1 = add(other, "Sienne", T0, 92)
    snapshot = mine
    replaced, report = merge.replace(mine, export(other), now_ms=T0 + 5)
    assert replaced.instance_id == mine.instance_id and replaced.instance_name == "Moi"
    assert [c.name for c in replaced.live_cellules()] == ["Sienne"] and report.removed == (m1.id,)
    assert snapshot.live_cellules()[0].name == "Mienne"  # the adapters keep this to undo


def test_orphan_ateliers_and_unknown_nodes_are_refused_with_state_untouched():
    import pytest

    from app.core.errors import CellulesError

    mine = new("Moi", 19)
    doc = {"version": "1.0", "instanceId": "Cother00", "exportedAt": "2026-06-01T00:00:00Z", "cellules": [],
           "ateliers": [{"id": "a1", "celluleId": "nowhere", "title": "t", "startsAt": "2026-07-01T18:00:00Z",
                         "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z",
                         "origin": "Cother00"}]}
    with pytest.raises(CellulesError) as err:
        merge.merge(mine, document.read_document(document.check_document(doc)), now_ms=T0)
    assert (err.value.code, err.value.params) == ("atelier.orphan", {"id": "a1", "cellule": "nowhere"})
    other, _ = add(new("Autre", 20), "x", T0, 93, node="871fa4c5bffffff")
    with pytest.raises(CellulesError) as err:
        merge.merge(mine, export(other), now_ms=T0, known_nodes={"871fa4c58ffffff"})
    assert (err.value.code, err.value.params) == ("node.unknown", {"node": "871fa4c5bffffff"})
    assert isinstance(mine.cellules, type(mine.cellules)) and mine.cellules == {}


def _names(state):
    return sorted(c.name for c in state.live_cellules())


def test_cellule_dataclass_is_what_merge_returns():
    a, _ = add(new("A", 21), "x", T0, 94)
    assert all(isinstance(c, Cellule) for c in imp(new("B", 22), a).cellules.values())
    random.seed(0)


@given(three, st.randoms(use_true_random=False))
def test_reusing_held_records_reads_the_same_records_as_building_them(abc, rnd):
    """read_document(held=state) reuses records the state holds unchanged: it must give exactly
    what building every record gives (values, clocks, history, provenance)."""
    a, b, c = abc
    b = imp(b, c)  # b holds c's records (via c)
    a = imp(imp(a, b), c)  # a holds most of them already
    if a.cellules and rnd.random() < 0.5:  # and has edited one since
        cid = rnd.choice(sorted(c.id for c in a.live_cellules()) or [None])
        if cid:
            a, _ = actions.edit(a, "cellule", cid, {"name": "Renommée ici"}, now_ms=T0 + 2 * 10**7)
    doc = document.parse_text(document.dumps(document.to_document(b, now_ms=T0 + 10**7)))
    built = document.read_document(doc)
    reused = document.read_document(doc, held=a)
    for kind in ("cellules", "ateliers"):
        assert getattr(reused, kind) == getattr(built, kind)


def test_held_records_are_reused_not_rebuilt_and_a_changed_one_is_rebuilt():
    alice, cid = add(new("Alice", 41), "Cellule Jardin", T0, 42)
    alice, _ = add(alice, "Cellule Vélo", T0 + 1, 43)
    doc = document.parse_text(document.dumps(document.to_document(alice, now_ms=T0 + 10)))
    reused = document.read_document(doc, held=alice)
    assert all(reused.cellules[k] is alice.cellules[k] for k in alice.cellules)  # the very objects
    edited, _ = actions.edit(alice, "cellule", cid.id, {"name": "Jardin"}, now_ms=T0 + 20)
    again = document.read_document(doc, held=edited)
    assert again.cellules[cid.id] is not edited.cellules[cid.id]
    assert again.cellules[cid.id].name == "Cellule Jardin"
