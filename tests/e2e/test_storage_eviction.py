"""Storage the browser takes away: a wiped browser never becomes a stranger.

- IndexedDB and the service worker erased under the app (localStorage kept, as Chromium did on a
  full profile): the reload shows « Le navigateur a effacé les données de cet appareil » with the
  group's name and the date of its last full export; « Restaurer ma dernière sauvegarde » gives back
  the same identity and the data.
- The service worker unregistered and cleared during an import (the controller becomes null, a
  `controllerchange` fires): the page never reloads, the import finishes whole.
- A quota too small for a write: refused before it starts, with « Espace de stockage plein », the
  data as it was.
- A tab holding the database at an older version: the loading screen says to close it.
"""

from __future__ import annotations

import json

from conftest import BOOT_TIMEOUT_MS, wait_ready
from driver import create_cellule, export_full, fill_storage, names, new_app, rename, shoot
from peers import peer_export

from app.core import i18n

# Thursday 3 December 2026, 10:00 in Brussels: the page's clock starts there (and flows)
NOW_MS = 1_796_288_400_000
STATE = "document.documentElement.dataset.appState"


def settled(page) -> str:
    page.wait_for_function(f"{STATE} !== 'booting'", timeout=BOOT_TIMEOUT_MS)
    return page.evaluate(STATE)


def expect_favicon_404(watch) -> None:
    """A page of the origin that is not the app (the manifest, opened to act as another tab) may make
    Chromium ask for /favicon.ico, which the site has not (whether it asks before the next navigation
    depends on timing): that console error is allowed, no other."""
    watch.expect_errors("Failed to load resource: the server responded with a status of 404")


def instance_id(page) -> str:
    page.click("#tab-settings")
    return page.text_content("#instance-id")


def test_an_erased_browser_says_so_and_restoring_the_last_backup_gives_back_the_same_identity(
        make_context, server, tmp_path):
    context, page, watch = new_app(make_context, server, now_ms=NOW_MS)
    rename(page, "Collectif du Parc")
    page.click("#tab-cellules")
    create_cellule(page, "Cellule du quartier", place="namur")
    create_cellule(page, "Cellule des jeunes", place="liege")
    identity = instance_id(page)
    exported_at = json.loads(export_full(page, tmp_path, "sauvegarde.json"))["exportedAt"]
    page.wait_for_function("(localStorage.getItem('cellules-fwb-kept') || '').includes('exported')")
    # What Chromium did on a full profile: the database and the service worker gone, localStorage kept.
    cdp = context.new_cdp_session(page)
    cdp.send("Storage.clearDataForOrigin", {"origin": server.origin, "storageTypes": "indexeddb,service_workers"})
    page.reload()
    assert settled(page) == "evicted"
    assert page.text_content("#evicted-title") == "Le navigateur a effacé les données de cet appareil"
    assert page.text_content("#evicted-explain") == i18n.t("ev.explain", "fr", name="Collectif du Parc", n=2)
    exported = i18n.fmt_date("fr", NOW_MS, year=True)
    assert exported == "jeudi 3 décembre 2026"
    assert page.text_content("#evicted-export") == i18n.t("ev.last_export", "fr", date=exported)
    # the way back first, starting again second
    order = page.eval_on_selector_all("#evicted input, #evicted button", "nodes => nodes.map((n) => n.id)")
    assert order == ["evicted-file", "evicted-restart"]
    assert page.text_content("#evicted-file-button") == "Restaurer ma dernière sauvegarde"
    assert page.text_content("#evicted-restart") == "Recommencer à zéro"
    assert page.locator("#tabs").count() == 0  # no app, no new identity, until the user chooses
    shoot(page, "storage-evicted")
    with page.expect_file_chooser() as chooser:
        page.click("#evicted-file-button")
    chooser.value.set_files(str(tmp_path / "sauvegarde.json"))
    page.wait_for_function(f"{STATE} !== 'evicted'", timeout=BOOT_TIMEOUT_MS)  # restored, the boot goes on
    assert page.evaluate(STATE) == "ready"
    assert page.text_content("#status") == i18n.t("ev.restored", "fr", name="Collectif du Parc", n=2)
    # the reminder names the backup restored, not a backup of today (app.web.import_card.note_restored)
    restored_from = i18n.t("x.restored_from", "fr", when=i18n.fmt_datetime("fr", exported_at, year=True))
    page.click("#tab-exchange")
    assert page.text_content("#backup-reminder") == restored_from
    assert names(page) == ["Cellule des jeunes", "Cellule du quartier"]
    assert instance_id(page) == identity
    assert page.text_content("#instance-label") == i18n.t("instance.label", "fr", name="Collectif du Parc", id=identity)
    page.reload()  # stored, not only shown
    wait_ready(page, watch=watch)
    assert names(page) == ["Cellule des jeunes", "Cellule du quartier"]
    assert instance_id(page) == identity
    page.click("#tab-exchange")
    assert page.text_content("#backup-reminder") == restored_from


