"""Live sync's versions, digest and checkpoints (app.core.live compares them; docs/live.md).

A record's version is a hash of its data and clocks (not of who brought it nor of its history):
equal on two devices exactly when they hold the same write of every field. The digest is a hash
of every record's version; equal digests are « à jour ». A checkpoint is a digest with the versions
behind it, kept by both sides when they held the same data, so a later session sends only what
differs from it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.core import document
from app.core.model import Record, State

MAX_CHECKPOINTS = 8


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def version_of_json(data: Mapping[str, Any]) -> str:
    """The version of a record as written in a document: everything but who brought it (`via`)
    and the values it replaced (`history`)."""
    sync = data.get("sync")
    if isinstance(sync, Mapping) and ("via" in sync or "history" in sync):
        data = {**data, "sync": {k: v for k, v in sync.items() if k not in ("via", "history")}}
    return _hash(json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")))


def version(record: Record) -> str:
    """A hash of a record's data and clocks: equal on two devices exactly when they hold the same
    write of every field (and the same identity and unknown fields)."""
    return version_of_json(document.record_to_json(record, with_via=False))


def _key(kind: str, record_id: str) -> str:
    return ("c:" if kind == "cellule" else "a:") + record_id


@dataclass(eq=False)
class Memo:
    """Versions already computed, by record (records are immutable; states share them)."""

    table: dict[str, tuple[Record, str]] = field(default_factory=dict)

    def versions(self, state: State) -> dict[str, str]:
        out = {}
        for kind, records in (("cellule", state.cellules), ("atelier", state.ateliers)):
            for rid, record in records.items():
                key = _key(kind, rid)
                held = self.table.get(key)
                if held is None or held[0] is not record:
                    held = self.table[key] = (record, version(record))
                out[key] = held[1]
        return out


def digest_of(versions: Mapping[str, str]) -> str:
    return _hash("".join(f"{k} {v}\n" for k, v in sorted(versions.items())))


def digest(state: State) -> str:
    """What both sides compare to show « à jour »: a hash of every record's version."""
    return digest_of(Memo().versions(state))


@dataclass(frozen=True, kw_only=True)
class Checkpoint:
    """Both sides held exactly this data (same digest): what a later session resumes from."""

    digest: str
    versions: Mapping[str, str]

    def to_json(self) -> dict[str, Any]:
        return {"digest": self.digest, "versions": dict(self.versions)}

    @classmethod
    def from_json(cls, data: Any) -> Checkpoint | None:
        """A checkpoint the adapter stored, or None when it does not check out (then the next
        session sends everything: nothing is lost, only time)."""
        try:
            versions = {str(k): str(v) for k, v in data["versions"].items()}
            point = cls(digest=str(data["digest"]), versions=versions)
        except (TypeError, KeyError, AttributeError):
            return None
        return point if digest_of(versions) == point.digest else None


def remember(points: Sequence[Checkpoint], point: Checkpoint) -> tuple[Checkpoint, ...]:
    """The checkpoints to keep after `point`: newest first, at most MAX_CHECKPOINTS."""
    return (point, *(p for p in points if p.digest != point.digest))[:MAX_CHECKPOINTS]


def outdates(data: Mapping[str, Any], ours: Record) -> bool:
    """The peer's copy (as written in its document) holds, for every field, a write at least as
    recent as ours: merging ours into it would change nothing, so ours need not be sent."""
    sync = data.get("sync")
    clock = sync.get("clock") if isinstance(sync, Mapping) else None
    if isinstance(clock, str):  # one stamp for every field
        clock = {"*": clock}
    return isinstance(clock, Mapping) and isinstance(clock.get("*", ""), str) and all(
        isinstance(theirs := clock.get(key, clock.get("*")), str) and theirs >= stamp
        for key, stamp in ours.clock.items())
