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
import json
import os
from pathlib import Path

import pytest
from camera import NODES
from conftest import FLAGS, SharedServer, boot
from driver import create_cellule, names, rename, shoot

from app.core import actions, document
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

# open_live(ctx, code) of app/web/views/live_dialog.py, reached through the app object main.py exposes
# (« Échanger » has no button for it yet)
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


def said(page, text: str) -> None:
    """Wait until the dialog's message is exactly `text`."""
    page.wait_for_function("(t) => document.getElementById('live-error')?.textContent === t", arg=text)


def state_is(page, status: str) -> None:
    page.wait_for_selector(f"#live-state[data-status={status}]")


def connect(alice, bob) -> None:
    """A new session: Alice invites, Bob answers by paste, Alice reads the answer."""
    alice.click("#live-reconnect")
    read_answer(alice, answer(bob, invite(alice)))
    state_is(alice, "up_to_date")
    state_is(bob, "up_to_date")


def inject(page, text: str) -> None:
    """What a hostile peer would put on the channel (the newest channel of `page`)."""
    page.evaluate("(text) => window.__fwbwChannels[0].send(text)", text)


def test_two_devices_connect_merge_follow_edits_and_refuse_what_a_file_is_refused(make_context, server):
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
    assert alice.text_content("#live-state") == t("lv.with", "fr", name="Bob", status="interrompu — reconnecter")
    shoot(alice, "live-refused")

    connect(alice, bob)  # resumed: nothing changed, nothing to preview
    assert alice.query_selector("#live-preview") is None
    inject(bob, json.dumps({"t": "hello", "v": 1, "id": "Cmallory", "name": "Mallory", "digest": "0" * 32,
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
    inject(bob, json.dumps({"t": "data", "seq": 1, "part": 0, "parts": 1, "last": True, "digest": "1" * 32})
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
