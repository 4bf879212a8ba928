"""Who wrote each value, as a volunteer reads it; « Supprimer cette source » asked in the page; the
footer's data size after a write; the live dialog's focus; the group's default name, the badge and the
Aide's Supabase steps in English.

History: a group « Asso Nord » wrote a cellule on its first device (two values), restored its backup on
a second device that wrote a third value, and a neighbour group wrote a fourth; this page restores the
first backup (it is a third device of the group), writes a fifth value, then merges the second device's
backup and the neighbour's file. Each value names its writer in words: « vous (cet appareil) », « votre
autre appareil » (the first device, and the second one whose node no file named), « Asso voisine »,
never a reference."""

from __future__ import annotations

import re

from conftest import boot, wait_ready
from driver import PHONE, card, edit_cellule, next_frames, paste, shoot
from peers import NODES, T0, peer_export

from app.core import actions, document, merge

MINUTE = 60_000
DATA = re.compile(r"vos données\u00a0: (.+?), l’application")
DROP = "li.source:has(.source-name:text-is('Asso voisine')) [data-action=drop-source][data-step=ask]"
FOCUSED_ID = "() => document.activeElement && document.activeElement.id"


def dumps(state, now_ms: int) -> str:
    return document.dumps(document.to_document(state, now_ms=now_ms))


def group_files() -> tuple[str, str, str, str]:
    """(the group's first backup, its second device's backup, the neighbour's file, the cellule's id)."""
    nord = actions.new_state(name="Asso Nord", random_bytes=bytes([21]) * 16)
    nord, velo = actions.create_cellule(nord, {"nodeId": NODES[3], "name": "Vélo", "description": "Première"},
                                        now_ms=T0, random_bytes=bytes([21, 1]) * 8)
    nord, _ = actions.edit(nord, "cellule", velo.id, {"description": "Deuxième"}, now_ms=T0 + MINUTE)
    first = dumps(nord, T0 + 2 * MINUTE)
    empty = actions.new_state(name="Asso Nord", random_bytes=bytes([22]) * 16)
    second, _ = merge.restore_backup(empty, document.read_text(first, now_ms=T0 + 3 * MINUTE),
                                     now_ms=T0 + 3 * MINUTE, device_seed=bytes([23]) * 16)
    second, _ = actions.edit(second, "cellule", velo.id, {"description": "Troisième"}, now_ms=T0 + 4 * MINUTE)
    voisine = actions.new_state(name="Asso voisine", random_bytes=bytes([24]) * 16)
    voisine, _ = merge.merge(voisine, document.read_text(first, now_ms=T0 + 3 * MINUTE), now_ms=T0 + 3 * MINUTE)
    voisine, _ = actions.edit(voisine, "cellule", velo.id, {"description": "Quatrième"}, now_ms=T0 + 5 * MINUTE)
    for i, name in enumerate(("Jardin voisin", "Repair café voisin")):
        voisine, _ = actions.create_cellule(voisine, {"nodeId": NODES[10 + i], "name": name},
                                            now_ms=T0 + 6 * MINUTE + i, random_bytes=bytes([24, i]) * 8)
    # the neighbour restores its backup on a new phone (a node no file names) and edits its own cellule there
    again = actions.new_state(name="Asso voisine", random_bytes=bytes([25]) * 16)
    phone, _ = merge.restore_backup(again, document.read_text(dumps(voisine, T0 + 7 * MINUTE), now_ms=T0 + 8 * MINUTE),
                                    now_ms=T0 + 8 * MINUTE, device_seed=bytes([26]) * 16)
    jardin = next(c for c in phone.cellules.values() if c.name == "Jardin voisin")
    phone, _ = actions.edit(phone, "cellule", jardin.id, {"description": "Semis le samedi"}, now_ms=T0 + 9 * MINUTE)
    return first, dumps(second, T0 + 5 * MINUTE), dumps(phone, T0 + 10 * MINUTE), velo.id


def merge_text(page, text: str) -> None:
    page.click("#tab-exchange")
    paste(page, text)
    page.wait_for_selector("#do-merge")
    page.click("#do-merge")
    page.wait_for_selector("#report")


def writers(page) -> dict[str, str]:
    """value -> who wrote it, as the open history dialog says it (the current value under "")."""
    dialog = page.locator("#history-dialog[open] .history-field[data-field=description]")
    out = {}
    out[""] = re.split(r" (?:par|by) ", dialog.locator(".history-current").text_content(), maxsplit=1)[1]
    for entry in dialog.locator(".history-entry").all():
        said = entry.locator("span.muted").text_content()
        out[entry.locator(".history-value").text_content()] = re.split(r" (?:par|by) ", said, maxsplit=1)[1]
    return out


