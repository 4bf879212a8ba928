"""A live batch is read as a file is read (document.read_text, one pass over the records): what
arrives from a peer over live sync is refused exactly when a file with the same text would be, with
the same code and the same message, and read to the same records when it is not."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from strategies import NODES, T0, rand

from app.core import actions, document, live, schema
from app.core.errors import CellulesError
from app.core.model import State

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hostile"))
from corpus import CASES, base_doc  # noqa: E402 — the hostile corpus (tests/hostile), also under Pyodide

NOW = T0 + 10**7
PEER = base_doc()["instanceId"]  # the hostile documents are written in this instance's name


def json_cases():
    """The hostile corpus's documents (not its links, QR parts or compact payloads: live sends JSON;
    nor one longer than a live message may be, refused before it is read: live.message_size)."""
    for name, text, code in CASES:
        is_json = text.lstrip()[:1] in ("{", "[", '"') or code.startswith("doc.")
        if is_json and len(text) < live.MAX_MESSAGE_CHARS // 2:
            yield pytest.param(text, id=name)


def bob():
    state = actions.new_state(name="Bob", random_bytes=rand("bob"))
    state, _ = actions.create_cellule(state, {"nodeId": NODES[1], "name": "Potager"}, now_ms=T0, random_bytes=rand(2))
    return state


def batch(doc_text: str, seq: int = 1, last: bool = True) -> str:
    return json.dumps({"t": "data", "n": 1 + seq, "seq": seq, "part": 0, "parts": 1, "last": last,
                       "digest": "0" * 32}) + "\n" + doc_text


def receive_from_peer(state: State, texts: list[str], consent: str = "ask"):
    """What Bob's session does with these batches from the peer named in the hostile corpus."""
    peer = State(instance_id=PEER, instance_name="Hostile")
    hello = [o.text for o in live.start(peer, now_ms=NOW)[1] if isinstance(o, live.Send)][0]
    session, _ = live.start(state, consent=consent, now_ms=NOW)
    session, _ = live.receive(session, hello, state, now_ms=NOW)
    outputs = []
    for text in texts:
        session, out = live.receive(session, text, state, now_ms=NOW)
        outputs += out
    return session, outputs


def file_verdict(state: State, text: str):
    """What reading `text` as a file gives. Its ateliers as live shows them: those whose cellule is
    in it or here (an atelier whose cellule is nowhere waits in a live session, where a file is
    refused whole at the merge: atelier.orphan)."""
    try:
        incoming = document.read_text(text, held=state)
    except CellulesError as error:
        return ("refused", error.code, dict(error.params), error.message("fr"), error.message("en"))
    return ("read", sorted(incoming.cellules), sorted(a.id for a in incoming.ateliers.values()
                                                      if a.cellule_id in incoming.cellules
                                                      or a.cellule_id in state.cellules))


def live_verdict(outputs):
    refused = [o.error for o in outputs if isinstance(o, live.Refused)]
    if refused:
        error = refused[0]
        return ("refused", error.code, dict(error.params), error.message("fr"), error.message("en"))
    shown = [o.incoming for o in outputs if isinstance(o, (live.PreviewReady, live.MergeReady))]
    assert len(shown) == 1
    return ("read", sorted(shown[0].cellules), sorted(shown[0].ateliers))


@pytest.mark.parametrize("text", list(json_cases()))
def test_a_hostile_document_is_refused_live_exactly_as_the_same_file(text):
    state = bob()
    expected = file_verdict(state, text)
    for consent in ("ask", "merge"):
        _session, outputs = receive_from_peer(state, [batch(text)], consent)
        assert live_verdict(outputs) == expected


def test_a_held_record_sent_back_unchanged_and_a_broken_one_beside_it_are_read_as_a_file_reads_them():
    """A batch repeating a record we hold exactly (the file reader takes it without checking it
    again) beside a record the schema refuses: refused live as from a file, naming that record."""
    state = bob()
    held = document.to_document(state, now_ms=NOW)["cellules"][0]
    doc = {**base_doc(), "cellules": [held, {**base_doc()["cellules"][0], "name": "a\u2028b"}], "ateliers": []}
    text = json.dumps(doc, ensure_ascii=False)
    expected = file_verdict(state, text)
    assert expected[:2] == ("refused", "doc.schema")
    _session, outputs = receive_from_peer(state, [batch(text)])
    assert live_verdict(outputs) == expected


def test_two_batches_are_read_together_as_one_file_of_their_records():
    state = bob()
    first = {**base_doc(), "ateliers": []}
    second = {**base_doc(), "cellules": [{**base_doc()["cellules"][0], "id": "c2", "name": "Deuxième"}],
              "ateliers": []}
    _session, outputs = receive_from_peer(state, [batch(json.dumps(first), 1, last=False),
                                                  batch(json.dumps(second), 2, last=True)])
    together = {**base_doc(), "cellules": [*first["cellules"], *second["cellules"]], "ateliers": []}
    assert live_verdict(outputs) == file_verdict(state, json.dumps(together)) == ("read", ["c1", "c2"], [])


def test_records_we_hold_sent_back_unchanged_are_not_checked_again_as_a_file_reads_them(monkeypatch):
    """One pass, as the file reader: a live batch repeating records we hold exactly (what a peer
    sends back most of the time) checks none of them against the schema again and builds none of
    them again; the record it does not hold is checked once."""
    state = bob()
    for n in range(5):
        state, _ = actions.create_cellule(state, {"nodeId": NODES[n % len(NODES)], "name": f"Tenue {n}"},
                                          now_ms=T0 + 1 + n, random_bytes=rand(f"tenue {n}"))
    ours = document.to_document(state, now_ms=NOW)["cellules"]
    new = {**base_doc()["cellules"][0], "id": "cnouvelle"}
    text = json.dumps({**base_doc(), "cellules": [*ours, new], "ateliers": []}, ensure_ascii=False)
    checked = []
    validators = schema.schema_validators()
    record_part = validators["cellules"]
    monkeypatch.setitem(validators, "cellules", lambda data: (checked.append(data["id"]), record_part(data))[1])
    document.read_text(text, held=state)
    assert checked == ["cnouvelle"]
    checked.clear()
    for consent in ("ask", "merge"):
        _session, outputs = receive_from_peer(state, [batch(text)], consent)
        incoming = [o.incoming for o in outputs if isinstance(o, (live.PreviewReady, live.MergeReady))][0]
        assert checked == ["cnouvelle"]
        assert all(incoming.cellules[cid] is state.cellules[cid] for cid in state.cellules)
        checked.clear()
