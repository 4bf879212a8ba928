"""Boot benchmark (issues 2 and 16): the app against a bare Pyodide page loading the same wheels.

Headless Chromium, fresh profile per run; runs are interleaved (app, bare, app, bare, ...) and
medians are reported with the app/bare ratio. Figures:
  * cold: Python ready (our code starts running; the bare page: its packages imported), read from
    the page's own clock, and boot to data-app-state="ready" (empty profile, from the network);
  * reload (HTTP cache and service worker warm; the app restores its memory snapshot, which its
    worker made after the first boot — the bench waits for it);
  * offline boot (server stopped, everything from the service worker);
  * first paint offline, and the stored list (#boot-preview, seeded in localStorage) painted;
  * the same second-visit and offline boots with the CPU throttled x4 (CDP
    Emulation.setCPUThrottlingRate, a mid-range phone), against the bare page's second visit x4
    (the bare page has no service worker, so it has no offline boot: its second visit is the
    reference for both);
  * the longest main-thread task and the total long-task time (PerformanceObserver "longtask")
    during the x4 boots, and the longest task that started after the first paint;
  * bytes sent by the server on a first visit (compressed responses, page + worker precache);
  * our own code + wheels + grid, gzip, on top of the Pyodide core.

Run: `.venv/bin/python bench/boot.py [--runs 3]` (after `make build`). Not a test: it prints.
Timings on a shared 2-core machine swing by ±30 % or more: read the ratios of one run.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from app.serve import make_server  # noqa: E402

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
BARE = """<!doctype html><html data-app-state="booting"><head><meta charset="utf-8"><title>bare</title></head>
<body><p>Bare Pyodide page</p><script type="module">
const { loadPyodide } = await import("./pyodide/pyodide.mjs");
const py = await loadPyodide({ indexURL: "./pyodide/", packages: ["cellules-fwb"] });
py.runPython("import app, app.core.document");
document.documentElement.dataset.bootMarks = JSON.stringify({python: Math.round(performance.now())});
document.documentElement.dataset.appState = "ready";
</script></body></html>
"""
READY = "document.documentElement.dataset.appState === 'ready'"
FCP = """new Promise((resolve) => {
  const hit = performance.getEntriesByName('first-contentful-paint')[0];
  if (hit) return resolve(hit.startTime);
  new PerformanceObserver((list) => resolve(list.getEntries()[0].startTime)).observe({type: 'paint', buffered: true});
})"""
# Before any page script: collect long tasks and give the page a stored list to paint
# (what app/web/views/cellules.py saves after rendering 40 cellules).
PREVIEW = json.dumps({"title": "Cellules (40)", "items": [[f"Cellule {i}", "Liège"] for i in range(40)]})
INIT = """
window.__longtasks = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) window.__longtasks.push([e.startTime, e.duration]);
})
  .observe({type: 'longtask', buffered: true});