def test_starting_again_after_an_erased_browser_asks_first(make_context, server, tmp_path):
    context, watch = make_context()
    page = context.new_page()
    asked, answers = [], [True]  # the confirmations: the page's answers, in order (the first: none is asked)
    page.on("dialog", lambda d: (asked.append(d.message), d.accept() if answers.pop(0) else d.dismiss()))
    page.goto(server.url)
    wait_ready(page, watch=watch)
    create_cellule(page, "Cellule perdue", place="namur")
    identity = instance_id(page)
    page.wait_for_function(f"caches.match('./__kept__/marker.json', {{cacheName: 'cellules-kept'}})"
                           f".then((r) => r ? r.json() : null).then((m) => m !== null && m.id === {identity!r})")
    # IndexedDB and localStorage gone: the marker's copy in Cache Storage still tells
    context.new_cdp_session(page).send("Storage.clearDataForOrigin",
                                       {"origin": server.origin, "storageTypes": "indexeddb,local_storage"})
    page.reload()
    assert settled(page) == "evicted"
    assert page.text_content("#evicted-explain") == i18n.t("ev.explain", "fr", n=1,
                                                            name=i18n.t("instance.default_name", "fr"))
    assert page.text_content("#evicted-export") == i18n.t("ev.no_export", "fr")
    # another group's backup: asked once, in the words of the import preview's restore; « Annuler »: nothing
    (tmp_path / "voisins.json").write_text(peer_export(["Jardin"], instance="Asso voisine"), "utf-8")
    answers[:] = [False]
    page.set_input_files("#evicted-file", str(tmp_path / "voisins.json"))
    page.wait_for_function(f"document.getElementById('evicted-message').textContent === "
                           f"{i18n.t('ev.nothing_changed', 'fr')!r}")
    assert asked == [i18n.t("m.restore.other_group", "fr", name="Asso voisine",
                            current=i18n.t("instance.default_name", "fr"))]
    assert page.evaluate(STATE) == "evicted"
    asked.clear()
    confirm = i18n.t("ev.restart_confirm", "fr", name=i18n.t("instance.default_name", "fr"))
    answers[:] = [False]  # « Annuler »: nothing changes
    page.evaluate("document.getElementById('evicted-message').textContent = ''")
    page.click("#evicted-restart")
    page.wait_for_function("document.getElementById('evicted-message').textContent.length > 0")
    assert asked == [confirm]
    assert page.text_content("#evicted-message") == i18n.t("ev.nothing_changed", "fr")
    assert page.evaluate(STATE) == "evicted"
    answers[:] = [True]
    page.click("#evicted-restart")
    page.wait_for_function(f"{STATE} !== 'evicted'", timeout=BOOT_TIMEOUT_MS)
    assert page.evaluate(STATE) == "ready"
    assert asked == [confirm, confirm]
    assert instance_id(page) != identity
    assert page.evaluate("localStorage.getItem('cellules-fwb-kept')") is None
    page.reload()  # a new, empty group: an ordinary visit now (the marker's copy is gone too)
    wait_ready(page, watch=watch)
    assert page.evaluate("caches.has('cellules-kept')") is False


