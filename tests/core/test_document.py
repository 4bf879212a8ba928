"""Interchange format v1.0: round trips, version handling, schema errors naming the place."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import T0, states

from app.core import document
from app.core.errors import ClockError, DocumentError


@given(states())
def test_any_state_round_trips_through_its_full_export(state):
    text = document.dumps_state(state, now_ms=T0)
    back = document.loads_state(text)
    assert back == state
    assert document.dumps_state(back, now_ms=T0) == text


@given(states())
def test_cellules_only_export_holds_live_cellules_and_nothing_else(state):
    doc = document.to_document(state, kind="cellules", now_ms=T0)
    document.check_document(json.loads(json.dumps(doc)))
    assert doc["kind"] == "cellules" and doc["ateliers"] == []
    assert sorted(c["id"] for c in doc["cellules"]) == sorted(c.id for c in state.live_cellules())
    assert all("via" not in c.get("sync", {}) for c in doc["cellules"])


def seed_like_document(**changes):
    """A document as another implementation of the seed's format would write it (no sync metadata)."""
    doc = {
        "version": "1.0", "instanceId": "C1234abc", "exportedAt": "2026-01-28T10:00:00Z",
        "cellules": [{"id": "cel-1", "nodeId": "871fa4c5bffffff", "name": "Cellule Namur", "description": "",
                      "createdAt": "2026-01-20T10:00:00Z", "updatedAt": "2026-01-21T10:00:00Z",
                      "origin": "C1234abc", "deleted": False}],
        "ateliers": [], "federatedSources": [{"id": "Cxyz0000", "name": "Alice", "importedAt": "2026-01-01T00:00:00Z",
                                              "celluleCount": 5}],
    }
    doc.update(changes)
    return doc


def test_a_document_without_clocks_uses_updated_at_as_clock():
    incoming = document.read_document(document.check_document(seed_like_document()))
    cel = incoming.cellules["cel-1"]
    assert cel.clock["name"] == "2026-01-21T10:00:00.000Z-0000-C1234abc"
    assert incoming.sources[0].name == "Alice" and incoming.instance_name == "C1234abc"


def test_unknown_fields_of_a_1x_document_are_kept():
    doc = seed_like_document(version="1.3", futureTopLevel={"a": 1})
    doc["cellules"][0]["colour"] = "green"
    state = document.state_from_document(document.check_document(doc))
    out = document.to_document(state, now_ms=T0)
    assert out["futureTopLevel"] == {"a": 1} and out["cellules"][0]["colour"] == "green"


@pytest.mark.parametrize(("doc", "code", "fragment"), [
    ({"version": "2.0"}, "doc.version_unsupported", "2.0"),
    ({"cellules": []}, "doc.version_missing", "version"),
    (seed_like_document(cellules=[{"id": "x"}]), "doc.schema", "cellules[0]"),
    (seed_like_document(instanceId="alice"), "doc.schema", "instanceId"),
    (seed_like_document(cellules="none"), "doc.schema", "cellules"),
])
def test_refusals_name_what_is_wrong(doc, code, fragment):
    with pytest.raises(DocumentError) as err:
        document.read_document(document.parse_text(json.dumps(doc)))
    assert err.value.code == code
    assert fragment in str(err.value)


def test_duplicate_ids_are_refused():
    doc = seed_like_document()
    doc["cellules"].append(dict(doc["cellules"][0]))
    with pytest.raises(DocumentError) as err:
        document.read_document(document.parse_text(json.dumps(doc)))
    assert err.value.code == "doc.duplicate" and "cel-1" in str(err.value)


def test_model_rules_apply_to_documents_with_the_place_named():
    doc = seed_like_document()
    doc["cellules"][0]["name"] = "a\u0007b"
    with pytest.raises(DocumentError) as err:
        document.read_document(document.parse_text(json.dumps(doc)))
    assert "cellules[0]" in str(err.value) and "nom" in str(err.value)


def test_smart_quotes_from_a_chat_app_get_a_helpful_message():
    with pytest.raises(DocumentError) as err:
        document.parse_text("{\u201cversion\u201d: \u201c1.0\u201d}")
    assert "guillemets typographiques" in str(err.value)


def test_oversized_and_non_utf8_inputs_are_refused_before_parsing():
    with pytest.raises(DocumentError) as err:
        document.parse_text(b" " * (document.MAX_DOCUMENT_BYTES + 1))
    assert err.value.code == "doc.too_large"
    with pytest.raises(DocumentError) as err:
        document.parse_text(b"\xff\xfe{}")
    assert err.value.code == "doc.encoding"


def test_timestamps_far_in_the_future_are_refused_at_import():
    doc = seed_like_document()
    doc["cellules"][0]["updatedAt"] = "2099-01-01T00:00:00Z"
    with pytest.raises(ClockError) as err:
        document.read_document(document.parse_text(json.dumps(doc)), now_ms=T0)
    assert "futur" in str(err.value)


def test_the_example_in_docs_format_md_is_a_valid_document():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "format.md").read_text("utf-8")
    example = text.split("```json", 1)[1].split("```", 1)[0]
    incoming = document.read_document(document.parse_text(example))
    assert incoming.instance_name == "Asso Quartier Nord"
    assert incoming.cellules["cut3qiwcqfwd46ncd"].description == "Réparations\nle samedi"
    assert incoming.ateliers["aqw63n7ritddt6cpn"].clock["title"] == "2026-01-21T10:00:00.000Z-0000-C1234abc"


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**63, 2**63) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20)


@given(_json_values)
def test_the_compact_encoder_writes_what_json_dumps_writes(value):
    assert document.compact_json(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":"))
