"""Undo of an import, replace or drop-source: only what the operation changed, and its file format (pure).

Theory of operation
-------------------
* `make_undo(before, after)` keeps only the records an operation touched (their copy before and
  after), and the sources and marks it changed: small, whatever the size of the state.
* `apply_undo` reverts exactly those, field by field, keeping everything written since (later
  edits, new cellules, another file that brought the same record); `plan_undo` lists what cannot
  be kept (a record the operation added and that was edited or completed since would vanish) so
  the adapters can ask first — apply_undo refuses it (MergeError "undo.would_lose") unless forced.
* The format: `undo_to_json` writes a compact JSON text `{"format": "cellules-fwb-undo",
  "version": 1, ...}` (the CLI's STATE.undo file, the browser's stored undo) with every record as
  the export format writes it; `undo_from_json` reads it back, every record checked as in an import.
Nothing here touches storage or reads a clock: adapters pass `now_ms` and persist the result.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from dataclasses import replace as dc_replace
from typing import Any

from app.core.clock import format_ms
from app.core.document import (
    compact_json,
    paused_gc,
    record_from_json,
    record_to_json,
    source_from_json,
    source_to_json,
)
from app.core.errors import CellulesError, MergeError
from app.core.i18n import TEXTS, Words, fmt_datetime, t, words
from app.core.merge import MODES
from app.core.model import (
    DELETED,
    Atelier,
    Cellule,
    Mark,
    Record,
    Source,
    State,
    bound_history,
    check_instance_id,
)
from app.core.report import Report


def _label(record: Record) -> str:
    return record.name if isinstance(record, Cellule) else record.title  # type: ignore[attr-defined]


def _table(state: State, kind: str) -> Mapping[str, Record]:
    return state.cellules if kind == "cellule" else state.ateliers


@dataclass(frozen=True, kw_only=True)
class RecordUndo:
    kind: str
    id: str
    before: Record | None  # None: the operation added it
    after: Record | None  # None: the operation removed it


@dataclass(frozen=True, kw_only=True)
class Undo:
    """What one import / replace / drop-source changed, to revert exactly that (small: only the
    records it touched, their copy before and after)."""

    action: str
    label: str
    at: str
    instance_id: str
    records: tuple[RecordUndo, ...] = ()
    sources: tuple[tuple[str, Source | None, Source | None], ...] = ()
    marks: tuple[tuple[tuple[str, str], Mark | None, Mark | None], ...] = ()
    other_device: bool = False  # an import from another device of this group (merge.DeviceReport)


@dataclass(frozen=True, kw_only=True)
class Loss:
    """Something written after the operation that undoing it would take away."""

    kind: str
    id: str
    label: str
    field: str | None  # None: the whole record (e.g. an atelier added since to an imported cellule)
    value: Any

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "label": self.label, "field": self.field, "value": self.value}


@dataclass(frozen=True, kw_only=True)
class UndoPlan:
    reverts: int  # records that go back to how they were
    kept: int  # records changed since, whose later writes stay
    lost: tuple[Loss, ...] = ()  # what undoing would take away (ask first; apply_undo(force=True))


def make_undo(before: State, after: State, *, action: str, label: str = "", at: str = "",
              other_device: bool = False) -> Undo:
    """The undo of the operation that turned `before` into `after`. `other_device`: the operation
    imported a backup of this group from another of its devices (its report is a
    merge.DeviceReport): its undo names it « votre autre appareil », as the preview did (operation)."""
    records = []
    for kind in ("cellule", "atelier"):
        tb, ta = _table(before, kind), _table(after, kind)
        for rid, a in ta.items():
            b = tb.get(rid)
            if a is not b and (b is None or a != b):
                records.append(RecordUndo(kind=kind, id=rid, before=b, after=a))
        for rid, b in tb.items():
            if rid not in ta:
                records.append(RecordUndo(kind=kind, id=rid, before=b, after=None))
    sources = tuple((sid, before.sources.get(sid), after.sources.get(sid))
                    for sid in sorted(set(before.sources) | set(after.sources))
                    if before.sources.get(sid) != after.sources.get(sid))
    marks = tuple((key, before.marks.get(key), after.marks.get(key))
                  for key in sorted(set(before.marks) | set(after.marks))
                  if before.marks.get(key) != after.marks.get(key))
    return Undo(action=action, label=label, at=at, instance_id=after.instance_id, records=tuple(records),
                sources=sources, marks=marks, other_device=other_device and action in MODES)


# « la fusion depuis votre autre appareil du … »: an import from another device of this group
DEVICE_OPERATION_KEYS = {"merge": "jr.op.merge_other_device", "replace": "jr.op.replace_other_device"}


def operation_when(lang: str, at: str) -> str:
    """When an operation was done, as the journal says it (an entry of an older version: as written)."""
    try:
        return fmt_datetime(lang, at, year=True)
    except (ValueError, TypeError):
        return at[:16].replace("T", " ")


def operation(lang: str, action: str, name: str, at: str, *, other_device: bool = False) -> str:
    """The operation an undo reverts, as « Annuler » and the journal name it: « la fusion depuis
    « Alice » du mercredi 28 janvier 2026, 10 h »; an import from another device of this group
    (`other_device`) « la fusion depuis votre autre appareil du … » — never by the group's own name."""
    key = DEVICE_OPERATION_KEYS.get(action, "") if other_device else ""
    key = key or f"jr.op.{action}"
    if key not in TEXTS:
        return t("jr.op.other", lang)
    return t(key, lang, name=name, when=operation_when(lang, at))


