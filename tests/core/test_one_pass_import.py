"""The import reads a file in one pass (document.read_text) and writes STATE straight
(document.record_text, dumps_state): the same verdicts, records and texts as the general path
(read_document(parse_text(...)), dumps(to_document(...))), for any state and any spoilt copy."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import NOW, T0, states

from app.core import actions, document, merge
from app.core.errors import CellulesError

QUICK = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


def test_the_schema_in_parts_is_the_whole_schema():
    """read_text checks the document and each record apart: exact only while the schema's record
    arrays say nothing of their items but the `$ref` of one record."""
    for key, kind in (("cellules", "cellule"), ("ateliers", "atelier")):
        assert document.SCHEMA["properties"][key]["items"] == {"$ref": f"#/definitions/{kind}"}


@QUICK
@given(states(max_ops=10))
def test_state_text_is_the_full_export_text(state):
    text = document.dumps_state(state, now_ms=NOW)
    assert text == document.dumps(document.to_document(state, kind="full", now_ms=NOW))
    for record in (*state.cellules.values(), *state.ateliers.values()):
        assert document.record_text(record) == document.compact_json(document.record_to_json(record))
    assert document.loads_state(text) == state


# Ways a peer's copy of records we hold can differ from ours: each must get the verdict the
# general path gives (the one-pass reader compares with what we hold before the schema).
SPOILS = ("none", "deleted-as-number", "conflict-as-number", "name-empty", "name-number", "via-string",
          "via-numbers", "id-number", "not-object", "extra-field", "sync-list")


def _spoil(doc: dict, how: str, index: int) -> None:
    records = doc["cellules"] + doc["ateliers"]
    if not records:
        return
    data = records[index % len(records)]
    if how == "deleted-as-number":
        data["deleted"] = int(data["deleted"])
    elif how == "conflict-as-number":
        clock = data.get("sync", {}).get("clock", "")
        stamp = clock if isinstance(clock, str) else clock["*"]
        if stamp:
            data["sync"]["history"] = [{"field": "title" if "title" in data else "name", "value": "Avant",
                                        "clock": stamp, "conflict": 1}]
    elif how == "name-empty":
        data["title" if "title" in data else "name"] = ""
    elif how == "name-number":
        data["title" if "title" in data else "name"] = 12
    elif how == "via-string":
        data.setdefault("sync", {})["via"] = "Cbob0000"
    elif how == "via-numbers":
        data.setdefault("sync", {})["via"] = [1, 2]
    elif how == "id-number":
        data["id"] = 7
    elif how == "not-object":
        (doc["cellules"] or doc["ateliers"])[0] = ["x"]
    elif how == "extra-field":
        data["couleur"] = "vert"
    elif how == "sync-list":
        data["sync"] = []


def _verdict(read):
    try:
        incoming = read()
    except CellulesError as exc:
        return "refused", exc.code, str(exc)
    return "read", incoming


@QUICK
@given(states(max_ops=10), st.sampled_from(SPOILS), st.integers(0, 50))
def test_one_pass_reading_gives_the_verdict_of_the_general_path(state, how, index):
    doc = json.loads(document.dumps_state(state, now_ms=NOW))
    _spoil(doc, how, index)
    text = json.dumps(doc, ensure_ascii=False)
    general = _verdict(lambda: document.read_document(document.parse_text(text), held=state))
    one_pass = _verdict(lambda: document.read_text(text, held=state))
    assert one_pass[0] == general[0]
    if general[0] == "refused":
        assert one_pass == general
        return
    assert one_pass[1] == general[1]
    for kind in ("cellules", "ateliers"):  # a record we hold exactly is ours, not a copy
        for rid, record in getattr(one_pass[1], kind).items():
            assert (record is getattr(state, kind).get(rid)) == (getattr(general[1], kind)[rid] is record)


def test_a_copy_of_our_records_is_not_rebuilt_and_a_spoilt_record_after_them_is_named():
    state = actions.new_state(name="Alice", random_bytes=bytes(range(16)))
    for i in range(3):
        state, _ = actions.create_cellule(state, {"nodeId": "871fa4c5bffffff", "name": f"Cellule {i}"},
                                          now_ms=T0 + i, random_bytes=bytes(range(i, 16 + i)))
    doc = json.loads(document.dumps_state(state, now_ms=NOW))
    incoming = document.read_text(json.dumps(doc), held=state)
    assert all(incoming.cellules[rid] is record for rid, record in state.cellules.items())
    spoilt = copy.deepcopy(doc)
    spoilt["cellules"][2]["nodeId"] = "zz"
    with pytest.raises(CellulesError) as general:
        document.parse_text(json.dumps(spoilt))
    with pytest.raises(CellulesError) as one_pass:
        document.read_text(json.dumps(spoilt), held=state)
    assert str(one_pass.value) == str(general.value) and "cellules[2].nodeId" in str(general.value)


def test_the_import_uses_the_one_pass_reader_and_merges_the_same():
    alice = actions.new_state(name="Alice", random_bytes=bytes(range(16)))
    alice, _ = actions.create_cellule(alice, {"nodeId": "871fa4c5bffffff", "name": "Jardin"}, now_ms=T0,
                                      random_bytes=bytes(range(1, 17)))
    bob = actions.new_state(name="Bob", random_bytes=bytes(range(2, 18)))
    bob, _ = merge.import_text(bob, document.dumps_state(alice, now_ms=T0 + 1), now_ms=T0 + 1)
    bob, _ = actions.create_cellule(bob, {"nodeId": "871fa4c5bffffff", "name": "Atelier vélo"}, now_ms=T0 + 2,
                                    random_bytes=bytes(range(3, 19)))
    text = document.dumps_state(bob, now_ms=T0 + 3)
    merged, report = merge.import_text(alice, text, now_ms=T0 + 4)
    general, general_report = merge.merge(alice, document.read_document(document.parse_text(text), held=alice),
                                          now_ms=T0 + 4)
    assert merged == general and report == general_report
    assert report.added and report.unchanged
