"""Grid benchmark (issues 3 and 14): draws, frames while panning and zooming, data size —
with and without the commune borders and labels, in the same run.

Headless Chromium on the built site. Figures (medians over --runs fresh pages):
  * geometry: building the SVG path of all nodes and the Path2D (Python, in the page);
  * first draw: one frame with every node (the map's own timer), and the first frame with borders
    and labels, after data/fwb_map.json arrived: parsing it (MapData), its three Path2D, that
    frame (which places the labels for its scale) — their sum is the time from data to picture;
  * pan and zoom: a scripted drag (120 pointer moves, one per animation frame) and a scripted
    zoom (60 wheel steps in, 60 out), each run three times, interleaved (the order flips every
    run): borders and labels off, every frame a full redraw (the bare map); on, every frame
    a full redraw (A: the map before gesture frames; labels of a level placed before stand in while
    a zoom runs); on, with gesture frames (B: the last crisp frame as a scaled bitmap while the
    gesture runs, a crisp frame when it is scaled beyond ×3/÷3 or leaves too much bare, app/web/map_gesture.py).
    Frames per second = frames the map drew / wall time, beside the browser's own animation rate
    in the same window (requestAnimationFrame ticks / wall time: it drops when a frame takes too
    long to rasterise), the share of gesture frames, and the median time of one frame by the
    map's own timer (Python);
  * one frame rasterised: the map redrawn at once and its pixels read back (getImageData waits
    for them): a full frame, nodes only or with borders and labels, and a gesture frame;
  * data/fwb_grid.json and data/fwb_map.json, raw and gzip.
Run `.venv/bin/python bench/grid.py` after `make build`.
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


# Driven from inside the page: one event per animation frame, so the measure is the app's, not the
# round trips of the test driver.
GESTURE = """async ([kind, layers, cache]) => {
  window.cellulesMapLayers(layers);
  window.cellulesMapGestureCache(cache);
  const c = document.getElementById('map-canvas');
  const r = c.getBoundingClientRect();
  const frame = () => new Promise(requestAnimationFrame);
  const ev = (type, x, y) => c.dispatchEvent(new PointerEvent(type, {pointerId: 7, clientX: r.left + x,
      clientY: r.top + y, bubbles: true, pointerType: 'mouse', isPrimary: true}));
  const wheel = (dy) => c.dispatchEvent(new WheelEvent('wheel', {deltaY: dy, clientX: r.left + r.width / 2,
      clientY: r.top + r.height / 2, bubbles: true, cancelable: true}));
  await frame(); await frame();
  const before = window.cellulesMap.frames, cachedBefore = window.cellulesMap.cachedFrames;
  const python = [];
  if (kind === 'pan') ev('pointerdown', 300, 300);
  const t0 = performance.now();
  for (let i = 1; i <= 120; i++) {
    await frame();
    if (kind === 'pan') ev('pointermove', 300 + (i % 60) * 4, 300 + (i % 40) * 3);
    else wheel(i <= 60 ? -40 : 40);
    python.push(window.cellulesMap.lastFrameMs);
  }
  await frame();
  const seconds = (performance.now() - t0) / 1000;
  const frames = window.cellulesMap.frames - before, cached = window.cellulesMap.cachedFrames - cachedBefore;
  if (kind === 'pan') ev('pointerup', 300, 300);
  await new Promise(r => setTimeout(r, 250));  // the gesture rests: its crisp frame, then the next run
  await frame();
  python.sort((a, b) => a - b);
  window.cellulesMapLayers(true);
  window.cellulesMapGestureCache(true);
  return {frames, cached, ticks: 121, seconds, pythonMs: python[60]};
}"""

# Redraws of the current view, rasterised at once (getImageData waits for the pixels): the cost of
# a frame on this machine, Python and canvas together. Median of 15: layers off or on, full frames;
# or gesture frames (the bitmap of a crisp frame drawn first, moved by 3 px each time).
REDRAW = """([layers, cached]) => {
  window.cellulesMapLayers(layers);
  const ctx = document.getElementById('map-canvas').getContext('2d');
  window.cellulesMapDraw(0, false); ctx.getImageData(0, 0, 1, 1);
  const times = [];
  let gesture = 0;
  for (let i = 0; i < 15; i++) {
    const t0 = performance.now();
    gesture += window.cellulesMapDraw(i % 2 ? 3 : -3, cached); ctx.getImageData(0, 0, 1, 1);
    times.push(performance.now() - t0);
  }
  if (cached && gesture !== 15) throw new Error('gesture frames not drawn: ' + gesture);
  window.cellulesMapLayers(true);
  window.cellulesMapDraw(0, false);
  times.sort((a, b) => a - b);
  return times[7];
}"""

# (label, borders and labels, gesture frames): A is the map before gesture frames, B with them.
MODES = (("off", False, False), ("A", True, False), ("B", True, True))


def one_run(pw, url: str, flip: bool) -> dict:
    with tempfile.TemporaryDirectory() as profile:
        ctx = pw.chromium.launch_persistent_context(profile, executable_path="/usr/bin/chromium", args=FLAGS,
                                                    viewport={"width": 1280, "height": 900})
        page = ctx.pages[0]
        page.goto(url)
        page.wait_for_function("document.documentElement.dataset.appState === 'ready'", timeout=120_000)
        page.click("#tab-map")
        page.wait_for_function("typeof window.cellulesMap?.firstFullDrawMs === 'number'", timeout=60_000)
        stats = page.evaluate("({...window.cellulesMap})")
        out = {"path_ms": stats["pathMs"], "first_draw_ms": stats["firstDrawMs"],
               "parse_ms": stats["overlayParseMs"], "overlay_ms": stats["overlayMs"],
               "first_full_ms": stats["firstFullDrawMs"], "place_ms": stats["placeMs"],
               "redraw_off_ms": page.evaluate(REDRAW, [False, False]),
               "redraw_on_ms": page.evaluate(REDRAW, [True, False]),
               "redraw_gesture_ms": page.evaluate(REDRAW, [True, True])}
        page.fill("#map-search", "namur")
        page.press("#map-search", "Enter")
        page.wait_for_selector("#node-panel")
        page.wait_for_timeout(300)
        out["commune_off_ms"] = page.evaluate(REDRAW, [False, False])
        out["commune_on_ms"] = page.evaluate(REDRAW, [True, False])
        out["commune_gesture_ms"] = page.evaluate(REDRAW, [True, True])
        page.click("#node-panel [data-action=map-close-panel]")
        out["data_to_picture_ms"] = out["parse_ms"] + out["overlay_ms"] + out["first_full_ms"]
        for kind in ("pan", "zoom"):
            for label, layers, cache in (MODES[::-1] if flip else MODES):
                r = page.evaluate(GESTURE, [kind, layers, cache])
                tag = f"{kind}_{label}"
                out[f"{tag}_fps"] = r["frames"] / r["seconds"]
                out[f"{tag}_frame_ms"] = r["pythonMs"]
                out[f"{tag}_raf_fps"] = r["ticks"] / r["seconds"]
                out[f"{tag}_gesture_share"] = r["cached"] / max(r["frames"], 1)
        ctx.close()
        return out


def size(path: Path) -> tuple[float, float]:
    raw = path.read_bytes()
    return len(raw) / 1024, len(gzip.compress(raw, 9, mtime=0)) / 1024


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
            for i in range(args.runs):
                runs.append(one_run(pw, url, flip=i % 2 == 1))
    finally:
        httpd.shutdown()
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    grid_raw, grid_gz = size(ROOT / "data" / "fwb_grid.json")
    map_raw, map_gz = size(ROOT / "data" / "fwb_map.json")
    print(f"medians of {args.runs} runs (headless Chromium, software rendering, this machine)")
    print(f"geometry: SVG path + Path2D of all nodes          {med['path_ms']:8.1f} ms")
    print(f"first draw of all nodes (map's first frame)        {med['first_draw_ms']:8.1f} ms   (goal ≤ 100 ms)")
    print("borders and labels, from data/fwb_map.json arrived to picture:")
    print(f"  parse (json + MapData)                           {med['parse_ms']:8.1f} ms")
    print(f"  Path2D of the border tiles                       {med['overlay_ms']:8.1f} ms")
    print(f"  first frame with them (places the labels)        {med['first_full_ms']:8.1f} ms"
          f"   (of which placing the labels {med['place_ms']:.1f} ms)")
    print(f"  sum                                              {med['data_to_picture_ms']:8.1f} ms   (goal ≤ 100 ms)")
    for where, key in (("whole FWB", "redraw"), ("commune of Namur", "commune")):
        off, on, gesture = med[f"{key}_off_ms"], med[f"{key}_on_ms"], med[f"{key}_gesture_ms"]
        print(f"one frame rasterised, {where:16}: full, nodes only {off:6.1f} ms · full, with borders and labels "
              f"{on:6.1f} ms · gesture frame (bitmap) {gesture:6.1f} ms  (ratio gesture/full "
              f"{gesture / max(on, 0.01):.2f}; ≤ 20 ms for 50 fps)")
    print("frames per second while a gesture runs (goal ≥ 50 with borders and labels); in brackets the browser's "
          "own animation rate in the same window, then the map's Python time for one frame:")
    for kind in ("pan", "zoom"):
        cells = []
        for label, title in (("off", "nodes only, full redraws"), ("A", "A: full redraws"),
                             ("B", "B: gesture frames")):
            cells.append(f"{title} {med[f'{kind}_{label}_fps']:5.1f} fps ({med[f'{kind}_{label}_raf_fps']:5.1f}; "
                         f"{med[f'{kind}_{label}_frame_ms']:.1f} ms)")
        print(f"  {kind:4}: " + " · ".join(cells))
        print(f"        B/A {med[f'{kind}_B_fps'] / max(med[f'{kind}_A_fps'], 0.01):.2f}; in B "
              f"{100 * med[f'{kind}_B_gesture_share']:.0f} % of the frames were the bitmap, the rest crisp")
    print(f"data/fwb_grid.json   {grid_raw:8.1f} KiB raw, {grid_gz:6.1f} KiB gzip (goal ≤ 100 KiB gzip)")
    print(f"data/fwb_map.json    {map_raw:8.1f} KiB raw, {map_gz:6.1f} KiB gzip: what borders + labels add "
          f"(goal ≤ 150 KiB gzip; loaded when the map first opens)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
