"""Feedback where the eye is: every intake ends on the preview, scrolled into view and
focused; an intake's error shows under the import controls, in view; a status message appears in
the live region of the view the user is on, and does not follow to another tab; a tab named by the
page before Python ran (data-boot-tab) is the one that opens. Screenshots of every view."""

from __future__ import annotations

import json

from conftest import wait_ready
from driver import create_cellule, new_app, paste, shoot
from peers import peer_export

from app.core import payload

IN_VIEW = """sel => { const r = document.querySelector(sel).getBoundingClientRect();
                      return r.top >= 0 && r.top < innerHeight && r.height > 0; }"""


def preview_in_view_and_focused(page, name: str) -> None:
    page.wait_for_selector("#preview")
    assert name in page.text_content("#preview")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'preview'")
    assert page.evaluate(IN_VIEW, "#preview"), "the preview's top is not on screen"
    page.click("[data-action=cancel-import]")
    page.wait_for_selector("#preview", state="detached")
    page.evaluate("window.scrollTo(0, 0)")


def test_intake_paths_end_on_the_preview_and_status_stays_in_its_view(make_context, server, tmp_path):
    _, alice, watch = new_app(make_context, server)
    create_cellule(alice, "Potager du parc", place="namur")
    text = peer_export(["Jardin voisin", "Repair Café voisin"])
    path = tmp_path / "voisins.json"
    path.write_text(text, "utf-8")
    # paste, then file: each ends on the preview, in view and focused
    alice.click("#tab-exchange")
    paste(alice, text)
    preview_in_view_and_focused(alice, "Jardin voisin")
    alice.set_input_files("#import-file", str(path))
    preview_in_view_and_focused(alice, "Repair Café voisin")
    # an intake's error: under the import controls, in view; the preview is gone
    paste(alice, "{ pas du json")
    alice.wait_for_function("document.getElementById('import-error').textContent.length > 0")
    assert alice.evaluate(IN_VIEW, "#import-error")
    assert alice.locator("#preview").count() == 0
    # a status goes to the current view's region (#status), in view; switching tab clears it
    alice.click("#tab-settings")
    assert alice.evaluate("document.getElementById('status').closest('section').id") == "view-settings"
    alice.fill("#instance-name", "Quartier Nord")
    alice.click("#view-settings button[type=submit]")
    alice.wait_for_function("document.getElementById('status').textContent.length > 0")
    assert alice.evaluate(IN_VIEW, "#status")
    alice.click("#tab-cellules")
    assert alice.evaluate("document.getElementById('status').closest('section').id") == "view-cellules"
    assert alice.text_content("#status") == ""
    assert alice.locator(".view-status").all_text_contents() == [""] * 6
    assert alice.locator("#status").count() == 1
    # a link opened while the app is open (#import=): the preview, in view and focused
    link = payload.make_link(alice.url, payload.encode(json.loads(peer_export(["Atelier du lien"], seed=9))))
    alice.goto(link)
    preview_in_view_and_focused(alice, "Atelier du lien")
    assert alice.locator("#view-exchange").is_visible()
    assert watch.errors == []


def test_boot_tab_and_every_view_on_screen(make_context, server):
    context, watch = make_context()
    context.add_init_script("document.addEventListener('DOMContentLoaded', () => "
                            "{ document.documentElement.dataset.bootTab = 'help'; })")
    page = context.new_page()
    page.on("dialog", lambda d: d.accept())
    page.goto(server.url)
    wait_ready(page)
    assert page.locator("#view-help").is_visible()
    assert page.get_attribute("#tab-help", "aria-selected") == "true"
    assert page.locator("#view-cellules").is_hidden()
    page.click("#tab-cellules")
    create_cellule(page, "Repair Café", place="liege")
    for name in ("help", "cellules", "map", "exchange", "sources", "settings"):
        page.click(f"#tab-{name}")
        page.wait_for_selector(f"#view-{name}:not([hidden])")
        if name == "map":  # the map drawn with its borders
            page.wait_for_function("typeof window.cellulesMap?.firstFullDrawMs === 'number'", timeout=60_000)
        shoot(page, f"view-{name}")
    assert watch.errors == []
