"""Issue 12, merge semantics: what a file may not do to the data held here.

Laws (Hypothesis) and scenarios: identity is immutable, drop-source never takes a record created
here, one implausible record never blocks a file, a concurrent edit is visible on both sides,
history keeps real entries, undo reverts only its operation, a backup restores as yourself."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import NODES, NOW, T0, doc_of, export, rand, read, states

from app.core import actions, document, merge
from app.core.clock import Timestamp, format_ms
from app.core.errors import CellulesError
from app.core.model import Cellule, HistoryEntry, Mark, bound_history
from app.core.undo import apply_undo, make_undo, plan_undo, undo_from_json, undo_to_json

DAY = 86_400_000


def imp(state, other, now=NOW, kind="full"):
    return merge.merge(state, export(other, kind), now_ms=now)[0]


def new(name, seed):
    return actions.new_state(name=name, random_bytes=rand(seed))


def add(state, name, now, seed, node=NODES[0], **values):
    return actions.create_cellule(state, {"nodeId": node, "name": name, **values}, now_ms=now, random_bytes=rand(seed))


def atelier(state, cellule_id, title, now, seed):
    return actions.create_atelier(state, {"celluleId": cellule_id, "title": title,
                                          "startsAt": "2026-03-01T18:00:00Z"}, now_ms=now, random_bytes=rand(seed))


def identity(state):
    return {(k, r.id): (r.id, r.origin, r.created_at) for k in ("cellules", "ateliers")
            for r in getattr(state, k).values()}


# --- identity is immutable ----------------------------------------------------------------------

@settings(max_examples=40)
@given(states(name="Alice"), states(name="Bob"), st.randoms(use_true_random=False))
def test_merge_never_changes_id_origin_or_created_at_of_a_held_record(a, b, rnd):
    """Law: whatever a peer's file claims, records held here keep their id, origin and createdAt."""
    b = imp(b, a)  # Bob holds Alice's records too
    doc = doc_of(b)
    forged_ids = set()
    for item in doc["cellules"] + doc["ateliers"]:
        if rnd.random() < 0.5:
            forged_ids.add(item["id"])
            if rnd.random() < 0.5:
                item["origin"] = b.instance_id
            else:
                item["createdAt"] = "2020-01-01T00:00:00.000Z"
    before = identity(a)
    incoming = read(doc)
    plans = {p.id: p for p in merge.preview(a, incoming, now_ms=NOW)}
    merged, report = merge.merge(a, incoming, now_ms=NOW)
    for key, ident in before.items():
        assert identity(merged)[key] == ident
    for rid in forged_ids & {rid for _k, rid in before}:
        changed = next(r for r in (*incoming.cellules.values(), *incoming.ateliers.values()) if r.id == rid)
        held = a.cellules.get(rid) or a.ateliers.get(rid)
        if (changed.origin, changed.created_at) != (held.origin, held.created_at):
            assert plans[rid].status == "refused" and plans[rid].reason.startswith("identity.")
            assert rid in report.refused
    mine = {c.id for c in a.cellules.values() if c.origin == a.instance_id}
    assert not any(merged.is_federated(merged.cellules[cid]) for cid in mine)


def test_a_copy_of_my_cellule_with_another_origin_is_refused_with_a_reason_and_the_rest_imports():
    alice, mine = add(new("Alice", 1), "Ma cellule", T0, 11)
    bob, theirs = add(new("Bob", 2), "Sa cellule", T0, 12)
    doc = doc_of(bob)
    stolen = copy.deepcopy(document.record_to_json(mine))
    stolen.update(origin=bob.instance_id, createdAt="2025-01-01T00:00:00.000Z", name="Volée")
    stolen["sync"] = {"clock": f"{format_ms(T0 + 500)}-0000-{bob.instance_id}"}
    doc["cellules"].append(stolen)
    incoming = read(doc)
    plans = {p.id: p for p in merge.preview(alice, incoming, now_ms=NOW)}
    assert plans[mine.id].status == "refused" and plans[mine.id].reason == "identity.origin"
    assert "écrit par" in plans[mine.id].reason_text("fr") and plans[theirs.id].status == "new"
    merged, report = merge.merge(alice, incoming, now_ms=NOW)
    assert merged.cellules[mine.id] == alice.cellules[mine.id] and not merged.is_federated(merged.cellules[mine.id])
    assert report.refused == (mine.id,) and report.refusals[0].code == "identity.origin"
    assert report.added == (theirs.id,) and "1 refusé" in report.summary("fr")
    # and « Supprimer cette source » then leaves my cellule alone
    dropped, _ = merge.drop_source(merged, bob.instance_id, now_ms=NOW)
    assert mine.id in dropped.cellules and theirs.id not in dropped.cellules


