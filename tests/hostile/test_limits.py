"""Size and count limits (issue 8): the largest documents import, larger ones are refused clearly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core import actions, document, merge
from app.core.errors import DocumentError

ROOT = Path(__file__).resolve().parents[2]
NOW = 1_769_594_400_000 + 10**9
NODE = json.loads((ROOT / "data" / "fwb_grid.json").read_text("utf-8"))["nodes"][0][0]


def minimal_document(cellules: int, ateliers: int) -> str:
    """A seed-format document (no sync metadata), as compact as the format allows."""
    stamp = "2026-01-01T00:00:00Z"
    lines = [json.dumps({"id": f"c{i}", "nodeId": NODE, "name": f"C{i}", "createdAt": stamp, "updatedAt": stamp,
                         "origin": "Cabcdefg"}, separators=(",", ":")) for i in range(cellules)]
    alines = [json.dumps({"id": f"a{i}", "celluleId": f"c{i % cellules}", "title": "T", "startsAt": stamp,
                          "createdAt": stamp, "updatedAt": stamp, "origin": "Cabcdefg"}, separators=(",", ":"))
              for i in range(ateliers)]
    return ('{"version":"1.0","instanceId":"Cabcdefg","exportedAt":"2026-01-02T00:00:00Z","cellules":[\n'
            + ",\n".join(lines) + '\n],"ateliers":[\n' + ",\n".join(alines) + "\n]}\n")


def largest_document(cellules: int) -> tuple[str, int]:
    """The document with `cellules` cellules and as many ateliers as fit under the 20 MB cap."""
    ateliers = 150_000
    while True:
        text = minimal_document(cellules, ateliers)
        excess = len(text.encode()) - document.MAX_DOCUMENT_BYTES
        if -2000 < excess <= 0:
            return text, ateliers
        ateliers -= excess // 170 + (1 if excess > 0 else -1)


@pytest.mark.slow
def test_a_document_at_the_limits_imports():
    text, ateliers = largest_document(50_000)
    assert document.MAX_DOCUMENT_BYTES - 2000 < len(text.encode()) <= document.MAX_DOCUMENT_BYTES
    state = actions.new_state(name="Moi", random_bytes=bytes(range(16)))
    new, report = merge.import_text(state, text, now_ms=NOW)
    assert len(report.added) == 50_000 + ateliers
    assert len(new.live_cellules()) == 50_000


def test_over_20_mb_is_refused_before_parsing():
    with pytest.raises(DocumentError) as err:
        document.parse_text(b"{" + b" " * document.MAX_DOCUMENT_BYTES + b"}")
    assert err.value.code == "doc.too_large" and "20971520" in str(err.value)


def test_more_than_50000_cellules_is_refused_with_the_limit_named():
    with pytest.raises(DocumentError) as err:
        document.read_document(document.parse_text(minimal_document(50_001, 0)))
    assert "50000" in str(err.value)


def test_200000_ateliers_cannot_fit_in_20_mb_so_the_size_cap_is_the_binding_limit():
    # Each atelier needs its 7 required fields: about 150 bytes at the very least.
    per_atelier = len(minimal_document(1, 2)) - len(minimal_document(1, 1))
    assert per_atelier * 200_000 > document.MAX_DOCUMENT_BYTES
