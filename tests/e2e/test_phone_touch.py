"""A phone, by touch: create a cellule, export everything, import it on a second phone and merge.

Two 390×844 touch contexts (`has_touch`, `is_mobile`: a phone's viewport, coarse pointer), every press a
`page.tap`. At each step the screen is checked (and saved with SHOTS=1: build/screenshots/phone-touch-*.png,
looked at by the author): nothing wider than the viewport (the document does not scroll sideways, no visible
element's right edge beyond 390 px) and every visible tap target at least 44×44 px (links inside a sentence of
text exempt).
"""

from __future__ import annotations

import json

from conftest import wait_ready
from driver import screenshot
from views import LAYOUT

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 2}


def phone(make_context, server):
    context, watch = make_context(**PHONE)
    page = context.new_page()
    page.on("dialog", lambda d: d.accept())
    page.goto(server.url)
    wait_ready(page)
    return page, watch


def check(page, step: str) -> None:
    """No sideways overflow and no tap target under 44×44 px on this screen, once laid out and painted
    (two frames); a screenshot with SHOTS=1."""
    page.evaluate("new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")
    screenshot(page, f"phone-touch-{step}")
    layout = page.evaluate(LAYOUT, 390)
    assert layout["scrollWidth"] <= 390, (step, layout)
    assert layout["wide"] == [], (step, layout["wide"])
    assert layout["small"] == [], (step, layout["small"])


def test_create_export_import_merge_by_touch_on_two_phones(make_context, server, tmp_path):
    a, watch_a = phone(make_context, server)
    assert a.evaluate("matchMedia('(pointer: coarse)').matches")  # a finger, as on a phone
    check(a, "1-empty")
    a.tap("#new-cellule")
    a.wait_for_selector("#edit-form")
    a.fill("#f-name", "Cellule du Marché")
    a.fill("#f-description", "Réunion le jeudi")
    a.fill("#node-search", "namur")
    a.wait_for_selector("#node-results button")
    check(a, "2-form")
    a.tap("#node-results button >> nth=0")
    a.tap("#edit-form button[type=submit]")
    a.wait_for_selector("#cellule-list .cellule-name:text-is('Cellule du Marché')")
    check(a, "3-created")

    a.tap("#tab-exchange")
    a.wait_for_selector("#view-exchange:not([hidden])")
    check(a, "4-exchange")
    with a.expect_download() as info:
        a.tap("#export-full")
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    exported = json.loads(path.read_text("utf-8"))
    assert [c["name"] for c in exported["cellules"]] == ["Cellule du Marché"]
    check(a, "5-exported")

    b, watch_b = phone(make_context, server)
    b.tap("#tab-exchange")
    b.wait_for_selector("#view-exchange:not([hidden])")
    b.set_input_files("#import-file", str(path))  # what the phone's file picker hands over
    b.wait_for_selector("#preview")
    assert "Cellule du Marché" in b.text_content("#preview")
    check(b, "6-preview")
    b.tap("#do-merge")
    b.wait_for_selector("#report")
    check(b, "7-merged")
    b.tap("#tab-cellules")
    card = b.locator("li.cellule", has_text="Cellule du Marché")
    card.wait_for()
    assert "FÉDÉRÉ" in card.text_content()
    check(b, "8-received")
    assert watch_a.errors == [] and watch_b.errors == []


def test_the_layout_check_sees_overflow_and_small_targets(make_context, server):
    page, watch = phone(make_context, server)
    page.evaluate("""() => {
        const wide = Object.assign(document.createElement('p'), {id: 'too-wide', textContent: 'x'});
        wide.style.width = '500px';
        const tiny = Object.assign(document.createElement('button'), {id: 'tiny', textContent: 'x'});
        tiny.style.cssText = 'min-height: 0; min-width: 0; padding: 0; width: 20px; height: 20px';
        document.getElementById('view-cellules').append(wide, tiny);
    }""")
    layout = page.evaluate(LAYOUT, 390)
    assert layout["scrollWidth"] > 390
    assert any(w.startswith("p#too-wide") for w in layout["wide"])
    assert any(s.startswith("button#tiny") for s in layout["small"])
