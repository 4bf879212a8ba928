"""Issue 12 in the browser, on the merge engine: « Remplacer » shows what goes, undo undoes only the
import, a conflict is visible on both sides and the lost value comes back from history, and a backup
restored on a new device keeps its identity. Two or three separate browsers (separate IndexedDB)."""

from __future__ import annotations

from conftest import wait_ready
from driver import (
    add_atelier,
    card,
    create_cellule,
    edit_cellule,
    export_full,
    names,
    new_app,
    open_more_choices,
    paste,
    shoot,
)
from driver import rename as _rename
from peers import T0, peer_export


def rename(page, name: str) -> None:
    _rename(page, name)
    page.click("#tab-cellules")


def import_text(page, text: str, button: str = "#do-merge") -> str:
    page.click("#tab-exchange")
    paste(page, text)
    page.wait_for_selector("#preview")
    page.click(button)
    page.wait_for_selector("#report")
    return page.text_content("#report-summary")


def test_replace_preview_lists_what_goes_and_the_confirm_names_the_counts(make_context, server, tmp_path):
    _, alice, _ = new_app(make_context, server)
    rename(alice, "Alice")
    create_cellule(alice, "Cellule d'Alice", place="liege")
    text = export_full(alice, tmp_path)
    _, bob, watch = new_app(make_context, server)
    for name, place in (("Vélo", "mons"), ("Jardin", "namur"), ("Chorale", "tournai")):
        create_cellule(bob, name, place=place)
    add_atelier(bob, "Vélo", "Crevaisons")
    add_atelier(bob, "Jardin", "Semis")
    bob.click("#tab-exchange")
    paste(bob, text)
    bob.wait_for_selector("#preview")
    # the counts beside « Remplacer »'s box are what « Fusionner » would do, and say so
    assert bob.text_content("#preview-summary") == (
        "Texte collé\u00a0: sauvegarde complète de «\u00a0Alice\u00a0». Avec «\u00a0Fusionner\u00a0»\u00a0: "
        "1 nouveau, 0 modifié, 0 conflit, 0 supprimé, 0 inchangé.")
    assert bob.text_content("#replace-removed").startswith(
        "Retirés, parce que le fichier ne les a pas\u00a0: 3 cellules et 2 ateliers de cet appareil.")
    removed = bob.locator("#removed-list .plan.removed")
    assert sorted(removed.locator(".plan-label").all_text_contents()) == \
        ["Chorale", "Crevaisons", "Jardin", "Semis", "Vélo"]
    statuses = set(zip(removed.locator(".muted").all_text_contents(), removed.locator(".status").all_text_contents(),
                       strict=True))
    assert statuses == {("cellule", "retirée"), ("atelier", "retiré")}  # each agrees with its kind
    assert bob.locator("#removed-list input[type=checkbox]").count() == 0  # nothing to tick: it is what goes
    assert bob.locator("#plan-list .plan.new .plan-label").all_text_contents() == ["Cellule d'Alice"]
    shoot(bob, "replace-preview", "#replace-removals")
    messages = []
    bob.on("dialog", lambda d: messages.append(d.message))
    open_more_choices(bob)
    bob.click("#do-replace")
    bob.wait_for_selector("#report")
    assert len(messages) == 1
    assert "retirés\u00a0: 3 cellules et 2 ateliers\u00a0;" in messages[0]
    assert "ajoutés\u00a0: 1." in messages[0]
    assert names(bob) == ["Cellule d'Alice"]
    assert watch.errors == []


