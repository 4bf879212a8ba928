"""Animated QR between two phones, end to end in Chromium.

The sender's page shows « Montrer en QR animé » for an export of 50 cellules and 150 ateliers; the
test films its frames (canvas copies of the images it shows), turns them into a Y4M video with a
quarter of the frames dropped, some blurred, two damaged and three of another transfer mixed in,
and a second browser reads that video as its (fake) camera with jsQR: it shows its progress,
decodes the exact export and opens the usual import preview.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import random
import time

import zxingcpp
from camera import CAPTURE, T0, association, camera_frame, clocked, fake_camera, open_sender, write_y4m
from PIL import Image

from app.core import document, fountain, payload, qr


def film_the_sender(page, plain: int, count: int, limit_s: float = 240) -> dict[int, Image.Image]:
    """`count` frames the sender shows, by frame number: every plain one (the loop goes round
    until each was filmed) and the combinations filmed on the way."""
    seen: dict[int, Image.Image] = {}
    last = None
    deadline = time.monotonic() + limit_s
    while (len(seen) < count or not set(range(plain)) <= set(seen)) and time.monotonic() < deadline:
        last, seq, url = page.evaluate(CAPTURE, last)
        seen[int(seq)] = Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1])))
    return seen


def test_a_whole_export_goes_by_animated_qr_through_a_camera_with_frames_lost(make_context, playwright, server,
                                                                                tmp_path):
    state = association(50, 150)
    sender = open_sender(clocked(make_context), server, state, tmp_path)
    assert sender.get_attribute("#anim-full", "aria-pressed") == "true"
    total = int(sender.get_attribute("#anim-image", "data-frames"))
    plain = int(sender.get_attribute("#anim-image", "data-plain"))
    tid = sender.get_attribute("#anim-image", "data-transfer")
    assert total == 2 * plain and plain >= 20
    shot = film_the_sender(sender, plain, total)
    assert len(shot) >= total and set(range(plain)) <= set(shot), f"filmed {sorted(shot)}"
    sender.click("#anim-close")
    sender.wait_for_selector("#anim-dialog[open]", state="detached")
    index = sender.get_attribute("#anim-image", "data-index")
    sender.clock.run_for(2_000)  # ten frames' time at 5 a second
    assert sender.get_attribute("#anim-image", "data-index") == index  # the loop stopped with the dialog

    # What the frames say, read by an independent decoder (zxing-cpp): one transfer, the export.
    texts = {i: zxingcpp.read_barcodes(image.convert("L"))[0].text for i, image in shot.items()}
    assert {fountain.parse(t).tid.hex() for t in texts.values()} == {tid}
    assert all(fountain.parse(t).seq == i for i, t in texts.items())
    sent = payload.inflate(fountain.decode_lines(texts[i] for i in sorted(texts)))
    sent_doc = json.loads(sent)
    assert sent_doc["kind"] == "full" and len(sent_doc["cellules"]) == 50 and len(sent_doc["ateliers"]) == 150
    assert {c["id"] for c in sent_doc["cellules"]} == set(state.cellules)
    assert {a["id"]: a["title"] for a in sent_doc["ateliers"]} == {a.id: a.title for a in state.ateliers.values()}
    print(f"\nexport: {len(sent)} bytes of JSON, {fountain.parse(texts[0]).length} compressed, "
          f"{plain} plain frames of {len(texts[0])} characters (QR version {qr.make_frame(texts[0]).version}-L)")

    # The video: the sender's loop, a quarter of the frames dropped, some blurred, plus 2 damaged
    # frames and 3 frames of another association's transfer.
    rnd = random.Random(17)
    order = sorted(shot)  # the sender's order: plain frames, then combinations
    kept = sorted(rnd.sample(order, len(order) - len(order) // 4))
    blurred = set(rnd.sample(kept, len(kept) // 6))
    video = [camera_frame(shot[i], blur=1.6 if i in blurred else 0.0) for i in kept]
    other = qr.animated_transfer(document.to_document(association(30, 60, seed=5, name="Voisins"), now_ms=T0))
    assert other.count > 3
    for k in range(3):
        video.insert(5 + 9 * k, camera_frame(Image.open(io.BytesIO(qr.png(qr.make_frame(other.frame(k)))))))
    body = texts[kept[3]][len(fountain.PREFIX):]
    for k, damaged in enumerate((fountain.PREFIX + body[:200] + ("Z" if body[200] != "Z" else "Y") + body[201:],
                                 texts[kept[4]][:-30])):
        video.insert(3 + 7 * k, camera_frame(Image.open(io.BytesIO(qr.png(qr.make_frame(damaged))))))
    path = tmp_path / "camera.y4m"
    write_y4m(path, video, fps=5)
    assert path.stat().st_size < 30_000_000

    with fake_camera(make_context, server, path) as (page, offsite):
        page.click("#tab-exchange")
        page.evaluate("""() => { window.statuses = []; const s = document.getElementById('scan-status');
          new MutationObserver(() => window.statuses.push(s.textContent))
            .observe(s, {childList: true, characterData: true, subtree: true}); }""")
        started = time.monotonic()
        page.click("#scan-camera")
        page.wait_for_selector("#preview", timeout=180_000)
        took = time.monotonic() - started
        statuses = page.evaluate("window.statuses")
        progress = [int(s.split(" %")[0]) for s in statuses if "% — " in s]
        assert any("% — gardez le téléphone face à l’écran" in s for s in statuses), statuses
        assert progress and progress == sorted(progress) and 0 < progress[0] and progress[-1] < 100
        assert page.get_attribute("#scan-status", "data-transfer") == tid  # not the neighbours' transfer
        assert page.get_attribute("#scan-status", "data-sha256") == hashlib.sha256(sent).hexdigest()
        summary = page.text_content("#preview-summary")
        assert f"«\u00a0{sent_doc['instanceName']}\u00a0»" in summary and "200 nouveau" in summary
        assert page.evaluate("document.getElementById('scan-video').srcObject") is None  # camera released
        page.click("#do-merge")
        page.wait_for_selector("#report")
        page.click("#tab-cellules")
        assert page.locator("li.cellule").count() == 50
        assert offsite == []
        print(f"decoded after {took:.1f} s of scanning ({len(video)} video frames at 5 per second, looping)")
