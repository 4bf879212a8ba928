"""The outcome of an import, drop-source, replace, restore or undo: what the import journal keeps (pure).

`Report` lists the ids each operation added, updated, kept, removed, refused...; `summary(lang)`
says it in one sentence; `to_json` is what the journal stores (app/web/journal.py reads it back).
`Conflict` and `Refusal` are its details: a concurrent edit resolved, a record refused and why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.core import i18n
from app.core.i18n import t


@dataclass(frozen=True, kw_only=True)
class Conflict:
    """A concurrent edit an import resolved: which value stays, which went to history."""

    kind: str
    id: str
    field: str
    winner: str  # "local" | "incoming"
    kept: Any
    lost: Any
    peer: str  # the instance whose edit met ours (the stamp's author when known here, else the sender)
    sender: str = ""  # the instance whose file told us (the import's source)

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "field": self.field, "winner": self.winner, "kept": self.kept,
                "lost": self.lost, "peer": self.peer, "sender": self.sender or self.peer}


@dataclass(frozen=True, kw_only=True)
class Refusal:
    kind: str
    id: str
    code: str
    detail: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "code": self.code, "detail": dict(self.detail)}


COUNT_KEYS = ("added", "updated", "unchanged", "conflicts", "deleted", "removed", "skipped", "refused")


@dataclass(frozen=True, kw_only=True)
class Report:
    """The outcome of an import, drop-source, replace, restore or undo; kept in the import journal."""

    action: str  # "merge" | "replace" | "drop-source" | "restore" | "undo"
    source_id: str
    source_name: str
    at: str
    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()  # drop-source / replace: gone from this instance (no tombstone)
    skipped: tuple[str, ...] = ()
    refused: tuple[str, ...] = ()
    conflict_details: tuple[Conflict, ...] = ()
    refusals: tuple[Refusal, ...] = ()
    lost: tuple[str, ...] = ()  # a forced undo: the records whose later writes it took away
    reattributed: tuple[str, ...] = ()  # records the file presented as ours, credited to the sender
    redated: tuple[str, ...] = ()  # a restore: records stamped implausibly far ahead, kept dated at the restore
    # which ids of its lists are ateliers (the others are cellules): its summary counts each kind in words;
    # None: kinds not known (a journal entry written without them), counted as « éléments »
    atelier_ids: tuple[str, ...] | None = None
    undoable: bool = False  # a restore onto a device that held something (app.core.restore_over): it has an undo

    def kinds(self, ids: tuple[str, ...]) -> tuple[int, int]:
        """(cellules, ateliers) among `ids` (atelier_ids known)."""
        ateliers = set(self.atelier_ids or ())
        n = sum(1 for i in ids if i in ateliers)
        return len(ids) - n, n

    def counts(self) -> dict[str, int]:
        return {k: len(getattr(self, k)) for k in COUNT_KEYS}

    def to_json(self) -> dict[str, Any]:
        out = {"action": self.action, "sourceId": self.source_id, "sourceName": self.source_name, "at": self.at,
               **{k: list(getattr(self, k)) for k in COUNT_KEYS}}
        if self.conflict_details:
            out["conflictDetails"] = [c.to_json() for c in self.conflict_details]
        if self.refusals:
            out["refusals"] = [r.to_json() for r in self.refusals]
        if self.lost:
            out["lost"] = list(self.lost)
        if self.reattributed:
            out["reattributed"] = list(self.reattributed)
        if self.redated:
            out["redated"] = list(self.redated)
        if self.atelier_ids is not None:
            out["atelierIds"] = list(self.atelier_ids)
        if self.undoable:
            out["undoable"] = True
        return out

    def summary(self, lang: str = "fr") -> str:
        if self.atelier_ids is not None and self.action in ("restore", "undo"):
            return self._summary_by_kind(lang)
        if self.action == "undo" and self.lost:  # forced: what was done since is not all kept
            c = self.counts()
            return t("m.report.undo_forced", lang, reverts=c["updated"] + c["removed"] + c["added"],
                     lost=len(self.lost))
        text = i18n.report_summary(lang, self.action, self.source_name, self.counts())
        if self.reattributed and text.endswith("."):
            text = text[:-1] + t("m.report.reattributed", lang, n=len(self.reattributed), name=self.source_name) + "."
        if self.redated:
            text = text[:-1] + t("m.report.redated", lang, n=len(self.redated)) + "."
        return text

    def _summary_by_kind(self, lang: str) -> str:
        """« Sauvegarde de « A » restaurée : 3 cellules et 2 ateliers, … » / « Annulé : 3 cellules remises
        comme avant ; … »: each kind counted in words."""
        if self.action == "undo":
            what = undone_phrase(lang, self.kinds(self.removed), self.kinds((*self.added, *self.updated)))
            if self.lost:
                return t("m.report.undo_forced_what", lang, what=what, lost=len(self.lost))
            return t("m.report.undo_what", lang, what=what)
        text = t("m.report.restore_what", lang, name=self.source_name, what=count_phrase(lang, *self.kinds(self.added)))
        if self.removed:
            text += t("m.report.restore_replaced", lang, what=count_phrase(lang, *self.kinds(self.removed)))
        for part in ("skipped", "refused"):
            if getattr(self, part):
                text += t(f"m.report.{part}", lang, n=len(getattr(self, part)))
        if self.redated:
            text += t("m.report.redated", lang, n=len(self.redated))
        return text + "."


def count_phrase(lang: str, cellules: int, ateliers: int) -> str:
    """« 3 cellules et 2 ateliers », « 1 cellule », « 2 ateliers », « aucune cellule »: no « et 0 atelier »."""
    parts = [t(key, lang, n=n) for key, n in (("pv.n_cellules", cellules), ("pv.n_ateliers", ateliers)) if n]
    if len(parts) == 2:
        return t("pv.both", lang, a=parts[0], b=parts[1])
    return parts[0] if parts else t("m.kinds.none", lang)


def undone_phrase(lang: str, removed: tuple[int, int], reverted: tuple[int, int]) -> str:
    """What an undo did, by kind: « 1 cellule retirée » (the import had added it), « 2 cellules remises
    comme avant » (changed or removed by the import), or both, « 1 cellule retirée, 2 ateliers remis
    comme avant »; `removed` and `reverted` are (cellules, ateliers) counts."""
    gone = kind_phrase(lang, "m.removed", *removed) if any(removed) else ""
    back = reverted_phrase(lang, *reverted) if any(reverted) or not gone else ""
    return t("m.undone.pair", lang, removed=gone, reverted=back) if gone and back else gone or back


def kind_phrase(lang: str, key: str, cellules: int, ateliers: int) -> str:
    """« 3 cellules retirées », « 1 atelier retiré », « 1 cellule et 2 ateliers retirés » (`key`.*)."""
    if cellules and ateliers:
        return t(f"{key}.both", lang, cellules=t("pv.n_cellules", lang, n=cellules),
                 ateliers=t("pv.n_ateliers", lang, n=ateliers))
    return t(f"{key}.cellules", lang, n=cellules) if cellules else t(f"{key}.ateliers", lang, n=ateliers)


def reverted_phrase(lang: str, cellules: int, ateliers: int) -> str:
    """« 3 cellules remises », « 1 atelier remis », « 3 cellules et 2 ateliers remis », « rien n’est remis »
    (what an undo put back, agreeing with its kinds)."""
    if cellules and ateliers:
        return t("m.reverted.both", lang, cellules=t("pv.n_cellules", lang, n=cellules),
                 ateliers=t("pv.n_ateliers", lang, n=ateliers))
    if cellules:
        return t("m.reverted.cellules", lang, n=cellules)
    if ateliers:
        return t("m.reverted.ateliers", lang, n=ateliers)
    return t("m.reverted.none", lang)
