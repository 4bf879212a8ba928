"""Domain objects: Cellule, Atelier, Source, State — frozen, keyword-only, validated at construction.

Theory of operation
-------------------
Every editable field of a record is a last-writer-wins register: the record keeps, per field, the
hybrid-logical-clock timestamp of the write that set it (`clock`). Merging two copies of a record
keeps, field by field, the value with the larger timestamp, so concurrent edits of *different*
fields both survive. `deleted` is a register like the others (a tombstone); a record is *live*
when it is not deleted, or when one of its fields was written after the deletion (an edit made
after a deletion survives it). Losing values go to `history` (bounded, newest first) where the
user can restore them. `via` lists the peers whose files brought the record to us (local
provenance, for "delete by source"); `origin` is the instance that created it.

The field rules (length, multi-line, required) are the tables CELLULE_FIELDS and ATELIER_FIELDS;
the JSON Schema (app/schema/export-v1.json) states the same limits for documents.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from operator import attrgetter
from types import MappingProxyType
from typing import Any, ClassVar

from app.core.clock import INSTANCE_ID_RE, Timestamp, is_canonical_time, normalize_time
from app.core.errors import CellulesError, ValidationError
from app.core.i18n import Words, words

_NUMBER = re.compile(r"(\d+)")


def reading_key(name: str) -> tuple:
    """The order of names as a French reader expects it, where the platform's collation is out of
    reach (the core, the CLI): accents with their letter (« École » among the E), case aside, numbers
    as numbers (« Voisins 2 » before « Voisins 10 »); the exact name breaks ties."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    parts = tuple((0, int(p), "") if _NUMBER.fullmatch(p) else (1, 0, p) for p in _NUMBER.split(plain) if p)
    return parts, name

HISTORY_LIMIT = 20  # entries per record (the schema's maxItems)
HISTORY_PER_FIELD = 5  # entries per field: junk in one field cannot push out another field's past
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}\Z")
NODE_RE = re.compile(r"^[0-9a-f]{15}\Z")
# What str.splitlines() splits on, hence any line-based reader of an export (ICS, CSV): line feed,
# carriage return, vertical tab, form feed, the file/group/record separators, NEL, U+2028, U+2029.
LINE_BREAKS = re.compile(r"[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# A one-line field refuses every control character (C0, DEL, C1 — NEL is U+0085) and the line and
# paragraph separators U+2028 / U+2029: so every line break above. A multi-line field (description)
# takes tab, line feed and carriage return, nothing else of those.
_CONTROL_SINGLE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True)
class FieldRule:
    """How one editable field is named, labelled and checked."""

    attr: str  # Python attribute
    key: str  # JSON key in the interchange format
    label_key: str  # its name in app.core.i18n (DETAILS "label.*"), for the UI and errors
    kind: str = "text"  # text | node | time | ref
    max_len: int = 0
    min_len: int = 0
    multiline: bool = False
    optional: bool = False

    @cached_property
    def label_words(self) -> Words:
        return words(self.label_key)



# In form order: errors name the first wrong field as the user reads the form.
CELLULE_FIELDS: tuple[FieldRule, ...] = (
    FieldRule("name", "name", "label.name", min_len=1, max_len=120),
    FieldRule("description", "description", "label.description", max_len=2000, multiline=True, optional=True),
    FieldRule("contact", "contact", "label.contact", max_len=200, optional=True),
    FieldRule("node_id", "nodeId", "label.place", kind="node"),
)
ATELIER_FIELDS: tuple[FieldRule, ...] = (
    FieldRule("cellule_id", "celluleId", "label.cellule", kind="ref"),
    FieldRule("title", "title", "label.title", min_len=1, max_len=120),
    FieldRule("starts_at", "startsAt", "label.start", kind="time"),
    FieldRule("ends_at", "endsAt", "label.end", kind="time", optional=True),
    FieldRule("place", "place", "label.place", max_len=200, optional=True),
    FieldRule("description", "description", "label.description", max_len=2000, multiline=True, optional=True),
)
# `deleted` is a clocked field too; it is handled apart from the text rules.
DELETED = "deleted"


