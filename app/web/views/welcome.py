"""The first visit and installing the app: the welcome card, « Installer l’application », the iOS hint.

Welcome: on the first visit (app/web/main.py made a new state with the default name, so nothing is
lost if the page closes now) a card on top of the empty list says what a cellule and an atelier are,
that the data stays here, and asks the name others will see. It never blocks: the rest of the app
works around it, and it goes once the user has answered, has made data of their own (a cellule, a
restored backup), or chose « Plus tard » (remembered on this device). Someone who arrived through a
link or a file (#import=…, a share) has only received cellules: the card shows after that import,
at this visit or a later one, and says so; it never comes before an import (the link opens
« Échanger », and the card lives in « Cellules »). Until the group is named, « Exporter » says which
name the files carry (app/web/views/exchange.py) with a button to the name in « Réglages »
(`on_name`). A second visit with nothing received never shows it.

Install: browsers that can install the app fire `beforeinstallprompt`, possibly before Python runs;
static/boot.js keeps that event in `window.cellulesInstallPrompt` and fires « cellules-install »
when it comes or goes. The header's button shows only while the offer stands. iOS Safari has no
such event: on an iPhone/iPad outside the installed app, one line says how (Share → Home Screen),
and, the first time, why: Safari erases the data of a site not opened for seven days unless it is
on the Home Screen.
"""

from __future__ import annotations

import js  # type: ignore[import-not-found]

from app.core import actions
from app.web.context import Context
from app.web.dom import by_id, clear, el, replace_children, set_text
from app.web.import_card import point_to_backup

IOS = ("iPhone", "iPad", "iPod")
LATER = "cellules-welcome-later"  # localStorage: the group (its id) for which « Plus tard » was chosen
IOS_WHY = "cellules-ios-why"  # localStorage: why « Sur l’écran d’accueil » was said once on this device


def install_offer():
    """The browser's kept `beforeinstallprompt` event (static/boot.js), or None (JS null included)."""
    offer = getattr(js.window, "cellulesInstallPrompt", None)
    return offer if offer and hasattr(offer, "prompt") else None


def is_ios_browser() -> bool:
    """An iPhone/iPad (iPadOS says « Macintosh » but has touch) not already running the installed app."""
    nav = js.navigator
    agent = str(nav.userAgent)
    ios = any(word in agent for word in IOS) or ("Macintosh" in agent and int(nav.maxTouchPoints or 0) > 1)
    standalone = bool(getattr(nav, "standalone", False)) or bool(
        js.window.matchMedia("(display-mode: standalone)").matches)
    return ios and not standalone


