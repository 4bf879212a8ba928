"""An address handed to the app at launch (`?url=`) is asked about, never fetched by itself.

Opening the app with `?url=<address>` used to fetch that address at once: the request alone told
the address's owner that the app had just been opened. Now the address waits in « Charger depuis
une adresse web » under the question « Charger les données de « … » ? »; only « Oui, charger »
fetches it, and the import preview still guards what is stored.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote

import pytest
from conftest import wait_ready
from driver import names, shoot
from peers import peer_export


class Recording(BaseHTTPRequestHandler):
    """Serves one export at /cellules.json (readable from another origin) and records every request."""

    body = b""
    seen: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        Recording.seen.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.fixture
def peer_site():
    Recording.body = peer_export(["Cellule en ligne"]).encode()
    Recording.seen = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recording)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def test_an_address_given_at_launch_is_shown_and_loaded_only_on_the_users_click(make_context, server, peer_site):
    address = peer_site + "cellules.json"
    context, watch = make_context(allowed=(peer_site,))
    page = context.new_page()
    asked = []
    page.on("request", lambda request: request.url.startswith(peer_site) and asked.append(request.url))
    page.goto(server.url + "?url=" + quote(address, safe=""))
    wait_ready(page)
    page.wait_for_selector("#import-url-ask")

    # The address is in the field, the question under it names it, and the button has the focus.
    assert page.is_visible("#view-exchange")
    assert page.input_value("#import-url") == address
    question = page.text_content("#import-url-ask >> xpath=..").replace("\u00a0", " ")
    assert question.startswith(f"Charger les données de « {address} » ?")
    assert page.text_content("#import-url-ask") == "Oui, charger"
    assert page.evaluate("document.activeElement.id") == "import-url-ask"
    assert "url=" not in page.url  # read once: a reload does not ask again
    # The question is on screen and the launch is over: nothing was requested from that address.
    assert asked == [] and Recording.seen == []
    assert page.locator("#preview").count() == 0
    shoot(page, "url-ask", "#import-url-ask")

    page.click("#import-url-ask")
    page.wait_for_selector("#preview")
    assert "Cellule en ligne" in page.text_content("#plan-list")
    assert asked == [address] and Recording.seen == ["/cellules.json"]

    # The preview still guards what is stored: closing it keeps nothing.
    page.click("[data-action=cancel-import]")
    page.reload()
    wait_ready(page)
    assert names(page) == []
    assert Recording.seen == ["/cellules.json"]  # the reload asked nothing either
    assert watch.errors == []


def test_the_address_the_user_corrects_in_the_field_is_the_one_loaded(make_context, server, peer_site):
    context, watch = make_context(allowed=(peer_site,))
    page = context.new_page()
    page.goto(server.url + "?url=" + quote(peer_site + "autre.json", safe=""))
    wait_ready(page)
    page.wait_for_selector("#import-url-ask")
    assert Recording.seen == []
    page.fill("#import-url", peer_site + "cellules.json")
    page.click("#import-url-go")
    page.wait_for_selector("#preview")
    assert Recording.seen == ["/cellules.json"]
    assert watch.errors == []
