"""« Cette instance »: the name others see, the storage figures (and whether the browser granted
persistent storage), and « Effacer toutes mes données »."""

from __future__ import annotations

import asyncio

import js  # type: ignore[import-not-found]
from pyodide.ffi import create_proxy, to_js  # type: ignore[import-not-found]

from app.core import actions, i18n
from app.web.context import Context
from app.web.dom import by_id, el, set_text
from app.web.feedback import footer_words, status_near


async def storage_info() -> dict:
    """Whether the browser granted persistent storage, and how much this site uses of how much.
    Persistence is asked when it is justified (the first real data saved, an install: app/web/kept.py,
    static/boot.js), not each time these figures are read."""
    storage = getattr(js.navigator, "storage", None)
    if storage is None:
        return {"persisted": False, "usage": None, "quota": None}
    try:
        persisted = bool(await storage.persisted())
    except Exception:  # not offered by this browser
        persisted = False
    estimate = await storage.estimate()
    info = {"persisted": persisted, "usage": estimate.usage, "quota": estimate.quota}
    details = getattr(estimate, "usageDetails", None)  # Chromium: bytes by kind of storage
    if details is not None:
        data = int(getattr(details, "indexedDB", 0) or 0)  # the association's data (store.py)
        info.update(data=data, app=max(0, int(estimate.usage or 0) - data))  # the offline app, its snapshot
    return info


class SettingsView:
    """Also the page's footer (index.html): its words follow the language, its figures are these."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.storage: dict | None = None  # the last storage figures read
        # The shell sets <html lang> on every render (boot, language switch): the footer follows it.
        self._observer = js.MutationObserver.new(create_proxy(lambda *_a: self.render_footer()))
        self._observer.observe(js.document.documentElement, to_js({"attributes": True, "attributeFilter": ["lang"]},
                                                                  dict_converter=js.Object.fromEntries))

    def t(self, key: str, **params) -> str:
        return self.ctx.t(key, **params)

    def render(self) -> None:
        state = self.ctx.state
        self.ctx.fill(
            "settings",
            el("form", {"class": "card", "data-form": "settings"},
               el("label", {"for": "instance-name", "text": self.t("settings.name")}),
               el("input", {"id": "instance-name", "name": "instanceName", "value": state.instance_name,
                            "required": True}),
               el("p", {"id": "settings-error", "class": "error-text", "role": "alert"}),
               el("button", {"type": "submit", "text": self.t("form.save")})),
            el("p", {}, self.t("settings.id") + self.t("punct.colon"),
               el("code", {"id": "instance-id", "text": state.instance_id})),
            el("h2", {"text": self.t("settings.storage")}),
            el("p", {"id": "storage-status"}),
            el("h2", {"text": self.t("settings.danger")}),
            el("p", {"class": "muted", "text": self.t("settings.wipe_explain")}),
            el("button", {"type": "button", "class": "danger", "id": "wipe", "data-action": "wipe",
                          "text": self.t("settings.wipe")}),
        )
        asyncio.ensure_future(self.render_storage())

    async def render_storage(self) -> None:
        """The storage figures here and in the footer (#storage-info, index.html)."""
        self.storage = await storage_info()
        self.render_footer()
        node = by_id("storage-status")
        if not node:
            return
        info = self.storage
        text = self.t("ev.persisted" if info["persisted"] else "ev.not_persisted")
        if info["usage"] is not None:
            text += " " + self.usage()
        set_text(node, text)

    def usage(self) -> str:
        """« vos données : 221 ko, l’application hors ligne : 48,6 Mo — 1,2 Go disponibles » where the
        browser tells them apart (else « 17,4 Mo utilisés sur 1,2 Go disponibles »): the app's own
        offline copy is not the association's data (i18n.fmt_size, the user's language)."""
        info, lang = self.storage or {}, self.ctx.lang
        quota = i18n.fmt_size(lang, info.get("quota") or 0)
        if info.get("data") is not None:
            return self.t("settings.usage_split", data=i18n.fmt_size(lang, info["data"]),
                          app=i18n.fmt_size(lang, info["app"]), quota=quota)
        return self.t("settings.usage", used=i18n.fmt_size(lang, info.get("usage") or 0), quota=quota)

    def render_footer(self) -> None:
        """index.html's footer in the user's language: each [data-i18n] span, and the storage figures."""
        footer_words(self.ctx.lang)
        node = by_id("storage-info")
        if node and self.storage and self.storage.get("usage") is not None:
            node.textContent = "· " + self.usage()

    async def on_save(self, _target) -> None:
        name = str(by_id("instance-name").value)
        ok, info = await self.ctx.session.act(lambda s: (actions.rename_instance(s, name), None))
        if not ok:
            set_text(by_id("settings-error"), info.message(self.ctx.lang))
            return
        by_id("settings-error").textContent = ""
        self.ctx.status(self.t("settings.saved"))
        self.ctx.changed()

    async def on_wipe(self, _target) -> None:
        """« Effacer toutes mes données »: only after the user types the confirmation word."""
        answer = js.window.prompt(self.t("settings.wipe_confirm"))
        if answer is None or str(answer).strip().upper() != self.t("settings.wipe_word"):
            status_near(self.ctx, "wipe", self.t("settings.wipe_cancelled"))
            return
        await self.ctx.session.wipe()
        js.location.reload()
