"""The browser layer's details, each as a French-speaking member on a phone meets it:
file pickers that are the app's own buttons in the app's language (never the browser's « Choose File »), times
that never break inside « 14 h », the undo of a deletion still offered after a trip to another tab, the map's
message and its « Choisissez le lieu » banner never one over the other, and the focus after « Rétablir cette
valeur ». Screenshots (desktop and phone) go to build/screenshots/polish-*.png."""

from __future__ import annotations

import pytest
from conftest import boot
from driver import create_cellule, next_frames, shoot
from peers import T0, peer_export

from app.core import i18n

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
BRUSSELS = {"timezone_id": "Europe/Brussels", "locale": "fr-BE"}
SIZES = {"desktop": DESKTOP, "phone": PHONE}
BROWSER_WORDS = ("Choose File", "Choose Files", "No file chosen", "No file selected")
PICKERS = ("import-file", "scan-image")

TWO_FRAMES = "new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"
IN_VIEW = """(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
                        return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight; }"""
# How each file picker looks: is the browser's own control painted (opacity), what the user reads, the button's box,
# and which element a tap at the button's centre reaches.
PICKER = """(id) => {
    const input = document.getElementById(id), button = input.closest('label');
    (button || input).scrollIntoView({block: 'center'});
    const r = (button || input).getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return {opacity: getComputedStyle(input).opacity, words: button ? button.innerText.trim() : '',
            width: r.width, height: r.height, tapReaches: hit === input || (hit && hit.closest('label') === button),
            chosen: (document.getElementById(id + '-chosen') || {}).textContent ?? null};
}"""
# The pieces of an element's text that must stay on one line (a time of day, a guillemet with its word), found in
# its text whatever its markup and measured with a Range, at each width of `box` (the element or its row) from 150 px
# to 390 px: a piece over more than one line top is broken inside.
TIME = r"\b\d{1,2}(?::\d{2})?(?:[ \u00a0]h(?:\u00a0\d{2})?| [ap]m)\b|\b\d{1,2}:\d{2}\b"  # JS RegExp
QUOTE = r"«\s\S{1,24}(?!\S)|(?<!\S)\S{1,24}\s»"
LINES = r"""([selector, box, pattern]) => {
    const node = document.querySelector(selector), row = node.closest(box);
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT), nodes = [];
    let text = '';
    while (walker.nextNode()) { nodes.push([walker.currentNode, text.length]); text += walker.currentNode.data; }
    const at = (i) => { for (let k = nodes.length - 1; k >= 0; k--) if (nodes[k][1] <= i)
        return [nodes[k][0], i - nodes[k][1]]; };
    const pieces = [...text.matchAll(new RegExp(pattern, 'g'))];
    const broken = [];
    for (let width = 150; width <= 390; width += 1) {
        row.style.width = width + 'px';
        for (const m of pieces) {
            const range = document.createRange();
            range.setStart(...at(m.index));
            range.setEnd(...at(m.index + m[0].length - 1));
            range.setEnd(range.endContainer, range.endOffset + 1);
            const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
            if (tops.size > 1) broken.push(width + 'px: ' + m[0]);
        }
    }
    row.style.width = '';
    return {text, pieces: pieces.map(m => m[0]), broken};
}"""
HOLD = """() => new Promise(held => navigator.locks.request('cellules-fwb-write',
    () => new Promise(release => { window.__release = release; held(); })))"""
WAITING = """async () => (await navigator.locks.query()).pending
    .filter(p => p.name === 'cellules-fwb-write').length"""
FOCUS = """() => { const a = document.activeElement; const r = a.getBoundingClientRect();
    return {tag: a.tagName, id: a.id, text: (a.textContent || '').trim(), inDialog: !!a.closest('dialog[open]'),
            visible: r.width > 0 && r.height > 0 && r.top >= 0 && r.bottom <= innerHeight}; }"""


def card(page, name: str):
    return page.locator("li.cellule", has=page.locator(f".cellule-name:text-is('{name}')"))


def peer_file(tmp_path, name: str = "cellules-de-bob.json"):
    """An export as another association's app writes it."""
    path = tmp_path / name
    path.write_text(peer_export(["Cellule voisine du quartier de la gare"]), "utf-8")
    return path


