"""Who wrote what: no file from a peer can make a record, a value or a history entry read as this
instance's own, nor make up a conflict (app/core/merge.py, `_screen` and the theory at its top).

Laws (Hypothesis) over tampered files, then one example per attack: records planted « written by
me », edits and history entries stamped with my node, conflict flags on invented values, marks
naming someone else than the sender, a flood of marks, a tampered device list, a forced undo."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import NODES, NOW, T0, doc_of, export, rand, read, states

from app.core import actions, merge
from app.core.clock import format_ms
from app.core.model import HistoryEntry

THIRD = "Cthird00"  # an instance that never sent a file here


def imp(state, other, now=NOW):
    return merge.merge(state, export(other), now_ms=now)[0]


def new(name, seed):
    return actions.new_state(name=name, random_bytes=rand(seed))


def add(state, name, now, seed, **values):
    return actions.create_cellule(state, {"nodeId": NODES[0], "name": name, **values}, now_ms=now,
                                  random_bytes=rand(seed))


def stamp(ms, node):
    return f"{format_ms(ms)}-0000-{node}"


def node(s):
    return s[-8:]


def records(state):
    return {("cellule", r.id): r for r in state.cellules.values()} | {("atelier", r.id): r for r in
                                                                       state.ateliers.values()}


def held_write(before, key, record, field):
    """`record`'s value of `field` is the very write `before` holds (same value, same stamp)."""
    old = records(before).get(key)
    return old is not None and old.stamp(field) == record.stamp(field) and old.value(field) == record.value(field)


def assert_nothing_reads_as_mine(before, after):
    """The identity laws: what `after` (an import into `before`) shows as this instance's own is
    exactly what `before` did."""
    mine = before.own_nodes
    assert after.own_nodes == mine and after.devices == before.devices
    own_before = {k for k, r in records(before).items() if r.origin in mine}
    own_after = {k for k, r in records(after).items() if r.origin in mine}
    assert own_after == own_before  # no record « written by me » appears
    for key, record in records(after).items():
        for field, s in record.clock.items():
            if node(s) in mine:  # a value « by you » is one this instance wrote (held before)
                assert held_write(before, key, record, field), (key, field, s)
        old = records(before).get(key)
        for entry in record.history:
            if node(entry.clock) in mine:  # a history entry « by you » was held here already
                assert old is not None and (entry in old.history or (
                    old.stamp(entry.field) == entry.clock and old.value(entry.field) == entry.value)), entry


def new_marks(before, after):
    return {k: m for k, m in after.marks.items() if before.marks.get(k) != m}


# --- laws -----------------------------------------------------------------------------------------

TAMPERS = ("origin", "stamp_ahead", "stamp_behind", "history_mine", "flag_all", "history_third", "new_record",
           "devices")


@settings(max_examples=60, deadline=None)
@given(states(name="Alice"), states(name="Evil"), st.lists(st.sampled_from(TAMPERS), min_size=1, max_size=5),
       st.randoms(use_true_random=False))
