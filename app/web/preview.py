"""The import preview (« Aperçu avant import »): what the file would do, item by item, before anything is saved.

Built from app.core.merge.preview: merge plans (new, changed, conflict, deleted, refused) with a
checkbox each; a conflict is shown whichever side wins — « conflit — votre version est gardée »
with the other value, or the received value winning with ours going to history; refused items
with their reason; and, apart, what « Remplacer » would remove from this device, counted. When this
instance is new and empty and the file is a full backup, « Restaurer une sauvegarde » takes the
backup's identity instead of importing it as someone else's.
"""

from __future__ import annotations

from typing import Any

from app.core import document, merge
from app.core.i18n import status_word
from app.core.model import ATELIER_FIELDS, CELLULE_FIELDS
from app.web.context import Context
from app.web.dom import by_id, el, replace_children

LIMIT = 500  # items of an import listed one by one (with their checkbox); the rest are counted
LABELS = {(kind, r.key): (r.label, r.label_en) for kind, rules in (("cellule", CELLULE_FIELDS),
                                                                    ("atelier", ATELIER_FIELDS)) for r in rules}


def field_label(kind: str, key: str, lang: str) -> str:
    fr, en = LABELS.get((kind, key), (key, key))
    text = en if lang == "en" else fr
    return text[:1].upper() + text[1:]


def show(value: Any) -> str:
    if value in (None, ""):
        return "∅"
    text = str(value)
    return text if len(text) <= 120 else text[:117] + "…"


def change_row(x: Context, kind: str, c: merge.FieldChange):
    lang = x.lang
    name = el("strong", {"text": field_label(kind, c.field, lang)})
    if c.conflict and c.winner == "local":
        return el("li", {"class": "change conflict local", "data-field": c.field}, name, x.t("punct.colon"),
                  el("span", {"class": "kept", "text": show(c.old)}), " ",
                  el("em", {"class": "verdict", "text": "— " + x.t("m.conflict.local")}),
                  el("div", {"class": "other", "text": x.t("m.conflict.other", value=show(c.new))}))
    return el("li", {"class": "change" + (" conflict incoming" if c.conflict else ""), "data-field": c.field},
              name, x.t("punct.colon"), el("span", {"class": "old", "text": show(c.old)}), " → ",
              el("span", {"class": "new", "text": show(c.new)}),
              el("div", {"class": "verdict", "text": x.t("m.conflict.incoming")}) if c.conflict else None)


def plan_row(x: Context, plan: merge.ItemPlan, *, pick: bool = True):
    box_id = f"pick-{plan.id}"
    refused = plan.status == "refused"
    head = [el("span", {"class": f"status status-{plan.status}", "text": status_word(x.lang, plan.status, plan.kind)}),
            " ",
            el("span", {"class": "muted", "text": x.t(f"x.kind.{plan.kind}")}), " ",
            el("span", {"class": "plan-label", "text": plan.label})]
    return el(
        "li", {"class": f"plan {plan.status}", "data-id": plan.id},
        el("input", {"type": "checkbox", "id": box_id, "checked": True, "data-plan": plan.id}) if pick and not refused
        else None,
        el("label", {"for": box_id, "class": "inline"}, head) if pick and not refused else el("span", {}, head),
        el("p", {"class": "reason", "text": plan.reason_text(x.lang)}) if refused else None,
        el("ul", {"class": "changes"}, [change_row(x, plan.kind, c) for c in plan.changes]) if plan.changes else None)


def replace_plans(state, incoming: document.Incoming, now: int) -> tuple[list, list]:
    """What « Remplacer » would do to this device, from one replace preview: (what it would remove, what
    would take the file's version instead of ours — even an older one, which a merge would not)."""
    plans = merge.preview(state, incoming, mode="replace", now_ms=now)
    return ([p for p in plans if p.status == "removed"],
            [p for p in plans if p.status in ("changed", "deleted") and p.changes])


