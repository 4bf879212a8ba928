"""The offline state a first visit shows: « Préparation hors ligne… » while the service worker copies the app,
« Prête hors ligne » only once its cache holds every file (service-worker.js "offline-check"), and then a
reload without network opens the app. Going offline before that never claims readiness; the copy resumes when
the network comes back. The footer's figure for the app's copy is a size only once the copy is complete."""

from __future__ import annotations

import re

import pytest
from conftest import boot, wait_ready
from driver import PHONE, shoot
from playwright.sync_api import Error as PlaywrightError

from app.core import i18n

# Every value <html data-offline> takes, in order (static/boot.js), recorded from the page's start.
STATES = """
window.offlineStates = [];
new MutationObserver(() => {
  const state = document.documentElement.getAttribute('data-offline');
  if (state && window.offlineStates[window.offlineStates.length - 1] !== state) window.offlineStates.push(state);
}).observe(document, {attributes: true, subtree: true, attributeFilter: ['data-offline']});
"""
# The page's first service worker registration waits for the test's word (window.releaseRegister()).
HELD_REGISTER = """
if (self.ServiceWorkerContainer) {  // (init scripts also run where there is none)
  const realRegister = ServiceWorkerContainer.prototype.register;
  ServiceWorkerContainer.prototype.register = function (...args) {
    ServiceWorkerContainer.prototype.register = realRegister;  // the first call only
    return new Promise((resolve, reject) => {
      window.releaseRegister = () => realRegister.apply(this, args).then(resolve, reject);
    });
  };
}
"""
SIZE = r"[\d\u202f]+(,\d)?[\u202f\u00a0](ko|Mo|Go|octets)"


def bar(page) -> str:
    return " ".join(page.text_content("#offline-state").split())


def words(key: str) -> str:
    return " ".join(i18n.t(key, "fr").split())


def missing_files(page) -> dict:
    """The worker's cache against the precache list of the service worker the server serves: how many caches
    of the app there are, and how many listed files none of them holds."""
    return page.evaluate("""async () => {
        const names = (await caches.keys()).filter((n) => n.startsWith('cellules-fwb-'));
        const text = await (await fetch('./service-worker.js', {cache: 'no-store'})).text();
        const listed = JSON.parse(text.match(/const PRECACHE = (\\[.*?\\]);/s)[1])
            .map(([url]) => new URL(url, location.href).href);
        const held = new Set();
        for (const name of names) for (const r of await (await caches.open(name)).keys()) held.add(r.url);
        return {caches: names.length, missing: listed.filter((u) => !held.has(u)).length};
    }""")


def test_a_first_visit_says_preparing_then_ready_and_then_opens_without_network(make_context, server):
    context, page, watch = boot(make_context, server, cold=True, init_scripts=(STATES,), **PHONE)
    assert page.evaluate("window.offlineStates")[0] == "preparing"
    page.wait_for_function("document.documentElement.dataset.offline === 'ready'", timeout=60_000)
    assert page.evaluate("window.offlineStates") == ["preparing", "ready"]
    # the copy is complete when it says so: every file of the build
    assert missing_files(page) == {"caches": 1, "missing": 0}
    assert bar(page) == f"{words('off.ready')} — {words('off.ready_hint')}"
    page.wait_for_function(
        "!(document.getElementById('storage-info').textContent.includes('préparation'))")
    assert re.search(rf"vos données\u00a0: {SIZE}, l’application hors ligne\u00a0: {SIZE} — {SIZE} disponibles",
                     page.text_content("#storage-info"))
    shoot(page, "offline-ready")
    context.set_offline(True)
    page.reload()
    wait_ready(page, watch=watch)
    assert page.is_visible("#tab-cellules")  # the app, not the browser's « no internet » page
    page.wait_for_function("document.documentElement.dataset.offline === 'ready'")
    assert page.is_hidden("#offline-state")  # complete before this page: nothing to say at the top
    assert page.is_hidden("#meeting-banner")  # not the meeting's copy


def test_going_offline_before_ready_never_claims_it_and_the_copy_resumes_online(make_context, own_server):
    context, page, watch = boot(make_context, own_server, own_server.url, cold=True, allowed=(own_server.url,),
                                init_scripts=(STATES, HELD_REGISTER))
    # the registration that finds no server (Chromium says it in the console), the requests refused meanwhile
    watch.expect_errors("An unknown error occurred when fetching the script", "net::ERR_CONNECTION_REFUSED",
                        "net::ERR_INTERNET_DISCONNECTED")
    assert page.evaluate("document.documentElement.dataset.offline") == "preparing"
    assert bar(page) == f"{words('off.preparing')} — {words('off.preparing_hint')}"
    page.wait_for_function("document.getElementById('storage-info').textContent.includes('hors ligne')")
    assert re.search(rf"vos données\u00a0: {SIZE}, l’application hors ligne\u00a0: en préparation… — {SIZE} "
                     "disponibles", page.text_content("#storage-info"))
    shoot(page, "offline-preparing")
    own_server.stop()  # the network is gone before the worker copied anything
    context.set_offline(True)
    page.evaluate("window.releaseRegister()")
    page.wait_for_function("document.documentElement.dataset.offline === 'interrupted'")
    assert bar(page) == f"{words('off.interrupted')} — {words('off.interrupted_hint')}"
    assert "ready" not in page.evaluate("window.offlineStates")
    assert page.evaluate("navigator.serviceWorker.getRegistration().then((r) => !!(r && r.active))") is False
    shoot(page, "offline-interrupted")
    elsewhere = context.new_page()  # what opening the app now would give: the browser's error page
    with pytest.raises(PlaywrightError):
        elsewhere.goto(own_server.url)
    elsewhere.close()

    own_server.start()
    context.set_offline(False)  # « online »: the copy starts again
    page.wait_for_function("document.documentElement.dataset.offline === 'ready'", timeout=60_000)
    assert page.evaluate("window.offlineStates") == ["preparing", "interrupted", "preparing", "ready"]
    assert bar(page) == f"{words('off.ready')} — {words('off.ready_hint')}"
    assert missing_files(page) == {"caches": 1, "missing": 0}
    context.set_offline(True)
    page.reload()
    wait_ready(page, watch=watch)
    assert page.is_visible("#tab-cellules")
