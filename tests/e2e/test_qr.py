"""QR codes and links in the browser: show, download, scan an image, scan with the (fake)
camera, multi-part frames, app links that open the import preview."""

from __future__ import annotations

import io
import random

import zxingcpp
from camera import fake_camera
from conftest import wait_ready
from driver import create_cellule, new_app
from peers import T0, peer_state
from PIL import Image

from app.core import document, payload, qr


def test_show_qr_download_png_and_it_decodes_to_the_cellule(make_context, server, tmp_path):
    _, page, _ = new_app(make_context, server)
    create_cellule(page, "Cellule à scanner", place="namur", description="Réparations " * 25,
                   contact="contact@example.be")
    page.click("li.cellule [data-action=show-qr]")
    page.wait_for_selector("#qr-dialog[open] #qr-image")
    assert int(page.get_attribute("#qr-image", "data-version")) <= 20
    with page.expect_download() as info:
        page.click("#qr-png")
    path = tmp_path / "qr.png"
    info.value.save_as(path)
    text = zxingcpp.read_barcodes(Image.open(path).convert("L"))[0].text
    incoming = document.read_document(document.parse_text(payload.read_any(text)))
    assert [c.name for c in incoming.cellules.values()] == ["Cellule à scanner"]
    link = page.input_value("#qr-link")
    assert link.startswith(server.url) and "#import=FWB1" in link
    # The code holds the app link itself: a phone's camera app opens it like any web address.
    assert text == link and page.get_attribute("#qr-image", "data-holds") == "link"
    page.click("[data-action=close-qr]")
    page.wait_for_selector("#qr-dialog[open]", state="detached")
    _, other, _ = new_app(make_context, server)
    other.goto(text)  # what the camera app does with the scanned address
    other.wait_for_selector("#preview")
    assert other.locator(".plan.new .plan-label").all_text_contents() == ["Cellule à scanner"]


def test_reading_a_qr_photo_goes_to_the_preview_then_imports(make_context, server, tmp_path):
    state = peer_state()
    text = payload.encode(qr.cellule_document(state, next(iter(state.cellules)), now_ms=T0))
    photo = tmp_path / "photo.png"
    photo.write_bytes(qr.png(qr.make(text), scale=6))
    _, page, _ = new_app(make_context, server)
    page.click("#tab-exchange")
    page.set_input_files("#scan-image", str(photo))
    page.wait_for_selector("#preview")
    assert page.locator(".plan.new .plan-label").all_text_contents() == ["Cellule scannée 0"]
    page.click("#do-merge")
    page.wait_for_selector("#report")
    page.click("#tab-cellules")
    assert page.locator(".cellule-name").all_text_contents() == ["Cellule scannée 0"]
    # An image with no QR code: a clear message.
    blank = tmp_path / "blank.png"
    Image.new("RGB", (200, 200), "white").save(blank)
    page.click("#tab-exchange")
    page.set_input_files("#scan-image", str(blank))
    page.wait_for_function("(document.getElementById('import-error')?.textContent || '').includes('Aucun QR')")


def test_multi_part_frames_in_any_order_with_progress(make_context, server, tmp_path):
    state = peer_state(30)
    texts = qr.frames(payload.encode(document.to_document(state, now_ms=T0)))
    assert len(texts) >= 2
    order = list(range(len(texts)))
    random.Random(1).shuffle(order)
    _, page, _ = new_app(make_context, server)
    page.click("#tab-exchange")
    for n, i in enumerate(order, 1):
        image = tmp_path / f"frame-{i}.png"
        image.write_bytes(qr.png(qr.make(texts[i]), scale=4))
        page.set_input_files("#scan-image", str(image))
        if n < len(order):
            page.wait_for_function(f"document.getElementById('scan-status').textContent.startsWith('{n} image')")
    page.wait_for_selector("#preview")
    assert "30 nouveau" in page.text_content("#preview-summary")


def test_an_app_link_opens_the_preview_and_never_imports_silently(make_context, server):
    state = peer_state()
    link = payload.make_link(server.url, payload.encode(document.to_document(state, kind="cellules", now_ms=T0)))
    context, page, _ = new_app(make_context, server)
    page.goto(link)
    wait_ready(page)
    page.wait_for_selector("#preview")
    assert "#import=" not in page.url  # read once, then dropped from the address bar
    assert page.locator(".plan.new .plan-label").all_text_contents() == ["Cellule scannée 0"]
    page.click("#tab-cellules")
    assert page.locator("li.cellule").count() == 0  # nothing imported before the user chooses
    # a damaged link says so
    page.goto(link[:-12])
    wait_ready(page)
    page.wait_for_function("(document.getElementById('import-error')?.textContent || '').includes('abîmé')")


def write_y4m(path, image: Image.Image, frames: int = 30) -> None:
    """A short Y4M video (YUV 4:2:0) showing `image`: Chromium plays it as the camera."""
    gray = image.convert("L")
    w, h = gray.size
    w, h = w - w % 2, h - h % 2
    gray = gray.crop((0, 0, w, h))
    chroma = bytes([128]) * ((w // 2) * (h // 2))
    with open(path, "wb") as f:
        f.write(f"YUV4MPEG2 W{w} H{h} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            f.write(b"FRAME\n" + gray.tobytes() + chroma + chroma)


def test_camera_scan_with_a_fake_camera_uses_jsqr(make_context, server, tmp_path):
    state = peer_state()
    text = payload.encode(qr.cellule_document(state, next(iter(state.cellules)), now_ms=T0))
    code = Image.open(io.BytesIO(qr.png(qr.make(text), scale=5)))
    canvas = Image.new("RGB", (640, 480), "white")
    canvas.paste(code.resize((440, 440)), (100, 20))
    video = tmp_path / "camera.y4m"
    write_y4m(video, canvas)
    with fake_camera(make_context, server, video) as (page, offsite):
        page.click("#tab-exchange")
        page.click("#scan-camera")
        page.wait_for_selector("#preview", timeout=60_000)
        assert page.locator(".plan.new .plan-label").all_text_contents() == ["Cellule scannée 0"]
        assert page.evaluate("document.getElementById('scan-video').srcObject") is None  # camera released
        assert offsite == []


def test_without_a_camera_the_message_is_french_and_clear(make_context, server):
    _, page, _ = new_app(make_context, server)
    page.click("#tab-exchange")
    page.click("#scan-camera")
    page.wait_for_function("(document.getElementById('import-error')?.textContent || '').length > 0")
    assert page.text_content("#import-error") == (
        "Aucune caméra trouvée sur cet appareil\u00a0: lisez plutôt une photo ou une capture du QR code.")


