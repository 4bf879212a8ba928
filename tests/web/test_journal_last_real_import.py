"""« Annuler le dernier import » reverts the last import that changed something (app/web/session.py
import_undo, app/web/journal.py walk): an import that changes nothing gives NOTHING_NEW (no undo, its
report « Rien de nouveau : … »), the journal never counts it as the one to undo, and each undo names the
operation it reverted. The browser modules are imported with `js` and `pyodide` stubbed (what is tested
here touches neither)."""

from __future__ import annotations

import json

import pytest

from app.core import actions, document, merge
from app.core.clock import format_ms
from app.core.undo import undo_from_json

T0 = 1_769_594_400_000
NODE = "871fa4c5bffffff"


@pytest.fixture
def web(browserless):
    return browserless("app.web.session"), browserless("app.web.journal")


def bob_with(n: int):
    bob = actions.new_state(name="Bob", random_bytes=bytes(range(1, 17)))
    for i in range(n):
        bob, _ = actions.create_cellule(bob, {"nodeId": NODE, "name": f"Cellule {i}"}, now_ms=T0 + i,
                                        random_bytes=bytes([i + 1]) * 16)
    return bob


def incoming(state, held, now):
    text = document.dumps(document.to_document(state, now_ms=now))
    return document.read_document(document.parse_text(text), held=held)


def stored(report) -> dict:
    return json.loads(json.dumps(report.to_json(), ensure_ascii=False))  # as IndexedDB keeps it


def test_the_same_file_twice_changes_nothing_the_second_time(web):
    session, journal = web
    alice = actions.new_state(name="Alice", random_bytes=bytes(range(16)))
    bob = bob_with(6)
    first, second = T0 + 60_000, T0 + 120_000
    after_first, report = merge.merge(alice, incoming(bob, alice, first), now_ms=first)
    undo = session.import_undo(first, "merge", "Bob")(alice, after_first, report)
    assert len(report.added) == 6 and set(undo) == {"last", "before"}
    assert len(undo_from_json(undo["last"]).records) == 6

    after_second, again = merge.merge(after_first, incoming(bob, after_first, second), now_ms=second)
    assert after_second.sources != after_first.sources  # only the source's « dernier import » date moved
    assert session.import_undo(second, "merge", "Bob")(after_first, after_second, again) is session.NOTHING_NEW
    nothing = session.NothingNew.of(again)
    assert nothing.summary("fr") == (
        "Rien de nouveau\u00a0: Fusion depuis «\u00a0Bob\u00a0»\u00a0: 0 ajouté, 0 mis à jour, 6 inchangés, "
        "0 conflit résolu, 0 supprimé.")
    assert nothing.summary("en") == ("Nothing new: Merge from “Bob”: 0 added, 0 updated, 6 unchanged, "
                                     "0 conflicts resolved, 0 deleted.")
    assert journal.report_of(stored(nothing)) == nothing  # the journal reads it back as it was said

    # a replace with the very data held here changes nothing either; removing a source always does
    replaced, same = merge.replace(after_first, incoming(bob, after_first, second), now_ms=second)
    assert session.import_undo(second, "replace", "Bob")(after_first, replaced, same) is session.NOTHING_NEW
    empty = actions.new_state(name="Carol", random_bytes=bytes(range(2, 18)))
    empty_bob = actions.new_state(name="Dan", random_bytes=bytes(range(3, 19)))
    known, _ = merge.merge(empty, incoming(empty_bob, empty, first), now_ms=first)  # a source with nothing
    dropped, dropped_report = merge.drop_source(known, empty_bob.instance_id, now_ms=second)
    assert dropped_report.removed == ()
    assert set(session.import_undo(second, "drop-source", "Dan")(known, dropped, dropped_report)) == {"last",
                                                                                                        "before"}


def test_the_journal_undoes_the_last_import_that_changed_something(web):
    _session, journal = web
    merged = {"action": "merge", "sourceId": "I1", "sourceName": "Bob", "at": format_ms(T0 + 60_000),
              "added": ["a"] * 6}
    nothing = {"action": "merge", "sourceId": "I1", "sourceName": "Bob", "at": format_ms(T0 + 120_000),
               "unchanged": ["a"] * 6, "nothingNew": True}
    undo = {"action": "undo", "sourceId": "I0", "sourceName": "Bob", "at": format_ms(T0 + 180_000),
            "removed": ["a"] * 6}
    restore = {"action": "restore", "sourceId": "I9", "sourceName": "Eve", "at": format_ms(T0), "added": ["x"]}
    # newest first, as the journal lists them
    assert journal.walk([nothing, merged]) == ({}, 1)
    assert journal.walk([undo, nothing, merged]) == ({0: 2}, None)
    assert journal.undone([undo, nothing, merged]) == {2}
    assert journal.walk([nothing, undo, merged]) == ({1: 2}, None)  # nothing to undo after the undo
    assert journal.walk([merged, restore]) == ({}, 0)
    assert journal.walk([undo, restore]) == ({}, None)  # a restore cannot be undone
    assert journal.walk([nothing]) == ({}, None)
    # what the undo says it reverted
    op = journal.operation("fr", merged["action"], merged["sourceName"], merged["at"])
    assert op == "la fusion depuis «\u00a0Bob\u00a0» du mercredi 28 janvier 2026, 11\u00a0h\u00a001"
    assert journal.undone_text("fr", op, journal.report_of(undo)) == (
        "Annulé\u00a0: la fusion depuis «\u00a0Bob\u00a0» du mercredi 28 janvier 2026, 11\u00a0h\u00a001\u00a0; "
        "6 éléments remis comme avant, ce que vous avez fait depuis est gardé.")
    assert journal.operation("en", "drop-source", "Bob", merged["at"]) == (
        "the removal of the source “Bob” on Wednesday, 28 January 2026, 11:01 am")
    assert journal.operation("fr", "something-else", "Bob", merged["at"]) == "le dernier import"


def test_records_of_the_other_device_left_aside_are_never_called_nothing_new(web):
    """An import of the other device's backup that only offered records (left unticked) changed nothing
    here, so it keeps the last real import's undo; but its report says what waits and how to bring it,
    not « Rien de nouveau » (the walk's volunteer believed her phone's cellule lost), also read back."""
    session, journal = web
    me = actions.new_state(name="Alice", random_bytes=bytes(range(16)))
    aside = merge.DeviceReport(action="merge", source_id=me.instance_id, source_name="Alice", at=format_ms(T0),
                               unchanged=("a", "b"), skipped=("c",), offered=("c",))
    nothing = session.NothingNew.of(aside)
    assert nothing.summary("fr") == merge.device_summary(aside, "fr") == (
        "Fusion depuis votre autre appareil\u00a0: 0 ajouté, 0 mis à jour, 2 inchangés, 0 conflit résolu, "
        "0 supprimé, 1 laissé de côté. 1 élément créé sur votre autre appareil laissé de côté\u00a0: pour "
        "l’ajouter, importez de nouveau ce fichier et cochez-le.")
    assert journal.report_of(stored(nothing), me.instance_id).summary("fr") == nothing.summary("fr")
    # with nothing offered, an import from the other device that changed nothing says so
    same = session.NothingNew.of(merge.DeviceReport(action="merge", source_id=me.instance_id, source_name="Alice",
                                                    at=format_ms(T0), unchanged=("a", "b")))
    assert same.summary("fr").startswith("Rien de nouveau\u00a0: Fusion depuis votre autre appareil")
    assert journal.report_of(stored(same), me.instance_id).summary("fr") == same.summary("fr")
