"""« Synchroniser en direct » between two browser contexts, run INSIDE a network namespace that
tests/e2e/test_live_sync.py makes (`unshare -n`, a veth pair whose two addresses exist only
there, a default route): Chromium gathers host candidates only then. Not collected on its own
(its name is not test_*.py); run outside such a namespace it fails on `live.no_candidate`.

The page server listens inside the namespace on the outer session's port, so the pages have the
outer session's origin and its warm profile (service worker, memory snapshot) serves them.
Chromium shows real addresses (`--disable-features=WebRtcHideLocalIpsWithMdns`), as a phone that
holds the camera permission does.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
from pathlib import Path

import pytest
from camera import NODES, camera_frame, clocked, fake_camera, write_y4m
from conftest import FLAGS, SharedServer, boot, wait_ready
from driver import add_atelier, card, create_cellule, edit_cellule, names, paste, rename, restore, shoot
from peers import peer_export
from PIL import Image

from app.core import actions, document, live, qr
from app.core.errors import LiveError
from app.core.i18n import t

T0 = 1_769_594_400_000  # 28 January 2026, 10:00 in Brussels
DAY_MS = 86_400_000

# Every data channel the page opens or receives, newest first: the test speaks on it as a hostile peer
# would, and may mute what reaches the page's own session (window.__fwbwMuted) so that the page is that
# hostile peer alone.
CHANNELS = """(() => {
  const seen = (window.__fwbwChannels = []);
  const keep = (c) => {
    const add = c.addEventListener.bind(c);
    c.addEventListener = (type, fn, ...rest) =>
      add(type, type === "message" ? (e) => { if (!window.__fwbwMuted) fn(e); } : fn, ...rest);
    seen.unshift(c);
    return c;
  };
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Native {
    constructor(...args) { super(...args); this.addEventListener("datachannel", (e) => keep(e.channel)); }
    createDataChannel(...args) { return keep(super.createDataChannel(...args)); }
  };
})();"""

# How a test opens « Synchroniser en direct »: "app" calls open_live(ctx, code) of app/web/views/live_dialog.py
# through the app object main.py exposes, whatever the page shows; "page" goes the user's way: the button of
# « Échanger » (#live-open), or a code pasted in its paste box (FWBW: is recognised like every other code).
# The user's way is proven by test_exchange_view; this walk still opens the dialog over other dialogs and
# forms, which the user's way would first close (not done here yet).
OPEN_BY = "app"
OPEN_LIVE = """(code) => {
  const app = window.cellulesApp;
  const load = app.render_all.__func__.__globals__.get("__builtins__").get("__import__");
  load("app.web.views.live_dialog", null, null, ["open_live"]).open_live(app.ctx, code);
}"""


@pytest.fixture(scope="session")
def server(site):
    srv = SharedServer(site, port=int(os.environ["LIVE_SYNC_PORT"]))
    yield srv
    srv.close()


@pytest.fixture(scope="session")
def warm_profile() -> Path:
    return Path(os.environ["LIVE_SYNC_PROFILE"])


@pytest.fixture(scope="session")
def browser_flags(sink) -> list[str]:
    return FLAGS + sink.flags + ["--disable-features=WebRtcHideLocalIpsWithMdns"]


def say(code: str, **params) -> str:
    return LiveError(code, **params).message("fr")


def open_live(page, code: str | None = None) -> None:
    if OPEN_BY == "page":
        page.click("#tab-exchange")
        if code is None:
            page.click("[data-action=live-open]")
        else:
            paste(page, code)
    else:
        page.evaluate(OPEN_LIVE, code)
    page.wait_for_selector("#live-dialog[open]")


def invite(page) -> str:
    open_live(page)
    page.click("#live-invite")
    page.wait_for_selector("#live-code")
    version = int(page.get_attribute("#live-qr", "data-version"))
    assert version <= 10
    return page.input_value("#live-code")


def answer(page, offer: str) -> str:
    open_live(page, offer)
    page.wait_for_selector("#live-code")
    assert int(page.get_attribute("#live-qr", "data-version")) <= 10
    return page.input_value("#live-code")


def read_answer(page, code: str) -> None:
    page.fill("#live-paste", code)
    page.click("#live-read")


def said(page, text: str, code: str | None = None) -> None:
    """Wait until the dialog's message is exactly `text` (and, given, the code it says it for)."""
    page.wait_for_function("(t) => document.getElementById('live-error')?.textContent === t", arg=text)
    if code is not None:
        assert page.get_attribute("#live-error", "data-code") == code


