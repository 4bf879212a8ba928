"""Other instances' data, built with the core as a peer would (not a test module itself)."""

from __future__ import annotations

import json
import random
from pathlib import Path

from conftest import ROOT

from app.core import actions, document

T0 = 1_769_594_400_000
NODE = json.loads((ROOT / "data" / "fwb_grid.json").read_text())["nodes"][5][0]
NODES = [n[0] for n in json.loads((Path(__file__).resolve().parents[2] / "data" / "fwb_grid.json")
                                  .read_text())["nodes"][:4000:7]]


def peer_state(n: int = 1):
    state = actions.new_state(name="Alice", random_bytes=bytes(range(16)))
    for i in range(n):
        state, _ = actions.create_cellule(state, {"nodeId": NODE, "name": f"Cellule scannée {i}",
                                                  "description": "Description assez longue " * (3 + i % 5)},
                                          now_ms=T0 + i, random_bytes=random.Random(i).randbytes(16))
    return state


def peer_export(names: list[str], *, seed: int = 7, instance: str = "Asso voisine") -> str:
    """A full export of another instance holding one cellule per name."""
    state = actions.new_state(name=instance, random_bytes=bytes([seed]) * 16)
    for i, name in enumerate(names):
        state, _ = actions.create_cellule(state, {"nodeId": NODES[(seed * 31 + i) % len(NODES)], "name": name},
                                          now_ms=T0 + i, random_bytes=bytes([seed, i % 256]) * 8)
    return document.dumps(document.to_document(state, now_ms=T0 + len(names)))
