"""The import preview (« Aperçu avant import »): what the file would do, item by item, before anything is saved.

Built from app.core.merge.preview and laid out by app.core.import_preview: a summary naming where the
data came from (file, online file, link, QR code, pasted text, share) and what it is (a full backup,
some cellules); each cellule with its ateliers under it, names in a French reader's order (the
platform's collation: `Intl.Collator('fr', {numeric: true, sensitivity: 'base'})`); a checkbox each;
a conflict shown whichever side wins; refused items with their reason; and, apart, what « Remplacer »
would do on this device — removed, deleted, or taking the file's (older or newer) version.

A backup of another device of this group (merge.from_other_device) may carry records the file says
were created there (status "offered", trust.created_there): they have their own section
(#device-created), under one sentence saying where the file says they come from and that only ticking
brings them, each with an UNTICKED box (`data-adopt`, not `data-plan`: leaving it unticked is the
default, not a choice to skip). `ticked_to_adopt()` reads the ticked ones for merge.merge's `adopt`.

The decision stays in reach whatever the length: the buttons sit in a bar that sticks to the bottom
of the screen while the preview is in view. When this device holds nothing yet and the file is a full
backup, « Restaurer cette sauvegarde » comes first, highlighted, with the sentence saying why;
« Remplacer » is offered only for a full export onto a device holding something: beside « Fusionner »
when it takes nothing of this group's own (import_preview.replace_in_front), else behind « Autres
choix » (#more-choices, closed), with what this device would lose of its own said above the button.
"""

from __future__ import annotations

from typing import Any

import js  # type: ignore[import-not-found]

from app.core import document, import_preview, merge
from app.core.i18n import status_word, t
from app.core.model import ATELIER_FIELDS, CELLULE_FIELDS
from app.web.collate import french_order
from app.web.context import Context
from app.web.dom import by_id, el, replace_children

SUMMARY = "min-height:44px;padding:.6rem 0;box-sizing:border-box;cursor:pointer"  # a 44 px target
LIMIT = 500  # items of an import listed one by one (with their checkbox); the rest are counted
LABELS = {(kind, r.key): (r.label_words.text("fr"), r.label_words.text("en"))
          for kind, rules in (("cellule", CELLULE_FIELDS), ("atelier", ATELIER_FIELDS)) for r in rules}
ORIGINS = ("file", "url", "link", "qr", "paste", "share")  # where the data came from (app/web/intake.py)


def field_label(kind: str, key: str, lang: str) -> str:
    fr, en = LABELS.get((kind, key), (key, key))
    text = en if lang == "en" else fr
    return text[:1].upper() + text[1:]


def show(value: Any, lang: str) -> str:
    """A field's value as a change or the history shows it; an empty one says so in words."""
    if value in (None, ""):
        return t("pv.empty_value", lang)
    text = str(value)
    return text if len(text) <= 120 else text[:117] + "…"


def change_row(x: Context, kind: str, c: merge.FieldChange):
    lang = x.lang
    name = el("strong", {"text": field_label(kind, c.field, lang)})
    if c.conflict and c.winner == "local":
        return el("li", {"class": "change conflict local", "data-field": c.field}, name, x.t("punct.colon"),
                  el("span", {"class": "kept", "text": show(c.old, lang)}), " ",
                  el("em", {"class": "verdict", "text": "— " + x.t("m.conflict.local")}),
                  el("div", {"class": "other", "text": x.t("m.conflict.other", value=show(c.new, lang))}))
    return el("li", {"class": "change" + (" conflict incoming" if c.conflict else ""), "data-field": c.field},
              name, x.t("punct.colon"), el("span", {"class": "old", "text": show(c.old, lang)}), " → ",
              el("span", {"class": "new", "text": show(c.new, lang)}),
              el("div", {"class": "verdict", "text": x.t("m.conflict.incoming")}) if c.conflict else None)


