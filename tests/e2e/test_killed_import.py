"""A browser killed during a large import reopens with the old or the new state, never a mix."""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import time

from conftest import CHROMIUM, wait_ready
from driver import create_cellule
from playwright.sync_api import Error as PlaywrightError

from app.core import actions, document

T0 = 1_769_594_400_000


def big_export(n: int) -> str:
    grid = json.loads((__import__("pathlib").Path(__file__).resolve().parents[2] / "data" / "fwb_grid.json")
                      .read_text())["nodes"]
    state = actions.new_state(name="Grosse asso", random_bytes=bytes(range(16)))
    rnd = random.Random(1)
    for i in range(n):
        state, _ = actions.create_cellule(state, {"nodeId": grid[i % len(grid)][0], "name": f"Cellule {i}"},
                                          now_ms=T0 + i, random_bytes=rnd.randbytes(16))
    return document.dumps(document.to_document(state, now_ms=T0 + n))


def reopen(playwright, profile, server, flags):
    """Open the browser on the profile and boot the app. Seen once under load (CI, 2 cores): the
    renderer of a browser started right after the previous one was killed crashed while booting.
    A crash is retried once on a fresh browser; data that made the page crash would crash it again."""
    for retry in range(2):
        context = playwright.chromium.launch_persistent_context(str(profile), executable_path=CHROMIUM, args=flags)
        page = context.pages[0]
        page.on("dialog", lambda d: d.accept())
        try:
            page.goto(server.url)
            wait_ready(page)
            return context, page
        except PlaywrightError as exc:
            context.close()
            if "crash" not in str(exc).lower() or retry:
                raise
    raise AssertionError("unreachable")


def kill_browser(profile) -> None:
    """SIGKILL every process of the browser running on `profile` (its command line names the profile)."""
    found = subprocess.run(["pgrep", "-f", "--", f"--user-data-dir={profile}"], capture_output=True, text=True)
    pids = found.stdout.split()
    assert pids, f"no browser runs on {profile}"
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(pid), signal.SIGKILL)


def cellule_count(page) -> int:
    page.click("#tab-cellules")
    return int(re.sub(r"\D", "", page.locator("#list-count").text_content()))  # « 4 001 cellules » -> 4001


# The page holds the app's write lock itself (app/web/session.py LOCK), so « Fusionner » waits for it:
# killed then, the import has surely not written anything.
HOLD_WRITES = """() => new Promise(held => navigator.locks.request('cellules-fwb-write',
    () => new Promise(release => { window.__release = release; held(); })))"""
WRITE_WAITING = """async () => (await navigator.locks.query()).pending
    .filter(p => p.name === 'cellules-fwb-write').length === 1"""


def killed_during_import(playwright, server, flags, warm, profile, text: str, kill_at) -> tuple[int, float]:
    """Import `text` on a copy of the warm profile (a returning visitor with no data) holding one cellule,
    kill the browser at `kill_at`, reopen: (cellules, ms from the click on « Fusionner » to its report).
    `kill_at`: "held" (the import waits for the write lock the page holds), "written" (as soon as the
    report shows the write done), or ms after the click."""
    shutil.copytree(warm, profile)
    context, page = reopen(playwright, profile, server, flags)
    create_cellule(page, "Cellule d'avant", place="namur")
    page.click("#tab-exchange")
    page.evaluate("t => { document.getElementById('import-text').value = t; }", text)
    page.click("#import-paste")
    page.wait_for_selector("#preview", timeout=60_000)
    if kill_at == "held":
        page.evaluate(HOLD_WRITES)
    started = time.monotonic()
    page.click("#do-merge")
    if kill_at == "held":
        page.wait_for_function(WRITE_WAITING, timeout=60_000)
    elif kill_at == "written":
        page.wait_for_selector("#report", timeout=60_000)
    else:
        page.wait_for_timeout(kill_at)  # the merge or the write is under way
    took = (time.monotonic() - started) * 1000
    kill_browser(profile)  # the browser goes away, mid-import: killed, not closed (closing lets the page finish)
    with contextlib.suppress(PlaywrightError):
        context.close()
    context, page = reopen(playwright, profile, server, flags)
    count = cellule_count(page)
    context.close()
    return count, took


def test_a_page_killed_during_a_large_import_leaves_the_old_or_the_new_state(playwright, server, browser_flags,
                                                                            warm_profile, tmp_path):
    """Killed at any moment of an import, the profile reopens with the state before it (1 cellule) or after it
    (4001), never a mix. Killed while the import waits for the write lock: the old state; right after the
    write: the new one; at fractions of the time the import takes here (measured first): either, never a mix."""
    text = big_export(4000)
    outcomes = {}

    def killed(name: str, kill_at):
        return killed_during_import(playwright, server, browser_flags, warm_profile, tmp_path / name, text, kill_at)

    outcomes["written"], write_ms = killed("p-written", "written")
    outcomes["held"], _ = killed("p-held", "held")
    for fraction in (0.25, 0.6):
        delay = round(write_ms * fraction)
        outcomes[f"{delay} ms"], _ = killed(f"p-{fraction}", delay)
    print("import took", round(write_ms), "ms; cellules after each kill:", outcomes)
    assert outcomes["written"] == 4001 and outcomes["held"] == 1, outcomes
    assert set(outcomes.values()) <= {1, 4001}, outcomes  # old or new, never a mix