def check_field(rule: FieldRule, value: Any) -> Any:
    """Validate (and normalise) one value against its rule; raise ValidationError naming the field."""
    names = {"label": rule.label_words}
    if value in (None, "") and not rule.optional:
        raise ValidationError("field.required", **names)
    if rule.kind == "time":
        if value in (None, "") and rule.optional:
            return None
        return normalize_time(value, **names)
    if not isinstance(value, str):
        if value is None and rule.optional:
            return ""
        raise ValidationError("field.type", expected=words("d.text_expected"), **names)
    if rule.kind == "node":
        if not NODE_RE.match(value):
            raise ValidationError("field.format", detail=words("d.place_code"), **names)
        return value
    if rule.kind == "ref":
        if not ID_RE.match(value):
            raise ValidationError("field.format", detail=words("d.id_chars"), **names)
        return value
    if rule.min_len and not value.strip():
        raise ValidationError("field.required", **names)
    if len(value) < rule.min_len:
        raise ValidationError("field.too_short", limit=rule.min_len, **names)
    if rule.max_len and len(value) > rule.max_len:
        raise ValidationError("field.too_long", limit=rule.max_len, length=len(value), **names)
    if found := (_CONTROL if rule.multiline else _CONTROL_SINGLE_LINE).search(value):
        raise ValidationError("field.control_chars", char=f"U+{ord(found.group()):04X}", **names)
    return value


def fast_check(rule: FieldRule):
    """A predicate that is True when check_field(rule, value) would return `value` unchanged —
    the common case, tested without building anything (big imports check 200,000 fields).
    When it is False, check_field runs and normalises the value or names the error."""
    if rule.kind == "node":
        return lambda v: type(v) is str and NODE_RE.match(v) is not None
    if rule.kind == "ref":
        return lambda v: type(v) is str and ID_RE.match(v) is not None
    if rule.kind == "time":
        return lambda v: is_canonical_time(v) if type(v) is str else v is None and rule.optional
    search = (_CONTROL if rule.multiline else _CONTROL_SINGLE_LINE).search
    lo, hi = rule.min_len, rule.max_len or 1 << 62
    if lo:
        return lambda v: type(v) is str and lo <= len(v) <= hi and (not v[0].isspace() or bool(v.strip())) \
            and search(v) is None
    return lambda v: type(v) is str and len(v) <= hi and search(v) is None


def check_id(value: Any, label: Any = None) -> str:
    if not isinstance(value, str) or not ID_RE.match(value):
        raise ValidationError("field.format", label=label or words("label.reference"), detail=words("d.id_chars"))
    return value


def check_instance_id(value: Any) -> str:
    if not isinstance(value, str) or not INSTANCE_ID_RE.match(value):
        raise ValidationError("instance.id", value=value)
    return value


@dataclass(frozen=True, kw_only=True)
class HistoryEntry:
    """A value that lost a merge (or was overwritten), kept so the user can restore it.

    `conflict`: it lost a concurrent edit (the side that wrote the winner had not seen it). A peer
    that finds its own value so marked in our copy knows it was overwritten unseen, and shows the
    conflict too (merge.merge_record). Not part of the entry's identity: one value at one stamp is
    one entry, a conflict as soon as any copy of it says so."""

    field: str  # JSON key
    value: Any
    clock: str
    conflict: bool = dataclasses.field(default=False, compare=False)

    def sort_key(self) -> tuple[str, str, str]:
        return (self.clock, self.field, repr(self.value))


