"""The tabs respond before Python is ready: static/boot.js draws a tab bar that answers a click while
Python loads, and the app opens on the tab chosen during the boot. How long a click may wait with the CPU
throttled x4 (a phone) is read in bench/boot.py (the longest main-thread task after the first paint, x4), not
here: Chromium's CPU throttling stalls the renderer under libfaketime, and a test gives the same verdict on
any date (`faketime -f +400d make test`)."""

from __future__ import annotations

from conftest import wait_ready

# Before any page script: time each click from the input event to the first frame after it.
CLICK_TIMING = """
window.__clicks = [];
window.addEventListener('click', (e) => {
  const entry = {t: e.timeStamp, start: performance.now(), state: document.documentElement.dataset.appState};
  window.__clicks.push(entry);
  requestAnimationFrame(() => setTimeout(() => { entry.frame = performance.now(); }));
}, true);
"""
# Before any page script: every WebAssembly compile or instantiation waits until the test calls
# window.__releaseWasm() (window.__wasmHeld counts the calls held).
HOLD_WASM = """
window.__wasmHeld = 0;
const released = new Promise((resolve) => { window.__releaseWasm = resolve; });
for (const name of ["compile", "compileStreaming", "instantiate", "instantiateStreaming"]) {
  const original = WebAssembly[name];
  WebAssembly[name] = async (...args) => {
    window.__wasmHeld += 1;
    await released;
    return original.apply(WebAssembly, args);
  };
}
"""
CLICKED = "window.__clicks.length && window.__clicks.at(-1).frame !== undefined"
LAST = "(() => { const c = window.__clicks.at(-1); return {...c, delay: c.start - c.t, response: c.frame - c.t}; })()"


def test_a_tab_clicked_while_python_loads_answers_at_once(make_context, server):
    context, watch = make_context(cold=True)
    context.add_init_script(CLICK_TIMING)
    page = context.new_page()
    page.route("**/pyodide/pyodide.asm.wasm", lambda route: None)  # Python never arrives
    page.goto(server.url, wait_until="domcontentloaded")
    page.wait_for_selector("#boot-tabs [data-tab=map]")
    page.click("#boot-tabs [data-tab=map]")
    page.wait_for_function(CLICKED)
    click = page.evaluate(LAST)
    assert click["state"] == "booting"
    assert page.get_attribute("#boot-tabs [data-tab=map]", "aria-selected") == "true"
    assert page.get_attribute("#boot-tabs [data-tab=cellules]", "aria-selected") == "false"
    assert "« Carte » s’ouvre dès que l’application est prête — Chargement…" in page.text_content("#boot-tab-wait")
    assert page.is_visible("#boot-tab-wait")
    assert page.evaluate("document.documentElement.dataset.bootTab") == "map"
    page.click("#boot-tabs [data-tab=cellules]")  # back to the list: no waiting message
    assert page.is_hidden("#boot-tab-wait")
    assert page.evaluate("document.documentElement.dataset.bootTab") == "cellules"
    page.close()
    assert watch.offsite == []
    assert watch.errors == []


def test_the_app_opens_on_the_tab_chosen_during_a_restored_boot(make_context, server):
    """A click on a tab while the snapshot boot is held before Pyodide's WebAssembly starts (so the click
    surely lands during the boot, on any machine: Chromium's CPU throttling, which made the boot long
    enough, stalls the renderer under libfaketime); the boot then goes on and opens that tab."""
    context, watch = make_context(pooled=False)  # a returning visitor: this build's snapshot is stored
    context.add_init_script(CLICK_TIMING)
    context.add_init_script(HOLD_WASM)
    page = context.new_page()
    page.goto(server.url, wait_until="commit")
    page.wait_for_selector("#boot-tabs [data-tab=exchange]")
    page.click("#boot-tabs [data-tab=exchange]")
    page.wait_for_function(CLICKED)
    click = page.evaluate(LAST)
    assert click["state"] == "booting"  # the click happened during the boot
    assert page.evaluate("window.__wasmHeld") > 0  # the boot had reached Pyodide's WebAssembly, held there
    page.evaluate("window.__releaseWasm()")
    wait_ready(page)
    assert page.evaluate("window.cellulesBoot.mode") == "snapshot"
    assert page.locator("#boot-tabs").count() == 0  # the app's own tabs took over
    assert page.get_attribute("#tab-exchange", "aria-selected") == "true"
    assert page.is_visible("#view-exchange") and page.is_hidden("#view-cellules")
    assert watch.errors == []
