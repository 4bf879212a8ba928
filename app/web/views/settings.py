"""« Cette instance »: the name others see, the storage figures, and « Effacer toutes mes données »."""

from __future__ import annotations

import asyncio

import js  # type: ignore[import-not-found]

from app.core import actions
from app.web.context import Context
from app.web.dom import by_id, el


def human_bytes(n: float) -> str:
    for unit in ("o", "Ko", "Mo", "Go"):
        if n < 1024 or unit == "Go":
            return f"{n:.0f} {unit}" if unit == "o" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


async def storage_info() -> dict:
    """Whether the browser keeps this site's data (asking once), and how much it uses of how much."""
    storage = getattr(js.navigator, "storage", None)
    if storage is None:
        return {"persisted": False, "usage": None, "quota": None}
    persisted = bool(await storage.persisted())
    if not persisted:
        try:
            persisted = bool(await storage.persist())
        except Exception:  # some browsers refuse outside an installed app
            persisted = False
    estimate = await storage.estimate()
    return {"persisted": persisted, "usage": estimate.usage, "quota": estimate.quota}


class SettingsView:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

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
            el("p", {}, f"{self.t('settings.id')} : ", el("code", {"id": "instance-id", "text": state.instance_id})),
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
        info = await storage_info()
        node = by_id("storage-status")
        if not node:
            return
        text = self.t("settings.persisted" if info["persisted"] else "settings.not_persisted")
        if info["usage"] is not None:
            text += " " + self.t("settings.usage", used=human_bytes(info["usage"]), quota=human_bytes(info["quota"]))
        node.textContent = text
        by_id("storage-info").textContent = self.t("settings.usage", used=human_bytes(info["usage"] or 0),
                                                   quota=human_bytes(info["quota"] or 0))

    async def on_save(self, _target) -> None:
        name = str(by_id("instance-name").value)
        ok, info = await self.ctx.session.act(lambda s: (actions.rename_instance(s, name), None))
        if not ok:
            by_id("settings-error").textContent = info.message(self.ctx.lang)
            return
        by_id("settings-error").textContent = ""
        self.ctx.status(self.t("settings.saved"))
        self.ctx.changed()

    async def on_wipe(self, _target) -> None:
        """« Effacer toutes mes données »: only after the user types the confirmation word."""
        answer = js.window.prompt(self.t("settings.wipe_confirm"))
        if answer is None or str(answer).strip().upper() != self.t("settings.wipe_word"):
            self.ctx.status(self.t("settings.wipe_cancelled"))
            return
        await self.ctx.session.wipe()
        js.location.reload()
