"""Sync in the browser: export, import by drop / picker / paste / URL, preview, merge, replace,
undo, FÉDÉRÉ badge with provenance, delete by source — two separate browsers (separate IndexedDB)."""

from __future__ import annotations

import json
import re

import pytest
from conftest import Server, wait_ready
from driver import create_cellule, export_full, new_app, open_more_choices, paste, rename

from app.core.i18n import help_sections


def drop_text(page, text: str, filename: str = "export.json") -> None:
    """Drop a file anywhere on the page, as a user dragging it from their file manager."""
    handle = page.evaluate_handle("""([text, name]) => {
        const dt = new DataTransfer();
        dt.items.add(new File([text], name, {type: 'application/json'}));
        return dt;
    }""", [text, filename])
    page.dispatch_event("#main", "drop", {"dataTransfer": handle})


def test_drop_preview_merge_badge_then_delete_source_and_undo(make_context, server, tmp_path):
    _, alice, _ = new_app(make_context, server)
    rename(alice, "Alice")
    alice.click("#tab-cellules")
    create_cellule(alice, "Cellule Jardin", place="namur")
    text = export_full(alice, tmp_path)
    assert json.loads(text)["instanceName"] == "Alice"

    _, bob, bob_watch = new_app(make_context, server)
    rename(bob, "Bob")
    bob.click("#tab-cellules")
    create_cellule(bob, "Cellule Vélo", place="mons")
    drop_text(bob, text)
    bob.wait_for_selector("#preview")
    assert "Alice" in bob.text_content("#preview-summary") and "1 nouveau" in bob.text_content("#preview-summary")
    assert bob.locator(".plan.new .plan-label").all_text_contents() == ["Cellule Jardin"]
    bob.click("#do-merge")
    bob.wait_for_selector("#report")
    assert "1 ajouté," in bob.text_content("#report-summary")
    bob.click("#tab-cellules")
    card = bob.locator("li.cellule:has-text('Cellule Jardin')")
    assert card.locator(".badge").text_content() == "FÉDÉRÉ"
    assert card.locator(".author").text_content() == "par Alice"
    # Importing the same file again changes nothing.
    drop_text(bob, text)
    bob.wait_for_selector("#preview")
    assert "Rien de nouveau" in bob.text_content("#preview")
    bob.click("#do-merge")
    bob.wait_for_selector("#report")
    assert "0 ajouté, 0 mis à jour" in bob.text_content("#report-summary")

    # Delete by source, shown with counts, then undo.
    bob.click("#tab-sources")
    bob.wait_for_selector("li.source")
    assert bob.text_content("li.source .source-name") == "Alice"
    bob.click("li.source [data-action=drop-source][data-step=ask]")
    assert "1 cellule" in bob.text_content("#drop-question")
    bob.click("#drop-yes")
    bob.wait_for_selector("#source-list", state="detached")
    bob.click("#tab-cellules")
    assert bob.locator(".cellule-name").all_text_contents() == ["Cellule Vélo"]
    bob.click("#tab-exchange")
    bob.wait_for_selector("#undo-last:not([disabled])")
    bob.click("#undo-last")
    bob.click("#tab-cellules")
    bob.wait_for_selector("li.cellule:has-text('Cellule Jardin')")
    bob.reload()
    wait_ready(bob)
    assert sorted(bob.locator(".cellule-name").all_text_contents()) == ["Cellule Jardin", "Cellule Vélo"]
    assert bob_watch.errors == []