def test_no_file_from_a_peer_makes_anything_read_as_mine(a, e, tampers, rnd):
    """Law: whatever a peer's file claims (my origin, my stamp node ahead of or behind mine, history
    entries in my name, conflict flags everywhere, a device list naming itself), after the import
    (merge or replace) no record, value or history entry reads as mine that did not before, and
    my devices are unchanged."""
    e = imp(e, a)  # the peer holds my records, so it can send them back tampered
    me = a.instance_id
    doc = doc_of(e)
    items = doc["cellules"] + doc["ateliers"]
    for tamper in tampers:
        for i, item in enumerate(items):
            if rnd.random() < 0.5:
                continue
            keys = [k for k in item if k in ("name", "description", "contact", "title", "place", "nodeId")]
            if tamper == "origin":
                item["origin"] = me
            elif tamper in ("stamp_ahead", "stamp_behind") and keys:
                at = NOW - 10 if tamper == "stamp_ahead" else T0 - 10**6
                clock = item.setdefault("sync", {}).get("clock") or stamp(T0, item["origin"])
                clock = {"*": clock} if isinstance(clock, str) else dict(clock)
                clock[rnd.choice(keys)] = stamp(at, me)
                item["sync"]["clock"] = clock
                if tamper == "stamp_ahead" and "name" in item:
                    item["name"] = f"Piraté {i}"
                item["updatedAt"] = max(item["updatedAt"], format_ms(at))
            elif tamper in ("history_mine", "history_third") and "name" in item:
                who = me if tamper == "history_mine" else THIRD
                entry = {"field": "name", "value": f"Inventé {i}", "clock": stamp(T0 - 5, who), "conflict": True}
                item.setdefault("sync", {}).setdefault("history", [])
                item["sync"]["history"] = [entry, *item["sync"]["history"]][:20]
            elif tamper == "flag_all":
                for entry in (item.get("sync") or {}).get("history", []):
                    entry["conflict"] = True
    for item in items:  # keep the file readable: a history entry is never newer than its field's stamp
        sync = item.get("sync") or {}
        clock = sync.get("clock")
        if sync.get("history") and isinstance(clock, dict):
            sync["history"] = [h for h in sync["history"] if h["clock"] <= clock.get(h["field"], clock["*"])]
    if "new_record" in tampers:
        planted = copy.deepcopy(doc["cellules"][0]) if doc["cellules"] else None
        if planted is not None:
            planted.update(id="cplanted0000000001", origin=me, name="Plantée")
            planted.pop("sync", None)
            doc["cellules"].append(planted)
    if "devices" in tampers:
        doc["sync"] = {**doc.get("sync", {}), "device": me, "devices": [e.instance_id, me]}
    incoming = read(doc)
    merged, report = merge.merge(a, incoming, now_ms=NOW)
    assert_nothing_reads_as_mine(a, merged)
    assert all(e.instance_id in m.peers for m in new_marks(a, merged).values())  # the sender is named
    assert len(new_marks(a, merged)) <= merge.MAX_MARKS_PER_IMPORT
    replaced, _ = merge.replace(a, incoming, now_ms=NOW)
    assert_nothing_reads_as_mine(a, replaced)
    # preview and merge agree on what is refused
    refused = {p.id for p in merge.preview(a, incoming, now_ms=NOW) if p.status == "refused"}
    assert refused == set(report.refused)


@settings(max_examples=40, deadline=None)
@given(states(name="Alice"), states(name="Bob"), st.booleans(), st.randoms(use_true_random=False))
def test_history_and_flags_alone_never_make_a_conflict(a, b, third, rnd):
    """Law: a file whose values are all ones we hold (only its history differs: entries flagged as
    conflicts, by a third party or in my name, values invented) creates no conflict and no mark."""
    b = imp(b, a)
    doc = doc_of(b)
    for item in doc["cellules"] + doc["ateliers"]:
        sync = item.setdefault("sync", {})
        for entry in sync.get("history", []):
            entry["conflict"] = True
        field = "name" if "name" in item else "title"
        who = THIRD if third else a.instance_id
        sync["history"] = [{"field": field, "value": f"Inventé {rnd.random()}", "clock": stamp(T0 - 1, who),
                            "conflict": True}, *sync.get("history", [])][:20]
    merged, report = merge.merge(a, read(doc), now_ms=NOW)
    assert report.conflicts == () and report.conflict_details == () and merged.marks == a.marks
    assert not any(p.status == "conflict" for p in merge.preview(a, read(doc), now_ms=NOW))
    assert_nothing_reads_as_mine(a, merged)


@settings(max_examples=30, deadline=None)
@given(states(name="Alice"), states(name="Bob"), st.lists(st.sampled_from(["sources", "origin", "names"]),
                                                          min_size=1, max_size=3))
def test_a_backup_s_device_list_never_names_another_instance(a, b, where):
    """Law: restoring my backup whose `sync.devices` was tampered to list instances it knows as
    others (a source, an author, a named peer) records none of them as my devices."""
    a = imp(a, b)
    doc = doc_of(a)
    doc["sync"] = {**doc.get("sync", {}), "devices": [b.instance_id, THIRD, "Cdevice1"]}
    if "names" in where:
        doc["peerNames"] = {THIRD: "Troisième"}
    restored, _ = merge.restore_backup(new("Neuf", 9), read(doc), now_ms=NOW, device_seed=rand("d"))
    others = {b.instance_id} | ({THIRD} if "names" in where else set())
    assert not (set(restored.devices) & others) and "Cdevice1" in restored.devices
    assert restored.instance_id == a.instance_id
    assert {r.id for r in restored.cellules.values() if r.origin == a.instance_id} == \
        {r.id for r in a.cellules.values() if r.origin == a.instance_id}  # my own records stay mine