def bound_history(cls: type[Record], entries: Any, clock: Mapping[str, str],
                  preferred: Any = ()) -> tuple[HistoryEntry, ...]:
    """The history a record keeps: valid entries only, newest first, bounded per field and per record.

    An entry is kept when its field is an editable field of the record, its stamp is a real stamp
    not newer than the field's current stamp (a value only goes to history when a later write
    replaces it, so a newer entry is junk — e.g. far-future entries meant to push real ones out),
    and its value passes the field's rule. Per field the HISTORY_PER_FIELD newest are kept —
    `preferred` entries first (merge passes the history held here and the values that just lost:
    a peer's file cannot push out what we hold, only fill free places); when the record holds more
    than HISTORY_LIMIT, each field keeps its first ones (round robin), so flooding one field cannot
    push another field's entries out. Deterministic: a function of the set of entries and of the
    preferred set, whatever their order."""
    if not entries:
        return ()
    by_field: dict[str, dict[tuple[str, str], HistoryEntry]] = {}
    fallback = max(clock.values(), default="")
    for entry in entries:
        if type(entry) is not HistoryEntry:
            return _bad_history()
        rule = cls._RULES.get(entry.field)
        if rule is None or not isinstance(entry.clock, str) or entry.clock > clock.get(entry.field, fallback):
            continue
        try:
            Timestamp.parse(entry.clock)
            value = check_field(rule, entry.value)
        except CellulesError:  # unreadable stamp, value breaking the field's rule
            continue
        if value != entry.value:
            entry = HistoryEntry(field=entry.field, value=value, clock=entry.clock, conflict=entry.conflict)
        key = (entry.clock, repr(entry.value))
        items = by_field.setdefault(entry.field, {})
        held = items.get(key)
        if held is None or not held.conflict:  # a conflict stays one, whatever the order of the copies
            items[key] = entry
    ranked = []
    preferred = set(preferred) if preferred else ()
    for items in by_field.values():
        newest = sorted(items.values(), key=lambda e: (e in preferred, e.sort_key()), reverse=True)
        newest = newest[:HISTORY_PER_FIELD]
        ranked.extend((rank, entry) for rank, entry in enumerate(newest))
    ranked.sort(key=lambda p: (-p[0], p[1].sort_key()), reverse=True)  # rank 0 of every field first
    kept = [entry for _rank, entry in ranked[:HISTORY_LIMIT]]
    return tuple(sorted(kept, key=HistoryEntry.sort_key, reverse=True))


def _bad_history() -> tuple[HistoryEntry, ...]:
    raise ValidationError("field.format", label=words("label.history"), detail=words("d.unreadable_entry"))


def _frozen_map(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(value))


_LABEL_CREATED = words("label.created")
_LAST = "last_stamp"


