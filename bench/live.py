"""Live sync benchmark: two browsers on a local network of their own, one holding an association of
1,000 cellules and 3,000 ateliers, the other nothing.

Measured, in one run inside a network namespace this script makes (`unshare -n` as root, a veth
pair whose two addresses exist only there, a default route; the page server starts inside too):
- from the first scan (the second device reads the invitation) to both merged and « à jour »
  (the « Fusionner » of each side clicked as soon as its preview shows: no human in the figure);
- the bytes put on the data channel by both sides over that time, and bytes per second while data
  flows (first data message sent to the last message before « à jour »);
- the QR version of both codes (at level M; the goal is ≤ 10), and their length.
Run: `.venv/bin/python bench/live.py [--cellules 1000] [--ateliers 3000]` (`make build` first).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.core import actions, document  # noqa: E402

T0 = 1_769_594_400_000
SITE = ROOT / "build" / "site"
TIMEOUT_MS = 180_000
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-features=WebRtcHideLocalIpsWithMdns"]
NETWORK = ("ip link set lo up && ip link add fwbw0 type veth peer name fwbw1"
           " && ip addr add 10.77.0.1/24 dev fwbw0 && ip addr add 10.77.0.2/24 dev fwbw1"
           " && ip link set fwbw0 up && ip link set fwbw1 up && ip route add default via 10.77.0.2")
# every send on a data channel, counted (bytes, time) by the page
COUNT = """(() => {
  const sent = (window.__fwbwSent = []);
  const send = RTCDataChannel.prototype.send;
  RTCDataChannel.prototype.send = function (data) {
    sent.push([performance.now(), new TextEncoder().encode(data).length, String(data).slice(0, 12)]);
    return send.call(this, data);
  };
})();"""
OPEN_LIVE = """(code) => {
  const app = window.cellulesApp;
  const load = app.render_all.__func__.__globals__.get("__builtins__").get("__import__");
  load("app.web.views.live_dialog", null, null, ["open_live"]).open_live(app.ctx, code);
}"""


def association(cellules: int, ateliers: int):
    nodes = [n[0] for n in json.loads((ROOT / "data" / "fwb_grid.json").read_text())["nodes"]]
    rnd = random.Random(5)
    state = actions.new_state(name="Asso Bench", random_bytes=rnd.randbytes(16))
    ids = []
    for i in range(cellules):
        state, cellule = actions.create_cellule(
            state, {"nodeId": nodes[(i * 37) % len(nodes)], "name": f"Cellule {i}",
                    "description": "Réparation de vélos et café du quartier, le samedi matin. " * 2,
                    "contact": f"contact{i}@example.be"}, now_ms=T0 + i, random_bytes=rnd.randbytes(16))
        ids.append(cellule.id)
    for j in range(ateliers):
        state, _ = actions.create_atelier(
            state, {"celluleId": ids[j % len(ids)], "title": f"Atelier {j}",
                    "startsAt": f"2026-{2 + j % 9:02d}-{1 + j % 27:02d}T{9 + j % 10:02d}:00:00.000Z",
                    "place": f"Salle {j % 40}", "description": "Apportez vos outils."},
            now_ms=T0 + 10_000 + j, random_bytes=rnd.randbytes(16))
    return state


def inside(cellules: int, ateliers: int) -> None:
    from playwright.sync_api import sync_playwright

    from app.serve import make_server

    httpd = make_server(SITE, port=0)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/"
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as pw:
        source = Path(folder) / "asso.json"
        source.write_text(document.dumps(document.to_document(association(cellules, ateliers), now_ms=T0)))
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        pages = []
        for _ in range(2):
            context = browser.new_context()
            context.add_init_script(COUNT)
            page = context.new_page()
            page.on("dialog", lambda d: d.accept())
            page.goto(url)
            page.wait_for_function("document.documentElement.dataset.appState === 'ready'", timeout=180_000)
            pages.append(page)
        alice, bob = pages
        alice.click("#tab-exchange")
        alice.set_input_files("#import-file", str(source))
        alice.click("#do-merge", timeout=120_000)
        alice.wait_for_selector("#report", timeout=300_000)
        alice.evaluate(OPEN_LIVE, None)
        alice.click("#live-invite")
        alice.wait_for_selector("#live-code")
        offer, offer_version = alice.input_value("#live-code"), alice.get_attribute("#live-qr", "data-version")
        for page in pages:
            page.evaluate("window.__fwbwSent.length = 0")
        start = bob.evaluate("performance.now() + performance.timeOrigin")
        bob.evaluate(OPEN_LIVE, offer)  # the first scan
        bob.wait_for_selector("#live-code")
        reply, reply_version = bob.input_value("#live-code"), bob.get_attribute("#live-qr", "data-version")
        alice.fill("#live-paste", reply)
        alice.click("#live-read")
        bob.click("#live-merge", timeout=TIMEOUT_MS)  # Alice gets nothing to preview: Bob holds nothing
        for page in pages:
            page.wait_for_selector("#live-state[data-status=up_to_date]", timeout=TIMEOUT_MS)
        ends = [p.evaluate("performance.now() + performance.timeOrigin") for p in pages]
        sent = [p.evaluate("window.__fwbwSent.map(([t, n, h]) => [t + performance.timeOrigin, n, h])")
                for p in pages]
        browser.close()
    httpd.shutdown()
    total = sum(n for side in sent for _, n, _ in side)
    data = sorted((t, n) for side in sent for t, n, head in side if head.startswith('{"t":"data"'))
    flow_s = (max(t for side in sent for t, _, _ in side) - data[0][0]) / 1000 if data else 0
    print(f"association: {cellules} cellules + {ateliers} ateliers")
    print(f"invitation: {len(offer)} characters, QR version {offer_version} (level M)")
    print(f"answer:     {len(reply)} characters, QR version {reply_version} (level M)")
    print(f"first scan to both merged and « à jour »: {(max(ends) - start) / 1000:.2f} s")
    print(f"on the channel: {total / 1e6:.2f} MB in {sum(map(len, sent))} messages; "
          f"{sum(n for _, n in data) / 1e6:.2f} MB of data in {flow_s:.2f} s: "
          f"{(total / flow_s / 1e6) if flow_s else 0:.2f} MB/s while data flows")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cellules", type=int, default=1000)
    parser.add_argument("--ateliers", type=int, default=3000)
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        inside(args.cellules, args.ateliers)
        return
    if os.geteuid() != 0:
        sys.exit("bench/live.py makes a network namespace: run it as root")
    command = [sys.executable, __file__, "--inside", "--cellules", str(args.cellules), "--ateliers", str(args.ateliers)]
    sys.exit(subprocess.run(["unshare", "-n", "--", "sh", "-c", NETWORK + ' && exec "$@"', "sh", *command],
                            cwd=ROOT).returncode)


if __name__ == "__main__":
    main()
