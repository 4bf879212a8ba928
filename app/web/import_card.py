"""The two cards of « Échanger »'s first row. « Exporter » (`export_card`): the backup reminder, while the
group is unnamed the name its files would carry and the way to give one, the exports; drawn again
in place (`refresh_export_card`) when the data changes under it (a restore names the group).
The import box (`import_card`): its controls (a file, a paste, an address, the camera, a photo of a
code), the place of its error and of its preview and report. app/web/intake.py reads what arrives;
app/web/views/exchange.py shows the preview and the report in the places made here.

The hint above the controls names what this screen offers: dropping a file anywhere on the page on a
computer, not on a touch or narrow screen (Context.touch), where nothing can be dropped.

The welcome's « Restaurer une sauvegarde » lands on the file picker (`point_to_backup`): one sentence above
it says which file to choose, and it comes to the top of the screen, focused (on a phone the export card
and its « Donner le nom » come first on the page: not what a new phone of a group needs).

A device that already holds something (a new phone with a test cellule) and receives the full backup of a
group it is not is offered « Restaurer cette sauvegarde » too (`restore_over_choice`, added to the preview's
decision): one sentence says what the device holds now, counted, is replaced and that « Annuler cette
restauration » gives it back, name included. While the device has the default name (« Mon association »)
the restore comes first and highlighted, « Fusionner » secondary; on a named group it is a secondary choice
(app/web/views/exchange.py asks before restoring over it).

The preview says when the file was made, under its summary (`made_when`): « Sauvegarde du jeudi 29 janvier
2026, 11 h » (a full backup), « Export du … » (cellules only): which of several backups is the newest.

The backup reminder says what is true of this device: right after a restore (`note_restored`) the data is
the backup's, made on another device, and this one has made none: « Restauré depuis la sauvegarde du
jeudi 29 janvier 2026, 11 h. Cet appareil n’a pas encore fait sa propre sauvegarde… », until it makes one
(its « Tout exporter » stamps lastFullExportAt; the reminder then counts from it as everywhere).
"""

from __future__ import annotations

import json

import js  # type: ignore[import-not-found]

from app.core import actions, document, i18n, names, restore_over
from app.core.report import count_phrase
from app.web.context import Context
from app.web.dom import by_id, el, reveal, set_text
from app.web.feedback import file_picker

PRIMARY = "background:var(--green);color:#fff;font-weight:600"  # a file picker as the page's main action
SUMMARY = "min-height:44px;padding:.6rem 0;box-sizing:border-box;cursor:pointer;margin-top:.3rem"  # a 44 px target


def button(attrs: dict, text: str):
    """A button of « Échanger » (type=button: never a submit), `attrs` its id, data-action, class…"""
    return el("button", {"type": "button", **attrs, "text": text})


RESTORED = "cellules-restored"  # localStorage: {"id", "kept", "at"}: this device restored the backup made at `at`


def note_restored(state, backup_at: str) -> None:
    """After a restore: this device holds the backup made at `backup_at` (its exportedAt), and the
    lastFullExportAt it came with (`kept`), which is not a backup of this device."""
    js.localStorage.setItem(RESTORED, json.dumps({"id": state.instance_id, "kept": state.last_full_export_at,
                                                  "at": backup_at}))


def restored_from(state) -> str | None:
    """The date of the backup this device was restored from while it has made no backup of its own since
    (its lastFullExportAt is still the one the backup brought), else None."""
    try:
        mark = json.loads(str(js.localStorage.getItem(RESTORED) or "null"))
    except ValueError:
        return None
    if not isinstance(mark, dict) or mark.get("id") != state.instance_id or not isinstance(mark.get("at"), str):
        return None
    return mark["at"] if mark.get("kept") == state.last_full_export_at else None


def backup_reminder(ctx: Context) -> str:
    restored = restored_from(ctx.state)
    if restored:
        return ctx.t("x.restored_from", when=i18n.fmt_datetime(ctx.lang, restored, year=True))
    age = actions.backup_age(ctx.state, int(js.Date.now()))
    return ctx.t(age.code, days=age.days or 0)  # never / today / N days / N days, export now (core rule)


def name_hint(ctx: Context):
    """While the group has the default name: the name its files would carry, and the way to give one."""
    if not ctx.unnamed():
        return None
    return el("p", {"id": "export-name-hint"}, ctx.t("x.export_name_hint", name=ctx.state.instance_name), " ",
              button({"data-action": "name-group", "class": "secondary"}, ctx.t("x.name_group")))


def export_card(ctx: Context):
    t, b = ctx.t, button
    return el(
        "section", {"class": "card", "aria-labelledby": "export-title", "id": "export-card"},
        el("h2", {"id": "export-title", "text": t("x.export")}),
        el("p", {"class": "muted", "id": "backup-reminder", "text": backup_reminder(ctx)}),
        name_hint(ctx),
        el("div", {"class": "actions", "id": "export-actions"},
           b({"id": "export-full", "data-action": "export-full"}, t("x.export_full")),
           b({"id": "export-cellules", "data-action": "export-cellules", "class": "secondary"}, t("x.export_cellules")),
           b({"id": "export-qr", "data-action": "anim-open", "class": "secondary"}, t("q.anim.show")),
           b({"id": "live-open", "data-action": "live-open", "class": "secondary"}, t("lv.open")),
           b({"id": "export-copy", "data-action": "export-copy", "class": "secondary"}, t("x.copy"))),
        el("details", {"id": "advanced"},
           el("summary", {"text": t("x.advanced"), "style": SUMMARY}),
           el("p", {"class": "muted", "text": t("x.advanced_hint")}),
           el("div", {"class": "actions", "id": "advanced-actions"},
              b({"id": "export-sql", "data-action": "export-sql", "class": "secondary"}, t("x.export_sql")))))