@dataclass(frozen=True, kw_only=True)
class Record:
    """What cellules and ateliers share: identity, authorship, clocks, tombstone, provenance."""

    id: str
    created_at: str
    origin: str
    deleted: bool = False
    clock: Mapping[str, str] = field(default_factory=dict)
    history: tuple[HistoryEntry, ...] = ()
    via: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)

    FIELDS: ClassVar[tuple[FieldRule, ...]] = ()  # overridden by subclasses
    _RULES: ClassVar[dict[str, FieldRule]] = {}
    _ATTRS: ClassVar[dict[str, str]] = {}
    _KEYS: ClassVar[tuple[str, ...]] = ()
    _CHECKS: ClassVar[tuple[tuple[FieldRule, Any], ...]] = ()
    _JSON_FIELDS: ClassVar[tuple[tuple[str, str, bool], ...]] = ()  # (attr, JSON key, optional), FIELDS order
    field_values: ClassVar[Any] = None  # record -> tuple of its clocked values, in keys() order
    # The newest stamp of `clock` ("" for none): an instance attribute set with the clock (at
    # construction and by `evolve`), not a field — equality, repr and documents ignore it; a
    # merge reads it for every record.
    last_stamp: ClassVar[str]

    def _validate_common(self) -> None:
        d = self.__dict__  # normalised values are written here: frozen forbids setattr, not this
        check_id(self.id)
        d["created_at"] = normalize_time(self.created_at, label=_LABEL_CREATED)
        check_instance_id(self.origin)
        if not isinstance(self.deleted, bool):
            raise ValidationError("field.type", label=words("label.deleted"), expected=words("d.true_false"))
        for rule, ok in self._CHECKS:
            value = d[rule.attr]
            if not ok(value):
                d[rule.attr] = check_field(rule, value)
        clock = self.clock
        if not clock.keys() <= self._ATTRS.keys():
            unknown = sorted(set(clock) - self._ATTRS.keys())[0]
            raise ValidationError("field.format", label=words("label.clock"), detail=words("d.unknown_field",
                                                                                           name=unknown))
        stamps = set(clock.values())
        for stamp in stamps:
            Timestamp.parse(stamp)
        d["clock"] = _frozen_map(clock)
        d[_LAST] = max(stamps, default="")
        d["extra"] = _frozen_map(self.extra)
        if self.via:
            d["via"] = tuple(sorted(set(self.via)))
            for peer in self.via:
                check_instance_id(peer)
        elif type(self.via) is not tuple:
            d["via"] = ()
        if self.history:
            d["history"] = bound_history(type(self), self.history, self.clock)
        elif type(self.history) is not tuple:
            d["history"] = ()

    def evolve(self, **changes: Any) -> Record:
        """A copy with some attributes changed, *without* validation: only for values taken from
        records that were validated already (merge, provenance). Everything else uses `replace`."""
        clone = object.__new__(type(self))
        fields = clone.__dict__  # frozen forbids setattr, not filling a new instance's __dict__
        fields.update(self.__dict__, **changes)
        if "via" in changes:
            via = changes["via"]
            fields["via"] = via if type(via) is tuple and len(via) < 2 else tuple(sorted(set(via)))
        if "clock" in changes:
            clock = fields["clock"] = _frozen_map(changes["clock"])
            fields[_LAST] = max(clock.values(), default="")
        return clone

    # --- derived -----------------------------------------------------------------------------
    def value(self, key: str) -> Any:
        return getattr(self, self._ATTRS[key])

    @classmethod
    def rule(cls, key: str) -> FieldRule:
        return cls._RULES[key]

    @classmethod
    def keys(cls) -> tuple[str, ...]:
        return cls._KEYS

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # Lookup tables derived from FIELDS once per class (hot in big merges).
        cls._RULES = {r.key: r for r in cls.FIELDS}
        cls._ATTRS = {r.key: r.attr for r in cls.FIELDS} | {DELETED: DELETED}
        cls._KEYS = tuple(r.key for r in cls.FIELDS) + (DELETED,)
        cls._CHECKS = tuple((r, fast_check(r)) for r in cls.FIELDS)
        cls._JSON_FIELDS = tuple((r.attr, r.key, r.optional) for r in cls.FIELDS)
        cls.field_values = attrgetter(*(r.attr for r in cls.FIELDS), DELETED)  # all clocked values at once

    def stamp(self, key: str) -> str:
        """The clock of one field (records without per-field clocks use their latest)."""
        return self.clock.get(key) or max(self.clock.values(), default="")

    @property
    def updated_at(self) -> str:
        last = self.last_stamp  # a stamp starts with its wall time, in the canonical form
        return last[:24] if last else self.created_at

    @property
    def live(self) -> bool:
        """Not deleted, or edited after the deletion (that edit survives it)."""
        if not self.deleted:
            return True
        deleted_at = self.clock.get(DELETED, "")
        return any(stamp > deleted_at for key, stamp in self.clock.items() if key != DELETED)

    def with_values(self, values: Mapping[str, Any], stamp: str) -> Record:
        """A copy with some fields (by JSON key) set at clock `stamp`, the old values in history."""
        changes: dict[str, Any] = {}
        clock = dict(self.clock)
        lost = list(self.history)
        for key, new in values.items():
            old = self.value(key)
            attr = DELETED if key == DELETED else self.rule(key).attr
            changes[attr] = new
            clock[key] = stamp
            if old != new and key != DELETED:
                lost.append(HistoryEntry(field=key, value=old, clock=self.stamp(key)))
        lost.sort(key=HistoryEntry.sort_key, reverse=True)
        return replace(self, **changes, clock=clock, history=tuple(lost))


