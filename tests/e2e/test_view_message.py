"""The sticky message of a view (its live region, app/web/context.py) as a new user meets it on a phone
(390×844): it goes at the user's next action in that view (a stale « enregistrée » never stays above a new
form or a new error), a success stops following the scroll after a while (an error stays), and it never
covers the element that has the focus nor the heading of the form that just opened.
Screenshots (desktop and phone) go to build/screenshots/web2-status-*.png."""

from __future__ import annotations

from conftest import boot
from driver import PHONE, shoot

# Does the view's message (#status, when it has text) overlap `sel` (default: the focused element)?
COVERED = """(sel) => {
    const e = sel ? document.querySelector(sel) : document.activeElement, s = document.getElementById('status');
    if (!e || e === document.body || !s || !s.textContent.trim() || s.contains(e)) return false;
    const a = e.getBoundingClientRect(), b = s.getBoundingClientRect();
    return a.top < b.bottom && a.bottom > b.top && a.left < b.right && a.right > b.left;
}"""
IN_VIEW = """(sel) => { const e = sel ? document.querySelector(sel) : document.activeElement;
                        const r = e.getBoundingClientRect();
                        return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight; }"""
STICKY = "() => getComputedStyle(document.getElementById('status')).position"
ACTIVE = "() => { const a = document.activeElement; return a && (a.id || a.getAttribute('data-action') || a.tagName); }"


def status(page) -> str:
    return page.text_content("#status").strip()


def save_cellule(page, name: str, place: str = "namur") -> None:
    page.locator("#new-cellule").tap()
    page.fill("#f-name", name)
    page.fill("#f-description", "Une description\n" * 3)
    page.fill("#node-search", place)
    page.locator("#node-results button").first.tap()
    page.locator("#edit-form button[type=submit]").tap()
    page.wait_for_function("(n) => document.getElementById('status').textContent.includes(n)", arg=name)


def test_the_message_goes_at_the_next_action_and_never_covers_focus_or_form_title(make_context, server):
    _, page, watch = boot(make_context, server, **PHONE)
    page.fill("#welcome-name", "Les Jardins de Saint-Gilles")
    page.locator("#welcome-start").tap()
    page.wait_for_function("document.getElementById('status').textContent.includes('Bienvenue')")
    assert page.evaluate(ACTIVE) == "new-cellule"
    assert not page.evaluate(COVERED, None), "the welcome message covers the focused « Nouvelle cellule »"

    # opening a form: the welcome does not linger above it, the form's title is in sight
    page.locator("#new-cellule").tap()
    page.wait_for_selector("#edit-form")
    assert status(page) == "", f"a stale message stays above the new form: {status(page)!r}"
    assert page.evaluate(IN_VIEW, "#edit-form h2") and not page.evaluate(COVERED, "#edit-form h2")
    page.locator("[data-action=cancel-form]").tap()

    for name in ("Atelier vélo", "Boîte à livres", "Cuisine partagée", "Donnerie", "Écoute voisine"):
        save_cellule(page, name)
        assert page.evaluate(IN_VIEW, "#status"), "the new message is out of sight"
        assert not page.evaluate(COVERED, None), f"« {name} » saved: the message covers the focus"

    # « Modifier » far down the list: the form opens under a message-free top, its title in sight
    page.locator("li.cellule [data-action=edit-cellule]").last.tap()
    page.wait_for_selector("#edit-form")
    assert status(page) == ""
    assert page.evaluate(IN_VIEW, "#edit-form h2") and not page.evaluate(COVERED, "#edit-form h2")
    shoot(page, "web2-status-edit-form", focus="#edit-form h2")
    page.locator("#edit-form button[type=submit]").tap()  # nothing changed: saved all the same
    page.wait_for_function("document.getElementById('status').textContent.includes('enregistrée')")
    assert not page.evaluate(COVERED, None)

    # « Fermer sans enregistrer »: the focus goes back to « Nouvelle cellule », nothing over it
    page.locator("#new-cellule").tap()
    page.locator("[data-action=cancel-form]").tap()
    assert page.evaluate(ACTIVE) == "new-cellule"
    assert status(page) == "" and not page.evaluate(COVERED, None)
    assert page.evaluate(IN_VIEW, None)

    # a form error: no stale success above it
    save_cellule(page, "Fanfare du quartier")
    page.locator("#new-cellule").tap()
    page.locator("#edit-form button[type=submit]").tap()
    page.wait_for_function("document.getElementById('form-error').textContent.trim() !== ''")
    assert "enregistrée" not in status(page), f"a stale success above a new error: {status(page)!r}"
    shoot(page, "web2-status-form-error", focus="#edit-form h2")
    assert watch.errors == []


def test_a_success_stops_following_the_scroll_an_error_stays(make_context, server):
    _, page, watch = boot(make_context, server, **PHONE)
    page.fill("#welcome-name", "Asso du Coin")
    page.locator("#welcome-start").tap()
    page.wait_for_function("document.getElementById('status').textContent.includes('Bienvenue')")
    assert page.evaluate(STICKY) == "sticky"  # at first it follows the scroll: seen wherever the user is
    page.wait_for_function(f"({STICKY})() !== 'sticky'", timeout=15_000)
    assert "Bienvenue" in status(page)  # still there to read, at its place, no longer over the content
    assert watch.errors == []
