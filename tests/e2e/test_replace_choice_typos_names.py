"""A volunteer's first steps on one page, at 1280×800 and 390×844 (SHOTS=1):

- a new device restores its group's backup: « Échanger » stops saying files will be named « Mon
  association » at once, without leaving the tab; a full backup's file name carries its time (two
  backups of one day never share a name);
- a partner's backup onto this group's own cellules: « Fusionner » and « Fermer sans importer » in the
  bar, « Remplacer » behind a closed « Autres choix » that says what this device would lose;
- « Sources »: its card, « Supprimer cette source »'s question and its report count the same items (a
  source's deleted cellule and the atelier under it are never counted);
- place search with a typo, in the cellule form and on the map: « Vouliez-vous dire … ? » and the place
  meant as a result to pick.
"""

from __future__ import annotations

import re

from driver import new_app, paste, shoot
from peers import NODES, T0

from app.core import actions, document

NOW = T0 + 86_400_000  # 2026-01-29, 11:00 in Brussels; the page's clock flows from there


def group(name: str, seed: int, cellules: list[str]):
    state = actions.new_state(name=name, random_bytes=bytes([seed]) * 16)
    ids = {}
    for i, label in enumerate(cellules):
        state, c = actions.create_cellule(state, {"nodeId": NODES[seed * 13 + i], "name": label}, now_ms=T0 + i,
                                          random_bytes=bytes([seed, i]) * 8)
        ids[label] = c.id
    return state, ids


def backup(state, at: int = T0 + 1_000) -> str:
    return document.dumps(document.to_document(state, now_ms=at))


