"""Compact payloads, app links and multi-part frames: round trips and damage reports."""

from __future__ import annotations

import json
import random
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import T0, states

from app.core import document, payload, transfer
from app.core.errors import DocumentError


@pytest.mark.parametrize(("raw", "encoded"), [(b"AB", "BB8"), (b"Hello!!", "%69 VD92EX0"), (b"base-45", "UJCLQE7W581"),
                                              (b"ietf!", "QED8WEX0"), (b"", "")])
def test_base45_matches_rfc_9285(raw, encoded):
    assert payload.b45encode(raw) == encoded
    assert payload.b45decode(encoded) == raw


@given(st.binary(max_size=300))
def test_base45_round_trips(data):
    assert payload.b45decode(payload.b45encode(data)) == data


@given(states())
def test_any_state_round_trips_through_a_payload_a_link_and_shuffled_parts(state):
    doc = document.to_document(state, now_ms=T0)
    text = payload.encode(doc)
    assert set(text[len(payload.PREFIX):]) <= set(payload.ALPHABET)
    for form in (text, payload.make_link("https://example.org/app/?x=1#old", text)):
        back = document.state_from_document(document.parse_text(transfer.read_any(form)))
        assert back == state
    parts = payload.split(text, 37)
    random.Random(len(parts)).shuffle(parts)
    back = document.state_from_document(document.parse_text(transfer.read_any("\n".join(parts))))
    assert back == state


def test_a_missing_part_is_named():
    parts = payload.split(payload.PREFIX + "A" * 100, 30)
    assembly = payload.Assembly()
    for part in parts[:1] + parts[2:]:
        assembly = assembly.add(part)
    assert assembly.missing == [2] and not assembly.complete
    with pytest.raises(DocumentError) as err:
        assembly.payload()
    assert (err.value.code, err.value.params) == ("payload.missing", {"missing": "2", "total": 4})


def test_parts_of_another_set_or_altered_parts_are_refused():
    a = payload.split(payload.PREFIX + "A" * 60, 30)
    b = payload.split(payload.PREFIX + "B" * 60, 30)
    with pytest.raises(DocumentError) as err:
        payload.Assembly().add(a[0]).add(b[1])
    assert err.value.code == "payload.other_set"
    altered = a[1][:-1] + ("B" if a[1][-1] != "B" else "C")
    with pytest.raises(DocumentError) as err:
        payload.assemble([a[0], altered, a[2]])
    assert err.value.code == "payload.checksum"


@pytest.mark.parametrize(("text", "code"), [
    ("FWB1:ab", "payload.base45"),        # lower case is not Base45
    ("FWB1:A", "payload.base45"),         # impossible length
    ("FWB1:GGW", "payload.base45"),       # a group above 0xFFFF
    ("FWB1:" + payload.b45encode(b"not zlib at all"), "payload.zlib"),
    ("FWB1:" + payload.b45encode(zlib.compress(b'{"version": "1.0"}')[:-6]), "payload.zlib"),  # truncated
    ("https://example.org/app/", "payload.prefix"),  # an address without data: words, not an export
    ("https://example.org/app/#import=", "payload.prefix"),
    ("FWBP:1/2/ZZZZZZZZ:abc", "payload.part"),
])
def test_damaged_payloads_are_refused_clearly(text, code):
    with pytest.raises(DocumentError) as err:
        document.parse_text(transfer.read_any(text))
    assert err.value.code == code


def test_a_zip_bomb_is_stopped_at_the_size_cap():
    bomb = zlib.compress(b" " * (document.MAX_DOCUMENT_BYTES + 1000), 9)
    with pytest.raises(DocumentError) as err:
        payload.decode(payload.PREFIX + payload.b45encode(bomb))
    assert err.value.code == "payload.too_large"


def test_json_and_bytes_pass_through_read_any():
    doc = {"version": "1.0"}
    assert json.loads(transfer.read_any(json.dumps(doc))) == doc
    assert transfer.read_any(b'  {"a": 1}') == b'  {"a": 1}'
