"""An import that fails, on a phone (390×844): the message appears just below the control the user used
(file chooser, « Analyser le texte collé », the address, the camera, the photo), inside the viewport, and the
focus goes to the message (never into « Coller le texte reçu », whose keyboard would cover it on a phone).
#import-error stays the message's id whatever the path. Screenshots: build/screenshots/web2-import-error-*.png."""

from __future__ import annotations

from conftest import boot
from driver import PHONE, shoot

# Where the message is, against the control used: gap (px) between the control's bottom and the message's
# top, whether the message is inside the viewport, and what has the focus.
PLACE = """(control) => {
    const e = document.getElementById('import-error'), c = document.querySelector(control);
    const r = e.getBoundingClientRect(), rc = c.getBoundingClientRect(), a = document.activeElement;
    return {gap: Math.round(r.top - rc.bottom), inView: r.height > 0 && r.top >= -1 && r.bottom <= innerHeight + 1,
            text: e.textContent.trim(), top: r.top, bottom: r.bottom, y: scrollY,
            focus: a ? (a.id || a.tagName) : null};
}"""
EMPTY = "Rien à importer\u00a0: le texte collé ou le fichier est vide."
WAIT_ERROR = "() => document.getElementById('import-error').textContent.trim() !== ''"


def fresh(page) -> None:
    """A new attempt: the exchange view scrolled to its top, no message left."""
    page.locator("#tab-cellules").tap()
    page.locator("#tab-exchange").tap()
    page.wait_for_function("(document.getElementById('import-error')?.textContent ?? '') === ''")
    page.evaluate("window.scrollTo(0, 0)")


def check(page, control: str, label: str) -> str:
    """After an import failed: its message just below `control` (the control used, or its row), in sight,
    focused (app/web/feedback.message_near)."""
    page.wait_for_function(WAIT_ERROR, timeout=20_000)
    place = page.evaluate(PLACE, control)
    assert 0 <= place["gap"] <= 40, f"{label}: the message is {place['gap']} px from {control}: {place}"
    assert place["inView"], f"{label}: the message is out of sight: {place}"
    assert place["focus"] == "import-error", f"{label}: the focus went to {place['focus']}"
    shoot(page, f"web2-import-error-{label}", focus="#import-error")
    return place["text"]


def test_an_import_error_appears_next_to_the_control_used(make_context, server, tmp_path):
    _, page, watch = boot(make_context, server, **PHONE)
    empty = tmp_path / "vide.json"
    empty.write_text("", "utf-8")
    blank = tmp_path / "photo.png"
    blank.write_bytes(_white_png())

    fresh(page)
    page.locator("#import-file").scroll_into_view_if_needed()
    page.set_input_files("#import-file", str(empty))
    assert check(page, "#import-file", "file") == EMPTY

    fresh(page)
    page.fill("#import-text", "bonjour, voici nos cellules")
    page.locator("#import-paste").scroll_into_view_if_needed()
    page.locator("#import-paste").tap()
    assert check(page, "#import-paste", "paste") == (
        "Ce texte n’est ni un export de Cellules FWB, ni un code reçu («\u00a0FWB1:…\u00a0»), ni un lien d’import.")

    fresh(page)
    page.fill("#import-url", "ftp://exemple.org/cellules.json")
    page.locator("#import-url-go").scroll_into_view_if_needed()
    page.locator("#import-url-go").tap()
    assert check(page, "#import-url-row", "url") == (
        "Adresse refusée «\u00a0ftp://exemple.org/cellules.json\u00a0»\u00a0: seules les adresses http:// ou https:// "
        "sont acceptées.")

    fresh(page)
    page.locator("#scan-image").scroll_into_view_if_needed()
    page.set_input_files("#scan-image", str(blank))
    assert check(page, "#scan-image", "photo") == "Aucun QR code trouvé dans cette image."

    fresh(page)  # no camera on this machine: the camera's own message, below its button
    page.locator("#scan-camera").scroll_into_view_if_needed()
    page.locator("#scan-camera").tap()
    assert check(page, "#scan-camera", "camera") == (
        "Aucune caméra trouvée sur cet appareil\u00a0: lisez plutôt une photo ou une capture du QR code.")
    assert page.text_content("#scan-status").strip() == ""  # not « Visez le QR code… » under « no camera »

    # a new attempt through another control: the old message does not stay behind at the old place
    fresh(page)
    page.set_input_files("#import-file", str(empty))
    assert check(page, "#import-file", "file-again") == EMPTY
    assert page.locator("#import-error").count() == 1
    assert watch.errors == []


def _white_png() -> bytes:
    """A small white image: a photo with no QR code in it."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    width = height = 64
    rows = b"".join(b"\x00" + b"\xff" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