def plan_row(x: Context, plan: merge.ItemPlan, *, pick: bool = True, older: bool = False, under=None):
    """One item: its checkbox (when it can be left out), status, kind, name, changes; `under`: its ateliers.
    An "offered" item (created on another device of this group) has an unticked box that adopts it."""
    box_id = f"pick-{plan.id}"
    refused = plan.status == "refused"
    offered = plan.status == "offered"
    box = {"type": "checkbox", "id": box_id, "data-adopt": plan.id} if offered else \
        {"type": "checkbox", "id": box_id, "checked": True, "data-plan": plan.id}
    head = [None if offered else
            el("span", {"class": f"status status-{plan.status}", "text": status_word(x.lang, plan.status, plan.kind)}),
            None if offered else " ",
            el("span", {"class": "muted", "text": x.t(f"x.kind.{plan.kind}")}), " ",
            el("span", {"class": "plan-label", "text": plan.label}),
            el("span", {"class": "older", "text": x.t("pv.older")}) if older else None]
    return el(
        "li", {"class": f"plan {plan.status} {plan.kind}-row", "data-id": plan.id},
        el("input", box) if pick and not refused else None,
        el("label", {"for": box_id, "class": "inline"}, head) if pick and not refused else el("span", {}, head),
        el("p", {"class": "reason", "text": plan.reason_text(x.lang)}) if refused else None,
        el("ul", {"class": "changes"}, [change_row(x, plan.kind, c) for c in plan.changes]) if plan.changes else None,
        under)


def group_rows(x: Context, groups: list[import_preview.Group], *, pick: bool = True,
               older: frozenset[str] = frozenset()) -> list:
    """Each cellule's row with its ateliers' rows nested under it; ateliers of a cellule not listed
    come under « Dans la cellule « … » : »."""
    out = []
    for g in groups:
        ateliers = el("ul", {"class": "plans group-ateliers"},
                      [plan_row(x, p, pick=pick, older=p.id in older) for p in g.ateliers]) if g.ateliers else None
        if g.cellule is not None:
            out.append(plan_row(x, g.cellule, pick=pick, older=g.cellule.id in older, under=ateliers))
        else:
            out.append(el("li", {"class": "plan-group", "data-id": g.cellule_id or None},
                          el("p", {"class": "group-head", "text": x.t("pv.in_cellule", name=g.label)
                                   if g.cellule_id else x.t("pv.no_cellule")}), ateliers))
    return out


def listing(x: Context, list_id: str, plans, incoming: document.Incoming, order, **kw) -> list:
    """A grouped list of plans (the first LIMIT items) and, past them, how many are not listed."""
    found = import_preview.groups(plans, x.state, incoming, order)
    shown, more = import_preview.first_rows(found, LIMIT)
    return [el("ul", {"class": "plans", "id": list_id}, group_rows(x, shown, **kw)),
            el("p", {"class": "muted", "id": "preview-more" if list_id == "plan-list" else f"{list_id}-more",
                     "text": x.t("x.preview_more", n=more)}) if more else None]


def summary(x: Context, incoming: document.Incoming, counts: dict[str, int], origin: str, label: str,
            replace: bool = False) -> str:
    """« Fichier « … » : sauvegarde complète de « Groupe ». 2 nouveaux, … »; a backup of this very
    group written on another of its devices (merge.from_other_device) is « de votre autre appareil ».
    `replace`: « Remplacer » is offered too, its box saying what it would remove: the counts say they are
    « Fusionner »'s (« Avec « Fusionner » : 2 nouveaux, … »)."""
    where = x.t(f"pv.from.{origin if origin in ORIGINS else 'file'}", label=label)
    if merge.from_other_device(x.state, incoming):
        what = x.t("pv.what.other_device")
    elif incoming.kind == "full":
        what = x.t("pv.what.full", name=incoming.instance_name)
    else:
        what = x.t("pv.what.cellules", n=len(incoming.cellules), name=incoming.instance_name)
    text = x.t("pv.summary_merge" if replace else "pv.summary", origin=where, what=what, new=counts["new"],
               changed=counts["changed"], conflict=counts["conflict"], deleted=counts["deleted"],
               unchanged=counts["unchanged"])
    text += " " + x.t("x.preview_refused", n=counts["refused"]) if counts["refused"] else ""
    return text + (" " + x.t("pv.device_offered", n=counts["offered"]) if counts.get("offered") else "")


