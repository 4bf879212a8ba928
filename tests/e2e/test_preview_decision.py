"""The import preview as a volunteer meets it, at 1280×800 and 390×844.

- A new device receiving a full backup: « Restaurer cette sauvegarde » is the first, highlighted choice,
  the sentence saying why above the list; merging stays possible; no « Remplacer » (nothing to replace).
- The choices stay in view whatever the length (a bar stuck to the bottom of the screen), ateliers are
  listed under their cellule, names in a French reader's order (« Voisins 2 » before « Voisins 10 »,
  « Écolo » among the E, « À la ferme » among the A).
- The summary names where the data came from: pasted text, file, link, QR code.
- A backup of this very group says so; a backup bearing this group's name but of another says so too.
- « Si vous choisissez « Remplacer » » keeps apart what is removed (not in the file), deleted (the file
  says so) and overwritten, older or newer than ours; the report explains « retirés » and « supprimés »;
  « Remplacer » is not offered for one cellule's link.
"""

from __future__ import annotations

from driver import PHONE, new_app, next_frames, paste, shoot
from peers import NODES, T0

from app.core import actions, document, merge, payload, qr

NOW = T0 + 86_400_000  # the pages' clock: a day after the peers wrote, whatever the machine's date
DESKTOP = {"width": 1280, "height": 800}
PHONE_SIZE = {"width": 390, "height": 844}
# the decision bar is on screen, whole
BAR_IN_VIEW = """() => { const r = document.getElementById('preview-decision').getBoundingClientRect();
                         return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight + 0.5; }"""
BAR_HEIGHT = "() => document.getElementById('preview-decision').getBoundingClientRect().height"
TOP_LEVEL = "() => [...document.querySelectorAll('#plan-list > li > label .plan-label')].map(e => e.textContent)"
UNDER = """name => [...document.querySelectorAll('#plan-list > li')]
    .find(li => li.querySelector(':scope > label .plan-label').textContent === name)
    .querySelectorAll(':scope > ul.group-ateliers > li .plan-label')"""
SPECIAL = ["Voisins 10", "Zèbre", "Écolo", "Voisins 2", "Bergerie", "À la ferme", "Dauphins", "Fourmis", "élan"]
READER_ORDER = ["À la ferme", "Bergerie", "Dauphins", "Écolo", "élan", "Fourmis",
                *[f"Quartier {i}" for i in range(1, 52)], "Voisins 2", "Voisins 10", "Zèbre"]