@dataclass(frozen=True, kw_only=True)
class Cellule(Record):
    node_id: str
    name: str
    description: str = ""
    contact: str = ""

    FIELDS = CELLULE_FIELDS

    def __post_init__(self) -> None:
        self._validate_common()


@dataclass(frozen=True, kw_only=True)
class Atelier(Record):
    cellule_id: str
    title: str
    starts_at: str
    ends_at: str | None = None
    place: str = ""
    description: str = ""

    FIELDS = ATELIER_FIELDS

    def __post_init__(self) -> None:
        self._validate_common()
        if self.ends_at is not None and self.ends_at < self.starts_at:
            raise ValidationError("time.order")


# A source's address (`federatedSources[].url`): where its file was first loaded from, fetched
# again by « Actualiser ». An http(s) address on one line, no spaces, as the schema states.
SOURCE_URL_KEY = "url"
SOURCE_URL_MAX = 2000
SOURCE_URL_RE = re.compile(r"^[Hh][Tt][Tt][Pp][Ss]?://[^\x00-\x20\x7f-\x9f\u2028\u2029]+\Z")


def check_source_url(value: Any) -> str:
    """An address a source can be fetched again from, or a ValidationError naming the field."""
    label = words("label.source_url")
    if not isinstance(value, str):
        raise ValidationError("field.type", label=label, expected=words("d.text_expected"))
    if len(value) > SOURCE_URL_MAX:
        raise ValidationError("field.too_long", label=label, limit=SOURCE_URL_MAX, length=len(value))
    if not SOURCE_URL_RE.match(value):
        raise ValidationError("field.format", label=label, detail=words("d.source_url"))
    return value


@dataclass(frozen=True, kw_only=True)
class Source:
    """A peer that gave us data: one entry per instance whose file we imported.

    Its address (`url`, optional) is kept among its JSON keys (`extra`), the way every other key of a
    source is: whatever copies a source keeps it (a later import of the same peer keeps the keys of the
    source it updates), and a document without it is read as before."""

    id: str
    name: str
    imported_at: str
    cellule_count: int = 0
    atelier_count: int = 0
    extra: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        check_instance_id(self.id)
        object.__setattr__(self, "name", check_field(INSTANCE_NAME_RULE, self.name))
        object.__setattr__(self, "imported_at", normalize_time(self.imported_at))
        object.__setattr__(self, "extra", _frozen_map(self.extra))
        if SOURCE_URL_KEY in self.extra:
            check_source_url(self.extra[SOURCE_URL_KEY])

    @property
    def url(self) -> str:
        """The address this source's file is loaded from ("" when it came otherwise: file, paste, QR)."""
        return self.extra.get(SOURCE_URL_KEY, "")

    def with_url(self, url: str) -> Source:
        return replace(self, extra={**self.extra, SOURCE_URL_KEY: check_source_url(url)})


INSTANCE_NAME_RULE = FieldRule("instance_name", "instanceName", "label.group_name", min_len=1, max_len=120)


KINDS = ("cellule", "atelier")
MAX_MARKS = 250_000  # one per record at most: the document limits (50,000 cellules + 200,000 ateliers)