def changed_nothing(u: Undo) -> bool:
    """An import (merge, replace) whose undo touches no record and no mark changed nothing here (its
    source's « dernier import » date alone is bookkeeping). Removing a source always changes the list
    of sources. The CLI and the browser keep the undo before it and say « Rien de nouveau »."""
    return u.action in MODES and not u.records and not u.marks


def _fields_touched(b: Record, a: Record) -> list[str]:
    return [k for k in a.keys() if a.stamp(k) != b.stamp(k) or a.value(k) != b.value(k)]


def _same_write(c: Record, a: Record, key: str) -> bool:
    return c.stamp(key) == a.stamp(key) and c.value(key) == a.value(key)


def _revert_record(b: Record, a: Record, c: Record) -> Record:
    """`c` (current) with the fields the operation changed from `b` to `a` set back to `b`'s, when
    nothing was written to them since; later writes stay."""
    values, clock = {}, dict(c.clock)
    for key in _fields_touched(b, a):
        if _same_write(c, a, key):
            values[DELETED if key == DELETED else c.rule(key).attr] = b.value(key)
            clock[key] = b.stamp(key)
    added_via = set(a.via) - set(b.via)
    removed_via = set(b.via) - set(a.via)
    via = tuple((set(c.via) - added_via) | removed_via)
    extra = b.extra if c.extra == a.extra else c.extra
    history = b.history if c.history == a.history else \
        bound_history(type(c), (*c.history, *b.history), clock, preferred=c.history)
    return c.evolve(**values, clock=clock, via=via, extra=extra, history=history)


