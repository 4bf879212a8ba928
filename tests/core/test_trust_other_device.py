"""Two devices of one group restored from one backup exchange their files directly
(merge.from_other_device): a concurrent edit is a conflict on both devices, the losing value stays
in history and can be restored; and a file claiming to be our other device is trusted with nothing
of our identity — it changes only what we hold, never as us, never adds a record or a device."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import NODES, NOW, T0, export, rand

from app.core import actions, document, merge
from app.core.clock import Timestamp
from app.core.model import HistoryEntry


def new(name, seed):
    return actions.new_state(name=name, random_bytes=rand(seed))


def laptop_and_phone():
    """Alice's group with two cellules, restored from one backup on a laptop and on a phone."""
    alice, jardin = actions.create_cellule(new("Alice", 1), {"nodeId": NODES[0], "name": "Jardin",
                                                               "description": "départ"},
                                           now_ms=T0, random_bytes=rand("c"))
    alice, _ = actions.create_cellule(alice, {"nodeId": NODES[1], "name": "Repair café"}, now_ms=T0 + 1,
                                      random_bytes=rand("d"))
    backup = export(alice)
    laptop, _ = merge.restore_backup(new("x", 2), backup, now_ms=T0 + 10, device_seed=rand("laptop"))
    phone, _ = merge.restore_backup(new("y", 3), backup, now_ms=T0 + 10, device_seed=rand("phone"))
    return laptop, phone, jardin.id


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 10**6), st.integers(1, 10**6), st.booleans())
def test_law_concurrent_edits_between_my_devices_are_a_conflict_on_both(t1, t2, laptop_first):
    """Law: the laptop and the phone edit one field concurrently, then each imports the other's
    backup (either first). Both end with the same value; each is told (report, mark « modifié aussi
    par votre autre appareil »), whichever side won; the losing value is in both histories,
    flagged, and « Rétablir » brings it back as a new edit of this device."""
    laptop, phone, rid = laptop_and_phone()
    laptop, _ = actions.edit(laptop, "cellule", rid, {"description": "portable"}, now_ms=T0 + 10 + t1)
    phone, _ = actions.edit(phone, "cellule", rid, {"description": "téléphone"}, now_ms=T0 + 10 + t2)
    sent = {"laptop": export(laptop), "phone": export(phone)}
    order = ["laptop", "phone"] if laptop_first else ["phone", "laptop"]
    after = {}
    for me in order:
        state, other = (laptop, "phone") if me == "laptop" else (phone, "laptop")
        merged, report = merge.merge(state, sent[other], now_ms=NOW)
        assert report.conflicts == (rid,) and report.refused == ()
        assert merge.mark_text(merged, merged.mark("cellule", rid)) == "modifié aussi par votre autre appareil"
        assert merge.mark_text(merged, merged.mark("cellule", rid), "en") == "also edited by your other device"
        after[me] = merged
    values = {s.cellules[rid].description for s in after.values()}
    assert len(values) == 1
    winner = values.pop()
    loser = ({"portable", "téléphone"} - {winner}).pop()
    for state in after.values():
        record = state.cellules[rid]
        assert [h.value for h in record.history if h.conflict] == [loser]
        assert state.devices == () and not state.is_federated(record) and record.via == ()
        entry = next(h for h in record.history if h.value == loser)
        back, _ = actions.restore_value(state, "cellule", rid, "description", entry.clock, now_ms=NOW + 1)
        assert back.cellules[rid].description == loser
        assert back.cellules[rid].stamp("description")[-8:] == state.device


def test_a_record_my_other_device_made_is_offered_not_planted_as_mine():
    """Unticked (no `adopt`), it is left aside: nothing of it stored (tests/core/test_other_device_created.py)."""
    laptop, phone, rid = laptop_and_phone()
    phone, made = actions.create_cellule(phone, {"nodeId": NODES[2], "name": "Nouvelle"}, now_ms=T0 + 50,
                                         random_bytes=rand("n"))
    plans = merge.preview(laptop, export(phone), now_ms=NOW)
    offered = [p for p in plans if p.status in ("refused", "offered")]
    assert [(p.id, p.status, p.reason) for p in offered] == [(made.id, "offered", "device.created")]
    assert offered[0].reason_text().startswith("créé sur votre autre appareil, d’après le fichier")
    merged, report = merge.merge(laptop, export(phone), now_ms=NOW)
    assert made.id not in merged.cellules and report.refused == () and report.skipped == (made.id,)
    assert merged.sources == laptop.sources and merged.devices == laptop.devices


