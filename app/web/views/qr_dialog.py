"""A cellule's QR code (« QR Code » on its card): one code, or a short loop of codes when the
cellule does not fit in one, with PNG/SVG downloads and the app link (any phone camera opens the
import preview). segno (app.core.qr) is imported when a code is first drawn, not at boot."""

from __future__ import annotations

import base64

import js  # type: ignore[import-not-found]
from pyodide.ffi import create_proxy, to_js  # type: ignore[import-not-found]

from app.web.context import Context
from app.web.dom import by_id, data, el, replace_children

FRAME_MS = 250  # ~4 frames per second


def _blob_url(data_, mime: str) -> str:
    return js.URL.createObjectURL(js.Blob.new(to_js([to_js(data_)]), js.Object.fromEntries(to_js([["type", mime]]))))


class QrDialog:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.images: list[str] = []
        self.index = 0
        self.timer = None
        self._step = create_proxy(self.step)
        self.opener: str | None = None  # where the focus goes back when the dialog closes
        self._closed = create_proxy(self.on_closed)
        self._listening = False

    def t(self, key: str, **params) -> str:
        return self.ctx.t(key, **params)

    def on_show(self, target) -> None:
        from app.core import payload, qr

        self.stop()
        state = self.ctx.state
        cellule = state.cellules[data(target, "id")]
        self.opener = f"[data-action=show-qr][data-id='{cellule.id}']"
        text = payload.encode(qr.cellule_document(state, cellule.id, now_ms=int(js.Date.now())))
        page_url = str(js.location.href)
        texts = qr.cellule_frames(text, page_url)
        codes = [qr.make(t) for t in texts]
        self.images = ["data:image/svg+xml;base64," + base64.b64encode(qr.svg(c, scale=10).encode()).decode()
                       for c in codes]
        self.index = 0
        name = f"cellule-{cellule.id}"
        single = len(codes) == 1
        replace_children(
            by_id("qr-dialog"),
            el("h2", {"id": "qr-title", "text": self.t("q.title", name=cellule.name)}),
            el("img", {"id": "qr-image", "src": self.images[0], "alt": self.t("q.alt", name=cellule.name),
                       "width": "360", "height": "360", "data-frames": str(len(codes)),
                       "data-version": str(codes[0].version),
                       "data-holds": "link" if texts[0].startswith(page_url.split("#", 1)[0]) else "payload"}),
            el("p", {"id": "qr-frame", "class": "muted",
                     "text": self.t("q.single", version=codes[0].version) if single
                     else self.t("q.frames", n=len(codes))}),
            el("div", {"class": "actions"},
               el("a", {"class": "button", "href": _blob_url(qr.png(codes[0], scale=10), "image/png"),
                        "download": f"{name}.png", "id": "qr-png", "text": self.t("q.save_png")}) if single else None,
               el("a", {"class": "button", "href": _blob_url(qr.svg(codes[0], scale=10), "image/svg+xml"),
                        "download": f"{name}.svg", "id": "qr-svg", "text": self.t("q.save_svg")}) if single else None,
               el("button", {"type": "button", "class": "secondary", "data-action": "close-qr",
                             "text": self.t("q.close")})),
            el("label", {"for": "qr-link", "text": self.t("q.link")}),
            el("input", {"id": "qr-link", "readonly": True, "value": payload.make_link(page_url, text)}),
            el("div", {"class": "row copy-row"},
               el("button", {"type": "button", "class": "secondary", "id": "qr-copy", "data-action": "qr-copy-link",
                             "text": self.t("q.copy_link")}),
               el("span", {"id": "qr-copied", "role": "status", "aria-live": "polite"})),
        )
        if not single:
            self.timer = js.setInterval(self._step, FRAME_MS)
        dialog = by_id("qr-dialog")
        if not self._listening:  # Escape closes the dialog too: the focus goes back all the same
            dialog.addEventListener("close", self._closed)
            self._listening = True
        dialog.showModal()

    def step(self) -> None:
        image = by_id("qr-image")
        if not image or not self.images:
            return
        self.index = (self.index + 1) % len(self.images)
        image.src = self.images[self.index]
        by_id("qr-frame").textContent = self.t("q.frame", i=self.index + 1, n=len(self.images))

    def stop(self) -> None:
        if self.timer is not None:
            js.clearInterval(self.timer)
            self.timer = None

    def on_close(self, _target) -> None:
        self.stop()
        dialog = by_id("qr-dialog")
        if dialog.open:
            dialog.close()  # -> on_closed

    def on_closed(self, _event=None) -> None:
        self.stop()
        self.ctx.focus_later(self.opener)

    async def on_copy_link(self, _target) -> None:
        """« Copier le lien »: the clipboard, or, when the browser refuses, the link selected to copy by hand."""
        field, said = by_id("qr-link"), by_id("qr-copied")
        try:
            await js.navigator.clipboard.writeText(field.value)
        except Exception:  # no clipboard API, permission refused, insecure context
            said.className = "error-text"
            said.textContent = self.t("q.link_copy_failed")
            field.focus()
            field.select()
            return
        said.className = "muted"
        said.textContent = self.t("q.link_copied")
