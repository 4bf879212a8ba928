"""« Tableur, carte, agenda » and « Imprimer la liste » in Échanger: thin browser glue.

Every file comes from app.core.formats.export_file (the same bytes as `python -m app export
--format …`) and is downloaded through a Blob: nothing leaves the page, it works offline.
« Imprimer la liste » builds #print-sheet (hidden on screen) from app.core.formats.printing, marks
<body class="print-list"> so that static/print.css prints only that sheet, and calls print();
printing from the browser's own menu without the button prints the app's screen as it is.
"""

from __future__ import annotations

import asyncio
import base64

import js  # type: ignore[import-not-found]
from pyodide.ffi import create_proxy  # type: ignore[import-not-found]

from app.core.errors import CellulesError
from app.core.formats import export_file, printing
from app.web.context import Context
from app.web.dom import by_id, data, download, el
from app.web.feedback import status_near

# button id, its data-action, the export key (app.core.formats), the i18n key of its label
BUTTONS = (
    ("export-csv-cellules", "fx-csv-cellules", "csv-cellules", "fx.csv_cellules"),
    ("export-csv-ateliers", "fx-csv-ateliers", "csv-ateliers", "fx.csv_ateliers"),
    ("export-geojson", "fx-geojson", "geojson", "fx.geojson"),
)
EXPORT_OF = {action: key for _, action, key, _ in BUTTONS} | {"fx-ics": "ics"}


class FormatExports:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._after_print = create_proxy(lambda _e: js.document.body.classList.remove("print-list"))
        js.window.addEventListener("afterprint", self._after_print)

    def t(self, key: str, **params) -> str:
        return self.ctx.t(key, **params)

    def section(self):
        """The card under « Exporter »: spreadsheets and map, the calendar (all or one cellule), print."""
        buttons = [el("button", {"type": "button", "class": "secondary", "id": bid, "data-action": action,
                                 "text": self.t(label)}) for bid, action, _key, label in BUTTONS]
        choice = el("select", {"id": "ics-cellule"},
                    el("option", {"value": "", "text": self.t("fx.ics_all")}),
                    [el("option", {"value": c.id, "text": c.name}) for c in self.ctx.state.live_cellules()])
        gap = "margin-top:1rem"
        return el("section", {"class": "card", "aria-labelledby": "formats-title", "id": "formats-card"},
                  el("h2", {"id": "formats-title", "text": self.t("fx.title")}),
                  el("p", {"class": "muted", "text": self.t("fx.hint")}),
                  el("div", {"class": "actions"}, buttons),
                  el("h3", {"style": gap, "text": self.t("fx.ics_title")}),
                  el("label", {"for": "ics-cellule", "text": self.t("fx.ics_which")}),
                  choice,
                  el("div", {"class": "actions"},
                     el("button", {"type": "button", "class": "secondary", "id": "export-ics", "data-action": "fx-ics",
                                   "text": self.t("fx.ics")})),
                  el("h3", {"style": gap, "text": self.t("fx.print_title")}),
                  el("p", {},
                     el("input", {"type": "checkbox", "id": "print-qr", "style": "width:auto;margin-right:.4rem"}),
                     el("label", {"class": "inline", "for": "print-qr", "text": self.t("fx.print_qr")})),
                  el("div", {"class": "actions"},
                     el("button", {"type": "button", "id": "print-list", "data-action": "fx-print",
                                   "text": self.t("fx.print")})))

    def on_export(self, target) -> None:
        key = EXPORT_OF[data(target, "action")]
        cellule = str(by_id("ics-cellule").value) if key == "ics" and by_id("ics-cellule") else ""
        try:
            file = export_file(self.ctx.state, self.ctx.grid, key, now_ms=int(js.Date.now()),
                               cellule_id=cellule or None, lang=self.ctx.lang)
        except CellulesError as exc:  # e.g. the chosen cellule was deleted in another tab meanwhile
            status_near(self.ctx, target.closest(".actions") or target, exc.message(self.ctx.lang), error=True)
            return
        download(file.data, file.name, file.mime)
        status_near(self.ctx, target.closest(".actions") or target, self.t("x.exported", name=file.name))

    # --- print ---------------------------------------------------------------------------------
    async def on_print(self, target) -> None:
        with_qr = bool(by_id("print-qr") and by_id("print-qr").checked)
        sheet = printing.print_sheet(self.ctx.state, self.ctx.grid, now_ms=int(js.Date.now()), lang=self.ctx.lang)
        old = by_id("print-sheet")
        if old:
            old.remove()
        sections = []
        for i, c in enumerate(sheet.cellules):
            if with_qr and i % 10 == 0:  # a QR code takes a moment in the browser: show progress
                status_near(self.ctx, target.closest(".actions") or target,
                            self.t("fx.print_preparing", i=i, n=len(sheet.cellules)))
                await asyncio.sleep(0)
            sections.append(self.print_cellule(c, with_qr))
        node = el("article", {"id": "print-sheet", "hidden": True, "lang": self.ctx.lang},
                  el("h1", {"text": sheet.title}),
                  el("p", {"class": "print-sub", "text": sheet.subtitle}),
                  sections or el("p", {"text": self.t("list.empty")}))
        js.document.body.appendChild(node)
        js.document.body.classList.add("print-list")
        status_near(self.ctx, target.closest(".actions") or target, self.t("fx.printing", n=len(sheet.cellules)))
        js.window.print()

    def print_cellule(self, c: printing.PrintCellule, with_qr: bool):
        ateliers = [el("li", {},  # <bdi>: a right-to-left override in user text stays inside its element
                       el("strong", {"text": a.when}), " — ", el("bdi", {"text": a.title}),
                       el("span", {"class": "print-place"}, " · ", el("bdi", {"text": a.place})) if a.place else None,
                       el("div", {"class": "print-desc", "text": a.description}) if a.description else None)
                    for a in c.ateliers]
        return el("section", {"class": "print-cellule", "data-id": c.id},
                  self.qr_image(c) if with_qr else None,
                  el("h2", {"text": c.name}),
                  el("p", {"class": "print-place", "text": c.place}),
                  el("p", {"class": "print-meta", "text": c.provenance}),
                  el("p", {}, self.t("fx.print_contact", contact=""), el("bdi", {"text": c.contact}))
                  if c.contact else None,
                  el("div", {"class": "print-desc", "text": c.description}) if c.description else None,
                  el("ul", {"class": "print-ateliers"}, ateliers) if ateliers
                  else el("p", {"class": "print-meta", "text": self.t("atelier.none")}))

    def qr_image(self, c: printing.PrintCellule):
        """The cellule's QR code (the app link: any phone camera opens the import preview)."""
        from app.core import payload, qr

        text = payload.encode(qr.cellule_document(self.ctx.state, c.id, now_ms=int(js.Date.now())))
        page = str(js.location.origin) + str(js.location.pathname)
        texts = qr.cellule_frames(text, page)
        if len(texts) != 1:
            return el("p", {"class": "print-qr-none", "text": self.t("fx.print_qr_too_big")})
        svg = qr.svg(qr.make(texts[0]), scale=4)
        return el("img", {"class": "print-qr", "alt": self.t("q.alt", name=c.name),
                          "src": "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()})
