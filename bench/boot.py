"""Boot benchmark (issue 2): the app against a bare Pyodide page loading the same wheels.

Headless Chromium, fresh profile per cold run; runs are interleaved (app, bare, app, bare, ...)
and medians are reported with the app/bare ratio. Figures:
  * cold: Python ready (our code starts running; the bare page: its packages imported), read from
    the page's own clock, and boot to data-app-state="ready" (empty profile, from the network);
  * reload (HTTP cache and service worker warm);
  * offline boot (server stopped, everything from the service worker);
  * first paint offline (first-contentful-paint of the offline boot);
  * bytes sent by the server on a first visit (page + service worker precache revalidation);
  * our own code + wheels + grid, gzip, on top of the Pyodide core.

Run: `.venv/bin/python bench/boot.py [--runs 5]` (after `make build`). Not a test: it prints.
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
<body><script type="module">
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


def one_run(pw, srv: Srv, path: str, offline: bool) -> dict:
    with tempfile.TemporaryDirectory() as profile:
        ctx = pw.chromium.launch_persistent_context(profile, executable_path="/usr/bin/chromium", args=FLAGS)
        page = ctx.pages[0]
        url = f"http://127.0.0.1:{srv.port}/{path}"
        srv.httpd.bytes_sent = 0
        t0 = time.perf_counter()
        page.goto(url)
        page.wait_for_function(READY, timeout=120_000, polling=20)
        cold = time.perf_counter() - t0
        marks = json.loads(page.evaluate("document.documentElement.dataset.bootMarks"))
        out = {"cold": cold, "python_ready": marks["python"] / 1000}
        if offline:  # let the worker finish precaching, then count what a first visit cost
            page.evaluate("navigator.serviceWorker.ready")
            page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=60_000)
        out["bytes"] = srv.httpd.bytes_sent
        t0 = time.perf_counter()
        page.reload()
        page.wait_for_function(READY, timeout=120_000, polling=20)
        out["reload"] = time.perf_counter() - t0
        if offline:
            srv.stop()
            try:
                t0 = time.perf_counter()
                page.reload()
                page.wait_for_function(READY, timeout=120_000, polling=20)
                out["offline"] = time.perf_counter() - t0
                out["fcp_offline"] = page.evaluate(FCP) / 1000
            finally:
                srv.start()
        ctx.close()
        return out


def gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 9))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    site = ROOT / "build" / "site"
    if not (site / "index.html").exists():
        raise SystemExit("build first: make build")
    (site / "bare.html").write_text(BARE)
    srv = Srv(site)
    results: dict[str, list[dict]] = {"app": [], "bare": []}
    try:
        with sync_playwright() as pw:
            for i in range(args.runs):
                results["app"].append(one_run(pw, srv, "", offline=True))
                results["bare"].append(one_run(pw, srv, "bare.html", offline=False))
                print(f"run {i + 1}: app cold {results['app'][-1]['cold']:.2f}s, bare cold "
                      f"{results['bare'][-1]['cold']:.2f}s", flush=True)
    finally:
        srv.stop()
        (site / "bare.html").unlink()

    def med(kind: str, key: str) -> float:
        return statistics.median(r[key] for r in results[kind])

    print(f"\nmedians of {args.runs} interleaved runs (headless Chromium, this machine)")
    print(f"{'figure':<34}{'app':>10}{'bare':>10}{'app/bare':>10}")
    for key, label in (("python_ready", "cold: Python ready (s, in page)"), ("cold", "cold boot to ready (s)"),
                       ("reload", "reload to ready (s)")):
        a, b = med("app", key), med("bare", key)
        print(f"{label:<34}{a:>10.2f}{b:>10.2f}{a / b:>10.2f}")
    print(f"{'offline boot via worker (s)':<34}{med('app', 'offline'):>10.2f}")
    print(f"{'first paint offline (s)':<34}{med('app', 'fcp_offline'):>10.2f}")
    a, b = med("app", "bytes"), med("bare", "bytes")
    print(f"{'bytes sent, first visit (MB)':<34}{a / 1e6:>10.2f}{b / 1e6:>10.2f}{a / b:>10.2f}")
    core = {"pyodide.asm.wasm", "python_stdlib.zip", "pyodide.asm.mjs", "pyodide.mjs", "pyodide-lock.json"}
    own = [p for p in site.rglob("*") if p.is_file() and p.name not in core and "pyscript" not in p.parts]
    pyscript = [p for p in (site / "pyscript").rglob("*") if p.is_file()]
    print(f"{'own code + wheels + grid, gzip (KB)':<34}{sum(map(gzip_size, own)) / 1e3:>10.1f}")
    print(f"{'PyScript dist, gzip (KB)':<34}{sum(map(gzip_size, pyscript)) / 1e3:>10.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