@settings(max_examples=30)
@given(st.tuples(states(name="Alice"), states(name="Bob"), states(name="Carla")),
       st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)), max_size=6))
def test_drop_source_never_removes_a_record_created_here_nor_leaves_an_orphan(abc, exchanges):
    peers = list(abc)
    for src, dst in exchanges + [(1, 0), (2, 0), (0, 1), (1, 2)]:
        if src != dst:
            peers[dst] = imp(peers[dst], peers[src])
    for state in peers:
        for source in list(state.sources):
            dropped, _ = merge.drop_source(state, source, now_ms=NOW)
            for kind in ("cellules", "ateliers"):
                own = {rid for rid, r in getattr(state, kind).items() if r.origin == state.instance_id}
                assert own <= set(getattr(dropped, kind))
                also = {rid for rid, r in getattr(state, kind).items() if set(r.via) - {source}}
                assert also <= set(getattr(dropped, kind))  # another source gave it too
            assert all(a.cellule_id in dropped.cellules for a in dropped.ateliers.values()
                       if a.cellule_id in state.cellules)


def test_drop_source_keeps_a_cellule_that_holds_an_atelier_made_here():
    alice, c = add(new("Alice", 3), "Jardin", T0, 13)
    bob = imp(new("Bob", 4), alice)
    bob, mine = atelier(bob, c.id, "Mon atelier", T0 + 10, 14)
    assert merge.source_footprint(bob, alice.instance_id) == ([], [])
    dropped, report = merge.drop_source(bob, alice.instance_id, now_ms=NOW)
    assert c.id in dropped.cellules and mine.id in dropped.ateliers and report.removed == ()


# --- clocks -------------------------------------------------------------------------------------

def test_one_record_stamped_days_ahead_is_refused_alone_and_does_not_drag_the_clock():
    bob, ok = add(new("Bob", 5), "Normale", T0, 15)
    bob, ahead = add(bob, "Du futur", T0 + 1, 16)
    doc = doc_of(bob)
    far = f"{format_ms(NOW + 3 * DAY)}-0000-{bob.instance_id}"
    for item in doc["cellules"]:
        if item["id"] == ahead.id:
            item["sync"]["clock"] = far
            item["updatedAt"] = far[:24]
    doc["sync"] = {"clock": far}
    incoming = read(doc)
    alice = new("Alice", 6)
    plans = {p.id: p for p in merge.preview(alice, incoming, now_ms=NOW)}
    assert plans[ahead.id].status == "refused" and plans[ahead.id].reason == "clock.future"
    assert "futur" in plans[ahead.id].reason_text() and plans[ok.id].status == "new"
    merged, report = merge.merge(alice, incoming, now_ms=NOW)
    assert set(merged.cellules) == {ok.id} and report.refused == (ahead.id,)
    assert Timestamp.parse(merged.clock).millis <= NOW + merge.MAX_AHEAD_MS and merged.clock < far
    # the next export of Alice is fine for a third peer whose clock is right
    carla = new("Carla", 7)
    assert not merge.merge(carla, export(merged), now_ms=NOW)[1].refused


def test_a_record_ahead_but_within_the_bound_imports_and_a_later_local_edit_still_wins():
    bob, c = add(new("Bob", 8), "Cellule", T0, 17)
    alice = imp(new("Alice", 9), bob)
    doc = doc_of(bob)
    soon = f"{format_ms(NOW + 3_600_000)}-0000-{bob.instance_id}"  # an hour ahead: a wrong time zone
    doc["cellules"][0]["name"] = "Renommée en avance"
    doc["cellules"][0]["sync"]["clock"] = {"*": doc["cellules"][0]["sync"]["clock"], "name": soon}
    alice = merge.merge(alice, read(doc), now_ms=NOW)[0]
    assert alice.cellules[c.id].name == "Renommée en avance"
    alice, edited = actions.edit(alice, "cellule", c.id, {"name": "Mon nom"}, now_ms=NOW + 1)
    assert edited.stamp("name") > soon and edited.name == "Mon nom"


