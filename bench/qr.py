"""QR benchmark: one cellule's QR code, and the animated QR of a whole export.

1. Making the QR code of a typical cellule. Side by side, interleaved, medians: segno (the app's
   library) and qrcode (the peer) in CPython, both at error correction M, and segno inside Pyodide
   (Python 3.14, under Node, with the very wheels the browser gets; run `make build` first).
   Goal: ≤ 50 ms in Pyodide.
2. Animated QR of a whole export, an association of 50 cellules and 150 ateliers:
   a. which frame size the camera path reads: jsQR (the browser's fallback reader, vendored) on
      640×480 camera-sized images of codes of each size, at random scales and offsets, sharp or
      blurred — the read rate per QR version, and bytes per frame;
   b. fountain frames (app.core.fountain, any sufficient set decodes) against today's numbered
      parts (FWBP, every part needed: a missed part waits for the loop to come round), in the same
      run, from the same export: frames shown per second, bytes per frame, median and 90th
      percentile time to decode and effective throughput (KB of export JSON per second) at
      0/10/20/30 % of frames missed (1,000 random loss patterns each, the scanner starting anywhere
      in the loop), and the fountain's overhead distribution (frames beyond K);
   c. decoding and frame-making cost, CPython and Pyodide.
Run: `.venv/bin/python bench/qr.py [--runs 30] [--patterns 1000] [--jsqr-samples 8]`.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.core import actions, document, fountain, payload, qr, transfer  # noqa: E402

T0 = 1_769_594_400_000
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
py.globals.set("frames", py.toPy(JSON.parse(process.argv[5])));
const anim = py.runPython(`
from app.core import qr, transfer
decode, make = [], []
for _ in range(max(3, runs // 5)):
    t = time.perf_counter(); transfer.decode_lines(frames); decode.append((time.perf_counter() - t) * 1000)
for text in frames[:max(3, runs // 3)]:
    t = time.perf_counter(); qr.svg(qr.make_frame(text), scale=6); make.append((time.perf_counter() - t) * 1000)
json.dumps({"decode": statistics.median(decode), "make": statistics.median(make)})
`);
console.log(anim);
"""

JSQR_SCRIPT = r"""
import fs from "node:fs";
const m = { exports: {} };
const source = fs.readFileSync(process.argv[2], "utf8");
new Function("module", "exports", "self", "window", source)(m, m.exports, globalThis, globalThis);
const jsQR = m.exports.default || m.exports;
const out = [];
for (const line of fs.readFileSync(0, "utf8").trim().split("\n")) {
  const [w, h, file] = line.split(" ");
  const gray = fs.readFileSync(file);
  const rgba = new Uint8ClampedArray(w * h * 4);
  for (let i = 0; i < w * h; i++) { rgba[4 * i] = rgba[4 * i + 1] = rgba[4 * i + 2] = gray[i]; rgba[4 * i + 3] = 255; }
  const t = performance.now();
  const hit = jsQR(rgba, Number(w), Number(h), { inversionAttempts: "attemptBoth" });
  out.push({ text: hit ? hit.data : null, ms: performance.now() - t });
}
console.log(JSON.stringify(out));
"""
WORDS = ("vélo atelier quartier réparation café jardin partage outil couture cuisine lecture musique "
         "solidarité école marché voisin potager jeux").split()
LOSSES = (0.0, 0.1, 0.2, 0.3)


def typical_cellule_payload() -> str:
    state = actions.new_state(name="Alice", random_bytes=bytes(range(16)))
    description = ("Réparations de vélos, prêt d’outils et café le samedi matin à la maison de quartier. " * 5)[:300]
    state, cellule = actions.create_cellule(state, {"nodeId": "871fa4c5bffffff", "name": "Cellule Vélo Outremeuse",
                                                    "description": description,
                                                    "contact": "velo.outremeuse@example.be"},
                                            now_ms=1_769_594_400_000, random_bytes=os.urandom(16))
    return payload.encode(qr.cellule_document(state, cellule.id, now_ms=1_769_594_400_000))


