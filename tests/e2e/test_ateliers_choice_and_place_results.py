"""Two small things a new user met: after an import, the calendar's « Ateliers de » choice lists the cellules
that just arrived without leaving « Échanger »; a place-search result is one box — its second line
(« Commune · Région … ») is inside it and a tap there picks the place, on a phone too.
Screenshot: build/screenshots/web2-place-results-*.png."""

from __future__ import annotations

from conftest import boot
from driver import PHONE, paste, shoot
from peers import peer_export


def test_the_calendar_choice_follows_an_import(make_context, server):
    _, page, watch = boot(make_context, server)
    page.click("#tab-exchange")
    assert page.locator("#ics-cellule option").all_inner_texts() == ["Toutes les cellules"]
    paste(page, peer_export(["Cellule voisine", "Cellule du parc"]))
    page.click("#do-merge")
    page.wait_for_selector("#report")
    options = page.locator("#ics-cellule option").all_inner_texts()
    assert {"Cellule voisine", "Cellule du parc"} <= set(options), options
    page.click("#undo-last")  # and an undo takes them away again
    page.wait_for_function("document.querySelectorAll('#ics-cellule option').length === 1")
    assert watch.errors == []


def test_a_tap_on_a_results_second_line_picks_the_place(make_context, server):
    _, page, watch = boot(make_context, server, **PHONE)
    page.locator("#welcome-later").tap()
    page.locator("#new-cellule").tap()
    page.fill("#node-search", "saint gil")
    kind = page.locator("#node-results li").first.locator(".hit-kind")
    kind.wait_for()
    box = kind.bounding_box()
    row = page.locator("#node-results li").first.bounding_box()
    assert "Saint-Gilles" not in page.text_content("#node-chosen")
    # the second line is inside the result's box, drawn around the whole row (the tap below picks the place)
    assert row["y"] <= box["y"] and box["y"] + box["height"] <= row["y"] + row["height"]
    assert page.evaluate("() => getComputedStyle(document.querySelector('#node-results li')).borderTopStyle") \
        == "solid"
    shoot(page, "web2-place-results", focus="#node-results")
    kind.scroll_into_view_if_needed()
    box = kind.bounding_box()  # where it is after the screenshots' resizing
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("document.getElementById('node-chosen').textContent.includes('Saint-Gilles')")
    assert watch.errors == []