# --- conflicts on both sides -----------------------------------------------------------------------

def concurrent_pair():
    alice, c = add(new("Alice", 20), "Cellule", T0, 21, description="départ")
    bob = imp(new("Bob", 22), alice)
    alice, _ = actions.edit(alice, "cellule", c.id, {"description": "texte d'Alice"}, now_ms=T0 + 100)
    bob, _ = actions.edit(bob, "cellule", c.id, {"description": "texte de Bob"}, now_ms=T0 + 200)
    return alice, bob, c


def test_a_concurrent_edit_is_a_conflict_on_the_winning_side_too():
    alice, bob, c = concurrent_pair()
    # Bob's edit is later: importing Alice's file, Bob keeps his text — and is told
    item = next(p for p in merge.preview(bob, export(alice), now_ms=NOW) if p.id == c.id)
    assert item.status == "conflict"
    (change,) = item.changes
    assert (change.field, change.old, change.new, change.conflict, change.winner) == \
        ("description", "texte de Bob", "texte d'Alice", True, "local")
    bob2, report = merge.merge(bob, export(alice), now_ms=NOW)
    assert bob2.cellules[c.id].description == "texte de Bob" and report.conflicts == (c.id,)
    (conflict,) = report.conflict_details
    assert (conflict.winner, conflict.kept, conflict.lost, conflict.peer) == \
        ("local", "texte de Bob", "texte d'Alice", alice.instance_id)
    assert any(h.value == "texte d'Alice" for h in bob2.cellules[c.id].history)
    mark = bob2.mark("cellule", c.id)
    assert mark.fields == ("description",) and merge.mark_text(bob2, mark) == "modifié aussi par Alice"
    # Alice's side: Bob's text wins, hers goes to history; marked too
    item = next(p for p in merge.preview(alice, export(bob), now_ms=NOW) if p.id == c.id)
    assert item.status == "conflict" and item.changes[0].winner == "incoming"
    alice2, _ = merge.merge(alice, export(bob), now_ms=NOW)
    assert alice2.cellules[c.id].description == "texte de Bob"
    assert merge.mark_text(alice2, alice2.mark("cellule", c.id), "en") == "also edited by Bob"
    # Alice restores her text from history: a new edit, which then wins at Bob's too
    lost = next(h for h in alice2.cellules[c.id].history if h.value == "texte d'Alice")
    alice3, restored = actions.restore_value(alice2, "cellule", c.id, lost.field, lost.clock, now_ms=NOW + 1)
    assert restored.description == "texte d'Alice"
    assert merge.merge(bob2, export(alice3), now_ms=NOW + 2)[0].cellules[c.id].description == "texte d'Alice"


def test_the_side_whose_edit_lost_is_told_even_when_the_winner_imported_first():
    """Bob imports Alice's file first (his later text wins, he is told); Alice then imports Bob's
    merged file: her text is in Bob's history — but as a value that lost a conflict there, not one
    Bob saw before writing: Alice is told too, and can restore her text."""
    alice, bob, c = concurrent_pair()
    bob2, _ = merge.merge(bob, export(alice), now_ms=NOW)
    lost = next(h for h in bob2.cellules[c.id].history if h.value == "texte d'Alice")
    assert lost.conflict and doc_of(bob2)["cellules"][0]["sync"]["history"][0]["conflict"] is True
    item = next(p for p in merge.preview(alice, export(bob2), now_ms=NOW + 1) if p.id == c.id)
    assert item.status == "conflict" and (item.changes[0].conflict, item.changes[0].winner) == (True, "incoming")
    alice2, report = merge.merge(alice, export(bob2), now_ms=NOW + 1)
    assert report.conflicts == (c.id,) and merge.mark_text(alice2, alice2.mark("cellule", c.id)) == \
        "modifié aussi par Bob"
    assert alice2.cellules[c.id].description == bob2.cellules[c.id].description == "texte de Bob"
    # told once: acknowledged, the same file again changes nothing and marks nothing
    seen = actions.acknowledge(alice2, "cellule", c.id)
    again, report = merge.merge(seen, export(bob2), now_ms=NOW + 2)
    assert again.marks == {} and report.conflicts == ()
    # a value Bob overwrote after seeing it is still not a conflict for its writer
    bob3, _ = actions.edit(bob2, "cellule", c.id, {"name": "Renommée par Bob"}, now_ms=NOW + 3)
    alice3, report = merge.merge(again, export(bob3), now_ms=NOW + 4)
    assert report.conflicts == () and alice3.cellules[c.id].name == "Renommée par Bob"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["alice", "bob"]), min_size=2, max_size=6).filter(lambda s: len(set(s)) == 2))
