"""`app serve --lan` lets the page know it is served for a meeting (the cookie app/web/views/meeting.py reads),
on the page's own responses only; an ordinary `app serve` does not. Loopback only."""

from __future__ import annotations

import http.client
import threading
from pathlib import Path

import pytest

import app.serve
from app.serve import MEETING_COOKIE, make_server


@pytest.fixture
def site(tmp_path) -> Path:
    root = tmp_path / "site"
    (root / "static").mkdir(parents=True)
    (root / "index.html").write_bytes(b"<!doctype html><title>Cellules FWB</title>")
    (root / "static" / "app.css").write_bytes(b"body { color: black }")
    return root


def cookies(site: Path, meeting: bool) -> dict[str, str | None]:
    httpd = make_server(site, port=0, meeting=meeting)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        seen = {}
        for path in ("/", "/index.html", "/?import=abc", "/static/app.css", "/missing"):
            conn = http.client.HTTPConnection("127.0.0.1", httpd.server_address[1], timeout=30)
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            seen[path] = response.getheader("Set-Cookie")
            conn.close()
        return seen
    finally:
        httpd.stop()


def test_the_meeting_server_marks_the_page_and_only_the_page(site):
    assert cookies(site, meeting=True) == {"/": MEETING_COOKIE, "/index.html": MEETING_COOKIE,
                                           "/?import=abc": MEETING_COOKIE, "/static/app.css": None,
                                           "/missing": None}
    assert MEETING_COOKIE.startswith("cellules-meeting=1;")  # what the page looks for
    assert cookies(site, meeting=False) == dict.fromkeys(("/", "/index.html", "/?import=abc", "/static/app.css",
                                                          "/missing"))


def test_serve_lan_serves_for_a_meeting_and_plain_serve_does_not(monkeypatch, site, capsys):
    asked = []

    def refuse(*args, **kwargs):
        asked.append(kwargs["meeting"])
        raise OSError(98, "Address already in use")

    monkeypatch.setattr(app.serve, "make_server", refuse)
    monkeypatch.setattr(app.serve, "lan_address", lambda: "192.168.1.20")
    assert app.serve.serve(site, None, 0, lan=True) == 1
    assert app.serve.serve(site, None, 0) == 1
    assert asked == [True, False]
    assert "Impossible d’écouter" in capsys.readouterr().err
