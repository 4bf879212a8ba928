"""Someone who arrives through an app link (#import=…) on a new phone is asked the name others will see
(« Nom de votre association ou groupe ») once the import is done — never before it, never blocking it —
instead of sending « Mon association » in every export. « Plus tard » puts the question away for good on this
device; until the group is named, « Exporter » says which name the files will carry and opens « Réglages »
on the name. Screenshots: build/screenshots/web2-name-*.png."""

from __future__ import annotations

from conftest import boot, wait_ready
from driver import PHONE, shoot
from peers import T0, peer_state

from app.core import document, payload

ACTIVE = "() => { const a = document.activeElement; return a && (a.id || a.tagName); }"


def arrive_by_link(make_context, server):
    """A new phone opens a link received in a chat: the preview, « Fusionner », then « Cellules »."""
    link = payload.make_link(server.url, payload.encode(document.to_document(peer_state(2), kind="cellules",
                                                                             now_ms=T0)))
    _, page, watch = boot(make_context, server, link, **PHONE)
    page.wait_for_selector("#preview")  # the import comes first: nothing asked before it
    assert not page.locator("#welcome").is_visible()
    page.locator("#do-merge").tap()
    page.wait_for_selector("#report")
    page.locator("#tab-cellules").tap()
    page.wait_for_selector("#cellule-list .cellule-name")
    return page, watch


def test_after_a_link_import_the_name_is_asked_once(make_context, server):
    page, watch = arrive_by_link(make_context, server)
    welcome = page.locator("#welcome")
    assert welcome.is_visible(), "a first visit through a link is never asked the group's name"
    assert "Vous avez reçu" in welcome.inner_text()
    shoot(page, "web2-name-after-link", focus="#welcome")
    page.fill("#welcome-name", "Collectif Bressoux")
    page.locator("#welcome-start").tap()
    page.wait_for_function("document.getElementById('instance-label').textContent.includes('Collectif Bressoux')")
    assert page.locator("#welcome").count() == 0
    assert "Collectif Bressoux" in page.text_content("#status")
    assert len(page.locator("#cellule-list .cellule-name").all()) == 2  # the import stays as it was
    page.reload()
    wait_ready(page)
    assert page.locator("#welcome").count() == 0
    assert watch.errors == []


def test_later_puts_the_question_away_and_export_names_the_group(make_context, server):
    page, watch = arrive_by_link(make_context, server)
    page.locator("#welcome-later").tap()
    assert page.locator("#welcome").count() == 0
    assert page.evaluate(ACTIVE) == "new-cellule"
    page.reload()
    wait_ready(page)
    assert page.locator("#welcome").count() == 0, "« Plus tard » is asked again at each visit"
    # the export says which name the files carry, and leads to the name
    page.locator("#tab-exchange").tap()
    hint = page.locator("#export-name-hint")
    assert hint.is_visible() and "Mon association" in hint.inner_text()
    shoot(page, "web2-name-export-hint", focus="#export-name-hint")
    page.locator("#export-name-hint button").tap()
    page.wait_for_selector("#view-settings:not([hidden])")
    assert page.evaluate(ACTIVE) == "instance-name"
    page.fill("#instance-name", "Collectif Bressoux")
    page.locator("#view-settings button[type=submit]").tap()
    page.wait_for_function("document.getElementById('instance-label').textContent.includes('Collectif Bressoux')")
    page.locator("#tab-exchange").tap()
    assert not page.locator("#export-name-hint").is_visible()  # named: nothing more to say
    assert watch.errors == []
