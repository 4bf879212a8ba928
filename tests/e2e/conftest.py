"""Browser tests: Debian's Chromium driven by Playwright, against the built site on a local server.

Theory of operation
-------------------
- One server for the whole session (`server`), on one port, so every test runs at one origin.
  Tests that stop the server or serve other files take `own_server` (their own port) instead.
- A warm profile is made once per session: a profile on disk that visited the app, whose service
  worker is installed and whose memory snapshot is stored, then whose data (IndexedDB and
  localStorage) was erased. `make_context()` gives each test its own copy of it, so a test opens the
  app as a returning visitor whose data is empty: the first-visit screens still show, the boot is the
  snapshot's (≈ 3 s, not ≈ 10 s plus a snapshot built in the background). `make_context(cold=True)`
  gives a fresh incognito context (first visits, installs, snapshots, updates, other servers), and
  `persistent=True` a fresh profile on disk.
- Nothing may leave the origin. No request routing (it would turn the HTTP cache off): Chromium is
  started with a proxy that is a sink on 127.0.0.1 — loopback addresses bypass proxies, so only a
  request to another host reaches it, and the sink records it and refuses it. Each context also
  records every request it sees that is not to an allowed server. Both lists must stay empty.
- Console errors and uncaught exceptions (Python tracebacks reach the console) are collected for
  every page of every context and must be empty at teardown, except those a test names with
  `watch.expect_errors(...)`.
- `boot()` opens the app and waits until it is ready; a boot that fails, or a page error while it
  boots, ends the wait at once with the page's own message.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
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
SNAPSHOT_MADE = "window.cellulesBoot && window.cellulesBoot.snapshot !== undefined"

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

    @property
    def origin(self) -> str:
        return self.url.rstrip("/")

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


class SharedServer(Server):
    """The session's server: every test uses it, so none may stop it or serve other files with it."""

    def stop(self) -> None:
        raise AssertionError("the session's server is shared: take the `own_server` fixture to stop it")

    def serve(self, directory: Path) -> None:
        raise AssertionError("the session's server is shared: take the `own_server` fixture to re-point it")

    def close(self) -> None:
        Server.stop(self)


# Chromium's own background services, which a browser profile on disk calls whatever page it shows
# (component updates, Google accounts, autofill hints): refused by the sink like every other host,
# but not the page's requests. Exact host names, so a page's request to another Google host
# (fonts.googleapis.com, say) still fails the test.
BROWSER_SERVICES = frozenset({
    "update.googleapis.com", "accounts.google.com", "content-autofill.googleapis.com",
    "optimizationguide-pa.googleapis.com", "clients2.google.com", "clientservices.googleapis.com",
    "safebrowsingohttpgateway.googleapis.com", "www.googleapis.com", "redirector.gvt1.com",
})


def requested_host(line: str) -> str:
    """The host of a proxy request line: `CONNECT host:443 HTTP/1.1` or `GET http://host/path HTTP/1.1`."""
    target = line.split(" ")[1] if line.count(" ") >= 2 else ""
    target = target.split("://", 1)[-1]
    return target.split("/", 1)[0].rsplit(":", 1)[0]


class OffOriginSink:
    """The proxy every browser of the session is started with. Loopback requests bypass a proxy, so
    whatever arrives here was a request to another host: recorded (request line) and refused.
    `seen` leaves out Chromium's own BROWSER_SERVICES (`browser_own` counts them)."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.browser_own = 0
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                try:
                    line = conn.recv(4096).split(b"\r\n", 1)[0].decode("latin-1")
                    if not line:  # a connection opened ahead of need (Chromium preconnects to its proxy)
                        continue
                    if requested_host(line) in BROWSER_SERVICES:
                        self.browser_own += 1
                    else:
                        self.seen.append(line)
                    conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                except OSError:
                    self.seen.append("(connection without a request line)")

    @property
    def flags(self) -> list[str]:
        return [f"--proxy-server=http://127.0.0.1:{self.port}"]

    def close(self) -> None:
        self.sock.close()


@pytest.fixture(scope="session")
def site() -> Path:
    if not (SITE / "index.html").exists():
        from tools.build_site import build

        build(SITE)
    return SITE


@pytest.fixture(scope="session")
def sink():
    s = OffOriginSink()
    yield s
    s.close()


@pytest.fixture(scope="session")
def server(site):
    srv = SharedServer(site)
    yield srv
    srv.close()


@pytest.fixture
def own_server(site):
    """A server of the test's own (its own port, so its own origin): it may be stopped or re-pointed."""
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
def browser_flags(sink) -> list[str]:
    return FLAGS + sink.flags


