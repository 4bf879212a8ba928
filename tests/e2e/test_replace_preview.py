"""« Remplacer » says beforehand what it changes (found by a new-user walk): a file holding an older version
of my cellule showed « Rien de ce qui est sur cet appareil ne serait supprimé » and « 0 modifié », then
« Remplacer » put the older contact back over my later edit. The preview now lists what would take the
file's version; replacing then does exactly that, and the merge preview still keeps my edit."""

from __future__ import annotations

import time

from driver import create_cellule, export_full, new_app, paste, shoot

from app.core import actions, document, merge


def test_replace_lists_the_values_it_would_put_back_and_then_does_exactly_that(make_context, server, tmp_path):
    _, page, _ = new_app(make_context, server)
    create_cellule(page, "Potager", place="namur", contact="ancien@exemple.be")
    mine = export_full(page, tmp_path)
    # another group imports my backup and sends theirs back: it holds my cellule as it was
    bob = actions.new_state(name="Collectif voisin", random_bytes=bytes(range(40, 56)))
    bob, _ = merge.import_text(bob, mine, now_ms=int(time.time() * 1000))
    theirs = document.dumps_state(bob, now_ms=int(time.time() * 1000))
    # meanwhile I correct the contact here
    page.click("#tab-cellules")
    page.click("li.cellule:has(.cellule-name:text-is('Potager')) [data-action=edit-cellule]")
    page.fill("#f-contact", "nouveau@exemple.be")
    page.click("#edit-form button[type=submit]")
    page.wait_for_selector("#edit-form", state="detached")
    page.click("#tab-exchange")
    paste(page, theirs)
    page.wait_for_selector("#preview")
    assert page.locator("#plan-list .plan").count() == 0  # a merge keeps my later edit: nothing to do
    told = page.locator("#replace-overwritten")
    assert told.text_content().startswith("1 élément prendrait la version du fichier à la place de la vôtre")
    row = page.locator("#overwritten-list .plan")
    assert row.locator(".plan-label").text_content() == "Potager"
    assert row.locator(".change .old").text_content() == "nouveau@exemple.be"
    assert row.locator(".change .new").text_content() == "ancien@exemple.be"
    assert page.locator("#replace-summary").text_content() == "Rien de ce qui est sur cet appareil ne serait supprimé."
    told.scroll_into_view_if_needed()
    shoot(page, "replace-preview-overwritten", focus="#replace-overwritten")
    page.click("#do-replace")  # the confirmation is accepted by new_app's dialog handler
    page.wait_for_selector("#report")
    page.click("#tab-cellules")
    assert "ancien@exemple.be" in page.locator("li.cellule:has(.cellule-name:text-is('Potager'))").text_content()


def test_a_file_that_changes_nothing_says_replace_would_remove_or_change_nothing(make_context, server, tmp_path):
    _, page, _ = new_app(make_context, server)
    create_cellule(page, "Jardin", place="namur")
    mine = export_full(page, tmp_path)
    bob = actions.new_state(name="Collectif voisin", random_bytes=bytes(range(60, 76)))
    bob, _ = merge.import_text(bob, mine, now_ms=int(time.time() * 1000))
    paste(page, document.dumps_state(bob, now_ms=int(time.time() * 1000)))
    page.wait_for_selector("#preview")
    assert page.locator("#replace-summary").text_content() == \
        "Rien de ce qui est sur cet appareil ne serait supprimé ni modifié."
    assert page.locator("#replace-overwritten").count() == 0
