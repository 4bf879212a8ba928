"""A new phone of a group that exists, as a volunteer lives it: the welcome's « Restaurer une sauvegarde »
lands on the file picker (at the top of the screen, focused, one sentence saying which file to choose);
after the restore the reminder says the data is the backup's of that date and this device has made no
backup of its own, until it makes one; its backups name the device and never repeat a name in one minute.
A phone that already holds a test cellule is offered the restore first too, told what it replaces; the
undo gives the phone back as it was, its name included; a named group finds it behind « Autres choix ».
Screenshots (SHOTS=1): build/screenshots/restore-pick-*.png, restore-done-*.png (the landing as it is
shown: restore-pick-landing-phone.png, restore-pick-landing-desktop.png), restore-over-*.png."""

from __future__ import annotations

import re

from conftest import boot, wait_ready
from driver import PHONE, create_cellule, rename, screenshot, shoot

from app.core import actions, document

BACKUP_AT = 1_769_680_800_000  # 2026-01-29T11:00:00+01:00 (Brussels): when the office made the backup
NOW_MS = BACKUP_AT + 4 * 3_600_000  # the same day, 15 h: the phone restores it
JAMBES = "871fa0d91ffffff"
FOCUSED = "() => document.activeElement ? document.activeElement.id : null"
TOP = "(sel) => document.querySelector(sel).getBoundingClientRect().top"
BOTTOM = "(sel) => document.querySelector(sel).getBoundingClientRect().bottom"
PICK = ("Choisissez ici la sauvegarde de votre groupe : le fichier « …-sauvegarde-….json » fait avec "
        "« Tout exporter » sur l’autre appareil.")
RESTORED = ("Restauré depuis la sauvegarde du jeudi 29 janvier 2026, 11 h. Cet appareil n’a pas encore fait sa "
            "propre sauvegarde : pensez à « Tout exporter ».")


def plain(text: str) -> str:
    """Text with French no-break spaces read as spaces."""
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def office_backup() -> bytes:
    """The group's full backup, made on its office computer at BACKUP_AT."""
    state = actions.new_state(name="Asso Nord", random_bytes=bytes(range(16)))
    state, _ = actions.create_cellule(state, {"name": "Voisins de Jambes", "nodeId": JAMBES}, now_ms=BACKUP_AT - 60_000,
                                      random_bytes=bytes(range(1, 17)))
    state = actions.stamp_full_export(state, BACKUP_AT)
    return document.dumps(document.to_document(state, kind="full", now_ms=BACKUP_AT)).encode()


def pick_and_restore(page) -> None:
    """From the welcome: « Restaurer une sauvegarde », the backup chosen, « Restaurer cette sauvegarde »."""
    page.click("#welcome-restore-go")
    page.wait_for_selector("#view-exchange:not([hidden]) #restore-pick")
    assert plain(page.text_content("#restore-pick")) == PICK
    assert page.evaluate(FOCUSED) == "import-file"
    assert page.evaluate("getComputedStyle(document.getElementById('import-file-button')).color") == \
        "rgb(255, 255, 255)"  # highlighted: white on green
    assert "restore-pick" in page.get_attribute("#import-file", "aria-describedby").split()
    height = page.evaluate("innerHeight")
    top = page.evaluate(TOP, "#restore-pick")
    assert 0 <= top and page.evaluate(BOTTOM, "#import-file-button") <= height  # the sentence and the button in view


def restore(page) -> None:
    page.set_input_files("#import-file", files=[{"name": "Asso-Nord-sauvegarde-2026-01-29-11h00.json",
                                                 "mimeType": "application/json", "buffer": office_backup()}])
    page.wait_for_selector("#do-restore")
    page.click("#do-restore")
    page.wait_for_selector("#report")
    assert page.locator("#restore-pick").count() == 0  # said what to choose: chosen and restored, it goes
    assert page.get_attribute("#import-file-button", "style") is None