class WelcomeView:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.error = ""
        self.ios_why = False  # this page says why « Sur l’écran d’accueil » (Safari erases unvisited sites)

    def t(self, key: str, **params) -> str:
        return self.ctx.t(key, **params)

    def mount(self) -> None:
        self.ctx.listen(js.window, "cellules-install", lambda _e: self.render_install())

    def showing(self) -> bool:
        state = self.ctx.state
        if not self.ctx.unnamed() or js.localStorage.getItem(LATER) == state.instance_id:
            return False
        live = state.live_cellules()
        if any(not state.is_federated(c) for c in live):  # cellules of their own: they found their way
            return False
        # still unnamed, nothing of its own, not put off: a device opened once « to look » and reopened
        # still needs its name or its group's backup (not only on the very first visit)
        return True

    def received(self) -> bool:
        return bool(self.ctx.state.live_cellules())

    # --- rendering ------------------------------------------------------------------------------
    def render(self) -> None:
        self.render_install()
        slot = by_id("welcome-slot")
        if not self.showing():
            clear(slot)
            return
        replace_children(slot, el(
            "section", {"class": "card welcome", "id": "welcome", "aria-labelledby": "welcome-title"},
            el("h2", {"id": "welcome-title", "text": self.t("welcome.title")}),
            el("p", {"text": self.t("welcome.received")}) if self.received() else None,
            el("p", {"text": self.t("welcome.cellule")}),
            el("p", {"text": self.t("welcome.atelier")}),
            el("p", {"text": self.t("welcome.private")}),
            el("form", {"data-form": "welcome", "id": "welcome-form", "novalidate": True},
               el("label", {"for": "welcome-name", "text": self.t("welcome.name")}),
               el("p", {"class": "muted small", "id": "welcome-name-hint", "text": self.t("welcome.name_hint")}),
               el("input", {"id": "welcome-name", "name": "name", "autocomplete": "organization",
                            "aria-describedby": "welcome-name-hint welcome-error"}),
               el("p", {"id": "welcome-error", "class": "error-text", "role": "alert", "text": self.error}),
               el("div", {"class": "actions"},
                  el("button", {"type": "submit", "id": "welcome-start", "text": self.t("welcome.start")}),
                  el("button", {"type": "button", "id": "welcome-later", "class": "secondary",
                                "data-action": "welcome-later", "text": self.t("welcome.later")}))),
            # a new phone of a group that exists: its backup, not a new name, is what it needs
            None if self.received() else el(
                "p", {"id": "welcome-restore"}, self.t("welcome.restore_lead") + " ",
                el("button", {"type": "button", "id": "welcome-restore-go", "class": "secondary",
                              "data-action": "welcome-restore", "text": self.t("welcome.restore_go")}))))

    def render_install(self) -> None:
        button, hint = by_id("install-app"), by_id("install-hint")
        offer = install_offer()
        button.textContent = self.t("install.button")
        button.hidden = offer is None
        ios = is_ios_browser()
        if ios and not self.ios_why and not js.localStorage.getItem(IOS_WHY):  # JS null is falsy, not None
            js.localStorage.setItem(IOS_WHY, "1")  # said once on this device, kept for this page's life
            self.ios_why = True
        hint.textContent = self.t("ev.ios_why" if self.ios_why else "install.ios")
        hint.hidden = not ios

    # --- handlers (app/web/actions.py) ------------------------------------------------------------
    async def on_start(self, _target) -> None:
        name = str(by_id("welcome-name").value).strip()
        if not name:
            self.error = self.t("welcome.name_needed")
            set_text(by_id("welcome-error"), self.error)
            by_id("welcome-name").focus()
            return
        ok, info = await self.ctx.session.act(lambda s: (actions.rename_instance(s, name), None))
        if not ok:
            self.error = info.message(self.ctx.lang)
            set_text(by_id("welcome-error"), self.error)
            return
        received = self.received()
        self.error = ""
        self.render()
        self.ctx.changed()
        self.ctx.status(self.t("welcome.done_received" if received else "welcome.done", name=name))
        self.ctx.focus_later("#new-cellule")

    def on_later(self, _target) -> None:
        """« Plus tard »: the card goes, on this device for good (the name stays in « Réglages »)."""
        js.localStorage.setItem(LATER, self.ctx.state.instance_id)
        self.render()
        self.ctx.focus_later("#new-cellule")

    def on_restore(self, _target) -> None:
        """« Restaurer une sauvegarde »: to « Échanger », on its file picker (in view, focused, with the
        sentence saying which file to choose)."""
        self.ctx.go("exchange")
        point_to_backup(self.ctx)

    def on_name(self, _target) -> None:
        """« Donner le nom » (the export card, while the group is unnamed): « Réglages », on the name."""
        self.ctx.go("settings")
        self.ctx.focus_later("#instance-name")

    async def on_install(self, _target) -> None:
        offer = install_offer()
        if offer is None:
            self.render_install()
            return
        offer.prompt()
        choice = await offer.userChoice
        js.window.cellulesInstallPrompt = None  # an offer is good for one prompt
        self.render_install()
        if str(getattr(choice, "outcome", "")) == "accepted":
            self.ctx.status(self.t("install.done"))
