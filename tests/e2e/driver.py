"""Driving the app in a browser page, shared by the browser test modules (not a test module itself)."""

from __future__ import annotations

import os
import re
import threading
from contextlib import contextmanager
from pathlib import Path

from conftest import CHROMIUM, FLAGS, boot
from peers import T0

from app.serve import make_server

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
XSS = '<img src=x onerror="window.__xss=1">\'"><script>window.__xss=2</script>'
SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


def new_app(make_context, server, **kw):
    """(context, page, watch): the app booted in a new context (conftest.boot)."""
    return boot(make_context, server, **kw)


@contextmanager
def lan_page(playwright, site, **serve):
    """A page, in a browser of its own, of the app `site` served (make_server(**serve)) at a LAN name:
    cellules.lan -> 127.0.0.2 by Chromium's host resolver, plain http and not local, as a phone sees
    http://192.168.x.y:8000/. Gives (page, origin, errors, dialogs): the page's errors, the types of the
    dialogs it opened (each accepted). Nothing may come from another origin: checked on leaving."""
    httpd = make_server(site, host="127.0.0.2", port=0, **serve)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    origin = f"http://cellules.lan:{httpd.server_address[1]}/"
    browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                         args=[*FLAGS, "--host-resolver-rules=MAP cellules.lan 127.0.0.2"])
    offsite, errors, dialogs = [], [], []

    def route(r):
        if r.request.url.startswith((origin, "data:", "blob:")):
            r.continue_()
        else:
            offsite.append(r.request.url)
            r.abort()

    def dialog(d):
        dialogs.append(d.type)
        d.accept()

    try:
        context = browser.new_context()
        context.route("**/*", route)
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("dialog", dialog)
        yield page, origin, errors, dialogs
    finally:
        browser.close()
        httpd.stop()
    assert offsite == []


def open_map(make_context, server, **kw):
    """The map, on a page whose clock is Playwright's (flowing from T0; the test drives it past the
    map's rest with page.clock.run_for)."""
    _, page, watch = new_app(make_context, server, now_ms=T0, **kw)
    page.click("#tab-map")
    page.wait_for_function("typeof window.cellulesMap?.firstFullDrawMs === 'number'", timeout=60_000)
    return page, watch


def create_cellule(page, name: str, place: str = "liege", description: str = "", contact: str = ""):
    page.click("#new-cellule")
    page.fill("#f-name", name)
    page.fill("#f-description", description)
    page.fill("#f-contact", contact)
    page.fill("#node-search", place)
    page.click("#node-results button >> nth=0")
    page.click("#edit-form button[type=submit]")
    page.wait_for_selector(f"#cellule-list .cellule-name:text-is({name!r})" if "'" not in name and '"' not in name
                           else "#cellule-list .cellule-name")


def card(page, name: str):
    """The card of cellule `name` in « Cellules »."""
    page.click("#tab-cellules")
    return page.locator(f"li.cellule:has(.cellule-name:text-is({name!r}))")


def edit_cellule(page, which: str, **fields) -> None:
    """Edit cellule `which`: each field (f-<key>) set to its value, then saved."""
    page.click("#tab-cellules")
    page.click(f"li.cellule:has(.cellule-name:text-is({which!r})) [data-action=edit-cellule]")
    for key, value in fields.items():
        page.fill(f"#f-{key}", value)
    page.click("#edit-form button[type=submit]")
    page.wait_for_selector("#edit-form", state="detached")


def add_atelier(page, cellule: str, title: str) -> None:
    """Add atelier `title` (7 March 2030, 18:30) to cellule `cellule`, opening its card if closed."""
    card(page, cellule).locator("[data-action=open-cellule][aria-expanded=false]").click()
    card(page, cellule).locator("[data-action=new-atelier]").click()
    page.fill("#f-title", title)
    page.fill("#f-startsAt", "2030-03-07T18:30")
    page.click("#edit-form button[type=submit]")
    page.wait_for_selector(f"li.atelier .atelier-title:text-is({title!r})")


GIVEN = "cellules-export-names"  # localStorage: the names of this device's last exports (app/web/views/exchange.py)
BACKUP_NAME = re.compile(r"(?P<stem>.+-sauvegarde-\d{4}-\d{2}-\d{2}-\d{2}h\d{2}(?P<device>-appareil-C[a-z0-9]{7})?)"
                         r"(-(?P<n>[1-9]\d*))?\.json")


def expected_number(given: list[str], stem: str) -> int | None:
    """The number a backup named « <stem>.json » takes after the names this device gave (app.core.names
    .export_file_name): None when that name was never given, else the next after the highest given."""
    numbers = [int(m["n"]) for m in map(BACKUP_NAME.fullmatch, given) if m and m["stem"] == stem and m["n"]]
    if f"{stem}.json" not in given and not numbers:
        return None
    return max([1, *numbers]) + 1


