"""Every view and dialog of the app, reached as a user reaches it (not a test module itself).

`STATES` names each screen a user can see; `open_state(page, name)` brings a page that went through
`prepare(page)` (one cellule with one atelier) to that screen. Shared by the accessibility walk, the
English walk and the phone screenshots, so they all look at the same screens.
"""

from __future__ import annotations

import contextlib
import shutil

from conftest import CHROMIUM, Watch, wait_ready
from driver import create_cellule, next_frames, paste
from peers import peer_export

AXE_PATH = "node_modules/axe-core/axe.min.js"

# Views first, then dialogs (a dialog is closed again by `close_dialogs`).
VIEWS = ("cellules", "cellule-form", "atelier-form", "map", "map-panel", "exchange", "exchange-preview",
         "exchange-report", "sources", "help", "settings")
DIALOGS = ("qr-dialog", "qr-sender", "history-dialog", "replace-confirmation", "recovery")
STATES = VIEWS + DIALOGS


def prepare(page) -> None:
    """One cellule of one's own, with one atelier."""
    create_cellule(page, "Cellule Vélo", place="namur", description="Réparations le samedi")
    page.click("li.cellule [data-action=open-cellule]")
    page.click("li.cellule [data-action=new-atelier]")
    page.fill("#f-title", "Atelier crevaisons")
    page.fill("#f-startsAt", "2030-03-07T18:30")
    page.click("#edit-form button[type=submit]")
    page.wait_for_selector("li.atelier")


def tab(page, name: str) -> None:
    page.click(f"#tab-{name}")
    page.wait_for_selector(f"#view-{name}:not([hidden])")


def _preview(page) -> None:
    tab(page, "exchange")
    paste(page, peer_export(["Cellule voisine", "Cellule du parc"]))
    page.wait_for_selector("#preview")


def _merged(page) -> None:
    _preview(page)
    page.click("#do-merge")
    page.wait_for_selector("#report")


def _cellule_form(page) -> None:
    tab(page, "cellules")
    page.click("#new-cellule")
    page.wait_for_selector("#edit-form")


def _atelier_form(page) -> None:
    tab(page, "cellules")
    if not page.locator("li.cellule [data-action=new-atelier]").first.is_visible():
        page.click("li.cellule [data-action=open-cellule] >> nth=0")
    page.click("li.cellule [data-action=new-atelier] >> nth=0")
    page.wait_for_selector("#edit-form")


def _map_panel(page) -> None:
    tab(page, "map")
    page.fill("#map-search", "namur")
    page.click("#map-results button >> nth=0")
    page.wait_for_selector("#node-panel")


def _qr(page) -> None:
    tab(page, "cellules")
    page.click("li.cellule [data-action=show-qr] >> nth=0")
    page.wait_for_selector("#qr-dialog[open] #qr-image")


def _sender(page) -> None:
    tab(page, "exchange")
    page.click("#export-qr")
    page.wait_for_selector("dialog[open] #anim-image")


def _history(page) -> None:
    tab(page, "cellules")
    page.click("li.cellule [data-action=edit-cellule] >> nth=0")
    page.click("#form-history")
    page.wait_for_selector("dialog[open] #history-title")


def _replace(page) -> None:
    _preview(page)
    page.wait_for_selector("#replace-removals")
    page.locator("#replace-removals").scroll_into_view_if_needed()


IDB_PUT = """([store, key, value]) => new Promise((done, fail) => {
    const open = indexedDB.open('cellules-fwb');
    open.onerror = () => fail(open.error);
    open.onsuccess = () => {
        const tx = open.result.transaction(store, 'readwrite');
        tx.objectStore(store).put(value, key);
        tx.oncomplete = () => done(open.result.close());
        tx.onerror = () => fail(tx.error);
    };
})"""


def _recovery(page) -> None:
    _merged(page)
    page.evaluate(IDB_PUT, ["cellule_buckets", "ff", '{"id": "Cabimé", "pas": "une cellule"'])  # a damaged value
    page.reload()
    page.wait_for_function("document.documentElement.dataset.appState !== 'booting'", timeout=120_000)
    assert page.evaluate("document.documentElement.dataset.appState") == "recovery"
    page.wait_for_selector("#recovery")