def test_a_concurrent_edit_is_told_on_both_sides_whatever_the_order_of_exchanges(order):
    """Law: when two sides edit one field concurrently, once each has imported the other's file
    (in any order, any number of times), each holds a mark for it, and both hold the same value."""
    alice, bob, c = concurrent_pair()
    sides = {"alice": alice, "bob": bob}
    for i, who in enumerate(order):
        other = sides["bob" if who == "alice" else "alice"]
        sides[who] = merge.merge(sides[who], export(other, now=NOW + i), now_ms=NOW + i)[0]
    assert sides["alice"].mark("cellule", c.id) is not None and sides["bob"].mark("cellule", c.id) is not None
    assert sides["alice"].cellules[c.id].description == sides["bob"].cellules[c.id].description


def test_marks_last_until_acknowledged_survive_a_reload_and_never_travel():
    alice, bob, c = concurrent_pair()
    bob2, _ = merge.merge(bob, export(alice), now_ms=NOW)
    reloaded = document.loads_state(document.dumps_state(bob2, now_ms=NOW))
    assert reloaded == bob2 and reloaded.mark("cellule", c.id) is not None
    assert "marks" not in doc_of(bob2, kind="cellules").get("sync", {})
    carla = merge.merge(new("Carla", 23), export(bob2), now_ms=NOW)[0]
    assert carla.marks == {}
    seen = actions.acknowledge(bob2, "cellule", c.id)
    assert seen.marks == {} and seen.cellules == bob2.cellules
    assert document.loads_state(document.dumps_state(seen, now_ms=NOW)).marks == {}


def test_an_edit_made_after_seeing_the_other_value_is_not_a_conflict():
    alice, c = add(new("Alice", 24), "Cellule", T0, 25)
    bob = imp(new("Bob", 26), alice)
    bob, _ = actions.edit(bob, "cellule", c.id, {"name": "Corrigé par Bob"}, now_ms=T0 + 100)
    item = next(p for p in merge.preview(alice, export(bob), now_ms=NOW) if p.id == c.id)
    assert item.status == "changed" and not item.changes[0].conflict
    assert merge.merge(alice, export(bob), now_ms=NOW)[0].marks == {}


def test_a_third_instance_relaying_both_edits_converges_whichever_order():
    alice, bob, c = concurrent_pair()
    carla = new("Carla", 27)
    one = imp(imp(carla, alice), bob)
    two = imp(imp(carla, bob), alice)
    assert merge.visible(one) == merge.visible(two)
    assert one.cellules[c.id].description == "texte de Bob"


# --- history --------------------------------------------------------------------------------------

