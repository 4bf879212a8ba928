"""« Synchroniser en direct »: two devices on one local network connect with two codes and keep
each other up to date (app/web/live_link.py over app/web/live.py; the protocol is app.core.live).

One device shows an invitation (a QR code of its `FWBW:` offer, and the text to copy); the other
reads it (camera, photo, or paste: here or in « Échanger »'s paste box, through `open_live`) and
shows its answer the same way; the first reads it; connected. Each side sees with whom (another
device of this group: « votre autre appareil ») and a plain state (« en attente », « connecté », « à
jour », « interrompu » with « Reconnecter »; « connecté — N éléments refusés … », « … laissés de côté
… » or « … en attente de leur cellule » when both told each other everything and still differ), and
what arrives as the usual preview, « Fusionner » (never « Remplacer ») or « Ne pas fusionner ». No
connection within NO_LINK_S seconds: the dialog says why and offers the animated QR instead.
« Continuer en arrière-plan » keeps the sessions (a bar at the bottom says their state); « Arrêter » ends them.

The dialog lives inside #app; its own controls carry `data-live` (handled here, not through the
page's action table); the animated QR button is the page's own `anim-open` action. Closed (any way,
Escape too), it gives the focus back to the control that opened it, even drawn again meanwhile.
"""

from __future__ import annotations

import asyncio

import js  # type: ignore[import-not-found]
from pyodide.ffi import create_once_callable, create_proxy  # type: ignore[import-not-found]

from app.core import live_code, merge
from app.core.errors import CellulesError, LiveError
from app.web.collate import french_order
from app.web.context import Context
from app.web.dom import app_dialog, by_id, el, replace_children
from app.web.feedback import give_back, remember
from app.web.live_codes import Reader, answer, code_box, copy_code, invite, read
from app.web.live_codes import button as _button
from app.web.live_link import LINKS, Link, apart_hints, boxes, open_link, peer_words, status_words, watch_writes
from app.web.preview import how_many, listing

DIALOG_ID, BAR_ID = "live-dialog", "live-bar"
NO_LINK_S = 15
_DIALOGS: list[LiveDialog] = []


def open_live(ctx: Context, code_text: str | None = None) -> None:
    """Open « Synchroniser en direct »; with `code_text` (a scanned or pasted `FWBW:` code), read it."""
    dialog = next((d for d in _DIALOGS if d.ctx is ctx), None) or LiveDialog(ctx)
    dialog.open(code_text)