# --- 1. file pickers ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("size", list(SIZES))
def test_file_pickers_are_the_apps_own_buttons_in_french_and_open_from_the_keyboard(make_context, server, tmp_path,
                                                                                   size):
    context, page, watch = boot(make_context, server, **SIZES[size], **BRUSSELS)
    page.click("#tab-exchange")
    for picker, words in zip(PICKERS, (i18n.t("x.file", "fr"), i18n.t("picker.choose_photo", "fr")), strict=True):
        seen = page.evaluate(PICKER, picker)
        assert seen["opacity"] == "0", f"the browser's own « Choose File » control of #{picker} is painted"
        assert seen["words"] == words and seen["chosen"] == ""
        assert seen["tapReaches"], f"a tap on « {words} » does not reach the file input"
        assert seen["height"] >= (44 if size == "phone" else 30) and seen["width"] >= 44, seen
    assert not any(w in page.inner_text("main") for w in BROWSER_WORDS)
    # the keyboard: Tab reaches the picker (its button shows the focus ring), Enter opens the browser's picker
    page.focus("#export-copy")
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "import-file":
            break
    assert page.evaluate("document.activeElement.id") == "import-file"
    assert page.evaluate("getComputedStyle(document.getElementById('import-file-button')).outlineStyle") != "none"
    with page.expect_file_chooser(timeout=10_000) as chooser:
        page.keyboard.press("Enter")
    chooser.value.set_files(str(peer_file(tmp_path)))
    page.wait_for_selector("#preview")
    assert page.text_content("#import-file-chosen") == "Fichier choisi\u00a0: cellules-de-bob.json"
    assert "Cellule voisine" in page.text_content("#preview")
    # each item's checkbox is on the line of its words (it used to sit alone above them on a phone)
    assert page.evaluate("""() => [...document.querySelectorAll('#preview .plan')].map(plan => {
        const box = plan.querySelector('input[type=checkbox]').getBoundingClientRect();
        const words = plan.querySelector('label').getBoundingClientRect();
        const middle = box.top + box.height / 2;
        return middle >= words.top && middle <= words.bottom; })""") == [True]
    assert page.evaluate("document.getElementById('import-file').value") == ""  # a browser fires no change for
    page.click("[data-action=cancel-import]")  # the same file chosen twice: the input is emptied once it is read
    with page.expect_file_chooser(timeout=10_000) as chooser:  # so the same file, chosen again, is read again
        page.click("#import-file-button")
    chooser.value.set_files(str(peer_file(tmp_path)))
    page.wait_for_selector("#preview")
    page.click("[data-action=cancel-import]")
    # Space opens the photo picker too
    page.focus("#scan-image")
    with page.expect_file_chooser(timeout=10_000):
        page.keyboard.press(" ")
    shoot(page, f"polish-file-pickers-{size}", focus="#import-file-pick")
    assert watch.errors == []


def test_file_pickers_speak_english_in_english(make_context, server):
    context, page, watch = boot(make_context, server, **PHONE)
    page.click("#lang-toggle")
    page.click("#tab-exchange")
    assert page.evaluate(PICKER, "import-file")["words"] == i18n.t("x.file", "en")
    assert page.evaluate(PICKER, "scan-image")["words"] == i18n.t("picker.choose_photo", "en")
    page.set_input_files("#scan-image", {"name": "photo.png", "mimeType": "image/png", "buffer": b"not a picture"})
    page.wait_for_function("document.getElementById('scan-image-chosen').textContent !== ''")
    assert page.text_content("#scan-image-chosen") == "Chosen file: photo.png"


# --- 2. times ---------------------------------------------------------------------------------------------------
def test_an_ateliers_time_never_breaks_inside_on_a_phone(make_context, server):
    context, page, watch = boot(make_context, server, now_ms=T0, **PHONE, **BRUSSELS)
    create_cellule(page, "Repair Café du quartier Saint-Léonard", place="liege")
    c = card(page, "Repair Café du quartier Saint-Léonard")
    c.locator("[data-action=open-cellule]").click()
    c.locator("[data-action=new-atelier]").click()
    page.fill("#f-title", "Réparer son vélo, son grille-pain et sa radio")
    page.fill("#f-startsAt", "2030-12-07T14:00")
    page.fill("#f-endsAt", "2030-12-07T17:30")
    page.click("#edit-form button[type=submit]")
    page.wait_for_selector("li.atelier .atelier-when")
    seen = page.evaluate(LINES, ["li.atelier .atelier-when", "li.atelier", TIME])
    # the words are the core's, unchanged; only the line breaking is the page's
    assert seen["text"] == i18n.fmt_span("fr", "2030-12-07T13:00:00Z", "2030-12-07T16:30:00Z",
                                         now=T0)  # another year than the page's: it names it
    assert seen["pieces"] == ["14\u00a0h", "17\u00a0h\u00a030"]
    assert seen["broken"] == []
    shoot(page, "polish-atelier-time", focus="li.atelier")
    assert watch.errors == []


