"""Grid benchmark (issue 3): first draw of all nodes, frames during a scripted pan, file size.

Headless Chromium on the built site. Figures:
  * geometry: building the SVG path of all nodes and the Path2D (Python, in the page);
  * first draw: one frame with every node (the map's own timer);
  * pan: a scripted drag of 60 steps; frames per second from the frames the map drew over the
    wall time of the drag, and the median time of one frame (side by side: a frame is measured
    by the map's own timer, the pan by the browser's clock);
  * data/fwb_grid.json raw and gzip.
Medians over --runs fresh pages. Run `.venv/bin/python bench/grid.py` after `make build`.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from app.serve import make_server  # noqa: E402

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


# A drag driven from inside the page: one pointermove per animation frame for 120 frames, so the
# measure is the app's, not the round trips of the test driver.
PAN = """async () => {
  const c = document.getElementById('map-canvas');
  const r = c.getBoundingClientRect();
  const ev = (type, x, y) => c.dispatchEvent(new PointerEvent(type, {pointerId: 7, clientX: r.left + x,
      clientY: r.top + y, bubbles: true, pointerType: 'mouse', isPrimary: true}));
  const before = window.cellulesMap.frames;
  ev('pointerdown', 300, 300);
  const t0 = performance.now();
  const python = [];
  for (let i = 1; i <= 120; i++) {
    await new Promise(requestAnimationFrame);
    ev('pointermove', 300 + (i % 60) * 4, 300 + (i % 40) * 3);
    python.push(window.cellulesMap.lastFrameMs);
  }
  await new Promise(requestAnimationFrame);
  const seconds = (performance.now() - t0) / 1000;
  ev('pointerup', 300, 300);
  python.sort((a, b) => a - b);
  return {frames: window.cellulesMap.frames - before, ticks: 121, seconds, pythonMs: python[60]};
}"""


def one_run(pw, url: str) -> dict:
    with tempfile.TemporaryDirectory() as profile:
        ctx = pw.chromium.launch_persistent_context(profile, executable_path="/usr/bin/chromium", args=FLAGS,
                                                    viewport={"width": 1280, "height": 900})
        page = ctx.pages[0]
        page.goto(url)
        page.wait_for_function("document.documentElement.dataset.appState === 'ready'", timeout=120_000)
        page.click("#tab-map")
        page.wait_for_function("window.cellulesMap && window.cellulesMap.frames >= 1")
        stats = page.evaluate("({...window.cellulesMap})")
        pan = page.evaluate(PAN)
        ctx.close()
        return {"path_ms": stats["pathMs"], "first_draw_ms": stats["firstDrawMs"],
                "pan_fps": pan["frames"] / pan["seconds"], "frame_ms": pan["pythonMs"], "frames": pan["frames"],
                "raf_fps": pan["ticks"] / pan["seconds"]}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    site = ROOT / "build" / "site"
    httpd = make_server(site, port=0)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/"
    runs = []
    try:
        with sync_playwright() as pw:
            for _ in range(args.runs):
                runs.append(one_run(pw, url))
    finally:
        httpd.shutdown()
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    raw = (ROOT / "data" / "fwb_grid.json").read_bytes()
    print(f"medians of {args.runs} runs (headless Chromium, software rendering, this machine)")
    print(f"geometry: SVG path + Path2D of all nodes   {med['path_ms']:8.1f} ms")
    print(f"first draw of all nodes                     {med['first_draw_ms']:8.1f} ms   (goal ≤ 100 ms)")
    print(f"one frame while panning, Python side        {med['frame_ms']:8.1f} ms")
    print(f"pan: map frames drawn per second            {med['pan_fps']:8.1f} fps  (goal ≥ 50; "
          f"{med['frames']:.0f} frames; the browser's own animation rate here: {med['raf_fps']:.1f} fps)")
    print(f"data/fwb_grid.json                          {len(raw) / 1024:8.1f} KiB raw, "
          f"{len(gzip.compress(raw, 9)) / 1024:.1f} KiB gzip (goal ≤ 100 KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