@pytest.fixture(scope="session")
def browser(playwright, browser_flags):
    b = playwright.chromium.launch(executable_path=CHROMIUM, args=browser_flags)
    yield b
    b.close()


class Watch:
    """Off-origin requests, console errors and page errors seen by one browser context."""

    def __init__(self) -> None:
        self.offsite: list[str] = []
        self.errors: list[str] = []
        self.allowed: list[str] = []
        self.expected: list[str] = []
        self.attached: list = []

    def attach(self, page):
        console = lambda m: m.type == "error" and self.errors.append(f"console: {m.text}")  # noqa: E731
        error = lambda e: self.errors.append(f"pageerror: {e}")  # noqa: E731
        page.on("console", console)
        page.on("pageerror", error)
        self.attached.append((page, console, error))
        return page

    def detach(self) -> None:
        """Stop listening (a pooled context's page outlives the test)."""
        for page, console, error in self.attached:
            if not page.is_closed():
                page.remove_listener("console", console)
                page.remove_listener("pageerror", error)
        self.attached.clear()

    def expect_errors(self, *fragments: str) -> None:
        """Console errors containing one of `fragments` are what the test provokes: not a failure."""
        self.expected.extend(fragments)

    def unexpected(self) -> list[str]:
        return [e for e in self.errors if not any(f in e for f in self.expected)]

    def page_errors(self) -> list[str]:
        return [e for e in self.unexpected() if e.startswith("pageerror:")]

    def is_allowed(self, url: str) -> bool:
        return any(url.startswith(a) for a in self.allowed) or url.startswith(
            ("data:", "blob:", "chrome-extension:", "about:"))


@pytest.fixture(scope="session")
def warm_profile(playwright, server, browser_flags, tmp_path_factory) -> Path:
    """A profile that visited the app at the session's origin: service worker installed, snapshot
    stored, then its data erased (IndexedDB and localStorage, through the DevTools protocol)."""
    profile = tmp_path_factory.mktemp("warm") / "profile"
    context = playwright.chromium.launch_persistent_context(str(profile), executable_path=CHROMIUM,
                                                            args=browser_flags)
    try:
        page = context.pages[0]
        page.goto(server.url)
        wait_ready(page)
        wait_controlled(page)
        page.wait_for_function(SNAPSHOT_MADE, timeout=180_000, polling=200)
        made = page.evaluate("window.cellulesBoot.snapshot")
        assert made["ok"], f"the warm profile's snapshot was not made: {made}"
        page.goto("about:blank")
        cdp = context.new_cdp_session(page)
        cdp.send("Storage.clearDataForOrigin", {"origin": server.origin, "storageTypes": "indexeddb,local_storage"})
    finally:
        context.close()
    return profile


# A lent warm context may be used through these without leaving a trace the pool cannot wipe: pages
# (closed after the test), listeners (removed), the network switch, permissions and position (set back
# to the launch's). Anything else a test reaches on the context (init scripts, routes, CDP, its clock,
# closing it) retires the browser after the test instead of lending it again; so does a fake clock
# installed through `page.clock` (it is the context's), seen in the next page.
LENDABLE = frozenset({"new_page", "pages", "expect_page", "wait_for_event", "on", "once", "remove_listener",
                      "set_offline", "grant_permissions", "clear_permissions", "set_geolocation"})