def history_values(page, name: str) -> list[str]:
    """The values the history of cellule `name`'s description holds, opened from its mark."""
    card(page, name).locator(".mark [data-action=history-open]").click()
    page.wait_for_selector("#history-dialog[open]")
    values = page.locator("#history-dialog .history-field[data-field=description] .history-value")
    found = values.all_text_contents()
    page.click("#history-close")
    return found


def bar_rows(page) -> list[str]:
    """The state of each live session of `page`, as its bar says it (the dialog closed)."""
    return page.locator("#live-bar .live-bar-row").evaluate_all("rows => rows.map(r => r.dataset.status)")


def conflict_while_connected(alice, bob) -> None:
    """Both edit the description of one cellule while connected, Bob's page deaf for a while (what
    reaches it is lost, as on a flaky link): Alice's edit waits, Bob's later one crosses at once. The
    conflict shows on both sides as a file's does: the same winner, « modifié aussi par … », the other
    value in the history."""
    bob.evaluate("window.__fwbwMuted = true")
    edit_cellule(alice, "Vélo Liège", description="Version d'Alice")
    # Bob's edit is the later one on any clock: his page's clock is put a minute past Alice's
    ahead = alice.evaluate("Date.now()") - bob.evaluate("Date.now()")
    bob.clock.fast_forward(max(0, ahead) + 60_000)
    edit_cellule(bob, "Vélo Liège", description="Version de Bob")
    alice.wait_for_selector("li.cellule:has(.cellule-name:text-is('Vélo Liège')) .mark-text")
    assert card(alice, "Vélo Liège").locator(".description").text_content() == "Version de Bob"
    assert card(alice, "Vélo Liège").locator(".mark-text").text_content() == "modifié aussi par Bob"
    # Bob hears again; Alice's edit, never acknowledged, goes again after RETRY_MS: his later one stays
    bob.evaluate("window.__fwbwMuted = false")
    alice.clock.fast_forward(live.RETRY_MS)
    bob.wait_for_selector("li.cellule:has(.cellule-name:text-is('Vélo Liège')) .mark-text")
    assert card(bob, "Vélo Liège").locator(".description").text_content() == "Version de Bob"
    assert card(bob, "Vélo Liège").locator(".mark-text").text_content() == "modifié aussi par Alice"
    for page in (alice, bob):
        page.wait_for_selector("#live-bar .live-bar-row[data-status=up_to_date]")
    shoot(bob, "live-conflict-mark", "li.cellule .mark")
    assert "Version d'Alice" in history_values(alice, "Vélo Liège")  # her value, not lost
    assert "Version d'Alice" in history_values(bob, "Vélo Liège")  # the other version
    assert bar_rows(alice) == bar_rows(bob) == ["up_to_date"]