def test_history_junk_cannot_push_real_entries_out():
    alice, c = add(new("Alice", 30), "v0", T0, 31, description="d0")
    for i in range(1, 4):
        alice, _ = actions.edit(alice, "cellule", c.id, {"name": f"v{i}", "description": f"d{i}"}, now_ms=T0 + i)
    real = alice.cellules[c.id].history
    assert {h.value for h in real} == {"v0", "v1", "v2", "d0", "d1", "d2"}
    doc = doc_of(alice)
    doc["instanceId"] = "Cjunk000"
    stamp = alice.cellules[c.id].stamp("name")
    # plausible-looking junk (older stamps, valid values): the reader accepts it, merge must not let it
    # push out what we hold
    doc["cellules"][0]["sync"]["history"] = [
        {"field": "name", "value": f"spam {i}", "clock": f"{format_ms(T0 - 1 - i)}-0000-Cjunk000"} for i in range(20)]
    bob = imp(new("Bob", 32), alice)
    held = merge.merge(bob, read(doc), now_ms=NOW)[0].cellules[c.id]
    assert bob.cellules[c.id].history == real and set(real) <= set(held.history)  # what we held stays
    fresh = merge.merge(new("Carla", 33), read(doc), now_ms=NOW)[0].cellules[c.id]
    assert sum(1 for h in fresh.history if h.field == "name") == 5  # a newcomer: bounded per field
    # entries that cannot be real are refused on the way in (document.py), naming the place
    doc["cellules"][0]["sync"]["history"] = [
        {"field": "name", "value": "pub", "clock": f"{format_ms(NOW + 300 * DAY)}-0000-Cjunk000"}]
    with pytest.raises(CellulesError) as err:
        read(doc)
    assert "history" in str(err.value) and stamp < f"{format_ms(NOW + 300 * DAY)}"
    # records built in code go through the same rule: junk is dropped, real entries stay
    junk = [HistoryEntry(field="name", value="pub", clock=f"{format_ms(NOW + 300 * DAY)}-0000-Cjunk000"),
            HistoryEntry(field="name", value="", clock=stamp), *real]
    assert bound_history(Cellule, junk, alice.cellules[c.id].clock) == real


@given(st.lists(st.tuples(st.sampled_from(["name", "description", "contact", "nope"]), st.text(max_size=5),
                          st.integers(0, 40), st.booleans()), max_size=40), st.randoms(use_true_random=False))
def test_bound_history_is_a_function_of_the_set_of_entries(raw, rnd):
    """Law: order does not matter and bounding twice changes nothing (merge stays commutative);
    an entry is a conflict when any of its copies says so."""
    clock = {k: f"{format_ms(T0 + 20)}-0000-Caaaaaaa" for k in Cellule.keys()}
    entries = [HistoryEntry(field=f, value=v, clock=f"{format_ms(T0 + ms)}-0000-Cbbbbbbb", conflict=x)
               for f, v, ms, x in raw]
    once = bound_history(Cellule, entries, clock)
    shuffled = list(entries)
    rnd.shuffle(shuffled)
    assert bound_history(Cellule, shuffled, clock) == once == bound_history(Cellule, once, clock)
    flags = [h.conflict for h in once]  # not part of equality: compared apart
    assert [h.conflict for h in bound_history(Cellule, shuffled, clock)] == flags
    assert flags == [any(e.conflict for e in entries if e == h) for h in once]
    assert len(once) <= 20 and all(h.clock <= clock[h.field] for h in once)


# --- undo: only the import --------------------------------------------------------------------------

def scenario():
    alice, shared = add(new("Alice", 40), "Partagée", T0, 41)
    bob = imp(new("Bob", 42), alice)
    bob, b1 = add(bob, "De Bob", T0 + 10, 43)
    bob, _ = actions.edit(bob, "cellule", shared.id, {"description": "ajout de Bob"}, now_ms=T0 + 20)
    alice, other = add(alice, "Autre", T0 + 30, 44)
    return alice, bob, shared, b1, other


def test_undo_reverts_the_import_and_keeps_what_was_done_since():
    alice, bob, shared, b1, other = scenario()
    before = alice
    after, report = merge.merge(alice, export(bob), now_ms=NOW)
    u = make_undo(before, after, action="merge", label="Bob", at=report.at)
    assert {r.id for r in u.records} == {b1.id, shared.id}  # small: only what the import touched
    later, mine = add(after, "Créée après", NOW + 1, 45)
    later, _ = actions.edit(later, "cellule", other.id, {"contact": "apres@x.be"}, now_ms=NOW + 2)
    assert plan_undo(later, u).lost == ()
    undone, rep = apply_undo(later, u, now_ms=NOW + 3)
    assert b1.id not in undone.cellules and undone.cellules[shared.id] == before.cellules[shared.id]
    assert undone.cellules[mine.id] == later.cellules[mine.id]
    assert undone.cellules[other.id].contact == "apres@x.be"
    assert bob.instance_id not in undone.sources and rep.action == "undo"


