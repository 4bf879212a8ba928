"""One's own stored state holding characters the model refuses (C1 controls, NEL, U+2028/U+2029)
still opens, repaired and told; a peer's file holding them is refused as before."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import T0, states

from app.core import actions, document, merge
from app.core.errors import CellulesError
from app.core.model import INSTANCE_NAME_RULE, Atelier, Cellule

NOW = T0 + 10**8
NODE = "871fa4c5bffffff"
# Refused by the model in every text field; NEL, U+2028, U+2029 are line breaks.
INJECTED = st.sampled_from([chr(c) for c in range(0x80, 0xA0)] + ["\u2028", "\u2029"])
BREAKS = ("\x85", "\u2028", "\u2029")


def replacement(char: str, multiline: bool) -> str:
    if char in BREAKS:
        return "\n" if multiline else " "
    return "\ufffd"


def slots(doc: dict) -> list[tuple[tuple, object, tuple]]:
    """Every stored text the repair looks at: (path in the document, its rule, the expected Repair key)."""
    out = [(("instanceName",), INSTANCE_NAME_RULE, ("group", doc["instanceId"], "instanceName", False))]
    for key, cls, kind in (("cellules", Cellule, "cellule"), ("ateliers", Atelier, "atelier")):
        for i, data in enumerate(doc[key]):
            for rule in cls.FIELDS:
                if rule.kind == "text":
                    out.append(((key, i, rule.key), rule, (kind, data["id"], rule.key, False)))
            for j, entry in enumerate(data.get("sync", {}).get("history", [])):
                rule = cls.rule(entry["field"])
                if rule.kind == "text" and isinstance(entry["value"], str):
                    out.append(((key, i, "sync", "history", j, "value"), rule, (kind, data["id"], rule.key, True)))
    return out


def get(doc, path):
    for part in path:
        doc = doc[part] if not isinstance(part, str) or part in doc else ""
    return doc


def put(doc, path, value) -> None:
    for part in path[:-1]:
        doc = doc[part]
    doc[path[-1]] = value


@settings(max_examples=40, deadline=None)
@given(states(max_ops=8), st.data())
def test_a_stored_state_with_refused_characters_loads_repaired_and_says_what(state, data):
    doc = document.to_document(state, now_ms=NOW)
    places = slots(doc)
    chosen = data.draw(st.lists(st.sampled_from(range(len(places))), min_size=1, max_size=4, unique=True))
    broken, expected, told = json.loads(json.dumps(doc)), json.loads(json.dumps(doc)), set()
    for n in chosen:
        path, rule, key = places[n]
        value = get(doc, path)
        char = data.draw(INJECTED)
        at = data.draw(st.integers(0, len(value)))
        if len(value) < rule.max_len:  # inserted, or in place of a character when the field is full
            put(broken, path, value[:at] + char + value[at:])
            put(expected, path, value[:at] + replacement(char, rule.multiline) + value[at:])
        else:
            at = min(at, len(value) - 1)
            put(broken, path, value[:at] + char + value[at + 1:])
            put(expected, path, value[:at] + replacement(char, rule.multiline) + value[at + 1:])
        told.add(key)
    with pytest.raises(CellulesError):  # the model refuses it: a peer's file like it is refused
        document.state_from_document(broken)
    repaired, repairs = document.own_state_from_document(broken)
    want = document.state_from_document(expected)
    assert document.dumps_state(repaired, now_ms=NOW) == document.dumps_state(want, now_ms=NOW)
    assert {(r.kind, r.id, r.field, r.history) for r in repairs} == told
    assert len(repairs) == len(told)
    again, more = document.loads_own_state(document.dumps_state(repaired, now_ms=NOW))
    assert more == () and document.dumps_state(again, now_ms=NOW) == document.dumps_state(repaired, now_ms=NOW)


@settings(max_examples=30, deadline=None)
@given(states())
def test_a_stored_state_with_nothing_to_repair_reads_back_byte_for_byte(state):
    text = document.dumps_state(state, now_ms=NOW)
    back, repairs = document.loads_own_state(text)
    assert repairs == ()
    assert document.dumps_state(back, now_ms=NOW) == text
    doc = json.loads(text)
    assert document.repair_stored(doc) == (doc, ())


def own_state() -> tuple[object, str]:
    state = actions.new_state(name="Asso", random_bytes=bytes(range(16)))
    state, cellule = actions.create_cellule(state, {"nodeId": NODE, "name": "Café solidaire",
                                                    "description": "Ouvert"}, now_ms=T0, random_bytes=bytes(16))
    return state, cellule.id


def test_mojibake_in_a_name_a_source_and_a_peer_name_is_replaced_and_told_in_both_languages():
    state, cid = own_state()
    doc = document.to_document(state, now_ms=NOW)
    doc["cellules"][0]["name"] = "L\u00e2\x80\x99atelier"
    doc["cellules"][0]["description"] = "lundi\x85mardi\u2028mercredi\u2029jeudi\x80"
    doc["cellules"][0]["contact"] = "\x85"
    doc["federatedSources"] = [{"id": "Cbbbbbbb", "name": "Bob\u2028", "importedAt": "2026-01-01T00:00:00Z"}]
    doc["peerNames"] = {"Cbbbbbbb": "Bob\u2028", "Ccccccc1": "\x85"}
    repaired, repairs = document.own_state_from_document(doc)
    cellule = repaired.cellules[cid]
    assert (cellule.name, cellule.description, cellule.contact) == (
        "L\u00e2\ufffd\ufffdatelier", "lundi\nmardi\nmercredi\njeudi\ufffd", " ")
    assert repaired.sources["Cbbbbbbb"].name == "Bob "
    assert repaired.extra["peerNames"] == {"Cbbbbbbb": "Bob ", "Ccccccc1": "\ufffd"}  # a blank name is no name
    assert [(r.kind, r.field, r.label) for r in repairs] == [
        ("cellule", "name", "L\u00e2\ufffd\ufffdatelier"), ("cellule", "description", "L\u00e2\ufffd\ufffdatelier"),
        ("cellule", "contact", "L\u00e2\ufffd\ufffdatelier"), ("source", "name", "Bob "),
        ("peer", "name", "Bob "), ("peer", "name", "\ufffd")]
    assert document.repair_message(repairs) == (
        "6 textes réparés\u00a0: des caractères invisibles ont été retirés ou remplacés par «\u00a0\ufffd\u00a0» "
        "(«\u00a0L\u00e2\ufffd\ufffdatelier\u00a0», nom ; «\u00a0L\u00e2\ufffd\ufffdatelier\u00a0», description ; "
        "«\u00a0L\u00e2\ufffd\ufffdatelier\u00a0», contact ; 3 autres).".replace(" ; ", "\u00a0; "))
    assert document.repair_message(repairs[:1], "en") == (
        "1 text repaired: invisible characters were removed or replaced by “\ufffd” (“L\u00e2\ufffd\ufffdatelier”, "
        "name).")


def test_a_required_name_made_only_of_line_breaks_gets_replacement_characters_not_blanks():
    state, cid = own_state()
    doc = document.to_document(state, now_ms=NOW)
    doc["instanceName"] = "\u2028\x85"
    doc["cellules"][0]["name"] = "\x85"
    repaired, repairs = document.own_state_from_document(doc)
    assert repaired.instance_name == "\ufffd\ufffd" and repaired.cellules[cid].name == "\ufffd"
    assert [(r.kind, r.field) for r in repairs] == [("group", "instanceName"), ("cellule", "name")]


def test_a_stored_state_refused_for_another_reason_gives_that_refusal():
    state, _cid = own_state()
    doc = document.to_document(state, now_ms=NOW)
    doc["cellules"][0]["name"] = "x" * 121
    doc["cellules"][0]["description"] = "a\x85b"
    with pytest.raises(CellulesError) as caught:
        document.own_state_from_document(doc)
    assert caught.value.message("en") == (
        "Invalid document at cellules[0]: the field “name” is longer than 120 characters (121).")


def test_a_peers_file_with_the_same_characters_is_still_refused_naming_the_field():
    state, _cid = own_state()
    peer = actions.new_state(name="Bob", random_bytes=bytes(range(1, 17)))
    peer, _cellule = actions.create_cellule(peer, {"nodeId": NODE, "name": "Vélo"}, now_ms=T0, random_bytes=bytes(16))
    doc = document.to_document(peer, now_ms=NOW)
    doc["cellules"][0]["name"] = "V\u00e2\x80\x99lo"
    text = json.dumps(doc, ensure_ascii=False)
    with pytest.raises(CellulesError) as caught:
        merge.import_text(state, text, now_ms=NOW)
    assert caught.value.message("en") == (
        "Invalid document at cellules[0]: the field “name” contains a forbidden control character.")
