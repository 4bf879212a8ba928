"""Every device of a group is told apart in its backups, the one that created the group included:
its first full export gives it a stamp node of its own (actions.stamp_full_export), kept in the
state. So a backup of any device of the group, imported on any other, is « votre autre appareil »
(merge.from_other_device) — never the device's own file (`import.self`), never FÉDÉRÉ — and a
device's own backup imported on itself is still refused whole."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import NODES, NOW, T0, doc_of, rand, read

from app.core import actions, document, merge
from app.core.model import DELETED


def full_backup(state, now_ms):
    """« Tout exporter » as the app and the CLI make it: the export is stamped first, then written."""
    state = actions.stamp_full_export(state, now_ms)
    return state, read(doc_of(state, now=now_ms))


def group_with_one_cellule():
    alice = actions.new_state(name="Mon groupe", random_bytes=rand("créateur"))
    alice, jardin = actions.create_cellule(alice, {"nodeId": NODES[0], "name": "Jardin", "description": "départ"},
                                           now_ms=T0, random_bytes=rand("jardin"))
    return alice, jardin.id


def restored(backup, seed, now_ms):
    empty = actions.new_state(name="vide", random_bytes=rand(f"vide {seed}"))
    state, report = merge.restore_backup(empty, backup, now_ms=now_ms, device_seed=rand(f"appareil {seed}"))
    assert report.refused == ()
    return state


def test_the_creating_device_backup_on_a_phone_restored_from_it_is_your_other_device():
    laptop, rid = group_with_one_cellule()
    laptop, backup = full_backup(laptop, T0 + 10)
    assert laptop.device == actions.first_device_id(laptop.instance_id) != laptop.instance_id
    assert backup.local_sync["device"] == laptop.device
    phone = restored(backup, 1, T0 + 20)
    assert phone.device not in (laptop.device, laptop.instance_id)
    laptop, _ = actions.edit(laptop, "cellule", rid, {"description": "sur l'ordinateur"}, now_ms=T0 + 30)
    assert laptop.cellules[rid].stamp("description")[-8:] == laptop.device
    laptop, later = full_backup(laptop, T0 + 40)
    assert merge.from_other_device(phone, later)
    merged, report = merge.merge(phone, later, now_ms=NOW)
    assert report.updated == (rid,) and report.refused == ()
    assert merged.cellules[rid].description == "sur l'ordinateur"
    assert not merged.is_federated(merged.cellules[rid]) and merged.sources == {}
    assert merged.devices == phone.devices
    # the phone's backup on the laptop likewise; each device's own backup on itself stays refused
    phone, _ = actions.edit(merged, "cellule", rid, {"name": "Jardin du téléphone"}, now_ms=T0 + 50)
    phone, from_phone = full_backup(phone, T0 + 60)
    back, report = merge.merge(laptop, from_phone, now_ms=NOW)
    assert report.updated == (rid,) and back.cellules[rid].name == "Jardin du téléphone"
    for state, own in ((laptop, later), (phone, from_phone)):
        with pytest.raises(merge.MergeError) as err:
            merge.merge(state, own, now_ms=NOW)
        assert err.value.code == "import.self"


def test_a_state_stored_without_a_device_node_loads_and_gets_one_at_its_first_full_export():
    alice, rid = group_with_one_cellule()
    assert alice.device == alice.instance_id  # a device that has never exported: as stored before
    stored = document.dumps_state(alice, now_ms=T0 + 1)
    assert '"device"' not in stored
    loaded = document.loads_state(stored)
    assert loaded.device == loaded.instance_id and loaded.cellules == alice.cellules
    exported = actions.stamp_full_export(loaded, T0 + 2)
    again = document.loads_state(document.dumps_state(exported, now_ms=T0 + 3))
    assert again.device == actions.first_device_id(alice.instance_id) and again.own_nodes >= {alice.instance_id}
    assert actions.stamp_full_export(again, T0 + 4).device == again.device  # given once, then kept
    edited, _ = actions.edit(again, "cellule", rid, {"name": "Jardin 2"}, now_ms=T0 + 5)
    assert edited.cellules[rid].stamp("name")[-8:] == again.device


OPS = st.lists(st.one_of(st.tuples(st.just("restore"), st.integers(0, 7)),
                         st.tuples(st.just("edit"), st.integers(0, 7), st.sampled_from(("name", "description"))),
                         st.tuples(st.just("create"), st.integers(0, 7)),
                         st.tuples(st.just("export"), st.integers(0, 7))),
               max_size=7)


@settings(max_examples=30, deadline=None)
@given(OPS)
def test_law_a_backup_of_any_device_of_a_group_on_any_other_is_restored_or_merged_as_your_other_device(ops):
    """Law: a group created on one device, restored onto new devices (from any device, at any depth),
    with edits, new cellules and full exports on each. A full backup of any device imported on any
    other device of the group is merged as « votre autre appareil »: not refused as the device's own
    (`import.self`), no record turned FÉDÉRÉ or given a source, no record held there lost, every
    change it brings to a record held there taken (no `identity.stamp`), only the records it does not
    hold refused (`identity.other_device`), no device learnt. On a new, empty device it restores
    whole. A device's own backup imported on itself is refused whole (`import.self`)."""
    creator, rid = group_with_one_cellule()
    creator, backup = full_backup(creator, T0 + 1)
    devices = [creator, restored(backup, "premier", T0 + 2)]
    for step, op in enumerate(ops):
        now = T0 + 100 * (step + 1)
        i = op[1] % len(devices)
        if op[0] == "restore":
            devices[i], backup = full_backup(devices[i], now)
            devices.append(restored(backup, step, now + 1))
        elif op[0] == "edit":
            devices[i], _ = actions.edit(devices[i], "cellule", rid, {op[2]: f"{op[2]} {step} sur {i}"}, now_ms=now)
        elif op[0] == "create":
            devices[i], _ = actions.create_cellule(devices[i], {"nodeId": NODES[step % len(NODES)],
                                                                "name": f"Ajout {step}"},
                                                   now_ms=now, random_bytes=rand(f"ajout {step}"))
        else:
            devices[i], _ = full_backup(devices[i], now)
    nodes = [d.device for d in devices]
    assert len(set(nodes)) == len(nodes) and creator.instance_id not in nodes  # every device told apart
    for i, sender in enumerate(devices):
        _, file = full_backup(sender, NOW - 10)
        whole = restored(file, f"law {i}", NOW)
        assert merge.visible(whole) == merge.visible(sender)
        for j, receiver in enumerate(devices):
            if i == j:
                with pytest.raises(merge.MergeError) as err:
                    merge.merge(receiver, file, now_ms=NOW)
                assert err.value.code == "import.self"
                continue
            assert merge.from_other_device(receiver, file)
            merged, report = merge.merge(receiver, file, now_ms=NOW)
            not_held = sorted(set(file.cellules) - set(receiver.cellules))
            assert sorted(report.refused + report.skipped) == not_held  # created there: offered, left aside
            assert {r.code for r in report.refusals} <= {"identity.other_device"}
            assert set(merged.cellules) == set(receiver.cellules)
            assert merged.sources == receiver.sources and merged.own_nodes == receiver.own_nodes
            for cid, local in receiver.cellules.items():
                record = merged.cellules[cid]
                assert not merged.is_federated(record) and record.via == ()
                assert record.live == local.live or cid in file.cellules
                remote = file.cellules.get(cid)
                if remote is not None:
                    for key in (*local.keys(), DELETED):
                        assert record.stamp(key) == max(local.stamp(key), remote.stamp(key))