def test_paste_replace_and_undo(make_context, server, tmp_path):
    _, alice, _ = new_app(make_context, server)
    create_cellule(alice, "Cellule d'Alice", place="liege")
    text = export_full(alice, tmp_path)
    _, bob, _ = new_app(make_context, server)
    create_cellule(bob, "Cellule de Bob", place="mons")
    bob_id = bob.text_content("#instance-label")
    bob.click("#tab-exchange")
    paste(bob, text)
    bob.wait_for_selector("#preview")
    open_more_choices(bob)
    bob.click("#do-replace")
    bob.wait_for_selector("#report")
    assert "Remplacement" in bob.text_content("#report-summary")
    bob.click("#tab-cellules")
    assert bob.locator(".cellule-name").all_text_contents() == ["Cellule d'Alice"]
    assert bob.text_content("#instance-label") == bob_id  # identity kept
    bob.click("#tab-exchange")
    bob.wait_for_selector("#undo-last:not([disabled])")
    bob.click("#undo-last")
    bob.click("#tab-cellules")
    bob.wait_for_selector("li.cellule:has-text('Cellule de Bob')")
    assert bob.locator(".cellule-name").all_text_contents() == ["Cellule de Bob"]


def test_unticked_items_are_left_out_and_conflicts_are_shown(make_context, server, tmp_path):
    _, alice, _ = new_app(make_context, server)
    create_cellule(alice, "Une", place="liege")
    create_cellule(alice, "Deux", place="namur")
    text = export_full(alice, tmp_path)
    _, bob, _ = new_app(make_context, server)
    bob.click("#tab-exchange")
    paste(bob, text)
    bob.wait_for_selector("#preview")
    bob.uncheck(".plan:has-text('Deux') input[type=checkbox]")
    bob.click("#do-merge")
    bob.wait_for_selector("#report")
    assert "1 laissé de côté" in bob.text_content("#report-summary")
    bob.click("#tab-cellules")
    assert bob.locator(".cellule-name").all_text_contents() == ["Une"]
    # Both edit "Une": Bob's later edit; Alice's file then shows a conflict, old → new per field.
    bob.click("li.cellule [data-action=edit-cellule]")
    bob.fill("#f-name", "Une (Bob)")
    bob.click("#edit-form button[type=submit]")
    bob.wait_for_selector("li.cellule:has-text('Une (Bob)')")
    alice.click("#tab-cellules")
    alice.click("li.cellule:has-text('Une') [data-action=edit-cellule]")
    alice.fill("#f-name", "Une (Alice)")
    alice.click("#edit-form button[type=submit]")
    alice.wait_for_selector("li.cellule:has-text('Une (Alice)')")
    text = export_full(alice, tmp_path, "second.json")
    bob.click("#tab-exchange")
    paste(bob, text)
    bob.wait_for_selector("#preview")
    conflict = bob.locator(".plan.conflict")
    assert conflict.count() == 1
    assert conflict.locator(".old").first.text_content() == "Une (Bob)"
    assert conflict.locator(".new").first.text_content() == "Une (Alice)"


def test_load_from_url_with_and_without_cors(make_context, server, tmp_path):
    _, alice, _ = new_app(make_context, server)
    create_cellule(alice, "Cellule en ligne", place="namur")
    text = export_full(alice, tmp_path)
    shared = tmp_path / "hosted"
    shared.mkdir()
    (shared / "cellules.json").write_text(text, "utf-8")
    open_site, closed_site = Server(shared, cors=True), Server(shared, cors=False)
    try:
        _, bob, watch = new_app(make_context, server, allowed=(open_site.url, closed_site.url))
        watch.expect_errors(  # what Chromium logs for the site without CORS
            f"Access to fetch at '{closed_site.url}cellules.json' from origin '{server.origin}' has been blocked by "
            "CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
            "Failed to load resource: net::ERR_FAILED")
        bob.click("#tab-exchange")
        bob.fill("#import-url", closed_site.url + "cellules.json")
        bob.click("#import-url-go")
        bob.wait_for_function("(document.getElementById('import-error')?.textContent || '').includes('CORS')")
        assert "glissez-le" in bob.text_content("#import-error")
        bob.fill("#import-url", "ftp://example.org/x.json")
        bob.click("#import-url-go")
        bob.wait_for_function("(document.getElementById('import-error')?.textContent || '').includes('http')")
        bob.fill("#import-url", open_site.url + "cellules.json")
        bob.click("#import-url-go")
        bob.wait_for_selector("#preview")
        bob.click("#do-merge")
        bob.wait_for_selector("#report")
        bob.click("#tab-cellules")
        assert bob.locator(".cellule-name").all_text_contents() == ["Cellule en ligne"]
    finally:
        open_site.stop()
        closed_site.stop()


