"""« Aide »: step-by-step guides for the real situations (meeting without internet, what each export
contains, receiving data, merge/replace/undo, conflicts, backup, installing, migration to Supabase).
The words are app.core.i18n.help_sections(lang): the same guide in French and in English."""

from __future__ import annotations

from app.core.i18n import help_sections
from app.web.context import Context
from app.web.dom import el


class HelpView:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def render(self) -> None:
        sections = [el("section", {"class": "card help-section"}, el("h3", {"text": title}),
                       el("ol", {}, [el("li", {"text": step}) for step in steps]))
                    for title, steps in help_sections(self.ctx.lang)]
        self.ctx.fill("help", el("h2", {"text": self.ctx.t("tab.help")}),
                      el("p", {"class": "muted", "text": self.ctx.t("h.intro")}), sections)