def test_restore_names_the_files_replace_waits_sources_agree_and_typos_find_places(make_context, server):
    nord, _ = group("Asso du Nord", 3, ["Potager du Nord", "Vélo du Nord"])
    sud, ids = group("Atelier Sud", 5, ["Jardin Sud", "Chorale Sud", "Vélo Sud"])
    for cellule, title in (("Jardin Sud", "Semis"), ("Vélo Sud", "Crevaisons")):
        sud, _ = actions.create_atelier(sud, {"celluleId": ids[cellule], "title": title,
                                              "startsAt": "2026-03-07T18:00:00Z"}, now_ms=T0 + 50,
                                        random_bytes=bytes([5, 99, len(title)]) * 5 + b"x")
    sud = actions.delete(sud, "cellule", ids["Chorale Sud"], now_ms=T0 + 60)
    sud = actions.delete(sud, "cellule", ids["Vélo Sud"], now_ms=T0 + 61)  # « Crevaisons » stays, hidden

    _, page, watch = new_app(make_context, server, now_ms=NOW, viewport={"width": 1280, "height": 800})
    asked = []
    page.on("dialog", lambda d: asked.append(d.message))

    # a new device: its files would be « Mon association »'s; restoring the group's backup names them at once
    page.click("#tab-exchange")
    assert page.text_content("#export-name-hint").startswith(
        "Vos fichiers porteront le nom «\u00a0Mon association\u00a0».")
    paste(page, backup(nord))
    page.wait_for_selector("#preview")
    page.click("#do-restore")
    page.wait_for_selector("#report")
    assert page.locator("#export-name-hint").count() == 0
    assert page.text_content("#instance-label") == "«\u00a0Asso du Nord\u00a0»"
    with page.expect_download() as info:
        page.click("#export-full")
    assert re.fullmatch(r"Asso-du-Nord-sauvegarde-2026-01-29-11h0\d-appareil-C[a-z0-9]{7}\.json",
                        info.value.suggested_filename), info.value.suggested_filename  # a restored device is named

    # a partner's backup onto this group's own cellules: « Remplacer » waits behind « Autres choix »
    paste(page, backup(sud))
    page.wait_for_selector("#preview")
    bar = "() => [...document.querySelectorAll('#preview-decision > .actions button')].map(b => b.id)"
    assert page.evaluate(bar) == ["do-merge", "cancel-import"]
    assert page.text_content("#more-choices > summary") == "Autres choix"
    assert page.get_attribute("#more-choices", "open") is None and not page.is_visible("#do-replace")
    assert page.evaluate("document.querySelector('#more-choices > summary').getBoundingClientRect().height") >= 44
    shoot(page, "preview-other-group-closed", focus="#preview-decision")
    page.click("#more-choices > summary")
    page.wait_for_selector("#do-replace", state="visible")
    assert page.text_content("#replace-consequence") == (
        "«\u00a0Remplacer\u00a0» met les données de «\u00a0Atelier Sud\u00a0» à la place des vôtres\u00a0: cet "
        "appareil perdrait 2 cellules de votre groupe (le détail est plus haut\u00a0; «\u00a0Annuler le dernier "
        "import\u00a0» les ramène). Pour recevoir les cellules d’un autre groupe, «\u00a0Fusionner\u00a0» "
        "suffit\u00a0: il garde les vôtres.")
    shoot(page, "preview-other-group-open", focus="#replace-consequence")
    page.click("#do-merge")
    page.wait_for_selector("#report")
    assert asked == []

    # « Sources »: the card, the question and the report count « Jardin Sud » and « Semis » alone
    page.click("#tab-sources")
    card = page.locator("#source-list li.source")
    assert card.locator(".source-name").all_text_contents() == ["Atelier Sud"]
    assert card.locator(".source-counts").text_content() == \
        "Dernier import jeudi 29 janvier 2026, 11\u00a0h · 1 cellule, 1 atelier"
    shoot(page, "sources-counts", focus="#source-list")
    card.locator("[data-action=drop-source][data-step=ask]").click()
    assert page.text_content("#drop-question") == (
        "Retirer de cet appareil ce que «\u00a0Atelier Sud\u00a0» vous a donné\u00a0: 1 cellule et "
        "1 atelier\u00a0? Rien n’est supprimé chez les autres, et vous pourrez annuler.")
    page.click("#drop-yes")
    page.wait_for_function("document.getElementById('status')?.textContent.startsWith('Source')")
    assert asked == []  # asked in the page, not in a confirm box
    assert page.text_content("#status") == ("Source «\u00a0Atelier Sud\u00a0» supprimée\u00a0: 2 éléments retirés "
                                            "de cet appareil. Annuler cette suppression")  # its undo button

    # a typo in the cellule form's place search: the place meant, to pick
    page.click("#tab-cellules")
    page.click("#new-cellule")
    page.fill("#node-search", "Namru")
    page.wait_for_function("document.getElementById('node-search-message').textContent.startsWith('Aucun lieu')")
    assert page.text_content("#node-search-message") == \
        "Aucun lieu ne s’appelle «\u00a0Namru\u00a0». Vouliez-vous dire «\u00a0Namur\u00a0»\u00a0?"
    assert page.locator("#node-results button").all_text_contents() == ["Namur"]
    shoot(page, "place-typo-form", focus="#node-search")
    page.click("#node-results button")
    page.wait_for_function("document.getElementById('node-search-message').textContent === ''")
    page.click("[data-action=cancel-form]")

    # … and on the map: « Louvain-la-Nueve » suggests Louvain-la-Neuve, which a click shows
    page.click("#tab-map")
    page.fill("#map-search", "Louvain-la-Nueve")
    page.wait_for_function("document.getElementById('map-message').textContent.startsWith('Aucun lieu')")
    assert page.text_content("#map-message") == (
        "Aucun lieu ne s’appelle «\u00a0Louvain-la-Nueve\u00a0». Vouliez-vous dire «\u00a0Louvain-la-Neuve — "
        "Ottignies-Louvain-la-Neuve\u00a0»\u00a0?")
    assert page.locator("#map-results button").all_text_contents() == ["Louvain-la-Neuve — Ottignies-Louvain-la-Neuve"]
    shoot(page, "place-typo-map", focus="#map-search")
    assert watch.errors == []
