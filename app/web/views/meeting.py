"""The meeting's temporary copy: the page as `python -m app serve --lan` serves it from a laptop.

That page lives at the laptop's address, another origin than the app each phone normally opens: what is
entered there is in another IndexedDB, and out of reach once the laptop has gone. app/serve.py marks the page
with a cookie (MEETING, app.serve.MEETING_COOKIE); here, a banner above the app (index.html #meeting-banner)
says so in the user's language and offers « Tout exporter », and the page asks before it closes
(`beforeunload`) while a change is not exported.

Not exported: the state holds something (merge.is_empty is False) and either it was never fully exported, or
a write other than a full export's stamp was committed since the last one. Every committed write passes
store.GUARDS["saved"] (chained after the group's marker, app/web/main.py): a write that changed
lastFullExportAt is the export's own stamp (actions.stamp_full_export), any other one is a change. The answer is
kept in this origin's localStorage (UNEXPORTED), so a reload and the other tabs of the meeting copy know it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import js  # type: ignore[import-not-found]
from pyodide.ffi import create_proxy, to_js  # type: ignore[import-not-found]

from app.core.merge import is_empty
from app.web import store
from app.web.context import Context
from app.web.dom import by_id, el, replace_children

MEETING = "cellules-meeting=1"
UNEXPORTED = "cellules-meeting-unexported"


def served_for_a_meeting() -> bool:
    """The page came from `app serve --lan` (its cookie)."""
    return any(part.strip() == MEETING for part in str(js.document.cookie or "").split(";"))


class MeetingCopy:
    def __init__(self, ctx: Context, export: Callable) -> None:
        self.ctx = ctx
        self.export = export  # « Tout exporter » (the shell's: opens « Échanger » and downloads the backup)
        self.exported_at = ctx.state.last_full_export_at  # the last full export this page knows of
        self._observer = None  # <html lang>: the banner follows the language

    def t(self, key: str, **params) -> str:
        return self.ctx.t(key, **params)

    def mount(self) -> None:
        if not served_for_a_meeting():
            return
        kept = store.GUARDS.get("saved")

        def saved(state) -> None:
            if kept:
                kept(state)
            self.saved(state)

        store.GUARDS["saved"] = saved
        self.ctx.listen(js.window, "beforeunload", self.on_leave)
        self.ctx.listen(by_id("meeting-banner"), "click", self.on_click)
        self._observer = js.MutationObserver.new(create_proxy(lambda *_a: self.render()))
        self._observer.observe(js.document.documentElement, to_js({"attributes": True, "attributeFilter": ["lang"]},
                                                            dict_converter=js.Object.fromEntries))
        self.render()

    def unexported(self, state=None) -> bool:
        state = state if state is not None else self.ctx.state
        if is_empty(state):
            return False
        return not state.last_full_export_at or js.localStorage.getItem(UNEXPORTED) == "1"

    def saved(self, state) -> None:
        """After each committed write of this tab: the export's stamp, or a change still to export."""
        if state.last_full_export_at != self.exported_at:
            self.exported_at = state.last_full_export_at
            js.localStorage.removeItem(UNEXPORTED)
        else:
            js.localStorage.setItem(UNEXPORTED, "1")
        self.render(state)

    def on_leave(self, event) -> None:
        if self.unexported():
            event.preventDefault()
            event.returnValue = ""  # the browser's own question; its words are the browser's

    def on_click(self, event) -> None:
        if event.target.closest("#meeting-export"):
            asyncio.ensure_future(self.export())

    def render(self, state=None) -> None:
        banner = by_id("meeting-banner")
        pending = self.unexported(state)
        replace_children(
            banner,
            el("h2", {"id": "meeting-title", "text": self.t("meet.title")}),
            el("p", {"text": self.t("meet.where", address=str(js.location.host))}),
            el("p", {"text": self.t("meet.ask")}),
            el("p", {"class": "actions"},
               el("button", {"type": "button", "id": "meeting-export", "text": self.t("x.export_full")}),
               el("span", {"id": "meeting-state", "class": "pending" if pending else "done",
                           "text": self.t("meet.unexported" if pending else "meet.exported")})))
        banner.hidden = False
