"""The shell of the page: tabs and view panels, the header, the backup banner, and the event
delegation that sends every click, input and submit to its handler through app/web/actions.py.

The DOM is built once (tabs and view sections, each with its live region); each view re-renders
only its own parts. A few listeners on #app read `data-action` / `data-form` / `data-input`, so
re-rendering never leaks JS proxies. A click or a submit on a control whose handler still runs, and
the second click of a double click, start nothing (app/web/actions.py `Running`). Errors of a
handler reach the current view's live region in the user's language (a bug too, with details in
the console); user text is always set as text. Dependencies: shell -> views -> context/session -> store."""

from __future__ import annotations

import asyncio
import inspect

import js  # type: ignore[import-not-found]

from app.core import actions as core_actions
from app.core import names
from app.core.errors import CellulesError
from app.core.grid import Grid
from app.core.model import State
from app.web import actions
from app.web.context import TAB_NAMES, TABS, Context, Hooks
from app.web.dom import by_id, data, el, replace_children
from app.web.feedback import relabel, show_chosen
from app.web.formats_ui import FormatExports
from app.web.intake import Intake
from app.web.journal import offer_undo
from app.web.place_search import results_key
from app.web.session import Session
from app.web.views.cellules import CellulesView
from app.web.views.exchange import ExchangeView
from app.web.views.forms import FormsView
from app.web.views.help import HelpView
from app.web.views.history import HistoryDialog
from app.web.views.live_dialog import LiveDialog
from app.web.views.map_view import MapView
from app.web.views.qr_anim import AnimatedQr
from app.web.views.qr_dialog import QrDialog
from app.web.views.settings import SettingsView
from app.web.views.sources import SourcesView
from app.web.views.welcome import WelcomeView


