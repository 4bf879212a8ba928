"""« Échanger » as a new user meets it: export and import both in sight on a
1280×800 screen; « Exporter pour Supabase » under a closed « Avancé »; export names that say what each
file is; the preview closes with « Fermer sans importer » and gives the focus back; merge hands the
focus to the report; undo is said next to its button and the journal marks the undone entry; the
QR sender and the history dialog give the focus back to the control that opened them; Aide, Sources,
Réglages and the footer in English, with sizes and dates in the user's language. Screenshots of
exchange, sources, help and settings in French and English, desktop and phone (build/screenshots)."""

from __future__ import annotations

import os
import re

from driver import create_cellule, new_app, open_more_choices, paste, screenshot
from peers import T0, peer_export

from app.core import i18n

IN_VIEW = """sel => { const e = document.querySelector(sel); if (!e) return false;
                      const r = e.getBoundingClientRect();
                      return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight; }"""
FOCUSED_IN = "sel => { const e = document.querySelector(sel); return !!e && e.contains(document.activeElement); }"
TWO_FRAMES = "new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"
ACTIVE = "() => { const a = document.activeElement; return a && (a.id || a.tagName); }"


def download_name(page, selector: str) -> str:
    with page.expect_download() as info:
        page.click(selector)
    return info.value.suggested_filename


def shots(page, lang: str) -> None:
    """Exchange (with a preview), sources, help and settings, desktop then phone, looked at by the author
    (SHOTS=1 only)."""
    if not os.environ.get("SHOTS"):
        return
    for view in ("exchange", "sources", "help", "settings"):
        for label, size in (("desktop", {"width": 1280, "height": 800}), ("phone", {"width": 390, "height": 844})):
            page.set_viewport_size(size)
            page.click(f"#tab-{view}")
            page.evaluate("window.scrollTo(0, 0)")
            page.evaluate(TWO_FRAMES)  # the new size laid out and painted
            screenshot(page, f"x2-{view}-{lang}-{label}")
    page.set_viewport_size({"width": 1280, "height": 800})