def test_undo_that_would_lose_a_later_edit_says_what_and_asks():
    alice, bob, shared, b1, _ = scenario()
    after, _ = merge.merge(alice, export(bob), now_ms=NOW)
    u = make_undo(alice, after, action="merge")
    later, _ = actions.edit(after, "cellule", b1.id, {"description": "complétée ici"}, now_ms=NOW + 1)
    later, at = atelier(later, b1.id, "Atelier ajouté", NOW + 2, 46)
    plan = plan_undo(later, u)
    assert {(loss.kind, loss.id, loss.field) for loss in plan.lost} == \
        {("cellule", b1.id, "description"), ("atelier", at.id, None)}
    with pytest.raises(merge.MergeError) as err:
        apply_undo(later, u, now_ms=NOW + 3)
    assert err.value.code == "undo.would_lose" and "De Bob" in str(err.value)
    forced, report = apply_undo(later, u, now_ms=NOW + 3, force=True)
    assert b1.id not in forced.cellules and at.id not in forced.ateliers  # no orphan left behind
    # the summary tells the truth: what was done since on those two is gone, not « gardé »
    assert report.lost == tuple(sorted((b1.id, at.id))) and report.to_json()["lost"] == list(report.lost)
    assert report.summary("en") == \
        "Undone: 1 cellule and 1 workshop removed, 1 cellule put back as before; what you had done since the " \
        "import on 2 items is lost, the rest is kept."
    assert "est perdu" in report.summary("fr") and "est gardé." in report.summary("fr")
    _, kept = apply_undo(after, u, now_ms=NOW + 3)  # nothing written since: nothing lost, as before
    assert kept.lost == () and kept.summary("en").endswith("what you did since is kept.")


def test_two_imports_then_undo_of_the_first_keeps_the_second():
    alice, bob, shared, b1, _ = scenario()
    carla, c1 = add(new("Carla", 47), "De Carla", T0, 48)
    one, _ = merge.merge(alice, export(bob), now_ms=NOW)
    u1 = make_undo(alice, one, action="merge")
    two, _ = merge.merge(one, export(carla), now_ms=NOW + 1)
    undone, _ = apply_undo(two, u1, now_ms=NOW + 2)
    assert c1.id in undone.cellules and carla.instance_id in undone.sources
    assert b1.id not in undone.cellules and bob.instance_id not in undone.sources


def test_undo_of_replace_and_of_drop_source_and_its_json_round_trip():
    alice, bob, shared, b1, other = scenario()
    replaced, report = merge.replace(alice, export(bob), now_ms=NOW)
    assert other.id in report.removed
    u = undo_from_json(undo_to_json(make_undo(alice, replaced, action="replace")))
    back, _ = apply_undo(replaced, u, now_ms=NOW + 1)
    assert back.cellules == alice.cellules and back.sources == alice.sources
    merged, _ = merge.merge(alice, export(bob), now_ms=NOW)
    dropped, _ = merge.drop_source(merged, bob.instance_id, now_ms=NOW + 1)
    u = undo_from_json(undo_to_json(make_undo(merged, dropped, action="drop-source")))
    assert apply_undo(dropped, u, now_ms=NOW + 2)[0].cellules == merged.cellules
    other_instance = new("Zoé", 49)
    with pytest.raises(merge.MergeError):
        apply_undo(other_instance, u, now_ms=NOW)
    with pytest.raises(merge.MergeError) as err:
        undo_from_json('{"format": "cellules-fwb-undo", "version": 1, "records": [{}]}')
    assert err.value.code == "undo.unreadable"


