"""Échanger (export / import), Sources and Aide: the sync screens of the browser adapter.

Import flow: any entry (dropped or picked file, pasted text, URL) -> text -> core checks
(document.parse_text, read_document, merge.check_incoming) -> a preview of every item with a
checkbox -> "Fusionner" or "Remplacer" -> one IndexedDB transaction that writes the new state, the
undo snapshot and the journal entry together -> the report. Nothing is written before the user
chooses, and a refused input leaves the stored data as it was.
"""

from __future__ import annotations

import asyncio
import os
import re
from dataclasses import replace
from typing import TYPE_CHECKING

import js  # type: ignore[import-not-found]
from pyodide.ffi import create_proxy, to_js  # type: ignore[import-not-found]

from app.core import document, merge, payload, sql
from app.core.clock import format_ms
from app.core.errors import CellulesError, DocumentError
from app.web import scanner, sender, store
from app.web.dom import by_id, clear, el, replace_children
from app.web.failures import WebError
from app.web.formats_ui import FormatExports

if TYPE_CHECKING:
    from app.web.ui import App

PREVIEW_LIMIT = 500  # items listed one by one (with their checkbox); the rest are counted
HELP = (
    ("Réunion sans internet", "Meeting without internet", (
        "Chacun·e ouvre l’application (elle fonctionne hors ligne) et crée ses cellules et ateliers.",
        "À la fin, chaque personne va dans « Échanger » et clique « Tout exporter » : un fichier .json est "
        "téléchargé.",
        "Partagez les fichiers (clé USB, e-mail, Signal…) ou, sans réseau, « Copier » puis collez le texte.",
        "Entre deux téléphones, sans réseau : sur une cellule, « QR Code » ; l’autre personne le lit avec "
        "« Scanner avec la caméra » (dans « Échanger ») ou avec l’appareil photo de son téléphone, qui ouvre "
        "l’application sur l’aperçu.",
        "Chacun·e importe les fichiers des autres : déposez-le sur la page ou « Choisir un fichier », vérifiez "
        "l’aperçu, puis « Fusionner ».",
        "Les cellules des autres apparaissent avec le badge FÉDÉRÉ et le nom de leur auteur.",
    )),
    ("Synchronisation mensuelle entre associations", "Monthly sync between associations", (
        "Chaque association garde sa propre instance (donnez-lui un nom dans « Cette instance »).",
        "Une fois par mois, chacune exporte « Cellules seules » (partage léger) ou « Tout exporter ».",
        "Déposez le fichier reçu, lisez l’aperçu (nouveau, modifié, conflit, supprimé), décochez ce que vous ne "
        "voulez pas, puis « Fusionner ». Importer deux fois le même fichier ne change rien.",
        "« Sources » montre qui vous a donné quoi ; « Supprimer cette source » retire ce qu’une association vous "
        "a donné, sans rien effacer chez elle.",
    )),
    ("Sauvegarde", "Backup", (
        "Dans « Échanger », cliquez « Tout exporter » : le fichier contient tout, suppressions comprises.",
        "Rangez-le dans votre cloud personnel ou sur une clé USB. Un rappel apparaît si la dernière sauvegarde "
        "date de plus de 30 jours.",
        "Sur un nouvel appareil : ouvrez l’application, déposez la sauvegarde, puis « Restaurer une sauvegarde » : "
        "l’appareil devient votre instance (vos cellules restent les vôtres).",
        "Sur l’appareil habituel, « Remplacer » reprend le contenu d’une sauvegarde ; « Annuler le dernier import » "
        "revient en arrière.",
    )),
    ("Migration vers Supabase", "Migration to Supabase", (
        "La personne qui installe Supabase crée les tables une fois : elle colle le fichier "
        "supabase/migrations/…_init.sql du projet dans l’éditeur SQL de Supabase (« SQL Editor ») et clique « Run ».",
        "Sur chaque instance, dans « Échanger », cliquez « Exporter pour Supabase » : un fichier .sql est "
        "téléchargé. Envoyez-le à cette personne.",
        "Elle colle chaque fichier .sql dans l’éditeur SQL et clique « Run », dans n’importe quel ordre. Recharger "
        "un fichier ne crée pas de doublons : la version la plus récente de chaque champ est gardée, comme dans "
        "l’application.",
        "Pour revenir au mode autonome : « select public.fwb_export_v1() » dans l’éditeur SQL donne un export à "
        "enregistrer en .json, que l’application importe comme les autres.",
        "Gardez aussi vos exports « Tout exporter » : ils restent lisibles par l’application.",
    )),
)


