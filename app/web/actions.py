"""The one table of what the page's controls do: `data-action` (clicks), `data-input` (typing,
choosing, picking a file) and `data-form` (submitting) -> (handler group, method).

Groups are the objects app/web/shell.py builds: the views (app/web/views/*), the two parts the
exchange view is made of (formats, intake) and the shell itself. Every handler takes the element
that carries the attribute; it may be a coroutine function. tests/lint/test_web_structure.py checks
both ways: every value used in app/web is here, and every entry names a method that exists.

Repeated clicks and taps (`Running`, `repeated`): every click and submit passes through the shell's
`run`, which asks `Running` first. A handler that is still running for a control (its handler and
its data-id: « Fusionner » and « Remplacer » are one decision, each source's « Supprimer » its own)
ignores new clicks and submits until it ends; meanwhile the control says it is busy (aria-busy,
aria-disabled: it keeps the focus, and static/app.css greys it). The second click of a double
click (`event.detail` ≥ 2) never starts anything: when the first one already ended, what now sits
under the pointer (the report where the preview was, the list where the form was) is not clicked
either. Typing and choosing (`data-input`) are never held back.
"""

from __future__ import annotations

# group -> (module, class) holding its handlers (read by the shell and by the lint test)
GROUPS = {
    "shell": ("app.web.shell", "App"),
    "intake": ("app.web.intake", "Intake"),
    "formats": ("app.web.formats_ui", "FormatExports"),
    "cellules": ("app.web.views.cellules", "CellulesView"),
    "forms": ("app.web.views.forms", "FormsView"),
    "map": ("app.web.views.map_view", "MapView"),
    "exchange": ("app.web.views.exchange", "ExchangeView"),
    "sources": ("app.web.views.sources", "SourcesView"),
    "settings": ("app.web.views.settings", "SettingsView"),
    "qr": ("app.web.views.qr_dialog", "QrDialog"),
    "anim": ("app.web.views.qr_anim", "AnimatedQr"),
    "history": ("app.web.views.history", "HistoryDialog"),
    "live": ("app.web.views.live_dialog", "LiveDialog"),
    "welcome": ("app.web.views.welcome", "WelcomeView"),  # first visit, install
}

CLICK = {
    "tab": ("shell", "on_tab"),
    "backup-now": ("shell", "on_backup_now"),
    # Cellules
    "open-cellule": ("cellules", "on_open"),
    "delete-cellule": ("cellules", "on_delete"),
    "delete-atelier": ("cellules", "on_delete"),
    "new-cellule": ("forms", "on_new_cellule"),
    "edit-cellule": ("forms", "on_edit"),
    "new-atelier": ("forms", "on_new_atelier"),
    "edit-atelier": ("forms", "on_edit"),
    "cancel-form": ("forms", "on_cancel"),
    "pick-node": ("forms", "on_pick_node"),
    "pick-on-map": ("forms", "on_pick_on_map"),
    "show-qr": ("qr", "on_show"),
    "close-qr": ("qr", "on_close"),
    "history-open": ("history", "on_open"),
    "history-restore": ("history", "on_restore"),
    "history-close": ("history", "on_close"),
    "mark-seen": ("history", "on_seen"),
    # Carte
    "map-hit": ("map", "on_hit"),
    "map-near-me": ("map", "on_near_me"),
    "map-close-panel": ("map", "on_close_panel"),
    "map-cancel-pick": ("map", "on_cancel_pick"),
    "map-choose": ("map", "on_choose"),
    "map-create": ("map", "on_create"),
    # Échanger: export
    "export-full": ("exchange", "on_export"),
    "export-cellules": ("exchange", "on_export"),
    "export-copy": ("exchange", "on_export"),
    "export-sql": ("exchange", "on_export_sql"),
    "anim-open": ("anim", "on_open"),
    "live-open": ("live", "on_open"),
    "anim-kind": ("anim", "on_kind"),
    "anim-close": ("anim", "on_close"),
    "fx-csv-cellules": ("formats", "on_export"),
    "fx-csv-ateliers": ("formats", "on_export"),
    "fx-geojson": ("formats", "on_export"),
    "fx-ics": ("formats", "on_export"),
    "fx-print": ("formats", "on_print"),
    # Échanger: import
    "import-paste": ("intake", "on_paste"),
    "import-url": ("intake", "on_url"),
    "scan-camera": ("intake", "on_camera"),
    "scan-stop": ("intake", "on_stop_camera"),
    "do-merge": ("exchange", "on_apply"),
    "do-replace": ("exchange", "on_apply"),
    "do-restore": ("exchange", "on_apply"),
    "cancel-import": ("exchange", "on_cancel"),
    "undo": ("exchange", "on_undo"),
    # Sources, Cette instance
    "drop-source": ("sources", "on_drop_source"),
    "refresh-source": ("sources", "on_refresh"),
    "refresh-all": ("sources", "on_refresh"),
    "refresh-merge": ("sources", "on_refresh_merge"),
    "refresh-cancel": ("sources", "on_refresh_cancel"),
    "wipe": ("settings", "on_wipe"),
    # --- undo a cellule's deletion, copy the QR link, install the app ---
    "undo-delete-cellule": ("cellules", "on_undo_delete"),
    "qr-copy-link": ("qr", "on_copy_link"),
    "install-app": ("welcome", "on_install"),
    # --- the group's name, asked after an import too ---
    "welcome-later": ("welcome", "on_later"),
    "welcome-restore": ("welcome", "on_restore"),
    "name-group": ("welcome", "on_name"),
}