# --- examples: one per attack ------------------------------------------------------------------------

def alice_and_evil():
    alice, c = add(new("Alice", 1), "Jardin", T0, 11, description="départ")
    evil = imp(new("Evil", 2), alice)
    return alice, evil, c


def test_a_record_planted_as_mine_is_credited_to_its_sender_everywhere():
    alice, evil, _ = alice_and_evil()
    doc = doc_of(evil)
    planted = {"id": "cplanted00000000a", "nodeId": NODES[1], "name": "Plantée", "createdAt": format_ms(T0),
               "updatedAt": format_ms(T0 + 5), "origin": alice.instance_id, "deleted": False}
    doc["cellules"].append(planted)
    incoming = read(doc)
    plan = next(p for p in merge.preview(alice, incoming, now_ms=NOW) if p.id == planted["id"])
    assert (plan.status, plan.reason) == ("new", "identity.self")
    assert "compté comme écrit par" in plan.reason_text("fr") and "Evil" in plan.reason_text("fr")
    merged, report = merge.merge(alice, incoming, now_ms=NOW)
    record = merged.cellules[planted["id"]]
    assert record.origin == evil.instance_id and merged.is_federated(record)  # FÉDÉRÉ
    assert merge.author_label(merged, record) == "par Evil"
    assert report.reattributed == (planted["id"],) and report.to_json()["reattributed"] == [planted["id"]]
    assert report.summary("en").endswith("; 1 item presented as yours counted as written by “Evil”.")
    # « Supprimer cette source » takes it back
    dropped, _ = merge.drop_source(merged, evil.instance_id, now_ms=NOW)
    assert planted["id"] not in dropped.cellules
    # my next export carries it as Evil's: a third instance reads « par Evil »
    carla = imp(new("Carla", 3), merged)
    assert merge.author_label(carla, carla.cellules[planted["id"]]) == "par Evil, via Alice"


def test_a_planted_record_stamped_with_my_node_is_refused():
    alice, evil, _ = alice_and_evil()
    doc = doc_of(evil)
    doc["cellules"].append({"id": "cplanted00000000b", "nodeId": NODES[1], "name": "Plantée",
                            "createdAt": format_ms(T0), "updatedAt": format_ms(T0 + 5), "origin": evil.instance_id,
                            "deleted": False, "sync": {"clock": stamp(T0 + 5, alice.instance_id)}})
    merged, report = merge.merge(alice, read(doc), now_ms=NOW)
    assert "cplanted00000000b" not in merged.cellules
    assert [(r.id, r.code) for r in report.refusals] == [("cplanted00000000b", "identity.stamp")]


def forge_edit(state, peer, cid, at, node_id, **values):
    """`peer`'s export where cellule `cid` carries `values` stamped `at` by `node_id`."""
    doc = doc_of(peer)
    item = next(c for c in doc["cellules"] if c["id"] == cid)
    clock = item["sync"]["clock"]
    clock = {"*": clock} if isinstance(clock, str) else dict(clock)
    for key, value in values.items():
        item[key] = value
        clock[key] = stamp(at, node_id)
    item["sync"]["clock"] = clock
    item["updatedAt"] = max(item["updatedAt"], format_ms(at))
    return read(doc)


def test_an_edit_of_my_cellule_stamped_with_my_node_is_refused_and_my_value_stays():
    alice, evil, c = alice_and_evil()
    incoming = forge_edit(alice, evil, c.id, NOW - 10, alice.instance_id, name="Piraté")
    plan = next(p for p in merge.preview(alice, incoming, now_ms=NOW) if p.id == c.id)
    assert (plan.status, plan.reason) == ("refused", "identity.stamp")
    assert plan.reason_text("fr").endswith("votre version est gardée")
    merged, report = merge.merge(alice, incoming, now_ms=NOW)
    assert merged.cellules[c.id] == alice.cellules[c.id] and merged.marks == {}
    assert report.refused == (c.id,) and "1 refusé" in report.summary("fr")


def test_an_older_value_stamped_with_my_node_loses_without_going_to_history():
    alice, c = add(new("Alice", 1), "Jardin", T0 + 1000, 11)
    evil = imp(new("Evil", 2), alice)
    incoming = forge_edit(alice, evil, c.id, T0 + 10, alice.instance_id, name="Ancien faux")
    merged, report = merge.merge(alice, incoming, now_ms=NOW)
    assert merged.cellules[c.id].name == "Jardin" and report.refused == ()
    assert all(h.value != "Ancien faux" for h in merged.cellules[c.id].history)


