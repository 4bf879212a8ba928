"""Open formats in the browser: « Tableur », « Carte », « Agenda » each download a file
with a clear, distinct name — also with the server gone (service worker) — and « Imprimer la
liste » prints only the A4 list of cellules and ateliers (with their QR codes when asked).

Screenshots (desktop 1280×800 and phone 390×844) go to build/screenshots/formats-*.png with SHOTS=1."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from conftest import wait_controlled, wait_ready
from driver import create_cellule, new_app, screenshot

ROOT = Path(__file__).resolve().parents[2]
BUTTONS = {"#export-csv-cellules": r"-cellules\.csv", "#export-csv-ateliers": r"-ateliers\.csv",
           "#export-geojson": r"-carte\.geojson", "#export-ics": r"-agenda\.ics"}
HOSTILE = '=HYPERLINK("x") ; « Vélo »'


def shot(page, name: str) -> None:
    screenshot(page, f"formats-{name}")


def visible(page, element_id: str) -> bool:
    return page.evaluate("id => document.getElementById(id).checkVisibility()", element_id)


def setup_app(make_context, server, **kw):
    context, page, watch = new_app(make_context, server, timezone_id="Europe/Brussels", locale="fr-BE", **kw)
    create_cellule(page, HOSTILE, place="namur", description="Réparations\nle samedi", contact="+32 470 00 00 00")
    page.click("li.cellule [data-action=open-cellule]")
    page.click("li.cellule [data-action=new-atelier]")
    page.fill("#f-title", "Atelier crevaisons, pneus; chambres")
    page.fill("#f-startsAt", "2030-07-06T10:00")
    page.fill("#f-endsAt", "2030-07-06T12:30")
    page.click("#edit-form button[type=submit]")
    page.wait_for_selector("li.atelier")
    page.click("#tab-exchange")
    page.wait_for_selector("#formats-card")
    return context, page, watch


def download_all(page, tmp_path) -> dict[str, tuple[str, bytes]]:
    files = {}
    for button, pattern in BUTTONS.items():
        with page.expect_download() as info:
            page.click(button)
        download = info.value
        name = download.suggested_filename
        # the group's name, the Brussels date, what the file holds, each once (« Mon-association-…-cellules.csv »)
        assert re.fullmatch(r"Mon-association-\d{4}-\d{2}-\d{2}" + pattern, name), name
        path = tmp_path / name
        download.save_as(path)
        files[button] = (name, path.read_bytes())
        page.wait_for_function(f"document.getElementById('status').textContent.includes({name!r})")
    assert len({name for name, _ in files.values()}) == len(BUTTONS)
    return files


def check_contents(files) -> None:
    _, data = files["#export-csv-cellules"]
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert [r["Nom"] for r in rows] == ["'" + HOSTILE]  # shown as text, never run as a formula
    assert rows[0]["Commune"] == "Namur" and rows[0]["Description"] == "Réparations\nle samedi"
    assert rows[0]["Contact"] == "'+32 470 00 00 00" and rows[0]["Ateliers"] == "1"
    _, data = files["#export-csv-ateliers"]
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0]["Début (heure belge)"] == "2030-07-06 10:00" and rows[0]["Fin (heure belge)"] == "2030-07-06 12:30"
    _, data = files["#export-geojson"]
    doc = json.loads(data)
    lon, lat = doc["features"][0]["geometry"]["coordinates"]
    assert 4.6 < lon < 5.1 and 50.3 < lat < 50.6  # Namur, longitude first
    assert doc["features"][0]["properties"]["name"] == HOSTILE
    _, data = files["#export-ics"]
    text = data.decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\n") and "DTSTART:20300706T080000Z\r\n" in text  # 10:00 in Brussels
    assert "SUMMARY:Atelier crevaisons\\, pneus\\; chambres\r\n" in text


def test_each_button_downloads_its_file_online_then_offline(make_context, own_server, tmp_path):
    server = own_server  # stopped below
    context, page, watch = setup_app(make_context, server, cold=True, allowed=(server.url,),
                                     viewport={"width": 1280, "height": 800})
    page.locator("#formats-card").scroll_into_view_if_needed()
    shot(page, "buttons-1280")
    files = download_all(page, tmp_path)
    check_contents(files)

    wait_controlled(page)
    server.stop()  # offline: the service worker serves the app, the files are made in the page
    page.reload()
    wait_ready(page)
    page.click("#tab-exchange")
    offline = download_all(page, tmp_path / "offline")
    check_contents(offline)
    assert {n for n, _ in offline.values()} == {n for n, _ in files.values()}
    assert watch.errors == []


def test_calendar_of_one_cellule_and_axe_on_the_card(make_context, server, tmp_path):
    _, page, _ = setup_app(make_context, server, bypass_csp=True)  # bypass_csp: to inject axe-core
    page.add_script_tag(content=(ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text())
    found = page.evaluate("axe.run('#formats-card').then(r => r.violations.map(v => [v.id, v.impact]))")
    assert [v for v in found if v[1] in ("serious", "critical")] == []
    page.click("#tab-cellules")
    create_cellule(page, "Cellule Jardin", place="mons")
    page.click("#tab-exchange")
    page.select_option("#ics-cellule", label="Cellule Jardin")
    with page.expect_download() as info:
        page.click("#export-ics")
    name = info.value.suggested_filename
    assert name.endswith("-agenda-Cellule-Jardin.ics"), name
    path = tmp_path / name
    info.value.save_as(path)
    assert "BEGIN:VEVENT" not in path.read_text("utf-8")  # Jardin has no atelier; Vélo's is not there


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, {"width": 390, "height": 844}],
                         ids=["desktop", "phone"])
def test_print_list_prints_only_the_sheet_with_qr_codes(make_context, server, tmp_path, viewport):
    _, page, watch = setup_app(make_context, server, viewport=viewport)
    page.locator("#formats-card").scroll_into_view_if_needed()
    shot(page, f"buttons-{viewport['width']}")
    page.evaluate("() => { window.print = () => { window.__printed = (window.__printed || 0) + 1; }; }")
    page.check("#print-qr")
    page.click("#print-list")
    page.wait_for_function("window.__printed === 1")
    assert not visible(page, "print-sheet")  # on screen: the app as it was
    assert visible(page, "app")
    page.emulate_media(media="print")
    assert visible(page, "print-sheet")
    assert not visible(page, "app") and not visible(page, "formats-card")
    sheet = page.locator("#print-sheet")
    assert sheet.locator("h2").all_text_contents() == [HOSTILE]
    assert "Namur" in sheet.locator(".print-place").first.text_content()
    assert "samedi 6 juillet 2030, 10:00 – 12:30" in sheet.locator(".print-ateliers li").first.text_content()
    qr = sheet.locator("img.print-qr")
    assert qr.count() == 1 and qr.evaluate("img => img.complete && img.naturalWidth > 0")
    shot(page, f"print-{viewport['width']}")
    pdf = tmp_path / "list.pdf"
    page.pdf(path=str(pdf), format="A4")
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 2000

    page.emulate_media(media="screen")
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    page.emulate_media(media="print")  # the browser's own Print menu now prints the app, not the old sheet
    assert not visible(page, "print-sheet")
    assert visible(page, "app")
    assert watch.errors == []