def star_around_an_organiser(alice, bob, carla) -> None:
    """Alice holds two sessions (Bob, Carla); Bob and Carla never meet. Carla's data, then her edit,
    reach Bob through Alice; the three hold the same data. Then Carla's page sends a message whose
    header is not JSON: Alice refuses it by its code and ends that session only."""
    for page in (alice, bob):
        page.click("#live-close")
    # the three clocks within a minute (Alice's ran 11 minutes ahead to expire a code; a code dated over
    # 5 minutes ahead of its reader's clock is refused)
    latest = max(page.evaluate("Date.now()") for page in (alice, bob, carla))
    for page in (alice, bob, carla):
        page.clock.fast_forward(max(1, latest - page.evaluate("Date.now()")))
    connect_fresh(alice, bob)
    # a second session on Alice's side: « Montrer un code d'invitation » while connected to Bob
    alice.click("#live-invite")
    alice.wait_for_selector("#live-code")
    read_answer(alice, answer(carla, alice.input_value("#live-code")))
    alice.wait_for_selector("#live-preview")
    carla.wait_for_selector("#live-preview")
    assert alice.text_content("#live-state") == t("lv.with", "fr", name="Carla", status="connecté")
    assert "Potager Mons" in alice.text_content("#live-plan-list")
    assert "Jardin Namur" in carla.text_content("#live-plan-list")
    alice.click("#live-merge")
    carla.click("#live-merge")
    # what Alice merged from Carla goes on to Bob, shown to him first as any live data is
    bob.wait_for_selector("#live-preview")
    assert "Potager Mons" in bob.text_content("#live-plan-list")
    bob.click("#live-merge")
    for page in (alice, bob, carla):
        state_is(page, "up_to_date")
        page.click("#live-background")
    assert bar_rows(alice) == ["up_to_date", "up_to_date"]
    shoot(alice, "live-star-bar")
    # an edit on one leaf reaches the other leaf through the organiser
    create_cellule(carla, "Ruche Mons", "mons")
    bob.wait_for_selector("#cellule-list .cellule-name:text-is('Ruche Mons')")
    for page in (alice, bob, carla):
        page.wait_for_function("() => [...document.querySelectorAll('#live-bar .live-bar-row')]"
                               ".every(r => r.dataset.status === 'up_to_date')")
    assert names(alice) == names(bob) == names(carla) == ["Atelier couture", "Jardin Namur", "Potager Mons",
                                                          "Ruche Mons", "Vélo Liège"]
    assert digest_of(alice) == digest_of(bob) == digest_of(carla)
    # a malformed header on Carla's channel: Alice refuses it by its code; her session with Bob goes on
    open_live(alice)  # it shows her newest session: Carla's
    open_live(carla)
    inject(carla, '{"t":"digest","n":')
    said(alice, say("live.message", part="header"), "live.message")
    state_is(alice, "interrupted")
    assert alice.text_content("#live-state") == t("lv.with", "fr", name="Carla", status="interrompu")
    said(carla, t("live.peer_ended", "fr", name="Alice"), "live.message")
    state_is(carla, "interrupted")
    alice.click("#live-close")
    assert bar_rows(alice) == ["up_to_date", "interrupted"]
    assert bar_rows(bob) == ["up_to_date"]
    assert alice.locator("#live-bar .live-bar-row [data-live=reconnect]").count() == 1  # on Carla's row only
    shoot(alice, "live-bar-reconnect", "#live-bar")
    carla.click("#live-close")


def retitle_atelier(page, cellule: str, title: str, new: str) -> None:
    card(page, cellule).locator(f"li.atelier:has(.atelier-title:text-is({title!r})) [data-action=edit-atelier]").click()
    page.fill("#f-title", new)
    page.click("#edit-form button[type=submit]")
    page.wait_for_selector("#edit-form", state="detached")