def test_history_entries_in_my_name_on_a_foreign_record_are_dropped():
    alice = new("Alice", 1)
    bob, theirs = add(new("Bob", 2), "Vélo", T0, 12)
    doc = doc_of(bob)
    forged = stamp(T0 - 1, alice.instance_id)
    doc["cellules"][0]["sync"]["history"] = [{"field": "name", "value": "Écrit par « vous »", "clock": forged},
                                             {"field": "name", "value": "Faux conflit", "clock": forged,
                                              "conflict": True}]
    merged, _ = merge.merge(alice, read(doc), now_ms=NOW)
    assert merged.cellules[theirs.id].history == ()
    with pytest.raises(merge.MergeError) as err:  # « Rétablir cette valeur » has nothing to make mine
        actions.restore_value(merged, "cellule", theirs.id, "name", forged, now_ms=NOW + 1)
    assert err.value.code == "history.unknown"


def test_a_conflict_flag_on_an_invented_value_makes_no_conflict():
    alice, evil, c = alice_and_evil()
    alice, _ = actions.edit(alice, "cellule", c.id, {"description": "texte d'Alice"}, now_ms=T0 + 100)
    evil = imp(evil, alice)  # Evil holds my latest value: nothing concurrent
    for who, at in ((THIRD, T0 + 50), (evil.instance_id, T0 - 10)):
        # a third party's « lost » value, or Evil's own older than the value my edit replaced
        doc = doc_of(evil)
        doc["cellules"][0]["sync"]["history"] = [
            {"field": "description", "value": "Inventé", "clock": stamp(at, who), "conflict": True}]
        merged, report = merge.merge(alice, read(doc), now_ms=NOW)
        assert report.conflicts == () and merged.marks == {}
        assert all(h.value != "Inventé" or not h.conflict for h in merged.cellules[c.id].history)


def test_a_value_the_sender_lost_concurrently_is_still_told():
    """The other side of the flag rule: the sender's own value, written after the value my edit
    replaced and lost to mine over there, is a real concurrent edit — told, naming the sender."""
    alice, evil, c = alice_and_evil()
    alice, _ = actions.edit(alice, "cellule", c.id, {"description": "texte d'Alice"}, now_ms=T0 + 200)
    evil, _ = actions.edit(evil, "cellule", c.id, {"description": "texte d'Evil"}, now_ms=T0 + 100)
    evil, _ = merge.merge(evil, export(alice), now_ms=NOW)  # mine wins there; Evil's value lost a conflict
    merged, report = merge.merge(alice, export(evil), now_ms=NOW + 1)
    assert report.conflicts == (c.id,) and merge.mark_text(merged, merged.mark("cellule", c.id)) == \
        "modifié aussi par Evil"
    (conflict,) = report.conflict_details
    assert (conflict.peer, conflict.sender, conflict.lost) == (evil.instance_id, evil.instance_id, "texte d'Evil")


def test_a_stamp_with_a_known_peers_node_makes_the_mark_name_the_sender_too():
    alice, evil, c = alice_and_evil()
    carla = new("Carla", 3)
    alice = imp(alice, carla)  # Carla is a known peer here
    evil = imp(evil, carla)
    alice, _ = actions.edit(alice, "cellule", c.id, {"description": "texte d'Alice"}, now_ms=T0 + 100)
    incoming = forge_edit(alice, evil, c.id, T0 + 200, carla.instance_id, description="Au nom de Carla")
    merged, report = merge.merge(alice, incoming, now_ms=NOW)
    mark = merged.mark("cellule", c.id)
    assert set(mark.peers) == {carla.instance_id, evil.instance_id}
    assert sorted(merge.mark_text(merged, mark).removeprefix("modifié aussi par ").split(", ")) == ["Carla", "Evil"]
    (conflict,) = report.conflict_details
    assert (conflict.peer, conflict.sender) == (carla.instance_id, evil.instance_id)


