"""« Sources »: who gave what, and « Supprimer cette source » (removes what one peer gave, with undo)."""

from __future__ import annotations

import js  # type: ignore[import-not-found]

from app.core import i18n, merge
from app.web.context import Context
from app.web.dom import data, el, reveal
from app.web.feedback import status_near
from app.web.session import import_undo


class SourcesView:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

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
        rows = []
        names = [s.name.casefold() for s in state.sources.values()]
        for source in sorted(state.sources.values(), key=lambda s: s.name.casefold()):
            twin = names.count(source.name.casefold()) > 1  # the reference only tells two same names apart
            cellules, ateliers = merge.source_footprint(state, source.id)
            rows.append(el(
                "li", {"class": "card source", "data-id": source.id},
                el("h3", {}, el("span", {"class": "source-name", "text": source.name}),
                   " " if twin else None, el("code", {"text": source.id}) if twin else None),
                el("p", {"class": "muted", "text": self.t("s.counts", cellules=source.cellule_count,
                                                          ateliers=source.atelier_count,
                                                          at=self.when(source.imported_at))}),
                el("button", {"type": "button", "class": "danger", "data-action": "drop-source", "data-id": source.id,
                              "data-cellules": str(len(cellules)), "data-ateliers": str(len(ateliers)),
                              "text": self.t("s.drop"), "aria-label": f"{self.t('s.drop')} {source.name}"}),
            ))
        self.ctx.fill("sources",
                      el("h2", {"text": self.t("tab.sources")}),
                      el("p", {"class": "muted", "text": self.t("s.explain")}),
                      el("ul", {"class": "cards", "id": "source-list"}, rows) if rows else
                      el("p", {"class": "muted", "text": self.t("s.none")}))

    async def on_drop_source(self, target) -> None:
        ctx = self.ctx
        source_id = data(target, "id")
        source = ctx.state.sources.get(source_id)
        if source is None:
            return
        if not js.window.confirm(self.t("s.confirm", name=source.name, cellules=data(target, "cellules"),
                                        ateliers=data(target, "ateliers"))):
            return
        now = int(js.Date.now())
        ok, report = await ctx.session.act(lambda s: merge.drop_source(s, source_id, now_ms=now),
                                           undo=import_undo(now, "drop-source", source.name),
                                           journal=lambda r: r.to_json())
        if not ok:
            status_near(ctx, target.closest("li") or target, report.message(ctx.lang), error=True)
            return
        ctx.changed()  # the list is drawn again, without that source
        ctx.status(report.summary(ctx.lang))
        reveal(ctx.regions[ctx.view], "nearest")  # the message is in sight, wherever the list was scrolled
