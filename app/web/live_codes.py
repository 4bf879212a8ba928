"""Live sync's codes on screen: making one (our offer or answer, after ICE gathering), showing it
(a QR code of version ≤ 10 at level M and the same `FWBW:` text to copy), and reading the other
device's (camera and photo through static/camera.js, as the import box's QR reader does, or paste).

`read` checks a code (app.core.live_code.decode: damaged, expired, from the future…) and takes it
in the device's CodeBook (app/web/live.py): an invitation is answered once; an answer completes
one invitation of ours, once, before it expires by this device's own clock.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Callable

import js  # type: ignore[import-not-found]
from pyodide.ffi import create_proxy  # type: ignore[import-not-found]

from app.core import live_code
from app.core.errors import LiveError
from app.web.context import Context
from app.web.dom import by_id, el
from app.web.live import book, keep_book, now_ms


async def invite(link) -> str:
    """Our offer's code (after ICE gathering), remembered as issued. `link`: an app.web.live_link.Link."""
    sdp = await link.transport.offer()
    now = now_ms()
    code = live_code.make_offer(sdp, session=os.urandom(live_code.SESSION_BYTES), now_ms=now)
    keep_book(book().issue(code, now_ms=now))
    link.offer_session = code.session
    link.code = live_code.encode(code)
    return link.code


async def answer(link, offer: live_code.LiveCode) -> str:
    """Our answer's code to `offer` (which `read` took already)."""
    sdp = await link.transport.answer(live_code.description(offer))
    link.code = live_code.encode(live_code.make_answer(sdp, offer, now_ms=now_ms()))
    return link.code


def read(text: str) -> live_code.LiveCode:
    """A scanned or pasted code, checked (LiveError says what is wrong) and taken in the book."""
    now = now_ms()
    code = live_code.decode(text, now_ms=now)
    taken = book().take_offer(code, now_ms=now) if code.kind == "offer" else book().take_answer(code, now_ms=now)
    keep_book(taken)
    return code


def button(live_action: str, text: str, **attrs):
    """A control of the live dialog (`data-live`: handled by the dialog itself)."""
    return el("button", {"type": "button", "data-live": live_action, "id": f"live-{live_action}", **attrs,
                         "text": text})


def code_box(ctx: Context, code: str, intro: str) -> list:
    """The code as a QR image (its version in data-version) and as text to copy."""
    from app.core import qr  # segno: imported when a code is first drawn, not at boot

    image = qr.make(code)
    svg = base64.b64encode(qr.svg(image, scale=8).encode()).decode()
    return [el("img", {"id": "live-qr", "src": "data:image/svg+xml;base64," + svg, "alt": ctx.t("lv.qr_alt"),
                       "width": "320", "height": "320", "data-version": str(image.version),
                       "style": "width:min(320px,80vw);height:auto;display:block;margin:0 auto"}),
            el("p", {"text": ctx.t(intro)}),
            el("label", {"for": "live-code", "text": ctx.t("lv.code_label")}),
            el("textarea", {"id": "live-code", "readonly": True, "rows": "3", "value": code,
                            "style": "font-family:monospace;word-break:break-all"}),
            el("div", {"class": "row copy-row"}, button("copy", ctx.t("lv.copy"), **{"class": "secondary"}),
               el("span", {"id": "live-copied", "role": "status"}))]


async def copy_code(ctx: Context) -> None:
    """« Copier »: the clipboard, or, when the browser refuses, the text selected to copy by hand."""
    field, said = by_id("live-code"), by_id("live-copied")
    try:
        await js.navigator.clipboard.writeText(field.value)
        said.className, said.textContent = "muted", ctx.t("lv.copied")
    except Exception:  # no clipboard API, permission refused, insecure context
        said.className, said.textContent = "error-text", ctx.t("lv.copy_failed")
        field.focus()
        field.select()


class Reader:
    """The other device's code read by the camera, a photo or a paste; `on_code(text)` gets it,
    `on_error(error)` what is not a live code."""

    def __init__(self, ctx: Context, on_code: Callable, on_error: Callable) -> None:
        self.ctx = ctx
        self.on_code, self.on_error = on_code, on_error
        self.stop_scan = None
        self._scanned = create_proxy(self.scanned)
        self._failed = create_proxy(self.failed)

    def controls(self, heading: str) -> list:
        t = self.ctx.t
        return [el("h3", {"text": t(heading)}),
                el("div", {"class": "actions"}, button("camera", t("lv.camera")),
                   button("camera-stop", t("lv.stop_camera"), hidden=True, **{"class": "secondary"})),
                el("p", {"id": "live-scan-status", "role": "status"}),
                el("video", {"id": "live-video", "playsinline": True, "muted": True, "hidden": True,
                             "style": "width:min(480px,100%)", "aria-label": t("lv.camera")}),
                el("label", {"class": "file-button"},
                   el("input", {"type": "file", "class": "file-input", "accept": "image/*", "id": "live-photo",
                                "data-live-input": "photo"}),
                   el("span", {"text": t("lv.photo")})),
                el("label", {"for": "live-paste", "text": t("lv.paste")}),
                el("textarea", {"id": "live-paste", "rows": "3"}),
                el("div", {"class": "actions"}, button("read", t("lv.read")))]

    def camera(self) -> None:
        self.stop()
        video = by_id("live-video")
        video.hidden = by_id("live-camera-stop").hidden = False
        by_id("live-scan-status").textContent = self.ctx.t("q.aim")
        self.stop_scan = js.window.cellulesScan.start(video, self._scanned, self._failed)

    def stop(self) -> None:
        stop, self.stop_scan = self.stop_scan, None
        if stop is not None:
            stop()
        for node_id in ("live-video", "live-camera-stop"):
            if by_id(node_id):
                by_id(node_id).hidden = True

    def scanned(self, text) -> None:
        text = str(text)
        if not live_code.is_live_code(text):  # another QR code: said, and the camera goes on
            self.on_error(LiveError("live.code_prefix"))
            return
        self.stop()
        by_id("live-scan-status").textContent = self.ctx.t("q.read")
        self.on_code(text)

    def failed(self, code, detail="") -> None:
        self.stop()
        code = str(code)
        by_id("live-scan-status").textContent = self.ctx.t(f"q.err.{code}") \
            if code in ("insecure", "no-camera", "denied") else self.ctx.t("q.err.camera", detail=str(detail))

    async def photo(self, target) -> None:
        if target.getAttribute("data-live-input") != "photo" or not (target.files and target.files.length):
            return
        photo = target.files.item(0)
        target.value = ""
        try:
            text = await js.window.cellulesScan.decodeImage(photo)
        except Exception:  # an image the browser cannot read
            text = None
        if not text:
            by_id("live-scan-status").textContent = self.ctx.t("q.err.no_code")
            return
        self.scanned(str(text))

    def paste(self) -> None:
        self.on_code(str(by_id("live-paste").value))