def test_undo_reverts_only_the_import_and_keeps_later_work(make_context, server, tmp_path):
    _, alice, _ = new_app(make_context, server)
    rename(alice, "Alice")
    create_cellule(alice, "Jardin", place="namur", description="Potager")
    text = export_full(alice, tmp_path)

    context, watch = make_context()
    bob = context.new_page()
    answers = []
    messages = []

    def on_dialog(dialog):
        messages.append(dialog.message)
        if answers and answers.pop(0) is False:
            dialog.dismiss()
        else:
            dialog.accept()

    bob.on("dialog", on_dialog)
    bob.goto(server.url)
    wait_ready(bob)
    create_cellule(bob, "Vélo", place="mons")
    assert "1 ajouté," in import_text(bob, text)
    # Work done after the import: an edit of my own cellule and a new cellule.
    edit_cellule(bob, "Vélo", name="Vélo solidaire")
    create_cellule(bob, "Créée après", place="liege")
    bob.click("#tab-exchange")
    bob.wait_for_selector("#undo-last:not([disabled])")
    bob.click("#undo-last")
    bob.wait_for_function("document.getElementById('status').textContent.includes('Annulé')")
    assert "ce que vous avez fait depuis est gardé" in bob.text_content("#status")
    assert names(bob) == ["Créée après", "Vélo solidaire"]  # the import went, the later work stayed
    bob.reload()
    wait_ready(bob)
    assert names(bob) == ["Créée après", "Vélo solidaire"]

    # When undoing would take a later edit away, the app says which and asks first.
    import_text(bob, text)
    edit_cellule(bob, "Jardin", description="Potager et compost (Bob)")
    bob.click("#tab-exchange")
    bob.wait_for_selector("#undo-last:not([disabled])")
    answers.append(False)  # « Annuler » in the confirm: nothing changes
    messages.clear()
    bob.click("#undo-last")
    bob.wait_for_function("document.getElementById('status').textContent.includes('Rien n’a été annulé')")
    assert len(messages) == 1 and "Annuler retirerait aussi 1 modification" in messages[0]
    assert "Jardin" in messages[0]
    assert names(bob) == ["Créée après", "Jardin", "Vélo solidaire"]
    bob.click("#tab-exchange")
    answers.append(True)
    bob.click("#undo-last")
    bob.wait_for_function("document.getElementById('status').textContent.includes('Annulé')")
    assert names(bob) == ["Créée après", "Vélo solidaire"]
    assert watch.errors == []


def test_a_conflict_shows_on_both_sides_and_the_lost_value_comes_back_from_history(make_context, server, tmp_path):
    # Alice's clock is a minute ahead of Bob's: her edit, made after his, is the later one on any machine
    _, alice, alice_watch = new_app(make_context, server, now_ms=T0 + 60_000)
    rename(alice, "Alice")
    create_cellule(alice, "Une", place="namur", description="Départ")
    _, bob, bob_watch = new_app(make_context, server, now_ms=T0)
    rename(bob, "Bob")
    import_text(bob, export_full(alice, tmp_path, "a0.json"))
    import_text(alice, export_full(bob, tmp_path, "b0.json"))  # Alice now knows Bob's name
    # Both edit the same description without exchanging: Bob first, then Alice.
    edit_cellule(bob, "Une", description="Version de Bob")
    edit_cellule(alice, "Une", description="Version d'Alice")
    from_alice = export_full(alice, tmp_path, "a1.json")
    from_bob = export_full(bob, tmp_path, "b1.json")

    # Bob receives Alice's later edit: it wins, and the preview says so, with Bob's value going to history.
    bob.click("#tab-exchange")
    paste(bob, from_alice)
    bob.wait_for_selector("#preview")
    assert "1 conflit," in bob.text_content("#preview-summary")
    change = bob.locator(".plan.conflict .change.conflict.incoming")
    assert change.locator(".old").text_content() == "Version de Bob"
    assert change.locator(".new").text_content() == "Version d'Alice"
    assert "la version reçue l’emporte" in change.text_content()
    bob.click("#do-merge")
    bob.wait_for_selector("#report")
    une = card(bob, "Une")
    assert une.locator(".description").text_content() == "Version d'Alice"
    assert une.locator(".mark-text").text_content() == "modifié aussi par Alice"
    assert une.locator(".mark-outcome").text_content() == (
        "Votre version a été remplacée\u00a0; elle est dans l’historique.")

    # Alice receives Bob's earlier edit: hers stays, and she is told, with Bob's value shown.
    alice.click("#tab-exchange")
    paste(alice, from_bob)
    alice.wait_for_selector("#preview")
    assert "1 conflit," in alice.text_content("#preview-summary")
    kept = alice.locator(".plan.conflict .change.conflict.local")
    assert kept.locator(".kept").text_content() == "Version d'Alice"
    assert "conflit — votre version est gardée" in kept.text_content()
    assert kept.locator(".other").text_content() == "autre version\u00a0: Version de Bob"
    shoot(alice, "conflict-preview", "#preview .plan.conflict")
    alice.click("#do-merge")
    alice.wait_for_selector("#report")
    une_a = card(alice, "Une")
    assert une_a.locator(".description").text_content() == "Version d'Alice"
    assert une_a.locator(".mark-text").text_content() == "modifié aussi par Bob"
    assert une_a.locator(".mark-outcome").text_content() == (
        "Votre version est gardée\u00a0; l’autre est dans l’historique.")
    shoot(alice, "conflict-mark", "li.cellule .mark")
    # Alice can see Bob's version in the history, opened from the edit form.
    une_a.locator("[data-action=edit-cellule]").click()
    alice.click("#form-history")
    alice.wait_for_selector("#history-dialog[open]")
    values = alice.locator("#history-dialog .history-field[data-field=description] .history-value")
    assert "Version de Bob" in values.all_text_contents()
    alice.click("#history-close")
    alice.click("[data-action=cancel-form]")
    assert card(alice, "Une").locator(".mark").count() == 0  # she looked: the mark is gone

    # Bob opens the history from the card and brings his value back: a new edit.
    card(bob, "Une").locator(".mark [data-action=history-open]").click()
    bob.wait_for_selector("#history-dialog[open]")
    assert "Version d'Alice" in bob.text_content("#history-dialog .history-current")
    entry = bob.locator("#history-dialog .history-entry", has_text="Version de Bob")
    assert "par vous" in entry.text_content()  # Bob's own edit, as Bob reads it
    shoot(bob, "history")
    entry.locator("[data-action=history-restore]").click()
    bob.wait_for_function("document.getElementById('history-status').textContent.includes('rétabli')")
    assert "Version de Bob" in bob.text_content("#history-dialog .history-current")
    assert "Version d'Alice" in bob.locator("#history-dialog .history-value").all_text_contents()
    # the old entry that holds the same value as now is not offered again: restoring it would change nothing
    same = bob.locator("#history-dialog .history-entry", has_text="Version de Bob")
    assert same.locator("[data-action=history-restore]").count() == 0
    assert "c’est la valeur actuelle" in same.text_content()
    bob.click("#history-close")
    assert card(bob, "Une").locator(".description").text_content() == "Version de Bob"
    assert card(bob, "Une").locator(".mark").count() == 0
    bob.reload()
    wait_ready(bob)
    assert card(bob, "Une").locator(".description").text_content() == "Version de Bob"
    # The restore is a new edit: it wins at Alice's at the next exchange.
    import_text(alice, export_full(bob, tmp_path, "b2.json"))
    assert card(alice, "Une").locator(".description").text_content() == "Version de Bob"
    assert bob_watch.errors == [] and alice_watch.errors == []


