"""Hostile documents with a line separator in a one-line field: pasted (JSON, a « FWB1: » code, an app
link) into an instance that holds records, or imported with the CLI — refused with the French message
of the field, nothing changed.

The attack: a cellule named « Vélo<NEL>BEGIN:VALARM… » once went through the import, then raw into the
calendar export, where a reader splitting lines with str.splitlines() saw an alarm the name had slipped
in. The separators are the ones str.splitlines() splits on besides CR and LF, and a C1 control.
"""

from __future__ import annotations

import io
import json
import sys
from types import SimpleNamespace

import pytest
from corpus import GOOD_NODE, base_doc

from app.cli import main
from app.core import actions, document, merge, payload, transfer
from app.core.errors import CellulesError

NOW = 1_769_594_400_000 + 10**9
INJECTED = "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT5M\r\nEND:VALARM"
SEPARATORS = {"NEL": "\x85", "LS": "\u2028", "PS": "\u2029", "VT": "\x0b", "FF": "\x0c", "FS": "\x1c", "GS": "\x1d",
              "RS": "\x1e", "CSI": "\x9b"}
# (place in the document, code, where the message says it is, the field it names)
PLACES = [
    ("instanceName", "doc.schema", "document", "nom du groupe"),
    ("cellules.0.name", "doc.schema", "cellules[0]", "nom"),
    ("cellules.0.contact", "doc.schema", "cellules[0]", "contact"),
    ("cellules.0.description", "doc.schema", "cellules[0]", "description"),
    ("ateliers.0.title", "doc.schema", "ateliers[0]", "titre"),
    ("ateliers.0.place", "doc.schema", "ateliers[0]", "lieu"),
    ("ateliers.0.description", "doc.schema", "ateliers[0]", "description"),
    ("federatedSources.0.name", "doc.schema", "document", "nom du groupe"),
]


def hostile(path: str, char: str) -> str:
    doc = base_doc()
    doc["federatedSources"] = [{"id": "Cvoisine", "name": "Voisine", "importedAt": "2026-01-20T10:00:00Z"}]
    target = doc
    *parts, last = path.split(".")
    for part in parts:
        target = target[int(part)] if part.isdigit() else target[part]
    target[int(last) if last.isdigit() else last] = f"Vélo{char}{INJECTED.replace(chr(13) + chr(10), char)}"
    return json.dumps(doc, ensure_ascii=False)


def holding() -> object:
    """An instance with a cellule and an atelier of its own."""
    state = actions.new_state(name="Moi", random_bytes=bytes(range(16)))
    state, cellule = actions.create_cellule(state, {"nodeId": GOOD_NODE, "name": "Cellule gardée"},
                                            now_ms=NOW - 10_000, random_bytes=bytes(range(1, 17)))
    state, _ = actions.create_atelier(state, {"celluleId": cellule.id, "title": "Atelier gardé",
                                              "startsAt": "2026-03-01T10:00:00Z"}, now_ms=NOW - 9_000,
                                      random_bytes=bytes(range(2, 18)))
    return state


def as_pasted(text: str) -> dict[str, str]:
    """The ways the same document is pasted: as it is, as a code, as an app link."""
    code = payload.encode(json.loads(text))
    return {"json": text, "code": code, "link": payload.make_link("https://cellules.example/", code)}


def french(error: CellulesError) -> str:
    return error.message("fr").replace("\u00a0", " ")


@pytest.mark.parametrize("char", SEPARATORS.values(), ids=SEPARATORS.keys())
@pytest.mark.parametrize(("path", "code", "where", "label"), PLACES, ids=[p[0] for p in PLACES])
def test_pasting_a_document_with_a_separator_in_a_field_is_refused_and_nothing_changes(path, code, where, label,
                                                                                       char):
    state = holding()
    before = document.dumps_state(state, now_ms=NOW)
    for how, text in as_pasted(hostile(path, char)).items():
        with pytest.raises(CellulesError) as err:
            merge.import_text(state, transfer.read_any(text), now_ms=NOW)
        assert err.value.code == code, how
        assert french(err.value) == (f"Document invalide à {where} : le champ « {label} » contient un caractère "
                                     "de contrôle interdit."), how
        with pytest.raises(CellulesError):
            merge.import_text(state, transfer.read_any(text), mode="replace", now_ms=NOW)
    assert document.dumps_state(state, now_ms=NOW) == before
    assert sorted(c.name for c in state.live_cellules()) == ["Cellule gardée"]


@pytest.mark.parametrize("char", SEPARATORS.values(), ids=SEPARATORS.keys())
def test_a_peer_name_or_a_history_value_with_a_separator_is_refused(char):
    state = holding()
    before = document.dumps_state(state, now_ms=NOW)
    doc = base_doc()
    doc["peerNames"] = {"Cvoisine": f"Voisine{char}Nord"}
    with pytest.raises(CellulesError) as err:
        merge.import_text(state, json.dumps(doc, ensure_ascii=False), now_ms=NOW)
    assert err.value.code == "doc.value" and "peerNames" in french(err.value)
    doc = base_doc()
    doc["cellules"][0]["sync"] = {"clock": "2026-01-02T00:00:00.000Z-0000-Chostile", "history": [
        {"field": "name", "value": f"Ancien{char}nom", "clock": "2026-01-01T00:00:00.000Z-0000-Chostile"}]}
    with pytest.raises(CellulesError) as err:
        merge.import_text(state, json.dumps(doc, ensure_ascii=False), now_ms=NOW)
    assert err.value.code == "doc.value"
    assert french(err.value) == ("Valeur refusée à cellules[0].sync.history[0] : le champ « nom » contient un "
                                 "caractère de contrôle interdit.")
    assert document.dumps_state(state, now_ms=NOW) == before


@pytest.mark.parametrize("char", ["\x85", "\u2028", "\x1e"], ids=["NEL", "LS", "RS"])
def test_the_cli_refuses_the_pasted_document_in_one_french_line_and_leaves_the_state_byte_identical(
        char, tmp_path, capsys, monkeypatch):
    state = tmp_path / "state.json"
    assert main(["init", str(state), "--name", "Moi"]) == 0
    assert main(["cellule", "add", str(state), "--name", "Cellule gardée", "--node", GOOD_NODE]) == 0
    before = state.read_bytes()
    capsys.readouterr()
    for how, text in as_pasted(hostile("cellules.0.name", char)).items():
        monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=io.BytesIO(text.encode("utf-8"))))
        assert main(["import", str(state), "-"]) == 1, how
        err = capsys.readouterr().err.replace("\u00a0", " ")
        assert err == ("erreur : Document invalide à cellules[0] : le champ « nom » contient un caractère de "
                       "contrôle interdit.\n"), how
        assert state.read_bytes() == before
        assert not (tmp_path / "state.json.undo").exists()