def removed_plans(state, incoming: document.Incoming, now: int) -> list[merge.ItemPlan]:
    """What « Remplacer » would remove from this device."""
    return replace_plans(state, incoming, now)[0]


def removal_counts(state, incoming: document.Incoming, now: int, removed=None) -> tuple[int, int]:
    """(cellules, ateliers) that « Remplacer » would remove from this device."""
    removed = removed_plans(state, incoming, now) if removed is None else removed
    return sum(1 for p in removed if p.kind == "cellule"), sum(1 for p in removed if p.kind == "atelier")


def render_preview(x: Context, incoming: document.Incoming, now: int) -> None:
    plans = merge.preview(x.state, incoming, mode="merge", now_ms=now)
    counts = merge.preview_counts(plans)
    shown = [p for p in plans if p.status != "unchanged"]
    removed, overwritten = replace_plans(x.state, incoming, now)  # one replace preview for both lists
    gone = removal_counts(x.state, incoming, now, removed)
    summary = x.t("x.preview_summary", name=incoming.instance_name, id=incoming.instance_id,
                  new=counts["new"], changed=counts["changed"], conflict=counts["conflict"],
                  deleted=counts["deleted"], unchanged=counts["unchanged"])
    if counts["refused"]:
        summary += " " + x.t("x.preview_refused", n=counts["refused"])
    restore = merge.is_empty(x.state) and incoming.kind == "full"
    replace_children(
        by_id("import-preview"),
        el("div", {"class": "card preview", "id": "preview"},
           el("h3", {"text": x.t("x.preview")}),
           el("p", {"id": "preview-summary", "text": summary}),
           el("p", {"class": "muted", "id": "preview-more", "text": x.t("x.preview_more", n=len(shown) - LIMIT)})
           if len(shown) > LIMIT else None,
           el("ul", {"class": "plans", "id": "plan-list"}, [plan_row(x, p) for p in shown[:LIMIT]]) if shown else
           el("p", {"class": "muted", "text": x.t("x.nothing_new")}),
           el("section", {"class": "removals", "id": "replace-removals", "aria-labelledby": "replace-title"},
              el("h4", {"id": "replace-title", "text": x.t("x.replace_title")}),
              el("p", {"id": "replace-summary",
                       "text": x.t("x.replace_summary", cellules=gone[0], ateliers=gone[1]) if removed
                       else x.t("x.replace_none") if not overwritten else x.t("x.replace_none_removed")}),
              el("ul", {"class": "plans", "id": "removed-list"},
                 [plan_row(x, p, pick=False) for p in removed[:LIMIT]]) if removed else None,
              el("p", {"class": "muted", "text": x.t("x.preview_more", n=len(removed) - LIMIT)})
              if len(removed) > LIMIT else None,
              el("p", {"id": "replace-overwritten", "text": x.t("x.replace_overwritten", n=len(overwritten))})
              if overwritten else None,
              el("ul", {"class": "plans", "id": "overwritten-list"},
                 [plan_row(x, p, pick=False) for p in overwritten[:LIMIT]]) if overwritten else None),
           el("div", {"class": "actions"},
              el("button", {"type": "button", "id": "do-merge", "data-action": "do-merge", "text": x.t("x.merge")}),
              el("button", {"type": "button", "id": "do-replace", "class": "danger", "data-action": "do-replace",
                            "text": x.t("x.replace")}),
              el("button", {"type": "button", "id": "do-restore", "class": "secondary", "data-action": "do-restore",
                            "text": x.t("x.restore")}) if restore else None,
              el("button", {"type": "button", "class": "secondary", "id": "cancel-import",
                            "data-action": "cancel-import", "text": x.t("x.cancel_preview")})),
           el("p", {"id": "preview-error", "class": "error-text", "role": "alert"}),
           el("p", {"class": "muted", "text": x.t("x.modes")}),
           el("p", {"class": "muted", "id": "restore-explain", "text": x.t("x.restore_explain",
                                                                          name=incoming.instance_name)})
           if restore else None))