def export_full(page, tmp_path, name="export.json", *, restored: bool = False) -> str:
    """« Tout exporter », saved as tmp_path/name; its text. The backup's name says what it is and when
    (« …-sauvegarde-AAAA-MM-JJ-14h05.json »; « …-cellules-… » is the light one), names the device when it
    was restored from a backup (`restored`: « …-14h05-appareil-Cdyt7coz.json »), and is never one this
    device gave already (« …-14h05-2.json »: the number after the highest given for that name)."""
    page.click("#tab-exchange")
    given = page.evaluate(f"JSON.parse(localStorage.getItem({GIVEN!r}) || '[]')")
    with page.expect_download() as info:
        page.click("#export-full")
    download = info.value
    found = BACKUP_NAME.fullmatch(download.suggested_filename)
    assert found, download.suggested_filename
    assert bool(found["device"]) == restored, download.suggested_filename
    number = expected_number(given, found["stem"])
    assert (int(found["n"]) if found["n"] else None) == number, (download.suggested_filename, given)
    path = tmp_path / name
    download.save_as(path)
    return path.read_text("utf-8")


def open_more_choices(page, touch: bool = False) -> None:
    """Open the preview's « Autres choix », where « Remplacer » waits when the file is another group's and
    this device holds cellules of its own group; « Remplacer » (#do-replace) is then shown."""
    page.locator("#more-choices > summary").scroll_into_view_if_needed()
    (page.tap if touch else page.click)("#more-choices > summary")
    page.wait_for_selector("#do-replace", state="visible")


def rename(page, name):
    page.click("#tab-settings")
    page.fill("#instance-name", name)
    page.click("#view-settings button[type=submit]")
    page.wait_for_function(f"document.getElementById('instance-label').textContent.includes({name!r})")


def paste(page, text: str) -> None:
    """Paste a received text into « Coller le texte reçu » and ask for its analysis."""
    page.fill("#import-text", text)
    page.click("#import-paste")


def restore(page, backup: str) -> None:
    """« Restaurer cette sauvegarde » of the group's backup, pasted on an empty device."""
    page.click("#tab-exchange")
    paste(page, backup)
    page.wait_for_selector("#do-restore")
    page.click("#do-restore")
    page.wait_for_selector("#report")


def names(page) -> list[str]:
    page.click("#tab-cellules")
    return sorted(page.locator(".cellule-name").all_text_contents())


def next_frames(page, count: int = 2) -> None:
    """Wait until the page has drawn `count` more frames (layout and paint after a change are done)."""
    page.evaluate("n => new Promise(r => { const f = (k) => k ? requestAnimationFrame(() => f(k - 1)) : r(); f(n); })",
                  count)


def shoot(page, name: str, focus: str | None = None) -> None:
    """Desktop then phone screenshots of what the user sees now, when asked (SHOTS=1: for the author
    to look at); `focus`: the element the app brought into view, brought back into view after the resize."""
    if not os.environ.get("SHOTS"):
        return
    SHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    for label, (w, h) in (("desktop", (1280, 800)), ("phone", (390, 844))):
        page.set_viewport_size({"width": w, "height": h})
        next_frames(page)
        if focus:
            page.eval_on_selector(focus, "e => e.scrollIntoView({block: 'center'})")
            assert page.locator(focus).first.is_visible()
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"))
    if size:
        page.set_viewport_size(size)


def screenshot(target, name: str, **kw) -> None:
    """A screenshot of a page or a locator for a human to look at, when asked (SHOTS=1):
    build/screenshots/`name`.png. A screenshot whose pixels a test analyses is not this."""
    if not os.environ.get("SHOTS"):
        return
    SHOTS.mkdir(parents=True, exist_ok=True)
    target.screenshot(path=str(SHOTS / f"{name}.png"), **kw)


FILL = """size => new Promise(resolve => {
    const request = indexedDB.open('fill', 1);
    request.onupgradeneeded = () => request.result.createObjectStore('s');
    request.onsuccess = () => {
        const db = request.result;
        const noise = Array.from({length: size / 8}, () => Math.random().toString(36).slice(2, 10)).join('');
        const tx = db.transaction('s', 'readwrite');
        tx.objectStore('s').put(noise, Math.random());
        tx.oncomplete = () => { db.close(); resolve(true); };
        tx.onabort = () => { db.close(); resolve(false); };
    };
})"""


def fill_storage(page) -> None:
    """Fill what the quota leaves with incompressible data (IndexedDB compresses values)."""
    for size in (200_000, 20_000, 2_000):
        for _ in range(200):
            if not page.evaluate(FILL, size):
                break
