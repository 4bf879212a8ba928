"""Browser tests: Debian's Chromium driven by Playwright, against the built site on a local server.

Every request that is not to a test server is aborted and recorded; a test fails if any was
attempted. Console errors and uncaught exceptions are collected per page.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from app.serve import make_server

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "build" / "site"
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
BOOT_TIMEOUT_MS = 120_000

pytestmark = pytest.mark.browser


class Server:
    """A local static server that can be stopped, restarted on the same port, and re-pointed."""

    def __init__(self, directory: Path, *, cors: bool = False, port: int = 0) -> None:
        self.directory = directory
        self.cors = cors
        self.port = port
        self.httpd = None
        self.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> None:
        verbose = bool(os.environ.get("E2E_VERBOSE"))
        self.httpd = make_server(self.directory, port=self.port, cors=self.cors, verbose=verbose)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.httpd:
            self.httpd.stop()
            self.httpd = None

    def serve(self, directory: Path) -> None:
        self.stop()
        self.directory = directory
        self.start()


@pytest.fixture(scope="session")
def site() -> Path:
    if not (SITE / "index.html").exists():
        from tools.build_site import build

        build(SITE)
    return SITE


@pytest.fixture
def server(site):
    srv = Server(site)
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def playwright():
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is missing: `make test` installs it (apt-get install chromium)")
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright):
    b = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
    yield b
    b.close()


class Watch:
    """Off-origin requests, console errors and page errors seen by one browser context."""

    def __init__(self) -> None:
        self.offsite: list[str] = []
        self.errors: list[str] = []
        self.allowed: list[str] = []

    def attach(self, page):
        page.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        return page


@pytest.fixture
def make_context(browser, playwright, server, tmp_path):
    """new_context(**kw) -> (context, watch): a context that only reaches the test servers.
    persistent=True gives a real profile on disk (not incognito), as an installed app has."""
    made = []

    def new(*, allowed: tuple[str, ...] = (), persistent: bool = False, **kwargs):
        if persistent:
            profile = tmp_path / f"profile-{len(made)}"
            context = playwright.chromium.launch_persistent_context(
                str(profile), executable_path=CHROMIUM, args=FLAGS, **kwargs)
        else:
            context = browser.new_context(**kwargs)
        watch = Watch()
        watch.allowed = [server.url, *allowed]

        def route(r):
            url = r.request.url
            if any(url.startswith(a) for a in watch.allowed) or url.startswith(("data:", "blob:")):
                r.continue_()
            else:
                watch.offsite.append(url)
                r.abort()

        context.route("**/*", route)
        context.on("request", lambda req: None if any(req.url.startswith(a) for a in watch.allowed)
                   or req.url.startswith(("data:", "blob:", "chrome-extension:")) else watch.offsite.append(req.url))
        context.on("page", watch.attach)
        for page in context.pages:
            watch.attach(page)
        made.append((context, watch))
        return context, watch

    yield new
    for context, watch in made:
        context.close()
        assert watch.offsite == [], f"requests left the origin: {watch.offsite}"


def wait_ready(page, timeout: int = BOOT_TIMEOUT_MS) -> str:
    page.wait_for_function("document.documentElement.dataset.appState !== 'booting'", timeout=timeout)
    state = page.evaluate("document.documentElement.dataset.appState")
    if state != "ready":
        detail = page.text_content("#boot-error") or ""
        raise AssertionError(f"boot ended in {state!r}: {detail.strip()}")
    return state


def wait_controlled(page) -> None:
    """Wait until the service worker is active and controls the page."""
    page.evaluate("navigator.serviceWorker.ready")
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=60_000)


@pytest.fixture
def app_page(make_context, server):
    """A booted page with an empty profile, and its watch."""
    context, watch = make_context()
    page = context.new_page()
    page.goto(server.url)
    wait_ready(page)
    return page, watch