def test_the_service_worker_unregistered_during_an_import_never_reloads_the_page(make_context, server):
    context, page, watch = new_app(make_context, server, now_ms=NOW_MS)
    create_cellule(page, "Cellule d’avant", place="namur")
    page.evaluate("navigator.serviceWorker.ready")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.evaluate("""() => {
        window.sameDocument = true;
        window.controllers = [];
        navigator.serviceWorker.addEventListener('controllerchange',
            () => window.controllers.push(navigator.serviceWorker.controller ? 'worker' : 'none'));
    }""")
    page.click("#tab-exchange")
    page.fill("#import-text", peer_export([f"Cellule reçue {i}" for i in range(250)]))
    page.click("#import-paste")
    page.wait_for_selector("#preview", timeout=60_000)
    # « Fusionner », and the worker unregistered while the import runs
    page.evaluate("""() => {
        document.getElementById('do-merge').click();
        return navigator.serviceWorker.getRegistration().then((r) => r.unregister());
    }""")
    context.new_cdp_session(page).send("Storage.clearDataForOrigin",
                                       {"origin": server.origin, "storageTypes": "service_workers"})
    page.wait_for_selector("#report", timeout=120_000)
    assert page.text_content("#report-summary") == i18n.report_summary(
        "fr", "merge", "Asso voisine", {"added": 250, "updated": 0, "unchanged": 0, "conflicts": 0, "deleted": 0})
    assert page.evaluate("window.sameDocument") is True  # never reloaded
    assert page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r === undefined)") is True
    # unregister() alone leaves the page controlled (measured: no event); clearing the origin's workers, as
    # Chromium does when it drops a site's storage, takes the controller away: one event, controller null
    assert page.evaluate("window.controllers") == ["none"]
    page.reload()
    wait_ready(page, watch=watch)
    assert len(names(page)) == 251  # the import finished whole


QUOTA = 3_000_000
def test_a_write_the_quota_cannot_hold_is_refused_before_it_starts(make_context, server):
    context, watch = make_context(cold=True, service_workers="block")
    # Chromium enforces a DevTools quota override but its estimate() goes on reporting the disk (measured:
    # quota = usage + 10 GiB): here it reports the overridden quota, as it does when the disk itself is full.
    context.add_init_script(f"""if (globalThis.navigator && navigator.storage) {{
        const real = navigator.storage.estimate.bind(navigator.storage);
        navigator.storage.estimate = async () => ({{ ...(await real()), quota: {QUOTA} }});
    }}""")
    page = context.new_page()
    page.on("dialog", lambda d: d.accept())
    warnings = []
    page.on("console", lambda m: m.type == "warning" and warnings.append(m.text))
    page.goto(server.url + "manifest.webmanifest")
    cdp = context.new_cdp_session(page)
    cdp.send("Storage.overrideQuotaForOrigin", {"origin": server.origin, "quotaSize": QUOTA})
    page.goto(server.url)
    wait_ready(page, watch=watch)
    create_cellule(page, "Cellule d’avant", place="namur")
    page.click("#tab-exchange")
    page.fill("#import-text", peer_export([f"Cellule importée {i}" for i in range(250)]))
    page.click("#import-paste")
    page.wait_for_selector("#preview", timeout=60_000)
    fill_storage(page)
    page.click("#do-merge")
    page.wait_for_function("(document.getElementById('preview-error')?.textContent || '').length > 0",
                           timeout=60_000)
    assert page.text_content("#preview-error") == i18n.error_text("store.quota", "fr")
    refused = [w for w in warnings if w.startswith("storage: a write of at least")]
    assert len(refused) == 1 and "refused before it started" in refused[0]
    assert page.locator("#report").count() == 0
    page.reload()
    wait_ready(page, watch=watch)
    assert names(page) == ["Cellule d’avant"]
    expect_favicon_404(watch)


