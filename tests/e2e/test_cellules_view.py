"""« Cellules » as a new user meets it: the welcome, installing the app, atelier end
times, « Nouvel atelier pour … » opening in view, undoing the deletion of a cellule, « Copier le lien » in
the QR dialog, the keyboard in place-search results, and the focus going back where the user was.
Screenshots (desktop and phone, French and English) go to build/screenshots/cellules-*.png."""

from __future__ import annotations

import re

from conftest import boot
from driver import create_cellule, next_frames, rename, screenshot, shoot

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
BRUSSELS = {"timezone_id": "Europe/Brussels", "locale": "fr-BE"}
IN_VIEW = """(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
                        return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight; }"""
FOCUSED = "() => { const a = document.activeElement; return a ? (a.id || a.getAttribute('data-action')) : null; }"
SYNTHETIC_OFFER = """(outcome) => {
    const offer = new Event('beforeinstallprompt', {cancelable: true});
    offer.prompt = () => { window.__prompted = (window.__prompted || 0) + 1; return Promise.resolve(); };
    offer.userChoice = Promise.resolve({outcome, platform: 'web'});
    window.dispatchEvent(offer);
    return offer.defaultPrevented;
}"""
IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/17.4 Mobile/15E148 Safari/604.1")


# The ateliers below are dated in December 2026: the page's clock stands before them, whatever the day.
NOW_MS = 1_795_165_200_000  # 2026-11-20T10:00:00+01:00 (Brussels)


def status(page) -> str:
    return page.text_content("#status").strip()


def test_first_visit_welcomes_asks_the_name_and_never_blocks(make_context, server):
    context, page, watch = boot(make_context, server)
    welcome = page.locator("#welcome")
    assert welcome.is_visible()
    text = welcome.inner_text()
    assert "Une cellule est un groupe local" in text and "Un atelier est une rencontre" in text
    assert "restent sur cet appareil" in text
    assert page.get_by_label("Nom de votre association ou groupe").is_visible()
    # the state exists already, under the default name: closing the page now loses nothing
    assert "Mon association" in page.text_content("#instance-label")
    # a new phone of a group that exists is shown the way to its backup
    assert page.text_content("#welcome-restore-go") == "Restaurer une sauvegarde"
    shoot(page, "cellules-welcome-fr")
    page.click("#lang-toggle")
    assert "A cellule is a local group" in welcome.inner_text()
    shoot(page, "cellules-welcome-en")
    page.click("#lang-toggle")
    page.click("#welcome-restore-go")
    page.wait_for_selector("#view-exchange:not([hidden]) #import-file")
    page.click("#tab-cellules")
    # not answering is refused with a message, nothing changes
    page.click("#welcome-start")
    page.wait_for_function("document.getElementById('welcome-error').textContent.includes('Écrivez le nom')")
    assert page.evaluate(FOCUSED) == "welcome-name"
    page.fill("#welcome-name", "Asso du Coin")
    page.click("#welcome-start")
    page.wait_for_function("document.getElementById('instance-label').textContent.includes('Asso du Coin')")
    assert page.locator("#welcome").count() == 0
    assert "Asso du Coin" in status(page)
    assert page.evaluate(FOCUSED) == "new-cellule"
    page.reload()
    page.wait_for_function("document.documentElement.dataset.appState === 'ready'", timeout=120_000)
    assert page.locator("#welcome").count() == 0  # a second visit never shows it again
    assert "Asso du Coin" in page.text_content("#instance-label")
    assert watch.errors == []


def test_the_welcome_does_not_stand_in_the_way(make_context, server):
    context, page, watch = boot(make_context, server)
    assert page.locator("#welcome").is_visible()
    page.reload()  # opened once « to look », reopened: still unnamed and empty, the welcome is still there
    page.wait_for_function("document.documentElement.dataset.appState === 'ready'", timeout=120_000)
    assert page.locator("#welcome").is_visible() and page.locator("#welcome-restore-go").is_visible()
    create_cellule(page, "Cellule Vélo", place="namur")  # the app works around the card
    assert page.locator("#welcome").count() == 0  # and it goes once there is data
    page.reload()
    page.wait_for_function("document.documentElement.dataset.appState === 'ready'", timeout=120_000)
    assert page.locator("#welcome").count() == 0
    assert watch.errors == []