@settings(max_examples=40)
@given(states(name="Alice"), states(name="Bob"), st.data())
def test_undo_right_after_an_import_gives_back_exactly_the_state_before(a, b, data):
    """Law: apply_undo(after, make_undo(before, after)) == before (records, sources, marks), and an
    edit made after the import to a record that existed before survives the undo."""
    b = imp(b, a)
    if b.live_cellules() and data.draw(st.booleans()):
        cid = data.draw(st.sampled_from([c.id for c in b.live_cellules()]))
        b, _ = actions.edit(b, "cellule", cid, {"name": "Bob était là"}, now_ms=T0 + 10**6)
    after, _ = merge.merge(a, export(b), now_ms=NOW)
    u = undo_from_json(undo_to_json(make_undo(a, after, action="merge")))
    undone, _ = apply_undo(after, u, now_ms=NOW)
    for name in ("cellules", "ateliers", "sources", "marks"):
        assert getattr(undone, name) == getattr(a, name)
    held = [c.id for c in a.live_cellules() if c.id in after.cellules and after.cellules[c.id].live]
    if held:
        cid = data.draw(st.sampled_from(held))
        later, _ = actions.edit(after, "cellule", cid, {"contact": "plus-tard@x.be"}, now_ms=NOW + 5)
        kept, _ = apply_undo(later, u, now_ms=NOW + 6)
        assert kept.cellules[cid].contact == "plus-tard@x.be"
    # cellules (and their ateliers) created after the import stay, and nothing asks
    later, made = add(after, "Créée ensuite", NOW + 7, "later")
    later, at = atelier(later, made.id, "Atelier ensuite", NOW + 8, "later-a")
    assert plan_undo(later, u).lost == ()
    kept, _ = apply_undo(later, u, now_ms=NOW + 9)
    assert kept.cellules[made.id] == made and kept.ateliers[at.id] == at


# --- « Remplacer » shows what goes --------------------------------------------------------------------

def test_replace_preview_lists_what_would_be_removed_with_counts():
    alice, bob, shared, b1, other = scenario()
    plans = merge.preview(alice, export(bob), mode="replace", now_ms=NOW)
    by_id = {p.id: p for p in plans}
    assert by_id[other.id].status == "removed" and by_id[b1.id].status == "new"
    counts = merge.preview_counts(plans)
    assert counts["removed"] == 1 and counts["new"] == 1 and counts["changed"] == 1
    assert plans[0].status == "removed"  # removals are listed first (« Remplacer » resolves no conflict)
    assert set(merge.replace(alice, export(bob), now_ms=NOW)[1].removed) == {other.id}


# --- restore a backup as yourself ------------------------------------------------------------------

def backup_of_alice():
    alice, bob, shared, b1, other = scenario()
    alice, _ = actions.edit(alice, "cellule", shared.id, {"description": "version d'Alice"}, now_ms=T0 + 50)
    alice, _ = merge.merge(alice, export(bob), now_ms=NOW)  # a conflict: marked
    return alice, shared, b1


def test_restore_backup_takes_the_identity_own_records_stay_own_sources_history_marks_kept():
    alice, shared, b1 = backup_of_alice()
    assert alice.marks
    phone = new("Mon instance", 50)
    restored, report = merge.restore_backup(phone, export(alice), now_ms=NOW + 10, device_seed=rand("phone"))
    assert (restored.instance_id, restored.instance_name) == (alice.instance_id, alice.instance_name)
    assert not restored.is_federated(restored.cellules[shared.id]) and restored.is_federated(restored.cellules[b1.id])
    assert merge.author_label(restored, restored.cellules[b1.id]) == "par Bob"
    assert restored.sources == alice.sources and restored.marks == alice.marks
    assert restored.cellules == alice.cellules and restored.ateliers == alice.ateliers
    assert restored.device not in (alice.instance_id, phone.instance_id) and report.action == "restore"
    top = max(s for r in alice.cellules.values() for s in r.clock.values())
    assert restored.clock > top
    again = document.loads_state(document.dumps_state(restored, now_ms=NOW + 11))
    assert again == restored  # the device tag survives a reload


def test_restored_device_and_old_device_never_issue_the_same_stamp_and_peers_converge():
    alice, shared, _ = backup_of_alice()
    phone = merge.restore_backup(new("x", 51), export(alice), now_ms=NOW, device_seed=rand("p"))[0]
    same_ms = NOW + 1000
    old, a = actions.edit(alice, "cellule", shared.id, {"name": "Vieux téléphone"}, now_ms=same_ms)
    phone, b = actions.edit(phone, "cellule", shared.id, {"name": "Nouveau téléphone"}, now_ms=same_ms)
    assert a.stamp("name") != b.stamp("name") and b.stamp("name").endswith(phone.device)
    carla = new("Carla", 52)
    one = merge.merge(merge.merge(carla, export(old), now_ms=same_ms)[0], export(phone), now_ms=same_ms)[0]
    two = merge.merge(merge.merge(carla, export(phone), now_ms=same_ms)[0], export(old), now_ms=same_ms)[0]
    assert merge.visible(one) == merge.visible(two)
    # the restored device's own export and the old one's are refused by each other (same identity)
    with pytest.raises(merge.MergeError):
        merge.merge(phone, export(old), now_ms=same_ms)
    # a peer's file that carries the phone's edit of an own record: still ours on the phone side
    back = merge.merge(phone, export(one), now_ms=same_ms)[0]
    assert not back.is_federated(back.cellules[shared.id])