@dataclass(frozen=True, kw_only=True)
class Mark:
    """« modifié aussi par Alice »: a record an import found edited concurrently here and there,
    shown until the user acknowledges it (actions.acknowledge). Local to this instance: stored in
    the full backup under `sync.marks`, never sent in a share, never imported from a peer."""

    kind: str  # "cellule" | "atelier"
    id: str
    peers: tuple[str, ...]  # instance ids that edited it too (named through sources / peerNames)
    fields: tuple[str, ...]  # JSON keys of the fields both sides changed
    at: str  # when the (last) conflicting import happened

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValidationError("field.format", label=words("label.mark"), detail=f"type {self.kind!r}")
        check_id(self.id)
        object.__setattr__(self, "peers", tuple(sorted({check_instance_id(p) for p in self.peers})))
        allowed = Cellule.keys() if self.kind == "cellule" else Atelier.keys()
        fields = tuple(sorted(set(self.fields)))
        if not fields or not set(fields) <= set(allowed) or not self.peers:
            raise ValidationError("field.format", label=words("label.mark"),
                                  detail=words("d.fields", fields=repr(fields)))
        object.__setattr__(self, "fields", fields)
        object.__setattr__(self, "at", normalize_time(self.at))

    @property
    def peer(self) -> str:
        return self.peers[-1]

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "peers": list(self.peers), "fields": list(self.fields),
                "at": self.at}

    @classmethod
    def from_json(cls, data: Any) -> Mark:
        if not isinstance(data, Mapping):
            raise ValidationError("field.format", label=words("label.mark"), detail=words("d.object_expected"))
        try:
            return cls(kind=data["kind"], id=data["id"], peers=tuple(data["peers"]), fields=tuple(data["fields"]),
                       at=data["at"])
        except (KeyError, TypeError):
            raise ValidationError("field.format", label=words("label.mark"), detail=words("d.missing_field")) from None


# State's cached derived lists (names of its cached properties): never copied by State.evolve.
_DERIVED = frozenset({"_live_cellules", "_live_ateliers", "_live_ateliers_by_cellule"})