def test_bad_input_gets_a_french_message_and_changes_nothing(make_context, server):
    _, page, _ = new_app(make_context, server)
    create_cellule(page, "Cellule stable", place="namur")
    page.click("#tab-exchange")
    for text, fragment in (("{pas du json", "export lisible"), ('{"version": "2.0", "instanceId": "C1234abc"}', "2.0"),
                           ("{\u201cversion\u201d: \u201c1.0\u201d}", "guillemets"),
                           ('{"version": "1.0", "instanceId": "C1234abc", "exportedAt": "2026-01-01T00:00:00Z", '
                            '"cellules": [{"id": "x"}]}', "cellules[0]")):
        paste(page, text)
        page.wait_for_function(f"(document.getElementById('import-error')?.textContent || '').includes({fragment!r})")
        assert page.locator("#preview").count() == 0
    page.reload()
    wait_ready(page)
    assert page.locator(".cellule-name").all_text_contents() == ["Cellule stable"]


def test_copy_puts_the_json_on_the_clipboard_and_cellules_only_is_light(make_context, server, tmp_path):
    context, page, _ = new_app(make_context, server)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    create_cellule(page, "Cellule copiée", place="namur")
    page.click("#tab-exchange")
    page.click("#export-copy")
    page.wait_for_function("document.getElementById('status').textContent.includes('presse-papiers')")
    copied = json.loads(page.evaluate("navigator.clipboard.readText()"))
    assert copied["kind"] == "full" and copied["cellules"][0]["name"] == "Cellule copiée"
    with page.expect_download() as info:
        page.click("#export-cellules")
    path = tmp_path / "light.json"
    info.value.save_as(path)
    assert json.loads(path.read_text())["kind"] == "cellules"


def test_help_walks_through_the_four_situations(make_context, server):
    _, page, _ = new_app(make_context, server)
    page.click("#tab-help")
    titles = page.locator("#view-help h3").all_text_contents()
    assert titles == [title for title, _ in help_sections("fr")]  # the Aide is i18n's help_sections
    assert titles[0] == "Une réunion sans internet" and "Ce que contient chaque export" in titles
    assert "Tout exporter" in page.text_content("#view-help") and "Fusionner" in page.text_content("#view-help")
    # every button the help names exists under that very name
    for label in ("Scanner avec la caméra", "Exporter pour Supabase", "QR Code", "Cellules seules", "Copier"):
        assert f"«\u00a0{label}\u00a0»" in page.text_content("#view-help")
    page.click("#tab-exchange")
    assert page.text_content("#export-sql") == "Exporter pour Supabase"
    assert page.locator("button", has_text="Scanner avec la caméra").count() == 1