OPEN = {
    "cellules": lambda page: tab(page, "cellules"),
    "cellule-form": _cellule_form,
    "atelier-form": _atelier_form,
    "map": lambda page: (tab(page, "map"), page.wait_for_function(
        "document.getElementById('map-canvas') && document.getElementById('map-canvas').dataset.frames >= 1")),
    "map-panel": _map_panel,
    "exchange": lambda page: tab(page, "exchange"),
    "exchange-preview": _preview,
    "exchange-report": _merged,
    "sources": lambda page: (_merged(page), tab(page, "sources"), page.wait_for_selector("#source-list li")),
    "help": lambda page: tab(page, "help"),
    "settings": lambda page: (tab(page, "settings"), page.wait_for_function(
        "(document.getElementById('storage-status')?.textContent || '').length > 0")),
    "qr-dialog": _qr,
    "qr-sender": _sender,
    "history-dialog": _history,
    "replace-confirmation": _replace,
    "recovery": _recovery,
}


def open_state(page, name: str) -> None:
    OPEN[name](page)
    next_frames(page)  # the screen opened is laid out and painted


def close_dialogs(page) -> None:
    page.evaluate("document.querySelectorAll('dialog[open]').forEach(d => d.close())")


VISIBLE_TEXT = """(scope) => {
    // The text a user can see now under `scope` (a selector; the open modal dialog if there is one): every
    // rendered text node, and the placeholder / label / alt / value of every visible control.
    const modal = document.querySelector('dialog[open]');
    const roots = modal && modal.matches(':modal') ? [modal] : [...document.querySelectorAll(scope || 'body')];
    const out = [];
    for (const root of roots) {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const text = node.textContent.replace(/\\s+/g, ' ').trim();
            const el = node.parentElement;
            if (!text || !el || el.closest('script, style, [hidden], [aria-hidden="true"], option')) continue;
            if (!el.checkVisibility({checkOpacity: false, checkVisibilityCSS: true})) continue;
            const r = el.getBoundingClientRect();
            if (r.width === 0 && r.height === 0) continue;
            out.push(text);
        }
        const controls = 'input, textarea, select, [placeholder], [aria-label], [title], img[alt]';
        for (const el of root.querySelectorAll(controls)) {
            if (!el.checkVisibility()) continue;
            for (const a of ['placeholder', 'aria-label', 'title', 'alt']) {
                const v = el.getAttribute(a); if (v && v.trim()) out.push(v.trim());
            }
            if (el.matches('input[type=button], input[type=submit]') && el.value) out.push(el.value);
            if (el.tagName === 'SELECT') for (const o of el.options) out.push(o.text.trim());
        }
    }
    return out.filter(Boolean);
}"""


# Feedback: a new message in a live region, inside the viewport (REMEMBER first, then NEW_STATUS after the action).
LIVE = "[role=status], [role=alert], [aria-live]:not([aria-live=off])"
REMEMBER = f"""() => {{
    window.__seen = new Map([...document.querySelectorAll({LIVE!r})].map(e => [e, e.textContent.trim()]));
}}"""
NEW_STATUS = f"""() => {{
    // A live region outside the header, whose text changed since REMEMBER, shown inside the viewport.
    for (const e of document.querySelectorAll({LIVE!r})) {{
        const text = e.textContent.trim();
        if (!text || e.closest('header') || window.__seen.get(e) === text) continue;
        if (!e.checkVisibility({{checkOpacity: true, checkVisibilityCSS: true}})) continue;
        const r = e.getBoundingClientRect();
        if (r.height > 0 && r.top >= -1 && r.top < innerHeight - 10) return text;  // -1: subpixel layout
    }}
    return null;
}}"""
NEW_STATUS_ANYWHERE = f"""() => [...document.querySelectorAll({LIVE!r})]
    .filter(e => e.textContent.trim() && window.__seen.get(e) !== e.textContent.trim())
    .map(e => (e.id || e.tagName) + ' at y=' + Math.round(e.getBoundingClientRect().top) + ': ' +
              e.textContent.trim().slice(0, 60))"""