def data_size(page) -> str:
    page.wait_for_function("/vos données/.test(document.getElementById('storage-info').textContent)")
    return DATA.search(page.text_content("#storage-info")).group(1)


def test_writers_in_words_the_question_in_the_page_the_footer_and_the_live_dialog_focus(make_context, server):
    first, second, voisine, velo = group_files()
    _, page, watch = boot(make_context, server, now_ms=T0 + 30 * MINUTE)
    asked = []
    page.on("dialog", lambda d: asked.append(d.message))
    page.click("#tab-exchange")
    paste(page, first)
    page.click("#do-restore")
    page.wait_for_selector("#report")
    edit_cellule(page, "Vélo", description="Cinquième")
    merge_text(page, second)
    merge_text(page, voisine)

    # 1. who wrote what: in words, never a reference
    card(page, "Vélo").locator("[data-action=open-cellule][aria-expanded=false]").click()
    card(page, "Vélo").locator("[data-action=history-open]").first.click()
    page.wait_for_selector("#history-dialog[open]")
    assert writers(page) == {"": "vous (cet appareil)", "Quatrième": "Asso voisine",
                             "Troisième": "votre autre appareil", "Deuxième": "votre autre appareil",
                             "Première": "votre autre appareil"}
    shoot(page, "history-writers", focus="#history-dialog")
    page.keyboard.press("Escape")
    card(page, "Jardin voisin").locator("[data-action=open-cellule][aria-expanded=false]").click()
    card(page, "Jardin voisin").locator("[data-action=history-open]").first.click()
    page.wait_for_selector("#history-dialog[open] .history-current")
    assert page.text_content("#history-dialog .history-current").endswith(
        " par un appareil de «\u00a0Asso voisine\u00a0»")
    page.keyboard.press("Escape")

    # 2. « Supprimer cette source »: asked in the page, with the card's counts; « Garder » keeps
    page.click("#tab-sources")
    assert page.text_content("li.source:has(.source-name:text-is('Asso voisine')) .source-counts").endswith(
        "2 cellules, 0 atelier")
    before = data_size(page)
    page.click(DROP)
    page.wait_for_selector("#drop-confirm")
    assert page.text_content("#drop-question") == (
        "Retirer de cet appareil ce que «\u00a0Asso voisine\u00a0» vous a donné\u00a0: 2 cellules et 0 atelier\u00a0? "
        "Rien n’est supprimé chez les autres, et vous pourrez annuler.")
    assert page.locator("#drop-confirm button").all_text_contents() == ["Supprimer", "Garder"]
    assert page.evaluate(FOCUSED_ID) == "drop-no"
    assert page.get_attribute(DROP, "aria-expanded") == "true"
    shoot(page, "source-drop-question", focus="#drop-confirm")
    page.keyboard.press("Escape")  # Escape keeps, the focus back on the button that asked
    page.wait_for_selector("#drop-confirm", state="detached")
    assert page.evaluate("() => document.activeElement.getAttribute('data-step')") == "ask"
    assert page.get_attribute(DROP, "aria-expanded") == "false"
    page.keyboard.press("Enter")  # the keyboard asks again
    page.wait_for_selector("#drop-confirm")
    page.click("#drop-no")  # « Garder »: nothing removed, the focus back on the button
    page.wait_for_selector("#drop-confirm", state="detached")
    assert page.evaluate("() => document.activeElement.getAttribute('data-step')") == "ask"
    assert page.locator("li.source").count() == 1
    page.dblclick(DROP)  # a double click asks once
    page.wait_for_selector("#drop-confirm")
    assert page.locator("#drop-confirm").count() == 1
    page.dblclick("#drop-yes")  # a double click removes once
    page.wait_for_selector("#status-undo")
    assert page.text_content("#status") == (
        "Source «\u00a0Asso voisine\u00a0» supprimée\u00a0: 2 éléments retirés de cet appareil. "
        "Annuler cette suppression")
    assert page.evaluate(FOCUSED_ID) == "status-undo"
    assert asked == []  # never the browser's box

    # 3. the footer's data size follows the removal (the same figure a fresh load shows)
    page.wait_for_function(f"!document.getElementById('storage-info').textContent.includes(': {before},')")
    after = data_size(page)
    page.reload()
    wait_ready(page)
    assert data_size(page) == after != before
    page.click("#tab-exchange")
    page.wait_for_selector("#journal li")
    assert page.locator("#journal li").count() == 4  # restore, merge, merge, one removal
    assert page.locator("#journal li").first.text_content().split(" — ", 1)[1].startswith(
        "Source «\u00a0Asso voisine\u00a0» supprimée")

    # 6. the live-sync dialog gives the focus back to what opened it (Escape, its close button)
    page.click("#live-open")
    page.wait_for_selector("#live-dialog[open]")
    page.keyboard.press("Escape")
    page.wait_for_selector("#live-dialog:not([open])", state="attached")
    next_frames(page)
    assert page.evaluate(FOCUSED_ID) == "live-open"
    page.focus("#live-open")
    page.keyboard.press("Enter")
    page.wait_for_selector("#live-dialog[open]")
    page.click("#live-close")
    page.wait_for_selector("#live-dialog:not([open])", state="attached")
    next_frames(page)
    assert page.evaluate(FOCUSED_ID) == "live-open"

    # in English: the writers, the badge of the neighbour's cellule gone, the help
    page.click("#lang-toggle")
    page.wait_for_function("document.documentElement.lang === 'en'")
    card(page, "Vélo").locator("[data-action=open-cellule][aria-expanded=false]").click()
    card(page, "Vélo").locator("[data-action=history-open]").first.click()
    page.wait_for_selector("#history-dialog[open]")
    assert writers(page) == {"": "you (this device)", "Quatrième": "Asso voisine", "Troisième": "your other device",
                             "Deuxième": "your other device", "Première": "your other device"}
    page.click("#history-close")
    assert velo and watch.errors == []