def an_atelier_waits_for_its_cellule(alice, carla) -> None:
    """Carla makes a cellule and an atelier in it; Alice's « Reconnecter » on Carla's row of the bar shows
    a new invitation at once; in the preview Alice unticks the cellule: the atelier waits (« 1 atelier en
    attente de sa cellule »), and the session goes on while Carla edits that atelier (a file of it alone
    would be refused whole: atelier.orphan). When Carla changes the cellule, it arrives with the atelier
    as Carla last wrote it, and both are « à jour »."""
    create_cellule(carla, "Verger Mons", "mons")
    add_atelier(carla, "Verger Mons", "Taille des arbres")
    alice.click("#live-bar .live-bar-row[data-status=interrupted] [data-live=reconnect]")
    alice.wait_for_selector("#live-dialog[open] #live-code")
    read_answer(alice, answer(carla, alice.input_value("#live-code")))
    alice.wait_for_selector("#live-preview")
    plans = alice.locator("#live-plan-list li.plan").all_text_contents()  # resumed: only what Carla added
    assert len(plans) == 2 and "Verger Mons" in plans[0] + plans[1] and "Taille des arbres" in plans[0] + plans[1]
    alice.uncheck("#live-plan-list li.plan.cellule-row:has-text('Verger Mons') input[data-plan]")
    alice.click("#live-merge")
    state_is(alice, "apart")
    waiting = t("live.status.apart", "fr", what=t("live.apart.here", "fr", n=1) + ", "
                + t("live.apart.waiting", "fr", n=1))
    assert alice.text_content("#live-state") == t("lv.with", "fr", name="Carla", status=waiting)
    assert alice.text_content("#live-waiting") == t("lv.waiting_hint", "fr")
    state_is(carla, "apart")
    assert carla.text_content("#live-state") == t("lv.with", "fr", name="Alice", status=t(
        "live.status.apart", "fr", what=t("live.apart.there", "fr", n=2)))
    shoot(alice, "live-waiting")
    assert alice.locator("#cellule-list .cellule-name:text-is('Verger Mons')").count() == 0  # behind the dialog
    carla.click("#live-close")
    retitle_atelier(carla, "Verger Mons", "Taille des arbres", "Taille des pommiers")
    edit_cellule(carla, "Verger Mons", description="Tous les samedis")
    alice.wait_for_selector("#cellule-list .cellule-name:text-is('Verger Mons')")
    state_is(alice, "up_to_date")
    assert alice.get_attribute("#live-error", "data-code") == ""
    alice.click("#live-close")
    card(alice, "Verger Mons").locator("[data-action=open-cellule]").click()
    assert card(alice, "Verger Mons").locator("li.atelier .atelier-title").all_text_contents() == [
        "Taille des pommiers"]
    carla.wait_for_selector("#live-bar .live-bar-row[data-status=up_to_date]")
    assert digest_of(alice) == digest_of(carla)


def digest_of(page) -> str:
    """The page's data as the live protocol compares it (app.core.live.digest, run in the page)."""
    return page.evaluate("""() => {
      const app = window.cellulesApp;
      const load = app.render_all.__func__.__globals__.get("__builtins__").get("__import__");
      return load("app.core.live", null, null, ["digest"]).digest(app.session.state);
    }""")


def connect_fresh(alice, bob) -> None:
    """A new session from closed dialogs: Alice invites, Bob answers by paste, Alice reads the answer."""
    read_answer(alice, answer(bob, invite(alice)))
    state_is(alice, "up_to_date")
    state_is(bob, "up_to_date")


def state_is(page, status: str) -> None:
    page.wait_for_selector(f"#live-state[data-status={status}]")


def connect(alice, bob) -> None:
    """A new session: Alice's « Reconnecter » shows a new invitation at once, Bob answers by paste,
    Alice reads the answer."""
    alice.click("#live-reconnect")
    alice.wait_for_selector("#live-code")
    assert int(alice.get_attribute("#live-qr", "data-version")) <= 10
    read_answer(alice, answer(bob, alice.input_value("#live-code")))
    state_is(alice, "up_to_date")
    state_is(bob, "up_to_date")


def inject(page, text: str) -> None:
    """What a hostile peer would put on the channel (the newest channel of `page`)."""
    page.evaluate("(text) => window.__fwbwChannels[0].send(text)", text)