def _undo_steps(current: State, u: Undo) -> tuple[dict, list[Loss], int, int]:
    """{(kind, id): record or None (remove)} to apply, what would be lost, reverts, kept."""
    if u.instance_id != current.instance_id:
        raise MergeError("undo.other_instance", id=u.instance_id)
    steps: dict[tuple[str, str], Record | None] = {}
    lost: list[Loss] = []
    reverts = kept = 0
    for r in u.records:
        c = _table(current, r.kind).get(r.id)
        b, a = r.before, r.after
        if a is None:  # the operation removed it: put it back unless it came back since
            if c is None and b is not None:
                steps[(r.kind, r.id)] = b
                reverts += 1
            else:
                kept += 1
        elif b is None:  # the operation added it
            if c is None:
                continue
            edited = [k for k in c.keys() if not _same_write(c, a, k)]
            later_via = set(c.via) - set(a.via)
            if not edited and later_via:  # another file brought it since: keep it, forget this source
                steps[(r.kind, r.id)] = c.evolve(via=tuple(later_via))
                kept += 1
                continue
            steps[(r.kind, r.id)] = None
            reverts += 1
            lost += [Loss(kind=r.kind, id=r.id, label=_label(c), field=k, value=c.value(k))
                     for k in edited if k != DELETED]
        elif c is not None:
            new = _revert_record(b, a, c)
            if new != c:
                steps[(r.kind, r.id)] = new
                reverts += 1
            if any(not _same_write(c, a, k) for k in _fields_touched(b, a)):
                kept += 1
    # a cellule that goes must not leave ateliers behind: those written since are lost too
    gone = {rid for (kind, rid), rec in steps.items() if kind == "cellule" and rec is None}
    if gone:
        for atelier in current.ateliers.values():
            if atelier.cellule_id in gone and steps.get(("atelier", atelier.id), atelier) is not None:
                steps[("atelier", atelier.id)] = None
                if atelier.live:
                    lost.append(Loss(kind="atelier", id=atelier.id, label=atelier.title, field=None,
                                     value=atelier.title))
    return steps, lost, reverts, kept


def plan_undo(current: State, u: Undo) -> UndoPlan:
    """What apply_undo would do now: how many records go back, how many keep later writes, and
    what would be lost (records the operation added and that were edited or completed since)."""
    _steps, lost, reverts, kept = _undo_steps(current, u)
    return UndoPlan(reverts=reverts, kept=kept, lost=tuple(lost))


def _quoted(labels: list[str], limit: int = 300) -> tuple[Words, ...]:
    """« a », « b »: the names an undo would touch, as many as fit in about `limit` characters."""
    out: list[Words] = []
    size = 0
    for text in labels:
        size += len(text) + 4
        if out and size > limit:
            break
        out.append(words("d.quoted", text=text[:limit]))
    return tuple(out)


def apply_undo(current: State, u: Undo, *, now_ms: int, force: bool = False) -> tuple[State, Report]:
    """Revert exactly what `u`'s operation changed, keeping every later write. When that would
    lose something written since (plan_undo(...).lost), raise MergeError("undo.would_lose")
    unless `force`."""
    steps, lost, _reverts, _kept = _undo_steps(current, u)
    if lost and not force:
        raise MergeError("undo.would_lose", n=len(lost), what=_quoted(sorted({loss.label for loss in lost})))
    cellules, ateliers = dict(current.cellules), dict(current.ateliers)
    removed, restored, updated = [], [], []
    for (kind, rid), record in steps.items():
        table = cellules if kind == "cellule" else ateliers
        if record is None:
            table.pop(rid, None)
            removed.append(rid)
        else:
            (updated if rid in table else restored).append(rid)
            table[rid] = record
    sources = _revert_entries(current.sources, u.sources)
    marks = _revert_entries(current.marks, u.marks)
    marks = {k: m for k, m in marks.items() if m.id in (cellules if k[0] == "cellule" else ateliers)}
    new = dc_replace(current, cellules=cellules, ateliers=ateliers, sources=sources, marks=marks)
    report = Report(action="undo", source_id=current.instance_id, source_name=u.label or u.action,
                    at=format_ms(now_ms), added=tuple(sorted(restored)), updated=tuple(sorted(updated)),
                    removed=tuple(sorted(removed)), lost=tuple(sorted({loss.id for loss in lost})),
                    atelier_ids=tuple(sorted({rid for kind, rid in steps if kind == "atelier"}
                                             | {loss.id for loss in lost if loss.kind == "atelier"})))
    return new, report