def test_one_file_puts_at_most_the_cap_of_marks():
    n = merge.MAX_MARKS_PER_IMPORT + 10
    alice = new("Alice", 1)
    ids = []
    for i in range(n):
        alice, c = add(alice, f"Cellule {i}", T0, f"c{i}")
        ids.append(c.id)
    evil = imp(new("Evil", 2), alice)
    for i, cid in enumerate(ids):
        alice, _ = actions.edit(alice, "cellule", cid, {"description": f"Alice {i}"}, now_ms=T0 + 100)
        evil, _ = actions.edit(evil, "cellule", cid, {"description": f"Evil {i}"}, now_ms=T0 + 200)
    merged, report = merge.merge(alice, export(evil), now_ms=NOW)
    assert len(report.conflicts) == n and len(report.conflict_details) == n  # every conflict is told
    assert len(merged.marks) == merge.MAX_MARKS_PER_IMPORT
    assert set(k[1] for k in merged.marks) == set(sorted(ids)[:merge.MAX_MARKS_PER_IMPORT])
    assert all(h.value == f"Alice {ids.index(cid)}" for cid in ids for h in merged.cellules[cid].history
               if h.conflict)  # the values that lost are in history, marked or not


def test_a_document_without_clocks_editing_my_record_is_the_senders_write():
    alice, c = add(new("Alice", 1), "Jardin", T0, 11)
    other = {"version": "1.0", "instanceId": "Cother00", "exportedAt": format_ms(NOW),
             "cellules": [{"id": c.id, "nodeId": c.node_id, "name": "Renommé ailleurs", "createdAt": c.created_at,
                           "updatedAt": format_ms(NOW - 10), "origin": alice.instance_id}], "ateliers": []}
    merged, report = merge.merge(alice, read(other), now_ms=NOW)
    record = merged.cellules[c.id]
    assert record.name == "Renommé ailleurs" and node(record.stamp("name")) == "Cother00"
    assert record.origin == alice.instance_id and report.updated == (c.id,) and merged.marks == {}
    assert HistoryEntry(field="name", value="Jardin", clock=c.stamp("name")) in record.history


# --- devices of one identity -------------------------------------------------------------------------

def test_my_devices_concurrent_edits_and_a_peer_claiming_to_be_one_of_them():
    alice, c = add(new("Alice", 1), "Jardin", T0, 11, description="départ")
    phone, _ = merge.restore_backup(new("x", 4), export(alice), now_ms=T0 + 10, device_seed=rand("phone"))
    assert phone.devices == () and phone.own_nodes == {alice.instance_id, phone.device}
    alice, _ = actions.edit(alice, "cellule", c.id, {"description": "sur l'ordinateur"}, now_ms=T0 + 100)
    phone, _ = actions.edit(phone, "cellule", c.id, {"description": "sur le téléphone"}, now_ms=T0 + 200)
    carla = imp(new("Carla", 3), phone)
    # the first device does not know the phone's node: its edit is a concurrent one like any other
    merged, report = merge.merge(alice, export(carla), now_ms=NOW)
    assert report.conflicts == (c.id,) and merged.cellules[c.id].description == "sur le téléphone"
    assert merge.mark_text(merged, merged.mark("cellule", c.id)) == "modifié aussi par Carla"
    # a peer's file whose instance is one of my devices is mine: refused as a whole
    doc = doc_of(carla)
    doc["instanceId"] = phone.device
    with pytest.raises(merge.MergeError) as err:
        merge.merge(phone, read(doc), now_ms=NOW)
    assert err.value.code == "import.self"


def test_a_peers_file_never_adds_devices():
    alice, evil, c = alice_and_evil()
    doc = doc_of(evil)
    doc["sync"] = {**doc.get("sync", {}), "device": "Cdevice9", "devices": [evil.instance_id]}
    merged, _ = merge.merge(alice, read(doc), now_ms=NOW)
    assert merged.own_nodes == alice.own_nodes and merged.devices == ()


def test_restoring_my_own_backup_keeps_my_records_and_history_mine():
    alice, c = add(new("Alice", 1), "Jardin", T0, 11)
    alice, _ = actions.edit(alice, "cellule", c.id, {"name": "Jardin partagé"}, now_ms=T0 + 5)
    phone, report = merge.restore_backup(new("x", 4), export(alice), now_ms=NOW, device_seed=rand("p"))
    assert report.refused == () and phone.cellules == alice.cellules
    assert not phone.is_federated(phone.cellules[c.id])
    assert all(node(h.clock) in phone.own_nodes for h in phone.cellules[c.id].history)
