"""« Montrer en QR animé »: a whole export (or the cellules only) as a loop of fountain-coded QR
frames, at a chosen speed. Browser glue over app.core.qr / app.core.fountain.

Each pass of the loop shows the plain frames (their QR images made once and kept), then
combinations never shown before (qr.loop_seq; made as they are shown, one segno code each). The
dialog lives inside #app so its buttons go through the app's click delegation (app/web/actions.py
-> the on_* handlers below); the speed <select> has its own listener.
"""

from __future__ import annotations

import base64
import math

import js  # type: ignore[import-not-found]
from pyodide.ffi import create_proxy  # type: ignore[import-not-found]

from app.core import document, fountain
from app.core.errors import CellulesError
from app.core.i18n import fmt_size
from app.web.context import Context
from app.web.dom import app_dialog, by_id, data, el, replace_children
from app.web.feedback import give_back, remember


def _qr():
    """app.core.qr brings segno: imported when an animated QR is first shown, not at boot."""
    from app.core import qr

    return qr


DIALOG_ID = "anim-dialog"


class AnimatedQr:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.kind = "full"
        self.speed = fountain.DEFAULT_SPEED
        self.transfer = None
        self.length = 0
        self.images: dict[int, str] = {}  # plain frames' images, by seq
        self.position = 0
        self.timer = None
        self._step = create_proxy(self.step)
        self._speed = create_proxy(self.on_speed)
        self._closed = create_proxy(self.on_closed)

    def t(self, key: str, **params) -> str:
        return self.ctx.t(key, **params)

    def on_open(self, target) -> None:
        self.dialog().setAttribute("data-opener", remember(target) or "")  # the focus goes back there on close
        self.open(self.kind)

    def on_kind(self, target) -> None:
        self.open(data(target, "kind"))
        give_back(f"#anim-{self.kind}")  # the buttons were made anew: the focus stays on the one pressed

    def on_close(self, _target) -> None:
        dialog = by_id(DIALOG_ID)
        if dialog and dialog.open:
            dialog.close()  # the "close" event stops the loop

    def on_closed(self, _event) -> None:
        """Closed (button or Escape): the loop stops, the focus goes back to the control that opened it."""
        self.stop()
        dialog = by_id(DIALOG_ID)
        give_back(str(dialog.getAttribute("data-opener") or "") or None if dialog else None, "export-qr")

    def dialog(self):
        return app_dialog(DIALOG_ID, "anim-title", close=self._closed)

    def open(self, kind: str) -> None:
        self.stop()
        self.kind = kind if kind in ("full", "cellules") else "full"
        doc = document.to_document(self.ctx.state, kind=self.kind, now_ms=int(js.Date.now()))
        dialog = self.dialog()
        try:
            transfer = _qr().animated_transfer(doc)
        except CellulesError as exc:
            replace_children(dialog, el("h2", {"id": "anim-title", "text": self.t("q.anim.title")}),
                             el("p", {"class": "error-text", "role": "alert", "text": exc.message(self.ctx.lang)}),
                             self.close_button())
            if not dialog.open:
                dialog.showModal()
            return
        self.transfer = transfer
        self.length = _qr().loop_length(transfer)
        self.images = {}
        self.position = 0
        fps = fountain.SPEEDS[self.speed]
        need = transfer.count + 2
        kinds = el("div", {"class": "actions", "role": "group", "aria-label": self.t("q.anim.what")},
                   [el("button", {"type": "button", "data-action": "anim-kind", "data-kind": k, "id": f"anim-{k}",
                                  "class": None if k == self.kind else "secondary",
                                  "aria-pressed": "true" if k == self.kind else "false",
                                  "text": self.t(label)})
                    for k, label in (("full", "x.export_full"), ("cellules", "x.export_cellules"))],
                   el("button", {"type": "button", "class": "secondary", "data-action": "anim-close",
                                 "id": "anim-close", "style": "margin-left:auto", "text": self.t("q.close")}))
        speed = el("select", {"id": "anim-speed", "style": "flex:2"},
                   [el("option", {"value": name, "selected": name == self.speed,
                                  "text": self.t(f"q.anim.speed.{name}")}) for name in fountain.SPEEDS])
        speed.addEventListener("change", self._speed)
        replace_children(
            dialog,
            el("h2", {"id": "anim-title", "text": f"{self.t('q.anim.title')} — {self.t(_KIND_LABEL[self.kind])}"}),
            kinds,
            el("img", {"id": "anim-image", "alt": self.t("q.anim.alt"), "width": "560", "height": "560",
                       "data-frames": str(self.length), "data-plain": str(transfer.count),
                       "data-transfer": transfer.tid.hex(),
                       "style": "width:min(560px,86vw,56vh);height:auto"}),
            el("div", {"class": "row", "style": "align-items:center"},
               el("p", {"id": "anim-frame", "class": "muted", "aria-live": "off", "style": "margin:0"}),
               el("label", {"for": "anim-speed", "class": "inline", "style": "flex:0;text-align:right",
                            "text": self.t("q.anim.speed")}),
               speed),
            el("p", {"id": "anim-size", "text": self.t("q.anim.size", kb=fmt_size(self.ctx.lang, transfer.length),
                                                       k=need, seconds=math.ceil(need / fps / 0.8))}),
            el("p", {"class": "muted", "text": self.t("q.anim.help")}),
        )
        if not dialog.open:
            dialog.showModal()
        self.show(0)
        self.timer = js.setInterval(self._step, round(1000 / fps))

    def close_button(self):
        return el("div", {"class": "actions"},
                  el("button", {"type": "button", "class": "secondary", "data-action": "anim-close", "id": "anim-close",
                                "text": self.t("q.close")}))

    def image(self, seq: int) -> str:
        url = self.images.get(seq)
        if url is None:
            svg = _qr().svg(_qr().make_frame(self.transfer.frame(seq)), scale=6)
            url = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
            if seq < self.transfer.count:
                self.images[seq] = url
        return url

    def show(self, position: int) -> None:
        image = by_id("anim-image")
        if not image:
            self.stop()
            return
        seq = _qr().loop_seq(self.transfer.count, position)
        image.src = self.image(seq)
        image.setAttribute("data-index", str(position))
        image.setAttribute("data-seq", str(seq))
        by_id("anim-frame").textContent = self.t("q.anim.frame", i=position % self.length + 1, n=self.length)

    def step(self) -> None:
        if self.transfer is None:
            return
        self.position += 1
        self.show(self.position)

    def on_speed(self, event) -> None:
        value = str(event.target.value)
        if value in fountain.SPEEDS and self.timer is not None:
            self.speed = value
            js.clearInterval(self.timer)
            self.timer = js.setInterval(self._step, round(1000 / fountain.SPEEDS[value]))

    def stop(self) -> None:
        if self.timer is not None:
            js.clearInterval(self.timer)
            self.timer = None


_KIND_LABEL = {"full": "x.export_full", "cellules": "x.export_cellules"}

