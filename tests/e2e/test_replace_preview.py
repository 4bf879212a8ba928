"""« Remplacer » says beforehand what it changes: the preview lists every value that would take the
file's version in place of mine, and replacing then does exactly that, while a merge keeps my edit.

The value that goes back is another instance's: a cellule Carla created, that I imported then edited;
Bob, who imported Carla's file too, sends me Carla's older version. (A file can never put back an older
value stamped with my own node — app/core/merge.py, « Who wrote what » — so my own records keep my
value; the second test shows that case says it would change nothing.)"""

from __future__ import annotations

from driver import create_cellule, export_full, new_app, paste, shoot
from peers import NODE, T0

from app.core import actions, document, merge

NOW = T0 + 86_400_000  # the page's clock: a day after Carla wrote, whatever the machine's date


def carla_and_bob() -> tuple[str, str]:
    """(Carla's file holding « Potager », Bob's file holding Carla's same version of it)."""
    carla = actions.new_state(name="Carla", random_bytes=bytes(range(20, 36)))
    carla, _ = actions.create_cellule(carla, {"nodeId": NODE, "name": "Potager", "contact": "ancien@exemple.be"},
                                      now_ms=T0, random_bytes=bytes(range(80, 96)))
    carla_file = document.dumps_state(carla, now_ms=T0 + 10)
    bob = actions.new_state(name="Bob", random_bytes=bytes(range(40, 56)))
    bob, _ = merge.import_text(bob, carla_file, now_ms=T0 + 1_000)
    return carla_file, document.dumps_state(bob, now_ms=T0 + 2_000)


def test_replace_lists_the_values_it_would_put_back_and_then_does_exactly_that(make_context, server):
    carla_file, bob_file = carla_and_bob()
    _, page, _ = new_app(make_context, server, now_ms=NOW)
    page.click("#tab-exchange")
    paste(page, carla_file)
    page.wait_for_selector("#preview")
    page.click("#do-merge")
    page.wait_for_selector("#report")
    # I correct Carla's contact here, after Bob took her version
    page.click("#tab-cellules")
    page.click("li.cellule:has(.cellule-name:text-is('Potager')) [data-action=edit-cellule]")
    page.fill("#f-contact", "nouveau@exemple.be")
    page.click("#edit-form button[type=submit]")
    page.wait_for_selector("#edit-form", state="detached")
    page.click("#tab-exchange")
    paste(page, bob_file)
    page.wait_for_selector("#preview")
    assert page.locator("#plan-list .plan").count() == 0  # a merge keeps my later edit: nothing to do
    told = page.locator("#replace-overwritten")
    # Bob's version is older than mine: said so, and marked on the row
    assert told.text_content().startswith("1 élément reprendrait la version du fichier, plus ancienne que la vôtre")
    row = page.locator("#overwritten-list .plan")
    assert row.count() == 1
    assert row.locator(".plan-label").text_content() == "Potager"
    assert row.locator(".change .old").text_content() == "nouveau@exemple.be"
    assert row.locator(".change .new").text_content() == "ancien@exemple.be"
    assert row.locator(".older").text_content() == "version du fichier plus ancienne"
    for nothing in ("#replace-summary", "#replace-removed", "#replace-deleted"):  # nothing goes: nothing said
        assert page.locator(nothing).count() == 0
    told.scroll_into_view_if_needed()
    shoot(page, "replace-preview-overwritten", focus="#replace-overwritten")
    page.click("#do-replace")  # the confirmation is accepted by new_app's dialog handler
    page.wait_for_selector("#report")
    page.click("#tab-cellules")
    potager = page.locator("li.cellule:has(.cellule-name:text-is('Potager'))")
    assert potager.locator("text=ancien@exemple.be").count() == 1
    assert potager.locator("text=nouveau@exemple.be").count() == 0


def test_a_file_that_changes_nothing_says_replace_would_remove_or_change_nothing(make_context, server, tmp_path):
    _, page, _ = new_app(make_context, server, now_ms=NOW)
    create_cellule(page, "Jardin", place="namur")
    mine = export_full(page, tmp_path)
    bob = actions.new_state(name="Collectif voisin", random_bytes=bytes(range(60, 76)))
    bob, _ = merge.import_text(bob, mine, now_ms=NOW + 1_000)
    paste(page, document.dumps_state(bob, now_ms=NOW + 2_000))
    page.wait_for_selector("#preview")
    assert page.locator("#replace-summary").text_content() == \
        "Rien de ce qui est sur cet appareil ne serait retiré, supprimé ni modifié."
    assert page.locator("#replace-overwritten").count() == 0