def test_a_new_phone_restores_its_groups_backup_and_is_told_what_is_true(make_context, server):
    context, page, watch = boot(make_context, server, now_ms=NOW_MS, **PHONE)
    pick_and_restore(page)
    # on a phone the export card comes first on the page: the picker is at the top of the screen instead,
    # nothing of the export card (its « Donner le nom ») above it in view
    assert page.evaluate(TOP, "#restore-pick") < 160
    assert page.evaluate(BOTTOM, "#export-name-hint") <= page.evaluate(TOP, "#import-title") <= 0
    screenshot(page, "restore-pick-landing-phone")  # where the tap lands, as the phone shows it
    shoot(page, "restore-pick", focus="#import-file-pick")
    restore(page)
    assert plain(page.text_content("#backup-reminder")) == RESTORED
    shoot(page, "restore-done", focus="#backup-reminder")
    page.reload()
    wait_ready(page, watch=watch)
    page.click("#tab-exchange")
    assert plain(page.text_content("#backup-reminder")) == RESTORED  # every visit, until this device backs up
    # this device's backups: named for it, never twice the same name in one minute
    page.clock.set_fixed_time((NOW_MS + 30_000) / 1000)
    made = []
    for _ in range(3):
        with page.expect_download() as info:
            page.click("#export-full")
        made.append(info.value.suggested_filename)
    first = made[0]
    assert re.fullmatch(r"Asso-Nord-sauvegarde-2026-01-29-15h00-appareil-C[a-z0-9]{7}\.json", first), first
    stem = first.removesuffix(".json")
    assert made[1:] == [f"{stem}-2.json", f"{stem}-3.json"]
    assert plain(page.text_content("#backup-reminder")) == "Dernière sauvegarde complète aujourd’hui."
    assert watch.errors == []


def test_on_a_computer_the_picker_is_in_view_and_the_restored_reminder_reads_in_english(make_context, server):
    context, page, watch = boot(make_context, server, now_ms=NOW_MS, viewport={"width": 1280, "height": 800})
    pick_and_restore(page)
    screenshot(page, "restore-pick-landing-desktop")
    restore(page)
    screenshot(page, "restore-done-landing-desktop")
    assert plain(page.text_content("#backup-reminder")) == RESTORED
    page.click("#lang-toggle")
    assert plain(page.text_content("#backup-reminder")) == (
        "Restored from the backup of Thursday, 29 January 2026, 11 am. This device has not made a backup of its "
        "own yet: remember “Export everything”.")
    assert watch.errors == []


def group_backup() -> bytes:
    """The group's full backup, made at BACKUP_AT: two cellules, an atelier in one."""
    state = actions.new_state(name="Asso Nord", random_bytes=bytes(range(16)))
    state, jambes = actions.create_cellule(state, {"name": "Voisins de Jambes", "nodeId": JAMBES},
                                           now_ms=BACKUP_AT - 60_000, random_bytes=bytes(range(1, 17)))
    state, _ = actions.create_cellule(state, {"name": "Potager de Salzinnes", "nodeId": JAMBES},
                                      now_ms=BACKUP_AT - 50_000, random_bytes=bytes(range(2, 18)))
    state, _ = actions.create_atelier(state, {"celluleId": jambes.id, "title": "Semis",
                                              "startsAt": "2026-03-01T18:00:00Z"},
                                      now_ms=BACKUP_AT - 40_000, random_bytes=bytes(range(3, 19)))
    state = actions.stamp_full_export(state, BACKUP_AT)
    return document.dumps(document.to_document(state, kind="full", now_ms=BACKUP_AT)).encode()


BAR = "() => [...document.querySelectorAll('#preview-decision > .actions > button')].map(b => b.id)"
OVER = ("Ce fichier est la sauvegarde complète de « Asso Nord » : « Restaurer cette sauvegarde » fait de cet appareil "
        "« Asso Nord » et remplace ce qu’il contient maintenant (1 cellule : « Essai ») ; « Annuler cette "
        "restauration » le remet tel quel, « Mon association » compris.")
RESTORED_OVER = ("Sauvegarde de « Asso Nord » restaurée : 2 cellules et 1 atelier, cet appareil est maintenant "
                 "« Asso Nord » ; ce qu’il contenait avant (1 cellule) est remplacé.")
UNDONE_OVER = ("Annulé : la restauration de « Asso Nord » du jeudi 29 janvier 2026, 15 h ; cet appareil est de nouveau "
               "« Mon association », tel qu’il était (1 cellule).")


