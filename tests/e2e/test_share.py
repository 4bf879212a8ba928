"""Share sheet and installed-app file opening: Android « Partager » posts a .json file, a
text or a URL to the manifest's share_target (the service worker keeps it), and the installed app
opens .json exports (file_handlers -> launchQueue). Every path ends in the import preview."""

from __future__ import annotations

import json

from conftest import ROOT, wait_controlled, wait_ready
from driver import new_app
from peers import T0, peer_state

from app.core import document, payload

SHARE = """async ([fields, file]) => {
    // What Android does for a share_target with method POST and multipart/form-data.
    const form = document.createElement('form');
    form.method = 'POST';
    form.action = './share-target';
    form.enctype = 'multipart/form-data';
    for (const [name, value] of Object.entries(fields)) {
        const input = document.createElement('input');
        input.name = name;
        input.value = value;
        form.appendChild(input);
    }
    if (file) {
        const input = document.createElement('input');
        input.type = 'file';
        input.name = 'file';
        const dt = new DataTransfer();
        dt.items.add(new File([file.text], file.name, {type: 'application/json'}));
        input.files = dt.files;
        form.appendChild(input);
    }
    document.body.appendChild(form);
    form.submit();
}"""


def share(page, fields: dict, file: dict | None = None) -> None:
    page.evaluate(SHARE, [fields, file])
    page.wait_for_url("**/?share-target=1", wait_until="commit")
    wait_ready(page)


def inbox_size(page) -> int:
    return page.evaluate("caches.open('fwb-share-inbox').then((c) => c.keys()).then((k) => k.length)")


def test_manifest_declares_a_post_share_target_with_files_and_file_handlers():
    manifest = json.loads((ROOT / "static" / "manifest.webmanifest").read_text("utf-8"))
    target = manifest["share_target"]
    assert target["method"] == "POST" and target["enctype"] == "multipart/form-data"
    assert ".json" in target["params"]["files"][0]["accept"] and target["params"]["text"] == "text"
    assert manifest["file_handlers"][0]["accept"]["application/json"] == [".json"]


def test_sharing_a_json_file_to_the_app_opens_the_preview_without_importing(make_context, server):
    _, page, _ = new_app(make_context, server)
    wait_controlled(page)
    text = document.dumps(document.to_document(peer_state(2), kind="full", now_ms=T0))
    share(page, {"title": "Signal"}, {"text": text, "name": "cellules-Alice.json"})
    page.wait_for_selector("#preview")
    assert sorted(page.locator(".plan.new .plan-label").all_text_contents()) == \
        ["Cellule scannée 0", "Cellule scannée 1"]
    assert "share-target" not in page.url and inbox_size(page) == 0  # read once
    page.click("#tab-cellules")
    assert page.locator("li.cellule").count() == 0  # nothing imported before the user chooses
    page.click("#tab-exchange")
    page.click("#do-merge")
    page.wait_for_selector("#report")
    page.click("#tab-cellules")
    assert page.locator("li.cellule").count() == 2


def test_sharing_text_from_a_chat_app_opens_the_preview_and_an_empty_share_says_so(make_context, server):
    _, page, _ = new_app(make_context, server)
    wait_controlled(page)
    code = payload.encode(document.to_document(peer_state(), kind="cellules", now_ms=T0))
    share(page, {"title": "WhatsApp", "text": code})
    page.wait_for_selector("#preview")
    assert page.locator(".plan.new .plan-label").all_text_contents() == ["Cellule scannée 0"]
    share(page, {"text": "{\"version\": \"1.0\", "})  # a message cut by the chat app
    page.wait_for_function("(document.getElementById('import-error')?.textContent || '')"
                           ".includes('abîmé ou incomplet')")  # doc.json, without the word « JSON » since w13
    share(page, {})
    page.wait_for_function("(document.getElementById('import-error')?.textContent || '')"
                           ".includes('ni fichier ni texte')")


def test_opening_a_json_file_with_the_installed_app_goes_to_the_preview(make_context, server):
    context, _ = make_context()
    # The browser hands files to the page through window.launchQueue (file_handlers); here the
    # test plays the browser's part and keeps the consumer the app registers.
    context.add_init_script("""Object.defineProperty(window, 'launchQueue', {configurable: true,
        value: {setConsumer(fn) { window.__launchConsumer = fn; }}});""")
    page = context.new_page()
    page.goto(server.url)
    wait_ready(page)
    page.wait_for_function("typeof window.__launchConsumer === 'function'")
    text = document.dumps(document.to_document(peer_state(), kind="full", now_ms=T0))
    page.evaluate("""(text) => window.__launchConsumer({files: [
        {kind: 'file', name: 'export.json', getFile: async () => new File([text], 'export.json')}]})""", text)
    page.wait_for_selector("#preview")
    assert page.locator(".plan.new .plan-label").all_text_contents() == ["Cellule scannée 0"]