# Chromium may make its own offer once the service worker runs: kept out, so that each test says when
NO_REAL_OFFER = ("addEventListener('beforeinstallprompt', (e) => { if (e.isTrusted) e.stopImmediatePropagation(); },"
                 " true);")


def test_install_button_only_while_the_browser_offers_it(make_context, server):
    context, page, watch = boot(make_context, server, init_scripts=(NO_REAL_OFFER,))
    button = page.locator("#install-app")
    assert not button.is_visible()  # no offer, no button
    assert not page.locator("#install-hint").is_visible()  # not an iPhone
    assert page.evaluate(SYNTHETIC_OFFER, "dismissed") is True  # boot.js keeps the offer for later
    page.wait_for_selector("#install-app:visible")
    assert button.inner_text() == "Installer l’application"
    button.click()
    page.wait_for_selector("#install-app", state="hidden")  # one offer, one prompt
    assert page.evaluate("window.__prompted") == 1
    page.evaluate(SYNTHETIC_OFFER, "accepted")
    button.click()
    page.wait_for_function("document.getElementById('status').textContent.includes('Application installée')")
    assert not button.is_visible()
    assert watch.errors == []


def test_an_offer_made_before_python_runs_is_kept(make_context, server):
    offer_early = "addEventListener('DOMContentLoaded', () => {" + f"({SYNTHETIC_OFFER})('accepted');" + "});"
    context, page, watch = boot(make_context, server, init_scripts=(NO_REAL_OFFER, offer_early), **PHONE)
    assert page.evaluate("document.readyState") == "complete"
    assert page.locator("#install-app").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # on its own line on a phone
    box = page.locator("#lang-toggle").bounding_box()
    assert box["x"] + box["width"] <= 390
    shoot(page, "cellules-install-fr")


def test_ios_gets_a_one_line_hint_instead(make_context, server):
    # an iPhone's Safari never offers the install (a profile on disk in Chromium does: swallowed)
    context, page, watch = boot(make_context, server, user_agent=IPHONE, init_scripts=(NO_REAL_OFFER,), **PHONE)
    hint = page.locator("#install-hint")
    assert hint.is_visible() and "Sur l’écran d’accueil" in hint.inner_text()
    assert not page.locator("#install-app").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("#lang-toggle")
    assert "Add to Home Screen" in hint.inner_text()
    shoot(page, "cellules-ios-en")


def unfold(card) -> None:
    if card.locator("[data-action=open-cellule]").get_attribute("aria-expanded") != "true":
        card.locator("[data-action=open-cellule]").click()


def add_atelier(page, cellule: str, title: str, starts: str, ends: str = "") -> None:
    card = page.locator("li.cellule", has=page.locator(f".cellule-name:text-is('{cellule}')"))
    unfold(card)
    card.locator("[data-action=new-atelier]").click()
    page.fill("#f-title", title)
    page.fill("#f-startsAt", starts)
    if ends:
        page.fill("#f-endsAt", ends)
    page.click("#edit-form button[type=submit]")
    page.wait_for_selector(f".atelier-title:text-is('{title}')")