def test_a_phone_holding_a_test_cellule_restores_its_groups_backup_and_undo_gives_it_back(make_context, server):
    context, page, watch = boot(make_context, server, now_ms=NOW_MS, **PHONE)
    page.clock.set_fixed_time(NOW_MS / 1000)  # every date the app writes is NOW_MS
    asked = []
    page.on("dialog", lambda d: asked.append(d.message))
    page.click("#welcome-later")
    create_cellule(page, "Essai", place="namur")  # her test cellule, on « Mon association »
    page.click("#tab-exchange")
    page.set_input_files("#import-file", files=[{"name": "Asso-Nord-sauvegarde-2026-01-29-11h00.json",
                                                 "mimeType": "application/json", "buffer": group_backup()}])
    page.wait_for_selector("#do-restore")
    # the restore first and highlighted, merging still there; one sentence says what happens to what she holds
    assert page.evaluate(BAR) == ["do-restore", "do-merge", "cancel-import"]
    assert page.get_attribute("#more-choices", "open") is None  # « Remplacer » waits behind « Autres choix »
    assert "secondary" not in (page.get_attribute("#do-restore", "class") or "")
    assert "secondary" in page.get_attribute("#do-merge", "class")
    assert plain(page.text_content("#restore-over-explain")) == OVER
    # when the backup was made, right under the summary: which of several backups is the newest
    assert plain(page.text_content("#preview-when")) == "Sauvegarde du jeudi 29 janvier 2026, 11 h"
    assert page.evaluate("document.getElementById('preview-summary').nextElementSibling.id") == "preview-when"
    assert page.text_content("#do-restore") == "Restaurer cette sauvegarde"
    shoot(page, "restore-over-preview", focus="#restore-over-explain")
    page.click("#do-restore")
    page.wait_for_selector("#report-undo")
    assert asked == []  # told in the preview, undoable: nothing to confirm
    assert plain(page.text_content("#report-summary")) == RESTORED_OVER
    assert page.text_content("#report-undo") == "Annuler cette restauration"
    assert plain(page.text_content("#backup-reminder")) == RESTORED  # the group's other device, as an empty phone's
    shoot(page, "restore-over-done", focus="#report")
    assert page.locator("#journal li[data-next-undo]").count() == 1
    page.click("#tab-cellules")
    assert sorted(page.locator("#cellule-list .cellule-name").all_text_contents()) == \
        ["Potager de Salzinnes", "Voisins de Jambes"]
    assert page.locator("#cellule-list .badge").count() == 0  # her group's own: not FÉDÉRÉ
    assert "Asso Nord" in page.text_content("#instance-label")
    # « Annuler cette restauration »: the phone as it was, its name and test cellule back
    page.click("#tab-exchange")
    page.locator("#report-undo").scroll_into_view_if_needed()
    page.click("#report-undo")
    page.wait_for_function("document.getElementById('status').textContent.startsWith('Annulé')")
    assert plain(page.text_content("#status")) == UNDONE_OVER
    assert "Mon association" in page.text_content("#instance-label")
    assert plain(page.text_content("#journal li")) == f"jeudi 29 janvier 2026, 15 h — {UNDONE_OVER}"
    assert page.is_disabled("#undo-last")
    page.click("#lang-toggle")
    assert plain(page.text_content("#journal li")) == (
        "Thursday, 29 January 2026, 3 pm — Undone: the restore of “Asso Nord” on Thursday, 29 January 2026, 3 pm; "
        "this device is “My association” again, as it was (1 cellule).")
    page.click("#lang-toggle")
    page.click("#tab-cellules")
    assert page.locator("#cellule-list .cellule-name").all_text_contents() == ["Essai"]
    assert asked == []
    # a named group: a partner's backup is merged as a rule; the restore waits behind « Autres choix »,
    # its sentence with it, and asks before this device becomes another group
    rename(page, "Asso Sud")
    page.click("#tab-exchange")
    page.set_input_files("#import-file", files=[{"name": "Asso-Nord.json", "mimeType": "application/json",
                                                 "buffer": group_backup()}])
    page.wait_for_selector("#preview")
    assert page.evaluate(BAR) == ["do-merge", "cancel-import"]
    assert not page.is_visible("#do-restore") and not page.is_visible("#restore-over-explain")
    page.click("#more-choices > summary")
    page.wait_for_selector("#do-restore", state="visible")
    assert plain(page.text_content("#restore-over-explain")) == OVER.replace("Mon association", "Asso Sud")
    page.click("#lang-toggle")  # the preview drawn again in English keeps its choices and its date
    assert plain(page.text_content("#preview-when")) == "Backup made on Thursday, 29 January 2026, 11 am"
    assert page.text_content("#do-restore") == "Restore this backup"
    page.click("#lang-toggle")
    page.click("#more-choices > summary")
    page.wait_for_selector("#do-restore", state="visible")
    shoot(page, "restore-over-named", focus="#do-restore")
    page.click("#do-restore")
    page.wait_for_selector("#report-undo")
    assert [plain(a) for a in asked] == ["Cette sauvegarde est celle d’un autre groupe : « Asso Nord ». Cet appareil, "
                                         "aujourd’hui « Asso Sud », deviendrait « Asso Nord ». Restaurer quand même ?"]
    assert "Asso Nord" in page.text_content("#instance-label")
    assert watch.errors == []