def association(cellules: int = 50, ateliers: int = 150, seed: int = 0):
    """The export the animated QR is measured on: 50 cellules and 150 ateliers, ordinary French words."""
    rnd = random.Random(seed)
    state = actions.new_state(name="Asso Banc", random_bytes=rnd.randbytes(16))
    nodes = [n[0] for n in json.loads((ROOT / "data" / "fwb_grid.json").read_text())["nodes"]]
    ids = []
    for i in range(cellules):
        state, cellule = actions.create_cellule(
            state, {"nodeId": nodes[(i * 37) % len(nodes)], "name": f"Cellule {rnd.choice(WORDS)} {i}",
                    "description": " ".join(rnd.choice(WORDS) for _ in range(rnd.randrange(8, 40))),
                    "contact": f"contact{i}@example.be"}, now_ms=T0 + i * 1000, random_bytes=rnd.randbytes(16))
        ids.append(cellule.id)
    for j in range(ateliers):
        state, _ = actions.create_atelier(
            state, {"celluleId": ids[j % len(ids)], "title": f"Atelier {rnd.choice(WORDS)} {j}",
                    "startsAt": f"2026-{2 + j % 9:02d}-{1 + j % 27:02d}T{9 + j % 10:02d}:00:00.000Z",
                    "place": f"Salle {rnd.choice(WORDS)}",
                    "description": " ".join(rnd.choice(WORDS) for _ in range(rnd.randrange(5, 25)))},
            now_ms=T0 + 100_000 + j * 1000, random_bytes=rnd.randbytes(16))
    return state