def group_of(name: str, seed: int, cellules: list[str], ateliers: int = 0):
    """A group holding `cellules` and `ateliers` ateliers spread over them (« Atelier 0 », …)."""
    state = actions.new_state(name=name, random_bytes=bytes([seed]) * 16)
    ids = []
    for i, label in enumerate(cellules):
        state, c = actions.create_cellule(state, {"nodeId": NODES[(seed + i) % len(NODES)], "name": label},
                                          now_ms=T0 + i, random_bytes=bytes([seed, i % 256, i // 256]) * 5 + b"c")
        ids.append(c.id)
    for k in range(ateliers):
        state, _ = actions.create_atelier(state, {"celluleId": ids[k % len(ids)], "title": f"Atelier {k}",
                                                  "startsAt": "2030-03-07T18:30:00Z"},
                                          now_ms=T0 + 1_000 + k,
                                          random_bytes=bytes([seed, k % 256, k // 256]) * 5 + b"a")
    return state


def full(state, at: int = T0 + 5_000) -> str:
    return document.dumps_state(state, now_ms=at)


def labels_under(page, name: str) -> list[str]:
    return page.evaluate(f"name => [...({UNDER})(name)].map(e => e.textContent)", name)


def bar_stays(page) -> None:
    """The choices are in view when the preview opens and while reading the middle of the list."""
    page.eval_on_selector("#preview", "e => e.scrollIntoView()")
    next_frames(page)
    assert page.evaluate(BAR_IN_VIEW)
    page.eval_on_selector("#plan-list > li:nth-child(30)", "e => e.scrollIntoView({block: 'center'})")
    next_frames(page)
    assert page.evaluate(BAR_IN_VIEW)


def test_a_new_device_restores_first_and_a_long_preview_keeps_the_choice_in_reach(make_context, server, tmp_path):
    alice = group_of("Alice", 3, SPECIAL + [f"Quartier {i}" for i in range(51, 0, -1)], ateliers=140)
    backup = full(alice)
    _, page, watch = new_app(make_context, server, now_ms=NOW, viewport=DESKTOP)
    page.click("#tab-exchange")
    with page.expect_download():  # this device made a backup of its own (empty) group: restoring asks first
        page.click("#export-full")
    asked = []
    page.on("dialog", lambda d: asked.append(d.message))
    paste(page, backup)
    page.wait_for_selector("#preview")
    summary = page.text_content("#preview-summary")
    assert summary.startswith("Texte collé\u00a0: sauvegarde complète de «\u00a0Alice\u00a0». 200 nouveaux,")
    # restore first and highlighted, the reason above the list; merge still there; nothing to replace
    assert page.evaluate("() => [...document.querySelectorAll('#preview-decision button')].map(b => b.id)") == \
        ["do-restore", "do-merge", "cancel-import"]
    assert page.text_content("#do-restore") == "Restaurer cette sauvegarde"
    assert "secondary" not in (page.get_attribute("#do-restore", "class") or "")
    assert "secondary" in page.get_attribute("#do-merge", "class")
    why = page.text_content("#restore-explain")
    assert why.startswith("Cet appareil est encore vide et ce fichier est une sauvegarde complète")
    assert "en fait «\u00a0Alice\u00a0»" in why
    assert page.evaluate("() => document.getElementById('restore-explain').getBoundingClientRect().bottom"
                         " <= document.getElementById('plan-list').getBoundingClientRect().top")
    # each cellule with its ateliers under it, in a French reader's order
    assert page.evaluate(TOP_LEVEL) == READER_ORDER
    assert labels_under(page, "Voisins 2") == ["Atelier 3", "Atelier 63", "Atelier 123"]
    assert page.locator("#plan-list .plan.atelier-row").count() == 140
    # a new cellule left out takes its ateliers with it (the merge skips them): they fade with it
    fade = f"name => getComputedStyle(({UNDER})(name)[0].closest('ul')).opacity"
    page.uncheck("#plan-list > li:has(> label .plan-label:text-is('Voisins 2')) > input")
    assert page.evaluate(fade, "Voisins 2") == "0.45" and page.evaluate(fade, "Voisins 10") == "1"
    page.check("#plan-list > li:has(> label .plan-label:text-is('Voisins 2')) > input")
    for size in (DESKTOP, PHONE_SIZE):
        page.set_viewport_size(size)
        bar_stays(page)
        assert page.evaluate(BAR_HEIGHT) < size["height"] * 0.3, size  # the list keeps most of the screen
    page.set_viewport_size(DESKTOP)
    shoot(page, "preview-restore-empty", focus="#restore-explain")
    shoot(page, "preview-restore-200-middle", focus="#plan-list > li:nth-child(30)")
    page.click("#do-restore")
    page.wait_for_selector("#report")
    assert len(asked) == 1
    assert asked[0].startswith("Cette sauvegarde est celle d’un autre groupe\u00a0: «\u00a0Alice\u00a0».")
    assert "Sauvegarde de «\u00a0Alice\u00a0» restaurée" in page.text_content("#report-summary")

    # this device is now Alice: her backup again says it is this very group's
    paste(page, backup)
    page.wait_for_function("(document.getElementById('import-error')?.textContent || '')"
                           ".startsWith('Ce fichier est une sauvegarde de ce groupe-ci')")
    assert page.locator("#preview").count() == 0
    # another group's backup that bears the same name: said; its restore waits behind « Autres choix »
    paste(page, full(group_of("Alice", 9, ["Chez l'autre Alice"])))
    page.wait_for_selector("#preview")
    assert page.text_content("#same-name").startswith("Cette sauvegarde porte le nom de ce groupe, «\u00a0Alice\u00a0»")
    assert page.locator("#do-restore").count() == 1 and not page.is_visible("#do-restore")
    page.click("#cancel-import")
    # a 200-item file picked from the disk: named by its file name; merge first, replace offered
    bob = full(group_of("Bob", 5, [f"Jardin {i}" for i in range(1, 61)], ateliers=140))
    page.set_input_files("#import-file", files=[{"name": "bob-sauvegarde.json", "mimeType": "application/json",
                                                 "buffer": bob.encode()}])
    page.wait_for_selector("#preview")
    assert page.text_content("#preview-summary").startswith(
        "Fichier «\u00a0bob-sauvegarde.json\u00a0»\u00a0: sauvegarde complète de «\u00a0Bob\u00a0». "
        "Avec «\u00a0Fusionner\u00a0»\u00a0: 200 nouveaux,")
    # Bob's backup onto this device's own cellules (Alice's, restored): « Remplacer » waits behind « Autres choix »
    assert page.evaluate("() => [...document.querySelectorAll('#preview-decision button')].map(b => b.id)") == \
        ["do-merge", "cancel-import", "do-replace", "do-restore"]
    assert page.text_content("#more-choices > summary") == "Autres choix"
    assert page.get_attribute("#more-choices", "open") is None and not page.is_visible("#do-replace")
    assert page.evaluate(TOP_LEVEL)[:3] == ["Jardin 1", "Jardin 2", "Jardin 3"]
    for size in (PHONE_SIZE, DESKTOP):
        page.set_viewport_size(size)
        bar_stays(page)
    shoot(page, "preview-200-items", focus="#plan-list > li:nth-child(30)")
    page.eval_on_selector("#replace-removals", "e => e.scrollIntoView()")
    next_frames(page)
    assert page.evaluate(BAR_IN_VIEW)  # under the « Remplacer » box too
    assert watch.errors == []


def test_replace_box_and_origins_on_a_phone(make_context, server, tmp_path):
    # Carla wrote three cellules; Ève took them, edited « Potager » and has one of her own;
    # Carla then deleted « Chorale » and edited « Vélo » (her file keeps « Potager » as it was).
    carla = group_of("Carla", 11, ["Potager", "Chorale", "Vélo"])
    eve = actions.new_state(name="Ève", random_bytes=bytes([12]) * 16)
    eve, _ = merge.import_text(eve, full(carla, T0 + 100), now_ms=T0 + 200)
    potager = next(c.id for c in carla.cellules.values() if c.name == "Potager")
    eve, _ = actions.edit(eve, "cellule", potager, {"contact": "eve@exemple.be"}, now_ms=T0 + 300)
    eve, _ = actions.create_cellule(eve, {"nodeId": NODES[40], "name": "Jardin d'Ève"}, now_ms=T0 + 400,
                                    random_bytes=bytes([12, 1]) * 8)
    ids = {c.name: c.id for c in carla.cellules.values()}
    carla = actions.delete(carla, "cellule", ids["Chorale"], now_ms=T0 + 2_000)
    carla, _ = actions.edit(carla, "cellule", ids["Vélo"], {"contact": "velo@exemple.be"}, now_ms=T0 + 2_100)

    _, page, watch = new_app(make_context, server, now_ms=NOW, **PHONE)
    page.click("#tab-exchange")
    paste(page, full(eve, T0 + 500))
    page.wait_for_selector("#preview")
    page.tap("#do-merge")
    page.wait_for_selector("#report")
    paste(page, full(carla, T0 + 3_000))
    page.wait_for_selector("#preview")
    assert page.locator("#replace-summary").count() == 0  # no « Rien … ne serait supprimé » here
    assert page.text_content("#replace-removed").startswith(
        "Retirés, parce que le fichier ne les a pas\u00a0: 1 cellule de cet appareil. "
        "Ils disparaissent d’ici seulement (rien n’est effacé chez les autres)")
    assert page.locator("#removed-list .plan-label").all_text_contents() == ["Jardin d'Ève"]
    assert page.text_content("#replace-deleted").startswith("Supprimés, comme le fichier l’indique\u00a0: 1 élément")
    assert page.locator("#deleted-list .plan-label").all_text_contents() == ["Chorale"]
    assert page.text_content("#replace-overwritten").startswith(
        "2 éléments prendraient la version du fichier, dont 1 plus ancienne que la vôtre, marquée ci-dessous")
    rows = page.locator("#overwritten-list > li")
    assert rows.locator(".plan-label").all_text_contents() == ["Potager", "Vélo"]
    assert [rows.nth(i).locator(".older").count() for i in range(2)] == [1, 0]  # only Potager's is older
    assert page.text_content("#overwritten-list .older") == "version du fichier plus ancienne"
    for size in (PHONE_SIZE, DESKTOP):
        page.set_viewport_size(size)
        page.eval_on_selector("#replace-removals", "e => e.scrollIntoView()")
        next_frames(page)
        assert page.evaluate(BAR_IN_VIEW), size
    page.set_viewport_size(PHONE_SIZE)
    shoot(page, "preview-replace-box", focus="#replace-removals")
    messages = []
    page.on("dialog", lambda d: messages.append(d.message))
    page.tap("#do-replace")
    page.wait_for_selector("#report")
    assert messages == ["Remplacer vos données par celles du fichier\u00a0? Sur cet appareil — retirés\u00a0: "
                        "1 cellule\u00a0; supprimés\u00a0: 1\u00a0; modifiés\u00a0: 2\u00a0; ajoutés\u00a0: 0. "
                        "(«\u00a0Annuler le dernier import\u00a0», dans le journal plus bas, le défait.)"]
    assert page.text_content("#report-removed").startswith("«\u00a0Retirés\u00a0»\u00a0: absents du fichier")
    assert page.text_content("#report-deleted").startswith("«\u00a0Supprimés\u00a0»\u00a0: le fichier les disait")

    # one cellule's link (as a phone's camera opens it): its origin said, « Remplacer » not offered
    dan = group_of("Dan", 21, ["Cellule de Dan"])
    single = payload.encode(qr.cellule_document(dan, next(iter(dan.cellules)), now_ms=T0 + 10))
    link = payload.make_link(server.url, single)
    page.evaluate("hash => { location.hash = hash; }", link[link.index("#"):])
    page.wait_for_selector("#preview")
    assert page.text_content("#preview-summary").startswith("Lien reçu\u00a0: 1 cellule de «\u00a0Dan\u00a0».")
    assert page.locator("#do-replace").count() == 0 and page.locator("#replace-removals").count() == 0
    assert page.text_content("#no-replace").startswith("«\u00a0Remplacer\u00a0» n’est pas proposé\u00a0: ceci ne "
                                                       "porte que 1 cellule")
    # the same through the app's own QR reader (a photo of the code)
    photo = tmp_path / "qr.png"
    photo.write_bytes(qr.png(qr.make(single), scale=6))
    page.set_input_files("#scan-image", str(photo))
    page.wait_for_function("(document.getElementById('preview-summary')?.textContent || '').startsWith('QR code')")
    assert page.text_content("#preview-summary").startswith("QR code scanné\u00a0: 1 cellule de «\u00a0Dan\u00a0».")
    assert watch.errors == []
