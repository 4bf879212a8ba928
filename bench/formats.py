"""Open-format exports on a big state: time per format, and iCalendar line folding
character by character (A: the obvious loop) against by bytes (B: app.core.formats.ics.fold).

Native CPython; Pyodide is typically 2-4x slower. Medians of --runs, A and B interleaved.
Run `.venv/bin/python bench/formats.py [--cellules 5000 --ateliers 20000 --runs 5]`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.core.formats import FORMATS, export_file, ics  # noqa: E402
from app.core.formats.printing import print_sheet  # noqa: E402
from app.core.grid import Grid  # noqa: E402
from app.core.model import Atelier, Cellule, State  # noqa: E402

T0 = 1_769_594_400_000


def big_state(n_cellules: int, n_ateliers: int, nodes: list[str]) -> State:
    stamp = "2026-01-28T10:00:00.000Z-0000-Cbenchaa"
    cellules = {}
    for i in range(n_cellules):
        cid = f"c{i:08d}"
        cellules[cid] = Cellule(id=cid, created_at="2026-01-28T10:00:00Z", origin="Cbenchaa",
                                node_id=nodes[i % len(nodes)], name=f"Cellule n° {i} « Vélo »",
                                description="Réparations, entraide ;\nle samedi " * 3, contact="+32 470 00 00 00",
                                clock={"name": stamp})
    ateliers = {}
    ids = list(cellules)
    for i in range(n_ateliers):
        aid = f"a{i:08d}"
        ateliers[aid] = Atelier(id=aid, created_at="2026-01-28T10:00:00Z", origin="Cbenchaa",
                                cellule_id=ids[i % len(ids)], title=f"Atelier {i} : crevaisons, pneus; chambres à air",
                                starts_at=f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}T18:00:00Z",
                                place="Maison de quartier",
                                description="Apportez votre vélo 🚲, vos outils ; café offert.\n" * 4,
                                clock={"title": stamp})
    return State(instance_id="Cbenchaa", instance_name="Bench", cellules=cellules, ateliers=ateliers)


def fold_by_char(line: str) -> str:
    parts, current, size, limit = [], [], 0, 75
    for char in line:
        n = len(char.encode("utf-8"))
        if size + n > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, 74
        current.append(char)
        size += n
    parts.append("".join(current))
    return "\r\n ".join(parts)


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cellules", type=int, default=5000)
    parser.add_argument("--ateliers", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    grid = Grid.from_json(json.loads((ROOT / "data" / "fwb_grid.json").read_text("utf-8")))
    state = big_state(args.cellules, args.ateliers, sorted(grid.nodes))
    print(f"state: {args.cellules} cellules, {args.ateliers} ateliers; median of {args.runs} runs")
    for key in FORMATS:
        times, size = [], 0
        for _ in range(args.runs):
            start = time.perf_counter()
            size = len(export_file(state, grid, key, now_ms=T0).data)
            times.append(time.perf_counter() - start)
        print(f"  {key:13} {statistics.median(times) * 1000:8.0f} ms  {size / 1e6:6.1f} MB")
    times = [timed(lambda: print_sheet(state, grid, now_ms=T0)) for _ in range(args.runs)]
    print(f"  {'print sheet':13} {statistics.median(times) * 1000:8.0f} ms")
    lines = [f"DESCRIPTION:{ics.escape_text(a.description + a.title)}" for a in state.ateliers.values()]
    a_times, b_times = [], []
    for _ in range(args.runs):
        a_times.append(timed(lambda: [fold_by_char(x) for x in lines]))
        b_times.append(timed(lambda: [ics.fold(x) for x in lines]))
    a, b = statistics.median(a_times), statistics.median(b_times)
    assert [fold_by_char(x) for x in lines[:200]] == [ics.fold(x) for x in lines[:200]]
    print(f"fold {len(lines)} lines: A by character {a * 1000:.0f} ms | B by bytes {b * 1000:.0f} ms"
          f" | A/B {a / b:.1f}x")


if __name__ == "__main__":
    main()