def jsqr_read_rates(samples: int) -> dict[int, float]:
    """2a: jsQR on camera-sized images of frames of each size (random data, so nothing compresses)."""
    from PIL import Image, ImageFilter

    rnd = random.Random(2)
    work = ROOT / ".cache" / "bench_jsqr"
    work.mkdir(parents=True, exist_ok=True)
    lines, meta = [], []
    for chars in (480, 600, 700, 820, qr.FRAME_CHARS, 958, 1249):
        for _ in range(samples):
            text = "FWBF:" + "".join(rnd.choice(payload.ALPHABET) for _ in range(chars - 5))
            code = qr.make_frame(text)
            image = Image.open(io.BytesIO(qr.png(code, scale=6))).convert("L")
            for blur in (0.0, 0.8, 1.4):
                size = rnd.randrange(300, 470)  # the code fills 60–100 % of the camera's height
                frame = Image.new("L", (640, 480), rnd.randrange(200, 250))
                scaled = image.resize((size, size), Image.Resampling.BILINEAR)
                if blur:
                    scaled = scaled.filter(ImageFilter.GaussianBlur(blur))
                frame.paste(scaled, ((640 - size) // 2 + rnd.randrange(-40, 40), (480 - size) // 2))
                path = work / f"{len(lines)}.gray"
                path.write_bytes(frame.tobytes())
                lines.append(f"640 480 {path}")
                meta.append((chars, code.version, blur, text))
    script = ROOT / ".cache" / "bench_jsqr.mjs"
    script.write_text(JSQR_SCRIPT)
    done = subprocess.run(["node", str(script), str(ROOT / "node_modules" / "jsqr" / "dist" / "jsQR.js")],
                          input="\n".join(lines), capture_output=True, text=True)
    if done.returncode:
        print("jsQR run failed (npm ci first?):", done.stderr.strip().splitlines()[-1:])
        return {}
    results = json.loads(done.stdout)
    print(f"\n2a. jsQR on 640×480 camera-sized images ({samples} random frames per size × sharp / blur 0.8 / "
          "blur 1.4 px, code 300–470 px tall)")
    print("  chars  QR      bytes/frame  read: all   sharp  blurred   median ms")
    rates = {}
    for chars in sorted({m[0] for m in meta}):
        rows = [(m, r) for m, r in zip(meta, results, strict=True) if m[0] == chars]
        ok = [r["text"] == m[3] for m, r in rows]
        rates[rows[0][0][1]] = sum(ok) / len(ok)
        sharp = [r["text"] == m[3] for m, r in rows if not m[2]]
        blurred = [r["text"] == m[3] for m, r in rows if m[2]]
        mark = "  <- the app's frames" if chars == qr.FRAME_CHARS else ""
        print(f"  {chars:5d}  {rows[0][0][1]:2d}-L   {fountain.block_size_for(chars):11d}  {sum(ok) / len(ok):9.0%}  "
              f"{sum(sharp) / len(sharp):5.0%}  {sum(blurred) / len(blurred):7.0%}  "
              f"{statistics.median(r['ms'] for _, r in rows):10.0f}{mark}")
    return rates


def frames_until(shown, period: int, need, loss: float, rnd: random.Random) -> int:
    """Frames shown (shown(position), the loop going round) until `need(received)` says the
    scanner can decode; the scanner starts anywhere in the first `period` positions."""
    start = rnd.randrange(period)
    received = []
    for n in range(1, 50 * period):
        if rnd.random() >= loss:
            received.append(shown(start + n - 1))
            if need(received):
                return n
    raise RuntimeError("never decoded")


def animated(patterns: int, rates: dict[int, float]) -> list[str]:
    """2b: fountain frames against numbered parts, same export, same run."""
    state = association()
    doc = document.to_document(state, now_ms=T0)
    json_bytes = len(document.dumps(doc).encode("utf-8"))
    sent = qr.animated_transfer(doc)
    fountain_frames = sent.frames(qr.loop_length(sent))
    parts = qr.frames(payload.encode(doc))  # today's FWBP parts: version ≤ 20-M, every one needed
    part_bytes = qr.CHUNK_CHARS * 2 // 3
    # The fountain at the parts' own frame size (version 20): the coding alone, frame size aside.
    big = fountain.Transfer.of(payload.compress(doc), block_size=fountain.block_size_for(qr.CHUNK_CHARS))
    texts: dict[tuple[int, int], str] = {}

    def text_of(t: fountain.Transfer, seq: int) -> str:
        if (t.count, seq) not in texts:
            texts[(t.count, seq)] = t.frame(seq)
        return texts[(t.count, seq)]
    fps = qr.SPEEDS[qr.DEFAULT_SPEED]
    print(f"\n2b. export of 50 cellules + 150 ateliers: {json_bytes / 1000:.1f} KB of JSON, "
          f"{sent.length / 1000:.1f} KB compressed (×{json_bytes / sent.length:.1f})")
    print(f"  fountain: K = {sent.count} plain frames + {len(fountain_frames) - sent.count} fresh combinations "
          f"each pass, {len(fountain_frames[0])} chars = QR {qr.make_frame(fountain_frames[0]).version}-L, "
          f"{qr.FRAME_BLOCK} bytes of data per frame")
    print(f"  parts:    {len(parts)} parts of ≤ {qr.CHUNK_CHARS} chars = QR {qr.make(parts[0]).version}-M, "
          f"≈ {part_bytes} bytes per frame, every part needed")
    print(f"  frames shown per second: {fps} (« Normale »; « Lente » {qr.SPEEDS['slow']}, « Rapide » "
          f"{qr.SPEEDS['fast']}); {patterns} loss patterns per row, the scanner starts anywhere in the loop")
    overheads: dict[float, list[int]] = {}

    def run(loss: float, read: dict[str, float], keep_overhead: bool) -> None:
        rnd = {name: random.Random(f"{name}{loss}") for name in ("fountain", "fountain 20", "parts")}
        counts: dict[str, list[int]] = {name: [] for name in rnd}
        extra = []
        for _ in range(patterns):  # interleaved: one pattern of each, in turn
            for name, t in (("fountain", sent), ("fountain 20", big)):
                seen: list[int] = []
                receiver = transfer.Receiver()

                def done(received, receiver=receiver, seen=seen, t=t) -> bool:
                    seen.append(received[-1])
                    return receiver.feed(text_of(t, received[-1])).status == "done"

                def shown(position, t=t) -> int:  # the sender's loop: plain frames, then fresh combinations
                    return qr.loop_seq(t.count, position)

                lost = 1 - (1 - loss) * read[name]
                counts[name].append(frames_until(shown, qr.loop_length(t), done, lost, rnd[name]))
                if name == "fountain":
                    extra.append(len(seen) - sent.count)
            got: set[int] = set()

            def parts_done(received, got=got) -> bool:
                got.add(received[-1])
                return len(got) == len(parts)

            lost = 1 - (1 - loss) * read["parts"]
            counts["parts"].append(frames_until(lambda p: p % len(parts), len(parts), parts_done, lost, rnd["parts"]))
        if keep_overhead:
            overheads[loss] = extra
        for name in rnd:
            c = sorted(counts[name])
            med, p90 = statistics.median(c), c[int(0.9 * len(c))]
            print(f"  {loss:4.0%}   {name:11s}  {med:5.0f} / {p90:<5d}   {med / fps:6.1f} / {p90 / fps:<6.1f}"
                  f"   {json_bytes / 1000 / (med / fps):6.1f} (p90: {json_bytes / 1000 / (p90 / fps):.1f})")

    header = "  missed format       frames (med / p90)  time s (med / p90)  throughput KB/s of JSON (median)"
    print("  (fountain 20 = fountain frames of the parts' size, version 20: the coding alone, frame size aside)")
    print(header)
    for loss in LOSSES:
        run(loss, {"fountain": 1.0, "fountain 20": 1.0, "parts": 1.0}, True)
    version = qr.make_frame(fountain_frames[0]).version
    if rates and version in rates and 20 in rates:
        read = {"fountain": rates[version], "fountain 20": rates[20], "parts": rates[20]}
        print(f"  the same, a frame also missed when jsQR cannot read it (2a: version {version} read "
              f"{rates[version]:.0%}, version 20 read {rates[20]:.0%}):")
        print(header)
        for loss in LOSSES:
            run(loss, read, False)
    print(f"  fountain overhead, frames received beyond K = {sent.count} "
          f"(1.1 K = {math.ceil(1.1 * sent.count)}), {patterns} patterns:")
    for loss, extra in overheads.items():
        e = sorted(extra)
        within = sum(x <= math.ceil(0.1 * sent.count) + 3 for x in e) / len(e)
        print(f"    {loss:4.0%} missed: median {statistics.median(e):.0f}, p90 {e[int(0.9 * len(e))]}, p99 "
              f"{e[int(0.99 * len(e))]}, max {e[-1]}; within ceil(1.1 K) + 3 frames: {within:.1%}")
    return fountain_frames


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--patterns", type=int, default=1000)
    parser.add_argument("--jsqr-samples", type=int, default=8)
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
    rates = jsqr_read_rates(args.jsqr_samples) if args.jsqr_samples else {}
    frames = animated(args.patterns, rates)
    decode, make = [], []
    for _ in range(max(3, args.runs // 5)):
        t = time.perf_counter()
        transfer.decode_lines(frames)
        decode.append((time.perf_counter() - t) * 1000)
    for text in frames[:max(3, args.runs // 3)]:
        t = time.perf_counter()
        qr.svg(qr.make_frame(text), scale=6)
        make.append((time.perf_counter() - t) * 1000)
    done = subprocess.run(["node", str(script), str(ROOT / "build" / "site"), text, str(args.runs), json.dumps(frames)],
                          capture_output=True, text=True)
    if done.returncode:
        print("Pyodide run failed (make build first?):", done.stderr.strip().splitlines()[-1:])
        return 1
    lines = done.stdout.strip().splitlines()
    result, anim = json.loads(lines[-2]), json.loads(lines[-1])
    print(f"\n1. (Pyodide) typical cellule: segno {result['median']:.1f} ms (goal ≤ 50 ms), "
          f"Pyodide/CPython {result['median'] / seg:.2f}")
    print(f"2c. whole loop of {len(frames)} fountain frames decoded (every frame fed): CPython "
          f"{statistics.median(decode):.0f} ms, Pyodide {anim['decode']:.0f} ms; one frame's QR + SVG (the sender, "
          f"once per frame): CPython {statistics.median(make):.0f} ms, Pyodide {anim['make']:.0f} ms "
          f"(the « Rapide » speed shows one every {1000 // qr.SPEEDS['fast']} ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