def test_ateliers_show_their_end_and_new_atelier_names_its_cellule_in_view(make_context, server):
    context, page, watch = boot(make_context, server, now_ms=NOW_MS, **PHONE, **BRUSSELS)
    for i in range(4):
        create_cellule(page, f"Cellule {i}", place="namur", description="Une description\n" * 4)
    create_cellule(page, "Repair Café", place="liege")
    card = page.locator("li.cellule", has=page.locator(".cellule-name:text-is('Repair Café')"))
    card.locator("[data-action=open-cellule]").click()
    opener = card.locator("[data-action=new-atelier]")
    opener.scroll_into_view_if_needed()
    assert opener.get_attribute("aria-label") == "Nouvel atelier pour «\u00a0Repair Café\u00a0»"
    opener.click()
    assert page.text_content("#edit-form h2") == "Nouvel atelier pour «\u00a0Repair Café\u00a0»"
    assert page.evaluate(FOCUSED) == "f-title"
    assert page.evaluate(IN_VIEW, "#f-title")  # opened in view on a phone, first field focused
    page.fill("#f-title", "Crevaisons")
    page.fill("#f-startsAt", "2026-12-05T14:00")
    page.fill("#f-endsAt", "2026-12-05T17:00")
    page.click("#edit-form button[type=submit]")
    page.wait_for_selector(".atelier-title:text-is('Crevaisons')")
    assert page.evaluate(FOCUSED) == "new-atelier"  # back where the user was
    assert page.evaluate(IN_VIEW, "#status")  # « Atelier enregistré » in sight
    when = card.locator("li.atelier .atelier-when").first.inner_text()
    assert when == "samedi 5 décembre, de 14\u00a0h à 17\u00a0h"  # never split between « 14 » and « h »
    add_atelier(page, "Repair Café", "Deux jours", "2026-12-05T14:00", "2026-12-06T12:30")
    add_atelier(page, "Repair Café", "Sans fin", "2026-12-07T09:30")
    whens = card.locator("li.atelier .atelier-when").all_inner_texts()
    assert whens[0] == "samedi 5 décembre, de 14\u00a0h à 17\u00a0h"
    assert whens[2] == "lundi 7 décembre, 9\u00a0h\u00a030"
    assert "samedi 5 décembre" in whens[1] and "dimanche 6 décembre, 12\u00a0h\u00a030" in whens[1]
    shoot(page, "cellules-ateliers-fr", focus="li.atelier")
    page.click("#lang-toggle")
    whens = card.locator("li.atelier .atelier-when").all_inner_texts()
    assert whens[0] == "Saturday 5 December, from 2 pm to 5 pm"
    shoot(page, "cellules-ateliers-en", focus="li.atelier")
    card.locator("[data-action=new-atelier]").click()
    assert page.text_content("#edit-form h2") == "New workshop for “Repair Café”"
    shoot(page, "cellules-form-en", focus="#edit-form")
    page.click("[data-action=cancel-form]")
    assert page.evaluate(FOCUSED) == "new-atelier"  # closing the form gives the focus back too
    assert watch.errors == []


def test_deleting_a_cellule_can_be_undone_with_its_ateliers_and_only_that(make_context, server):
    context, page, watch = boot(make_context, server, now_ms=NOW_MS, **PHONE, **BRUSSELS)
    create_cellule(page, "Cellule du parc", place="mons")
    create_cellule(page, "Repair Café", place="liege", description="Une description\n" * 6)
    add_atelier(page, "Repair Café", "Un", "2026-12-05T14:00", "2026-12-05T16:00")
    add_atelier(page, "Repair Café", "Deux", "2026-12-12T14:00")
    card = page.locator("li.cellule", has=page.locator(".cellule-name:text-is('Repair Café')"))
    card.locator("[data-action=delete-cellule]").click()
    page.wait_for_function("!document.querySelector('#cellule-list').textContent.includes('Repair Café')")
    assert status(page).startswith("Cellule «\u00a0Repair Café\u00a0» supprimée.")
    undo = page.locator("#status #undo-delete")
    assert undo.inner_text() == "Annuler la suppression"
    assert page.evaluate(IN_VIEW, "#status") and page.evaluate(IN_VIEW, "#undo-delete")
    shoot(page, "cellules-undo-fr", focus="#status")
    undo.click()
    page.wait_for_selector(".cellule-name:text-is('Repair Café')")
    assert status(page) == "Cellule «\u00a0Repair Café\u00a0» rétablie, avec ses ateliers."
    assert page.evaluate(IN_VIEW, "#status")
    unfold(card)
    assert card.locator(".atelier-title").all_inner_texts() == ["Un", "Deux"]
    page.click("#lang-toggle")
    card.locator("[data-action=delete-cellule]").click()
    page.wait_for_selector("#status #undo-delete")
    assert page.locator("#undo-delete").inner_text() == "Undo the deletion"
    shoot(page, "cellules-undo-en", focus="#status")
    assert watch.errors == []


