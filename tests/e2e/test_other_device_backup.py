"""Two devices restored from one backup: the second's full backup, previewed on the first, comes from
« votre autre appareil » (merge.from_other_device), never from the group's own name; the records the
first device holds change; a cellule created on the second is listed apart, « Créés sur votre autre
appareil », UNTICKED under the sentence saying that only ticking brings it: unticked, merging leaves it
aside and says so; ticked, it comes as the group's own (no FÉDÉRÉ, no author), a double tap merges once,
and « Annuler » takes it away."""

from __future__ import annotations

from driver import card, create_cellule, edit_cellule, export_full, names, new_app, paste, restore, shoot
from peers import peer_export


def preview_summary(page, text: str) -> str:
    page.click("#tab-exchange")
    paste(page, text)
    page.wait_for_selector("#preview")
    return page.text_content("#preview-summary")


def test_the_backup_of_my_other_device_is_named_as_such(make_context, server, tmp_path):
    backup = peer_export(["Local de la rue Haute"], seed=11, instance="Mon asso")
    _, laptop, watch = new_app(make_context, server)
    restore(laptop, backup)
    _, phone, phone_watch = new_app(make_context, server)
    restore(phone, backup)
    edit_cellule(phone, "Local de la rue Haute", description="Ouvert le mardi soir")
    create_cellule(phone, "Créée sur le téléphone", place="mons")
    from_phone = export_full(phone, tmp_path, "telephone.json", restored=True)

    summary = preview_summary(laptop, from_phone)
    assert summary == ("Texte collé\u00a0: sauvegarde complète de votre autre appareil. Avec «\u00a0Fusionner\u00a0»"
                       "\u00a0: 0 nouveau, 1 modifié, 0 conflit, 0 supprimé, 0 inchangé. 1 élément créé sur votre "
                       "autre appareil attend ci-dessous\u00a0: cochez-le pour l’ajouter."), summary
    assert " ".join(laptop.text_content("#device-explain").replace("\u00a0", " ").split()) == (
        "Le fichier dit que cet élément a été créé sur votre autre appareil. Si vous le reconnaissez, cochez-le : "
        "il sera ajouté comme le vôtre. Sans coche, il est laissé de côté (un fichier peut le prétendre sans que "
        "ce soit vrai).")
    box = laptop.locator("#device-list input[data-adopt]")
    assert box.count() == 1 and not box.is_checked()
    assert laptop.text_content("#device-list").split() == ["cellule", "Créée", "sur", "le", "téléphone"]
    assert laptop.locator("#plan-list [data-plan]").count() == 1  # the changed cellule only
    # not this device's own copy: « Remplacer » waits behind a closed « Autres choix »
    assert laptop.get_attribute("#more-choices", "open") is None and laptop.is_hidden("#do-replace")
    shoot(laptop, "other-device-preview", focus="#device-created")
    laptop.click("#cancel-import")

    laptop.click("#lang-toggle")
    laptop.wait_for_function("document.documentElement.lang === 'en'")
    summary = preview_summary(laptop, from_phone)
    assert summary.startswith("Pasted text: full backup from your other device. With “Merge”: 0 new, 1 changed, "), \
        summary
    assert "Mon asso" not in summary
    laptop.click("#cancel-import")
    laptop.click("#lang-toggle")
    laptop.wait_for_function("document.documentElement.lang === 'fr'")

    preview_summary(laptop, from_phone)  # unticked: left aside, and said
    laptop.click("#do-merge")
    laptop.wait_for_selector("#report")
    said = laptop.text_content("#report-summary").replace("\u00a0", " ")
    assert said.endswith("1 laissé de côté. 1 élément créé sur votre autre appareil laissé de côté : pour "
                         "l’ajouter, importez de nouveau ce fichier et cochez-le."), said
    mine = card(laptop, "Local de la rue Haute")
    mine.locator("[data-action=open-cellule][aria-expanded=false]").click()
    assert "Ouvert le mardi soir" in mine.text_content()
    assert mine.locator(".badge").count() == 0 and mine.locator(".author").count() == 0
    assert laptop.locator(".cellule-name:text-is('Créée sur le téléphone')").count() == 0
    assert watch.errors == [] and phone_watch.errors == []

    preview_summary(laptop, from_phone)  # ticked: the group's own
    laptop.check("#device-list input[data-adopt]")
    entries = laptop.locator(".journal-entry").count()
    x, y = laptop.eval_on_selector("#do-merge", "b => { const r = b.getBoundingClientRect(); "
                                                "return [r.x + r.width / 2, r.y + r.height / 2]; }")
    laptop.mouse.click(x, y)
    laptop.mouse.click(x, y)  # a double tap merges once
    laptop.wait_for_selector("#report")
    said = laptop.text_content("#report-summary").replace("\u00a0", " ")
    assert said.endswith("1 élément créé sur votre autre appareil ajouté comme le vôtre."), said
    laptop.wait_for_function(f"document.querySelectorAll('.journal-entry').length === {entries + 1}")
    shoot(laptop, "other-device-adopted", focus="#report")
    made = card(laptop, "Créée sur le téléphone")
    assert made.locator(".badge").count() == 0 and made.locator(".author").count() == 0
    assert names(laptop) == ["Créée sur le téléphone", "Local de la rue Haute"]
    laptop.click("#tab-exchange")
    laptop.click("#undo-last")
    laptop.wait_for_function("(document.querySelector('#status') || {}).textContent?.startsWith('Annulé')")
    assert "la fusion depuis votre autre appareil" in laptop.text_content("#status")  # the undo names it
    assert names(laptop) == ["Local de la rue Haute"]  # « Annuler » took it away
    assert watch.errors == [] and phone_watch.errors == []
