"""« Cette instance »: the name others see, the storage figures (and whether the browser granted
persistent storage), and « Effacer toutes mes données ». Also the page's footer and its offline state.

Storage figures, each named for what it measures:
- « vos données »: the association's data as this app stores it (the records' texts and the rest of the
  state, UTF-8 bytes: `data_size`; a « Tout exporter » file is about this size). Not the browser's count
  for IndexedDB, which for an empty app was 221 ko of the database's own bookkeeping;
- « l’application hors ligne »: what the browser counts for this site apart from IndexedDB (Chromium's
  usageDetails: the service worker's copy of the app and its memory snapshot), once static/boot.js says
  the copy is complete; while it is being made « en préparation… », never the figure of a half copy.
  The loading screen's « environ 7 Mo » is what a first visit downloads (compressed); it gives the size of
  this copy too (i18n web2.loading), and « Réglages » says what each figure is (off.figures).
The offline state (static/boot.js sets <html data-offline> and fires « cellules-offline »): a bar under the
header (#offline-state) while the copy is being made or is interrupted, and once it is complete on the page
that saw it being made, so that a first visit says when it is safe to go offline. A returning visit whose
copy is complete shows no bar; the footer says « Prête hors ligne » there."""

from __future__ import annotations

import asyncio

import js  # type: ignore[import-not-found]
from pyodide.ffi import create_proxy, to_js  # type: ignore[import-not-found]

from app.core import actions, document, i18n
from app.web.buckets import TEXTS, meta_json
from app.web.context import Context
from app.web.dom import by_id, el, replace_children, set_text
from app.web.feedback import footer_words, status_near

# data-offline -> (the bar's title, its explanation or None, the footer's word for the app's copy or None: its size)
OFFLINE_WORDS = {
    "preparing": ("off.preparing", "off.preparing_hint", "off.app_preparing"),
    "ready": ("off.ready", "off.ready_hint", None),
    "interrupted": ("off.interrupted", "off.interrupted_hint", "off.app_interrupted"),
    "unavailable": ("off.unavailable", None, "off.app_unavailable"),
}


def data_size(state) -> int:
    """Bytes of the association's data as stored: the state's meta value and each record's text (one per
    line), the texts kept from the last load or save (app/web/buckets.py TEXTS) or made the same way."""
    size = len(meta_json(state, 0).encode())
    for kind in ("cellules", "ateliers"):
        for rid, record in getattr(state, kind).items():
            kept = TEXTS.get((kind, rid))
            text = kept[1] if kept is not None and kept[0] is record else document.compact_json(
                document.record_to_json(record))
            size += len(text.encode()) + 1
    return size


def offline_state() -> str:
    """static/boot.js's word: "preparing", "ready", "interrupted", "unavailable", or "" (not known yet)."""
    return str(js.document.documentElement.getAttribute("data-offline") or "")


async def storage_info() -> dict:
    """Whether the browser granted persistent storage, and how much this site uses of how much.
    Persistence is asked when it is justified (the first real data saved, an install: app/web/main.py's
    marker, static/boot.js), not each time these figures are read."""
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
        database = int(getattr(details, "indexedDB", 0) or 0)
        info["app"] = max(0, int(estimate.usage or 0) - database)  # the offline app, its snapshot
    return info


class SettingsView:
    """Also the page's footer (index.html) and its offline bar: their words follow the language."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.storage: dict | None = None  # the last storage figures read
        self.prepared = False  # this page saw the offline copy being made: its bar stays to say it is complete
        # The shell sets <html lang> on every render (boot, language switch): the footer follows it.
        self._observer = js.MutationObserver.new(create_proxy(lambda *_a: self.render_footer()))
        self._observer.observe(js.document.documentElement, to_js({"attributes": True, "attributeFilter": ["lang"]},
                                                                  dict_converter=js.Object.fromEntries))
        self._on_offline = create_proxy(lambda _e: self.offline_changed())
        js.window.addEventListener("cellules-offline", self._on_offline)

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
            el("p", {"class": "muted small", "id": "storage-figures", "text": self.t("off.figures")}),
            el("h2", {"text": self.t("settings.danger")}),
            el("p", {"class": "muted", "text": self.t("settings.wipe_explain")}),
            el("button", {"type": "button", "class": "danger", "id": "wipe", "data-action": "wipe",
                          "text": self.t("settings.wipe")}),
        )
        asyncio.ensure_future(self.render_storage())

    async def render_storage(self) -> None:
        """The storage figures here and in the footer (#storage-info, index.html), and the offline bar."""
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
        """« vos données : 1,2 ko, l’application hors ligne : 48,6 Mo — 1,2 Go disponibles » where the browser
        tells IndexedDB apart (else « 17,4 Mo utilisés sur 1,2 Go disponibles »); while the offline copy is being
        made, « l’application hors ligne : en préparation… » (i18n.fmt_size, the user's language)."""
        info, lang = self.storage or {}, self.ctx.lang
        quota = i18n.fmt_size(lang, info.get("quota") or 0)
        if info.get("app") is not None:
            word = OFFLINE_WORDS.get(offline_state(), (None, None, None))[2]
            app = self.t(word) if word else i18n.fmt_size(lang, info["app"])
            return self.t("settings.usage_split", data=i18n.fmt_size(lang, data_size(self.ctx.state)), app=app,
                          quota=quota)
        return self.t("settings.usage", used=i18n.fmt_size(lang, info.get("usage") or 0), quota=quota)

    def render_footer(self) -> None:
        """index.html's footer in the user's language: each [data-i18n] span, the storage figures, the offline bar."""
        footer_words(self.ctx.lang)
        node = by_id("storage-info")
        if node and self.storage and self.storage.get("usage") is not None:
            node.textContent = "· " + self.usage()
        self.render_offline()

    def offline_changed(self) -> None:
        """The bar at once (in the task that changed the state: nothing moves under a later click), then the figures."""
        self.render_offline()
        asyncio.ensure_future(self.render_storage())

    def render_offline(self) -> None:
        state = offline_state()
        bar = by_id("offline-state")
        if state in ("preparing", "interrupted"):
            self.prepared = True
        if not bar:
            return
        words = OFFLINE_WORDS.get(state)
        if words is None or (state == "ready" and not self.prepared):
            bar.hidden = True
            return
        title, hint, _ = words
        bar.setAttribute("data-state", state)
        replace_children(bar, el("strong", {"text": self.t(title)}),
                         el("span", {"text": " — " + self.t(hint)}) if hint else None)
        bar.hidden = False

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