OLD_TAB = """() => new Promise((resolve, reject) => {
    // an older version of the app: the database at version 2, kept open, deaf to `versionchange`
    const request = indexedDB.open('cellules-fwb', 2);
    request.onupgradeneeded = () => ['meta', 'cellules', 'ateliers', 'undo', 'journal']
        .forEach((name) => request.result.createObjectStore(name));
    request.onsuccess = () => { window.oldDb = request.result; resolve(request.result.version); };
    request.onerror = () => reject(request.error);
})"""


def test_an_older_tab_holding_the_database_is_named_on_the_loading_screen(make_context, server):
    context, watch = make_context()
    old = context.new_page()
    old.goto(server.url + "manifest.webmanifest")  # same origin, the old version's connection
    assert old.evaluate(OLD_TAB) == 2
    blocked = i18n.t("ev.blocked", "fr")
    page = context.new_page()
    page.clock.install(time=NOW_MS / 1000)
    page.goto(server.url)
    page.wait_for_selector("#db-blocked", timeout=BOOT_TIMEOUT_MS)
    assert page.text_content("#db-blocked") == blocked
    assert page.evaluate(STATE) == "booting"
    assert page.locator("#db-blocked").is_visible()
    shoot(page, "storage-blocked")
    # two minutes later, the loading screen's watchdog names the same cause, not the disk
    page.clock.run_for(121_000)
    assert page.evaluate(STATE) == "error"
    assert page.text_content("#boot-error-message") == blocked
    page.close()
    # the old tab goes: the app opens
    old.evaluate("window.oldDb.close()")
    fresh = context.new_page()
    fresh.goto(server.url)
    wait_ready(fresh, watch=watch)
    assert fresh.locator("#db-blocked").count() == 0
    assert json.loads(fresh.evaluate("JSON.stringify(document.documentElement.dataset)")).get("dbBlocked") is None
    expect_favicon_404(watch)


PERSIST_SPY = """if (globalThis.navigator && navigator.storage) {
    window.persistAsked = 0;
    window.persistGranted = false;
    navigator.storage.persist = async () => { window.persistAsked += 1; return window.persistGranted; };
    navigator.storage.persisted = async () => window.persistGranted;
}"""


def storage_status(page) -> str:
    page.click("#tab-settings")
    page.wait_for_function("(document.getElementById('storage-status')?.textContent || '').length > 0")
    return page.text_content("#storage-status")


def test_persistent_storage_is_asked_after_the_first_real_data_and_on_install_and_said_in_settings(
        make_context, server):
    context, page, watch = new_app(make_context, server, init_scripts=(PERSIST_SPY,))
    # opening the app, or « Réglages », is no reason to ask
    assert storage_status(page).startswith(i18n.t("ev.not_persisted", "fr") + " ")
    assert page.evaluate("window.persistAsked") == 0
    page.click("#tab-cellules")
    create_cellule(page, "Première cellule", place="namur")
    page.wait_for_function("window.persistAsked === 1")  # the first real data
    create_cellule(page, "Deuxième cellule", place="liege")
    page.evaluate("window.dispatchEvent(new Event('appinstalled'))")  # installed
    page.wait_for_function("window.persistAsked === 2")
    page.evaluate("window.persistGranted = true")
    page.click("#tab-cellules")
    assert storage_status(page).startswith(i18n.t("ev.persisted", "fr") + " ")
    assert page.evaluate("window.persistAsked") == 2
    page.click("#lang-toggle")
    page.wait_for_function("document.getElementById('storage-status').textContent.startsWith('The browser')")
    assert page.text_content("#storage-status").startswith(i18n.t("ev.persisted", "en") + " ")


IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/17.5 Mobile/15E148 Safari/604.1")


def test_on_an_iphone_why_the_home_screen_is_said_once(make_context, server):
    context, page, watch = new_app(make_context, server, user_agent=IPHONE)
    assert page.text_content("#install-hint") == i18n.t("ev.ios_why", "fr")
    assert page.locator("#install-hint").is_visible()
    page.reload()
    wait_ready(page, watch=watch)
    assert page.text_content("#install-hint") == i18n.t("install.ios", "fr")