def how_many(x: Context, cellules: int, ateliers: int) -> str:
    """« 3 cellules et 2 ateliers », « 1 cellule », « 2 ateliers », « aucun »: no « et 0 atelier »."""
    parts = [x.t(key, n=n) for key, n in (("pv.n_cellules", cellules), ("pv.n_ateliers", ateliers)) if n]
    return x.t("pv.both", a=parts[0], b=parts[1]) if len(parts) == 2 else parts[0] if parts else x.t("pv.none")


def replace_box(x: Context, effects: import_preview.ReplaceEffects, incoming: document.Incoming, order):
    """« Si vous choisissez « Remplacer » »: what goes (removed, deleted) and what takes the file's version."""
    parts: list = [el("h4", {"id": "replace-title", "text": x.t("x.replace_title")})]
    if effects.nothing:
        parts.append(el("p", {"id": "replace-summary", "text": x.t("pv.replace_none")}))
    if effects.removed:
        parts += [el("p", {"id": "replace-removed",
                           "text": x.t("pv.replace_removed", what=how_many(x, *effects.removed_counts()))}),
                  *listing(x, "removed-list", effects.removed, incoming, order, pick=False)]
    if effects.deleted:
        parts += [el("p", {"id": "replace-deleted", "text": x.t("pv.replace_deleted", n=len(effects.deleted))}),
                  *listing(x, "deleted-list", effects.deleted, incoming, order, pick=False, older=effects.older)]
    if effects.overwritten:
        n = len(effects.overwritten)
        older = sum(1 for p in effects.overwritten if p.id in effects.older)
        key = "pv.replace_newer" if not older else "pv.replace_older" if older == n else "pv.replace_mixed"
        parts += [el("p", {"id": "replace-overwritten", "text": x.t(key, n=n, older=older)}),
                  *listing(x, "overwritten-list", effects.overwritten, incoming, order, pick=False,
                           older=effects.older)]
    return el("section", {"class": "removals", "id": "replace-removals", "aria-labelledby": "replace-title"}, parts)


def effects_of(state, incoming: document.Incoming, now: int, merge_plans=None) -> import_preview.ReplaceEffects:
    """What « Remplacer » would do on this device (app.core.import_preview.replace_effects)."""
    if merge_plans is None:
        merge_plans = merge.preview(state, incoming, mode="merge", now_ms=now)
    return import_preview.replace_effects(merge_plans, merge.preview(state, incoming, mode="replace", now_ms=now))


def decision(x: Context, restore: bool, replace: bool, behind: str = ""):
    """The bar that stays at the bottom of the screen while the preview is in view: the choices.
    `behind`: when not "", « Remplacer » waits behind « Autres choix » with these words above it."""
    button = _button
    replace_button = button({"id": "do-replace", "class": "danger", "data-action": "do-replace"}, x.t("x.replace")) \
        if replace else None
    return el("div", {"class": "decision", "id": "preview-decision", "role": "group",
                      "aria-label": x.t("pv.decision")},
              el("div", {"class": "actions"},
                 button({"id": "do-restore", "data-action": "do-restore"}, x.t("pv.restore")) if restore else None,
                 button({"id": "do-merge", "data-action": "do-merge", "class": "secondary" if restore else None},
                        x.t("x.merge")),
                 None if behind else replace_button,
                 button({"class": "secondary", "id": "cancel-import", "data-action": "cancel-import"},
                        x.t("x.cancel_preview"))),
              el("details", {"id": "more-choices"},
                 el("summary", {"text": x.t("pv2.more"), "style": SUMMARY}),
                 el("p", {"id": "replace-consequence", "text": behind, "style": "margin:.2rem 0 .4rem"}),
                 el("div", {"class": "actions", "style": "margin-top:0"}, replace_button))
              if behind and replace else None,
              el("p", {"id": "preview-error", "class": "error-text", "role": "alert"}))


