"""« Échanger »: export, the import box (its controls; app/web/intake.py reads what arrives), the
preview, « Fusionner » / « Remplacer » / « Restaurer », the report and the journal with its undo.

Import flow: any entry (app/web/intake.py) -> core checks -> `offer()`: a preview of every item
with a checkbox, scrolled into view and focused -> « Fusionner » or « Remplacer » -> one IndexedDB
transaction that writes the new state, the undo snapshot and the journal entry together
(Session.act) -> the report. Nothing is written before the user chooses, and a refused input leaves
the stored data as it was.
"""

from __future__ import annotations

import asyncio
import os
import re
from dataclasses import replace

import js  # type: ignore[import-not-found]

from app.core import document, merge, sql
from app.core.clock import format_ms
from app.core.errors import CellulesError
from app.web import store
from app.web.context import Context
from app.web.dom import by_id, clear, data, download, el, replace_children, reveal
from app.web.formats_ui import FormatExports
from app.web.preview import render_preview
from app.web.session import import_undo

BACKUP_DAYS = 30  # a full backup older than this is worth a reminder


def safe_filename(text: str) -> str:
    plain = re.sub(r"[^A-Za-z0-9À-ÿ_-]+", "-", text).strip("-")
    return plain[:60] or "instance"


def backup_age_days(state) -> int | None:
    """Days since the last full export (None: never)."""
    last = state.last_full_export_at
    return None if not last else int((js.Date.now() - js.Date.new(last).getTime()) // 86_400_000)


class ExchangeView:
    def __init__(self, ctx: Context, formats: FormatExports) -> None:
        self.ctx = ctx
        self.formats = formats  # issue 15: CSV, GeoJSON, ICS, print
        self.pending: document.Incoming | None = None
        self.pending_label = ""
        self.report: merge.Report | None = None
        self.has_undo = False

    def t(self, key: str, **params) -> str:
        return self.ctx.t(key, **params)

    def render(self) -> None:
        b = _button
        self.ctx.fill(
            "exchange",
            el("section", {"class": "card", "aria-labelledby": "export-title"},
               el("h2", {"id": "export-title", "text": self.t("x.export")}),
               el("p", {"class": "muted", "id": "backup-reminder", "text": self.backup_reminder()}),
               el("div", {"class": "actions"},
                  b({"id": "export-full", "data-action": "export-full"}, self.t("x.export_full")),
                  b({"id": "export-cellules", "data-action": "export-cellules", "class": "secondary"},
                    self.t("x.export_cellules")),
                  b({"id": "export-qr", "data-action": "anim-open", "class": "secondary"}, self.t("q.anim.show")),
                  b({"id": "export-copy", "data-action": "export-copy", "class": "secondary"}, self.t("x.copy")),
                  b({"id": "export-sql", "data-action": "export-sql", "class": "secondary"}, self.t("x.export_sql")))),
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
                  b({"id": "import-paste", "data-action": "import-paste"}, self.t("x.analyse"))),
               el("h3", {"text": self.t("q.scan_title")}),
               el("div", {"class": "actions"},
                  b({"id": "scan-camera", "data-action": "scan-camera"}, self.t("q.camera")),
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
                  el("div", {}, b({"id": "import-url-go", "data-action": "import-url"}, self.t("x.load")))),
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
            render_preview(self.ctx, self.pending, int(js.Date.now()))
        if self.report:
            self.render_report()
        asyncio.ensure_future(self.refresh_journal())

    def backup_reminder(self) -> str:
        days = backup_age_days(self.ctx.state)
        if days is None:
            return self.t("x.never_backed_up")
        return self.t("x.last_backup_old" if days > BACKUP_DAYS else "x.last_backup", days=days)

    async def refresh_journal(self) -> None:
        self.has_undo = await store.read_undo(self.ctx.session.db) is not None
        button = by_id("undo-last")
        if not button:
            return
        button.disabled = not self.has_undo
        entries = await store.read_journal(self.ctx.session.db)
        lang = self.ctx.lang
        replace_children(by_id("journal"), [el("li", {"text": f"{e['at'][:16].replace('T', ' ')} — "
                                                              f"{merge.Report(**_report_args(e)).summary(lang)}"})
                                            for e in entries[:20]])

    # --- export ---------------------------------------------------------------------------------
    async def export(self, kind: str, copy: bool = False) -> None:
        """A full export stamps lastFullExportAt (the backup reminder counts from it)."""
        now = int(js.Date.now())
        if kind == "full":
            await self.ctx.session.act(lambda s: (replace(s, last_full_export_at=format_ms(now)), None))
        text = document.dumps(document.to_document(self.ctx.state, kind=kind, now_ms=now))
        if copy:
            try:
                await js.navigator.clipboard.writeText(text)
                self.ctx.status(self.t("x.copied", n=len(text)))
            except Exception:
                self.ctx.status(self.t("x.copy_failed"), error=True)
            return
        self.save(text, now, "json", "application/json")
        if by_id("backup-reminder"):
            by_id("backup-reminder").textContent = self.backup_reminder()

    def save(self, text: str, now: int, ext: str, mime: str) -> None:
        name = f"cellules-{safe_filename(self.ctx.state.instance_name)}-{format_ms(now)[:10]}.{ext}"
        download(text, name, mime)
        self.ctx.status(self.t("x.exported", name=name))

    async def on_export(self, target) -> None:
        action = data(target, "action")
        await self.export("cellules" if action == "export-cellules" else "full", copy=action == "export-copy")

    def on_export_sql(self, _target) -> None:
        """« Exporter pour Supabase »: the whole state as one idempotent SQL transaction."""
        now = int(js.Date.now())
        self.save(sql.to_sql(self.ctx.state, now_ms=now), now, "sql", "application/sql")

    # --- the preview (from app/web/intake.py) -----------------------------------------------------
    def offer(self, incoming: document.Incoming, label: str) -> None:
        """Show what `incoming` would change; the preview's top comes into view and takes focus."""
        self.pending = incoming
        self.pending_label = label
        render_preview(self.ctx, incoming, int(js.Date.now()))
        reveal("preview", focus=True)

    def show_error(self, exc: CellulesError) -> None:
        """An intake's error, under the import controls, in view."""
        self.pending = None
        clear(by_id("import-preview"))
        by_id("import-error").textContent = exc.message(self.ctx.lang)
        reveal("import-error", "nearest")

    def clear_result(self) -> None:
        by_id("import-error").textContent = ""
        clear(by_id("import-report"))
        self.report = None

    def on_cancel(self, _target) -> None:
        self.pending = None
        clear(by_id("import-preview"))

    async def on_apply(self, target) -> None:
        mode = data(target, "action").removeprefix("do-")
        incoming = self.pending
        if incoming is None:
            return
        skip = {str(box.getAttribute("data-plan")) for box in js.document.querySelectorAll("[data-plan]")
                if not box.checked}
        now, grid = int(js.Date.now()), self.ctx.grid
        if mode == "replace":
            counts = merge.preview_counts(merge.preview(self.ctx.state, incoming, mode="replace", now_ms=now))
            removed = self.removal_counts(incoming, now)
            if not js.window.confirm(self.t("x.confirm_replace_counts", cellules=removed[0], ateliers=removed[1],
                                            new=counts["new"], changed=counts["changed"])):
                return

        def change(state):
            if mode == "replace":
                return merge.replace(state, incoming, now_ms=now, known_nodes=grid)
            if mode == "restore":
                return merge.restore_backup(state, incoming, now_ms=now, device_seed=os.urandom(16), known_nodes=grid)
            return merge.merge(state, incoming, now_ms=now, skip=skip, known_nodes=grid)

        undo = None if mode == "restore" else import_undo(now, mode, incoming.instance_name)
        ok, report = await self.ctx.session.act(change, undo=undo, journal=lambda r: r.to_json())
        if not ok:
            self.preview_error(report)
            return
        self.pending = None
        self.report = report
        clear(by_id("import-preview"))
        self.render_report()
        reveal("report")
        self.ctx.changed()
        await self.refresh_journal()

    def removal_counts(self, incoming, now: int) -> tuple[int, int]:
        """(cellules, ateliers) that « Remplacer » would remove from this device."""
        plans = [p for p in merge.preview(self.ctx.state, incoming, mode="replace", now_ms=now)
                 if p.status == "removed"]
        return (sum(1 for p in plans if p.kind == "cellule"), sum(1 for p in plans if p.kind == "atelier"))

    def render_report(self) -> None:
        replace_children(by_id("import-report"),
                         el("div", {"class": "card report", "id": "report"},
                            el("h3", {"text": self.t("x.report")}),
                            el("p", {"id": "report-summary", "text": self.report.summary(self.ctx.lang)})))

    def preview_error(self, exc: CellulesError) -> None:
        """A failure of « Fusionner » / « Remplacer » (storage full…): shown next to those buttons;
        the preview stays so the user can try again."""
        node = by_id("preview-error")
        if not node:
            self.show_error(exc)
            return
        node.textContent = exc.message(self.ctx.lang)
        reveal(node, "center")

    # --- undo -----------------------------------------------------------------------------------
    async def on_undo(self, _target) -> None:
        await self.undo()

    async def undo(self, force: bool = False) -> None:
        """« Annuler le dernier import »: reverts only what that operation changed; edits made since
        are kept, and if some cannot be, the user is told which and asked first."""
        ctx = self.ctx
        text = await store.read_undo(ctx.session.db)
        if text is None:
            ctx.status(self.t("x.nothing_to_undo"), error=True)
            return
        now = int(js.Date.now())
        if merge.is_undo_text(text):
            u = merge.undo_from_json(text)
            ok, info = await ctx.session.act(lambda s: merge.apply_undo(s, u, now_ms=now, force=force), undo=None,
                                             journal=lambda r: r.to_json())
        else:  # an undo written by an older version: the whole state from before
            previous = document.loads_state(text)
            ok, info = await ctx.session.act(lambda s: (previous, None), undo=None)
        if not ok:
            if getattr(info, "code", "") == "undo.would_lose" and not force:
                if js.window.confirm(info.message(ctx.lang)):
                    await self.undo(force=True)
                else:
                    ctx.status(self.t("x.undo_kept"))
                return
            ctx.fail(info)
            return
        self.report = None
        ctx.status(info.summary(ctx.lang) if info is not None else self.t("x.undone"))
        ctx.changed()
        await self.refresh_journal()


def _button(attrs: dict, text: str):
    return el("button", {"type": "button", **attrs, "text": text})


def _report_args(entry: dict) -> dict:
    return {"action": entry["action"], "source_id": entry["sourceId"], "source_name": entry["sourceName"],
            "at": entry["at"], **{k: tuple(entry.get(k, ())) for k in ("added", "updated", "unchanged", "conflicts",
                                                                       "deleted", "removed", "skipped", "refused")}}
