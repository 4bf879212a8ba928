"""Text a user or a peer typed (names, descriptions) is shown as text in every view of another instance:
the preview, the report, Sources and the QR dialog; nothing of it runs."""

from __future__ import annotations

from driver import XSS, create_cellule, export_full, new_app, paste


def test_user_text_is_text_in_preview_report_sources_and_qr_view(make_context, server, tmp_path):
    _, alice, _ = new_app(make_context, server)
    alice.click("#tab-settings")
    alice.fill("#instance-name", XSS[:120])
    alice.click("#view-settings button[type=submit]")
    alice.wait_for_function("document.getElementById('status').textContent.length > 0")
    alice.click("#tab-cellules")
    create_cellule(alice, XSS[:120], place="namur", description=XSS)
    text = export_full(alice, tmp_path)
    _, bob, _ = new_app(make_context, server)
    bob.click("#tab-exchange")
    paste(bob, text)
    bob.wait_for_selector("#preview")
    assert bob.locator(".plan-label").first.text_content() == XSS[:120]
    assert XSS[:120] in bob.text_content("#preview-summary")
    bob.click("#do-merge")
    bob.wait_for_selector("#report")
    assert XSS[:120] in bob.text_content("#report-summary")
    bob.click("#tab-sources")
    assert bob.text_content("li.source .source-name") == XSS[:120]
    bob.click("#tab-cellules")
    bob.click("li.cellule [data-action=show-qr]")
    bob.wait_for_selector("#qr-dialog[open]")
    assert XSS[:120] in bob.text_content("#qr-title")
    for page in (alice, bob):
        assert page.locator("main img[src=x], main script:not([type])").count() == 0
        assert page.evaluate("window.__xss") is None