@dataclass(frozen=True, kw_only=True)
class State:
    """Everything one instance holds. Changed only by functions that return a new State.

    Identity and devices: `instance_id` is who this instance is (records it creates carry it as
    `origin`; its exports carry it as `instanceId`). `device` is the node written in the clock
    stamps this device issues: the instance id itself on the device that created the instance, a
    fresh id on a device that restored a backup "as itself" (merge.restore_backup), so that the old
    device, still running with the same identity, and the new one can never issue the same stamp.
    `devices` are every stamp node of this identity known here (writes by "us")."""

    instance_id: str
    instance_name: str
    clock: str = ""  # the last HLC timestamp issued or observed here
    cellules: Mapping[str, Cellule] = field(default_factory=dict)
    ateliers: Mapping[str, Atelier] = field(default_factory=dict)
    sources: Mapping[str, Source] = field(default_factory=dict)
    last_full_export_at: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    marks: Mapping[tuple[str, str], Mark] = field(default_factory=dict)
    device: str = ""  # "" = instance_id
    devices: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        check_instance_id(self.instance_id)
        object.__setattr__(self, "instance_name", check_field(INSTANCE_NAME_RULE, self.instance_name))
        if self.clock:
            Timestamp.parse(self.clock)
        for name in ("cellules", "ateliers", "sources", "extra", "marks"):
            object.__setattr__(self, name, _frozen_map(getattr(self, name)))
        for key, mark in self.marks.items():
            if type(mark) is not Mark or key != (mark.kind, mark.id):
                raise ValidationError("field.format", label=words("label.mark"), detail=repr(key)[:80])
        device = check_instance_id(self.device or self.instance_id)
        object.__setattr__(self, "device", device)
        devices = {check_instance_id(d) for d in self.devices} - {self.instance_id, device}
        object.__setattr__(self, "devices", tuple(sorted(devices)))

    def evolve(self, **changes: Any) -> State:
        """A copy with some attributes changed, *without* validation: only for values the core
        built from validated ones (a merge's tables, sources, marks and clock). A map passed
        becomes the copy's own, not copied: the caller must not change it afterwards."""
        clone = object.__new__(State)
        fields = clone.__dict__
        fields.update((k, v) for k, v in self.__dict__.items() if k not in _DERIVED)  # not the old lists
        for name, value in changes.items():
            fields[name] = MappingProxyType(value) if type(value) is dict else value
        return clone

    @property
    def own_nodes(self) -> frozenset[str]:
        """Stamp nodes that are writes of this identity (this device and the others restored from it)."""
        return frozenset((self.instance_id, self.device, *self.devices))

    def live_cellules(self) -> list[Cellule]:
        """Live cellules in a French reader's order (reading_key); the browser shows them in the
        platform's own collation (app/web/collate.py), which this order approximates."""
        return list(self._live_cellules)

    def live_ateliers(self, cellule_id: str | None = None) -> list[Atelier]:
        """Live ateliers of live cellules (of one cellule, or all), by start time then title."""
        if cellule_id is None:
            return list(self._live_ateliers)
        return list(self._live_ateliers_by_cellule.get(cellule_id, ()))

    # Derived lists, computed once per state (a state never changes; `evolve` leaves them behind):
    # a list of cards asks each cellule for its ateliers, which would otherwise read every atelier
    # once per card (300 cards x 80,000 ateliers was half a minute of a large group's boot).
    @cached_property
    def _live_cellules(self) -> tuple[Cellule, ...]:
        return tuple(sorted((c for c in self.cellules.values() if c.live), key=lambda c: (reading_key(c.name), c.id)))

    @cached_property
    def _live_ateliers(self) -> tuple[Atelier, ...]:
        items = [a for a in self.ateliers.values()
                 if a.live and (c := self.cellules.get(a.cellule_id)) is not None and c.live]
        return tuple(sorted(items, key=lambda a: (a.starts_at, reading_key(a.title), a.id)))

    @cached_property
    def _live_ateliers_by_cellule(self) -> dict[str, tuple[Atelier, ...]]:
        by_cellule: dict[str, list[Atelier]] = {}
        for a in self._live_ateliers:  # already in order: each cellule's share keeps it
            by_cellule.setdefault(a.cellule_id, []).append(a)
        return {cellule_id: tuple(items) for cellule_id, items in by_cellule.items()}

    def is_federated(self, record: Record) -> bool:
        return record.origin != self.instance_id

    def mark(self, kind: str, record_id: str) -> Mark | None:
        return self.marks.get((kind, record_id))


# --- local metadata in the full document (top-level `sync`) ---------------------------------------

def local_sync_to_json(state: State) -> dict[str, Any]:
    """This instance's own metadata beyond `clock`/`lastFullExportAt`, for the top-level `sync` of a
    full backup (and the browser's stored meta): conflict marks, this device's stamp node, the other
    devices of this identity. Empty for an instance that has none (old documents stay as they were)."""
    out: dict[str, Any] = {}
    if state.marks:
        out["marks"] = [m.to_json() for _k, m in sorted(state.marks.items())]
    if state.device != state.instance_id:
        out["device"] = state.device
    if state.devices:
        out["devices"] = list(state.devices)
    return out


def local_sync_from_json(sync: Any, instance_id: str) -> dict[str, Any]:
    """State keyword arguments from a top-level `sync` (inverse of local_sync_to_json)."""
    if not isinstance(sync, Mapping):
        return {}
    marks_json = sync.get("marks") or []
    if not isinstance(marks_json, list) or len(marks_json) > MAX_MARKS:
        raise ValidationError("field.format", label=words("label.marks"), detail=words("d.list_expected"))
    marks = {}
    for item in marks_json:
        mark = Mark.from_json(item)
        marks[(mark.kind, mark.id)] = mark
    devices = sync.get("devices") or []
    if not isinstance(devices, list) or len(devices) > 1000:
        raise ValidationError("field.format", label=words("label.devices"), detail=words("d.list_expected"))
    return {"marks": marks, "device": check_instance_id(sync.get("device") or instance_id),
            "devices": tuple(devices)}
