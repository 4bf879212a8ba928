"""The app shell: boots from its own origin only, works offline, installs, updates cleanly."""

from __future__ import annotations

import pytest
from conftest import Server, boot, wait_controlled, wait_ready

from tools.build_site import build


def test_boots_to_ready_with_no_request_off_the_origin_and_no_error(make_context, server):
    context, watch = make_context(cold=True)
    page = context.new_page()
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(server.url)
    wait_ready(page)
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert watch.offsite == []
    assert watch.errors == []
    # Python really ran, from the wheel of this very build.
    html_build = page.evaluate("document.documentElement.dataset.build")
    assert page.evaluate("document.documentElement.dataset.pythonBuild") == html_build
    assert any(u.endswith("pyodide.asm.wasm") for u in requested)


def test_the_harness_sees_a_request_to_another_host(make_context, server, sink):
    """What proves « no request leaves the origin » in every test can see one: a page's fetch to another
    host reaches the sink (refused there) and the context's record."""
    context, page, watch = boot(make_context, server)
    before = len(sink.seen)
    watch.expect_errors("blocked by CORS policy", "Failed to load resource")
    assert page.evaluate("fetch('http://example.org/from-page').then(() => 'answered', () => 'refused')") == "refused"
    assert sink.seen[before:] == ["GET http://example.org/from-page HTTP/1.1"]
    assert watch.offsite == ["http://example.org/from-page"]
    # seen, so the teardown would fail the test: this one expected them
    del sink.seen[before:]
    watch.offsite.clear()


def test_reload_and_fresh_tab_work_with_the_server_gone(make_context, own_server):
    server = own_server
    context, watch = make_context(cold=True, allowed=(server.url,))
    page = context.new_page()
    page.goto(server.url)
    wait_ready(page)
    wait_controlled(page)
    server.stop()
    page.reload()
    wait_ready(page)
    fresh = context.new_page()
    fresh.goto(server.url)
    wait_ready(fresh)
    assert watch.errors == []


def test_chrome_finds_the_app_installable(make_context, server):
    context, _ = make_context(persistent=True)
    page = context.new_page()
    page.goto(server.url)
    wait_ready(page)
    wait_controlled(page)
    cdp = context.new_cdp_session(page)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert errors == []
    manifest = page.evaluate("fetch('./manifest.webmanifest').then(r => r.json())")
    sizes = {(i["sizes"], i.get("purpose", "any")) for i in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    assert manifest["display"] == "standalone" and manifest["start_url"]


def test_a_broken_deploy_shows_a_french_error_not_an_endless_spinner(make_context, own_server, tmp_path, site):
    server = own_server
    broken = tmp_path / "broken"
    import shutil

    shutil.copytree(site, broken)
    (broken / "pyodide" / "python_stdlib.zip").write_bytes(b"not a zip")
    server.serve(broken)
    context, watch = make_context(cold=True, allowed=(server.url,))
    page = context.new_page()
    page.goto(server.url)
    page.wait_for_function("document.documentElement.dataset.appState !== 'booting'", timeout=120_000)
    assert page.evaluate("document.documentElement.dataset.appState") == "error"
    assert page.is_visible("#boot-error")
    assert "n’a pas pu démarrer" in page.text_content("#boot-error")
    # what Pyodide logs when its standard library does not load: its fatal-error dump (a blank line included,
    # which no fragment could name without naming every console error), then the page error
    dump = ["console: Fatal Python error: Failed to import encodings module",
            "console: Python runtime state: core initialized",
            "console: ModuleNotFoundError: No module named 'encodings'", "console: ", "console:   <no Python frame>",
            "pageerror: ExitStatus"]
    assert [e for e in watch.errors if not e.startswith("console: Current thread 0x")] == dump
    watch.errors.clear()  # every one named just above


@pytest.mark.slow
def test_a_new_deploy_offers_reload_and_lands_on_one_consistent_build(make_context, tmp_path):
    v1 = build(tmp_path / "v1", version_tag="v1")["build"]
    v2 = build(tmp_path / "v2", version_tag="v2")["build"]
    server = Server(tmp_path / "v1")
    try:
        context, watch = make_context(cold=True, allowed=(server.url,))
        page = context.new_page()
        page.goto(server.url)
        wait_ready(page)
        wait_controlled(page)
        assert page.evaluate("document.documentElement.dataset.build") == v1

        server.serve(tmp_path / "v2")  # deploy: same address, new files
        page.evaluate("window.dispatchEvent(new Event('focus'))")  # the user comes back to the tab
        page.wait_for_selector("#update-banner:not([hidden])", timeout=60_000)
        assert "Nouvelle version disponible" in page.text_content("#update-banner")
        assert page.evaluate("document.documentElement.dataset.build") == v1  # nothing changed behind the user

        # « Recharger » asks the waiting worker to take over; the page reloads later, on controllerchange
        # (static/boot.js). Wait for what the user sees in the end, the new build booted, with a boot's time
        # budget, not for one navigation event within 60 s (it made this test flaky on a loaded machine).
        page.click("#update-reload")
        page.wait_for_function("(v2) => document.documentElement.dataset.build === v2"
                               " && document.documentElement.dataset.appState !== 'booting'", arg=v2, timeout=120_000)
        wait_ready(page)
        assert page.evaluate("document.documentElement.dataset.build") == v2
        assert page.evaluate("document.documentElement.dataset.pythonBuild") == v2
        worker_build = page.evaluate("""new Promise((resolve) => {
            navigator.serviceWorker.addEventListener('message', (e) => resolve(e.data.build), {once: true});
            navigator.serviceWorker.controller.postMessage('build');
        })""")
        assert worker_build == v2
        caches = page.evaluate("caches.keys()")
        assert caches == [f"cellules-fwb-{v2}"]
        assert watch.errors == []
    finally:
        server.stop()