class LentContext:
    """A pooled warm context as one test sees it: the context itself, but what the test does to it is
    recorded (`tainted`, `listeners`) so the pool can wipe it or retire it afterwards."""

    def __init__(self, context, options: dict) -> None:
        object.__setattr__(self, "_context", context)
        object.__setattr__(self, "options", options)  # what it was launched with: restored after the test
        object.__setattr__(self, "tainted", set())
        object.__setattr__(self, "listeners", [])

    def __getattr__(self, name: str):
        if name not in LENDABLE:
            self.tainted.add(name)
        return getattr(self._context, name)

    def __setattr__(self, name: str, value) -> None:
        self.tainted.add(name)
        setattr(self._context, name, value)

    def on(self, event: str, handler) -> None:
        self.listeners.append((event, handler))
        self._context.on(event, handler)

    once = on


class WarmPool:
    """Warm browsers kept open between tests. A browser on a copy of the warm profile costs ≈ 1.5 s to
    copy, launch and close; lent again it costs a wipe of the origin's data (≈ 0.1 s), and its HTTP
    and code caches stay warm. Keyed by the context's options (a phone's touch and viewport are fixed
    at launch). After a test: its pages are closed, its listeners removed, IndexedDB and localStorage
    erased and the caches the test added (the eviction marker's copy) deleted; a browser whose caches
    no longer are the warm profile's (snapshot dropped, worker updated) or that a test changed in a way
    the pool cannot see through (`LentContext.tainted`) is closed instead."""

    def __init__(self, playwright, server, flags, warm_profile: Path, folder: Path) -> None:
        self.playwright, self.server, self.flags = playwright, server, flags
        self.warm_profile, self.folder = warm_profile, folder
        self.idle: dict[str, list] = {}
        self.caches: set[str] | None = None  # the warm profile's cache names, read from the first browser
        self.launched = 0
        self.lends = 0
        self.retired: list[str] = []  # why a browser was closed instead of lent again

    def launch(self, **kwargs):
        self.launched += 1
        profile = self.folder / f"profile-{self.launched}"
        shutil.copytree(self.warm_profile, profile)
        return self.playwright.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, args=self.flags, **kwargs)

    def lend(self, kwargs: dict) -> LentContext:
        key = repr(sorted(kwargs.items()))
        self.lends += 1
        idle = self.idle.get(key)
        context = idle.pop() if idle else self.launch(**kwargs)
        return LentContext(context, kwargs), key

    def give_back(self, lent: LentContext, key: str) -> None:
        context = lent._context
        try:
            for event, handler in lent.listeners:
                context.remove_listener(event, handler)
            if lent.tainted:
                self.retired.append(f"used {sorted(lent.tainted)}")
                context.close()
                return
            self._restore(context, lent.options)
            why = self._wipe(context)
            if why:
                self.retired.append(why)
                context.close()
                return
        except Exception as exc:  # noqa: BLE001 — a context the test closed or crashed: not lent again
            self.retired.append(f"{type(exc).__name__}: {str(exc)[:80]}")
            try:
                context.close()
            except Exception:  # noqa: BLE001 — already gone
                pass
            return
        self.idle.setdefault(key, []).append(context)

    @staticmethod
    def _restore(context, options: dict) -> None:
        """What a test may change through `page.context` (the pool cannot see it): back to the launch's."""
        context.set_offline(bool(options.get("offline")))
        context.clear_permissions()
        if options.get("permissions"):
            context.grant_permissions(options["permissions"])
        context.set_geolocation(options.get("geolocation"))

    def _wipe(self, context) -> str:
        """Erase the origin's data; "" when the browser can be lent again, else why not."""
        keep = context.new_page()
        for page in context.pages:
            if page is not keep:
                page.close()
        cdp = context.new_cdp_session(keep)
        try:
            cdp.send("Storage.clearDataForOrigin", {"origin": self.server.origin,
                                                    "storageTypes": "indexeddb,local_storage"})
        finally:
            cdp.detach()
        # Cache Storage is read at the origin (a small file of it, not the app): the warm profile's
        # one cache (the worker's files and the snapshot) stays, any other (the eviction marker's
        # copy) goes.
        keep.goto(self.server.url + "static/manifest.webmanifest")
        caches = keep.evaluate("""async (key) => {
            const names = await caches.keys();
            const own = names.filter((n) => n.startsWith("cellules-fwb-"));
            for (const n of names) if (!own.includes(n)) await caches.delete(n);
            const snapshot = own.length === 1 && await (await caches.open(own[0])).match(key);
            return {own, snapshot: Boolean(snapshot), clock: "__pwClock" in window};
        }""", self.server.url + "__snapshot__/pyodide.bin")
        keep.goto("about:blank")
        if self.caches is None:
            self.caches = set(caches["own"])
        if caches["clock"]:  # page.clock is the context's: its fake clock would reach every later page
            return "a fake clock was installed"
        if not (caches["snapshot"] and set(caches["own"]) == self.caches):
            return "caches no longer the warm profile's"
        return ""

    def close(self) -> None:
        for contexts in self.idle.values():
            for context in contexts:
                context.close()


