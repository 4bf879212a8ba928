"""The tabs respond before Python is ready: static/boot.js draws a tab bar that answers
a click at once, even with the CPU throttled x4, and the app opens on the tab chosen during the boot."""

from __future__ import annotations

from conftest import wait_controlled, wait_ready

# Before any page script: time each click from the input event to the first frame after it.
CLICK_TIMING = """
window.__clicks = [];
window.addEventListener('click', (e) => {
  const entry = {t: e.timeStamp, start: performance.now(), state: document.documentElement.dataset.appState};
  window.__clicks.push(entry);
  requestAnimationFrame(() => setTimeout(() => { entry.frame = performance.now(); }));
}, true);
"""
CLICKED = "window.__clicks.length && window.__clicks.at(-1).frame !== undefined"
LAST = "(() => { const c = window.__clicks.at(-1); return {...c, delay: c.start - c.t, response: c.frame - c.t}; })()"


def throttle(context, page, rate: int) -> None:
    context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": rate})


def test_a_tab_clicked_while_python_loads_answers_at_once(make_context, server):
    context, watch = make_context(cold=True)
    context.add_init_script(CLICK_TIMING)
    page = context.new_page()
    page.route("**/pyodide/pyodide.asm.wasm", lambda route: None)  # Python never arrives
    throttle(context, page, 4)
    page.goto(server.url, wait_until="domcontentloaded")
    page.wait_for_selector("#boot-tabs [data-tab=map]")
    page.click("#boot-tabs [data-tab=map]")
    page.wait_for_function(CLICKED)
    click = page.evaluate(LAST)
    assert click["state"] == "booting"
    # how fast (input event to the next frame, CPU x4) is a figure of bench/boot.py, not a verdict here
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


def test_the_app_opens_on_the_tab_chosen_during_a_throttled_boot(make_context, server):
    context, watch = make_context(cold=True)
    context.add_init_script(CLICK_TIMING)
    page = context.new_page()
    page.goto(server.url)
    wait_ready(page)
    wait_controlled(page)
    page.wait_for_function("window.cellulesBoot && window.cellulesBoot.snapshot !== undefined",
                           timeout=180_000, polling=200)
    throttle(context, page, 4)
    page.reload(wait_until="commit")
    page.wait_for_selector("#boot-tabs [data-tab=exchange]")
    page.click("#boot-tabs [data-tab=exchange]")
    page.wait_for_function(CLICKED)
    click = page.evaluate(LAST)
    wait_ready(page)
    throttle(context, page, 1)
    assert click["state"] == "booting"  # the click happened during the boot
    print(f"boot tab click at x4 during a real boot: input delay {click['delay']:.0f} ms, "
          f"to the next frame {click['response']:.0f} ms (boot mode {page.evaluate('window.cellulesBoot.mode')})")
    assert page.locator("#boot-tabs").count() == 0  # the app's own tabs took over
    assert page.get_attribute("#tab-exchange", "aria-selected") == "true"
    assert page.is_visible("#view-exchange") and page.is_hidden("#view-cellules")
    assert watch.errors == []