def test_a_guillemet_never_ends_up_alone_on_a_line(make_context, server):
    """« Tout exporter », « Potager de la Gare »: the guillemet stays with its word in a message and a paragraph."""
    context, page, watch = boot(make_context, server, **PHONE, **BRUSSELS)
    create_cellule(page, "Potager de la Gare", place="namur")
    seen = page.evaluate(LINES, ["#status", "#status", QUOTE])
    assert seen["text"] == "Cellule «\u00a0Potager de la Gare\u00a0» enregistrée."
    assert seen["pieces"] == ["«\u00a0Potager", "Gare\u00a0»"] and seen["broken"] == []
    page.click("#tab-settings")
    page.wait_for_function("document.getElementById('storage-status').textContent"
                           ".includes('«\u00a0Tout exporter\u00a0»')")
    seen = page.evaluate(LINES, ["#storage-status", "#storage-status", QUOTE])
    assert seen["pieces"] == ["«\u00a0Tout", "exporter\u00a0»"] and seen["broken"] == []
    assert watch.errors == []


# --- 3. undo of a deletion --------------------------------------------------------------------------------------
def test_the_undo_of_a_deletion_is_still_offered_after_another_tab_until_the_next_change(make_context, server):
    context, page, watch = boot(make_context, server, **PHONE, **BRUSSELS)
    create_cellule(page, "Cellule du parc", place="mons")
    create_cellule(page, "Repair Café", place="liege")
    card(page, "Repair Café").locator("[data-action=delete-cellule]").click()
    page.wait_for_selector("#status #undo-delete")
    assert page.locator("[data-action=undo-delete-cellule]").count() == 1  # offered once, not twice
    page.click("#tab-map")
    page.click("#tab-cellules")
    assert page.text_content("#status") == ""  # the message stayed behind, by design…
    bar = page.locator("#undo-bar")
    assert bar.is_visible() and page.evaluate(IN_VIEW, "#undo-bar")  # …but the way back did not
    assert bar.inner_text().startswith(
        "Cellule «\u00a0Repair Café\u00a0» supprimée\u00a0: vous pouvez encore l’annuler.")
    assert page.inner_text("#undo-bar-button") == "Annuler la suppression"
    assert page.evaluate("document.getElementById('undo-bar-button').getBoundingClientRect().height") >= 44
    shoot(page, "polish-undo-bar", focus="#undo-bar")
    page.click("#lang-toggle")
    assert page.inner_text("#undo-bar-button") == "Undo the deletion"
    page.click("#lang-toggle")
    page.click("#undo-bar-button")
    page.wait_for_selector(".cellule-name:text-is('Repair Café')")
    assert page.text_content("#status") == "Cellule «\u00a0Repair Café\u00a0» rétablie."  # it had no atelier
    assert page.locator("#undo-bar").count() == 0
    # the offer ends with the next change of the data: a deletion, then an edit, then back from another tab
    card(page, "Repair Café").locator("[data-action=delete-cellule]").click()
    page.wait_for_selector("#status #undo-delete")
    card(page, "Cellule du parc").locator("[data-action=edit-cellule]").click()
    page.fill("#f-name", "Parc renommé")
    page.click("#edit-form button[type=submit]")
    page.wait_for_selector(".cellule-name:text-is('Parc renommé')")
    page.click("#tab-exchange")
    page.click("#tab-cellules")
    assert page.locator("[data-action=undo-delete-cellule]").count() == 0
    assert watch.errors == []


# --- 4. the map's message and the pick banner -----------------------------------------------------------------
@pytest.mark.parametrize("size", list(SIZES))
def test_the_maps_message_and_the_pick_banner_never_overlap(make_context, server, size):
    context, page, watch = boot(make_context, server, **SIZES[size], **BRUSSELS)
    page.click("#new-cellule")
    page.fill("#f-name", "Potager partagé")
    page.click("[data-action=pick-on-map]")
    page.wait_for_selector("#map-pick:not([hidden])")
    # a message in the map's live region, as ctx.status() writes one (an error reads the same)
    page.evaluate("""() => { const s = document.getElementById('status');
        s.className = 'view-status error-text status-line';
        s.textContent = 'Le fond de carte n’a pas pu être chargé : les hexagones restent utilisables.'; }""")
    boxes = """() => ['status', 'map-pick'].map(id => { const r = document.getElementById(id).getBoundingClientRect();
        return {top: r.top, bottom: r.bottom, height: r.height}; })"""
    for scroll in (0, 300, 900):
        page.evaluate(f"scrollTo(0, {scroll})")
        page.evaluate(TWO_FRAMES)
        status, pick = page.evaluate(boxes)
        assert status["height"] > 0 and pick["height"] > 0
        assert status["bottom"] <= pick["top"] + 0.5, (scroll, status, pick)  # the message above the banner
        assert pick["top"] >= -0.5 and status["top"] >= -0.5  # both still in sight once scrolled
    shoot(page, f"polish-map-pick-{size}")
    assert watch.errors == []