def test_restore_refuses_a_non_empty_instance_and_a_file_that_is_not_a_full_backup():
    alice, _, _ = backup_of_alice()
    busy, _ = add(new("Occupée", 53), "x", T0, 54)
    with pytest.raises(merge.MergeError) as err:
        merge.restore_backup(busy, export(alice), now_ms=NOW, device_seed=rand(1))
    assert err.value.code == "restore.not_empty"
    with pytest.raises(merge.MergeError) as err:
        merge.restore_backup(new("Vide", 55), export(alice, kind="cellules"), now_ms=NOW, device_seed=rand(1))
    assert err.value.code == "restore.not_backup" and "Fusionner" in err.value.message("fr")


def test_old_documents_without_device_or_marks_read_as_before():
    alice, c = add(new("Alice", 56), "Ancienne", T0, 57)
    doc = doc_of(alice)
    assert set(doc.get("sync", {})) <= {"clock", "lastFullExportAt"}  # nothing new written for an old instance
    state = document.state_from_document(doc)
    assert state.device == state.instance_id and state.marks == {} and state.devices == ()


def test_mark_and_local_sync_values_are_checked():
    from app.core.errors import ValidationError
    from app.core.model import local_sync_from_json

    with pytest.raises(ValidationError):
        Mark(kind="cellule", id="c1", peers=("pas-un-id",), fields=("name",), at="2026-01-01T00:00:00Z")
    with pytest.raises(ValidationError):
        Mark(kind="cellule", id="c1", peers=("Cbbbbbbb",), fields=("title",), at="2026-01-01T00:00:00Z")
    with pytest.raises(ValidationError):
        local_sync_from_json({"marks": "x"}, "Caaaaaaa")
    assert local_sync_from_json({}, "Caaaaaaa")["device"] == "Caaaaaaa"


@settings(max_examples=30)
@given(st.tuples(states(name="Alice"), states(name="Bob")), st.lists(st.booleans(), max_size=4), st.data())
def test_every_state_a_merge_leaves_reopens_exactly_and_reimports_into_a_fresh_instance(ab, edits, data):
    """Law: merge, marks, undo and restore leave a state whose backup reads back equal, and whose
    backup restores (or merges) into a new instance."""
    a, b = ab
    b = imp(b, a)
    for i, both in enumerate(edits):  # concurrent edits: conflicts and marks on both sides
        shared = sorted(set(a.cellules) & set(b.cellules))
        live = [cid for cid in shared if a.cellules[cid].live and b.cellules[cid].live]
        if not live:
            break
        cid = data.draw(st.sampled_from(live))
        a, _ = actions.edit(a, "cellule", cid, {"description": f"A{i}"}, now_ms=T0 + 10**6 + i)
        if both:
            b, _ = actions.edit(b, "cellule", cid, {"description": f"B{i}"}, now_ms=T0 + 10**6 + i)
    merged, _ = merge.merge(a, export(b), now_ms=NOW)
    text = document.dumps_state(merged, now_ms=NOW)
    assert document.loads_state(text) == merged
    undone, _ = apply_undo(merged, make_undo(a, merged, action="merge"), now_ms=NOW, force=True)
    assert document.loads_state(document.dumps_state(undone, now_ms=NOW)) == undone
    restored, _ = merge.restore_backup(new("Neuf", 60), document.read_document(document.parse_text(text)),
                                       now_ms=NOW, device_seed=rand("d"))
    assert document.loads_state(document.dumps_state(restored, now_ms=NOW)) == restored
    assert merge.visible(restored) == merge.visible(merged)
    fresh, _ = merge.merge(new("Autre", 61), export(merged), now_ms=NOW)
    assert merge.visible(fresh) == merge.visible(merged)
