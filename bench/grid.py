"""Grid benchmark (issues 3 and 14): draws, frames while panning and zooming, data size —
with and without the commune borders and labels, in the same run.

Headless Chromium on the built site. Figures (medians over --runs fresh pages):
  * geometry: building the SVG path of all nodes and the Path2D (Python, in the page);
  * first draw: one frame with every node (the map's own timer), and the first frame with borders
    and labels, after data/fwb_map.json arrived: parsing it (MapData), its three Path2D, that
    frame (which places the labels for its scale) — their sum is the time from data to picture;
  * pan and zoom: a scripted drag (120 pointer moves, one per animation frame) and a scripted
    zoom (60 wheel steps in, 60 out), each run twice, interleaved: borders and labels off (the
    map of issue 3) then on (labels of a level placed before stand in while a zoom runs; the exact
    level is placed when it rests). Frames per second = frames the map drew / wall time; the median time
    of one frame by the map's own timer beside it;
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
GESTURE = """async ([kind, layers]) => {
  window.cellulesMapLayers(layers);
  const c = document.getElementById('map-canvas');
  const r = c.getBoundingClientRect();
  const frame = () => new Promise(requestAnimationFrame);
  const ev = (type, x, y) => c.dispatchEvent(new PointerEvent(type, {pointerId: 7, clientX: r.left + x,
      clientY: r.top + y, bubbles: true, pointerType: 'mouse', isPrimary: true}));
  const wheel = (dy) => c.dispatchEvent(new WheelEvent('wheel', {deltaY: dy, clientX: r.left + r.width / 2,
      clientY: r.top + r.height / 2, bubbles: true, cancelable: true}));
  await frame(); await frame();
  const before = window.cellulesMap.frames;
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
  if (kind === 'pan') ev('pointerup', 300, 300);
  python.sort((a, b) => a - b);
  window.cellulesMapLayers(true);
  return {frames: window.cellulesMap.frames - before, ticks: 121, seconds, pythonMs: python[60]};
}"""

# Redraws of the current view, rasterised at once (getImageData waits for the pixels): the cost of
# a frame on this machine, Python and canvas together. Median of 15, layers off or on.
REDRAW = """(layers) => {
  window.cellulesMapLayers(layers);
  const m = window.cellulesApp.mapview.map;
  const ctx = document.getElementById('map-canvas').getContext('2d');
  const times = [];
  for (let i = 0; i < 15; i++) {
    const t0 = performance.now();
    m.pan(i % 2 ? 3 : -3, 0); m.draw(); ctx.getImageData(0, 0, 1, 1);
    times.push(performance.now() - t0);
  }
  window.cellulesMapLayers(true);
  times.sort((a, b) => a - b);
  return times[7];
}"""


def one_run(pw, url: str) -> dict:
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
               "redraw_off_ms": page.evaluate(REDRAW, False), "redraw_on_ms": page.evaluate(REDRAW, True)}
        page.fill("#map-search", "namur")
        page.press("#map-search", "Enter")
        page.wait_for_selector("#node-panel")
        page.wait_for_timeout(300)
        out["commune_off_ms"] = page.evaluate(REDRAW, False)
        out["commune_on_ms"] = page.evaluate(REDRAW, True)
        page.click("#node-panel [data-action=map-close-panel]")
        out["data_to_picture_ms"] = out["parse_ms"] + out["overlay_ms"] + out["first_full_ms"]
        for kind in ("pan", "zoom"):
            for layers in (False, True):
                r = page.evaluate(GESTURE, [kind, layers])
                tag = f"{kind}_{'on' if layers else 'off'}"
                out[f"{tag}_fps"] = r["frames"] / r["seconds"]
                out[f"{tag}_frame_ms"] = r["pythonMs"]
                out[f"{tag}_raf_fps"] = r["ticks"] / r["seconds"]
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
            for _ in range(args.runs):
                runs.append(one_run(pw, url))
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
        off, on = med[f"{key}_off_ms"], med[f"{key}_on_ms"]
        print(f"one frame rasterised, {where:16}: nodes only {off:6.1f} ms · with borders and labels "
              f"{on:6.1f} ms  (ratio {on / max(off, 0.01):.2f}; ≤ 20 ms for 50 fps)")
    for kind in ("pan", "zoom"):
        off, on = med[f"{kind}_off_fps"], med[f"{kind}_on_fps"]
        print(f"{kind:4}: map frames per second   nodes only {off:6.1f} fps · with borders and labels {on:6.1f} fps "
              f"(goal ≥ 50; browser's animation rate {med[f'{kind}_on_raf_fps']:.1f} fps); one frame "
              f"{med[f'{kind}_off_frame_ms']:.1f} ms · {med[f'{kind}_on_frame_ms']:.1f} ms")
    print(f"data/fwb_grid.json   {grid_raw:8.1f} KiB raw, {grid_gz:6.1f} KiB gzip (goal ≤ 100 KiB gzip)")
    print(f"data/fwb_map.json    {map_raw:8.1f} KiB raw, {map_gz:6.1f} KiB gzip: what borders + labels add "
          f"(goal ≤ 150 KiB gzip; loaded when the map first opens)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
