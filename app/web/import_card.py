"""The import box of « Échanger »: its controls (a file, a paste, an address, the camera, a photo of a
code), the place of its error and of its preview and report. app/web/intake.py reads what arrives;
app/web/views/exchange.py shows the preview and the report in the places made here.

The hint above the controls names what this screen offers: dropping a file anywhere on the page on a
computer, not on a touch or narrow screen (Context.touch), where nothing can be dropped.
"""

from __future__ import annotations

from app.web.context import Context
from app.web.dom import el
from app.web.feedback import file_picker


def button(attrs: dict, text: str):
    """A button of « Échanger » (type=button: never a submit), `attrs` its id, data-action, class…"""
    return el("button", {"type": "button", **attrs, "text": text})


def import_card(ctx: Context):
    t, b = ctx.t, button
    return el(
        "section", {"class": "card", "aria-labelledby": "import-title", "id": "import-card"},
        el("h2", {"id": "import-title", "text": t("x.import")}),
        el("p", {"class": "muted", "id": "drop-hint", "text":
                 t("x.drop_hint_touch" if ctx.touch() else "x.drop_hint")}),
        file_picker({"id": "import-file", "data-input": "import-file",
                     "accept": ".json,application/json,text/plain"}, t("x.file")),
        el("label", {"for": "import-text", "text": t("x.paste")}),
        el("textarea", {"id": "import-text", "rows": "3"}),
        el("div", {"class": "actions"},
           b({"id": "import-paste", "data-action": "import-paste"}, t("x.analyse"))),
        el("label", {"for": "import-url", "text": t("x.url")}),
        el("div", {"class": "row", "id": "import-url-row"},
           el("input", {"type": "url", "id": "import-url", "placeholder": "https://…"}),
           el("div", {}, b({"id": "import-url-go", "data-action": "import-url"}, t("x.load")))),
        el("h3", {"text": t("q.scan_title")}),
        el("div", {"class": "actions"},
           b({"id": "scan-camera", "data-action": "scan-camera"}, t("q.camera")),
           el("button", {"type": "button", "id": "scan-stop", "class": "secondary", "data-action": "scan-stop",
                         "hidden": True, "text": t("q.stop")})),
        # progress above the camera's picture, where the user looks
        el("p", {"id": "scan-status", "role": "status", "style": "font-weight:600"}),
        el("div", {}, el("progress", {"id": "scan-progress", "max": "1", "value": "0", "hidden": True,
                                      "aria-label": t("q.progress_label"), "style": "width:min(480px,100%)"})),
        el("video", {"id": "scan-video", "playsinline": True, "muted": True, "hidden": True,
                     "aria-label": t("q.camera")}),
        file_picker({"id": "scan-image", "data-input": "scan-image", "accept": "image/*"},
                    t("wp.photo.choose"), intro=t("q.image")),
        el("p", {"id": "import-error", "class": "error-text", "role": "alert"}),
        el("div", {"id": "import-preview"}),
        el("div", {"id": "import-report", "aria-live": "polite"}))
