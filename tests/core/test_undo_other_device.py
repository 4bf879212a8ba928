"""An import of this group's backup from another of its devices is named, in its report, its
journal line and the undo that reverts it, as the preview named it: « votre autre appareil » —
never by the group's own name, which reads as this device's own file."""

from __future__ import annotations

from strategies import NODES, NOW, T0, doc_of, rand, read

from app.core import actions, merge, undo
from app.core.report import Report


def full_backup(state, now_ms):
    state = actions.stamp_full_export(state, now_ms)
    return state, read(doc_of(state, now=now_ms))


def laptop_and_phone():
    """« Mon groupe » created on a laptop, a phone restored from its backup; the phone then renames
    the laptop's cellule and creates one of its own."""
    laptop = actions.new_state(name="Mon groupe", random_bytes=rand("portable"))
    laptop, jardin = actions.create_cellule(laptop, {"nodeId": NODES[0], "name": "Jardin"}, now_ms=T0,
                                            random_bytes=rand("jardin"))
    laptop, backup = full_backup(laptop, T0 + 1)
    empty = actions.new_state(name="vide", random_bytes=rand("vide"))
    phone, _ = merge.restore_backup(empty, backup, now_ms=T0 + 2, device_seed=rand("téléphone"))
    phone, _ = actions.edit(phone, "cellule", jardin.id, {"name": "Jardin partagé"}, now_ms=T0 + 3)
    phone, _ = actions.create_cellule(phone, {"nodeId": NODES[1], "name": "Nouvelle"}, now_ms=T0 + 4,
                                      random_bytes=rand("nouvelle"))
    phone, backup = full_backup(phone, T0 + 5)
    return laptop, phone, backup


def test_the_report_of_a_merge_from_my_other_device_names_it_as_the_preview_did():
    laptop, _phone, backup = laptop_and_phone()
    merged, report = merge.merge(laptop, backup, now_ms=NOW)
    assert isinstance(report, merge.DeviceReport) and merge.is_device_report(report, laptop.instance_id)
    assert report.summary("fr") == ("Fusion depuis votre autre appareil\u00a0: 0 ajouté, 1 mis à jour, 0 inchangé, "
                                    "0 conflit résolu, 0 supprimé, 1 laissé de côté. 1 élément créé sur votre autre "
                                    "appareil laissé de côté\u00a0: pour l’ajouter, importez de nouveau ce fichier et "
                                    "cochez-le.")
    assert report.summary("en") == ("Merge from your other device: 0 added, 1 updated, 0 unchanged, "
                                    "0 conflicts resolved, 0 deleted, 1 left out. 1 item created on your other "
                                    "device left out: to add it, import this file again and tick it.")
    # read back from the journal (Report.to_json), it is still the other device's
    entry = report.to_json()
    stored = Report(action=entry["action"], source_id=entry["sourceId"], source_name=entry["sourceName"],
                    at=entry["at"])
    assert merge.is_device_report(stored, laptop.instance_id)
    assert merge.device_summary(stored, "fr") == ("Fusion depuis votre autre appareil\u00a0: 0 ajouté, 0 mis à jour, "
                                                  "0 inchangé, 0 conflit résolu, 0 supprimé.")
    # a peer's file is still named by its group
    bob = actions.new_state(name="Bob", random_bytes=rand("bob"))
    _, from_bob = merge.merge(merged, read(doc_of(bob)), now_ms=NOW)
    assert type(from_bob) is Report and not merge.is_device_report(from_bob, laptop.instance_id)
    assert from_bob.summary("fr").startswith("Fusion depuis «\u00a0Bob\u00a0»\u00a0: ")


def test_the_report_of_a_replace_with_my_other_devices_data_names_it_too():
    laptop, _phone, backup = laptop_and_phone()
    _new, report = merge.replace(laptop, backup, now_ms=NOW)
    assert isinstance(report, merge.DeviceReport)
    assert report.summary("fr").startswith("Remplacement depuis votre autre appareil\u00a0: ")
    assert report.summary("en").startswith("Replace from your other device: ")
    assert "Mon groupe" not in report.summary("fr")


def test_undoing_an_import_from_my_other_device_names_it_as_the_preview_did():
    laptop, _phone, backup = laptop_and_phone()
    merged, report = merge.merge(laptop, backup, now_ms=NOW)
    made = undo.make_undo(laptop, merged, action=report.action, label=report.source_name, at=report.at,
                          other_device=isinstance(report, merge.DeviceReport))
    stored = undo.undo_from_json(undo.undo_to_json(made))
    assert stored.other_device and stored.label == "Mon groupe"
    said = undo.operation("fr", stored.action, stored.label, stored.at, other_device=stored.other_device)
    assert said == "la fusion depuis votre autre appareil du mercredi 28 janvier 2026, 13\u00a0h\u00a046"
    assert undo.operation("en", stored.action, stored.label, stored.at, other_device=True) == \
        "the merge from your other device on Wednesday, 28 January 2026, 1:46 pm"
    # an undo of a peer's import, or one stored before the flag, still names the peer
    assert undo.operation("fr", "merge", "Bob", stored.at) == \
        "la fusion depuis «\u00a0Bob\u00a0» du mercredi 28 janvier 2026, 13\u00a0h\u00a046"
    plain = undo.make_undo(laptop, merged, action="merge", label="Bob", at=report.at)
    assert not undo.undo_from_json(undo.undo_to_json(plain)).other_device
    assert '"otherDevice"' not in undo.undo_to_json(plain)