def test_undo_delete_brings_back_the_ateliers_and_keeps_later_edits(make_context, server):
    context, page, watch = boot(make_context, server, now_ms=NOW_MS, **BRUSSELS)
    create_cellule(page, "Cellule du parc", place="mons")
    create_cellule(page, "Repair Café", place="liege")
    add_atelier(page, "Repair Café", "Un", "2026-12-05T14:00", "2026-12-05T16:00")
    add_atelier(page, "Repair Café", "Deux", "2026-12-12T14:00")
    page.locator("li.cellule", has=page.locator(".cellule-name:text-is('Repair Café')")) \
        .locator("[data-action=delete-cellule]").click()
    page.wait_for_selector("#status #undo-delete")
    undo = page.evaluate("() => { const b = document.getElementById('undo-delete');"
                         " return {id: b.dataset.id, stamp: b.dataset.stamp}; }")
    assert page.evaluate(FOCUSED) == "undo-delete"
    page.locator("li.cellule [data-action=edit-cellule]").first.click()
    page.fill("#f-name", "Parc renommé")
    page.click("#edit-form button[type=submit]")
    page.wait_for_selector(".cellule-name:text-is('Parc renommé')")
    # the message changed meanwhile: press the same undo button, as the delete made it
    page.evaluate("""(u) => { const b = document.createElement('button'); b.id = 'again';
        b.dataset.action = 'undo-delete-cellule'; b.dataset.id = u.id; b.dataset.stamp = u.stamp;
        document.getElementById('status').appendChild(b); }""", undo)
    page.click("#again")
    page.wait_for_selector(".cellule-name:text-is('Repair Café')")
    assert status(page) == "Cellule «\u00a0Repair Café\u00a0» rétablie, avec ses ateliers."
    assert sorted(page.locator(".cellule-name").all_inner_texts()) == ["Parc renommé", "Repair Café"]
    assert page.evaluate(FOCUSED) == "edit-cellule"  # on the card that came back
    card = page.locator("li.cellule", has=page.locator(".cellule-name:text-is('Repair Café')"))
    unfold(card)
    assert card.locator(".atelier-title").all_inner_texts() == ["Un", "Deux"]
    # the same undo a second time changes nothing and says so
    page.evaluate("""(u) => { const b = document.createElement('button'); b.id = 'again2';
        b.dataset.action = 'undo-delete-cellule'; b.dataset.id = u.id; b.dataset.stamp = u.stamp;
        document.getElementById('status').appendChild(b); }""", undo)
    page.click("#again2")
    page.wait_for_function("document.getElementById('status').textContent.includes('déjà été annulée')")
    page.reload()
    page.wait_for_function("document.documentElement.dataset.appState === 'ready'", timeout=120_000)
    assert sorted(page.locator(".cellule-name").all_inner_texts()) == ["Parc renommé", "Repair Café"]
    assert watch.errors == []


def test_qr_dialog_copies_the_link_and_gives_the_focus_back(make_context, server):
    context, page, watch = boot(make_context, server)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url.rstrip("/"))
    create_cellule(page, "Repair Café", place="liege")
    page.click("[data-action=show-qr]")
    page.wait_for_selector("#qr-dialog[open]")
    page.click("#qr-copy")
    page.wait_for_function("document.getElementById('qr-copied').textContent === 'Lien copié.'")
    link = page.input_value("#qr-link")
    assert page.evaluate("navigator.clipboard.readText()") == link and "#import=" in link
    shoot(page, "cellules-qr-fr", focus="#qr-copy")
    page.click("[data-action=close-qr]")
    page.wait_for_function(f"({FOCUSED})() === 'show-qr'")  # the dialog's close event gives the focus back
    # a browser that refuses: the message says so, and the link is selected to copy by hand
    page.evaluate("() => { navigator.clipboard.writeText ="
                  " () => Promise.reject(new DOMException('no', 'NotAllowedError')); }")
    page.click("#lang-toggle")
    page.click("[data-action=show-qr]")
    page.click("#qr-copy")
    page.wait_for_function("document.getElementById('qr-copied').textContent.includes('refused')")
    selected = page.evaluate("() => { const f = document.getElementById('qr-link');"
                             " return document.activeElement === f && f.selectionStart === 0"
                             " && f.selectionEnd === f.value.length; }")
    assert selected
    shoot(page, "cellules-qr-en", focus="#qr-copied")
    page.keyboard.press("Escape")  # the browser's own close
    page.wait_for_selector("#qr-dialog:not([open])", state="attached")
    page.wait_for_function(f"({FOCUSED})() === 'show-qr'")
    assert watch.errors == []


