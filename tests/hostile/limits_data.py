"""Minimal documents of a given size, shared by the limits tests and the browser test that imports
the largest one (not a test module itself)."""

from __future__ import annotations

import json
from pathlib import Path

from app.core import document

ROOT = Path(__file__).resolve().parents[2]
NODE = json.loads((ROOT / "data" / "fwb_grid.json").read_text("utf-8"))["nodes"][0][0]


def minimal_document(cellules: int, ateliers: int, start: int = 0) -> str:
    """A seed-format document (no sync metadata), as compact as the format allows (ids from `start`)."""
    stamp = "2026-01-01T00:00:00Z"
    lines = [json.dumps({"id": f"c{i}", "nodeId": NODE, "name": f"C{i}", "createdAt": stamp, "updatedAt": stamp,
                         "origin": "Cabcdefg"}, separators=(",", ":")) for i in range(start, start + cellules)]
    alines = [json.dumps({"id": f"a{i}", "celluleId": f"c{start + i % cellules}", "title": "T", "startsAt": stamp,
                          "createdAt": stamp, "updatedAt": stamp, "origin": "Cabcdefg"}, separators=(",", ":"))
              for i in range(start, start + ateliers)]
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