def test_devices_connect_merge_follow_edits_and_conflicts_refuse_what_a_file_is_refused_and_make_a_star(
        make_context, server):
    _, alice, _ = boot(make_context, server, now_ms=T0, init_scripts=(CHANNELS,))
    _, bob, _ = boot(make_context, server, now_ms=T0, init_scripts=(CHANNELS,))
    for page, name, cellule in ((alice, "Alice", "Vélo Liège"), (bob, "Bob", "Jardin Namur")):
        rename(page, name)
        page.click("#tab-cellules")
        create_cellule(page, cellule, "liege" if name == "Alice" else "namur")

    # Alice shows her invitation; Bob pastes it and shows his answer
    open_live(alice)
    shoot(alice, "live-start")
    offer = invite(alice)
    assert offer.startswith("FWBW:")
    shoot(alice, "live-offer")
    reply = answer(bob, offer)
    assert reply.startswith("FWBW:") and reply != offer
    state_is(bob, "waiting")
    assert bob.text_content("#live-state") == t("lv.alone", "fr", status="en attente")
    # nobody read Bob's answer for 15 s: the dialog says why, and offers the animated QR instead
    bob.clock.fast_forward(15_000)
    bob.wait_for_selector("#live-help")
    assert t("lv.no_link", "fr", seconds=15) in bob.text_content("#live-help")
    assert bob.is_visible("#live-help [data-action=anim-open]")
    shoot(bob, "live-answer-no-link")

    # Alice reads the answer: connected; each sees the other's data as the usual preview, by name
    read_answer(alice, reply)
    alice.wait_for_selector("#live-preview")
    bob.wait_for_selector("#live-preview")
    assert alice.text_content("#live-state") == t("lv.with", "fr", name="Bob", status="connecté")
    assert bob.text_content("#live-state") == t("lv.with", "fr", name="Alice", status="connecté")
    assert bob.query_selector("#live-help") is None
    assert "Jardin Namur" in alice.text_content("#live-plan-list")
    assert "Vélo Liège" in bob.text_content("#live-plan-list")
    assert alice.query_selector("#live-dialog [data-action=do-replace], #live-dialog #live-replace") is None
    shoot(alice, "live-preview")

    # « Fusionner » on both sides: the same data, « à jour » on both
    alice.click("#live-merge")
    bob.click("#live-merge")
    state_is(alice, "up_to_date")
    state_is(bob, "up_to_date")
    assert alice.text_content("#live-state") == t("lv.with", "fr", name="Bob", status="à jour")
    shoot(bob, "live-up-to-date")
    for page in (alice, bob):
        page.click("#live-background")
        page.wait_for_selector("#live-bar:not([hidden]) .live-bar-row[data-status=up_to_date]")
    assert names(alice) == names(bob) == ["Jardin Namur", "Vélo Liège"]
    shoot(alice, "live-bar")

    # a live edit on one side reaches the other; both are « à jour » again
    create_cellule(alice, "Atelier couture", "liege")
    bob.wait_for_selector("#cellule-list .cellule-name:text-is('Atelier couture')")
    for page in (alice, bob):
        page.wait_for_selector("#live-bar .live-bar-row[data-status=up_to_date]")
    assert names(bob) == ["Atelier couture", "Jardin Namur", "Vélo Liège"]

    # a conflict made while connected shows on both sides
    conflict_while_connected(alice, bob)

    # a code works once: the same answer, or the same invitation, again is refused
    open_live(alice, reply)
    said(alice, say('live.code_used'))
    open_live(bob, offer)
    said(bob, say('live.code_used'))
    state_is(bob, "up_to_date")

    # hostile messages on the channel end the session, refused like a file, by the same codes
    inject(bob, "x" * 62_049)
    said(alice, say('live.message_size', size=62_049, limit=62_048))
    state_is(alice, "interrupted")
    said(bob, t('live.peer_ended', 'fr', name='Alice'))
    state_is(bob, "interrupted")
    assert alice.text_content("#live-state") == t("lv.with", "fr", name="Bob", status="interrompu")
    shoot(alice, "live-refused")

    connect(alice, bob)  # resumed: nothing changed, nothing to preview
    assert alice.query_selector("#live-preview") is None
    inject(bob, json.dumps({"t": "hello", "n": 99, "v": 1, "id": "Cmallory", "name": "Mallory", "digest": "0" * 32,
                            "points": []}))
    said(alice, say('live.identity', claimed='Cmallory', name='Bob'))
    state_is(alice, "interrupted")

    connect(alice, bob)
    bob_id = bob.evaluate("window.cellulesApp.session.state.instance_id")
    ahead = actions.new_state(name="Bob", random_bytes=bytes(16))
    ahead = dataclasses.replace(ahead, instance_id=bob_id)
    ahead, _ = actions.create_cellule(ahead, {"nodeId": NODES[0], "name": "Horloge en avance"},
                                      now_ms=T0 + 2 * DAY_MS, random_bytes=bytes(range(16)))
    doc = document.dumps(document.to_document(ahead, kind="full", now_ms=T0))
    bob.evaluate("window.__fwbwMuted = true")  # Bob's page speaks alone: its own session hears nothing
    inject(bob, json.dumps({"t": "data", "n": 99, "seq": 1, "part": 0, "parts": 1, "last": True, "digest": "1" * 32})
           + "\n" + doc)
    alice.wait_for_selector("#live-preview .plan.refused:has-text('Horloge en avance')")
    alice.click("#live-decline")
    state_is(alice, "interrupted")
    bob.evaluate("window.__fwbwMuted = false")
    alice.click("#live-close")
    assert "Horloge en avance" not in names(alice)

    # a code past its ten minutes is refused
    late = invite(alice)
    alice.clock.fast_forward(11 * 60_000)
    read_answer(alice, answer(bob, late))
    said(alice, say('live.code_expired', minutes=10))

    # three phones in a star around one organiser converge
    _, carla, _ = boot(make_context, server, now_ms=alice.evaluate("Date.now()"), init_scripts=(CHANNELS,))
    rename(carla, "Carla")
    carla.click("#tab-cellules")
    create_cellule(carla, "Potager Mons", "mons")
    star_around_an_organiser(alice, bob, carla)
    an_atelier_waits_for_its_cellule(alice, carla)


