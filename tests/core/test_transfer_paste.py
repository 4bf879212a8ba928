"""Pasted numbered parts go through the one Receiver (app.core.transfer) and read exactly as one set
assembled whole (app.core.parts.assemble): same JSON, or the same error code and parameters."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core import parts, payload, transfer
from app.core.errors import DocumentError

CODE = payload.encode({"version": "1.0", "cellules": [{"name": f"Cellule {i}"} for i in range(40)]})
OTHER = payload.encode({"version": "1.0", "instanceName": "B"})


def assembled_whole(lines: list[str]) -> bytes | tuple[str, dict]:
    """What a list of parts gives read as one set: the JSON bytes, or (error code, parameters)."""
    try:
        transfer.check_lines([line for line in lines if line.strip()])
        return payload.decode(parts.assemble(lines))
    except DocumentError as exc:
        return exc.code, exc.params


def read(lines: list[str]) -> bytes | tuple[str, dict]:
    try:
        return transfer.read_any("\n".join(lines))
    except DocumentError as exc:
        return exc.code, exc.params


def test_a_whole_set_in_any_order_reads_as_the_code():
    lines = payload.split(CODE, 40)
    assert read(lines[::-1]) == payload.decode(CODE) == assembled_whole(lines[::-1])


@pytest.mark.parametrize(("name", "lines", "code"), [
    ("a part missing", payload.split(CODE, 40)[1:], "payload.missing"),
    ("a line that is not a part", [*payload.split(CODE, 40), "FWBP:x/y/z:abc"], "payload.part"),
    ("a part of another set", [*payload.split(CODE, 40), payload.split(OTHER, 10)[1]], "payload.other_set"),
    ("a part altered", [p[:-1] + ("A" if p[-1] != "A" else "B") for p in payload.split(CODE, 40)[:1]]
     + payload.split(CODE, 40)[1:], "payload.checksum"),
])
def test_a_broken_paste_is_refused_as_the_whole_set_refuses_it(name, lines, code):
    assert read(lines) == assembled_whole(lines)
    assert read(lines)[0] == code


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_any_paste_of_parts_reads_as_assembling_them_whole(data):
    good = payload.split(CODE, 40)
    other = payload.split(OTHER, 10)
    pool = good + other[:1] + [good[0][:-2] + "ZZ", good[2].replace(":", ":A", 1)[:-1], "  ", ""]
    lines = data.draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3 * len(good)))
    lines = [good[0], *lines]  # a paste that starts with a part
    assert read(lines) == assembled_whole(lines)
