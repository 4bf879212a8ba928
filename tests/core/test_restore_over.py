"""« Restaurer cette sauvegarde » on a phone that already holds something (app.core.restore_over): the phone
becomes the group's other device exactly as an empty phone restoring the backup does; what it held is
counted in the report; undoing brings it back exactly as it was, identity included; what was written
since the restore is named before the undo takes it. Restore and undo reports count each kind in words."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import NODES, NOW, T0, export, rand, states

from app.core import actions, merge, restore_over, undo
from app.core.errors import MergeError
from app.core.report import Report


def office_backup():
    """« Asso Nord »: two cellules and an atelier, its full backup."""
    office = actions.new_state(name="Asso Nord", random_bytes=rand("office"))
    office, jardin = actions.create_cellule(office, {"nodeId": NODES[0], "name": "Jardin"}, now_ms=T0,
                                            random_bytes=rand("jardin"))
    office, _ = actions.create_cellule(office, {"nodeId": NODES[1], "name": "Verger"}, now_ms=T0 + 1,
                                       random_bytes=rand("verger"))
    office, _ = actions.create_atelier(office, {"celluleId": jardin.id, "title": "Semis",
                                                "startsAt": "2026-03-01T18:00:00Z"}, now_ms=T0 + 2,
                                       random_bytes=rand("semis"))
    office = actions.stamp_full_export(office, T0 + 3)
    return office, export(office)


def phone_with_a_test_cellule():
    phone = actions.new_state(name="Mon association", random_bytes=rand("phone"))
    phone, test = actions.create_cellule(phone, {"nodeId": NODES[2], "name": "Essai"}, now_ms=T0,
                                         random_bytes=rand("essai"))
    return phone, test


def through_storage(before, after, now_ms=NOW):
    """The undo as the browser stores it and reads it back."""
    u = restore_over.make_restore_undo(before, after, label="Asso Nord", at="2026-01-28T12:00:00.000Z")
    return restore_over.restore_undo_from_json(restore_over.restore_undo_to_json(u, now_ms=now_ms))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(phone=states(name="Mon association", max_ops=6), group=states(name="Asso Nord", max_ops=8),
       seed=st.integers(0, 2**16))
def test_restore_then_undo_is_the_phone_as_it_was_identity_included(phone, group, seed):
    backup = export(group)
    if not restore_over.can_restore_over(phone, backup):
        assert merge.is_empty(phone)
        return
    restored, report = restore_over.restore_over(phone, backup, now_ms=NOW, device_seed=rand(seed))
    # the group's other device, exactly as an empty phone restoring the backup is
    empty = actions.new_state(name="vide", random_bytes=rand(f"empty-{seed}"))
    assert restored == merge.restore_backup(empty, backup, now_ms=NOW, device_seed=rand(seed))[0]
    assert restored.instance_id == group.instance_id and restored.device != group.instance_id
    assert report.undoable and report.removed == tuple(sorted(
        r.id for table in (phone.cellules, phone.ateliers) for r in table.values() if r.live))
    assert report.kinds(report.added) == (len(backup.cellules), len(backup.ateliers))
    assert report.kinds(report.removed) == restore_over.held(phone)
    back, undone = restore_over.apply_restore_undo(restored, through_storage(phone, restored), now_ms=NOW + 1)
    assert back == phone  # records, sources, marks, clock, id, name, device, devices, export date
    assert undone.lost == () and undone.kinds(undone.added) == restore_over.held(phone)


def test_the_report_counts_each_kind_and_names_what_was_replaced():
    _office, backup = office_backup()
    phone, _test = phone_with_a_test_cellule()
    assert restore_over.held(phone) == (1, 0)
    restored, report = restore_over.restore_over(phone, backup, now_ms=NOW, device_seed=rand("device"))
    assert report.summary("fr") == (
        "Sauvegarde de «\u00a0Asso Nord\u00a0» restaurée\u00a0: 2 cellules et 1 atelier, cet appareil est maintenant "
        "«\u00a0Asso Nord\u00a0»\u00a0; ce qu’il contenait avant (1 cellule) est remplacé.")
    assert report.summary("en") == ("Backup of “Asso Nord” restored: 2 cellules and 1 workshop, this device is now "
                                    "“Asso Nord”; what it held before (1 cellule) is replaced.")
    # what the journal keeps reads back as the same report
    kept = report.to_json()
    assert kept["atelierIds"] == list(report.atelier_ids) and kept["undoable"] is True
    back, undone = restore_over.apply_restore_undo(restored, through_storage(phone, restored), now_ms=NOW + 1)
    assert back == phone and undone.kinds(undone.added) == (1, 0) and undone.kinds(undone.removed) == (2, 1)


def test_what_was_written_since_the_restore_is_named_before_the_undo_takes_it():
    _office, backup = office_backup()
    phone, _test = phone_with_a_test_cellule()
    restored, _ = restore_over.restore_over(phone, backup, now_ms=NOW, device_seed=rand("device"))
    later, _ = actions.create_cellule(restored, {"nodeId": NODES[3], "name": "Après"}, now_ms=NOW + 5,
                                      random_bytes=rand("après"))
    u = through_storage(phone, restored)
    with pytest.raises(MergeError) as refused:
        restore_over.apply_restore_undo(later, u, now_ms=NOW + 6)
    assert refused.value.code == "undo.would_lose"
    assert "«\u00a0Après\u00a0»" in refused.value.message("fr")
    back, undone = restore_over.apply_restore_undo(later, u, now_ms=NOW + 6, force=True)
    assert back == phone and len(undone.lost) == 1
    # an undo of another group than the one on the device changes nothing
    other = actions.new_state(name="Autre", random_bytes=rand("autre"))
    with pytest.raises(MergeError) as wrong:
        restore_over.apply_restore_undo(other, u, now_ms=NOW + 6)
    assert wrong.value.code == "undo.other_instance"


def test_offered_only_for_the_full_backup_of_a_group_this_device_is_not():
    office, backup = office_backup()
    phone, _ = phone_with_a_test_cellule()
    assert restore_over.can_restore_over(phone, backup)
    assert not restore_over.can_restore_over(phone, export(office, kind="cellules"))  # not a backup
    assert not restore_over.can_restore_over(office, backup)  # already that group
    empty = actions.new_state(name="Mon association", random_bytes=rand("vide"))
    assert not restore_over.can_restore_over(empty, backup)  # an empty phone restores as restore.py does
    with pytest.raises(MergeError):
        restore_over.restore_over(office, backup, now_ms=NOW, device_seed=rand("d"))


def test_an_undo_counts_what_it_put_back_by_kind_in_words():
    office, backup = office_backup()
    alice = actions.new_state(name="Alice", random_bytes=rand("alice"))
    merged, _ = merge.merge(alice, backup, now_ms=NOW)
    u = undo.make_undo(alice, merged, action="merge", label="Asso Nord", at="2026-01-28T12:00:00.000Z")
    back, report = undo.apply_undo(merged, u, now_ms=NOW + 1)
    assert back.live_cellules() == [] and report.kinds(report.removed) == (2, 1)
    assert report.summary("fr") == ("Annulé\u00a0: 2 cellules et 1 atelier retirés\u00a0; ce que vous avez "
                                    "fait depuis est gardé.")
    assert report.summary("en") == "Undone: 2 cellules and 1 workshop removed; what you did since is kept."
    only_cellules = Report(action="undo", source_id="x", source_name="x", at="", removed=("a", "b", "c"),
                           atelier_ids=())
    assert only_cellules.summary("fr") == ("Annulé\u00a0: 3 cellules retirées\u00a0; ce que vous avez fait "
                                           "depuis est gardé.")
    one_atelier = Report(action="undo", source_id="x", source_name="x", at="", added=("a",), atelier_ids=("a",))
    assert one_atelier.summary("fr").startswith("Annulé\u00a0: 1 atelier remis comme avant\u00a0;")
    both = Report(action="undo", source_id="x", source_name="x", at="", removed=("a",), updated=("b", "c"),
                  atelier_ids=("c",))
    assert both.summary("fr").startswith(
        "Annulé\u00a0: 1 cellule retirée, 1 cellule et 1 atelier remis comme avant\u00a0;")
    # a journal entry written without its kinds keeps the words it had
    unknown = Report(action="undo", source_id="x", source_name="x", at="", removed=("a", "b", "c"))
    assert unknown.summary("fr").startswith("Annulé\u00a0: 3 éléments remis comme avant")


def test_a_restore_on_an_empty_phone_counts_each_kind():
    _office, backup = office_backup()
    empty = actions.new_state(name="Mon association", random_bytes=rand("vide"))
    _restored, counted = merge.restore_backup(empty, backup, now_ms=NOW, device_seed=rand("device"))
    assert counted.summary("fr") == ("Sauvegarde de «\u00a0Asso Nord\u00a0» restaurée\u00a0: 2 cellules et 1 atelier, "
                                     "cet appareil est maintenant «\u00a0Asso Nord\u00a0».")
    assert counted.summary("en") == "Backup of “Asso Nord” restored: 2 cellules and 1 workshop, this device is now " \
                                    "“Asso Nord”."
