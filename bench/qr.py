"""QR benchmark (issue 6): making the QR code of a typical cellule.

Side by side, interleaved, medians: segno (the app's library) and qrcode (the peer) in CPython, both
at error correction M, and segno inside Pyodide (Python 3.14, under Node, with the very wheels the
browser gets; run `make build` first). Goal: ≤ 50 ms in Pyodide.
Run: `.venv/bin/python bench/qr.py [--runs 30]`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.core import actions, payload, qr  # noqa: E402

NODE_SCRIPT = r"""
import path from "node:path";
import { pathToFileURL } from "node:url";
const site = process.argv[2], text = process.argv[3], runs = Number(process.argv[4]);
const { loadPyodide } = await import(pathToFileURL(path.join(site, "pyodide/pyodide.mjs")).href);
const py = await loadPyodide({ indexURL: path.join(site, "pyodide") + "/" });
await py.loadPackage("cellules-fwb", { messageCallback: () => {} });
py.globals.set("text", text);
py.globals.set("runs", runs);
const out = py.runPython(`
import time, statistics, json
from app.core import qr
qr.make(text)  # warm-up (imports)
times = []
for _ in range(runs):
    t = time.perf_counter(); code = qr.make(text); qr.svg(code); times.append((time.perf_counter() - t) * 1000)
json.dumps({"median": statistics.median(times), "version": code.version})
`);
console.log(out);
"""


def typical_cellule_payload() -> str:
    state = actions.new_state(name="Alice", random_bytes=bytes(range(16)))
    description = ("Réparations de vélos, prêt d’outils et café le samedi matin à la maison de quartier. " * 5)[:300]
    state, cellule = actions.create_cellule(state, {"nodeId": "871fa4c5bffffff", "name": "Cellule Vélo Outremeuse",
                                                    "description": description,
                                                    "contact": "velo.outremeuse@example.be"},
                                            now_ms=1_769_594_400_000, random_bytes=os.urandom(16))
    return payload.encode(qr.cellule_document(state, cellule.id, now_ms=1_769_594_400_000))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    import qrcode
    import qrcode.image.svg

    bare = typical_cellule_payload()
    # What the app shows: the app link (address in byte mode, payload in alphanumeric mode).
    text = qr.cellule_frames(bare, "https://cellules.example.be/")[0]
    assert text.startswith("https://"), "a typical cellule must fit one linked code"

    def with_segno() -> None:
        qr.svg(qr.make(text))

    def with_qrcode() -> None:
        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, image_factory=qrcode.image.svg.SvgImage)
        code.add_data(text)
        code.make(fit=True)
        code.make_image().to_string()

    samples: dict[str, list[float]] = {"segno": [], "qrcode": []}
    for _ in range(args.runs):
        for name, fn in (("segno", with_segno), ("qrcode", with_qrcode)):
            t = time.perf_counter()
            fn()
            samples[name].append((time.perf_counter() - t) * 1000)
    seg, qrc = statistics.median(samples["segno"]), statistics.median(samples["qrcode"])
    version = qr.make(text).version
    print(f"typical cellule: app link of {len(text)} characters, QR version {version}-M (bare payload: "
          f"{len(bare)} characters, version {qr.make(bare).version}); medians of {args.runs} interleaved runs")
    print(f"CPython {sys.version.split()[0]}: segno {seg:.1f} ms, qrcode {qrc:.1f} ms, segno/qrcode {seg / qrc:.2f}")
    script = ROOT / ".cache" / "bench_qr.mjs"
    script.parent.mkdir(exist_ok=True)
    script.write_text(NODE_SCRIPT)
    done = subprocess.run(["node", str(script), str(ROOT / "build" / "site"), text, str(args.runs)],
                          capture_output=True, text=True)
    if done.returncode:
        print("Pyodide run failed (make build first?):", done.stderr.strip().splitlines()[-1:])
        return 1
    result = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"Pyodide (Python 3.14, Node): segno {result['median']:.1f} ms (goal ≤ 50 ms), "
          f"Pyodide/CPython {result['median'] / seg:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
