"""Two devices restored from one backup: the second's full backup, previewed on the first, comes from
« votre autre appareil » (merge.from_other_device), never from the group's own name; only the records the
first device holds change, a cellule created on the second is refused with its reason, and merging leaves
the group's own cellule its own (no FÉDÉRÉ, no author)."""

from __future__ import annotations

from driver import card, create_cellule, edit_cellule, export_full, new_app, paste, shoot
from peers import peer_export


def restore(page, backup: str) -> None:
    page.click("#tab-exchange")
    paste(page, backup)
    page.wait_for_selector("#do-restore")
    page.click("#do-restore")
    page.wait_for_selector("#report")


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
                       "\u00a0: 0 nouveau, 1 modifié, 0 conflit, 0 supprimé, 0 inchangé. 1 élément refusé\u00a0: il "
                       "ne sera pas importé (la raison est indiquée ci-dessous)."), summary
    assert "créé ou reçu sur votre autre appareil" in laptop.text_content("#plan-list")
    # not this device's own copy: « Remplacer » waits behind a closed « Autres choix »
    assert laptop.get_attribute("#more-choices", "open") is None and laptop.is_hidden("#do-replace")
    shoot(laptop, "other-device-preview", focus="#preview")
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

    preview_summary(laptop, from_phone)
    laptop.click("#do-merge")
    laptop.wait_for_selector("#report")
    mine = card(laptop, "Local de la rue Haute")
    mine.locator("[data-action=open-cellule][aria-expanded=false]").click()
    assert "Ouvert le mardi soir" in mine.text_content()
    assert mine.locator(".badge").count() == 0 and mine.locator(".author").count() == 0
    assert laptop.locator(".cellule-name:text-is('Créée sur le téléphone')").count() == 0
    assert watch.errors == [] and phone_watch.errors == []