LAYOUT = """(width) => {
    // Elements wider than the viewport, and tap targets under 44 px, among the visible ones.
    const wide = [], small = [];
    const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
        (el.dataset.action ? '[data-action=' + el.dataset.action + ']' : '') +
        ' «' + (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 30) + '»';
    const modal = document.querySelector('dialog[open]');
    const root = modal && modal.matches(':modal') ? modal : document.body;
    for (const el of root.querySelectorAll('*')) {
        if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) continue;
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        let clipped = false;  // inside a scrolling box: its right edge is not the page's
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
            const s = getComputedStyle(p);
            if (/(auto|scroll|hidden)/.test(s.overflowX)) { clipped = true; break; }
        }
        if (r.right <= 0) continue;  // parked off the left edge until focused (the skip link): no scroll, no target
        if (!clipped && (r.right > width + 0.5 || r.left < -0.5)) wide.push(name(el) + ' ' + Math.round(r.left) +
            '..' + Math.round(r.right));
        const tap = el.matches('button, select, input:not([type=hidden]), textarea, a[href], summary, [role=tab]');
        if (!tap || el.closest('p, li.hit-inline') && el.tagName === 'A' && !el.classList.contains('button')) continue;
        if (el.matches('input[type=checkbox], input[type=radio]')) {
            const label = el.closest('label') || (el.id && document.querySelector('label[for="' + el.id + '"]'));
            const lr = label ? label.getBoundingClientRect() : r;
            if (Math.max(lr.height, r.height) < 43.5) small.push(name(el) + ' ' + Math.round(lr.width) + '×' +
                Math.round(lr.height));
            continue;
        }
        if (r.width < 43.5 || r.height < 43.5) small.push(name(el) + ' ' + Math.round(r.width) + '×' +
            Math.round(r.height));
    }
    return {scrollWidth: document.documentElement.scrollWidth, wide, small};
}"""


@contextlib.contextmanager
def walk_page(request, allowed: tuple[str, ...] = (), **context_kw):
    """A booted page for a whole module's walk (booting once per screen costs minutes on a shared
    machine), in a copy of the warm profile, checked like conftest's make_context: no request leaves
    the origin, no console or page error (`request`: the module fixture's pytest request)."""
    playwright = request.getfixturevalue("playwright")
    server = request.getfixturevalue("server")
    sink = request.getfixturevalue("sink")
    profile = request.getfixturevalue("tmp_path_factory").mktemp("walk") / "profile"
    shutil.copytree(request.getfixturevalue("warm_profile"), profile)
    context = playwright.chromium.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, args=request.getfixturevalue("browser_flags"), **context_kw)
    watch = Watch()
    watch.allowed = [server.url, *allowed]
    context.on("request", lambda req: None if watch.is_allowed(req.url) else watch.offsite.append(req.url))
    sink_before = len(sink.seen)
    try:
        page = watch.attach(context.new_page())
        page.on("dialog", lambda d: d.accept())
        page.goto(server.url)
        wait_ready(page, watch=watch)
        yield page
    finally:
        context.close()
    assert watch.offsite + sink.seen[sink_before:] == [], f"requests left the origin: {watch.offsite + sink.seen}"
    assert watch.unexpected() == [], f"console errors or page errors: {watch.unexpected()}"


def walk(page, check, states=STATES) -> dict[str, object]:
    """{state: check(page) or the error that kept the walk from reaching it}, in the order of `states`."""
    found: dict[str, object] = {}
    for name in states:
        try:
            open_state(page, name)
            found[name] = check(page)
        except Exception as exc:  # noqa: BLE001 — reported by that state's test, the walk goes on
            found[name] = f"could not reach {name}: {type(exc).__name__}: {str(exc).splitlines()[0][:300]}"
        close_dialogs(page)
    return found
