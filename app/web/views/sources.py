"""« Sources »: who gave what, « Actualiser » / « Tout actualiser » (load a source again from its address,
through a preview) and « Supprimer cette source » (removes what one peer gave, with undo).

Each source is named by its label (app.core.names: « Alice (2) » when another group is « Alice too »),
with its reference beside a shared name and, when it was loaded from an address, that address.
« Actualiser » (one source) and « Tout actualiser » (every source with an address) fetch the addresses
together (app/web/urlload.py: the deadline, the cap and the errors of a first load), then show one
preview under the buttons: per source what would change, item by item with its checkbox, or why its
address could not be read; nothing is stored before « Fusionner », which merges them all in one write
(one journal entry, one undo: app.core.refresh). A second click while one runs does nothing.

« Supprimer cette source » asks in the page, under the card's buttons (not the browser's confirm box), with
the card's counts: « Supprimer » / « Garder », the one action `drop-source` (`data-step` ask / yes / no, one
`data-id`: busy together). A second tap where the first was asks again; « Garder » and Escape focus the
button that asked; after the removal, the focus is on « Annuler cette suppression ».
"""

from __future__ import annotations

import asyncio

import js  # type: ignore[import-not-found]

from app.core import i18n, merge, names, refresh
from app.core.errors import CellulesError
from app.core.i18n import status_word
from app.web import urlload
from app.web.context import Context
from app.web.dom import by_id, clear, data, el, replace_children, reveal, set_text
from app.web.feedback import give_back, status_near
from app.web.preview import LIMIT, change_row
from app.web.session import import_undo