@pytest.fixture(scope="session")
def warm_pool(playwright, server, browser_flags, warm_profile, tmp_path_factory):
    pool = WarmPool(playwright, server, browser_flags, warm_profile, tmp_path_factory.mktemp("pool"))
    yield pool
    pool.close()
    print(f"\nwarm pool: {pool.lends} warm contexts lent, {pool.launched} browsers launched"
          + "".join(f"\n  retired: {why}" for why in sorted(set(pool.retired))))
    POOL.update(lent=pool.lends, launched=pool.launched,
                retired={why: pool.retired.count(why) for why in sorted(set(pool.retired))})


@pytest.fixture
def make_context(browser, playwright, server, sink, browser_flags, tmp_path, request):
    """new_context(**kw) -> (context, watch): a context that only reaches the allowed servers.
    By default a warm context (a returning visitor with no data: a browser of the pool, or a new copy
    of the warm profile); cold=True: a fresh incognito context; persistent=True: a fresh profile on
    disk, as a newly installed app has. `browser_args`: extra Chromium flags (a browser of its own:
    warm or persistent only); pooled=False: a warm context that is a new browser on its own copy of the
    warm profile, closed after the test (for a test that damages what the pool keeps, such as the stored
    snapshot). Its pages, listeners and data do not outlive the test. E2E_POOL=0: no pool (each warm
    context a new browser on its own copy of the warm profile)."""
    made = []
    lent = []
    sink_before = len(sink.seen)

    def new(*, allowed: tuple[str, ...] = (), persistent: bool = False, cold: bool = False,
            browser_args: tuple[str, ...] = (), pooled: bool = True, **kwargs):
        if not (persistent or cold or browser_args) and pooled and os.environ.get("E2E_POOL") != "0":
            context, key = request.getfixturevalue("warm_pool").lend(kwargs)
            lent.append((context, key))
        elif persistent:
            profile = tmp_path / f"profile-{len(made)}"
            context = playwright.chromium.launch_persistent_context(
                str(profile), executable_path=CHROMIUM, args=browser_flags + list(browser_args), **kwargs)
        elif not cold:
            profile = tmp_path / f"profile-{len(made)}"
            shutil.copytree(request.getfixturevalue("warm_profile"), profile)
            context = playwright.chromium.launch_persistent_context(
                str(profile), executable_path=CHROMIUM, args=browser_flags + list(browser_args), **kwargs)
        else:
            assert not browser_args, "extra Chromium flags need a browser of their own (warm or persistent)"
            context = browser.new_context(**kwargs)
        watch = Watch()
        watch.allowed = [server.url, *allowed]
        context.on("request", lambda req: None if watch.is_allowed(req.url) else watch.offsite.append(req.url))
        context.on("page", watch.attach)
        for page in context.pages:
            watch.attach(page)
        made.append((context, watch))
        return context, watch

    yield new
    for context, watch in made:
        watch.detach()
        if not any(context is c for c, _ in lent):
            context.close()
    for context, key in lent:
        request.getfixturevalue("warm_pool").give_back(context, key)
    offsite = [u for _, w in made for u in w.offsite] + sink.seen[sink_before:]
    errors = [e for _, w in made for e in w.unexpected()]
    assert offsite == [], f"requests left the origin: {offsite}"
    assert errors == [], f"console errors or page errors: {errors}"


