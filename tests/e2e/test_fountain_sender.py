"""« Montrer en QR animé »: « Tout exporter » or « Cellules seules », the speed setting,
and the loop stopping when the dialog closes."""

from __future__ import annotations

import base64
import io
import json
import zlib

import zxingcpp
from camera import CAPTURE, T0, association, clocked, open_sender
from conftest import ROOT
from driver import new_app
from PIL import Image

from app.core import fountain, payload, qr


def read_shown(page, limit: int = 80) -> dict:
    """Read the frames the dialog shows (as a phone would) until they decode: the document."""
    receiver, last = fountain.Receiver(), None
    for _ in range(limit):
        last, _, url = page.evaluate(CAPTURE, last)
        image = Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))).convert("L")
        if receiver.feed(zxingcpp.read_barcodes(image)[0].text).status == "done":
            return json.loads(payload.inflate(receiver.result()))
    raise AssertionError("the frames shown never decoded")


def positions_during(page, ms: int) -> int:
    """How many frames the loop moved on while the (paused) clock ran `ms`."""
    before = int(page.get_attribute("#anim-image", "data-index"))
    page.clock.run_for(ms)
    return int(page.get_attribute("#anim-image", "data-index")) - before


def test_the_sender_shows_either_export_at_the_chosen_speed_and_stops_when_closed(make_context, server, tmp_path):
    state = association(6, 12, seed=3)
    page = open_sender(clocked(make_context), server, state, tmp_path)
    assert "Tout exporter" in page.text_content("#anim-title")
    full = read_shown(page)
    assert full["kind"] == "full" and len(full["cellules"]) == 6 and len(full["ateliers"]) == 12
    full_id = page.get_attribute("#anim-image", "data-transfer")

    page.click("#anim-cellules")
    page.wait_for_function("document.getElementById('anim-title').textContent.includes('Cellules seules')")
    assert page.get_attribute("#anim-cellules", "aria-pressed") == "true"
    assert page.get_attribute("#anim-full", "aria-pressed") == "false"
    assert page.get_attribute("#anim-image", "data-transfer") != full_id
    light = read_shown(page)
    assert light["kind"] == "cellules" and light["ateliers"] == []
    assert {c["id"] for c in light["cellules"]} == set(state.cellules)

    # the clock stops: a speed chosen now starts its loop now, and 3.1 s of it are exactly so many frames
    page.clock.pause_at(T0 / 1000 + 3600)
    page.select_option("#anim-speed", "slow")
    assert positions_during(page, 3100) == 9  # 3 frames a second: one every 333 ms
    page.select_option("#anim-speed", "fast")
    assert positions_during(page, 3100) == 24  # 8 frames a second: one every 125 ms

    page.keyboard.press("Escape")  # closing the dialog (any way) stops the loop
    page.wait_for_selector("#anim-dialog[open]", state="detached")
    assert positions_during(page, 3100) == 0


def test_a_frame_of_a_newer_format_asks_for_an_update_and_changes_nothing(make_context, server, tmp_path):
    t = fountain.Transfer.of(payload.compress({"version": "1.0"}), block_size=100)
    raw = payload.b45decode(t.frame(0)[len(fountain.PREFIX):])
    body = bytes([2]) + raw[1:-4]
    newer = fountain.PREFIX + payload.b45encode(body + zlib.crc32(body).to_bytes(4, "big"))
    photo = tmp_path / "newer.png"
    photo.write_bytes(qr.png(qr.make_frame(newer), scale=4))
    _, page, _ = new_app(make_context, server)
    page.click("#tab-exchange")
    page.set_input_files("#scan-image", str(photo))
    page.wait_for_function("(document.getElementById('import-error')?.textContent || '').includes('mettez "
                           "l’application à jour')")
    assert "format 2" in page.text_content("#import-error")
    assert page.locator("#preview").count() == 0


def test_axe_finds_no_serious_violation_in_the_animated_qr_or_the_scanner_progress(make_context, server, tmp_path):
    axe = (ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text()
    _, page, _ = new_app(make_context, server, bypass_csp=True)  # to inject axe-core
    page.click("#tab-exchange")
    page.click("#export-qr")
    page.wait_for_selector("#anim-dialog[open] #anim-image[data-index]")
    page.add_script_tag(content=axe)
    run = "axe.run(document).then(r => r.violations.map(v => [v.id, v.impact, v.nodes.length]))"
    found = [v for v in page.evaluate(run) if v[1] in ("serious", "critical")]
    page.click("#anim-close")
    # one frame of four read from a photo: the scanner shows its progress
    t = fountain.Transfer.of(bytes(range(256)) * 2, block_size=128)
    photo = tmp_path / "frame.png"
    photo.write_bytes(qr.png(qr.make_frame(t.frame(2)), scale=4))
    page.set_input_files("#scan-image", str(photo))
    page.wait_for_function("document.getElementById('scan-status').textContent.startsWith('25 % — gardez')")
    assert page.is_visible("#scan-progress")
    found += [v for v in page.evaluate(run) if v[1] in ("serious", "critical")]
    assert found == []