def test_exchange_layout_names_focus_and_journal(make_context, server):
    # the page's clock from T0: « aujourd’hui » and the files' dates whatever the machine's date and hour
    _, page, watch = new_app(make_context, server, viewport={"width": 1280, "height": 800}, now_ms=T0)
    create_cellule(page, "Potager du parc", place="namur")
    page.click("#tab-exchange")
    page.evaluate("window.scrollTo(0, 0)")
    # both halves in sight on a laptop screen: export and the import card's first controls
    for sel in ("#export-full", "#import-title", "#import-file", "#import-paste"):
        assert page.evaluate(IN_VIEW, sel), f"{sel} is below the fold at 1280×800"
    # « Exporter pour Supabase » is under a closed « Avancé »
    assert page.get_attribute("#advanced", "open") is None and not page.is_visible("#export-sql")
    assert page.text_content("#advanced summary") == "Avancé"
    assert page.evaluate("document.querySelector('#advanced summary').getBoundingClientRect().height") >= 44
    assert page.text_content("#backup-reminder").startswith("Aucune sauvegarde complète")
    assert page.text_content("#drop-hint") == i18n.t("x.drop_hint")  # a computer: drop a file anywhere

    # distinct export names; the full one stamps the backup (core rule) and says so in view
    full = download_name(page, "#export-full")
    assert re.fullmatch(r".+-sauvegarde-2026-01-28-11h\d{2}\.json", full), full  # Brussels time: UTC+1
    assert full in page.text_content("#status") and page.evaluate(IN_VIEW, "#status")
    assert page.text_content("#backup-reminder") == "Dernière sauvegarde complète aujourd’hui."
    light = download_name(page, "#export-cellules")
    assert re.fullmatch(r".+-cellules-2026-01-28\.json", light)
    page.click("#advanced summary")
    assert re.fullmatch(r".+-supabase-2026-01-28\.sql", download_name(page, "#export-sql"))

    # the preview: « Fermer sans importer » (never a bare « Annuler »), focus back to the control used
    text = peer_export(["Jardin voisin", "Cellule du parc"])
    page.locator("#import-paste").scroll_into_view_if_needed()
    paste(page, text)
    page.wait_for_function("document.activeElement && document.activeElement.id === 'preview'")
    assert page.text_content("#cancel-import") == "Fermer sans importer"
    buttons = page.locator("#view-exchange button:visible").all_inner_texts()
    assert "Annuler" not in [b.strip() for b in buttons], buttons
    page.click("#cancel-import")
    assert page.evaluate(ACTIVE) == "import-paste"
    assert page.locator("#preview").count() == 0

    # merge: the report takes the focus (the preview it was in is gone); the journal lists it
    paste(page, text)
    page.wait_for_selector("#preview")
    page.click("#do-merge")
    page.wait_for_function(f"({FOCUSED_IN})('#report')")
    page.wait_for_function("document.querySelectorAll('#journal li').length === 1")
    assert page.get_attribute("#journal li", "data-undone") is None

    # undo: said next to its button, in view; the journal marks the undone import « annulé »
    page.locator("#undo-last").scroll_into_view_if_needed()
    page.click("#undo-last")
    page.wait_for_function("document.querySelectorAll('#journal li').length === 2")
    assert page.evaluate("document.getElementById('journal-actions').nextElementSibling.id") == "status"
    assert page.evaluate(IN_VIEW, "#status") and page.text_content("#status").startswith("Annulé")
    entries = page.locator("#journal li")
    assert entries.nth(0).get_attribute("data-undone") is None  # the undo itself
    assert entries.nth(1).get_attribute("data-undone") == "true"
    assert entries.nth(1).text_content().endswith("(annulé)")
    assert page.is_disabled("#undo-last")
    assert float(page.evaluate("getComputedStyle(document.getElementById('undo-last')).opacity")) < 0.6  # looks off
    assert page.evaluate(ACTIVE) == "journal-title"  # the button it was on is disabled now

    # the QR sender and the history dialog give the focus back to what opened them
    page.evaluate("window.scrollTo(0, 0)")
    page.click("#export-qr")
    page.wait_for_selector("dialog[open] #anim-image")
    page.click("#anim-close")
    page.wait_for_function("!document.querySelector('#anim-dialog[open]')")
    assert page.evaluate(ACTIVE) == "export-qr"
    page.click("#tab-cellules")
    page.click("li.cellule [data-action=edit-cellule] >> nth=0")
    page.click("#form-history")
    page.wait_for_selector("dialog[open] #history-title")
    page.keyboard.press("Escape")
    page.wait_for_function("!document.querySelector('#history-dialog[open]')")
    assert page.evaluate(ACTIVE) == "form-history"

    # a source to see in « Sources », then the four views in French and English
    page.click("#tab-exchange")
    paste(page, text)
    page.wait_for_selector("#preview")
    page.click("#do-merge")
    page.wait_for_selector("#report")
    page.click("#tab-sources")
    assert re.search(r"Dernier import \w+ \d+ \w+ \d{4}, \d", page.text_content("#source-list"))
    assert page.locator("#source-list code").count() == 0  # no « Cxxxxxxx » unless two sources share a name
    page.click("#tab-settings")
    page.wait_for_function("document.getElementById('storage-status').textContent.includes('disponibles')")
    size = r"[\d\u202f]+(,\d)?[\u202f\u00a0](ko|Mo|Go|To|octets)"
    assert re.search(rf"vos données\u00a0: {size}, l’application hors ligne\u00a0: {size} — {size} disponibles",
                     page.text_content("#storage-status"))
    page.click("#tab-exchange")
    paste(page, text)
    page.wait_for_selector("#preview")
    shots(page, "fr")

    page.click("#lang-toggle")
    page.wait_for_function("document.documentElement.lang === 'en'")
    # the footer switches: its sentence, its attribution, its figures
    footer = page.text_content("footer")
    for key in ("footer.offline", "footer.attribution"):
        assert i18n.t(key, "en") in footer
    page.wait_for_function("document.getElementById('storage-info').textContent.includes('available')")
    assert re.search(r"your data: \d+(\.\d)? (kB|MB|GB|bytes), the offline app: \d+(\.\d)? (kB|MB|GB|bytes)",
                     footer + page.text_content("#storage-info"))
    assert "«" not in page.text_content("footer") and "Aucun serveur" not in page.text_content("footer")
    # the Aide in English, section by section
    page.click("#tab-help")
    assert page.locator("#view-help h3").all_text_contents() == [title for title, _ in i18n.help_sections("en")]
    assert "«" not in page.text_content("#view-help")
    page.click("#tab-sources")
    assert re.search(r"Last import \w+, \d+ \w+ \d{4}, \d", page.text_content("#source-list"))
    page.click("#tab-exchange")
    assert page.text_content("#advanced summary") == "Advanced"
    assert page.text_content("#cancel-import") == "Close without importing"
    page.wait_for_function("[...document.querySelectorAll('#journal li')].some(li => li.textContent.endsWith("
                           "'(undone)'))")
    shots(page, "en")
    # « Live sync » is one button away, and a live code pasted where files are read opens it and reads it
    page.click("#live-open")
    page.wait_for_selector("#live-dialog[open] #live-title")
    assert page.text_content("#live-title") == "Live sync"
    page.keyboard.press("Escape")
    page.wait_for_selector("#live-dialog", state="hidden")
    page.fill("#import-text", "FWBW:ABC")
    page.click("#import-paste")
    page.wait_for_selector("#live-dialog[open] #live-error")
    assert page.get_attribute("#live-error", "data-code") == "live.code_damaged"
    assert watch.errors == []