COUNTED = ("new", "changed", "conflict", "deleted", "unchanged")
class SourcesView:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.refreshes: list[refresh.SourceRefresh] | None = None  # the preview on screen
        self.busy = False  # a refresh or its merge is running: other clicks wait for it
        self.asking: str | None = None  # the source whose removal is being asked, under its card
        self.keys = None  # the view's Escape listener, added once the view is in the page

    def t(self, key: str, **params) -> str:
        return self.ctx.t(key, **params)

    def when(self, at: str) -> str:
        """« samedi 5 décembre 2026, 14 h » / “Saturday, 5 December 2026, 2 pm” (i18n.fmt_datetime)."""
        try:
            return i18n.fmt_datetime(self.ctx.lang, at, year=True)
        except (ValueError, TypeError):
            return at[:16].replace("T", " ")

    def render(self) -> None:
        state = self.ctx.state
        labels = names.labels(state)
        rows = []
        if self.asking not in state.sources:
            self.asking = None
        for source in sorted(state.sources.values(), key=lambda s: (names.fold(labels[s.id]), s.id)):
            label = names.shown_name(self.ctx.lang, labels[source.id])
            cellules, ateliers = merge.source_counts(state, source.id)  # the card, the question, the report: one count
            asking = self.asking == source.id
            rows.append(el(
                "li", {"class": "card source", "data-id": source.id},
                el("h3", {}, el("span", {"class": "source-name", "text": label}),
                   el("span", {"class": "muted source-ref", "text": " · " + self.t("s.reference", id=source.id)})
                   if names.shared(state, source.id) else None),
                el("p", {"class": "muted source-counts",
                         "text": self.t("s.counts", cellules=cellules, ateliers=ateliers,
                                        at=self.when(source.imported_at))}),
                el("p", {"class": "muted source-url", "style": "overflow-wrap:anywhere",
                         "text": self.t("s.address", url=source.url) if source.url else self.t("s.no_address")}),
                el("div", {"class": "actions"},
                   el("button", {"type": "button", "class": "secondary", "data-action": "refresh-source",
                                 "data-id": source.id, "text": self.t("s.refresh"),
                                 "aria-label": f"{self.t('s.refresh')} {label}"}) if source.url else None,
                   el("button", {"type": "button", "class": "danger", "data-action": "drop-source",
                                 "data-step": "ask", "data-id": source.id, "text": self.t("s.drop"),
                                 "aria-expanded": "true" if asking else "false",
                                 "aria-controls": "drop-confirm" if asking else None,
                                 "aria-label": f"{self.t('s.drop')} {label}"})),
                self.question(source.id, label, cellules, ateliers) if asking else None,
            ))
        with_url = any(s.url for s in state.sources.values())
        empty = "s.none_left" if state.extra.get("peerNames") else "s.none"
        self.ctx.fill("sources",
                      el("h2", {"text": self.t("tab.sources")}),
                      el("p", {"class": "muted", "text": self.t("s.explain")}),
                      el("p", {"class": "muted", "id": "refresh-explain", "text": self.t("s.refresh_explain")})
                      if with_url else None,
                      el("div", {"class": "actions", "id": "refresh-actions"},
                         el("button", {"type": "button", "id": "refresh-all", "data-action": "refresh-all",
                                       "text": self.t("s.refresh_all")})) if with_url else None,
                      el("div", {"id": "refresh-preview"}),
                      el("ul", {"class": "cards", "id": "source-list"}, rows) if rows else
                      el("p", {"class": "muted", "id": "sources-empty", "text": self.t(empty)}))
        if self.refreshes is not None:
            self.render_preview()
        if self.keys is None:
            self.keys = True
            self.ctx.listen(by_id("view-sources"), "keydown", self.on_key)

    def question(self, source_id: str, label: str, cellules: int, ateliers: int):
        """« Retirer de cet appareil ce que « Alice » vous a donné : 2 cellules et 1 atelier ? … »
        with « Supprimer » and « Garder », under the card's buttons."""
        step = {"type": "button", "data-action": "drop-source", "data-id": source_id}
        return el("div", {"class": "card drop-confirm", "id": "drop-confirm", "role": "group",
                          "aria-labelledby": "drop-question"},
                  el("p", {"id": "drop-question", "style": "margin-top:0",
                           "text": self.t("s.confirm", name=label, cellules=cellules, ateliers=ateliers)}),
                  el("div", {"class": "actions"},
                     el("button", step | {"class": "danger", "id": "drop-yes", "data-step": "yes",
                                          "text": self.t("s.drop_yes")}),
                     el("button", step | {"class": "secondary", "id": "drop-no", "data-step": "no",
                                          "text": self.t("s.drop_no")})))

    # --- « Actualiser », « Tout actualiser » --------------------------------------------------------
    async def on_refresh(self, target) -> None:
        if self.busy:
            return
        ctx = self.ctx
        near = target.closest(".actions") or target
        try:
            sources = refresh.refreshable(ctx.state, data(target, "id") if data(target, "action") == "refresh-source"
                                          else None)
        except CellulesError as exc:
            status_near(ctx, near, exc.message(ctx.lang), error=True)
            return
        if not sources:
            return
        self.busy = True
        try:
            status_near(ctx, near, self.t("s.loading", n=len(sources)))
            bodies = await asyncio.gather(*(self.fetch(s.url) for s in sources))
            fetched = [refresh.Fetched(source_id=s.id, url=s.url, body=b if not isinstance(b, CellulesError) else None,
                                       error=b if isinstance(b, CellulesError) else None)
                       for s, b in zip(sources, bodies, strict=True)]
            self.refreshes = refresh.plan(ctx.state, fetched, now_ms=int(js.Date.now()), known_nodes=ctx.grid)
        finally:
            self.busy = False
        ctx.status("")
        self.render_preview()
        reveal("refresh-card", focus=True)

    async def fetch(self, url: str) -> bytes | CellulesError:
        try:
            return await urlload.fetch_document(url)
        except CellulesError as exc:
            return exc

    def render_preview(self) -> None:
        slot = by_id("refresh-preview")
        if slot is None or self.refreshes is None:
            return
        parts = []
        for r in self.refreshes:
            if r.error is not None:
                line = self.t("s.source_failed", name=r.label, error=r.error.message(self.ctx.lang))
            elif r.changes:
                line = self.t("s.source_changes", name=r.label, **{k: r.counts.get(k, 0) for k in COUNTED})
            else:
                line = self.t("s.source_nothing", name=r.label)
            shown = [p for p in r.plans if p.status != "unchanged"]
            parts.append(el("section", {"class": "refresh-source", "data-source": r.source_id},
                            el("h4", {"text": r.label}),
                            el("p", {"class": "error-text" if r.error else "refresh-summary", "text": line}),
                            el("ul", {"class": "plans"}, [self.plan_row(r, p) for p in shown[:LIMIT]])
                            if shown else None,
                            el("p", {"class": "muted", "text": self.t("x.preview_more", n=len(shown) - LIMIT)})
                            if len(shown) > LIMIT else None))
        changes = any(r.changes for r in self.refreshes)
        ended = None
        if not changes:
            ended = self.t("s.nothing_new") if any(r.error is None for r in self.refreshes) else self.t("s.all_failed")
        replace_children(slot, el(
            "div", {"class": "card preview", "id": "refresh-card", "tabindex": "-1"},
            el("h3", {"text": self.t("s.preview")}),
            el("p", {"id": "refresh-ended", "text": ended}) if ended else None,
            el("div", {"class": "actions"},
               el("button", {"type": "button", "id": "refresh-merge", "data-action": "refresh-merge",
                             "text": self.t("x.merge")}) if changes else None,
               el("button", {"type": "button", "class": "secondary", "id": "refresh-cancel",
                             "data-action": "refresh-cancel", "text": self.t("x.cancel_preview")})),
            el("p", {"id": "refresh-error", "class": "error-text", "role": "alert"}),
            parts))

    def plan_row(self, r: refresh.SourceRefresh, plan: merge.ItemPlan):
        x = self.ctx
        box = f"refresh-pick-{r.source_id}-{plan.id}"
        head = [el("span", {"class": f"status status-{plan.status}",
                            "text": status_word(x.lang, plan.status, plan.kind)}), " ",
                el("span", {"class": "muted", "text": x.t(f"x.kind.{plan.kind}")}), " ",
                el("span", {"class": "plan-label", "text": plan.label})]
        refused = plan.status == "refused"
        return el("li", {"class": f"plan {plan.status}", "data-id": plan.id},
                  None if refused else el("input", {"type": "checkbox", "id": box, "checked": True,
                                                    "data-refresh-source": r.source_id, "data-refresh-plan": plan.id}),
                  el("span", {}, head) if refused else el("label", {"for": box, "class": "inline"}, head),
                  el("p", {"class": "reason", "text": plan.reason_text(x.lang)}) if refused else None,
                  el("ul", {"class": "changes"}, [change_row(x, plan.kind, c) for c in plan.changes])
                  if plan.changes else None)

    def on_refresh_cancel(self, _target) -> None:
        """« Fermer sans importer »: nothing stored; the focus goes back to « Tout actualiser » (or the list)."""
        self.refreshes = None
        if by_id("refresh-preview"):
            clear(by_id("refresh-preview"))
        target = by_id("refresh-all") or by_id("source-list")
        if target:
            target.focus()

    async def on_refresh_merge(self, _target) -> None:
        ctx, refreshes = self.ctx, self.refreshes
        if self.busy or not refreshes:
            return
        skip: dict[str, set[str]] = {}
        for box in js.document.querySelectorAll("[data-refresh-plan]"):
            if not box.checked:
                skip.setdefault(str(box.getAttribute("data-refresh-source")), set()).add(
                    str(box.getAttribute("data-refresh-plan")))
        chosen = [r for r in refreshes if r.changes]
        now, grid = int(js.Date.now()), ctx.grid
        self.busy = True
        try:
            ok, report = await ctx.session.act(
                lambda s: refresh.apply(s, chosen, now_ms=now, skip=skip, known_nodes=grid),
                undo=import_undo(now, "merge", ", ".join(r.label for r in chosen)), journal=lambda r: r.to_json())
        finally:
            self.busy = False
        if not ok:
            node = by_id("refresh-error")
            if node:
                set_text(node, report.message(ctx.lang))
                reveal(node, "center")
            return
        self.refreshes = None
        ctx.changed()  # the list is drawn again (its counts and dates), without the preview
        ctx.status(report.summary(ctx.lang))
        reveal(ctx.regions[ctx.view], "nearest")

    # --- « Supprimer cette source » -------------------------------------------------------------------
    def on_drop_source(self, target):
        """The card's button asks (in the page); « Garder » keeps; « Supprimer » removes (a coroutine)."""
        source_id, step = data(target, "id"), data(target, "step")
        if source_id not in self.ctx.state.sources or self.busy:
            return None
        if step == "yes" and self.asking == source_id:
            return self.drop(source_id, target)
        if step == "no":
            self.keep()
        elif step == "ask":
            self.asking = source_id  # asked again (a second tap on the same spot): the same question
            self.render()
            give_back("#drop-no")
        return None

    def keep(self) -> None:
        """« Garder » or Escape: the question goes, the focus goes back to the button that asked."""
        source_id, self.asking = self.asking, None
        self.render()
        if source_id is not None:
            give_back(f'li.source[data-id="{js.CSS.escape(source_id)}"] [data-step=ask]')

    def on_key(self, event) -> None:  # Escape in the question, or on the button that asked: « Garder »
        if str(event.key) == "Escape" and self.asking and event.target.closest(f'li.source[data-id="{self.asking}"]'):
            event.preventDefault()
            self.keep()

    async def drop(self, source_id: str, target) -> None:
        ctx = self.ctx
        label = names.label(ctx.state, source_id)
        now = int(js.Date.now())
        self.busy = True
        try:
            ok, report = await ctx.session.act(lambda s: merge.drop_source(s, source_id, now_ms=now),
                                               undo=import_undo(now, "drop-source", label),
                                               journal=lambda r: r.to_json())
        finally:
            self.busy = False
        if not ok:
            status_near(ctx, target.closest("li") or target, report.message(ctx.lang), error=True)
            return
        self.asking = None
        ctx.changed()  # the list is drawn again, without that source
        ctx.status(report.summary(ctx.lang))
        reveal(ctx.regions[ctx.view], "nearest")  # the message is in sight, wherever the list was scrolled
        give_back("#status-undo", "status")  # the button pressed is gone: the focus goes to the undo
