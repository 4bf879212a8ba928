"""« Annuler le dernier import » undoes the last import that changed something, and says which.

Merge a file (6 added), merge it again: the report says « Rien de nouveau : … », the journal lists it as
such and marks the first import as the one « Annuler le dernier import » would undo; the undo reverts that
first import and names it (operation, sender, date). Then, on a phone (390×844): the undo is offered where
the confirmation promised it, in view — in the report of a merge or a replace, and after the message of a
source just removed in « Sources » (not in another tab); each says what it reverted. The page's clock is
fixed, so the dates said are exact on any day."""

from __future__ import annotations

from driver import create_cellule, new_app, open_more_choices, paste, shoot
from peers import T0, peer_export

IN_VIEW = """sel => { const e = document.querySelector(sel); if (!e) return false;
                      const r = e.getBoundingClientRect();
                      return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight + 1 && r.left >= 0
                             && r.right <= innerWidth; }"""  # within a pixel: a scroll lands on fractions
# the element before the view's message, and the focused element: where the undo's outcome is said
PLACE = "() => [document.getElementById('status').previousElementSibling?.id, document.activeElement.id]"
NOW = T0 + 60_000  # the fixed clock: « mercredi 28 janvier 2026, 11 h 01 » in Brussels
WHEN = "mercredi 28 janvier 2026, 11\u00a0h\u00a001"
SIX = ["Potager 1", "Potager 2", "Potager 3", "Potager 4", "Potager 5", "Potager 6"]
NEXT_UNDO = " (c’est ce que «\u00a0Annuler le dernier import\u00a0» annulerait)"


GONE_6, BACK_6 = "6 cellules retirées", "6 cellules remises comme avant"
REPLACED_4 = "3 cellules retirées, 1 cellule remise comme avant"  # the replace had added 3, taken 1


def undone(op: str, what: str) -> str:
    """What an undo says it did (« 6 cellules retirées », « 4 cellules remises comme avant »)."""
    return f"Annulé\u00a0: {op}\u00a0; {what}\u00a0; ce que vous avez fait depuis est gardé."


def journal(page) -> list[tuple[str, str | None, str | None, str | None]]:
    """(text, undone?, next undo?, nothing new?) of each journal line, newest first."""
    rows = page.eval_on_selector_all("#journal li", """lis => lis.map(li => [li.textContent,
        li.getAttribute('data-undone'), li.getAttribute('data-next-undo'), li.getAttribute('data-nothing-new')])""")
    return [tuple(row) for row in rows]


def merge_text(page, text: str, button: str = "#do-merge") -> None:
    page.click("#tab-exchange")
    paste(page, text)
    page.wait_for_selector("#preview")
    if button == "#do-replace":  # another group's file onto this group's own cellules: behind « Autres choix »
        open_more_choices(page)
    page.click(button)
    page.wait_for_selector("#report")


def cellules(page) -> list[str]:
    page.click("#tab-cellules")
    return sorted(page.locator("#cellule-list .cellule-name").all_text_contents())