def test_on_a_phone_each_exchange_action_says_so_in_view_and_replace_hands_focus_to_the_report(make_context, server):
    _, page, watch = new_app(make_context, server, viewport={"width": 390, "height": 844}, has_touch=True,
                             is_mobile=True)
    create_cellule(page, "Potager du parc", place="namur")
    page.click("#tab-exchange")
    # a phone's words: nothing can be dropped on it
    assert page.text_content("#drop-hint") == i18n.t("x.drop_hint_touch")
    page.locator("#import-card").scroll_into_view_if_needed()
    screenshot(page, "exchange-phone-drop-hint")
    # exports far down the page (spreadsheet, calendar, « Avancé »): the message is next to the button
    for button in ("#export-csv-cellules", "#export-ics", "#export-sql"):
        if button == "#export-sql":
            page.locator("#advanced summary").scroll_into_view_if_needed()
            page.tap("#advanced summary")
        page.locator(button).scroll_into_view_if_needed()
        with page.expect_download() as info:
            page.tap(button)
        name = info.value.suggested_filename
        page.wait_for_function("n => (document.getElementById('status')?.textContent || '').includes(n)", arg=name)
        assert page.evaluate(IN_VIEW, "#status"), f"the status of {button} is off screen"
    # « Remplacer »: after the confirmation, the report takes the focus, in view
    page.locator("#import-paste").scroll_into_view_if_needed()
    paste(page, peer_export(["Jardin voisin"]))
    page.wait_for_function(f"({FOCUSED_IN})('#preview')")
    open_more_choices(page, touch=True)  # another group's file onto my own cellule: « Remplacer » waits there
    page.tap("#do-replace")  # the confirm() is accepted (driver.new_app)
    page.wait_for_function(f"({FOCUSED_IN})('#report')")
    assert page.evaluate(IN_VIEW, "#report h3")
    page.evaluate("window.scrollTo(0, 0)")
    page.click("#tab-cellules")
    assert page.locator(".cellule-name").all_text_contents() == ["Jardin voisin"]
    assert watch.errors == []