def test_keyboard_in_place_search_results(make_context, server):
    context, page, watch = boot(make_context, server)
    page.click("#new-cellule")
    page.fill("#f-name", "Clavier")
    page.fill("#node-search", "nam")
    page.wait_for_selector("#node-results button >> nth=1")
    labels = page.locator("#node-results button").all_inner_texts()
    page.focus("#node-search")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.textContent") == labels[0]
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.textContent") == labels[1]
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.textContent") == labels[0]
    page.keyboard.press("Escape")
    assert page.evaluate(FOCUSED) == "node-search"
    assert page.locator("#edit-form").count() == 1  # Escape in the results does not close anything
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")  # picks the second place
    page.wait_for_function(f"document.getElementById('node-chosen').textContent.includes({labels[1]!r})")
    assert page.evaluate(FOCUSED) == "node-search"
    page.fill("#node-search", "liège")
    page.keyboard.press("Enter")  # Enter in the field picks the first place, never saves half a form
    page.wait_for_function("document.getElementById('node-chosen').textContent.includes('Liège')")
    assert page.locator("#edit-form").count() == 1
    # the map's search
    page.click("#tab-map")
    page.fill("#map-search", "mons")
    page.wait_for_selector("#map-results button")
    first = page.locator("#map-results button").first.inner_text()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.textContent") == first
    page.keyboard.press("Escape")
    assert page.evaluate(FOCUSED) == "map-search"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_selector("#node-panel")
    assert re.search(r"Mons", page.text_content("#node-title"))
    assert watch.errors == []


