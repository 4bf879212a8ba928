"""« Journal des imports » (app/web/journal.py report_of): a stored entry reads back as the report it
was, so the journal says what the import or undo said — a forced undo's losses and the records
credited to the sender included. The browser modules are imported with `js` and `pyodide` stubbed
(report_of itself touches neither)."""

from __future__ import annotations

import json

import pytest

from app.core import actions, document, merge
from app.core.undo import apply_undo, make_undo

T0 = 1_769_594_400_000
NODE = "871fa4c5bffffff"


@pytest.fixture
def journal(browserless):
    return browserless("app.web.journal")


def stored(report: merge.Report) -> dict:
    return json.loads(json.dumps(report.to_json(), ensure_ascii=False))  # as IndexedDB keeps it


def incoming(state, held, now):
    text = document.dumps(document.to_document(state, now_ms=now))
    return document.read_document(document.parse_text(text), held=held)


def test_a_forced_undo_reads_back_with_what_it_lost(journal):
    alice = actions.new_state(name="Alice", random_bytes=bytes(range(16)))
    bob = actions.new_state(name="Bob", random_bytes=bytes(range(1, 17)))
    bob, cellule = actions.create_cellule(bob, {"nodeId": NODE, "name": "Vélo"}, now_ms=T0, random_bytes=bytes(16))
    before = alice
    alice, _report = merge.merge(alice, incoming(bob, alice, T0 + 1000), now_ms=T0 + 1000)
    undo = make_undo(before, alice, action="merge", label="Bob")
    alice = actions.edit(alice, "cellule", cellule.id, {"name": "Vélo solidaire"}, now_ms=T0 + 2000)[0]
    _undone, report = apply_undo(alice, undo, now_ms=T0 + 3000, force=True)
    assert report.lost == (cellule.id,)
    back = journal.report_of(stored(report))
    assert back == report
    assert back.summary("fr") == ("Annulé\u00a0: 1 cellule retirée ; ce que vous aviez fait depuis "
                                  "l’import sur 1 élément est perdu, le reste est gardé.").replace(" ;", "\u00a0;")
    assert back.summary("en") == report.summary("en")


def test_records_credited_to_the_sender_read_back_as_such(journal):
    alice = actions.new_state(name="Alice", random_bytes=bytes(range(16)))
    bob = actions.new_state(name="Bob", random_bytes=bytes(range(1, 17)))
    bob, cellule = actions.create_cellule(bob, {"nodeId": NODE, "name": "Vélo"}, now_ms=T0, random_bytes=bytes(16))
    doc = document.to_document(bob, now_ms=T0 + 1000)
    doc["cellules"][0]["origin"] = alice.instance_id  # presented as Alice's own, which she does not hold
    _new, report = merge.merge(alice, document.read_document(doc), now_ms=T0 + 1000)
    assert report.reattributed == (cellule.id,)
    back = journal.report_of(stored(report))
    assert (back.reattributed, back.added) == ((cellule.id,), (cellule.id,))
    assert back.summary("en") == report.summary("en") == (
        "Merge from “Bob”: 1 added, 0 updated, 0 unchanged, 0 conflicts resolved, 0 deleted; 1 item presented "
        "as yours counted as written by “Bob”.")


def test_a_restore_reads_back_with_the_records_it_redated(journal):
    ahead = 48 * 3600 * 1000  # the backup's device clock ran two days fast
    alice = actions.new_state(name="Alice", random_bytes=bytes(range(16)))
    alice, cellule = actions.create_cellule(alice, {"nodeId": NODE, "name": "Jardin"}, now_ms=T0 + ahead,
                                            random_bytes=bytes(16))
    backup = incoming(alice, None, T0 + ahead)
    phone = actions.new_state(name="Mon association", random_bytes=bytes(range(2, 18)))
    _restored, report = merge.restore_backup(phone, backup, now_ms=T0, device_seed=bytes(range(3, 19)))
    assert report.redated == (cellule.id,)
    back = journal.report_of(stored(report))
    assert back == report
    assert back.summary("fr") == report.summary("fr") == (
        "Sauvegarde de «\xa0Alice\xa0» restaurée\xa0: 1 cellule, cet appareil est maintenant «\xa0Alice\xa0»\xa0; "
        "1 élément daté de plus de 24 h dans le futur gardé, à la date de la restauration.")