def test_the_default_name_the_badge_and_the_supabase_steps_in_english_and_a_double_tap(make_context, server):
    """A group never named reads « Mon association » in French and “My association” in English (a
    neighbour never named too); the badge reads FEDERATED; the Aide names both table files in order;
    a double tap on « Supprimer cette source » and then on « Supprimer » removes once."""
    _, page, watch = boot(make_context, server, **PHONE)
    merge_text(page, peer_export(["Potager", "Atelier vélo"], seed=9, instance="Mon association"))
    assert page.text_content("#instance-label") == "«\u00a0Mon association\u00a0»"
    page.click("#lang-toggle")
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert page.text_content("#instance-label") == "“My association”"
    page.click("#tab-cellules")
    assert page.locator("li.cellule .badge").all_text_contents() == ["FEDERATED", "FEDERATED"]
    shoot(page, "english-default-name-badge", focus="#cellule-list")
    page.click("#tab-sources")
    assert page.locator("li.source .source-name").all_text_contents() == ["My association (2)"]
    page.click("#tab-help")
    steps = page.locator(".help-section li").all_text_contents()
    supabase = next(s for s in steps if "supabase/migrations/" in s)
    assert supabase.index("20261124000000_init.sql") < supabase.index("20261207000000_text_checks_like_the_model.sql")
    assert supabase.startswith("The person setting up Supabase creates the tables once")
    shoot(page, "help-supabase-en", focus=".help-section:last-of-type")
    page.click("#lang-toggle")
    page.wait_for_function("document.documentElement.lang === 'fr'")
    page.click("#tab-help")
    steps = page.locator(".help-section li").all_text_contents()
    supabase = next(s for s in steps if "supabase/migrations/" in s)
    assert supabase.index("d’abord 20261124000000_init.sql") < supabase.index(
        "puis 20261207000000_text_checks_like_the_model.sql")

    page.click("#tab-sources")
    assert page.locator("li.source .source-name").all_text_contents() == ["Mon association (2)"]
    box = page.locator("[data-action=drop-source][data-step=ask]").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.touchscreen.tap(x, y)
    page.touchscreen.tap(x, y)  # the second tap asks the same question again
    page.wait_for_selector("#drop-confirm")
    assert page.locator("#drop-confirm").count() == 1
    assert page.text_content("#drop-question").startswith(
        "Retirer de cet appareil ce que «\u00a0Mon association (2)\u00a0» vous a donné\u00a0: 2 cellules et 0 atelier")
    shoot(page, "source-drop-question-phone", focus="#drop-confirm")
    box = page.locator("#drop-yes").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.touchscreen.tap(x, y)
    page.touchscreen.tap(x, y)
    page.wait_for_selector("#sources-empty")
    page.click("#tab-exchange")
    page.wait_for_selector("#journal li >> nth=1")
    assert [li.split(" — ", 1)[1].split("\u00a0:")[0] for li in page.locator("#journal li").all_text_contents()] == [
        "Source «\u00a0Mon association\u00a0» supprimée", "Fusion depuis «\u00a0Mon association\u00a0»"]  # one removal
    assert watch.errors == []
