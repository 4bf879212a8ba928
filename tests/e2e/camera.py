"""A browser whose camera plays a video, and an association's sender page showing animated QR codes
(not a test module itself)."""

from __future__ import annotations

import json
import random
from contextlib import contextmanager

from conftest import ROOT, wait_ready
from driver import new_app
from PIL import Image, ImageFilter

from app.core import actions, document

T0 = 1_769_594_400_000
NODES = [n[0] for n in json.loads((ROOT / "data" / "fwb_grid.json").read_text())["nodes"]]
WORDS = ("vélo atelier quartier réparation café jardin partage outil couture cuisine lecture musique "
         "solidarité école marché voisin potager jeux").split()

CAPTURE = """async (last) => {
  const img = document.getElementById("anim-image");
  while (img.getAttribute("data-index") === last) await new Promise((r) => setTimeout(r, 5));
  const index = img.getAttribute("data-index"), seq = img.getAttribute("data-seq");
  await img.decode();
  const c = document.createElement("canvas");
  c.width = img.naturalWidth; c.height = img.naturalHeight;
  const ctx = c.getContext("2d");
  ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, c.width, c.height);
  ctx.drawImage(img, 0, 0);
  return [index, seq, c.toDataURL("image/png")];
}"""


@contextmanager
def fake_camera(make_context, server, video):
    """A browser whose camera plays `video` (Y4M), on the app's page: yields (page, off-origin requests)."""
    context, watch = make_context(permissions=["camera"], browser_args=(
        "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={video}"))
    page = context.new_page()
    page.goto(server.url)
    wait_ready(page, watch=watch)
    assert page.evaluate("'BarcodeDetector' in window") is False  # so this exercises jsQR
    yield page, watch.offsite


def association(cellules: int, ateliers: int, seed: int = 0, name: str = "Asso Caméra"):
    rnd = random.Random(seed)
    state = actions.new_state(name=name, random_bytes=rnd.randbytes(16))
    ids = []
    for i in range(cellules):
        text = " ".join(rnd.choice(WORDS) for _ in range(rnd.randrange(8, 40)))
        state, cellule = actions.create_cellule(
            state, {"nodeId": NODES[(i * 37) % len(NODES)], "name": f"Cellule {rnd.choice(WORDS)} {i}",
                    "description": text.capitalize() + ".", "contact": f"contact{i}@example.be"},
            now_ms=T0 + i * 1000, random_bytes=rnd.randbytes(16))
        ids.append(cellule.id)
    for j in range(ateliers):
        state, _ = actions.create_atelier(
            state, {"celluleId": ids[j % len(ids)], "title": f"Atelier {rnd.choice(WORDS)} {j}",
                    "startsAt": f"2026-{2 + j % 9:02d}-{1 + j % 27:02d}T{9 + j % 10:02d}:00:00.000Z",
                    "place": f"Salle {rnd.choice(WORDS)}",
                    "description": " ".join(rnd.choice(WORDS) for _ in range(rnd.randrange(5, 25)))},
            now_ms=T0 + 100_000 + j * 1000, random_bytes=rnd.randbytes(16))
    return state


def open_sender(make_context, server, state, tmp_path):
    """The association's own browser (its data arrives by import, as on a new phone), showing
    « Montrer en QR animé »."""
    _, page, _ = new_app(make_context, server)
    source = tmp_path / "asso.json"
    source.write_text(document.dumps(document.to_document(state, now_ms=T0)))
    page.click("#tab-exchange")
    page.set_input_files("#import-file", str(source))
    page.click("#do-merge")
    page.wait_for_selector("#report")
    page.click("#export-qr")
    page.wait_for_selector("#anim-dialog[open] #anim-image[data-index]")
    return page


def clocked(make_context):
    """make_context whose contexts run on Playwright's clock (flowing from T0): a test can stop it and drive it."""
    def new(**kw):
        context, watch = make_context(**kw)
        context.clock.install(time=T0 / 1000)
        return context, watch
    return new


def camera_frame(png: Image.Image, blur: float = 0.0) -> Image.Image:
    """A QR image as a 640×480 camera would see it (code ~400 px tall, smoothed, maybe blurred)."""
    frame = Image.new("L", (640, 480), 235)
    code = png.convert("L").resize((400, 400), Image.Resampling.BILINEAR)
    if blur:
        code = code.filter(ImageFilter.GaussianBlur(blur))
    frame.paste(code, (120, 40))
    return frame


def write_y4m(path, frames: list[Image.Image], fps: int) -> None:
    w, h = frames[0].size
    chroma = bytes([128]) * ((w // 2) * (h // 2))
    with open(path, "wb") as f:
        f.write(f"YUV4MPEG2 W{w} H{h} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        for image in frames:
            f.write(b"FRAME\n" + image.tobytes() + chroma + chroma)