def test_restoring_a_backup_on_a_new_device_keeps_my_identity(make_context, server, tmp_path):
    _, alice, _ = new_app(make_context, server)
    rename(alice, "Alice")
    create_cellule(alice, "Ma cellule", place="namur")
    import_text(alice, peer_export(["Cellule voisine"], instance="Asso voisine"))
    alice_label = alice.text_content("#instance-label")
    backup = export_full(alice, tmp_path, "sauvegarde.json")

    # A new phone: the app on a device that holds no data (a new group of its own).
    _, phone, watch = new_app(make_context, server)
    assert phone.text_content("#instance-label") != alice_label
    phone.click("#tab-exchange")
    paste(phone, backup)
    phone.wait_for_selector("#preview")
    assert "«\u00a0Restaurer cette sauvegarde\u00a0» en fait «\u00a0Alice\u00a0»" in \
        phone.text_content("#restore-explain")
    phone.click("#do-restore")
    phone.wait_for_selector("#report")
    assert "Sauvegarde de «\u00a0Alice\u00a0» restaurée" in phone.text_content("#report-summary")
    for _ in range(2):  # as shown, then after a reload
        assert phone.text_content("#instance-label") == alice_label
        mine = card(phone, "Ma cellule")
        assert mine.locator(".badge").count() == 0 and mine.locator(".author").count() == 0
        theirs = card(phone, "Cellule voisine")
        assert theirs.locator(".badge").text_content() == "FÉDÉRÉ"
        assert theirs.locator(".author").text_content() == "par Asso voisine"
        phone.click("#tab-sources")
        assert phone.locator("li.source .source-name").all_text_contents() == ["Asso voisine"]
        phone.reload()
        wait_ready(phone)
    # Own cellules stay own: removing the source keeps them.
    phone.click("#tab-sources")
    phone.click("li.source [data-action=drop-source][data-step=ask]")
    phone.click("#drop-yes")
    phone.wait_for_selector("#source-list", state="detached")
    assert names(phone) == ["Ma cellule"]
    assert watch.errors == []