def refresh_export_card(ctx: Context) -> None:
    """The reminder and the name hint read the state again, in place (the card stays: the view's message
    may sit in it, after the export buttons)."""
    if by_id("backup-reminder"):
        set_text(by_id("backup-reminder"), backup_reminder(ctx))
    old, fresh, row = by_id("export-name-hint"), name_hint(ctx), by_id("export-actions")
    if old and fresh:
        old.replaceWith(fresh)
    elif old:
        old.remove()
    elif fresh and row:
        row.before(fresh)


def _no_scroll():
    from pyodide.ffi import to_js  # type: ignore[import-not-found]

    return to_js({"preventScroll": True}, dict_converter=js.Object.fromEntries)


def point_to_backup(ctx: Context) -> None:
    """The welcome's « Restaurer une sauvegarde », on « Échanger »: the sentence saying which file to choose
    above the file picker, the picker highlighted, at the top of the screen when it was below, focused."""
    pick, field = by_id("import-file-pick"), by_id("import-file")
    if not pick or not field:
        return
    if not by_id("restore-pick"):
        pick.prepend(el("p", {"class": "file-intro", "id": "restore-pick", "text": ctx.t("x.restore_pick"),
                              "style": "scroll-margin-top:calc(var(--status-h, 0px) + .75rem)"}))
        field.setAttribute("aria-describedby", f"restore-pick {field.getAttribute('aria-describedby')}")
    sentence, button = by_id("restore-pick"), by_id("import-file-button")
    button.setAttribute("style", PRIMARY)  # the one thing to do here, as « Restaurer… » on the erased-data screen
    if sentence.getBoundingClientRect().top < 0 or button.getBoundingClientRect().bottom > js.window.innerHeight:
        reveal(sentence, "start")  # below the fold (a phone: the export card comes first), else left where it is
    field.focus(_no_scroll())


def drop_backup_hint() -> None:
    """The backup is restored: the sentence saying which file to choose goes."""
    sentence, field, button = by_id("restore-pick"), by_id("import-file"), by_id("import-file-button")
    if sentence:
        sentence.remove()
    if button:
        button.removeAttribute("style")
    if field:
        field.setAttribute("aria-describedby", " ".join(
            part for part in str(field.getAttribute("aria-describedby") or "").split() if part != "restore-pick"))


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
                    t("picker.choose_photo"), intro=t("q.image")),
        el("p", {"id": "import-error", "class": "error-text", "role": "alert"}),
        el("div", {"id": "import-preview"}),
        el("div", {"id": "import-report", "aria-live": "polite"}))


def restore_over_choice(ctx: Context, incoming: document.Incoming) -> None:
    """« Restaurer cette sauvegarde » in the preview's decision, for a full backup of a group this device is
    not, onto a device that holds something (restore_over.can_restore_over; an empty one has it from the
    preview itself), with one sentence saying what happens to what the device holds now (counted) and that
    the undo brings it back. While this device still has the default name (a new phone, a test cellule)
    the restore comes first, highlighted, its sentence under the preview's summary; on a named group (a
    partner's backup is merged, as a rule) it waits behind « Autres choix » with its sentence, as
    « Remplacer » does (in the bar, secondary, when there is no « Autres choix »)."""
    state = ctx.state
    bar = by_id("preview-decision")
    if bar is None or by_id("do-restore") or not restore_over.can_restore_over(state, incoming):
        return
    first, more = ctx.unnamed(), by_id("more-choices")
    cellules, ateliers = restore_over.held(state)
    params = {"name": incoming.instance_name, "current": names.shown_name(ctx.lang, state.instance_name)}
    what, held = count_phrase(ctx.lang, cellules, ateliers), [c.name for c in state.live_cellules()]
    if 0 < len(held) <= 3:  # a few test cellules: named, so she knows which ones the restore replaces
        quoted = ", ".join(ctx.t("pv.restore_over_held", name=n) for n in held)
        what = ctx.t("pv.restore_over_named", what=what, names=quoted)
    sentence = el("p", {"class": "restore-why", "id": "restore-over-explain", "text": ctx.t(
        "pv.restore_over", what=what, **params)
        if cellules + ateliers else ctx.t("pv.restore_over_nothing", **params)})
    button = el("button", {"type": "button", "id": "do-restore", "data-action": "do-restore",
                           "class": None if first else "secondary", "text": ctx.t("pv.restore")})
    if first:
        by_id("preview-summary").after(sentence)
        bar.querySelector(".actions").prepend(button)
        by_id("do-merge").classList.add("secondary")
    elif more:
        more.append(sentence, el("div", {"class": "actions", "style": "margin-top:0"}, button))
    else:
        by_id("preview-summary").after(sentence)
        by_id("cancel-import").before(button)


def made_when(ctx: Context, incoming: document.Incoming) -> None:
    """« Sauvegarde du jeudi 29 janvier 2026, 11 h » / « Export du … » right under the preview's summary
    (the file's exportedAt, Brussels time); nothing when the date cannot be read."""
    summary = by_id("preview-summary")
    if summary is None or by_id("preview-when"):
        return
    try:
        when = i18n.fmt_datetime(ctx.lang, incoming.exported_at, year=True)
    except (ValueError, TypeError, OverflowError):
        return
    key = "pv.when.full" if incoming.kind == "full" else "pv.when.cellules"
    summary.after(el("p", {"id": "preview-when", "class": "muted", "text": ctx.t(key, when=when)}))