def plain(page, selector: str) -> str:
    return " ".join(page.text_content(selector).replace("\u00a0", " ").split())


def test_two_devices_of_one_group_sync_live_as_a_file_between_them_would(make_context, server):
    """The association's laptop and a volunteer's phone, both restored from the group's backup, each
    having written since: they connect; each preview names « votre autre appareil » (never « Mon
    asso »), the changed cellule ticked, what the other device created apart and UNTICKED. The laptop
    ticks the phone's cellule, the phone leaves the laptop's aside: never « à jour », each side says
    what differs. « Reconnecter », the phone ticks it: both « à jour », the same data. A cellule made
    on the phone while connected is offered on the laptop alone, unticked. A second tab of the laptop
    is this very device: its code is refused, and with the code book gone, the session itself."""
    backup = peer_export(["Local de la rue Haute"], seed=11, instance="Mon asso")
    _, laptop, _ = boot(make_context, server, now_ms=T0, init_scripts=(CHANNELS,))
    _, phone, _ = boot(make_context, server, now_ms=T0, init_scripts=(CHANNELS,))
    for page in (laptop, phone):
        restore(page, backup)
        page.click("#tab-cellules")
    edit_cellule(phone, "Local de la rue Haute", description="Ouvert le mardi soir")
    create_cellule(phone, "Créée sur le téléphone", "mons")
    create_cellule(laptop, "Créée sur l’ordinateur", "liege")

    read_answer(laptop, answer(phone, invite(laptop)))
    for page in (laptop, phone):
        page.wait_for_selector("#live-preview #live-device-list")
        assert page.text_content("#live-state") == t("lv.with_other_device", "fr", status="connecté")
        assert "Mon asso" not in page.text_content("#live-dialog")
        assert page.locator("#live-device-list input[data-adopt]:not(:checked)").count() == 1
        assert page.locator("#live-device-list input:checked").count() == 0
    assert plain(laptop, "#live-preview-summary").startswith("En direct depuis votre autre appareil : ")
    assert "Local de la rue Haute" in laptop.text_content("#live-plan-list")  # the phone's edit, ticked
    assert laptop.text_content("#live-device-list").split() == ["cellule", "Créée", "sur", "le", "téléphone"]
    assert plain(laptop, "#live-device-created > p") == " ".join(t("lv.device_explain", "fr", n=1).split())
    assert phone.text_content("#live-device-list").split() == ["cellule", "Créée", "sur", "l’ordinateur"]
    shoot(laptop, "live-other-device-preview", "#live-device-created")
    shoot(phone, "live-other-device-preview-phone", "#live-device-created")

    # the laptop ticks the phone's cellule; the phone leaves the laptop's aside: they differ, and say how
    laptop.check("#live-device-list input[data-adopt]")
    laptop.click("#live-merge")
    phone.click("#live-merge")
    state_is(laptop, "apart")
    state_is(phone, "apart")
    assert phone.text_content("#live-state") == t("lv.with_other_device", "fr", status=t(
        "live.status.apart", "fr", what=t("live.apart.aside", "fr", n=1)))
    assert laptop.text_content("#live-state") == t("lv.with_other_device", "fr", status=t(
        "live.status.apart", "fr", what=t("live.apart.peer_aside", "fr", n=1)))
    assert phone.text_content("#live-aside") == t("lv.aside_hint", "fr")
    assert laptop.text_content("#live-peer_aside") == t("lv.peer_aside_hint", "fr")
    shoot(phone, "live-other-device-aside")
    assert digest_of(laptop) != digest_of(phone)
    phone.click("#live-stop")
    said(laptop, t("live.peer_ended_other_device", "fr"))
    phone.click("#live-close")
    assert names(phone) == ["Créée sur le téléphone", "Local de la rue Haute"]
    phone.click("#tab-exchange")  # the session's journal entry: from « votre autre appareil », what was left aside
    entry = plain(phone, "#journal .journal-entry:has-text('votre autre appareil')")
    assert entry.startswith("Fusion depuis votre autre appareil") or " Fusion depuis votre autre appareil" in entry
    assert "1 laissé de côté." in entry and "fichier" not in entry, entry
    phone.click("#tab-cellules")

    # « Reconnecter »: the phone is offered the laptop's cellule again and ticks it: both « à jour »
    laptop.click("#live-reconnect")
    laptop.wait_for_selector("#live-code")
    read_answer(laptop, answer(phone, laptop.input_value("#live-code")))
    phone.wait_for_selector("#live-device-list input[data-adopt]:not(:checked)")
    phone.check("#live-device-list input[data-adopt]")
    phone.click("#live-merge")
    laptop.wait_for_selector("#live-preview")
    laptop.click("#live-merge")
    for page in (laptop, phone):
        state_is(page, "up_to_date")
        assert page.text_content("#live-state") == t("lv.with_other_device", "fr", status="à jour")
    assert digest_of(laptop) == digest_of(phone)

    # made on the phone while connected: offered on the laptop alone, unticked, then ticked and merged
    phone.click("#live-background")
    create_cellule(phone, "Encore une", "mons")
    laptop.wait_for_selector("#live-device-list input[data-adopt]:not(:checked)")
    assert plain(laptop, "#live-device-created > p") == " ".join(t("lv.offers_hint", "fr").split())
    assert laptop.query_selector("#live-decline") is None and laptop.query_selector("#live-preview-summary") is None
    shoot(laptop, "live-other-device-later", "#live-device-created")
    laptop.check("#live-device-list input[data-adopt]")
    laptop.click("#live-merge")
    state_is(laptop, "up_to_date")
    phone.wait_for_selector("#live-bar .live-bar-row[data-status=up_to_date]")
    assert phone.text_content("#live-bar .live-bar-row span") == t("lv.bar_other_device", "fr", status="à jour")
    assert digest_of(laptop) == digest_of(phone)
    laptop.click("#live-close")
    assert names(laptop) == ["Créée sur le téléphone", "Créée sur l’ordinateur", "Encore une", "Local de la rue Haute"]
    assert card(laptop, "Créée sur le téléphone").locator(".badge").count() == 0  # the group's own, not FÉDÉRÉ
    assert names(phone) == names(laptop)

    # a second tab of the laptop is this very device
    tab = laptop.context.new_page()
    tab.on("dialog", lambda d: d.accept())
    tab.goto(server.url)
    wait_ready(tab)
    # (a page in the background draws no frames: each page comes to the front before it is used)
    laptop.bring_to_front()
    offer = invite(laptop)
    tab.bring_to_front()
    open_live(tab, offer)
    said(tab, say("live.code_own"))
    tab.click("#live-close")
    # past the code book (the tab answers as if it had never seen the laptop's): the session refuses it
    book = tab.evaluate("localStorage.getItem('cellules-live-codes')")
    tab.evaluate("localStorage.removeItem('cellules-live-codes')")
    reply = answer(tab, offer)
    tab.evaluate("(book) => localStorage.setItem('cellules-live-codes', book)", book)
    laptop.bring_to_front()
    read_answer(laptop, reply)
    said(laptop, say("live.same_device"), "live.same_device")
    laptop.click("#live-close")
    held = names(laptop)
    tab.bring_to_front()
    said(tab, say("live.same_device"), "live.same_device")
    shoot(tab, "live-same-device")
    tab.click("#live-close")
    assert names(tab) == held  # nothing taken, nothing lost