try { localStorage.setItem('cellules-fwb-preview', __PREVIEW__); } catch (e) {}
""".replace("__PREVIEW__", json.dumps(PREVIEW))
TASKS = """(async () => {
  const fcp = await __FCP__;
  const tasks = window.__longtasks;
  const after = tasks.filter(([start]) => start >= fcp).map(([, d]) => d);
  // static/boot.js marks "cellules-preview" when the stored list is in the page: it is painted
  // with the first contentful paint, or at the first frame after the mark.
  const m = performance.getEntriesByName('cellules-preview')[0];
  const preview = m ? Math.max(m.startTime, fcp) : null;
  return {max: Math.max(0, ...tasks.map(([, d]) => d)), total: tasks.reduce((a, [, d]) => a + d, 0),
          max_after_paint: Math.max(0, ...after), fcp, preview};
})()""".replace("__FCP__", FCP)
SNAPSHOT_MADE = "window.cellulesBoot && window.cellulesBoot.snapshot !== undefined"


class Srv:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = 0
        self.start()

    def start(self) -> None:
        self.httpd = make_server(self.directory, port=self.port)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.httpd.stop()


def timed_reload(page) -> float:
    t0 = time.perf_counter()
    page.reload()
    page.wait_for_function(READY, timeout=240_000, polling=20)
    return time.perf_counter() - t0


def one_run(pw, srv: Srv, path: str, app: bool) -> dict:
    with tempfile.TemporaryDirectory() as profile:
        ctx = pw.chromium.launch_persistent_context(profile, executable_path="/usr/bin/chromium", args=FLAGS)
        ctx.add_init_script(INIT)
        page = ctx.pages[0]
        url = f"http://127.0.0.1:{srv.port}/{path}"
        srv.httpd.bytes_sent = 0
        t0 = time.perf_counter()
        page.goto(url)
        page.wait_for_function(READY, timeout=240_000, polling=20)
        cold = time.perf_counter() - t0
        marks = json.loads(page.evaluate("document.documentElement.dataset.bootMarks"))
        out = {"cold": cold, "python_ready": marks["python"] / 1000}
        if app:  # let the worker finish precaching, then count what a first visit cost
            page.evaluate("navigator.serviceWorker.ready")
            page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=60_000)
            out["bytes"] = srv.httpd.bytes_sent
            page.wait_for_function(SNAPSHOT_MADE, timeout=240_000, polling=200)
            made = page.evaluate("window.cellulesBoot.snapshot")
            out["snapshot_ok"] = made["ok"]
            out["snapshot"] = {k: made.get(k) for k in ("bytes", "used", "budget", "error")}
        else:
            out["bytes"] = srv.httpd.bytes_sent
        out["reload"] = timed_reload(page)
        if app:
            out["mode"] = page.evaluate("document.documentElement.dataset.bootMode")
        cdp = ctx.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
        out["reload_x4"] = timed_reload(page)
        out["marks_x4"] = json.loads(page.evaluate("document.documentElement.dataset.bootMarks"))
        tasks = page.evaluate(TASKS)
        out.update({"longest_x4": tasks["max"] / 1000, "longtasks_x4": tasks["total"] / 1000,
                    "longest_after_paint_x4": tasks["max_after_paint"] / 1000})
        if app:
            srv.stop()
            try:
                cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
                out["offline"] = timed_reload(page)
                out["offline_mode"] = page.evaluate("document.documentElement.dataset.bootMode")
                tasks = page.evaluate(TASKS)
                out["fcp_offline"] = tasks["fcp"] / 1000
                out["preview_offline"] = (tasks["preview"] or float("nan")) / 1000
                cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
                out["offline_x4"] = timed_reload(page)
                tasks = page.evaluate(TASKS)
                out["preview_offline_x4"] = (tasks["preview"] or float("nan")) / 1000
                out["longest_after_paint_offline_x4"] = tasks["max_after_paint"] / 1000
            finally:
                srv.start()
        ctx.close()
        return out


def gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 9))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--site", type=Path, default=ROOT / "build" / "site", help="built site to serve")
    args = parser.parse_args()
    site = args.site
    if not (site / "index.html").exists():
        raise SystemExit("build first: make build")
    (site / "bare.html").write_text(BARE)
    srv = Srv(site)
    results: dict[str, list[dict]] = {"app": [], "bare": []}
    try:
        with sync_playwright() as pw:
            for i in range(args.runs):
                results["app"].append(one_run(pw, srv, "", app=True))
                results["bare"].append(one_run(pw, srv, "bare.html", app=False))
                a, b = results["app"][-1], results["bare"][-1]
                print(f"run {i + 1}: app cold {a['cold']:.2f}s reload {a['reload']:.2f}s ({a['mode']}) "
                      f"x4 {a['reload_x4']:.2f}s offline x4 {a['offline_x4']:.2f}s | bare cold {b['cold']:.2f}s "
                      f"reload {b['reload']:.2f}s x4 {b['reload_x4']:.2f}s", flush=True)
    finally:
        srv.stop()
        (site / "bare.html").unlink()

    def med(kind: str, key: str) -> float:
        return statistics.median(r[key] for r in results[kind])

    modes = [(r["mode"], r["offline_mode"]) for r in results["app"]]
    print(f"\nmedians of {args.runs} interleaved runs (headless Chromium, this shared machine)")
    print(f"app boot modes (reload, offline): {modes}")
    print(f"{'figure':<44}{'app':>10}{'bare':>10}{'app/bare':>10}")
    for key, label in (("python_ready", "cold: Python ready (s, in page)"), ("cold", "cold boot to ready (s)"),
                       ("reload", "second visit to ready (s)"), ("reload_x4", "second visit to ready, CPU x4 (s)"),
                       ("longest_x4", "longest main-thread task, x4 (s)"),
                       ("longtasks_x4", "total long-task time, x4 (s)"),
                       ("longest_after_paint_x4", "longest task after first paint, x4 (s)")):
        a, b = med("app", key), med("bare", key)
        print(f"{label:<44}{a:>10.2f}{b:>10.2f}{a / b:>10.2f}")
    b = med("bare", "reload_x4")
    a = med("app", "offline_x4")
    print(f"{'offline boot, CPU x4 (s) [bare: 2nd visit]':<44}{a:>10.2f}{b:>10.2f}{a / b:>10.2f}")
    print(f"{'offline boot via worker (s)':<44}{med('app', 'offline'):>10.2f}")
    a = med("app", "longest_after_paint_offline_x4")
    print(f"{'longest task after first paint, offline x4 (s)':<44}{a:>10.2f}")
    print(f"{'first paint offline (s)':<44}{med('app', 'fcp_offline'):>10.2f}")
    print(f"{'stored list painted offline (s)':<44}{med('app', 'preview_offline'):>10.2f}")
    print(f"{'stored list painted offline, x4 (s)':<44}{med('app', 'preview_offline_x4'):>10.2f}")
    # Where the time of a snapshot boot goes at x4 (ms since navigation start, medians): the page
    # loads PyScript (pyboot: our loadPyodide is called), the snapshot is in hand (snapshot_read),
    # Pyodide restored (restored), app/build/random/wheels fixed up (after_restore), PyScript's own
    # start-up done (script), app.web.main imported (python), IndexedDB read (storage), interface
    # imported (ui), first render done (ready).
    phases = [r["marks_x4"] for r in results["app"] if r["mode"] == "snapshot"]
    if phases:
        names = sorted({k for p in phases for k in p}, key=lambda k: statistics.median(p.get(k, 0) for p in phases))
        print("snapshot boot phases, x4 (ms, medians): "
              + ", ".join(f"{k} {statistics.median(p[k] for p in phases if k in p):.0f}" for k in names))
    # The snapshot's size and its heap against the worker's cap (static/snapshot-worker.mjs MAX_HEAP;
    # Pyodide's own initial memory is 30 MiB, static/pyboot.mjs grows it before a restore).
    made = [r["snapshot"] for r in results["app"] if r.get("snapshot_ok")]
    if made and made[-1].get("used"):
        last = made[-1]
        print(f"snapshot: {last['bytes'] / 2**20:.1f} MiB, heap break {last['used'] / 2**20:.2f} MiB: "
              f"{30 - last['used'] / 2**20:.2f} MiB under Pyodide's initial 30 MiB (over it, the snapshot grows),"
              f" {(last['budget'] - last['used']) / 2**20:.1f} MiB under the worker's"
              f" {last['budget'] / 2**20:.0f} MiB cap")
    else:
        print(f"snapshot: {[r.get('snapshot') for r in results['app']]}")
    a, b = med("app", "bytes"), med("bare", "bytes")
    print(f"{'bytes sent, first visit (MB)':<44}{a / 1e6:>10.2f}{b / 1e6:>10.2f}{a / b:>10.2f}")
    core = {"pyodide.asm.wasm", "python_stdlib.zip", "pyodide.asm.mjs", "pyodide.mjs", "pyodide-lock.json"}
    own = [p for p in site.rglob("*") if p.is_file() and p.name not in core and "pyscript" not in p.parts
           and p.suffix not in (".gz", ".br")]
    pyscript = [p for p in (site / "pyscript").rglob("*") if p.is_file() and p.suffix not in (".gz", ".br")]
    print(f"{'own code + wheels + grid, gzip (KB)':<44}{sum(map(gzip_size, own)) / 1e3:>10.1f}")
    print(f"{'PyScript dist, gzip (KB)':<44}{sum(map(gzip_size, pyscript)) / 1e3:>10.1f}")
    print("goals: x4 second visit and offline <= 0.3x bare; no task > 0.5 s after first paint at x4;"
          " first visit <= 7 MB; stored list painted <= 0.2 s offline")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
