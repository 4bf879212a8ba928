"""« Échanger »: export, the import box (its controls: app/web/import_card.py; app/web/intake.py reads
what arrives), the preview, « Fusionner » / « Remplacer » / « Restaurer », the report and the journal
with its undo (its outcome said where the undo button clicked was). A source loaded with « Charger »
remembers its address (app.core.refresh.with_address): « Sources » offers « Actualiser » for it.

Import flow: any entry (app/web/intake.py) -> core checks -> `offer()`: a preview of every item
with a checkbox, scrolled into view and focused -> « Fusionner » or « Remplacer » -> one IndexedDB
transaction that writes the new state, the undo snapshot and the journal entry together
(Session.act) -> the report. Nothing is written before the user chooses, and a refused input leaves
the stored data as it was.
"""

from __future__ import annotations

import asyncio
import json
import os

import js  # type: ignore[import-not-found]

from app.core import actions, document, merge, names, refresh, restore_over, sql
from app.core.errors import CellulesError, ValidationError
from app.core.formats import safe_filename
from app.core.model import check_source_url
from app.web import import_card as cards
from app.web import store
from app.web.context import Context
from app.web.dom import by_id, clear, data, download, el, replace_children, reveal, set_text
from app.web.feedback import give_back, message_near, remember, status_near
from app.web.formats_ui import FormatExports
from app.web.import_card import drop_backup_hint, export_card, import_card, note_restored, refresh_export_card
from app.web.journal import items as journal_items
from app.web.journal import undo_last
from app.web.preview import effects_of, how_many, render_preview, ticked_to_adopt
from app.web.session import import_undo, restore_undo

# Export beside import on a wide screen (both in sight at 1280×800), one above the other on a phone.
COLUMNS = "display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,26rem),1fr));gap:0 1rem;align-items:start"

# the undo button clicked -> where its outcome is said: the report's place, the view's message (None)
WHERE_UNDONE = {"report-undo": "import-report", "status-undo": None}

GIVEN = "cellules-export-names"  # localStorage: the names of this device's last exported files
KEEP_GIVEN = 20


def export_name(state, lang: str, kind: str, now: int) -> str:
    """« <nom>-sauvegarde-AAAA-MM-JJ-14h05.json », « <nom>-cellules-… », « <nom>-supabase-….sql » (Brussels time;
    app.core.names.export_file_name): never one this device gave already (« …-14h05-2.json »), the device
    named on a restored one (« …-14h05-appareil-Cdyt7coz.json »)."""
    try:
        given = json.loads(str(js.localStorage.getItem(GIVEN) or "[]"))
    except ValueError:
        given = []
    given = [n for n in given if isinstance(n, str)] if isinstance(given, list) else []
    name = names.export_file_name(state, lang, kind, now, given, safe_name=safe_filename(state.instance_name))
    js.localStorage.setItem(GIVEN, json.dumps([*given, name][-KEEP_GIVEN:], ensure_ascii=False))
    return name


def kept_address(origin: str, label: str) -> str:
    """The address a source loaded with « Charger » remembers ("" for other origins, or an address no
    source can keep: the import stands without it)."""
    try:
        return check_source_url(label) if origin == "url" else ""
    except ValidationError:
        return ""