class App:
    def __init__(self, db, state: State, generation: int, grid: Grid) -> None:
        self.session = Session(db, state, generation)
        # what views reach each other through: this shell's methods (the form's once it is built)
        self.ctx = ctx = Context(self.session, grid, Hooks(
            go=self.switch, open_form=lambda *args, **values: self.forms.open(*args, **values),
            changed=self.after_data_change, open_cellule=self.open_cellule, after_status=self.after_status))
        self.root = by_id("app")
        self.cellules = CellulesView(ctx)
        self.forms = FormsView(ctx)
        self.map = MapView(ctx)
        self.formats = FormatExports(ctx)
        self.exchange = ExchangeView(ctx, self.formats)
        self.intake = Intake(ctx, self.exchange)
        self.sources = SourcesView(ctx)
        self.help = HelpView(ctx)
        self.settings = SettingsView(ctx)
        self.qr = QrDialog(ctx)
        self.anim = AnimatedQr(ctx)
        self.live = LiveDialog(ctx)
        self.history = HistoryDialog(ctx)
        self.welcome = WelcomeView(ctx)
        self.running = actions.Running()
        self.groups = {name: getattr(self, name) for name in actions.GROUPS if name != "shell"} | {"shell": self}

    # --- skeleton ---------------------------------------------------------------------------------
    def mount(self) -> None:
        ctx = self.ctx
        tabs = el("nav", {"class": "tabs", "role": "tablist", "id": "tabs"})
        for name in TAB_NAMES:
            tabs.appendChild(el("button", {"type": "button", "role": "tab", "id": f"tab-{name}",
                                           "data-action": "tab", "data-tab": name, "aria-controls": f"view-{name}"}))

        def panel(name: str, *children):
            return el("section", {"id": f"view-{name}", "role": "tabpanel", "aria-labelledby": f"tab-{name}",
                                  "hidden": name != "cellules"}, ctx.regions[name], *children)

        replace_children(
            self.root,
            el("div", {"id": "backup-banner", "class": "banner", "role": "status", "hidden": True}),
            tabs,
            panel("cellules", el("div", {"id": "welcome-slot"}), el("div", {"id": "undo-slot"}),
                  el("div", {"class": "row", "id": "list-tools"}),
                  el("div", {"id": "form-slot"}),
                  el("div", {"id": "list-slot"})),
            *(panel(name) for name in TAB_NAMES if name != "cellules"),
            el("dialog", {"id": "qr-dialog", "aria-labelledby": "qr-title", "class": "qr-dialog"}),
        )
        self.map.mount()
        self.welcome.mount()
        for event, handler in (("click", self.on_click), ("submit", self.on_submit), ("input", self.on_input),
                               ("change", self.on_input), ("keydown", self.on_keydown)):
            ctx.listen(self.root, event, handler)
        ctx.listen(by_id("install-app"), "click", self.on_click)  # in the header, outside #app
        ctx.listen(js.document, "focusin", lambda _e: js.setTimeout(ctx.uncover_later, 0))  # after the browser's scroll
        lang = by_id("lang-toggle")
        lang.hidden = False
        ctx.listen(lang, "click", lambda _e: self.toggle_lang())
        if self.session.channel:
            ctx.listen(self.session.channel, "message", self.on_broadcast)
        boot_tab = js.document.documentElement.getAttribute("data-boot-tab")  # a tab chosen before Python ran
        ctx.view = str(boot_tab) if boot_tab is not None and str(boot_tab) in TAB_NAMES else "cellules"
        ctx.focus_region(ctx.view)
        self.render_all()
        self.render_backup_banner()

    def render_all(self) -> None:
        ctx = self.ctx
        js.document.documentElement.lang = ctx.lang
        by_id("lang-toggle").textContent = ctx.t("lang.other")
        by_id("tabs").setAttribute("aria-label", ctx.t("tab.bar_label"))
        for name, key in TABS:
            tab = by_id(f"tab-{name}")
            tab.textContent = ctx.t(key)
            tab.setAttribute("aria-selected", "true" if ctx.view == name else "false")
            by_id(f"view-{name}").hidden = ctx.view != name
        self.render_header()
        self.welcome.render()
        self.cellules.render_tools()
        self.forms.render()
        self.cellules.render_list()
        self.map.render_texts()
        view = {"map": self.map.show, "settings": self.settings.render, "exchange": self.exchange.render,
                "sources": self.sources.render, "help": self.help.render}.get(ctx.view)
        if view:
            view()
        offer_undo(ctx)  # the report drawn again still offers the undo of what it reports

    def render_header(self) -> None:
        state = self.ctx.state  # the default name (« Mon association ») reads in the interface's language
        by_id("instance-label").textContent = self.ctx.t("instance.label", id=state.instance_id,
                                                         name=names.shown_name(self.ctx.lang, state.instance_name))

    def after_data_change(self) -> None:
        """Re-render what shows stored data, after an edit, an import, an undo or a drop-source."""
        self.render_header()
        self.welcome.render()
        self.cellules.render_tools()
        self.cellules.render_list()
        self.map.refresh()
        if self.ctx.view == "sources":
            self.sources.render()
        self.refresh_formats()
        offer_undo(self.ctx)  # in the report of the import just done
        asyncio.ensure_future(self.render_storage())  # the footer's « vos données »

    def after_status(self) -> None:  # a view's message changed: a deletion's undo bar, a removed source's undo
        self.cellules.render_undo()
        offer_undo(self.ctx)
        self.ctx.measure()

    def refresh_formats(self) -> None:
        """« Ateliers de » (the calendar export, in « Échanger ») lists the cellules of now, the choice kept."""
        card = by_id("formats-card")
        if not card:
            return
        chosen, qr = str(by_id("ics-cellule").value), bool(by_id("print-qr").checked)
        card.replaceWith(self.formats.section())
        select = by_id("ics-cellule")
        select.value = chosen
        if select.selectedIndex < 0:  # that cellule is gone: all of them
            select.selectedIndex = 0
        by_id("print-qr").checked = qr

    def open_cellule(self, cellule_id: str) -> None:
        self.cellules.open_cellule = cellule_id

    def render_backup_banner(self) -> None:
        """Eviction and loss happen: remind to export when the last full backup is too old."""
        age = core_actions.backup_age(self.ctx.state, int(js.Date.now()))
        if not age.remind:
            return
        banner = by_id("backup-banner")
        t = self.ctx.t
        replace_children(banner, el("span", {"text": t("x.backup_banner", days=age.days) + ". "
                                             + t("ev.backup_why") + " — "}),
                         el("button", {"type": "button", "data-action": "backup-now", "text": t("x.export_full")}))
        banner.hidden = False

    async def render_storage(self) -> None:
        """The storage figures (the footer's too): from the state held now, then as the browser counts them."""
        self.settings.render_footer()
        await self.settings.render_storage()

    # --- navigation -------------------------------------------------------------------------------
    def switch(self, view: str) -> None:
        if self.ctx.view == "cellules" and self.ctx.form:
            self.forms.capture()
        self.ctx.view = view
        self.ctx.focus_region(view)
        self.render_all()

    def toggle_lang(self) -> None:
        old = self.ctx.lang
        self.ctx.lang = "en" if old == "fr" else "fr"
        js.localStorage.setItem("cellules-lang", self.ctx.lang)
        self.ctx.regions[self.ctx.view].textContent = ""  # a message in the other language would stay behind
        self.render_all()
        relabel(old, self.ctx.lang)  # labels of what was not re-rendered (other views, an open panel)

    def on_tab(self, target) -> None:
        self.switch(data(target, "tab"))

    async def on_backup_now(self, _target) -> None:
        self.switch("exchange")
        await self.exchange.export("full")
        by_id("backup-banner").hidden = True

    def on_broadcast(self, event) -> None:
        if str(event.data) == "wiped":
            js.location.reload()
        else:
            asyncio.ensure_future(self.reload())

    async def reload(self) -> None:
        await self.session.reload()
        self.render_header()
        self.cellules.render_list()
        self.map.refresh()
        asyncio.ensure_future(self.render_storage())  # another tab wrote: the footer's size follows

    # --- events -----------------------------------------------------------------------------------
    def run(self, kind: str, name: str | None, target) -> None:
        """Call the handler the table names for `name`; its synchronous part runs at once (a tab
        switch is never overtaken by a later event), a coroutine is awaited in the background and
        its control is busy until it ends (a click or submit meanwhile is ignored)."""
        entry = actions.TABLES[kind].get(name or "")
        if entry is None:
            return
        key = self.running.key(kind, entry, target)
        if self.running.busy(key):
            return
        self.ctx.quiet(target)  # the user acts again: the view's old message goes
        try:
            result = getattr(self.groups[entry[0]], entry[1])(target)
        except Exception as exc:
            self.failed(name, exc)
            return
        if inspect.isawaitable(result):
            self.running.start(key, target)  # before the coroutine's first step: the next click waits for none
            asyncio.ensure_future(self.finish(name, result, key, target))

    async def finish(self, name: str, result, key=None, target=None) -> None:
        try:
            await result
        except Exception as exc:
            self.failed(name, exc)
        finally:
            self.running.end(key, target)

    def failed(self, name: str, exc: Exception) -> None:
        if isinstance(exc, CellulesError):
            self.ctx.fail(exc)
            return
        js.console.error(f"action {name}: {exc!r}")  # a bug still reaches the screen in French
        self.ctx.fail(CellulesError("unexpected", detail=type(exc).__name__))

    def on_click(self, event) -> None:
        if actions.repeated(event) and event.target.closest("[data-action], [type=submit]"):
            event.preventDefault()  # the second click of a double click: no second submit either
            return
        target = event.target.closest("[data-action]")
        if target:
            self.run("action", data(target, "action"), target)

    def on_submit(self, event) -> None:
        event.preventDefault()
        self.run("form", data(event.target, "form"), event.target)

    def on_input(self, event) -> None:
        target = event.target
        picked = str(target.type) == "file"
        if (event.type == "change") != picked and not (event.type == "change" and target.tagName == "SELECT"):
            return  # files on "change"; a text field's "change" (on blur) would re-render results under the pointer
        if picked:
            show_chosen(target, self.ctx.lang)  # the file's name next to its button, before it is read
        self.run("input", data(target, "input"), target)

    def on_keydown(self, event) -> None:
        """Arrow keys move between tabs (WAI-ARIA tabs pattern) and in place-search results."""
        if results_key(event) or data(event.target, "action") != "tab":
            return
        target = tab_after(data(event.target, "tab"), event.key)
        if target:
            event.preventDefault()
            self.switch(target)
            by_id(f"tab-{target}").focus()


def tab_after(current: str, key: str) -> str | None:
    i = TAB_NAMES.index(current)
    moves = {"ArrowRight": i + 1, "ArrowLeft": i - 1, "Home": 0, "End": len(TAB_NAMES) - 1}
    return TAB_NAMES[moves[key] % len(TAB_NAMES)] if key in moves else None