def _revert_entries(current: Mapping[Any, Any], changes: Iterable[tuple[Any, Any, Any]]) -> dict[Any, Any]:
    """Sources or marks: each entry the operation changed goes back, unless it changed again since."""
    out = dict(current)
    for key, before, after in changes:
        if out.get(key) == after:
            if before is None:
                out.pop(key, None)
            else:
                out[key] = before
    return out


UNDO_FORMAT = "cellules-fwb-undo"


def undo_to_json(u: Undo) -> str:
    """The undo as a JSON text (the CLI's STATE.undo file, the browser's stored undo)."""
    def rec(r: Record | None) -> Any:
        return None if r is None else record_to_json(r)

    with paused_gc():  # one dict per record changed: as many as an import brought
        doc = {
            "format": UNDO_FORMAT, "version": 1, "action": u.action, "label": u.label, "at": u.at,
            "instanceId": u.instance_id, **({"otherDevice": True} if u.other_device else {}),
            "records": [{"kind": r.kind, "id": r.id, "before": rec(r.before), "after": rec(r.after)}
                        for r in u.records],
            "sources": [{"id": sid, "before": source_to_json(b) if b else None,
                         "after": source_to_json(a) if a else None} for sid, b, a in u.sources],
            "marks": [{"kind": k[0], "id": k[1], "before": b.to_json() if b else None,
                       "after": a.to_json() if a else None} for k, b, a in u.marks],
        }
        return compact_json(doc)


def has_format(text: str | bytes, fmt: str) -> bool:
    """A stored undo record's text names the format `fmt` in its head (read without parsing it)."""
    head = text[:200] if isinstance(text, str) else text[:200].decode("utf-8", "replace")
    return f'"format":"{fmt}"' in head.replace(" ", "")


def is_undo_text(text: str | bytes) -> bool:
    return has_format(text, UNDO_FORMAT)


def read_format(text: str | bytes, fmt: str, build):
    """`build(doc)` of a stored undo record of format `fmt`, version 1; anything unreadable in it is
    MergeError « undo.unreadable » with what was wrong."""
    try:
        doc = json.loads(text)
        if not isinstance(doc, dict) or doc.get("format") != fmt or doc.get("version") != 1:
            raise MergeError("undo.unreadable", detail="format")
        return build(doc)
    except MergeError:
        raise
    except CellulesError as exc:
        raise MergeError("undo.unreadable", detail=exc.words()) from None
    except (ValueError, KeyError, TypeError, IndexError, RecursionError):
        raise MergeError("undo.unreadable", detail="JSON") from None


def undo_from_json(text: str | bytes) -> Undo:
    """Read an undo written by undo_to_json (every record checked as in an import)."""
    return read_format(text, UNDO_FORMAT, _undo_from_doc)


def _undo_from_doc(doc: dict) -> Undo:
    records = []
    for i, item in enumerate(doc["records"]):
        cls = Cellule if item["kind"] == "cellule" else Atelier if item["kind"] == "atelier" else None
        if cls is None:
            raise MergeError("undo.unreadable", detail=f"records[{i}].kind")
        before, after = (None if item[k] is None else record_from_json(cls, item[k], f"records[{i}].{k}")
                         for k in ("before", "after"))
        if (before is None and after is None) or any(r is not None and r.id != item["id"] for r in (before, after)):
            raise MergeError("undo.unreadable", detail=f"records[{i}]")
        records.append(RecordUndo(kind=item["kind"], id=item["id"], before=before, after=after))
    sources = tuple((check_instance_id(s["id"]), *(None if s[k] is None else source_from_json(s[k])
                                                  for k in ("before", "after"))) for s in doc["sources"])
    marks = tuple(((m["kind"], m["id"]), *(None if m[k] is None else Mark.from_json(m[k])
                                           for k in ("before", "after"))) for m in doc["marks"])
    return Undo(action=str(doc["action"]), label=str(doc["label"]), at=str(doc["at"]),
                instance_id=check_instance_id(doc["instanceId"]), records=tuple(records), sources=sources,
                marks=marks, other_device=doc.get("otherDevice") is True)