def safe_filename(text: str) -> str:
    plain = re.sub(r"[^A-Za-z0-9À-ÿ_-]+", "-", text).strip("-")
    return plain[:60] or "instance"


class Exchange:
    def __init__(self, app: App) -> None:
        self.app = app
        self.pending: document.Incoming | None = None
        self.pending_label = ""
        self.report: merge.Report | None = None
        self.has_undo = False
        self.formats = FormatExports(app)  # issue 15: CSV, GeoJSON, ICS, print
        self.sender = sender.Sender(self)  # « Montrer en QR animé » (issue 17)
        self.scanner = scanner.Scanner(self)
        self._drop = create_proxy(self.on_drop)
        self._over = create_proxy(self.on_dragover)
        js.document.addEventListener("dragover", self._over)
        js.document.addEventListener("drop", self._drop)

    def t(self, key: str, **params) -> str:
        return self.app.t(key, **params)

    # --- views ---------------------------------------------------------------------------------
    def render(self) -> None:
        view = by_id("view-exchange")
        replace_children(
            view,
            el("section", {"class": "card", "aria-labelledby": "export-title"},
               el("h2", {"id": "export-title", "text": self.t("x.export")}),
               el("p", {"class": "muted", "id": "backup-reminder", "text": self.backup_reminder()}),
               el("div", {"class": "actions"},
                  el("button", {"type": "button", "id": "export-full", "data-action": "export-full",
                                "text": self.t("x.export_full")}),
                  el("button", {"type": "button", "id": "export-cellules", "class": "secondary",
                                "data-action": "export-cellules", "text": self.t("x.export_cellules")}),
                  el("button", {"type": "button", "id": "export-qr", "class": "secondary", "data-action": "anim-open",
                                "text": self.t("q.anim.show")}),
                  el("button", {"type": "button", "id": "export-copy", "class": "secondary",
                                "data-action": "export-copy", "text": self.t("x.copy")}),
                  el("button", {"type": "button", "id": "export-sql", "class": "secondary",
                                "data-action": "export-sql", "text": self.t("x.export_sql")}))),
            self.formats.section(),
            el("section", {"class": "card", "aria-labelledby": "import-title"},
               el("h2", {"id": "import-title", "text": self.t("x.import")}),
               el("p", {"class": "muted", "text": self.t("x.drop_hint")}),
               el("label", {"for": "import-file", "text": self.t("x.file")}),
               el("input", {"type": "file", "id": "import-file", "data-input": "import-file",
                            "accept": ".json,application/json,text/plain"}),
               el("label", {"for": "import-text", "text": self.t("x.paste")}),
               el("textarea", {"id": "import-text", "rows": "4"}),
               el("div", {"class": "actions"},
                  el("button", {"type": "button", "id": "import-paste", "data-action": "import-paste",
                                "text": self.t("x.analyse")})),
               el("h3", {"text": self.t("q.scan_title")}),
               el("div", {"class": "actions"},
                  el("button", {"type": "button", "id": "scan-camera", "data-action": "scan-camera",
                                "text": self.t("q.camera")}),
                  el("button", {"type": "button", "id": "scan-stop", "class": "secondary", "data-action": "scan-stop",
                                "hidden": True, "text": self.t("q.stop")})),
               # progress above the camera's picture, where the user looks (issue 17)
               el("p", {"id": "scan-status", "role": "status", "style": "font-weight:600"}),
               el("div", {}, el("progress", {"id": "scan-progress", "max": "1", "value": "0", "hidden": True,
                                             "aria-label": self.t("q.progress_label"),
                                             "style": "width:min(480px,100%)"})),
               el("video", {"id": "scan-video", "playsinline": True, "muted": True, "hidden": True,
                            "aria-label": self.t("q.camera")}),
               el("label", {"for": "scan-image", "text": self.t("q.image")}),
               el("input", {"type": "file", "id": "scan-image", "data-input": "scan-image", "accept": "image/*"}),
               el("label", {"for": "import-url", "text": self.t("x.url")}),
               el("div", {"class": "row"},
                  el("input", {"type": "url", "id": "import-url", "placeholder": "https://…"}),
                  el("div", {}, el("button", {"type": "button", "id": "import-url-go", "data-action": "import-url",
                                              "text": self.t("x.load")}))),
               el("p", {"id": "import-error", "class": "error-text", "role": "alert"}),
               el("div", {"id": "import-preview"}),
               el("div", {"id": "import-report", "aria-live": "polite"})),
            el("section", {"class": "card", "aria-labelledby": "journal-title"},
               el("h2", {"id": "journal-title", "text": self.t("x.journal")}),
               el("div", {"class": "actions"},
                  el("button", {"type": "button", "id": "undo-last", "class": "secondary", "data-action": "undo",
                                "disabled": not self.has_undo, "text": self.t("x.undo")})),
               el("ul", {"id": "journal"})),
        )
        if self.pending:
            self.render_preview()
        if self.report:
            self.render_report()
        asyncio.ensure_future(self.refresh_journal())

    def backup_reminder(self) -> str:
        last = self.app.state.last_full_export_at
        if not last:
            return self.t("x.never_backed_up")
        days = int((js.Date.now() - js.Date.new(last).getTime()) // 86_400_000)
        return self.t("x.last_backup_old" if days > 30 else "x.last_backup", days=days)

    async def refresh_journal(self) -> None:
        self.has_undo = await store.read_undo(self.app.db) is not None
        button = by_id("undo-last")
        if not button:
            return
        button.disabled = not self.has_undo
        entries = await store.read_journal(self.app.db)
        replace_children(by_id("journal"), [el("li", {"text": f"{e['at'][:16].replace('T', ' ')} — "
                                                              f"{merge.Report(**_report_args(e)).summary(self.app.lang)}"})
                                            for e in entries[:20]])

    def render_sources(self) -> None:
        state = self.app.state
        rows = []
        for source in sorted(state.sources.values(), key=lambda s: s.name.casefold()):
            cellules, ateliers = merge.source_footprint(state, source.id)
            rows.append(el(
                "li", {"class": "card source", "data-id": source.id},
                el("h3", {}, el("span", {"class": "source-name", "text": source.name}), " ",
                   el("code", {"text": source.id})),
                el("p", {"class": "muted", "text": self.t("s.counts", cellules=source.cellule_count,
                                                          ateliers=source.atelier_count,
                                                          at=source.imported_at[:16].replace("T", " "))}),
                el("button", {"type": "button", "class": "danger", "data-action": "drop-source", "data-id": source.id,
                              "data-cellules": str(len(cellules)), "data-ateliers": str(len(ateliers)),
                              "text": self.t("s.drop"), "aria-label": f"{self.t('s.drop')} {source.name}"}),
            ))
        replace_children(by_id("view-sources"),
                         el("h2", {"text": self.t("tab.sources")}),
                         el("p", {"class": "muted", "text": self.t("s.explain")}),
                         el("ul", {"class": "cards", "id": "source-list"}, rows) if rows else
                         el("p", {"class": "muted", "text": self.t("s.none")}))

    def render_help(self) -> None:
        en = self.app.lang == "en"
        sections = [el("section", {"class": "card"}, el("h3", {"text": title_en if en else title_fr}),
                       el("ol", {}, [el("li", {"text": step}) for step in steps]))
                    for title_fr, title_en, steps in HELP]
        replace_children(by_id("view-help"), el("h2", {"text": self.t("tab.help")}),
                         el("p", {"class": "muted", "text": self.t("h.intro")}), sections)

    # --- export --------------------------------------------------------------------------------
    async def export(self, kind: str, copy: bool = False) -> None:
        now = int(js.Date.now())
        if kind == "full":
            ok, _ = await self.app.act(lambda s: (replace(s, last_full_export_at=format_ms(now)), None))
        text = document.dumps(document.to_document(self.app.state, kind=kind, now_ms=now))
        if copy:
            try:
                await js.navigator.clipboard.writeText(text)
                self.app.status(self.t("x.copied", n=len(text)))
            except Exception:
                self.app.status(self.t("x.copy_failed"), error=True)
            return
        self.download(text, now, "json", "application/json")
        if by_id("backup-reminder"):
            by_id("backup-reminder").textContent = self.backup_reminder()

    async def export_sql(self) -> None:
        """« Exporter pour Supabase »: the whole state as one idempotent SQL transaction."""
        now = int(js.Date.now())
        self.download(sql.to_sql(self.app.state, now_ms=now), now, "sql", "application/sql")

    def download(self, text: str, now: int, ext: str, mime: str) -> None:
        date = format_ms(now)[:10]
        name = f"cellules-{safe_filename(self.app.state.instance_name)}-{date}.{ext}"
        blob = js.Blob.new(to_js([text]), to_js({"type": mime}, dict_converter=js.Object.fromEntries))
        url = js.URL.createObjectURL(blob)
        link = el("a", {"href": url, "download": name, "hidden": True})
        js.document.body.appendChild(link)
        link.click()
        link.remove()
        js.setTimeout(create_proxy(lambda: js.URL.revokeObjectURL(url)), 10_000)
        self.app.status(self.t("x.exported", name=name))

    # --- import --------------------------------------------------------------------------------
    def error(self, exc: CellulesError) -> None:
        self.pending = None
        clear(by_id("import-preview"))
        by_id("import-error").textContent = exc.message(self.app.lang)
        _reveal("import-error", "nearest")

    def analyse(self, text: str | bytes, label: str) -> None:
        by_id("import-error").textContent = ""
        clear(by_id("import-report"))
        self.report = None
        try:
            with merge.paused_gc():
                incoming = document.read_document(document.parse_text(payload.read_any(text)),
                                                  held=self.app.state)
            merge.check_incoming(self.app.state, incoming, self.app.grid)
        except CellulesError as exc:
            self.error(exc)
            return
        except (ValueError, TypeError, OverflowError, RecursionError, MemoryError, KeyError) as exc:
            # a case the core's checks missed: still a French message here, and nothing stored
            js.console.error(f"import analysis: {exc!r}")
            self.error(WebError("unreadable"))
            return
        self.pending = incoming
        self.pending_label = label
        try:
            self.render_preview()
        except (ValueError, TypeError, OverflowError, RecursionError, MemoryError, KeyError) as exc:
            js.console.error(f"import preview: {exc!r}")
            self.error(WebError("unreadable"))
            return
        _reveal("preview")  # the preview opens below the import box: bring it where the user looks

    def render_preview(self) -> None:
        """Every item the file would change, with a checkbox; conflicts on both sides (which value
        stays, and the other one); refused items with their reason; and what « Remplacer » would
        remove (app/web/preview.py)."""
        from app.web.preview import render_preview

        render_preview(self, int(js.Date.now()))

    async def apply(self, mode: str) -> None:
        incoming = self.pending
        if incoming is None:
            return
        skip = {str(box.getAttribute("data-plan")) for box in js.document.querySelectorAll("[data-plan]")
                if not box.checked}
        now = int(js.Date.now())
        if mode == "replace":
            counts = merge.preview_counts(merge.preview(self.app.state, incoming, mode="replace", now_ms=now))
            removed = self.removal_counts(incoming, now)
            if not js.window.confirm(self.t("x.confirm_replace_counts", cellules=removed[0], ateliers=removed[1],
                                            new=counts["new"], changed=counts["changed"])):
                return

        def change(state):
            if mode == "replace":
                return merge.replace(state, incoming, now_ms=now, known_nodes=self.app.grid)
            if mode == "restore":
                return merge.restore_backup(state, incoming, now_ms=now, device_seed=os.urandom(16),
                                            known_nodes=self.app.grid)
            return merge.merge(state, incoming, now_ms=now, skip=skip, known_nodes=self.app.grid)

        undo = None if mode == "restore" else self.undo_record(now, mode, incoming.instance_name)
        ok, report = await self.app.act(change, undo=undo, journal=lambda r: r.to_json())
        if not ok:
            self.preview_error(report)
            return
        self.pending = None
        self.report = report
        clear(by_id("import-preview"))
        self.render_report()
        _reveal("report")
        self.app.after_data_change()
        await self.refresh_journal()

    def removal_counts(self, incoming, now: int) -> tuple[int, int]:
        """(cellules, ateliers) that « Remplacer » would remove from this device."""
        plans = [p for p in merge.preview(self.app.state, incoming, mode="replace", now_ms=now)
                 if p.status == "removed"]
        return (sum(1 for p in plans if p.kind == "cellule"), sum(1 for p in plans if p.kind == "atelier"))

    def render_report(self) -> None:
        r = self.report
        replace_children(by_id("import-report"),
                         el("div", {"class": "card report", "id": "report"},
                            el("h3", {"text": self.t("x.report")}),
                            el("p", {"id": "report-summary", "text": r.summary(self.app.lang)})))

    def undo_record(self, now: int, action: str, label: str):
        """The undo of an import, replace or drop-source, made under the cross-tab lock from the very
        states the operation turned one into the other (ui.App.act calls it): only what it changed
        ("last"), and the whole state before it ("before", for the recovery screen)."""
        def make(before, after, _report):
            u = merge.make_undo(before, after, action=action, label=label, at=format_ms(now))
            return {"last": merge.undo_to_json(u), "before": document.dumps_state(before, now_ms=now)}
        return make

    def preview_error(self, exc: CellulesError) -> None:
        """A failure of « Fusionner » / « Remplacer » (storage full…): shown next to those buttons;
        the preview stays so the user can try again."""
        node = by_id("preview-error")
        if not node:
            self.error(exc)
            return
        node.textContent = exc.message(self.app.lang)
        node.scrollIntoView(to_js({"block": "center"}, dict_converter=js.Object.fromEntries))

    async def undo(self, force: bool = False) -> None:
        """« Annuler le dernier import »: reverts only what that operation changed; edits made since
        are kept, and if some cannot be, the user is told which and asked first."""
        text = await store.read_undo(self.app.db)
        if text is None:
            self.app.status(self.t("x.nothing_to_undo"), error=True)
            return
        now = int(js.Date.now())
        if merge.is_undo_text(text):
            u = merge.undo_from_json(text)
            ok, info = await self.app.act(lambda s: merge.apply_undo(s, u, now_ms=now, force=force), undo=None,
                                          journal=lambda r: r.to_json())
        else:  # an undo written by an older version: the whole state from before
            previous = document.loads_state(text)
            ok, info = await self.app.act(lambda s: (previous, None), undo=None)
        if not ok:
            if getattr(info, "code", "") == "undo.would_lose" and not force:
                if js.window.confirm(info.message(self.app.lang)):
                    await self.undo(force=True)
                else:
                    self.app.status(self.t("x.undo_kept"))
                return
            self.app.status(info.message(self.app.lang), error=True)
            return
        self.report = None
        self.app.status(info.summary(self.app.lang) if info is not None else self.t("x.undone"))
        self.app.after_data_change()
        await self.refresh_journal()

    async def drop_source(self, source_id: str, cellules: str, ateliers: str) -> None:
        source = self.app.state.sources.get(source_id)
        if source is None:
            return
        if not js.window.confirm(self.t("s.confirm", name=source.name, cellules=cellules, ateliers=ateliers)):
            return
        now = int(js.Date.now())
        ok, report = await self.app.act(lambda s: merge.drop_source(s, source_id, now_ms=now),
                                        undo=self.undo_record(now, "drop-source", source.name),
                                        journal=lambda r: r.to_json())
        if not ok:
            self.app.status(report.message(self.app.lang), error=True)
            return
        self.app.status(report.summary(self.app.lang))
        self.app.after_data_change()

    async def load_url(self, url: str) -> None:
        """An address -> the preview, within a total deadline and a size cap (app/web/urlload.py);
        every failure ends with a French message under the address, never on « Chargement »."""
        from app.web.urlload import fetch_document

        by_id("import-error").textContent = ""
        url = url.strip()
        if not url.lower().startswith(("http://", "https://")):
            self.error(CellulesError("url.scheme", url=url))
            return
        self.app.status(self.t("x.loading", url=url))
        try:
            body = await fetch_document(url)
        except CellulesError as exc:
            self.error(exc)
            return
        finally:
            self.app.status("")
        self.analyse(body, url)

    async def read_file(self, file, name: str) -> None:
        """A File or Blob (dropped, picked, opened with the app, or shared to it) -> the preview."""
        if file.size > document.MAX_DOCUMENT_BYTES:
            self.error(DocumentError("doc.too_large", size=int(file.size), limit=document.MAX_DOCUMENT_BYTES))
            return
        buffer = await file.arrayBuffer()
        self.analyse(buffer.to_bytes(), name)

    # --- events --------------------------------------------------------------------------------
    def on_dragover(self, event) -> None:
        event.preventDefault()

    def on_drop(self, event) -> None:
        event.preventDefault()
        files = event.dataTransfer.files if event.dataTransfer else None
        if files and files.length:
            self.app.switch("exchange")
            asyncio.ensure_future(self.read_file(files.item(0), str(files.item(0).name)))

    async def handle(self, action: str, target) -> bool:
        if await self.formats.handle(action, target):
            return True
        if action == "export-full":
            await self.export("full")
        elif action == "export-cellules":
            await self.export("cellules")
        elif action == "export-copy":
            await self.export("full", copy=True)
        elif action == "export-sql":
            await self.export_sql()
        elif action == "import-paste":
            self.analyse(str(by_id("import-text").value), self.t("x.pasted"))
        elif action == "import-url":
            await self.load_url(str(by_id("import-url").value))
        elif action == "do-merge":
            await self.apply("merge")
        elif action == "do-replace":
            await self.apply("replace")
        elif action == "do-restore":
            await self.apply("restore")
        elif action == "cancel-import":
            self.pending = None
            clear(by_id("import-preview"))
        elif action == "undo":
            await self.undo()
        elif action == "scan-camera":
            self.start_camera()
        elif action == "scan-stop":
            self.stop_camera()
            by_id("scan-status").textContent = ""
        elif action in sender.ACTIONS:
            await self.sender.handle(action, target)
        elif action == "drop-source":
            await self.drop_source(str(target.getAttribute("data-id")), str(target.getAttribute("data-cellules")),
                                   str(target.getAttribute("data-ateliers")))
        else:
            return False
        return True

    # --- QR scanning ----------------------------------------------------------------------------
    def on_scanned(self, text: str) -> None:
        """A decoded QR text (camera or image): a whole code, an app link, or one part of many."""
        text = str(text)
        status = by_id("scan-status")
        try:
            if scanner.is_frame(text):
                text = self.scanner.feed(text)  # the export's JSON once enough frames arrived
                if text is None:
                    return
            elif text.lstrip().startswith(payload.PART_PREFIX):
                self.assembly = (getattr(self, "assembly", None) or payload.Assembly())
                try:
                    self.assembly = self.assembly.add(text)
                except CellulesError as exc:
                    if exc.code != "payload.other_set":
                        raise
                    self.assembly = payload.Assembly().add(text)  # a new transfer started: follow it
                got, total = len(self.assembly.parts), self.assembly.total
                progress = by_id("scan-progress")
                progress.hidden = False
                progress.max = total
                progress.value = got
                status.textContent = self.t("q.progress", got=got, total=total)
                if not self.assembly.complete:
                    return
                text = self.assembly.payload()
                self.assembly = None
            self.stop_camera()
            status.textContent = self.t("q.read")
            self.analyse(text, self.t("q.source"))
        except CellulesError as exc:
            self.error(exc)

    def scan_error(self, code: str, detail: str = "") -> None:
        self.stop_camera()
        by_id("import-error").textContent = self.t(f"q.err.{code}") if code in (
            "insecure", "no-camera", "denied") else self.t("q.err.camera", detail=detail)

    def start_camera(self) -> None:
        self.stop_camera()
        video = by_id("scan-video")
        video.hidden = False
        by_id("scan-stop").hidden = False
        by_id("import-error").textContent = ""
        by_id("scan-status").textContent = self.t("q.aim")
        self.scanner.reset()
        self._on_text = create_proxy(self.on_scanned)
        self._on_error = create_proxy(self.scan_error)
        self._stop = js.window.cellulesScan.start(video, self._on_text, self._on_error)
        by_id("scan-status").scrollIntoView(to_js({"block": "start", "behavior": "smooth"},
                                                  dict_converter=js.Object.fromEntries))

    def stop_camera(self) -> None:
        stop = getattr(self, "_stop", None)
        if stop is not None:
            self._stop = None
            stop()
        if by_id("scan-video"):
            by_id("scan-video").hidden = True
            by_id("scan-stop").hidden = True

    async def scan_image(self, file) -> None:
        by_id("import-error").textContent = ""
        try:
            text = await js.window.cellulesScan.decodeImage(file)
        except Exception:
            text = None
        if not text:
            by_id("import-error").textContent = self.t("q.err.no_code")
            return
        self.on_scanned(str(text))


def _reveal(element_id: str, block: str = "start") -> None:
    """Scroll an element into view (a result the user cannot see did not happen)."""
    node = by_id(element_id)
    if node:
        node.scrollIntoView(to_js({"block": block}, dict_converter=js.Object.fromEntries))


def _report_args(entry: dict) -> dict:
    return {"action": entry["action"], "source_id": entry["sourceId"], "source_name": entry["sourceName"],
            "at": entry["at"], **{k: tuple(entry.get(k, ())) for k in ("added", "updated", "unchanged", "conflicts",
                                                                       "deleted", "removed", "skipped", "refused")}}