def test_what_the_app_scrolls_to_is_not_left_under_the_sticky_message(make_context, server):
    """A new user on a phone: after the welcome its message sticks to the top; « Nouvelle cellule » scrolls the form
    into view, and the form's title must be below that message, not under it."""
    context, page, watch = boot(make_context, server, **PHONE, **BRUSSELS)
    page.fill("#welcome-name", "Les Amis du Parc")
    page.tap("#welcome-start")
    page.wait_for_function("document.getElementById('status').textContent.startsWith('Bienvenue')")
    page.tap("#new-cellule")
    page.wait_for_selector("#edit-form h2")
    page.wait_for_function("scrollY > 0")  # the app scrolled to the form (instantly: no smooth scrolling)
    page.evaluate(TWO_FRAMES)
    status, title = page.evaluate("""() => ['#status', '#edit-form h2'].map(sel => {
        const r = document.querySelector(sel).getBoundingClientRect(); return {top: r.top, bottom: r.bottom}; })""")
    assert page.evaluate("scrollY") > 0  # the form did need scrolling to: this is the case being checked
    assert status["top"] <= 1 and title["top"] >= status["bottom"] - 0.5 and title["bottom"] <= 844, (status, title)
    shoot(page, "polish-form-under-message", focus=None)
    assert watch.errors == []


# --- 5. the focus after « Rétablir cette valeur » -------------------------------------------------------------
def test_after_restoring_a_value_the_focus_stays_in_the_dialog_on_what_happened(make_context, server):
    context, page, watch = boot(make_context, server, **PHONE, **BRUSSELS)
    create_cellule(page, "Cellule du lundi", place="namur")
    for before, after in (("lundi", "mardi"), ("mardi", "mercredi")):
        card(page, f"Cellule du {before}").locator("[data-action=edit-cellule]").click()
        page.fill("#f-name", f"Cellule du {after}")
        page.click("#edit-form button[type=submit]")
        page.wait_for_selector(f".cellule-name:text-is('Cellule du {after}')")
    card(page, "Cellule du mercredi").locator("[data-action=history-open]").click()
    page.wait_for_selector("#history-dialog[open] [data-action=history-restore]")
    # A slow second click where the first was, once its outcome shows (each click a click of its own: detail 1,
    # never the second of a double click): the dialog is drawn again (newest first, the message above the
    # list), « Cellule du mardi »'s button now under the pointer. Nothing is written.
    restore = "#history-dialog [data-action=history-restore]"
    assert page.locator(restore).evaluate_all("bs => bs.map(b => b.getAttribute('aria-label'))") == [
        "Rétablir cette valeur : Cellule du mardi", "Rétablir cette valeur : Cellule du lundi"]
    lundi = page.locator(restore).nth(1)
    lundi.scroll_into_view_if_needed()
    box = lundi.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.click(x, y)
    page.wait_for_function("document.getElementById('history-status').textContent.includes('Cellule du lundi')")
    under = "([x, y]) => document.elementFromPoint(x, y).getAttribute('aria-label')"
    assert page.evaluate(under, [x, y]) == "Rétablir cette valeur : Cellule du mardi"
    page.evaluate(HOLD)  # any write from now on waits for this lock: counted
    page.mouse.click(x, y)
    next_frames(page, 4)  # a write would have asked for the lock by now
    assert page.evaluate(WAITING) == 0
    page.evaluate("window.__release()")
    assert page.text_content("#history-dialog .history-current").startswith("Valeur actuelle : Cellule du lundi")
    # the keyboard: Enter on « Rétablir cette valeur » (mercredi), the focus stays on what happened
    page.focus(restore)
    page.keyboard.press("Enter")
    page.wait_for_function("document.getElementById('history-status').textContent.includes('Cellule du mercredi')")
    focus = page.evaluate(FOCUS)
    assert focus["tag"] != "BODY" and focus["inDialog"] and focus["visible"], focus
    assert focus["id"] == "history-status" and "Cellule du mercredi" in focus["text"]
    page.keyboard.press("Tab")  # the keyboard goes on from there, inside the dialog
    assert page.evaluate(FOCUS)["inDialog"]
    page.click("#history-close")
    page.wait_for_selector("#history-dialog", state="hidden")  # closed: the focus goes back to « Historique »
    page.wait_for_function("document.activeElement.dataset.action === 'history-open'", timeout=5_000)
    # the QR dialog's downloads say what they give (their words in app/core/i18n.py, not « PNG » / « SVG »)
    card(page, "Cellule du mercredi").locator("[data-action=show-qr]").click()
    page.wait_for_selector("#qr-dialog[open] #qr-png")
    assert page.inner_text("#qr-png") == "Enregistrer l’image"
    assert page.inner_text("#qr-svg") == "Image pour l’impression (SVG)"
    assert watch.errors == []