class ExchangeView:
    def __init__(self, ctx: Context, formats: FormatExports) -> None:
        self.ctx = ctx
        self.formats = formats  # the open formats: CSV, GeoJSON, ICS, print (app/web/formats_ui.py)
        self.pending: document.Incoming | None = None
        self.pending_label = ""
        self.pending_origin = "file"  # file, url, link, qr, paste, share (app/web/preview.py ORIGINS)
        self.report: merge.Report | None = None
        self.has_undo = False
        self.origin: str | None = None  # the control the user was on when the preview opened
        self.near: str | None = None  # the id of the import control in use (app/web/intake.py): errors go below it

    def t(self, key: str, **params) -> str:
        return self.ctx.t(key, **params)

    def render(self) -> None:
        old = by_id("preview")
        refocus = bool(old) and old.contains(js.document.activeElement)  # a re-render keeps the focus there
        self.ctx.fill(
            "exchange",
            el("div", {"class": "exchange-columns", "style": COLUMNS}, export_card(self.ctx), import_card(self.ctx)),
            self.formats.section(),
            el("section", {"class": "card", "aria-labelledby": "journal-title"},
               el("h2", {"id": "journal-title", "tabindex": "-1", "text": self.t("x.journal")}),
               el("div", {"class": "actions", "id": "journal-actions"},
                  el("button", {"type": "button", "id": "undo-last", "class": "secondary", "data-action": "undo",
                                "disabled": not self.has_undo, "text": self.t("x.undo")})),
               el("ul", {"id": "journal"})),
        )
        if self.pending:
            self.show_preview(self.pending, self.pending_origin, self.pending_label)
            if refocus:
                reveal("preview", focus=True)
        if self.report:
            self.render_report()
        asyncio.ensure_future(self.refresh_journal())

    def refresh_export_card(self) -> None:
        """The export card after the data changed under it (a restore names the group): read again."""
        refresh_export_card(self.ctx)

    async def refresh_journal(self) -> None:
        self.has_undo = await store.read_undo(self.ctx.session.db) is not None
        button = by_id("undo-last")
        if not button:
            return
        button.disabled = not self.has_undo
        entries = await store.read_journal(self.ctx.session.db)
        if by_id("journal"):
            replace_children(by_id("journal"), journal_items(self.ctx, entries))

    # --- export ---------------------------------------------------------------------------------
    async def export(self, kind: str, copy: bool = False) -> None:
        """A full export stamps lastFullExportAt (actions.stamp_full_export; the reminder counts from it).
        The file is made even when the stamp cannot be stored (a full disk is when a backup matters most)."""
        now = int(js.Date.now())
        if kind == "full":
            await self.ctx.session.act(lambda s: (actions.stamp_full_export(s, now), None))
        text = document.dumps(document.to_document(self.ctx.state, kind=kind, now_ms=now))
        if copy:
            try:
                await js.navigator.clipboard.writeText(text)
                self.say(self.t("x.copied", n=len(text)), "export-actions")
            except Exception:
                self.say(self.t("x.copy_failed"), "export-actions", error=True)
            return
        self.save(text, export_name(self.ctx.state, self.ctx.lang, kind, now), "application/json")
        refresh_export_card(self.ctx)

    def save(self, text: str, name: str, mime: str, near: str = "export-actions") -> None:
        download(text, name, mime)
        self.say(self.t("x.exported", name=name), near)

    def say(self, text: str, near: str, error: bool = False) -> None:
        """A message in this view's live region, next to `near` (an id) when this view is shown."""
        if self.ctx.view == "exchange":
            status_near(self.ctx, near, text, error=error)
        else:
            self.ctx.status(text, error=error)

    async def on_export(self, target) -> None:
        action = data(target, "action")
        await self.export("cellules" if action == "export-cellules" else "full", copy=action == "export-copy")

    def on_export_sql(self, _target) -> None:
        """« Exporter pour Supabase »: the whole state as one idempotent SQL transaction."""
        now = int(js.Date.now())
        name = export_name(self.ctx.state, self.ctx.lang, "sql", now)
        text = sql.to_sql(self.ctx.state, now_ms=now, lang=self.ctx.lang)  # comments in the user's language
        self.save(text, name, "application/sql", "advanced-actions")

    # --- the preview (from app/web/intake.py) -----------------------------------------------------
    def offer(self, incoming: document.Incoming, label: str, origin: str = "file") -> None:
        """Show what `incoming` would change; the preview's top comes into view and takes focus.
        `origin` says where it came from (a file named `label`, an address, a link, a QR code…).
        The control the user was on is remembered: closing the preview gives the focus back to it."""
        active = js.document.activeElement
        card = by_id("import-card")
        self.origin = remember(active) if card and active and card.contains(active) else None
        self.pending, self.pending_label, self.pending_origin = incoming, label, origin
        self.show_preview(incoming, origin, label)
        reveal("preview", focus=True)

    def show_preview(self, incoming: document.Incoming, origin: str, label: str) -> None:
        """The preview (app/web/preview.py), the file's date, « Restaurer » over what this device holds."""
        render_preview(self.ctx, incoming, int(js.Date.now()), origin, label)
        cards.restore_over_choice(self.ctx, incoming)
        cards.made_when(self.ctx, incoming)  # right under the summary, above the restore's sentence

    def show_error(self, exc: CellulesError | str) -> None:
        """An intake's error (or its words), just below the control that was used (`near`), in view and focused."""
        self.pending = None
        clear(by_id("import-preview"))
        message_near(by_id("import-error"), self.near, exc if isinstance(exc, str) else exc.message(self.ctx.lang))

    def clear_result(self) -> None:
        by_id("import-error").textContent = ""
        clear(by_id("import-report"))
        self.report = None

    def on_cancel(self, _target) -> None:
        """« Fermer sans importer »: nothing is stored; the focus goes back where the user was."""
        self.pending = None
        clear(by_id("import-preview"))
        give_back(self.origin, "import-file")
        reveal(js.document.activeElement, "nearest")

    async def on_apply(self, target) -> None:
        mode = data(target, "action").removeprefix("do-")
        incoming = self.pending
        if incoming is None:
            return
        skip = {str(box.getAttribute("data-plan")) for box in js.document.querySelectorAll("[data-plan]")
                if not box.checked}
        now, grid, adopt = int(js.Date.now()), self.ctx.grid, ticked_to_adopt()  # adopt: created on my other device
        if mode == "replace":
            counts = merge.preview_counts(merge.preview(self.ctx.state, incoming, mode="replace", now_ms=now))
            removed = how_many(self.ctx, *effects_of(self.ctx.state, incoming, now).removed_counts())
            if not js.window.confirm(self.t("pv.confirm_replace", what=removed, deleted=counts["deleted"],
                                            new=counts["new"], changed=counts["changed"])):
                return
        # another group's backup on a device that wrote something: asked (unless unnamed, told and undoable)
        told = self.ctx.unnamed() and restore_over.can_restore_over(self.ctx.state, incoming)
        question = merge.restore_plan(self.ctx.state, incoming, now_ms=now).question(self.ctx.lang) \
            if mode == "restore" and not told else ""
        if question and not js.window.confirm(question):
            return

        address = kept_address(self.pending_origin, self.pending_label)

        def change(state):
            if mode == "restore" and restore_over.can_restore_over(state, incoming):  # its undo: session.restore_undo
                return restore_over.restore_over(state, incoming, now_ms=now, device_seed=os.urandom(16),
                                                 known_nodes=grid)
            if mode == "restore":
                return merge.restore_backup(state, incoming, now_ms=now, device_seed=os.urandom(16), known_nodes=grid)
            if mode == "replace":
                new, report = merge.replace(state, incoming, now_ms=now, known_nodes=grid, adopt=adopt)
            else:
                new, report = merge.merge(state, incoming, now_ms=now, skip=skip, known_nodes=grid, adopt=adopt)
            if address:  # the source remembers where it was loaded from: « Sources » offers « Actualiser »
                new = refresh.with_address(new, report.source_id, address)
            return new, report

        undo = restore_undo(now, incoming.instance_name) if mode == "restore" else \
            import_undo(now, mode, incoming.instance_name)
        ok, report = await self.ctx.session.act(change, undo=undo, journal=lambda r: r.to_json())
        if not ok:
            self.preview_error(report)
            return
        if mode == "restore":  # the reminder says the data is that backup's, not a backup of this device
            note_restored(self.ctx.state, incoming.exported_at)
            drop_backup_hint()
        self.pending = None
        self.report = report
        clear(by_id("import-preview"))
        self.render_report()
        reveal("report", focus=True)  # the preview the focus was in is gone: the result takes it
        self.ctx.changed()
        self.refresh_export_card()
        await self.refresh_journal()

    def render_report(self) -> None:
        """The outcome; after « Remplacer », what « retirés » and « supprimés » mean, in plain words."""
        replaced = self.report.action == "replace"
        replace_children(by_id("import-report"),
                         el("div", {"class": "card report", "id": "report"},
                            el("h3", {"text": self.t("x.report")}),
                            el("p", {"id": "report-summary", "text": self.report.summary(self.ctx.lang)}),
                            el("p", {"class": "muted", "id": "report-removed", "text": self.t("pv.report_removed")})
                            if replaced and self.report.removed else None,
                            el("p", {"class": "muted", "id": "report-deleted", "text": self.t("pv.report_deleted")})
                            if replaced and self.report.deleted else None))

    def preview_error(self, exc: CellulesError) -> None:
        """A failure of « Fusionner » / « Remplacer » (storage full…): shown next to those buttons;
        the preview stays so the user can try again."""
        node = by_id("preview-error")
        if not node:
            self.show_error(exc)
            return
        set_text(node, exc.message(self.ctx.lang))
        reveal(node, "center")

    # --- undo ---------------------------------------------------------------------------------------
    async def on_undo(self, target) -> None:
        """Every undo button (the journal's, the report's, the one after a removed source's message in
        « Sources »): the outcome is said where the button clicked was."""
        await self.undo(WHERE_UNDONE.get(str(target.id or ""), "journal-actions"))

    async def undo(self, near: str | None = "journal-actions") -> None:
        """« Annuler le dernier import » (app/web/journal.py); the outcome is said next to `near` (an id), or
        in the current view's message (None: where « Annuler cette suppression » was, in « Sources »)."""
        text, error, changed = await undo_last(self.ctx)
        if changed:
            self.report = None
            if by_id("import-report"):
                clear(by_id("import-report"))
            self.ctx.changed()
            self.refresh_export_card()
            await self.refresh_journal()
        if near:
            self.say(text, near, error=error)
        else:
            self.ctx.status(text, error=error)
        if near == "journal-actions":
            give_back("#journal-title" if not by_id("undo-last") or by_id("undo-last").disabled else "#undo-last")
        else:  # the button clicked is gone with the report or the message it was in: the focus goes to its outcome
            reveal(self.ctx.regions[self.ctx.view], "nearest", focus=True)