class LiveDialog:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.link: Link | None = None  # the session the dialog shows
        self.mode = "start"  # start | offer | join | answer | linked
        self.error: CellulesError | None = None
        self.no_link = False
        self.shown: tuple = ()  # what the body was drawn from (it is drawn again only when that changes)
        self.opener: str | None = None  # a selector of the control that opened the dialog (feedback.remember)
        self.reader = Reader(ctx, lambda text: asyncio.ensure_future(self.read_text(text)), self.say)
        self._click = create_proxy(self.on_click)
        self._photo = create_proxy(lambda event: asyncio.ensure_future(self.reader.photo(event.target)))
        self._closed = create_proxy(self.on_closed)
        _DIALOGS.append(self)

    def t(self, key: str, **params) -> str:
        return self.ctx.t(key, **params)

    def on_open(self, target) -> None:
        self.open(opener=target)

    def dialog(self):
        return app_dialog(DIALOG_ID, "live-title", click=self._click, change=self._photo, close=self._closed)

    def open(self, code_text: str | None = None, opener=None) -> None:
        watch_writes(self.ctx)
        dialog = self.dialog()
        if not dialog.open:  # opened again from inside (« Reconnecter »): the opener stays the first one
            self.opener = remember(opener)
        if self.link is None or self.link.status == "interrupted":
            self.link, self.mode = None, "join" if code_text else "start"
        self.render(force=True)
        if not dialog.open:
            dialog.showModal()
        self.bar()
        if code_text:
            asyncio.ensure_future(self.read_text(code_text))

    # --- drawing ----------------------------------------------------------------------------------
    def render(self, force: bool = False) -> None:
        link = self.link
        if link is not None and link.opened and self.mode != "linked":
            self.mode = "linked"
        key = (self.mode, id(link), link.code if link else "", id(link.preview) if link else 0, self.ctx.lang)
        dialog = self.dialog()
        if force or key != self.shown or not by_id("live-body"):
            self.shown = key
            self.reader.stop()
            replace_children(dialog, el("h2", {"id": "live-title", "text": self.t("lv.open")}),
                             el("div", {"id": "live-top"}), el("div", {"id": "live-body"}, self.body()),
                             el("div", {"class": "actions", "id": "live-actions"}))
        self.top()
        self.actions()

    def top(self) -> None:
        link = self.link
        status = link.status if link else ""
        state = None
        if link is not None and (link.opened or link.code):
            words = status_words(self.ctx, link)
            state = el("p", {"id": "live-state", "role": "status", "data-status": status, "style": "font-weight:600",
                             "text": peer_words(self.ctx, link, "lv.with", status=words)
                             if link.peer_name else self.t("lv.alone", status=words)})
        error, ended = (link.error, link.ended_by_peer) if link else (None, "")
        code = error.code if error else ended or (self.error.code if self.error else "")
        said = error.message(self.ctx.lang) if error else peer_words(
            self.ctx, link, "live.peer_declined" if ended == "live.declined" else "live.peer_ended") \
            if ended else self.error.message(self.ctx.lang) if self.error else ""
        help_ = None
        if self.no_link and link is not None and not link.opened:
            help_ = el("div", {"id": "live-help", "class": "card"},
                       el("p", {"text": self.t("lv.no_link", seconds=NO_LINK_S)}),
                       el("p", {"text": self.t("lv.no_link_instead")}),
                       el("button", {"type": "button", "class": "secondary", "data-action": "anim-open",
                                     "id": "live-anim", "text": self.t("q.anim.show")}))
        hints = [el("p", {"id": f"live-{key}", "class": "muted", "text": self.t(f"lv.{key}_hint")})
                 for key in (apart_hints(link) if link else [])]
        replace_children(by_id("live-top"), state, hints,
                         el("p", {"id": "live-error", "class": "error-text", "role": "alert", "data-code": code,
                                   "text": said}), help_)

    def body(self) -> list:
        link, t = self.link, self.t
        if self.mode == "start":
            return [el("p", {"text": t("lv.intro")}),
                    el("div", {"class": "actions"}, _button("invite", t("lv.invite")),
                       _button("join", t("lv.join"), **{"class": "secondary"}))]
        if self.mode == "join":
            return self.reader.controls("lv.read_offer")
        if self.mode in ("offer", "answer"):
            if not link or not link.code:
                return [el("p", {"id": "live-making", "class": "muted", "text": t("lv.making")})]
            shown = code_box(self.ctx, link.code, "lv.offer_shown" if self.mode == "offer" else "lv.answer_shown")
            return shown + (self.reader.controls("lv.read_answer") if self.mode == "offer" else
                            [el("p", {"class": "muted", "text": t("lv.waiting_link")})])
        return [self.preview_card(link)] if link and link.preview else []

    def preview_card(self, link: Link):
        """The usual preview. From another device of this group: « votre autre appareil », never the
        group's name; what it says it created in a section of its own, UNTICKED (`data-adopt`); what
        it creates after « Fusionner » comes back alone (`later`: unticked ones are left aside)."""
        x, incoming, plans = self.ctx, link.preview.incoming, link.preview.plans
        counts, order = merge.preview_counts(plans), french_order
        shown = [p for p in plans if p.status not in ("unchanged", "offered")]
        offered = [p for p in plans if p.status == "offered"]
        later = link.session is not None and link.session.consent == "merge"
        summary = x.t("pv.summary", origin=peer_words(x, link, "lv.preview_from"),
                      what=how_many(x, len(incoming.cellules), len(incoming.ateliers)),
                      **{k: counts[k] for k in ("new", "changed", "conflict", "deleted", "unchanged")})
        device = el("section", {"class": "device-created", "id": "live-device-created"},
                    el("h4", {"text": x.t("pv.device_title")}),
                    el("p", {"text": x.t("lv.offers_hint") if later else x.t("lv.device_explain", n=len(offered))}),
                    listing(x, "live-device-list", offered, incoming, order)) if offered else None
        first = None if later else [el("p", {"id": "live-preview-summary", "text": summary}), listing(
            x, "live-plan-list", shown, incoming, order) if shown else None if offered else el(
            "p", {"class": "muted", "text": x.t("lv.nothing_new")})]
        return el("div", {"class": "card preview", "id": "live-preview"}, el("h3", {"text": x.t("x.preview")}),
                  first, device, None if later else el("p", {"class": "muted", "text": x.t("lv.preview_hint")}),
                  el("div", {"class": "actions"}, _button("merge", x.t("x.merge")),
                     None if later else _button("decline", x.t("lv.decline"), **{"class": "secondary"})))

    def actions(self) -> None:
        link, t = self.link, self.t
        alive = link is not None and link.status != "interrupted"
        replace_children(
            by_id("live-actions"),
            _button("reconnect", t("lv.reconnect")) if link is not None and not alive else None,
            _button("invite", t("lv.invite"), **{"class": "secondary"}) if self.mode == "linked" and alive else None,
            _button("background", t("lv.background"), **{"class": "secondary"}) if alive and link.opened else None,
            _button("stop", t("lv.stop"), **{"class": "danger"}) if alive else None,
            _button("close", t("q.close"), **{"class": "secondary"}))

    def changed(self) -> None:
        """A link moved on (a message, a state, a preview): the dialog and the bar say it."""
        if self.link is not None and self.link.opened:
            self.no_link = False
        if by_id(DIALOG_ID) and by_id(DIALOG_ID).open:
            self.render()
        self.bar()

    def bar(self) -> None:
        """At the bottom of the page while the dialog is closed: each session's peer and state."""
        bar = by_id(BAR_ID)
        if not bar:
            bar = el("div", {"id": BAR_ID, "class": "banner", "role": "status", "hidden": True,
                             "style": "position:fixed;left:0;right:0;bottom:0;z-index:20;margin:0"})
            bar.addEventListener("click", self._click)
            by_id("app").appendChild(bar)
        shown = [k for k in LINKS if k.opened]
        again = {"class": "secondary"}
        rows = [el("p", {"class": "live-bar-row", "data-status": k.status, "style": "margin:.2rem 0"},
                   el("span", {"text": peer_words(self.ctx, k, "lv.bar", status=status_words(self.ctx, k))}), " ",
                   _button("reconnect", self.t("lv.reconnect"), id=f"live-bar-reconnect-{i}", **again)
                   if k.status == "interrupted" else None) for i, k in enumerate(shown)]
        replace_children(bar, rows, el("div", {"class": "actions"}, _button("show", self.t("lv.bar_open")),
                                       _button("stop-all", self.t("lv.stop"), **{"class": "secondary"})))
        bar.hidden = not shown or bool(by_id(DIALOG_ID) and by_id(DIALOG_ID).open)

    # --- what the user does -----------------------------------------------------------------------
    def on_click(self, event) -> None:
        target = event.target.closest("[data-live]")
        if not target:
            return
        name = str(target.getAttribute("data-live"))
        self.error = None
        reader = self.reader
        handler = {"camera": reader.camera, "camera-stop": reader.stop, "read": reader.paste,
                   "show": lambda: self.open(opener=target), "copy": lambda: copy_code(self.ctx),
                   "background": self.do_close, "decline": lambda: self.link.decide(False)}.get(name)
        result = (handler or getattr(self, "do_" + name.replace("-", "_")))()
        if asyncio.iscoroutine(result):
            asyncio.ensure_future(result)

    async def do_invite(self) -> None:
        try:
            self.link = link = open_link(self.ctx, self.changed)
            self.mode, self.no_link = "offer", False
            self.render()
            await invite(link)
        except CellulesError as exc:
            self.error = exc
        self.render()

    def do_join(self) -> None:
        self.link, self.mode = None, "join"
        self.render()

    def say(self, error: CellulesError) -> None:
        self.error = error
        self.top()

    async def read_text(self, text: str) -> None:
        """A scanned or pasted code: an invitation is answered, an answer completes our invitation."""
        self.error = None
        try:
            code = read(text)
            if code.kind == "answer":
                link = next((k for k in LINKS if k.offer_session == code.session), None)
                if link is None:
                    raise LiveError("live.code_unknown")
                self.link, link.offer_session = link, b""
                await link.transport.accept(live_code.description(code))
            else:
                self.link = link = open_link(self.ctx, self.changed)
                self.mode, self.no_link = "answer", False
                self.render()
                await answer(link, code)
            js.setTimeout(create_once_callable(lambda: self.waited(link)), NO_LINK_S * 1000)
        except CellulesError as exc:
            self.error = exc
        self.render()

    def waited(self, link: Link) -> None:
        if link is self.link and not link.opened and link.status != "interrupted":
            self.no_link = True
            self.changed()

    def do_merge(self) -> None:
        """« Fusionner »: the records unticked are left out; those ticked in « Créés sur votre autre
        appareil » come as the group's own (the boxes of this dialog only)."""
        dialog = by_id(DIALOG_ID)
        self.link.decide(True, boxes(dialog, "data-plan", checked=False), boxes(dialog, "data-adopt", checked=True))

    async def do_reconnect(self) -> None:
        """The handshake again at once: a new invitation (a session resumes from a checkpoint both kept)."""
        self.open()
        await self.do_invite()

    def do_stop(self) -> None:
        if self.link is not None:
            self.link.stop()

    def do_stop_all(self) -> None:
        for link in list(LINKS):
            link.stop()

    def do_close(self) -> None:
        if by_id(DIALOG_ID).open:
            by_id(DIALOG_ID).close()

    def on_closed(self, _event=None) -> None:
        """The dialog closed: the camera stops; a code nobody answered is given up; live sessions go on."""
        self.reader.stop()
        for link in list(LINKS):
            if not link.opened and link.status != "interrupted":
                link.stop()
        self.bar()  # before the focus goes back: its « Voir » may be the opener
        give_back(self.opener, "live-open")
