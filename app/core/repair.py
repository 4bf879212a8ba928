"""One's own stored state, stored under looser text rules.

A value the model refuses (a C1 control such as the mojibake `â\\x80\\x99`, NEL, U+2028/U+2029…)
may sit in a state this device stored itself; that state must still open. Only for the device's
own stored state (the browser's IndexedDB, the CLI's STATE file): a peer's file holding such a
value is refused as before, naming the field.

What was repaired is said once (repair_message); document.own_state_from_document reads such a
state, repairing it only when the model refuses it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.core.i18n import t, words
from app.core.model import _CONTROL as _REFUSED_MULTI_LINE  # what check_field refuses, exactly
from app.core.model import _CONTROL_SINGLE_LINE as _REFUSED_ONE_LINE
from app.core.model import INSTANCE_NAME_RULE, LINE_BREAKS, Atelier, Cellule, Record


@dataclass(frozen=True, kw_only=True)
class Repair:
    """One stored text that held characters the model refuses, and was repaired."""

    kind: str  # "cellule" | "atelier" | "group" (the instance's name) | "source" | "peer" (a peer's name)
    id: str  # the record's, the instance's, the source's or the peer's id
    field: str  # JSON key: "name", "title", "description", … ("instanceName" for the group)
    label: str  # what the user knows it by: the record's name or title, the group's name (repaired)
    history: bool = False  # a past value in the record's history, not its current one


def repaired_text(rule: Any, value: Any) -> Any:
    """`value` with every character `rule` refuses replaced: a line break (NEL, U+2028, U+2029, VT,
    FF, …) by a line feed in a multi-line field and by a space in a one-line one, any other refused
    character by U+FFFD. A required field that would be left blank gets U+FFFD for every one.
    Anything else (not text, nothing refused) is returned as it is."""
    if not isinstance(value, str) or rule.kind != "text":
        return value
    pattern = _REFUSED_MULTI_LINE if rule.multiline else _REFUSED_ONE_LINE
    if pattern.search(value) is None:
        return value
    brk = "\n" if rule.multiline else " "
    fixed = pattern.sub(lambda m: brk if LINE_BREAKS.match(m.group()) else "\ufffd", value)
    if rule.min_len and not fixed.strip():
        fixed = pattern.sub("\ufffd", value)
    return fixed


def repair_stored(doc: Mapping[str, Any]) -> tuple[dict[str, Any], tuple[Repair, ...]]:
    """A stored full document with every text the model refuses repaired (repaired_text), and what
    was repaired: the group's name, record fields and their history values, source and peer names.
    Everything else is kept as it is; `doc` itself is not changed (changed parts are copies)."""
    out = dict(doc)
    repairs: list[Repair] = []
    name = doc.get("instanceName")
    fixed = repaired_text(INSTANCE_NAME_RULE, name)
    if fixed != name:
        out["instanceName"] = fixed
        repairs.append(Repair(kind="group", id=str(doc.get("instanceId")), field="instanceName", label=fixed))
    for key, cls, kind in (("cellules", Cellule, "cellule"), ("ateliers", Atelier, "atelier")):
        items = doc.get(key)
        if isinstance(items, list):
            fixed_items = [_repaired_record(cls, kind, data, repairs) for data in items]
            if any(a is not b for a, b in zip(fixed_items, items, strict=True)):
                out[key] = fixed_items
    sources = doc.get("federatedSources")
    if isinstance(sources, list):
        fixed_sources = []
        for source in sources:
            name = source.get("name") if isinstance(source, Mapping) else None
            fixed = repaired_text(INSTANCE_NAME_RULE, name)
            if fixed != name:
                source = {**source, "name": fixed}
                repairs.append(Repair(kind="source", id=str(source.get("id")), field="name", label=fixed))
            fixed_sources.append(source)
        if any(a is not b for a, b in zip(fixed_sources, sources, strict=True)):
            out["federatedSources"] = fixed_sources
    names = doc.get("peerNames")
    if isinstance(names, Mapping):
        fixed_names = {peer: repaired_text(INSTANCE_NAME_RULE, name) for peer, name in names.items()}
        for peer, name in names.items():
            if fixed_names[peer] != name:
                repairs.append(Repair(kind="peer", id=str(peer), field="name", label=fixed_names[peer]))
        if fixed_names != names:
            out["peerNames"] = fixed_names
    return out, tuple(repairs)


def _repaired_record(cls: type[Record], kind: str, data: Any, repairs: list[Repair]) -> Any:
    if not isinstance(data, Mapping):
        return data
    changed: dict[str, Any] = {}
    for rule in cls.FIELDS:
        value = data.get(rule.key)
        fixed = repaired_text(rule, value)
        if fixed != value:
            changed[rule.key] = fixed
    label_key = "name" if cls is Cellule else "title"
    label = str(changed.get(label_key, data.get(label_key, data.get("id"))))
    rid = str(data.get("id"))
    repairs.extend(Repair(kind=kind, id=rid, field=key, label=label) for key in changed)
    sync = data.get("sync")
    history = sync.get("history") if isinstance(sync, Mapping) else None
    if isinstance(history, list):
        entries = []
        told: set[str] = set()  # a field's past values are one place, however many were repaired
        for entry in history:
            rule = cls._RULES.get(entry.get("field")) if isinstance(entry, Mapping) else None
            if rule is not None:
                value = entry.get("value")
                fixed = repaired_text(rule, value)
                if fixed != value:
                    entry = {**entry, "value": fixed}
                    if rule.key not in told:
                        told.add(rule.key)
                        repairs.append(Repair(kind=kind, id=rid, field=rule.key, label=label, history=True))
            entries.append(entry)
        if any(a is not b for a, b in zip(entries, history, strict=True)):
            changed["sync"] = {**sync, "history": entries}
    return {**data, **changed} if changed else data


MAX_REPAIRS_NAMED = 3  # places a repair message names; the others are counted


def repair_message(repairs: tuple[Repair, ...], lang: str = "fr") -> str:
    """« 2 textes réparés : des caractères invisibles ont été retirés (« Café », nom ; …). »"""
    places = []
    for repair in repairs[:MAX_REPAIRS_NAMED]:
        rule = INSTANCE_NAME_RULE if repair.field == "instanceName" or repair.kind in ("source", "peer") else (
            Cellule if repair.kind == "cellule" else Atelier).rule(repair.field)
        places.append(t("repair.history_place" if repair.history else "repair.place", lang, label=repair.label,
                        field=words(rule.label_key)))
    if len(repairs) > MAX_REPAIRS_NAMED:
        places.append(t("repair.more", lang, n=len(repairs) - MAX_REPAIRS_NAMED))
    return t("repair.stored", lang, n=len(repairs), places=t("repair.separator", lang).join(places))