# The longest test files, longest first (measured: `--durations`): pytest-xdist hands files to its workers in
# collection order, so starting with the long ones keeps one worker from running a long file alone at the end.
LONGEST_FIRST = ("test_sync.py", "test_map.py", "test_app.py", "test_cellules_view.py", "test_boot_snapshot.py",
                 "test_storage_eviction.py", "test_shell.py", "test_killed_import.py", "test_a11y_views.py",
                 "test_pickers_times_undo_focus.py", "test_browser_failures.py", "test_largest_document.py",
                 "test_replace_undo_conflict_restore.py", "test_live_sync.py")


def pytest_collection_modifyitems(items) -> None:
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: the rest keep their order


# E2E_PROFILE=1: each test's boots (count, seconds) and the warm pool's figures written to
# build/e2e-boots.json at the end (one file per pytest-xdist worker: e2e-boots-gw0.json…), to see where
# the suite's time goes.
BOOTS: dict[str, list[float]] = {}
POOL: dict[str, object] = {}  # the warm pool's figures (lent, launched, why browsers were retired)


def pytest_sessionfinish(session) -> None:
    if os.environ.get("E2E_PROFILE") and BOOTS:
        import json

        worker = os.environ.get("PYTEST_XDIST_WORKER")
        name = f"e2e-boots-{worker}.json" if worker else "e2e-boots.json"
        (ROOT / "build" / name).write_text(json.dumps({**BOOTS, "warm pool": POOL}, indent=1))


def wait_ready(page, timeout: int = BOOT_TIMEOUT_MS, watch: Watch | None = None) -> str:
    """Wait for the boot to end; it must end ready. With `watch`, a page error ends the wait at once."""
    started = time.monotonic()
    try:
        return _wait_ready(page, timeout, watch)
    finally:
        test = os.environ.get("PYTEST_CURRENT_TEST", "").split(" ")[0]
        BOOTS.setdefault(test, []).append(round(time.monotonic() - started, 2))


def _wait_ready(page, timeout: int, watch: Watch | None) -> str:
    deadline = time.monotonic() + timeout / 1000
    while True:
        try:
            page.wait_for_function("document.documentElement.dataset.appState !== 'booting'", timeout=1_000)
            break
        except Exception as exc:  # noqa: BLE001 — Playwright's TimeoutError: look at the page, then wait on
            if "Timeout" not in type(exc).__name__:
                raise
        if watch is not None and watch.page_errors():
            raise AssertionError(f"the page failed while booting: {watch.page_errors()}")
        if time.monotonic() > deadline:
            raise AssertionError(f"the app did not finish booting within {timeout} ms")
    state = page.evaluate("document.documentElement.dataset.appState")
    if state != "ready":
        detail = page.text_content("#boot-error") or ""
        raise AssertionError(f"boot ended in {state!r}: {detail.strip()}")
    return state


def wait_controlled(page) -> None:
    """Wait until the service worker is active and controls the page."""
    page.evaluate("navigator.serviceWorker.ready")
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=60_000)


def boot(make_context, server, url: str | None = None, *, now_ms: int | None = None, init_scripts: tuple[str, ...] = (),
         **kw):
    """(context, page, watch): `url` (default: the app) opened in a new context (see make_context for
    `kw`), confirmations accepted, file choosers caught from the start, booted and ready. `now_ms`:
    the page's clock starts there (and flows) instead of the machine's; `init_scripts` run before the
    page's own scripts."""
    context, watch = make_context(**kw)
    for script in init_scripts:
        context.add_init_script(script)
    page = context.new_page()
    page.on("dialog", lambda d: d.accept())
    # Playwright intercepts file choosers once a listener exists; one opened before would go to the
    # (headless, invisible) native dialog
    page.on("filechooser", lambda _chooser: None)
    if now_ms is not None:
        page.clock.install(time=now_ms / 1000)
    page.goto(url or server.url)
    wait_ready(page, watch=watch)
    return context, page, watch


@pytest.fixture
def app_page(make_context, server):
    """A booted page with an empty profile, and its watch."""
    _, page, watch = boot(make_context, server)
    return page, watch
