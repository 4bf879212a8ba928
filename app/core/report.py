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
        return out

    def summary(self, lang: str = "fr") -> str:
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
