"""The largest document the app accepts (50,000 cellules, ≈ 20 MB) goes through the browser: preview, merge,
stored, and the app opens again with it."""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import wait_ready
from driver import new_app

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hostile"))
from limits_data import largest_document  # noqa: E402 — the hostile corpus's builder (tests/hostile)


def test_a_20_mb_document_with_50000_cellules_imports_in_the_browser(make_context, server, tmp_path):
    text, ateliers = largest_document(50_000)
    path = tmp_path / "grand-export.json"
    path.write_text(text)
    _, page, watch = new_app(make_context, server)
    page.click("#tab-exchange")
    page.set_input_files("#import-file", str(path))
    page.wait_for_selector("#preview", timeout=120_000)
    assert f"{50_000 + ateliers:,} nouveaux".replace(",", "\u202f") in page.text_content("#preview-summary")
    assert page.locator(".plan").count() == 500 and page.locator("#preview-more").count() == 1
    page.click("#do-merge")
    page.wait_for_selector("#report", timeout=180_000)
    assert f"{50_000 + ateliers:,} ajoutés".replace(",", "\u202f") in page.text_content("#report-summary")
    page.reload()
    wait_ready(page, timeout=180_000)
    assert page.text_content("#list-count") == "50\u202f000 cellules"