def test_a_file_claiming_my_identity_cannot_write_as_me():
    """A forged backup « from my other device » (my instance id, a made-up device node): records it
    brings that I do not hold are refused (never mine); a change stamped with one of my own nodes
    is refused ("identity.stamp"); its `sync.devices` is not learnt; history in my name is dropped."""
    laptop, _phone, rid = laptop_and_phone()
    doc = document.to_document(laptop, now_ms=NOW)
    doc["sync"] = {"device": "Cevil000", "devices": ["Cevil000", "Cevil111"]}

    def stamp(ms, node):
        return str(Timestamp(millis=T0 + ms, counter=0, node=node))

    forged = [dict(c) for c in doc["cellules"]]
    held = next(c for c in forged if c["id"] == rid)
    held["description"] = "forgé en mon nom"
    held["sync"] = {"clock": {"*": held["sync"]["clock"], "description": stamp(900, laptop.device)}}
    planted = {**held, "id": "planted", "name": "Planté", "sync": {"clock": stamp(100, "Cevil000")}}
    planted.pop("description")
    doc["cellules"] = [*forged, planted]
    incoming = document.read_document(document.parse_text(document.dumps(doc)), held=laptop)
    assert merge.from_other_device(laptop, incoming)
    merged, report = merge.merge(laptop, incoming, now_ms=NOW)
    assert "planted" not in merged.cellules
    assert merged.cellules[rid] == laptop.cellules[rid]
    assert {r.id: r.code for r in report.refusals} == {rid: "identity.stamp"}
    assert report.skipped == ("planted",)  # offered, unticked: nothing proves it, the user alone may vouch
    assert merged.devices == laptop.devices and merged.own_nodes == laptop.own_nodes
    # an edit with its own node is a change by another writer, never « par vous »
    held["sync"] = {"clock": {"*": held["sync"]["clock"]["*"], "description": stamp(900, "Cevil000")},
                    "history": [{"field": "name", "value": "Ancien", "clock": stamp(-5, laptop.device)}]}
    doc["cellules"] = forged
    merged, report = merge.merge(laptop, document.read_document(document.parse_text(document.dumps(doc)),
                                                                held=laptop), now_ms=NOW)
    record = merged.cellules[rid]
    assert record.description == "forgé en mon nom" and record.stamp("description")[-8:] == "Cevil000"
    assert HistoryEntry(field="name", value="Ancien", clock=stamp(-5, laptop.device)) \
        not in record.history
    assert not merged.is_federated(record) and record.via == () and merged.sources == laptop.sources


def test_a_file_of_this_device_or_naming_a_known_group_as_device_is_still_refused_whole():
    laptop, phone, _rid = laptop_and_phone()
    for doc in (document.to_document(laptop, now_ms=NOW),  # my own backup
                {**document.to_document(laptop, now_ms=NOW), "sync": {}}):  # no device: the first device's
        incoming = document.read_document(document.parse_text(document.dumps(doc)))
        try:
            merge.merge(laptop, incoming, now_ms=NOW)
        except merge.MergeError as err:
            assert err.code == "import.self"
        else:
            raise AssertionError("imported")
    bob = new("Bob", 9)
    known, _ = merge.merge(laptop, export(bob), now_ms=NOW)
    doc = {**document.to_document(phone, now_ms=NOW), "sync": {"device": bob.instance_id}}
    incoming = document.read_document(document.parse_text(document.dumps(doc)))
    assert not merge.from_other_device(known, incoming)


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 3), st.lists(st.booleans(), min_size=3, max_size=3))
def test_law_a_backup_of_any_device_of_the_group_restores_whole_on_a_new_device(depth, adds):
    """Law: a backup made on a device that was itself restored (at any depth, after edits and new cellules
    there) restores whole on a new, empty device: every record taken, nothing refused, each still the
    group's own, the same visible data as the device that made the backup."""
    laptop, _phone, rid = laptop_and_phone()
    device = laptop
    for step in range(depth):
        device, _ = actions.edit(device, "cellule", rid, {"description": f"étape {step}"}, now_ms=T0 + 100 + step)
        if adds[step]:
            device, _ = actions.create_cellule(device, {"nodeId": NODES[step % len(NODES)], "name": f"Ajout {step}"},
                                               now_ms=T0 + 150 + step, random_bytes=rand(f"a{step}"))
        device, report = merge.restore_backup(new("vide", 10 + step), export(device), now_ms=T0 + 200 + step,
                                              device_seed=rand(f"d{step}"))
        assert report.refused == () and report.refusals == ()
        assert not any(device.is_federated(c) for c in device.cellules.values())
    assert device.instance_id == laptop.instance_id
    assert device.cellules[rid].description == f"étape {depth - 1}"
    assert len(device.live_cellules()) == 2 + sum(adds[:depth])