def test_a_device_reads_the_invitation_through_its_camera(make_context, server, tmp_path):
    """Bob's camera films Alice's invitation (a Y4M video of its QR code; jsQR reads it, the browser has
    no BarcodeDetector): « Échanger »'s scanner recognises the FWBW: code, releases the camera and opens
    « Synchroniser en direct » showing Bob's answer; Alice reads it; they connect, merge, « à jour »."""
    _, alice, _ = boot(make_context, server, now_ms=T0)
    rename(alice, "Alice")
    alice.click("#tab-cellules")
    create_cellule(alice, "Vélo Liège", "liege")
    offer = invite(alice)
    frame = camera_frame(Image.open(io.BytesIO(qr.png(qr.make(offer)))))
    video = tmp_path / "invitation.y4m"
    write_y4m(video, [frame] * 10, fps=5)
    with fake_camera(clocked(make_context), server, video) as (bob, offsite):
        rename(bob, "Bob")
        bob.click("#tab-exchange")
        bob.click("#scan-camera")
        bob.wait_for_selector("#live-dialog[open] #live-code")
        assert bob.evaluate("document.getElementById('scan-video').srcObject") is None  # camera released
        reply = bob.input_value("#live-code")
        assert reply.startswith("FWBW:") and reply != offer
        assert int(bob.get_attribute("#live-qr", "data-version")) <= 10
        state_is(bob, "waiting")
        shoot(bob, "live-camera-answer")
        read_answer(alice, reply)
        bob.wait_for_selector("#live-preview")  # Bob holds nothing: Alice has nothing to preview
        assert "Vélo Liège" in bob.text_content("#live-plan-list")
        bob.click("#live-merge")
        state_is(alice, "up_to_date")
        state_is(bob, "up_to_date")
        bob.click("#live-close")
        assert names(bob) == ["Vélo Liège"]
        assert digest_of(alice) == digest_of(bob)
        assert offsite == []