def replace_behind(x: Context, incoming: document.Incoming, effects: import_preview.ReplaceEffects) -> str:
    """The words above « Remplacer » behind « Autres choix »: what this group would lose here."""
    cellules, ateliers = import_preview.own_removed(x.state, effects)
    if not cellules + ateliers:
        return x.t("pv2.replace_other", name=incoming.instance_name)
    return x.t("pv2.replace_loses", name=incoming.instance_name, what=how_many(x, cellules, ateliers))


def device_created(x: Context, offered: list[merge.ItemPlan], incoming: document.Incoming, order):
    """« Créés sur votre autre appareil »: the records the file says were created on the other device
    of this group, unticked, under the sentence saying that only those ticked come (as the group's own)."""
    return el("section", {"class": "device-created", "id": "device-created", "aria-labelledby": "device-title"},
              el("h4", {"id": "device-title", "text": x.t("pv.device_title")}),
              el("p", {"id": "device-explain", "text": x.t("pv.device_explain", n=len(offered))}),
              *listing(x, "device-list", offered, incoming, order))


def ticked_to_adopt() -> frozenset[str]:
    """The ids ticked in « Créés sur votre autre appareil » (merge.merge's `adopt`); none unless ticked."""
    return frozenset(str(box.getAttribute("data-adopt")) for box in js.document.querySelectorAll("[data-adopt]")
                     if box.checked)


def render_preview(x: Context, incoming: document.Incoming, now: int, origin: str = "file", label: str = "") -> None:
    plans = merge.preview(x.state, incoming, mode="merge", now_ms=now)
    counts = merge.preview_counts(plans)
    shown = [p for p in plans if p.status not in ("unchanged", "offered")]
    offered = [p for p in plans if p.status == "offered"]
    restore = import_preview.can_restore(x.state, incoming)
    replace = import_preview.can_replace(x.state, incoming)
    effects = effects_of(x.state, incoming, now, plans) if replace else None
    behind = replace_behind(x, incoming, effects) if effects and not import_preview.replace_in_front(
        x.state, incoming) else ""
    same_name = (incoming.kind == "full" and not restore and incoming.instance_id != x.state.instance_id
                 and " ".join(incoming.instance_name.split()).casefold()
                 == " ".join(x.state.instance_name.split()).casefold())
    order = french_order
    replace_children(
        by_id("import-preview"),
        el("div", {"class": "card preview", "id": "preview"},
           el("h3", {"text": x.t("x.preview")}),
           el("p", {"id": "preview-summary",
                    "text": summary(x, incoming, counts, origin, label, replace=effects is not None)}),
           el("p", {"class": "restore-why", "id": "restore-explain",
                    "text": x.t("pv.restore_why", name=incoming.instance_name)}) if restore else None,
           el("p", {"class": "restore-why", "id": "same-name",
                    "text": x.t("pv.same_name", name=incoming.instance_name)}) if same_name else None,
           listing(x, "plan-list", shown, incoming, order) if shown else
           el("p", {"class": "muted", "text": x.t("x.nothing_new")}) if not offered else None,
           device_created(x, offered, incoming, order) if offered else None,
           replace_box(x, effects, incoming, order) if effects else None,
           el("p", {"class": "muted", "id": "no-replace", "text": x.t("pv.no_replace", n=len(incoming.cellules))})
           if not replace and incoming.kind != "full" and import_preview.holds_something(x.state) else None,
           el("p", {"class": "muted", "text": x.t("x.modes" if replace else "pv.modes_merge")}),
           decision(x, restore, replace, behind)))


def _button(attrs: dict, text: str):
    return el("button", {"type": "button", **attrs, "text": text})
