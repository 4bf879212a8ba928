"""`python -m app serve --lan`: « Servir l’application aux autres » at a meeting without
internet. Only 127.0.0.x addresses are bound here; a LAN name is simulated with Chromium's host
resolver (cellules.lan -> 127.0.0.2), which is what makes the page an insecure (plain http,
non-local) origin, exactly as a phone sees http://192.168.x.y:8000/."""

from __future__ import annotations

import gzip
import http.client
import re
import subprocess
import sys
import time
from urllib.parse import urlsplit

import pytest
import zxingcpp
from conftest import ROOT, wait_ready
from driver import create_cellule, lan_page
from PIL import Image

LIGHT = {"█": (1, 1), "▀": (1, 0), "▄": (0, 1), " ": (0, 0)}  # segno's compact terminal drawing


def decode_terminal_qr(lines: list[str]) -> str:
    rows = []
    for line in lines:
        rows.append([LIGHT[c][0] for c in line])
        rows.append([LIGHT[c][1] for c in line])
    scale = 8
    img = Image.new("L", (len(rows[0]) * scale, len(rows) * scale), 255)
    for y, row in enumerate(rows):
        for x, light in enumerate(row):
            if not light:
                img.paste(0, (x * scale, y * scale, (x + 1) * scale, (y + 1) * scale))
    hits = zxingcpp.read_barcodes(img)
    assert hits, "no QR code in the terminal output"
    return hits[0].text


def test_serve_lan_prints_its_address_and_a_qr_code_of_it_and_serves_the_app(site):
    proc = subprocess.Popen([sys.executable, "-m", "app", "serve", "--lan", "--host", "127.0.0.2", "--port", "0",
                             "--dir", str(site)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        lines = []
        deadline = time.monotonic() + 30
        while not any(line.startswith("Ctrl+C") for line in lines) and time.monotonic() < deadline:
            lines.append(proc.stdout.readline().rstrip("\n"))
        url = re.split(r"\s:\s", lines[0], maxsplit=1)[1].strip()  # « Adresse : … », a no-break space or not
        assert urlsplit(url).hostname == "127.0.0.2" and urlsplit(url).port
        qr = [line for line in lines if line and set(line) <= set(LIGHT) and "█" in line]
        assert decode_terminal_qr(qr) == url
        assert "hors ligne" in "\n".join(lines)  # says what does not work over plain http
        conn = http.client.HTTPConnection("127.0.0.2", urlsplit(url).port, timeout=10)
        conn.request("GET", "/", headers={"Accept-Encoding": "gzip"})
        response = conn.getresponse()
        assert response.status == 200 and response.getheader("Content-Encoding") == "gzip"
        assert b"Cellules FWB" in gzip.decompress(response.read())
        conn.close()
    finally:
        proc.terminate()
        proc.wait(10)


def test_serve_lan_without_a_network_says_so_in_french(monkeypatch, capsys, site):
    import app.serve

    monkeypatch.setattr(app.serve, "lan_address", lambda: None)
    assert app.serve.serve(site, None, 0, lan=True) == 1
    assert "Aucun réseau local trouvé" in capsys.readouterr().err


@pytest.fixture
def lan(playwright, site):
    with lan_page(playwright, site) as (page, origin, errors, _dialogs):
        yield page, origin, errors


def test_phones_on_the_lan_get_a_working_app_without_service_worker(lan):
    page, origin, errors = lan
    page.goto(origin)
    wait_ready(page)
    assert page.evaluate("window.isSecureContext") is False  # as on http://192.168.x.y
    assert page.evaluate("'serviceWorker' in navigator") is False
    assert page.evaluate("document.documentElement.dataset.bootMode") == "normal"
    create_cellule(page, "Cellule Réunion")
    page.click("#cellule-list li.cellule >> nth=0 >> [data-action=show-qr]")  # QR shown to others
    page.wait_for_selector("#qr-dialog[open] img")
    page.keyboard.press("Escape")
    page.reload()  # the data stays in the phone's browser
    wait_ready(page)
    assert page.locator("#cellule-list .cellule-name").all_text_contents() == ["Cellule Réunion"]
    assert errors == []