DUMP_IDB = """async () => {
  const db = await new Promise((ok, ko) => { const r = indexedDB.open('cellules-fwb'); r.onsuccess = () => ok(r.result);
                                                r.onerror = () => ko(r.error); });
  const out = {};
  for (const name of Array.from(db.objectStoreNames).sort()) {
    const tx = db.transaction(name, 'readonly'), store = tx.objectStore(name);
    const [keys, values] = await Promise.all([store.getAllKeys(), store.getAll()].map(
      r => new Promise((ok, ko) => { r.onsuccess = () => ok(r.result); r.onerror = () => ko(r.error); })));
    out[name] = keys.map((k, i) => [k, values[i]]);
  }
  db.close();
  return JSON.stringify(out);
}"""


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_hostile_corpus_through_the_paste_box_leaves_stored_data_unchanged(make_context, server, lang):
    """One refused case of the corpus per error code, pasted (the core and the CLI check every case; what the
    browser alone can break is how each kind of message reaches the screen): the message of that very case in
    the interface's language (as the core words it; in English without a French sign) where the user is
    looking, no preview, and IndexedDB exactly as it was, store by store."""
    import sys
    import time
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hostile"))
    from corpus import CASES

    from app.core import actions, merge, payload
    from app.core.errors import CellulesError
    from app.core.grid import Grid

    grid_file = Path(__file__).resolve().parents[2] / "data" / "fwb_grid.json"
    grid = Grid.from_json(json.loads(grid_file.read_text("utf-8")))

    def expected_message(text: str) -> str:
        state = actions.new_state(name="Moi", random_bytes=bytes(range(16)))
        try:
            merge.import_text(state, payload.read_any(text), now_ms=int(time.time() * 1000), known_nodes=grid)
        except CellulesError as exc:
            return exc.message(lang)
        raise AssertionError("the core accepted a case the corpus says is refused")

    _, page, _ = new_app(make_context, server)
    create_cellule(page, "Cellule stable", place="namur")
    if lang == "en":
        page.click("#lang-toggle")
        page.wait_for_function("document.documentElement.lang === 'en'")
    page.click("#tab-exchange")
    before = page.evaluate(DUMP_IDB)
    refused = list({c[2]: c for c in reversed(CASES) if not c[2].startswith("ok")}.values())  # first of each code
    assert len(refused) >= 15
    for name, text, _code in refused:
        page.evaluate("t => { document.getElementById('import-error').textContent = ''; "
                      "document.getElementById('import-text').value = t; }", text)
        page.click("#import-paste")
        page.wait_for_function("(document.getElementById('import-error')?.textContent || '').length > 0")
        message = page.locator("#import-error").text_content()
        want = expected_message(text)
        assert message == want, (name, message, want)
        assert "Traceback" not in message and "Error" not in message, (name, message)
        if lang == "en":  # the file's own text is quoted “…”; the words around it are English
            assert not re.search(r"[«»àâçèéêëîïôœùûü’]", re.sub(r"“[^”]*”|'[^']*'", "", message)), (name, message)
        assert page.locator("#preview").count() == 0, name
        assert page.locator("#import-error").is_visible(), name
    assert page.evaluate(DUMP_IDB) == before  # stored data byte-identical
    page.reload()
    wait_ready(page)
    assert page.locator(".cellule-name").all_text_contents() == ["Cellule stable"]
    assert page.evaluate("window.__pwned") is None


def test_export_for_supabase_downloads_sql_that_loads_into_postgresql(make_context, server, tmp_path):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "supabase"))
    from pg import Cluster

    _, page, _ = new_app(make_context, server)
    rename(page, "Asso 'Nord'")
    page.click("#tab-cellules")
    hostile = "O'Brien \\ '); DROP TABLE cellules; --"
    create_cellule(page, hostile, place="namur")
    page.click("#tab-exchange")
    page.click("#advanced summary")  # « Exporter pour Supabase » is under « Avancé »
    assert page.text_content("#export-sql") == "Exporter pour Supabase"
    with page.expect_download() as info:
        page.click("#export-sql")
    download = info.value
    assert re.fullmatch(r"Asso-Nord-supabase-\d{4}-\d{2}-\d{2}\.sql", download.suggested_filename)
    path = tmp_path / "supabase.sql"
    download.save_as(path)
    cluster = Cluster()
    try:
        db = cluster.new_database()
        db.load(path)
        db.load(path)  # twice: nothing doubles
        assert db.json("select json_agg(name) from public.live_cellules") == [hostile]
        assert db.value("select name from public.instances where exported_at is not null") == "Asso 'Nord'"
    finally:
        cluster.stop()