def test_the_last_import_that_changed_something_is_undone_and_offered_where_promised(make_context, server):
    _, page, watch = new_app(make_context, server, viewport={"width": 1280, "height": 800}, now_ms=T0)
    page.clock.set_fixed_time(NOW / 1000)  # timers still run; every date the app writes is NOW
    create_cellule(page, "Cellule locale", place="namur")
    six = peer_export(SIX)

    # 1. the first import adds 6; the same file again changes nothing and says so, with no undo of its own
    merge_text(page, six)
    assert page.text_content("#report-summary") == (
        "Fusion depuis «\u00a0Asso voisine\u00a0»\u00a0: 6 ajoutés, 0 mis à jour, 0 inchangé, 0 conflit résolu, "
        "0 supprimé.")
    assert page.text_content("#report-undo") == "Annuler cette fusion"
    merge_text(page, six)
    nothing = ("Rien de nouveau\u00a0: Fusion depuis «\u00a0Asso voisine\u00a0»\u00a0: 0 ajouté, 0 mis à jour, "
               "6 inchangés, 0 conflit résolu, 0 supprimé.")
    assert page.text_content("#report-summary") == nothing
    assert page.locator("#report-undo").count() == 0  # nothing to undo in it
    page.wait_for_function("document.querySelectorAll('#journal li').length === 2")
    first = "Fusion depuis «\u00a0Asso voisine\u00a0»\u00a0: 6 ajoutés, 0 mis à jour, 0 inchangé, 0 conflit résolu, " \
            "0 supprimé."
    assert journal(page) == [(f"{WHEN} — {nothing}", None, None, "true"),
                             (f"{WHEN} — {first}{NEXT_UNDO}", None, "true", None)]

    # 2. « Annuler le dernier import » undoes the first import and says exactly that
    assert page.is_enabled("#undo-last")
    page.click("#undo-last")
    page.wait_for_function("document.querySelectorAll('#journal li').length === 3")
    merge_op = f"la fusion depuis «\u00a0Asso voisine\u00a0» du {WHEN}"
    assert page.text_content("#status") == undone(merge_op, GONE_6)
    assert journal(page) == [(f"{WHEN} — {undone(merge_op, GONE_6)}", None, None, None),
                             (f"{WHEN} — {nothing}", None, None, "true"),
                             (f"{WHEN} — {first} (annulé)", "true", None, None)]
    assert page.is_disabled("#undo-last")
    assert cellules(page) == ["Cellule locale"]

    # 3. on a phone: the undo in the report of a merge, in view, and its outcome in view
    page.set_viewport_size({"width": 390, "height": 844})
    merge_text(page, six)
    page.wait_for_function(f"({IN_VIEW})('#report-undo')")  # the report is brought into view with it
    shoot(page, "undo-in-report", focus="#report-undo")
    page.click("#report-undo")
    page.wait_for_function(f"document.getElementById('status').textContent === {undone(merge_op, GONE_6)!r}")
    page.wait_for_function(f"({IN_VIEW})('#status')")  # brought into view (a smooth scroll may run)
    assert page.evaluate(PLACE) == ["import-report", "status"]  # where the report and its button were
    assert page.locator("#report").count() == 0
    assert cellules(page) == ["Cellule locale"]

    # … and in the report of a replace (the confirmation promised « Vous pourrez annuler »)
    merge_text(page, peer_export(["Centre 1", "Centre 2", "Centre 3"], seed=9, instance="Asso du centre"),
               "#do-replace")
    assert cellules(page) == ["Centre 1", "Centre 2", "Centre 3"]
    page.click("#tab-exchange")
    page.locator("#report-undo").scroll_into_view_if_needed()
    assert page.text_content("#report-undo") == "Annuler ce remplacement"
    page.click("#report-undo")
    replace_op = f"le remplacement par les données de «\u00a0Asso du centre\u00a0» du {WHEN}"
    page.wait_for_function(f"document.getElementById('status').textContent === {undone(replace_op, REPLACED_4)!r}")
    page.wait_for_function(f"({IN_VIEW})('#status')")  # brought into view (a smooth scroll may run)
    assert page.evaluate(PLACE) == ["import-report", "status"]
    assert cellules(page) == ["Cellule locale"]

    # 4. a source removed in « Sources »: its undo is right after the message there, in view
    merge_text(page, six)
    page.click("#tab-sources")
    page.click("li.source:has(.source-name:text-is('Asso voisine')) [data-action=drop-source][data-step=ask]")
    page.click("#drop-yes")
    page.wait_for_selector("#status-undo")
    assert page.text_content("#status") == (
        "Source «\u00a0Asso voisine\u00a0» supprimée\u00a0: 6 éléments retirés de cet appareil. "
        "Annuler cette suppression")
    assert page.evaluate(IN_VIEW, "#status-undo")
    shoot(page, "undo-after-source-removed", focus="#status-undo")
    page.click("#status-undo")
    drop_op = f"la suppression de la source «\u00a0Asso voisine\u00a0» du {WHEN}"
    page.wait_for_function(f"document.getElementById('status').textContent === {undone(drop_op, BACK_6)!r}")
    page.wait_for_function(f"({IN_VIEW})('#status')")  # brought into view (a smooth scroll may run)
    assert page.evaluate("document.getElementById('status').closest('section').id") == "view-sources"
    assert page.evaluate(PLACE)[1] == "status"  # the message the button was in
    assert page.locator("#view-sources .source-name").all_text_contents() == ["Asso voisine"]
    assert cellules(page) == ["Cellule locale", *SIX]
    assert watch.errors == []