def test_on_a_phone_a_neighbours_cellules_read_plainly_and_the_message_hides_nothing(make_context, server):
    """A volunteer on a phone whose group has a long name receives a neighbour's cellules:
    - the header shows the group's whole name (a line of its own on a phone, beside the title on a desktop);
    - names read as a French reader sorts them (« École » among the E, « Voisins 2 » before « Voisins 10 »),
      and a long e-mail address wraps inside the 390 px screen instead of widening the page;
    - FÉDÉRÉ explains itself: the list says once what it means, the badge carries it on hover (title) and for a
      screen reader (read with the cellule's name); in English, FEDERATED the same way;
    - after a save, the sticky message covers nothing of the list (« 7 cellules » stays readable below it), and
      it is still the view's live region, in its place;
    - « Aide » says what the meeting mode is and who does it, without a command line."""
    from peers import NODE

    from app.core import actions, document, i18n

    state = actions.new_state(name="Asso voisine", random_bytes=bytes([9]) * 16)
    names = ["Zèbre", "École du soir", "Voisins 10", "Voisins 2", "Dinant", "À la ferme", "eb"]
    for i, name in enumerate(names):
        contact = "prenom.nom.identifiant.tres.long@associationexempledebruxellescapitale.be" if i == 0 else ""
        state, _ = actions.create_cellule(state, {"nodeId": NODE, "name": name, "contact": contact},
                                          now_ms=NOW_MS + i, random_bytes=bytes([9, i]) * 8)
    text = document.dumps(document.to_document(state, now_ms=NOW_MS + 10))
    _, page, watch = boot(make_context, server, now_ms=NOW_MS, **PHONE)
    group = "Association des habitantes et habitants du quartier de Saint-Servais et environs"
    rename(page, group)
    page.click("#tab-exchange")
    page.fill("#import-text", text)
    page.click("#import-paste")
    page.wait_for_selector("#preview")
    page.click("#do-merge")
    page.wait_for_selector("#report")
    page.click("#tab-cellules")
    assert page.locator(".cellule-name").all_inner_texts() == [
        "À la ferme", "Dinant", "eb", "École du soir", "Voisins 2", "Voisins 10", "Zèbre"]
    assert page.evaluate("document.documentElement.scrollWidth") == 390
    contact = page.locator("li.cellule .contact")
    assert contact.evaluate("e => e.getBoundingClientRect().right") <= 390

    # the group's name, whole, on a phone and on a desktop: nothing of it cut or hidden
    for width, height in ((390, 844), (1280, 800)):
        page.set_viewport_size({"width": width, "height": height})
        label = page.evaluate(WHOLE_LABEL)
        assert label["text"] == f"«\u00a0{group}\u00a0»" and label["whole"], (width, label)
        assert label["right"] <= width and page.evaluate("document.documentElement.scrollWidth") == width
    assert label["lines"] == 1  # a desktop: beside the title, on one line
    page.set_viewport_size({"width": 390, "height": 844})
    label = page.evaluate(WHOLE_LABEL)
    assert label["lines"] == 2 and label["below_title"]  # a phone: a line of its own under the title, wrapped

    # FÉDÉRÉ says what it means: once above the cards, and on each badge
    assert page.text_content("#fed-note") == (
        "FÉDÉRÉ\u00a0: reçue d’un autre groupe, par un fichier, un lien ou un QR code. "
        "«\u00a0par …\u00a0» nomme le groupe qui l’a écrite.")
    assert page.locator("#fed-note").is_visible()
    first = page.locator("li.cellule").first
    assert first.locator(".badge").text_content() == "FÉDÉRÉ"
    assert first.locator(".badge").get_attribute("title") == "Reçue d’un autre groupe"
    assert first.locator(".author").text_content() == "par Asso voisine"
    heading = first.locator("h3")
    assert heading.evaluate("h => h.querySelector('.sr-only').textContent") == "FÉDÉRÉ\u00a0: reçue d’un autre groupe"
    assert page.get_by_role("heading", name="À la ferme FÉDÉRÉ : reçue d’un autre groupe").count() == 1
    shoot(page, "cellules-federated-note-long-name")

    # a save near the top of the list: the message sticks at the top and « 7 cellules » shows below it
    page.locator("li.cellule:has(.cellule-name:text-is('Dinant')) [data-action=edit-cellule]").click()
    page.fill("#f-description", "Réparer ensemble")
    page.click("#edit-form button[type=submit]")
    page.wait_for_selector("#edit-form", state="detached")
    next_frames(page)
    assert status(page) == "Cellule «\u00a0Dinant\u00a0» enregistrée."
    place = page.evaluate(STATUS_AND_COUNT)
    assert place["stuck"], place  # the page is scrolled: the message follows it
    assert place["status"]["bottom"] <= place["count"]["top"] < 844, place  # covers nothing of the count
    assert place["live"] == ["status", "polite", "view-cellules"]  # still the view's live region, where it was
    screenshot(page, "cellules-saved-message-count-phone")

    # the Aide: the meeting mode in plain words, who does it, and no command to type
    page.click("#tab-help")
    meeting = page.locator("#view-help .help-section", has_text=i18n.t("h.meeting.title", "fr"))
    words = meeting.inner_text()
    assert "python" not in words and "--lan" not in words
    assert "la personne qui apporte l’ordinateur" in words and "Synchroniser en direct" in words
    titles = page.locator("#view-help h3").all_text_contents()
    assert titles.index(i18n.t("h.live.title", "fr")) == titles.index(i18n.t("h.meeting.title", "fr")) - 1

    # in English: FEDERATED explains itself the same way
    page.click("#tab-cellules")
    page.click("#lang-toggle")
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert page.text_content("#fed-note") == (
        "FEDERATED: received from another group, in a file, a link or a QR code. “by …” names the group that wrote it.")
    assert first.locator(".badge").get_attribute("title") == "Received from another group"
    assert page.get_by_role("heading", name="À la ferme FEDERATED: received from another group").count() == 1
    shoot(page, "cellules-federated-note-long-name-en")
    assert watch.errors == []


WHOLE_LABEL = """() => {
    const e = document.getElementById('instance-label'), r = e.getBoundingClientRect();
    const title = document.querySelector('.top h1').getBoundingClientRect();
    const line = parseFloat(getComputedStyle(e).lineHeight) || parseFloat(getComputedStyle(e).fontSize) * 1.2;
    return {text: e.textContent, whole: e.scrollWidth <= e.clientWidth && e.scrollHeight <= e.clientHeight + 1,
            right: r.right, lines: Math.round(r.height / line), below_title: r.top >= title.bottom};
}"""
STATUS_AND_COUNT = """() => {
    const s = document.getElementById('status'), c = document.getElementById('list-count');
    const box = e => { const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom}; };
    return {status: box(s), count: box(c), stuck: s.getBoundingClientRect().top === 0 && scrollY > 0,
            live: [s.getAttribute('role'), s.getAttribute('aria-live'), s.parentElement.id]};
}"""