INPUT = {
    "filter-text": ("cellules", "on_filter"),
    "filter-commune": ("cellules", "on_filter"),
    "filter-fed": ("cellules", "on_filter"),
    "node-search": ("forms", "on_node_search"),
    "map-search": ("map", "on_search"),
    "import-file": ("intake", "on_file"),
    "scan-image": ("intake", "on_photo"),
}

FORM = {
    "cellule": ("forms", "on_submit"),
    "atelier": ("forms", "on_submit"),
    "settings": ("settings", "on_save"),
    # --- first visit ---
    "welcome": ("welcome", "on_start"),
}

TABLES = {"action": CLICK, "input": INPUT, "form": FORM}


def repeated(event) -> bool:
    """The second (third…) click of a double click: never a new command (keyboard clicks are 0)."""
    return int(getattr(event, "detail", 0) or 0) > 1


class Running:
    """The handlers running now, by control; a control whose handler runs shows it is busy."""

    def __init__(self) -> None:
        self.keys: set[tuple[str, str, str]] = set()

    @staticmethod
    def key(kind: str, entry: tuple[str, str], target) -> tuple[str, str, str] | None:
        """(group, method, data-id) for a click or a submit; None for typing and choosing."""
        if kind == "input":
            return None
        has = hasattr(target, "hasAttribute") and target.hasAttribute("data-id")
        return entry[0], entry[1], str(target.getAttribute("data-id")) if has else ""

    def busy(self, key: tuple[str, str, str] | None) -> bool:
        return key is not None and key in self.keys

    def start(self, key: tuple[str, str, str] | None, target) -> None:
        if key is None:
            return
        self.keys.add(key)
        for node in controls(target):
            node.setAttribute("aria-busy", "true")
            if str(node.tagName) != "FORM" and not node.hasAttribute("aria-disabled"):  # (JS null is not None)
                node.setAttribute("aria-disabled", "true")
                node.setAttribute("data-busy-disabled", "true")  # ours to take back

    def end(self, key: tuple[str, str, str] | None, target) -> None:
        if key is None:
            return
        self.keys.discard(key)
        for node in controls(target):
            node.removeAttribute("aria-busy")
            if node.hasAttribute("data-busy-disabled"):
                node.removeAttribute("aria-disabled")
                node.removeAttribute("data-busy-disabled")


def controls(target) -> list:
    """The element that started an action and, for a form, its submit buttons."""
    if str(getattr(target, "tagName", "")) != "FORM":
        return [target]
    return [target, *target.querySelectorAll("button[type=submit], input[type=submit]")]
